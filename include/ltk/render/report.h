/* ltk report: everything ltk can say about one run, as one document.
 *
 * ltk_report_build runs the library's analyses on a run (test type and
 * the built-in check profile, the per-endpoint table, the diagnosis,
 * capacity, failures; HTTP status codes, Apdex, ranges and the successful
 * requests' percentiles as ltk stats shows them) and keeps the results as
 * a cJSON tree ("ltk.report/2") holding display-ready text, plus charts
 * drawn by gnuplot as inline SVG.  The templates (templates/report.html, templates/report.md) only lay that
 * tree out: nothing is computed in a template or in the tool.
 *
 * Charts that cannot be drawn (gnuplot missing, failing, timing out) leave
 * a visible note where they would be, and a warning in the report struct
 * for the tool to print; the report is still complete otherwise. */
#ifndef LTK_REPORT_H
#define LTK_REPORT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ltk/render/chart.h"
#include "ltk/base/error.h"
#include "ltk/read/metrics.h"
#include "ltk/model/run.h"
#include "ltk/render/template.h"

struct ltk_check_opts;

struct ltk_report_opts {
    bool charts;                 /* draw charts (SVG) */
    const struct ltk_check_opts *check; /* the verdict's type and criteria (ltk/analyze/check.h);
                                         * NULL: the detected type's built-in profile */
    const struct ltk_metrics *metrics; /* resource samples for diagnosis and trend, or NULL */
    const char *png_dir;         /* also write each chart as DIR/NAME.png; NULL: no */
    struct ltk_chart_opts chart; /* gnuplot program, time limit */
    bool static_page;            /* HTML without the charts' script (hover, legend, zoom) */
    /* the endpoint table's percentile columns (fractions and labels, "99.9");
     * none: p50, p95, p99.  A column the input lacks is shown "n/a" and said so. */
    const double *pct;
    const char *const *pct_label;
    size_t npct;
    double apdex_t_ms;           /* the Apdex section with this T (ms); 0: none */
    const double *ranges;        /* the ranges section: cuts in ms, ascending; none: no section */
    size_t nranges;
};

struct ltk_report {
    cJSON *data;             /* the document the templates render */
    char **warnings;         /* for the tool to print ("charts not drawn: ...") */
    size_t nwarnings;
    bool charts_unavailable; /* gnuplot could not be run at all */
    char **png_files;        /* paths written under opts->png_dir */
    size_t npng;
};

/* Builds the report of run.  Analyses that do not apply to the run (no
 * history: no capacity levels) become sections saying why, not errors.
 * Returns LTK_OK, LTK_EIO (a PNG could not be written: err names it) or
 * LTK_ENOMEM.  Release out with ltk_report_release, also after failure. */
int ltk_report_build(const struct ltk_run *run, const struct ltk_report_opts *opts, struct ltk_report *out,
                     struct ltk_error *err);

void ltk_report_release(struct ltk_report *r);

/* Renders r with template t (escaping for esc) and writes it to out.
 * Returns LTK_OK, LTK_EFORMAT (the template names a value the report
 * lacks; err says where), LTK_ENOMEM or LTK_EIO. */
int ltk_report_write(FILE *out, const struct ltk_report *r, const struct ltk_template *t, enum ltk_escape esc,
                     struct ltk_error *err);

#endif

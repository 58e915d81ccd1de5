/* Views of a run's endpoint statistics: the terminal table, the module's
 * one-line-per-endpoint format, and JSON (schema "ltk.stats/1").  The views
 * only format what the run holds; nothing is computed here that a later tool
 * could not get from the run itself. */
#ifndef LTK_STATS_VIEW_H
#define LTK_STATS_VIEW_H

#include <stdbool.h>
#include <stdio.h>

#include "ltk/analyze/latency.h"
#include "ltk/base/json.h"
#include "ltk/model/run.h"

struct ltk_view_opts {
    bool color;          /* ANSI colours (only when writing to a terminal) */
    bool list_failures;  /* a table of every failure after the summary */
    /* Sections after the table (and fields in the JSON), each when asked: */
    bool status;         /* HTTP codes and classes per endpoint */
    bool ok;             /* percentiles of the successful requests only */
    double apdex_t_ms;   /* Apdex with this T (ms); 0: none */
    const double *ranges;  /* response-time ranges: cuts in ms, ascending */
    size_t nranges;
    /* the table's percentile columns (fractions and labels, "99.9"); NULL or
     * none: p50, p95, p99.  At most LTK_VIEW_MAX_PCT are shown (the table
     * says so); a named column the input lacks is said so under the table. */
    const double *pct;
    const char *const *pct_label;
    size_t npct;
};

#define LTK_VIEW_MAX_PCT 16

/* Writes the per-endpoint table (Aggregated last), the failure summary, and
 * lines about the history and exceptions.  Untrusted text is escaped for the
 * terminal.  Returns LTK_OK or LTK_EIO when writing fails. */
int ltk_stats_write_table(FILE *out, const struct ltk_run *run, const struct ltk_view_opts *opts);

/* Writes one line per row in the teaching module's format:
 *   "/query          | p50:  780ms | p95: 1850ms | p99: 2340ms | RPS: 12.3 | Errors: 0.8%"
 * i.e. Python's f"{name:15} | p50: {p50:4}ms | ... | RPS: {rps:4.1f} | Errors: {err:.1f}%"
 * using the 50%, 95% and 99% columns.  Returns LTK_OK or LTK_EIO. */
int ltk_stats_write_brief(FILE *out, const struct ltk_run *run);

/* The table's footnote for a run read from a raw request log: the method,
 * its error bound, rows and format.  malloc'd (free it); NULL on out of
 * memory. */
char *ltk_stats_method_note(const struct ltk_run *run);

/* Builds the "ltk.stats/1" document for a run.  Caller frees with
 * cJSON_Delete.  NULL on out of memory. */
cJSON *ltk_stats_to_json(const struct ltk_run *run);

/* The same with the fields opts asks for (status, ok, apdex, ranges per
 * endpoint and total); opts NULL: none, as ltk_stats_to_json. */
cJSON *ltk_stats_to_json_with(const struct ltk_run *run, const struct ltk_view_opts *opts);

/* Pieces of the sections above that the report (ltk/render/report.h) shows
 * too, so that both say the same. */

/* Requests of e with no HTTP code: neither read nor inferred. */
uint64_t ltk_view_status_none(const struct ltk_endpoint *e);

/* Where a run's codes came from ("codes read from the log's status
 * column", or only failures' from their texts), and what the classes none
 * and other hold. */
const char *ltk_view_status_source(const struct ltk_run *run);
/* Why a run's table of codes is empty (malloc'd, NULL when out of memory):
 * none in the input, or, for a time window over a raw log, left out (codes
 * are kept per endpoint for the whole run) with the window's requests per
 * status class from the intervals (run->status_ticks). */
char *ltk_view_status_missing(const struct ltk_run *run);
extern const char *const ltk_view_status_classes_note;

/* A share's bounds times scale with decimals: "0.912", or "0.905-0.920"
 * when they differ; "-" when unknown.  malloc'd; NULL on out of memory. */
char *ltk_view_share_text(struct ltk_share s, double scale, int decimals);

/* The worse of worst and the basis of e's share s (for the note of a
 * section: rows without requests do not count). */
enum ltk_le_basis ltk_view_worse_basis(enum ltk_le_basis worst, const struct ltk_endpoint *e, struct ltk_share s);

/* How a section's shares were worked out, from its worst basis. */
const char *ltk_view_basis_note(enum ltk_le_basis worst, const struct ltk_run *run);

/* The heading of range k (0 .. n + 1) of cuts c1 < ... < cn: "<=800ms",
 * "800ms-1200ms", ">1200ms", and "failed" for k = n + 1.  malloc'd; NULL on
 * out of memory. */
char *ltk_view_range_label(const double *cuts, size_t n, size_t k);

#endif

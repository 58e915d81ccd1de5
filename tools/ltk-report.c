/* ltk-report: one report of a run — verdict, numbers, charts, diagnosis,
 * capacity, failures — as a self-contained HTML page, a Markdown summary
 * for a pull request, or the ltk.report/2 JSON the templates are filled
 * with.  All analysis is in lib/render/report.c. */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ltk/base/json.h"
#include "ltk/read/load.h"
#include "ltk/read/metrics.h"
#include "ltk/read/rawlog.h"
#include "ltk/render/report.h"
#include "ltk/model/run.h"
#include "ltk/render/template.h"

static const char *const prog = "ltk-report";

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ltk report [options] RUN\n"
            "\n"
            "Write one report of a Locust run: the verdict (test type and the module's\n"
            "criteria for it, or yours), headline numbers, the per-endpoint table, charts\n"
            "over time and of the latency distribution, the diagnosis (ltk diagnose), the\n"
            "trend at constant users (ltk trend), capacity (levels, breaking point, knee,\n"
            "USL fit), failures and exceptions, and how it was all computed.\n"
            "RUN is a Locust --csv prefix, a directory holding one run, or one file.\n"
            "\n"
            "options:\n");
    ltk_cli_help_common(out, 23, LTK_HELP_OUTPUT);
    fprintf(out,
            "  -f, --format FMT     html (default: one self-contained page, charts as\n"
            "                       inline SVG), md (a compact summary for a pull request)\n"
            "                       or json (the ltk.report/2 data the templates are filled with)\n"
            "  -m, --metrics F      resource samples (timestamp, cpu_percent, mem_mb, ...)\n"
            "                       for the diagnosis and the trend\n"
            "  -t, --type T         the verdict's test type: smoke, load, stress, spike or\n"
            "                       soak (default: detected)\n"
            "  -c, --criterion E    a criterion of the verdict, as for ltk check (repeatable;\n"
            "                       replaces the built-in profile)\n"
            "      --criteria F     read the verdict's criteria from F, as ltk check does\n"
            "      --percentiles L  the endpoint table's percentile columns, e.g. 90,99.9\n"
            "                       (default 50,95,99; Locust's CSV holds only its own set)\n"
            "      --apdex-t T      an Apdex section with threshold T (500ms, 0.5s), per\n"
            "                       endpoint and in total; also the T of 'apdex' criteria\n"
            "      --ranges L       a section with the share of requests per response-time\n"
            "                       range, and failed (800ms,1200ms)\n"
            "      --skip D         drop the first D of the history (30s, 2m) from the\n"
            "                       verdict's windowed and phase values (--from instead\n"
            "                       leaves it out of the whole report)\n"
            "      --png DIR        also write every chart as DIR/NAME.png (DIR is made if missing)\n"
            "      --static         a page without script: no hover values, legend toggles or zoom\n"
            "      --no-charts      do not run gnuplot\n"
            "      --templates DIR  use DIR/report.html and DIR/report.md instead of the\n"
            "                       built-in templates (also LTK_TEMPLATES=DIR)\n"
            "      --gnuplot PROG   the gnuplot to run (also LTK_GNUPLOT; default: gnuplot on PATH)\n"
            "      --chart-timeout S  stop gnuplot after S seconds per chart (30)\n");
    ltk_cli_help_common(out, 23, LTK_HELP_STD);
    fprintf(out,
            "\n"
            LTK_CLI_HELP_SELECT
            "\n"
            "Without gnuplot the report is still written and says where charts are missing.\n"
            "A failed criterion is shown in the report; it does not change the exit status\n"
            "(ltk check gates).\n"
            "Exit status: 0 report written (also when charts are missing), 2 usage or input error.\n");
}

enum { OPT_PNG = 256, OPT_STATIC, OPT_NO_CHARTS, OPT_TEMPLATES, OPT_GNUPLOT, OPT_TIMEOUT };  /* -m: --metrics */

static const struct option options[] = {
    LTK_CLI_OPTION_OUTPUT,
    { "format", required_argument, NULL, 'f' },
    { "metrics", required_argument, NULL, 'm' },
    LTK_CLI_OPTIONS_CRITERIA,
    LTK_CLI_OPTIONS_LATENCY,
    { "percentiles", required_argument, NULL, LTK_OPT_PERCENTILES },
    { "png", required_argument, NULL, OPT_PNG },
    { "static", no_argument, NULL, OPT_STATIC },
    { "no-charts", no_argument, NULL, OPT_NO_CHARTS },
    { "templates", required_argument, NULL, OPT_TEMPLATES },
    { "gnuplot", required_argument, NULL, OPT_GNUPLOT },
    { "chart-timeout", required_argument, NULL, OPT_TIMEOUT },
    LTK_CLI_OPTIONS_SELECT,
    LTK_CLI_OPTIONS_END,
};

static const enum ltk_cli_format formats[] = { LTK_FMT_HTML, LTK_FMT_MD, LTK_FMT_JSON };

struct out_ctx {
    const struct ltk_report *rep;
    const struct ltk_template *tpl;
    enum ltk_cli_format fmt;
};

/* The report: its data as indented JSON, or a template filled with it. */
static int write_out(FILE *fp, void *ctx, struct ltk_error *err)
{
    const struct out_ctx *o = ctx;
    if (o->fmt == LTK_FMT_JSON)
        return ltk_json_write(fp, o->rep->data, true);
    return ltk_report_write(fp, o->rep, o->tpl, o->fmt == LTK_FMT_MD ? LTK_ESC_MARKDOWN : LTK_ESC_HTML, err);
}

/* The tool, with the criteria options' results in cc and the table's
 * columns in cols (main frees them on every way out). */
static int report(int argc, char **argv, struct ltk_cli_criteria *cc, struct ltk_cli_pct *cols)
{
    gsl_set_error_handler_off();
    const char *templates = getenv("LTK_TEMPLATES");
    struct ltk_cli_out out = { .format = LTK_FMT_HTML };
    struct ltk_report_opts ro = { .charts = true };
    ro.chart.gnuplot = getenv("LTK_GNUPLOT");
    bool no_charts = false;
    int c;
    const char *metrics_path = NULL;
    struct ltk_cli_latency lat = { 0 };
    bool ok = true;
    while ((c = ltk_cli_getopt(prog, argc, argv, "o:f:m:t:c:hV", options)) != -1) {
        if (ltk_cli_criteria_option(prog, c, optarg, cc, &ok)) {
            if (!ok)
                return LTK_EXIT_USAGE;
            continue;
        }
        switch (c) {
        case 'm': metrics_path = optarg; break;
        case 'f':
            if (!ltk_cli_format(prog, optarg, formats, sizeof formats / sizeof formats[0], &out))
                return LTK_EXIT_USAGE;
            break;
        case LTK_OPT_PERCENTILES:
            ltk_cli_pct_release(cols);
            if (!ltk_cli_pct_parse(prog, optarg, cols))
                return LTK_EXIT_USAGE;
            break;
        case OPT_PNG: ro.png_dir = optarg; break;
        case OPT_STATIC: ro.static_page = true; break;
        case OPT_NO_CHARTS: no_charts = true; break;
        case OPT_TEMPLATES: templates = optarg; break;
        case OPT_GNUPLOT: ro.chart.gnuplot = optarg; break;
        case OPT_TIMEOUT:
            if (!ltk_cli_number(prog, "--chart-timeout", optarg, &ro.chart.timeout_s))
                return LTK_EXIT_USAGE;
            if (!(ro.chart.timeout_s > 0 && ro.chart.timeout_s <= 3600)) {
                ltk_cli_fail(prog, "--chart-timeout: expected seconds from 0 to 3600, got '%s'", optarg);
                return LTK_EXIT_USAGE;
            }
            break;
        default:
            if (!ltk_cli_out_option(&out, c, optarg) && !ltk_cli_select_option(prog, c, optarg, &ok) &&
                !ltk_cli_latency_option(prog, c, optarg, &lat, &ok))
                return ltk_cli_std_option(prog, c, usage);
            if (!ok)
                return LTK_EXIT_USAGE;
        }
    }
    if (!ltk_cli_criteria_finish(prog, cc) || !ltk_cli_one_run(prog, argc - optind))
        return LTK_EXIT_USAGE;
    if (lat.apdex_t_ms > 0)
        cc->check.apdex_t_ms = lat.apdex_t_ms;   /* the T of 'apdex' criteria too, as ltk check --apdex-t */
    if (cc->check.ncriteria || cc->check.type != LTK_TT_UNKNOWN || cc->check.skip_s)
        ro.check = &cc->check;
    ro.apdex_t_ms = lat.apdex_t_ms;
    ro.ranges = lat.ranges;
    ro.nranges = lat.nranges;
    ro.pct = cols->q;
    ro.pct_label = (const char *const *)cols->label;
    ro.npct = cols->n;
    /* a raw log counts successes at the sections' and criteria's times exactly while read */
    struct ltk_rawlog_options raw = LTK_RAWLOG_OPTIONS_DEFAULT;
    ltk_cli_latency_cuts(&lat, &cc->check, &raw);
    if (no_charts && ro.png_dir) {
        ltk_cli_fail(prog, "--png and --no-charts cannot be combined");
        return LTK_EXIT_USAGE;
    }
    /* the Markdown summary has no charts; draw them only when PNGs are wanted */
    ro.charts = !no_charts && (out.format == LTK_FMT_HTML || ro.png_dir);

    struct ltk_error err;
    ltk_error_clear(&err);
    struct ltk_template *tpl = NULL;
    if (out.format != LTK_FMT_JSON &&
        ltk_cli_template(templates, out.format == LTK_FMT_MD ? "report.md" : "report.html", &tpl, &err)) {
        ltk_cli_error(prog, &err);
        return LTK_EXIT_USAGE;
    }
    struct ltk_metrics mx;
    ltk_metrics_init(&mx);
    if (metrics_path) {
        if (ltk_metrics_read(metrics_path, &mx, &err)) {
            ltk_cli_error(prog, &err);
            ltk_template_free(tpl);
            return LTK_EXIT_USAGE;
        }
        ro.metrics = &mx;
        cc->check.metrics = &mx;   /* the check's resource criteria */
    }
    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_report rep;
    memset(&rep, 0, sizeof rep);
    int status = LTK_EXIT_OK;
    ltk_error_clear(&err);
    if (!ltk_cli_load(prog, &run, argv[optind], &raw)) {
        status = LTK_EXIT_USAGE;
    } else {
        ltk_error_clear(&err);
        int rc = ltk_report_build(&run, &ro, &rep, &err);
        for (size_t i = 0; i < rep.nwarnings; i++)
            fprintf(stderr, "%s: warning: %s\n", prog, rep.warnings[i]);
        if (rc) {
            ltk_cli_error(prog, &err);
            status = LTK_EXIT_USAGE;
        }
    }
    if (status == LTK_EXIT_OK) {
        struct out_ctx o = { &rep, tpl, out.format };
        if (!ltk_cli_write(prog, out.path, write_out, &o))
            status = LTK_EXIT_USAGE;
    }
    ltk_report_release(&rep);
    ltk_run_release(&run);
    ltk_metrics_release(&mx);
    ltk_template_free(tpl);
    return ltk_cli_finish(prog, status);
}

int main(int argc, char **argv)
{
    struct ltk_cli_criteria cc = LTK_CLI_CRITERIA_INIT;
    struct ltk_cli_pct cols = { 0 };
    int status = report(argc, argv, &cc, &cols);
    ltk_cli_criteria_release(&cc);
    ltk_cli_pct_release(&cols);
    return status;
}

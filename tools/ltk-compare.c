/* ltk-compare: is this run worse than the last one(s)?  Baselines and the
 * current run side by side per endpoint, tests of the change where raw data
 * allows them, and gates for CI.  All of it is in lib/analyze/compare.c. */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ltk/analyze/compare.h"
#include "ltk/read/load.h"
#include "ltk/render/compare_view.h"
#include "ltk/render/page.h"
#include "ltk/analyze/criteria.h"
#include "ltk/base/json.h"
#include "ltk/base/num.h"
#include "ltk/read/rawlog.h"
#include "ltk/model/run.h"
#include "ltk/render/template.h"

static const char *const prog = "ltk-compare";

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ltk compare [options] BASELINE... CURRENT\n"
            "\n"
            "Compare a run with one or more baseline runs, per endpoint (matched by\n"
            "method and name) and for all requests: requests, error rate, req/s and\n"
            "p50/p95/p99, baseline, current and the change.  Each run is a Locust --csv\n"
            "prefix, a directory, one file, or a raw request log.  With raw logs on both\n"
            "sides the change is tested (Mann-Whitney U, bootstrap intervals of the\n"
            "percentile change); with stats.csv it cannot be, and the output says so.\n"
            "Raw logs and ltk.summary/2 files also give the percentiles of the successful\n"
            "requests alone (ok.p50, ok.p95, ...), tested the same way.\n"
            "With three or more baselines the baseline is their distribution (mean,\n"
            "spread, a 95%% prediction interval of one more run).\n"
            "\n"
            "options:\n"
            "  -g, --max-regression GATES  how much worse each metric may get, e.g.\n"
            "                       'p95:10%%,error_rate:0.5pp,rps:-5%%' (units: %% relative,\n"
            "                       pp percentage points, ms or s absolute); metrics:\n"
            "                       error_rate, rps, mean and any percentile (p90, p99.9)\n"
            "                       the inputs hold, and ok.mean, ok.p95 (the successful\n"
            "                       requests only: raw logs, ltk.summary/2); 'none' for a\n"
            "                       report without gates;\n"
            "                       default '%s'\n"
            "  -f, --format FMT     table (default), json (ltk.compare/2), html (one\n"
            "                       self-contained page with a chart) or md (Markdown)\n"
            "      --json           the same as --format json\n",
            LTK_GATES_DEFAULT);
    ltk_cli_help_common(out, 23, LTK_HELP_PRETTY | LTK_HELP_PRETTY_LONG_INDENT | LTK_HELP_OUTPUT);
    fprintf(out,
            "      --alpha A        significance level, two-sided (default 0.05)\n"
            "      --resamples N    bootstrap resamples (default 2000)\n"
            "      --seed N         seed of the bootstrap's generator (default 1)\n"
            "      --percentiles L  the percentiles each row shows, e.g. 50,90,99.9 (default\n"
            "                       50,95,99); a gate's percentile is shown as well\n"
            "      --method M       percentiles of raw logs: hdr (default), locust, exact\n"
            "      --fold           fold ids in raw log names: /item/123 -> /item/{id}\n"
            "      --no-charts      do not run gnuplot (html)\n"
            "      --templates DIR  use DIR/compare.html and DIR/compare.md (also LTK_TEMPLATES)\n"
            "      --gnuplot PROG   the gnuplot to run (also LTK_GNUPLOT)\n"
            "      --static         an HTML page without script: no hover values, legend toggles or zoom\n");
    ltk_cli_help_common(out, 23, LTK_HELP_STD);
    fprintf(out,
            "\n"
            LTK_CLI_HELP_SELECT
            "                   (the same for every run, times since each run's start)\n"
            "\n"
            "Exit status: 0 no regression, 1 a gate exceeded and significant (or exceeded\n"
            "where significance cannot be computed), 2 usage or input error.\n");
}

enum { OPT_ALPHA = 256, OPT_RESAMPLES, OPT_SEED, OPT_NO_CHARTS, OPT_TEMPLATES, OPT_GNUPLOT, OPT_STATIC };

static const struct option options[] = {
    { "max-regression", required_argument, NULL, 'g' },
    { "format", required_argument, NULL, 'f' },
    LTK_CLI_OPTION_JSON,
    LTK_CLI_OPTION_PRETTY,
    LTK_CLI_OPTION_OUTPUT,
    { "alpha", required_argument, NULL, OPT_ALPHA },
    { "resamples", required_argument, NULL, OPT_RESAMPLES },
    { "seed", required_argument, NULL, OPT_SEED },
    { "percentiles", required_argument, NULL, LTK_OPT_PERCENTILES },
    LTK_CLI_OPTION_METHOD,
    LTK_CLI_OPTION_FOLD,
    { "no-charts", no_argument, NULL, OPT_NO_CHARTS },
    { "templates", required_argument, NULL, OPT_TEMPLATES },
    { "gnuplot", required_argument, NULL, OPT_GNUPLOT },
    { "static", no_argument, NULL, OPT_STATIC },
    LTK_CLI_OPTIONS_SELECT,
    LTK_CLI_OPTIONS_END,
};

static const enum ltk_cli_format formats[] = { LTK_FMT_TEXT, LTK_FMT_JSON, LTK_FMT_HTML, LTK_FMT_MD };

/* The comparison and what it is shown with. */
struct shown {
    const struct ltk_cli_out *out;
    const struct ltk_compare *cmp;
    const struct ltk_run *const *base;
    const struct ltk_run *cur;
    const struct ltk_template *tpl;
    cJSON *doc; /* the ltk.compare/2 document, but for the table */
    const struct ltk_run *runs; /* all of them, for their selection */
    size_t nruns;
};

static int write_out(FILE *fp, void *ctx, struct ltk_error *err)
{
    const struct shown *s = ctx;
    enum ltk_cli_format fmt = s->out->format;
    if (fmt == LTK_FMT_TEXT) {
        int rc = ltk_cli_selection_text(fp, s->runs, s->nruns);
        return rc ? rc : ltk_compare_write_table(fp, s->cmp, s->base, s->cur);
    }
    if (fmt == LTK_FMT_JSON)
        return ltk_json_write(fp, s->doc, s->out->pretty);
    char *text = NULL;
    size_t len = 0;
    int rc = ltk_template_render(s->tpl, s->doc, fmt == LTK_FMT_MD ? LTK_ESC_MARKDOWN : LTK_ESC_HTML, &text, &len, err);
    if (rc == LTK_OK && fmt == LTK_FMT_HTML && ltk_page_finish(&text, &len))
        rc = ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc == LTK_OK && fwrite(text, 1, len, fp) != len)
        rc = ltk_error_set(err, LTK_EIO, NULL, 0, 0, "write error");
    free(text);
    return rc;
}

/* Writes the comparison as out asks.  Returns an exit status. */
static int write_output(struct shown *s, const struct ltk_chart_opts *chart)
{
    if (s->out->format != LTK_FMT_TEXT) {
        char *warning = NULL;
        s->doc = ltk_compare_to_json(s->cmp, s->base, s->cur, s->out->format == LTK_FMT_HTML ? chart : NULL,
                                     &warning);
        if (warning)
            fprintf(stderr, "%s: warning: %s\n", prog, warning);
        free(warning);
        /* the pages show the selection; their templates need the key (null: none) */
        bool page = s->out->format != LTK_FMT_JSON;
        if (!s->doc || !ltk_cli_add_selection(s->doc, s->runs, s->nruns) ||
            (page && !cJSON_HasObjectItem(s->doc, "selection") && !cJSON_AddNullToObject(s->doc, "selection"))) {
            cJSON_Delete(s->doc);
            s->doc = NULL;
            ltk_cli_fail(prog, "out of memory");
            return LTK_EXIT_USAGE;
        }
    }
    bool ok = ltk_cli_write(prog, s->out->path, write_out, s);
    cJSON_Delete(s->doc);
    s->doc = NULL;
    if (!ok)
        return LTK_EXIT_USAGE;
    return s->cmp->nregressions ? LTK_EXIT_FINDING : LTK_EXIT_OK;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    const char *gates_text = NULL, *templates = getenv("LTK_TEMPLATES");
    struct ltk_cli_out out = { .format = LTK_FMT_TEXT };
    bool charts = true;
    struct ltk_compare_opts co = { .boot = LTK_BOOT_OPTS_DEFAULT, .alpha = 0.05 };
    struct ltk_rawlog_options raw = LTK_RAWLOG_OPTIONS_DEFAULT;
    struct ltk_chart_opts chart = { .gnuplot = getenv("LTK_GNUPLOT") };
    uint64_t v;
    bool ok = true;
    int c;
    while ((c = ltk_cli_getopt(prog, argc, argv, "g:f:o:hV", options)) != -1) {
        switch (c) {
        case 'g': gates_text = optarg; break;
        case 'f':
            if (!ltk_cli_format(prog, optarg, formats, sizeof formats / sizeof formats[0], &out))
                return LTK_EXIT_USAGE;
            break;
        case OPT_ALPHA:
            if (!ltk_cli_number(prog, "--alpha", optarg, &co.alpha))
                return LTK_EXIT_USAGE;
            if (!(co.alpha > 0 && co.alpha <= 0.5)) {
                ltk_cli_fail(prog, "--alpha: expected a level in (0, 0.5], got '%s'", optarg);
                return LTK_EXIT_USAGE;
            }
            break;
        case OPT_RESAMPLES:
            if (!ltk_cli_count(prog, "--resamples", optarg, 100, 1000000, &v))
                return LTK_EXIT_USAGE;
            co.boot.resamples = (unsigned)v;
            break;
        case OPT_SEED:
            if (!ltk_cli_count(prog, "--seed", optarg, 0, 4294967295UL, &v))
                return LTK_EXIT_USAGE;
            co.boot.seed = (unsigned long)v;
            break;
        case OPT_NO_CHARTS: charts = false; break;
        case OPT_TEMPLATES: templates = optarg; break;
        case OPT_GNUPLOT: chart.gnuplot = optarg; break;
        case OPT_STATIC: chart.no_script = true; break;
        default:
            if (ltk_cli_raw_option(prog, c, optarg, &raw, UINT64_MAX, &ok) || ltk_cli_out_option(&out, c, optarg) ||
                ltk_cli_select_option(prog, c, optarg, &ok))
                break;
            return ltk_cli_std_option(prog, c, usage);
        }
        if (!ok)
            return LTK_EXIT_USAGE;
    }
    if (argc - optind < 2) {
        ltk_cli_fail(prog, "give at least one baseline and the current run (see --help)");
        return LTK_EXIT_USAGE;
    }
    co.boot.level = 1 - co.alpha;

    struct ltk_error err;
    ltk_error_clear(&err);
    struct ltk_gate *gates = NULL;
    const char *gtext = gates_text ? gates_text : LTK_GATES_DEFAULT;
    if (ltk_gates_parse(gtext, &gates, &co.ngates, &err)) {
        char caret[2048];
        ltk_criteria_caret(gtext, err.column, caret, sizeof caret);
        fprintf(stderr, "%s: --max-regression, column %ld: %s\n%s\n", prog, err.column, err.msg, caret);
        return LTK_EXIT_USAGE;
    }
    co.gates = gates;

    struct ltk_template *tpl = NULL;
    if ((out.format == LTK_FMT_HTML || out.format == LTK_FMT_MD) &&
        ltk_cli_template(templates, out.format == LTK_FMT_MD ? "compare.md" : "compare.html", &tpl, &err)) {
        ltk_cli_error(prog, &err);
        free(gates);
        return LTK_EXIT_USAGE;
    }
    /* --percentiles: the percentiles of raw logs and the rows' columns */
    double *pq = NULL;
    char **plabel = NULL;
    if (raw.percentiles && ltk_rawlog_parse_percentiles(raw.percentiles, &pq, &plabel, &co.npct, &err)) {
        ltk_cli_error(prog, &err);
        free(gates);
        ltk_template_free(tpl);
        return LTK_EXIT_USAGE;
    }
    co.pct = pq;
    co.pct_label = (const char *const *)plabel;

    size_t nruns = (size_t)(argc - optind);
    struct ltk_run *runs = calloc(nruns, sizeof *runs);
    const struct ltk_run **base = calloc(nruns, sizeof *base);
    int status = runs && base ? LTK_EXIT_OK : LTK_EXIT_USAGE;
    if (status)
        ltk_cli_fail(prog, "out of memory");
    size_t loaded = 0;
    for (size_t i = 0; i < nruns && status == LTK_EXIT_OK; i++) {
        ltk_run_init(&runs[i]);
        loaded = i + 1;
        if (!ltk_cli_load(prog, &runs[i], argv[optind + (int)i], &raw))
            status = LTK_EXIT_USAGE;
        else
            base[i] = &runs[i];
    }
    struct ltk_compare cmp;
    memset(&cmp, 0, sizeof cmp);
    if (status == LTK_EXIT_OK) {
        ltk_error_clear(&err);
        if (ltk_compare_build(base, nruns - 1, &runs[nruns - 1], &co, &cmp, &err)) {
            ltk_cli_error(prog, &err);
            status = LTK_EXIT_USAGE;
        }
    }
    if (status == LTK_EXIT_OK) {
        struct shown shown = { &out, &cmp, base, &runs[nruns - 1], tpl, NULL, runs, nruns };
        status = write_output(&shown, charts ? &chart : NULL);
    }
    ltk_compare_release(&cmp);
    for (size_t i = 0; i < loaded; i++)
        ltk_run_release(&runs[i]);
    free(runs);
    free(base);
    free(gates);
    for (size_t k = 0; plabel && k < co.npct; k++)
        free(plabel[k]);
    free(plabel);
    free(pq);
    ltk_template_free(tpl);
    return ltk_cli_finish(prog, status);
}

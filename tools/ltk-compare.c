/* ltk-compare: is this run worse than the last one(s)?  Baselines and the
 * current run side by side per endpoint, tests of the change where raw data
 * allows them, and gates for CI.  All of it is in lib/analyze/compare.c. */
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ltk/analyze/compare.h"
#include "ltk/read/load.h"
#include "ltk/render/compare_view.h"
#include "ltk/analyze/criteria.h"
#include "ltk/base/json.h"
#include "ltk/base/num.h"
#include "ltk/render/outfile.h"
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
            "With three or more baselines the baseline is their distribution (mean,\n"
            "spread, a 95%% prediction interval of one more run).\n"
            "\n"
            "options:\n"
            "  -g, --max-regression GATES  how much worse each metric may get, e.g.\n"
            "                       'p95:10%%,error_rate:0.5pp,rps:-5%%' (units: %% relative,\n"
            "                       pp percentage points, ms or s absolute); 'none' for\n"
            "                       a report without gates; default '%s'\n"
            "  -f, --format FMT     table (default), json (ltk.compare/1), html (one\n"
            "                       self-contained page with a chart) or md (Markdown)\n"
            "      --json           the same as --format json\n"
            "      --pretty         indent the JSON\n"
            "  -o, --output F       write to F (atomically) instead of standard output\n"
            "      --alpha A        significance level, two-sided (default 0.05)\n"
            "      --resamples N    bootstrap resamples (default 2000)\n"
            "      --seed N         seed of the bootstrap's generator (default 1)\n"
            "      --method M       percentiles of raw logs: hdr (default), locust, exact\n"
            "      --fold           fold ids in raw log names: /item/123 -> /item/{id}\n"
            "      --no-charts      do not run gnuplot (html)\n"
            "      --templates DIR  use DIR/compare.html and DIR/compare.md (also LTK_TEMPLATES)\n"
            "      --gnuplot PROG   the gnuplot to run (also LTK_GNUPLOT)\n"
            "  -h, --help           show this help\n"
            "  -V, --version        show the version\n"
            "\n"
            "Exit status: 0 no regression, 1 a gate exceeded and significant (or exceeded\n"
            "where significance cannot be computed), 2 usage or input error.\n",
            LTK_GATES_DEFAULT);
}

enum { OPT_JSON = 256, OPT_PRETTY, OPT_ALPHA, OPT_RESAMPLES, OPT_SEED, OPT_METHOD, OPT_FOLD, OPT_NO_CHARTS,
       OPT_TEMPLATES, OPT_GNUPLOT };

static const struct option options[] = {
    { "max-regression", required_argument, NULL, 'g' },
    { "format", required_argument, NULL, 'f' },
    { "json", no_argument, NULL, OPT_JSON },
    { "pretty", no_argument, NULL, OPT_PRETTY },
    { "output", required_argument, NULL, 'o' },
    { "alpha", required_argument, NULL, OPT_ALPHA },
    { "resamples", required_argument, NULL, OPT_RESAMPLES },
    { "seed", required_argument, NULL, OPT_SEED },
    { "method", required_argument, NULL, OPT_METHOD },
    { "fold", no_argument, NULL, OPT_FOLD },
    { "no-charts", no_argument, NULL, OPT_NO_CHARTS },
    { "templates", required_argument, NULL, OPT_TEMPLATES },
    { "gnuplot", required_argument, NULL, OPT_GNUPLOT },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};

enum format { FMT_TABLE, FMT_JSON, FMT_HTML, FMT_MD };

static int load_template(enum format fmt, const char *dir, struct ltk_template **t, struct ltk_error *err)
{
    const char *name = fmt == FMT_MD ? "compare.md" : "compare.html";
    if (dir && *dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        return ltk_template_load(path, t, err);
    }
    size_t len;
    const char *text = ltk_template_builtin(name, &len);
    if (!text)
        return ltk_error_set(err, LTK_EINVAL, name, 0, 0, "no built-in template");
    char label[64];
    snprintf(label, sizeof label, "(built-in) %s", name);
    return ltk_template_parse(text, len, label, t, err);
}

static bool whole_number(const char *opt, const char *text, unsigned long lo, unsigned long hi, unsigned long *out)
{
    int64_t v;
    if (ltk_parse_int(text, &v) || v < (int64_t)lo || (uint64_t)v > hi) {
        ltk_cli_fail(prog, "%s: expected a whole number from %lu to %lu, got '%s'", opt, lo, hi, text);
        return false;
    }
    *out = (unsigned long)v;
    return true;
}

/* Writes the comparison in fmt.  Returns an exit status. */
static int write_output(enum format fmt, bool pretty, const char *output, const struct ltk_compare *cmp,
                        const struct ltk_run *const *base, const struct ltk_run *cur, const struct ltk_template *tpl,
                        const struct ltk_chart_opts *chart)
{
    struct ltk_error err;
    ltk_error_clear(&err);
    cJSON *doc = NULL;
    if (fmt != FMT_TABLE) {
        char *warning = NULL;
        doc = ltk_compare_to_json(cmp, base, cur, fmt == FMT_HTML ? chart : NULL, &warning);
        if (warning)
            fprintf(stderr, "%s: warning: %s\n", prog, warning);
        free(warning);
        if (!doc) {
            ltk_cli_fail(prog, "out of memory");
            return LTK_EXIT_USAGE;
        }
    }
    struct ltk_outfile out;
    if (ltk_outfile_open(&out, output, &err)) {
        ltk_cli_error(prog, &err);
        cJSON_Delete(doc);
        return LTK_EXIT_USAGE;
    }
    int rc;
    if (fmt == FMT_TABLE) {
        rc = ltk_compare_write_table(out.fp, cmp, base, cur);
    } else if (fmt == FMT_JSON) {
        rc = ltk_json_write(out.fp, doc, pretty);
    } else {
        char *text = NULL;
        size_t len = 0;
        rc = ltk_template_render(tpl, doc, fmt == FMT_MD ? LTK_ESC_MARKDOWN : LTK_ESC_HTML, &text, &len, &err);
        if (rc == LTK_OK && fwrite(text, 1, len, out.fp) != len)
            rc = ltk_error_set(&err, LTK_EIO, NULL, 0, 0, "write error");
        free(text);
    }
    cJSON_Delete(doc);
    if (rc) {
        ltk_outfile_abort(&out);
        if (err.msg[0])
            ltk_cli_error(prog, &err);
        else
            ltk_cli_fail(prog, "cannot write %s: %s", output ? output : "standard output", ltk_strerror(rc));
        return LTK_EXIT_USAGE;
    }
    if (ltk_outfile_commit(&out, &err)) {
        ltk_cli_error(prog, &err);
        return LTK_EXIT_USAGE;
    }
    return cmp->nregressions ? LTK_EXIT_FINDING : LTK_EXIT_OK;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    const char *gates_text = NULL, *output = NULL, *templates = getenv("LTK_TEMPLATES");
    enum format fmt = FMT_TABLE;
    bool pretty = false, charts = true;
    struct ltk_compare_opts co = { .boot = LTK_BOOT_OPTS_DEFAULT, .alpha = 0.05 };
    struct ltk_rawlog_options raw = LTK_RAWLOG_OPTIONS_DEFAULT;
    struct ltk_chart_opts chart = { .gnuplot = getenv("LTK_GNUPLOT") };
    unsigned long ul;
    int c;
    while ((c = getopt_long(argc, argv, "g:f:o:hV", options, NULL)) != -1) {
        switch (c) {
        case 'g': gates_text = optarg; break;
        case 'o': output = optarg; break;
        case 'f':
            if (strcmp(optarg, "table") == 0) {
                fmt = FMT_TABLE;
            } else if (strcmp(optarg, "json") == 0) {
                fmt = FMT_JSON;
            } else if (strcmp(optarg, "html") == 0) {
                fmt = FMT_HTML;
            } else if (strcmp(optarg, "md") == 0 || strcmp(optarg, "markdown") == 0) {
                fmt = FMT_MD;
            } else {
                ltk_cli_fail(prog, "--format: expected table, json, html or md, got '%s'", optarg);
                return LTK_EXIT_USAGE;
            }
            break;
        case OPT_JSON: fmt = FMT_JSON; break;
        case OPT_PRETTY: pretty = true; break;
        case OPT_ALPHA:
            if (!ltk_cli_number(prog, "--alpha", optarg, &co.alpha))
                return LTK_EXIT_USAGE;
            if (!(co.alpha > 0 && co.alpha <= 0.5)) {
                ltk_cli_fail(prog, "--alpha: expected a level in (0, 0.5], got '%s'", optarg);
                return LTK_EXIT_USAGE;
            }
            break;
        case OPT_RESAMPLES:
            if (!whole_number("--resamples", optarg, 100, 1000000, &ul))
                return LTK_EXIT_USAGE;
            co.boot.resamples = (unsigned)ul;
            break;
        case OPT_SEED:
            if (!whole_number("--seed", optarg, 0, 4294967295UL, &ul))
                return LTK_EXIT_USAGE;
            co.boot.seed = ul;
            break;
        case OPT_METHOD:
            if (ltk_hist_method_parse(optarg, &raw.method)) {
                ltk_cli_fail(prog, "--method: expected hdr, locust or exact, got '%s'", optarg);
                return LTK_EXIT_USAGE;
            }
            break;
        case OPT_FOLD: raw.fold = true; break;
        case OPT_NO_CHARTS: charts = false; break;
        case OPT_TEMPLATES: templates = optarg; break;
        case OPT_GNUPLOT: chart.gnuplot = optarg; break;
        case 'h': usage(stdout); return ltk_cli_finish(prog, LTK_EXIT_OK);
        case 'V': ltk_cli_version(prog); return ltk_cli_finish(prog, LTK_EXIT_OK);
        default: usage(stderr); return LTK_EXIT_USAGE;
        }
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
    if ((fmt == FMT_HTML || fmt == FMT_MD) && load_template(fmt, templates, &tpl, &err)) {
        ltk_cli_error(prog, &err);
        free(gates);
        return LTK_EXIT_USAGE;
    }

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
        ltk_error_clear(&err);
        if (ltk_run_load_with(&runs[i], argv[optind + (int)i], &raw, &err)) {
            ltk_cli_error(prog, &err);
            status = LTK_EXIT_USAGE;
        } else {
            ltk_cli_print_warnings(prog, &runs[i]);
            base[i] = &runs[i];
        }
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
    if (status == LTK_EXIT_OK)
        status = write_output(fmt, pretty, output, &cmp, base, &runs[nruns - 1], tpl, charts ? &chart : NULL);
    ltk_compare_release(&cmp);
    for (size_t i = 0; i < loaded; i++)
        ltk_run_release(&runs[i]);
    free(runs);
    free(base);
    free(gates);
    ltk_template_free(tpl);
    return ltk_cli_finish(prog, status);
}

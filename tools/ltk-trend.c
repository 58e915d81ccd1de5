/* ltk-trend: is a run getting worse over time at constant load?  Slopes of
 * latency, errors, throughput and resources with their uncertainty, the
 * leak signature, and spike recovery.  All analysis is in lib/analyze/trend.c. */
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ltk/base/json.h"
#include "ltk/read/load.h"
#include "ltk/read/metrics.h"
#include "ltk/base/num.h"
#include "ltk/read/rawlog.h"
#include "ltk/analyze/trend.h"

static const char *const prog = "ltk-trend";

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ltk trend [options] RUN\n"
            "\n"
            "Trends of a run at constant users: for p50, p95, p99, error rate and\n"
            "requests/s (whole run and per endpoint), and CPU and memory from --metrics,\n"
            "a least-squares slope per hour with its 95 %% confidence interval, the\n"
            "Theil-Sen slope and a Mann-Kendall test; a verdict of degrading, stable or\n"
            "improving.  Spike runs also get the time to recover.\n"
            "\n"
            "RUN is what Locust's --csv was given; its stats_history.csv is needed, with\n"
            "--csv-full-history for latency trends (windowed percentiles).\n"
            "\n"
            "options:\n"
            "  -m, --metrics F      resource samples CSV (timestamp, cpu_percent, mem_mb,\n"
            "                       mem_percent, ...) joined on time\n"
            "  -t, --type T         smoke, load, stress, spike or soak (default: detected)\n"
            "      --skip D         drop the first D of the run (30s, 2m)\n"
            "      --bucket D       seconds per point (10s, Locust's percentile window)\n"
            "      --settle D       dropped after each change of users (10s)\n"
            "      --min-segment D  shortest steady segment used (30s)\n"
            "      --alpha P        significance level (0.05)\n"
            "      --min-change PCT smallest change over the run that counts (10%%)\n"
            "      --no-endpoints   only the whole run, not each endpoint\n"
            "      --json           JSON (schema ltk.trend/1)\n"
            "      --pretty         indent the JSON\n"
            "  -o, --output F       write to F (atomically) instead of standard output\n"
            "      --no-color       no colours (also when NO_COLOR is set)\n"
            "  -h, --help           show this help\n"
            "  -V, --version        show the version\n"
            "\n"
            "A metric is degrading when Mann-Kendall's p is below alpha, the slope's 95 %%\n"
            "interval excludes 0, and the fitted change over the analysed time is at least\n"
            "--min-change of its mean, in the bad direction.  See docs/trend.md.\n"
            "\n"
            "Exit status: 0 stable, improving or unknown; 1 degrading, or a spike the run\n"
            "did not recover from; 2 usage or input error.\n");
}

enum {
    OPT_SKIP = 256,
    OPT_BUCKET,
    OPT_SETTLE,
    OPT_MIN_SEGMENT,
    OPT_ALPHA,
    OPT_MIN_CHANGE,
    OPT_NO_ENDPOINTS,
    OPT_JSON,
    OPT_PRETTY,
    OPT_NO_COLOR,
};

static const struct option options[] = {
    { "metrics", required_argument, NULL, 'm' },
    { "type", required_argument, NULL, 't' },
    { "skip", required_argument, NULL, OPT_SKIP },
    { "bucket", required_argument, NULL, OPT_BUCKET },
    { "settle", required_argument, NULL, OPT_SETTLE },
    { "min-segment", required_argument, NULL, OPT_MIN_SEGMENT },
    { "alpha", required_argument, NULL, OPT_ALPHA },
    { "min-change", required_argument, NULL, OPT_MIN_CHANGE },
    { "no-endpoints", no_argument, NULL, OPT_NO_ENDPOINTS },
    { "json", no_argument, NULL, OPT_JSON },
    { "pretty", no_argument, NULL, OPT_PRETTY },
    { "output", required_argument, NULL, 'o' },
    { "no-color", no_argument, NULL, OPT_NO_COLOR },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};

/* A whole number of seconds in [lo, 1e9] ("30s", "2m", or plain seconds). */
static bool seconds(const char *opt, const char *text, int64_t lo, int64_t *out)
{
    double v;
    if (ltk_parse_duration(text, 1, &v) || v != floor(v) || v < (double)lo || v > 1e9) {
        ltk_cli_fail(prog, "%s: expected a whole number of seconds%s (30s, 2m), got '%s'", opt,
                     lo > 0 ? " above 0" : "", text);
        return false;
    }
    *out = (int64_t)v;
    return true;
}

/* A fraction in (0, 1): "5%" or "0.05". */
static bool fraction(const char *opt, const char *text, double *out)
{
    char buf[64];
    size_t n = strlen(text);
    bool pct = n && text[n - 1] == '%';
    double v;
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, text, n);
    buf[pct ? n - 1 : n] = '\0';
    if (ltk_parse_real(buf, &v) || (pct ? v /= 100 : v) <= 0 || v >= 1) {
        ltk_cli_fail(prog, "%s: expected a fraction between 0 and 1 (0.05) or a percentage (5%%), got '%s'", opt,
                     text);
        return false;
    }
    *out = v;
    return true;
}

struct out_ctx {
    const struct ltk_trend_result *r;
    const char *label;
    bool json, pretty, color;
};

static int write_out(FILE *fp, void *ctx, struct ltk_error *err)
{
    (void)err;
    const struct out_ctx *o = ctx;
    if (!o->json)
        return ltk_trend_write_table(fp, o->r, o->label, o->color);
    cJSON *doc = ltk_trend_to_json(o->r, o->label);
    int rc = doc ? ltk_json_write(fp, doc, o->pretty) : LTK_ENOMEM;
    cJSON_Delete(doc);
    return rc;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    struct ltk_trend_options opt;
    ltk_trend_options_init(&opt);
    bool json = false, pretty = false, no_color = false;
    const char *output = NULL, *metrics_path = NULL;
    struct ltk_error err;
    ltk_error_clear(&err);
    int c;
    while ((c = getopt_long(argc, argv, "m:t:o:hV", options, NULL)) != -1) {
        bool ok = true;
        switch (c) {
        case 'm': metrics_path = optarg; break;
        case 't':
            if (ltk_test_type_parse(optarg, &opt.type)) {
                ltk_cli_fail(prog, "--type: expected smoke, load, stress, spike or soak, got '%s'", optarg);
                ok = false;
            }
            break;
        case OPT_SKIP: ok = seconds("--skip", optarg, 0, &opt.skip_s); break;
        case OPT_BUCKET: ok = seconds("--bucket", optarg, 1, &opt.bucket_s); break;
        case OPT_SETTLE: ok = seconds("--settle", optarg, 0, &opt.settle_s); break;
        case OPT_MIN_SEGMENT: ok = seconds("--min-segment", optarg, 1, &opt.min_segment_s); break;
        case OPT_ALPHA:
            ok = fraction("--alpha", optarg, &opt.alpha);
            break;
        case OPT_MIN_CHANGE: ok = fraction("--min-change", optarg, &opt.min_change); break;
        case OPT_NO_ENDPOINTS: opt.endpoints = false; break;
        case OPT_JSON: json = true; break;
        case OPT_PRETTY: pretty = true; break;
        case OPT_NO_COLOR: no_color = true; break;
        case 'o': output = optarg; break;
        case 'h': usage(stdout); return ltk_cli_finish(prog, LTK_EXIT_OK);
        case 'V': ltk_cli_version(prog); return ltk_cli_finish(prog, LTK_EXIT_OK);
        default: usage(stderr); return LTK_EXIT_USAGE;
        }
        if (!ok)
            return LTK_EXIT_USAGE;
    }
    if (argc - optind != 1) {
        ltk_cli_fail(prog, optind >= argc ? "no input: give a Locust --csv prefix or file (see --help)"
                                          : "one run at a time (see --help)");
        return LTK_EXIT_USAGE;
    }
    const char *label = argv[optind];

    struct ltk_metrics mx;
    ltk_metrics_init(&mx);
    if (metrics_path && ltk_metrics_read(metrics_path, &mx, &err)) {
        ltk_cli_error(prog, &err);
        return LTK_EXIT_USAGE;
    }
    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_trend_result r;
    memset(&r, 0, sizeof r);
    /* a raw log is cut into intervals of one point each, so every point's
     * percentiles cover all of its bucket's requests */
    struct ltk_rawlog_options raw = LTK_RAWLOG_OPTIONS_DEFAULT;
    raw.interval_s = opt.bucket_s;
    int rc = ltk_run_load_with(&run, label, &raw, &err);
    if (rc == LTK_OK) {
        ltk_cli_print_warnings(prog, &run);
        rc = ltk_trend_analyse(&run, metrics_path ? &mx : NULL, &opt, &r, &err);
    }
    ltk_run_release(&run);
    ltk_metrics_release(&mx);
    if (rc) {
        ltk_cli_error(prog, &err);
        ltk_trend_release(&r);
        return LTK_EXIT_USAGE;
    }

    int status = r.verdict == LTK_TREND_DEGRADING || (r.spike.found && !r.spike.recovered &&
                                                        !isnan(r.spike.baseline_p95))
                     ? LTK_EXIT_FINDING
                     : LTK_EXIT_OK;
    struct out_ctx o = { &r, label, json, pretty, !output && ltk_cli_color(STDOUT_FILENO, no_color) };
    if (!ltk_cli_write(prog, output, write_out, &o))
        status = LTK_EXIT_USAGE;
    ltk_trend_release(&r);
    return ltk_cli_finish(prog, status);
}

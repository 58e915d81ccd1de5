/* ltk-trend: is a run getting worse over time at constant load?  Slopes of
 * latency, errors, throughput and resources with their uncertainty, the
 * leak signature, and spike recovery.  All analysis is in lib/analyze/trend.c. */
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
            "      --skip D         drop the first D of the history (30s, 2m); unlike --from,\n"
            "                       whole-run values stay whole\n"
            "      --bucket D       seconds per point (10s, Locust's percentile window;\n"
            "                       for a raw log longer than 10000 s its automatic interval)\n"
            "      --settle D       dropped after each change of users (10s)\n"
            "      --min-segment D  shortest steady segment used (30s)\n"
            "      --alpha P        significance level (0.05)\n"
            "      --min-change PCT smallest change over the run that counts (10%%)\n"
            "      --no-endpoints   only the whole run, not each endpoint\n"
            "      --json           JSON (schema ltk.trend/1)\n");
    ltk_cli_help_common(out, 23,
                        LTK_HELP_PRETTY | LTK_HELP_PRETTY_LONG_INDENT | LTK_HELP_OUTPUT | LTK_HELP_NO_COLOR | LTK_HELP_STD);
    fprintf(out,
            "\n"
            LTK_CLI_HELP_SELECT
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
    LTK_CLI_OPTIONS_OUTPUT,
    LTK_CLI_OPTIONS_SELECT,
    LTK_CLI_OPTIONS_END,
};

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

static int show_text(FILE *fp, const struct ltk_cli_view *v)
{
    return ltk_trend_write_table(fp, v->data, v->label, v->color);
}

static cJSON *show_json(const struct ltk_cli_view *v)
{
    return ltk_trend_to_json(v->data, v->label);
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    struct ltk_trend_options opt;
    ltk_trend_options_init(&opt);
    bool bucket_given = false;
    struct ltk_cli_out out = { 0 };
    const char *metrics_path = NULL;
    struct ltk_error err;
    ltk_error_clear(&err);
    int c;
    while ((c = ltk_cli_getopt(prog, argc, argv, "m:t:o:hV", options)) != -1) {
        bool ok = true;
        switch (c) {
        case 'm': metrics_path = optarg; break;
        case 't': ok = ltk_cli_test_type(prog, optarg, &opt.type); break;
        case OPT_SKIP: ok = ltk_cli_seconds(prog, "--skip", optarg, 0, &opt.skip_s); break;
        case OPT_BUCKET:
            ok = ltk_cli_seconds(prog, "--bucket", optarg, 1, &opt.bucket_s);
            bucket_given = true;
            break;
        case OPT_SETTLE: ok = ltk_cli_seconds(prog, "--settle", optarg, 0, &opt.settle_s); break;
        case OPT_MIN_SEGMENT: ok = ltk_cli_seconds(prog, "--min-segment", optarg, 1, &opt.min_segment_s); break;
        case OPT_ALPHA: ok = fraction("--alpha", optarg, &opt.alpha); break;
        case OPT_MIN_CHANGE: ok = fraction("--min-change", optarg, &opt.min_change); break;
        case OPT_NO_ENDPOINTS: opt.endpoints = false; break;
        default:
            if (!ltk_cli_out_option(&out, c, optarg) && !ltk_cli_select_option(prog, c, optarg, &ok))
                return ltk_cli_std_option(prog, c, usage);
        }
        if (!ok)
            return LTK_EXIT_USAGE;
    }
    if (!ltk_cli_one_run(prog, argc - optind))
        return LTK_EXIT_USAGE;
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
    if (!bucket_given) {
        /* a long log: its automatic interval when coarser (at most ~1000 points, bounded memory) */
        double span;
        int64_t iv = ltk_rawlog_auto_interval(label, &raw, &span);
        if (iv > opt.bucket_s)
            opt.bucket_s = iv;
    }
    raw.interval_s = opt.bucket_s;
    int rc = ltk_run_load_select(&run, label, &raw, ltk_cli_selection(), &err);
    if (rc == LTK_OK) {
        ltk_cli_print_warnings(prog, &run);
        rc = ltk_trend_analyse(&run, metrics_path ? &mx : NULL, &opt, &r, &err);
    }
    ltk_metrics_release(&mx);
    if (rc) {
        ltk_cli_error(prog, &err);
        ltk_trend_release(&r);
        ltk_run_release(&run);
        return LTK_EXIT_USAGE;
    }

    int status = r.verdict == LTK_TREND_DEGRADING || (r.spike.found && !r.spike.recovered &&
                                                        !isnan(r.spike.baseline_p95))
                     ? LTK_EXIT_FINDING
                     : LTK_EXIT_OK;
    out.runs = &run;
    out.nruns = 1;
    if (!ltk_cli_show(prog, &out, show_text, show_json, &r, label))
        status = LTK_EXIT_USAGE;
    ltk_trend_release(&r);
    ltk_run_release(&run);
    return ltk_cli_finish(prog, status);
}

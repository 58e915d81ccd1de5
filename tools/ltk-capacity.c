/* ltk-capacity: where a stepped or ramped run breaks, where it stops
 * scaling, and what the Universal Scalability Law says about its peak.
 * All analysis is in lib/analyze/capacity.c and lib/analyze/usl.c. */
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ltk/analyze/capacity.h"
#include "ltk/read/load.h"
#include "ltk/base/json.h"
#include "ltk/base/num.h"

static const char *const prog = "ltk-capacity";

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ltk capacity [options] RUN\n"
            "       ltk capacity [options] --table FILE\n"
            "\n"
            "Capacity of a stepped or ramped Locust run: the load levels (plateaus of\n"
            "constant users), the breaking point (the first level whose error rate is\n"
            "above 5 %%, the module's stress-test criterion, or that fails --slo), the\n"
            "knee (where added users stop adding throughput while latency climbs), a\n"
            "Universal Scalability Law fit with 95 %% intervals and its peak, a\n"
            "Little's-law check of the closed loop, and the capacity at the criterion.\n"
            "\n"
            "RUN is what Locust's --csv was given (its stats_history.csv is needed).\n"
            "\n"
            "options:\n"
            "  --table FILE         fit a CSV table with the header load,throughput or\n"
            "                       users,rps instead of a run\n"
            "  --slo EXPR           also require EXPR at each level: p50/p95/p99 < LIMIT\n"
            "                       with ms or s, error_rate < N%%, joined by commas\n"
            "                       (e.g. 'p95<2s,error_rate<1%%')\n"
            "  --settle SECONDS     seconds dropped after each change of users (10)\n"
            "  --min-plateau SECONDS  shortest plateau kept after settling (5)\n"
            "  --bins N             user bands for a ramp without plateaus (8; 0: never band)\n"
            "  --think-time T       the locustfile's mean wait time (2s, 500ms) to check\n"
            "                       Little's law; without it the think time is inferred\n"
            "  --fit-total          fit all requests/s, failures included (default: the\n"
            "                       successful requests/s)\n"
            "  --json               JSON (schema ltk.capacity/1)\n"
            "  --pretty             indent the JSON\n"
            "  -o, --output F       write to F (atomically) instead of standard output\n"
            "      --no-color       no colours (also when NO_COLOR is set)\n"
            "  -h, --help           show this help\n"
            "  -V, --version        show the version\n"
            "\n"
            "Exit status: 0 success (a breaking point found is a result, not an error),\n"
            "2 usage or input error.\n");
}

enum {
    OPT_JSON = 256,
    OPT_PRETTY,
    OPT_NO_COLOR,
    OPT_TABLE,
    OPT_SLO,
    OPT_SETTLE,
    OPT_MIN_PLATEAU,
    OPT_BINS,
    OPT_THINK,
    OPT_FIT_TOTAL,
};

static const struct option options[] = {
    { "table", required_argument, NULL, OPT_TABLE },
    { "slo", required_argument, NULL, OPT_SLO },
    { "settle", required_argument, NULL, OPT_SETTLE },
    { "min-plateau", required_argument, NULL, OPT_MIN_PLATEAU },
    { "bins", required_argument, NULL, OPT_BINS },
    { "think-time", required_argument, NULL, OPT_THINK },
    { "fit-total", no_argument, NULL, OPT_FIT_TOTAL },
    { "json", no_argument, NULL, OPT_JSON },
    { "pretty", no_argument, NULL, OPT_PRETTY },
    { "output", required_argument, NULL, 'o' },
    { "no-color", no_argument, NULL, OPT_NO_COLOR },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};

/* A whole number of seconds or bands, 0..86400. */
static bool small_count(const char *opt, const char *text, int64_t *out)
{
    uint64_t v;
    const char *why = ltk_parse_count(text, &v);
    if (why || v > 86400) {
        ltk_cli_fail(prog, "%s: expected %s, got '%s'", opt, why ? why : "at most 86400", text);
        return false;
    }
    *out = (int64_t)v;
    return true;
}

/* A duration with a unit ("2s", "500ms"), in seconds. */
static bool duration(const char *opt, const char *text, double *out)
{
    const char *why = ltk_parse_duration(text, 0, out);
    if (why)
        ltk_cli_fail(prog, "%s: expected %s, got '%s'", opt, why, text);
    return !why;
}

struct out_ctx {
    const struct ltk_capacity_result *r;
    const char *label;
    bool json, pretty, color;
};

static int write_out(FILE *fp, void *ctx, struct ltk_error *err)
{
    (void)err;
    const struct out_ctx *o = ctx;
    if (!o->json)
        return ltk_capacity_write_table(fp, o->r, o->label, o->color);
    cJSON *doc = ltk_capacity_to_json(o->r, o->label);
    int rc = doc ? ltk_json_write(fp, doc, o->pretty) : LTK_ENOMEM;
    cJSON_Delete(doc);
    return rc;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    struct ltk_capacity_options opt;
    ltk_capacity_options_init(&opt);
    bool json = false, pretty = false, no_color = false;
    const char *output = NULL, *table = NULL;
    struct ltk_error err;
    ltk_error_clear(&err);
    int c;
    int64_t v;
    while ((c = getopt_long(argc, argv, "o:hV", options, NULL)) != -1) {
        switch (c) {
        case OPT_TABLE: table = optarg; break;
        case OPT_SLO:
            if (ltk_capacity_slo_parse(optarg, &opt.slo, &err)) {
                ltk_cli_error(prog, &err);
                return LTK_EXIT_USAGE;
            }
            opt.has_slo = true;
            break;
        case OPT_SETTLE:
            if (!small_count("--settle", optarg, &opt.settle))
                return LTK_EXIT_USAGE;
            break;
        case OPT_MIN_PLATEAU:
            if (!small_count("--min-plateau", optarg, &opt.min_plateau))
                return LTK_EXIT_USAGE;
            break;
        case OPT_BINS:
            if (!small_count("--bins", optarg, &v))
                return LTK_EXIT_USAGE;
            if (v > 1000) {
                ltk_cli_fail(prog, "--bins: expected at most 1000, got '%s'", optarg);
                return LTK_EXIT_USAGE;
            }
            opt.bins = (size_t)v;
            break;
        case OPT_THINK:
            if (!duration("--think-time", optarg, &opt.think_time))
                return LTK_EXIT_USAGE;
            break;
        case OPT_FIT_TOTAL: opt.fit_total = true; break;
        case OPT_JSON: json = true; break;
        case OPT_PRETTY: pretty = true; break;
        case OPT_NO_COLOR: no_color = true; break;
        case 'o': output = optarg; break;
        case 'h': usage(stdout); return ltk_cli_finish(prog, LTK_EXIT_OK);
        case 'V': ltk_cli_version(prog); return ltk_cli_finish(prog, LTK_EXIT_OK);
        default: usage(stderr); return LTK_EXIT_USAGE;
        }
    }
    int nargs = argc - optind;
    if ((table && nargs != 0) || (!table && nargs != 1)) {
        ltk_cli_fail(prog, table ? "--table takes no RUN argument" : "expected one RUN (see --help)");
        return LTK_EXIT_USAGE;
    }

    struct ltk_capacity_result r;
    const char *label;
    int rc;
    if (table) {
        label = table;
        rc = ltk_capacity_read_table(table, &r, &err);
    } else {
        label = argv[optind];
        struct ltk_run run;
        ltk_run_init(&run);
        rc = ltk_run_load(&run, label, &err);
        if (rc == LTK_OK) {
            ltk_cli_print_warnings(prog, &run);
            rc = ltk_capacity_levels_from_run(&run, &opt, &r, &err);
        }
        ltk_run_release(&run);
    }
    if (rc) {
        ltk_cli_error(prog, &err);
        return LTK_EXIT_USAGE;
    }
    ltk_capacity_analyse(&r, &opt);

    struct out_ctx o = { &r, label, json, pretty, !output && ltk_cli_color(STDOUT_FILENO, no_color) };
    int status = ltk_cli_write(prog, output, write_out, &o) ? LTK_EXIT_OK : LTK_EXIT_USAGE;
    ltk_capacity_release(&r);
    return ltk_cli_finish(prog, status);
}

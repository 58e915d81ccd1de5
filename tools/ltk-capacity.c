/* ltk-capacity: where a stepped or ramped run breaks, where it stops
 * scaling, and what the Universal Scalability Law says about its peak.
 * All analysis is in lib/analyze/capacity.c and lib/analyze/usl.c. */
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
            "  --slo EXPR           also require EXPR at each level: criteria as in ltk\n"
            "                       check on p50, p95, p99, median, mean, error_rate or\n"
            "                       rps, joined by commas or repeated\n"
            "                       (e.g. 'p95<2s,error_rate<1%%')\n"
            "  --settle SECONDS     seconds dropped after each change of users (10)\n"
            "  --min-plateau SECONDS  shortest plateau kept after settling (5)\n"
            "  --bins N             user bands for a ramp without plateaus (8; 0: never band)\n"
            "  --think-time T       the locustfile's mean wait time (2s, 500ms) to check\n"
            "                       Little's law; without it the think time is inferred\n"
            "  --fit-total          fit all requests/s, failures included (default: the\n"
            "                       successful requests/s)\n"
            "  --json               JSON (schema ltk.capacity/1)\n");
    ltk_cli_help_common(out, 23, LTK_HELP_PRETTY | LTK_HELP_OUTPUT | LTK_HELP_NO_COLOR | LTK_HELP_STD);
    fprintf(out,
            "\n"
            LTK_CLI_HELP_SELECT
            "\n"
            "Exit status: 0 success (a breaking point found is a result, not an error),\n"
            "2 usage or input error.\n");
}

enum {
    OPT_TABLE = 256,
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
    LTK_CLI_OPTIONS_OUTPUT,
    LTK_CLI_OPTIONS_SELECT,
    LTK_CLI_OPTIONS_END,
};

static int show_text(FILE *fp, const struct ltk_cli_view *v)
{
    return ltk_capacity_write_table(fp, v->data, v->label, v->color);
}

static cJSON *show_json(const struct ltk_cli_view *v)
{
    return ltk_capacity_to_json(v->data, v->label);
}

/* The tool, with opt to fill (main releases it). */
static int capacity(int argc, char **argv, struct ltk_capacity_options *opt)
{
    struct ltk_cli_out out = { 0 };
    const char *table = NULL;
    struct ltk_error err;
    ltk_error_clear(&err);
    int c, rc;
    uint64_t v;
    while ((c = ltk_cli_getopt(prog, argc, argv, "o:hV", options)) != -1) {
        switch (c) {
        case OPT_TABLE: table = optarg; break;
        case OPT_SLO:
            rc = ltk_capacity_slo_add(&opt->slo, optarg, &err);
            if (rc) {
                ltk_cli_bad_expression(prog, "--slo", &err, optarg);
                return LTK_EXIT_USAGE;
            }
            break;
        case OPT_SETTLE:
            if (!ltk_cli_count(prog, "--settle", optarg, 0, 86400, &v))
                return LTK_EXIT_USAGE;
            opt->settle = (int64_t)v;
            break;
        case OPT_MIN_PLATEAU:
            if (!ltk_cli_count(prog, "--min-plateau", optarg, 0, 86400, &v))
                return LTK_EXIT_USAGE;
            opt->min_plateau = (int64_t)v;
            break;
        case OPT_BINS:
            if (!ltk_cli_count(prog, "--bins", optarg, 0, 1000, &v))
                return LTK_EXIT_USAGE;
            opt->bins = (size_t)v;
            break;
        case OPT_THINK:
            if (!ltk_cli_duration(prog, "--think-time", optarg, &opt->think_time))
                return LTK_EXIT_USAGE;
            break;
        case OPT_FIT_TOTAL: opt->fit_total = true; break;
        default: {
            bool ok = true;
            if (!ltk_cli_out_option(&out, c, optarg) && !ltk_cli_select_option(prog, c, optarg, &ok))
                return ltk_cli_std_option(prog, c, usage);
            if (!ok)
                return LTK_EXIT_USAGE;
        }
        }
    }
    int nargs = argc - optind;
    if ((table && nargs != 0) || (!table && nargs != 1)) {
        ltk_cli_fail(prog, table ? "--table takes no RUN argument" : "expected one RUN (see --help)");
        return LTK_EXIT_USAGE;
    }

    if (table && ltk_select_active(ltk_cli_selection())) {
        ltk_cli_fail(prog, "--from, --to, --only and --exclude select a part of a RUN, not of a --table");
        return LTK_EXIT_USAGE;
    }
    struct ltk_capacity_result r;
    const char *label;
    struct ltk_run run;
    ltk_run_init(&run);
    if (table) {
        label = table;
        rc = ltk_capacity_read_table(table, &r, &err);
    } else {
        label = argv[optind];
        rc = ltk_run_load_select(&run, label, NULL, ltk_cli_selection(), &err);
        if (rc == LTK_OK) {
            ltk_cli_print_warnings(prog, &run);
            rc = ltk_capacity_levels_from_run(&run, opt, &r, &err);
        }
    }
    if (rc) {
        ltk_cli_error(prog, &err);
        ltk_run_release(&run);
        return LTK_EXIT_USAGE;
    }
    out.runs = &run;
    out.nruns = 1;
    ltk_capacity_analyse(&r, opt);

    int status = ltk_cli_show(prog, &out, show_text, show_json, &r, label) ? LTK_EXIT_OK : LTK_EXIT_USAGE;
    ltk_capacity_release(&r);
    ltk_run_release(&run);
    return ltk_cli_finish(prog, status);
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    struct ltk_capacity_options opt;
    ltk_capacity_options_init(&opt);
    int status = capacity(argc, argv, &opt);
    ltk_capacity_options_release(&opt);
    return status;
}

/* ltk-diagnose: why did it break?  Reads a Locust run (failure classes and
 * their onset, trends, saturation, outliers, resource samples), or applies
 * module M3.4's bottleneck decision tree (Section 4) to four numbers given
 * as flags.  All rules live in lib/analyze/diagnose.c and lib/analyze/diagnose_run.c. */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ltk/analyze/diagnose.h"
#include "ltk/read/load.h"
#include "ltk/base/json.h"
#include "ltk/read/metrics.h"
#include "ltk/base/num.h"

static const char *const prog = "ltk-diagnose";

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ltk diagnose [options] RUN\n"
            "       ltk diagnose --cpu PCT --mem PCT --error-rate PCT --error-type TEXT\n"
            "       ltk diagnose --pool USERS [--response-time MS --think-time S]\n"
            "\n"
            "Name the bottleneck and say what to do about it.\n"
            "\n"
            "With a RUN (what Locust's --csv was given): findings from the run itself,\n"
            "sorted by confidence, each with its evidence and the module's recommendation:\n"
            "rate_limit, connection_pool (failure texts, and when and at how many users\n"
            "errors begin), degradation (ltk trend), saturation (ltk capacity), outliers\n"
            "(p99 >= 5 x p50 with p50 < 1 s and p99 > 3 s), struggling (p50 >= 1 s, the\n"
            "module's \"Degrading\" percentiles, or ltk check fails the run on latency),\n"
            "cpu_bound and memory_bound (--metrics: above 80 %% / 85 %% for 30 s, or memory\n"
            "growing), errors_other, unknown, or healthy (errors under 1 %%, latency within\n"
            "ltk check's limits and nothing else found).\n"
            "\n"
            "Also, with a RUN: slow_queries (an endpoint's p50 >= 1 s at the lowest load),\n"
            "inconsistent_latency (p95 >= 3 x p50 at a steady load), external_latency\n"
            "(latency misses its targets while CPU stays under 50 %%), linear_latency\n"
            "(mean latency a rising straight line in users, no external API errors) and\n"
            "the warning approaching_capacity (CPU 70-80 %% sustained).  Each finding\n"
            "names its category: application_code, external_service or infrastructure.\n"
            "\n"
            "--pool USERS sizes a database connection pool for USERS concurrent users:\n"
            "the module's rule (users / 10) beside Little's law (requests in flight =\n"
            "throughput x response time), measured on the RUN's levels before its knee,\n"
            "or from --response-time and --think-time without a run.\n"
            "\n"
            "With the four numbers instead: the decision tree of module M3.4, Section 4.\n"
            "The first rule that holds decides:\n"
            "  error type contains \"RateLimitError\" or \"429\"      rate_limit\n"
            "  error type contains \"QueuePool\" or \"connection\"    connection_pool\n"
            "    (\"connection\" in any case)\n"
            "  CPU above 80%%                                      cpu_bound\n"
            "  memory above 85%%                                   memory_bound\n"
            "  error rate below 1%%                                healthy\n"
            "  anything else                                      unknown\n"
            "\n"
            "options:\n"
            "  -m, --metrics F    resource samples CSV (timestamp, cpu_percent, mem_mb,\n"
            "                     mem_percent, ...) of the system under test (with RUN)\n"
            "  --skip D           leave the first D of the history (30s, 2m) out of onsets\n"
            "                     and trends (with RUN); unlike --from, whole-run values\n"
            "                     stay whole\n"
            "  --cpu PCT          CPU use during the test, 0-100 (with RUN: a reading)\n"
            "  --mem PCT          memory use during the test, 0-100 (with RUN: a reading)\n"
            "  --error-rate PCT   share of failed requests, 0-100\n"
            "  --error-type TEXT  the most frequent error message (\"\" when there was none)\n"
            "  --pool USERS       plan a connection pool for USERS concurrent users\n"
            "  --response-time MS with --pool and no RUN: the mean response time\n"
            "  --think-time S     with --pool and no RUN: the users' wait between requests\n"
            "  --json             JSON (schema ltk.diagnosis/1)\n");
    ltk_cli_help_common(out, 21, LTK_HELP_PRETTY | LTK_HELP_OUTPUT | LTK_HELP_STD);
    fprintf(out,
            "\n"
            LTK_CLI_HELP_SELECT
            "\n"
            "A finding of the tree has confidence 1: the rule is applied to the numbers\n"
            "as given.  How a run's findings are scored: docs/decide-and-diagnose.md.\n"
            "Exit status: 0 healthy, 1 a problem was found, 2 usage or input error.\n");
}

enum { OPT_CPU = 256, OPT_MEM, OPT_ERROR_RATE, OPT_ERROR_TYPE, OPT_SKIP, OPT_POOL, OPT_RESPONSE, OPT_THINK };

static const struct option options[] = {
    { "metrics", required_argument, NULL, 'm' },
    { "skip", required_argument, NULL, OPT_SKIP },
    { "cpu", required_argument, NULL, OPT_CPU },
    { "mem", required_argument, NULL, OPT_MEM },
    { "error-rate", required_argument, NULL, OPT_ERROR_RATE },
    { "error-type", required_argument, NULL, OPT_ERROR_TYPE },
    { "pool", required_argument, NULL, OPT_POOL },
    { "response-time", required_argument, NULL, OPT_RESPONSE },
    { "think-time", required_argument, NULL, OPT_THINK },
    LTK_CLI_OPTION_JSON,
    LTK_CLI_OPTION_PRETTY,
    LTK_CLI_OPTION_OUTPUT,
    LTK_CLI_OPTIONS_SELECT,
    LTK_CLI_OPTIONS_END,
};

/* What is shown: the diagnosis and, from the decision tree, its inputs. */
struct shown {
    const struct ltk_diagnosis *d;
    const struct ltk_diagnose_metrics *m;
};

static int show_text(FILE *fp, const struct ltk_cli_view *v)
{
    const struct shown *s = v->data;
    return ltk_diagnose_write_text(fp, s->d, s->m);
}

static cJSON *show_json(const struct ltk_cli_view *v)
{
    const struct shown *s = v->data;
    return ltk_diagnose_to_json(s->d, s->m);
}

/* Diagnoses the run at path (read into run, initialised) into d. Returns an
 * exit status. */
static int diagnose_run(const char *path, const char *metrics_path, struct ltk_diagnose_run_options *ro,
                        struct ltk_diagnosis *d, struct ltk_run *run)
{
    struct ltk_error err;
    ltk_error_clear(&err);
    struct ltk_metrics mx;
    ltk_metrics_init(&mx);
    if (metrics_path && ltk_metrics_read(metrics_path, &mx, &err)) {
        ltk_cli_error(prog, &err);
        return LTK_EXIT_USAGE;
    }
    ro->metrics = metrics_path ? &mx : NULL;
    int rc = ltk_run_load_select(run, path, NULL, ltk_cli_selection(), &err);
    if (rc == LTK_OK) {
        ltk_cli_print_warnings(prog, run);
        rc = ltk_diagnose_run(d, run, ro, &err);
    }
    if (rc)
        ltk_cli_error(prog, &err);
    ltk_metrics_release(&mx);
    ro->metrics = NULL;
    return rc ? LTK_EXIT_USAGE : LTK_EXIT_OK;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    struct ltk_diagnose_metrics m = { 0 };
    bool have_cpu = false, have_mem = false, have_rate = false;
    struct ltk_cli_out out = { 0 };
    const char *metrics_path = NULL;
    int64_t skip = 0;
    double pool_users = NAN, response_ms = NAN, think_s = NAN;
    int c;
    while ((c = ltk_cli_getopt(prog, argc, argv, "m:o:hV", options)) != -1) {
        switch (c) {
        case 'm': metrics_path = optarg; break;
        case OPT_SKIP:
            if (!ltk_cli_seconds(prog, "--skip", optarg, 0, &skip))
                return LTK_EXIT_USAGE;
            break;
        case OPT_CPU:
            if (!ltk_cli_number(prog, "--cpu", optarg, &m.cpu_pct))
                return LTK_EXIT_USAGE;
            have_cpu = true;
            break;
        case OPT_MEM:
            if (!ltk_cli_number(prog, "--mem", optarg, &m.mem_pct))
                return LTK_EXIT_USAGE;
            have_mem = true;
            break;
        case OPT_ERROR_RATE:
            if (!ltk_cli_number(prog, "--error-rate", optarg, &m.error_rate_pct))
                return LTK_EXIT_USAGE;
            have_rate = true;
            break;
        case OPT_ERROR_TYPE: m.error_type = optarg; break;
        case OPT_POOL:
            if (!ltk_cli_number(prog, "--pool", optarg, &pool_users))
                return LTK_EXIT_USAGE;
            if (!(pool_users > 0)) {
                ltk_cli_fail(prog, "--pool: expected a number of users above 0, got '%s'", optarg);
                return LTK_EXIT_USAGE;
            }
            break;
        case OPT_RESPONSE:
            if (!ltk_cli_number(prog, "--response-time", optarg, &response_ms))
                return LTK_EXIT_USAGE;
            break;
        case OPT_THINK:
            if (!ltk_cli_number(prog, "--think-time", optarg, &think_s))
                return LTK_EXIT_USAGE;
            break;
        default: {
            bool ok = true;
            if (!ltk_cli_out_option(&out, c, optarg) && !ltk_cli_select_option(prog, c, optarg, &ok))
                return ltk_cli_std_option(prog, c, usage);
            if (!ok)
                return LTK_EXIT_USAGE;
        }
        }
    }
    if (optind == argc && ltk_select_active(ltk_cli_selection())) {
        ltk_cli_fail(prog, "--from, --to, --only and --exclude select a part of a RUN");
        return LTK_EXIT_USAGE;
    }
    if (argc - optind > 1) {
        ltk_cli_fail(prog, "one run at a time (see --help)");
        return LTK_EXIT_USAGE;
    }
    struct ltk_error err;
    ltk_error_clear(&err);
    struct ltk_diagnosis d;
    ltk_diagnosis_init(&d);
    const struct ltk_diagnose_metrics *inputs = NULL;
    struct ltk_run run;
    ltk_run_init(&run);
    if ((!isnan(response_ms) || !isnan(think_s)) && (isnan(pool_users) || optind < argc)) {
        ltk_cli_fail(prog, "--response-time and --think-time size a pool without a run: give them with --pool "
                           "and no RUN (a run measures its own)");
        return LTK_EXIT_USAGE;
    }
    if (isnan(response_ms) != isnan(think_s)) {
        ltk_cli_fail(prog, "--pool needs both --response-time and --think-time, or neither (the rule alone)");
        return LTK_EXIT_USAGE;
    }
    if (optind == argc && !isnan(pool_users) && !have_cpu && !have_mem && !have_rate && !m.error_type) {
        /* the pool plan alone */
        if (metrics_path || skip > 0) {
            ltk_cli_fail(prog, "%s needs a RUN", metrics_path ? "--metrics" : "--skip");
            return LTK_EXIT_USAGE;
        }
        if (!(d.pool = malloc(sizeof *d.pool))) {
            ltk_cli_fail(prog, "out of memory");
            return LTK_EXIT_USAGE;
        }
        if (ltk_pool_plan_given(pool_users, response_ms, think_s, d.pool, &err)) {
            ltk_cli_error(prog, &err);
            ltk_diagnosis_release(&d);
            return LTK_EXIT_USAGE;
        }
    } else if (optind < argc) {
        if (have_rate || m.error_type) {
            ltk_cli_fail(prog, "--error-rate and --error-type are for the decision tree alone: a run has "
                               "its own errors (see --help)");
            return LTK_EXIT_USAGE;
        }
        struct ltk_diagnose_run_options ro = { .cpu_pct = have_cpu ? m.cpu_pct : NAN,
                                               .mem_pct = have_mem ? m.mem_pct : NAN,
                                               .skip_s = skip, .pool_users = pool_users };
        if ((have_cpu && !(m.cpu_pct >= 0 && m.cpu_pct <= 100)) || (have_mem && !(m.mem_pct >= 0 && m.mem_pct <= 100))) {
            ltk_cli_fail(prog, "--%s: expected a percentage from 0 to 100", have_cpu && !(m.cpu_pct >= 0 && m.cpu_pct <= 100) ? "cpu" : "mem");
            return LTK_EXIT_USAGE;
        }
        int st = diagnose_run(argv[optind], metrics_path, &ro, &d, &run);
        if (st) {
            ltk_diagnosis_release(&d);
            ltk_run_release(&run);
            return st;
        }
        out.runs = &run;
        out.nruns = 1;
    } else {
        const char *missing = !have_cpu ? "--cpu" : !have_mem ? "--mem" : !have_rate ? "--error-rate"
                            : !m.error_type ? "--error-type" : NULL;
        if (missing) {
            ltk_cli_fail(prog, "missing %s: give a RUN, or the decision tree's --cpu, --mem, --error-rate and "
                               "--error-type (\"\" for none)", missing);
            return LTK_EXIT_USAGE;
        }
        if (metrics_path || skip > 0 || !isnan(pool_users)) {
            ltk_cli_fail(prog, "%s needs a RUN", metrics_path ? "--metrics" : skip > 0 ? "--skip" : "--pool with the tree's numbers");
            return LTK_EXIT_USAGE;
        }
        if (ltk_diagnose_metrics(&d, &m, &err)) {
            ltk_cli_error(prog, &err);
            ltk_diagnosis_release(&d);
            return LTK_EXIT_USAGE;
        }
        ltk_diagnosis_sort(&d);
        inputs = &m;
    }
    int status = ltk_diagnosis_has_problem(&d) ? LTK_EXIT_FINDING : LTK_EXIT_OK;

    struct shown shown = { &d, inputs };
    if (!ltk_cli_show(prog, &out, show_text, show_json, &shown, NULL))
        status = LTK_EXIT_USAGE;
    ltk_diagnosis_release(&d);
    ltk_run_release(&run);
    return ltk_cli_finish(prog, status);
}

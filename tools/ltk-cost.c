/* ltk-cost: capacity and cost planning in the teaching module's terms —
 * caching savings, rate-limit headroom, instances and $/month, and the
 * module's optimisation journey.  All arithmetic is in lib/analyze/cost.c. */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ltk/analyze/capacity.h"
#include "ltk/analyze/cost.h"
#include "ltk/read/load.h"

static const char *const prog = "ltk-cost";

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ltk cost [options]\n"
            "\n"
            "Capacity and cost planning: what a cache and batching save on paid API\n"
            "calls, how a user load compares with a provider's rate limit, how many\n"
            "instances a target needs and what they cost, and the teaching module's\n"
            "optimisation journey.  Each group below is computed when its inputs are\n"
            "given; several groups can be combined.\n"
            "\n"
            "API calls and caching:\n"
            "  --requests N             requests (queries) in the period considered\n"
            "  --hit-rate R             cache hit rate, 0.8 or 80%%\n"
            "  --cost-per-call USD      price of one paid API call\n"
            "  --batch-size N           texts sent per embedding call (at most 2048), or\n"
            "  --batch-reduction R      share of calls batching removes, 0.6 or 60%%\n"
            "rate limit (exit 1 when the load reaching the provider is above it):\n"
            "  --users N                concurrent users\n"
            "  --rate-per-user QPS      requests per user per second, or\n"
            "  --rate-from RUN          the mean rate per user of a Locust run: requests\n"
            "                           / user-seconds of its stats_history.csv\n"
            "  --rate-endpoint NAME     count only this endpoint ('/query', 'POST /query'),\n"
            "                           the one that calls the rate-limited API\n"
            "  --limit-rpm RPM          the provider's limit, requests per minute\n"
            "                           (with --hit-rate: the load after the cache)\n"
            "scaling plan (exit 1 when it needs more than --max-replicas):\n"
            "  --capacity-per-instance USERS  users one instance holds at your SLO, or\n"
            "  --capacity FILE          take it from ltk capacity --json output, or\n"
            "  --capacity-run RUN       from a stepped Locust run: the largest level\n"
            "                           meeting --slo (else the USL's prediction); the\n"
            "                           stress capacity (error rate <= 5%%) beside it\n"
            "  --slo EXPR               the criteria a level must meet, as in ltk check\n"
            "                           (default: the module's load-test criteria,\n"
            "                           p50<1s,p95<2s,p99<3s,error_rate<1%%; with --capacity,\n"
            "                           the --slo ltk capacity was given, if any)\n"
            "  --stress-capacity USERS  the stress capacity to compare with, when typed\n"
            "  --target-users N         users to serve\n"
            "  --instance-price USD     price of one instance per month\n"
            "  --target-utilisation R   share of capacity to fill each instance to\n"
            "                           (default 70%%, the module's HPA CPU target)\n"
            "  --min-replicas N         fewest instances (default 2, the module's)\n"
            "  --max-replicas N         most instances (default 10, the module's)\n"
            "  --fixed-cost USD         other monthly costs (cache, load balancer)\n"
            "  --requests-per-month N   for the cost per 1000 requests\n"
            "autoscaling:\n"
            "  --hpa                    print a Kubernetes autoscaling/v2\n"
            "                           HorizontalPodAutoscaler (YAML) for the plan\n"
            "  --deployment NAME        the Deployment it scales (default rag-api)\n"
            "  --hpa-name NAME          its own name (default DEPLOYMENT-hpa)\n"
            "  --namespace NS           its namespace (default: none written)\n"
            "  --queue-metric NAME      the per-pod queue-depth metric (default\n"
            "                           request_queue_depth; scale above 100 per pod)\n"
            );
    fprintf(out,
            "growth runway (when a capacity runs out as the load grows):\n"
            "  --current-users N        users now, against --capacity-per-instance (or\n"
            "                           --capacity, --capacity-run) x --instances, or\n"
            "  --current-cpu R          CPU now, 0.5 or 50%%, against 100%% CPU\n"
            "  --future-users N         users expected in --months M, or\n"
            "  --future-cpu R           CPU expected in --months M, or\n"
            "  --months M               when the future load is expected\n"
            "  --growth R               growth per month, 0.2 or 20%% (compounding)\n"
            "  --instances N            instances serving --current-users (default 1)\n"
            "  --upgrade-factor F       capacity after the upgrade / capacity now\n"
            "  --upgrade-cost USD       what the upgrade adds per month, with\n"
            "  --shortfall-cost USD     what a month above capacity costs (lost revenue,\n"
            "                           penalties): does the upgrade pay off?\n"
            "  --horizon M              months the two are compared over (default 12)\n"
            "                           (--target-utilisation sets the early warning)\n"
            "the module:\n"
            "  --journey                the module's optimisation journey, vertical\n"
            "                           scaling and upgrade examples as tables\n"
            "\n"
            "options:\n"
            "  --plan FILE              read inputs from a JSON plan (schema\n"
            "                           ltk.cost-plan/1); options given override it\n"
            "  --json                   JSON (schema ltk.cost/2)\n");
    ltk_cli_help_common(out, 27, LTK_HELP_PRETTY | LTK_HELP_OUTPUT | LTK_HELP_NO_COLOR | LTK_HELP_STD);
    fprintf(out,
            "\n"
            "Prices in USD; derived figures rounded to 12 significant digits.\n"
            "Exit status: 0 success, 1 the rate limit is exceeded or the plan needs more\n"
            "than --max-replicas, 2 usage or input error.\n");
}

enum {
    OPT_PLAN = 256,
    OPT_JOURNEY,
    OPT_CAPACITY,
    OPT_RATE_FROM,
    OPT_RATE_ENDPOINT,
    OPT_CAPACITY_RUN,
    OPT_SLO,
    OPT_HPA,
    OPT_DEPLOYMENT,
    OPT_HPA_NAME,
    OPT_NAMESPACE,
    OPT_QUEUE_METRIC,
    OPT_FIELD, /* OPT_FIELD + i: input i of ltk_cost_fields() */
};

static const struct option options[] = {
    { "requests", required_argument, NULL, OPT_FIELD + 0 },
    { "hit-rate", required_argument, NULL, OPT_FIELD + 1 },
    { "cost-per-call", required_argument, NULL, OPT_FIELD + 2 },
    { "batch-size", required_argument, NULL, OPT_FIELD + 3 },
    { "batch-reduction", required_argument, NULL, OPT_FIELD + 4 },
    { "users", required_argument, NULL, OPT_FIELD + 5 },
    { "rate-per-user", required_argument, NULL, OPT_FIELD + 6 },
    { "limit-rpm", required_argument, NULL, OPT_FIELD + 7 },
    { "capacity-per-instance", required_argument, NULL, OPT_FIELD + 8 },
    { "target-users", required_argument, NULL, OPT_FIELD + 9 },
    { "instance-price", required_argument, NULL, OPT_FIELD + 10 },
    { "fixed-cost", required_argument, NULL, OPT_FIELD + 11 },
    { "requests-per-month", required_argument, NULL, OPT_FIELD + 12 },
    { "target-utilisation", required_argument, NULL, OPT_FIELD + 13 },
    { "min-replicas", required_argument, NULL, OPT_FIELD + 14 },
    { "max-replicas", required_argument, NULL, OPT_FIELD + 15 },
    { "stress-capacity", required_argument, NULL, OPT_FIELD + 16 },
    { "current-users", required_argument, NULL, OPT_FIELD + 17 },
    { "current-cpu", required_argument, NULL, OPT_FIELD + 18 },
    { "future-users", required_argument, NULL, OPT_FIELD + 19 },
    { "future-cpu", required_argument, NULL, OPT_FIELD + 20 },
    { "months", required_argument, NULL, OPT_FIELD + 21 },
    { "growth", required_argument, NULL, OPT_FIELD + 22 },
    { "instances", required_argument, NULL, OPT_FIELD + 23 },
    { "upgrade-factor", required_argument, NULL, OPT_FIELD + 24 },
    { "upgrade-cost", required_argument, NULL, OPT_FIELD + 25 },
    { "shortfall-cost", required_argument, NULL, OPT_FIELD + 26 },
    { "horizon", required_argument, NULL, OPT_FIELD + 27 },
    { "journey", no_argument, NULL, OPT_JOURNEY },
    { "capacity", required_argument, NULL, OPT_CAPACITY },
    { "rate-from", required_argument, NULL, OPT_RATE_FROM },
    { "rate-endpoint", required_argument, NULL, OPT_RATE_ENDPOINT },
    { "capacity-run", required_argument, NULL, OPT_CAPACITY_RUN },
    { "slo", required_argument, NULL, OPT_SLO },
    { "hpa", no_argument, NULL, OPT_HPA },
    { "deployment", required_argument, NULL, OPT_DEPLOYMENT },
    { "hpa-name", required_argument, NULL, OPT_HPA_NAME },
    { "namespace", required_argument, NULL, OPT_NAMESPACE },
    { "queue-metric", required_argument, NULL, OPT_QUEUE_METRIC },
    { "plan", required_argument, NULL, OPT_PLAN },
    LTK_CLI_OPTIONS_OUTPUT,
    LTK_CLI_OPTIONS_END,
};

/* Parses input i from text; false (after a message) when it is not a number. */
static bool set_field(struct ltk_cost_input *in, size_t i, const char *text)
{
    size_t n;
    const struct ltk_cost_field *f = ltk_cost_fields(&n);
    double v;
    if (f[i].kind == LTK_COST_SHARE || f[i].kind == LTK_COST_SHARE_LT1 || f[i].kind == LTK_COST_SHARE_POS ||
        f[i].kind == LTK_COST_RATE) {
        const char *why = ltk_cost_parse_share(text, &v);
        if (why) {
            ltk_cli_fail(prog, "%s: expected %s, got '%s'", f[i].option, why, text);
            return false;
        }
    } else if (!ltk_cli_number(prog, f[i].option, text, &v)) {
        return false;
    }
    *ltk_cost_slot(in, i) = v;
    return true;
}

static int show_text(FILE *fp, const struct ltk_cli_view *v)
{
    return ltk_cost_write_table(fp, v->data, v->color);
}

struct hpa_view {
    const struct ltk_cost_result *r;
    const struct ltk_cost_hpa *h;
};

static int write_hpa(FILE *fp, void *ctx, struct ltk_error *err)
{
    const struct hpa_view *v = ctx;
    return ltk_cost_write_hpa(fp, v->r, v->h, err);
}

static cJSON *show_json(const struct ltk_cli_view *v)
{
    return ltk_cost_to_json(v->data);
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off(); /* the USL fit of --capacity and --capacity-run */
    struct ltk_cost_input in;
    ltk_cost_input_init(&in);
    size_t nfields;
    const struct ltk_cost_field *fields = ltk_cost_fields(&nfields);
    for (size_t i = 0; i < nfields; i++)
        if (strcmp(options[i].name, fields[i].option + 2) != 0) { /* the table above is out of order */
            ltk_cli_fail(prog, "internal error: option %s does not match %s", options[i].name, fields[i].option);
            return LTK_EXIT_USAGE;
        }
    struct ltk_cli_out out = { 0 };
    const char *plan = NULL, *capacity = NULL, *rate_from = NULL, *rate_endpoint = NULL;
    const char *capacity_run = NULL, *slo = NULL;
    struct ltk_cost_hpa hpa = { 0 };
    bool want_hpa = false, hpa_named = false;
    bool typed_capacity = false, typed_rate = false;
    int c;
    while ((c = ltk_cli_getopt(prog, argc, argv, "o:hV", options)) != -1) {
        if (c >= OPT_FIELD && (size_t)(c - OPT_FIELD) < nfields) {
            if (!set_field(&in, (size_t)(c - OPT_FIELD), optarg))
                return LTK_EXIT_USAGE;
            typed_capacity = typed_capacity || strcmp(fields[c - OPT_FIELD].key, "capacity_per_instance") == 0;
            typed_rate = typed_rate || strcmp(fields[c - OPT_FIELD].key, "rate_per_user") == 0;
            continue;
        }
        switch (c) {
        case OPT_JOURNEY: in.journey = true; break;
        case OPT_PLAN: plan = optarg; break;
        case OPT_CAPACITY: capacity = optarg; break;
        case OPT_RATE_FROM: rate_from = optarg; break;
        case OPT_RATE_ENDPOINT: rate_endpoint = optarg; break;
        case OPT_CAPACITY_RUN: capacity_run = optarg; break;
        case OPT_SLO: slo = optarg; break;
        case OPT_HPA: want_hpa = true; break;
        case OPT_DEPLOYMENT: hpa.deployment = optarg; hpa_named = true; break;
        case OPT_HPA_NAME: hpa.name = optarg; hpa_named = true; break;
        case OPT_NAMESPACE: hpa.ns = optarg; hpa_named = true; break;
        case OPT_QUEUE_METRIC: hpa.queue_metric = optarg; hpa_named = true; break;
        default:
            if (!ltk_cli_out_option(&out, c, optarg))
                return ltk_cli_std_option(prog, c, usage);
        }
    }
    if (optind < argc) {
        ltk_cli_fail(prog, "unexpected argument '%s' (ltk cost takes options only; see --help)", argv[optind]);
        return LTK_EXIT_USAGE;
    }
    if (((capacity || capacity_run) && typed_capacity) || (rate_from && typed_rate)) {
        ltk_cli_fail(prog, "%s: give the number or where to take it from, not both",
                     capacity && typed_capacity       ? "--capacity and --capacity-per-instance"
                     : capacity_run && typed_capacity ? "--capacity-run and --capacity-per-instance"
                                                      : "--rate-from and --rate-per-user");
        return LTK_EXIT_USAGE;
    }
    if (capacity && capacity_run) {
        ltk_cli_fail(prog, "--capacity and --capacity-run: give one of them");
        return LTK_EXIT_USAGE;
    }
    if (slo && !capacity && !capacity_run) {
        ltk_cli_fail(prog, "--slo needs --capacity FILE or --capacity-run RUN (a typed "
                           "--capacity-per-instance is taken to meet your SLO already)");
        return LTK_EXIT_USAGE;
    }
    if (hpa_named && !want_hpa) {
        ltk_cli_fail(prog, "--deployment, --hpa-name, --namespace and --queue-metric need --hpa");
        return LTK_EXIT_USAGE;
    }
    if (want_hpa && (out.format == LTK_FMT_JSON || out.pretty)) {
        ltk_cli_fail(prog, "--hpa writes YAML: it cannot be combined with --json or --pretty");
        return LTK_EXIT_USAGE;
    }
    if (rate_endpoint && !rate_from) {
        ltk_cli_fail(prog, "--rate-endpoint needs --rate-from RUN");
        return LTK_EXIT_USAGE;
    }
    struct ltk_error err;
    ltk_error_clear(&err);
    if (want_hpa && ltk_cost_hpa_validate(&hpa, &err)) {
        ltk_cli_error(prog, &err);
        return LTK_EXIT_USAGE;
    }
    if (slo) { /* checked here, to show where it is wrong */
        struct ltk_capacity_slo check = { 0 };
        int rc = ltk_capacity_slo_add(&check, slo, &err);
        ltk_capacity_slo_release(&check);
        if (rc) {
            ltk_cli_bad_expression(prog, "--slo", &err, slo);
            return LTK_EXIT_USAGE;
        }
    }
    if (capacity && ltk_cost_capacity_from_file(&in, capacity, slo, &err)) {
        ltk_cli_error(prog, &err);
        return LTK_EXIT_USAGE;
    }
    if (capacity_run) {
        struct ltk_run run;
        ltk_run_init(&run);
        int rc = ltk_run_load(&run, capacity_run, &err);
        if (rc == LTK_OK) {
            ltk_cli_print_warnings(prog, &run);
            rc = ltk_cost_capacity_from_run(&in, &run, slo, &err);
        }
        ltk_run_release(&run);
        if (rc) {
            ltk_cli_error(prog, &err);
            return LTK_EXIT_USAGE;
        }
    }
    if (rate_from) {
        struct ltk_run run;
        ltk_run_init(&run);
        int rc = ltk_run_load(&run, rate_from, &err);
        if (rc == LTK_OK) {
            ltk_cli_print_warnings(prog, &run);
            rc = ltk_cost_rate_from_run(&in, &run, rate_endpoint, &err);
        }
        ltk_run_release(&run);
        if (rc) {
            ltk_cli_error(prog, &err);
            return LTK_EXIT_USAGE;
        }
    }
    if (plan && ltk_cost_read_plan(&in, plan, &err)) {
        ltk_cli_error(prog, &err);
        return LTK_EXIT_USAGE;
    }
    if (ltk_cost_validate(&in, &err)) {
        ltk_cli_error(prog, &err);
        return LTK_EXIT_USAGE;
    }
    struct ltk_cost_result r;
    ltk_cost_compute(&in, &r);
    int status = (r.rate.present && r.rate.exceeded) || (r.scaling.present && r.scaling.exceeds_max)
                     ? LTK_EXIT_FINDING
                     : LTK_EXIT_OK;
    if (want_hpa) {
        if (!r.scaling.present) {
            ltk_cli_fail(prog, "--hpa needs a scaling plan: --target-users, --instance-price and a capacity "
                               "(--capacity-per-instance, --capacity or --capacity-run)");
            return LTK_EXIT_USAGE;
        }
        if (r.scaling.exceeds_max)
            ltk_cli_fail(prog, "warning: the plan needs %.0f replicas, more than maxReplicas %.0f "
                               "(give --max-replicas %.0f or more)",
                         r.scaling.instances, r.scaling.max_replicas, r.scaling.instances);
        struct hpa_view hv = { &r, &hpa };
        if (!ltk_cli_write(prog, out.path, write_hpa, &hv))
            status = LTK_EXIT_USAGE;
        return ltk_cli_finish(prog, status);
    }
    if (!ltk_cli_show(prog, &out, show_text, show_json, &r, NULL))
        status = LTK_EXIT_USAGE;
    return ltk_cli_finish(prog, status);
}

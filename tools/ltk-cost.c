/* ltk-cost: capacity and cost planning in the teaching module's terms —
 * caching savings, rate-limit headroom, instances and $/month, and the
 * module's optimisation journey.  All arithmetic is in lib/analyze/cost.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
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
            "scaling plan:\n"
            "  --capacity-per-instance USERS  users one instance holds (measured), or\n"
            "  --capacity FILE          take it from ltk capacity --json output (its\n"
            "                           measured capacity, else the predicted one)\n"
            "  --target-users N         users to serve\n"
            "  --instance-price USD     price of one instance per month\n"
            "  --fixed-cost USD         other monthly costs (cache, load balancer)\n"
            "  --requests-per-month N   for the cost per 1000 requests\n"
            "the module:\n"
            "  --journey                the module's optimisation journey, vertical\n"
            "                           scaling and upgrade examples as tables\n"
            "\n"
            "options:\n"
            "  --plan FILE              read inputs from a JSON plan (schema\n"
            "                           ltk.cost-plan/1); options given override it\n"
            "  --json                   JSON (schema ltk.cost/1)\n"
            "  --pretty                 indent the JSON\n"
            "  -o, --output F           write to F (atomically) instead of standard output\n"
            "      --no-color           no colours (also when NO_COLOR is set)\n"
            "  -h, --help               show this help\n"
            "  -V, --version            show the version\n"
            "\n"
            "Prices in USD; derived figures rounded to 12 significant digits.\n"
            "Exit status: 0 success, 1 the rate limit is exceeded, 2 usage or input error.\n");
}

enum {
    OPT_PLAN = 256,
    OPT_JOURNEY,
    OPT_CAPACITY,
    OPT_RATE_FROM,
    OPT_RATE_ENDPOINT,
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
    { "journey", no_argument, NULL, OPT_JOURNEY },
    { "capacity", required_argument, NULL, OPT_CAPACITY },
    { "rate-from", required_argument, NULL, OPT_RATE_FROM },
    { "rate-endpoint", required_argument, NULL, OPT_RATE_ENDPOINT },
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
    if (f[i].kind == LTK_COST_SHARE || f[i].kind == LTK_COST_SHARE_LT1) {
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

static cJSON *show_json(const struct ltk_cli_view *v)
{
    return ltk_cost_to_json(v->data);
}

int main(int argc, char **argv)
{
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
        default:
            if (!ltk_cli_out_option(&out, c, optarg))
                return ltk_cli_std_option(prog, c, usage);
        }
    }
    if (optind < argc) {
        ltk_cli_fail(prog, "unexpected argument '%s' (ltk cost takes options only; see --help)", argv[optind]);
        return LTK_EXIT_USAGE;
    }
    if ((capacity && typed_capacity) || (rate_from && typed_rate)) {
        ltk_cli_fail(prog, "%s: give the number or where to take it from, not both",
                     capacity && typed_capacity ? "--capacity and --capacity-per-instance"
                                                : "--rate-from and --rate-per-user");
        return LTK_EXIT_USAGE;
    }
    if (rate_endpoint && !rate_from) {
        ltk_cli_fail(prog, "--rate-endpoint needs --rate-from RUN");
        return LTK_EXIT_USAGE;
    }
    struct ltk_error err;
    ltk_error_clear(&err);
    if (capacity && ltk_cost_capacity_from_file(&in, capacity, &err)) {
        ltk_cli_error(prog, &err);
        return LTK_EXIT_USAGE;
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
    int status = r.rate.present && r.rate.exceeded ? LTK_EXIT_FINDING : LTK_EXIT_OK;

    if (!ltk_cli_show(prog, &out, show_text, show_json, &r, NULL))
        status = LTK_EXIT_USAGE;
    return ltk_cli_finish(prog, status);
}

/* ltk-decide: should you load test at all?  Module M3.4's scored framework
 * (Section 6) from flags, an answers file or questions, and the module's
 * scenarios.  All rules live in lib/analyze/decide.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ltk/analyze/decide.h"
#include "ltk/base/json.h"

static const char *const prog = "ltk-decide";

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ltk decide --daily-users N --growth PCT [--[no-]sla]\n"
            "                  [--[no-]staging-matches-prod] [--[no-]architecture-stable]\n"
            "                  [--[no-]revenue-risk] [--[no-]infrastructure-decision]\n"
            "       ltk decide --answers FILE\n"
            "       ltk decide --scenario NAME|list\n"
            "       ltk decide                (asks the questions; standard input must be a terminal)\n"
            "\n"
            "Score whether load testing is worth it, with the framework of module M3.4,\n"
            "Section 6: more than 500 daily users +2 (more than 100: +1), growth above\n"
            "15%% a month +2 (above 5%%: +1), an SLA +3, staging unlike production -2,\n"
            "an unstable architecture -1.  Out of 7: 5 or more yes (priority high),\n"
            "3 or 4 consider (medium), less skip (low).\n"
            "\n"
            "Then the module's Decision Framework, its five questions in order, each\n"
            "answer ending the walk or going on: 1. a growth trajectory (above 5%% a\n"
            "month)? no: skip, monitor; 2. staging matches production? no: fix it first;\n"
            "3. an SLA or revenue risk? yes: load test now (high); 4. infrastructure\n"
            "decisions soon? no: monitor, test later; 5. architecture stable? no:\n"
            "optimise first, yes: load test to find the limits.  ltk says whether the\n"
            "score and the framework agree, and for the module's scenarios whether\n"
            "each agrees with the module's own answer.\n"
            "\n"
            "options:\n"
            "  --daily-users N              daily active users (0 or more)\n"
            "  --growth PCT                 monthly growth in percent (-100 or more)\n"
            "  --sla, --no-sla              performance is promised in a contract (default no)\n"
            "  --staging-matches-prod, --no-staging-matches-prod\n"
            "                               staging resembles production (default no)\n"
            "  --architecture-stable, --no-architecture-stable\n"
            "                               the architecture is past the MVP stage (default no)\n"
            "  --revenue-risk, --no-revenue-risk\n"
            "                               slowness or an outage costs revenue (default no;\n"
            "                               the framework's question 3, not scored)\n"
            "  --infrastructure-decision, --no-infrastructure-decision\n"
            "                               an upgrade or scaling decision is due (default no;\n"
            "                               the framework's question 4, not scored)\n"
            "  --answers FILE               read the answers from a JSON object (\"-\": stdin):\n"
            "                               daily_users, growth_pct, sla, staging_matches_prod,\n"
            "                               architecture_stable, revenue_risk,\n"
            "                               infrastructure_decision\n"
            "  --scenario NAME              one of the module's scenarios; \"list\" lists them\n"
            "  --json                       JSON (schema ltk.decision/1)\n");
    ltk_cli_help_common(out, 31, LTK_HELP_PRETTY | LTK_HELP_OUTPUT | LTK_HELP_STD);
    fprintf(out,
            "\n"
            "Exit status: 0 a decision was made (whatever it is), 2 usage or input error.\n");
}

enum {
    OPT_USERS = 256, OPT_GROWTH, OPT_SLA, OPT_NO_SLA, OPT_STAGING, OPT_NO_STAGING, OPT_ARCH, OPT_NO_ARCH,
    OPT_ANSWERS, OPT_SCENARIO, OPT_REVENUE, OPT_NO_REVENUE, OPT_INFRA, OPT_NO_INFRA,
};

static const struct option options[] = {
    { "daily-users", required_argument, NULL, OPT_USERS },
    { "growth", required_argument, NULL, OPT_GROWTH },
    { "sla", no_argument, NULL, OPT_SLA },
    { "no-sla", no_argument, NULL, OPT_NO_SLA },
    { "staging-matches-prod", no_argument, NULL, OPT_STAGING },
    { "no-staging-matches-prod", no_argument, NULL, OPT_NO_STAGING },
    { "architecture-stable", no_argument, NULL, OPT_ARCH },
    { "no-architecture-stable", no_argument, NULL, OPT_NO_ARCH },
    { "revenue-risk", no_argument, NULL, OPT_REVENUE },
    { "no-revenue-risk", no_argument, NULL, OPT_NO_REVENUE },
    { "infrastructure-decision", no_argument, NULL, OPT_INFRA },
    { "no-infrastructure-decision", no_argument, NULL, OPT_NO_INFRA },
    { "answers", required_argument, NULL, OPT_ANSWERS },
    { "scenario", required_argument, NULL, OPT_SCENARIO },
    LTK_CLI_OPTION_JSON,
    LTK_CLI_OPTION_PRETTY,
    LTK_CLI_OPTION_OUTPUT,
    LTK_CLI_OPTIONS_END,
};

struct args {
    struct ltk_decide_inputs in;
    bool have_users, have_growth, have_flags;
    const char *answers, *scenario;
    struct ltk_cli_out out;
};

/* Asks the questions on the terminal (prompts on stderr, so that stdout holds
 * only the result).  Returns false at the end of input. */
static bool ask(struct ltk_decide_inputs *in)
{
    char *line = NULL;
    size_t cap = 0;
    bool ok = true;
    fprintf(stderr, "Answer five questions (module M3.4, Section 6).\n");
    for (size_t i = 0; ok && i < ltk_decide_question_count(); i++) {
        const struct ltk_decide_question *q = ltk_decide_question_at(i);
        for (;;) {
            fputs(q->prompt, stderr);
            fflush(stderr);
            if (getline(&line, &cap, stdin) < 0) {
                fputc('\n', stderr);
                ok = false;
                break;
            }
            struct ltk_error err;
            ltk_error_clear(&err);
            if (ltk_decide_answer(in, q->key, line, &err) == LTK_OK)
                break;
            fprintf(stderr, "  %s\n", err.msg);
        }
    }
    free(line);
    return ok;
}

/* What is shown: one scenario, the list of them (--scenario list) or the
 * decision. */
struct shown {
    const struct ltk_decision *d;
    const struct ltk_decide_scenario *s;
    bool list;
};

static int show_text(FILE *fp, const struct ltk_cli_view *v)
{
    const struct shown *s = v->data;
    return s->s ? ltk_decide_write_scenario(fp, s->s)
         : s->list ? ltk_decide_write_scenario_list(fp) : ltk_decide_write_text(fp, s->d);
}

static cJSON *show_json(const struct ltk_cli_view *v)
{
    const struct shown *s = v->data;
    return s->s ? ltk_decide_scenario_to_json(s->s) : s->list ? ltk_decide_scenarios_to_json() : ltk_decide_to_json(s->d);
}

int main(int argc, char **argv)
{
    struct args a = { 0 };
    int c;
    while ((c = ltk_cli_getopt(prog, argc, argv, "o:hV", options)) != -1) {
        switch (c) {
        case OPT_USERS:
            if (!ltk_cli_number(prog, "--daily-users", optarg, &a.in.daily_users))
                return LTK_EXIT_USAGE;
            a.have_users = a.have_flags = true;
            break;
        case OPT_GROWTH:
            if (!ltk_cli_number(prog, "--growth", optarg, &a.in.growth_pct))
                return LTK_EXIT_USAGE;
            a.have_growth = a.have_flags = true;
            break;
        case OPT_SLA: a.in.sla = a.have_flags = true; break;
        case OPT_NO_SLA: a.in.sla = false; a.have_flags = true; break;
        case OPT_STAGING: a.in.staging_matches_prod = a.have_flags = true; break;
        case OPT_NO_STAGING: a.in.staging_matches_prod = false; a.have_flags = true; break;
        case OPT_ARCH: a.in.architecture_stable = a.have_flags = true; break;
        case OPT_NO_ARCH: a.in.architecture_stable = false; a.have_flags = true; break;
        case OPT_REVENUE: a.in.revenue_risk = a.have_flags = true; break;
        case OPT_NO_REVENUE: a.in.revenue_risk = false; a.have_flags = true; break;
        case OPT_INFRA: a.in.infrastructure_decision = a.have_flags = true; break;
        case OPT_NO_INFRA: a.in.infrastructure_decision = false; a.have_flags = true; break;
        case OPT_ANSWERS: a.answers = optarg; break;
        case OPT_SCENARIO: a.scenario = optarg; break;
        default:
            if (!ltk_cli_out_option(&a.out, c, optarg))
                return ltk_cli_std_option(prog, c, usage);
        }
    }
    if (optind < argc) {
        ltk_cli_fail(prog, "unexpected argument (ltk decide reads no files; see --help)");
        return LTK_EXIT_USAGE;
    }
    if ((a.scenario != NULL) + (a.answers != NULL) + a.have_flags > 1) {
        ltk_cli_fail(prog, "give the answers one way: flags, --answers or --scenario");
        return LTK_EXIT_USAGE;
    }

    struct ltk_error err;
    ltk_error_clear(&err);
    const struct ltk_decide_scenario *scenario = NULL;
    struct ltk_decision d;
    memset(&d, 0, sizeof d);
    if (a.scenario) {
        if (strcmp(a.scenario, "list") != 0 && !(scenario = ltk_decide_scenario_find(a.scenario, &err))) {
            ltk_cli_error(prog, &err);
            return LTK_EXIT_USAGE;
        }
    } else {
        if (a.answers) {
            if (ltk_decide_load_answers(a.answers, &a.in, &err)) {
                ltk_cli_error(prog, &err);
                return LTK_EXIT_USAGE;
            }
        } else if (a.have_flags) {
            if (!a.have_users || !a.have_growth) {
                ltk_cli_fail(prog, "missing %s (both --daily-users and --growth are needed)",
                             a.have_users ? "--growth" : "--daily-users");
                return LTK_EXIT_USAGE;
            }
        } else if (isatty(STDIN_FILENO)) {
            if (!ask(&a.in)) {
                ltk_cli_fail(prog, "no answer: input ended before the last question");
                return LTK_EXIT_USAGE;
            }
        } else {
            ltk_cli_fail(prog, "no answers: give --daily-users and --growth, --answers FILE or "
                               "--scenario NAME (see --help)");
            return LTK_EXIT_USAGE;
        }
        if (ltk_decide_score(&a.in, &d, &err)) {
            ltk_cli_error(prog, &err);
            return LTK_EXIT_USAGE;
        }
    }

    struct shown shown = { &d, scenario, a.scenario != NULL };
    int status = ltk_cli_show(prog, &a.out, show_text, show_json, &shown, NULL) ? LTK_EXIT_OK : LTK_EXIT_USAGE;
    return ltk_cli_finish(prog, status);
}

/* ltk-check: did a run pass?  Detects the test type, applies the module's
 * success criteria for it (or the user's), and reports each criterion with
 * its measured value and limit; JSON and JUnit XML for CI. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ltk/analyze/check.h"
#include "ltk/read/load.h"
#include "ltk/read/metrics.h"
#include "ltk/read/rawlog.h"
#include "ltk/analyze/criteria.h"
#include "ltk/read/csv.h"
#include "ltk/base/num.h"
#include "ltk/model/run.h"

static const char *const prog = "ltk-check";

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ltk check [options] RUN\n"
            "\n"
            "Check a Locust run against success criteria: the module's built-in profile\n"
            "for its test type (detected from users over time, or given with --type), or\n"
            "your own criteria.  RUN is a Locust --csv prefix, a directory or a file.\n"
            "\n"
            "options:\n"
            "  -t, --type T        smoke, load, stress, spike or soak (default: detected)\n"
            "  -c, --criterion E   a criterion such as 'p95<2s' or '/query: p99<3s over 60s'\n"
            "                      (repeatable; replaces the built-in profile)\n"
            "      --criteria F    read criteria from F, one per line, '#' comments\n"
            "      --skip D        drop the first D of the history (30s, 2m) from windowed\n"
            "                      and phase values (whole-run values stay whole: unlike\n"
            "                      --from, which leaves it out of the run itself)\n"
            "  -m, --metrics F     resource samples CSV of the system under test (cpu,\n"
            "                      mem, connections, queue_depth, net_rx/net_tx columns)\n"
            "                      for criteria such as 'cpu<80%%', 'mem_growth<10MB/h'\n"
            "                      and the soak profile's stable_memory\n"
            "      --apdex-t T     Apdex threshold of 'apdex' criteria (default 500ms;\n"
            "                      'apdex_2s' sets its own)\n"
            "      --junit F       also write JUnit XML to F (atomically)\n"
            "      --json          JSON (schema ltk.check/1)\n");
    ltk_cli_help_common(out, 22,
                        LTK_HELP_PRETTY | LTK_HELP_PRETTY_LONG_INDENT | LTK_HELP_OUTPUT | LTK_HELP_NO_COLOR | LTK_HELP_STD);
    fprintf(out,
            "\n"
            LTK_CLI_HELP_SELECT
            "\n"
            "Built-in profiles (module M3.4, section 3 table):\n");
    /* listed from the table in lib/analyze/check.c, the one place the rules live */
    size_t n;
    const struct ltk_builtin_criterion *b = ltk_check_builtins(&n);
    for (size_t i = 0; i < n; i++) {
        bool first = i == 0 || b[i - 1].type != b[i].type;
        bool last = i + 1 == n || b[i + 1].type != b[i].type;
        if (first)
            fprintf(out, "  %-7s", ltk_test_type_name(b[i].type));
        fprintf(out, " %s%s", b[i].expr, last ? "\n" : ",");
    }
    fprintf(out,
            "breaking_point, stable, stable_memory and recovered, and the language, are\n"
            "described in docs/criteria.md; the metrics file in docs/metrics.md.\n"
            "Exit status: 0 all criteria hold, 1 a criterion failed, 2 usage or input error,\n"
            "or no criterion could be evaluated (all n/a).\n");
}

enum { OPT_JUNIT = 256, OPT_APDEX_T };

static const struct option options[] = {
    LTK_CLI_OPTIONS_CRITERIA,
    { "junit", required_argument, NULL, OPT_JUNIT },
    { "apdex-t", required_argument, NULL, OPT_APDEX_T },
    { "metrics", required_argument, NULL, 'm' },
    LTK_CLI_OPTIONS_OUTPUT,
    LTK_CLI_OPTIONS_SELECT,
    LTK_CLI_OPTIONS_END,
};

static int write_junit(FILE *fp, void *ctx, struct ltk_error *err)
{
    (void)err;
    return ltk_check_write_junit(fp, ctx);
}

static int show_text(FILE *fp, const struct ltk_cli_view *v)
{
    return ltk_check_write_table(fp, v->data, v->color);
}

static cJSON *show_json(const struct ltk_cli_view *v)
{
    return ltk_check_to_json(v->data);
}

int main(int argc, char **argv)
{
    struct ltk_cli_criteria cc = LTK_CLI_CRITERIA_INIT;
    struct ltk_cli_out out = { 0 };
    const char *junit = NULL, *metrics_path = NULL;
    int status = LTK_EXIT_OK;
    struct ltk_error err;
    bool ok = true;
    int c;
    while ((c = ltk_cli_getopt(prog, argc, argv, "t:c:o:m:hV", options)) != -1) {
        if (c == OPT_JUNIT)
            junit = optarg;
        else if (c == 'm')
            metrics_path = optarg;
        else if (c == OPT_APDEX_T)
            ok = ltk_cli_apdex_t(prog, optarg, &cc.check.apdex_t_ms);
        else if (!ltk_cli_criteria_option(prog, c, optarg, &cc, &ok) && !ltk_cli_out_option(&out, c, optarg) &&
                 !ltk_cli_select_option(prog, c, optarg, &ok)) {
            ltk_cli_criteria_release(&cc);
            return ltk_cli_std_option(prog, c, usage);
        }
        if (!ok) {
            ltk_cli_criteria_release(&cc);
            return LTK_EXIT_USAGE;
        }
    }
    if (!ltk_cli_criteria_finish(prog, &cc) || !ltk_cli_one_run(prog, argc - optind)) {
        ltk_cli_criteria_release(&cc);
        return LTK_EXIT_USAGE;
    }

    struct ltk_run run;
    ltk_run_init(&run);
    ltk_error_clear(&err);
    struct ltk_metrics mx;
    ltk_metrics_init(&mx);
    if (metrics_path) {
        if (ltk_metrics_read(metrics_path, &mx, &err)) {
            ltk_cli_error(prog, &err);
            ltk_cli_criteria_release(&cc);
            return LTK_EXIT_USAGE;
        }
        cc.check.metrics = &mx;
    }
    struct ltk_check_report rep;
    memset(&rep, 0, sizeof rep);
    bool have_rep = false;
    /* a raw log counts successes at the criteria's times exactly while read */
    double cuts[LTK_CLI_MAX_CUTS];
    size_t ncuts = 0;
    struct ltk_rawlog_options raw = LTK_RAWLOG_OPTIONS_DEFAULT;
    if (ltk_check_cuts(&cc.check, cuts, &ncuts, LTK_CLI_MAX_CUTS) == 0) {
        raw.cuts = cuts;
        raw.ncuts = ncuts;
    }
    if (!ltk_cli_load(prog, &run, argv[optind], &raw)) {
        status = LTK_EXIT_USAGE;
    } else {
        ltk_error_clear(&err);
        if (ltk_check_run(&run, &cc.check, &rep, &err)) {
            ltk_cli_error(prog, &err);
            status = LTK_EXIT_USAGE;
        } else {
            have_rep = true;
        }
    }
    if (have_rep && junit && !ltk_cli_write(prog, junit, write_junit, &rep))
        status = LTK_EXIT_USAGE;
    if (have_rep && status == LTK_EXIT_OK) {
        ltk_error_clear(&err);
        out.runs = &run;
        out.nruns = 1;
        if (!ltk_cli_show(prog, &out, show_text, show_json, &rep, NULL))
            status = LTK_EXIT_USAGE;
        else if (ltk_check_evaluated(&rep, &err)) {
            /* all n/a: the table says why per criterion; never a silent pass */
            ltk_cli_error(prog, &err);
            status = LTK_EXIT_USAGE;
        } else if (rep.nfail)
            status = LTK_EXIT_FINDING;
    }
    ltk_check_report_release(&rep);
    ltk_run_release(&run);
    ltk_metrics_release(&mx);
    ltk_cli_criteria_release(&cc);
    return ltk_cli_finish(prog, status);
}

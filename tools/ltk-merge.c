/* ltk-merge: summaries (ltk.summary/2) into one, exactly as if their logs
 * had been summarised together: the reduce step of a scale-out. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "ltk/read/summary_json.h"
#include "ltk/model/summary.h"

static const char *const prog = "ltk-merge";

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ltk merge [options] SUMMARY... [-o all.ltk.json]\n"
            "\n"
            "Merge summaries written by \"ltk summarize\" (or by ltk merge) into one.  The\n"
            "result is the summary \"ltk summarize\" writes for all their logs, in the\n"
            "order given, byte for byte.  All must share --method, --interval,\n"
            "--percentiles, --fold and --max-names.\n"
            "\n"
            "options:\n");
    ltk_cli_help_common(out, 19, LTK_HELP_OUTPUT | LTK_HELP_STD);
    fprintf(out,
            "\n"
            "Exit status: 0 success, 2 usage or input error.\n");
}

static const struct option options[] = {
    LTK_CLI_OPTION_OUTPUT,
    LTK_CLI_OPTIONS_END,
};

int main(int argc, char **argv)
{
    const char *output = NULL;
    int c;
    while ((c = ltk_cli_getopt(prog, argc, argv, "o:hV", options)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        default: return ltk_cli_std_option(prog, c, usage);
        }
    }
    if (optind >= argc) {
        ltk_cli_fail(prog, "no input: give the summaries to merge (see --help)");
        return LTK_EXIT_USAGE;
    }
    struct ltk_summary all;
    ltk_summary_init(&all);
    struct ltk_error err;
    int status = LTK_EXIT_OK;
    for (int i = optind; i < argc && status == LTK_EXIT_OK; i++) {
        ltk_error_clear(&err);
        /* the first read whole, each further one merged into it as it is read */
        int rc = i == optind ? ltk_summary_load(&all, argv[i], &err) : ltk_summary_load_merge(&all, argv[i], &err);
        if (rc && !err.file[0])
            snprintf(err.file, sizeof err.file, "%s", argv[i]);
        if (rc) {
            ltk_cli_error(prog, &err);
            status = LTK_EXIT_USAGE;
        }
    }
    if (status == LTK_EXIT_OK && !ltk_cli_write_summary(prog, output, &all))
        status = LTK_EXIT_USAGE;
    ltk_summary_release(&all);
    return ltk_cli_finish(prog, status);
}

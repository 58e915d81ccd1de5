/* ltk-summarize: raw request logs into one mergeable summary (ltk.summary/2)
 * that every other tool reads like the logs themselves. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ltk/read/locust_json.h"
#include "ltk/read/load.h"
#include "ltk/read/summary_json.h"
#include "ltk/base/num.h"
#include "ltk/read/rawlog.h"
#include "ltk/model/summary.h"

static const char *const prog = "ltk-summarize";

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ltk summarize [options] LOG... [-o run.ltk.json]\n"
            "\n"
            "Summarise raw request logs (a Locust request hook or CsvRequestLogger,\n"
            "JMeter JTL CSV, k6 CSV; gzip too) and Locust's --json statistics (with\n"
            "--method locust; no intervals) into one mergeable summary: per endpoint,\n"
            "in total and per interval the histogram of response times by --method,\n"
            "counts, failures by error text, sizes; the sources and the time span.\n"
            "Several logs are summarised as if read one after the other; \"ltk merge\"\n"
            "of their summaries gives the same file.  Every ltk tool reads a summary\n"
            "wherever it reads a run.\n"
            "\n"
            "options:\n");
    ltk_cli_help_common(out, 19, LTK_HELP_OUTPUT);
    fprintf(out,
            "  --method M       histograms for hdr (default; relative error <= 0.1%%),\n"
            "                   locust (Locust's own algorithm) or exact (every time)\n"
            "  --percentiles L  percents the summary reports (default Locust's set)\n"
            "  --interval T     interval of the per-interval histograms (default: 1s,\n"
            "                   coarser past 1000 s so there are at most 1000)\n"
            "  --fold           fold ids in names: /item/123 -> /item/{id}\n"
            "  --max-names N    distinct names kept (default 1000); the rest: '(other)'\n"
            "  --skip-bad       skip malformed rows, count and report them\n"
            LTK_CLI_HELP_COLUMNS);
    ltk_cli_help_common(out, 19, LTK_HELP_STD);
    fprintf(out,
            "\n"
            "Summaries merge only when --method, --interval, --percentiles, --fold and\n"
            "--max-names are the same.\n"
            "Exit status: 0 success, 2 usage or input error.\n");
}

static const struct option options[] = {
    LTK_CLI_OPTION_OUTPUT,
    LTK_CLI_OPTIONS_RAW,
    LTK_CLI_OPTIONS_END,
};

/* Warnings about what was odd in the logs, as ltk stats shows them. */
static void warn_summary(const struct ltk_summary *s)
{
    for (size_t i = 0; i < s->nsources; i++)
        if (s->sources[i].skipped)
            fprintf(stderr, "%s: warning: %s: skipped %llu malformed row(s) (--skip-bad); the first: %s\n", prog,
                    s->sources[i].path, (unsigned long long)s->sources[i].skipped, s->sources[i].first_bad);
    if (s->other_requests)
        fprintf(stderr,
                "%s: warning: more than %zu distinct names: %llu request(s) of further names are counted in "
                "one '(other)' row (--fold folds ids in names)\n",
                prog, s->max_names, (unsigned long long)s->other_requests);
}

int main(int argc, char **argv)
{
    struct ltk_rawlog_options raw = LTK_RAWLOG_OPTIONS_DEFAULT;
    const char *output = NULL;
    bool ok = true;
    int c;
    while ((c = ltk_cli_getopt(prog, argc, argv, "o:hV", options)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        default:
            if (!ltk_cli_raw_option(prog, c, optarg, &raw, LTK_SUMMARY_MAX_ENDPOINTS, &ok))
                return ltk_cli_std_option(prog, c, usage);
            if (!ok)
                return LTK_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        ltk_cli_fail(prog, "no input: give one or more raw request logs (see --help)");
        return LTK_EXIT_USAGE;
    }
    if (raw.interval_s == LTK_RAWLOG_INTERVAL_AUTO) {
        /* one interval for all the logs, so that they merge: the coarsest any of them needs */
        int64_t widest = 1;
        for (int i = optind; i < argc; i++) {
            double span;
            int64_t v = ltk_rawlog_auto_interval(argv[i], &raw, &span);
            if (v > widest)
                widest = v;
        }
        raw.interval_s = widest;
    }
    struct ltk_summary all;
    ltk_summary_init(&all);
    struct ltk_error err;
    int status = LTK_EXIT_OK;
    for (int i = optind; i < argc && status == LTK_EXIT_OK; i++) {
        if (ltk_summary_sniff(argv[i])) {
            ltk_cli_fail(prog, "%s: is JSON, not a request log (to combine summaries, use ltk merge)", argv[i]);
            status = LTK_EXIT_USAGE;
            break;
        }
        struct ltk_summary one;
        ltk_summary_init(&one);
        ltk_error_clear(&err);
        struct ltk_summary *into = i == optind ? &all : &one;
        int rc;
        if (ltk_locust_json_sniff(argv[i])) {
            rc = ltk_locust_json_summarize(into, NULL, argv[i], &raw, &err);
        } else {
            rc = ltk_rawlog_summarize(into, argv[i], &raw, &err);
            if (rc == LTK_OK)
                rc = ltk_summary_users_from_history(into, argv[i], &err);
        }
        if (rc == LTK_OK && i > optind)
            rc = ltk_summary_merge(&all, &one, &err);
        ltk_summary_release(&one);
        if (rc) {
            ltk_cli_error(prog, &err);
            status = LTK_EXIT_USAGE;
        }
    }
    if (status == LTK_EXIT_OK) {
        warn_summary(&all);
        if (!ltk_cli_write_summary(prog, output, &all))
            status = LTK_EXIT_USAGE;
    }
    ltk_summary_release(&all);
    return ltk_cli_finish(prog, status);
}

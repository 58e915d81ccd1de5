/* ltk-stats: what is in a Locust run — per-endpoint latency, throughput and
 * errors, as a terminal table, the module's brief lines, or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "ltk/base/num.h"
#include "ltk/read/load.h"
#include "ltk/read/rawlog.h"
#include "ltk/model/run.h"
#include "ltk/render/stats_view.h"

static const char *const prog = "ltk-stats";

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ltk stats [options] INPUT...\n"
            "\n"
            "Show per-endpoint requests, failures, p50/p95/p99, mean, max and RPS of\n"
            "Locust runs.  INPUT is a Locust --csv prefix (results/load reads\n"
            "results/load_stats.csv, _stats_history.csv, _failures.csv and\n"
            "_exceptions.csv, whichever exist), a directory holding one such run,\n"
            "one of those files, or a raw request log (one row per request: a Locust\n"
            "request hook or CsvRequestLogger, JMeter JTL CSV, k6 CSV; gzip too),\n"
            "recognised by its header.\n"
            "\n"
            "options:\n"
            "  --brief          one line per endpoint, in the module's notebook format\n"
            "  --json           JSON (schema ltk.stats/1); an array for several inputs\n");
    ltk_cli_help_common(out, 19, LTK_HELP_PRETTY);
    fprintf(out,
            "  --failures       list every failure after the table\n"
            "  --status         HTTP status codes and classes per endpoint\n"
            "  --ok             percentiles of the successful requests only\n"
            "  --apdex-t T      Apdex with threshold T (500ms, 0.5s) per endpoint\n"
            "  --ranges L       share of requests per response-time range, and failed\n"
            "                   (800ms,1200ms: <=800 ms, 800-1200 ms, >1200 ms)\n");
    ltk_cli_help_common(out, 19, LTK_HELP_OUTPUT | LTK_HELP_NO_COLOR);
    fprintf(out,
            "\n"
            "raw request logs:\n"
            "  --method M       percentiles by hdr (default; relative error <= 0.1%%),\n"
            "                   locust (Locust's own algorithm) or exact (nearest rank)\n"
            "  --percentiles L  percents to report (default 50,66,75,80,90,95,98,99,\n"
            "                   99.9,99.99,100: Locust's)\n"
            "  --interval T     history interval in whole seconds, 10s, 1m (default:\n"
            "                   1s, coarser past 1000 s so there are at most 1000)\n"
            "  --fold           fold ids in names: /item/123 -> /item/{id}, {uuid}, {hex}\n"
            "  --max-names N    distinct names kept (default 1000); the rest: '(other)'\n"
            "  --skip-bad       skip malformed rows, count and report them\n"
            LTK_CLI_HELP_COLUMNS
            "  --threads N      1, or 2 to read a plain log in two halves (default: two\n"
            "                   for logs over 32 MB; the result is the same)\n"
            "\n"
            LTK_CLI_HELP_SELECT
            "\n");
    ltk_cli_help_common(out, 19, LTK_HELP_STD);
    fprintf(out,
            "\n"
            "Times are in ms.  For Locust's exports the percentiles are Locust's own\n"
            "(method \"reported\"); for raw logs, those of --method.\n"
            "Exit status: 0 success, 2 usage or input error.\n");
}

enum { OPT_BRIEF = 256, OPT_FAILURES, OPT_THREADS, OPT_STATUS, OPT_OK };

static const struct option options[] = {
    { "brief", no_argument, NULL, OPT_BRIEF },
    { "failures", no_argument, NULL, OPT_FAILURES },
    { "status", no_argument, NULL, OPT_STATUS },
    { "ok", no_argument, NULL, OPT_OK },
    LTK_CLI_OPTIONS_LATENCY,
    LTK_CLI_OPTIONS_OUTPUT,
    LTK_CLI_OPTIONS_RAW,
    { "threads", required_argument, NULL, OPT_THREADS },
    LTK_CLI_OPTIONS_SELECT,
    LTK_CLI_OPTIONS_END,
};

/* What is shown: the runs, one after the other, and how. */
struct shown {
    struct ltk_run *runs;
    int n;
    bool brief, failures;
    struct ltk_view_opts sections;   /* --status, --ok, --apdex-t, --ranges */
};

static int show_text(FILE *fp, const struct ltk_cli_view *v)
{
    const struct shown *s = v->data;
    struct ltk_view_opts vo = s->sections;
    vo.color = v->color;
    vo.list_failures = s->failures;
    for (int i = 0; i < s->n; i++) {
        if (s->n > 1 && fprintf(fp, "%s==> %s <==\n", i ? "\n" : "", s->runs[i].label) < 0)
            return LTK_EIO;
        int rc = s->brief ? ltk_stats_write_brief(fp, &s->runs[i]) : ltk_stats_write_table(fp, &s->runs[i], &vo);
        if (rc)
            return rc;
    }
    return LTK_OK;
}

/* One run's document, or an array of them for several. */
static cJSON *show_json(const struct ltk_cli_view *v)
{
    const struct shown *s = v->data;
    if (s->n == 1)
        return ltk_stats_to_json_with(&s->runs[0], &s->sections);
    cJSON *doc = cJSON_CreateArray();
    for (int i = 0; doc && i < s->n; i++) {
        cJSON *one = ltk_stats_to_json_with(&s->runs[i], &s->sections);
        if (!one || !cJSON_AddItemToArray(doc, one)) {
            cJSON_Delete(one);
            cJSON_Delete(doc);
            doc = NULL;
        }
    }
    return doc;
}

/* A progress bar on standard error (only when it is a terminal and the
 * input is large: see main). */
struct bar {
    int shown;                   /* percent last drawn, -1 none */
};

static void draw_bar(void *ctx, uint64_t done, uint64_t total)
{
    struct bar *b = ctx;
    if (!total)
        return;
    int pct = (int)(done * 100 / total);
    if (pct > 100)
        pct = 100;
    if (pct == b->shown)
        return;
    b->shown = pct;
    char cells[41];
    int full = pct * 40 / 100;
    for (int i = 0; i < 40; i++)
        cells[i] = i < full ? '#' : '.';
    cells[40] = '\0';
    fprintf(stderr, "\r%s: reading [%s] %3d%% of %.0f MB", prog, cells, pct, (double)total / 1e6);
}

static void end_bar(struct bar *b)
{
    if (b->shown >= 0)
        fprintf(stderr, "\r%*s\r", 79, "");
    b->shown = -1;
}

/* Larger inputs than this get a progress bar on a terminal. */
#define BAR_MIN_BYTES (50ull << 20)

int main(int argc, char **argv)
{
    struct ltk_rawlog_options raw = LTK_RAWLOG_OPTIONS_DEFAULT;
    struct ltk_cli_out out = { 0 };
    struct shown shown = { 0 };
    bool method_given = false, ok = true;
    struct ltk_cli_latency lat = { 0 };
    int c;
    while ((c = ltk_cli_getopt(prog, argc, argv, "o:hV", options)) != -1) {
        switch (c) {
        case OPT_BRIEF: shown.brief = true; break;
        case OPT_FAILURES: shown.failures = true; break;
        case OPT_STATUS: shown.sections.status = true; break;
        case OPT_OK: shown.sections.ok = true; break;
        case OPT_THREADS:
            if (strcmp(optarg, "1") != 0 && strcmp(optarg, "2") != 0) {
                ltk_cli_fail(prog, "--threads: expected 1 or 2, got '%s'", optarg);
                return LTK_EXIT_USAGE;
            }
            raw.threads = optarg[0] - '0';
            break;
        default:
            if (ltk_cli_raw_option(prog, c, optarg, &raw, UINT64_MAX, &ok) || ltk_cli_out_option(&out, c, optarg) ||
                ltk_cli_select_option(prog, c, optarg, &ok) || ltk_cli_latency_option(prog, c, optarg, &lat, &ok))
                break;
            return ltk_cli_std_option(prog, c, usage);
        }
        if (!ok)
            return LTK_EXIT_USAGE;
        method_given = method_given || c == LTK_OPT_METHOD;
    }
    shown.sections.apdex_t_ms = lat.apdex_t_ms;
    shown.sections.ranges = lat.ranges;
    shown.sections.nranges = lat.nranges;
    if (shown.brief && (shown.sections.status || shown.sections.ok || shown.sections.apdex_t_ms > 0 ||
                        shown.sections.nranges)) {
        ltk_cli_fail(prog, "--brief has one line per endpoint: --status, --ok, --apdex-t and --ranges "
                           "go with the table or --json");
        return LTK_EXIT_USAGE;
    }
    if (shown.brief && out.format == LTK_FMT_JSON) {
        ltk_cli_fail(prog, "--brief and --json cannot be combined");
        return LTK_EXIT_USAGE;
    }
    if (optind >= argc) {
        ltk_cli_fail(prog, "no input: give a Locust --csv prefix or file (see --help)");
        return LTK_EXIT_USAGE;
    }
    /* a raw log counts successes at these times exactly while read */
    ltk_cli_latency_cuts(&lat, NULL, &raw);
    int n = argc - optind;
    struct ltk_run *runs = calloc((size_t)n, sizeof *runs);
    if (!runs) {
        ltk_cli_fail(prog, "out of memory");
        return LTK_EXIT_USAGE;
    }
    int status = LTK_EXIT_OK;
    int loaded = 0;
    struct ltk_error err;
    struct bar bar = { -1 };
    bool tty = isatty(STDERR_FILENO) == 1;
    for (; loaded < n; loaded++) {
        ltk_run_init(&runs[loaded]);
        ltk_error_clear(&err);
        struct stat st;
        bool large = stat(argv[optind + loaded], &st) == 0 && (uint64_t)st.st_size > BAR_MIN_BYTES;
        raw.progress = tty && large ? draw_bar : NULL;
        raw.progress_ctx = &bar;
        int rc = ltk_run_load_select(&runs[loaded], argv[optind + loaded], &raw, ltk_cli_selection(), &err);
        end_bar(&bar);
        if (rc) {
            ltk_cli_error(prog, &err);
            status = LTK_EXIT_USAGE;
            loaded++;
            break;
        }
        ltk_cli_print_warnings(prog, &runs[loaded]);
        if (method_given && !runs[loaded].raw_source)
            fprintf(stderr, "%s: warning: %s: --method applies to raw request logs only; "
                            "these percentiles are Locust's as exported\n",
                    prog, argv[optind + loaded]);
    }
    /* --percentiles also names the table's columns */
    struct ltk_cli_pct cols = { 0 };
    if (status == LTK_EXIT_OK && raw.percentiles) {
        if (!ltk_cli_pct_parse(prog, raw.percentiles, &cols))
            status = LTK_EXIT_USAGE;
        shown.sections.pct = cols.q;
        shown.sections.pct_label = (const char *const *)cols.label;
        shown.sections.npct = cols.n;
    }
    if (status == LTK_EXIT_OK) {
        shown.runs = runs;
        shown.n = n;
        out.runs = runs;
        out.nruns = (size_t)n;
        if (!ltk_cli_show(prog, &out, show_text, show_json, &shown, NULL))
            status = LTK_EXIT_USAGE;
    }
    for (int i = 0; i < loaded; i++)
        ltk_run_release(&runs[i]);
    free(runs);
    ltk_cli_pct_release(&cols);
    return ltk_cli_finish(prog, status);
}

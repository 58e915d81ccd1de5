/* ltk-stats: what is in a Locust run — per-endpoint latency, throughput and
 * errors, as a terminal table, the module's brief lines, or JSON. */
#include <getopt.h>
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
            "  --json           JSON (schema ltk.stats/1); an array for several inputs\n"
            "  --pretty         indent the JSON\n"
            "  --failures       list every failure after the table\n"
            "  -o, --output F   write to F (atomically) instead of standard output\n"
            "      --no-color   no colours (also when NO_COLOR is set)\n"
            "\n"
            "raw request logs:\n"
            "  --method M       percentiles by hdr (default; relative error <= 0.1%%),\n"
            "                   locust (Locust's own algorithm) or exact (nearest rank)\n"
            "  --percentiles L  percents to report (default 50,66,75,80,90,95,98,99,\n"
            "                   99.9,99.99,100: Locust's)\n"
            "  --interval T     history interval in whole seconds: 1s (default), 10s, 1m\n"
            "  --fold           fold ids in names: /item/123 -> /item/{id}, {uuid}, {hex}\n"
            "  --max-names N    distinct names kept (default 1000); the rest: '(other)'\n"
            "  --skip-bad       skip malformed rows, count and report them\n"
            "  --columns SPEC   name the columns: name=COL,time=COL[,ok=COL][,ts=COL]\n"
            "                   [,method=COL][,error=COL][,bytes=COL]\n"
            "  --threads N      1, or 2 to read a plain log in two halves (default: two\n"
            "                   for logs over 32 MB; the result is the same)\n"
            "\n"
            "  -h, --help       show this help\n"
            "  -V, --version    show the version\n"
            "\n"
            "Times are in ms.  For Locust's exports the percentiles are Locust's own\n"
            "(method \"reported\"); for raw logs, those of --method.\n"
            "Exit status: 0 success, 2 usage or input error.\n");
}

enum { OPT_BRIEF = 256, OPT_JSON, OPT_PRETTY, OPT_FAILURES, OPT_NO_COLOR, OPT_METHOD, OPT_PERCENTILES,
       OPT_INTERVAL, OPT_FOLD, OPT_MAX_NAMES, OPT_SKIP_BAD, OPT_COLUMNS, OPT_THREADS };

static const struct option options[] = {
    { "brief", no_argument, NULL, OPT_BRIEF },
    { "json", no_argument, NULL, OPT_JSON },
    { "pretty", no_argument, NULL, OPT_PRETTY },
    { "failures", no_argument, NULL, OPT_FAILURES },
    { "output", required_argument, NULL, 'o' },
    { "no-color", no_argument, NULL, OPT_NO_COLOR },
    { "method", required_argument, NULL, OPT_METHOD },
    { "percentiles", required_argument, NULL, OPT_PERCENTILES },
    { "interval", required_argument, NULL, OPT_INTERVAL },
    { "fold", no_argument, NULL, OPT_FOLD },
    { "max-names", required_argument, NULL, OPT_MAX_NAMES },
    { "skip-bad", no_argument, NULL, OPT_SKIP_BAD },
    { "columns", required_argument, NULL, OPT_COLUMNS },
    { "threads", required_argument, NULL, OPT_THREADS },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};

struct args {
    bool brief, json, pretty, failures, no_color;
    const char *output;
    struct ltk_rawlog_options raw;
    bool method_given;
};

static int write_all(FILE *out, struct ltk_run *runs, int n, const struct args *a, bool color)
{
    if (a->json) {
        cJSON *doc = n == 1 ? ltk_stats_to_json(&runs[0]) : cJSON_CreateArray();
        for (int i = 0; doc && n > 1 && i < n; i++) {
            cJSON *one = ltk_stats_to_json(&runs[i]);
            if (!one || !cJSON_AddItemToArray(doc, one)) {
                cJSON_Delete(one);
                cJSON_Delete(doc);
                doc = NULL;
            }
        }
        if (!doc)
            return LTK_ENOMEM;
        int rc = ltk_json_write(out, doc, a->pretty);
        cJSON_Delete(doc);
        return rc;
    }
    struct ltk_view_opts vo = { .color = color, .list_failures = a->failures };
    for (int i = 0; i < n; i++) {
        if (n > 1 && fprintf(out, "%s==> %s <==\n", i ? "\n" : "", runs[i].label) < 0)
            return LTK_EIO;
        int rc = a->brief ? ltk_stats_write_brief(out, &runs[i]) : ltk_stats_write_table(out, &runs[i], &vo);
        if (rc)
            return rc;
    }
    return LTK_OK;
}

struct out_ctx {
    struct ltk_run *runs;
    int n;
    const struct args *a;
    bool color;
};

static int write_ctx(FILE *fp, void *ctx, struct ltk_error *err)
{
    (void)err;
    const struct out_ctx *o = ctx;
    return write_all(fp, o->runs, o->n, o->a, o->color);
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
    struct args a = { .raw = LTK_RAWLOG_OPTIONS_DEFAULT };
    int c;
    int64_t count;
    while ((c = getopt_long(argc, argv, "o:hV", options, NULL)) != -1) {
        switch (c) {
        case OPT_BRIEF: a.brief = true; break;
        case OPT_JSON: a.json = true; break;
        case OPT_PRETTY: a.pretty = true; break;
        case OPT_FAILURES: a.failures = true; break;
        case OPT_NO_COLOR: a.no_color = true; break;
        case 'o': a.output = optarg; break;
        case OPT_METHOD:
            if (ltk_hist_method_parse(optarg, &a.raw.method)) {
                ltk_cli_fail(prog, "--method: expected hdr, locust or exact, got '%s'", optarg);
                return LTK_EXIT_USAGE;
            }
            a.method_given = true;
            break;
        case OPT_PERCENTILES: a.raw.percentiles = optarg; break;
        case OPT_INTERVAL:
            if (!ltk_cli_interval(optarg, &a.raw.interval_s)) {
                ltk_cli_fail(prog, "--interval: expected whole seconds such as 1s, 10s or 1m, got '%s'", optarg);
                return LTK_EXIT_USAGE;
            }
            break;
        case OPT_FOLD: a.raw.fold = true; break;
        case OPT_MAX_NAMES:
            if (ltk_parse_int(optarg, &count) || count < 1) {
                ltk_cli_fail(prog, "--max-names: expected a count >= 1, got '%s'", optarg);
                return LTK_EXIT_USAGE;
            }
            a.raw.max_names = (size_t)count;
            break;
        case OPT_SKIP_BAD: a.raw.skip_bad = true; break;
        case OPT_COLUMNS: a.raw.columns = optarg; break;
        case OPT_THREADS:
            if (strcmp(optarg, "1") != 0 && strcmp(optarg, "2") != 0) {
                ltk_cli_fail(prog, "--threads: expected 1 or 2, got '%s'", optarg);
                return LTK_EXIT_USAGE;
            }
            a.raw.threads = optarg[0] - '0';
            break;
        case 'h': usage(stdout); return ltk_cli_finish(prog, LTK_EXIT_OK);
        case 'V': ltk_cli_version(prog); return ltk_cli_finish(prog, LTK_EXIT_OK);
        default: usage(stderr); return LTK_EXIT_USAGE;
        }
    }
    if (a.brief && a.json) {
        ltk_cli_fail(prog, "--brief and --json cannot be combined");
        return LTK_EXIT_USAGE;
    }
    if (optind >= argc) {
        ltk_cli_fail(prog, "no input: give a Locust --csv prefix or file (see --help)");
        return LTK_EXIT_USAGE;
    }
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
        a.raw.progress = tty && large ? draw_bar : NULL;
        a.raw.progress_ctx = &bar;
        int rc = ltk_run_load_with(&runs[loaded], argv[optind + loaded], &a.raw, &err);
        end_bar(&bar);
        if (rc) {
            ltk_cli_error(prog, &err);
            status = LTK_EXIT_USAGE;
            loaded++;
            break;
        }
        ltk_cli_print_warnings(prog, &runs[loaded]);
        if (a.method_given && !runs[loaded].raw_source)
            fprintf(stderr, "%s: warning: %s: --method applies to raw request logs only; "
                            "these percentiles are Locust's as exported\n",
                    prog, argv[optind + loaded]);
    }
    if (status == LTK_EXIT_OK) {
        struct out_ctx o = { runs, n, &a, !a.output && ltk_cli_color(STDOUT_FILENO, a.no_color) };
        if (!ltk_cli_write(prog, a.output, write_ctx, &o))
            status = LTK_EXIT_USAGE;
    }
    for (int i = 0; i < loaded; i++)
        ltk_run_release(&runs[i]);
    free(runs);
    return ltk_cli_finish(prog, status);
}

/* ltk: the dispatcher.  "ltk stats ARGS" runs "ltk-stats ARGS", looked up
 * beside the ltk executable first, then on PATH (as git does). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char *const prog = "ltk";

/* The tools, one line each, for --help. */
static const struct tool {
    const char *name;
    const char *summary;
} tools[] = {
    { "stats", "per-endpoint latency (p50/p95/p99), throughput and errors of a run" },
    { "cost", "caching savings, rate-limit headroom, instances and $/month to scale" },
    { "decide", "should you load test at all? the module's score out of 7, and its scenarios" },
    { "diagnose", "name the bottleneck (rate limit, pool, CPU, memory) and what to do about it" },
    { "capacity", "levels, breaking point, knee and USL peak of a stepped or ramped run" },
    { "check", "did it pass? test type, the module's criteria or yours; JUnit for CI" },
    { "trend", "is it getting worse? slopes at constant load, leak signature, spike recovery" },
    { "report", "one HTML report of a run with charts (or a Markdown summary for a PR)" },
    { "summarize", "raw request logs into one mergeable summary (ltk.summary/2)" },
    { "merge", "summaries into one, exactly as if their logs were summarised together" },
    { "compare", "is it worse than the baseline(s)? per-endpoint changes, tests, gates for CI" },
};

/* ltk's own options (it reads them by hand below, before the command);
 * listed by the hidden --list-options like every tool's. */
static const struct option options[] = { LTK_CLI_OPTIONS_END };

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ltk [-h | --help] [-V | --version] COMMAND [ARGS...]\n"
            "\n"
            "ltk, the load-test results kit: answers from what a Locust run leaves behind.\n"
            "\n"
            "commands:\n");
    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
        fprintf(out, "  %-10s %s\n", tools[i].name, tools[i].summary);
    fprintf(out,
            "\n"
            "\"ltk COMMAND --help\" (or \"ltk help COMMAND\") shows a command's options.\n"
            "Exit status: 0 success, 1 a check failed or a problem was found, 2 usage or input error.\n");
}

/* Command names are plain words, so they can never name a path. */
static int valid_command(const char *s)
{
    if (!*s || strlen(s) > 64)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return 0;
    return 1;
}

static void exec_tool(const char *cmd, char **argv)
{
    char name[80];
    snprintf(name, sizeof name, "ltk-%s", cmd);
    argv[0] = name;

    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash) {
            char path[PATH_MAX + 80];
            snprintf(path, sizeof path, "%.*s/%s", (int)(slash - self), self, name);
            if (access(path, X_OK) == 0) {
                execv(path, argv);
                fprintf(stderr, "%s: cannot run '%s': %s\n", prog, path, strerror(errno));
                exit(LTK_EXIT_USAGE);
            }
        }
    }
    execvp(name, argv);
    if (errno == ENOENT)
        fprintf(stderr, "%s: '%s' is not an ltk command; see 'ltk --help'\n", prog, cmd);
    else
        fprintf(stderr, "%s: cannot run '%s': %s\n", prog, name, strerror(errno));
    exit(LTK_EXIT_USAGE);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return LTK_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        usage(stdout);
        return ltk_cli_finish(prog, LTK_EXIT_OK);
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        ltk_cli_version(prog);
        return ltk_cli_finish(prog, LTK_EXIT_OK);
    }
    /* hidden, for tools/completions.sh: the options, and the commands with
     * their summaries ("stats<TAB>per-endpoint latency ...") */
    if (argc == 2 && strcmp(cmd, LTK_CLI_LIST_OPTIONS) == 0) {
        ltk_cli_list_options(stdout, "hV", options);
        return ltk_cli_finish(prog, LTK_EXIT_OK);
    }
    if (argc == 2 && strcmp(cmd, "--list-commands") == 0) {
        for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
            printf("%s\t%s\n", tools[i].name, tools[i].summary);
        return ltk_cli_finish(prog, LTK_EXIT_OK);
    }
    if (strcmp(cmd, "help") == 0) {
        if (argc < 3) {
            usage(stdout);
            return ltk_cli_finish(prog, LTK_EXIT_OK);
        }
        cmd = argv[2];
        if (!valid_command(cmd)) {
            fprintf(stderr, "%s: '%s' is not an ltk command; see 'ltk --help'\n", prog, cmd);
            return LTK_EXIT_USAGE;
        }
        char help[] = "--help";
        char *args[] = { NULL, help, NULL };
        exec_tool(cmd, args);
    }
    if (cmd[0] == '-') {
        /* the tools' close spellings: "--versio" and "--hlep" name their option */
        if (!ltk_cli_near_options(prog, cmd, options))
            fprintf(stderr, "%s: unknown option '%s'\n", prog, cmd);
        usage(stderr);
        return LTK_EXIT_USAGE;
    }
    if (!valid_command(cmd)) {
        fprintf(stderr, "%s: '%s' is not an ltk command; see 'ltk --help'\n", prog, cmd);
        return LTK_EXIT_USAGE;
    }
    exec_tool(cmd, argv + 1);
    return LTK_EXIT_USAGE;
}

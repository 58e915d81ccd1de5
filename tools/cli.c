/* Shared CLI helpers (see cli.h). */
#include "cli.h"

#include "ltk/render/outfile.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ltk/base/num.h"
#include "ltk/version.h"

/* A tool stopped by a signal (Ctrl-C, kill, a closed terminal or pipe)
 * removes its temporary files before it dies, then dies of the signal as
 * it would have (the exit status says which).  Installed before main in
 * every tool; a signal the caller ignores (nohup) stays ignored. */
static void on_stop_signal(int sig)
{
    ltk_tmp_remove_all();
    signal(sig, SIG_DFL);
    raise(sig);
}

__attribute__((constructor)) static void install_stop_handlers(void)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_stop_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

void ltk_cli_error(const char *prog, const struct ltk_error *err)
{
    char buf[1200];
    fprintf(stderr, "%s: %s\n", prog, ltk_error_format(err, buf, sizeof buf));
}

void ltk_cli_fail(const char *prog, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void ltk_cli_print_warnings(const char *prog, const struct ltk_run *run)
{
    for (size_t i = 0; i < run->nwarnings; i++)
        fprintf(stderr, "%s: warning: %s\n", prog, run->warnings[i]);
}

bool ltk_cli_color(int fd, bool no_color)
{
    const char *nc = getenv("NO_COLOR");
    if (no_color || (nc && *nc))
        return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fd) == 1;
}

int ltk_cli_finish(const char *prog, int status)
{
    int bad = fflush(stdout) != 0 || ferror(stdout);
    int e = errno;
    if (fclose(stdout) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        fprintf(stderr, "%s: cannot write to standard output: %s\n", prog, strerror(e));
        return LTK_EXIT_USAGE;
    }
    return status;
}

bool ltk_cli_write(const char *prog, const char *path, ltk_cli_writer fn, void *ctx)
{
    struct ltk_error err;
    ltk_error_clear(&err);
    struct ltk_outfile out;
    if (ltk_outfile_open(&out, path, &err)) {
        ltk_cli_error(prog, &err);
        return false;
    }
    int rc = fn(out.fp, ctx, &err);
    if (rc) {
        ltk_outfile_abort(&out);
        if (err.msg[0])
            ltk_cli_error(prog, &err);
        else
            ltk_cli_fail(prog, "cannot write %s: %s", path ? path : "standard output", ltk_strerror(rc));
        return false;
    }
    if (ltk_outfile_commit(&out, &err)) {
        ltk_cli_error(prog, &err);
        return false;
    }
    return true;
}

void ltk_cli_version(const char *prog)
{
    printf("%s (ltk) %s\n", prog, LTK_VERSION);
}

bool ltk_cli_number(const char *prog, const char *opt, const char *text, double *out)
{
    const char *why = ltk_parse_real(text, out);
    if (why) {
        fprintf(stderr, "%s: %s: expected %s, got '%s'\n", prog, opt, why, text);
        return false;
    }
    return true;
}

bool ltk_cli_interval(const char *text, int64_t *out)
{
    char num[32];
    size_t n = strlen(text);
    int64_t mult = 1;
    if (n && (text[n - 1] == 's' || text[n - 1] == 'm' || text[n - 1] == 'h')) {
        mult = text[n - 1] == 's' ? 1 : text[n - 1] == 'm' ? 60 : 3600;
        n--;
    }
    int64_t v;
    if (n == 0 || n >= sizeof num)
        return false;
    memcpy(num, text, n);
    num[n] = '\0';
    if (ltk_parse_int(num, &v) || v < 1 || v > (int64_t)1 << 40)
        return false;
    *out = v * mult;
    return true;
}

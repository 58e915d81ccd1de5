/* gnuplot charts: data files, a script, posix_spawn, a time limit (see
 * ltk/render/chart.h). */
#define _GNU_SOURCE /* nftw, memmem */
#include "ltk/render/chart.h"
#include "ltk/render/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/strutil.h"
#include "ltk/base/json.h"

/* Largest output file read back. */
#define MAX_OUTPUT (16L << 20)
/* Bar labels are cut to this many code points for drawing. */
#define MAX_LABEL 40

static const char *const colors[] = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf" };

/* Script text must come from this alphabet: no quote, backquote, '@', '$',
 * backslash or line break can reach gnuplot's parser. */
static bool safe_script_text(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr(" .,:;%/()+-=_", c)))
            return false;
    }
    return true;
}

/* Appends a path as a gnuplot single-quoted string ('' stands for '). */
static bool put_quoted_path(struct ltk_buf *b, const char *path)
{
    for (const char *p = path; *p; p++)
        if ((unsigned char)*p < 0x20)
            return false;
    ltk_buf_putc(b, '\'');
    for (const char *p = path; *p; p++) {
        if (*p == '\'')
            ltk_buf_putc(b, '\'');
        ltk_buf_putc(b, *p);
    }
    ltk_buf_putc(b, '\'');
    return true;
}

/* A label as a data-file field: one line, no tab, no double quote (gnuplot
 * would take it for a quoted field), backslashes doubled, control bytes and invalid UTF-8 as
 * U+FFFD, cut to MAX_LABEL code points. */
static void put_label(struct ltk_buf *b, const char *s)
{
    size_t cps = 0;
    if (!s || !*s) {
        ltk_buf_puts(b, "(empty)");
        return;
    }
    while (*s) {
        if (cps == MAX_LABEL) {
            ltk_buf_puts(b, "\xE2\x80\xA6"); /* ... */
            return;
        }
        unsigned char c = (unsigned char)*s;
        size_t n = ltk_utf8_seq(s);
        if (c == '"')
            ltk_buf_puts(b, "\xE2\x80\x9D"); /* a closing quotation mark */
        else if (c == '\\')
            ltk_buf_puts(b, "\\\\"); /* gnuplot reads a backslash as an escape */
        else if (c == '\t' || c == '\n' || c == '\r')
            ltk_buf_putc(b, ' ');
        else if (n == 0 || c < 0x20 || c == 0x7F)
            ltk_buf_puts(b, "\xEF\xBF\xBD");
        else
            ltk_buf_append(b, s, n);
        s += n ? n : 1;
        cps++;
    }
}

static void put_number(struct ltk_buf *b, double v)
{
    if (isfinite(v))
        ltk_buf_printf(b, "%.10g", v);
    else
        ltk_buf_puts(b, "NaN");
}

size_t ltk_chart_downsample(const double *x, const double *y, size_t n, size_t buckets, double *ox, double *oy)
{
    if (buckets == 0 || n <= 2 * buckets) {
        memcpy(ox, x, n * sizeof *x);
        memcpy(oy, y, n * sizeof *y);
        return n;
    }
    double x0 = x[0], span = x[n - 1] - x[0];
    size_t out = 0, i = 0;
    for (size_t k = 0; k < buckets && i < n; k++) {
        double hi = k + 1 == buckets ? INFINITY : x0 + span * (double)(k + 1) / (double)buckets;
        size_t first = i, imin = SIZE_MAX, imax = SIZE_MAX;
        for (; i < n && (x[i] < hi || k + 1 == buckets); i++) {
            if (!isfinite(y[i]))
                continue;
            if (imin == SIZE_MAX || y[i] < y[imin])
                imin = i;
            if (imax == SIZE_MAX || y[i] > y[imax])
                imax = i;
        }
        if (i == first)
            continue;
        if (imin == SIZE_MAX) {
            ox[out] = x[first];
            oy[out++] = NAN;
            continue;
        }
        size_t a = imin < imax ? imin : imax, c = imin < imax ? imax : imin;
        ox[out] = x[a];
        oy[out++] = y[a];
        if (c != a) {
            ox[out] = x[c];
            oy[out++] = y[c];
        }
    }
    return out;
}

/* ---- files --------------------------------------------------------------- */

static int write_file(const char *path, const struct ltk_buf *b, struct ltk_error *err)
{
    if (b->failed)
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return ltk_error_set(err, LTK_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    size_t done = 0;
    while (done < b->len) {
        ssize_t k = write(fd, b->data + done, b->len - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            int e = errno;
            close(fd);
            return ltk_error_set(err, LTK_EIO, path, 0, 0, "cannot write: %s", strerror(e));
        }
        done += (size_t)k;
    }
    if (close(fd) != 0)
        return ltk_error_set(err, LTK_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    return LTK_OK;
}

static int read_file(const char *path, char **out, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return LTK_EIO;
    struct ltk_buf b;
    ltk_buf_init(&b);
    char chunk[16384];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0 && b.len <= (size_t)MAX_OUTPUT)
        ltk_buf_append(&b, chunk, k);
    bool bad = ferror(fp) || b.len > (size_t)MAX_OUTPUT;
    fclose(fp);
    if (b.failed || bad) {
        ltk_buf_release(&b);
        return b.failed ? LTK_ENOMEM : LTK_EIO;
    }
    *out = b.data;
    *len = b.len;
    return LTK_OK;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* ---- the script ------------------------------------------------------------ */

static void put_set_text(struct ltk_buf *b, const char *what, const char *text)
{
    if (text && *text)
        ltk_buf_printf(b, "set %s '%s'\n", what, text);
}

static bool has_right_axis(const struct ltk_chart *c)
{
    for (size_t i = 0; i < c->nseries; i++)
        if (c->series[i].right_axis)
            return true;
    return false;
}

static int build_script(const struct ltk_chart *c, enum ltk_chart_format fmt, const char *dir, const char *outpath,
                        size_t max_points, struct ltk_buf *s, struct ltk_error *err)
{
    int w = c->width > 0 ? c->width : 800, h = c->height > 0 ? c->height : 360;
    if (fmt == LTK_CHART_SVG)
        ltk_buf_printf(s, "set terminal svg size %d,%d dynamic mouse noenhanced font 'sans-serif,12' background '#ffffff'\n", w, h);
    else
        ltk_buf_printf(s, "set terminal pngcairo size %d,%d noenhanced font 'Sans,10' background '#ffffff'\n", w, h);
    ltk_buf_puts(s, "set output ");
    if (!put_quoted_path(s, outpath))
        return ltk_error_set(err, LTK_EINVAL, outpath, 0, 0, "temporary directory name has control characters");
    ltk_buf_puts(s, "\nset encoding utf8\nset termoption noenhanced\nset datafile separator \"\\t\"\n"
                    "set datafile missing 'NaN'\nset border 3 lc rgb '#555555'\nset tics nomirror\n"
                    "set grid ytics lc rgb '#e0e0e0'\nset key outside top center horizontal noenhanced\n"
                    "set style fill solid 0.85 noborder\n");
    put_set_text(s, "title", c->title);
    put_set_text(s, "xlabel", c->xlabel);
    put_set_text(s, "ylabel", c->ylabel);
    if (has_right_axis(c)) {
        ltk_buf_puts(s, "set y2tics\nset ytics nomirror\nset y2range [0:*]\n");
        put_set_text(s, "y2label", c->y2label);
    }
    if (c->y_from_zero)
        ltk_buf_puts(s, "set yrange [0:*]\n");
    if (c->log_x)
        ltk_buf_puts(s, "set logscale x\n");
    for (size_t i = 0; i < c->nseries; i++)
        if (c->series[i].style == LTK_CHART_BARS) {
            ltk_buf_printf(s, "set boxwidth 0.6 absolute\nset xrange [-0.6:%zu.6]\nset xtics nomirror rotate by -20\n",
                           c->ncategories ? c->ncategories - 1 : 0);
            break;
        }

    ltk_buf_puts(s, "plot ");
    for (size_t i = 0; i < c->nseries; i++) {
        const struct ltk_chart_series *se = &c->series[i];
        char *path = ltk_asprintf("%s/d%zu.tsv", dir, i);
        if (!path)
            return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
        struct ltk_buf d;
        ltk_buf_init(&d);
        ltk_buf_puts(&d, "x\t");
        put_label(&d, se->title);
        ltk_buf_putc(&d, se->style == LTK_CHART_BARS ? '\t' : '\n');
        if (se->style == LTK_CHART_BARS) {
            ltk_buf_puts(&d, "label\n");
            for (size_t k = 0; k < se->n && k < c->ncategories; k++) {
                ltk_buf_printf(&d, "%zu\t", k);
                put_number(&d, se->y[k]);
                ltk_buf_putc(&d, '\t');
                put_label(&d, c->categories[k]);
                ltk_buf_putc(&d, '\n');
            }
        } else {
            double *ox = malloc((2 * max_points + 2) * sizeof *ox);
            double *oy = malloc((2 * max_points + 2) * sizeof *oy);
            size_t m = 0;
            if (ox && oy) {
                m = se->n > 2 * max_points ? ltk_chart_downsample(se->x, se->y, se->n, max_points, ox, oy) : 0;
                const double *px = m ? ox : se->x, *py = m ? oy : se->y;
                size_t np = m ? m : se->n;
                for (size_t k = 0; k < np; k++) {
                    put_number(&d, px[k]);
                    ltk_buf_putc(&d, '\t');
                    put_number(&d, py[k]);
                    ltk_buf_putc(&d, '\n');
                }
            } else {
                d.failed = true;
            }
            free(ox);
            free(oy);
        }
        int rc = write_file(path, &d, err);
        ltk_buf_release(&d);
        if (rc) {
            free(path);
            return rc;
        }
        ltk_buf_puts(s, i ? ", \\\n     " : "");
        put_quoted_path(s, path);
        free(path);
        size_t ncolors = sizeof colors / sizeof colors[0];
        const char *color = se->color > LTK_CHART_AUTO && (size_t)se->color <= ncolors ? colors[se->color - 1]
                                                                                        : colors[i % ncolors];
        const char *dash = se->dashed ? " dt 2" : "";
        switch (se->style) {
        case LTK_CHART_BARS:
            ltk_buf_printf(s, " using 1:2:xtic(3) with boxes lc rgb '%s'%s title columnheader(2)", color, dash);
            break;
        case LTK_CHART_POINTS:
            ltk_buf_printf(s, " using 1:2 with points pt 7 ps 0.8 lc rgb '%s'%s title columnheader(2)", color, dash);
            break;
        case LTK_CHART_LINESPOINTS:
            ltk_buf_printf(s, " using 1:2 with linespoints pt 7 ps 0.7 lw 2 lc rgb '%s'%s title columnheader(2)", color, dash);
            break;
        case LTK_CHART_STEPS:
            ltk_buf_printf(s, " using 1:2 with steps lw 2 lc rgb '%s'%s title columnheader(2)", color, dash);
            break;
        case LTK_CHART_LINES:
            ltk_buf_printf(s, " using 1:2 with lines lw 2 lc rgb '%s'%s title columnheader(2)", color, dash);
            break;
        }
        if (se->right_axis)
            ltk_buf_puts(s, " axes x1y2");
    }
    ltk_buf_puts(s, "\n");
    if (fmt == LTK_CHART_SVG) {
        /* where the plot area ended up, for the page's script (read back by read_axes) */
        char *ax = ltk_asprintf("%s/axes.txt", dir);
        if (!ax)
            return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
        ltk_buf_puts(s, "set print ");
        put_quoted_path(s, ax);
        free(ax);
        ltk_buf_puts(s, "\nprint GPVAL_TERM_XMIN, GPVAL_TERM_XMAX, GPVAL_TERM_YMIN, GPVAL_TERM_YMAX, "
                        "GPVAL_X_MIN, GPVAL_X_MAX, GPVAL_Y_MIN, GPVAL_Y_MAX, GPVAL_Y2_MIN, GPVAL_Y2_MAX\n"
                        "unset print\n");
    }
    return LTK_OK;
}

/* Reads the numbers the script printed into dir/axes.txt. */
static int read_axes(const struct ltk_chart *c, const char *dir, struct ltk_chart_axes *a)
{
    char *path = ltk_asprintf("%s/axes.txt", dir), *text = NULL;
    size_t len;
    if (!path)
        return LTK_ENOMEM;
    int rc = read_file(path, &text, &len);
    free(path);
    if (rc)
        return rc;
    double v[10];
    int n = 0;
    char *p = text;
    while (n < 10) {
        char *end;
        v[n] = strtod(p, &end);
        if (end == p || !isfinite(v[n]))
            break;
        n++;
        p = end;
    }
    free(text);
    if (n != 10)
        return LTK_EIO;
    int h = c->height > 0 ? c->height : 360;
    *a = (struct ltk_chart_axes){ .left = v[0], .right = v[1], .bottom = h - v[2], .top = h - v[3],
                                  .xmin = v[4], .xmax = v[5], .ymin = v[6], .ymax = v[7], .y2min = v[8],
                                  .y2max = v[9], .log_x = c->log_x, .known = true };
    return LTK_OK;
}

/* ---- running gnuplot -------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* First line of gnuplot's messages, quoted for a message. */
static void first_message(const char *path, char *out, size_t size)
{
    char *text = NULL;
    size_t len = 0;
    snprintf(out, size, "no message");
    if (read_file(path, &text, &len) || !len) {
        free(text);
        return;
    }
    /* gnuplot echoes the offending line and a caret first; its message is
     * the last line that says something */
    char *best = NULL;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (strspn(line, " \t^") < strlen(line))
            best = line;
        line = nl ? nl + 1 : NULL;
    }
    if (!best)
        best = text;
    ltk_quote_text(best, out, size);
    free(text);
}

static int run_gnuplot(const char *prog, const char *dir, const char *script, double timeout, struct ltk_error *err)
{
    char *home = ltk_asprintf("HOME=%s", dir);
    char *errpath = ltk_asprintf("%s/gnuplot.err", dir);
    const char *path = getenv("PATH");
    char *pathvar = ltk_asprintf("PATH=%s", path ? path : "/usr/local/bin:/usr/bin:/bin");
    int rc = LTK_OK;
    if (!home || !errpath || !pathvar) {
        rc = ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    char *envp[] = { home, pathvar, (char *)"LC_ALL=C.UTF-8", (char *)"GNUTERM=svg", NULL };
    char *argv[] = { (char *)prog, (char *)script, NULL };
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    sigset_t none, dflt;
    sigemptyset(&none);
    sigemptyset(&dflt);
    sigaddset(&dflt, SIGPIPE);
    sigaddset(&dflt, SIGTERM);
    sigaddset(&dflt, SIGINT);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &dflt);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid;
    int e = strchr(prog, '/') ? posix_spawn(&pid, prog, &fa, &attr, argv, envp)
                              : posix_spawnp(&pid, prog, &fa, &attr, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (e) {
        if (e == ENOENT || e == ENOTDIR || e == EACCES || e == ENOEXEC)
            rc = ltk_error_set(err, LTK_ENOPROG, NULL, 0, 0, "cannot run '%s': %s (apt-get install -y gnuplot-nox)",
                               prog, strerror(e));
        else
            rc = ltk_error_set(err, LTK_EIO, NULL, 0, 0, "cannot run '%s': %s", prog, strerror(e));
        goto done;
    }
    double deadline = now_s() + timeout;
    int status = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            rc = ltk_error_set(err, LTK_EIO, NULL, 0, 0, "waiting for gnuplot: %s", strerror(errno));
            goto done;
        }
        if (now_s() > deadline) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            rc = ltk_error_set(err, LTK_ELIMIT, NULL, 0, 0, "gnuplot did not finish within %g s and was stopped", timeout);
            goto done;
        }
        struct timespec ts = { 0, 5 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char msg[300];
        first_message(errpath, msg, sizeof msg);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
            rc = ltk_error_set(err, LTK_ENOPROG, NULL, 0, 0, "cannot run '%s' (apt-get install -y gnuplot-nox)", prog);
        else
            rc = ltk_error_set(err, LTK_EIO, NULL, 0, 0, "gnuplot failed (%s %d): %s",
                               WIFEXITED(status) ? "exit status" : "signal",
                               WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), msg);
    }
done:
    free(home);
    free(errpath);
    free(pathvar);
    return rc;
}

static int check_chart(const struct ltk_chart *c, struct ltk_error *err)
{
    if (!c->nseries || !c->series)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "a chart needs at least one series");
    const char *texts[] = { c->title, c->xlabel, c->ylabel, c->y2label };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (!safe_script_text(texts[i]))
            return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "chart text outside the safe alphabet: %.60s",
                                 texts[i]);
    for (size_t i = 0; i < c->nseries; i++) {
        const struct ltk_chart_series *se = &c->series[i];
        if (se->style == LTK_CHART_BARS ? !c->categories || se->n > c->ncategories : se->n && !se->x)
            return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "series %zu: bars need a category each", i);
        if (se->n && !se->y)
            return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "series %zu has no values", i);
    }
    return LTK_OK;
}

int ltk_chart_render(const struct ltk_chart *chart, enum ltk_chart_format fmt, const struct ltk_chart_opts *opts,
                     char **out, size_t *len, struct ltk_error *err)
{
    return ltk_chart_render_axes(chart, fmt, opts, out, len, NULL, err);
}

int ltk_chart_render_axes(const struct ltk_chart *chart, enum ltk_chart_format fmt, const struct ltk_chart_opts *opts,
                          char **out, size_t *len, struct ltk_chart_axes *axes, struct ltk_error *err)
{
    if (axes)
        memset(axes, 0, sizeof *axes);
    *out = NULL;
    *len = 0;
    int rc = check_chart(chart, err);
    if (rc)
        return rc;
    const char *prog = opts && opts->gnuplot && *opts->gnuplot ? opts->gnuplot : "gnuplot";
    double timeout = opts && opts->timeout_s > 0 ? opts->timeout_s : 30;
    int w = chart->width > 0 ? chart->width : 800;
    size_t max_points = opts && opts->max_points ? opts->max_points : (size_t)w * 2;

    const char *tmp = getenv("TMPDIR");
    char *dir = ltk_asprintf("%s/ltk-chart-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!dir)
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    if (!mkdtemp(dir)) {
        rc = ltk_error_set(err, LTK_EIO, dir, 0, 0, "cannot make a temporary directory: %s", strerror(errno));
        free(dir);
        return rc;
    }
    int slot = ltk_tmp_track(dir, true);     /* removed if a signal stops the program */
    char *script = ltk_asprintf("%s/chart.gp", dir);
    char *outpath = ltk_asprintf("%s/chart.%s", dir, fmt == LTK_CHART_SVG ? "svg" : "png");
    struct ltk_buf s;
    ltk_buf_init(&s);
    if (!script || !outpath) {
        rc = ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    rc = build_script(chart, fmt, dir, outpath, max_points, &s, err);
    if (!rc)
        rc = write_file(script, &s, err);
    if (!rc)
        rc = run_gnuplot(prog, dir, script, timeout, err);
    if (!rc) {
        int r = read_file(outpath, out, len);
        if (r == LTK_ENOMEM)
            rc = ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
        else if (r || *len == 0)
            rc = ltk_error_set(err, LTK_EIO, NULL, 0, 0, "gnuplot wrote no chart");
    }
    if (!rc && axes && fmt == LTK_CHART_SVG && read_axes(chart, dir, axes) == LTK_ENOMEM)
        rc = ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc) {
        free(*out);
        *out = NULL;
        *len = 0;
    }
done:
    ltk_buf_release(&s);
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    ltk_tmp_untrack(slot);
    free(script);
    free(outpath);
    free(dir);
    return rc;
}

/* ---- inlining ------------------------------------------------------------------ */

/* Removes the first element <tag>...</tag> from b (in place). */
static void drop_element(char *s, const char *open, const char *close)
{
    char *a = strstr(s, open);
    if (!a)
        return;
    char *b = strstr(a, close);
    if (!b)
        return;
    b += strlen(close);
    memmove(a, b, strlen(b) + 1);
}

static void drop_text(char *s, const char *text)
{
    char *a = strstr(s, text);
    if (a)
        memmove(a, a + strlen(text), strlen(a + strlen(text)) + 1);
}

/* The end of the tag starting at p ('<'), quotes respected; NULL if none. */
static const char *tag_end(const char *p)
{
    char q = 0;
    for (p++; *p; p++) {
        if (q) {
            if (*p == q)
                q = 0;
        } else if (*p == '"' || *p == '\'') {
            q = *p;
        } else if (*p == '>') {
            return p;
        }
    }
    return NULL;
}

/* A copy of svg without <script> elements and without on...= attributes
 * in its tags (text between tags is kept as it is: gnuplot writes '<' in
 * text as &lt;, so every '<' starts a tag).  NULL on out of memory. */
static char *strip_active(const char *svg)
{
    struct ltk_buf b;
    ltk_buf_init(&b);
    const char *p = svg;
    while (*p) {
        if (*p != '<') {
            ltk_buf_putc(&b, *p++);
            continue;
        }
        if (strncmp(p, "<!--", 4) == 0) {
            /* comments go (gnuplot's mention the mouse) */
            const char *z = strstr(p + 4, "-->");
            p = z ? z + 3 : p + strlen(p);
            continue;
        }
        const char *end = tag_end(p);
        if (!end) {
            ltk_buf_puts(&b, p);
            break;
        }
        /* the mouse option's own hover boxes and grid icon: the page has its own */
        size_t tl = (size_t)(end - p + 1);
        if (strncmp(p, "<image", 6) == 0 || (strncmp(p, "<rect", 5) == 0 && memmem(p, tl, "id=\"hypertextbox\"", 17))) {
            p = end + 1;
            continue;
        }
        if (strncmp(p, "<text", 5) == 0 && (memmem(p, tl, "id=\"coord_text\"", 15) || memmem(p, tl, "id=\"hypertext\"", 14))) {
            const char *close = strstr(end, "</text>");
            p = close ? close + strlen("</text>") : end + 1;
            continue;
        }
        /* a second key entry of a plot (the point of linespoints) gets an id of its own */
        const char *ke = memmem(p, tl, "_keyentry\"", 10);
        const char *id = memmem(p, tl, " id=\"", 5);
        if (ke && id && id < ke && b.data) {
            size_t n = (size_t)(ke + 10 - id);
            if (memmem(b.data, b.len, id, n)) {
                ltk_buf_append(&b, p, (size_t)(ke + 9 - p));
                ltk_buf_puts(&b, "-points");
                p = ke + 9;
            }
        }
        if (strncmp(p, "<script", 7) == 0) {
            if (end[-1] != '/') {
                const char *close = strstr(end, "</script>");
                end = close ? close + strlen("</script>") - 1 : end + strlen(end) - 1;
            }
            p = end + 1;
            continue;
        }
        while (p <= end) {
            /* an attribute named on...: its name, '=' and quoted value go */
            if ((*p == ' ' || *p == '\t' || *p == '\n') && (p[1] == 'o' || p[1] == 'O') && (p[2] == 'n' || p[2] == 'N')) {
                const char *a = p + 3;
                while ((*a >= 'a' && *a <= 'z') || (*a >= 'A' && *a <= 'Z'))
                    a++;
                while (*a == ' ')
                    a++;
                if (*a == '=') {
                    a++;
                    while (*a == ' ')
                        a++;
                    if (*a == '"' || *a == '\'') {
                        const char *z = strchr(a + 1, *a);
                        if (z && z < end) {
                            p = z + 1;
                            continue;
                        }
                    }
                }
            }
            ltk_buf_putc(&b, *p++);
        }
    }
    if (b.failed) {
        ltk_buf_release(&b);
        return NULL;
    }
    if (!b.data)
        return ltk_strdup("");
    return b.data;
}

/* True when some tag of s still has an attribute named on... */
static bool has_handler(const char *s)
{
    for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<')) {
        const char *end = tag_end(p);
        if (!end)
            return false;
        char q = 0;
        for (const char *x = p; x < end; x++) {
            if (q) {
                if (*x == q)
                    q = 0;
            } else if (*x == '"' || *x == '\'') {
                q = *x;
            } else if ((*x == ' ' || *x == '\t' || *x == '\n') && (x[1] | 0x20) == 'o' && (x[2] | 0x20) == 'n') {
                return true;
            }
        }
        p = end;
    }
    return false;
}

char *ltk_chart_svg_inline(const char *svg, const char *prefix)
{
    for (const char *p = prefix; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return NULL;
    const char *start = strstr(svg, "<svg");
    if (!start)
        return NULL;
    /* ltk sets the svg terminal's "mouse" option only for its structure
     * (each key entry in a group of its own, which the page's script makes
     * a toggle): gnuplot's scripts and event handlers are taken out, and
     * anything active that is left makes the chart refused, not inlined */
    char *s = strip_active(start);
    if (!s)
        return NULL;
    if (strstr(s, "<script") || strstr(s, "<foreignObject") || strstr(s, "javascript:") || has_handler(s)) {
        free(s);
        return NULL;
    }
    drop_text(s, " xmlns=\"http://www.w3.org/2000/svg\"");
    drop_text(s, " xmlns:xlink=\"http://www.w3.org/1999/xlink\"");
    drop_element(s, "<title>", "</title>");
    drop_element(s, "<desc>", "</desc>");
    static const char *const refs[] = { "id='", "id=\"", "href='#", "href=\"#", "url(#" };
    struct ltk_buf b;
    ltk_buf_init(&b);
    const char *p = s;
    while (*p) {
        size_t hit = 0;
        for (size_t i = 0; i < sizeof refs / sizeof refs[0] && !hit; i++) {
            size_t n = strlen(refs[i]);
            /* an attribute: after a space, not part of a longer name */
            if (strncmp(p, refs[i], n) == 0 && (refs[i][0] == 'u' || (p > s && (p[-1] == ' ' || p[-1] == ':'))))
                hit = n;
        }
        if (hit) {
            ltk_buf_append(&b, p, hit);
            ltk_buf_puts(&b, prefix);
            ltk_buf_putc(&b, '-');
            p += hit;
        } else {
            ltk_buf_putc(&b, *p++);
        }
    }
    free(s);
    if (b.failed) {
        ltk_buf_release(&b);
        return NULL;
    }
    return b.data;
}

/* ---- data for the page's script ------------------------------------------------ */

static cJSON *num_or_null(double v)
{
    return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

static void add_array(struct ltk_jb *b, cJSON *o, const char *key, const double *v, size_t n)
{
    cJSON *a = ltk_jb_arr(b, o, key);
    for (size_t i = 0; a && i < n; i++) {
        cJSON *x = num_or_null(v[i]);
        if (!x || !cJSON_AddItemToArray(a, x)) {
            cJSON_Delete(x);
            b->failed = true;
        }
    }
}

char *ltk_chart_plot_json(const struct ltk_chart *c, const struct ltk_chart_axes *ax)
{
    if (!ax || !ax->known)
        return NULL;
    struct ltk_jb b = { 0 };
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return NULL;
    cJSON *a = ltk_jb_obj(&b, doc, "axes");
    const struct { const char *k; double v; } nums[] = {
        { "left", ax->left }, { "right", ax->right }, { "top", ax->top }, { "bottom", ax->bottom },
        { "xmin", ax->xmin }, { "xmax", ax->xmax }, { "ymin", ax->ymin }, { "ymax", ax->ymax },
        { "y2min", ax->y2min }, { "y2max", ax->y2max },
    };
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        ltk_jb_num(&b, a, nums[i].k, nums[i].v);
    ltk_jb_bool(&b, a, "logx", ax->log_x);
    ltk_jb_str(&b, doc, "xlabel", c->xlabel);
    ltk_jb_str(&b, doc, "ylabel", c->ylabel);
    ltk_jb_str(&b, doc, "y2label", c->y2label);
    bool bars = c->nseries && c->series[0].style == LTK_CHART_BARS;
    ltk_jb_bool(&b, doc, "bars", bars);
    cJSON *cat = ltk_jb_arr(&b, doc, "categories");
    for (size_t i = 0; bars && cat && i < c->ncategories; i++) {
        cJSON *x = cJSON_CreateString(c->categories[i] ? c->categories[i] : "");
        if (!x || !cJSON_AddItemToArray(cat, x)) {
            cJSON_Delete(x);
            b.failed = true;
        }
    }
    cJSON *ser = ltk_jb_arr(&b, doc, "series");
    size_t cap = 2 * (LTK_CHART_PLOT_MAX_POINTS / 2) + 2;
    double *ox = malloc(cap * sizeof *ox), *oy = malloc(cap * sizeof *oy), *idx = NULL;
    if (!ox || !oy)
        b.failed = true;
    for (size_t i = 0; !b.failed && i < c->nseries; i++) {
        const struct ltk_chart_series *se = &c->series[i];
        cJSON *o = ltk_jb_obj(&b, ser, NULL);
        ltk_jb_str(&b, o, "title", se->title ? se->title : "");
        ltk_jb_bool(&b, o, "right", se->right_axis);
        ltk_jb_bool(&b, o, "steps", se->style == LTK_CHART_STEPS);
        if (se->style == LTK_CHART_BARS) {
            idx = realloc(idx, (se->n ? se->n : 1) * sizeof *idx);
            if (!idx) {
                b.failed = true;
                break;
            }
            for (size_t k = 0; k < se->n; k++)
                idx[k] = (double)k;
            add_array(&b, o, "x", idx, se->n);
            add_array(&b, o, "y", se->y, se->n);
        } else if (se->n > LTK_CHART_PLOT_MAX_POINTS) {
            size_t m = ltk_chart_downsample(se->x, se->y, se->n, LTK_CHART_PLOT_MAX_POINTS / 2, ox, oy);
            add_array(&b, o, "x", ox, m);
            add_array(&b, o, "y", oy, m);
        } else {
            add_array(&b, o, "x", se->x, se->n);
            add_array(&b, o, "y", se->y, se->n);
        }
    }
    free(ox);
    free(oy);
    free(idx);
    char *text = b.failed ? NULL : cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (!text)
        return NULL;
    struct ltk_buf out;
    ltk_buf_init(&out);
    for (const char *p = text; *p; p++) {
        if (*p == '<')
            ltk_buf_puts(&out, "\\u003c");
        else if (*p == '>')
            ltk_buf_puts(&out, "\\u003e");
        else if (*p == '&')
            ltk_buf_puts(&out, "\\u0026");
        else if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 && ((unsigned char)p[2] == 0xA8 || (unsigned char)p[2] == 0xA9)) {
            ltk_buf_puts(&out, (unsigned char)p[2] == 0xA8 ? "\\u2028" : "\\u2029");
            p += 2;
        } else
            ltk_buf_putc(&out, *p);
    }
    free(text);
    if (out.failed) {
        ltk_buf_release(&out);
        return NULL;
    }
    return out.data;
}

/* Check suite for lib/render/chart.c: gnuplot draws SVG and PNG, hostile labels
 * stay data (no command runs, text escaped), unsafe script text is
 * refused, a missing gnuplot has its own status, a hanging one is killed,
 * the temporary directory goes away, downsampling keeps the extremes, and
 * inlining renames ids. */
#include <dirent.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ltk/render/chart.h"
#include "testutil.h"

static const char *const hostile[] = {
    "<script>alert(1)</script>",
    "/x`touch pwned`",
    "$(touch pwned) \"quoted\" 'single'",
    "@macro system(\"touch pwned\") ; ! touch pwned",
    "line\nbreak\ttab \\ back",
    "",
};
#define NHOSTILE (sizeof hostile / sizeof hostile[0])

/* Counts entries of dir whose name starts with prefix. */
static int count_prefixed(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            n++;
    closedir(d);
    return n;
}

START_TEST(test_line_chart_svg)
{
    double x[50], y[50], u[50];
    for (int i = 0; i < 50; i++) {
        x[i] = i;
        y[i] = i % 7 == 3 ? NAN : sin(i / 5.0) * 10 + 20;
        u[i] = i / 10 * 10;
    }
    struct ltk_chart_series s[] = {
        { .title = "rps", .x = x, .y = y, .n = 50, .style = LTK_CHART_LINES },
        { .title = "users", .x = x, .y = u, .n = 50, .style = LTK_CHART_STEPS, .right_axis = true },
    };
    struct ltk_chart c = { .title = "Users and throughput", .xlabel = "seconds", .ylabel = "requests/s",
                           .y2label = "users", .series = s, .nseries = 2, .y_from_zero = true };
    const char *tmp = temp_dir();
    setenv("TMPDIR", tmp, 1);
    char *out;
    size_t len;
    struct ltk_error err;
    ltk_error_clear(&err);
    ck_assert_msg(ltk_chart_render(&c, LTK_CHART_SVG, NULL, &out, &len, &err) == LTK_OK, "%s", err.msg);
    ck_assert_uint_eq(strlen(out), len);
    ck_assert_ptr_nonnull(strstr(out, "<svg"));
    ck_assert_ptr_nonnull(strstr(out, "Users and throughput"));
    ck_assert_ptr_nonnull(strstr(out, "<path"));
    ck_assert_ptr_nonnull(strstr(out, "</svg>"));
    /* the private directory is gone */
    ck_assert_int_eq(count_prefixed(tmp, "ltk-chart-"), 0);
    free(out);

    ck_assert_int_eq(ltk_chart_render(&c, LTK_CHART_PNG, NULL, &out, &len, &err), LTK_OK);
    ck_assert_uint_gt(len, 1000);
    ck_assert_int_eq(memcmp(out, "\x89PNG\r\n\x1a\n", 8), 0);
    free(out);
    unsetenv("TMPDIR");
}
END_TEST

/* A series' own colour wins over its position's: the second series,
 * green, is not drawn in the palette's second colour (red). */
START_TEST(test_series_colour)
{
    double x[] = { 0, 1, 2 }, y[] = { 1, 2, 3 }, z[] = { 3, 2, 1 };
    struct ltk_chart_series s[] = {
        { .title = "a", .x = x, .y = y, .n = 3, .style = LTK_CHART_LINES },
        { .title = "b", .x = x, .y = z, .n = 3, .style = LTK_CHART_LINES, .color = LTK_CHART_GREEN },
    };
    struct ltk_chart c = { .title = "Colours", .xlabel = "x", .ylabel = "y", .series = s, .nseries = 2 };
    setenv("TMPDIR", temp_dir(), 1);
    char *out;
    size_t len;
    struct ltk_error err;
    ck_assert_msg(ltk_chart_render(&c, LTK_CHART_SVG, NULL, &out, &len, &err) == LTK_OK, "%s", err.msg);
    ck_assert_ptr_nonnull(strstr(out, "rgb( 31, 119, 180)"));   /* a: the first, #1f77b4 */
    ck_assert_ptr_nonnull(strstr(out, "rgb( 44, 160,  44)"));   /* b: green, #2ca02c */
    ck_assert_ptr_null(strstr(out, "rgb(214,  39,  40)"));      /* not the second's red, #d62728 */
    free(out);
    unsetenv("TMPDIR");
}
END_TEST

START_TEST(test_hostile_labels_stay_data)
{
    const char *dir = temp_dir();
    char cwd[1024];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    ck_assert_int_eq(chdir(dir), 0);
    setenv("TMPDIR", dir, 1);

    double y[NHOSTILE], x[NHOSTILE];
    for (size_t i = 0; i < NHOSTILE; i++) {
        x[i] = (double)i + 1;
        y[i] = 10.0 * (double)(i + 1);
    }
    struct ltk_chart_series bars = { .title = "`touch pwned` <b>", .y = y, .n = NHOSTILE, .style = LTK_CHART_BARS };
    struct ltk_chart c = { .title = "p95 per endpoint", .ylabel = "ms", .series = &bars, .nseries = 1,
                           .categories = hostile, .ncategories = NHOSTILE, .y_from_zero = true };
    char *out;
    size_t len;
    struct ltk_error err;
    ltk_error_clear(&err);
    ck_assert_msg(ltk_chart_render(&c, LTK_CHART_SVG, NULL, &out, &len, &err) == LTK_OK, "%s", err.msg);
    /* labels drawn as text, escaped by gnuplot's SVG writer */
    ck_assert_ptr_nonnull(strstr(out, "&lt;script>alert(1)&lt;/script>"));
    ck_assert_ptr_null(strstr(out, "<script>alert"));
    /* gnuplot's own mouse scripts and handlers are gone once inlined */
    char *inl = ltk_chart_svg_inline(out, "h1");
    ck_assert_ptr_nonnull(inl);
    ck_assert_ptr_null(strstr(inl, "<script"));
    ck_assert_ptr_null(strstr(inl, " onclick="));
    ck_assert_ptr_null(strstr(inl, " onload="));
    ck_assert_ptr_nonnull(strstr(inl, "h1-gnuplot_plot_1_keyentry"));
    free(inl);
    ck_assert_ptr_nonnull(strstr(out, "/x`touch pwned`"));
    ck_assert_ptr_nonnull(strstr(out, "$(touch pwned)"));
    ck_assert_ptr_nonnull(strstr(out, "@macro system("));
    ck_assert_ptr_nonnull(strstr(out, "line break tab \\ back"));
    free(out);

    /* the same names as legend titles of lines */
    struct ltk_chart_series lines[NHOSTILE];
    for (size_t i = 0; i < NHOSTILE; i++)
        lines[i] = (struct ltk_chart_series){ .title = hostile[i], .x = x, .y = y, .n = NHOSTILE,
                                              .style = LTK_CHART_LINESPOINTS };
    struct ltk_chart c2 = { .title = "distribution", .series = lines, .nseries = NHOSTILE };
    ck_assert_msg(ltk_chart_render(&c2, LTK_CHART_SVG, NULL, &out, &len, &err) == LTK_OK, "%s", err.msg);
    ck_assert_ptr_nonnull(strstr(out, "&lt;script>alert(1)&lt;/script>"));
    ck_assert_ptr_nonnull(strstr(out, "/x`touch pwned`"));
    free(out);

    ck_assert_int_ne(access("pwned", F_OK), 0);
    ck_assert_int_eq(count_prefixed(dir, "pwned"), 0);
    ck_assert_int_eq(count_prefixed(dir, "ltk-chart-"), 0);
    ck_assert_int_eq(chdir(cwd), 0);
    unsetenv("TMPDIR");
}
END_TEST

START_TEST(test_unsafe_script_text_refused)
{
    double x[] = { 1, 2 }, y[] = { 1, 2 };
    struct ltk_chart_series s = { .title = "ok", .x = x, .y = y, .n = 2 };
    const char *bad[] = { "a'b", "a`b`", "a\nb", "@m", "$(x)", "a\"b", "a\\b" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ltk_chart c = { .title = "fine", .ylabel = bad[i], .series = &s, .nseries = 1 };
        char *out = (char *)1;
        size_t len;
        struct ltk_error err;
        ck_assert_int_eq(ltk_chart_render(&c, LTK_CHART_SVG, NULL, &out, &len, &err), LTK_EINVAL);
        ck_assert_ptr_null(out);
    }
    struct ltk_chart none = { .title = "x" };
    char *out;
    size_t len;
    ck_assert_int_eq(ltk_chart_render(&none, LTK_CHART_SVG, NULL, &out, &len, NULL), LTK_EINVAL);
    struct ltk_chart_series b = { .title = "b", .y = y, .n = 2, .style = LTK_CHART_BARS };
    struct ltk_chart nocat = { .title = "x", .series = &b, .nseries = 1 };
    ck_assert_int_eq(ltk_chart_render(&nocat, LTK_CHART_SVG, NULL, &out, &len, NULL), LTK_EINVAL);
}
END_TEST

START_TEST(test_missing_gnuplot)
{
    double x[] = { 1, 2 }, y[] = { 1, 2 };
    struct ltk_chart_series s = { .title = "ok", .x = x, .y = y, .n = 2 };
    struct ltk_chart c = { .title = "t", .series = &s, .nseries = 1 };
    const char *tmp = temp_dir();
    setenv("TMPDIR", tmp, 1);
    char *out;
    size_t len;
    struct ltk_error err;
    /* an absent path, and a name PATH does not hold */
    struct ltk_chart_opts o = { .gnuplot = "/nonexistent/gnuplot" };
    ck_assert_int_eq(ltk_chart_render(&c, LTK_CHART_SVG, &o, &out, &len, &err), LTK_ENOPROG);
    ck_assert_ptr_nonnull(strstr(err.msg, "gnuplot-nox"));
    const char *path = getenv("PATH");
    char *saved = strdup(path ? path : "");
    setenv("PATH", tmp, 1);
    ck_assert_int_eq(ltk_chart_render(&c, LTK_CHART_SVG, NULL, &out, &len, &err), LTK_ENOPROG);
    setenv("PATH", saved, 1);
    free(saved);
    ck_assert_int_eq(count_prefixed(tmp, "ltk-chart-"), 0);
    unsetenv("TMPDIR");
}
END_TEST

START_TEST(test_hanging_gnuplot_is_killed)
{
    const char *dir = temp_dir();
    char fake[1024];
    snprintf(fake, sizeof fake, "%s", hanging_gnuplot(dir, "slowplot"));
    double x[] = { 1, 2 }, y[] = { 1, 2 };
    struct ltk_chart_series s = { .title = "ok", .x = x, .y = y, .n = 2 };
    struct ltk_chart c = { .title = "t", .series = &s, .nseries = 1 };
    struct ltk_chart_opts o = { .gnuplot = fake, .timeout_s = 0.5 };
    char *out;
    size_t len;
    struct ltk_error err;
    ck_assert_int_eq(ltk_chart_render(&c, LTK_CHART_SVG, &o, &out, &len, &err), LTK_ELIMIT);
    ck_assert_ptr_nonnull(strstr(err.msg, "did not finish"));
    ck_assert_int_eq(hanging_gnuplot_starts(dir), 1);
    /* a program that fails: its message comes back */
    snprintf(fake, sizeof fake, "%s", write_file(dir, "badplot", "#!/bin/sh\necho 'line 3: nonsense' >&2\nexit 1\n"));
    ck_assert_int_eq(chmod(fake, 0700), 0);
    ck_assert_int_eq(ltk_chart_render(&c, LTK_CHART_SVG, &o, &out, &len, &err), LTK_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "line 3: nonsense"));
}
END_TEST

START_TEST(test_downsample_keeps_extremes)
{
    enum { N = 100000, B = 100 };
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    double ox[2 * B + 2], oy[2 * B + 2];
    for (int i = 0; i < N; i++) {
        x[i] = i;
        y[i] = sin(i / 300.0);
    }
    y[12345] = 99;   /* a spike and a dip survive */
    y[67890] = -99;
    size_t m = ltk_chart_downsample(x, y, N, B, ox, oy);
    ck_assert_uint_le(m, 2 * B);
    ck_assert_uint_ge(m, B);
    bool spike = false, dip = false;
    for (size_t i = 0; i < m; i++) {
        spike |= oy[i] == 99 && ox[i] == 12345;
        dip |= oy[i] == -99 && ox[i] == 67890;
        if (i)
            ck_assert(ox[i] > ox[i - 1]);
    }
    ck_assert(spike && dip);
    /* short series are copied */
    ck_assert_uint_eq(ltk_chart_downsample(x, y, 50, B, ox, oy), 50);
    ck_assert(oy[49] == y[49]);
    free(x);
    free(y);
}
END_TEST

START_TEST(test_svg_inline)
{
    const char *svg = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg viewBox=\"0 0 10 10\" "
                      "xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n"
                      "<title>Gnuplot</title><desc>Produced by GNUPLOT</desc><g id=\"gnuplot_canvas\">"
                      "<path id='gpPt0' d='M0 0'/><use xlink:href='#gpPt0' fill='url(#grad)'/></g></svg>";
    char *s = ltk_chart_svg_inline(svg, "c3");
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, "<svg viewBox=\"0 0 10 10\">\n<g id=\"c3-gnuplot_canvas\"><path id='c3-gpPt0' d='M0 0'/>"
                        "<use xlink:href='#c3-gpPt0' fill='url(#c3-grad)'/></g></svg>");
    free(s);
    ck_assert_ptr_null(ltk_chart_svg_inline("no svg here", "c1"));
    /* scripts, handlers and comments are taken out; what is active after that is refused */
    s = ltk_chart_svg_inline("<svg onload=\"x()\"><!-- on x --><script>x</script><g id='a' onclick='y'>"
                             "<text>onclick=\"z\"</text></g><script src='q'/></svg>", "c1");
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, "<svg><g id='c1-a'><text>onclick=\"z\"</text></g></svg>");
    free(s);
    ck_assert_ptr_null(ltk_chart_svg_inline("<svg><foreignObject/></svg>", "c1"));
    ck_assert_ptr_null(ltk_chart_svg_inline("<svg><a href=\"javascript:x\"/></svg>", "c1"));
    ck_assert_ptr_null(ltk_chart_svg_inline("<svg></svg>", "c'1"));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("chart");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_line_chart_svg);
    tcase_add_test(tc, test_series_colour);
    tcase_add_test(tc, test_hostile_labels_stay_data);
    tcase_add_test(tc, test_unsafe_script_text_refused);
    tcase_add_test(tc, test_missing_gnuplot);
    tcase_add_test(tc, test_hanging_gnuplot_is_killed);
    tcase_add_test(tc, test_downsample_keeps_extremes);
    tcase_add_test(tc, test_svg_inline);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(suite());
}

/* Check suite for lib/analyze/criteria.c: good expressions and their parsed
 * fields, bad ones and the column of the offending character, files. */
#include <math.h>

#include "ltk/analyze/criteria.h"
#include "testutil.h"

static const struct good {
    const char *text;
    const char *endpoint;   /* NULL: Aggregated */
    enum ltk_metric metric;
    double pct;
    enum ltk_cmp op;
    double limit;
    int64_t window;
    int phase;              /* -1: none */
} good[] = {
    { "p95<2s", NULL, LTK_MET_PCT, 95, LTK_CMP_LT, 2000, 0, -1 },
    { "p99<=3000ms", NULL, LTK_MET_PCT, 99, LTK_CMP_LE, 3000, 0, -1 },
    { "  p50 < 500  ", NULL, LTK_MET_PCT, 50, LTK_CMP_LT, 500, 0, -1 },
    { "p99.9<1.5s", NULL, LTK_MET_PCT, 99.9, LTK_CMP_LT, 1500, 0, -1 },
    { "p100<=1m", NULL, LTK_MET_PCT, 100, LTK_CMP_LE, 60000, 0, -1 },
    { "error_rate<1%", NULL, LTK_MET_ERROR_RATE, 0, LTK_CMP_LT, 1, 0, -1 },
    { "error_rate==0", NULL, LTK_MET_ERROR_RATE, 0, LTK_CMP_EQ, 0, 0, -1 },
    { "error_rate<0.5%", NULL, LTK_MET_ERROR_RATE, 0, LTK_CMP_LT, 0.5, 0, -1 },
    { "rps>=20", NULL, LTK_MET_RPS, 0, LTK_CMP_GE, 20, 0, -1 },
    { "requests>1000", NULL, LTK_MET_REQUESTS, 0, LTK_CMP_GT, 1000, 0, -1 },
    { "failures==0", NULL, LTK_MET_FAILURES, 0, LTK_CMP_EQ, 0, 0, -1 },
    { "mean<800ms", NULL, LTK_MET_MEAN, 0, LTK_CMP_LT, 800, 0, -1 },
    { "avg<0.8s", NULL, LTK_MET_MEAN, 0, LTK_CMP_LT, 800, 0, -1 },
    { "max<10s", NULL, LTK_MET_MAX, 0, LTK_CMP_LT, 10000, 0, -1 },
    { "min>=1", NULL, LTK_MET_MIN, 0, LTK_CMP_GE, 1, 0, -1 },
    { "median<1s", NULL, LTK_MET_MEDIAN, 0, LTK_CMP_LT, 1000, 0, -1 },
    { "/query: p99<3s", "/query", LTK_MET_PCT, 99, LTK_CMP_LT, 3000, 0, -1 },
    { "/query:p99<3s", "/query", LTK_MET_PCT, 99, LTK_CMP_LT, 3000, 0, -1 },
    { "GET /health : p95<100ms", "GET /health", LTK_MET_PCT, 95, LTK_CMP_LT, 100, 0, -1 },
    { "\"GET /a:b\": p95<1s", "GET /a:b", LTK_MET_PCT, 95, LTK_CMP_LT, 1000, 0, -1 },
    { "\"say \\\"hi\\\"\": p95<1s", "say \"hi\"", LTK_MET_PCT, 95, LTK_CMP_LT, 1000, 0, -1 },
    { "p95<1s over 60s", NULL, LTK_MET_PCT, 95, LTK_CMP_LT, 1000, 60, -1 },
    { "p95<1s over 2m", NULL, LTK_MET_PCT, 95, LTK_CMP_LT, 1000, 120, -1 },
    { "/query: error_rate<1% over 1h", "/query", LTK_MET_ERROR_RATE, 0, LTK_CMP_LT, 1, 3600, -1 },
    { "error_rate<5% during spike", NULL, LTK_MET_ERROR_RATE, 0, LTK_CMP_LT, 5, 0, LTK_PHASE_SPIKE },
    { "p95<2s during ramp-up", NULL, LTK_MET_PCT, 95, LTK_CMP_LT, 2000, 0, LTK_PHASE_RAMP_UP },
    /* from --metrics */
    { "cpu<80%", NULL, LTK_MET_RESOURCE, 0, LTK_CMP_LT, 80, 0, -1 },
    { "cpu<70% over 5m", NULL, LTK_MET_RESOURCE, 0, LTK_CMP_LT, 70, 300, -1 },
    { "cpu.max<=250%", NULL, LTK_MET_RESOURCE, 0, LTK_CMP_LE, 250, 0, -1 },
    { "mem<85%", NULL, LTK_MET_RESOURCE, 0, LTK_CMP_LT, 85, 0, -1 },
    { "mem.mean<2GB during steady", NULL, LTK_MET_RESOURCE, 0, LTK_CMP_LT, 2048, 0, LTK_PHASE_STEADY },
    { "mem.max<512KB", NULL, LTK_MET_RESOURCE, 0, LTK_CMP_LT, 0.5, 0, -1 },
    { "queue_depth<100", NULL, LTK_MET_RESOURCE, 0, LTK_CMP_LT, 100, 0, -1 },
    { "connections.max<=15", NULL, LTK_MET_RESOURCE, 0, LTK_CMP_LE, 15, 0, -1 },
    { "net_tx<10MB/s", NULL, LTK_MET_RESOURCE, 0, LTK_CMP_LT, 10 * 1048576.0, 0, -1 },
    { "net_rx>=1KB/s", NULL, LTK_MET_RESOURCE, 0, LTK_CMP_GE, 1024, 0, -1 },
    { "mem_growth<10MB/h", NULL, LTK_MET_MEM_GROWTH, 0, LTK_CMP_LT, 10, 0, -1 },
    { "mem_growth<1GB/h", NULL, LTK_MET_MEM_GROWTH, 0, LTK_CMP_LT, 1024, 0, -1 },
    { "mem_growth<0.5%/h", NULL, LTK_MET_MEM_GROWTH, 0, LTK_CMP_LT, 0.5, 0, -1 },
};

START_TEST(test_good)
{
    const struct good *g = &good[_i];
    struct ltk_criterion c;
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = ltk_criterion_parse(g->text, &c, &err);
    ck_assert_msg(rc == LTK_OK, "%s: %s (column %ld)", g->text, err.msg, err.column);
    if (g->endpoint)
        ck_assert_str_eq(c.endpoint, g->endpoint);
    else
        ck_assert_ptr_null(c.endpoint);
    ck_assert_int_eq(c.metric, g->metric);
    if (g->metric == LTK_MET_RESOURCE || g->metric == LTK_MET_MEM_GROWTH) {
        /* the unit picks the memory column */
        bool pct = strchr(g->text, '%') != NULL;
        if (strncmp(g->text, "mem", 3) == 0)
            ck_assert_int_eq(c.res, pct ? LTK_RES_MEM_PCT : LTK_RES_MEM_MB);
        ck_assert_int_eq(c.rstat, strstr(g->text, ".max") ? LTK_RSTAT_MAX
                                  : strstr(g->text, ".mean") ? LTK_RSTAT_MEAN : LTK_RSTAT_SUSTAINED);
        ck_assert_str_eq(ltk_criterion_unit(&c), g->metric == LTK_MET_MEM_GROWTH ? (pct ? "%/h" : "MB/h")
                                                 : strncmp(g->text, "net", 3) == 0 ? "B/s"
                                                 : strncmp(g->text, "cpu", 3) == 0 || pct ? "%"
                                                 : strncmp(g->text, "mem", 3) == 0 ? "MB" : "");
    }
    if (g->metric == LTK_MET_PCT)
        ck_assert(fabs(c.pct - g->pct) < 1e-12);
    ck_assert_int_eq(c.op, g->op);
    ck_assert_msg(fabs(c.limit - g->limit) < 1e-9, "%s: limit %g", g->text, c.limit);
    ck_assert_int_eq(c.window_s, g->window);
    ck_assert_int_eq(c.has_phase, g->phase >= 0);
    if (g->phase >= 0)
        ck_assert_int_eq(c.phase, g->phase);
    ltk_criterion_release(&c);
}
END_TEST

static const struct bad {
    const char *text;
    long column;
} bad[] = {
    { "", 1 },
    { "p95=<2s", 4 },
    { "p95<2x", 6 },
    { "p95<", 5 },
    { "p95<-1s", 5 },
    { "p95 2s", 5 },
    { "p0<1s", 2 },
    { "p101<1s", 2 },
    { "latency<1s", 1 },
    { "error_rate<1", 13 },
    { "error_rate<1ms", 13 },
    { "error_rate<101%", 14 },
    { "rps>=20%", 8 },
    { "requests>1.5k", 13 },
    { "p95<1s over", 12 },
    { "p95<1s over 60", 15 },
    { "p95<1s over 0.5s", 13 },
    { "p95<1s during lunch", 15 },
    { "p95<1s and more", 8 },
    { "p95<1s2", 7 },
    { "p95 != 1s", 5 },
    { ": p95<1s", 1 },
    { "\"/a: p95<1s", 1 },
    { "\"/a\" p95<1s", 6 },
    { "/a:b: p95<1s", 4 },
    { "p95<1.s", 7 },
    { "p95<1s\x1b[31m", 7 },
    { "cpu<80", 7 },
    { "cpu.p95<80%", 5 },
    { "mem<85", 7 },
    { "mem<101%", 7 },
    { "mem<1TB", 6 },
    { "queue_depth<100%", 16 },
    { "net_tx<10MB", 10 },
    { "mem_growth<10MB", 14 },
    { "mem_growth<10MB/h over 60s", 1 },
    { "/query: cpu<80%", 1 },
    { "cpu.max<80% over 5m", 1 },
};

START_TEST(test_bad)
{
    const struct bad *b = &bad[_i];
    struct ltk_criterion c;
    struct ltk_error err;
    ltk_error_clear(&err);
    ck_assert_int_eq(ltk_criterion_parse(b->text, &c, &err), LTK_EINVAL);
    ck_assert_msg(err.column == b->column, "'%s': column %ld, expected %ld (%s)", b->text, err.column, b->column,
                  err.msg);
    ck_assert(err.msg[0]);
}
END_TEST

START_TEST(test_caret)
{
    char buf[200];
    ltk_criteria_caret("p95=<2s", 4, buf, sizeof buf);
    ck_assert_str_eq(buf, "  p95=<2s\n     ^");
    /* columns count code points, not bytes */
    ltk_criteria_caret("\"/caf\xc3\xa9\": p95<x", 14, buf, sizeof buf);
    ck_assert_str_eq(buf, "  \"/caf\xc3\xa9\": p95<x\n               ^");
    struct ltk_criterion c;
    struct ltk_error err;
    ck_assert_int_eq(ltk_criterion_parse("\"/caf\xc3\xa9\": p95<x", &c, &err), LTK_EINVAL);
    ck_assert_int_eq(err.column, 14);
}
END_TEST

START_TEST(test_file)
{
    static const char text[] = "# smoke gate\n"
                               "p95<2s   # whole run\r\n"
                               "\n"
                               "\"/a#b\": p99<3s\n"
                               "   error_rate<1%\n";
    FILE *fp = MEM(text);
    struct ltk_criterion *c;
    size_t n;
    char badline[100];
    ck_assert_int_eq(ltk_criteria_read(fp, "c.txt", &c, &n, badline, sizeof badline, NULL), LTK_OK);
    fclose(fp);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(c[0].text, "p95<2s");
    ck_assert_str_eq(c[1].endpoint, "/a#b");
    ck_assert_str_eq(c[2].text, "error_rate<1%");
    ltk_criteria_free(c, n);

    static const char bad_text[] = "p95<2s\n\nrps>>3\n";
    fp = MEM(bad_text);
    struct ltk_error err;
    ck_assert_int_eq(ltk_criteria_read(fp, "c.txt", &c, &n, badline, sizeof badline, &err), LTK_EINVAL);
    fclose(fp);
    ck_assert_ptr_null(c);
    ck_assert_int_eq(err.line, 3);
    ck_assert_int_eq(err.column, 5);
    ck_assert_str_eq(err.file, "c.txt");
    ck_assert_str_eq(badline, "rps>>3");

    /* a NUL byte is reported, not taken for the end of the line */
    static const char nul_text[] = "p95<2s\nerror_rate<1%\0 junk\n";
    fp = MEM(nul_text);
    ck_assert_int_eq(ltk_criteria_read(fp, "c.txt", &c, &n, badline, sizeof badline, &err), LTK_EINVAL);
    fclose(fp);
    ck_assert_int_eq(err.line, 2);
    ck_assert_ptr_nonnull(strstr(err.msg, "NUL byte"));

    /* an overlong line is refused whole, and the last line needs no line end */
    char long_text[3000];
    memset(long_text, 'x', sizeof long_text);
    memcpy(long_text + sizeof long_text - 8, "\np95<2s", 8);
    fp = mem_file(long_text, sizeof long_text);
    ck_assert_int_eq(ltk_criteria_read(fp, "c.txt", &c, &n, badline, sizeof badline, &err), LTK_ELIMIT);
    fclose(fp);
    ck_assert_int_eq(err.line, 1);
    static const char no_eol[] = "p95<2s\nrps>1";
    fp = MEM(no_eol);
    ck_assert_int_eq(ltk_criteria_read(fp, "c.txt", &c, &n, badline, sizeof badline, &err), LTK_OK);
    fclose(fp);
    ck_assert_uint_eq(n, 2);
    ltk_criteria_free(c, n);
}
END_TEST

START_TEST(test_cmp)
{
    ck_assert(ltk_cmp_holds(LTK_CMP_LT, 1, 2));
    ck_assert(!ltk_cmp_holds(LTK_CMP_LT, 2, 2));
    ck_assert(ltk_cmp_holds(LTK_CMP_LE, 2, 2));
    ck_assert(ltk_cmp_holds(LTK_CMP_GE, 2, 2));
    ck_assert(!ltk_cmp_holds(LTK_CMP_GT, 2, 2));
    ck_assert(ltk_cmp_holds(LTK_CMP_EQ, 0, 0));
    ck_assert(!ltk_cmp_holds(LTK_CMP_LT, NAN, 2));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("criteria");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_good, 0, sizeof good / sizeof good[0]);
    tcase_add_loop_test(tc, test_bad, 0, sizeof bad / sizeof bad[0]);
    tcase_add_test(tc, test_caret);
    tcase_add_test(tc, test_file);
    tcase_add_test(tc, test_cmp);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

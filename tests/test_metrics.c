/* Tests of lib/read/metrics.c: resource-sample CSVs. */
#include <math.h>

#include "ltk/read/metrics.h"
#include "testutil.h"

static int read_text(const char *text, struct ltk_metrics *m, struct ltk_error *err)
{
    const char *path = write_file(temp_dir(), "m.csv", text);
    ltk_metrics_init(m);
    return ltk_metrics_read(path, m, err);
}

START_TEST(test_sampler_format)
{
    struct ltk_metrics m;
    struct ltk_error err;
    ck_assert_int_eq(read_text("timestamp,cpu_percent,mem_mb,mem_percent\n"
                               "100.5,1.0,20.8,0.09\n101.5,3.0,22.8,0.10\n102.5,2.0,24.8,0.11\n",
                               &m, &err),
                     LTK_OK);
    ck_assert_uint_eq(m.n, 3);
    ck_assert(m.ts[0] == 100.5 && m.ts[2] == 102.5);
    ck_assert(m.v[LTK_RES_CPU][1] == 3.0);
    ck_assert(m.v[LTK_RES_MEM_MB][2] == 24.8);
    ck_assert(m.v[LTK_RES_MEM_PCT][0] == 0.09);
    /* the mean over (from, to] */
    ck_assert(fabs(ltk_metrics_mean(&m, LTK_RES_CPU, 100.5, 102.5) - 2.5) < 1e-12);
    ck_assert(fabs(ltk_metrics_mean(&m, LTK_RES_CPU, 0, 1000) - 2.0) < 1e-12);
    ck_assert(isnan(ltk_metrics_mean(&m, LTK_RES_CPU, 200, 300)));
    ltk_metrics_release(&m);
}
END_TEST

/* Names are matched without case and spaces; units are converted. */
START_TEST(test_other_names_and_units)
{
    struct ltk_metrics m;
    struct ltk_error err;
    ck_assert_int_eq(read_text(" Time_ms , %CPU ,RSS_KB,host\n1000,50,2048,a\n2000,70,4096,b\n", &m, &err), LTK_OK);
    ck_assert(m.ts[0] == 1.0 && m.ts[1] == 2.0);
    ck_assert(m.v[LTK_RES_MEM_MB][0] == 2.0 && m.v[LTK_RES_MEM_MB][1] == 4.0);
    ck_assert_ptr_null(m.v[LTK_RES_MEM_PCT]);
    ck_assert(isnan(ltk_metrics_mean(&m, LTK_RES_MEM_PCT, 0, 10)));
    ltk_metrics_release(&m);
    ck_assert_int_eq(read_text("ts,mem_bytes\n1,1048576\n", &m, &err), LTK_OK);
    ck_assert(m.v[LTK_RES_MEM_MB][0] == 1.0);
    ltk_metrics_release(&m);
}
END_TEST

static const struct {
    const char *text;
    long line;
    const char *msg;
} bad[] = {
    { "", 1, "empty file" },
    { "timestamp,cpu\n", 1, "no samples" },
    { "cpu,mem_mb\n1,2\n", 1, "no time column" },
    { "timestamp,host\n1,a\n", 1, "no resource column" },
    { "timestamp,cpu,cpu_percent\n1,2,3\n", 1, "repeats" },
    { "timestamp,cpu\n1,2\n2,abc\n", 3, "expected a number" },
    { "timestamp,cpu\n1,2\n2,-1\n", 3, "non-negative" },
    { "timestamp,cpu\n1,2\n2,nan\n", 3, "expected a number" },
    { "timestamp,cpu\n1,2\n2,\n", 3, "empty field" },
    { "timestamp,cpu\n5,2\n4,2\n", 3, "time goes backwards" },
    { "timestamp,cpu,mem_mb\n1,2\n", 2, "expected at least 3 fields" },
};

START_TEST(test_bad_files)
{
    struct ltk_metrics m;
    struct ltk_error err;
    int rc = read_text(bad[_i].text, &m, &err);
    ck_assert_int_eq(rc, LTK_EFORMAT);
    ck_assert_int_eq(err.line, bad[_i].line);
    ck_assert_msg(strstr(err.msg, bad[_i].msg), "message '%s' lacks '%s'", err.msg, bad[_i].msg);
    ck_assert_uint_eq(m.n, 0);
    ck_assert_ptr_null(m.ts);
    ltk_metrics_release(&m);
}
END_TEST

/* connections, queue depth and network counters (rates from the counters) */
START_TEST(test_extra_columns)
{
    struct ltk_metrics m;
    struct ltk_error err;
    ck_assert_int_eq(read_text("timestamp,connections,queue_depth,net_rx_bytes,net_tx_bytes_per_s\n"
                               "10,3,0,1000,5\n12,4,7,3000,6\n12,4,8,3000,6\n13,5,9,3500,7\n",
                               &m, &err), LTK_OK);
    ck_assert_uint_eq(m.n, 4);
    ck_assert(m.v[LTK_RES_CONNECTIONS][1] == 4 && m.v[LTK_RES_QUEUE][3] == 9);
    ck_assert(isnan(m.v[LTK_RES_NET_RX][0]));        /* no sample before: no rate */
    ck_assert(m.v[LTK_RES_NET_RX][1] == 1000);        /* 2000 bytes in 2 s */
    ck_assert(isnan(m.v[LTK_RES_NET_RX][2]));        /* no time passed */
    ck_assert(m.v[LTK_RES_NET_RX][3] == 500);
    ck_assert(m.v[LTK_RES_NET_TX][2] == 6);
    ck_assert_ptr_null(m.v[LTK_RES_CPU]);
    ck_assert(fabs(ltk_metrics_mean(&m, LTK_RES_NET_RX, 0, 100) - 750) < 1e-12);   /* NANs skipped */
    struct ltk_metrics_summary sm;
    ltk_metrics_summarise(&m, LTK_RES_NET_RX, 0, 100, 2, &sm);
    ck_assert_uint_eq(sm.n, 2);
    ck_assert(sm.max == 1000 && sm.mean == 750 && sm.first == 12 && sm.last == 13);
    ltk_metrics_summarise(&m, LTK_RES_CONNECTIONS, 11, 13, 2, &sm);
    ck_assert_uint_eq(sm.n, 3);
    /* a 2 s window counts once a sample is 1 s past the first (12): at 13, the
     * window (11, 13] holds 4, 4 and 5 */
    ck_assert(fabs(sm.window_max - 13.0 / 3) < 1e-12);
    ck_assert_str_eq(ltk_resource_name(LTK_RES_QUEUE), "queue_depth");
    ck_assert_str_eq(ltk_resource_unit(LTK_RES_NET_TX), "B/s");
    ltk_metrics_release(&m);
    /* a counter that goes down */
    ck_assert_int_eq(read_text("timestamp,net_tx_bytes\n1,100\n2,50\n", &m, &err), LTK_EFORMAT);
    ck_assert_int_eq(err.line, 3);
    ck_assert_ptr_nonnull(strstr(err.msg, "counter"));
    ltk_metrics_release(&m);
}
END_TEST

START_TEST(test_missing_file)
{
    struct ltk_metrics m;
    struct ltk_error err;
    ltk_metrics_init(&m);
    ck_assert_int_eq(ltk_metrics_read("/nonexistent/m.csv", &m, &err), LTK_EIO);
    ltk_metrics_release(&m);
    ltk_metrics_release(NULL);
}
END_TEST

START_TEST(test_real_sample)
{
    struct ltk_metrics m;
    struct ltk_error err;
    ltk_metrics_init(&m);
    ck_assert_int_eq(ltk_metrics_read(source_path("samples/runs/soak/soak_metrics.csv"), &m, &err), LTK_OK);
    ck_assert_uint_gt(m.n, 150);
    for (int r = 0; r <= LTK_RES_MEM_PCT; r++)
        ck_assert_ptr_nonnull(m.v[r]);
    ck_assert_ptr_null(m.v[LTK_RES_CONNECTIONS]);
    /* the leaking server's memory grows: the last sample is far above the first */
    ck_assert(m.v[LTK_RES_MEM_MB][m.n - 1] > 3 * m.v[LTK_RES_MEM_MB][0]);
    ltk_metrics_release(&m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("metrics");
    TCase *tc = tcase_create("read");
    tcase_add_test(tc, test_sampler_format);
    tcase_add_test(tc, test_other_names_and_units);
    tcase_add_loop_test(tc, test_bad_files, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, test_missing_file);
    tcase_add_test(tc, test_extra_columns);
    tcase_add_test(tc, test_real_sample);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

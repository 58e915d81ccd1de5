/* Check suite for lib/model/series.c: ticks from history, exact per-interval
 * counts across repeated seconds and resets, and plateaus. */
#include <math.h>

#include "ltk/read/locust.h"
#include "ltk/read/load.h"
#include "ltk/model/series.h"
#include "testutil.h"

#define HIST                                                                                         \
    "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,95%,99%,Total Request Count,"          \
    "Total Failure Count,Total Median Response Time,Total Average Response Time,"                   \
    "Total Min Response Time,Total Max Response Time,Total Average Content Size\r\n"

static void load(struct ltk_run *run, const char *csv)
{
    ltk_run_init(run);
    FILE *fp = mem_file(csv, strlen(csv));
    ck_assert_int_eq(ltk_locust_read_history(run, fp, "h.csv", NULL), LTK_OK);
    fclose(fp);
}

START_TEST(test_ticks_and_exact_differences)
{
    struct ltk_run run;
    load(&run, HIST
         "100,0,,Aggregated,0,0,N/A,N/A,N/A,0,0,0,0,0,0,0\r\n"
         "101,2,GET,/a,1,0,10,20,30,3,0,1,1,1,1,1\r\n"
         "101,2,,Aggregated,1,0,10,20,30,3,0,1,1,1,1,1\r\n"
         "101,2,,Aggregated,1,0,11,21,31,5,1,1,1,1,1,1\r\n"   /* repeated second */
         "103,2,,Aggregated,1,0,12,22,32,9,1,1,1,1,1,1\r\n"   /* skipped second */
         "104,2,,Aggregated,1,0,12,22,32,2,0,1,1,1,1,1\r\n"); /* reset */
    struct ltk_series s;
    ck_assert_int_eq(ltk_series_from_run(&run, NULL, NULL, &s, NULL), LTK_OK);
    ck_assert_uint_eq(s.n, 4);
    ck_assert_int_eq(s.t[1].ts, 101);
    ck_assert_uint_eq(s.t[1].d_requests, 5);
    ck_assert_uint_eq(s.t[1].d_failures, 1);
    ck_assert(s.t[1].p95 == 21);
    ck_assert_uint_eq(s.t[2].d_requests, 4);
    ck_assert_uint_eq(s.t[3].d_requests, 2);  /* counted again from the reset */
    ck_assert_int_eq(s.kind, LTK_HPCT_WINDOW);
    ltk_series_release(&s);
    ck_assert_int_eq(ltk_series_from_run(&run, "GET", "/a", &s, NULL), LTK_OK);
    ck_assert_uint_eq(s.n, 1);
    ltk_series_release(&s);
    struct ltk_error err;
    ck_assert_int_eq(ltk_series_from_run(&run, "GET", "/none", &s, &err), LTK_EINVAL);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_plateaus_drop_settling_and_short_steps)
{
    char csv[8192];
    size_t n = (size_t)snprintf(csv, sizeof csv, "%s", HIST);
    uint64_t total = 0, fails = 0;
    for (int t = 0; t < 80; t++) {
        int users = t < 30 ? 10 : t < 35 ? 20 : 40;   /* 20 users only 5 s */
        total += (uint64_t)users / 5;
        if (users == 40)
            fails += 1;
        n += (size_t)snprintf(csv + n, sizeof csv - n, "%d,%d,,Aggregated,1,0,%d,%d,%d,%llu,%llu,1,1,1,1,1\r\n",
                              1000 + t, users, users * 10, users * 20, users * 30,
                              (unsigned long long)total, (unsigned long long)fails);
    }
    struct ltk_run run;
    load(&run, csv);
    struct ltk_series s;
    ck_assert_int_eq(ltk_series_from_run(&run, NULL, NULL, &s, NULL), LTK_OK);
    struct ltk_plateau *p;
    size_t np;
    ck_assert_int_eq(ltk_series_plateaus(&s, 10, 10, &p, &np), LTK_OK);
    ck_assert_uint_eq(np, 2);
    ck_assert_int_eq(p[0].users, 10);
    ck_assert_int_eq(p[0].start, 1010);
    ck_assert_int_eq(p[0].end, 1029);
    ck_assert_uint_eq(p[0].requests, 19 * 2);
    ck_assert(fabs(p[0].rps - 2.0) < 1e-12);
    ck_assert(p[0].error_rate == 0);
    /* Aggregated-only history has whole-run percentiles: none per plateau */
    ck_assert(isnan(p[0].p95));
    ck_assert_int_eq(p[1].users, 40);
    ck_assert_int_eq(p[1].start, 1045);
    ck_assert(fabs(p[1].error_rate - 1.0 / 8.0) < 1e-12);
    free(p);
    ltk_series_release(&s);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_stress_sample_has_its_steps)
{
    struct ltk_run run;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load(&run, source_path("samples/runs/stress/stress"), NULL), LTK_OK);
    struct ltk_series s;
    ck_assert_int_eq(ltk_series_from_run(&run, NULL, NULL, &s, NULL), LTK_OK);
    struct ltk_plateau *p;
    size_t np;
    ck_assert_int_eq(ltk_series_plateaus(&s, 10, 5, &p, &np), LTK_OK);
    static const int64_t steps[] = { 10, 20, 40, 60, 80, 100, 120 };
    ck_assert_uint_eq(np, 7);
    for (size_t i = 0; i < np; i++)
        ck_assert_int_eq(p[i].users, steps[i]);
    /* the breakdown the sample was made to show: errors past 5 % by 100 users */
    ck_assert(p[0].error_rate < 0.01);
    ck_assert(p[5].error_rate > 0.05);
    free(p);
    ltk_series_release(&s);
    ltk_run_release(&run);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("series");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_ticks_and_exact_differences);
    tcase_add_test(tc, test_plateaus_drop_settling_and_short_steps);
    tcase_add_test(tc, test_stress_sample_has_its_steps);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

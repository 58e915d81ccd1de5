/* Tests of lib/analyze/trend.c: the statistics against values computed
 * independently (tests/data/trend/reference.py), and the analysis of
 * synthetic and real runs. */
#include <math.h>
#include <gsl/gsl_errno.h>

#include "ltk/read/locust.h"
#include "ltk/read/load.h"
#include "ltk/analyze/trend.h"
#include "testutil.h"

#define CLOSE(a, b, tol) ck_assert_msg(fabs((double)(a) - (double)(b)) <= (tol) * (fabs((double)(b)) > 1 ? fabs((double)(b)) : 1), \
                                       "%s = %.12g, expected %.12g", #a, (double)(a), (double)(b))

START_TEST(test_fit_one_group)
{
    const double x[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    const double y[] = { 10, 12, 11, 15, 14, 18, 17, 21, 20, 24 };
    struct ltk_trend_stats st;
    ck_assert_int_eq(ltk_trend_fit(x, y, NULL, 10, &st), LTK_OK);
    ck_assert_uint_eq(st.ngroups, 1);
    CLOSE(st.mean, 16.2, 1e-12);
    CLOSE(st.slope, 1.4666666666666666, 1e-12);
    CLOSE(st.se, 0.1463357147593895, 1e-10);
    CLOSE(st.ci_lo, 1.1292159230886554, 1e-6);  /* the table's t has 7 digits */
    CLOSE(st.ci_hi, 1.8041174102446778, 1e-6);
    CLOSE(st.theil_sen, 1.5, 1e-12);
    CLOSE(st.mk_s, 37, 0);
    CLOSE(st.mk_var, 125, 1e-12);
    CLOSE(st.mk_z, 3.219937887599697, 1e-12);
    CLOSE(st.p_value, 0.0012821837418053317, 1e-9);
}
END_TEST

START_TEST(test_fit_ties)
{
    const double x[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    const double y[] = { 5, 5, 6, 6, 6, 7, 8, 8, 9, 10 };
    struct ltk_trend_stats st;
    ck_assert_int_eq(ltk_trend_fit(x, y, NULL, 10, &st), LTK_OK);
    CLOSE(st.slope, 0.5454545454545454, 1e-12);
    CLOSE(st.theil_sen, 0.5, 1e-12);
    CLOSE(st.mk_s, 40, 0);
    CLOSE(st.mk_var, 119.33333333333333, 1e-12);  /* tie-corrected, not 125 */
    CLOSE(st.mk_z, 3.5701274565295176, 1e-12);
    CLOSE(st.p_value, 0.0003568075743358712, 1e-9);
}
END_TEST

/* A step between two levels is not a trend: each group has its intercept. */
START_TEST(test_fit_two_groups)
{
    const double x[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
    const double y[] = { 10, 11, 13, 14, 30, 31, 32, 34 };
    const size_t g[] = { 0, 0, 0, 0, 1, 1, 1, 1 };
    struct ltk_trend_stats st;
    ck_assert_int_eq(ltk_trend_fit(x, y, g, 8, &st), LTK_OK);
    ck_assert_uint_eq(st.ngroups, 2);
    CLOSE(st.slope, 1.35, 1e-12);  /* one group would say ~3.3 */
    CLOSE(st.se, 0.10246950765959598, 1e-10);
    CLOSE(st.ci_lo, 1.0865937280613807, 1e-6);
    CLOSE(st.ci_hi, 1.6134062719386195, 1e-6);
    CLOSE(st.theil_sen, 1.3333333333333333, 1e-12);
    CLOSE(st.mk_s, 12, 0);
    CLOSE(st.mk_var, 17.333333333333332, 1e-12);
    CLOSE(st.p_value, 0.008239018825724642, 1e-9);
}
END_TEST

/* The module's memory-leak table (section 3, pattern 3): p95 by hour. */
START_TEST(test_fit_module_leak_table)
{
    const double hours[] = { 0.5, 1.5, 2.5, 3.5 };
    const double p95[] = { 800, 950, 1800, 4500 };
    const double gb[] = { 1.2, 1.8, 2.5, 3.2 };
    struct ltk_trend_stats st;
    ck_assert_int_eq(ltk_trend_fit(hours, p95, NULL, 4, &st), LTK_OK);
    CLOSE(st.slope, 1195, 1e-12);                 /* ms per hour */
    CLOSE(st.ci_lo, -574.719413830295, 1e-6);     /* four points: the CI still holds 0 */
    CLOSE(st.theil_sen, 1041.6666666666665, 1e-12);
    CLOSE(st.p_value, 0.08942935902899363, 1e-9);
    ck_assert_int_eq(ltk_trend_fit(hours, gb, NULL, 4, &st), LTK_OK);
    CLOSE(st.slope, 0.67, 1e-12);                 /* GB per hour */
}
END_TEST

START_TEST(test_fit_refuses_too_little)
{
    const double x[] = { 0, 1, 2, 3 };
    const double y[] = { 1, 2, 3, 4 };
    const size_t g[] = { 0, 0, 1 };
    struct ltk_trend_stats st;
    ck_assert_int_eq(ltk_trend_fit(x, y, NULL, 2, &st), LTK_EINVAL);
    ck_assert_uint_eq(st.n, 2);
    ck_assert(isnan(st.slope));
    /* two groups in three points leave no residual degree of freedom */
    ck_assert_int_eq(ltk_trend_fit(x, y, g, 3, &st), LTK_EINVAL);
    /* no spread of x */
    const double same[] = { 5, 5, 5, 5 };
    ck_assert_int_eq(ltk_trend_fit(same, y, NULL, 4, &st), LTK_EINVAL);
    /* a constant y is a fit: slope 0, no trend */
    ck_assert_int_eq(ltk_trend_fit(x, same, NULL, 4, &st), LTK_OK);
    CLOSE(st.slope, 0, 1e-12);
    CLOSE(st.p_value, 1, 0);
}
END_TEST

#define HIST                                                                                         \
    "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,95%,99%,Total Request Count,"          \
    "Total Failure Count,Total Median Response Time,Total Average Response Time,"                   \
    "Total Min Response Time,Total Max Response Time,Total Average Content Size\r\n"

/* A run of `seconds` s: users from users_at(t), 10 requests a second, p95
 * from p95_at(t), no failures. */
static void synthetic(struct ltk_run *run, int seconds, int (*users_at)(int), double (*p95_at)(int))
{
    size_t cap = (size_t)seconds * 200 + 1024, n;
    char *csv = malloc(cap);
    n = (size_t)snprintf(csv, cap, "%s", HIST);
    unsigned long long req = 0;
    for (int t = 1; t <= seconds; t++) {
        req += 10;
        double p = p95_at(t);
        n += (size_t)snprintf(csv + n, cap - n, "%d,%d,GET,/a,10,0,50,%.1f,%.1f,%llu,0,1,1,1,1,1\r\n", 100000 + t,
                              users_at(t), p, p, req);
        n += (size_t)snprintf(csv + n, cap - n, "%d,%d,,Aggregated,10,0,50,%.1f,%.1f,%llu,0,1,1,1,1,1\r\n",
                              100000 + t, users_at(t), p, p, req);
    }
    ltk_run_init(run);
    run->label = strdup("synthetic");
    FILE *fp = mem_file(csv, n);
    ck_assert_int_eq(ltk_locust_read_history(run, fp, "h.csv", NULL), LTK_OK);
    fclose(fp);
    free(csv);
}

static int users_flat(int t) { (void)t; return 20; }
static int users_steps(int t) { return t <= 600 ? 20 : 40; }
/* deterministic noise in [-25, 25] ms */
static double noise(int t) { return (double)((t * 7919) % 51) - 25; }
static double p95_flat(int t) { return 500 + noise(t); }
static double p95_rising(int t) { return 500 + t * 0.5 + noise(t); }    /* +1800 ms/h */
static double p95_steps(int t) { return (t <= 600 ? 500 : 900) + noise(t); }

START_TEST(test_run_stable)
{
    struct ltk_run run;
    synthetic(&run, 1200, users_flat, p95_flat);
    struct ltk_trend_result r;
    struct ltk_error err;
    ck_assert_int_eq(ltk_trend_analyse(&run, NULL, NULL, &r, &err), LTK_OK);
    ck_assert_uint_eq(r.nsegments, 1);
    ck_assert_int_eq(r.bucket_s, 10);
    const struct ltk_trend_metric *p95 = ltk_trend_find(&r, "p95");
    ck_assert_ptr_nonnull(p95);
    ck_assert_int_eq(p95->verdict, LTK_TREND_STABLE);
    ck_assert(p95->st.n >= 115 && p95->st.n <= 119);
    ck_assert(p95->st.ci_lo < 0 && p95->st.ci_hi > 0);
    ck_assert_int_eq(ltk_trend_find(&r, "rps")->verdict, LTK_TREND_STABLE);
    ck_assert_int_eq(r.verdict, LTK_TREND_STABLE);
    ltk_trend_release(&r);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_run_degrading)
{
    struct ltk_run run;
    synthetic(&run, 1200, users_flat, p95_rising);
    struct ltk_trend_result r;
    struct ltk_error err;
    ck_assert_int_eq(ltk_trend_analyse(&run, NULL, NULL, &r, &err), LTK_OK);
    const struct ltk_trend_metric *p95 = ltk_trend_find(&r, "p95");
    ck_assert_int_eq(p95->verdict, LTK_TREND_DEGRADING);
    /* the true slope, 0.5 ms/s = 1800 ms/h, lies in the interval */
    ck_assert_msg(p95->st.ci_lo < 1800 && p95->st.ci_hi > 1800, "CI [%g, %g]", p95->st.ci_lo, p95->st.ci_hi);
    ck_assert(fabs(p95->st.theil_sen - 1800) < 200);
    ck_assert(p95->st.p_value < 1e-6);
    ck_assert_int_eq(r.verdict, LTK_TREND_DEGRADING);
    ck_assert_ptr_nonnull(strstr(r.verdict_reason, "p95 grows"));
    /* per endpoint too (the history has /a's rows) */
    size_t endpoint_rows = 0;
    for (size_t i = 0; i < r.nmetrics; i++)
        if (r.metrics[i].name && strcmp(r.metrics[i].name, "/a") == 0 && strcmp(r.metrics[i].metric, "p95") == 0) {
            endpoint_rows++;
            ck_assert_int_eq(r.metrics[i].verdict, LTK_TREND_DEGRADING);
        }
    ck_assert_uint_eq(endpoint_rows, 1);
    ltk_trend_release(&r);

    /* a larger --min-change makes the same slope "significant but small" */
    struct ltk_trend_options opt;
    ltk_trend_options_init(&opt);
    opt.min_change = 0.9;  /* the change is 600 ms on a mean of ~800 ms: 75 % */
    opt.endpoints = false;
    ck_assert_int_eq(ltk_trend_analyse(&run, NULL, &opt, &r, &err), LTK_OK);
    p95 = ltk_trend_find(&r, "p95");
    ck_assert_int_eq(p95->verdict, LTK_TREND_STABLE);
    ck_assert_ptr_nonnull(strstr(p95->note, "significant but small"));
    for (size_t i = 0; i < r.nmetrics; i++)
        ck_assert_ptr_null(r.metrics[i].name);
    ltk_trend_release(&r);
    ltk_run_release(&run);
}
END_TEST

/* Twice the users, twice the latency, and no trend within either level. */
START_TEST(test_run_steps_are_not_a_trend)
{
    struct ltk_run run;
    synthetic(&run, 1200, users_steps, p95_steps);
    struct ltk_trend_result r;
    struct ltk_error err;
    ck_assert_int_eq(ltk_trend_analyse(&run, NULL, NULL, &r, &err), LTK_OK);
    ck_assert_uint_eq(r.nsegments, 2);
    ck_assert_int_eq(r.segments[0].users, 20);
    ck_assert_int_eq(r.segments[1].users, 40);
    ck_assert_int_eq(r.segments[1].start, 610);  /* settled 10 s after the step */
    const struct ltk_trend_metric *p95 = ltk_trend_find(&r, "p95");
    ck_assert_uint_eq(p95->st.ngroups, 2);
    ck_assert_int_eq(p95->verdict, LTK_TREND_STABLE);
    ltk_trend_release(&r);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_run_options)
{
    struct ltk_run run;
    synthetic(&run, 1200, users_flat, p95_flat);
    struct ltk_trend_options opt;
    ltk_trend_options_init(&opt);
    struct ltk_trend_result r;
    struct ltk_error err;
    /* --skip moves the start; max_points widens the buckets */
    opt.skip_s = 600;
    opt.max_points = 20;
    ck_assert_int_eq(ltk_trend_analyse(&run, NULL, &opt, &r, &err), LTK_OK);
    ck_assert_int_eq(r.segments[0].start, 600);
    ck_assert_int_eq(r.bucket_s, 30);
    ck_assert_uint_le(ltk_trend_find(&r, "p95")->st.n, 20);
    ck_assert_uint_eq(r.nnotes, 1);
    ck_assert_ptr_nonnull(strstr(r.notes[0], "widened to 30 s"));
    ltk_trend_release(&r);
    /* the width is the least 10 s step that keeps the points under max_points */
    for (size_t m = 1; m <= 70; m++) {
        opt.max_points = m;
        ck_assert_int_eq(ltk_trend_analyse(&run, NULL, &opt, &r, &err), LTK_OK);
        int64_t total = r.segments[0].end - r.segments[0].start, b = r.bucket_s;
        ck_assert_int_eq(b % 10, 0);
        ck_assert_msg((size_t)(total / b) <= m, "max %zu: %lld / %lld", m, (long long)total, (long long)b);
        ck_assert_msg(b == 10 || (size_t)(total / (b - 10)) > m, "max %zu: %lld s is not the least", m, (long long)b);
        ltk_trend_release(&r);
    }
    opt.max_points = 20;
    /* too short to hold a segment: a result without metrics, not an error */
    opt.skip_s = 1190;
    ck_assert_int_eq(ltk_trend_analyse(&run, NULL, &opt, &r, &err), LTK_OK);
    ck_assert_uint_eq(r.nsegments, 0);
    ck_assert_uint_eq(r.nmetrics, 0);
    ck_assert_int_eq(r.verdict, LTK_TREND_UNKNOWN);
    ltk_trend_release(&r);
    /* the test type can be given */
    ltk_trend_options_init(&opt);
    opt.type = LTK_TT_SOAK;
    ck_assert_int_eq(ltk_trend_analyse(&run, NULL, &opt, &r, &err), LTK_OK);
    ck_assert_int_eq(r.type, LTK_TT_SOAK);
    ck_assert(r.type_given);
    ltk_trend_release(&r);
    ltk_run_release(&run);

    /* a run without history is an input error */
    ltk_run_init(&run);
    run.label = strdup("empty");
    ck_assert_int_eq(ltk_trend_analyse(&run, NULL, NULL, &r, &err), LTK_EINVAL);
    ltk_trend_release(&r);
    ltk_run_release(&run);
}
END_TEST

static void load_sample(struct ltk_run *run, const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "samples/runs/%s/%s", name, name);
    struct ltk_error err;
    ltk_run_init(run);
    ck_assert_msg(ltk_run_load(run, source_path(rel), &err) == LTK_OK, "%s", err.msg);
}

static void load_metrics(struct ltk_metrics *m, const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "samples/runs/%s/%s_metrics.csv", name, name);
    struct ltk_error err;
    ltk_metrics_init(m);
    ck_assert_msg(ltk_metrics_read(source_path(rel), m, &err) == LTK_OK, "%s", err.msg);
}

/* The leaking server: latency and memory grow together at 30 users. */
START_TEST(test_sample_soak_degrades)
{
    struct ltk_run run;
    struct ltk_metrics m;
    load_sample(&run, "soak");
    load_metrics(&m, "soak");
    struct ltk_trend_result r;
    struct ltk_error err;
    ck_assert_int_eq(ltk_trend_analyse(&run, &m, NULL, &r, &err), LTK_OK);
    ck_assert_int_eq(r.verdict, LTK_TREND_DEGRADING);
    const struct ltk_trend_metric *p95 = ltk_trend_find(&r, "p95");
    ck_assert_int_eq(p95->verdict, LTK_TREND_DEGRADING);
    ck_assert(p95->st.ci_lo > 0);  /* the interval excludes 0 */
    ck_assert_int_eq(ltk_trend_find(&r, "mem_mb")->verdict, LTK_TREND_DEGRADING);
    ck_assert_int_eq(ltk_trend_find(&r, "rps")->verdict, LTK_TREND_DEGRADING);
    ck_assert_int_eq(ltk_trend_find(&r, "error_rate")->verdict, LTK_TREND_STABLE);
    ck_assert(r.leak.have && r.leak.r > 0.9 && r.leak.signature);
    ltk_trend_release(&r);
    ltk_metrics_release(&m);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_sample_load_is_stable)
{
    struct ltk_run run;
    struct ltk_metrics m;
    load_sample(&run, "load");
    load_metrics(&m, "load");
    struct ltk_trend_result r;
    struct ltk_error err;
    ck_assert_int_eq(ltk_trend_analyse(&run, &m, NULL, &r, &err), LTK_OK);
    ck_assert_int_eq(r.verdict, LTK_TREND_STABLE);
    ck_assert(!r.leak.signature);
    ltk_trend_release(&r);
    ltk_metrics_release(&m);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_sample_spike_recovers)
{
    struct ltk_run run;
    load_sample(&run, "spike");
    struct ltk_trend_result r;
    struct ltk_error err;
    ck_assert_int_eq(ltk_trend_analyse(&run, NULL, NULL, &r, &err), LTK_OK);
    ck_assert_int_eq(r.type, LTK_TT_SPIKE);
    const struct ltk_trend_spike *sp = &r.spike;
    ck_assert(sp->found);
    ck_assert_int_eq(sp->users_from, 10);
    ck_assert_int_eq(sp->users, 175);
    /* from the CSV: p95 1500 ms before (median of the level after settling),
     * 7300 ms at worst, and the first window after the drop (ts ...871) at or
     * under 1800 ms is ...892 */
    CLOSE(sp->baseline_p95, 1500, 0);
    CLOSE(sp->peak_p95, 7300, 0);
    ck_assert(sp->recovered);
    CLOSE(sp->recovery_s, 22, 0);
    ck_assert_uint_eq(sp->failures, 1);
    ltk_trend_release(&r);
    ltk_run_release(&run);
}
END_TEST

/* Without --csv-full-history there is no latency trend, and it says so. */
START_TEST(test_sample_cumulative_refused)
{
    struct ltk_run run;
    load_sample(&run, "smoke");
    struct ltk_trend_result r;
    struct ltk_error err;
    ck_assert_int_eq(ltk_trend_analyse(&run, NULL, NULL, &r, &err), LTK_OK);
    ck_assert_int_eq(r.pct_kind, LTK_HPCT_CUMULATIVE);
    ck_assert_ptr_null(ltk_trend_find(&r, "p95"));
    ck_assert_ptr_nonnull(ltk_trend_find(&r, "rps"));
    bool said = false;
    for (size_t i = 0; i < r.nnotes; i++)
        said = said || strstr(r.notes[i], "--csv-full-history");
    ck_assert(said);
    ltk_trend_release(&r);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_json)
{
    struct ltk_run run;
    synthetic(&run, 1200, users_flat, p95_rising);
    struct ltk_trend_result r;
    struct ltk_error err;
    ck_assert_int_eq(ltk_trend_analyse(&run, NULL, NULL, &r, &err), LTK_OK);
    cJSON *built = ltk_trend_to_json(&r, "x");
    ck_assert_ptr_nonnull(built);
    char *text = cJSON_PrintUnformatted(built);
    cJSON_Delete(built);
    cJSON *doc = cJSON_Parse(text);  /* numbers are raw text until parsed */
    free(text);
    ck_assert_ptr_nonnull(doc);
    ck_assert_str_eq(cJSON_GetObjectItem(doc, "schema")->valuestring, "ltk.trend/1");
    ck_assert_str_eq(cJSON_GetObjectItem(doc, "verdict")->valuestring, "degrading");
    cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "metrics"), 1);
    ck_assert_str_eq(cJSON_GetObjectItem(m, "metric")->valuestring, "p95");
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(m, "endpoint")));
    cJSON *ci = cJSON_GetObjectItem(m, "ci95");
    ck_assert_int_eq(cJSON_GetArraySize(ci), 2);
    ck_assert(cJSON_GetArrayItem(ci, 0)->valuedouble < 1800 && cJSON_GetArrayItem(ci, 1)->valuedouble > 1800);
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(doc, "spike")));
    cJSON_Delete(doc);
    ltk_trend_release(&r);
    ltk_run_release(&run);
}
END_TEST

int main(void)
{
    gsl_set_error_handler_off();
    Suite *s = suite_create("trend");
    TCase *tc = tcase_create("statistics");
    tcase_add_test(tc, test_fit_one_group);
    tcase_add_test(tc, test_fit_ties);
    tcase_add_test(tc, test_fit_two_groups);
    tcase_add_test(tc, test_fit_module_leak_table);
    tcase_add_test(tc, test_fit_refuses_too_little);
    suite_add_tcase(s, tc);
    tc = tcase_create("runs");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_run_stable);
    tcase_add_test(tc, test_run_degrading);
    tcase_add_test(tc, test_run_steps_are_not_a_trend);
    tcase_add_test(tc, test_run_options);
    tcase_add_test(tc, test_sample_soak_degrades);
    tcase_add_test(tc, test_sample_load_is_stable);
    tcase_add_test(tc, test_sample_spike_recovers);
    tcase_add_test(tc, test_sample_cumulative_refused);
    tcase_add_test(tc, test_json);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

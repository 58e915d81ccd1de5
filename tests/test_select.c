/* Check suite for lib/model/select.c and ltk_run_load_select: the times of
 * --from/--to (valid, invalid, to before from, past the end), the endpoint
 * expressions, and what a selection keeps of the real samples (raw log:
 * totals merged from the kept intervals and endpoints; Locust's CSV: counts
 * from the cumulative history). */
#include <math.h>
#include <stdint.h>

#include "ltk/read/load.h"
#include "ltk/read/rawlog.h"
#include "ltk/model/select.h"
#include "ltk/model/summary.h"
#include "testutil.h"

static const char *src_dir(void)
{
    const char *s = getenv("LTK_SOURCE_DIR");
    return s ? s : ".";
}

static const char *sample(const char *rel)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/samples/runs/%s", src_dir(), rel);
    return path;
}

/* ---- times ---- */

static const struct {
    const char *text;
    bool absolute;
    double value;
} good_times[] = {
    { "0", false, 0 },
    { "90", false, 90 },
    { "90s", false, 90 },
    { "10m", false, 600 },
    { "1h", false, 3600 },
    { "250ms", false, 0.25 },
    { "@1765112700", true, 1765112700 },
    { "2026-12-07T13:05:00Z", true, 1796648700 },
    { "2026-12-07T14:05:00+01:00", true, 1796648700 },
    { "2026-12-07T08:35:00-04:30", true, 1796648700 },
    { "2024-02-29T00:00:00Z", true, 1709164800 },
};

START_TEST(valid_times_parse_to_their_seconds)
{
    struct ltk_time_spec t;
    struct ltk_error err;
    ltk_error_clear(&err);
    ck_assert_msg(ltk_time_spec_parse(good_times[_i].text, &t, &err) == LTK_OK, "%s: %s", good_times[_i].text,
                  err.msg);
    ck_assert(t.given);
    ck_assert_int_eq(t.absolute, good_times[_i].absolute);
    ck_assert_double_eq_tol(t.value, good_times[_i].value, 1e-9);
    ck_assert_str_eq(t.text, good_times[_i].text);
}
END_TEST

static const char *const bad_times[] = {
    "", "abc", "-5s", "10x", "@", "@-1", "@12.5", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
    "2026-12-07T13:05:00", "2026-12-07T25:00:00Z", "2026-12-07 13:05:00Z", "2026-12-07T13:05:00+1:00",
    "1e99s",
};

START_TEST(invalid_times_are_refused_saying_what_is_expected)
{
    struct ltk_time_spec t;
    struct ltk_error err;
    ltk_error_clear(&err);
    ck_assert_int_eq(ltk_time_spec_parse(bad_times[_i], &t, &err), LTK_EINVAL);
    ck_assert_msg(strstr(err.msg, "expected"), "%s: %s", bad_times[_i], err.msg);
}
END_TEST

START_TEST(to_before_from_is_refused)
{
    struct ltk_select sel;
    ltk_select_init(&sel);
    struct ltk_error err;
    ltk_error_clear(&err);
    ck_assert_int_eq(ltk_select_set_time(&sel, false, "10m", &err), LTK_OK);
    ck_assert_int_eq(ltk_select_set_time(&sel, true, "5m", &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "not after"));
    ck_assert_int_eq(ltk_select_set_time(&sel, true, "10m", &err), LTK_EINVAL);   /* empty */
    ck_assert(!sel.to.given);
    ck_assert_int_eq(ltk_select_set_time(&sel, true, "11m", &err), LTK_OK);
    /* of two kinds, only the run's start tells */
    ltk_select_init(&sel);
    ck_assert_int_eq(ltk_select_set_time(&sel, false, "60s", &err), LTK_OK);
    ck_assert_int_eq(ltk_select_set_time(&sel, true, "@1000100", &err), LTK_OK);
    double lo, hi;
    ck_assert_int_eq(ltk_select_bounds(&sel, 1000000, &lo, &hi, &err), LTK_OK);
    ck_assert_double_eq(lo, 1000060);
    ck_assert_double_eq(hi, 1000100);
    ck_assert_int_eq(ltk_select_bounds(&sel, 1000050, &lo, &hi, &err), LTK_EINVAL);
    ltk_select_release(&sel);
}
END_TEST

/* ---- endpoints ---- */

START_TEST(expressions_keep_by_method_and_name)
{
    struct ltk_select sel;
    ltk_select_init(&sel);
    struct ltk_error err;
    ltk_error_clear(&err);
    ck_assert(ltk_select_keeps(&sel, "POST", "/query"));   /* no filter: all */
    ck_assert_int_eq(ltk_select_add_pattern(&sel, false, "^GET ", &err), LTK_OK);
    ck_assert(ltk_select_keeps(&sel, "GET", "/health"));
    ck_assert(!ltk_select_keeps(&sel, "POST", "/query"));
    ck_assert(!ltk_select_keeps(&sel, "POST", "GET x"));   /* "METHOD name": the method first */
    /* several --only are or'ed */
    ck_assert_int_eq(ltk_select_add_pattern(&sel, false, "query$", &err), LTK_OK);
    ck_assert(ltk_select_keeps(&sel, "POST", "/query"));
    /* --exclude wins */
    ck_assert_int_eq(ltk_select_add_pattern(&sel, true, "health", &err), LTK_OK);
    ck_assert(!ltk_select_keeps(&sel, "GET", "/health"));
    ck_assert(ltk_select_keeps(&sel, "GET", "/retrieval"));
    ck_assert(ltk_select_filter(&sel) && !ltk_select_window(&sel) && ltk_select_active(&sel));
    ltk_select_release(&sel);
}
END_TEST

START_TEST(a_bad_expression_gives_regerrors_words)
{
    struct ltk_select sel;
    ltk_select_init(&sel);
    struct ltk_error err;
    ltk_error_clear(&err);
    ck_assert_int_eq(ltk_select_add_pattern(&sel, false, "(", &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "--only '('"));
    ck_assert_ptr_nonnull(strstr(err.msg, "not a POSIX extended regular expression: "));
    ck_assert_uint_eq(sel.nonly, 0);
    ck_assert_int_eq(ltk_select_add_pattern(&sel, true, "a{2,1}", &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "--exclude"));
    ltk_select_release(&sel);
}
END_TEST

/* ---- a raw log, selected as a summary ---- */

static void summarize(struct ltk_summary *s)
{
    struct ltk_error err;
    ltk_error_clear(&err);
    ltk_summary_init(s);
    ck_assert_int_eq(ltk_rawlog_summarize(s, sample("load/load_requests.csv"), NULL, &err), LTK_OK);
}

static void load_sel(struct ltk_run *run, const char *rel, const struct ltk_select *sel)
{
    struct ltk_error err;
    ltk_error_clear(&err);
    ltk_run_init(run);
    ck_assert_msg(ltk_run_load_select(run, sample(rel), NULL, sel, &err) == LTK_OK, "%s", err.msg);
}

START_TEST(a_window_of_a_raw_log_holds_the_requests_of_its_intervals)
{
    struct ltk_summary whole;
    summarize(&whole);
    double start = floor(whole.tmin);
    uint64_t want = 0, want_fail = 0;
    for (size_t i = 0; i < whole.nintervals; i++) {
        double t = (double)whole.intervals[i].t;
        if (t >= start + 30 && t + 1 <= start + 60) {
            want += whole.intervals[i].requests;
            want_fail += whole.intervals[i].failures;
        }
    }
    ck_assert_uint_gt(want, 0);
    ck_assert_uint_lt(want, whole.total.count);
    struct ltk_select sel;
    ltk_select_init(&sel);
    struct ltk_error err;
    ck_assert_int_eq(ltk_select_set_time(&sel, false, "30s", &err), LTK_OK);
    ck_assert_int_eq(ltk_select_set_time(&sel, true, "1m", &err), LTK_OK);
    struct ltk_run run;
    load_sel(&run, "load/load_requests.csv", &sel);
    ck_assert_uint_eq(run.total.requests, want);
    ck_assert_uint_eq(run.total.failures, want_fail);
    uint64_t sum = 0;
    for (size_t i = 0; i < run.nendpoints; i++)
        sum += run.endpoints[i].requests;
    ck_assert_uint_eq(sum, want);
    ck_assert(run.selection.window && !run.selection.filter);
    ck_assert_double_eq(run.selection.from_s, 30);
    ck_assert_double_eq(run.selection.to_s, 60);
    ck_assert_int_eq(run.selection.start, (int64_t)start);
    ck_assert_ptr_nonnull(strstr(run.selection.basis, "merged from the histograms of the 30 interval(s)"));
    /* percentiles from the merged histogram: at most the window's max */
    ck_assert(run.total.pct[0] <= run.total.max);
    ck_assert_uint_eq(run.nhistory > 0, 1);
    ltk_run_release(&run);
    ltk_select_release(&sel);
    ltk_summary_release(&whole);
}
END_TEST

START_TEST(two_windows_side_by_side_count_every_request_once)
{
    struct ltk_select a, b;
    ltk_select_init(&a);
    ltk_select_init(&b);
    struct ltk_error err;
    ck_assert_int_eq(ltk_select_set_time(&a, true, "45s", &err), LTK_OK);
    ck_assert_int_eq(ltk_select_set_time(&b, false, "45s", &err), LTK_OK);
    struct ltk_run ra, rb, whole;
    load_sel(&ra, "load/load_requests.csv", &a);
    load_sel(&rb, "load/load_requests.csv", &b);
    load_sel(&whole, "load/load_requests.csv", NULL);
    ck_assert_uint_eq(ra.total.requests + rb.total.requests, whole.total.requests);
    ck_assert_double_eq(ra.selection.to_s, rb.selection.from_s);
    ltk_run_release(&ra);
    ltk_run_release(&rb);
    ltk_run_release(&whole);
    ltk_select_release(&a);
    ltk_select_release(&b);
}
END_TEST

START_TEST(a_window_past_the_end_or_without_times_is_refused)
{
    struct ltk_select sel;
    ltk_select_init(&sel);
    struct ltk_error err;
    ltk_error_clear(&err);
    ck_assert_int_eq(ltk_select_set_time(&sel, false, "1h", &err), LTK_OK);
    struct ltk_run run;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load_select(&run, sample("load/load_requests.csv"), NULL, &sel, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "holds no whole interval"));
    ck_assert_ptr_nonnull(strstr(err.file, "load_requests.csv"));
    ltk_run_release(&run);
    ltk_run_init(&run);
    ltk_error_clear(&err);
    ck_assert_int_eq(ltk_run_load_select(&run, sample("load/load"), NULL, &sel, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "holds no history row"));
    ltk_run_release(&run);
    /* Locust's JSON has no times */
    ltk_run_init(&run);
    ltk_error_clear(&err);
    ck_assert_int_eq(ltk_run_load_select(&run, sample("jsonfile/jsonfile.json"), NULL, &sel, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "whole run only"));
    ltk_run_release(&run);
    ltk_select_release(&sel);
}
END_TEST

START_TEST(filters_merge_the_total_from_the_kept_endpoints)
{
    struct ltk_select sel;
    ltk_select_init(&sel);
    struct ltk_error err;
    ck_assert_int_eq(ltk_select_add_pattern(&sel, false, "^GET", &err), LTK_OK);
    struct ltk_run run, whole;
    load_sel(&run, "load/load_requests.csv", &sel);
    load_sel(&whole, "load/load_requests.csv", NULL);
    ck_assert_uint_eq(run.nendpoints, 2);
    struct ltk_hist *m;
    ck_assert_int_eq(ltk_hist_new(ltk_hist_method_of(whole.total.hist), &m), LTK_OK);
    uint64_t n = 0;
    for (size_t i = 0; i < whole.nendpoints; i++) {
        if (strcmp(whole.endpoints[i].type, "GET") != 0)
            continue;
        n += whole.endpoints[i].requests;
        ck_assert_int_eq(ltk_hist_merge(m, whole.endpoints[i].hist), LTK_OK);
    }
    ck_assert_uint_eq(run.total.requests, n);
    for (size_t k = 0; k < run.stats_pct.n; k++)
        ck_assert_double_eq(run.total.pct[k], ltk_hist_quantile(m, run.stats_pct.q[k]));
    ck_assert(run.total.pct[run.stats_pct.n - 1] < whole.total.pct[whole.stats_pct.n - 1]);   /* /query left out */
    /* the history's totals too */
    uint64_t hist_n = 0;
    for (size_t i = 0; i < run.nhistory; i++) {
        if (!run.history[i].is_total)
            ck_assert_str_eq(run.history[i].type, "GET");
    }
    for (size_t i = run.nhistory; i-- > 0;)
        if (run.history[i].is_total) {
            hist_n = run.history[i].requests;
            break;
        }
    ck_assert_uint_eq(hist_n, n);
    ck_assert_uint_eq(run.selection.endpoints_kept, 2);
    ck_assert_uint_eq(run.selection.endpoints_dropped, 1);
    ltk_hist_free(m);
    ltk_run_release(&run);
    ltk_run_release(&whole);
    /* nothing kept */
    ltk_select_release(&sel);
    ltk_select_init(&sel);
    ck_assert_int_eq(ltk_select_add_pattern(&sel, false, "^DELETE", &err), LTK_OK);
    ltk_run_init(&run);
    ltk_error_clear(&err);
    ck_assert_int_eq(ltk_run_load_select(&run, sample("load/load_requests.csv"), NULL, &sel, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "no endpoint is kept"));
    ck_assert_ptr_nonnull(strstr(err.msg, "'POST /query'"));
    ltk_run_release(&run);
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load_select(&run, sample("load/load"), NULL, &sel, &err), LTK_EINVAL);
    ltk_run_release(&run);
    ltk_select_release(&sel);
}
END_TEST

/* ---- Locust's CSV ---- */

START_TEST(locust_csv_filters_never_average_percentiles)
{
    struct ltk_select sel;
    ltk_select_init(&sel);
    struct ltk_error err;
    ck_assert_int_eq(ltk_select_add_pattern(&sel, false, "^GET", &err), LTK_OK);
    struct ltk_run run, whole;
    load_sel(&run, "load/load", &sel);
    load_sel(&whole, "load/load", NULL);
    ck_assert_uint_eq(run.nendpoints, 2);
    uint64_t n = 0;
    double sum = 0, mx = 0;
    for (size_t i = 0; i < run.nendpoints; i++) {
        n += run.endpoints[i].requests;
        sum += run.endpoints[i].mean * (double)run.endpoints[i].requests;
        mx = fmax(mx, run.endpoints[i].max);
    }
    ck_assert_uint_eq(run.total.requests, n);
    ck_assert_double_eq_tol(run.total.mean, sum / (double)n, 1e-9);
    ck_assert_double_eq(run.total.max, mx);
    for (size_t k = 0; k < run.stats_pct.n; k++)
        ck_assert(isnan(run.total.pct[k]));
    ck_assert(isnan(run.total.median));
    ck_assert_ptr_nonnull(strstr(run.selection.basis, "never averaged"));
    ltk_run_release(&run);
    ltk_select_release(&sel);
    /* one endpoint: its own percentiles */
    ltk_select_init(&sel);
    ck_assert_int_eq(ltk_select_add_pattern(&sel, false, "/query", &err), LTK_OK);
    load_sel(&run, "load/load", &sel);
    ck_assert_uint_eq(run.nendpoints, 1);
    for (size_t k = 0; k < run.stats_pct.n; k++)
        ck_assert(run.total.pct[k] == run.endpoints[0].pct[k] ||
                  (isnan(run.total.pct[k]) && isnan(run.endpoints[0].pct[k])));
    ltk_run_release(&run);
    ltk_run_release(&whole);
    ltk_select_release(&sel);
}
END_TEST

START_TEST(locust_csv_windows_are_differences_of_the_cumulative_history)
{
    /* load's history: Aggregated 511 requests at start+29 s, 1096 at start+60 s */
    struct ltk_select sel;
    ltk_select_init(&sel);
    struct ltk_error err;
    ck_assert_int_eq(ltk_select_set_time(&sel, false, "30s", &err), LTK_OK);
    ck_assert_int_eq(ltk_select_set_time(&sel, true, "60s", &err), LTK_OK);
    struct ltk_run run;
    load_sel(&run, "load/load", &sel);
    ck_assert_uint_eq(run.total.requests, 1096 - 511);
    ck_assert_double_eq(run.selection.from_s, 29);
    ck_assert_double_eq(run.selection.to_s, 60);
    ck_assert_double_eq_tol(run.total.rps, (1096.0 - 511.0) / 31.0, 1e-9);
    ck_assert(isnan(run.total.pct[0]));
    ck_assert_uint_eq(run.nfailures, 0);
    for (size_t i = 0; i < run.nhistory; i++)
        ck_assert(run.history[i].ts >= 1795801502 + 30 && run.history[i].ts <= 1795801502 + 60);
    ltk_run_release(&run);
    ltk_select_release(&sel);
    /* from the start: requests of the row at the end */
    ltk_select_init(&sel);
    ck_assert_int_eq(ltk_select_set_time(&sel, true, "@1795801562", &err), LTK_OK);
    load_sel(&run, "load/load", &sel);
    ck_assert_uint_eq(run.total.requests, 1096);
    ck_assert(!isnan(run.total.max));
    ltk_run_release(&run);
    ltk_select_release(&sel);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("select");
    TCase *t = tcase_create("core");
    tcase_add_loop_test(t, valid_times_parse_to_their_seconds, 0, (int)(sizeof good_times / sizeof good_times[0]));
    tcase_add_loop_test(t, invalid_times_are_refused_saying_what_is_expected, 0,
                        (int)(sizeof bad_times / sizeof bad_times[0]));
    tcase_add_test(t, to_before_from_is_refused);
    tcase_add_test(t, expressions_keep_by_method_and_name);
    tcase_add_test(t, a_bad_expression_gives_regerrors_words);
    tcase_add_test(t, a_window_of_a_raw_log_holds_the_requests_of_its_intervals);
    tcase_add_test(t, two_windows_side_by_side_count_every_request_once);
    tcase_add_test(t, a_window_past_the_end_or_without_times_is_refused);
    tcase_add_test(t, filters_merge_the_total_from_the_kept_endpoints);
    tcase_add_test(t, locust_csv_filters_never_average_percentiles);
    tcase_add_test(t, locust_csv_windows_are_differences_of_the_cumulative_history);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return run_suite(suite());
}

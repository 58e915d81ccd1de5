/* Check suite for status codes (lib/model/status.c), counts at a time
 * (ltk_hist_count_le), Apdex, ranges and shares (lib/analyze/latency.c),
 * their criteria (criteria.c, check.c), and how the raw-log reader and the
 * summary carry codes, successes' histograms and exact counts at cuts. */
#include <math.h>

#include "ltk/analyze/check.h"
#include "ltk/analyze/criteria.h"
#include "ltk/analyze/latency.h"
#include "ltk/model/hist.h"
#include "ltk/model/status.h"
#include "ltk/model/summary.h"
#include "ltk/read/load.h"
#include "ltk/read/rawlog.h"
#include "ltk/read/summary_json.h"
#include "ltk/read/summary_run.h"
#include "testutil.h"

static const char *dir;

static void setup(void)
{
    dir = temp_dir();
}

/* ---- codes from failure texts ------------------------------------------------ */

static const struct {
    const char *text;
    int code;
} texts[] = {
    { "HTTPError('500 Server Error: Internal Server Error for url: /retrieval')", 500 },
    { "HTTPError('429 Client Error: Too Many Requests for url: /q')", 429 },
    { "CatchResponseError('HTTP 429: RateLimitError: Rate limit reached ... Limit: 500 requests per minute.')", 429 },
    { "CatchResponseError('HTTP 503: ServiceUnavailable: all 8 workers busy')", 503 },
    { "HTTP 404", 404 },
    { "503", 503 },
    { "status code 502 from upstream", 502 },
    { "status_code=500", 500 },
    /* numbers that are not codes */
    { "ReadTimeout(ReadTimeoutError(\"HTTPConnectionPool(host='127.0.0.1', port=36101): Read timed out.\"))", 0 },
    { "ConnectionRefusedError(111, 'Connection refused')", 0 },
    { "HTTPConnectionPool(host='127.0.0.1', port=36101): Read timed out.", -1 },
    { "Limit: 500 requests per minute", -1 },
    { "HTTP 5000: what", -1 },
    { "HTTP 700: no", -1 },
    { "5034", -1 },
    { "", -1 },
};

START_TEST(codes_are_inferred_from_failure_texts)
{
    ck_assert_msg(ltk_status_from_text(texts[_i].text) == texts[_i].code, "%s: got %d, want %d", texts[_i].text,
                  ltk_status_from_text(texts[_i].text), texts[_i].code);
}
END_TEST

START_TEST(status_lists_add_merge_and_count)
{
    struct ltk_status_list a = { 0 }, b = { 0 };
    ck_assert_int_eq(ltk_status_add(&a, 503, 2, 0), 0);
    ck_assert_int_eq(ltk_status_add(&a, 200, 5, 0), 0);
    ck_assert_int_eq(ltk_status_add(&a, 0, 1, 0), 0);
    ck_assert_int_eq(ltk_status_add(&a, 429, 0, 3), 0);
    ck_assert_int_eq(ltk_status_add(&a, 1000, 1, 0), -1);
    ck_assert_uint_eq(a.n, 4);
    ck_assert_int_eq(a.v[0].code, 0);      /* ascending */
    ck_assert_int_eq(a.v[3].code, 503);
    ck_assert_uint_eq(ltk_status_total(&a), 11);
    ck_assert_uint_eq(ltk_status_total_inferred(&a), 3);
    ck_assert_uint_eq(ltk_status_count_of(&a, LTK_SC_5XX, true), 2);
    ck_assert_uint_eq(ltk_status_count_of(&a, LTK_SC_4XX, true), 3);
    ck_assert_uint_eq(ltk_status_count_of(&a, LTK_SC_OTHER, true), 1);
    ck_assert_uint_eq(ltk_status_count_of(&a, 429, false), 3);
    ck_assert_int_eq(ltk_status_add(&b, 503, 1, 1), 0);
    ck_assert_int_eq(ltk_status_merge(&b, &a), 0);
    ck_assert_uint_eq(ltk_status_count_of(&b, 503, false), 4);
    ck_assert(!ltk_status_equal(&a, &b));
    ltk_status_release(&a);
    ltk_status_release(&b);
}
END_TEST

/* ---- counts at a time ------------------------------------------------------ */

START_TEST(count_le_is_exact_or_bounds_it)
{
    static const double v[] = { 100, 250, 499.9, 500, 500.1, 501, 800, 1999, 2000, 4000 };
    for (int m = LTK_HIST_HDR; m <= LTK_HIST_EXACT; m++) {
        struct ltk_hist *h;
        ck_assert_int_eq(ltk_hist_new((enum ltk_hist_method)m, &h), LTK_OK);
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
            ck_assert_int_eq(ltk_hist_add(h, v[i]), LTK_OK);
        static const double xs[] = { 50, 500, 800, 2000, 5000 };
        static const uint64_t exact[] = { 0, 4, 7, 9, 10 };
        for (size_t k = 0; k < 5; k++) {
            uint64_t lo, hi;
            ltk_hist_count_le(h, xs[k], &lo, &hi);
            ck_assert_msg(lo <= exact[k] && exact[k] <= hi, "%s at %g: [%llu, %llu] misses %llu",
                          ltk_hist_method_name((enum ltk_hist_method)m), xs[k], (unsigned long long)lo,
                          (unsigned long long)hi, (unsigned long long)exact[k]);
            if (m == LTK_HIST_EXACT)
                ck_assert_uint_eq(lo, hi);
        }
        ltk_hist_free(h);
    }
}
END_TEST

/* ---- a run built by hand ---------------------------------------------------- */

/* One endpoint "GET /a" of the given successful times and failures, as a
 * raw log would give it (hist, ok_hist). */
static void hand_run(struct ltk_run *run, const double *ok, size_t nok, const double *bad, size_t nbad)
{
    ltk_run_init(run);
    run->endpoints = calloc(1, sizeof *run->endpoints);
    run->nendpoints = 1;
    struct ltk_endpoint *e = &run->endpoints[0];
    e->type = strdup("GET");
    e->name = strdup("/a");
    ck_assert_int_eq(ltk_hist_new(LTK_HIST_EXACT, &e->hist), LTK_OK);
    ck_assert_int_eq(ltk_hist_new(LTK_HIST_EXACT, &e->ok_hist), LTK_OK);
    for (size_t i = 0; i < nok; i++) {
        ltk_hist_add(e->hist, ok[i]);
        ltk_hist_add(e->ok_hist, ok[i]);
    }
    for (size_t i = 0; i < nbad; i++)
        ltk_hist_add(e->hist, bad[i]);
    e->requests = nok + nbad;
    e->failures = nbad;
    e->min = ltk_hist_min(e->hist);
    e->max = ltk_hist_max(e->hist);
}

START_TEST(apdex_and_ranges_by_the_standard_rule)
{
    /* T = 500: satisfied 100, 500; tolerating 501, 2000; frustrated 2001 and two failures */
    static const double ok[] = { 100, 500, 501, 2000, 2001 }, bad[] = { 10, 5000 };
    struct ltk_run run;
    hand_run(&run, ok, 5, bad, 2);
    const struct ltk_endpoint *e = &run.endpoints[0];
    struct ltk_share a = ltk_apdex(&run, e, 500);
    ck_assert_double_eq_tol(a.lo, (2 + 2 / 2.0) / 7, 1e-12);
    ck_assert_double_eq(a.lo, a.hi);
    ck_assert_int_eq(a.basis, LTK_LE_OK_HIST);
    double cuts[] = { 500, 2000 };
    struct ltk_share r[4];
    ltk_ranges(&run, e, cuts, 2, r);
    ck_assert_double_eq_tol(r[0].lo, 2 / 7.0, 1e-12);
    ck_assert_double_eq_tol(r[1].lo, 2 / 7.0, 1e-12);
    ck_assert_double_eq_tol(r[2].lo, 1 / 7.0, 1e-12);
    ck_assert_double_eq_tol(r[3].lo, 2 / 7.0, 1e-12);   /* failed */
    struct ltk_share u = ltk_share_under(&run, e, 2000);
    ck_assert_double_eq_tol(u.hi, 4 / 7.0, 1e-12);
    /* success-only percentiles leave the failed 5000 out */
    ck_assert_double_eq(ltk_ok_quantile(e, 1.0), 2001);
    ck_assert_double_eq(ltk_hist_quantile(e->hist, 1.0), 5000);
    ltk_run_release(&run);
}
END_TEST

START_TEST(percentile_columns_bound_the_share)
{
    /* Locust's CSV: 100 requests, 10 failed, p50 = 400 and p95 = 1200 (rounded keys) */
    struct ltk_run run;
    ltk_run_init(&run);
    double q[] = { 0.5, 0.95 };
    run.stats_pct.q = q;
    run.stats_pct.n = 2;
    struct ltk_endpoint e = { .requests = 100, .failures = 10, .min = 50, .max = 3000 };
    double pct[] = { 400, 1200 };
    e.pct = pct;
    uint64_t lo, hi;
    /* at 500: at least int(100*0.5)+1 = 51 took <= 405, so <= 500; minus the 10 failures: 41;
     * 500 rounds below 1200, so at most int(100*0.95) = 95 took <= 500, and at most 90 succeeded */
    ck_assert_int_eq(ltk_ok_le(&run, &e, 500, &lo, &hi), LTK_LE_PCT);
    ck_assert_uint_eq(lo, 41);
    ck_assert_uint_eq(hi, 90);
    /* at 394: it rounds to 390, below 400: at most int(100*0.5) = 50 (399 would round to 400: no bound) */
    ltk_ok_le(&run, &e, 394, &lo, &hi);
    ck_assert_uint_eq(lo, 0);
    ck_assert_uint_eq(hi, 50);
    /* above max: every success */
    ltk_ok_le(&run, &e, 3000, &lo, &hi);
    ck_assert_uint_eq(lo, 90);
    ck_assert_uint_eq(hi, 90);
    struct ltk_share a = ltk_apdex(&run, &e, 500);
    ck_assert(a.lo < a.hi);
    run.stats_pct.q = NULL;
    run.stats_pct.n = 0;
    ltk_run_release(&run);
}
END_TEST

START_TEST(cuts_parse_ascending_times)
{
    double c[4];
    char why[160];
    ck_assert_int_eq(ltk_parse_cuts("800ms,1.2s,2000", c, 4, why, sizeof why), 3);
    ck_assert_double_eq(c[0], 800);
    ck_assert_double_eq(c[1], 1200);
    ck_assert_double_eq(c[2], 2000);
    ck_assert_int_eq(ltk_parse_cuts("1200ms,800ms", c, 4, why, sizeof why), -1);
    ck_assert_ptr_nonnull(strstr(why, "ascending"));
    ck_assert_int_eq(ltk_parse_cuts("0", c, 4, why, sizeof why), -1);
    ck_assert_int_eq(ltk_parse_cuts("1,2,3,4,5", c, 4, why, sizeof why), -1);
    size_t n = 0;
    ck_assert_int_eq(ltk_cuts_add(c, &n, 4, 500), 0);
    ck_assert_int_eq(ltk_cuts_add(c, &n, 4, 200), 0);
    ck_assert_int_eq(ltk_cuts_add(c, &n, 4, 500), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_double_eq(c[0], 200);
}
END_TEST

/* ---- the criteria --------------------------------------------------------------- */

START_TEST(new_metrics_parse)
{
    struct ltk_criterion c;
    struct ltk_error err;
    ck_assert_int_eq(ltk_criterion_parse("status_5xx<1%", &c, &err), LTK_OK);
    ck_assert_int_eq(c.metric, LTK_MET_STATUS);
    ck_assert(c.status_class);
    ck_assert_int_eq(c.status, 5);
    ck_assert_double_eq(c.limit, 1);
    ltk_criterion_release(&c);
    ck_assert_int_eq(ltk_criterion_parse("/query: status_429==0", &c, &err), LTK_OK);
    ck_assert_int_eq(c.status, 429);
    ck_assert(!c.status_class);
    ck_assert_str_eq(c.endpoint, "/query");
    ltk_criterion_release(&c);
    ck_assert_int_eq(ltk_criterion_parse("apdex>0.9", &c, &err), LTK_OK);
    ck_assert_int_eq(c.metric, LTK_MET_APDEX);
    ck_assert_double_eq(c.at_ms, 0);
    ck_assert_double_eq(c.limit, 0.9);
    ltk_criterion_release(&c);
    ck_assert_int_eq(ltk_criterion_parse("/q: apdex_1.5s>=0.8", &c, &err), LTK_OK);
    ck_assert_double_eq(c.at_ms, 1500);
    ck_assert_str_eq(c.metric_name, "apdex_1.5s");
    ltk_criterion_release(&c);
    ck_assert_int_eq(ltk_criterion_parse("under_800ms>90%", &c, &err), LTK_OK);
    ck_assert_int_eq(c.metric, LTK_MET_UNDER);
    ck_assert_double_eq(c.at_ms, 800);
    ck_assert_str_eq(ltk_metric_unit(c.metric), "%");
    ltk_criterion_release(&c);
    ck_assert_int_eq(ltk_criterion_parse("ok.p95<2s", &c, &err), LTK_OK);
    ck_assert(c.ok);
    ck_assert_int_eq(c.metric, LTK_MET_PCT);
    ck_assert_double_eq(c.pct, 95);
    ck_assert_str_eq(c.metric_name, "ok.p95");
    ltk_criterion_release(&c);
    ck_assert_int_eq(ltk_criterion_parse("ok.mean<1s", &c, &err), LTK_OK);
    ck_assert_int_eq(c.metric, LTK_MET_MEAN);
    ltk_criterion_release(&c);
    static const char *const bad[] = { "status_6xx<1%", "status_99<1%", "status_5xx<1", "apdex>1.5",
                                       "apdex>0.5%", "under_0ms>1%", "under_800>90", "ok.rps>1",
                                       "ok.error_rate<1%", "apdex>0.9 over 60s", "status_5xx<1% during spike" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(ltk_criterion_parse(bad[i], &c, &err) == LTK_EINVAL, "%s was accepted", bad[i]);
}
END_TEST

/* A check of one criterion on run: its verdict, -1 when the check refuses
 * it (a criterion of the user's that cannot be evaluated). */
static int verdict_of(const struct ltk_run *run, const char *expr, double apdex_t)
{
    struct ltk_criterion c;
    struct ltk_error err;
    ck_assert_int_eq(ltk_criterion_parse(expr, &c, &err), LTK_OK);
    struct ltk_check_opts o = { .type = LTK_TT_LOAD, .criteria = &c, .ncriteria = 1, .apdex_t_ms = apdex_t };
    struct ltk_check_report rep;
    int rc = ltk_check_run(run, &o, &rep, &err);
    if (rc) {
        ck_assert_int_eq(rc, LTK_EINVAL);
        ltk_criterion_release(&c);
        return -1;
    }
    int v = (int)rep.results[0].verdict;
    ltk_check_report_release(&rep);
    ltk_criterion_release(&c);
    return v;
}

START_TEST(check_judges_codes_apdex_and_intervals)
{
    static const double ok[] = { 100, 500, 501, 2000, 2001 }, bad[] = { 10, 5000 };
    struct ltk_run run;
    hand_run(&run, ok, 5, bad, 2);
    /* the total is the endpoint */
    run.total = run.endpoints[0];
    run.total.type = strdup("");
    run.total.name = strdup("Aggregated");
    ck_assert_int_eq(ltk_hist_new(LTK_HIST_EXACT, &run.total.hist), LTK_OK);
    ck_assert_int_eq(ltk_hist_merge(run.total.hist, run.endpoints[0].hist), LTK_OK);
    ck_assert_int_eq(ltk_hist_new(LTK_HIST_EXACT, &run.total.ok_hist), LTK_OK);
    ck_assert_int_eq(ltk_hist_merge(run.total.ok_hist, run.endpoints[0].ok_hist), LTK_OK);
    memset(&run.total.status, 0, sizeof run.total.status);
    run.has_total = true;
    /* no codes: n/a */
    /* no codes, two failures that could be 5xx: between 0 and 2/7 */
    ck_assert_int_eq(verdict_of(&run, "status_5xx<1%", 0), LTK_V_NA);
    ck_assert_int_eq(verdict_of(&run, "status_5xx<30%", 0), LTK_V_PASS);
    ltk_status_add(&run.total.status, 503, 2, 0);
    ltk_status_add(&run.total.status, 200, 5, 0);
    ck_assert_int_eq(verdict_of(&run, "status_5xx<1%", 0), LTK_V_FAIL);      /* 2/7 = 28.6 % */
    ck_assert_int_eq(verdict_of(&run, "status_5xx<30%", 0), LTK_V_PASS);
    ck_assert_int_eq(verdict_of(&run, "status_429==0", 0), LTK_V_PASS);
    ck_assert_int_eq(verdict_of(&run, "apdex>0.42", 0), LTK_V_PASS);         /* 3/7 = 0.4286 at 500 ms */
    ck_assert_int_eq(verdict_of(&run, "apdex>0.43", 0), LTK_V_FAIL);
    ck_assert_int_eq(verdict_of(&run, "apdex>0.5", 2000), LTK_V_PASS);       /* --apdex-t 2s: 4.5/7 */
    ck_assert_int_eq(verdict_of(&run, "/a: apdex_2s>0.5", 0), LTK_V_PASS);
    ck_assert_int_eq(verdict_of(&run, "under_2s>=57%", 0), LTK_V_PASS);
    ck_assert_int_eq(verdict_of(&run, "ok.max<=2001", 0), LTK_V_PASS);
    ck_assert_int_eq(verdict_of(&run, "max<=2001", 0), LTK_V_FAIL);
    /* the same from percentile columns only: an interval, n/a when it straddles the limit */
    ltk_hist_free(run.total.hist);
    ltk_hist_free(run.total.ok_hist);
    run.total.hist = run.total.ok_hist = NULL;
    double q[] = { 0.5 };
    double p50 = 501;
    run.stats_pct.q = q;
    run.stats_pct.n = 1;
    run.total.pct = &p50;
    ck_assert_int_eq(verdict_of(&run, "apdex>0.3", 0), LTK_V_NA);
    ck_assert_int_eq(verdict_of(&run, "apdex>0.9", 0), LTK_V_FAIL);
    ck_assert_int_eq(verdict_of(&run, "ok.p95<1s", 0), -1);   /* no successes' times: refused */
    run.stats_pct.q = NULL;
    run.stats_pct.n = 0;
    run.total.pct = NULL;
    ltk_run_release(&run);
}
END_TEST

/* ---- the reader and the summary -------------------------------------------------- */

static const char HOOK_STATUS[] =
    "timestamp,request_type,name,response_time,response_length,success,exception,users,status\n"
    "1700000000.1,GET,/a,100,10,1,,1,200\n"
    "1700000000.2,GET,/a,5000,0,0,ReadTimeout(),1,0\n"
    "1700000000.3,GET,/a,300,10,0,\"HTTPError('503 Server Error: x')\",1,503\n"
    "1700000001.1,POST,/q,700,10,0,\"CatchResponseError('HTTP 429: slow down')\",1,429\n"
    "1700000001.2,POST,/q,500,10,1,,1,200\n";

static const char HOOK_PLAIN[] =
    "timestamp,request_type,name,response_time,response_length,success,exception\n"
    "1700000000.1,GET,/a,100,10,1,\n"
    "1700000000.3,GET,/a,300,10,0,\"HTTPError('503 Server Error: x')\"\n"
    "1700000001.1,POST,/q,700,10,0,\"CatchResponseError('HTTP 429: slow down')\"\n"
    "1700000001.2,POST,/q,500,10,0,ReadTimeout()\n";

static const char JTL[] =
    "timeStamp,elapsed,label,responseCode,responseMessage,success,failureMessage,bytes\n"
    "1700000000123,250,Login,200,OK,true,,512\n"
    "1700000000500,1250,Search,500,Internal Server Error,false,,20\n"
    "1700000001500,80,Search,200,OK,false,assertion failed,20\n"
    "1700000002500,9000,Search,Non HTTP response code: java.net.SocketTimeoutException,x,false,,0\n";

static const struct ltk_endpoint *find(const struct ltk_run *run, const char *name)
{
    for (size_t i = 0; i < run->nendpoints; i++)
        if (strcmp(run->endpoints[i].name, name) == 0)
            return &run->endpoints[i];
    ck_abort_msg("no endpoint %s", name);
    return NULL;
}

START_TEST(the_hook_status_column_is_read)
{
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    double cuts[] = { 300, 600 };
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.cuts = cuts;
    opt.ncuts = 2;
    ck_assert_int_eq(ltk_run_load_with(&run, write_file(dir, "s_requests.csv", HOOK_STATUS), &opt, &err), LTK_OK);
    ck_assert(run.status_read);
    const struct ltk_endpoint *a = find(&run, "/a");
    ck_assert_uint_eq(ltk_status_count_of(&a->status, 200, false), 1);
    ck_assert_uint_eq(ltk_status_count_of(&a->status, 0, false), 1);
    ck_assert_uint_eq(ltk_status_count_of(&a->status, 503, false), 1);
    ck_assert_uint_eq(ltk_status_total_inferred(&a->status), 0);
    ck_assert_uint_eq(ltk_status_count_of(&run.total.status, 429, false), 1);
    ck_assert_uint_eq(ltk_status_total(&run.total.status), 5);
    /* successes only: /a's one 100 ms request */
    ck_assert_uint_eq(ltk_hist_count(a->ok_hist), 1);
    ck_assert_uint_eq(ltk_hist_count(run.total.ok_hist), 2);
    /* counted at the cuts: successes <= 300 and <= 600 */
    ck_assert_uint_eq(run.ncuts, 2);
    ck_assert_uint_eq(run.total.ok_le[0], 1);
    ck_assert_uint_eq(run.total.ok_le[1], 2);
    uint64_t lo, hi;
    ck_assert_int_eq(ltk_ok_le(&run, &run.total, 600, &lo, &hi), LTK_LE_COUNTED);
    ck_assert_uint_eq(lo, 2);
    ltk_run_release(&run);
}
END_TEST

START_TEST(without_a_status_column_failures_name_their_codes)
{
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load_with(&run, write_file(dir, "p_requests.csv", HOOK_PLAIN), NULL, &err), LTK_OK);
    ck_assert(!run.status_read);
    /* 503, 429, and the ReadTimeout: no response (0) */
    ck_assert_uint_eq(ltk_status_total(&run.total.status), 3);
    ck_assert_uint_eq(ltk_status_total_inferred(&run.total.status), 3);
    ck_assert_uint_eq(ltk_status_count_of(&run.total.status, 0, false), 1);
    ck_assert_uint_eq(ltk_status_count_of(&find(&run, "/a")->status, 503, false), 1);
    ck_assert_uint_eq(ltk_status_count_of(&find(&run, "/q")->status, 429, false), 1);
    ltk_run_release(&run);
}
END_TEST

START_TEST(jmeter_codes_and_non_http_responses)
{
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load_with(&run, write_file(dir, "j.jtl.csv", JTL), NULL, &err), LTK_OK);
    const struct ltk_endpoint *s = find(&run, "Search");
    ck_assert_uint_eq(ltk_status_count_of(&s->status, 500, false), 1);
    ck_assert_uint_eq(ltk_status_count_of(&s->status, 200, false), 1);   /* an assertion failure keeps its 200 */
    ck_assert_uint_eq(ltk_status_count_of(&s->status, 0, false), 1);     /* no HTTP response */
    ck_assert_uint_eq(ltk_status_count_of(&s->status, LTK_SC_OTHER, true), 1);
    ltk_run_release(&run);
}
END_TEST

START_TEST(summaries_keep_and_merge_codes_and_successes)
{
    struct ltk_summary a, b;
    struct ltk_error err;
    ltk_summary_init(&a);
    ltk_summary_init(&b);
    const char *path = write_file(dir, "m_requests.csv", HOOK_STATUS);
    ck_assert_int_eq(ltk_rawlog_summarize(&a, path, NULL, &err), LTK_OK);
    ck_assert_int_eq(ltk_rawlog_summarize(&b, path, NULL, &err), LTK_OK);
    ck_assert(a.has_ok);
    /* write, read back */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_int_eq(ltk_summary_write(f, &a), LTK_OK);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(text, "\"schema\":\"ltk.summary/2\""));
    struct ltk_summary c;
    ltk_summary_init(&c);
    ck_assert_int_eq(ltk_summary_parse(&c, text, len, "t.json", &err), LTK_OK);
    ck_assert(c.has_ok);
    ck_assert(ltk_status_equal(&c.total_status, &a.total_status));
    ck_assert_uint_eq(c.total_ok.count, 2);
    /* a tampered total is refused */
    char *bad = strdup(text);
    char *at = strstr(bad, "[429,1,0]");
    ck_assert_ptr_nonnull(at);
    at[6] = '2';
    struct ltk_summary d;
    ltk_summary_init(&d);
    ck_assert_int_eq(ltk_summary_parse(&d, bad, len, "t.json", &err), LTK_EFORMAT);
    ltk_summary_release(&d);
    free(bad);
    /* merge adds exactly */
    ck_assert_int_eq(ltk_summary_merge(&a, &b, &err), LTK_OK);
    ck_assert_uint_eq(ltk_status_count_of(&a.total_status, 200, false), 4);
    ck_assert_uint_eq(a.total_ok.count, 4);
    struct ltk_run run;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_summary_to_run(&a, "m.ltk.json", &run, &err), LTK_OK);
    ck_assert_uint_eq(ltk_hist_count(run.total.ok_hist), 4);
    ck_assert_uint_eq(ltk_status_count_of(&run.total.status, 0, false), 2);
    ltk_run_release(&run);
    ltk_summary_release(&a);
    ltk_summary_release(&b);
    ltk_summary_release(&c);
    free(text);
}
END_TEST


START_TEST(two_threads_give_the_same_codes_successes_and_counts)
{
    /* a plain log large enough to be split in two halves */
    char *path = NULL;
    {
        const char *p = write_file(dir, "big_requests.csv", "");
        path = strdup(p);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fputs("timestamp,request_type,name,response_time,response_length,success,exception,users,status\n", f);
        static const int codes[] = { 200, 200, 200, 503, 429, 0, 200 };
        for (int i = 0; i < 60000; i++) {
            int code = codes[i % 7];
            bool ok = code == 200;
            fprintf(f, "%.3f,GET,/e%d,%.3f,10,%d,%s,3,%d\n", 1700000000.0 + i * 0.01, i % 3, 50.0 + (i * 37) % 2000,
                    ok ? 1 : 0, ok ? "" : "HTTPError('503 Server Error: x')", code);
        }
        fclose(f);
    }
    double cuts[] = { 500, 1000 };
    struct ltk_run one, two;
    struct ltk_error err;
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.cuts = cuts;
    opt.ncuts = 2;
    opt.threads = 1;
    ltk_run_init(&one);
    ltk_run_init(&two);
    ck_assert_int_eq(ltk_run_load_with(&one, path, &opt, &err), LTK_OK);
    opt.threads = 2;
    ck_assert_int_eq(ltk_run_load_with(&two, path, &opt, &err), LTK_OK);
    ck_assert_int_eq(two.raw_threads, 2);
    ck_assert_uint_eq(one.nendpoints, two.nendpoints);
    for (size_t i = 0; i <= one.nendpoints; i++) {
        const struct ltk_endpoint *a = i < one.nendpoints ? &one.endpoints[i] : &one.total;
        const struct ltk_endpoint *b = i < two.nendpoints ? &two.endpoints[i] : &two.total;
        ck_assert(ltk_status_equal(&a->status, &b->status));
        ck_assert_uint_eq(ltk_hist_count(a->ok_hist), ltk_hist_count(b->ok_hist));
        ck_assert_double_eq(ltk_hist_quantile(a->ok_hist, 0.95), ltk_hist_quantile(b->ok_hist, 0.95));
        ck_assert_uint_eq(a->ok_le[0], b->ok_le[0]);
        ck_assert_uint_eq(a->ok_le[1], b->ok_le[1]);
    }
    /* 4 in 7 rows are 200s, read; the 503s, 429s and 0s too */
    static const int cycle[] = { 200, 200, 200, 503, 429, 0, 200 };
    uint64_t n200 = 0;
    for (int i = 0; i < 60000; i++)
        n200 += cycle[i % 7] == 200;
    ck_assert_uint_eq(ltk_status_count_of(&one.total.status, 200, false), n200);
    ck_assert_uint_eq(ltk_hist_count(one.total.ok_hist), n200);
    ck_assert_uint_eq(ltk_status_total(&one.total.status), 60000);
    ck_assert_uint_eq(ltk_status_total_inferred(&one.total.status), 0);
    ltk_run_release(&one);
    ltk_run_release(&two);
    free(path);
}
END_TEST

START_TEST(columns_take_a_status_role)
{
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.columns = "name=path,time=ms,status=code";
    ck_assert_int_eq(ltk_run_load_with(&run, write_file(dir, "c.csv", "path,ms,code\n/a,10,200\n/a,20,500\n/a,30,302\n"),
                                       &opt, &err),
                     LTK_OK);
    ck_assert(run.status_read);
    ck_assert_uint_eq(run.total.failures, 1);          /* no ok column: the status decides */
    ck_assert_uint_eq(ltk_status_count_of(&run.total.status, LTK_SC_3XX, true), 1);
    ck_assert_uint_eq(ltk_hist_count(run.total.ok_hist), 2);
    ltk_run_release(&run);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("latency");
    TCase *t = tcase_create("core");
    tcase_add_checked_fixture(t, setup, NULL);
    tcase_add_loop_test(t, codes_are_inferred_from_failure_texts, 0, sizeof texts / sizeof texts[0]);
    tcase_add_test(t, status_lists_add_merge_and_count);
    tcase_add_test(t, count_le_is_exact_or_bounds_it);
    tcase_add_test(t, apdex_and_ranges_by_the_standard_rule);
    tcase_add_test(t, percentile_columns_bound_the_share);
    tcase_add_test(t, cuts_parse_ascending_times);
    tcase_add_test(t, new_metrics_parse);
    tcase_add_test(t, check_judges_codes_apdex_and_intervals);
    tcase_add_test(t, the_hook_status_column_is_read);
    tcase_add_test(t, without_a_status_column_failures_name_their_codes);
    tcase_add_test(t, jmeter_codes_and_non_http_responses);
    tcase_add_test(t, summaries_keep_and_merge_codes_and_successes);
    tcase_add_test(t, two_threads_give_the_same_codes_successes_and_counts);
    tcase_add_test(t, columns_take_a_status_role);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return run_suite(suite());
}

/* Tests of lib/analyze/diagnose_run.c: failure classes, and findings from the real
 * sample runs (the evidence is checked against the samples' CSVs). */
#include <math.h>
#include <gsl/gsl_errno.h>

#include "ltk/analyze/check.h"
#include "ltk/read/load.h"
#include "ltk/analyze/diagnose.h"
#include "ltk/read/locust.h"
#include "testutil.h"

static const struct {
    const char *text;
    enum ltk_failure_class cls;
} texts[] = {
    /* from the samples' failures.csv */
    { "CatchResponseError('HTTP 429: RateLimitError: Rate limit reached for gpt-4 in organization "
      "org-ltk-sample on requests per min.')", LTK_FC_RATE_LIMIT },
    { "CatchResponseError('HTTP 500: QueuePool limit of size 5 overflow 10 reached, connection timed out, "
      "timeout 2.00')", LTK_FC_POOL },
    { "HTTPError('500 Server Error: Internal Server Error for url: /retrieval')", LTK_FC_5XX },
    { "CatchResponseError('HTTP 503: ServiceUnavailable: all 8 workers busy, request waited 4.0s in queue')",
      LTK_FC_5XX },
    /* the client's urllib3 pool is not the server's database pool */
    { "ReadTimeout(ReadTimeoutError(\"HTTPConnectionPool(host='127.0.0.1', port=57963): Read timed out. "
      "(read timeout=5.0)\"))", LTK_FC_TIMEOUT },
    /* others */
    { "HTTPError('429 Client Error: Too Many Requests for url: /query')", LTK_FC_RATE_LIMIT },
    { "openai.RateLimitError: You exceeded your current quota", LTK_FC_RATE_LIMIT },
    { "OperationalError: FATAL: remaining connection slots are reserved", LTK_FC_POOL },
    { "ConnectionRefusedError(111, 'Connection refused')", LTK_FC_CONNECTION },
    { "RemoteDisconnected('Remote end closed connection without response')", LTK_FC_CONNECTION },
    { "HTTPError('404 Client Error: Not Found for url: /nope')", LTK_FC_4XX },
    { "CatchResponseError('too slow: 3200 ms')", LTK_FC_SLOW },
    { "ValueError('bad json')", LTK_FC_OTHER },
    { "took 5000 ms, port 5000", LTK_FC_OTHER },   /* numbers without an HTTP context */
    { "", LTK_FC_OTHER },
};

START_TEST(test_classify)
{
    ck_assert_msg(ltk_failure_classify(texts[_i].text) == texts[_i].cls, "'%s' is %s, expected %s", texts[_i].text,
                  ltk_failure_class_name(ltk_failure_classify(texts[_i].text)),
                  ltk_failure_class_name(texts[_i].cls));
}
END_TEST

/* The thresholds the run's findings use are the tree's and the load profile's. */
START_TEST(test_thresholds_come_from_the_module_tables)
{
    ck_assert(ltk_diagnose_tree_limit(LTK_DIAG_CPU_BOUND) == 80);
    ck_assert(ltk_diagnose_tree_limit(LTK_DIAG_MEMORY_BOUND) == 85);
    ck_assert(ltk_diagnose_tree_limit(LTK_DIAG_HEALTHY) == 1);
    ck_assert(isnan(ltk_diagnose_tree_limit(LTK_DIAG_RATE_LIMIT)));
    ck_assert(ltk_check_builtin_pct_limit(LTK_TT_LOAD, 50) == 1000);
    ck_assert(ltk_check_builtin_pct_limit(LTK_TT_LOAD, 99) == 3000);
    ck_assert(ltk_check_builtin_pct_limit(LTK_TT_SMOKE, 95) == 1000);
    ck_assert(isnan(ltk_check_builtin_pct_limit(LTK_TT_SPIKE, 99)));  /* "during spike" is not the whole run */
    ck_assert(isnan(ltk_check_builtin_pct_limit(LTK_TT_STRESS, 95)));
}
END_TEST

START_TEST(test_class_names)
{
    for (int c = 0; c < LTK_FC_COUNT; c++)
        ck_assert_ptr_nonnull(ltk_failure_class_name((enum ltk_failure_class)c));
    ck_assert_ptr_null(ltk_failure_class_name(LTK_FC_COUNT));
    ck_assert_int_eq(ltk_failure_classify(NULL), LTK_FC_OTHER);
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

/* Diagnoses a sample (with its metrics file when metrics is true). */
static void diagnose_sample(const char *name, bool metrics, struct ltk_diagnosis *d)
{
    struct ltk_run run;
    load_sample(&run, name);
    struct ltk_metrics mx;
    ltk_metrics_init(&mx);
    struct ltk_diagnose_run_options o = { .metrics = NULL, .cpu_pct = NAN, .mem_pct = NAN };
    if (metrics) {
        char rel[256];
        snprintf(rel, sizeof rel, "samples/runs/%s/%s_metrics.csv", name, name);
        ck_assert_int_eq(ltk_metrics_read(source_path(rel), &mx, NULL), LTK_OK);
        o.metrics = &mx;
    }
    ltk_diagnosis_init(d);
    struct ltk_error err;
    ck_assert_msg(ltk_diagnose_run(d, &run, &o, &err) == LTK_OK, "%s", err.msg);
    ck_assert_uint_gt(d->nfindings, 0);
    ltk_metrics_release(&mx);
    ltk_run_release(&run);
}

static const struct ltk_diagnose_finding *find(const struct ltk_diagnosis *d, enum ltk_diagnose_id id)
{
    for (size_t i = 0; i < d->nfindings; i++)
        if (d->findings[i].id == id)
            return &d->findings[i];
    return NULL;
}

static double evidence(const struct ltk_diagnose_finding *f, const char *metric)
{
    for (size_t i = 0; i < f->nevidence; i++)
        if (strcmp(f->evidence[i].metric, metric) == 0)
            return f->evidence[i].value;
    ck_abort_msg("no evidence %s", metric);
    return NAN;
}

/* The table: each sample's first finding. */
static const struct {
    const char *run;
    bool metrics;
    enum ltk_diagnose_id first;
} firsts[] = {
    { "ratelimit", false, LTK_DIAG_RATE_LIMIT },
    { "pool", false, LTK_DIAG_CONNECTION_POOL },
    { "soak", true, LTK_DIAG_DEGRADATION },
    { "soak", false, LTK_DIAG_DEGRADATION },
    { "stress", false, LTK_DIAG_SATURATION },
    { "smoke", true, LTK_DIAG_HEALTHY },
    { "load", true, LTK_DIAG_HEALTHY },
    { "cpu", true, LTK_DIAG_CPU_BOUND },
    /* the surge: 17.5 x the users, 5.9 x the throughput, p95 3.7 x */
    { "spike", false, LTK_DIAG_SATURATION },
};

START_TEST(test_sample_first_finding)
{
    struct ltk_diagnosis d;
    diagnose_sample(firsts[_i].run, firsts[_i].metrics, &d);
    ck_assert_msg(d.findings[0].id == firsts[_i].first, "%s: first is %s", firsts[_i].run,
                  ltk_diagnose_id_name(d.findings[0].id));
    ck_assert_int_eq(ltk_diagnosis_has_problem(&d), firsts[_i].first != LTK_DIAG_HEALTHY);
    for (size_t i = 1; i < d.nfindings; i++)
        ck_assert(d.findings[i].confidence <= d.findings[i - 1].confidence);
    ltk_diagnosis_release(&d);
}
END_TEST

START_TEST(test_ratelimit_evidence)
{
    struct ltk_diagnosis d;
    diagnose_sample("ratelimit", false, &d);
    const struct ltk_diagnose_finding *f = find(&d, LTK_DIAG_RATE_LIMIT);
    /* ratelimit_failures.csv: 199 occurrences of the 429 text; stats.csv: 1334 requests */
    ck_assert(evidence(f, "rate_limit_failures") == 199);
    ck_assert(evidence(f, "share_of_failures_pct") == 100);
    ck_assert(fabs(evidence(f, "share_of_requests_pct") - 14.92) < 1e-9);
    /* stats_history: the first ten seconds with >= 2 failures and >= 1 % start at 37 users */
    ck_assert(evidence(f, "onset_users") == 37);
    ck_assert(f->confidence >= 0.9);
    ltk_diagnosis_release(&d);
}
END_TEST

START_TEST(test_pool_evidence)
{
    struct ltk_diagnosis d;
    diagnose_sample("pool", false, &d);
    const struct ltk_diagnose_finding *f = find(&d, LTK_DIAG_CONNECTION_POOL);
    ck_assert(evidence(f, "pool_failures") == 34);
    ck_assert(evidence(f, "onset_users") == 78);
    /* the 18 plain 500s of /retrieval are "other errors" */
    const struct ltk_diagnose_finding *o = find(&d, LTK_DIAG_ERRORS_OTHER);
    ck_assert_ptr_nonnull(o);
    ck_assert(evidence(o, "http_5xx_failures") == 18);
    ltk_diagnosis_release(&d);
}
END_TEST

START_TEST(test_soak_memory)
{
    struct ltk_diagnosis d;
    diagnose_sample("soak", true, &d);
    const struct ltk_diagnose_finding *deg = find(&d, LTK_DIAG_DEGRADATION), *mem = find(&d, LTK_DIAG_MEMORY_BOUND);
    ck_assert_ptr_nonnull(deg);
    ck_assert(evidence(deg, "p95_slope_ms_per_hour") > 0);
    ck_assert(evidence(deg, "memory_p95_correlation") > 0.9);
    /* memory is far below 85 % but grows: a weaker memory finding */
    ck_assert_ptr_nonnull(mem);
    ck_assert(mem->confidence < deg->confidence);
    ck_assert(evidence(mem, "mem_growth_mb_per_hour") > 1000);
    ltk_diagnosis_release(&d);
}
END_TEST

START_TEST(test_stress_saturation)
{
    struct ltk_diagnosis d;
    diagnose_sample("stress", false, &d);
    const struct ltk_diagnose_finding *f = find(&d, LTK_DIAG_SATURATION);
    ck_assert(evidence(f, "knee_users") == 40);  /* as ltk capacity finds it */
    ck_assert(evidence(f, "usl_peak_users") > 40 && evidence(f, "usl_peak_users") < 60);
    ltk_diagnosis_release(&d);
}
END_TEST

START_TEST(test_outliers)
{
    /* custom_pct: p50 620 ms, p99 7200 ms */
    struct ltk_diagnosis d;
    diagnose_sample("custom_pct", false, &d);
    const struct ltk_diagnose_finding *f = find(&d, LTK_DIAG_OUTLIERS);
    ck_assert_ptr_nonnull(f);
    ck_assert(evidence(f, "p99_ms") == 7200);
    ck_assert_ptr_null(find(&d, LTK_DIAG_HEALTHY));
    ltk_diagnosis_release(&d);
}
END_TEST

/* The module's percentile table (Section 3, "Interpreting Percentiles"), row
 * by row with its numbers (avg, p50, p95, p99; no errors), as a stats.csv: each
 * row gets the module's interpretation, and a row ltk check --type load fails
 * on latency is never healthy. */
static const struct {
    const char *row;
    double avg, p50, p95, p99;
    enum ltk_diagnose_id id;
    size_t load_latency_failures;   /* of p50<1s, p95<2s, p99<3s */
} module_rows[] = {
    { "Healthy", 500, 450, 800, 1200, LTK_DIAG_HEALTHY, 0 },       /* consistent performance */
    { "Outliers", 600, 450, 3500, 8000, LTK_DIAG_OUTLIERS, 2 },    /* some users have terrible experience */
    { "Degrading", 2000, 1800, 5000, 10000, LTK_DIAG_STRUGGLING, 3 },  /* system struggling under load */
};

START_TEST(test_module_percentile_rows)
{
    const __typeof__(module_rows[0]) *m = &module_rows[_i];
    char csv[1024], name[64];
    int n = snprintf(csv, sizeof csv, "Type,Name,Request Count,Failure Count,Median Response Time,"
                     "Average Response Time,Min Response Time,Max Response Time,Average Content Size,"
                     "Requests/s,Failures/s,50%%,95%%,99%%,100%%\nPOST,/query,");
    for (int k = 0; k < 2; k++) {
        n += snprintf(csv + n, sizeof csv - (size_t)n, "1000,0,%.0f,%.0f,%.0f,%.0f,1250,10.0,0.0,%.0f,%.0f,%.0f,%.0f\n", m->p50, m->avg, m->p50 / 4, 1.25 * m->p99, m->p50,
                      m->p95, m->p99, 1.25 * m->p99);
        if (!k)
            n += snprintf(csv + n, sizeof csv - (size_t)n, ",Aggregated,");
    }
    snprintf(name, sizeof name, "%s_stats.csv", m->row);
    struct ltk_run run;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load(&run, write_file(temp_dir(), name, csv), NULL), LTK_OK);
    ck_assert(run.has_total && run.total.mean == m->avg);

    struct ltk_diagnosis d;
    ltk_diagnosis_init(&d);
    ck_assert_int_eq(ltk_diagnose_run(&d, &run, NULL, NULL), LTK_OK);
    ck_assert_msg(d.nfindings == 1 && d.findings[0].id == m->id, "%s: first of %zu is %s", m->row, d.nfindings,
                  ltk_diagnose_id_name(d.findings[0].id));
    const struct ltk_diagnose_finding *f = &d.findings[0];
    ck_assert(evidence(f, "p50_ms") == m->p50);
    ck_assert(evidence(f, "p99_ms") == m->p99);
    if (m->id == LTK_DIAG_HEALTHY) {
        ck_assert(evidence(f, "p95_ms") == m->p95);
        ck_assert(evidence(f, "error_rate_pct") == 0);
        ck_assert_double_eq(f->confidence, 0.9);
    } else if (m->id == LTK_DIAG_OUTLIERS) {
        ck_assert(evidence(f, "p99_p50_ratio") == 17.8);   /* 8000 / 450 */
        ck_assert_double_eq(f->confidence, 0.76);          /* 0.4 + 0.02 x 17.8 */
    } else {
        ck_assert(evidence(f, "p95_ms") == m->p95);
        ck_assert(evidence(f, "mean_ms") == m->avg);
        ck_assert_double_eq(f->confidence, 0.5);
    }
    ck_assert_int_eq(ltk_diagnosis_has_problem(&d), m->id != LTK_DIAG_HEALTHY);

    /* what ltk check --type load says about the same numbers */
    struct ltk_check_opts o = { .type = LTK_TT_LOAD };
    struct ltk_check_report r;
    ck_assert_int_eq(ltk_check_run(&run, &o, &r, NULL), LTK_OK);
    size_t lat_fail = 0;
    for (size_t i = 0; i < r.nresults; i++)
        lat_fail += r.results[i].verdict == LTK_V_FAIL && r.results[i].metric[0] == 'p';
    ck_assert_uint_eq(lat_fail, m->load_latency_failures);
    ck_assert_uint_eq(r.nfail, m->load_latency_failures);   /* error_rate<1% passes in every row */
    ck_assert_int_eq(lat_fail > 0, find(&d, LTK_DIAG_HEALTHY) == NULL);
    ltk_check_report_release(&r);
    ltk_diagnosis_release(&d);
    ltk_run_release(&run);
}
END_TEST

/* A smoke-type run slower than the smoke limits but within the load ones:
 * check fails it, so diagnose does not call it healthy (jsonfile: 20 users,
 * p50 780, p95 1600, p99 2300 ms against smoke's 500 ms, 1 s, 2 s). */
START_TEST(test_check_latency_is_never_healthy)
{
    struct ltk_diagnosis d;
    diagnose_sample("jsonfile", false, &d);
    ck_assert_ptr_null(find(&d, LTK_DIAG_HEALTHY));
    const struct ltk_diagnose_finding *f = find(&d, LTK_DIAG_STRUGGLING);
    ck_assert_ptr_nonnull(f);
    ck_assert_double_eq(f->confidence, 0.45);   /* the median is within the load target */
    size_t failed = 0;
    for (size_t i = 0; i < f->nevidence; i++)
        if (strcmp(f->evidence[i].metric, "check_failed") == 0) {
            failed++;
            ck_assert_ptr_nonnull(strstr(f->evidence[i].rule, "fails ltk check's smoke profile"));
        }
    ck_assert_uint_eq(failed, 3);
    ltk_diagnosis_release(&d);
    /* and every sample: healthy only where ltk check passes on latency */
    static const char *const runs[] = { "smoke", "load", "stress", "spike", "spike_hold", "spike_zero", "soak",
                                        "ratelimit", "pool", "custom_pct", "cpu", "jsonfile" };
    for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++) {
        struct ltk_run run;
        load_sample(&run, runs[k]);
        ltk_diagnosis_init(&d);
        ck_assert_int_eq(ltk_diagnose_run(&d, &run, NULL, NULL), LTK_OK);
        struct ltk_check_opts o = { .type = LTK_TT_UNKNOWN };
        struct ltk_check_report r;
        ck_assert_int_eq(ltk_check_run(&run, &o, &r, NULL), LTK_OK);
        size_t lat_fail = 0;
        for (size_t i = 0; i < r.nresults; i++)
            lat_fail += r.results[i].verdict == LTK_V_FAIL && r.results[i].metric[0] == 'p';
        if (lat_fail)
            ck_assert_msg(!find(&d, LTK_DIAG_HEALTHY), "%s: healthy but ltk check fails it on latency", runs[k]);
        ltk_check_report_release(&r);
        ltk_diagnosis_release(&d);
        ltk_run_release(&run);
    }
}
END_TEST

/* CPU above 80 % for a minute of the load run, from a metrics file; and a
 * reading given by a person. */
START_TEST(test_cpu)
{
    struct ltk_run run;
    load_sample(&run, "load");
    int64_t t0 = run.history[0].ts;
    char csv[8192];
    size_t n = (size_t)snprintf(csv, sizeof csv, "timestamp,cpu_percent\n");
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(csv + n, sizeof csv - n, "%lld,%d\n", (long long)(t0 + i), i >= 20 && i < 80 ? 95 : 40);
    struct ltk_metrics mx;
    ltk_metrics_init(&mx);
    ck_assert_int_eq(ltk_metrics_read(write_file(temp_dir(), "m.csv", csv), &mx, NULL), LTK_OK);
    struct ltk_diagnose_run_options o = { .metrics = &mx, .cpu_pct = NAN, .mem_pct = NAN };
    struct ltk_diagnosis d;
    ltk_diagnosis_init(&d);
    ck_assert_int_eq(ltk_diagnose_run(&d, &run, &o, NULL), LTK_OK);
    ck_assert_int_eq(d.findings[0].id, LTK_DIAG_CPU_BOUND);
    ck_assert(evidence(&d.findings[0], "cpu_pct") == 95);
    ck_assert(evidence(&d.findings[0], "cpu_pct_30s_mean") == 95);
    ck_assert(fabs(evidence(&d.findings[0], "share_of_samples_above_pct") - 60) < 1e-9);
    ck_assert(fabs(d.findings[0].confidence - 0.78) < 1e-9);
    ck_assert_ptr_null(find(&d, LTK_DIAG_HEALTHY));
    ltk_diagnosis_release(&d);

    /* 15 s above: no 30 s stretch averages above 80 % */
    n = (size_t)snprintf(csv, sizeof csv, "timestamp,cpu_percent\n");
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(csv + n, sizeof csv - n, "%lld,%d\n", (long long)(t0 + i), i >= 20 && i < 35 ? 95 : 40);
    ltk_metrics_release(&mx);
    ck_assert_int_eq(ltk_metrics_read(write_file(temp_dir(), "m.csv", csv), &mx, NULL), LTK_OK);
    ltk_diagnosis_init(&d);
    ck_assert_int_eq(ltk_diagnose_run(&d, &run, &o, NULL), LTK_OK);
    ck_assert_int_eq(d.findings[0].id, LTK_DIAG_HEALTHY);
    ltk_diagnosis_release(&d);

    /* a reading: memory 90 % */
    struct ltk_diagnose_run_options given = { .metrics = NULL, .cpu_pct = 50, .mem_pct = 90 };
    ltk_diagnosis_init(&d);
    ck_assert_int_eq(ltk_diagnose_run(&d, &run, &given, NULL), LTK_OK);
    ck_assert_int_eq(d.findings[0].id, LTK_DIAG_MEMORY_BOUND);
    ck_assert_ptr_null(find(&d, LTK_DIAG_CPU_BOUND));
    ltk_diagnosis_release(&d);
    ltk_metrics_release(&mx);
    ltk_run_release(&run);
}
END_TEST

/* Failures counted in stats.csv with no failures.csv to say what they were. */
START_TEST(test_unexplained_failures)
{
    static const char stats[] =
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
        "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,95%,99%\n"
        "GET,/a,100,10,50,50,1,90,10,1,0.1,50,80,90\n"
        ",Aggregated,100,10,50,50,1,90,10,1,0.1,50,80,90\n";
    const char *path = write_file(temp_dir(), "x_stats.csv", stats);
    struct ltk_run run;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load(&run, path, NULL), LTK_OK);
    struct ltk_diagnosis d;
    ltk_diagnosis_init(&d);
    ck_assert_int_eq(ltk_diagnose_run(&d, &run, NULL, NULL), LTK_OK);
    ck_assert_int_eq(d.findings[0].id, LTK_DIAG_UNKNOWN);
    ck_assert(evidence(&d.findings[0], "share_of_requests_pct") == 10);
    ck_assert_str_eq(d.run, path);
    cJSON *doc = ltk_diagnose_to_json(&d, NULL);
    ck_assert_str_eq(cJSON_GetObjectItem(doc, "run")->valuestring, path);
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(doc, "inputs")));
    cJSON_Delete(doc);
    ltk_diagnosis_release(&d);
    ltk_run_release(&run);
}
END_TEST


/* ---- the module's other symptoms ---------------------------------------------- */

/* A raw hook log with a users column, made here: for each second t of
 * [0, seconds), users(t) users, and per user one request a second to each
 * endpoint, whose response time is ms(endpoint, t, k) (k counts the requests
 * of that endpoint in that second).  Returns the loaded run. */
typedef double (*ms_fn)(size_t endpoint, int t, int k);

static void synth_run(struct ltk_run *run, int seconds, int (*users)(int t), const char *const *names,
                      size_t nnames, ms_fn ms)
{
    size_t cap = 1 << 20, n = 0;
    char *csv = malloc(cap);
    ck_assert_ptr_nonnull(csv);
    n += (size_t)snprintf(csv, cap, "timestamp,request_type,name,response_time,response_length,success,exception,users\n");
    for (int t = 0; t < seconds; t++)
        for (size_t e = 0; e < nnames; e++)
            for (int k = 0; k < users(t); k++) {
                if (n + 256 > cap) {
                    cap *= 2;
                    csv = realloc(csv, cap);
                    ck_assert_ptr_nonnull(csv);
                }
                n += (size_t)snprintf(csv + n, cap - n, "%.3f,GET,%s,%.1f,10,1,,%d\n",
                                      1.8e9 + t + (k + 0.5) / (users(t) + 1.0), names[e], ms(e, t, k), users(t));
            }
    struct ltk_error err;
    ltk_run_init(run);
    ck_assert_msg(ltk_run_load(run, write_file(temp_dir(), "synth_requests.csv", csv), &err) == LTK_OK, "%s",
                  err.msg);
    free(csv);
}

static int ten_users(int t)
{
    (void)t;
    return 10;
}

/* /slow takes 1.5 s at any load (a query without an index); /cached is fast
 * 80 % of the time and slow otherwise (no cache); /fast is fast. */
static double mixed_ms(size_t e, int t, int k)
{
    (void)t;
    return e == 0 ? 1500 + 10 * (k % 5) : e == 1 ? (k % 5 == 4 ? 1200 : 150 + k) : 40 + k % 3;
}

START_TEST(test_slow_queries_and_inconsistent)
{
    static const char *const names[] = { "/slow", "/cached", "/fast" };
    struct ltk_run run;
    synth_run(&run, 90, ten_users, names, 3, mixed_ms);
    struct ltk_diagnosis d;
    ltk_diagnosis_init(&d);
    ck_assert_int_eq(ltk_diagnose_run(&d, &run, NULL, NULL), LTK_OK);
    const struct ltk_diagnose_finding *f = find(&d, LTK_DIAG_SLOW_QUERIES);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(f->nevidence, 2);   /* /slow only */
    ck_assert_str_eq(f->evidence[0].text, "/slow");
    ck_assert(fabs(evidence(f, "p50_lowest_load_ms") - 1520) <= 2);   /* within hdr's 0.1 % */
    ck_assert_double_eq(f->confidence, 0.4);
    ck_assert_int_eq(ltk_diagnose_recommendation(f->id)->category, LTK_CAT_EXTERNAL);
    f = find(&d, LTK_DIAG_INCONSISTENT);
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->evidence[0].text, "/cached");
    ck_assert(fabs(evidence(f, "p95_ms") - 1200) <= 2);
    ck_assert(evidence(f, "p95_p50_ratio") >= 3);
    ck_assert_int_eq(ltk_diagnose_recommendation(f->id)->category, LTK_CAT_APPLICATION);
    ck_assert(ltk_diagnosis_has_problem(&d));
    ltk_diagnosis_release(&d);
    ltk_run_release(&run);
}
END_TEST

/* Four steps of 10 to 40 users; the response time grows by 10 ms per user
 * (users wait for each other), without failures. */
static int steps(int t)
{
    return 10 * (1 + t / 40);
}

static double linear_ms(size_t e, int t, int k)
{
    (void)e;
    return 100 + 10.0 * steps(t) + (k % 3);
}

START_TEST(test_linear_latency)
{
    static const char *const names[] = { "/a" };
    struct ltk_run run;
    synth_run(&run, 160, steps, names, 1, linear_ms);
    struct ltk_diagnosis d;
    ltk_diagnosis_init(&d);
    ck_assert_int_eq(ltk_diagnose_run(&d, &run, NULL, NULL), LTK_OK);
    const struct ltk_diagnose_finding *f = find(&d, LTK_DIAG_LINEAR_LATENCY);
    ck_assert_ptr_nonnull(f);
    ck_assert(fabs(evidence(f, "ms_per_user") - 10) < 0.5);
    ck_assert(evidence(f, "r2") >= 0.99);
    ck_assert(fabs(evidence(f, "latency_growth_factor") - 500.0 / 200) < 0.1);
    ck_assert_int_eq(ltk_diagnose_recommendation(f->id)->category, LTK_CAT_APPLICATION);
    ltk_diagnosis_release(&d);
    ltk_run_release(&run);

    /* the same steps with a flat response time: nothing linear */
    static const char *const one[] = { "/flat" };
    synth_run(&run, 160, steps, one, 1, mixed_ms);   /* endpoint 0 of mixed_ms: 1.5 s flat */
    ltk_diagnosis_init(&d);
    ck_assert_int_eq(ltk_diagnose_run(&d, &run, NULL, NULL), LTK_OK);
    ck_assert_ptr_null(find(&d, LTK_DIAG_LINEAR_LATENCY));
    ltk_diagnosis_release(&d);
    ltk_run_release(&run);
}
END_TEST

/* CPU read off a metrics file at a constant level over the load run. */
static void diagnose_with_cpu(const char *sample, double cpu, struct ltk_diagnosis *d)
{
    struct ltk_run run;
    load_sample(&run, sample);
    int64_t t0 = run.history[0].ts;
    char csv[16384];
    size_t n = (size_t)snprintf(csv, sizeof csv, "timestamp,cpu_percent\n");
    for (int i = 0; i < 200; i++)
        n += (size_t)snprintf(csv + n, sizeof csv - n, "%lld,%.1f\n", (long long)(t0 + i), cpu);
    struct ltk_metrics mx;
    ltk_metrics_init(&mx);
    ck_assert_int_eq(ltk_metrics_read(write_file(temp_dir(), "m.csv", csv), &mx, NULL), LTK_OK);
    struct ltk_diagnose_run_options o = { .metrics = &mx, .cpu_pct = NAN, .mem_pct = NAN };
    ltk_diagnosis_init(d);
    ck_assert_int_eq(ltk_diagnose_run(d, &run, &o, NULL), LTK_OK);
    ltk_metrics_release(&mx);
    ltk_run_release(&run);
}

/* "Approaching capacity (70% CPU sustained)": a warning beside healthy, not a
 * problem; above 80 % it is the CPU bottleneck instead. */
START_TEST(test_approaching_capacity)
{
    struct ltk_diagnosis d;
    diagnose_with_cpu("load", 75, &d);
    const struct ltk_diagnose_finding *f = find(&d, LTK_DIAG_APPROACHING);
    ck_assert_ptr_nonnull(f);
    ck_assert(evidence(f, "cpu_pct_30s_mean") == 75);
    ck_assert_ptr_nonnull(find(&d, LTK_DIAG_HEALTHY));
    ck_assert(!ltk_diagnosis_has_problem(&d));
    ck_assert_int_eq(ltk_diagnose_recommendation(f->id)->category, LTK_CAT_INFRASTRUCTURE);
    ltk_diagnosis_release(&d);
    diagnose_with_cpu("load", 85, &d);
    ck_assert_ptr_null(find(&d, LTK_DIAG_APPROACHING));
    ck_assert_ptr_nonnull(find(&d, LTK_DIAG_CPU_BOUND));
    ltk_diagnosis_release(&d);
    diagnose_with_cpu("load", 60, &d);
    ck_assert_ptr_null(find(&d, LTK_DIAG_APPROACHING));
    ltk_diagnosis_release(&d);
}
END_TEST

/* "High latency despite low CPU": the users run misses smoke's latency
 * targets while the stand-in server idles (its LLM is a sleep). */
START_TEST(test_external_latency)
{
    struct ltk_diagnosis d;
    diagnose_sample("users", true, &d);
    const struct ltk_diagnose_finding *f = find(&d, LTK_DIAG_EXTERNAL_LATENCY);
    ck_assert_ptr_nonnull(f);
    ck_assert(evidence(f, "cpu_pct_30s_max_mean") < 50);
    ck_assert(evidence(f, "p95_ms") == 1600);
    ck_assert_int_eq(ltk_diagnose_recommendation(f->id)->category, LTK_CAT_EXTERNAL);
    ltk_diagnosis_release(&d);
    /* busy CPU: not an outside party */
    diagnose_with_cpu("users", 60, &d);
    ck_assert_ptr_null(find(&d, LTK_DIAG_EXTERNAL_LATENCY));
    ltk_diagnosis_release(&d);
    /* saturation explains the stress run's latency better (queueing for 8 workers) */
    diagnose_sample("stress", true, &d);
    ck_assert_ptr_nonnull(find(&d, LTK_DIAG_SATURATION));
    ck_assert_ptr_null(find(&d, LTK_DIAG_EXTERNAL_LATENCY));
    ltk_diagnosis_release(&d);
}
END_TEST

/* The pool run: the error names 5 + 10 connections; the module's rule gives 8
 * for the 78 users at the onset, Little's law 16 in flight at the knee (the
 * pool's 15) and about 25 at the onset. */
START_TEST(test_pool_sizes)
{
    struct ltk_diagnosis d;
    diagnose_sample("pool", false, &d);
    const struct ltk_diagnose_finding *f = find(&d, LTK_DIAG_CONNECTION_POOL);
    ck_assert(evidence(f, "pool_connections") == 15);
    ck_assert(evidence(f, "onset_users") == 78);
    ck_assert(evidence(f, "rule_pool_size_at_onset") == 8);
    ck_assert(fabs(evidence(f, "little_in_flight_at_knee") - 16) <= 1);
    ck_assert(fabs(evidence(f, "little_in_flight_at_onset") - 25.3) <= 1);
    ck_assert_ptr_null(d.pool);
    ltk_diagnosis_release(&d);

    struct ltk_run run;
    load_sample(&run, "pool");
    struct ltk_diagnose_run_options o = { .cpu_pct = NAN, .mem_pct = NAN, .pool_users = 500 };
    ltk_diagnosis_init(&d);
    ck_assert_int_eq(ltk_diagnose_run(&d, &run, &o, NULL), LTK_OK);
    ck_assert_ptr_nonnull(d.pool);
    ck_assert_int_eq(d.pool->basis, LTK_POOL_MEASURED);
    ck_assert_int_eq(d.pool->rule_size, 50);
    ck_assert(d.pool->per_user > 0.25 && d.pool->per_user < 0.4);
    ck_assert_int_eq(d.pool->size, (long)ceil(500 * d.pool->per_user));
    cJSON *doc = ltk_diagnose_to_json(&d, NULL);
    cJSON *pool = cJSON_GetObjectItem(doc, "pool");
    ck_assert_str_eq(cJSON_GetObjectItem(pool, "basis")->valuestring, "measured");
    char *text = cJSON_PrintUnformatted(cJSON_GetObjectItem(pool, "settings")), want[64];
    snprintf(want, sizeof want, "\"pool_size\":%ld,\"max_overflow\":%ld,", d.pool->size, 2 * d.pool->size);
    ck_assert_msg(strstr(text, want) != NULL, "%s lacks %s", text, want);
    free(text);
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "findings"), 0), "category")
                         ->valuestring, "infrastructure");
    cJSON_Delete(doc);
    ltk_diagnosis_release(&d);
    ltk_run_release(&run);
}
END_TEST

/* HTTP codes as evidence: a hook log whose status column says 429 while
 * the failure texts say nothing of a rate limit (an assertion's text), with
 * 503s and requests that got no response (code 0). */
START_TEST(test_status_codes_evidence)
{
    const char *dir = temp_dir();
    static char text[65536];
    strcpy(text, "timestamp,request_type,name,response_time,response_length,success,exception,users,status\n");
    /* 60 s at 10 users: per second 4 successes, 1 429 on /query; every 5 s a 503 and a timeout */
    for (int t = 0; t < 60; t++) {
        char row[256];
        for (int k = 0; k < 4; k++) {
            snprintf(row, sizeof row, "%d.%d,POST,/query,%d,10,1,,10,200\n", 1700000000 + t, k, 100 + 10 * k);
            strcat(text, row);
        }
        snprintf(row, sizeof row, "%d.5,POST,/query,5,0,0,AssertionError('unexpected body'),10,429\n",
                 1700000000 + t);
        strcat(text, row);
        if (t % 5 == 0) {
            snprintf(row, sizeof row, "%d.6,GET,/health,20,0,0,HTTPError('503 Server Error'),10,503\n", 1700000000 + t);
            strcat(text, row);
            snprintf(row, sizeof row, "%d.7,GET,/health,4000,0,0,ReadTimeout('read timed out'),10,0\n",
                     1700000000 + t);
            strcat(text, row);
        }
    }
    const char *path = write_file(dir, "codes_requests.csv", text);
    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_error err;
    ck_assert_msg(ltk_run_load(&run, path, &err) == LTK_OK, "%s", err.msg);
    ck_assert_uint_eq(run.total.requests, 60 * 5 + 12 * 2);
    struct ltk_diagnosis d;
    ltk_diagnosis_init(&d);
    struct ltk_diagnose_run_options o = { .metrics = NULL, .cpu_pct = NAN, .mem_pct = NAN };
    ck_assert_msg(ltk_diagnose_run(&d, &run, &o, &err) == LTK_OK, "%s", err.msg);

    const struct ltk_diagnose_finding *rl = find(&d, LTK_DIAG_RATE_LIMIT);
    ck_assert_msg(rl != NULL, "no rate_limit finding from a status column of 429s");
    ck_assert_double_eq(evidence(rl, "status_429"), 60);
    ck_assert_double_eq_tol(evidence(rl, "status_429_pct"), 100.0 * 60 / 324, 0.005);
    ck_assert_double_eq(evidence(rl, "rate_limit_failures"), 60);
    /* 0.6 + 0.2 x (60 of the 84 failures) = 0.74, no onset pattern */
    ck_assert_double_eq_tol(rl->confidence, 0.6 + 0.2 * 60.0 / 84, 0.006);
    bool said_read = false;
    for (size_t i = 0; i < rl->nevidence; i++)
        if (strcmp(rl->evidence[i].metric, "status_429") == 0)
            said_read = rl->evidence[i].rule && strcmp(rl->evidence[i].rule, "HTTP status codes read from the log") == 0;
    ck_assert_msg(said_read, "status_429's rule does not say the codes were read");

    /* 503s and no response: errors_other, 24 of 324 requests, 0.3 + 0.3 x min(1, 7.4 % / 5 %) */
    const struct ltk_diagnose_finding *eo = find(&d, LTK_DIAG_ERRORS_OTHER);
    ck_assert_ptr_nonnull(eo);
    ck_assert_double_eq(evidence(eo, "status_5xx"), 12);
    ck_assert_double_eq(evidence(eo, "no_http_response"), 12);
    ck_assert_double_eq_tol(evidence(eo, "share_of_requests_pct"), 100.0 * 24 / 324, 0.005);
    ck_assert_double_eq_tol(eo->confidence, 0.6, 1e-9);
    ck_assert_ptr_nonnull(find(&d, LTK_DIAG_UNKNOWN));  /* the 429s' assertion texts */
    ltk_diagnosis_release(&d);
    ltk_run_release(&run);
}
END_TEST

int main(void)
{
    gsl_set_error_handler_off();
    Suite *s = suite_create("diagnose_run");
    TCase *tc = tcase_create("classes");
    tcase_add_loop_test(tc, test_classify, 0, (int)(sizeof texts / sizeof texts[0]));
    tcase_add_test(tc, test_class_names);
    tcase_add_test(tc, test_thresholds_come_from_the_module_tables);
    suite_add_tcase(s, tc);
    tc = tcase_create("samples");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, test_sample_first_finding, 0, (int)(sizeof firsts / sizeof firsts[0]));
    tcase_add_test(tc, test_ratelimit_evidence);
    tcase_add_test(tc, test_pool_evidence);
    tcase_add_test(tc, test_soak_memory);
    tcase_add_test(tc, test_stress_saturation);
    tcase_add_test(tc, test_outliers);
    tcase_add_loop_test(tc, test_module_percentile_rows, 0, sizeof module_rows / sizeof module_rows[0]);
    tcase_add_test(tc, test_check_latency_is_never_healthy);
    tcase_add_test(tc, test_cpu);
    tcase_add_test(tc, test_unexplained_failures);
    tcase_add_test(tc, test_slow_queries_and_inconsistent);
    tcase_add_test(tc, test_linear_latency);
    tcase_add_test(tc, test_approaching_capacity);
    tcase_add_test(tc, test_external_latency);
    tcase_add_test(tc, test_pool_sizes);
    tcase_add_test(tc, test_status_codes_evidence);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

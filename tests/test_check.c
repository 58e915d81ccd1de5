/* Check suite for lib/analyze/check.c: the built-in profiles, evaluation against
 * the samples and synthetic runs, and the JSON/JUnit views. */
#include <math.h>

#include "ltk/analyze/check.h"
#include "ltk/read/load.h"
#include "ltk/read/locust.h"
#include "ltk/model/select.h"
#include "testutil.h"

static void load_sample(struct ltk_run *run, const char *name)
{
    char rel[128];
    snprintf(rel, sizeof rel, "samples/runs/%s/%s", name, name);
    ltk_run_init(run);
    ck_assert_int_eq(ltk_run_load(run, source_path(rel), NULL), LTK_OK);
}

static const struct ltk_check_result *find(const struct ltk_check_report *r, const char *expr)
{
    for (size_t i = 0; i < r->nresults; i++)
        if (strcmp(r->results[i].expr, expr) == 0)
            return &r->results[i];
    ck_abort_msg("no result %s", expr);
    return NULL;
}

START_TEST(test_builtins_parse)
{
    size_t n;
    const struct ltk_builtin_criterion *b = ltk_check_builtins(&n);
    int per_type[LTK_TT_COUNT] = { 0 };
    for (size_t i = 0; i < n; i++) {
        per_type[b[i].type]++;
        if (!strcmp(b[i].expr, "stable") || !strcmp(b[i].expr, "stable_memory") || !strcmp(b[i].expr, "recovered") || !strcmp(b[i].expr, "breaking_point"))
            continue;
        struct ltk_criterion c;
        ck_assert_msg(ltk_criterion_parse(b[i].expr, &c, NULL) == LTK_OK, "%s", b[i].expr);
        ltk_criterion_release(&c);
    }
    for (int t = LTK_TT_SMOKE; t < LTK_TT_COUNT; t++)
        ck_assert_int_gt(per_type[t], 0);
}
END_TEST

START_TEST(test_smoke_passes)
{
    struct ltk_run run;
    load_sample(&run, "smoke");
    struct ltk_check_opts o = { .type = LTK_TT_UNKNOWN };
    struct ltk_check_report r;
    ck_assert_int_eq(ltk_check_run(&run, &o, &r, NULL), LTK_OK);
    ck_assert_int_eq(r.type, LTK_TT_SMOKE);
    ck_assert(r.passed);
    ck_assert_uint_eq(r.nfail, 0);
    /* the module's smoke row, all of it the bundled smoke run meets it */
    const struct ltk_check_result *x = find(&r, "p95<1s");
    ck_assert(x->value == 680 && x->limit == 1000 && x->verdict == LTK_V_PASS);
    x = find(&r, "p50<500ms");
    ck_assert(x->value == 300 && x->verdict == LTK_V_PASS);
    x = find(&r, "p99<2s");
    ck_assert(x->value == 1200 && x->verdict == LTK_V_PASS);
    ltk_check_report_release(&r);
    ltk_run_release(&run);

    /* the healthy load run is too slow for a smoke test's p50 and p95 */
    load_sample(&run, "load");
    o.type = LTK_TT_SMOKE;
    ck_assert_int_eq(ltk_check_run(&run, &o, &r, NULL), LTK_OK);
    ck_assert(!r.passed);
    x = find(&r, "p50<500ms");
    ck_assert(x->value == 600 && x->verdict == LTK_V_FAIL);
    ltk_check_report_release(&r);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_ratelimit_fails_load)
{
    struct ltk_run run;
    load_sample(&run, "ratelimit");
    struct ltk_check_opts o = { .type = LTK_TT_LOAD };
    struct ltk_check_report r;
    ck_assert_int_eq(ltk_check_run(&run, &o, &r, NULL), LTK_OK);
    ck_assert(!r.passed);
    const struct ltk_check_result *x = find(&r, "error_rate<1%");
    ck_assert_int_eq(x->verdict, LTK_V_FAIL);
    ck_assert(fabs(x->value - 100.0 * 199 / 1334) < 1e-9);   /* stats.csv Aggregated row */
    ck_assert_uint_eq(r.nfail, 1);
    ltk_check_report_release(&r);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_stress_breaking_point)
{
    struct ltk_run run;
    load_sample(&run, "stress");
    struct ltk_check_opts o = { .type = LTK_TT_UNKNOWN };
    struct ltk_check_report r;
    ck_assert_int_eq(ltk_check_run(&run, &o, &r, NULL), LTK_OK);
    ck_assert_int_eq(r.type, LTK_TT_STRESS);
    ck_assert(r.have_break);
    ck_assert_int_eq(r.break_users, 80);   /* the sample's README: past 5 % from 80 users */
    ck_assert_uint_eq(r.nfail, 0);
    ltk_check_report_release(&r);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_soak_not_stable)
{
    struct ltk_run run;
    load_sample(&run, "soak");
    struct ltk_check_opts o = { .type = LTK_TT_SOAK };
    struct ltk_check_report r;
    ck_assert_int_eq(ltk_check_run(&run, &o, &r, NULL), LTK_OK);
    const struct ltk_check_result *x = find(&r, "stable");
    ck_assert_int_eq(x->verdict, LTK_V_FAIL);   /* the leak: p95 doubles */
    ck_assert(x->value > 50);
    ltk_check_report_release(&r);
    /* the smoke run's history is cumulative: stable cannot be judged, never passes */
    ltk_run_release(&run);
    load_sample(&run, "smoke");
    ck_assert_int_eq(ltk_check_run(&run, &o, &r, NULL), LTK_OK);
    ck_assert_int_eq(find(&r, "stable")->verdict, LTK_V_NA);
    ltk_check_report_release(&r);
    ltk_run_release(&run);
}
END_TEST

static void load_metrics(struct ltk_metrics *m, const char *name)
{
    char rel[128];
    snprintf(rel, sizeof rel, "samples/runs/%s/%s_metrics.csv", name, name);
    ltk_metrics_init(m);
    ck_assert_int_eq(ltk_metrics_read(source_path(rel), m, NULL), LTK_OK);
}

/* Issue #21 item 9: the soak's leak fails stable memory; the load run's
 * memory passes; without --metrics it is n/a with the reason. */
START_TEST(test_stable_memory)
{
    struct ltk_run run;
    struct ltk_metrics mx;
    struct ltk_check_report r;
    load_sample(&run, "soak");
    struct ltk_check_opts o = { .type = LTK_TT_SOAK };
    ck_assert_int_eq(ltk_check_run(&run, &o, &r, NULL), LTK_OK);
    const struct ltk_check_result *x = find(&r, "stable_memory");
    ck_assert_int_eq(x->verdict, LTK_V_NA);
    ck_assert_ptr_nonnull(strstr(x->note, "--metrics"));
    ltk_check_report_release(&r);
    load_metrics(&mx, "soak");
    o.metrics = &mx;
    ck_assert_int_eq(ltk_check_run(&run, &o, &r, NULL), LTK_OK);
    x = find(&r, "stable_memory");
    ck_assert_int_eq(x->verdict, LTK_V_FAIL);
    ck_assert(x->value > 100);   /* RSS more than doubles in the steady stretch */
    ck_assert_ptr_nonnull(strstr(x->note, "degrading"));
    ltk_check_report_release(&r);
    ltk_metrics_release(&mx);
    ltk_run_release(&run);

    load_sample(&run, "load");
    load_metrics(&mx, "load");
    ck_assert_int_eq(ltk_check_run(&run, &o, &r, NULL), LTK_OK);
    x = find(&r, "stable_memory");
    ck_assert_int_eq(x->verdict, LTK_V_PASS);
    ck_assert(x->value > 0 && x->value < 10);
    ltk_check_report_release(&r);
    ltk_metrics_release(&mx);
    ltk_run_release(&run);
}
END_TEST

static const struct ltk_check_result *check_one(const struct ltk_run *run, const struct ltk_metrics *mx,
                                                const char *text, struct ltk_check_report *r, int want_rc)
{
    struct ltk_criterion c;
    ck_assert_int_eq(ltk_criterion_parse(text, &c, NULL), LTK_OK);
    struct ltk_check_opts o = { .type = LTK_TT_UNKNOWN, .criteria = &c, .ncriteria = 1, .metrics = mx };
    struct ltk_error err;
    ck_assert_int_eq(ltk_check_run(run, &o, r, &err), want_rc);
    ltk_criterion_release(&c);
    return want_rc == LTK_OK ? &r->results[0] : NULL;
}

/* Resource criteria against a synthetic metrics file whose numbers are
 * known: the 30 s sustained mean, the maximum, the mean and mem_growth. */
START_TEST(test_resource_criteria)
{
    struct ltk_run run;
    load_sample(&run, "load");
    int64_t t0 = run.history[0].ts;
    /* CPU 10 % for the first 60 s, 90 % for 20 s, then 10 % again: one
     * sample a second across the run; memory steady at 100 MB */
    char path[4096];
    snprintf(path, sizeof path, "%s/m.csv", temp_dir());
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fprintf(fp, "timestamp,cpu_percent,mem_mb,queue_depth\n");
    for (int i = 0; i <= 110; i++)
        fprintf(fp, "%lld,%d,100,%d\n", (long long)(t0 + i), i >= 60 && i < 80 ? 90 : 10, i == 70 ? 150 : 5);
    fclose(fp);
    struct ltk_metrics mx;
    ltk_metrics_init(&mx);
    ck_assert_int_eq(ltk_metrics_read(path, &mx, NULL), LTK_OK);
    struct ltk_check_report r;
    /* highest 30 s mean: 20 samples of 90 and 10 of 10 = 63.33 */
    const struct ltk_check_result *x = check_one(&run, &mx, "cpu<80%", &r, LTK_OK);
    ck_assert_int_eq(x->verdict, LTK_V_PASS);
    ck_assert_double_eq_tol(x->value, (20 * 90.0 + 10 * 10.0) / 30, 1e-9);
    ltk_check_report_release(&r);
    x = check_one(&run, &mx, "cpu<60%", &r, LTK_OK);
    ck_assert_int_eq(x->verdict, LTK_V_FAIL);
    ltk_check_report_release(&r);
    /* a 20 s window holds only the burst */
    x = check_one(&run, &mx, "cpu<80% over 20s", &r, LTK_OK);
    ck_assert_double_eq_tol(x->value, 90, 1e-9);
    ck_assert_int_eq(x->verdict, LTK_V_FAIL);
    ltk_check_report_release(&r);
    x = check_one(&run, &mx, "cpu.max<=90%", &r, LTK_OK);
    ck_assert_int_eq(x->verdict, LTK_V_PASS);
    ck_assert_double_eq_tol(x->value, 90, 1e-9);
    ltk_check_report_release(&r);
    /* the run's history spans t0 .. t0 + 109 or so: samples outside are not counted */
    x = check_one(&run, &mx, "cpu.mean<30%", &r, LTK_OK);
    ck_assert_int_eq(x->verdict, LTK_V_PASS);
    ck_assert(x->value > 10 && x->value < 30);
    ltk_check_report_release(&r);
    /* the module's HPA queue threshold: one sample of 150 */
    x = check_one(&run, &mx, "queue_depth.max<100", &r, LTK_OK);
    ck_assert_int_eq(x->verdict, LTK_V_FAIL);
    ltk_check_report_release(&r);
    x = check_one(&run, &mx, "queue_depth<100", &r, LTK_OK);
    ck_assert_int_eq(x->verdict, LTK_V_PASS);   /* sustained: (150 + 29 x 5) / 30 */
    ck_assert_double_eq_tol(x->value, (150 + 29 * 5.0) / 30, 1e-9);
    ltk_check_report_release(&r);
    /* flat memory: a slope of 0 with an interval of 0 passes any growth limit */
    x = check_one(&run, &mx, "mem_growth<1MB/h", &r, LTK_OK);
    ck_assert_int_eq(x->verdict, LTK_V_PASS);
    ck_assert_double_eq_tol(x->value, 0, 1e-9);
    ltk_check_report_release(&r);
    x = check_one(&run, &mx, "mem.max<0.5GB", &r, LTK_OK);
    ck_assert_int_eq(x->verdict, LTK_V_PASS);
    ck_assert_str_eq(x->unit, "MB");
    ck_assert_double_eq_tol(x->limit, 512, 1e-9);
    ltk_check_report_release(&r);
    /* no mem_percent column, no connections: the user's criterion is an error */
    check_one(&run, &mx, "mem<85%", &r, LTK_EINVAL);
    check_one(&run, &mx, "connections<10", &r, LTK_EINVAL);
    check_one(&run, NULL, "cpu<80%", &r, LTK_EINVAL);
    ltk_metrics_release(&mx);
    ltk_run_release(&run);
}
END_TEST

#define HIST                                                                                         \
    "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,95%,99%,Total Request Count,"          \
    "Total Failure Count,Total Median Response Time,Total Average Response Time,"                   \
    "Total Min Response Time,Total Max Response Time,Total Average Content Size\r\n"

/* 60 s at 10 users, 10 requests a second; p95 100 ms in the first 30 s and
 * 300 ms after; one failure a second in the last 10 s. */
static void synthetic(struct ltk_run *run)
{
    static char csv[16384];
    size_t n = (size_t)snprintf(csv, sizeof csv, "%s", HIST);
    unsigned long long req = 0, fail = 0;
    n += (size_t)snprintf(csv + n, sizeof csv - n, "1000,0,,Aggregated,0,0,0,0,0,0,0,0,0,0,0,0\r\n");
    for (int t = 1; t <= 60; t++) {
        req += 10;
        fail += t > 50 ? 1 : 0;
        int p95 = t <= 30 ? 100 : 300;
        n += (size_t)snprintf(csv + n, sizeof csv - n, "%d,10,GET,/a,10,0,50,%d,%d,%llu,%llu,1,1,1,1,1\r\n",
                              1000 + t, p95, p95, req, fail);
        n += (size_t)snprintf(csv + n, sizeof csv - n, "%d,10,,Aggregated,10,0,50,%d,%d,%llu,%llu,1,1,1,1,1\r\n",
                              1000 + t, p95, p95, req, fail);
    }
    ltk_run_init(run);
    run->label = strdup("synthetic");
    FILE *fp = mem_file(csv, n);
    ck_assert_int_eq(ltk_locust_read_history(run, fp, "h.csv", NULL), LTK_OK);
    fclose(fp);
}

static struct ltk_check_report check_exprs(struct ltk_run *run, const char *const *exprs, size_t n, int64_t skip,
                                           int expect_rc)
{
    struct ltk_criterion c[8];
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(ltk_criterion_parse(exprs[i], &c[i], NULL), LTK_OK);
    struct ltk_check_opts o = { .criteria = c, .ncriteria = n, .skip_s = skip };
    struct ltk_check_report r;
    struct ltk_error err;
    ck_assert_int_eq(ltk_check_run(run, &o, &r, &err), expect_rc);
    for (size_t i = 0; i < n; i++)
        ltk_criterion_release(&c[i]);
    return r;
}

START_TEST(test_windows)
{
    struct ltk_run run;
    synthetic(&run);
    static const char *const e[] = { "p95<200ms over 10s", "error_rate<5% over 20s", "rps>=10 over 10s",
                                     "requests>=90 over 10s", "GET /a: p95<=300 over 30s" };
    struct ltk_check_report r = check_exprs(&run, e, 5, 0, LTK_OK);
    ck_assert_int_eq(r.type, LTK_TT_SMOKE);
    /* windows [1001,1011], ...: 100 ms in the first three, 300 ms after */
    ck_assert(r.results[0].value == 300 && r.results[0].verdict == LTK_V_FAIL);
    ck_assert_ptr_nonnull(strstr(r.results[0].note, "3 of 6 windows fail"));
    /* windows start at the first user (1001): the last, (1041, 1060], holds
     * 10 failures in 190 requests */
    ck_assert(fabs(r.results[1].value - 1000.0 / 190) < 1e-12 && r.results[1].verdict == LTK_V_FAIL);
    ck_assert(r.results[2].value == 10 && r.results[2].verdict == LTK_V_PASS);
    ck_assert(r.results[3].value == 90 && r.results[3].verdict == LTK_V_PASS);
    ck_assert(r.results[4].value == 300 && r.results[4].verdict == LTK_V_PASS);
    ltk_check_report_release(&r);
    /* --skip 30s leaves only the 300 ms part */
    static const char *const e2[] = { "p95>=300 over 10s" };
    r = check_exprs(&run, e2, 1, 30, LTK_OK);
    ck_assert_int_eq(r.results[0].verdict, LTK_V_PASS);
    ltk_check_report_release(&r);
    /* what the caller asks and the run cannot answer is an input error */
    static const char *const e3[] = { "p95<1s" };         /* no stats.csv */
    r = check_exprs(&run, e3, 1, 0, LTK_EINVAL);
    static const char *const e4[] = { "/nope: p95<1s over 10s" };
    r = check_exprs(&run, e4, 1, 0, LTK_EINVAL);
    static const char *const e5[] = { "p95<1s during spike" };
    r = check_exprs(&run, e5, 1, 0, LTK_EINVAL);
    ltk_run_release(&run);
}
END_TEST

static char *render(const struct ltk_check_report *r, int junit)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    ck_assert_int_eq(junit ? ltk_check_write_junit(fp, r) : ltk_check_write_table(fp, r, false), LTK_OK);
    fclose(fp);
    return buf;
}

/* The module's spike test jumps and holds (--users 500 --spawn-rate 500): the
 * criteria during the spike are evaluated, "recovered" is n/a (no fall-back).
 * The values are the medians of Locust's 10 s values over the spike phase,
 * recomputed from spike_hold_stats_history.csv (21-49 s after the first user:
 * p50 5500, p95 6800, p99 8300; 4 failures in 650 requests). */
START_TEST(test_spike_held)
{
    struct ltk_run run;
    load_sample(&run, "spike_hold");
    struct ltk_check_opts o = { .type = LTK_TT_UNKNOWN };
    struct ltk_check_report r;
    ck_assert_int_eq(ltk_check_run(&run, &o, &r, NULL), LTK_OK);
    ck_assert_int_eq(r.type, LTK_TT_SPIKE);
    ck_assert(!r.type_given);
    ck_assert_uint_eq(r.nresults, 5);
    const struct ltk_check_result *x = find(&r, "p50<2s during spike");
    ck_assert(x->value == 5500 && x->limit == 2000 && x->verdict == LTK_V_FAIL);
    x = find(&r, "p95<5s during spike");
    ck_assert(x->value == 6800 && x->limit == 5000 && x->verdict == LTK_V_FAIL);
    x = find(&r, "p99<10s during spike");
    ck_assert(x->value == 8300 && x->limit == 10000 && x->verdict == LTK_V_PASS);
    x = find(&r, "error_rate<5% during spike");
    ck_assert(fabs(x->value - 100.0 * 4 / 650) < 1e-9 && x->verdict == LTK_V_PASS);
    x = find(&r, "recovered");
    ck_assert_int_eq(x->verdict, LTK_V_NA);
    ck_assert_ptr_nonnull(strstr(x->note, "did not come back down"));
    ck_assert_uint_eq(r.nfail, 2);
    ck_assert_uint_eq(r.nna, 1);
    ck_assert(!r.passed);
    ck_assert_int_eq(ltk_check_evaluated(&r, NULL), LTK_OK);
    ltk_check_report_release(&r);
    ltk_run_release(&run);
}
END_TEST

/* From zero users, held: the server kept up, so four criteria pass and the
 * check passes with "recovered" n/a. */
START_TEST(test_spike_from_zero)
{
    struct ltk_run run;
    load_sample(&run, "spike_zero");
    struct ltk_check_opts o = { .type = LTK_TT_UNKNOWN };
    struct ltk_check_report r;
    ck_assert_int_eq(ltk_check_run(&run, &o, &r, NULL), LTK_OK);
    ck_assert_int_eq(r.type, LTK_TT_SPIKE);
    ck_assert_uint_eq(r.profile.nphases, 1);
    ck_assert_int_eq(r.profile.phases[0].kind, LTK_PHASE_SPIKE);
    const struct ltk_check_result *x = find(&r, "p50<2s during spike");
    ck_assert(x->value == 630 && x->verdict == LTK_V_PASS);
    ck_assert(find(&r, "p95<5s during spike")->value == 1500);
    ck_assert(find(&r, "p99<10s during spike")->value == 2300);
    ck_assert(find(&r, "error_rate<5% during spike")->value == 0);
    ck_assert_int_eq(find(&r, "recovered")->verdict, LTK_V_NA);
    ck_assert_uint_eq(r.npass, 4);
    ck_assert(r.passed);
    ck_assert_int_eq(ltk_check_evaluated(&r, NULL), LTK_OK);
    ltk_check_report_release(&r);
    ltk_run_release(&run);
}
END_TEST

/* The spike that falls back keeps its recovery judgement. */
START_TEST(test_spike_recovery)
{
    struct ltk_run run;
    load_sample(&run, "spike");
    struct ltk_check_opts o = { .type = LTK_TT_UNKNOWN };
    struct ltk_check_report r;
    ck_assert_int_eq(ltk_check_run(&run, &o, &r, NULL), LTK_OK);
    ck_assert_int_eq(r.type, LTK_TT_SPIKE);
    const struct ltk_check_result *x = find(&r, "recovered");
    /* p95 1900 ms at the end of the recovery vs 1500 ms before the spike, +20 % allowed */
    ck_assert(x->value == 1900 && x->limit == 1800 && x->verdict == LTK_V_FAIL);
    ck_assert_uint_eq(r.nna, 0);
    ltk_check_report_release(&r);
    ltk_run_release(&run);
}
END_TEST

/* Nothing evaluated is never a pass, for any type: --type spike on a run
 * without a spike, --type stress without a history. */
START_TEST(test_nothing_evaluated)
{
    struct ltk_run run;
    load_sample(&run, "load");
    struct ltk_check_opts o = { .type = LTK_TT_SPIKE };
    struct ltk_check_report r;
    ck_assert_int_eq(ltk_check_run(&run, &o, &r, NULL), LTK_OK);
    ck_assert_uint_eq(r.nna, 5);
    ck_assert_uint_eq(r.npass + r.nfail + r.ninfo, 0);
    struct ltk_error err;
    ltk_error_clear(&err);
    ck_assert_int_eq(ltk_check_evaluated(&r, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "no criterion could be evaluated (5 n/a)"));
    ck_assert_ptr_nonnull(strstr(err.msg, "p50<2s during spike, p95<5s during spike, p99<10s during spike, "
                                          "error_rate<5% during spike, recovered: the run has no spike phase"));
    ck_assert_ptr_nonnull(strstr(err.msg, "given with --type, detected: load"));
    ck_assert_str_eq(err.file, r.run_label);
    char *t = render(&r, 0);
    ck_assert_ptr_nonnull(strstr(t, "result: NOT EVALUATED: no criterion could be evaluated (5 n/a)"));
    free(t);
    ltk_check_report_release(&r);
    ltk_run_release(&run);

    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load(&run, source_path("samples/module/example_stats.csv"), NULL), LTK_OK);
    o.type = LTK_TT_STRESS;
    ck_assert_int_eq(ltk_check_run(&run, &o, &r, NULL), LTK_OK);
    const struct ltk_check_result *x = find(&r, "breaking_point");
    ck_assert_int_eq(x->verdict, LTK_V_NA);
    ck_assert(!r.have_break);   /* no "breaking point: not reached" */
    ck_assert_int_eq(ltk_check_evaluated(&r, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "breaking_point: the run has no stats_history.csv"));
    ltk_check_report_release(&r);
    /* the module's example has no Aggregated row: the load profile has nothing to judge either */
    o.type = LTK_TT_LOAD;
    ck_assert_int_eq(ltk_check_run(&run, &o, &r, NULL), LTK_OK);
    ck_assert_uint_eq(r.nna, 4);
    ck_assert_int_eq(ltk_check_evaluated(&r, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "p50<1s, p95<2s, p99<3s, error_rate<1%: the run has no Aggregated row"));
    ltk_check_report_release(&r);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_views_escape)
{
    struct ltk_check_report r;
    memset(&r, 0, sizeof r);
    r.run_label = strdup("run<&>");
    r.type = LTK_TT_LOAD;
    snprintf(r.type_reason, sizeof r.type_reason, "because");
    r.results = calloc(1, sizeof *r.results);
    r.nresults = 1;
    r.results[0].expr = strdup("\"a\": p95<1s");
    r.results[0].endpoint = strdup("a\x1b[31m<x>&\"'\xff\x01");
    snprintf(r.results[0].metric, sizeof r.results[0].metric, "p95");
    r.results[0].op = "<";
    r.results[0].unit = "ms";
    r.results[0].value = 1500;
    r.results[0].limit = 1000;
    r.results[0].verdict = LTK_V_FAIL;
    r.nfail = 1;
    char *x = render(&r, 1);
    ck_assert_ptr_nonnull(strstr(x, "name=\"a\xEF\xBF\xBD[31m&lt;x&gt;&amp;&quot;&apos;\xEF\xBF\xBD\xEF\xBF\xBD: &quot;a&quot;: p95&lt;1s\""));
    ck_assert_ptr_nonnull(strstr(x, "<failure type=\"criterion\" message=\"value 1500 ms, limit &lt; 1000 ms\">"));
    ck_assert_ptr_nonnull(strstr(x, "<testsuite name=\"run&lt;&amp;&gt;\" tests=\"1\" failures=\"1\""));
    free(x);
    x = render(&r, 0);
    ck_assert_ptr_null(strchr(x, '\x1b'));
    ck_assert_ptr_nonnull(strstr(x, "a\\x1b[31m"));
    free(x);
    cJSON *doc = ltk_check_to_json(&r);
    char *j = cJSON_PrintUnformatted(doc);
    ck_assert_ptr_nonnull(strstr(j, "\"passed\":false"));
    ck_assert_ptr_nonnull(strstr(j, "\"value\":1500,\"limit\":1000"));
    free(j);
    cJSON_Delete(doc);
    ltk_check_report_release(&r);
}
END_TEST


/* Under --from the table is the window's: a criterion says so in its
 * source, and a percentile Locust's CSV cannot give for a window is n/a with
 * that reason (not "no requests"), while a raw log's window is gated. */
static void check_from_30s(const char *rel, struct ltk_check_report *r, struct ltk_run *run)
{
    struct ltk_error err;
    ltk_error_clear(&err);
    struct ltk_select sel;
    ltk_select_init(&sel);
    ck_assert_int_eq(ltk_select_set_time(&sel, false, "30s", &err), LTK_OK);
    ltk_run_init(run);
    ck_assert_msg(ltk_run_load_select(run, source_path(rel), NULL, &sel, &err) == LTK_OK, "%s", err.msg);
    ltk_select_release(&sel);
    struct ltk_check_opts o = { .type = LTK_TT_UNKNOWN };
    ck_assert_int_eq(ltk_check_run(run, &o, r, NULL), LTK_OK);
}

START_TEST(test_window_sources)
{
    struct ltk_run run;
    struct ltk_check_report r;
    check_from_30s("samples/runs/load/load", &r, &run);
    const struct ltk_check_result *x = find(&r, "p95<2s");
    ck_assert_int_eq(x->verdict, LTK_V_NA);
    ck_assert_ptr_nonnull(strstr(x->note, "no distribution of a window"));
    x = find(&r, "error_rate<1%");
    ck_assert_int_eq(x->verdict, LTK_V_PASS);
    ck_assert_str_eq(x->source, "stats_history.csv (the window)");
    ltk_check_report_release(&r);
    ltk_run_release(&run);

    check_from_30s("samples/runs/load/load_requests.csv", &r, &run);
    x = find(&r, "p95<2s");
    ck_assert_int_eq(x->verdict, LTK_V_PASS);
    ck_assert(x->value > 0 && x->value < 2000);
    ck_assert_str_eq(x->source, "the raw request log (the window)");
    ltk_check_report_release(&r);
    ltk_run_release(&run);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("check");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_builtins_parse);
    tcase_add_test(tc, test_smoke_passes);
    tcase_add_test(tc, test_ratelimit_fails_load);
    tcase_add_test(tc, test_stress_breaking_point);
    tcase_add_test(tc, test_soak_not_stable);
    tcase_add_test(tc, test_stable_memory);
    tcase_add_test(tc, test_resource_criteria);
    tcase_add_test(tc, test_windows);
    tcase_add_test(tc, test_views_escape);
    tcase_add_test(tc, test_spike_held);
    tcase_add_test(tc, test_spike_from_zero);
    tcase_add_test(tc, test_spike_recovery);
    tcase_add_test(tc, test_nothing_evaluated);
    tcase_add_test(tc, test_window_sources);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

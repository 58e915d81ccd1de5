/* Check suite for the module's findings on real Locust runs
 * (tests/data/diagnose/, made by make_runs.sh there): slow_queries,
 * inconsistent_latency and linear_latency with their categories, and a
 * refused connection read in both modes of ltk diagnose (flag mode keeps the
 * module's tree and says where ltk reads the text otherwise; a run counts it
 * under errors_other, not the pool). */
#include <cjson/cJSON.h>
#include <math.h>
#include <string.h>

#include "ltk/analyze/diagnose.h"
#include "ltk/read/load.h"
#include "testutil.h"

static void diagnose_file(const char *rel, struct ltk_diagnosis *d, struct ltk_run *run)
{
    struct ltk_error err;
    ltk_error_clear(&err);
    ltk_run_init(run);
    ck_assert_msg(ltk_run_load(run, source_path(rel), &err) == LTK_OK, "%s: %s", rel, err.msg);
    ltk_diagnosis_init(d);
    ck_assert_msg(ltk_diagnose_run(d, run, NULL, &err) == LTK_OK, "%s", err.msg);
}

static const struct ltk_diagnose_finding *find(const struct ltk_diagnosis *d, enum ltk_diagnose_id id)
{
    for (size_t i = 0; i < d->nfindings; i++)
        if (d->findings[i].id == id)
            return &d->findings[i];
    return NULL;
}

/* The k-th evidence named metric (0 the first); NULL when there are fewer. */
static const struct ltk_diagnose_evidence *ev(const struct ltk_diagnose_finding *f, const char *metric, size_t k)
{
    for (size_t i = 0; i < f->nevidence; i++)
        if (strcmp(f->evidence[i].metric, metric) == 0 && k-- == 0)
            return &f->evidence[i];
    return NULL;
}

static enum ltk_diagnose_category category(const struct ltk_diagnose_finding *f)
{
    return ltk_diagnose_recommendation(f->id)->category;
}

/* /retrieval's vector search takes ~1.4 s on its own (and /query runs one
 * too) at the run's only load, 10 users: slow_queries names both, with their
 * medians at that load; an external service in the module's categories. */
START_TEST(test_slow_retrieval_is_slow_queries)
{
    struct ltk_diagnosis d;
    struct ltk_run run;
    diagnose_file("tests/data/diagnose/slow_retrieval", &d, &run);
    const struct ltk_diagnose_finding *f = find(&d, LTK_DIAG_SLOW_QUERIES);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(category(f), LTK_CAT_EXTERNAL);
    ck_assert_str_eq(ltk_diagnose_category_name(category(f)), "external_service");
    ck_assert_str_eq(ev(f, "endpoint", 0)->text, "/query");
    ck_assert_str_eq(ev(f, "endpoint", 1)->text, "/retrieval");
    ck_assert_ptr_null(ev(f, "endpoint", 2));   /* not /health */
    ck_assert(ev(f, "p50_lowest_load_ms", 0)->value == 1300);
    ck_assert(ev(f, "p50_lowest_load_ms", 1)->value == 1400);
    ck_assert_ptr_nonnull(strstr(ev(f, "p50_lowest_load_ms", 1)->rule, "at 10 users"));
    ck_assert(ltk_diagnosis_has_problem(&d));
    ltk_diagnosis_release(&d);
    ltk_run_release(&run);
}
END_TEST

/* 20 steady users; /query's LLM answers with a wide spread (no cache): p95
 * 1300 ms at p50 340 ms, 3.8 times, and p99 1700 ms is no outlier pattern. */
START_TEST(test_no_cache_is_inconsistent_latency)
{
    struct ltk_diagnosis d;
    struct ltk_run run;
    diagnose_file("tests/data/diagnose/no_cache", &d, &run);
    const struct ltk_diagnose_finding *f = find(&d, LTK_DIAG_INCONSISTENT);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(category(f), LTK_CAT_APPLICATION);
    ck_assert_str_eq(ev(f, "endpoint", 0)->text, "/query");
    ck_assert_ptr_null(ev(f, "endpoint", 1));
    ck_assert(ev(f, "p50_ms", 0)->value == 340);
    ck_assert(ev(f, "p95_ms", 0)->value == 1300);
    ck_assert(ev(f, "p95_p50_ratio", 0)->value == 3.8);
    ck_assert_ptr_null(find(&d, LTK_DIAG_OUTLIERS));
    ck_assert_ptr_null(find(&d, LTK_DIAG_SLOW_QUERIES));
    ltk_diagnosis_release(&d);
    ltk_run_release(&run);
}
END_TEST

/* Steps of 10 to 30 users against 2 workers that queue the rest: the mean
 * response time rises in a straight line with the users, no failures; the
 * module's "latency increases linearly with users" (application code), with
 * the saturation that causes it. */
START_TEST(test_blocking_workers_is_linear_latency)
{
    struct ltk_diagnosis d;
    struct ltk_run run;
    diagnose_file("tests/data/diagnose/blocking_workers", &d, &run);
    const struct ltk_diagnose_finding *f = find(&d, LTK_DIAG_LINEAR_LATENCY);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(category(f), LTK_CAT_APPLICATION);
    ck_assert_str_eq(ltk_diagnose_category_name(category(f)), "application_code");
    ck_assert(ev(f, "r2", 0)->value >= 0.9);
    ck_assert(ev(f, "latency_growth_factor", 0)->value >= 1.5);
    ck_assert(ev(f, "ms_per_user", 0)->value > 0);
    ck_assert_ptr_nonnull(strstr(ev(f, "ms_per_user", 0)->rule, "10 to 30 users"));
    ck_assert_uint_eq(run.total.failures, 0);
    ck_assert_ptr_nonnull(find(&d, LTK_DIAG_SATURATION));
    ck_assert_int_eq(category(find(&d, LTK_DIAG_SATURATION)), LTK_CAT_INFRASTRUCTURE);
    ltk_diagnosis_release(&d);
    ltk_run_release(&run);
}
END_TEST

static const char refused[] = "ConnectionRefusedError(111, 'Connection refused')";

/* Flag mode: the module's tree as written ("connection" in any case is the
 * pool), one finding with one evidence, and the note on a refused or reset
 * connection only. */
START_TEST(test_flag_mode_keeps_the_tree_and_notes_a_refused_connection)
{
    static const struct {
        const char *type;
        bool note;
    } cases[] = {
        { "ConnectionRefusedError(111, 'Connection refused')", true },
        { "CONNECTION reset by peer", true },
        { "ConnectionError(MaxRetryError(\"HTTPConnectionPool(host='127.0.0.1', port=1): Max retries exceeded "
          "(Caused by NewConnectionError('Failed to establish a new connection: [Errno 111] Connection refused'))\"))",
          true },
        { "QueuePool limit reached", false },
        { "QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 2.00", false },
        { "connection timed out", false },   /* a timeout, not a refusal */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ltk_diagnose_metrics m = { 30, 50, 15, cases[i].type };
        struct ltk_diagnosis d;
        struct ltk_error err;
        ltk_diagnosis_init(&d);
        ck_assert_int_eq(ltk_diagnose_metrics(&d, &m, &err), LTK_OK);
        ck_assert_uint_eq(d.nfindings, 1);
        ck_assert_int_eq(d.findings[0].id, LTK_DIAG_CONNECTION_POOL);
        ck_assert_uint_eq(d.findings[0].nevidence, 1);
        ck_assert_msg((d.findings[0].note != NULL) == cases[i].note, "%s", cases[i].type);
        cJSON *doc = ltk_diagnose_to_json(&d, &m);
        const cJSON *note = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "findings"), 0), "note");
        ck_assert(cases[i].note ? cJSON_IsString(note) : note == NULL);   /* absent when none */
        if (cases[i].note) {
            ck_assert_ptr_nonnull(strstr(note->valuestring, "errors_other"));
            ck_assert_ptr_nonnull(strstr(note->valuestring, "not the pool's QueuePool"));
        }
        cJSON_Delete(doc);
        ltk_diagnosis_release(&d);
    }
    /* the text is the class a run gives it */
    ck_assert_int_eq(ltk_failure_classify(refused), LTK_FC_CONNECTION);
    ck_assert_int_eq(ltk_failure_classify("QueuePool limit reached"), LTK_FC_POOL);
}
END_TEST

/* From a run: the server killed after 20 s of 10 users.  Every failure is a
 * refused, aborted or reset connection (Locust's texts, urllib3's
 * HTTPConnectionPool among them): errors_other with the connection class and
 * why it is not the pool; no connection_pool finding. */
START_TEST(test_run_counts_a_refused_connection_under_errors_other)
{
    struct ltk_diagnosis d;
    struct ltk_run run;
    diagnose_file("tests/data/diagnose/server_gone", &d, &run);
    ck_assert_ptr_null(find(&d, LTK_DIAG_CONNECTION_POOL));
    const struct ltk_diagnose_finding *f = find(&d, LTK_DIAG_ERRORS_OTHER);
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_eq(f, &d.findings[0]);
    ck_assert_int_eq(category(f), LTK_CAT_NONE);
    ck_assert_ptr_null(f->note);
    ck_assert_uint_eq(run.total.failures, 100);
    ck_assert(ev(f, "connection_failures", 0)->value == 100);   /* all of them */
    ck_assert(ev(f, "share_of_requests_pct", 0)->value == 56.5);  /* 100 of 177 */
    const struct ltk_diagnose_evidence *e = ev(f, "error_text", 0);
    ck_assert_ptr_nonnull(strstr(e->text, "Connection refused"));
    ck_assert_ptr_nonnull(strstr(e->rule, "not the database pool"));
    ck_assert(ev(f, "onset_s", 0)->value == 20);
    for (size_t i = 0; i < run.nfailures; i++)
        ck_assert_int_eq(ltk_failure_classify(run.failures[i].error), LTK_FC_CONNECTION);
    ltk_diagnosis_release(&d);
    ltk_run_release(&run);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("diagnose_module");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_slow_retrieval_is_slow_queries);
    tcase_add_test(tc, test_no_cache_is_inconsistent_latency);
    tcase_add_test(tc, test_blocking_workers_is_linear_latency);
    tcase_add_test(tc, test_flag_mode_keeps_the_tree_and_notes_a_refused_connection);
    tcase_add_test(tc, test_run_counts_a_refused_connection_under_errors_other);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

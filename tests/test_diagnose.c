/* Check suite for lib/analyze/diagnose.c: module M3.4's diagnose_bottleneck tree
 * (Section 4) rule by rule and at its thresholds, the module's three
 * scenarios, the findings list, and safe output of untrusted text. */
#include <math.h>

#include "ltk/analyze/diagnose.h"
#include "testutil.h"

static enum ltk_diagnose_id tree(double cpu, double mem, double rate, const char *type)
{
    struct ltk_diagnose_metrics m = { cpu, mem, rate, type };
    struct ltk_diagnosis d;
    struct ltk_error err;
    ltk_diagnosis_init(&d);
    ck_assert_int_eq(ltk_diagnose_metrics(&d, &m, &err), LTK_OK);
    ck_assert_uint_eq(d.nfindings, 1);
    ck_assert(d.findings[0].confidence == 1.0);
    ck_assert_uint_eq(d.findings[0].nevidence, 1);
    enum ltk_diagnose_id id = d.findings[0].id;
    ltk_diagnosis_release(&d);
    return id;
}

START_TEST(test_module_scenarios)
{
    ck_assert_int_eq(tree(45, 60, 25, "RateLimitError: 429"), LTK_DIAG_RATE_LIMIT);
    ck_assert_int_eq(tree(30, 50, 15, "QueuePool limit reached"), LTK_DIAG_CONNECTION_POOL);
    ck_assert_int_eq(tree(95, 40, 5, "Timeout"), LTK_DIAG_CPU_BOUND);
}
END_TEST

START_TEST(test_rule_order)
{
    /* the error type decides before any number */
    ck_assert_int_eq(tree(99, 99, 0, "HTTP 429"), LTK_DIAG_RATE_LIMIT);
    ck_assert_int_eq(tree(99, 99, 0, "RateLimitError"), LTK_DIAG_RATE_LIMIT);
    ck_assert_int_eq(tree(0, 0, 50, "RateLimitError via QueuePool connection"), LTK_DIAG_RATE_LIMIT);
    ck_assert_int_eq(tree(99, 99, 0, "QueuePool"), LTK_DIAG_CONNECTION_POOL);
    ck_assert_int_eq(tree(99, 99, 0, "Connection refused"), LTK_DIAG_CONNECTION_POOL);
    ck_assert_int_eq(tree(0, 0, 0, "CONNECTION reset"), LTK_DIAG_CONNECTION_POOL);
    /* case matters for the others, as in the module */
    ck_assert_int_eq(tree(0, 0, 50, "ratelimiterror"), LTK_DIAG_UNKNOWN);
    ck_assert_int_eq(tree(0, 0, 50, "queuepool"), LTK_DIAG_UNKNOWN);
    ck_assert_int_eq(tree(0, 0, 50, "conn"), LTK_DIAG_UNKNOWN);
    /* CPU before memory, memory before the error rate */
    ck_assert_int_eq(tree(81, 90, 50, ""), LTK_DIAG_CPU_BOUND);
    ck_assert_int_eq(tree(50, 90, 0, ""), LTK_DIAG_MEMORY_BOUND);
}
END_TEST

START_TEST(test_thresholds)
{
    ck_assert_int_eq(tree(80, 0, 0, ""), LTK_DIAG_HEALTHY);       /* 80 is not CPU-bound */
    ck_assert_int_eq(tree(80.01, 0, 0, ""), LTK_DIAG_CPU_BOUND);
    ck_assert_int_eq(tree(0, 85, 0, ""), LTK_DIAG_HEALTHY);       /* 85 is not memory-bound */
    ck_assert_int_eq(tree(0, 85.5, 0, ""), LTK_DIAG_MEMORY_BOUND);
    ck_assert_int_eq(tree(0, 0, 0.99, ""), LTK_DIAG_HEALTHY);
    ck_assert_int_eq(tree(0, 0, 1, ""), LTK_DIAG_UNKNOWN);        /* "< 1": 1 is not healthy */
    ck_assert_int_eq(tree(100, 100, 100, "Timeout"), LTK_DIAG_CPU_BOUND);
    ck_assert_int_eq(tree(0, 0, 100, "Timeout"), LTK_DIAG_UNKNOWN);
}
END_TEST

START_TEST(test_evidence)
{
    struct ltk_diagnose_metrics m = { 45, 60, 25, "RateLimitError: 429" };
    struct ltk_diagnosis d;
    struct ltk_error err;
    ltk_diagnosis_init(&d);
    ck_assert_int_eq(ltk_diagnose_metrics(&d, &m, &err), LTK_OK);
    const struct ltk_diagnose_evidence *e = &d.findings[0].evidence[0];
    ck_assert_str_eq(e->metric, "error_type");
    ck_assert_str_eq(e->text, "RateLimitError: 429");
    ck_assert_str_eq(e->rule, "contains \"RateLimitError\"");
    ck_assert(isnan(e->value));
    ck_assert(ltk_diagnosis_has_problem(&d));
    ltk_diagnosis_release(&d);

    m = (struct ltk_diagnose_metrics){ 95, 40, 5, "Timeout" };
    ltk_diagnosis_init(&d);
    ck_assert_int_eq(ltk_diagnose_metrics(&d, &m, &err), LTK_OK);
    e = &d.findings[0].evidence[0];
    ck_assert_str_eq(e->metric, "cpu_pct");
    ck_assert(e->value == 95);
    ck_assert_ptr_null(e->text);
    ck_assert_str_eq(e->rule, "> 80");
    ltk_diagnosis_release(&d);

    m = (struct ltk_diagnose_metrics){ 10, 10, 0.5, "" };
    ltk_diagnosis_init(&d);
    ck_assert_int_eq(ltk_diagnose_metrics(&d, &m, &err), LTK_OK);
    ck_assert_int_eq(d.findings[0].id, LTK_DIAG_HEALTHY);
    ck_assert_str_eq(d.findings[0].evidence[0].metric, "error_rate_pct");
    ck_assert(!ltk_diagnosis_has_problem(&d));
    ltk_diagnosis_release(&d);
}
END_TEST

START_TEST(test_bad_metrics)
{
    struct ltk_diagnosis d;
    struct ltk_error err;
    ltk_diagnosis_init(&d);
    struct ltk_diagnose_metrics bad[] = {
        { 150, 0, 0, "" }, { -1, 0, 0, "" }, { 0, 100.5, 0, "" }, { 0, 0, -0.1, "" },
        { NAN, 0, 0, "" }, { 0, INFINITY, 0, "" }, { 0, 0, 0, NULL },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ltk_error_clear(&err);
        ck_assert_int_eq(ltk_diagnose_metrics(&d, &bad[i], &err), LTK_EINVAL);
        ck_assert(err.msg[0]);
    }
    ck_assert_uint_eq(d.nfindings, 0);
    ltk_error_clear(&err);
    ltk_diagnose_metrics(&d, &bad[0], &err);
    ck_assert_str_eq(err.msg, "CPU must be a percentage from 0 to 100, got 150");
    ltk_diagnosis_release(&d);
}
END_TEST

START_TEST(test_vocabulary_and_recommendations)
{
    const char *names[] = { "rate_limit", "connection_pool", "cpu_bound", "memory_bound", "degradation",
                            "saturation", "outliers", "struggling", "slow_queries", "inconsistent_latency",
                            "external_latency", "linear_latency", "approaching_capacity", "errors_other",
                            "healthy", "unknown" };
    ck_assert_int_eq(LTK_DIAG_NIDS, 16);
    for (int i = 0; i < LTK_DIAG_NIDS; i++) {
        ck_assert_str_eq(ltk_diagnose_id_name((enum ltk_diagnose_id)i), names[i]);
        const struct ltk_diagnose_recommendation *r = ltk_diagnose_recommendation((enum ltk_diagnose_id)i);
        ck_assert(r && r->title && r->cause && r->fix && r->source);
    }
    ck_assert_ptr_null(ltk_diagnose_id_name(LTK_DIAG_NIDS));
    /* the Scaling Decision Matrix columns */
    ck_assert_str_eq(ltk_diagnose_recommendation(LTK_DIAG_RATE_LIMIT)->cost, "low-high");
    ck_assert_str_eq(ltk_diagnose_recommendation(LTK_DIAG_RATE_LIMIT)->complexity, "medium");
    ck_assert_str_eq(ltk_diagnose_recommendation(LTK_DIAG_CPU_BOUND)->cost, "high");
    ck_assert_str_eq(ltk_diagnose_recommendation(LTK_DIAG_CPU_BOUND)->complexity, "low/high");
    ck_assert_str_eq(ltk_diagnose_recommendation(LTK_DIAG_MEMORY_BOUND)->cost, "medium");
    ck_assert_str_eq(ltk_diagnose_recommendation(LTK_DIAG_MEMORY_BOUND)->complexity, "high");
    ck_assert_str_eq(ltk_diagnose_recommendation(LTK_DIAG_OUTLIERS)->cost, "medium");
    ck_assert_ptr_null(ltk_diagnose_recommendation(LTK_DIAG_CONNECTION_POOL)->cost);
    ck_assert_str_eq(ltk_diagnose_recommendation(LTK_DIAG_SLOW_QUERIES)->cost, "free");   /* "Add indexes (free!)" */
    ck_assert_str_eq(ltk_diagnose_recommendation(LTK_DIAG_SLOW_QUERIES)->complexity, "low");
    ck_assert_str_eq(ltk_diagnose_recommendation(LTK_DIAG_INCONSISTENT)->cost, "low");
    ck_assert_str_eq(ltk_diagnose_recommendation(LTK_DIAG_INCONSISTENT)->complexity, "medium");
    /* the module's three categories (Section 4): external services hold rate limits and
     * slow queries, infrastructure the CPU, memory and the connection pool */
    static const struct {
        enum ltk_diagnose_id id;
        const char *category;
    } cats[] = {
        { LTK_DIAG_RATE_LIMIT, "external_service" },   { LTK_DIAG_SLOW_QUERIES, "external_service" },
        { LTK_DIAG_EXTERNAL_LATENCY, "external_service" }, { LTK_DIAG_CPU_BOUND, "infrastructure" },
        { LTK_DIAG_MEMORY_BOUND, "infrastructure" },  { LTK_DIAG_CONNECTION_POOL, "infrastructure" },
        { LTK_DIAG_APPROACHING, "infrastructure" },   { LTK_DIAG_LINEAR_LATENCY, "application_code" },
        { LTK_DIAG_INCONSISTENT, "application_code" }, { LTK_DIAG_HEALTHY, NULL }, { LTK_DIAG_STRUGGLING, NULL },
    };
    for (size_t i = 0; i < sizeof cats / sizeof cats[0]; i++) {
        const char *got = ltk_diagnose_category_name(ltk_diagnose_recommendation(cats[i].id)->category);
        if (cats[i].category)
            ck_assert_str_eq(got, cats[i].category);
        else
            ck_assert_ptr_null(got);
    }
    ck_assert_ptr_null(ltk_diagnose_category_name((enum ltk_diagnose_category)99));
}
END_TEST

START_TEST(test_findings_list_sorts)
{
    struct ltk_diagnosis d;
    ltk_diagnosis_init(&d);
    ck_assert_ptr_nonnull(ltk_diagnosis_add(&d, LTK_DIAG_OUTLIERS, 0.3));
    struct ltk_diagnose_finding *f = ltk_diagnosis_add(&d, LTK_DIAG_SATURATION, 0.9);
    ck_assert_int_eq(ltk_diagnose_add_evidence(f, "rps_plateau", 14.2, NULL, "flat while users rise"), LTK_OK);
    ck_assert_ptr_nonnull(ltk_diagnosis_add(&d, LTK_DIAG_DEGRADATION, 0.3));
    for (int i = 0; i < 5; i++)
        ck_assert_ptr_nonnull(ltk_diagnosis_add(&d, LTK_DIAG_ERRORS_OTHER, 0.1));
    ck_assert_ptr_null(ltk_diagnosis_add(&d, LTK_DIAG_HEALTHY, 1.5));
    ck_assert_ptr_null(ltk_diagnosis_add(&d, LTK_DIAG_HEALTHY, NAN));
    ck_assert_ptr_null(ltk_diagnosis_add(&d, LTK_DIAG_NIDS, 0.5));
    ltk_diagnosis_sort(&d);
    ck_assert_uint_eq(d.nfindings, 8);
    ck_assert_int_eq(d.findings[0].id, LTK_DIAG_SATURATION);
    ck_assert_uint_eq(d.findings[0].nevidence, 1);
    ck_assert_int_eq(d.findings[1].id, LTK_DIAG_OUTLIERS);   /* stable among equals */
    ck_assert_int_eq(d.findings[2].id, LTK_DIAG_DEGRADATION);
    ck_assert(ltk_diagnosis_has_problem(&d));
    ltk_diagnosis_release(&d);
}
END_TEST

static char *render(const struct ltk_diagnosis *d, const struct ltk_diagnose_metrics *m)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ck_assert_int_eq(ltk_diagnose_write_text(out, d, m), LTK_OK);
    fclose(out);
    return buf;
}

START_TEST(test_output_escapes_untrusted_text)
{
    struct ltk_diagnose_metrics m = { 1, 1, 5, "\x1b[31mboom\nconnection \xff" };
    struct ltk_diagnosis d;
    struct ltk_error err;
    ltk_diagnosis_init(&d);
    ck_assert_int_eq(ltk_diagnose_metrics(&d, &m, &err), LTK_OK);
    ck_assert_int_eq(d.findings[0].id, LTK_DIAG_CONNECTION_POOL);
    char *t = render(&d, &m);
    ck_assert_ptr_null(strchr(t, '\x1b'));
    ck_assert_ptr_nonnull(strstr(t, "'\\x1b[31mboom\\nconnection \\xff'"));
    ck_assert_ptr_nonnull(strstr(t, "connection_pool: database connection pool exhausted (confidence 1)\n"));
    free(t);

    cJSON *j = ltk_diagnose_to_json(&d, &m);
    char *s = cJSON_PrintUnformatted(j);
    ck_assert_ptr_nonnull(strstr(s, "{\"schema\":\"ltk.diagnosis/1\","));
    ck_assert_ptr_nonnull(strstr(s, "\"findings\":[{\"id\":\"connection_pool\",\"confidence\":1,\"category\":\"infrastructure\","
                                    "\"evidence\":[{"));
    ck_assert_ptr_nonnull(strstr(s, "\\u001b[31mboom\\nconnection"));
    ck_assert_ptr_null(strchr(s, '\x1b'));
    cJSON_free(s);
    cJSON_Delete(j);
    ltk_diagnosis_release(&d);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("diagnose");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_module_scenarios);
    tcase_add_test(tc, test_rule_order);
    tcase_add_test(tc, test_thresholds);
    tcase_add_test(tc, test_evidence);
    tcase_add_test(tc, test_bad_metrics);
    tcase_add_test(tc, test_vocabulary_and_recommendations);
    tcase_add_test(tc, test_findings_list_sorts);
    tcase_add_test(tc, test_output_escapes_untrusted_text);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(suite());
}

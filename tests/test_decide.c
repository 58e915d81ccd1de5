/* Check suite for lib/analyze/decide.c: every rule and band boundary of module
 * M3.4's should_load_test (Section 6), its three examples, the scenarios,
 * the answers file and the interactive answers. */
#include <math.h>

#include "ltk/analyze/decide.h"
#include "testutil.h"

static struct ltk_decision score(double users, double growth, bool sla, bool staging, bool arch)
{
    struct ltk_decide_inputs in = { users, growth, sla, staging, arch, false, false };
    struct ltk_decision d;
    struct ltk_error err;
    ck_assert_int_eq(ltk_decide_score(&in, &d, &err), LTK_OK);
    ck_assert_int_eq(d.max_score, 7);
    return d;
}

/* points given for the users question alone (all else neutral) */
static int user_points(double users)
{
    return score(users, 0, false, true, true).reasons[0].points;
}

static int growth_points(double growth)
{
    return score(0, growth, false, true, true).reasons[1].points;
}

START_TEST(test_module_example_1_startup)
{
    struct ltk_decision d = score(50, 5, false, false, false);
    ck_assert_int_eq(d.score, -3);
    ck_assert_int_eq(d.rec, LTK_DECIDE_SKIP);
    ck_assert_str_eq(ltk_decide_rec_name(d.rec), "skip");
    ck_assert_str_eq(ltk_decide_priority_name(d.rec), "low");
    ck_assert_uint_eq(d.nreasons, 4);
    int pts[] = { 0, 0, -2, -1 };
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(d.reasons[i].points, pts[i]);
}
END_TEST

START_TEST(test_module_example_2_saas)
{
    struct ltk_decision d = score(1000, 20, true, true, true);
    ck_assert_int_eq(d.score, 7);
    ck_assert_int_eq(d.rec, LTK_DECIDE_YES);
    ck_assert_str_eq(ltk_decide_priority_name(d.rec), "high");
    ck_assert_uint_eq(d.nreasons, 3);
    ck_assert_int_eq(d.reasons[0].points, 2);
    ck_assert_int_eq(d.reasons[1].points, 2);
    ck_assert_int_eq(d.reasons[2].points, 3);
    ck_assert_ptr_nonnull(strstr(d.reasons[2].text, "SLA"));
}
END_TEST

START_TEST(test_module_example_3_established)
{
    struct ltk_decision d = score(500, 10, false, true, true);
    ck_assert_int_eq(d.score, 2);
    ck_assert_int_eq(d.rec, LTK_DECIDE_SKIP);
    ck_assert_uint_eq(d.nreasons, 2);
}
END_TEST

START_TEST(test_user_bands)
{
    ck_assert_int_eq(user_points(0), 0);
    ck_assert_int_eq(user_points(100), 0);       /* "> 100": 100 is not more */
    ck_assert_int_eq(user_points(100.5), 1);
    ck_assert_int_eq(user_points(101), 1);
    ck_assert_int_eq(user_points(500), 1);       /* 500 gives +1, not +2 */
    ck_assert_int_eq(user_points(500.001), 2);
    ck_assert_int_eq(user_points(501), 2);
    ck_assert_int_eq(user_points(1e9), 2);
}
END_TEST

START_TEST(test_growth_bands)
{
    ck_assert_int_eq(growth_points(-100), 0);
    ck_assert_int_eq(growth_points(0), 0);
    ck_assert_int_eq(growth_points(5), 0);       /* "> 5": 5 is low */
    ck_assert_int_eq(growth_points(5.1), 1);
    ck_assert_int_eq(growth_points(15), 1);      /* growth 15 gives +1 */
    ck_assert_int_eq(growth_points(15.01), 2);
    ck_assert_int_eq(growth_points(16), 2);
}
END_TEST

START_TEST(test_booleans)
{
    ck_assert_int_eq(score(0, 0, true, true, true).score, 3);
    ck_assert_int_eq(score(0, 0, false, false, true).score, -2);
    ck_assert_int_eq(score(0, 0, false, true, false).score, -1);
    ck_assert_int_eq(score(0, 0, false, true, true).score, 0);
    /* neutral answers give no reason line, as in the module */
    ck_assert_uint_eq(score(0, 0, false, true, true).nreasons, 2);
    ck_assert_uint_eq(score(0, 0, true, false, false).nreasons, 5);
    ck_assert_int_eq(score(1000, 20, true, false, false).score, 4);
}
END_TEST

START_TEST(test_recommendation_bands)
{
    /* 5 = yes, 4 and 3 = consider, 2 = skip */
    struct ltk_decision d = score(1000, 0, true, true, true); /* 2 + 0 + 3 */
    ck_assert_int_eq(d.score, 5);
    ck_assert_int_eq(d.rec, LTK_DECIDE_YES);
    d = score(200, 20, true, false, false); /* 1 + 2 + 3 - 2 - 1 */
    ck_assert_int_eq(d.score, 3);
    ck_assert_int_eq(d.rec, LTK_DECIDE_CONSIDER);
    ck_assert_str_eq(ltk_decide_rec_name(d.rec), "consider");
    ck_assert_str_eq(ltk_decide_priority_name(d.rec), "medium");
    d = score(1000, 20, false, true, true); /* 4 */
    ck_assert_int_eq(d.score, 4);
    ck_assert_int_eq(d.rec, LTK_DECIDE_CONSIDER);
    d = score(1000, 20, true, false, false); /* 4 */
    ck_assert_int_eq(d.rec, LTK_DECIDE_CONSIDER);
    d = score(1000, 0, false, true, true); /* 2 */
    ck_assert_int_eq(d.score, 2);
    ck_assert_int_eq(d.rec, LTK_DECIDE_SKIP);
}
END_TEST

START_TEST(test_bad_inputs)
{
    struct ltk_decision d;
    struct ltk_error err;
    struct ltk_decide_inputs in = { -1, 0, false, false, false, false, false };
    ck_assert_int_eq(ltk_decide_score(&in, &d, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "daily users"));
    in = (struct ltk_decide_inputs){ NAN, 0, false, false, false, false, false };
    ck_assert_int_eq(ltk_decide_score(&in, &d, &err), LTK_EINVAL);
    in = (struct ltk_decide_inputs){ 10, -101, false, false, false, false, false };
    ck_assert_int_eq(ltk_decide_score(&in, &d, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "growth"));
    in = (struct ltk_decide_inputs){ 10, INFINITY, false, false, false, false, false };
    ck_assert_int_eq(ltk_decide_score(&in, &d, &err), LTK_EINVAL);
}
END_TEST

static char *render_text(const struct ltk_decision *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ck_assert_int_eq(ltk_decide_write_text(out, d), LTK_OK);
    fclose(out);
    return buf;
}

START_TEST(test_text_and_json)
{
    struct ltk_decision d = score(1000, 20, true, true, true);
    char *t = render_text(&d);
    ck_assert_ptr_nonnull(strstr(t, "Score:    7 out of 7\n"));
    ck_assert_ptr_nonnull(strstr(t, "  +3  an SLA"));
    ck_assert_ptr_nonnull(strstr(t, "(priority high)"));
    free(t);
    cJSON *j = ltk_decide_to_json(&d);
    ck_assert_ptr_nonnull(j);
    char *s = cJSON_PrintUnformatted(j);
    ck_assert_ptr_nonnull(strstr(s, "{\"schema\":\"ltk.decision/1\",\"score\":7,\"max_score\":7,"
                                    "\"recommendation\":\"yes\",\"priority\":\"high\",\"reasons\":[{\"text\":"));
    ck_assert_ptr_nonnull(strstr(s, "\"inputs\":{\"daily_users\":1000,\"growth_pct\":20,\"sla\":true,"
                                    "\"staging_matches_prod\":true,\"architecture_stable\":true,\"revenue_risk\":false,"
                                    "\"infrastructure_decision\":false},\"framework\":{\"steps\":["));
    ck_assert_ptr_nonnull(strstr(s, "\"load_test\":true,\"priority\":\"high\",\"verdict\":\"high priority: "
                                    "load test now\"},\"agreement\":\"agree\"}"));
    cJSON_free(s);
    cJSON_Delete(j);
}
END_TEST

/* ---- answers ---- */

static int parse(const char *text, struct ltk_decide_inputs *in, struct ltk_error *err)
{
    ltk_error_clear(err);
    return ltk_decide_parse_answers(text, strlen(text), "a.json", in, err);
}

START_TEST(test_answers_ok)
{
    struct ltk_decide_inputs in;
    struct ltk_error err;
    ck_assert_int_eq(parse("{\"daily_users\": 1000, \"growth_pct\": 20, \"sla\": true,\n"
                           " \"staging_matches_prod\": true, \"architecture_stable\": true}", &in, &err), LTK_OK);
    ck_assert(in.daily_users == 1000 && in.growth_pct == 20 && in.sla && in.staging_matches_prod &&
              in.architecture_stable);
    /* booleans default to false */
    ck_assert_int_eq(parse("{\"growth_pct\": 5, \"daily_users\": 50}", &in, &err), LTK_OK);
    ck_assert(in.daily_users == 50 && in.growth_pct == 5 && !in.sla && !in.staging_matches_prod &&
              !in.architecture_stable && !in.revenue_risk && !in.infrastructure_decision);
    /* the framework's two answers */
    ck_assert_int_eq(parse("{\"growth_pct\": 5, \"daily_users\": 50, \"revenue_risk\": true, "
                           "\"infrastructure_decision\": true}", &in, &err), LTK_OK);
    ck_assert(in.revenue_risk && in.infrastructure_decision);
    ck_assert_int_eq(parse("{\"growth_pct\": 5, \"daily_users\": 50, \"revenue_risk\": 1}", &in, &err),
                     LTK_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "revenue_risk: expected true or false"));
}
END_TEST

START_TEST(test_answers_bad)
{
    struct ltk_decide_inputs in = { 7, 7, true, true, true, false, false };
    struct ltk_error err;
    ck_assert_int_eq(parse("", &in, &err), LTK_EFORMAT);
    ck_assert_str_eq(err.file, "a.json");
    ck_assert_ptr_nonnull(strstr(err.msg, "empty"));
    ck_assert_int_eq(parse("{\"daily_users\": 10,\n \"growth_pct\": x}", &in, &err), LTK_EFORMAT);
    ck_assert_int_eq(err.line, 2);
    ck_assert_ptr_nonnull(strstr(err.msg, "not valid JSON near column"));
    ck_assert_int_eq(parse("{\"daily_users\": 10", &in, &err), LTK_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "ends too early"));
    ck_assert_int_eq(parse("{\"daily_users\": 10, \"growth_pct\": 1} trailing", &in, &err), LTK_EFORMAT);
    ck_assert_int_eq(parse("[1, 2]", &in, &err), LTK_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "expected a JSON object"));
    ck_assert_int_eq(parse("{\"daily_users\": 10}", &in, &err), LTK_EFORMAT);
    ck_assert_str_eq(err.msg, "growth_pct is missing");
    ck_assert_int_eq(parse("{\"daily_users\": \"10\", \"growth_pct\": 1}", &in, &err), LTK_EFORMAT);
    ck_assert_str_eq(err.msg, "daily_users: expected a number");
    ck_assert_int_eq(parse("{\"daily_users\": 10, \"growth_pct\": 1, \"sla\": 1}", &in, &err), LTK_EFORMAT);
    ck_assert_str_eq(err.msg, "sla: expected true or false");
    ck_assert_int_eq(parse("{\"daily_users\": 10, \"growth_pct\": 1, \"has_sla\": true}", &in, &err), LTK_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "unknown answer 'has_sla'"));
    ck_assert_int_eq(parse("{\"daily_users\": 10, \"growth_pct\": 1, \"daily_users\": 3}", &in, &err), LTK_EFORMAT);
    ck_assert_str_eq(err.msg, "daily_users is given twice");
    ck_assert_int_eq(parse("{\"daily_users\": -5, \"growth_pct\": 1}", &in, &err), LTK_EINVAL);
    ck_assert_int_eq(parse("{\"daily_users\": 5, \"growth_pct\": -200}", &in, &err), LTK_EINVAL);
    ck_assert_int_eq(ltk_decide_parse_answers("{\"daily_users\"\0: 1}", 19, "a.json", &in, &err), LTK_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "NUL"));
    /* nothing was stored by a failed parse */
    ck_assert(in.daily_users == 7 && in.sla);
}
END_TEST

START_TEST(test_answers_files)
{
    struct ltk_decide_inputs in;
    struct ltk_error err;
    const char *dir = temp_dir();
    const char *p = write_file(dir, "ok.json", "{\"daily_users\": 500, \"growth_pct\": 10}\n");
    ck_assert_int_eq(ltk_decide_load_answers(p, &in, &err), LTK_OK);
    ck_assert(in.daily_users == 500 && in.growth_pct == 10);
    char missing[1100];
    snprintf(missing, sizeof missing, "%s/none.json", dir);
    ck_assert_int_eq(ltk_decide_load_answers(missing, &in, &err), LTK_EIO);
    ck_assert_str_eq(err.file, missing);
    FILE *fp = MEM("{\"daily_users\": 1}");
    ck_assert_int_eq(ltk_decide_read_answers(fp, "m.json", &in, &err), LTK_EFORMAT);
    fclose(fp);
}
END_TEST

START_TEST(test_interactive_answers)
{
    struct ltk_decide_inputs in = { 0 };
    struct ltk_error err;
    ck_assert_uint_eq(ltk_decide_question_count(), 7);
    ck_assert_str_eq(ltk_decide_question_at(0)->key, "daily_users");
    ck_assert_str_eq(ltk_decide_question_at(6)->key, "infrastructure_decision");
    ck_assert_ptr_null(ltk_decide_question_at(7));
    ck_assert_int_eq(ltk_decide_answer(&in, "revenue_risk", "yes", &err), LTK_OK);
    ck_assert(in.revenue_risk);
    ck_assert_int_eq(ltk_decide_answer(&in, "daily_users", " 1000\n", &err), LTK_OK);
    ck_assert(in.daily_users == 1000);
    ck_assert_int_eq(ltk_decide_answer(&in, "growth_pct", "12.5", &err), LTK_OK);
    ck_assert(in.growth_pct == 12.5);
    ck_assert_int_eq(ltk_decide_answer(&in, "sla", "Y\n", &err), LTK_OK);
    ck_assert(in.sla);
    ck_assert_int_eq(ltk_decide_answer(&in, "sla", "no", &err), LTK_OK);
    ck_assert(!in.sla);
    ck_assert_int_eq(ltk_decide_answer(&in, "sla", "maybe", &err), LTK_EINVAL);
    ck_assert_str_eq(err.msg, "expected yes or no");
    ck_assert_int_eq(ltk_decide_answer(&in, "daily_users", "lots", &err), LTK_EINVAL);
    ck_assert_int_eq(ltk_decide_answer(&in, "daily_users", "-3", &err), LTK_EINVAL);
    ck_assert_int_eq(ltk_decide_answer(&in, "daily_users", "0x10", &err), LTK_EINVAL);
    ck_assert(in.daily_users == 1000);
}
END_TEST

/* ---- scenarios ---- */

START_TEST(test_scenarios)
{
    struct ltk_error err;
    const char *yes[] = { "b", "c", "growing", "sla", "pre-launch" };
    const char *no[] = { "a", "d", "small-stable", "mvp", "staging-differs" };
    for (size_t i = 0; i < 5; i++) {
        const struct ltk_decide_scenario *s = ltk_decide_scenario_find(yes[i], &err);
        ck_assert_ptr_nonnull(s);
        ck_assert(!s->scored);
        ck_assert_str_eq(s->answer, "yes");
        ck_assert_ptr_null(s->alternative);
        s = ltk_decide_scenario_find(no[i], &err);
        ck_assert_ptr_nonnull(s);
        ck_assert_str_eq(s->answer, "no");
    }
    ck_assert_ptr_nonnull(ltk_decide_scenario_find("A", &err));
    ck_assert_str_eq(ltk_decide_scenario_find("mvp", &err)->time_investment, "8-12 hours");
    ck_assert_str_eq(ltk_decide_scenario_find("small-stable", &err)->alternative, "basic monitoring");
    ck_assert_ptr_null(ltk_decide_scenario_find("e", &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "no scenario called 'e'"));
    ck_assert_ptr_null(ltk_decide_scenario_find("\x1b[2J", &err));
    ck_assert_ptr_null(strchr(err.msg, '\x1b'));
    ck_assert_uint_eq(ltk_decide_scenario_count(), 13);

    /* the three scored ones are the module's examples */
    const char *names[] = { "startup", "saas", "established" };
    int scores[] = { -3, 7, 2 };
    for (int i = 0; i < 3; i++) {
        const struct ltk_decide_scenario *s = ltk_decide_scenario_find(names[i], &err);
        ck_assert(s && s->scored);
        struct ltk_decision d;
        ck_assert_int_eq(ltk_decide_score(&s->inputs, &d, &err), LTK_OK);
        ck_assert_int_eq(d.score, scores[i]);
    }
    /* scenario B on its stated assumptions: the score says consider (4), the
     * framework test, the module yes */
    cJSON *j = ltk_decide_scenario_to_json(ltk_decide_scenario_find("b", &err));
    ck_assert_int_eq(cJSON_GetObjectItem(j, "score")->valueint, 4);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "recommendation")->valuestring, "consider");
    cJSON *sc = cJSON_GetObjectItem(j, "scenario");
    ck_assert_str_eq(cJSON_GetObjectItem(sc, "module_answer")->valuestring, "yes");
    ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(sc, "assumed")->valuestring, "no SLA"));
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(sc, "versus_module"), "score")->valuestring, "partial");
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(sc, "versus_module"), "framework")->valuestring, "agree");
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "framework"), "load_test")));
    cJSON_Delete(j);
    j = ltk_decide_scenario_to_json(ltk_decide_scenario_find("saas", &err));
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "scenario"), "versus_module")));
    cJSON_Delete(j);
    j = ltk_decide_scenarios_to_json();
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "scenarios")), 13);
    cJSON_Delete(j);
}
END_TEST


/* The framework's five questions in the module's order: where each branch ends. */
static struct ltk_decision walk_of(double growth, bool staging, bool sla, bool revenue, bool infra, bool arch)
{
    struct ltk_decide_inputs in = { 1000, growth, sla, staging, arch, revenue, infra };
    struct ltk_decision d;
    ck_assert_int_eq(ltk_decide_score(&in, &d, NULL), LTK_OK);
    return d;
}

START_TEST(test_framework_walk)
{
    /* 1. no growth trajectory (5 % is not above 5 %): skip, whatever the rest */
    struct ltk_decision d = walk_of(5, true, true, true, true, true);
    ck_assert_uint_eq(d.walk.nsteps, 1);
    ck_assert(!d.walk.test);
    ck_assert_ptr_nonnull(strstr(d.walk.verdict, "monitor production"));
    /* 2. staging unlike production */
    d = walk_of(20, false, true, true, true, true);
    ck_assert_uint_eq(d.walk.nsteps, 2);
    ck_assert(!d.walk.test);
    ck_assert_int_eq(d.walk.steps[1].q, LTK_FQ_STAGING);
    /* 3. an SLA, or revenue risk alone: test now, high */
    d = walk_of(20, true, true, false, false, false);
    ck_assert_uint_eq(d.walk.nsteps, 3);
    ck_assert(d.walk.test);
    ck_assert_str_eq(d.walk.priority, "high");
    d = walk_of(20, true, false, true, false, false);
    ck_assert(d.walk.test && d.walk.nsteps == 3);
    ck_assert_int_eq(d.score, 3);   /* 2 + 2 - 1: revenue risk has no points in the score */
    /* 4. no infrastructure decision: monitor, test later */
    d = walk_of(20, true, false, false, false, true);
    ck_assert_uint_eq(d.walk.nsteps, 4);
    ck_assert(!d.walk.test);
    ck_assert_ptr_nonnull(strstr(d.walk.steps[2].outcome, "consider deferring"));
    /* 5. unstable: optimise first; stable: test, medium */
    d = walk_of(20, true, false, false, true, false);
    ck_assert_uint_eq(d.walk.nsteps, 5);
    ck_assert(!d.walk.test);
    ck_assert_ptr_nonnull(strstr(d.walk.verdict, "N+1"));
    d = walk_of(20, true, false, false, true, true);
    ck_assert(d.walk.test);
    ck_assert_str_eq(d.walk.priority, "medium");
    ck_assert_str_eq(d.walk.verdict, "load test to find the limits");
}
END_TEST

START_TEST(test_agreement)
{
    ck_assert_int_eq(ltk_decide_compare(LTK_DECIDE_YES, true), LTK_DECIDE_AGREE);
    ck_assert_int_eq(ltk_decide_compare(LTK_DECIDE_SKIP, false), LTK_DECIDE_AGREE);
    ck_assert_int_eq(ltk_decide_compare(LTK_DECIDE_YES, false), LTK_DECIDE_DISAGREE);
    ck_assert_int_eq(ltk_decide_compare(LTK_DECIDE_SKIP, true), LTK_DECIDE_DISAGREE);
    ck_assert_int_eq(ltk_decide_compare(LTK_DECIDE_CONSIDER, true), LTK_DECIDE_PARTIAL);
    ck_assert_str_eq(ltk_decide_agreement_name(LTK_DECIDE_PARTIAL), "partial");
    /* the module's saas example: 7, and the framework stops at the SLA */
    struct ltk_decision d = score(1000, 20, true, true, true);
    ck_assert(d.walk.test && d.walk.nsteps == 3);
    ck_assert_int_eq(d.agreement, LTK_DECIDE_AGREE);
    /* an SLA without growth: the score considers (3), the framework stops at question 1 */
    d = score(100, 0, true, true, true);
    ck_assert_int_eq(d.rec, LTK_DECIDE_CONSIDER);
    ck_assert(!d.walk.test);
    ck_assert_int_eq(d.agreement, LTK_DECIDE_PARTIAL);
}
END_TEST

/* Where ltk's answers part from the module's own, on the stated assumptions:
 * A and D agree; B's score only considers; C and the SLA row are stopped at
 * question 1 by the framework's order; pre-launch has no question for a
 * one-off spike. */
START_TEST(test_scenarios_versus_module)
{
    static const struct {
        const char *name;
        enum ltk_decide_rec rec;
        bool test;
    } want[] = {
        { "a", LTK_DECIDE_SKIP, false },     { "b", LTK_DECIDE_CONSIDER, true },
        { "c", LTK_DECIDE_CONSIDER, false }, { "d", LTK_DECIDE_SKIP, false },
        { "growing", LTK_DECIDE_CONSIDER, true }, { "staging-differs", LTK_DECIDE_SKIP, false },
        { "pre-launch", LTK_DECIDE_SKIP, false },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct ltk_decide_scenario *s = ltk_decide_scenario_find(want[i].name, NULL);
        ck_assert(s && !s->scored && s->assumed);
        struct ltk_decision d;
        ck_assert_int_eq(ltk_decide_score(&s->inputs, &d, NULL), LTK_OK);
        ck_assert_msg(d.rec == want[i].rec && d.walk.test == want[i].test, "%s: %s, test %d", s->name,
                      ltk_decide_rec_name(d.rec), d.walk.test);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("decide");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_module_example_1_startup);
    tcase_add_test(tc, test_module_example_2_saas);
    tcase_add_test(tc, test_module_example_3_established);
    tcase_add_test(tc, test_user_bands);
    tcase_add_test(tc, test_growth_bands);
    tcase_add_test(tc, test_booleans);
    tcase_add_test(tc, test_recommendation_bands);
    tcase_add_test(tc, test_bad_inputs);
    tcase_add_test(tc, test_framework_walk);
    tcase_add_test(tc, test_agreement);
    tcase_add_test(tc, test_scenarios_versus_module);
    tcase_add_test(tc, test_text_and_json);
    tcase_add_test(tc, test_answers_ok);
    tcase_add_test(tc, test_answers_bad);
    tcase_add_test(tc, test_answers_files);
    tcase_add_test(tc, test_interactive_answers);
    tcase_add_test(tc, test_scenarios);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(suite());
}

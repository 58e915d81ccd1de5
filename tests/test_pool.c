/* Tests of lib/analyze/pool.c: the module's pool rule beside Little's law. */
#include <math.h>
#include <gsl/gsl_errno.h>

#include "ltk/analyze/pool.h"
#include "ltk/read/load.h"
#include "testutil.h"

START_TEST(test_parse_error)
{
    struct ltk_pool_limits l = ltk_pool_parse_error(
        "CatchResponseError('HTTP 500: QueuePool limit of size 5 overflow 10 reached, connection timed out, "
        "timeout 2.00')");
    ck_assert(l.found);
    ck_assert_int_eq(l.size, 5);
    ck_assert_int_eq(l.overflow, 10);
    ck_assert_double_eq(l.timeout_s, 2.0);
    /* the module's own text has no timeout */
    l = ltk_pool_parse_error("Error: QueuePool limit of size 5 overflow 10 reached, connection timed out");
    ck_assert(l.found && l.size == 5 && l.overflow == 10 && isnan(l.timeout_s));
    ck_assert(!ltk_pool_parse_error("QueuePool limit reached").found);
    ck_assert(!ltk_pool_parse_error("QueuePool limit of size x overflow 10").found);
    ck_assert(!ltk_pool_parse_error(NULL).found);
    ck_assert(!ltk_pool_parse_error("HTTP 429").found);
}
END_TEST

/* The rule: pool_size = users / 10, rounded up; max_overflow twice it (the
 * module's pool_size 20, max_overflow 40). */
START_TEST(test_rule)
{
    struct ltk_pool_plan p;
    ck_assert_int_eq(ltk_pool_plan_given(200, NAN, NAN, &p, NULL), LTK_OK);
    ck_assert_int_eq(p.basis, LTK_POOL_RULE);
    ck_assert_int_eq(p.rule_size, 20);
    ck_assert_int_eq(p.size, 20);
    ck_assert_int_eq(p.overflow, 40);
    ck_assert(isnan(p.in_flight));
    ck_assert_int_eq(ltk_pool_plan_given(125, NAN, NAN, &p, NULL), LTK_OK);
    ck_assert_int_eq(p.rule_size, 13);   /* 12.5 rounded up */
    ck_assert_int_eq(ltk_pool_plan_given(3, NAN, NAN, &p, NULL), LTK_OK);
    ck_assert_int_eq(p.size, 1);
}
END_TEST

/* Little's law with R and Z: R / (R + Z) of the users are in a request.  The
 * rule is exact when Z = 9 R. */
START_TEST(test_given)
{
    struct ltk_pool_plan p;
    ck_assert_int_eq(ltk_pool_plan_given(200, 500, 4.5, &p, NULL), LTK_OK);
    ck_assert_int_eq(p.basis, LTK_POOL_GIVEN);
    ck_assert(fabs(p.per_user - 0.1) < 1e-12);
    ck_assert(fabs(p.in_flight - 20) < 1e-9);
    ck_assert_int_eq(p.size, p.rule_size);
    ck_assert_int_eq(ltk_pool_plan_given(500, 1000, 2, &p, NULL), LTK_OK);
    ck_assert(fabs(p.per_user - 1.0 / 3) < 1e-12);
    ck_assert_int_eq(p.size, 167);
    ck_assert_int_eq(p.rule_size, 50);
    /* no think time: every user is always in a request */
    ck_assert_int_eq(ltk_pool_plan_given(40, 800, 0, &p, NULL), LTK_OK);
    ck_assert_int_eq(p.size, 40);
    cJSON *j = ltk_pool_plan_to_json(&p);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "basis")->valuestring, "given");
    cJSON_Delete(j);
}
END_TEST

START_TEST(test_bad_inputs)
{
    struct ltk_pool_plan p;
    struct ltk_error err;
    ck_assert_int_eq(ltk_pool_plan_given(0, NAN, NAN, &p, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "above 0"));
    ck_assert_int_eq(ltk_pool_plan_given(NAN, NAN, NAN, &p, &err), LTK_EINVAL);
    ck_assert_int_eq(ltk_pool_plan_given(INFINITY, NAN, NAN, &p, &err), LTK_EINVAL);
    ck_assert_int_eq(ltk_pool_plan_given(10, 0, 1, &p, &err), LTK_EINVAL);
    ck_assert_int_eq(ltk_pool_plan_given(10, 100, -1, &p, &err), LTK_EINVAL);
    ck_assert_int_eq(ltk_pool_plan_given(10, 100, NAN, &p, &err), LTK_EINVAL);
    struct ltk_capacity_result empty = { 0 };
    empty.knee = -1;
    ck_assert_int_eq(ltk_pool_plan_measured(10, &empty, 0.01, &p, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "Little's law"));
}
END_TEST

/* Levels made by hand: in flight X R / N of 0.2, 0.3, 0.4 per user below the
 * knee, and a level past it (saturated) and one with errors, both left out. */
START_TEST(test_measured_levels)
{
    struct ltk_capacity_level lv[5] = {
        { .users = 10, .rps = 4, .mean_ms = 500, .error_rate = 0 },     /* 2 in flight: 0.2 */
        { .users = 20, .rps = 6, .mean_ms = 1000, .error_rate = 0 },    /* 6: 0.3 */
        { .users = 30, .rps = 8, .mean_ms = 1500, .error_rate = 0 },    /* 12: 0.4, the knee */
        { .users = 40, .rps = 8, .mean_ms = 4000, .error_rate = 0 },    /* past the knee */
        { .users = 25, .rps = 7, .mean_ms = 1000, .error_rate = 0.05 }, /* errors */
    };
    struct ltk_capacity_result cap = { 0 };
    cap.levels = lv;
    cap.nlevels = 5;
    cap.knee = 2;
    struct ltk_pool_plan p;
    ck_assert_int_eq(ltk_pool_plan_measured(100, &cap, 0.01, &p, NULL), LTK_OK);
    ck_assert_int_eq(p.basis, LTK_POOL_MEASURED);
    ck_assert_uint_eq(p.nlevels, 3);
    ck_assert(fabs(p.per_user - 0.3) < 1e-12);
    ck_assert(fabs(p.per_user_lo - 0.2) < 1e-12 && fabs(p.per_user_hi - 0.4) < 1e-12);
    ck_assert_double_eq(p.below_users, 30);
    ck_assert(fabs(p.in_flight - 30) < 1e-9);
    ck_assert_int_eq(p.size, 30);
    ck_assert_int_eq(p.rule_size, 10);
    ck_assert(fabs(p.knee_in_flight - 12) < 1e-9);
    /* no knee: every healthy level */
    cap.knee = -1;
    ck_assert_int_eq(ltk_pool_plan_measured(100, &cap, 0.01, &p, NULL), LTK_OK);
    ck_assert_uint_eq(p.nlevels, 4);
    ck_assert(isnan(p.knee_in_flight));
}
END_TEST

int main(void)
{
    gsl_set_error_handler_off();
    Suite *s = suite_create("pool");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_parse_error);
    tcase_add_test(tc, test_rule);
    tcase_add_test(tc, test_given);
    tcase_add_test(tc, test_bad_inputs);
    tcase_add_test(tc, test_measured_levels);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

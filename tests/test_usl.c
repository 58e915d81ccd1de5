/* Check suite for lib/analyze/usl.c: the R usl package's published example, a
 * synthetic curve recovered within its intervals, negative coefficients
 * kept as fitted, and refused inputs. */
#include <gsl/gsl_errno.h>
#include <math.h>

#include "ltk/analyze/usl.h"
#include "testutil.h"

/* Rounds v to 3 significant digits. */
static double sig3(double v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.3g", v);
    return strtod(buf, NULL);
}

START_TEST(test_r_usl_package_example)
{
    /* the usl package's own test: sigma = kappa = 0.02 to 3 significant digits */
    static const double n[] = { 1, 2, 4, 6, 8, 10 };
    static const double x[] = { 1, 1.8868, 3.0769, 3.5294, 3.5398, 3.3557 };
    struct ltk_usl_fit f;
    ck_assert_int_eq(ltk_usl_fit(n, x, 6, &f, NULL), LTK_OK);
    ck_assert(f.converged);
    ck_assert(sig3(f.p[LTK_USL_SIGMA]) == 0.02);
    ck_assert(sig3(f.p[LTK_USL_KAPPA]) == 0.02);
    ck_assert(sig3(f.p[LTK_USL_LAMBDA]) == 1);
    ck_assert_int_eq(f.dof, 3);
    ck_assert(f.r2 > 0.9999);
    /* N* = sqrt(0.98 / 0.02) = 7 */
    ck_assert(fabs(f.peak_users - 7) < 0.01);
    ck_assert(fabs(f.max_rps - ltk_usl_eval(f.p, f.peak_users)) < 1e-12);
    for (size_t j = 0; j < LTK_USL_NPARAM; j++)
        ck_assert(f.ci_lo[j] <= f.p[j] && f.p[j] <= f.ci_hi[j]);
}
END_TEST

START_TEST(test_synthetic_curve_recovered_within_ci)
{
    const double truth[LTK_USL_NPARAM] = { 0.05, 0.0008, 2.0 };
    double n[14], x[14];
    for (int i = 0; i < 14; i++) {
        n[i] = i == 0 ? 1 : 8.0 * i;
        /* deterministic noise of up to 3 % */
        x[i] = ltk_usl_eval(truth, n[i]) * (1 + 0.03 * sin(1.7 * i + 0.3));
    }
    struct ltk_usl_fit f;
    ck_assert_int_eq(ltk_usl_fit(n, x, 14, &f, NULL), LTK_OK);
    ck_assert(f.converged);
    for (size_t j = 0; j < LTK_USL_NPARAM; j++) {
        ck_assert_msg(f.ci_lo[j] <= truth[j] && truth[j] <= f.ci_hi[j], "parameter %zu: %g not in [%g, %g]", j,
                      truth[j], f.ci_lo[j], f.ci_hi[j]);
        ck_assert(f.ci_hi[j] > f.ci_lo[j]);
    }
    double peak = sqrt((1 - truth[0]) / truth[1]);
    ck_assert(f.peak_ci[0] <= peak && peak <= f.peak_ci[1]);
    ck_assert(f.r2 > 0.95);
}
END_TEST

START_TEST(test_negative_coefficients_kept)
{
    /* super-linear growth: sigma < 0, no retrograde region: kappa ~ 0 */
    const double truth[LTK_USL_NPARAM] = { -0.01, 0, 1.5 };
    double n[8], x[8];
    for (int i = 0; i < 8; i++) {
        n[i] = i + 1;
        x[i] = ltk_usl_eval(truth, n[i]);
    }
    x[7] *= 1.01; /* a little steeper still at the top */
    struct ltk_usl_fit f;
    ck_assert_int_eq(ltk_usl_fit(n, x, 8, &f, NULL), LTK_OK);
    ck_assert(f.p[LTK_USL_SIGMA] < 0);
    ck_assert(f.p[LTK_USL_KAPPA] <= 0);
    ck_assert(isnan(f.peak_users));
    ck_assert(isnan(f.max_rps));
}
END_TEST

START_TEST(test_refuses_bad_points)
{
    struct ltk_usl_fit f;
    struct ltk_error err;
    static const double n3[] = { 1, 2, 3 }, x3[] = { 1, 2, 3 };
    ck_assert_int_eq(ltk_usl_fit(n3, x3, 3, &f, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "at least 4"));
    static const double n4[] = { 1, 1, 2, 2 }, x4[] = { 1, 1, 2, 2 };
    ck_assert_int_eq(ltk_usl_fit(n4, x4, 4, &f, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "distinct"));
    static const double n5[] = { 1, 2, 0, 4 }, x5[] = { 1, 2, 3, 4 };
    ck_assert_int_eq(ltk_usl_fit(n5, x5, 4, &f, &err), LTK_EINVAL);
    double n6[] = { 1, 2, 3, 4 }, x6[] = { 1, 2, NAN, 4 };
    ck_assert_int_eq(ltk_usl_fit(n6, x6, 4, &f, &err), LTK_EINVAL);
}
END_TEST

int main(void)
{
    gsl_set_error_handler_off();
    Suite *s = suite_create("usl");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_r_usl_package_example);
    tcase_add_test(tc, test_synthetic_curve_recovered_within_ci);
    tcase_add_test(tc, test_negative_coefficients_kept);
    tcase_add_test(tc, test_refuses_bad_points);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

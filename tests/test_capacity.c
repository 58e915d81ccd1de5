/* Check suite for lib/analyze/capacity.c: levels, breaking point and knee on the
 * real stress sample, ramp bands, the SLO (criteria a level is measured against), tables (good and
 * bad), and negative USL coefficients reported with advice. */
#include <gsl/gsl_errno.h>
#include <math.h>

#include "ltk/analyze/capacity.h"
#include "ltk/read/load.h"
#include "testutil.h"

static bool has_finding(const struct ltk_capacity_result *r, const char *needle)
{
    for (size_t i = 0; i < r->nfindings; i++)
        if (strstr(r->findings[i], needle))
            return true;
    return false;
}

static void analyse_run(const char *rel, const struct ltk_capacity_options *opt, struct ltk_capacity_result *r)
{
    struct ltk_run run;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load(&run, source_path(rel), NULL), LTK_OK);
    struct ltk_error err;
    ck_assert_int_eq(ltk_capacity_levels_from_run(&run, opt, r, &err), LTK_OK);
    ltk_run_release(&run);
    ck_assert_int_eq(ltk_capacity_analyse(r, opt), LTK_OK);
}

START_TEST(test_stress_sample)
{
    /* samples/runs/stress/README.md: steps 10..120 users, throughput levels off
     * at the 8 workers (~12 req/s), error rate above 5 % from the 80-user step */
    struct ltk_capacity_options opt;
    ltk_capacity_options_init(&opt);
    struct ltk_capacity_result r;
    analyse_run("samples/runs/stress/stress", &opt, &r);
    static const double steps[] = { 10, 20, 40, 60, 80, 100, 120 };
    ck_assert_int_eq(r.source, LTK_CAP_PLATEAUS);
    ck_assert_uint_eq(r.nlevels, 7);
    for (size_t i = 0; i < 7; i++) {
        ck_assert(r.levels[i].users == steps[i]);
        ck_assert(r.levels[i].requests > 0);
        ck_assert(!isnan(r.levels[i].p95));
        ck_assert(!isnan(r.levels[i].mean_ms));
    }
    ck_assert(r.have_latency);
    /* throughput grows, then holds at the worker capacity */
    ck_assert(r.levels[1].ok_rps > 1.5 * r.levels[0].ok_rps);
    for (size_t i = 2; i < 7; i++)
        ck_assert(r.levels[i].rps > 10 && r.levels[i].ok_rps < 14);
    ck_assert(r.levels[0].error_rate < 0.01);
    ck_assert(r.levels[3].error_rate <= 0.05);
    ck_assert_int_eq(r.breaking, 4); /* 80 users */
    ck_assert_ptr_nonnull(strstr(r.breaking_reason, "> 5 %"));
    ck_assert_int_eq(r.capacity, 3); /* 60 users */
    ck_assert(r.knee >= 2 && r.knee <= 3);
    ck_assert(r.levels[r.knee].users == 40);
    /* the fit's peak agrees with the plateaus: 40-60 users, ~11-14 req/s */
    ck_assert(r.usl_ok);
    ck_assert(r.usl.peak_users > 35 && r.usl.peak_users < 70);
    ck_assert(r.usl.max_rps > 11 && r.usl.max_rps < 14);
    ck_assert(r.usl.p[LTK_USL_KAPPA] > 0);
    /* Little's law: the locustfile's between(1, 3) waits 2 s on average */
    ck_assert(r.think_time > 1.7 && r.think_time < 2.3);
    ck_assert(!r.think_given);
    ck_assert(has_finding(&r, "coordinated omission"));
    ltk_capacity_release(&r);
}
END_TEST

START_TEST(test_stress_sample_with_slo)
{
    struct ltk_capacity_options opt;
    ltk_capacity_options_init(&opt);
    ck_assert_int_eq(ltk_capacity_slo_add(&opt.slo, "p95<=2s", NULL), LTK_OK);
    opt.think_time = 2;
    struct ltk_capacity_result r;
    analyse_run("samples/runs/stress/stress", &opt, &r);
    /* p95 is 4700 ms at 60 users: the SLO breaks before the error rate does */
    ck_assert_int_eq(r.breaking, 3);
    ck_assert_ptr_nonnull(strstr(r.breaking_reason, "p95"));
    ck_assert_int_eq(r.capacity, 2);
    ck_assert(r.think_given);
    ck_assert(!isnan(r.levels[0].little_users));
    ck_assert(!isnan(r.predicted_users));
    ck_assert(r.predicted_ci[0] < r.predicted_users && r.predicted_users < r.predicted_ci[1]);
    ck_assert_ptr_nonnull(strstr(r.predicted_how, "upper bound"));
    ck_assert_str_eq(r.criterion, "error_rate<=5%,p95<=2000ms");
    ltk_capacity_release(&r);
    ltk_capacity_options_release(&opt);
    ck_assert_uint_eq(opt.slo.n, 0);
}
END_TEST

/* Conditions on throughput and the mean, from the criteria language, judge
 * each level by its own numbers. */
START_TEST(test_slo_rps_and_mean)
{
    struct ltk_capacity_options opt;
    ltk_capacity_options_init(&opt);
    struct ltk_capacity_result r;
    analyse_run("samples/runs/stress/stress", &opt, &r);
    ck_assert_uint_ge(r.nlevels, 3);
    double rps1 = r.levels[1].rps, mean0 = r.levels[0].mean_ms;
    ck_assert(rps1 > r.levels[0].rps && !isnan(mean0));
    ltk_capacity_release(&r);

    /* rps at least level 1's: level 0 fails it, so it is the breaking point */
    char text[128];
    snprintf(text, sizeof text, "rps >= %.3f", rps1 - 0.0005);
    ck_assert_int_eq(ltk_capacity_slo_add(&opt.slo, text, NULL), LTK_OK);
    analyse_run("samples/runs/stress/stress", &opt, &r);
    ck_assert_int_eq(r.levels[0].slo, 0);
    ck_assert_int_eq(r.levels[1].slo, 1);
    ck_assert_int_eq(r.breaking, 0);
    ck_assert_ptr_nonnull(strstr(r.breaking_reason, "req/s breaks rps>="));
    ck_assert_int_eq(r.capacity, -1); /* nothing below the first failure */
    ltk_capacity_release(&r);
    ltk_capacity_options_release(&opt);

    /* a mean below level 0's fails every level at or above it */
    ltk_capacity_options_init(&opt);
    opt.think_time = 2;
    snprintf(text, sizeof text, "mean<%.0fms", floor(mean0) - 1);
    ck_assert_int_eq(ltk_capacity_slo_add(&opt.slo, text, NULL), LTK_OK);
    analyse_run("samples/runs/stress/stress", &opt, &r);
    ck_assert_int_eq(r.levels[0].slo, 0);
    ck_assert_int_eq(r.breaking, 0);
    ck_assert_ptr_nonnull(strstr(r.breaking_reason, "mean "));
    /* the prediction for a mean limit is the model's own, not a bound */
    ck_assert_ptr_null(strstr(r.predicted_how, "bound"));
    ck_assert_ptr_nonnull(strstr(r.predicted_how, "mean limit"));
    ltk_capacity_release(&r);
    ltk_capacity_options_release(&opt);
}
END_TEST

START_TEST(test_ramp_is_banded)
{
    struct ltk_capacity_options opt;
    ltk_capacity_options_init(&opt);
    struct ltk_capacity_result r;
    analyse_run("samples/runs/pool/pool", &opt, &r);
    ck_assert_int_eq(r.source, LTK_CAP_BINS);
    ck_assert(r.nlevels >= 4);
    for (size_t i = 1; i < r.nlevels; i++)
        ck_assert(r.levels[i].users > r.levels[i - 1].users);
    ck_assert(has_finding(&r, "no plateaus"));
    ltk_capacity_release(&r);
    /* --bins 0: plateaus only, and a ramp has none that long */
    opt.bins = 0;
    opt.min_plateau = 1000;
    struct ltk_run run;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load(&run, source_path("samples/runs/pool/pool"), NULL), LTK_OK);
    struct ltk_error err;
    ck_assert_int_eq(ltk_capacity_levels_from_run(&run, &opt, &r, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "no load levels"));
    ltk_capacity_release(&r);
    ltk_run_release(&run);
}
END_TEST

/* The table says what a level's percentiles are the median of: Locust's
 * 10 s window values, or a raw log's intervals (of their own histograms). */
static char *table_text(const struct ltk_capacity_result *r)
{
    char *text = NULL;
    size_t len;
    FILE *fp = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(ltk_capacity_write_table(fp, r, "run", false), LTK_OK);
    fclose(fp);
    return text;
}

START_TEST(test_latency_source_named)
{
    struct ltk_capacity_options opt;
    ltk_capacity_options_init(&opt);
    struct ltk_capacity_result r;
    analyse_run("samples/runs/users/users_requests.csv", &opt, &r);
    ck_assert(r.have_latency);
    ck_assert_int_eq(r.latency_interval_s, 1);
    char *text = table_text(&r);
    ck_assert_ptr_nonnull(strstr(text, "medians of the 1 s intervals' percentiles"));
    ck_assert_ptr_null(strstr(text, "Locust's 10 s"));
    free(text);
    ltk_capacity_release(&r);
    analyse_run("samples/runs/users/users", &opt, &r);
    ck_assert_int_eq(r.latency_interval_s, 0);
    text = table_text(&r);
    ck_assert_ptr_nonnull(strstr(text, "medians of Locust's 10 s window values"));
    free(text);
    ltk_capacity_release(&r);
}
END_TEST

START_TEST(test_slo_syntax)
{
    struct ltk_capacity_slo slo = { 0 };
    struct ltk_error err;
    ck_assert_int_eq(ltk_capacity_slo_add(&slo, "p95<2s", NULL), LTK_OK);
    ck_assert_uint_eq(slo.n, 1);
    ck_assert(slo.cond[0].metric == LTK_MET_PCT && slo.cond[0].pct == 95 && slo.cond[0].limit == 2000);
    ck_assert(slo.cond[0].op == LTK_CMP_LT);
    ck_assert_str_eq(slo.text, "p95<2000ms");
    /* a second call adds; the criteria language's spaces, units and words */
    ck_assert_int_eq(ltk_capacity_slo_add(&slo, "p99 <= 0.8s, error_rate<1%,median<1m", NULL), LTK_OK);
    ck_assert_uint_eq(slo.n, 4);
    ck_assert(slo.cond[1].op == LTK_CMP_LE && slo.cond[1].limit == 800);
    ck_assert(slo.cond[2].metric == LTK_MET_ERROR_RATE && slo.cond[2].limit == 1);
    ck_assert(slo.cond[3].metric == LTK_MET_MEDIAN && slo.cond[3].limit == 60000);
    ck_assert_str_eq(slo.text, "p95<2000ms,p99<=800ms,error_rate<1%,median<60000ms");
    ck_assert_int_eq(ltk_capacity_slo_add(&slo, "rps>=12.5,avg<900", NULL), LTK_OK);
    ck_assert_str_eq(slo.text, "p95<2000ms,p99<=800ms,error_rate<1%,median<60000ms,rps>=12.5,avg<900ms");
    ltk_capacity_slo_release(&slo);
    ck_assert_uint_eq(slo.n, 0);

    /* refused, with the column of the fault in the whole text and slo unchanged */
    static const struct {
        const char *text, *msg;
        long column;
    } bad[] = {
        { "", "empty", 1 },
        { "p95", "comparison", 4 },
        { "p95<2s,", "empty", 8 },
        { "p95<2s, p95<2h", "time unit", 14 },
        { "p90<2s", "p50, p95 and p99", 1 },
        { "p95<2s,max<5s", "not measured per load level", 8 },
        { "p95<2s, requests>10", "not measured per load level", 9 },
        { "/query: p95<2s", "no endpoint", 1 },
        { "\"a,b\": p95<2s", "no endpoint", 1 },
        { "p95<2s over 60s", "no 'over'", 1 },
        { "error_rate<5% during spike", "no 'over' or 'during'", 1 },
        { "error_rate<150%", "exceed 100%", 14 },
        { "p95<nans", "number", 5 },
        { "é<1s", "metric", 1 },
        { "p95<1s,p\xc3\xa9<1s", "metric", 8 },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ltk_error_clear(&err);
        ck_assert_msg(ltk_capacity_slo_add(&slo, bad[i].text, &err) == LTK_EINVAL, "accepted '%s'", bad[i].text);
        ck_assert_msg(strstr(err.msg, bad[i].msg), "'%s': %s", bad[i].text, err.msg);
        ck_assert_msg(err.column == bad[i].column, "'%s': column %ld", bad[i].text, err.column);
        ck_assert_uint_eq(slo.n, 0);
        ck_assert_str_eq(slo.text, "");
    }
    /* at most LTK_CAPACITY_SLO_MAX conditions, over several calls too */
    ck_assert_int_eq(ltk_capacity_slo_add(&slo, "p50<1s,p95<2s,p99<3s,mean<1s", NULL), LTK_OK);
    ck_assert_int_eq(ltk_capacity_slo_add(&slo, "rps>1,error_rate<1%,median<1s,p95<=2s", NULL), LTK_OK);
    ck_assert_int_eq(ltk_capacity_slo_add(&slo, "p99<9s", &err), LTK_ELIMIT);
    ck_assert_ptr_nonnull(strstr(err.msg, "at most 8"));
    ck_assert_uint_eq(slo.n, LTK_CAPACITY_SLO_MAX);
    ltk_capacity_slo_release(&slo);
    /* a comma inside a quoted name does not split (the name is then refused) */
    ck_assert_int_eq(ltk_capacity_slo_add(&slo, "\"x,y\": p95<1s", &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "no endpoint"));
}
END_TEST

START_TEST(test_tables)
{
    struct ltk_capacity_result r;
    struct ltk_error err;
    ck_assert_int_eq(ltk_capacity_read_table(source_path("tests/data/capacity/usl_r_package.csv"), &r, &err), LTK_OK);
    ck_assert_uint_eq(r.nlevels, 6);
    struct ltk_capacity_options opt;
    ltk_capacity_options_init(&opt);
    ltk_capacity_analyse(&r, &opt);
    ck_assert(r.usl_ok);
    ck_assert(fabs(r.usl.p[LTK_USL_SIGMA] - 0.02) < 5e-5);
    ck_assert(fabs(r.usl.p[LTK_USL_KAPPA] - 0.02) < 5e-5);
    ck_assert_int_eq(r.breaking, -1); /* a table has no error rates */
    ltk_capacity_release(&r);
    ck_assert_int_eq(ltk_capacity_read_table(source_path("tests/data/capacity/users_rps.csv"), &r, &err), LTK_OK);
    ck_assert_uint_eq(r.nlevels, 4);
    ltk_capacity_release(&r);

    static const struct {
        const char *file;
        long line;
        const char *what;
    } bad[] = {
        { "bad_header.csv", 1, "header" },
        { "bad_number.csv", 3, "throughput" },
        { "bad_fields.csv", 3, "expected 2 fields" },
        { "empty.csv", 1, "empty" },
        { "header_only.csv", 1, "no data rows" },
        { "negative.csv", 3, "throughput" },
        { "zero_load.csv", 2, "load must be above 0" },
        { "nan.csv", 3, "throughput" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "tests/data/capacity/%s", bad[i].file);
        ck_assert_int_ne(ltk_capacity_read_table(source_path(rel), &r, &err), LTK_OK);
        ck_assert_msg(err.line == bad[i].line, "%s: line %ld", bad[i].file, err.line);
        ck_assert_msg(strstr(err.msg, bad[i].what) != NULL, "%s: %s", bad[i].file, err.msg);
        ck_assert_ptr_nonnull(strstr(err.file, bad[i].file));
        ck_assert_uint_eq(r.nlevels, 0);
    }
    ck_assert_int_eq(ltk_capacity_read_table(source_path("tests/data/capacity/missing.csv"), &r, &err), LTK_EIO);
}
END_TEST

START_TEST(test_negative_coefficients_reported)
{
    /* super-linear throughput: the fit's sigma < 0 and kappa <= 0, said so */
    const char *dir = temp_dir();
    const char *path = write_file(dir, "t.csv",
                                  "load,throughput\n1,1.5\n2,3.03\n3,4.59\n4,6.19\n5,7.81\n6,9.47\n7,11.17\n8,13.0\n");
    struct ltk_capacity_result r;
    ck_assert_int_eq(ltk_capacity_read_table(path, &r, NULL), LTK_OK);
    struct ltk_capacity_options opt;
    ltk_capacity_options_init(&opt);
    ltk_capacity_analyse(&r, &opt);
    ck_assert(r.usl_ok);
    ck_assert(r.usl.p[LTK_USL_SIGMA] < 0);
    ck_assert(has_finding(&r, "sigma is negative"));
    ck_assert(has_finding(&r, "test at higher load"));
    ck_assert(isnan(r.usl.peak_users));
    ck_assert_int_eq(r.knee, -1);
    ltk_capacity_release(&r);
}
END_TEST

int main(void)
{
    gsl_set_error_handler_off();
    Suite *s = suite_create("capacity");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_stress_sample);
    tcase_add_test(tc, test_stress_sample_with_slo);
    tcase_add_test(tc, test_ramp_is_banded);
    tcase_add_test(tc, test_latency_source_named);
    tcase_add_test(tc, test_slo_syntax);
    tcase_add_test(tc, test_slo_rps_and_mean);
    tcase_add_test(tc, test_tables);
    tcase_add_test(tc, test_negative_coefficients_reported);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

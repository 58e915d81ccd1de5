/* Check suite for lib/model/hist.c: Locust's rounding and percentiles (expected
 * values computed with Locust 2.12.1's own locust/stats.py), hdr buckets and
 * their error bound, exact nearest rank, merging, and the failure paths. */
#include <math.h>
#include <stdint.h>

#include "ltk/model/hist.h"
#include "testutil.h"

static struct ltk_hist *hist(enum ltk_hist_method m)
{
    struct ltk_hist *h;
    ck_assert_int_eq(ltk_hist_new(m, &h), LTK_OK);
    return h;
}

static void add_all(struct ltk_hist *h, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(ltk_hist_add(h, v[i]), LTK_OK);
}

/* A deterministic generator (xorshift64*) for property tests. */
static uint64_t rng_state = 88172645463325252ULL;
static double rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* A latency-like value with a long tail and 3 decimals, like the hook logs. */
static double latency(void)
{
    double v = exp(rnd() * 12 - 3);        /* ~0.05 ms .. 8 s */
    return round(v * 1000) / 1000;
}

/* ---- locust ------------------------------------------------------------- */

/* Python: round(v) below 100, round(v, -1) below 1000, -2 below 10000, -3 above. */
static const struct {
    double in, out;
} rounding[] = {
    { 0.0, 0 }, { 0.4, 0 }, { 0.5, 0 }, { 1.5, 2 }, { 2.5, 2 }, { 45.5, 46 }, { 99.4, 99 },
    { 99.5, 100 }, { 99.9999, 100 }, { 100.0, 100 }, { 104.999, 100 }, { 105.0, 100 },
    { 115.0, 120 }, { 125.0, 120 }, { 144.99999999999997, 140 }, { 145.0, 140 },
    { 154.99999999999997, 150 }, { 155.0, 160 }, { 999.0, 1000 }, { 995.0, 1000 },
    { 1000.0, 1000 }, { 1049.99, 1000 }, { 1050.0, 1000 }, { 1150.0, 1200 }, { 1250.0, 1200 },
    { 9950.0, 10000 }, { 9949.0, 9900 }, { 10000.0, 10000 }, { 10500.0, 10000 },
    { 11500.0, 12000 }, { 12500.0, 12000 }, { 123456.7, 123000 },
};

START_TEST(locust_rounding_is_pythons_round_half_even)
{
    for (size_t i = 0; i < sizeof rounding / sizeof rounding[0]; i++)
        ck_assert_msg(ltk_hist_locust_round(rounding[i].in) == rounding[i].out, "round(%.17g) = %g, want %g",
                      rounding[i].in, ltk_hist_locust_round(rounding[i].in), rounding[i].out);
}
END_TEST

START_TEST(locust_percentiles_and_median_match_stats_py)
{
    /* locust.stats.StatsEntry fed these times gives percentiles
     * 50% 100, 66% 140, 90% 12000, 95% 12000, 99% 12000, 100% 12000,
     * median 8, min 1.2, max 12000.1, avg 1366.23 */
    static const double v[] = { 1.2, 5.5, 6.5, 145.0, 155.0, 1234.5, 99.5, 12000.1, 7.0, 8.0 };
    static const struct {
        double q, want;
    } pct[] = { { 0.5, 100 }, { 0.66, 140 }, { 0.9, 12000 }, { 0.95, 12000 }, { 0.99, 12000 }, { 1.0, 12000 } };
    struct ltk_hist *h = hist(LTK_HIST_LOCUST);
    add_all(h, v, sizeof v / sizeof v[0]);
    for (size_t i = 0; i < sizeof pct / sizeof pct[0]; i++)
        ck_assert_double_eq(ltk_hist_quantile(h, pct[i].q), pct[i].want);
    ck_assert_double_eq(ltk_hist_median(h), 8);
    ck_assert_double_eq(ltk_hist_min(h), 1.2);
    ck_assert_double_eq(ltk_hist_max(h), 12000.1);
    /* the sum is kept in whole nanoseconds: these times add up exactly */
    ck_assert_double_eq(ltk_hist_mean(h), 1366.23);
    ck_assert_uint_eq(ltk_hist_count(h), 10);
    ltk_hist_free(h);
}
END_TEST

START_TEST(locust_median_is_clamped_to_min_and_max)
{
    /* one request of 13.242 ms: the key is 13, the median the exact 13.242 */
    struct ltk_hist *h = hist(LTK_HIST_LOCUST);
    ck_assert_int_eq(ltk_hist_add(h, 13.242), LTK_OK);
    ck_assert_double_eq(ltk_hist_median(h), 13.242);
    ck_assert_double_eq(ltk_hist_quantile(h, 0.5), 13);
    ltk_hist_free(h);
    /* 5099 ms rounds up to 5100: the median is clamped down to the max */
    h = hist(LTK_HIST_LOCUST);
    ck_assert_int_eq(ltk_hist_add(h, 5099), LTK_OK);
    ck_assert_double_eq(ltk_hist_median(h), 5099);
    ck_assert_double_eq(ltk_hist_quantile(h, 1.0), 5100);
    ltk_hist_free(h);
}
END_TEST

START_TEST(locust_rank_is_int_of_n_times_p)
{
    /* 161 requests at 1..161 ms (locust/stats.py gives 150 and 81): walking
     * down from the largest key, stop when 161 - seen <= int(161 * p); for
     * 0.95 seen >= 9, the 9th largest is 153 -> key 150; for 0.5 seen >= 81,
     * the 81st largest is 81 */
    struct ltk_hist *h = hist(LTK_HIST_LOCUST);
    for (int i = 1; i <= 161; i++)
        ck_assert_int_eq(ltk_hist_add(h, i), LTK_OK);
    ck_assert_double_eq(ltk_hist_quantile(h, 0.95), 150);
    ck_assert_double_eq(ltk_hist_quantile(h, 0.5), 81);
    ltk_hist_free(h);
}
END_TEST

/* ---- hdr ------------------------------------------------------------------ */

START_TEST(hdr_buckets_are_at_most_one_1024th_wide)
{
    for (int i = 0; i < 100000; i++) {
        double v = exp(rnd() * 40 - 13);   /* 2e-6 .. 5e11 ms */
        int64_t idx = ltk_hist_hdr_index(v);
        double lo, hi;
        ltk_hist_hdr_bounds(idx, &lo, &hi);
        ck_assert_msg(lo <= v && v < hi, "%.17g not in [%.17g, %.17g)", v, lo, hi);
        ck_assert((hi - lo) / lo <= 1.0 / 1024 + 1e-15);
    }
    ck_assert_int_eq(ltk_hist_hdr_index(0), 0);
    ck_assert_int_eq(ltk_hist_hdr_index(1e-9), 1);
    /* bucket edges: 1 ms starts a bucket, the value just below is in the previous one */
    ck_assert_int_eq(ltk_hist_hdr_index(1.0), ltk_hist_hdr_index(nextafter(1.0, 0)) + 1);
}
END_TEST

START_TEST(hdr_percentiles_are_within_the_stated_bound_of_exact)
{
    static const double qs[] = { 0.01, 0.25, 0.5, 0.66, 0.9, 0.95, 0.99, 0.999, 0.9999, 1.0 };
    for (int round_ = 0; round_ < 20; round_++) {
        struct ltk_hist *hd = hist(LTK_HIST_HDR), *ex = hist(LTK_HIST_EXACT);
        int n = 1 + (int)(rnd() * 5000);
        for (int i = 0; i < n; i++) {
            double v = latency();
            ck_assert_int_eq(ltk_hist_add(hd, v), LTK_OK);
            ck_assert_int_eq(ltk_hist_add(ex, v), LTK_OK);
        }
        for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++) {
            double a = ltk_hist_quantile(hd, qs[k]), b = ltk_hist_quantile(ex, qs[k]);
            ck_assert_msg(fabs(a - b) <= LTK_HIST_HDR_RELATIVE_ERROR * b, "q %g: hdr %.17g exact %.17g", qs[k],
                          a, b);
            ck_assert_msg(fabs(a - b) <= b / 2048 + 1e-12, "q %g: hdr %.17g exact %.17g", qs[k], a, b);
        }
        ck_assert_double_eq(ltk_hist_quantile(hd, 1.0), ltk_hist_max(ex));
        ck_assert_double_eq(ltk_hist_min(hd), ltk_hist_min(ex));
        ck_assert_double_eq(ltk_hist_sum(hd), ltk_hist_sum(ex));
        ltk_hist_free(hd);
        ltk_hist_free(ex);
    }
}
END_TEST

/* The bucket index read from the double's bits equals the frexp formula. */
START_TEST(hdr_index_from_bits_is_the_frexp_formula)
{
    static const double fixed[] = { 0, 1e-300, 4.9e-324, 9.5367431640625e-07, 9.5367431640624e-07, 1, 1.5, 2,
                                    1023.999, 1024, 8796093022207.999, 8796093022208.0, 1e300 };
    for (int i = 0; i < 100000 + (int)(sizeof fixed / sizeof fixed[0]); i++) {
        double v = i < (int)(sizeof fixed / sizeof fixed[0]) ? fixed[i] : exp(rnd() * 60 - 25);
        int64_t want;
        if (!(v > 0)) {
            want = 0;
        } else {
            int e;
            double m = frexp(v, &e);
            if (e < -19)
                want = 1;
            else if (e >= -19 + 64)
                want = 1 + 64 * 1024 - 1;
            else
                want = 1 + (int64_t)(e + 19) * 1024 + (int)((m - 0.5) * 2048);
        }
        ck_assert_msg(ltk_hist_hdr_index(v) == want, "%.17g: %lld, want %lld", v, (long long)ltk_hist_hdr_index(v),
                      (long long)want);
    }
}
END_TEST

static int cmp_dbl(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Interval percentiles come from the sorted times, not a histogram: they
 * must be what the histogram answers, for every method, small and large
 * samples, ties and Locust's rounding borders. */
START_TEST(quantile_of_sorted_values_is_the_histograms)
{
    enum ltk_hist_method m = (enum ltk_hist_method)_i;
    static const double qs[] = { 0, 0.01, 0.07, 0.25, 0.5, 0.66, 0.75, 0.8, 0.9, 0.95, 0.98, 0.99, 0.999, 0.9999, 1.0 };
    static const double borders[] = { 99.5, 100, 145.0, 999.9, 1000, 9950, 10000, 12500, 0, 0.0001 };
    for (int round_ = 0; round_ < 300; round_++) {
        struct ltk_hist *h = hist(m);
        size_t n = 1 + (size_t)(rnd() * (round_ < 200 ? 12 : 3000));
        double *v = malloc(n * sizeof *v);
        for (size_t i = 0; i < n; i++) {
            v[i] = rnd() < 0.2 ? borders[(int)(rnd() * 10)] : latency();
            ck_assert_int_eq(ltk_hist_add(h, v[i]), LTK_OK);
        }
        qsort(v, n, sizeof *v, cmp_dbl);
        for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++) {
            double a = ltk_hist_quantile_sorted(m, v, n, qs[k]), b = ltk_hist_quantile(h, qs[k]);
            ck_assert_msg(a == b, "method %d n %zu q %g: sorted %.17g histogram %.17g", _i, n, qs[k], a, b);
        }
        free(v);
        ltk_hist_free(h);
    }
    ck_assert(isnan(ltk_hist_quantile_sorted(m, NULL, 0, 0.5)));
}
END_TEST

/* ---- exact ---------------------------------------------------------------- */

START_TEST(exact_is_the_nearest_rank)
{
    /* numpy.percentile([15, 20, 35, 40, 50], q, method="inverted_cdf") */
    static const double v[] = { 40, 15, 50, 35, 20 };
    static const struct {
        double q, want;
    } t[] = { { 0.0, 15 }, { 0.05, 15 }, { 0.2, 15 }, { 0.21, 20 }, { 0.4, 20 }, { 0.5, 35 }, { 0.8, 40 },
              { 0.81, 50 }, { 1.0, 50 } };
    struct ltk_hist *h = hist(LTK_HIST_EXACT);
    add_all(h, v, 5);
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        ck_assert_msg(ltk_hist_quantile(h, t[i].q) == t[i].want, "q %g: %g want %g", t[i].q,
                      ltk_hist_quantile(h, t[i].q), t[i].want);
    ltk_hist_free(h);
}
END_TEST

START_TEST(exact_rank_survives_binary_fractions)
{
    /* 0.07 * 100 is 7.000000000000001 in binary: the rank is still 7 */
    struct ltk_hist *h = hist(LTK_HIST_EXACT);
    for (int i = 1; i <= 100; i++)
        ck_assert_int_eq(ltk_hist_add(h, i), LTK_OK);
    ck_assert_double_eq(ltk_hist_quantile(h, 0.07), 7);
    ck_assert_double_eq(ltk_hist_quantile(h, 0.29), 29);
    ck_assert_double_eq(ltk_hist_quantile(h, 0.999), 100);
    ck_assert_double_eq(ltk_hist_quantile(h, 0.995), 100);
    ck_assert_double_eq(ltk_hist_quantile(h, 0.5), 50);
    ck_assert_double_eq(ltk_hist_median(h), 50);
    ltk_hist_free(h);
}
END_TEST

/* ---- all methods --------------------------------------------------------- */

struct dump {
    double key[512];
    uint64_t count[512];
    size_t n;
};

static int dump_key(double key, uint64_t count, void *ctx)
{
    struct dump *d = ctx;
    ck_assert_uint_lt(d->n, 512);
    d->key[d->n] = key;
    d->count[d->n++] = count;
    return LTK_OK;
}

static void assert_same(const struct ltk_hist *a, const struct ltk_hist *b)
{
    static const double qs[] = { 0, 0.1, 0.5, 0.66, 0.9, 0.95, 0.99, 0.999, 1 };
    ck_assert_uint_eq(ltk_hist_count(a), ltk_hist_count(b));
    ck_assert_double_eq(ltk_hist_min(a), ltk_hist_min(b));
    ck_assert_double_eq(ltk_hist_max(a), ltk_hist_max(b));
    ck_assert(ltk_hist_sum(a) == ltk_hist_sum(b));
    ck_assert(ltk_hist_median(a) == ltk_hist_median(b));
    for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++)
        ck_assert(ltk_hist_quantile(a, qs[k]) == ltk_hist_quantile(b, qs[k]));
}

START_TEST(merge_equals_the_histogram_of_the_union)
{
    enum ltk_hist_method m = (enum ltk_hist_method)_i;
    struct ltk_hist *x = hist(m), *y = hist(m), *all = hist(m);
    for (int i = 0; i < 300; i++) {
        double v = latency() * (i % 7 == 0 ? 30 : 1);
        ck_assert_int_eq(ltk_hist_add(i % 3 ? x : y, v), LTK_OK);
        ck_assert_int_eq(ltk_hist_add(all, v), LTK_OK);
    }
    struct ltk_hist *yx = hist(m);
    ck_assert_int_eq(ltk_hist_merge(yx, y), LTK_OK);
    ck_assert_int_eq(ltk_hist_merge(yx, x), LTK_OK);
    ck_assert_int_eq(ltk_hist_merge(x, y), LTK_OK);
    assert_same(x, all);
    assert_same(yx, all);
    struct dump d1 = { .n = 0 }, d2 = { .n = 0 };
    if (m != LTK_HIST_EXACT) {
        ck_assert_int_eq(ltk_hist_foreach(x, dump_key, &d1), LTK_OK);
        ck_assert_int_eq(ltk_hist_foreach(all, dump_key, &d2), LTK_OK);
        ck_assert_uint_eq(d1.n, d2.n);
        for (size_t i = 0; i < d1.n; i++) {
            ck_assert(d1.key[i] == d2.key[i]);
            ck_assert_uint_eq(d1.count[i], d2.count[i]);
        }
    }
    ltk_hist_free(x);
    ltk_hist_free(y);
    ltk_hist_free(yx);
    ltk_hist_free(all);
}
END_TEST

static int readd_key(double key, uint64_t count, void *ctx)
{
    return ltk_hist_add_key(ctx, key, count);
}

START_TEST(foreach_and_add_key_rebuild_the_same_histogram)
{
    enum ltk_hist_method m = (enum ltk_hist_method)_i;
    struct ltk_hist *h = hist(m), *copy = hist(m);
    for (int i = 0; i < 200; i++)
        ck_assert_int_eq(ltk_hist_add(h, latency()), LTK_OK);
    ck_assert_int_eq(ltk_hist_foreach(h, readd_key, copy), LTK_OK);
    ck_assert_int_eq(ltk_hist_set_totals(copy, ltk_hist_count(h) + 1, ltk_hist_min(h), ltk_hist_max(h),
                                         ltk_hist_sum(h)),
                     LTK_EINVAL);
    ck_assert_int_eq(
        ltk_hist_set_totals(copy, ltk_hist_count(h), ltk_hist_min(h), ltk_hist_max(h), ltk_hist_sum(h)), LTK_OK);
    assert_same(h, copy);
    ltk_hist_free(h);
    ltk_hist_free(copy);
}
END_TEST

START_TEST(bad_times_are_refused_and_change_nothing)
{
    enum ltk_hist_method m = (enum ltk_hist_method)_i;
    struct ltk_hist *h = hist(m);
    ck_assert_int_eq(ltk_hist_add(h, 5), LTK_OK);
    ck_assert_int_eq(ltk_hist_add(h, -1), LTK_EINVAL);
    ck_assert_int_eq(ltk_hist_add(h, NAN), LTK_EINVAL);
    ck_assert_int_eq(ltk_hist_add(h, INFINITY), LTK_EINVAL);
    ck_assert_int_eq(ltk_hist_add(h, LTK_HIST_MAX_MS), LTK_EINVAL);
    ck_assert_uint_eq(ltk_hist_count(h), 1);
    ck_assert_double_eq(ltk_hist_max(h), 5);
    ck_assert(isnan(ltk_hist_quantile(h, 1.5)));
    ck_assert(isnan(ltk_hist_quantile(h, -0.1)));
    ltk_hist_free(h);
}
END_TEST

START_TEST(empty_histograms_answer_nan)
{
    enum ltk_hist_method m = (enum ltk_hist_method)_i;
    struct ltk_hist *h = hist(m);
    ck_assert_uint_eq(ltk_hist_count(h), 0);
    ck_assert(isnan(ltk_hist_min(h)));
    ck_assert(isnan(ltk_hist_max(h)));
    ck_assert(isnan(ltk_hist_mean(h)));
    ck_assert(isnan(ltk_hist_median(h)));
    ck_assert(isnan(ltk_hist_quantile(h, 0.5)));
    ltk_hist_free(h);
    ltk_hist_free(NULL);
}
END_TEST

START_TEST(zero_times_are_counted)
{
    enum ltk_hist_method m = (enum ltk_hist_method)_i;
    struct ltk_hist *h = hist(m);
    ck_assert_int_eq(ltk_hist_add(h, 0), LTK_OK);
    ck_assert_int_eq(ltk_hist_add(h, 0), LTK_OK);
    ck_assert_int_eq(ltk_hist_add(h, 10), LTK_OK);
    ck_assert_double_eq(ltk_hist_quantile(h, 0.5), 0);
    ck_assert_double_eq(ltk_hist_median(h), 0);
    ck_assert_double_eq(ltk_hist_quantile(h, 1), 10);
    ltk_hist_free(h);
}
END_TEST

START_TEST(methods_do_not_merge_across)
{
    struct ltk_hist *a = hist(LTK_HIST_HDR), *b = hist(LTK_HIST_EXACT);
    ck_assert_int_eq(ltk_hist_add(b, 1), LTK_OK);
    ck_assert_int_eq(ltk_hist_merge(a, b), LTK_EINVAL);
    ck_assert_uint_eq(ltk_hist_count(a), 0);
    ltk_hist_free(a);
    ltk_hist_free(b);
}
END_TEST

START_TEST(method_names_round_trip)
{
    enum ltk_hist_method m;
    ck_assert_int_eq(ltk_hist_method_parse("hdr", &m), LTK_OK);
    ck_assert_int_eq(m, LTK_HIST_HDR);
    ck_assert_int_eq(ltk_hist_method_parse("locust", &m), LTK_OK);
    ck_assert_int_eq(m, LTK_HIST_LOCUST);
    ck_assert_int_eq(ltk_hist_method_parse("exact", &m), LTK_OK);
    ck_assert_int_eq(m, LTK_HIST_EXACT);
    ck_assert_int_eq(ltk_hist_method_parse("HDR", &m), LTK_EINVAL);
    ck_assert_int_eq(ltk_hist_method_parse("", &m), LTK_EINVAL);
    ck_assert_str_eq(ltk_hist_method_name(LTK_HIST_LOCUST), "locust");
}
END_TEST

START_TEST(locust_keys_above_ten_seconds_stay_sorted)
{
    struct ltk_hist *h = hist(LTK_HIST_LOCUST);
    static const double v[] = { 45000, 12000.2, 700000, 12499, 30000 };
    add_all(h, v, 5);
    struct dump d = { .n = 0 };
    ck_assert_int_eq(ltk_hist_foreach(h, dump_key, &d), LTK_OK);
    ck_assert_uint_eq(d.n, 4);
    ck_assert_double_eq(d.key[0], 12000);
    ck_assert_uint_eq(d.count[0], 2);
    ck_assert_double_eq(d.key[3], 700000);
    ck_assert_double_eq(ltk_hist_quantile(h, 1.0), 700000);
    ck_assert_double_eq(ltk_hist_median(h), 30000);
    ck_assert_int_eq(ltk_hist_add_key(h, 12345, 1), LTK_EINVAL);
    ck_assert_int_eq(ltk_hist_add_key(h, 150.5, 1), LTK_EINVAL);
    ltk_hist_free(h);
}
END_TEST

/* (key, count) pairs of a histogram, flattened for comparison. */
struct pairs {
    double key[4096];
    uint64_t count[4096];
    size_t n;
};

static int keep_pair(double key, uint64_t count, void *ctx)
{
    struct pairs *p = ctx;
    ck_assert_uint_lt(p->n, 4096);
    p->key[p->n] = key;
    p->count[p->n++] = count;
    return LTK_OK;
}

/* The successes' histogram made as all less the failures equals the one
 * made by adding each success: the same keys, counts, count, min, max and
 * sum, by every method (locust: times above 10 s whose keys go away) */
START_TEST(subtract_gives_what_adding_the_rest_gives)
{
    enum ltk_hist_method m = (enum ltk_hist_method)_i;
    uint64_t x = 99;
    for (int round_ = 0; round_ < 30; round_++) {
        struct ltk_hist *all, *fail, *ok;
        ck_assert_int_eq(ltk_hist_new(m, &all), LTK_OK);
        ck_assert_int_eq(ltk_hist_new(m, &fail), LTK_OK);
        ck_assert_int_eq(ltk_hist_new(m, &ok), LTK_OK);
        double okmin = NAN, okmax = NAN;
        int n = 1 + round_ * 13;
        for (int i = 0; i < n; i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            double ms = (double)(x >> 44) / 1000.0 * ((x & 7) == 0 ? 40 : 1);  /* up to 40 s */
            bool failed = (x >> 20) % (1 + round_ % 4) == 0;
            ck_assert_int_eq(ltk_hist_add(all, ms), LTK_OK);
            ck_assert_int_eq(ltk_hist_add(failed ? fail : ok, ms), LTK_OK);
            if (!failed && !(ms >= okmin))
                okmin = ms;
            if (!failed && !(ms <= okmax))
                okmax = ms;
        }
        ck_assert_int_eq(ltk_hist_subtract(all, fail, okmin, okmax), LTK_OK);
        struct pairs *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
        ltk_hist_foreach(all, keep_pair, a);
        ltk_hist_foreach(ok, keep_pair, b);
        ck_assert_uint_eq(a->n, b->n);
        for (size_t k = 0; k < a->n; k++) {
            ck_assert(a->key[k] == b->key[k]);
            ck_assert_uint_eq(a->count[k], b->count[k]);
        }
        ck_assert_uint_eq(ltk_hist_count(all), ltk_hist_count(ok));
        ck_assert(ltk_hist_sum_ns(all) == ltk_hist_sum_ns(ok));
        if (ltk_hist_count(ok)) {
            ck_assert(ltk_hist_min(all) == ltk_hist_min(ok));
            ck_assert(ltk_hist_max(all) == ltk_hist_max(ok));
            ck_assert(ltk_hist_quantile(all, 0.95) == ltk_hist_quantile(ok, 0.95));
        } else {
            ck_assert(isnan(ltk_hist_min(all)) && isnan(ltk_hist_max(all)));
        }
        free(a);
        free(b);
        ltk_hist_free(all);
        ltk_hist_free(fail);
        ltk_hist_free(ok);
    }
}
END_TEST

/* What is not part of the histogram is refused */
START_TEST(subtract_refuses_what_is_not_there)
{
    enum ltk_hist_method m = (enum ltk_hist_method)_i;
    struct ltk_hist *a, *b;
    ck_assert_int_eq(ltk_hist_new(m, &a), LTK_OK);
    ck_assert_int_eq(ltk_hist_new(m, &b), LTK_OK);
    ck_assert_int_eq(ltk_hist_add(a, 5), LTK_OK);
    ck_assert_int_eq(ltk_hist_add(a, 5), LTK_OK);
    ck_assert_int_eq(ltk_hist_add(b, 5), LTK_OK);
    ck_assert_int_eq(ltk_hist_add(b, 5), LTK_OK);
    ck_assert_int_eq(ltk_hist_add(b, 5), LTK_OK);      /* more than a has */
    ck_assert_int_eq(ltk_hist_subtract(a, b, 5, 5), LTK_EINVAL);
    ltk_hist_free(b);
    ck_assert_int_eq(ltk_hist_new(m, &b), LTK_OK);
    ck_assert_int_eq(ltk_hist_add(b, 5), LTK_OK);
    ck_assert_int_eq(ltk_hist_subtract(a, b, 7, 3), LTK_EINVAL);   /* min above max */
    ltk_hist_free(b);
    ck_assert_int_eq(ltk_hist_new(m, &b), LTK_OK);
    ck_assert_int_eq(ltk_hist_add(b, 4000), LTK_OK);
    ck_assert_int_eq(ltk_hist_add(a, 3), LTK_OK);
    ck_assert_int_eq(ltk_hist_subtract(a, b, 3, 5), LTK_EINVAL);   /* a key a lacks */
    ltk_hist_free(a);
    ltk_hist_free(b);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("hist");
    TCase *t = tcase_create("core");
    tcase_add_test(t, locust_rounding_is_pythons_round_half_even);
    tcase_add_loop_test(t, subtract_gives_what_adding_the_rest_gives, 0, 3);
    tcase_add_loop_test(t, subtract_refuses_what_is_not_there, 0, 3);
    tcase_add_test(t, locust_percentiles_and_median_match_stats_py);
    tcase_add_test(t, locust_median_is_clamped_to_min_and_max);
    tcase_add_test(t, locust_rank_is_int_of_n_times_p);
    tcase_add_test(t, locust_keys_above_ten_seconds_stay_sorted);
    tcase_add_test(t, hdr_buckets_are_at_most_one_1024th_wide);
    tcase_add_test(t, hdr_percentiles_are_within_the_stated_bound_of_exact);
    tcase_add_test(t, exact_is_the_nearest_rank);
    tcase_add_test(t, hdr_index_from_bits_is_the_frexp_formula);
    tcase_add_loop_test(t, quantile_of_sorted_values_is_the_histograms, LTK_HIST_HDR, LTK_HIST_EXACT + 1);
    tcase_add_test(t, exact_rank_survives_binary_fractions);
    tcase_add_loop_test(t, merge_equals_the_histogram_of_the_union, LTK_HIST_HDR, LTK_HIST_EXACT + 1);
    tcase_add_loop_test(t, foreach_and_add_key_rebuild_the_same_histogram, LTK_HIST_HDR, LTK_HIST_EXACT + 1);
    tcase_add_loop_test(t, bad_times_are_refused_and_change_nothing, LTK_HIST_HDR, LTK_HIST_EXACT + 1);
    tcase_add_loop_test(t, empty_histograms_answer_nan, LTK_HIST_HDR, LTK_HIST_EXACT + 1);
    tcase_add_loop_test(t, zero_times_are_counted, LTK_HIST_HDR, LTK_HIST_EXACT + 1);
    tcase_add_test(t, methods_do_not_merge_across);
    tcase_add_test(t, method_names_round_trip);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return run_suite(suite());
}

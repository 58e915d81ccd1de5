/* Check suite for lib/base/num.c: strict parsing and shortest formatting. */
#include <math.h>
#include <stdlib.h>

#include <stdint.h>

#include "ltk/base/num.h"
#include "testutil.h"

START_TEST(test_counts)
{
    uint64_t v;
    ck_assert_ptr_null(ltk_parse_count("0", &v));
    ck_assert_uint_eq(v, 0);
    ck_assert_ptr_null(ltk_parse_count("1523", &v));
    ck_assert_uint_eq(v, 1523);
    ck_assert_ptr_null(ltk_parse_count("12.0", &v));  /* Python float of an int */
    ck_assert_uint_eq(v, 12);
    ck_assert_ptr_null(ltk_parse_count("9007199254740992", &v));  /* 2^53 */
    ck_assert_uint_eq(v, LTK_MAX_EXACT_INT);
    const char *bad[] = { "", "-1", "abc", "1.5", "1e3", " 1", "1 ", "9007199254740993",
                          "99999999999999999999999", "0x10", "nan" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(ltk_parse_count(bad[i], &v) != NULL, "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(test_reals)
{
    double d;
    ck_assert_ptr_null(ltk_parse_real("3.1245363404259914", &d));
    ck_assert(d == 3.1245363404259914);
    ck_assert_ptr_null(ltk_parse_real("-1.5", &d));
    ck_assert(d == -1.5);
    ck_assert_ptr_null(ltk_parse_real("1e3", &d));
    ck_assert(d == 1000);
    ck_assert_ptr_null(ltk_parse_real("150.0", &d));
    ck_assert(d == 150);
    const char *bad[] = { "", "nan", "NaN", "inf", "-inf", "infinity", "1e400", "0x1p3", " 1", "1,5",
                          "1.2.3", "e5", "1e", "--1", "N/A" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(ltk_parse_real(bad[i], &d) != NULL, "accepted '%s'", bad[i]);
    ck_assert_ptr_nonnull(ltk_parse_nonneg("-0.5", &d));
    ck_assert_ptr_null(ltk_parse_nonneg("-0", &d));
    ck_assert(d == 0 && !signbit(d));
}
END_TEST

/* The fast path for plain decimals gives strtod's double, bit for bit, on
 * the forms request logs hold and at its limits (16 digits, 2^53). */
START_TEST(plain_decimals_read_as_strtod_reads_them)
{
    static const char *const fixed[] = {
        "0", "0.0", "1795801502.983492", "13.242", "9007199254740992", "9007199254740993", "900719925474099.3",
        "0.1", "0.000000000000001", "1234567890123456", "12345678901234567", "5.0", "99.5", "145.0",
        "0.30000000000000004", "1e3", "+1.5", "-0.0", "007.50",
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        double got = -1, want = strtod(fixed[i], NULL);
        ck_assert_ptr_null(ltk_parse_real(fixed[i], &got));
        ck_assert_msg(memcmp(&got, &want, sizeof got) == 0, "%s: %.17g != %.17g", fixed[i], got, want);
    }
    uint64_t x = 99;
    char buf[64];
    for (int i = 0; i < 200000; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        int frac = (int)((x >> 59) % 9);
        uint64_t m = (x >> 8) % 10000000000000000ULL;
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)m);
        size_t n = strlen(buf);
        if (frac && (size_t)frac < n) {
            memmove(buf + n - frac + 1, buf + n - frac, (size_t)frac + 1);
            buf[n - frac] = '.';
        }
        double got = -1, want = strtod(buf, NULL);
        ck_assert_ptr_null(ltk_parse_real(buf, &got));
        ck_assert_msg(memcmp(&got, &want, sizeof got) == 0, "%s: %.17g != %.17g", buf, got, want);
    }
}
END_TEST

START_TEST(test_ints)
{
    int64_t v;
    ck_assert_ptr_null(ltk_parse_int("1700000000", &v));
    ck_assert_int_eq(v, 1700000000);
    ck_assert_ptr_null(ltk_parse_int("-5", &v));
    ck_assert_int_eq(v, -5);
    ck_assert_ptr_nonnull(ltk_parse_int("5x", &v));
    ck_assert_ptr_nonnull(ltk_parse_int("-", &v));
}
END_TEST

static const struct {
    double v;
    const char *want;
} formats[] = {
    { 0, "0" }, { 780, "780" }, { 12.3, "12.3" }, { 0.1, "0.1" },
    { 3.1245363404259914, "3.1245363404259914" }, { 5.37953519998761, "5.37953519998761" },
    { 1e20, "1e+20" }, { 1.5e-7, "1.5e-07" }, { -2.25, "-2.25" }, { 9007199254740992.0, "9007199254740992" },
};

START_TEST(test_shortest_format_round_trips)
{
    char buf[32];
    ck_assert_str_eq(ltk_format_double(formats[_i].v, buf), formats[_i].want);
    ck_assert(strtod(buf, NULL) == formats[_i].v);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("num");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_counts);
    tcase_add_test(tc, test_reals);
    tcase_add_test(tc, test_ints);
    tcase_add_test(tc, plain_decimals_read_as_strtod_reads_them);
    tcase_add_loop_test(tc, test_shortest_format_round_trips, 0, (int)(sizeof formats / sizeof formats[0]));
    suite_add_tcase(s, tc);
    return run_suite(s);
}

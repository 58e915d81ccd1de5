/* Canary for the sanitizer build: each test below has a deliberate memory
 * or undefined-behaviour bug.  Check runs every test in a forked child
 * (CK_FORK), and tests/cli/sanitizer_canary.sh asserts that each bug still
 * fails its test and leaves a sanitizer report: if a child's report could
 * be lost, the real suites' sanitizer runs would prove nothing.  Built
 * only with -DLTK_SANITIZE=ON; never part of a normal build. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static void *volatile sink;

START_TEST(canary_leak)
{
    char *p = malloc(77);
    ck_assert_ptr_nonnull(p);
    memset(p, 1, 77);
    sink = p;
    sink = NULL;  /* lost: LeakSanitizer reports it when the child exits */
}
END_TEST

START_TEST(canary_heap_overflow)
{
    volatile char *p = malloc(8);  /* volatile: the store cannot be optimised away */
    ck_assert_ptr_nonnull((void *)p);
    volatile size_t i = 8;
    p[i] = 1;  /* one past the end */
    free((void *)p);
}
END_TEST

START_TEST(canary_signed_overflow)
{
    volatile int big = INT_MAX;
    volatile int r = big + 1;  /* undefined behaviour */
    (void)r;
}
END_TEST

START_TEST(canary_clean)
{
    char *p = malloc(8);
    ck_assert_ptr_nonnull(p);
    free(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sanitizer_canary");
    TCase *tc = tcase_create("bugs");
    tcase_add_test(tc, canary_leak);
    tcase_add_test(tc, canary_heap_overflow);
    tcase_add_test(tc, canary_signed_overflow);
    tcase_add_test(tc, canary_clean);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

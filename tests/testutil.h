/* Helpers shared by the Check suites. */
#ifndef LTK_TESTUTIL_H
#define LTK_TESTUTIL_H

#include <check.h>
#include <stdio.h>
#include <string.h>

/* A read-only FILE* over a string literal (or any bytes). */
static inline FILE *mem_file(const char *data, size_t len)
{
    FILE *fp = fmemopen((void *)data, len, "r");
    ck_assert_ptr_nonnull(fp);
    return fp;
}

#define MEM(s) mem_file((s), sizeof(s) - 1)

/* Runs a suite and returns the process exit status. */
static inline int run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}

#endif

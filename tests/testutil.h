/* Helpers shared by the Check suites. */
#ifndef LTK_TESTUTIL_H
#define LTK_TESTUTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A read-only FILE* over a string literal (or any bytes). */
static inline FILE *mem_file(const char *data, size_t len)
{
    FILE *fp = fmemopen((void *)data, len, "r");
    ck_assert_ptr_nonnull(fp);
    return fp;
}

#define MEM(s) mem_file((s), sizeof(s) - 1)

/* Writes data to dir/name; returns the path (static buffer, next call
 * overwrites it). */
static inline const char *write_file(const char *dir, const char *name, const char *data)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    ck_assert_ptr_nonnull(fp);
    ck_assert_uint_eq(fwrite(data, 1, strlen(data), fp), strlen(data));
    ck_assert_int_eq(fclose(fp), 0);
    return path;
}

/* A fresh temporary directory (not removed: CTest runs are disposable). */
static inline const char *temp_dir(void)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/ltk-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    return dir;
}

/* Path of a file in the source tree (LTK_SOURCE_DIR is set by CTest). */
static inline const char *source_path(const char *rel)
{
    static char path[1024];
    const char *root = getenv("LTK_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/%s", root ? root : "..", rel);
    return path;
}

/* Reads a whole stream into a malloc'd string. */
static inline char *slurp(FILE *fp)
{
    size_t cap = 4096, n = 0;
    char *s = malloc(cap);
    size_t k;
    while ((k = fread(s + n, 1, cap - n - 1, fp)) > 0) {
        n += k;
        if (cap - n < 2) {
            cap *= 2;
            s = realloc(s, cap);
        }
    }
    s[n] = '\0';
    return s;
}

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

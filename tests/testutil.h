/* Helpers shared by the Check suites. */
#ifndef LTK_TESTUTIL_H
#define LTK_TESTUTIL_H

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

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

/* The fake gnuplot of the hang tests: it writes its pid to dir/started (one
 * line per start) and sleeps for ten minutes, far past Check's per-test
 * timeout, so a time limit that did not kill it fails the test by that
 * timeout.  No wall-clock time is compared here. */
static inline const char *hanging_gnuplot(const char *dir, const char *name)
{
    char script[1200];
    snprintf(script, sizeof script, "#!/bin/sh\necho $$ >> %s/started\nexec sleep 600\n", dir);
    static char fake[1024];
    snprintf(fake, sizeof fake, "%s", write_file(dir, name, script));
    ck_assert_int_eq(chmod(fake, 0700), 0);
    return fake;
}

/* How many times the fake started; each of them must be gone (killed and
 * reaped: no process, not even a zombie, has its pid). */
static inline int hanging_gnuplot_starts(const char *dir)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/started", dir);
    FILE *fp = fopen(path, "r");
    ck_assert_ptr_nonnull(fp);
    int n = 0;
    long pid;
    while (fscanf(fp, "%ld", &pid) == 1) {
        n++;
        errno = 0;
        ck_assert_msg(kill((pid_t)pid, 0) == -1 && errno == ESRCH, "the fake gnuplot %ld still exists", pid);
    }
    fclose(fp);
    return n;
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

/* Check suite for lib/model/run.c: finding a run's files from what the user
 * typed, and the table rebuilt from history when stats.csv is absent. */
#include <math.h>

#include "ltk/model/run.h"
#include "ltk/read/load.h"
#include "testutil.h"

#define STATS                                                                                        \
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"              \
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,95%,99%\r\n" \
    "GET,/a,10,1,5,5.5,1,9,10,1.0,0.1,5,9,9\r\n"                                                     \
    ",Aggregated,10,1,5,5.5,1,9,10,1.0,0.1,5,9,9\r\n"

#define HIST                                                                                         \
    "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,95%,99%,Total Request Count,"          \
    "Total Failure Count,Total Median Response Time,Total Average Response Time,"                   \
    "Total Min Response Time,Total Max Response Time,Total Average Content Size\r\n"                 \
    "1700000000,1,,Aggregated,0.0,0.0,N/A,N/A,N/A,0,0,0,0.0,0,0,0\r\n"                               \
    "1700000001,2,,Aggregated,1.0,0.0,5,9,9,4,1,5,5.25,1,9,10.0\r\n"                                 \
    "1700000002,2,,Aggregated,1.0,0.0,5,9,9,10,1,5,5.5,1,9,10.0\r\n"

#define FAILS "Method,Name,Error,Occurrences\r\nGET,/a,boom,1\r\n"

START_TEST(test_prefix_reads_every_file_that_exists)
{
    const char *dir = temp_dir();
    write_file(dir, "load_stats.csv", STATS);
    write_file(dir, "load_stats_history.csv", HIST);
    write_file(dir, "load_failures.csv", FAILS);
    char prefix[256];
    snprintf(prefix, sizeof prefix, "%s/load", dir);
    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_error err;
    ck_assert_int_eq(ltk_run_load(&run, prefix, &err), LTK_OK);
    ck_assert_ptr_nonnull(run.source[LTK_SRC_STATS]);
    ck_assert_ptr_nonnull(run.source[LTK_SRC_HISTORY]);
    ck_assert_ptr_nonnull(run.source[LTK_SRC_FAILURES]);
    ck_assert_ptr_null(run.source[LTK_SRC_EXCEPTIONS]);
    ck_assert_str_eq(run.label, prefix);
    ck_assert_uint_eq(run.nendpoints, 1);
    ck_assert_uint_eq(run.nhistory, 3);
    ck_assert_uint_eq(run.nfailures, 1);
    ck_assert(!run.endpoints_from_history);
    ltk_run_release(&run);

    /* the directory alone finds the same run */
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load(&run, dir, &err), LTK_OK);
    ck_assert_str_eq(run.source[LTK_SRC_STATS], strcat(strcpy(prefix, dir), "/load_stats.csv"));
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_single_file_is_read_alone_and_sniffed)
{
    const char *dir = temp_dir();
    write_file(dir, "load_stats.csv", STATS);
    const char *odd = write_file(dir, "renamed.csv", FAILS);
    struct ltk_run run;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load(&run, odd, NULL), LTK_OK);
    ck_assert_ptr_nonnull(run.source[LTK_SRC_FAILURES]);
    ck_assert_ptr_null(run.source[LTK_SRC_STATS]);
    ck_assert_uint_eq(run.nfailures, 1);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_history_alone_rebuilds_the_table)
{
    const char *dir = temp_dir();
    const char *path = write_file(dir, "h_stats_history.csv", HIST);
    struct ltk_run run;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load(&run, path, NULL), LTK_OK);
    ck_assert(run.endpoints_from_history);
    ck_assert(run.has_total);
    ck_assert_uint_eq(run.total.requests, 10);
    ck_assert_uint_eq(run.total.failures, 1);
    ck_assert(run.total.mean == 5.5);
    ck_assert(isnan(run.total.rps));
    /* whole-run percentiles (no --csv-full-history) carry over */
    ck_assert(ltk_endpoint_pct(&run, &run.total, 0.95) == 9);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_missing_and_ambiguous_inputs)
{
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load(&run, "/nonexistent/results/x", &err), LTK_EIO);
    ck_assert_str_eq(err.file, "/nonexistent/results/x");
    ck_assert_ptr_nonnull(strstr(err.msg, "no Locust exports with this prefix"));
    ltk_run_release(&run);

    const char *dir = temp_dir();
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load(&run, dir, &err), LTK_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "no Locust exports"));
    ltk_run_release(&run);

    write_file(dir, "a_stats.csv", STATS);
    write_file(dir, "b_stats.csv", STATS);
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load(&run, dir, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "2 Locust runs in this directory"));
    ltk_run_release(&run);

    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load(&run, "", &err), LTK_EINVAL);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_error_in_one_file_names_it)
{
    const char *dir = temp_dir();
    write_file(dir, "r_stats.csv", STATS);
    write_file(dir, "r_failures.csv", "Method,Name,Error,Occurrences\r\nGET,/a,boom\r\n");
    char prefix[256];
    snprintf(prefix, sizeof prefix, "%s/r", dir);
    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_error err;
    ck_assert_int_eq(ltk_run_load(&run, prefix, &err), LTK_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.file, "r_failures.csv"));
    ck_assert_int_eq(err.line, 2);
    ck_assert_str_eq(err.msg, "expected 4 fields, got 3");
    char buf[1200];
    ck_assert_ptr_nonnull(strstr(ltk_error_format(&err, buf, sizeof buf), "r_failures.csv:2: expected 4 fields"));
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_kind_from_path)
{
    ck_assert_int_eq(ltk_source_kind_from_path("a/b_stats.csv"), LTK_SRC_STATS);
    ck_assert_int_eq(ltk_source_kind_from_path("b_stats_history.csv"), LTK_SRC_HISTORY);
    ck_assert_int_eq(ltk_source_kind_from_path("b_failures.csv"), LTK_SRC_FAILURES);
    ck_assert_int_eq(ltk_source_kind_from_path("b_exceptions.csv"), LTK_SRC_EXCEPTIONS);
    ck_assert_int_eq(ltk_source_kind_from_path("b.csv"), -1);
    ck_assert_str_eq(ltk_source_suffix(LTK_SRC_HISTORY), "_stats_history.csv");
}
END_TEST

START_TEST(test_release_accepts_null_and_empty)
{
    ltk_run_release(NULL);
    struct ltk_run run;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_warn(&run, "w %d", 1), LTK_OK);
    ck_assert_str_eq(run.warnings[0], "w 1");
    ltk_run_release(&run);
    ck_assert_uint_eq(run.nwarnings, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("run");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_prefix_reads_every_file_that_exists);
    tcase_add_test(tc, test_single_file_is_read_alone_and_sniffed);
    tcase_add_test(tc, test_history_alone_rebuilds_the_table);
    tcase_add_test(tc, test_missing_and_ambiguous_inputs);
    tcase_add_test(tc, test_error_in_one_file_names_it);
    tcase_add_test(tc, test_kind_from_path);
    tcase_add_test(tc, test_release_accepts_null_and_empty);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

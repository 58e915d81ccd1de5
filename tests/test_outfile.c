/* Check suite for lib/render/outfile.c: output appears whole or not at all. */
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltk/render/outfile.h"
#include "testutil.h"

static int count_entries(const char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    ck_assert_int_eq(fscanf(p, "%d", &n), 1);
    pclose(p);
    return n;
}

START_TEST(test_commit_renames_into_place)
{
    const char *dir = temp_dir();
    char path[256];
    snprintf(path, sizeof path, "%s/out.json", dir);
    struct ltk_outfile o;
    struct ltk_error err;
    ck_assert_int_eq(ltk_outfile_open(&o, path, &err), LTK_OK);
    fputs("{\"a\":1}\n", o.fp);
    /* nothing at the target until commit */
    ck_assert_int_ne(access(path, F_OK), 0);
    ck_assert_int_eq(ltk_outfile_commit(&o, &err), LTK_OK);
    FILE *fp = fopen(path, "r");
    ck_assert_ptr_nonnull(fp);
    char *s = slurp(fp);
    fclose(fp);
    ck_assert_str_eq(s, "{\"a\":1}\n");
    free(s);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_ne(st.st_mode & 0044, 0);  /* not mkstemp's 0600 */
    ck_assert_int_eq(count_entries(dir), 1);  /* no temporary file left */
}
END_TEST

START_TEST(test_abort_leaves_old_file_untouched)
{
    const char *dir = temp_dir();
    const char *path = write_file(dir, "keep.txt", "old\n");
    char saved[1024];
    snprintf(saved, sizeof saved, "%s", path);
    struct ltk_outfile o;
    ck_assert_int_eq(ltk_outfile_open(&o, saved, NULL), LTK_OK);
    fputs("half a rep", o.fp);
    ltk_outfile_abort(&o);
    FILE *fp = fopen(saved, "r");
    char *s = slurp(fp);
    fclose(fp);
    ck_assert_str_eq(s, "old\n");
    free(s);
    ck_assert_int_eq(count_entries(dir), 1);
}
END_TEST

START_TEST(test_unwritable_places_fail_cleanly)
{
    struct ltk_outfile o;
    struct ltk_error err;
    ck_assert_int_eq(ltk_outfile_open(&o, "/nonexistent-dir/x.json", &err), LTK_EIO);
    ck_assert_str_eq(err.file, "/nonexistent-dir/x.json");
    ck_assert_ptr_nonnull(strstr(err.msg, "cannot write"));
    const char *dir = temp_dir();
    ck_assert_int_eq(ltk_outfile_open(&o, dir, &err), LTK_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "is a directory"));
}
END_TEST

START_TEST(test_full_disk_is_an_error)
{
    struct ltk_outfile o;
    struct ltk_error err;
    ck_assert_int_eq(ltk_outfile_open(&o, "/dev/full", &err), LTK_OK);
    for (int i = 0; i < 10000; i++)
        fputs("0123456789", o.fp);
    ck_assert_int_eq(ltk_outfile_commit(&o, &err), LTK_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "No space left"));
}
END_TEST

static void die_cleanly(int sig)
{
    (void)sig;
    ltk_tmp_remove_all();
    _exit(3);
}

/* Runs what in a child that a SIGTERM then stops (its handler removes the
 * listed temporaries, as the tools' handler does); returns its exit code. */
static int stopped_child(void (*what)(const char *dir), const char *dir)
{
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        signal(SIGTERM, die_cleanly);
        what(dir);
        raise(SIGTERM);
        _exit(4);                    /* not reached */
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void half_written(const char *dir)
{
    char path[256];
    snprintf(path, sizeof path, "%s/report.html", dir);
    struct ltk_outfile o;
    struct ltk_error err;
    if (ltk_outfile_open(&o, path, &err))
        _exit(5);
    fputs("<html>half", o.fp);
    fflush(o.fp);
}

START_TEST(test_signal_removes_the_temporary_file)
{
    const char *dir = temp_dir();
    ck_assert_int_eq(stopped_child(half_written, dir), 3);
    ck_assert_int_eq(count_entries(dir), 0);   /* neither the target nor a temporary */
    rmdir(dir);
}
END_TEST

static void work_directory(const char *dir)
{
    char sub[256], f[300];
    snprintf(sub, sizeof sub, "%s/chart-work", dir);
    if (mkdir(sub, 0700))
        _exit(5);
    for (int i = 0; i < 40; i++) {       /* more names than one getdents64 call reads */
        snprintf(f, sizeof f, "%s/data-file-with-a-long-name-%02d.dat", sub, i);
        FILE *fp = fopen(f, "w");
        if (!fp)
            _exit(5);
        fputs("1 2\n", fp);
        fclose(fp);
    }
    if (ltk_tmp_track(sub, true) < 0)
        _exit(5);
}

START_TEST(test_signal_removes_a_work_directory)
{
    const char *dir = temp_dir();
    ck_assert_int_eq(stopped_child(work_directory, dir), 3);
    ck_assert_int_eq(count_entries(dir), 0);
    rmdir(dir);
}
END_TEST

/* Once committed, the output is no longer a temporary: a later signal
 * leaves it alone; untracked and overlong paths are ignored. */
START_TEST(test_committed_output_is_not_removed)
{
    const char *dir = temp_dir();
    char path[256];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    struct ltk_outfile o;
    struct ltk_error err;
    ck_assert_int_eq(ltk_outfile_open(&o, path, &err), LTK_OK);
    ck_assert_int_ge(o.slot, 0);
    fputs("whole\n", o.fp);
    ck_assert_int_eq(ltk_outfile_commit(&o, &err), LTK_OK);
    ltk_tmp_remove_all();
    ck_assert_int_eq(access(path, F_OK), 0);
    ck_assert_int_eq(count_entries(dir), 1);
    char longpath[LTK_TMP_PATH_MAX + 10];
    memset(longpath, 'x', sizeof longpath - 1);
    longpath[sizeof longpath - 1] = '\0';
    ck_assert_int_eq(ltk_tmp_track(longpath, false), -1);
    ltk_tmp_untrack(-1);
    unlink(path);
    rmdir(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("outfile");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_commit_renames_into_place);
    tcase_add_test(tc, test_abort_leaves_old_file_untouched);
    tcase_add_test(tc, test_unwritable_places_fail_cleanly);
    tcase_add_test(tc, test_full_disk_is_an_error);
    tcase_add_test(tc, test_signal_removes_the_temporary_file);
    tcase_add_test(tc, test_signal_removes_a_work_directory);
    tcase_add_test(tc, test_committed_output_is_not_removed);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

/* Loading a run (see ltk/read/load.h): sniff what the user named, hand it to
 * the reader of its format, and take a raw log's users from the Locust
 * history beside it. */
#include "ltk/read/load.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ltk/read/csv.h"
#include "ltk/read/locust.h"
#include "ltk/read/locust_json.h"
#include "ltk/read/rawlog.h"
#include "ltk/read/summary_json.h"
#include "ltk/read/summary_run.h"
#include "ltk/model/users.h"
#include "model/run_build.h"
#include "base/strutil.h"

/* A file to read: a regular file, or a FIFO or device such as the
 * /dev/fd/63 of a shell's <(...). */
static bool is_file_like(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int ltk_run_sibling_history(const char *log_path, struct ltk_run *h, char **hpath, struct ltk_error *err)
{
    *hpath = NULL;
    static const char *const tails[] = { "_requests.csv", "_requests.csv.gz" };
    size_t len = strlen(log_path), cut = 0;
    for (size_t i = 0; i < 2 && !cut; i++) {
        size_t n = strlen(tails[i]);
        if (len > n && strcmp(log_path + len - n, tails[i]) == 0)
            cut = len - n;
    }
    if (!cut)
        return LTK_OK;
    char *path = ltk_asprintf("%.*s_stats_history.csv", (int)cut, log_path);
    if (!path)
        return ltk_error_set(err, LTK_ENOMEM, log_path, 0, 0, "out of memory");
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        free(path);
        return LTK_OK;
    }
    FILE *fp;
    int rc = ltk_open_input(path, &fp, err);
    if (rc == LTK_OK) {
        rc = ltk_locust_read(h, LTK_SRC_HISTORY, fp, path, err);
        fclose(fp);
    }
    if (rc)
        free(path);
    else
        *hpath = path;
    return rc;
}

/* A raw log has no user counts: take them from the stats_history beside it
 * (PREFIX_requests.csv -> PREFIX_stats_history.csv).  Each of n points in
 * time (ts(ctx, i), non-decreasing) gets the users of the last Aggregated
 * row at or before it (set(ctx, i, users)); *hpath is the history read, or
 * NULL when there is none. */
struct users_target {
    int64_t (*ts)(void *ctx, size_t i);
    void (*set)(void *ctx, size_t i, int64_t users);
    void *ctx;
    size_t n;
};

static int sibling_users(const char *log_path, const struct users_target *t, char **hpath, struct ltk_error *err)
{
    struct ltk_run h;
    ltk_run_init(&h);
    int rc = ltk_run_sibling_history(log_path, &h, hpath, err);
    if (rc == LTK_OK && *hpath) {
        struct ltk_users_cursor cur = { 0, 0 };
        for (size_t i = 0; i < t->n; i++)
            t->set(t->ctx, i, ltk_run_users_at(&h, &cur, t->ts(t->ctx, i)));
    }
    ltk_run_release(&h);
    return rc;
}

static int64_t row_ts(void *ctx, size_t i) { return ((struct ltk_run *)ctx)->history[i].ts; }
static void row_set(void *ctx, size_t i, int64_t u) { ((struct ltk_run *)ctx)->history[i].users = u; }

static int users_from_history(struct ltk_run *run, const char *path, struct ltk_error *err)
{
    struct users_target t = { row_ts, row_set, run, run->nhistory };
    return sibling_users(path, &t, &run->users_source, err);
}

static int read_file(struct ltk_run *run, int kind, const char *path, const struct ltk_rawlog_options *raw,
                     struct ltk_error *err)
{
    struct stat st;
    bool regular = stat(path, &st) == 0 && S_ISREG(st.st_mode);
    if (kind < 0 && regular && ltk_locust_json_sniff(path)) {
        /* Locust's --json / --json-file statistics (an array; summaries are objects) */
        if (run->nendpoints || run->has_total || run->raw_source)
            return ltk_error_set(err, LTK_EINVAL, path, 0, 0,
                                 "a run holds one Locust JSON file, not with other files");
        return ltk_locust_json_load(run, path, raw, err);
    }
    if (kind < 0 && regular && ltk_summary_sniff(path)) {
        /* an ltk.summary/2 file of raw logs (ltk summarize, ltk merge) */
        if (run->nendpoints || run->has_total || run->raw_source)
            return ltk_error_set(err, LTK_EINVAL, path, 0, 0, "a run holds one summary, not with other files");
        return ltk_summary_load_run(path, run, err);
    }
    if (kind < 0 && regular) {
        /* a raw request log (plain or gzip) is told by its header; it is
         * read twice (header, then rows), so it must be a regular file */
        enum ltk_rawlog_format f;
        int rc = ltk_rawlog_detect(path, &f, err);
        if (rc)
            return rc;
        if (f != LTK_RAW_NONE || (raw && raw->columns)) {
            if (run->nendpoints || run->has_total || run->raw_source)
                return ltk_error_set(err, LTK_EINVAL, path, 0, 0, "a run holds one raw log, not with other files");
            /* users: the log's own, else the stats_history beside it, else derived */
            int rc2 = ltk_rawlog_load(run, path, raw, err);
            if (rc2 == LTK_OK && !run->users_source)
                rc2 = users_from_history(run, path, err);
            if (rc2 == LTK_OK && ltk_run_derive_users(run))
                rc2 = ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
            return rc2;
        }
    }
    FILE *fp;
    int rc = ltk_open_input(path, &fp, err);
    if (rc)
        return rc;
    if (kind < 0 && fseek(fp, 0, SEEK_CUR) != 0) {
        /* a pipe cannot be rewound after sniffing: read it from a copy */
        FILE *copy = tmpfile();
        if (!copy) {
            int e = errno;
            fclose(fp);
            return ltk_error_set(err, LTK_EIO, path, 0, 0, "cannot make a temporary copy: %s", strerror(e));
        }
        char buf[1 << 14];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
            if (fwrite(buf, 1, n, copy) != n)
                break;
        bool bad_read = ferror(fp), bad_write = ferror(copy) || fflush(copy) != 0;
        int e = errno;
        fclose(fp);
        fp = copy;
        if (bad_read || bad_write) {
            fclose(fp);
            return ltk_error_set(err, LTK_EIO, path, 0, 0, "%s: %s",
                                 bad_read ? "read error" : "cannot make a temporary copy", strerror(e));
        }
        rewind(fp);
    }
    if (kind < 0) {
        kind = ltk_locust_sniff(fp, path, err);
        if (kind < 0) {
            fclose(fp);
            if (!regular && err && strlen(err->msg) + 60 < sizeof err->msg)
                strcat(err->msg, " (a raw request log is read from a file, not a pipe)");
            return kind;
        }
    }
    if (run->source[kind]) {
        fclose(fp);
        return ltk_error_set(err, LTK_EINVAL, path, 0, 0, "a %s file was already read for this run (%s)",
                             ltk_source_name(kind), run->source[kind]);
    }
    rc = ltk_locust_read(run, kind, fp, path, err);
    fclose(fp);
    return rc;
}

/* Finds the one Locust prefix in a directory ("dir/name" for dir/name_stats.csv). */
static int prefix_in_dir(const char *dir, char **prefix, struct ltk_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return ltk_error_set(err, LTK_EIO, dir, 0, 0, "cannot open directory: %s", strerror(errno));
    char *found = NULL;
    int count = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        int kind = ltk_source_kind_from_path(n);
        if (kind != LTK_SRC_STATS && !(kind == LTK_SRC_HISTORY))
            continue;
        size_t plen = strlen(n) - strlen(ltk_source_suffix(kind));
        char *p = ltk_asprintf("%s/%.*s", dir, (int)plen, n);
        if (!p) {
            closedir(d);
            free(found);
            return ltk_error_set(err, LTK_ENOMEM, dir, 0, 0, "out of memory");
        }
        if (found && strcmp(found, p) == 0) {
            free(p);
            continue;
        }
        count++;
        if (!found || strcmp(p, found) < 0) {
            free(found);
            found = p;
        } else {
            free(p);
        }
    }
    closedir(d);
    if (count == 0)
        return ltk_error_set(err, LTK_EIO, dir, 0, 0,
                             "no Locust exports (*_stats.csv, *_stats_history.csv) in this directory");
    if (count > 1) {
        ltk_error_set(err, LTK_EINVAL, dir, 0, 0,
                      "%d Locust runs in this directory: name one by its prefix, e.g. '%s'", count, found);
        free(found);
        return LTK_EINVAL;
    }
    *prefix = found;
    return LTK_OK;
}

/* Without stats.csv, the cumulative columns of the last history tick still
 * give the endpoint table (percentiles only when they are whole-run ones). */
static int endpoints_from_history(struct ltk_run *run, struct ltk_error *err)
{
    if (!run->nhistory)
        return LTK_OK;
    size_t end = run->nhistory;
    while (end > 0 && !run->history[end - 1].is_total)
        end--;
    if (end == 0)
        return LTK_OK;
    size_t start = end - 1;
    while (start > 0 && !run->history[start - 1].is_total)
        start--;
    bool pct_ok = run->history_pct_kind == LTK_HPCT_CUMULATIVE;
    size_t np = run->history_pct.n;
    if (pct_ok && np) {
        run->stats_pct.q = malloc(np * sizeof *run->stats_pct.q);
        run->stats_pct.label = calloc(np, sizeof *run->stats_pct.label);
        if (!run->stats_pct.q || !run->stats_pct.label)
            goto oom;
        run->stats_pct.n = np;
        for (size_t k = 0; k < np; k++) {
            run->stats_pct.q[k] = run->history_pct.q[k];
            if (!(run->stats_pct.label[k] = ltk_strdup(run->history_pct.label[k])))
                goto oom;
        }
    }
    run->endpoints = calloc(end - start, sizeof *run->endpoints);
    if (!run->endpoints)
        goto oom;
    for (size_t i = start; i < end; i++) {
        const struct ltk_history_row *h = &run->history[i];
        struct ltk_endpoint e = {
            .requests = h->requests, .failures = h->failures, .median = h->median, .mean = h->mean,
            .min = h->min, .max = h->max, .avg_size = h->avg_size, .rps = NAN, .fail_per_s = NAN,
            .line = h->line,
        };
        e.type = ltk_strdup(h->type);
        e.name = ltk_strdup(h->name);
        if (pct_ok && np && (e.pct = malloc(np * sizeof *e.pct)))
            memcpy(e.pct, h->pct, np * sizeof *e.pct);
        if (!e.type || !e.name || (pct_ok && np && !e.pct)) {
            ltk_endpoint_release(&e);
            goto oom;
        }
        if (h->is_total) {
            run->total = e;
            run->has_total = true;
        } else {
            run->endpoints[run->nendpoints++] = e;
        }
    }
    run->endpoints_from_history = true;
    return LTK_OK;
oom:
    return ltk_error_set(err, LTK_ENOMEM, run->source[LTK_SRC_HISTORY], 0, 0, "out of memory");
}

int ltk_run_load(struct ltk_run *run, const char *input, struct ltk_error *err)
{
    return ltk_run_load_with(run, input, NULL, err);
}

int ltk_run_load_with(struct ltk_run *run, const char *input, const struct ltk_rawlog_options *raw,
                      struct ltk_error *err)
{
    if (!input || !*input)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "empty input name");
    run->label = ltk_strdup(input);
    if (!run->label)
        return ltk_error_set(err, LTK_ENOMEM, input, 0, 0, "out of memory");
    int rc;
    if (is_file_like(input)) {
        rc = read_file(run, ltk_source_kind_from_path(input), input, raw, err);
    } else {
        char *prefix = NULL;
        if (is_dir(input)) {
            if ((rc = prefix_in_dir(input, &prefix, err)))
                return rc;
        } else if (!(prefix = ltk_strdup(input))) {
            return ltk_error_set(err, LTK_ENOMEM, input, 0, 0, "out of memory");
        }
        int found = 0;
        rc = LTK_OK;
        for (int k = 0; k < LTK_SRC_COUNT && rc == LTK_OK; k++) {
            char *path = ltk_asprintf("%s%s", prefix, ltk_source_suffix(k));
            if (!path) {
                rc = ltk_error_set(err, LTK_ENOMEM, input, 0, 0, "out of memory");
                break;
            }
            if (is_file_like(path) || is_dir(path)) {
                found++;
                rc = read_file(run, k, path, raw, err);
            }
            free(path);
        }
        if (rc == LTK_OK && !found)
            rc = ltk_error_set(err, LTK_EIO, input, 0, 0,
                               "no such file, and no Locust exports with this prefix "
                               "(looked for %s_stats.csv, _stats_history.csv, _failures.csv, _exceptions.csv)",
                               prefix);
        free(prefix);
    }
    if (rc == LTK_OK && !run->source[LTK_SRC_STATS] && run->source[LTK_SRC_HISTORY])
        rc = endpoints_from_history(run, err);
    /* Locust's CSV has no codes but in its failures' texts */
    if (rc == LTK_OK && !run->raw_source && ltk_run_infer_status(run))
        rc = ltk_error_set(err, LTK_ENOMEM, input, 0, 0, "out of memory");
    return rc;
}

int ltk_run_load_select(struct ltk_run *run, const char *input, const struct ltk_rawlog_options *raw,
                        const struct ltk_select *sel, struct ltk_error *err)
{
    if (!ltk_select_active(sel))
        return ltk_run_load_with(run, input, raw, err);
    struct stat st;
    bool regular = input && stat(input, &st) == 0 && S_ISREG(st.st_mode);
    bool summary = regular && !ltk_locust_json_sniff(input) && ltk_summary_sniff(input);
    enum ltk_rawlog_format f = LTK_RAW_NONE;
    int rc;
    if (regular && !summary && !ltk_locust_json_sniff(input) && (rc = ltk_rawlog_detect(input, &f, err)))
        return rc;
    if (!summary && f == LTK_RAW_NONE && !(regular && raw && raw->columns && !ltk_locust_json_sniff(input))) {
        rc = ltk_run_load_with(run, input, raw, err);
        return rc ? rc : ltk_run_select(run, sel, err);
    }
    /* raw data: selected as a summary, whose intervals keep histograms */
    if (!(run->label = ltk_strdup(input)))
        return ltk_error_set(err, LTK_ENOMEM, input, 0, 0, "out of memory");
    struct ltk_summary s;
    ltk_summary_init(&s);
    rc = summary ? ltk_summary_load(&s, input, err) : ltk_rawlog_summarize(&s, input, raw, err);
    if (rc == LTK_OK && !summary)
        rc = ltk_summary_users_from_history(&s, input, err);
    struct ltk_selection what;
    memset(&what, 0, sizeof what);
    if (rc == LTK_OK)
        rc = ltk_summary_select(&s, sel, input, &what, err);
    if (rc == LTK_OK)
        rc = ltk_summary_to_run(&s, input, run, err);
    if (rc == LTK_OK && !summary)
        run->raw_rows = s.sources[0].rows;
    ltk_summary_release(&s);
    ltk_selection_release(&run->selection);
    run->selection = what;
    return rc;
}

/* ---- users from a stats_history.csv beside the log --------------------------- */

static int64_t iv_ts(void *ctx, size_t i) { return ((struct ltk_summary *)ctx)->intervals[i].t; }
static void iv_set(void *ctx, size_t i, int64_t u) { ((struct ltk_summary *)ctx)->intervals[i].users = u; }

int ltk_summary_users_from_history(struct ltk_summary *s, const char *log_path, struct ltk_error *err)
{
    if (!s->nsources || s->sources[s->nsources - 1].users_source)
        return LTK_OK;   /* none, or the log's own */
    char *hpath = NULL;
    struct users_target t = { iv_ts, iv_set, s, s->nintervals };
    int rc = sibling_users(log_path, &t, &hpath, err);
    if (rc == LTK_OK && hpath) {
        free(s->sources[s->nsources - 1].users_source);
        s->sources[s->nsources - 1].users_source = hpath;
    }
    return rc;
}

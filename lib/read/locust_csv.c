/* Readers for Locust's --csv exports (see ltk/read/locust.h).
 *
 * What Locust writes (locust/stats.py, 2.x): csv.writer's "excel" dialect;
 * stats.csv rewritten every second, endpoints sorted by (name, type) and the
 * Aggregated row last with an empty Type; stats_history.csv appended every
 * second; percentile headers from get_readable_percentiles() ("99.9%"), "N/A"
 * when an entry has no requests; ints and Python float reprs mixed in one
 * column because response times may be floats. */
#include "ltk/read/locust.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/read/csv.h"
#include "ltk/base/num.h"
#include "base/strutil.h"

/* ---- header mapping ---------------------------------------------------- */

struct col {
    const char *name;
    bool required;
    int idx;             /* field index, -1 when absent */
};

struct header {
    size_t nfields;
    int *pct_idx;        /* field index of each percentile column */
};

/* Parses "99.9%" into q = 0.999 and label "99.9".  False when not a percentile. */
static bool pct_header(const char *s, double *q)
{
    size_t n = strlen(s);
    if (n < 2 || s[n - 1] != '%')
        return false;
    char num[64];
    if (n - 1 >= sizeof num)
        return false;
    memcpy(num, s, n - 1);
    num[n - 1] = '\0';
    double v;
    if (ltk_parse_real(num, &v) || !(v > 0 && v <= 100))
        return false;
    *q = v / 100.0;
    return true;
}

static int map_header(const struct ltk_csv_record *rec, struct col *cols, size_t ncols,
                      struct ltk_pct_columns *pct, struct header *h, const char *what,
                      const char *file, struct ltk_error *err)
{
    h->nfields = rec->nfields;
    for (size_t c = 0; c < ncols; c++)
        cols[c].idx = -1;
    for (size_t i = 0; i < rec->nfields; i++) {
        const char *f = rec->fields[i];
        bool known = false;
        for (size_t c = 0; c < ncols; c++) {
            if (strcmp(f, cols[c].name) == 0) {
                if (cols[c].idx >= 0)
                    return ltk_error_set(err, LTK_EFORMAT, file, rec->line, (long)i + 1,
                                         "column '%s' appears twice in the header", f);
                cols[c].idx = (int)i;
                known = true;
            }
        }
        double q;
        if (!known && pct && pct_header(f, &q)) {
            size_t k = pct->n;
            double *nq = realloc(pct->q, (k + 1) * sizeof *nq);
            if (!nq)
                return ltk_error_set(err, LTK_ENOMEM, file, rec->line, 0, "out of memory");
            pct->q = nq;
            char **nl = realloc(pct->label, (k + 1) * sizeof *nl);
            if (!nl)
                return ltk_error_set(err, LTK_ENOMEM, file, rec->line, 0, "out of memory");
            pct->label = nl;
            int *ni = realloc(h->pct_idx, (k + 1) * sizeof *ni);
            if (!ni)
                return ltk_error_set(err, LTK_ENOMEM, file, rec->line, 0, "out of memory");
            h->pct_idx = ni;
            pct->label[k] = ltk_strndup(f, strlen(f) - 1);
            if (!pct->label[k])
                return ltk_error_set(err, LTK_ENOMEM, file, rec->line, 0, "out of memory");
            pct->q[k] = q;
            h->pct_idx[k] = (int)i;
            pct->n = k + 1;
        }
    }
    for (size_t c = 0; c < ncols; c++) {
        if (cols[c].required && cols[c].idx < 0) {
            char shown[80];
            ltk_quote_text(rec->fields[0], shown, sizeof shown);
            return ltk_error_set(err, LTK_EFORMAT, file, rec->line, 0,
                                 "not a Locust %s file: the header has no '%s' column (it starts with %s)",
                                 what, cols[c].name, shown);
        }
    }
    return LTK_OK;
}

/* ---- field access with messages --------------------------------------- */

struct rowctx {
    const struct ltk_csv_record *rec;
    const char *file;
    struct ltk_error *err;
};

static int bad_value(const struct rowctx *r, int idx, const char *col, const char *expected)
{
    char shown[80];
    ltk_quote_text(r->rec->fields[idx], shown, sizeof shown);
    return ltk_error_set(r->err, LTK_EFORMAT, r->file, r->rec->line, idx + 1,
                         "column '%s': expected %s, got %s", col, expected, shown);
}

static int get_count(const struct rowctx *r, const struct col *c, uint64_t *out)
{
    const char *why = ltk_parse_count(r->rec->fields[c->idx], out);
    return why ? bad_value(r, c->idx, c->name, why) : LTK_OK;
}

static int get_int(const struct rowctx *r, const struct col *c, int64_t *out)
{
    const char *why = ltk_parse_int(r->rec->fields[c->idx], out);
    return why ? bad_value(r, c->idx, c->name, why) : LTK_OK;
}

static int get_nonneg(const struct rowctx *r, const struct col *c, double *out)
{
    const char *why = ltk_parse_nonneg(r->rec->fields[c->idx], out);
    return why ? bad_value(r, c->idx, c->name, why) : LTK_OK;
}

static int get_pcts(const struct rowctx *r, const struct header *h, const struct ltk_pct_columns *pc,
                    double **out)
{
    *out = NULL;
    if (!pc->n)
        return LTK_OK;
    double *v = malloc(pc->n * sizeof *v);
    if (!v)
        return ltk_error_set(r->err, LTK_ENOMEM, r->file, r->rec->line, 0, "out of memory");
    for (size_t k = 0; k < pc->n; k++) {
        const char *f = r->rec->fields[h->pct_idx[k]];
        if (strcmp(f, "N/A") == 0) {
            v[k] = NAN;
            continue;
        }
        const char *why = ltk_parse_nonneg(f, &v[k]);
        if (why) {
            free(v);
            char col[64];
            snprintf(col, sizeof col, "%s%%", pc->label[k]);
            return bad_value(r, h->pct_idx[k], col, "a response time in ms or N/A");
        }
    }
    *out = v;
    return LTK_OK;
}

static int check_width(const struct rowctx *r, const struct header *h)
{
    if (r->rec->nfields != h->nfields)
        return ltk_error_set(r->err, LTK_EFORMAT, r->file, r->rec->line, 0,
                             "expected %zu fields, got %zu", h->nfields, r->rec->nfields);
    return LTK_OK;
}

static char *dup_field(const struct rowctx *r, int idx)
{
    return ltk_strdup(idx >= 0 ? r->rec->fields[idx] : "");
}

/* Grows an array of elem-sized items so that one more fits. */
static int grow(void **arr, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap)
        return LTK_OK;
    size_t ncap = *cap ? 2 * *cap : 16;
    void *p = realloc(*arr, ncap * elem);
    if (!p)
        return LTK_ENOMEM;
    *arr = p;
    *cap = ncap;
    return LTK_OK;
}

/* ---- one reader for every table ---------------------------------------- */

/* A Locust CSV file being read: its columns, and what to do with each row. */
struct table {
    struct ltk_run *run;
    const char *file;
    const char *what;                 /* "stats.csv", for messages */
    struct col *cols;
    size_t ncols;
    struct ltk_pct_columns *pct;      /* where percentile columns go; NULL if none */
    int (*on_header)(struct table *t, const struct rowctx *r);  /* optional checks */
    int (*on_row)(struct table *t, const struct rowctx *r);
    struct header h;
    size_t cap;                       /* capacity of the array on_row appends to */
    bool append_only;                 /* stats_history: a cut-off last line is normal */
    bool have_prev_total;             /* stats_history: for reset detection */
    uint64_t prev_total_requests;
};

static int table_record(const struct ltk_csv_record *rec, void *vt, struct ltk_error *err)
{
    struct table *t = vt;
    struct rowctx r = { rec, t->file, err };
    if (rec->index == 0) {
        int rc = map_header(rec, t->cols, t->ncols, t->pct, &t->h, t->what, t->file, err);
        return rc == LTK_OK && t->on_header ? t->on_header(t, &r) : rc;
    }
    int rc = check_width(&r, &t->h);
    return rc ? rc : t->on_row(t, &r);
}

/* Reads the whole file.  A cut-off last line (no line end, fewer fields) is
 * dropped with a warning in an append-only file, where a run that was killed
 * leaves one and every earlier row is still right; in a file Locust rewrites
 * whole it means rows are missing, which is an error. */
static int read_table(struct table *t, FILE *fp, int kind, struct ltk_error *err)
{
    struct ltk_csv_options opt = LTK_CSV_OPTIONS_DEFAULT;
    opt.drop_truncated_last = true;
    struct ltk_csv_info info;
    int rc = ltk_csv_read(fp, t->file, &opt, table_record, t, &info, err);
    free(t->h.pct_idx);
    t->h.pct_idx = NULL;
    if (rc)
        return rc;
    if (info.records == 0 && info.truncated_last)
        return ltk_error_set(err, LTK_EFORMAT, t->file, info.truncated_line, 0,
                             "the file ends inside its first line (no line end): no complete %s header",
                             t->what);
    if (info.records == 0)
        return ltk_error_set(err, LTK_EFORMAT, t->file, 0, 0, "empty file: no %s header", t->what);
    if (info.truncated_last && !t->append_only)
        return ltk_error_set(err, LTK_EFORMAT, t->file, info.truncated_line, 0,
                             "last line is cut off (%zu of %zu fields, no line end): the file is "
                             "incomplete (was it copied while Locust was writing it?)",
                             info.truncated_fields, t->h.nfields);
    if (info.truncated_last)
        ltk_run_warn(t->run, "%s:%ld: last line is cut off (%zu of %zu fields, no line end): ignored",
                     t->file, info.truncated_line, info.truncated_fields, t->h.nfields);
    free(t->run->source[kind]);
    t->run->source[kind] = ltk_strdup(t->file);
    return t->run->source[kind] ? LTK_OK : ltk_error_set(err, LTK_ENOMEM, t->file, 0, 0, "out of memory");
}

static int out_of_memory(const struct rowctx *r)
{
    return ltk_error_set(r->err, LTK_ENOMEM, r->file, r->rec->line, 0, "out of memory");
}

/* ---- stats.csv ---------------------------------------------------------- */

enum { S_TYPE, S_NAME, S_REQS, S_FAILS, S_MEDIAN, S_MEAN, S_MIN, S_MAX, S_SIZE, S_RPS, S_FPS, S_N };

static int stats_row(struct table *t, const struct rowctx *r)
{
    struct ltk_run *run = t->run;
    if (grow((void **)&run->endpoints, run->nendpoints, &t->cap, sizeof *run->endpoints))
        return out_of_memory(r);
    struct ltk_endpoint e = { .line = r->rec->line };
    const struct col *k = t->cols;
    int rc;
    if ((rc = get_count(r, &k[S_REQS], &e.requests)) || (rc = get_count(r, &k[S_FAILS], &e.failures)) ||
        (rc = get_nonneg(r, &k[S_MEDIAN], &e.median)) || (rc = get_nonneg(r, &k[S_MEAN], &e.mean)) ||
        (rc = get_nonneg(r, &k[S_MIN], &e.min)) || (rc = get_nonneg(r, &k[S_MAX], &e.max)) ||
        (rc = get_nonneg(r, &k[S_SIZE], &e.avg_size)) || (rc = get_nonneg(r, &k[S_RPS], &e.rps)) ||
        (rc = get_nonneg(r, &k[S_FPS], &e.fail_per_s)))
        return rc;
    if ((rc = get_pcts(r, &t->h, &run->stats_pct, &e.pct)))
        return rc;
    e.type = dup_field(r, k[S_TYPE].idx);
    e.name = dup_field(r, k[S_NAME].idx);
    if (!e.type || !e.name) {
        free(e.type);
        free(e.name);
        free(e.pct);
        return out_of_memory(r);
    }
    run->endpoints[run->nendpoints++] = e;
    return LTK_OK;
}

int ltk_locust_read_stats(struct ltk_run *run, FILE *fp, const char *name, struct ltk_error *err)
{
    struct col cols[S_N] = {
        [S_TYPE] = { "Type", true, -1 }, [S_NAME] = { "Name", true, -1 },
        [S_REQS] = { "Request Count", true, -1 }, [S_FAILS] = { "Failure Count", true, -1 },
        [S_MEDIAN] = { "Median Response Time", true, -1 }, [S_MEAN] = { "Average Response Time", true, -1 },
        [S_MIN] = { "Min Response Time", true, -1 }, [S_MAX] = { "Max Response Time", true, -1 },
        [S_SIZE] = { "Average Content Size", true, -1 }, [S_RPS] = { "Requests/s", true, -1 },
        [S_FPS] = { "Failures/s", true, -1 },
    };
    struct table t = { .run = run, .file = name, .what = "stats.csv", .cols = cols, .ncols = S_N,
                       .pct = &run->stats_pct, .on_row = stats_row };
    int rc = read_table(&t, fp, LTK_SRC_STATS, err);
    if (rc)
        return rc;
    if (run->nendpoints == 0) {
        /* Locust writes the Aggregated row even for a run without requests */
        free(run->source[LTK_SRC_STATS]);
        run->source[LTK_SRC_STATS] = NULL;
        return ltk_error_set(err, LTK_EFORMAT, name, 1, 0,
                             "no rows after the header: the file is incomplete (Locust always writes "
                             "an Aggregated row)");
    }
    /* The total is the last row with an empty Type; a request a user named
     * "Aggregated" has a Type and stays an endpoint. */
    if (run->nendpoints) {
        struct ltk_endpoint *last = &run->endpoints[run->nendpoints - 1];
        if (last->type[0] == '\0' && strcmp(last->name, "Aggregated") == 0) {
            run->total = *last;
            run->has_total = true;
            run->nendpoints--;
        }
    }
    if (!run->has_total)
        ltk_run_warn(run, "%s: no Aggregated row at the end: no run totals", name);
    return LTK_OK;
}

/* ---- stats_history.csv --------------------------------------------------- */

enum { H_TS, H_USERS, H_TYPE, H_NAME, H_RPS, H_FPS, H_REQS, H_FAILS, H_MEDIAN, H_MEAN, H_MIN,
       H_MAX, H_SIZE, H_N };

static int history_row(struct table *t, const struct rowctx *r)
{
    struct ltk_run *run = t->run;
    if (grow((void **)&run->history, run->nhistory, &t->cap, sizeof *run->history))
        return out_of_memory(r);
    struct ltk_history_row h = { .line = r->rec->line };
    const struct col *k = t->cols;
    int rc;
    if ((rc = get_int(r, &k[H_TS], &h.ts)) || (rc = get_int(r, &k[H_USERS], &h.users)) ||
        (rc = get_nonneg(r, &k[H_RPS], &h.rps)) || (rc = get_nonneg(r, &k[H_FPS], &h.fail_per_s)) ||
        (rc = get_count(r, &k[H_REQS], &h.requests)) || (rc = get_count(r, &k[H_FAILS], &h.failures)) ||
        (rc = get_nonneg(r, &k[H_MEDIAN], &h.median)) || (rc = get_nonneg(r, &k[H_MEAN], &h.mean)) ||
        (rc = get_nonneg(r, &k[H_MIN], &h.min)) || (rc = get_nonneg(r, &k[H_MAX], &h.max)) ||
        (rc = get_nonneg(r, &k[H_SIZE], &h.avg_size)))
        return rc;
    if (h.users < 0)
        return bad_value(r, k[H_USERS].idx, k[H_USERS].name, "a non-negative user count");
    if ((rc = get_pcts(r, &t->h, &run->history_pct, &h.pct)))
        return rc;
    h.type = dup_field(r, k[H_TYPE].idx);
    h.name = dup_field(r, k[H_NAME].idx);
    if (!h.type || !h.name) {
        free(h.type);
        free(h.name);
        free(h.pct);
        return out_of_memory(r);
    }
    h.is_total = h.type[0] == '\0' && strcmp(h.name, "Aggregated") == 0;
    if (!h.is_total)
        run->history_full = true;
    if (h.is_total) {
        if (t->have_prev_total && h.requests < t->prev_total_requests)
            run->history_resets++;
        t->have_prev_total = true;
        t->prev_total_requests = h.requests;
    }
    run->history[run->nhistory++] = h;
    return LTK_OK;
}

int ltk_locust_read_history(struct ltk_run *run, FILE *fp, const char *name, struct ltk_error *err)
{
    struct col cols[H_N] = {
        [H_TS] = { "Timestamp", true, -1 }, [H_USERS] = { "User Count", true, -1 },
        [H_TYPE] = { "Type", true, -1 }, [H_NAME] = { "Name", true, -1 },
        [H_RPS] = { "Requests/s", true, -1 }, [H_FPS] = { "Failures/s", true, -1 },
        [H_REQS] = { "Total Request Count", true, -1 }, [H_FAILS] = { "Total Failure Count", true, -1 },
        [H_MEDIAN] = { "Total Median Response Time", true, -1 },
        [H_MEAN] = { "Total Average Response Time", true, -1 },
        [H_MIN] = { "Total Min Response Time", true, -1 }, [H_MAX] = { "Total Max Response Time", true, -1 },
        [H_SIZE] = { "Total Average Content Size", true, -1 },
    };
    struct table t = { .run = run, .file = name, .what = "stats_history.csv", .cols = cols, .ncols = H_N,
                       .pct = &run->history_pct, .on_row = history_row, .append_only = true };
    int rc = read_table(&t, fp, LTK_SRC_HISTORY, err);
    if (rc)
        return rc;
    /* With --csv-full-history Locust writes windowed ("current") percentiles
     * and 0 where the window had no data; without it, whole-run percentiles. */
    run->history_pct_kind = run->history_full ? LTK_HPCT_WINDOW : LTK_HPCT_CUMULATIVE;
    run->history_window_s = 10;
    if (run->history_pct_kind == LTK_HPCT_WINDOW) {
        for (size_t i = 0; i < run->nhistory; i++)
            for (size_t k = 0; k < run->history_pct.n; k++)
                if (run->history[i].pct[k] == 0)
                    run->history[i].pct[k] = NAN;
    }
    if (run->history_resets)
        ltk_run_warn(run, "%s: cumulative counts drop %zu time(s): statistics were reset during the run",
                     name, run->history_resets);
    return LTK_OK;
}

/* ---- failures.csv ------------------------------------------------------- */

enum { F_METHOD, F_NAME, F_ERROR, F_OCC, F_FIRST, F_LAST, F_N };

static int failures_header(struct table *t, const struct rowctx *r)
{
    if ((t->cols[F_FIRST].idx >= 0) != (t->cols[F_LAST].idx >= 0))
        return ltk_error_set(r->err, LTK_EFORMAT, t->file, r->rec->line, 0,
                             "header has only one of 'First Seen' and 'Last Seen'");
    t->run->failures_have_seen = t->cols[F_FIRST].idx >= 0;
    return LTK_OK;
}

static int failures_row(struct table *t, const struct rowctx *r)
{
    struct ltk_run *run = t->run;
    if (grow((void **)&run->failures, run->nfailures, &t->cap, sizeof *run->failures))
        return out_of_memory(r);
    struct ltk_failure f = { .line = r->rec->line };
    int rc = get_count(r, &t->cols[F_OCC], &f.occurrences);
    if (rc)
        return rc;
    f.method = dup_field(r, t->cols[F_METHOD].idx);
    f.name = dup_field(r, t->cols[F_NAME].idx);
    f.error = dup_field(r, t->cols[F_ERROR].idx);
    if (run->failures_have_seen) {
        f.first_seen = dup_field(r, t->cols[F_FIRST].idx);
        f.last_seen = dup_field(r, t->cols[F_LAST].idx);
    }
    if (!f.method || !f.name || !f.error || (run->failures_have_seen && (!f.first_seen || !f.last_seen))) {
        free(f.method);
        free(f.name);
        free(f.error);
        free(f.first_seen);
        free(f.last_seen);
        return out_of_memory(r);
    }
    run->failures[run->nfailures++] = f;
    return LTK_OK;
}

int ltk_locust_read_failures(struct ltk_run *run, FILE *fp, const char *name, struct ltk_error *err)
{
    struct col cols[F_N] = {
        [F_METHOD] = { "Method", true, -1 }, [F_NAME] = { "Name", true, -1 },
        [F_ERROR] = { "Error", true, -1 }, [F_OCC] = { "Occurrences", true, -1 },
        [F_FIRST] = { "First Seen", false, -1 }, [F_LAST] = { "Last Seen", false, -1 },
    };
    struct table t = { .run = run, .file = name, .what = "failures.csv", .cols = cols, .ncols = F_N,
                       .on_header = failures_header, .on_row = failures_row };
    return read_table(&t, fp, LTK_SRC_FAILURES, err);
}

/* ---- exceptions.csv ----------------------------------------------------- */

enum { X_COUNT, X_MSG, X_TB, X_NODES, X_N };

static int exceptions_row(struct table *t, const struct rowctx *r)
{
    struct ltk_run *run = t->run;
    if (grow((void **)&run->exceptions, run->nexceptions, &t->cap, sizeof *run->exceptions))
        return out_of_memory(r);
    struct ltk_exception x = { .line = r->rec->line };
    int rc = get_count(r, &t->cols[X_COUNT], &x.count);
    if (rc)
        return rc;
    x.message = dup_field(r, t->cols[X_MSG].idx);
    x.traceback = dup_field(r, t->cols[X_TB].idx);
    x.nodes = dup_field(r, t->cols[X_NODES].idx);
    if (!x.message || !x.traceback || !x.nodes) {
        free(x.message);
        free(x.traceback);
        free(x.nodes);
        return out_of_memory(r);
    }
    run->exceptions[run->nexceptions++] = x;
    return LTK_OK;
}

int ltk_locust_read_exceptions(struct ltk_run *run, FILE *fp, const char *name, struct ltk_error *err)
{
    struct col cols[X_N] = {
        [X_COUNT] = { "Count", true, -1 }, [X_MSG] = { "Message", true, -1 },
        [X_TB] = { "Traceback", true, -1 }, [X_NODES] = { "Nodes", true, -1 },
    };
    struct table t = { .run = run, .file = name, .what = "exceptions.csv", .cols = cols, .ncols = X_N,
                       .on_row = exceptions_row };
    return read_table(&t, fp, LTK_SRC_EXCEPTIONS, err);
}

int ltk_locust_read(struct ltk_run *run, int kind, FILE *fp, const char *name, struct ltk_error *err)
{
    switch (kind) {
    case LTK_SRC_STATS: return ltk_locust_read_stats(run, fp, name, err);
    case LTK_SRC_HISTORY: return ltk_locust_read_history(run, fp, name, err);
    case LTK_SRC_FAILURES: return ltk_locust_read_failures(run, fp, name, err);
    case LTK_SRC_EXCEPTIONS: return ltk_locust_read_exceptions(run, fp, name, err);
    default: return ltk_error_set(err, LTK_EINVAL, name, 0, 0, "unknown file kind %d", kind);
    }
}

/* ---- sniffing ------------------------------------------------------------ */

struct sniff_ctx {
    int kind;
};

static bool has_field(const struct ltk_csv_record *rec, const char *name)
{
    for (size_t i = 0; i < rec->nfields; i++)
        if (strcmp(rec->fields[i], name) == 0)
            return true;
    return false;
}

enum { SNIFF_STOP = 1 };

static int sniff_record(const struct ltk_csv_record *rec, void *vctx, struct ltk_error *err)
{
    (void)err;
    struct sniff_ctx *c = vctx;
    if (has_field(rec, "Timestamp") && has_field(rec, "Total Request Count"))
        c->kind = LTK_SRC_HISTORY;
    else if (has_field(rec, "Request Count") && has_field(rec, "Failure Count"))
        c->kind = LTK_SRC_STATS;
    else if (has_field(rec, "Occurrences") && has_field(rec, "Error"))
        c->kind = LTK_SRC_FAILURES;
    else if (has_field(rec, "Traceback") && has_field(rec, "Count"))
        c->kind = LTK_SRC_EXCEPTIONS;
    return SNIFF_STOP;
}

int ltk_locust_sniff(FILE *fp, const char *name, struct ltk_error *err)
{
    struct sniff_ctx c = { -1 };
    struct ltk_csv_info info;
    if (fseek(fp, 0, SEEK_CUR) != 0)
        return ltk_error_set(err, LTK_EINVAL, name, 0, 0,
                             "cannot tell the kind of file of a pipe (name it *_stats.csv, ...)");
    int rc = ltk_csv_read(fp, name, NULL, sniff_record, &c, &info, err);
    if (rc < 0)
        return rc;
    if (fseek(fp, 0, SEEK_SET) != 0)
        return ltk_error_set(err, LTK_EIO, name, 0, 0, "cannot rewind after reading the header");
    if (rc != SNIFF_STOP)
        return ltk_error_set(err, LTK_EFORMAT, name, 0, 0, "empty file: no CSV header");
    if (c.kind < 0)
        return ltk_error_set(err, LTK_EFORMAT, name, 1, 0,
                             "not a Locust CSV export: the header matches none of stats.csv, "
                             "stats_history.csv, failures.csv, exceptions.csv");
    return c.kind;
}

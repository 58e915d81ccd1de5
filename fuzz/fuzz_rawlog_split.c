// seeds: samples/runs/smoke/smoke_requests.csv tests/data/raw/* tests/data/bad/raw_* tests/data/fastpath/*
// options: -max_len=2048
/* The plain-line split of raw request logs (lib/read/csv_reader.c,
 * ltk_csv_read_split) against libcsv alone, on arbitrary bytes: it must
 * never change an answer.  Each input is read
 *   - as CSV, split and not, from a source that hands it over a few bytes
 *     at a time (reads that end mid-line, mid-field, mid-CRLF), with the
 *     limits small or not: the same records (fields, lengths, line numbers,
 *     cut-off flags), the same status, message, line and column, the same
 *     info;
 *   - as a raw log by ltk_rawlog_summarize, with LTK_CSV_LIBCSV_ONLY unset
 *     and set: the same status and message, and the same summary, byte for
 *     byte (its JSON);
 *   - as a run by ltk_rawlog_load with two threads for some lengths (the
 *     split read), both ways: the same status, message and JSON.
 * Any difference aborts.  Options come from the input's length, as in
 * fuzz_rawlog. */
#define _GNU_SOURCE
#include "fuzz.h"

#include "ltk/base/json.h"
#include "ltk/model/summary.h"
#include "ltk/read/csv.h"
#include "ltk/read/rawlog.h"
#include "ltk/read/summary_json.h"
#include "ltk/render/stats_view.h"
#include "read/csv_int.h"

struct src {
    const uint8_t *data;
    size_t len, pos, step;
};

static int src_read(void *p, char *buf, size_t cap, size_t *got, struct ltk_error *err)
{
    (void)err;
    struct src *s = p;
    size_t n = s->len - s->pos;
    if (n > cap)
        n = cap;
    if (s->step && n > s->step)
        n = s->step;
    memcpy(buf, s->data + s->pos, n);
    s->pos += n;
    *got = n;
    return LTK_OK;
}

/* Every record, fields and all, one after another in a memory stream. */
static int keep_record(const struct ltk_csv_record *rec, void *ctx, struct ltk_error *err)
{
    (void)err;
    FILE *fp = ctx;
    fprintf(fp, "%ld %ld %zu %d:", rec->line, rec->index, rec->nfields, rec->cut_off);
    for (size_t i = 0; i < rec->nfields; i++) {
        if (strlen(rec->fields[i]) != rec->lens[i])
            abort();
        fprintf(fp, "%zu,", rec->lens[i]);
        fwrite(rec->fields[i], 1, rec->lens[i], fp);
    }
    fputc('\n', fp);
    /* a callback that stops, sometimes: on the third record */
    return rec->index == 2 && rec->nfields == 2 ? 1 : LTK_OK;
}

struct csv_outcome {
    char *out;
    size_t len;
    int rc;
    struct ltk_error err;
    struct ltk_csv_info info;
};

static void read_csv(const uint8_t *data, size_t size, const struct ltk_csv_options *opt, size_t step, bool split,
                     struct csv_outcome *o)
{
    memset(o, 0, sizeof *o);
    ltk_error_clear(&o->err);
    FILE *fp = open_memstream(&o->out, &o->len);
    if (!fp)
        abort();
    struct src s = { data, size, 0, step };
    o->rc = ltk_csv_read_split(src_read, &s, "fuzz.csv", opt, split, keep_record, fp, &o->info, NULL, &o->err);
    if (fclose(fp))
        abort();
}

static void same_error(int rc1, const struct ltk_error *e1, int rc2, const struct ltk_error *e2)
{
    if (rc1 != rc2 || strcmp(e1->msg, e2->msg) || strcmp(e1->file, e2->file) || e1->line != e2->line ||
        e1->column != e2->column) {
        fprintf(stderr, "split: %d %s:%ld:%ld %s\nlibcsv: %d %s:%ld:%ld %s\n", rc1, e1->file, e1->line, e1->column,
                e1->msg, rc2, e2->file, e2->line, e2->column, e2->msg);
        abort();
    }
}

static void csv_both_ways(const uint8_t *data, size_t size, unsigned v)
{
    struct ltk_csv_options opt = LTK_CSV_OPTIONS_DEFAULT;
    if (v & 1) {
        opt.max_field = 8 + (v >> 4) % 24;
        opt.max_record = opt.max_field * 2;
        opt.max_fields = 3 + (v >> 2) % 8;
    }
    opt.drop_truncated_last = v & 2;
    size_t step = (v >> 3) % 5 == 0 ? 0 : 1 + (v >> 5) % 13;
    struct csv_outcome a, b;
    read_csv(data, size, &opt, step, true, &a);
    read_csv(data, size, &opt, step, false, &b);
    same_error(a.rc, &a.err, b.rc, &b.err);
    if (a.len != b.len || memcmp(a.out, b.out, a.len) || a.info.records != b.info.records ||
        a.info.lines != b.info.lines || a.info.had_bom != b.info.had_bom ||
        a.info.truncated_last != b.info.truncated_last || a.info.truncated_line != b.info.truncated_line ||
        a.info.truncated_fields != b.info.truncated_fields) {
        fprintf(stderr, "records differ:\n--- split\n%.*s--- libcsv\n%.*s", (int)a.len, a.out, (int)b.len, b.out);
        abort();
    }
    free(a.out);
    free(b.out);
}

static char *summary_text(const struct ltk_summary *s, size_t *len)
{
    char *out = NULL;
    FILE *fp = open_memstream(&out, len);
    if (!fp || ltk_summary_write(fp, s) || fclose(fp))
        abort();
    return out;
}

static char *run_text(const struct ltk_run *run, size_t *len)
{
    char *out = NULL;
    FILE *fp = open_memstream(&out, len);
    if (!fp)
        abort();
    struct ltk_view_opts vo = { .status = true, .ok = true, .apdex_t_ms = 250 };
    cJSON *doc = ltk_stats_to_json_with(run, &vo);
    if (!doc || ltk_json_write(fp, doc, false) || fclose(fp))
        abort();
    cJSON_Delete(doc);
    return out;
}

static void set_libcsv_only(bool on)
{
    if (on)
        setenv("LTK_CSV_LIBCSV_ONLY", "1", 1);
    else
        unsetenv("LTK_CSV_LIBCSV_ONLY");
}

static void same_text(char *a, size_t na, char *b, size_t nb, const char *what)
{
    if (na != nb || memcmp(a, b, na)) {
        fprintf(stderr, "%s differs:\n--- split\n%.*s\n--- libcsv\n%.*s\n", what, (int)na, a, (int)nb, b);
        abort();
    }
    free(a);
    free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned v = (unsigned)(size * 2654435761u) >> 20;
    csv_both_ways(data, size, v);

    const char *path = fuzz_file(data, size);
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.method = (enum ltk_hist_method)(v % 3);
    opt.interval_s = (v & 4) ? 1 : 10;
    opt.fold = v & 8;
    opt.max_names = (v & 16) ? 2 : LTK_RAWLOG_MAX_NAMES_DEFAULT;
    opt.skip_bad = v & 32;
    opt.threads = 1;

    /* the summary, both ways */
    struct ltk_summary s[2];
    struct ltk_error err[2];
    int rc[2];
    for (int k = 0; k < 2; k++) {
        set_libcsv_only(k == 1);
        ltk_summary_init(&s[k]);
        ltk_error_clear(&err[k]);
        rc[k] = ltk_rawlog_summarize(&s[k], path, &opt, &err[k]);
        fuzz_check_error(rc[k], &err[k]);
    }
    same_error(rc[0], &err[0], rc[1], &err[1]);
    if (rc[0] == LTK_OK) {
        size_t n0, n1;
        char *t0 = summary_text(&s[0], &n0), *t1 = summary_text(&s[1], &n1);
        same_text(t0, n0, t1, n1, "summary");
    }
    ltk_summary_release(&s[0]);
    ltk_summary_release(&s[1]);

    /* the run, both ways; two threads for some lengths (the split read) */
    opt.threads = (v & 64) ? 2 : 1;
    struct ltk_run run[2];
    for (int k = 0; k < 2; k++) {
        set_libcsv_only(k == 1);
        ltk_run_init(&run[k]);
        ltk_error_clear(&err[k]);
        rc[k] = ltk_rawlog_load(&run[k], path, &opt, &err[k]);
        fuzz_check_error(rc[k], &err[k]);
    }
    set_libcsv_only(false);
    same_error(rc[0], &err[0], rc[1], &err[1]);
    if (rc[0] == LTK_OK) {
        if (run[0].raw_threads != run[1].raw_threads)
            abort();
        size_t n0, n1;
        char *t0 = run_text(&run[0], &n0), *t1 = run_text(&run[1], &n1);
        same_text(t0, n0, t1, n1, "run");
    }
    ltk_run_release(&run[0]);
    ltk_run_release(&run[1]);
    return 0;
}

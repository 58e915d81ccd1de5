/* Reader of resource-sample CSVs (see ltk/read/metrics.h). */
#include "ltk/read/metrics.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/read/csv.h"
#include "ltk/base/num.h"
#include "base/strutil.h"

const char *ltk_resource_name(enum ltk_resource r)
{
    static const char *const names[LTK_RES_COUNT] = { "cpu", "mem_mb", "mem_pct" };
    return r < LTK_RES_COUNT ? names[r] : "?";
}

const char *ltk_resource_unit(enum ltk_resource r)
{
    static const char *const units[LTK_RES_COUNT] = { "%", "MB", "%" };
    return r < LTK_RES_COUNT ? units[r] : "";
}

/* The header names each column is known by, and the factor to its unit. */
enum { COL_TIME = LTK_RES_COUNT, NCOLS };
static const struct {
    const char *name;
    int col;
    double scale;
} known[] = {
    { "timestamp", COL_TIME, 1 },          { "time", COL_TIME, 1 },
    { "ts", COL_TIME, 1 },                 { "epoch", COL_TIME, 1 },
    { "timestamp_ms", COL_TIME, 0.001 },   { "time_ms", COL_TIME, 0.001 },
    { "cpu_percent", LTK_RES_CPU, 1 },     { "cpu", LTK_RES_CPU, 1 },
    { "cpu_pct", LTK_RES_CPU, 1 },         { "%cpu", LTK_RES_CPU, 1 },
    { "mem_mb", LTK_RES_MEM_MB, 1 },       { "rss_mb", LTK_RES_MEM_MB, 1 },
    { "memory_mb", LTK_RES_MEM_MB, 1 },    { "rss_kb", LTK_RES_MEM_MB, 1.0 / 1024 },
    { "mem_kb", LTK_RES_MEM_MB, 1.0 / 1024 },
    { "mem_bytes", LTK_RES_MEM_MB, 1.0 / (1024 * 1024) },
    { "rss_bytes", LTK_RES_MEM_MB, 1.0 / (1024 * 1024) },
    { "mem_percent", LTK_RES_MEM_PCT, 1 }, { "mem_pct", LTK_RES_MEM_PCT, 1 },
    { "%mem", LTK_RES_MEM_PCT, 1 },        { "memory_percent", LTK_RES_MEM_PCT, 1 },
};

struct reader {
    struct ltk_metrics *m;
    const char *file;
    long field[NCOLS];        /* field index of each column, -1 when absent */
    double scale[NCOLS];
    const char *name[NCOLS];  /* the header name it was found by (folded) */
    size_t cap;
};

void ltk_metrics_init(struct ltk_metrics *m)
{
    memset(m, 0, sizeof *m);
}

void ltk_metrics_release(struct ltk_metrics *m)
{
    if (!m)
        return;
    free(m->source);
    free(m->ts);
    for (int r = 0; r < LTK_RES_COUNT; r++)
        free(m->v[r]);
    ltk_metrics_init(m);
}

/* Header text folded for matching: lower case, surrounding spaces dropped. */
static void fold(const char *s, size_t len, char *out, size_t size)
{
    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    size_t n = 0;
    for (; n < len && n + 1 < size; n++)
        out[n] = (char)tolower((unsigned char)s[n]);
    out[n] = '\0';
}

static int header(struct reader *rd, const struct ltk_csv_record *rec, struct ltk_error *err)
{
    for (int c = 0; c < NCOLS; c++)
        rd->field[c] = -1;
    for (size_t i = 0; i < rec->nfields; i++) {
        char name[32];
        if (rec->lens[i] >= sizeof name)
            continue;
        fold(rec->fields[i], rec->lens[i], name, sizeof name);
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
            if (strcmp(name, known[k].name) != 0)
                continue;
            int c = known[k].col;
            if (rd->field[c] >= 0)
                return ltk_error_set(err, LTK_EFORMAT, rd->file, rec->line, (long)i + 1,
                                     "column '%s' repeats a column already found", name);
            rd->field[c] = (long)i;
            rd->scale[c] = known[k].scale;
            rd->name[c] = known[k].name;
        }
    }
    if (rd->field[COL_TIME] < 0)
        return ltk_error_set(err, LTK_EFORMAT, rd->file, rec->line, 0,
                             "no time column: expected one named timestamp, time, ts, epoch, "
                             "timestamp_ms or time_ms");
    bool any = false;
    for (int r = 0; r < LTK_RES_COUNT; r++)
        any = any || rd->field[r] >= 0;
    if (!any)
        return ltk_error_set(err, LTK_EFORMAT, rd->file, rec->line, 0,
                             "no resource column: expected cpu_percent, mem_mb (or rss_kb, "
                             "mem_bytes) or mem_percent");
    for (int r = 0; r < LTK_RES_COUNT; r++)
        if (rd->field[r] >= 0 && !(rd->m->v[r] = calloc(1, sizeof(double))))
            return ltk_error_set(err, LTK_ENOMEM, rd->file, rec->line, 0, "out of memory");
    return LTK_OK;
}

static int grow(struct reader *rd, const struct ltk_csv_record *rec, struct ltk_error *err)
{
    struct ltk_metrics *m = rd->m;
    if (m->n < rd->cap)
        return LTK_OK;
    size_t cap = rd->cap ? 2 * rd->cap : 256;
    double *p = realloc(m->ts, cap * sizeof *p);
    if (!p)
        return ltk_error_set(err, LTK_ENOMEM, rd->file, rec->line, 0, "out of memory");
    m->ts = p;
    for (int r = 0; r < LTK_RES_COUNT; r++) {
        if (!m->v[r])
            continue;
        if (!(p = realloc(m->v[r], cap * sizeof *p)))
            return ltk_error_set(err, LTK_ENOMEM, rd->file, rec->line, 0, "out of memory");
        m->v[r] = p;
    }
    rd->cap = cap;
    return LTK_OK;
}

static int on_record(const struct ltk_csv_record *rec, void *ctx, struct ltk_error *err)
{
    struct reader *rd = ctx;
    if (rec->index == 0)
        return header(rd, rec, err);
    if (rec->nfields == 1 && rec->lens[0] == 0)
        return LTK_OK;  /* a blank line */
    int rc = grow(rd, rec, err);
    if (rc)
        return rc;
    struct ltk_metrics *m = rd->m;
    for (int c = 0; c < NCOLS; c++) {
        if (rd->field[c] < 0)
            continue;
        size_t f = (size_t)rd->field[c];
        if (f >= rec->nfields)
            return ltk_error_set(err, LTK_EFORMAT, rd->file, rec->line, 0,
                                 "expected at least %zu fields, got %zu", f + 1, rec->nfields);
        double v;
        const char *why = ltk_parse_nonneg(rec->fields[f], &v);
        if (why) {
            char shown[60];
            ltk_quote_text(rec->fields[f], shown, sizeof shown);
            return ltk_error_set(err, LTK_EFORMAT, rd->file, rec->line, (long)f + 1,
                                 "column '%s' (field %zu): expected %s, got %s", rd->name[c], f + 1, why, shown);
        }
        v *= rd->scale[c];
        if (c == COL_TIME) {
            if (m->n && v < m->ts[m->n - 1])
                return ltk_error_set(err, LTK_EFORMAT, rd->file, rec->line, (long)f + 1,
                                     "time goes backwards (%.3f after %.3f)", v, m->ts[m->n - 1]);
            m->ts[m->n] = v;
        } else {
            m->v[c][m->n] = v;
        }
    }
    m->n++;
    return LTK_OK;
}

int ltk_metrics_read(const char *path, struct ltk_metrics *m, struct ltk_error *err)
{
    FILE *fp;
    int rc = ltk_open_input(path, &fp, err);
    if (rc)
        return rc;
    struct reader rd = { .m = m, .file = path };
    struct ltk_csv_options opt = LTK_CSV_OPTIONS_DEFAULT;
    struct ltk_csv_info info;
    rc = ltk_csv_read(fp, path, &opt, on_record, &rd, &info, err);
    fclose(fp);
    if (rc == LTK_OK && info.records == 0)
        rc = ltk_error_set(err, LTK_EFORMAT, path, 1, 0, "empty file: expected a header line");
    else if (rc == LTK_OK && m->n == 0)
        rc = ltk_error_set(err, LTK_EFORMAT, path, info.lines, 0, "no samples after the header");
    else if (rc == LTK_OK && !(m->source = ltk_strdup(path)))
        rc = ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
    if (rc)
        ltk_metrics_release(m);
    return rc;
}

double ltk_metrics_mean(const struct ltk_metrics *m, enum ltk_resource r, double from, double to)
{
    if (r >= LTK_RES_COUNT || !m->v[r])
        return NAN;
    double sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < m->n; i++)
        if (m->ts[i] > from && m->ts[i] <= to) {
            sum += m->v[r][i];
            n++;
        }
    return n ? sum / (double)n : NAN;
}

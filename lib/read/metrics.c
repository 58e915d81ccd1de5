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
    static const char *const names[LTK_RES_COUNT] = { "cpu",         "mem_mb", "mem_pct", "connections",
                                                      "queue_depth", "net_rx", "net_tx" };
    return r < LTK_RES_COUNT ? names[r] : "?";
}

const char *ltk_resource_unit(enum ltk_resource r)
{
    static const char *const units[LTK_RES_COUNT] = { "%", "MB", "%", "", "", "B/s", "B/s" };
    return r < LTK_RES_COUNT ? units[r] : "";
}

/* The header names each column is known by, the factor to its unit, and
 * whether it is a counter to turn into a rate. */
enum { COL_TIME = LTK_RES_COUNT, NCOLS };
static const struct {
    const char *name;
    int col;
    double scale;
    bool counter;
} known[] = {
    { "timestamp", COL_TIME, 1, false },          { "time", COL_TIME, 1, false },
    { "ts", COL_TIME, 1, false },                 { "epoch", COL_TIME, 1, false },
    { "timestamp_ms", COL_TIME, 0.001, false },   { "time_ms", COL_TIME, 0.001, false },
    { "cpu_percent", LTK_RES_CPU, 1, false },     { "cpu", LTK_RES_CPU, 1, false },
    { "cpu_pct", LTK_RES_CPU, 1, false },         { "%cpu", LTK_RES_CPU, 1, false },
    { "mem_mb", LTK_RES_MEM_MB, 1, false },       { "rss_mb", LTK_RES_MEM_MB, 1, false },
    { "memory_mb", LTK_RES_MEM_MB, 1, false },    { "rss_kb", LTK_RES_MEM_MB, 1.0 / 1024, false },
    { "mem_kb", LTK_RES_MEM_MB, 1.0 / 1024, false },
    { "mem_bytes", LTK_RES_MEM_MB, 1.0 / (1024 * 1024), false },
    { "rss_bytes", LTK_RES_MEM_MB, 1.0 / (1024 * 1024), false },
    { "mem_percent", LTK_RES_MEM_PCT, 1, false }, { "mem_pct", LTK_RES_MEM_PCT, 1, false },
    { "%mem", LTK_RES_MEM_PCT, 1, false },        { "memory_percent", LTK_RES_MEM_PCT, 1, false },
    { "connections", LTK_RES_CONNECTIONS, 1, false }, { "conns", LTK_RES_CONNECTIONS, 1, false },
    { "open_connections", LTK_RES_CONNECTIONS, 1, false }, { "db_connections", LTK_RES_CONNECTIONS, 1, false },
    { "sockets", LTK_RES_CONNECTIONS, 1, false },
    { "queue_depth", LTK_RES_QUEUE, 1, false },   { "queue_length", LTK_RES_QUEUE, 1, false },
    { "queue", LTK_RES_QUEUE, 1, false },
    { "net_rx_bytes", LTK_RES_NET_RX, 1, true }, { "rx_bytes", LTK_RES_NET_RX, 1, true },
    { "net_rx_bytes_per_s", LTK_RES_NET_RX, 1, false },
    { "net_tx_bytes", LTK_RES_NET_TX, 1, true }, { "tx_bytes", LTK_RES_NET_TX, 1, true },
    { "net_tx_bytes_per_s", LTK_RES_NET_TX, 1, false },
};

struct reader {
    struct ltk_metrics *m;
    const char *file;
    long field[NCOLS];        /* field index of each column, -1 when absent */
    double scale[NCOLS];
    const char *name[NCOLS];  /* the header name it was found by (folded) */
    bool counter[NCOLS];
    double prev[NCOLS];       /* a counter's value at the sample before */
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
            rd->counter[c] = known[k].counter;
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
                             "mem_bytes), mem_percent, connections, queue_depth, net_rx_bytes or "
                             "net_tx_bytes");
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
    double raw[LTK_RES_COUNT] = { 0 };
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
        } else if (rd->counter[c]) {
            if (m->n && v < rd->prev[c])
                return ltk_error_set(err, LTK_EFORMAT, rd->file, rec->line, (long)f + 1,
                                     "column '%s' (field %zu) is a counter and goes down (%.17g after %.17g): "
                                     "a restart? give a rate (%s_per_s) instead",
                                     rd->name[c], f + 1, v, rd->prev[c], c == LTK_RES_NET_RX ? "net_rx_bytes" : "net_tx_bytes");
            raw[c] = v;
        } else {
            m->v[c][m->n] = v;
        }
    }
    /* counters: the rate since the sample before, now that this one's time is known */
    for (int c = 0; c < LTK_RES_COUNT; c++) {
        if (rd->field[c] < 0 || !rd->counter[c])
            continue;
        double dt = m->n ? m->ts[m->n] - m->ts[m->n - 1] : 0;
        double rate = dt > 0 ? (raw[c] - rd->prev[c]) / dt : NAN;
        if (isinf(rate))
            return ltk_error_set(err, LTK_EFORMAT, rd->file, rec->line, rd->field[c] + 1,
                                 "column '%s': the rate since the sample before is out of range "
                                 "(%.17g bytes in %.3g s)", rd->name[c], raw[c] - rd->prev[c], dt);
        m->v[c][m->n] = rate;
        rd->prev[c] = raw[c];
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
        if (m->ts[i] > from && m->ts[i] <= to && !isnan(m->v[r][i])) {
            sum += m->v[r][i];
            n++;
        }
    return n ? sum / (double)n : NAN;
}

void ltk_metrics_summarise(const struct ltk_metrics *m, enum ltk_resource r, double from, double to,
                           double window_s, struct ltk_metrics_summary *out)
{
    *out = (struct ltk_metrics_summary){ 0, NAN, NAN, NAN, NAN, NAN, window_s };
    if (r >= LTK_RES_COUNT || !m->v[r])
        return;
    const double *ts = m->ts, *v = m->v[r];
    double sum = 0, wsum = 0;
    size_t j = 0, wn = 0;   /* the window: the samples with values from j to i */
    for (size_t i = 0; i < m->n; i++) {
        if (ts[i] < from || ts[i] > to || isnan(v[i]))
            continue;
        if (!out->n) {
            out->first = ts[i];
            out->max = v[i];
            j = i;
        }
        out->n++;
        out->last = ts[i];
        out->max = fmax(out->max, v[i]);
        sum += v[i];
        wsum += v[i];
        wn++;
        for (; ts[i] - ts[j] >= window_s; j++)   /* keep (ts[i] - window_s, ts[i]] */
            if (ts[j] >= from && !isnan(v[j])) {
                wsum -= v[j];
                wn--;
            }
        if (ts[i] - out->first >= window_s - 1 && wn && (isnan(out->window_max) || wsum / (double)wn > out->window_max))
            out->window_max = wsum / (double)wn;
    }
    if (out->n)
        out->mean = sum / (double)out->n;
}

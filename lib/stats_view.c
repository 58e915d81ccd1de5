/* Terminal, brief and JSON views of a run's endpoint statistics
 * (see ltk/stats_view.h). */
#include "ltk/stats_view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/json.h"
#include "ltk/num.h"
#include "strutil.h"

#define BOLD "\033[1m"
#define RED "\033[31m"
#define DIM "\033[2m"
#define RESET "\033[0m"

/* ---- the terminal table ------------------------------------------------- */

enum { C_TYPE, C_NAME, C_REQS, C_FAILS, C_P50, C_P95, C_P99, C_MEAN, C_MAX, C_RPS, C_N };

static const char *const headers[C_N] = {
    "Type", "Name", "Requests", "Failures", "p50", "p95", "p99", "Mean", "Max", "RPS",
};

struct cells {
    char *text[C_N];     /* terminal-safe cell texts */
};

static char *fmt_ms(double v)
{
    return isnan(v) ? ltk_strdup("-") : ltk_asprintf("%.0f", v);
}

static int make_cells(const struct ltk_run *run, const struct ltk_endpoint *e, struct cells *c)
{
    struct ltk_buf b;
    ltk_buf_init(&b);
    ltk_buf_put_terminal(&b, e->type);
    c->text[C_TYPE] = b.data ? b.data : ltk_strdup("");
    ltk_buf_init(&b);
    ltk_buf_put_terminal(&b, e->name);
    c->text[C_NAME] = b.data ? b.data : ltk_strdup("");
    c->text[C_REQS] = ltk_asprintf("%llu", (unsigned long long)e->requests);
    double ratio = ltk_endpoint_fail_ratio(e);
    c->text[C_FAILS] = isnan(ratio) ? ltk_asprintf("%llu", (unsigned long long)e->failures)
                                    : ltk_asprintf("%llu (%.2f%%)", (unsigned long long)e->failures,
                                                   100.0 * ratio);
    double p50 = ltk_endpoint_pct(run, e, 0.50);
    if (isnan(p50) && e->requests && run->stats_pct.n == 0)
        p50 = e->median;
    c->text[C_P50] = fmt_ms(p50);
    c->text[C_P95] = fmt_ms(ltk_endpoint_pct(run, e, 0.95));
    c->text[C_P99] = fmt_ms(ltk_endpoint_pct(run, e, 0.99));
    c->text[C_MEAN] = fmt_ms(e->requests ? e->mean : NAN);
    c->text[C_MAX] = fmt_ms(e->requests ? e->max : NAN);
    c->text[C_RPS] = isnan(e->rps) ? ltk_strdup("-") : ltk_asprintf("%.2f", e->rps);
    for (int i = 0; i < C_N; i++)
        if (!c->text[i])
            return LTK_ENOMEM;
    return LTK_OK;
}

static void free_cells(struct cells *c)
{
    for (int i = 0; i < C_N; i++)
        free(c->text[i]);
}

static void put_cell(struct ltk_buf *b, const char *text, size_t width, bool left, const char *color)
{
    size_t w = ltk_terminal_width(text);
    if (!left)
        ltk_buf_pad(b, ' ', width - w);
    if (color)
        ltk_buf_puts(b, color);
    ltk_buf_puts(b, text);
    if (color)
        ltk_buf_puts(b, RESET);
    if (left)
        ltk_buf_pad(b, ' ', width - w);
}

static void put_row(struct ltk_buf *b, const struct cells *c, const size_t *width, bool color,
                    bool bold, const struct ltk_endpoint *e)
{
    for (int i = 0; i < C_N; i++) {
        if (i)
            ltk_buf_puts(b, "  ");
        const char *col = NULL;
        if (color && bold)
            col = BOLD;
        if (color && i == C_FAILS && e && e->failures)
            col = RED;
        bool left = i == C_TYPE || i == C_NAME;
        put_cell(b, c->text[i], width[i], left, col);
    }
    /* no trailing spaces */
    while (b->len && b->data[b->len - 1] == ' ')
        b->data[--b->len] = '\0';
    ltk_buf_putc(b, '\n');
}

static void duration_text(int64_t secs, char *buf, size_t size)
{
    if (secs >= 3600)
        snprintf(buf, size, "%lldh%02lldm%02llds", (long long)(secs / 3600), (long long)(secs / 60 % 60),
                 (long long)(secs % 60));
    else
        snprintf(buf, size, "%lldm%02llds", (long long)(secs / 60), (long long)(secs % 60));
}

static void put_history_line(struct ltk_buf *b, const struct ltk_run *run)
{
    size_t ticks = 0;
    int64_t first = 0, last = 0, umax = 0;
    for (size_t i = 0; i < run->nhistory; i++) {
        const struct ltk_history_row *h = &run->history[i];
        if (!h->is_total)
            continue;
        if (!ticks)
            first = h->ts;
        last = h->ts;
        if (h->users > umax)
            umax = h->users;
        ticks++;
    }
    char dur[32];
    duration_text(last - first, dur, sizeof dur);
    ltk_buf_printf(b, "history: %zu ticks over %s, up to %lld users; %s\n", ticks, dur, (long long)umax,
                   run->history_full ? "per-endpoint rows, percentiles over Locust's ~10 s window"
                                     : "Aggregated rows only, percentiles cumulative over the run so far");
}

/* The most frequent failure, for the summary line. */
static const struct ltk_failure *top_failure(const struct ltk_run *run, uint64_t *total)
{
    const struct ltk_failure *top = NULL;
    *total = 0;
    for (size_t i = 0; i < run->nfailures; i++) {
        const struct ltk_failure *f = &run->failures[i];
        *total += f->occurrences;
        if (!top || f->occurrences > top->occurrences)
            top = f;
    }
    return top;
}

static void put_failure_text(struct ltk_buf *b, const struct ltk_failure *f, size_t max)
{
    char text[256];
    struct ltk_buf t;
    ltk_buf_init(&t);
    ltk_buf_put_terminal(&t, f->method);
    ltk_buf_putc(&t, ' ');
    ltk_buf_put_terminal(&t, f->name);
    ltk_buf_puts(&t, ": ");
    ltk_buf_put_terminal(&t, f->error);
    if (t.data && t.len > max && max + 4 < sizeof text) {
        size_t keep = max;
        while (keep > 1 && ((unsigned char)t.data[keep] & 0xC0) == 0x80)
            keep--;
        snprintf(text, sizeof text, "%.*s...", (int)keep, t.data);
        ltk_buf_puts(b, text);
    } else if (t.data) {
        ltk_buf_puts(b, t.data);
    }
    ltk_buf_release(&t);
}

static void put_failure_summary(struct ltk_buf *b, const struct ltk_run *run, bool color)
{
    uint64_t occ;
    const struct ltk_failure *top = top_failure(run, &occ);
    if (run->has_total) {
        const struct ltk_endpoint *t = &run->total;
        if (!t->failures) {
            ltk_buf_printf(b, "failures: none in %llu requests\n", (unsigned long long)t->requests);
            return;
        }
        ltk_buf_printf(b, "failures: %s%llu of %llu requests (%.2f%%)%s", color ? RED : "",
                       (unsigned long long)t->failures, (unsigned long long)t->requests,
                       100.0 * ltk_endpoint_fail_ratio(t), color ? RESET : "");
    } else if (run->source[LTK_SRC_FAILURES] && !run->nfailures) {
        ltk_buf_puts(b, "failures: none recorded\n");
        return;
    } else if (run->source[LTK_SRC_FAILURES]) {
        ltk_buf_printf(b, "failures: %llu occurrences", (unsigned long long)occ);
    } else {
        return;
    }
    if (top) {
        ltk_buf_printf(b, "; %zu distinct, most frequent (%llu): ", run->nfailures,
                       (unsigned long long)top->occurrences);
        put_failure_text(b, top, 120);
    }
    ltk_buf_putc(b, '\n');
}

static void put_failure_list(struct ltk_buf *b, const struct ltk_run *run)
{
    if (!run->nfailures)
        return;
    /* most frequent first; equal counts keep file order */
    size_t *order = malloc(run->nfailures * sizeof *order);
    if (!order) {
        b->failed = true;
        return;
    }
    for (size_t i = 0; i < run->nfailures; i++)
        order[i] = i;
    for (size_t i = 1; i < run->nfailures; i++) {
        size_t v = order[i], j = i;
        while (j > 0 && run->failures[order[j - 1]].occurrences < run->failures[v].occurrences) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
    ltk_buf_puts(b, "\n   Count  Failure\n");
    for (size_t i = 0; i < run->nfailures; i++) {
        const struct ltk_failure *f = &run->failures[order[i]];
        ltk_buf_printf(b, "%8llu  ", (unsigned long long)f->occurrences);
        put_failure_text(b, f, 200);
        ltk_buf_putc(b, '\n');
    }
    free(order);
}

int ltk_stats_write_table(FILE *out, const struct ltk_run *run, const struct ltk_view_opts *opts)
{
    static const struct ltk_view_opts defaults = { false, false };
    if (!opts)
        opts = &defaults;
    struct ltk_buf b;
    ltk_buf_init(&b);
    size_t nrows = run->nendpoints + (run->has_total ? 1 : 0);
    if (nrows) {
        struct cells *rows = calloc(nrows, sizeof *rows);
        if (!rows)
            return LTK_ENOMEM;
        size_t width[C_N];
        for (int i = 0; i < C_N; i++)
            width[i] = strlen(headers[i]);
        int rc = LTK_OK;
        for (size_t r = 0; r < nrows && rc == LTK_OK; r++) {
            const struct ltk_endpoint *e = r < run->nendpoints ? &run->endpoints[r] : &run->total;
            rc = make_cells(run, e, &rows[r]);
            for (int i = 0; i < C_N && rc == LTK_OK; i++) {
                size_t w = ltk_terminal_width(rows[r].text[i]);
                if (w > width[i])
                    width[i] = w;
            }
        }
        if (rc == LTK_OK) {
            struct cells head;
            for (int i = 0; i < C_N; i++)
                head.text[i] = (char *)headers[i];
            put_row(&b, &head, width, opts->color, true, NULL);
            for (size_t r = 0; r < nrows; r++) {
                const struct ltk_endpoint *e = r < run->nendpoints ? &run->endpoints[r] : &run->total;
                put_row(&b, &rows[r], width, opts->color, r == run->nendpoints, e);
            }
        }
        for (size_t r = 0; r < nrows; r++)
            free_cells(&rows[r]);
        free(rows);
        if (rc) {
            ltk_buf_release(&b);
            return rc;
        }
        ltk_buf_printf(&b, "%s%s%s\n", opts->color ? DIM : "",
                       run->endpoints_from_history
                           ? "times in ms; no stats.csv: counts, median, mean and max are the cumulative "
                             "values of the last stats_history tick, percentiles only when that file's are "
                             "whole-run ones, no RPS"
                           : "times in ms; percentiles as Locust reported them (response times bucketed to "
                             "2 significant digits); RPS = requests / test time",
                       opts->color ? RESET : "");
    }
    put_failure_summary(&b, run, opts->color);
    if (opts->list_failures)
        put_failure_list(&b, run);
    if (run->source[LTK_SRC_HISTORY])
        put_history_line(&b, run);
    if (run->nexceptions) {
        uint64_t n = 0;
        for (size_t i = 0; i < run->nexceptions; i++)
            n += run->exceptions[i].count;
        ltk_buf_printf(&b, "exceptions: %zu distinct, %llu occurrences (errors raised in the locustfile)\n",
                       run->nexceptions, (unsigned long long)n);
    } else if (run->source[LTK_SRC_EXCEPTIONS]) {
        ltk_buf_puts(&b, "exceptions: none\n");
    }
    return ltk_buf_flush(out, &b);
}

/* ---- the module's brief lines ------------------------------------------- */

static void put_brief_ms(struct ltk_buf *b, double v)
{
    if (isnan(v))
        ltk_buf_puts(b, " N/A");
    else
        ltk_buf_printf(b, "%4.0f", v);
}

static void put_brief_row(struct ltk_buf *b, const struct ltk_run *run, const struct ltk_endpoint *e)
{
    size_t w = ltk_terminal_width(e->name);
    ltk_buf_put_terminal(b, e->name);
    if (w < 15)
        ltk_buf_pad(b, ' ', 15 - w);
    ltk_buf_puts(b, " | p50: ");
    put_brief_ms(b, ltk_endpoint_pct(run, e, 0.50));
    ltk_buf_puts(b, "ms | p95: ");
    put_brief_ms(b, ltk_endpoint_pct(run, e, 0.95));
    ltk_buf_puts(b, "ms | p99: ");
    put_brief_ms(b, ltk_endpoint_pct(run, e, 0.99));
    if (isnan(e->rps))
        ltk_buf_puts(b, "ms | RPS:  N/A");
    else
        ltk_buf_printf(b, "ms | RPS: %4.1f", e->rps);
    double ratio = ltk_endpoint_fail_ratio(e);
    if (isnan(ratio))
        ltk_buf_puts(b, " | Errors: N/A\n");
    else
        ltk_buf_printf(b, " | Errors: %.1f%%\n", 100.0 * ratio);
}

int ltk_stats_write_brief(FILE *out, const struct ltk_run *run)
{
    struct ltk_buf b;
    ltk_buf_init(&b);
    for (size_t i = 0; i < run->nendpoints; i++)
        put_brief_row(&b, run, &run->endpoints[i]);
    if (run->has_total)
        put_brief_row(&b, run, &run->total);
    return ltk_buf_flush(out, &b);
}

/* ---- JSON ---------------------------------------------------------------- */

static bool add(cJSON *obj, const char *key, cJSON *item)
{
    if (!item)
        return false;
    if (!cJSON_AddItemToObject(obj, key, item)) {
        cJSON_Delete(item);
        return false;
    }
    return true;
}

static bool add_num(cJSON *obj, const char *key, double v)
{
    return add(obj, key, ltk_json_number(v));
}

static bool add_str(cJSON *obj, const char *key, const char *s)
{
    return add(obj, key, s ? cJSON_CreateString(s) : cJSON_CreateNull());
}

static cJSON *endpoint_json(const struct ltk_run *run, const struct ltk_endpoint *e)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    bool ok = add_str(o, "type", e->type[0] ? e->type : NULL) && add_str(o, "name", e->name) &&
              add_num(o, "requests", (double)e->requests) && add_num(o, "failures", (double)e->failures) &&
              add_num(o, "rps", e->rps) && add_num(o, "failures_per_s", e->fail_per_s) &&
              add_num(o, "mean", e->mean) && add_num(o, "min", e->min) && add_num(o, "max", e->max) &&
              add_num(o, "median", e->median) && add_num(o, "avg_content_size", e->avg_size);
    cJSON *p = ok ? cJSON_CreateObject() : NULL;
    ok = ok && add(o, "percentiles", p);
    for (size_t k = 0; ok && k < run->stats_pct.n; k++)
        ok = add_num(p, run->stats_pct.label[k], e->pct ? e->pct[k] : NAN);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *sources_json(const struct ltk_run *run)
{
    cJSON *o = cJSON_CreateObject();
    for (int k = 0; o && k < LTK_SRC_COUNT; k++) {
        if (!add_str(o, ltk_source_name(k), run->source[k])) {
            cJSON_Delete(o);
            return NULL;
        }
    }
    return o;
}

static cJSON *failures_json(const struct ltk_run *run)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < run->nfailures; i++) {
        const struct ltk_failure *f = &run->failures[i];
        cJSON *o = cJSON_CreateObject();
        bool ok = o && add_str(o, "method", f->method) && add_str(o, "name", f->name) &&
                  add_str(o, "error", f->error) && add_num(o, "occurrences", (double)f->occurrences) &&
                  add_str(o, "first_seen", f->first_seen) && add_str(o, "last_seen", f->last_seen);
        if (!ok || !cJSON_AddItemToArray(a, o)) {
            cJSON_Delete(o);
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

static cJSON *exceptions_json(const struct ltk_run *run)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < run->nexceptions; i++) {
        const struct ltk_exception *x = &run->exceptions[i];
        cJSON *o = cJSON_CreateObject();
        bool ok = o && add_num(o, "count", (double)x->count) && add_str(o, "message", x->message) &&
                  add_str(o, "traceback", x->traceback) && add_str(o, "nodes", x->nodes);
        if (!ok || !cJSON_AddItemToArray(a, o)) {
            cJSON_Delete(o);
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

static cJSON *history_json(const struct ltk_run *run)
{
    if (!run->source[LTK_SRC_HISTORY])
        return cJSON_CreateNull();
    size_t ticks = 0;
    int64_t first = 0, last = 0, umax = 0;
    for (size_t i = 0; i < run->nhistory; i++) {
        const struct ltk_history_row *h = &run->history[i];
        if (!h->is_total)
            continue;
        if (!ticks)
            first = h->ts;
        last = h->ts;
        if (h->users > umax)
            umax = h->users;
        ticks++;
    }
    cJSON *o = cJSON_CreateObject();
    bool ok = o && add_num(o, "rows", (double)run->nhistory) && add_num(o, "ticks", (double)ticks) &&
              add(o, "start", ticks ? ltk_json_number((double)first) : cJSON_CreateNull()) &&
              add(o, "end", ticks ? ltk_json_number((double)last) : cJSON_CreateNull()) &&
              add_num(o, "max_users", (double)umax) && add(o, "per_endpoint", cJSON_CreateBool(run->history_full)) &&
              add_str(o, "percentiles",
                      run->history_pct_kind == LTK_HPCT_WINDOW ? "window_10s" : "cumulative") &&
              add_num(o, "resets", (double)run->history_resets);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *ltk_stats_to_json(const struct ltk_run *run)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return NULL;
    bool ok = add_str(doc, "schema", "ltk.stats/1") && add_str(doc, "method", "reported") &&
              add_str(doc, "table_from", run->endpoints_from_history ? "stats_history" : "stats") &&
              add_str(doc, "run", run->label) && add(doc, "sources", sources_json(run));
    cJSON *eps = ok ? cJSON_CreateArray() : NULL;
    ok = ok && add(doc, "endpoints", eps);
    for (size_t i = 0; ok && i < run->nendpoints; i++) {
        cJSON *e = endpoint_json(run, &run->endpoints[i]);
        ok = e && cJSON_AddItemToArray(eps, e);
        if (!ok)
            cJSON_Delete(e);
    }
    ok = ok && add(doc, "total", run->has_total ? endpoint_json(run, &run->total) : cJSON_CreateNull()) &&
         add(doc, "errors", failures_json(run)) && add(doc, "exceptions", exceptions_json(run)) &&
         add(doc, "history", history_json(run));
    cJSON *w = ok ? cJSON_CreateArray() : NULL;
    ok = ok && add(doc, "warnings", w);
    for (size_t i = 0; ok && i < run->nwarnings; i++) {
        cJSON *s = cJSON_CreateString(run->warnings[i]);
        ok = s && cJSON_AddItemToArray(w, s);
        if (!ok)
            cJSON_Delete(s);
    }
    if (!ok) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

/* Terminal, brief and JSON views of a run's endpoint statistics
 * (see ltk/render/stats_view.h). */
#include "ltk/render/stats_view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/analyze/latency.h"
#include "ltk/base/json.h"
#include "ltk/read/locust_json.h"
#include "ltk/base/num.h"
#include "base/strutil.h"

#define BOLD "\033[1m"
#define RED "\033[31m"
#define DIM "\033[2m"
#define RESET "\033[0m"

/* ---- the terminal table ------------------------------------------------- */

/* Columns: Type, Name, Requests, Failures, one per percentile (p50, p95, p99
 * unless the options name others), Mean, Max, RPS. */
enum { C_TYPE, C_NAME, C_REQS, C_FAILS, C_PCT };
#define C_MAX_PCT LTK_VIEW_MAX_PCT
#define C_N (C_PCT + C_MAX_PCT + 3)

static const double default_q[] = { 0.50, 0.95, 0.99 };
static const char *const default_label[] = { "50", "95", "99" };

static char *ms_text(double v)
{
    return v >= 1000 && fmod(v, 1000) == 0 ? ltk_asprintf("%gs", v / 1000) : ltk_asprintf("%gms", v);
}

/* The percentile columns of a table. */
struct pcols {
    const double *q;
    const char *const *label;
    size_t n;
};

static struct pcols pcols_of(const struct ltk_view_opts *o)
{
    if (o && o->npct && o->pct && o->pct_label)
        return (struct pcols){ o->pct, o->pct_label, o->npct > C_MAX_PCT ? C_MAX_PCT : o->npct };
    return (struct pcols){ default_q, default_label, 3 };
}

struct cells {
    char *text[C_N];     /* terminal-safe cell texts */
    size_t n;            /* columns used */
};

static char *fmt_ms(double v)
{
    return isnan(v) ? ltk_strdup("-") : ltk_asprintf("%.0f", v);
}

static int make_cells(const struct ltk_run *run, const struct ltk_endpoint *e, const struct pcols *pc,
                      struct cells *c)
{
    c->n = C_PCT + pc->n + 3;
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
    for (size_t k = 0; k < pc->n; k++) {
        double v = ltk_endpoint_pct(run, e, pc->q[k]);
        if (pc->q[k] == 0.5 && isnan(v) && e->requests && run->stats_pct.n == 0)
            v = e->median;
        c->text[C_PCT + k] = fmt_ms(v);
    }
    size_t m = C_PCT + pc->n;
    c->text[m] = fmt_ms(e->requests ? e->mean : NAN);
    c->text[m + 1] = fmt_ms(e->requests ? e->max : NAN);
    c->text[m + 2] = isnan(e->rps) ? ltk_strdup("-") : ltk_asprintf("%.2f", e->rps);
    for (size_t i = 0; i < c->n; i++)
        if (!c->text[i])
            return LTK_ENOMEM;
    return LTK_OK;
}

static void free_cells(struct cells *c)
{
    for (size_t i = 0; i < C_N; i++)
        free(c->text[i]);
}

/* Widest Type and Name columns: a longer text overflows its column, so one
 * 1 MiB name cannot pad every other row to 1 MiB (a 1 MB file made a 1 GB
 * table before). */
enum { MAX_TYPE_WIDTH = 12, MAX_NAME_WIDTH = 60 };

static void put_cell(struct ltk_buf *b, const char *text, size_t width, bool left, const char *color)
{
    size_t w = ltk_terminal_width(text);
    size_t pad = w < width ? width - w : 0;
    if (!left)
        ltk_buf_pad(b, ' ', pad);
    if (color)
        ltk_buf_puts(b, color);
    ltk_buf_puts(b, text);
    if (color)
        ltk_buf_puts(b, RESET);
    if (left)
        ltk_buf_pad(b, ' ', pad);
}

static void put_row(struct ltk_buf *b, const struct cells *c, const size_t *width, bool color,
                    bool bold, const struct ltk_endpoint *e)
{
    for (size_t i = 0; i < c->n; i++) {
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

/* The span of the history: Aggregated ticks, first and last second, peak users. */
struct history_span {
    size_t ticks;
    int64_t first, last, max_users;
};

static struct history_span history_span(const struct ltk_run *run)
{
    struct history_span sp = { 0, 0, 0, 0 };
    for (size_t i = 0; i < run->nhistory; i++) {
        const struct ltk_history_row *h = &run->history[i];
        if (!h->is_total)
            continue;
        if (!sp.ticks)
            sp.first = h->ts;
        sp.last = h->ts;
        if (h->users > sp.max_users)
            sp.max_users = h->users;
        sp.ticks++;
    }
    return sp;
}

static void put_history_line(struct ltk_buf *b, const struct ltk_run *run)
{
    struct history_span sp = history_span(run);
    char dur[32];
    duration_text(sp.last - sp.first, dur, sizeof dur);
    if (run->raw_source && ltk_run_from_locust_json(run)) {
        ltk_buf_printf(b, "history: %zu seconds over %s from Locust's requests and failures per second; "
                          "per-endpoint rows, no response times per second in the file\n",
                       sp.ticks, dur);
        return;
    }
    if (run->raw_source) {
        ltk_buf_printf(b, "history: %zu intervals of %llds over %s from the request log; per-endpoint rows, "
                          "percentiles per interval\n",
                       sp.ticks, (long long)run->history_window_s, dur);
        if (run->users_derived) {
            ltk_buf_puts(b, "users: none in the log or beside it; derived from its ");
            ltk_buf_put_terminal(b, run->users_source);
            ltk_buf_printf(b, ": up to %lld\n", (long long)sp.max_users);
        } else if (run->users_source) {
            ltk_buf_printf(b, "users: up to %lld, from ", (long long)sp.max_users);
            ltk_buf_put_terminal(b, run->users_source);
            ltk_buf_putc(b, '\n');
        }
        return;
    }
    ltk_buf_printf(b, "history: %zu ticks over %s, up to %lld users; %s\n", sp.ticks, dur,
                   (long long)sp.max_users,
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
    if (f->method[0])
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

struct failure_rank {
    uint64_t occurrences;
    size_t index;        /* file order, to break ties */
};

static int cmp_failure_rank(const void *a, const void *b)
{
    const struct failure_rank *x = a, *y = b;
    if (x->occurrences != y->occurrences)
        return x->occurrences < y->occurrences ? 1 : -1;
    return (x->index > y->index) - (x->index < y->index);
}

static void put_failure_list(struct ltk_buf *b, const struct ltk_run *run)
{
    if (!run->nfailures)
        return;
    /* most frequent first; equal counts keep file order.  qsort, not an
     * insertion sort: errors that embed ids give 100 000 distinct rows
     * (3.4 s before) */
    struct failure_rank *rank = malloc(run->nfailures * sizeof *rank);
    if (!rank) {
        b->failed = true;
        return;
    }
    for (size_t i = 0; i < run->nfailures; i++)
        rank[i] = (struct failure_rank){ run->failures[i].occurrences, i };
    qsort(rank, run->nfailures, sizeof *rank, cmp_failure_rank);
    ltk_buf_puts(b, "\n   Count  Failure\n");
    for (size_t i = 0; i < run->nfailures; i++) {
        const struct ltk_failure *f = &run->failures[rank[i].index];
        ltk_buf_printf(b, "%8llu  ", (unsigned long long)f->occurrences);
        put_failure_text(b, f, 200);
        ltk_buf_putc(b, '\n');
    }
    free(rank);
}


/* ---- the sections: status codes, success-only latency, Apdex, ranges ---- */

/* A plain table of terminal-safe text cells, printed with aligned columns:
 * the first two (Type, Name) left, the others right. */
struct gtable {
    size_t ncols, n, cap;   /* n cells so far, row after row */
    char **cell;
    bool failed;
};

static void gt_cell(struct gtable *t, char *text)
{
    if (!text || t->failed) {
        free(text);
        t->failed = true;
        return;
    }
    if (t->n == t->cap) {
        size_t ncap = t->cap ? 2 * t->cap : 64;
        char **nc = realloc(t->cell, ncap * sizeof *nc);
        if (!nc) {
            free(text);
            t->failed = true;
            return;
        }
        t->cell = nc;
        t->cap = ncap;
    }
    t->cell[t->n++] = text;
}

static char *terminal_text(const char *s)
{
    struct ltk_buf b;
    ltk_buf_init(&b);
    ltk_buf_put_terminal(&b, s);
    return b.failed ? NULL : b.data ? b.data : ltk_strdup("");
}

/* The Type and Name cells of a row. */
static void gt_names(struct gtable *t, const struct ltk_endpoint *e)
{
    gt_cell(t, terminal_text(e->type));
    gt_cell(t, terminal_text(e->name));
}

static void gt_put(struct ltk_buf *b, struct gtable *t, bool color)
{
    if (t->failed) {
        b->failed = true;
    } else {
        size_t nrows = t->n / t->ncols;
        size_t *w = calloc(t->ncols, sizeof *w);
        if (!w) {
            b->failed = true;
        } else {
            for (size_t i = 0; i < t->n; i++) {
                size_t x = ltk_terminal_width(t->cell[i]);
                if (x > w[i % t->ncols])
                    w[i % t->ncols] = x;
            }
            if (w[0] > MAX_TYPE_WIDTH)
                w[0] = MAX_TYPE_WIDTH;
            if (w[1] > MAX_NAME_WIDTH)
                w[1] = MAX_NAME_WIDTH;
            for (size_t r = 0; r < nrows; r++) {
                bool bold = color && (r == 0 || r + 1 == nrows);
                for (size_t c = 0; c < t->ncols; c++) {
                    if (c)
                        ltk_buf_puts(b, "  ");
                    put_cell(b, t->cell[r * t->ncols + c], w[c], c < 2, bold ? BOLD : NULL);
                }
                while (b->len && b->data[b->len - 1] == ' ')
                    b->data[--b->len] = '\0';
                ltk_buf_putc(b, '\n');
            }
            free(w);
        }
    }
    for (size_t i = 0; i < t->n; i++)
        free(t->cell[i]);
    free(t->cell);
    memset(t, 0, sizeof *t);
}

static const struct ltk_endpoint *row_endpoint(const struct ltk_run *run, size_t r)
{
    return r < run->nendpoints ? &run->endpoints[r] : &run->total;
}

static size_t row_count(const struct ltk_run *run)
{
    return run->nendpoints + (run->has_total ? 1 : 0);
}

uint64_t ltk_view_status_none(const struct ltk_endpoint *e)
{
    uint64_t with = ltk_status_total(&e->status);
    return e->requests > with ? e->requests - with : 0;
}

static void put_status_section(struct ltk_buf *b, const struct ltk_run *run, bool color)
{
    uint64_t any = 0, inferred = 0;
    for (size_t r = 0; r < run->nendpoints; r++) {
        any += ltk_status_total(&run->endpoints[r].status);
        inferred += ltk_status_total_inferred(&run->endpoints[r].status);
    }
    ltk_buf_puts(b, "\nHTTP status codes\n");
    if (!any) {
        char *why = ltk_view_status_missing(run);
        ltk_buf_printf(b, "%s\n", why ? why : "out of memory");
        free(why);
        return;
    }
    struct gtable t = { .ncols = 9 };
    static const char *const head[] = { "Type", "Name", "2xx", "3xx", "4xx", "5xx", "other", "none", "Codes" };
    for (size_t c = 0; c < 9; c++)
        gt_cell(&t, ltk_strdup(head[c]));
    for (size_t r = 0; r < row_count(run); r++) {
        const struct ltk_endpoint *e = row_endpoint(run, r);
        gt_names(&t, e);
        for (int k = 0; k < LTK_SC_N; k++)
            gt_cell(&t, ltk_asprintf("%llu", (unsigned long long)ltk_status_count_of(&e->status, k, true)));
        gt_cell(&t, ltk_asprintf("%llu", (unsigned long long)ltk_view_status_none(e)));
        struct ltk_buf codes;
        ltk_buf_init(&codes);
        for (size_t k = 0; k < e->status.n; k++) {
            const struct ltk_status_count *sc = &e->status.v[k];
            ltk_buf_printf(&codes, "%s%d: %llu%s", k ? ", " : "", sc->code,
                           (unsigned long long)(sc->read + sc->inferred), sc->inferred ? "*" : "");
        }
        gt_cell(&t, codes.failed ? NULL : codes.data ? codes.data : ltk_strdup("-"));
    }
    gt_put(b, &t, color);
    ltk_buf_printf(b, "%s%s%s%s\n", color ? DIM : "", ltk_view_status_source(run),
                   inferred ? "; * inferred from failure texts (HTTPError('503 ...'), 'HTTP 429: ...')" : "",
                   color ? RESET : "");
    ltk_buf_printf(b, "%s%s%s\n", color ? DIM : "", ltk_view_status_classes_note, color ? RESET : "");
}

const char *const ltk_view_status_classes_note =
    "none: requests with no code (successes without a status column, failures whose text names none); other: "
    "no HTTP response (0), 1xx, 600 and above";

char *ltk_view_status_missing(const struct ltk_run *run)
{
    if (run->selection.window && !run->raw_source)
        return ltk_strdup("none in the window: Locust's codes are in its failures' texts, which have no time, so "
                          "a time window leaves them out");
    if (!run->selection.window || !(run->nstatus_ticks || run->status_read))
        return ltk_strdup("none in this input: no status column, and no code in the failures' texts");
    uint64_t n[LTK_SC_N] = { 0 };
    for (size_t i = 0; i < run->nstatus_ticks; i++)
        for (int k = 0; k < LTK_SC_N; k++)
            n[k] += run->status_ticks[i].n[k];
    struct ltk_buf b;
    ltk_buf_init(&b);
    ltk_buf_puts(&b, "left out of the table by the time window: codes are counted per endpoint for the whole "
                     "run only; in the window, all endpoints together, by class:");
    for (int k = 0; k < LTK_SC_N; k++)
        ltk_buf_printf(&b, "%s %s %llu", k ? "," : "", ltk_status_class_name((enum ltk_status_class)k),
                       (unsigned long long)n[k]);
    if (b.failed) {
        free(b.data);
        return NULL;
    }
    return b.data;
}

const char *ltk_view_status_source(const struct ltk_run *run)
{
    return run->status_read ? "codes read from the log's status column"
                            : "no status column: codes only of failures, from their texts";
}

char *ltk_view_share_text(struct ltk_share s, double scale, int decimals)
{
    if (isnan(s.lo))
        return ltk_strdup("-");
    char a[32], c[32];
    snprintf(a, sizeof a, "%.*f", decimals, s.lo * scale);
    snprintf(c, sizeof c, "%.*f", decimals, s.hi * scale);
    return strcmp(a, c) == 0 ? ltk_strdup(a) : ltk_asprintf("%s-%s", a, c);
}

enum ltk_le_basis ltk_view_worse_basis(enum ltk_le_basis worst, const struct ltk_endpoint *e, struct ltk_share s)
{
    return e->requests && (s.basis > worst || s.basis == LTK_LE_NONE) ? s.basis : worst;
}

char *ltk_view_range_label(const double *cuts, size_t n, size_t k)
{
    if (k > n)
        return ltk_strdup("failed");
    char *lo = k ? ms_text(cuts[k - 1]) : NULL, *hi = k < n ? ms_text(cuts[k]) : NULL;
    char *s = !k ? ltk_asprintf("<=%s", hi ? hi : "") : k == n ? ltk_asprintf(">%s", lo ? lo : "")
                                                               : ltk_asprintf("%s-%s", lo ? lo : "", hi ? hi : "");
    free(lo);
    free(hi);
    return s;
}

const char *ltk_view_basis_note(enum ltk_le_basis worst, const struct ltk_run *run)
{
    switch (worst) {
    case LTK_LE_COUNTED: return "exact: each request compared with the times while the log was read";
    case LTK_LE_OK_HIST:
        return run->raw_method == LTK_HIST_EXACT ? "exact: from every successful request's time"
               : run->raw_method == LTK_HIST_HDR
                   ? "from the successes' hdr histogram: a range A-B where the bucket holding a time (at most "
                     "1/1024 of it wide) leaves it open"
                   : "from the successes' Locust-rounded times: a range A-B where rounding leaves it open";
    case LTK_LE_ALL_HIST:
        return "bounded from the histogram of all requests (this summary keeps no successes' histogram): "
               "failures could be anywhere";
    case LTK_LE_PCT:
        return "bounded from Locust's percentile columns (A-B): a column q of value v says more than "
               "floor(N*q) requests took at most v plus half a rounding step, and at most floor(N*q) less than "
               "v; failures could be anywhere";
    case LTK_LE_NONE: return "no response-time distribution in this input";
    }
    return "";
}

/* The successful requests' percentiles: the same columns as the table
 * above (pcols: --percentiles, else p50, p95, p99), mean and max. */
static void put_ok_section(struct ltk_buf *b, const struct ltk_run *run, const struct ltk_view_opts *o)
{
    bool color = o->color;
    ltk_buf_puts(b, "\nSuccessful requests only\n");
    if (!run->has_total || !run->total.ok_hist) {
        ltk_buf_puts(b, "not in this input: it holds all requests' percentiles only (Locust's CSV and JSON, "
                        "ltk.summary/1); a raw request log has them\n");
        return;
    }
    struct pcols pc = pcols_of(o);
    struct gtable t = { .ncols = pc.n + 5 };
    gt_cell(&t, ltk_strdup("Type"));
    gt_cell(&t, ltk_strdup("Name"));
    gt_cell(&t, ltk_strdup("OK"));
    for (size_t c = 0; c < pc.n; c++)
        gt_cell(&t, ltk_asprintf("p%s", pc.label[c]));
    gt_cell(&t, ltk_strdup("Mean"));
    gt_cell(&t, ltk_strdup("Max"));
    for (size_t r = 0; r < row_count(run); r++) {
        const struct ltk_endpoint *e = row_endpoint(run, r);
        gt_names(&t, e);
        gt_cell(&t, ltk_asprintf("%llu", (unsigned long long)(e->ok_hist ? ltk_hist_count(e->ok_hist) : 0)));
        for (size_t c = 0; c < pc.n; c++)
            gt_cell(&t, fmt_ms(ltk_ok_quantile(e, pc.q[c])));
        gt_cell(&t, fmt_ms(ltk_ok_mean(e)));
        gt_cell(&t, fmt_ms(e->ok_hist ? ltk_hist_max(e->ok_hist) : NAN));
    }
    gt_put(b, &t, color);
    ltk_buf_printf(b, "%sthe same percentiles (--method) over the successful requests alone: failed ones, "
                      "timeouts among them, left out%s\n",
                   color ? DIM : "", color ? RESET : "");
}

static void put_apdex_section(struct ltk_buf *b, const struct ltk_run *run, double t_ms, bool color)
{
    ltk_buf_printf(b, "\nApdex (T = %g ms: satisfied <= %g ms, tolerating <= %g ms, frustrated above or "
                      "failed)\n",
                   t_ms, t_ms, LTK_APDEX_TOLERATING * t_ms);
    struct gtable t = { .ncols = 3 };
    gt_cell(&t, ltk_strdup("Type"));
    gt_cell(&t, ltk_strdup("Name"));
    gt_cell(&t, ltk_strdup("Apdex"));
    enum ltk_le_basis worst = LTK_LE_COUNTED;
    for (size_t r = 0; r < row_count(run); r++) {
        const struct ltk_endpoint *e = row_endpoint(run, r);
        struct ltk_share s = ltk_apdex(run, e, t_ms);
        worst = ltk_view_worse_basis(worst, e, s);
        gt_names(&t, e);
        gt_cell(&t, ltk_view_share_text(s, 1, 3));
    }
    gt_put(b, &t, color);
    ltk_buf_printf(b, "%sApdex = (satisfied + tolerating / 2) / requests; %s%s\n", color ? DIM : "",
                   ltk_view_basis_note(worst, run), color ? RESET : "");
}

static void put_ranges_section(struct ltk_buf *b, const struct ltk_run *run, const double *cuts, size_t n,
                               bool color)
{
    ltk_buf_puts(b, "\nResponse-time ranges (share of all requests)\n");
    struct ltk_share *sh = malloc((n + 2) * sizeof *sh);
    if (!sh) {
        b->failed = true;
        return;
    }
    struct gtable t = { .ncols = n + 4 };
    gt_cell(&t, ltk_strdup("Type"));
    gt_cell(&t, ltk_strdup("Name"));
    for (size_t k = 0; k <= n + 1; k++)
        gt_cell(&t, ltk_view_range_label(cuts, n, k));
    enum ltk_le_basis worst = LTK_LE_COUNTED;
    for (size_t r = 0; r < row_count(run); r++) {
        const struct ltk_endpoint *e = row_endpoint(run, r);
        ltk_ranges(run, e, cuts, n, sh);
        worst = ltk_view_worse_basis(worst, e, sh[0]);
        gt_names(&t, e);
        for (size_t k = 0; k < n + 2; k++) {
            char *x = ltk_view_share_text(sh[k], 100, 1);
            gt_cell(&t, x && strcmp(x, "-") ? ltk_asprintf("%s%%", x) : ltk_strdup("-"));
            free(x);
        }
    }
    free(sh);
    gt_put(b, &t, color);
    ltk_buf_printf(b, "%ssuccessful requests at or under each time, over the one before; failed ones apart; "
                      "%s%s\n",
                   color ? DIM : "", ltk_view_basis_note(worst, run), color ? RESET : "");
}

/* ---- latency, connect and TLS times (raw logs that have them) ---------- */

static const char *const timing_title[LTK_TIMING_N] = {
    "Latency (time to the first byte of the response)",
    "Connect (opening the TCP connection; 0 when one was reused)",
    "TLS handshake",
};

/* A table per kind of timing the run has: requests that gave one, the
 * table's percentiles (pcols), mean and max, per endpoint and in total. */
static void put_timing_sections(struct ltk_buf *b, const struct ltk_run *run, const struct ltk_view_opts *o)
{
    struct pcols pc = pcols_of(o);
    for (int k = 0; k < LTK_TIMING_N; k++) {
        if (!ltk_run_has_timing(run, k))
            continue;
        ltk_buf_printf(b, "\n%s\n", timing_title[k]);
        struct gtable t = { .ncols = pc.n + 5 };
        gt_cell(&t, ltk_strdup("Type"));
        gt_cell(&t, ltk_strdup("Name"));
        gt_cell(&t, ltk_strdup("With"));
        for (size_t c = 0; c < pc.n; c++)
            gt_cell(&t, ltk_asprintf("p%s", pc.label[c]));
        gt_cell(&t, ltk_strdup("Mean"));
        gt_cell(&t, ltk_strdup("Max"));
        for (size_t r = 0; r < row_count(run); r++) {
            const struct ltk_endpoint *e = row_endpoint(run, r);
            const struct ltk_hist *h = e->timing[k];
            gt_names(&t, e);
            gt_cell(&t, ltk_asprintf("%llu", (unsigned long long)(h ? ltk_hist_count(h) : 0)));
            for (size_t c = 0; c < pc.n; c++)
                gt_cell(&t, fmt_ms(h ? ltk_hist_quantile(h, pc.q[c]) : NAN));
            gt_cell(&t, fmt_ms(h ? ltk_hist_mean(h) : NAN));
            gt_cell(&t, fmt_ms(h ? ltk_hist_max(h) : NAN));
        }
        gt_put(b, &t, o->color);
        ltk_buf_printf(b, "%sfrom ", o->color ? DIM : "");
        ltk_buf_put_terminal(b, run->timing_from[k] ? run->timing_from[k] : "the input");
        ltk_buf_printf(b, "; With = requests that gave one; percentiles by the same method (--method) as the "
                          "response times%s\n",
                       o->color ? RESET : "");
    }
}

/* "not read from the log: columns ...; metrics ...": what a raw log holds
 * that ltk does not use. */
static void put_ignored_line(struct ltk_buf *b, const struct ltk_run *run)
{
    if (!run->nignored_columns && !run->nignored_metrics)
        return;
    ltk_buf_puts(b, "not read from the log:");
    if (run->nignored_columns) {
        ltk_buf_puts(b, " columns ");
        for (size_t i = 0; i < run->nignored_columns; i++) {
            if (i)
                ltk_buf_puts(b, ", ");
            ltk_buf_put_terminal(b, run->ignored_columns[i]);
        }
    }
    if (run->nignored_metrics) {
        ltk_buf_puts(b, run->nignored_columns ? "; metrics " : " metrics ");
        for (size_t i = 0; i < run->nignored_metrics; i++) {
            if (i)
                ltk_buf_puts(b, ", ");
            ltk_buf_put_terminal(b, run->ignored_metrics[i]);
        }
    }
    ltk_buf_puts(b, run->ignored_more ? " and more\n" : "\n");
}

static void put_sections(struct ltk_buf *b, const struct ltk_run *run, const struct ltk_view_opts *o)
{
    if (!row_count(run))
        return;
    if (o->status)
        put_status_section(b, run, o->color);
    if (o->ok)
        put_ok_section(b, run, o);
    if (o->apdex_t_ms > 0)
        put_apdex_section(b, run, o->apdex_t_ms, o->color);
    if (o->nranges)
        put_ranges_section(b, run, o->ranges, o->nranges, o->color);
    put_timing_sections(b, run, o);
}

/* A line for each percentile column the input does not hold (Locust's CSV
 * has a fixed set): which, and the ones it has. */
static void put_missing_pct(struct ltk_buf *b, const struct ltk_run *run, const struct pcols *pc, size_t asked)
{
    if (asked > pc->n)
        ltk_buf_printf(b, "the table shows the first %zu of the %zu percentiles asked for; --json has all\n", pc->n,
                       asked);
    for (size_t k = 0; k < pc->n; k++) {
        bool have = false;
        for (size_t j = 0; j < run->stats_pct.n && !have; j++)
            have = fabs(run->stats_pct.q[j] - pc->q[k]) < 1e-9;
        if (have || (pc->q[k] == 0.5 && run->stats_pct.n == 0))
            continue;
        ltk_buf_printf(b, "p%s: not in this input", pc->label[k]);
        if (run->stats_pct.n) {
            ltk_buf_puts(b, " (it has ");
            for (size_t j = 0; j < run->stats_pct.n; j++)
                ltk_buf_printf(b, "%s%s", j ? ", " : "", run->stats_pct.label[j]);
            ltk_buf_puts(b, run->raw_source ? "; give it to --percentiles)" : ")");
        }
        ltk_buf_putc(b, '\n');
    }
}

int ltk_stats_write_table(FILE *out, const struct ltk_run *run, const struct ltk_view_opts *opts)
{
    static const struct ltk_view_opts defaults = { .color = false };
    if (!opts)
        opts = &defaults;
    struct ltk_buf b;
    ltk_buf_init(&b);
    size_t nrows = run->nendpoints + (run->has_total ? 1 : 0);
    if (nrows) {
        struct cells *rows = calloc(nrows, sizeof *rows);
        if (!rows)
            return LTK_ENOMEM;
        struct pcols pc = pcols_of(opts);
        struct cells head = { .n = C_PCT + pc.n + 3 };
        char hbuf[C_MAX_PCT][40];
        static const char *const fixed[] = { "Type", "Name", "Requests", "Failures" };
        for (size_t i = 0; i < C_PCT; i++)
            head.text[i] = (char *)fixed[i];
        for (size_t k = 0; k < pc.n; k++) {
            snprintf(hbuf[k], sizeof hbuf[k], "p%s", pc.label[k]);
            head.text[C_PCT + k] = hbuf[k];
        }
        head.text[C_PCT + pc.n] = (char *)"Mean";
        head.text[C_PCT + pc.n + 1] = (char *)"Max";
        head.text[C_PCT + pc.n + 2] = (char *)"RPS";
        size_t width[C_N];
        for (size_t i = 0; i < head.n; i++)
            width[i] = strlen(head.text[i]);
        int rc = LTK_OK;
        for (size_t r = 0; r < nrows && rc == LTK_OK; r++) {
            const struct ltk_endpoint *e = r < run->nendpoints ? &run->endpoints[r] : &run->total;
            rc = make_cells(run, e, &pc, &rows[r]);
            for (size_t i = 0; i < head.n && rc == LTK_OK; i++) {
                size_t w = ltk_terminal_width(rows[r].text[i]);
                if (w > width[i])
                    width[i] = w;
            }
        }
        if (width[C_TYPE] > MAX_TYPE_WIDTH)
            width[C_TYPE] = MAX_TYPE_WIDTH;
        if (width[C_NAME] > MAX_NAME_WIDTH)
            width[C_NAME] = MAX_NAME_WIDTH;
        if (rc == LTK_OK) {
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
        char *raw_note = run->raw_source ? ltk_stats_method_note(run) : NULL;
        ltk_buf_printf(&b, "%s%s%s\n", opts->color ? DIM : "",
                       raw_note ? raw_note
                       : run->endpoints_from_history
                           ? "times in ms; no stats.csv: counts, median, mean and max are the cumulative "
                             "values of the last stats_history tick, percentiles only when that file's are "
                             "whole-run ones, no RPS"
                           : "times in ms; percentiles as Locust reported them (response times bucketed to "
                             "2 significant digits); RPS = requests / test time",
                       opts->color ? RESET : "");
        free(raw_note);
        if (opts->npct)
            put_missing_pct(&b, run, &pc, opts->npct);
    }
    put_sections(&b, run, opts);
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
    put_ignored_line(&b, run);
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

static void share_json(struct ltk_jb *b, cJSON *o, struct ltk_share s)
{
    ltk_jb_num(b, o, "lo", s.lo);
    ltk_jb_num(b, o, "hi", s.hi);
    ltk_jb_str(b, o, "basis", ltk_le_basis_name(s.basis));
}

/* The fields of --status, --ok, --apdex-t and --ranges of one endpoint. */
static void extra_json(struct ltk_jb *b, cJSON *o, const struct ltk_run *run, const struct ltk_endpoint *e,
                       const struct ltk_view_opts *opts)
{
    if (opts->status) {
        cJSON *st = ltk_jb_obj(b, o, "status");
        cJSON *codes = ltk_jb_obj(b, st, "codes");
        for (size_t k = 0; k < e->status.n; k++) {
            char key[8];
            snprintf(key, sizeof key, "%d", e->status.v[k].code);
            cJSON *c = ltk_jb_obj(b, codes, key);
            ltk_jb_num(b, c, "read", (double)e->status.v[k].read);
            ltk_jb_num(b, c, "inferred", (double)e->status.v[k].inferred);
        }
        cJSON *cl = ltk_jb_obj(b, st, "classes");
        for (int k = 0; k < LTK_SC_N; k++)
            ltk_jb_num(b, cl, ltk_status_class_name(k), (double)ltk_status_count_of(&e->status, k, true));
        ltk_jb_num(b, cl, "none", (double)ltk_view_status_none(e));
    }
    if (opts->ok) {
        if (!e->ok_hist) {
            ltk_jb_num(b, o, "ok", NAN);
        } else {
            cJSON *ok = ltk_jb_obj(b, o, "ok");
            ltk_jb_num(b, ok, "requests", (double)ltk_hist_count(e->ok_hist));
            ltk_jb_num(b, ok, "mean", ltk_ok_mean(e));
            ltk_jb_num(b, ok, "min", ltk_hist_min(e->ok_hist));
            ltk_jb_num(b, ok, "max", ltk_hist_max(e->ok_hist));
            ltk_jb_num(b, ok, "median", ltk_hist_median(e->ok_hist));
            cJSON *p = ltk_jb_obj(b, ok, "percentiles");
            for (size_t k = 0; k < run->stats_pct.n; k++)
                ltk_jb_num(b, p, run->stats_pct.label[k], ltk_ok_quantile(e, run->stats_pct.q[k]));
        }
    }
    if (opts->apdex_t_ms > 0) {
        cJSON *a = ltk_jb_obj(b, o, "apdex");
        ltk_jb_num(b, a, "t_ms", opts->apdex_t_ms);
        share_json(b, a, ltk_apdex(run, e, opts->apdex_t_ms));
    }
    if (opts->nranges) {
        size_t n = opts->nranges;
        struct ltk_share *sh = malloc((n + 2) * sizeof *sh);
        if (!sh) {
            b->failed = true;
            return;
        }
        ltk_ranges(run, e, opts->ranges, n, sh);
        cJSON *arr = ltk_jb_arr(b, o, "ranges");
        for (size_t k = 0; k < n + 2; k++) {
            cJSON *r = ltk_jb_obj(b, arr, NULL);
            if (k == n + 1) {
                ltk_jb_bool(b, r, "failed", true);
            } else {
                ltk_jb_num(b, r, "over_ms", k ? opts->ranges[k - 1] : NAN);
                ltk_jb_num(b, r, "to_ms", k < n ? opts->ranges[k] : NAN);
            }
            share_json(b, r, sh[k]);
        }
        free(sh);
    }
}

/* "timing": {"latency": {requests, mean, min, max, median, percentiles}, ...}
 * of the kinds the run has (null for an endpoint without one); nothing
 * when it has none. */
static void timing_json(struct ltk_jb *b, cJSON *o, const struct ltk_run *run, const struct ltk_endpoint *e)
{
    cJSON *x = NULL;
    for (int k = 0; k < LTK_TIMING_N; k++) {
        if (!ltk_run_has_timing(run, k))
            continue;
        if (!x && !(x = ltk_jb_obj(b, o, "timing")))
            return;
        const struct ltk_hist *h = e->timing[k];
        if (!h) {
            ltk_jb_num(b, x, ltk_timing_name(k), NAN);
            continue;
        }
        cJSON *t = ltk_jb_obj(b, x, ltk_timing_name(k));
        ltk_jb_num(b, t, "requests", (double)ltk_hist_count(h));
        ltk_jb_num(b, t, "mean", ltk_hist_mean(h));
        ltk_jb_num(b, t, "min", ltk_hist_min(h));
        ltk_jb_num(b, t, "max", ltk_hist_max(h));
        ltk_jb_num(b, t, "median", ltk_hist_median(h));
        cJSON *p = ltk_jb_obj(b, t, "percentiles");
        for (size_t q = 0; q < run->stats_pct.n; q++)
            ltk_jb_num(b, p, run->stats_pct.label[q], ltk_hist_quantile(h, run->stats_pct.q[q]));
    }
}

/* The document's "timing_from" and "ignored", each only when the run has it. */
static void timing_doc_json(struct ltk_jb *b, cJSON *doc, const struct ltk_run *run)
{
    cJSON *from = NULL;
    for (int k = 0; k < LTK_TIMING_N; k++) {
        if (!ltk_run_has_timing(run, k))
            continue;
        if (!from && !(from = ltk_jb_obj(b, doc, "timing_from")))
            return;
        ltk_jb_str(b, from, ltk_timing_name(k), run->timing_from[k] ? run->timing_from[k] : "the input");
    }
    if (!run->nignored_columns && !run->nignored_metrics)
        return;
    cJSON *ig = ltk_jb_obj(b, doc, "ignored");
    cJSON *cols = ltk_jb_arr(b, ig, "columns");
    for (size_t i = 0; cols && i < run->nignored_columns; i++) {
        cJSON *str = cJSON_CreateString(run->ignored_columns[i]);
        if (!str || !cJSON_AddItemToArray(cols, str)) {
            cJSON_Delete(str);
            b->failed = true;
        }
    }
    cJSON *mets = ltk_jb_arr(b, ig, "metrics");
    for (size_t i = 0; mets && i < run->nignored_metrics; i++) {
        cJSON *str = cJSON_CreateString(run->ignored_metrics[i]);
        if (!str || !cJSON_AddItemToArray(mets, str)) {
            cJSON_Delete(str);
            b->failed = true;
        }
    }
    ltk_jb_bool(b, ig, "more", run->ignored_more);
}

static void endpoint_json(struct ltk_jb *b, cJSON *parent, const char *key, const struct ltk_run *run,
                          const struct ltk_endpoint *e, const struct ltk_view_opts *opts)
{
    cJSON *o = ltk_jb_obj(b, parent, key);
    ltk_jb_str(b, o, "type", e->type[0] ? e->type : NULL);
    ltk_jb_str(b, o, "name", e->name);
    ltk_jb_num(b, o, "requests", (double)e->requests);
    ltk_jb_num(b, o, "failures", (double)e->failures);
    ltk_jb_num(b, o, "rps", e->rps);
    ltk_jb_num(b, o, "failures_per_s", e->fail_per_s);
    ltk_jb_num(b, o, "mean", e->mean);
    ltk_jb_num(b, o, "min", e->min);
    ltk_jb_num(b, o, "max", e->max);
    ltk_jb_num(b, o, "median", e->median);
    ltk_jb_num(b, o, "avg_content_size", e->avg_size);
    cJSON *p = ltk_jb_obj(b, o, "percentiles");
    for (size_t k = 0; k < run->stats_pct.n; k++)
        ltk_jb_num(b, p, run->stats_pct.label[k], e->pct ? e->pct[k] : NAN);
    extra_json(b, o, run, e, opts);
    timing_json(b, o, run, e);
}

static void history_json(struct ltk_jb *b, cJSON *doc, const struct ltk_run *run)
{
    if (!run->source[LTK_SRC_HISTORY]) {
        ltk_jb_str(b, doc, "history", NULL);
        return;
    }
    struct history_span sp = history_span(run);
    cJSON *o = ltk_jb_obj(b, doc, "history");
    ltk_jb_num(b, o, "rows", (double)run->nhistory);
    ltk_jb_num(b, o, "ticks", (double)sp.ticks);
    ltk_jb_num(b, o, "start", sp.ticks ? (double)sp.first : NAN);
    ltk_jb_num(b, o, "end", sp.ticks ? (double)sp.last : NAN);
    ltk_jb_num(b, o, "max_users", (double)sp.max_users);
    ltk_jb_str(b, o, "users_source", run->users_source);
    ltk_jb_bool(b, o, "users_derived", run->users_derived);
    ltk_jb_bool(b, o, "per_endpoint", run->history_full);
    char window[32];
    snprintf(window, sizeof window, "%s_%llds", run->raw_source ? "interval" : "window",
             (long long)run->history_window_s);
    ltk_jb_str(b, o, "percentiles", run->history_pct_kind == LTK_HPCT_WINDOW ? window : "cumulative");
    ltk_jb_num(b, o, "resets", (double)run->history_resets);
}

/* "error_bound": how far the percentiles may be from the exact order statistics. */
static void error_bound_json(struct ltk_jb *b, cJSON *doc, const struct ltk_run *run)
{
    if (!run->raw_source) {
        ltk_jb_str(b, doc, "error_bound",
                   "locust (as exported): Locust's own percentiles, computed from response times rounded "
                   "to 2 significant digits (1 ms below 100 ms, 10 ms below 1 s, 100 ms below 10 s, 1 s above)");
        return;
    }
    switch (run->raw_method) {
    case LTK_HIST_HDR: {
        cJSON *o = ltk_jb_obj(b, doc, "error_bound");
        ltk_jb_num(b, o, "relative", LTK_HIST_HDR_RELATIVE_ERROR);
        break;
    }
    case LTK_HIST_EXACT:
        ltk_jb_num(b, doc, "error_bound", 0);
        break;
    case LTK_HIST_LOCUST:
        ltk_jb_str(b, doc, "error_bound",
                   "Locust's algorithm: response times rounded to 2 significant digits (1 ms below 100 ms, "
                   "10 ms below 1 s, 100 ms below 10 s, 1 s above) before ranking; percentile p is the "
                   "rounded time at rank int(n*p) from the top, so up to 5% above or below the exact value");
        break;
    }
}

char *ltk_stats_method_note(const struct ltk_run *run)
{
    const char *what = "";
    switch (run->raw_method) {
    case LTK_HIST_HDR: what = "hdr, log-linear buckets, relative error <= 0.1%"; break;
    case LTK_HIST_EXACT: what = "exact, nearest rank"; break;
    case LTK_HIST_LOCUST: what = "locust, Locust's algorithm on times rounded to 2 significant digits"; break;
    }
    if (ltk_run_from_locust_json(run))
        return ltk_asprintf("times in ms; percentiles: %s; from Locust's JSON statistics (--json), "
                            "%llu requests; RPS = requests / (last request - first endpoint's start)",
                            what, (unsigned long long)run->raw_rows);
    return ltk_asprintf("times in ms; percentiles: %s; from %llu requests in a %s log; "
                        "RPS = requests / (last - first timestamp)",
                        what, (unsigned long long)run->raw_rows, run->raw_format);
}

cJSON *ltk_stats_to_json(const struct ltk_run *run)
{
    return ltk_stats_to_json_with(run, NULL);
}

cJSON *ltk_stats_to_json_with(const struct ltk_run *run, const struct ltk_view_opts *opts)
{
    static const struct ltk_view_opts none = { .color = false };
    if (!opts)
        opts = &none;
    struct ltk_jb b = { false };
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return NULL;
    ltk_jb_str(&b, doc, "schema", "ltk.stats/1");
    ltk_jb_str(&b, doc, "method", run->raw_source ? ltk_hist_method_name(run->raw_method) : "reported");
    error_bound_json(&b, doc, run);
    ltk_jb_str(&b, doc, "table_from",
               run->raw_source ? "raw_log" : run->endpoints_from_history ? "stats_history" : "stats");
    ltk_jb_str(&b, doc, "run", run->label);
    cJSON *src = ltk_jb_obj(&b, doc, "sources");
    for (int k = 0; k < LTK_SRC_COUNT; k++)
        ltk_jb_str(&b, src, ltk_source_name(k), run->source[k]);
    ltk_jb_str(&b, src, "raw_log", run->raw_source);
    if (run->raw_source) {
        cJSON *raw = ltk_jb_obj(&b, doc, "raw_log");
        ltk_jb_str(&b, raw, "format", run->raw_format);
        ltk_jb_num(&b, raw, "rows", (double)run->raw_rows);
        ltk_jb_num(&b, raw, "skipped", (double)run->raw_skipped);
    } else {
        ltk_jb_str(&b, doc, "raw_log", NULL);
    }
    cJSON *eps = ltk_jb_arr(&b, doc, "endpoints");
    for (size_t i = 0; i < run->nendpoints; i++)
        endpoint_json(&b, eps, NULL, run, &run->endpoints[i], opts);
    if (run->has_total)
        endpoint_json(&b, doc, "total", run, &run->total, opts);
    else
        ltk_jb_str(&b, doc, "total", NULL);
    cJSON *errs = ltk_jb_arr(&b, doc, "errors");
    for (size_t i = 0; i < run->nfailures; i++) {
        const struct ltk_failure *f = &run->failures[i];
        cJSON *o = ltk_jb_obj(&b, errs, NULL);
        ltk_jb_str(&b, o, "method", f->method);
        ltk_jb_str(&b, o, "name", f->name);
        ltk_jb_str(&b, o, "error", f->error);
        ltk_jb_num(&b, o, "occurrences", (double)f->occurrences);
        ltk_jb_str(&b, o, "first_seen", f->first_seen);
        ltk_jb_str(&b, o, "last_seen", f->last_seen);
    }
    cJSON *exc = ltk_jb_arr(&b, doc, "exceptions");
    for (size_t i = 0; i < run->nexceptions; i++) {
        const struct ltk_exception *x = &run->exceptions[i];
        cJSON *o = ltk_jb_obj(&b, exc, NULL);
        ltk_jb_num(&b, o, "count", (double)x->count);
        ltk_jb_str(&b, o, "message", x->message);
        ltk_jb_str(&b, o, "traceback", x->traceback);
        ltk_jb_str(&b, o, "nodes", x->nodes);
    }
    history_json(&b, doc, run);
    timing_doc_json(&b, doc, run);
    if (opts->status)
        ltk_jb_bool(&b, doc, "status_read", run->status_read);
    cJSON *w = ltk_jb_arr(&b, doc, "warnings");
    for (size_t i = 0; i < run->nwarnings; i++) {
        cJSON *s = w ? cJSON_CreateString(run->warnings[i]) : NULL;
        if (!s || !cJSON_AddItemToArray(w, s)) {
            cJSON_Delete(s);
            b.failed = true;
        }
    }
    if (b.failed) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

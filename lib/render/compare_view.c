/* How a comparison (ltk/analyze/compare.h) is shown: the terminal table and
 * the ltk.compare/2 document the templates render.  Display text only: every
 * number and verdict was decided by ltk_compare_build. */
#include "ltk/render/compare_view.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/analyze/latency.h"
#include "ltk/base/json.h"
#include "ltk/base/num.h"
#include "ltk/model/series.h"
#include "base/strutil.h"

/* The display label of a metric, with the unit of its values ("p99.9 ms"). */
static void metric_label(char buf[32], const struct ltk_cmp_metric *m)
{
    switch (m->kind) {
    case LTK_CMK_REQUESTS: snprintf(buf, 32, "requests"); break;
    case LTK_CMK_ERROR_RATE: snprintf(buf, 32, "error rate"); break;
    case LTK_CMK_RPS: snprintf(buf, 32, "req/s"); break;
    default: snprintf(buf, 32, "%s ms", m->name); break;
    }
}

/* ---- display text ---------------------------------------------------------------- */

/* A value of metric m for display ("760", "0.52 %", "18.48"); "n/a". */
static void fmt_value(char *buf, size_t size, const struct ltk_cmp_metric *m, double v)
{
    if (!isfinite(v))
        snprintf(buf, size, "n/a");
    else if (m->kind == LTK_CMK_ERROR_RATE)
        snprintf(buf, size, "%.2f %%", v);
    else if (m->kind == LTK_CMK_RPS)
        snprintf(buf, size, "%.2f", v);
    else if (m->kind == LTK_CMK_REQUESTS)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.0f", v);
}

/* The baseline for display: the value, or "mean ± sd" over several runs. */
static void fmt_base(char *buf, size_t size, const struct ltk_cmp_metric *m, const struct ltk_compare_value *v)
{
    if (v->base_runs < 2 || !isfinite(v->base_sd)) {
        fmt_value(buf, size, m, v->base);
        return;
    }
    if (m->kind == LTK_CMK_ERROR_RATE)
        snprintf(buf, size, "%.2f \xc2\xb1 %.2f %%", v->base, v->base_sd);
    else if (m->kind == LTK_CMK_RPS)
        snprintf(buf, size, "%.2f \xc2\xb1 %.2f", v->base, v->base_sd);
    else
        snprintf(buf, size, "%.0f \xc2\xb1 %.0f", v->base, v->base_sd);
}

/* v rounded to a multiple of unit, without a negative zero ("-0" would
 * read as a change). */
static double tidy(double v, double unit)
{
    double r = round(v / unit) * unit;
    return r == 0 ? 0 : r;
}

/* The change: "+940 (+55.3 %)", "+5.12 pp", "-0.50 (-2.7 %)". */
static void fmt_change(char *buf, size_t size, const struct ltk_cmp_metric *m, const struct ltk_compare_value *v)
{
    if (!isfinite(v->delta)) {
        snprintf(buf, size, "n/a");
        return;
    }
    char pct[32] = "";
    if (isfinite(v->delta_pct) && m->kind != LTK_CMK_ERROR_RATE)
        snprintf(pct, sizeof pct, " (%+.1f %%)", tidy(v->delta_pct, 0.1));
    else if (m->kind != LTK_CMK_ERROR_RATE && v->delta != 0)
        snprintf(pct, sizeof pct, " (new)");
    if (m->kind == LTK_CMK_ERROR_RATE)
        snprintf(buf, size, "%+.2f pp", tidy(v->delta, 0.01));
    else if (m->kind == LTK_CMK_RPS)
        snprintf(buf, size, "%+.2f%s", tidy(v->delta, 0.01), pct);
    else
        snprintf(buf, size, "%+.0f%s", tidy(v->delta, 1), pct);
}

/* "p = 0.0031", "p < 1e-10" */
static void fmt_p(char *buf, size_t size, double p)
{
    if (!isfinite(p))
        snprintf(buf, size, "n/a");
    else if (p < 1e-10)
        snprintf(buf, size, "p < 1e-10");
    else if (p < 0.001)
        snprintf(buf, size, "p = %.1e", p);
    else
        snprintf(buf, size, "p = %.3f", p);
}

/* The test column: the interval, Fisher's p, or the prediction interval. */
static void fmt_test(char *buf, size_t size, const struct ltk_cmp_metric *m, const struct ltk_compare_value *v)
{
    char t[96] = "", pi[80] = "", holm[40] = "";
    if (isfinite(v->p_adj)) {
        char pa[32];
        fmt_p(pa, sizeof pa, v->p_adj);
        snprintf(holm, sizeof holm, ", Holm %s", pa);
    }
    if (isfinite(v->ci_lo))
        snprintf(t, sizeof t, "CI %+.0f..%+.0f ms%s", tidy(v->ci_lo, 1), tidy(v->ci_hi, 1), holm);
    else if ((m->kind == LTK_CMK_ERROR_RATE || m->kind == LTK_CMK_MEAN) && isfinite(v->p)) {
        char pr[32];
        fmt_p(pr, sizeof pr, v->p);
        snprintf(t, sizeof t, "%s%s%s", m->kind == LTK_CMK_MEAN ? "Welch " : "", pr, holm);
    }
    if (isfinite(v->pi_lo)) {
        char lo[32], hi[32];
        fmt_value(lo, sizeof lo, m, v->pi_lo);
        fmt_value(hi, sizeof hi, m, v->pi_hi);
        snprintf(pi, sizeof pi, "PI %s..%s", lo, hi);
    }
    ltk_fit_printf(buf, size, "%s%s%s", t, *t && *pi ? "; " : "", pi);
    if (!*buf)
        snprintf(buf, size, "-");
}

/* The verdict of one metric: "REGRESSION", "exceeded, not significant", ... */
static const char *verdict_text(const struct ltk_compare_value *v)
{
    if (!v->gate)
        return "";
    if (v->regression)
        return v->sig == LTK_SIG_NA ? "REGRESSION (untested)" : "REGRESSION";
    if (v->within_rounding)
        return "within rounding";
    if (v->exceeded)
        return "exceeded, not significant";
    return "ok";
}

static const char *presence_text(enum ltk_presence p)
{
    return p == LTK_PRESENT_ADDED ? "added" : p == LTK_PRESENT_REMOVED ? "removed" : "both";
}

/* "current slower: P(current > baseline) = 0.81, Mann-Whitney p < 1e-10 (normal approximation ...)" */
static char *mw_sentence(const struct ltk_mw *mw, double alpha)
{
    char p[48];
    fmt_p(p, sizeof p, mw->p);
    const char *dir = mw->p < alpha ? (mw->prob_greater > 0.5 ? "current slower" : "current faster")
                                    : "no significant shift";
    return ltk_asprintf("%s: P(current > baseline) = %.3f, Mann-Whitney %s (%s; n = %" PRIu64 " and %" PRIu64 ")",
                        dir, mw->prob_greater, p,
                        mw->exact ? "exact distribution"
                                  : "normal approximation with tie and continuity corrections",
                        mw->n1, mw->n2);
}


/* ---- the terminal table ----------------------------------------------------------- */

int ltk_compare_write_table(FILE *out, const struct ltk_compare *c, const struct ltk_run *const *base,
                            const struct ltk_run *cur)
{
    struct ltk_buf b;
    ltk_buf_init(&b);
    for (size_t r = 0; r < c->nbase; r++) {
        ltk_buf_puts(&b, r ? "          " : "baseline  ");
        ltk_buf_put_terminal(&b, base[r]->label);
        ltk_buf_printf(&b, " (%s)\n", ltk_cmp_source_text(base[r]));
    }
    ltk_buf_puts(&b, "current   ");
    ltk_buf_put_terminal(&b, cur->label);
    ltk_buf_printf(&b, " (%s)\n", ltk_cmp_source_text(cur));
    ltk_buf_puts(&b, "gates     ");
    for (size_t g = 0; g < c->opts.ngates; g++)
        ltk_buf_printf(&b, "%s%s", g ? ", " : "", c->opts.gates[g].text);
    if (!c->opts.ngates)
        ltk_buf_puts(&b, "none");
    ltk_buf_puts(&b, "\n\n");
    ltk_buf_printf(&b, "%-14s %16s %12s %22s  %-44s %s\n", "", c->nbase > 1 ? "baseline (mean)" : "baseline",
                   "current", "change", "test", "gate");
    for (size_t i = 0; i < c->nrows; i++) {
        const struct ltk_compare_row *row = &c->rows[i];
        if (row->is_total) {
            ltk_buf_puts(&b, "Aggregated");
        } else {
            ltk_buf_put_terminal(&b, row->type);
            if (*row->type)
                ltk_buf_putc(&b, ' ');
            ltk_buf_put_terminal(&b, row->name);
        }
        if (row->presence != LTK_PRESENT_BOTH)
            ltk_buf_printf(&b, "  [%s]", row->presence == LTK_PRESENT_ADDED ? "added: only in the current run"
                                                                          : "removed: only in the baseline");
        else if (c->nbase > 1 && row->base_runs < c->nbase)
            ltk_buf_printf(&b, "  [in %zu of %zu baselines]", row->base_runs, c->nbase);
        ltk_buf_putc(&b, '\n');
        /* all requests, their distribution, then the successful ones (ok.*, last) */
        bool dist = !row->tested;
        for (size_t m = 0; m <= c->nmetrics; m++) {
            if (!dist && (m == c->nmetrics || c->metrics[m].ok)) {
                char *s = mw_sentence(&row->mw, c->opts.alpha);
                ltk_buf_printf(&b, "  distribution: %s\n", s ? s : "");
                if (!s)
                    b.failed = true;
                free(s);
                dist = true;
            }
            if (m == c->nmetrics)
                break;
            const struct ltk_compare_value *v = &row->v[m];
            char sb[64], sc[32], sd[48], st[128];
            fmt_base(sb, sizeof sb, &c->metrics[m], v);
            fmt_value(sc, sizeof sc, &c->metrics[m], v->cur);
            fmt_change(sd, sizeof sd, &c->metrics[m], v);
            fmt_test(st, sizeof st, &c->metrics[m], v);
            if (row->presence != LTK_PRESENT_BOTH)
                snprintf(st, sizeof st, "-");
            /* "±" is 2 bytes and 1 column: widen its field by one */
            int wb = strstr(sb, "\xc2\xb1") ? 17 : 16;
            char line[360], lb[32];
            metric_label(lb, &c->metrics[m]);
            snprintf(line, sizeof line, "  %-12s %*s %12s %22s  %-44s %s", lb, wb, sb, sc, sd, st,
                     verdict_text(v));
            size_t len = strlen(line);
            while (len && line[len - 1] == ' ')
                line[--len] = '\0';
            ltk_buf_printf(&b, "%s\n", line);
        }
    }
    ltk_buf_putc(&b, '\n');
    for (size_t i = 0; i < c->nnotes; i++) {
        ltk_buf_puts(&b, "note: ");
        ltk_buf_put_terminal(&b, c->notes[i]); /* they may quote a run's name */
        ltk_buf_putc(&b, '\n');
    }
    if (c->nregressions)
        ltk_buf_printf(&b, "verdict: REGRESSION: %zu gate(s) exceeded%s\n", c->nregressions,
                       c->raw || c->nbase >= 3 ? " and significant (or untestable)" : "");
    else if (c->nexceeded)
        ltk_buf_printf(&b, "verdict: no regression: %zu gate(s) exceeded, but not significantly (or within "
                           "rounding)\n", c->nexceeded);
    else if (!c->opts.ngates)
        ltk_buf_puts(&b, "verdict: no gates given (--max-regression none): nothing was gated\n");
    else
        ltk_buf_puts(&b, "verdict: no regression: no gate exceeded\n");
    return ltk_buf_flush(out, &b) == LTK_OK ? LTK_OK : LTK_EIO;
}

/* ---- JSON and the template data ------------------------------------------------------ */

static void put_text(struct ltk_jb *jb, cJSON *o, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void put_text(struct ltk_jb *jb, cJSON *o, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = ltk_vasprintf(fmt, ap);
    va_end(ap);
    if (!s)
        jb->failed = true;
    ltk_jb_str(jb, o, key, s);
    free(s);
}

static void put_interval(struct ltk_jb *jb, cJSON *o, const char *key, double lo, double hi)
{
    if (!isfinite(lo) || !isfinite(hi)) {
        ltk_jb_str(jb, o, key, NULL);
        return;
    }
    cJSON *a = ltk_jb_arr(jb, o, key);
    double v[2] = { lo, hi };
    for (int i = 0; a && i < 2; i++) {
        cJSON *x = ltk_json_number(v[i]);
        if (!x || !cJSON_AddItemToArray(a, x)) {
            cJSON_Delete(x);
            jb->failed = true;
        }
    }
}

static void row_json(struct ltk_jb *jb, cJSON *o, const struct ltk_compare *c, const struct ltk_compare_row *row)
{
    ltk_jb_str(jb, o, "type", row->is_total ? NULL : row->type);
    ltk_jb_str(jb, o, "name", row->name);
    if (row->is_total)
        put_text(jb, o, "label", "all requests (Aggregated)");
    else
        put_text(jb, o, "label", "%s%s%s", row->type, *row->type ? " " : "", row->name);
    ltk_jb_str(jb, o, "presence", presence_text(row->presence));
    ltk_jb_str(jb, o, "presence_note", row->presence == LTK_PRESENT_ADDED     ? "only in the current run"
                                       : row->presence == LTK_PRESENT_REMOVED ? "only in the baseline"
                                                                              : NULL);
    ltk_jb_num(jb, o, "baseline_runs", (double)row->base_runs);
    ltk_jb_bool(jb, o, "regression", row->regression);
    cJSON *ms = ltk_jb_arr(jb, o, "metrics");
    for (size_t m = 0; m < c->nmetrics; m++) {
        const struct ltk_compare_value *v = &row->v[m];
        cJSON *x = ltk_jb_obj(jb, ms, NULL);
        ltk_jb_str(jb, x, "metric", c->metrics[m].name);
        ltk_jb_num(jb, x, "baseline", v->base);
        ltk_jb_num(jb, x, "baseline_sd", v->base_sd);
        ltk_jb_num(jb, x, "baseline_min", v->base_min);
        ltk_jb_num(jb, x, "baseline_max", v->base_max);
        put_interval(jb, x, "prediction_interval", v->pi_lo, v->pi_hi);
        ltk_jb_num(jb, x, "current", v->cur);
        ltk_jb_num(jb, x, "delta", v->delta);
        ltk_jb_num(jb, x, "delta_pct", v->delta_pct);
        cJSON *s = ltk_jb_obj(jb, x, "significance");
        ltk_jb_str(jb, s, "test", v->test);
        if (v->sig == LTK_SIG_NA)
            ltk_jb_str(jb, s, "significant", NULL);
        else
            ltk_jb_bool(jb, s, "significant", v->sig == LTK_SIG_YES);
        ltk_jb_num(jb, s, "p", v->p);
        ltk_jb_num(jb, s, "p_holm", v->p_adj);
        put_interval(jb, s, "ci", v->ci_lo, v->ci_hi);
        if (v->gate) {
            cJSON *g = ltk_jb_obj(jb, x, "gate");
            ltk_jb_str(jb, g, "gate", v->gate->text);
            ltk_jb_bool(jb, g, "exceeded", v->exceeded);
            ltk_jb_bool(jb, g, "within_rounding", v->within_rounding);
            ltk_jb_bool(jb, g, "regression", v->regression);
        } else {
            ltk_jb_str(jb, x, "gate", NULL);
        }
        /* display text for the templates */
        cJSON *t = ltk_jb_obj(jb, x, "text");
        char buf[128];
        char lb[32];
        metric_label(lb, &c->metrics[m]);
        ltk_jb_str(jb, t, "label", lb);
        fmt_base(buf, sizeof buf, &c->metrics[m], v);
        ltk_jb_str(jb, t, "baseline", buf);
        fmt_value(buf, sizeof buf, &c->metrics[m], v->cur);
        ltk_jb_str(jb, t, "current", buf);
        fmt_change(buf, sizeof buf, &c->metrics[m], v);
        ltk_jb_str(jb, t, "change", buf);
        fmt_test(buf, sizeof buf, &c->metrics[m], v);
        ltk_jb_str(jb, t, "test", row->presence == LTK_PRESENT_BOTH ? buf : "-");
        ltk_jb_str(jb, t, "verdict", verdict_text(v));
        ltk_jb_bool(jb, t, "bad", v->regression);
    }
    if (row->tested) {
        cJSON *w = ltk_jb_obj(jb, o, "mann_whitney");
        ltk_jb_num(jb, w, "n_baseline", (double)row->mw.n1);
        ltk_jb_num(jb, w, "n_current", (double)row->mw.n2);
        ltk_jb_num(jb, w, "u", row->mw.u);
        ltk_jb_num(jb, w, "prob_current_greater", row->mw.prob_greater);
        ltk_jb_num(jb, w, "z", row->mw.z);
        ltk_jb_num(jb, w, "p", row->mw.p);
        ltk_jb_str(jb, w, "method", row->mw.exact ? "exact" : "normal");
        ltk_jb_bool(jb, w, "ties", row->mw.ties);
        char *s = mw_sentence(&row->mw, c->opts.alpha);
        if (!s)
            jb->failed = true;
        ltk_jb_str(jb, w, "text", s);
        free(s);
    } else {
        ltk_jb_str(jb, o, "mann_whitney", NULL);
    }
}

static void run_json(struct ltk_jb *jb, cJSON *o, const struct ltk_run *r)
{
    ltk_jb_str(jb, o, "run", r->label);
    ltk_jb_str(jb, o, "source", ltk_cmp_source_text(r));
    ltk_jb_bool(jb, o, "raw", ltk_cmp_run_has_raw(r));
    ltk_jb_bool(jb, o, "ok", ltk_cmp_run_has_ok(r));
    ltk_jb_str(jb, o, "method", r->raw_source ? ltk_hist_method_name(r->raw_method) : "reported");
}

/* Draws ch into o: "svg" (inline, ids prefixed), "plot" (the data for the
 * page's script, null without one) and "unavailable" (why not drawn). */
static void draw_chart(struct ltk_jb *jb, cJSON *o, const struct ltk_chart *ch, const struct ltk_chart_opts *copts,
                       const char *prefix, char **warning)
{
    char *svg = NULL;
    size_t len;
    struct ltk_chart_axes axes;
    struct ltk_error e;
    ltk_error_clear(&e);
    int rc = ltk_chart_render_axes(ch, LTK_CHART_SVG, copts, &svg, &len, &axes, &e);
    if (rc == LTK_ENOMEM) {
        jb->failed = true;
        return;
    }
    if (rc) {
        ltk_jb_str(jb, o, "svg", NULL);
        ltk_jb_str(jb, o, "plot", NULL);
        if (rc == LTK_ENOPROG)
            ltk_jb_str(jb, o, "unavailable", "gnuplot is not installed (apt-get install -y gnuplot-nox)");
        else
            put_text(jb, o, "unavailable", "the chart could not be drawn: %s", e.msg);
        if (warning && !*warning)
            *warning = ltk_asprintf("chart not drawn: %s", e.msg);
        return;
    }
    char *inl = ltk_chart_svg_inline(svg, prefix);
    free(svg);
    cJSON *raw = inl ? cJSON_CreateRaw(inl) : NULL;
    free(inl);
    if (!raw || !o || !cJSON_AddItemToObject(o, "svg", raw)) {
        cJSON_Delete(raw);
        jb->failed = true;
        return;
    }
    char *plot = copts->no_script ? NULL : ltk_chart_plot_json(ch, &axes);
    cJSON *praw = plot ? cJSON_CreateRaw(plot) : cJSON_CreateNull();
    free(plot);
    if (!praw || !cJSON_AddItemToObject(o, "plot", praw)) {
        cJSON_Delete(praw);
        jb->failed = true;
    }
    ltk_jb_str(jb, o, "unavailable", NULL);
}

/* Baseline bars and current points of p95 per endpoint (or, when p95 is not
 * compared, of the last percentile that is).  Names go into the chart's
 * data files only (ltk/chart.h). */
static void p95_chart(struct ltk_jb *jb, cJSON *doc, const struct ltk_compare *c, const struct ltk_chart_opts *copts,
                      char **warning)
{
    cJSON *o = ltk_jb_obj(jb, doc, "chart");
    size_t pm = ltk_compare_metric_index(c, "p95");
    for (size_t m = 0; pm == SIZE_MAX && m < c->nmetrics; m++)
        if (c->metrics[m].kind == LTK_CMK_PCT && !c->metrics[m].ok)
            pm = m; /* the first: the columns come before the gated ones */
    ltk_jb_str(jb, o, "metric", pm == SIZE_MAX ? NULL : c->metrics[pm].name);
    size_t n = 0;
    for (size_t i = 0; i < c->nrows; i++)
        n += !c->rows[i].is_total && c->rows[i].presence == LTK_PRESENT_BOTH;
    if (!copts || !n || pm == SIZE_MAX) {
        ltk_jb_str(jb, o, "svg", NULL);
        ltk_jb_str(jb, o, "plot", NULL);
        ltk_jb_str(jb, o, "unavailable", !copts ? "charts were not requested"
                                         : !n   ? "no endpoint is in both runs"
                                                : "no percentile is compared");
        return;
    }
    const char *mn = c->metrics[pm].name;
    char tb[48], tc[48], tt[64];
    snprintf(tb, sizeof tb, c->nbase > 1 ? "baseline %s (mean), ms" : "baseline %s, ms", mn);
    snprintf(tc, sizeof tc, "current %s, ms", mn);
    snprintf(tt, sizeof tt, "%s per endpoint: baseline and current", mn);
    double *x = calloc(n, sizeof *x), *yb = calloc(n, sizeof *yb), *yc = calloc(n, sizeof *yc);
    char **names = calloc(n, sizeof *names);
    bool ok = x && yb && yc && names;
    size_t k = 0;
    for (size_t i = 0; ok && i < c->nrows; i++) {
        const struct ltk_compare_row *row = &c->rows[i];
        if (row->is_total || row->presence != LTK_PRESENT_BOTH)
            continue;
        x[k] = (double)k;
        yb[k] = row->v[pm].base;
        yc[k] = row->v[pm].cur;
        names[k] = ltk_asprintf("%s%s%s", row->type, *row->type ? " " : "", row->name);
        ok = names[k++] != NULL;
    }
    if (ok) {
        struct ltk_chart_series s[2] = {
            { .title = tb, .x = x, .y = yb, .n = n, .style = LTK_CHART_BARS },
            { .title = tc, .x = x, .y = yc, .n = n, .style = LTK_CHART_POINTS },
        };
        struct ltk_chart ch = { .title = tt, .ylabel = "ms", .series = s,
                                .nseries = 2, .categories = (const char *const *)names, .ncategories = n,
                                .y_from_zero = true };
        draw_chart(jb, o, &ch, copts, "cmp", warning);
    } else {
        jb->failed = true;
    }
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
    free(x);
    free(yb);
    free(yc);
}

/* Every run over time on one axis of seconds since its own start: p95 and
 * requests/s of the Aggregated history, one line per run. */
static void time_charts(struct ltk_jb *jb, cJSON *list, const struct ltk_compare *c, const struct ltk_run *const *base,
                        const struct ltk_run *cur, const struct ltk_chart_opts *copts, char **warning)
{
    size_t nr = c->nbase + 1;
    struct ltk_series *ser = calloc(nr, sizeof *ser);
    char **titles = calloc(nr, sizeof *titles);
    double **t = calloc(nr, sizeof *t), **p95 = calloc(nr, sizeof *p95), **rps = calloc(nr, sizeof *rps);
    struct ltk_chart_series *sp = calloc(nr, sizeof *sp), *sr = calloc(nr, sizeof *sr);
    if (!ser || !titles || !t || !p95 || !rps || !sp || !sr) {
        jb->failed = true;
        goto done;
    }
    size_t ns = 0;
    bool cumulative = false;
    for (size_t r = 0; r < nr; r++) {
        const struct ltk_run *run = r < c->nbase ? base[r] : cur;
        struct ltk_error e;
        if (!run->nhistory || ltk_series_from_run(run, NULL, NULL, &ser[r], &e) != LTK_OK)
            continue;
        size_t n = ser[r].n;
        t[r] = malloc(n * sizeof **t);
        p95[r] = malloc(n * sizeof **p95);
        rps[r] = malloc(n * sizeof **rps);
        if (r < c->nbase)
            titles[r] = c->nbase > 1 ? ltk_asprintf("baseline %zu: %s", r + 1, run->label ? run->label : "")
                                     : ltk_asprintf("baseline: %s", run->label ? run->label : "");
        else
            titles[r] = ltk_asprintf("current: %s", run->label ? run->label : "");
        if (!t[r] || !p95[r] || !rps[r] || !titles[r]) {
            jb->failed = true;
            goto done;
        }
        for (size_t i = 0; i < n; i++) {
            t[r][i] = (double)(ser[r].t[i].ts - ser[r].t[0].ts);
            p95[r][i] = ser[r].t[i].p95;
            rps[r][i] = ser[r].t[i].rps;
        }
        cumulative = cumulative || ser[r].kind == LTK_HPCT_CUMULATIVE;
        bool is_cur = r == c->nbase;
        sp[ns] = (struct ltk_chart_series){ .title = titles[r], .x = t[r], .y = p95[r], .n = n, .style = LTK_CHART_LINES,
                                            .dashed = !is_cur };
        sr[ns++] = (struct ltk_chart_series){ .title = titles[r], .x = t[r], .y = rps[r], .n = n,
                                              .style = LTK_CHART_LINES, .dashed = !is_cur };
    }
    if (!ns)
        goto done;
    struct {
        const char *id, *title, *ylabel, *caption;
        const struct ltk_chart_series *s;
    } charts[] = {
        { "time_p95", "p95 over time, every run", "ms",
          cumulative ? "The p95 of each run's history at each of its seconds (or intervals), against the seconds since "
                       "that run's start; the current run solid, baselines dashed. At least one run's history has "
                       "cumulative percentiles (Locust without --csv-full-history): its line is the p95 since the "
                       "start, not of that moment."
                     : "The p95 of each run's history at each of its seconds (or intervals): Locust's ~10 s window, "
                       "or a raw log's interval, against the seconds since that run's start; the current run "
                       "solid, baselines dashed.",
          sp },
        { "time_rps", "Requests/s over time, every run", "requests/s",
          "Each run's requests per second from its history (Locust's current estimate, or a raw log's requests "
          "per interval), against the seconds since that run's start; the current run solid, baselines dashed.",
          sr },
    };
    for (size_t k = 0; k < sizeof charts / sizeof charts[0]; k++) {
        cJSON *o = ltk_jb_obj(jb, list, NULL);
        ltk_jb_str(jb, o, "id", charts[k].id);
        ltk_jb_str(jb, o, "title", charts[k].title);
        ltk_jb_str(jb, o, "caption", charts[k].caption);
        struct ltk_chart ch = { .title = charts[k].title, .xlabel = "seconds since the start of each run",
                                .ylabel = charts[k].ylabel, .series = charts[k].s, .nseries = ns, .y_from_zero = true };
        char prefix[16];
        snprintf(prefix, sizeof prefix, "cmpt%zu", k + 1);
        draw_chart(jb, o, &ch, copts, prefix, warning);
    }
done:
    for (size_t r = 0; r < nr; r++) {
        if (ser)
            ltk_series_release(&ser[r]);
        if (t)
            free(t[r]);
        if (p95)
            free(p95[r]);
        if (rps)
            free(rps[r]);
        if (titles)
            free(titles[r]);
    }
    free(ser);
    free(titles);
    free(t);
    free(p95);
    free(rps);
    free(sp);
    free(sr);
}

/* Most endpoints given a distribution chart each (by the current run's
 * requests); the Aggregated one comes first. */
#define CDF_ENDPOINTS 8

struct by_requests {
    size_t row;
    uint64_t requests;
};

static int cmp_requests_desc(const void *a, const void *b)
{
    const struct by_requests *x = a, *y = b;
    if (x->requests != y->requests)
        return x->requests < y->requests ? 1 : -1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* One chart of a row's latency distribution: each baseline dashed, the
 * current run solid (ltk_endpoint_cdf).  Names reach only the chart's data
 * files and the JSON, which the template escapes. */
static void cdf_chart(struct ltk_jb *jb, cJSON *list, size_t k, const struct ltk_compare *c,
                      const struct ltk_compare_row *row, const struct ltk_run *const *base, const struct ltk_run *cur,
                      const struct ltk_chart_opts *copts, char **warning)
{
    size_t nr = c->nbase + 1;
    struct ltk_cdf *cdf = calloc(nr, sizeof *cdf);
    struct ltk_chart_series *ser = calloc(nr, sizeof *ser);
    char **titles = calloc(nr, sizeof *titles);
    if (!cdf || !ser || !titles) {
        jb->failed = true;
        goto done;
    }
    size_t ns = 0, nhist = 0, ncols = 0;
    bool logx = true;
    for (size_t r = 0; r < nr; r++) {
        const struct ltk_run *run = r < c->nbase ? base[r] : cur;
        const struct ltk_endpoint *e = row->is_total ? (run->has_total ? &run->total : NULL)
                                                     : ltk_run_endpoint(run, row->type, row->name);
        if (!e)
            continue;
        if (ltk_endpoint_cdf(run, e, &cdf[r])) {
            jb->failed = true;
            goto done;
        }
        if (!cdf[r].n)
            continue;
        if (r < c->nbase)
            titles[r] = c->nbase > 1 ? ltk_asprintf("baseline %zu: %s", r + 1, run->label ? run->label : "")
                                     : ltk_asprintf("baseline: %s", run->label ? run->label : "");
        else
            titles[r] = ltk_asprintf("current: %s", run->label ? run->label : "");
        if (!titles[r]) {
            jb->failed = true;
            goto done;
        }
        logx = logx && cdf[r].ms[0] > 0;
        nhist += cdf[r].from_hist;
        ncols += !cdf[r].from_hist;
        ser[ns++] = (struct ltk_chart_series){ .title = titles[r], .x = cdf[r].ms, .y = cdf[r].pct, .n = cdf[r].n,
                                               .style = cdf[r].from_hist ? LTK_CHART_STEPS : LTK_CHART_LINESPOINTS,
                                               .dashed = r < c->nbase };
    }
    cJSON *o = ltk_jb_obj(jb, list, NULL);
    char id[24];
    snprintf(id, sizeof id, "cdf%zu", k + 1);
    ltk_jb_str(jb, o, "id", id);
    if (row->is_total)
        ltk_jb_str(jb, o, "label", "all requests (Aggregated)");
    else
        put_text(jb, o, "label", "%s%s%s", row->type, *row->type ? " " : "", row->name);
    put_text(jb, o, "caption",
             "The share of the endpoint's requests (failures included) answered within a time, on a %s axis; the "
             "current run solid, %s dashed.%s%s",
             logx ? "log" : "linear", c->nbase > 1 ? "each baseline" : "the baseline",
             nhist ? " From a histogram (raw log, summary or Locust's JSON): a step at every distinct time it "
                     "keeps (hdr: each bucket's middle, within 0.1 %), drawn thinned when there are many; hover "
                     "reads the step at the pointer."
                   : "",
             ncols ? " From Locust's CSV: a point at each of its percentile columns (the share q at the column's "
                     "time), joined by straight lines; nothing is known between them."
                   : "");
    if (!ns) {
        ltk_jb_str(jb, o, "svg", NULL);
        ltk_jb_str(jb, o, "plot", NULL);
        ltk_jb_str(jb, o, "unavailable", "no run has a distribution of this endpoint");
        goto done;
    }
    struct ltk_chart ch = { .title = "Latency distribution: baseline and current",
                            .xlabel = logx ? "response time, ms (log scale)" : "response time, ms",
                            .ylabel = "percent of requests at or below", .series = ser, .nseries = ns,
                            .log_x = logx, .y_from_zero = true };
    char prefix[24];
    snprintf(prefix, sizeof prefix, "cmpd%zu", k + 1);
    draw_chart(jb, o, &ch, copts, prefix, warning);
done:
    for (size_t r = 0; r < nr; r++) {
        if (cdf)
            ltk_cdf_release(&cdf[r]);
        if (titles)
            free(titles[r]);
    }
    free(cdf);
    free(ser);
    free(titles);
}

/* The distribution charts: all requests, then the CDF_ENDPOINTS endpoints
 * in both runs with the most current requests.  Returns how many endpoints
 * in both were left out. */
static size_t cdf_charts(struct ltk_jb *jb, cJSON *list, const struct ltk_compare *c, const struct ltk_run *const *base,
                         const struct ltk_run *cur, const struct ltk_chart_opts *copts, char **warning)
{
    struct by_requests *by = malloc((c->nrows ? c->nrows : 1) * sizeof *by);
    if (!by) {
        jb->failed = true;
        return 0;
    }
    size_t n = 0, k = 0;
    for (size_t i = 0; i < c->nrows; i++) {
        const struct ltk_compare_row *row = &c->rows[i];
        if (row->presence != LTK_PRESENT_BOTH)
            continue;
        if (row->is_total) {
            cdf_chart(jb, list, k++, c, row, base, cur, copts, warning);
            continue;
        }
        const struct ltk_endpoint *e = ltk_run_endpoint(cur, row->type, row->name);
        by[n++] = (struct by_requests){ i, e ? e->requests : 0 };
    }
    qsort(by, n, sizeof *by, cmp_requests_desc);
    for (size_t j = 0; j < n && j < CDF_ENDPOINTS; j++)
        cdf_chart(jb, list, k++, c, &c->rows[by[j].row], base, cur, copts, warning);
    free(by);
    return n > CDF_ENDPOINTS ? n - CDF_ENDPOINTS : 0;
}

cJSON *ltk_compare_to_json(const struct ltk_compare *c, const struct ltk_run *const *base, const struct ltk_run *cur,
                           const struct ltk_chart_opts *chart, char **chart_warning)
{
    struct ltk_jb jb = { false };
    if (chart_warning)
        *chart_warning = NULL;
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return NULL;
    ltk_jb_str(&jb, doc, "schema", "ltk.compare/2");
    cJSON *bs = ltk_jb_arr(&jb, doc, "baselines");
    for (size_t r = 0; r < c->nbase; r++)
        run_json(&jb, ltk_jb_obj(&jb, bs, NULL), base[r]);
    run_json(&jb, ltk_jb_obj(&jb, doc, "current"), cur);
    cJSON *sg = ltk_jb_obj(&jb, doc, "significance");
    ltk_jb_bool(&jb, sg, "latency_tested", c->raw);
    ltk_jb_str(&jb, sg, "method", c->raw ? ltk_hist_method_name(c->method) : NULL);
    ltk_jb_bool(&jb, sg, "ok_tested", c->ok);
    ltk_jb_num(&jb, sg, "alpha", c->opts.alpha);
    ltk_jb_num(&jb, sg, "resamples", c->opts.boot.resamples);
    ltk_jb_num(&jb, sg, "seed", (double)c->opts.boot.seed);
    ltk_jb_num(&jb, sg, "level", c->opts.boot.level);
    ltk_jb_str(&jb, sg, "correction", "holm");
    ltk_jb_num(&jb, sg, "family", (double)c->nfamily);
    ltk_jb_str(&jb, sg, "baseline_model",
               c->nbase >= 3 ? "distribution" : c->nbase == 2 ? "mean of 2 runs" : "one run");
    cJSON *gs = ltk_jb_arr(&jb, doc, "gates");
    for (size_t g = 0; g < c->opts.ngates; g++) {
        cJSON *x = ltk_jb_obj(&jb, gs, NULL);
        const struct ltk_gate *gt = &c->opts.gates[g];
        ltk_jb_str(&jb, x, "gate", gt->text);
        ltk_jb_str(&jb, x, "metric", gt->metric.name);
        ltk_jb_num(&jb, x, "limit", gt->limit);
        ltk_jb_str(&jb, x, "unit", gt->unit == LTK_GATE_PCT ? "%" : gt->unit == LTK_GATE_PP ? "pp" : "ms");
    }
    /* what each row's "metrics" holds, in order: the templates' columns */
    cJSON *cols = ltk_jb_arr(&jb, doc, "columns");
    for (size_t m = 0; m < c->nmetrics; m++) {
        cJSON *x = ltk_jb_obj(&jb, cols, NULL);
        char lb[32];
        metric_label(lb, &c->metrics[m]);
        ltk_jb_str(&jb, x, "metric", c->metrics[m].name);
        ltk_jb_str(&jb, x, "label", lb);
    }
    cJSON *es = ltk_jb_arr(&jb, doc, "endpoints");
    bool has_total = false;
    for (size_t i = 0; i < c->nrows; i++) {
        if (c->rows[i].is_total) {
            row_json(&jb, ltk_jb_obj(&jb, doc, "total"), c, &c->rows[i]);
            has_total = true;
        } else {
            row_json(&jb, ltk_jb_obj(&jb, es, NULL), c, &c->rows[i]);
        }
    }
    if (!has_total)
        ltk_jb_str(&jb, doc, "total", NULL);
    cJSON *rs = ltk_jb_arr(&jb, doc, "regressions");
    for (size_t i = 0; i < c->nrows; i++)
        for (size_t m = 0; m < c->nmetrics; m++) {
            const struct ltk_compare_value *v = &c->rows[i].v[m];
            if (!v->regression)
                continue;
            cJSON *x = ltk_jb_obj(&jb, rs, NULL);
            const struct ltk_compare_row *row = &c->rows[i];
            if (row->is_total)
                put_text(&jb, x, "endpoint", "all requests (Aggregated)");
            else
                put_text(&jb, x, "endpoint", "%s%s%s", row->type, *row->type ? " " : "", row->name);
            ltk_jb_str(&jb, x, "metric", c->metrics[m].name);
            ltk_jb_str(&jb, x, "gate", v->gate->text);
            char b1[64], b2[32], b3[48];
            fmt_base(b1, sizeof b1, &c->metrics[m], v);
            fmt_value(b2, sizeof b2, &c->metrics[m], v->cur);
            fmt_change(b3, sizeof b3, &c->metrics[m], v);
            char lb[32];
            metric_label(lb, &c->metrics[m]);
            put_text(&jb, x, "text", "%s: %s \xe2\x86\x92 %s, %s%s", lb, b1, b2, b3,
                     v->sig == LTK_SIG_NA ? " (significance not computable)" : "");
        }
    ltk_jb_num(&jb, doc, "regression_count", (double)c->nregressions);
    ltk_jb_num(&jb, doc, "exceeded_count", (double)c->nexceeded);
    ltk_jb_str(&jb, doc, "verdict", c->nregressions ? "regression" : "no regression");
    if (c->nregressions)
        put_text(&jb, doc, "verdict_text", "REGRESSION: %zu gate(s) exceeded%s", c->nregressions,
                 c->raw || c->nbase >= 3 ? " and significant (or untestable)" : "");
    else if (c->nexceeded)
        put_text(&jb, doc, "verdict_text", "no regression: %zu gate(s) exceeded, but not significantly (or "
                                           "within rounding)", c->nexceeded);
    else if (!c->opts.ngates)
        ltk_jb_str(&jb, doc, "verdict_text", "no gates given (--max-regression none): nothing was gated");
    else
        ltk_jb_str(&jb, doc, "verdict_text", "no regression: no gate exceeded");
    cJSON *ns = ltk_jb_arr(&jb, doc, "notes");
    for (size_t i = 0; ns && i < c->nnotes; i++) {
        cJSON *s = cJSON_CreateString(c->notes[i]);
        if (!s || !cJSON_AddItemToArray(ns, s)) {
            cJSON_Delete(s);
            jb.failed = true;
        }
    }
    p95_chart(&jb, doc, c, chart, chart_warning);
    cJSON *charts = ltk_jb_obj(&jb, doc, "charts");
    cJSON *tl = ltk_jb_arr(&jb, charts, "time");
    if (chart)
        time_charts(&jb, tl, c, base, cur, chart, chart_warning);
    cJSON *dl = ltk_jb_arr(&jb, charts, "cdf");
    size_t left = chart ? cdf_charts(&jb, dl, c, base, cur, chart, chart_warning) : 0;
    if (left)
        put_text(&jb, charts, "cdf_more", "%zu more endpoint(s) in both runs are not drawn (the %d with the most "
                                          "requests in the current run are); the tables have their percentiles",
                 left, CDF_ENDPOINTS);
    else
        ltk_jb_str(&jb, charts, "cdf_more", NULL);
    /* the page's script only when some chart has data for it */
    bool any = cJSON_IsRaw(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "chart"), "plot"));
    cJSON *it;
    cJSON_ArrayForEach(it, tl)
        any = any || cJSON_IsRaw(cJSON_GetObjectItem(it, "plot"));
    cJSON_ArrayForEach(it, dl)
        any = any || cJSON_IsRaw(cJSON_GetObjectItem(it, "plot"));
    ltk_jb_bool(&jb, charts, "interactive", any);
    if (jb.failed) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

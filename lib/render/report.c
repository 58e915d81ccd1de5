/* The report of a run: the library's analyses gathered into one cJSON tree
 * of display-ready text, with gnuplot charts (see ltk/render/report.h).
 *
 * Each section has one builder below, calling the same library function as
 * the tool of that name (ltk check, diagnose, trend, capacity). */
#include "ltk/render/report.h"
#include "ltk/render/select_view.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ltk/analyze/capacity.h"
#include "ltk/analyze/check.h"
#include "ltk/analyze/diagnose.h"
#include "ltk/analyze/latency.h"
#include "ltk/base/json.h"
#include "ltk/read/locust_json.h"
#include "ltk/read/rawlog.h"
#include "ltk/render/outfile.h"
#include "ltk/render/page.h"
#include "ltk/render/stats_view.h"
#include "ltk/analyze/profile.h"
#include "ltk/model/series.h"
#include "ltk/analyze/trend.h"
#include "ltk/analyze/usl.h"
#include "ltk/version.h"
#include "base/strutil.h"

/* Error rates are counted over windows of this many seconds for the chart. */
#define ERROR_WINDOW_S 10

struct ctx {
    const struct ltk_run *run;
    const struct ltk_report_opts *opts;
    struct ltk_report *rep;
    struct ltk_jb b;
    struct ltk_series series;     /* Aggregated series; n == 0 without history */
    struct ltk_error *err;
    int status;                   /* first hard error (PNG writing, memory) */
    size_t nchart;                /* charts drawn so far (for ids) */
    bool gnuplot_hung;            /* a chart hit the time limit: draw no more */
};

/* ---- small formatting helpers ---------------------------------------------- */

static void put_str(struct ctx *c, cJSON *o, const char *key, const char *v)
{
    ltk_jb_str(&c->b, o, key, v);
}

static void put_fmt(struct ctx *c, cJSON *o, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void put_fmt(struct ctx *c, cJSON *o, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = ltk_vasprintf(fmt, ap);
    va_end(ap);
    if (!s)
        c->b.failed = true;
    put_str(c, o, key, s);
    free(s);
}

/* "760" for a time in ms, "n/a" when unknown. */
static void put_ms(struct ctx *c, cJSON *o, const char *key, double v)
{
    if (isfinite(v))
        put_fmt(c, o, key, "%.0f", v);
    else
        put_str(c, o, key, "n/a");
}

static void put_ratio_pct(struct ctx *c, cJSON *o, const char *key, double ratio)
{
    if (isfinite(ratio))
        put_fmt(c, o, key, "%.2f %%", ratio * 100);
    else
        put_str(c, o, key, "n/a");
}

static void put_value_unit(struct ctx *c, cJSON *o, const char *key, double v, const char *unit)
{
    if (!isfinite(v))
        put_str(c, o, key, "n/a");
    else if (strcmp(unit, "ms") == 0 || strcmp(unit, "users") == 0)
        put_fmt(c, o, key, "%.0f %s", v, unit);
    else if (strcmp(unit, "%") == 0)
        put_fmt(c, o, key, "%.2f %%", v);
    else if (*unit)
        put_fmt(c, o, key, "%.2f %s", v, unit);
    else
        put_fmt(c, o, key, "%g", v);
}

static void warn(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(struct ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = ltk_vasprintf(fmt, ap);
    va_end(ap);
    char **p = s ? realloc(c->rep->warnings, (c->rep->nwarnings + 1) * sizeof *p) : NULL;
    if (!p) {
        free(s);
        c->b.failed = true;
        return;
    }
    p[c->rep->nwarnings++] = s;
    c->rep->warnings = p;
}

/* ---- charts -------------------------------------------------------------------- */

/* Draws chart into a new entry of list: {id, title, caption, svg (raw) or
 * null, unavailable (why) or null}.  name is the PNG file's base name. */
/* True when some series has a known value (Locust's JSON, for one, has no
 * percentiles per second: a chart of them would have nothing to draw). */
static bool chart_has_points(const struct ltk_chart *chart)
{
    for (size_t k = 0; k < chart->nseries; k++)
        for (size_t i = 0; i < chart->series[k].n; i++)
            if (isfinite(chart->series[k].y[i]))
                return true;
    return false;
}

static void add_chart(struct ctx *c, cJSON *list, const char *name, const struct ltk_chart *chart, const char *caption)
{
    cJSON *o = ltk_jb_obj(&c->b, list, NULL);
    put_str(c, o, "id", name);
    put_str(c, o, "title", chart->title);
    put_str(c, o, "caption", caption);
    if (!o)
        return;
    const struct ltk_report_opts *opts = c->opts;
    if (!opts->charts) {
        put_str(c, o, "unavailable", "charts were not requested");
        cJSON_AddNullToObject(o, "svg");
        cJSON_AddNullToObject(o, "plot");
        return;
    }
    if (c->rep->charts_unavailable) {
        put_str(c, o, "unavailable", "gnuplot is not installed (apt-get install -y gnuplot-nox)");
        cJSON_AddNullToObject(o, "svg");
        cJSON_AddNullToObject(o, "plot");
        return;
    }
    if (!chart_has_points(chart)) {
        put_str(c, o, "unavailable", "nothing to draw: every value of this chart is unknown for this run");
        cJSON_AddNullToObject(o, "svg");
        cJSON_AddNullToObject(o, "plot");
        return;
    }
    if (c->gnuplot_hung) {
        put_str(c, o, "unavailable", "skipped: gnuplot did not finish an earlier chart in time");
        cJSON_AddNullToObject(o, "svg");
        cJSON_AddNullToObject(o, "plot");
        return;
    }
    char *svg = NULL;
    size_t len;
    struct ltk_error e;
    ltk_error_clear(&e);
    struct ltk_chart_axes axes;
    int rc = ltk_chart_render_axes(chart, LTK_CHART_SVG, &opts->chart, &svg, &len, &axes, &e);
    if (rc == LTK_ELIMIT)
        c->gnuplot_hung = true; /* 30 s for each of six charts helps nobody */
    if (rc == LTK_ENOPROG) {
        c->rep->charts_unavailable = true;
        warn(c, "charts not drawn: %s", e.msg);
        put_str(c, o, "unavailable", "gnuplot is not installed (apt-get install -y gnuplot-nox)");
        cJSON_AddNullToObject(o, "svg");
        cJSON_AddNullToObject(o, "plot");
        return;
    }
    if (rc) {
        warn(c, "chart '%s' not drawn: %s", name, e.msg);
        put_fmt(c, o, "unavailable", "the chart could not be drawn: %s", e.msg);
        cJSON_AddNullToObject(o, "svg");
        cJSON_AddNullToObject(o, "plot");
        return;
    }
    char prefix[32];
    snprintf(prefix, sizeof prefix, "c%zu", ++c->nchart);
    char *inl = ltk_chart_svg_inline(svg, prefix);
    free(svg);
    cJSON *raw = inl ? cJSON_CreateRaw(inl) : NULL;
    free(inl);
    if (!raw || !cJSON_AddItemToObject(o, "svg", raw)) {
        cJSON_Delete(raw);
        c->b.failed = true;
        return;
    }
    put_str(c, o, "unavailable", NULL);
    /* the data under the chart, for the page's script (null: no hover) */
    char *plot = axes.known ? ltk_chart_plot_json(chart, &axes) : NULL;
    cJSON *praw = plot ? cJSON_CreateRaw(plot) : cJSON_CreateNull();
    free(plot);
    if (!praw || !cJSON_AddItemToObject(o, "plot", praw)) {
        cJSON_Delete(praw);
        c->b.failed = true;
    }

    if (opts->png_dir && !c->status) {
        char *png = NULL;
        ltk_error_clear(&e);
        rc = ltk_chart_render(chart, LTK_CHART_PNG, &opts->chart, &png, &len, &e);
        if (rc) {
            warn(c, "chart '%s' not written as PNG: %s", name, e.msg);
            return;
        }
        char *path = ltk_asprintf("%s/%s.png", opts->png_dir, name);
        struct ltk_outfile of;
        if (!path) {
            c->b.failed = true;
        } else if ((rc = ltk_outfile_open(&of, path, c->err)) == LTK_OK) {
            if (fwrite(png, 1, len, of.fp) != len) {
                ltk_outfile_abort(&of);
                c->status = ltk_error_set(c->err, LTK_EIO, path, 0, 0, "cannot write");
            } else if ((rc = ltk_outfile_commit(&of, c->err)) != LTK_OK) {
                c->status = rc;
            } else {
                char **p = realloc(c->rep->png_files, (c->rep->npng + 1) * sizeof *p);
                if (p) {
                    c->rep->png_files = p;
                    p[c->rep->npng++] = path;
                    path = NULL;
                } else {
                    c->b.failed = true;
                }
            }
        } else {
            c->status = rc;
        }
        free(path);
        free(png);
    }
}

/* ---- sections ------------------------------------------------------------------ */

/* The most users the history had: false when the input has no user count
 * (Locust's JSON), so the report says "unknown" rather than 0. */
static bool peak_users(const struct ctx *c, int64_t *peak)
{
    *peak = 0;
    for (size_t i = 0; i < c->series.n; i++)
        if (c->series.t[i].users > *peak)
            *peak = c->series.t[i].users;
    return !ltk_run_from_locust_json(c->run);
}

static void build_run(struct ctx *c, cJSON *doc)
{
    const struct ltk_run *run = c->run;
    cJSON *o = ltk_jb_obj(&c->b, doc, "run");
    put_str(c, o, "label", run->label);
    cJSON *src = ltk_jb_arr(&c->b, o, "sources");
    for (int k = 0; k < LTK_SRC_COUNT; k++) {
        if (!run->source[k])
            continue;
        cJSON *s = ltk_jb_obj(&c->b, src, NULL);
        put_str(c, s, "kind", ltk_source_name((enum ltk_source_kind)k));
        put_str(c, s, "path", run->source[k]);
    }
    cJSON *w = ltk_jb_arr(&c->b, o, "warnings");
    for (size_t i = 0; i < run->nwarnings; i++) {
        cJSON *s = w ? cJSON_CreateString(run->warnings[i]) : NULL;
        if (!s || !cJSON_AddItemToArray(w, s)) {
            cJSON_Delete(s);
            c->b.failed = true;
        }
    }
    if (c->series.n) {
        time_t t0 = (time_t)c->series.t[0].ts;
        struct tm tm;
        char when[64] = "";
        if (gmtime_r(&t0, &tm))
            strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
        put_str(c, o, "start", when);
        put_fmt(c, o, "duration", "%" PRId64 " s", c->series.t[c->series.n - 1].ts - c->series.t[0].ts);
        int64_t peak;
        if (!peak_users(c, &peak)) {
            put_str(c, o, "peak_users", "unknown");
            put_fmt(c, o, "when", "started %s, ran %" PRId64 " s, users unknown (Locust's JSON has no user count)",
                    when, c->series.t[c->series.n - 1].ts - c->series.t[0].ts);
        } else {
            put_fmt(c, o, "peak_users", "%" PRId64, peak);
            put_fmt(c, o, "when", "started %s, ran %" PRId64 " s, peak %" PRId64 " users", when,
                    c->series.t[c->series.n - 1].ts - c->series.t[0].ts, peak);
        }
    } else {
        put_str(c, o, "start", "unknown");
        put_str(c, o, "duration", "unknown");
        put_str(c, o, "peak_users", "unknown");
        put_str(c, o, "when", "start, duration and users unknown (no stats_history.csv)");
    }
    put_str(c, o, "version", LTK_VERSION);
}

static void build_verdict(struct ctx *c, cJSON *doc)
{
    cJSON *o = ltk_jb_obj(&c->b, doc, "verdict");
    struct ltk_check_opts co = { .type = LTK_TT_UNKNOWN };
    if (c->opts->check)
        co = *c->opts->check;
    struct ltk_check_report rep;
    memset(&rep, 0, sizeof rep);
    struct ltk_error e;
    ltk_error_clear(&e);
    int rc = ltk_check_run(c->run, &co, &rep, &e);
    if (rc) {
        if (rc == LTK_ENOMEM)
            c->b.failed = true;
        put_str(c, o, "type", "unknown");
        put_fmt(c, o, "reason", "the run could not be checked: %s", e.msg);
        put_str(c, o, "status", "n/a");
        put_str(c, o, "class", "na");
        put_str(c, o, "summary", "No criteria evaluated");
        ltk_jb_arr(&c->b, o, "checks");
        ltk_jb_arr(&c->b, o, "phases");
        put_str(c, o, "breaking_point", NULL);
        ltk_check_report_release(&rep);
        return;
    }
    put_str(c, o, "type", ltk_test_type_name(rep.type));
    put_str(c, o, "reason", rep.type_reason);
    size_t ncrit = rep.nresults - rep.ninfo;
    const char *status = rep.nfail ? "FAIL" : rep.npass ? "PASS" : rep.ninfo ? "INFO" : "n/a";
    put_str(c, o, "status", status);
    put_str(c, o, "class", rep.nfail ? "fail" : rep.npass ? "pass" : rep.ninfo ? "info" : "na");
    if (!rep.builtin)
        put_fmt(c, o, "summary", "%zu of the %zu criteria given pass, %zu fail, %zu could not be evaluated",
                rep.npass, ncrit, rep.nfail, rep.nna);
    else if (ncrit)
        put_fmt(c, o, "summary", "%zu of %zu criteria of the built-in %s profile pass, %zu fail, %zu could not be evaluated",
                rep.npass, ncrit, ltk_test_type_name(rep.type), rep.nfail, rep.nna);
    else
        put_fmt(c, o, "summary", "The built-in %s profile has no pass/fail criteria, only findings",
                ltk_test_type_name(rep.type));
    cJSON *arr = ltk_jb_arr(&c->b, o, "checks");
    for (size_t i = 0; i < rep.nresults; i++) {
        const struct ltk_check_result *x = &rep.results[i];
        cJSON *r = ltk_jb_obj(&c->b, arr, NULL);
        put_str(c, r, "expr", x->expr);
        put_str(c, r, "endpoint", x->endpoint ? x->endpoint : "(all)");
        put_str(c, r, "verdict", ltk_verdict_name(x->verdict));
        put_str(c, r, "class", x->verdict == LTK_V_PASS ? "pass" : x->verdict == LTK_V_FAIL ? "fail"
                               : x->verdict == LTK_V_INFO ? "info" : "na");
        put_value_unit(c, r, "value", x->value, x->unit);
        put_value_unit(c, r, "limit", x->limit, x->unit);
        put_str(c, r, "source", x->source ? x->source : "");
        put_str(c, r, "note", x->note ? x->note : "");
    }
    arr = ltk_jb_arr(&c->b, o, "phases");
    for (size_t i = 0; i < rep.profile.nphases; i++) {
        const struct ltk_phase *p = &rep.profile.phases[i];
        cJSON *r = ltk_jb_obj(&c->b, arr, NULL);
        int64_t t0 = rep.profile.start;  /* as ltk check counts: from the first user */
        put_str(c, r, "kind", ltk_phase_name(p->kind));
        put_fmt(c, r, "time", "%" PRId64 "-%" PRId64 " s", p->start - t0, p->end - t0);
        if (p->kind == LTK_PHASE_RAMP_UP || p->kind == LTK_PHASE_RAMP_DOWN)
            put_fmt(c, r, "users", "%" PRId64 " to %" PRId64, p->users_from, p->users);
        else
            put_fmt(c, r, "users", "%" PRId64, p->users);
    }
    if (rep.have_break && rep.break_users)
        put_fmt(c, o, "breaking_point", "%" PRId64 " users", rep.break_users);
    else if (rep.have_break)
        put_str(c, o, "breaking_point", "none: no level passed 5 % errors");
    else
        put_str(c, o, "breaking_point", NULL);
    ltk_check_report_release(&rep);
}

/* ---- the table's percentile columns (--percentiles) ------------------------------ */

static const double default_q[] = { 0.50, 0.95, 0.99 };
static const char *const default_label[] = { "50", "95", "99" };

static size_t pct_count(const struct ltk_report_opts *o)
{
    return o->npct && o->pct && o->pct_label ? o->npct : 3;
}

static double pct_q(const struct ltk_report_opts *o, size_t k)
{
    return o->npct && o->pct && o->pct_label ? o->pct[k] : default_q[k];
}

static const char *pct_label(const struct ltk_report_opts *o, size_t k)
{
    return o->npct && o->pct && o->pct_label ? o->pct_label[k] : default_label[k];
}

/* "pct": the value of each column, a percentile column of the input or
 * from the endpoint's histogram (ltk_endpoint_quantile), "n/a" without. */
static void put_pct_cells(struct ctx *c, cJSON *o, const struct ltk_endpoint *e)
{
    cJSON *arr = ltk_jb_arr(&c->b, o, "pct");
    for (size_t k = 0; k < pct_count(c->opts); k++)
        put_ms(c, ltk_jb_obj(&c->b, arr, NULL), "value", ltk_endpoint_quantile(c->run, e, pct_q(c->opts, k)));
}

/* "pct_columns": the headings, and "pct_notes": a line for each column the
 * input does not hold (Locust's CSV has a fixed set; raw data any). */
static void build_pct_columns(struct ctx *c, cJSON *doc)
{
    cJSON *cols = ltk_jb_arr(&c->b, doc, "pct_columns");
    cJSON *notes = ltk_jb_arr(&c->b, doc, "pct_notes");
    for (size_t k = 0; k < pct_count(c->opts); k++) {
        cJSON *o = ltk_jb_obj(&c->b, cols, NULL);
        put_fmt(c, o, "label", "p%s", pct_label(c->opts, k));
        bool have = ltk_run_has_pct(c->run, pct_q(c->opts, k));
        ltk_jb_bool(&c->b, o, "missing", !have);
        if (have)
            continue;
        char *list = ltk_run_pct_list(c->run);
        if (!list)
            c->b.failed = true;
        cJSON *n = ltk_jb_obj(&c->b, notes, NULL);
        put_fmt(c, n, "text", "p%s is not in this input (it has the percentile columns %s); its column shows n/a.",
                pct_label(c->opts, k), list ? list : "");
        free(list);
    }
}

static void endpoint_row(struct ctx *c, cJSON *o, const struct ltk_endpoint *e)
{
    const struct ltk_run *run = c->run;
    put_str(c, o, "type", e->type);
    put_str(c, o, "name", e->name);
    put_fmt(c, o, "requests", "%" PRIu64, e->requests);
    put_fmt(c, o, "failures", "%" PRIu64, e->failures);
    double fr = ltk_endpoint_fail_ratio(e);
    put_ratio_pct(c, o, "error_rate", fr);
    ltk_jb_bool(&c->b, o, "has_errors", e->failures > 0);
    put_ms(c, o, "p50", ltk_endpoint_pct(run, e, 0.5));
    put_ms(c, o, "p95", ltk_endpoint_pct(run, e, 0.95));
    put_ms(c, o, "p99", ltk_endpoint_pct(run, e, 0.99));
    put_pct_cells(c, o, e);
    put_ms(c, o, "mean", e->mean);
    put_ms(c, o, "max", e->max);
    if (isfinite(e->rps))
        put_fmt(c, o, "rps", "%.2f", e->rps);
    else
        put_str(c, o, "rps", "n/a");
}

static void build_endpoints(struct ctx *c, cJSON *doc, cJSON *charts)
{
    const struct ltk_run *run = c->run;
    cJSON *arr = ltk_jb_arr(&c->b, doc, "endpoints");
    for (size_t i = 0; i < run->nendpoints; i++)
        endpoint_row(c, ltk_jb_obj(&c->b, arr, NULL), &run->endpoints[i]);
    if (run->has_total) {
        endpoint_row(c, ltk_jb_obj(&c->b, doc, "total"), &run->total);
    } else {
        put_str(c, doc, "total", NULL);
    }

    /* headline numbers, from the Aggregated row */
    cJSON *h = ltk_jb_arr(&c->b, doc, "headline");
    const struct ltk_endpoint *t = run->has_total ? &run->total : NULL;
    struct {
        const char *label;
        char value[64];
    } items[8];
    size_t n = 0;
#define ITEM(lbl, ...) do { items[n].label = lbl; snprintf(items[n].value, sizeof items[n].value, __VA_ARGS__); n++; } while (0)
    if (t) {
        ITEM("requests", "%" PRIu64, t->requests);
        double fr = ltk_endpoint_fail_ratio(t);
        if (isfinite(fr))
            ITEM("failed", "%" PRIu64 " (%.2f %%)", t->failures, fr * 100);
        else
            ITEM("failed", "%" PRIu64, t->failures);
        if (isfinite(t->rps))
            ITEM("throughput", "%.2f req/s", t->rps);
        double q[] = { 0.5, 0.95, 0.99 };
        const char *ql[] = { "p50", "p95", "p99" };
        for (int k = 0; k < 3; k++) {
            double v = ltk_endpoint_pct(run, t, q[k]);
            if (isfinite(v))
                ITEM(ql[k], "%.0f ms", v);
            else
                ITEM(ql[k], "n/a");
        }
    }
    if (c->series.n) {
        int64_t peak;
        if (!peak_users(c, &peak))
            ITEM("peak users", "unknown");
        else
            ITEM("peak users", "%" PRId64, peak);
        ITEM("duration", "%" PRId64 " s", c->series.t[c->series.n - 1].ts - c->series.t[0].ts);
    }
#undef ITEM
    for (size_t i = 0; i < n; i++) {
        cJSON *o = ltk_jb_obj(&c->b, h, NULL);
        put_str(c, o, "label", items[i].label);
        put_str(c, o, "value", items[i].value);
    }

    /* per-endpoint p95 bars */
    if (run->nendpoints) {
        double *y = calloc(run->nendpoints, sizeof *y);
        char **names = calloc(run->nendpoints, sizeof *names);
        bool ok = y && names;
        for (size_t i = 0; ok && i < run->nendpoints; i++) {
            const struct ltk_endpoint *e = &run->endpoints[i];
            y[i] = ltk_endpoint_pct(run, e, 0.95);
            names[i] = ltk_asprintf("%s%s%s", e->type, *e->type ? " " : "", e->name);
            ok = names[i] != NULL;
        }
        if (ok) {
            struct ltk_chart_series s = { .title = "p95, ms", .y = y, .n = run->nendpoints, .style = LTK_CHART_BARS };
            struct ltk_chart ch = { .title = "p95 per endpoint", .ylabel = "ms", .series = &s, .nseries = 1,
                                    .categories = (const char *const *)names, .ncategories = run->nendpoints,
                                    .y_from_zero = true };
            add_chart(c, charts, "endpoint_p95", &ch,
                      ltk_run_from_locust_json(c->run)
                          ? "95th percentile response time of each endpoint over the whole run "
                            "(from Locust's JSON statistics)."
                      : c->run->raw_source ? "95th percentile response time of each endpoint over the whole run "
                                             "(from the raw request log)."
                                           : "95th percentile response time of each endpoint over the whole run "
                                             "(stats.csv).");
        } else {
            c->b.failed = true;
        }
        for (size_t i = 0; names && i < run->nendpoints; i++)
            free(names[i]);
        free(names);
        free(y);
    }
}

/* ---- latency, connect and TLS times (raw logs that have them) ---------- */

/* One row of a timing table: requests that gave one, p50/p95/p99, mean, max. */
static void timing_row(struct ctx *c, cJSON *o, const struct ltk_endpoint *e, const struct ltk_hist *h)
{
    put_str(c, o, "type", e->type);
    put_str(c, o, "name", e->name);
    put_fmt(c, o, "with", "%llu", (unsigned long long)(h ? ltk_hist_count(h) : 0));
    put_ms(c, o, "p50", h ? ltk_hist_quantile(h, 0.5) : NAN);
    put_ms(c, o, "p95", h ? ltk_hist_quantile(h, 0.95) : NAN);
    put_ms(c, o, "p99", h ? ltk_hist_quantile(h, 0.99) : NAN);
    put_ms(c, o, "mean", h ? ltk_hist_mean(h) : NAN);
    put_ms(c, o, "max", h ? ltk_hist_max(h) : NAN);
}

/* "timings": a table per kind the run has (ltk_endpoint.timing), in the
 * section after the endpoints; an empty list when it has none. */
static void build_timings(struct ctx *c, cJSON *doc)
{
    static const char *const title[LTK_TIMING_N] = {
        "Latency (time to the first byte)",
        "Connect (opening the TCP connection; 0 when one was reused)",
        "TLS handshake",
    };
    const struct ltk_run *run = c->run;
    cJSON *arr = ltk_jb_arr(&c->b, doc, "timings");
    for (int k = 0; k < LTK_TIMING_N; k++) {
        if (!ltk_run_has_timing(run, k))
            continue;
        cJSON *o = ltk_jb_obj(&c->b, arr, NULL);
        put_str(c, o, "kind", ltk_timing_name(k));
        put_str(c, o, "title", title[k]);
        put_str(c, o, "from", run->timing_from[k] ? run->timing_from[k] : "the input");
        cJSON *rows = ltk_jb_arr(&c->b, o, "rows");
        for (size_t i = 0; i < run->nendpoints; i++)
            timing_row(c, ltk_jb_obj(&c->b, rows, NULL), &run->endpoints[i], run->endpoints[i].timing[k]);
        if (run->has_total)
            timing_row(c, ltk_jb_obj(&c->b, o, "total"), &run->total, run->total.timing[k]);
        else
            put_str(c, o, "total", NULL);
    }
}

#define HIST_BINS 40

/* From a histogram, the share of all requests in 40 bins, log-spaced
 * between the fastest and the slowest when it can be, from the cumulative
 * distribution all. */
static void build_histogram(struct ctx *c, cJSON *charts, const struct ltk_cdf *all, bool logx)
{
    double bx[HIST_BINS + 1], by[HIST_BINS + 1];
    double lo = all->ms[0], hi = all->ms[all->n - 1];
    if (!(hi > lo))
        hi = lo + 1;
    for (int b = 0; b <= HIST_BINS; b++) {
        bx[b] = logx ? lo * pow(hi / lo, (double)b / HIST_BINS) : lo + (hi - lo) * b / HIST_BINS;
        by[b] = 0;
    }
    double prev = 0;
    for (size_t j = 0, b = 0; j < all->n; j++) {
        while (b + 1 < HIST_BINS && all->ms[j] >= bx[b + 1])
            b++;
        by[b] += all->pct[j] - prev; /* back from cumulative % to the share */
        prev = all->pct[j];
    }
    by[HIST_BINS] = by[HIST_BINS - 1]; /* the last step's right edge */
    struct ltk_chart_series hs = { .title = "all requests, % per bin", .x = bx, .y = by, .n = HIST_BINS + 1,
                                   .style = LTK_CHART_STEPS };
    struct ltk_chart hch = { .title = "Response time histogram (all requests)",
                             .xlabel = logx ? "response time, ms (log scale)" : "response time, ms",
                             .ylabel = "percent of requests", .series = &hs, .nseries = 1, .log_x = logx,
                             .y_from_zero = true };
    add_chart(c, charts, "latency_histogram", &hch,
              ltk_run_from_locust_json(c->run)
                  ? "Every request of Locust's JSON statistics in 40 bins, log-spaced between the fastest and the "
                    "slowest (each bar's height is its share of all requests; the times are Locust's rounded ones)."
                  : "Every request of the raw log in 40 bins, log-spaced between the fastest and the slowest "
                    "(each bar's height is its share of all requests; the times are those of the log's method).");
}

/* Most endpoints drawn one by one (over time, in the distribution); the
 * rest are "others" or left to the tables. */
#define TOP_ENDPOINTS 8

/* Most requests first; ties in the endpoints' order (qsort is not stable:
 * the comparison falls back to the position). */
static int cmp_by_requests(const void *a, const void *b)
{
    const struct ltk_endpoint *x = *(const struct ltk_endpoint *const *)a, *y = *(const struct ltk_endpoint *const *)b;
    int r = (x->requests < y->requests) - (x->requests > y->requests);
    return r ? r : (x > y) - (x < y);
}

/* The run's endpoints by requests (cmp_by_requests), the one ranking every
 * chart's "top" is taken from; free() it.  NULL when out of memory. */
static const struct ltk_endpoint **by_requests(const struct ltk_run *run)
{
    size_t ne = run->nendpoints;
    const struct ltk_endpoint **by = malloc((ne ? ne : 1) * sizeof *by);
    if (!by)
        return NULL;
    for (size_t i = 0; i < ne; i++)
        by[i] = &run->endpoints[i];
    qsort(by, ne, sizeof *by, cmp_by_requests);
    return by;
}

/* Which endpoints are among the TOP_ENDPOINTS with the most requests (all
 * of them when there are no more): a flag per endpoint, NULL when out of
 * memory. */
static bool *top_endpoints(const struct ltk_run *run)
{
    size_t ne = run->nendpoints;
    bool *top = calloc(ne ? ne : 1, sizeof *top);
    const struct ltk_endpoint **by = by_requests(run);
    if (!top || !by) {
        free(top);
        free(by);
        return NULL;
    }
    for (size_t k = 0; k < ne && k < TOP_ENDPOINTS; k++)
        top[by[k] - run->endpoints] = true;
    free(by);
    return top;
}

/* Points every few windows, a line alone when there are many (markers of a
 * thousand windows are a band, and most of a long run's page). */
static enum ltk_chart_style window_style(size_t nw)
{
    return nw > 120 ? LTK_CHART_LINES : LTK_CHART_LINESPOINTS;
}

/* A distribution drawn: at most about CDF_DRAWN points of a histogram's
 * CDF, each a true point of it, kept when it is 0.5 percentage points above
 * the one kept before, 5 % slower, or a twentieth of a decade closer to 100
 * % (so p99, p99.9 and p99.99 keep their shape); the first and last always.
 * Returns the count written to ox/oy (room for n). */
#define CDF_DRAWN 600

static size_t thin_cdf(const double *x, const double *y, size_t n, double *ox, double *oy)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        bool keep = i == 0 || i + 1 == n;
        if (!keep) {
            double px = ox[m - 1], py = oy[m - 1];
            keep = y[i] - py >= 0.5 || (px > 0 && x[i] >= 1.05 * px) ||
                   (py < 100 && log10(100 - py) - log10(fmax(100 - y[i], 1e-12)) >= 0.05);
        }
        if (keep) {
            ox[m] = x[i];
            oy[m++] = y[i];
        }
    }
    return m;
}

/* Latency distribution of each endpoint and all requests (ltk_endpoint_cdf):
 * from histograms every distinct time they hold, with a histogram chart of
 * all requests; from Locust's CSV through its percentile columns only. */
static void build_distribution(struct ctx *c, cJSON *charts)
{
    const struct ltk_run *run = c->run;
    size_t nser = run->nendpoints + (run->has_total ? 1 : 0);
    struct ltk_cdf *cdf = calloc(nser ? nser : 1, sizeof *cdf);
    struct ltk_chart_series *ser = calloc(nser ? nser : 1, sizeof *ser);
    char **titles = calloc(nser ? nser : 1, sizeof *titles);
    bool *top = top_endpoints(run);
    double **thin = calloc(2 * (nser ? nser : 1), sizeof *thin);   /* x and y drawn of each, or NULL */
    bool ok = cdf && ser && titles && top && thin, logx = true, hist = true;
    size_t ns = 0;
    for (size_t i = 0; ok && i < nser; i++) {
        const struct ltk_endpoint *e = i < run->nendpoints ? &run->endpoints[i] : &run->total;
        if (i < run->nendpoints && !top[i])
            continue;
        ok = ltk_endpoint_cdf(run, e, &cdf[i]) == LTK_OK;
        if (!ok || !cdf[i].n)
            continue;
        hist = hist && cdf[i].from_hist;
        logx = logx && cdf[i].ms[0] > 0;
        titles[i] = i < run->nendpoints ? ltk_asprintf("%s%s%s", e->type, *e->type ? " " : "", e->name)
                                        : ltk_strdup("all requests");
        ok = titles[i] != NULL;
        ser[ns++] = (struct ltk_chart_series){ .title = titles[i], .x = cdf[i].ms, .y = cdf[i].pct, .n = cdf[i].n,
                                               .style = cdf[i].from_hist ? LTK_CHART_STEPS : LTK_CHART_LINESPOINTS,
                                               .dashed = i == run->nendpoints };
        if (ok && cdf[i].from_hist && cdf[i].n > CDF_DRAWN) {
            double *tx = thin[2 * i] = malloc(cdf[i].n * sizeof *tx), *ty = thin[2 * i + 1] = malloc(cdf[i].n * sizeof *ty);
            if (!(ok = tx && ty))
                break;
            struct ltk_chart_series *se = &ser[ns - 1];
            se->n = thin_cdf(cdf[i].ms, cdf[i].pct, cdf[i].n, tx, ty);
            se->x = tx;
            se->y = ty;
        }
    }
    const struct ltk_cdf *all = run->has_total && ok ? &cdf[nser - 1] : NULL;
    if (!ok) {
        c->b.failed = true;
    } else if (ns && (hist ? all && all->n : run->stats_pct.n >= 2)) {
        if (hist)
            build_histogram(c, charts, all, logx);
        struct ltk_chart ch = { .title = hist ? "Response time distribution (CDF)"
                                              : "Response time distribution (percentiles)",
                                .xlabel = logx ? "response time, ms (log scale)" : "response time, ms",
                                .ylabel = "percent of requests at or below", .series = ser, .nseries = ns,
                                .log_x = logx, .y_from_zero = hist };
        const char *some = run->nendpoints > TOP_ENDPOINTS
                               ? ", for all requests and the endpoints with the most of them" : "";
        char cap[400];
        if (hist)
            snprintf(cap, sizeof cap, "The share of requests answered within a time, at every distinct time of %s%s; "
                     "lines are drawn thinned when there are many points, the numbers are not.",
                     ltk_run_from_locust_json(run) ? "Locust's JSON response_times (rounded as Locust rounds them)"
                                                   : "the raw log (as its percentile method keeps them)",
                     some);
        else
            snprintf(cap, sizeof cap, "The share of requests answered within a time, drawn through Locust's "
                     "percentile columns of stats.csv (a cumulative distribution at those points only)%s. A "
                     "histogram needs a raw request log, which this run does not provide.", some);
        add_chart(c, charts, "latency_distribution", &ch, cap);
    }
    free(top);
    for (size_t i = 0; thin && i < 2 * nser; i++)
        free(thin[i]);
    free(thin);
    for (size_t i = 0; cdf && i < nser; i++)
        ltk_cdf_release(&cdf[i]);
    for (size_t i = 0; titles && i < nser; i++)
        free(titles[i]);
    free(titles);
    free(ser);
    free(cdf);
}

/* The percentiles drawn per endpoint over time, each a chart of its own. */
enum { EP_P50, EP_P95, EP_P99, EP_NPCT };

/* The chart of percentile which (EP_P50 ...) of the top endpoints over
 * time: series sp[0..top), drawn in the same style for each. */
static void endpoint_pct_chart(struct ctx *c, cJSON *charts, int which, struct ltk_chart_series *sp, size_t top,
                               const struct ltk_series *s, int64_t iv, bool others)
{
    static const char *const label[EP_NPCT] = { "p50", "p95", "p99" };
    static const char *const id[EP_NPCT] = { "endpoint_p50_time", "endpoint_p95_time", "endpoint_p99_time" };
    char what[160], cap[512], title[64];
    if (iv)
        snprintf(what, sizeof what, "The %s of each endpoint's requests in each interval of the request log, from "
                 "its own histogram", label[which]);
    else if (s->kind == LTK_HPCT_WINDOW)
        snprintf(what, sizeof what, "Locust's ~10 s window %s of each endpoint at each second", label[which]);
    else
        snprintf(what, sizeof what, "Locust's cumulative %s of each endpoint since the start", label[which]);
    snprintf(cap, sizeof cap, "%s, one line per endpoint%s. Percentiles of endpoints are not combined: the others "
             "have no %s line (the Aggregated one is in the chart above).",
             what, others ? " (the endpoints with the most requests)" : "", label[which]);
    snprintf(title, sizeof title, "%s per endpoint over time", label[which]);
    struct ltk_chart ch = { .title = title, .xlabel = "seconds since start", .ylabel = "ms",
                            .series = sp, .nseries = top, .y_from_zero = true };
    add_chart(c, charts, id[which], &ch, cap);
}

/* p50, p95, p99, requests/s and errors/s of each endpoint over time, on the times t of
 * the Aggregated series (c->series): the top TOP_ENDPOINTS by requests, and
 * for the rates the others together (the Aggregated value less the top's).
 * iv: a raw log's interval (requests/s are its counts over it), 0 for
 * Locust's history (its current requests/s).  Error windows as the error-rate
 * chart's: nw windows of ew seconds centred at wt, allfail their failures. */
static void build_endpoint_timeline(struct ctx *c, cJSON *charts, const double *t, const double *wt, size_t nw,
                                    int64_t ew, int64_t iv, const uint64_t *allfail)
{
    const struct ltk_run *run = c->run;
    const struct ltk_series *s = &c->series;
    if (!run->history_full || run->nendpoints < 1 || !s->n)
        return;
    size_t n = s->n, ne = run->nendpoints, top = ne > TOP_ENDPOINTS ? TOP_ENDPOINTS : ne;
    bool others = ne > top;
    size_t nser = top + others;
    const struct ltk_endpoint **by = by_requests(run);
    /* pct[(w * top + k) * n + i]: percentile w of endpoint k at tick i */
    double *pct = malloc(EP_NPCT * top * n * sizeof *pct), *rps = malloc(nser * n * sizeof *rps);
    double *eps = malloc(nser * nw * sizeof *eps);
    char **titles = calloc(nser, sizeof *titles);
    struct ltk_chart_series *sp = calloc(EP_NPCT * top, sizeof *sp), *sr = calloc(nser, sizeof *sr),
                            *se = calloc(nser, sizeof *se);
    uint64_t *topfail = calloc(nw, sizeof *topfail);
    if (!by || !pct || !rps || !eps || !titles || !sp || !sr || !se || !topfail) {
        c->b.failed = true;
        goto done;
    }
    for (size_t k = 0; k < top; k++) {
        const struct ltk_endpoint *e = by[k];
        double *P[EP_NPCT], *R = rps + k * n, *E = eps + k * nw;
        for (int w = 0; w < EP_NPCT; w++)
            P[w] = pct + ((size_t)w * top + k) * n;
        for (size_t i = 0; i < n; i++) {
            P[EP_P50][i] = P[EP_P95][i] = P[EP_P99][i] = NAN;
            R[i] = iv ? 0 : NAN;  /* a raw log's interval without a row had no request */
        }
        for (size_t w = 0; w < nw; w++)
            E[w] = 0;
        struct ltk_series es;
        struct ltk_error err;
        if (ltk_series_from_run(run, e->type, e->name, &es, &err) == LTK_OK) {
            for (size_t j = 0, i = 0; j < es.n; j++) {
                while (i < n && s->t[i].ts < es.t[j].ts)
                    i++;
                if (i == n)
                    break;
                if (s->t[i].ts != es.t[j].ts)
                    continue;
                P[EP_P50][i] = es.t[j].p50;
                P[EP_P95][i] = es.t[j].p95;
                P[EP_P99][i] = es.t[j].p99;
                R[i] = iv ? (double)es.t[j].d_requests / (double)iv : es.t[j].rps;
                size_t w = (size_t)((es.t[j].ts - s->t[0].ts) / ew);
                if (w < nw) {
                    E[w] += (double)es.t[j].d_failures;
                    topfail[w] += es.t[j].d_failures;
                }
            }
            ltk_series_release(&es);
        }
        for (size_t w = 0; w < nw; w++)
            E[w] /= (double)ew;
        titles[k] = ltk_asprintf("%s%s%s", e->type, *e->type ? " " : "", e->name);
        if (!titles[k]) {
            c->b.failed = true;
            goto done;
        }
        for (int w = 0; w < EP_NPCT; w++)
            sp[(size_t)w * top + k] = (struct ltk_chart_series){ .title = titles[k], .x = t, .y = P[w], .n = n,
                                                                 .style = LTK_CHART_LINES };
        sr[k] = (struct ltk_chart_series){ .title = titles[k], .x = t, .y = R, .n = n, .style = LTK_CHART_LINES };
        se[k] = (struct ltk_chart_series){ .title = titles[k], .x = wt, .y = E, .n = nw, .style = window_style(nw) };
    }
    if (others) {
        double *R = rps + top * n, *E = eps + top * nw;
        for (size_t i = 0; i < n; i++) {
            double sum = 0;
            for (size_t k = 0; k < top; k++)
                sum += rps[k * n + i];
            double all = iv ? (double)s->t[i].d_requests / (double)iv : s->t[i].rps;
            R[i] = isfinite(sum) && isfinite(all) ? fmax(0, all - sum) : NAN;
        }
        for (size_t w = 0; w < nw; w++)
            E[w] = (double)(allfail[w] - topfail[w]) / (double)ew;
        titles[top] = ltk_asprintf("the other %zu endpoints", ne - top);
        if (!titles[top]) {
            c->b.failed = true;
            goto done;
        }
        sr[top] = (struct ltk_chart_series){ .title = titles[top], .x = t, .y = R, .n = n, .style = LTK_CHART_LINES,
                                             .dashed = true };
        se[top] = (struct ltk_chart_series){ .title = titles[top], .x = wt, .y = E, .n = nw,
                                             .style = window_style(nw), .dashed = true };
    }
    for (int w = 0; w < EP_NPCT; w++)
        endpoint_pct_chart(c, charts, w, sp + (size_t)w * top, top, s, iv, others);
    char cap[512], etitle[96];
    snprintf(cap, sizeof cap, "%s, one line per endpoint%s.",
             iv ? "Requests per second of each endpoint in each interval of the request log (its count over the "
                  "interval)"
                : "Locust's current requests per second (its ~10 s estimate) of each endpoint at each second",
             others ? "; the dashed line is the others together, the Aggregated value less the lines drawn" : "");
    struct ltk_chart ch = { .title = "Requests/s per endpoint over time", .xlabel = "seconds since start",
                            .ylabel = "requests/s", .series = sr, .nseries = nser, .y_from_zero = true };
    add_chart(c, charts, "endpoint_rps_time", &ch, cap);
    snprintf(etitle, sizeof etitle, "Errors/s per endpoint over time (%lld s windows)", (long long)ew);
    snprintf(cap, sizeof cap, "Failed requests per second of each endpoint in each %lld s window, from the exact "
             "differences of its cumulative failure counts%s.", (long long)ew,
             others ? "; the dashed line is the others together" : "");
    ch = (struct ltk_chart){ .title = etitle, .xlabel = "seconds since start", .ylabel = "failed requests/s",
                             .series = se, .nseries = nser, .y_from_zero = true };
    add_chart(c, charts, "endpoint_errors_time", &ch, cap);
done:
    for (size_t k = 0; titles && k < nser; k++)
        free(titles[k]);
    free(titles);
    free(by);
    free(pct);
    free(rps);
    free(eps);
    free(sp);
    free(sr);
    free(se);
    free(topfail);
}

/* Requests per second of each HTTP status class in the error-rate chart's
 * nw windows of ew seconds (centred at wt) from t0: a raw log's codes over
 * time (run->status_ticks); end is where the run's last interval ends, so
 * that a last window cut short is divided by the seconds it covers. */
static void build_status_timeline(struct ctx *c, cJSON *charts, const double *wt, size_t nw, int64_t ew, int64_t t0,
                                  int64_t end)
{
    const struct ltk_run *run = c->run;
    if (!run->nstatus_ticks)
        return;
    double *y = calloc((size_t)LTK_SC_N * nw, sizeof *y);
    if (!y) {
        c->b.failed = true;
        return;
    }
    uint64_t seen[LTK_SC_N] = { 0 };
    for (size_t i = 0; i < run->nstatus_ticks; i++) {
        const struct ltk_status_tick *k = &run->status_ticks[i];
        size_t w = k->ts < t0 ? nw : (size_t)((k->ts - t0) / ew);
        if (w >= nw)
            continue;
        for (int j = 0; j < LTK_SC_N; j++) {
            y[(size_t)j * nw + w] += (double)k->n[j];
            seen[j] += k->n[j];
        }
    }
    struct ltk_chart_series ser[LTK_SC_N];
    size_t ns = 0;
    for (int j = 0; j < LTK_SC_N; j++) {
        if (!seen[j])
            continue;
        double *v = y + (size_t)j * nw;
        for (size_t w = 0; w < nw; w++) {
            int64_t covered = end - t0 - (int64_t)w * ew;
            v[w] /= (double)(covered > 0 && covered < ew ? covered : ew);
        }
        /* 2xx green, 3xx cyan, 4xx orange, 5xx red, other purple */
        static const enum ltk_chart_color hue[LTK_SC_N] = { LTK_CHART_GREEN, LTK_CHART_CYAN, LTK_CHART_ORANGE,
                                                            LTK_CHART_RED, LTK_CHART_PURPLE };
        ser[ns++] = (struct ltk_chart_series){ .title = ltk_status_class_name((enum ltk_status_class)j), .x = wt,
                                               .y = v, .n = nw, .style = window_style(nw), .color = hue[j] };
    }
    char title[80], cap[400];
    snprintf(title, sizeof title, "HTTP status classes over time (%lld s windows)", (long long)ew);
    snprintf(cap, sizeof cap,
             "Requests per second with a code of each class in each %lld s window, all endpoints together, from "
             "the request log's intervals; codes inferred from a failure's text count too (the table under HTTP "
             "status codes stars them); requests without a code are not drawn.",
             (long long)ew);
    struct ltk_chart ch = { .title = title, .xlabel = "seconds since start", .ylabel = "requests/s",
                            .series = ser, .nseries = ns, .y_from_zero = true };
    add_chart(c, charts, "status_time", &ch, cap);
    free(y);
}

/* Users, throughput, percentiles and error rate over time. */
static void build_timeline(struct ctx *c, cJSON *charts)
{
    const struct ltk_series *s = &c->series;
    if (!s->n)
        return;
    size_t n = s->n;
    const struct ltk_run *run = c->run;
    /* a raw log's (or summary's) history: intervals whose numbers cover all of their requests */
    bool json = ltk_run_from_locust_json(run);   /* per-second counts, no users, no percentiles */
    bool raw = run->raw_source && !json && run->history_window_s >= 1;
    int64_t iv = raw ? run->history_window_s : 1;
    /* error-rate windows: 10 s, at least one interval, and at most about as
     * many over the run as a long log has intervals */
    int64_t span = s->t[n - 1].ts - s->t[0].ts;
    int64_t ew = ERROR_WINDOW_S > iv ? ERROR_WINDOW_S : iv;
    while (span / ew > LTK_RAWLOG_AUTO_INTERVALS)
        ew *= 2;
    if (ew % iv)
        ew += iv - ew % iv;
    double *t = malloc(n * sizeof *t), *users = malloc(n * sizeof *users), *rps = malloc(n * sizeof *rps);
    double *p50 = malloc(n * sizeof *p50), *p95 = malloc(n * sizeof *p95), *p99 = malloc(n * sizeof *p99);
    size_t nw = (size_t)(span / ew) + 1;
    double *wt = malloc(nw * sizeof *wt), *wr = malloc(nw * sizeof *wr);
    uint64_t *req = calloc(nw, sizeof *req), *fail = calloc(nw, sizeof *fail);
    if (!t || !users || !rps || !p50 || !p95 || !p99 || !wt || !wr || !req || !fail) {
        c->b.failed = true;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const struct ltk_tick *k = &s->t[i];
        t[i] = (double)(k->ts - s->t[0].ts);
        users[i] = (double)k->users;
        rps[i] = k->rps;
        p50[i] = k->p50;
        p95[i] = k->p95;
        p99[i] = k->p99;
        size_t w = (size_t)((k->ts - s->t[0].ts) / ew);
        req[w] += k->d_requests;
        fail[w] += k->d_failures;
    }
    for (size_t w = 0; w < nw; w++) {
        wt[w] = (double)w * (double)ew + (double)ew / 2.0;
        wr[w] = req[w] ? 100.0 * (double)fail[w] / (double)req[w] : NAN;
    }
    /* Under --from/--to the axis still counts from the run's start, as the
     * selection lines do: a window from 10 s is drawn from 10 s, not 0. */
    if (run->selection.window) {
        double off = (double)(s->t[0].ts - run->selection.start);
        for (size_t i = 0; i < n; i++)
            t[i] += off;
        for (size_t w = 0; w < nw; w++)
            wt[w] += off;
    }
    char rtitle[64], ptitle[96], etitle[64], cap_u[320], cap_p[320], cap_e[320];
    if (raw) {
        snprintf(rtitle, sizeof rtitle, "requests/s (per %lld s interval)", (long long)iv);
        snprintf(ptitle, sizeof ptitle, "Response time percentiles over time (%lld s intervals)", (long long)iv);
        snprintf(cap_u, sizeof cap_u,
                 "Users (right axis: %s) and requests per second in each %lld s interval of the request log "
                 "(left axis), one point per interval.",
                 run->users_derived ? "requests in flight, derived by Little's law" : "as the input gives them",
                 (long long)iv);
        snprintf(cap_p, sizeof cap_p,
                 "Percentiles of all the requests of each %lld s interval of the request log, from the interval's "
                 "own histogram (%s); never a sample, never an average of percentiles.",
                 (long long)iv, ltk_hist_method_name(run->raw_method));
    } else if (json) {
        snprintf(rtitle, sizeof rtitle, "requests/s (each second's count)");
        snprintf(ptitle, sizeof ptitle, "Response time percentiles over time");
        snprintf(cap_u, sizeof cap_u, "Requests per second from Locust's JSON statistics: each second's count of "
                                      "requests (num_reqs_per_sec), one point per second. The JSON has no user "
                                      "count, so no users are drawn.");
        snprintf(cap_p, sizeof cap_p, "Locust's JSON keeps the response times of the whole run only, not per "
                                      "second, so there are no percentiles over time (Locust's --csv-full-history "
                                      "or a raw request log has them).");
    } else {
        bool win = s->kind == LTK_HPCT_WINDOW;
        snprintf(rtitle, sizeof rtitle, "requests/s (Locust's ~10 s estimate)");
        snprintf(ptitle, sizeof ptitle, "%s", win ? "Response time percentiles over time (10 s windows)"
                                                  : "Response time percentiles over time (cumulative)");
        snprintf(cap_u, sizeof cap_u, "Simulated users (right axis) and Locust's current requests per second (left "
                                      "axis), one point per second of stats_history.csv.");
        snprintf(cap_p, sizeof cap_p, "%s",
                 win ? "Locust's percentiles of the last ~10 seconds at each second (the run used "
                       "--csv-full-history): they show the latency at that moment."
                     : "Locust's percentiles since the start of the run at each second (without "
                       "--csv-full-history Locust writes cumulative values): late changes show only slowly.");
    }
    snprintf(etitle, sizeof etitle, "Error rate over time (%lld s windows)", (long long)ew);
    snprintf(cap_e, sizeof cap_e, "Failed requests as a share of all requests in each %lld s window, %s; no point "
             "where a window had no requests.", (long long)ew,
             raw    ? "from the exact differences of the cumulative counts of the request log's intervals"
             : json ? "summed from each second's counts in Locust's JSON (num_reqs_per_sec, num_fail_per_sec)"
                    : "from the exact differences of the cumulative counts in stats_history.csv");
    {
        struct ltk_chart_series ser[] = {
            { .title = rtitle, .x = t, .y = rps, .n = n, .style = LTK_CHART_LINES },
            { .title = "users", .x = t, .y = users, .n = n, .style = LTK_CHART_STEPS, .right_axis = true },
        };
        struct ltk_chart ch = { .title = json ? "Throughput over time" : "Users and throughput over time",
                                .xlabel = "seconds since start", .ylabel = "requests/s",
                                .y2label = json ? NULL : "users", .series = ser, .nseries = json ? 1 : 2,
                                .y_from_zero = true };
        add_chart(c, charts, "users_rps", &ch, cap_u);
    }
    {
        struct ltk_chart_series ser[] = {
            { .title = "p50", .x = t, .y = p50, .n = n, .style = LTK_CHART_LINES },
            { .title = "p95", .x = t, .y = p95, .n = n, .style = LTK_CHART_LINES },
            { .title = "p99", .x = t, .y = p99, .n = n, .style = LTK_CHART_LINES },
        };
        struct ltk_chart ch = { .title = ptitle, .xlabel = "seconds since start", .ylabel = "ms", .series = ser,
                                .nseries = 3, .y_from_zero = true };
        add_chart(c, charts, "percentiles", &ch, cap_p);
    }
    {
        struct ltk_chart_series ser[] = {
            { .title = "failed requests, %", .x = wt, .y = wr, .n = nw, .style = window_style(nw) },
        };
        struct ltk_chart ch = { .title = etitle, .xlabel = "seconds since start",
                                .ylabel = "percent of requests failed", .series = ser, .nseries = 1,
                                .y_from_zero = true };
        add_chart(c, charts, "error_rate", &ch, cap_e);
    }
    if (raw)
        build_status_timeline(c, charts, wt, nw, ew, s->t[0].ts, s->t[n - 1].ts + iv);
    build_endpoint_timeline(c, charts, t, wt, nw, ew, raw ? iv : 0, fail);
done:
    free(t);
    free(users);
    free(rps);
    free(p50);
    free(p95);
    free(p99);
    free(wt);
    free(wr);
    free(req);
    free(fail);
}

/* The diagnosis: ltk diagnose's reading of the run (lib/analyze/diagnose_run.c),
 * with the metrics file when one was given. */
static void build_diagnosis(struct ctx *c, cJSON *doc)
{
    cJSON *o = ltk_jb_obj(&c->b, doc, "diagnosis");
    struct ltk_diagnosis d;
    ltk_diagnosis_init(&d);
    struct ltk_error e;
    ltk_error_clear(&e);
    struct ltk_diagnose_run_options dro = { .metrics = c->opts->metrics, .cpu_pct = NAN, .mem_pct = NAN };
    int rc = ltk_diagnose_run(&d, c->run, &dro, &e);
    if (rc == LTK_ENOMEM)
        c->b.failed = true;
    cJSON *arr = ltk_jb_arr(&c->b, o, "findings");
    if (!rc) {
        put_str(c, o, "note", c->opts->metrics
                                  ? "What ltk diagnose finds in the run and the metrics file, most confident first."
                                  : "What ltk diagnose finds in the run, most confident first (give --metrics with "
                                    "CPU and memory samples for cpu_bound and memory_bound).");
        for (size_t i = 0; i < d.nfindings; i++) {
            const struct ltk_diagnose_finding *f = &d.findings[i];
            const struct ltk_diagnose_recommendation *r = ltk_diagnose_recommendation(f->id);
            cJSON *x = ltk_jb_obj(&c->b, arr, NULL);
            put_str(c, x, "id", ltk_diagnose_id_name(f->id));
            put_str(c, x, "title", r->title);
            put_str(c, x, "class", f->id == LTK_DIAG_HEALTHY ? "pass" : "fail");
            put_fmt(c, x, "confidence", "%.0f %%", f->confidence * 100);
            put_str(c, x, "cause", r->cause);
            put_str(c, x, "fix", r->fix);
            put_str(c, x, "cost", r->cost ? r->cost : "not given");
            put_str(c, x, "complexity", r->complexity ? r->complexity : "not given");
            put_str(c, x, "source", r->source);
            cJSON *ev = ltk_jb_arr(&c->b, x, "evidence");
            for (size_t k = 0; k < f->nevidence; k++) {
                const struct ltk_diagnose_evidence *v = &f->evidence[k];
                cJSON *y = ltk_jb_obj(&c->b, ev, NULL);
                put_str(c, y, "metric", v->metric);
                if (v->text)
                    put_str(c, y, "value", v->text);
                else
                    put_fmt(c, y, "value", "%g", v->value);
                put_str(c, y, "rule", v->rule ? v->rule : "");
            }
        }
    } else {
        put_fmt(c, o, "note", "No diagnosis: %s", e.msg);
    }
    ltk_diagnosis_release(&d);
}

/* A number for the trend table: whole above 100, else 3 significant digits. */
static void put_num3(struct ctx *c, cJSON *o, const char *key, double v, bool sign)
{
    if (!isfinite(v))
        put_str(c, o, key, "n/a");
    else if (fabs(v) >= 100)
        put_fmt(c, o, key, sign ? "%+.0f" : "%.0f", v);
    else
        put_fmt(c, o, key, sign ? "%+.3g" : "%.3g", v);
}

/* The trend: ltk trend over the steady segments (lib/analyze/trend.c). */
static void build_trend(struct ctx *c, cJSON *doc)
{
    cJSON *o = ltk_jb_obj(&c->b, doc, "trend");
    struct ltk_trend_options opt;
    ltk_trend_options_init(&opt);
    opt.endpoints = false;
    struct ltk_trend_result t;
    struct ltk_error e;
    ltk_error_clear(&e);
    int rc = ltk_trend_analyse(c->run, c->opts->metrics, &opt, &t, &e);
    if (rc == LTK_ENOMEM)
        c->b.failed = true;
    ltk_jb_bool(&c->b, o, "available", rc == LTK_OK && t.nmetrics > 0);
    if (rc) {
        /* every key the templates name, empty */
        static const char *const keys[] = { "verdict", "class", "reason", "method", "spike", "leak" };
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            put_str(c, o, keys[i], NULL);
        ltk_jb_arr(&c->b, o, "metrics");
        ltk_jb_arr(&c->b, o, "notes");
        put_fmt(c, o, "note", "No trend: %s", e.msg);
        ltk_trend_release(&t);
        return;
    }
    put_str(c, o, "verdict", ltk_trend_verdict_name(t.verdict));
    put_str(c, o, "class", t.verdict == LTK_TREND_DEGRADING ? "fail" : t.verdict == LTK_TREND_UNKNOWN ? "na" : "pass");
    put_str(c, o, "reason", t.verdict_reason);
    if (t.nsegments)
        put_fmt(c, o, "method",
                "%zu steady segment%s of constant users, a point every %lld s; least-squares slope per hour with "
                "its 95 %% interval, Mann-Kendall test; degrading when significant (p < %.2g) and at least %.0f %% "
                "over the analysed time (docs/trend.md).",
                t.nsegments, t.nsegments == 1 ? "" : "s", (long long)t.bucket_s, t.opt.alpha, 100 * t.opt.min_change);
    else
        put_str(c, o, "method", NULL);
    cJSON *rows = ltk_jb_arr(&c->b, o, "metrics");
    for (size_t i = 0; i < t.nmetrics; i++) {
        const struct ltk_trend_metric *m = &t.metrics[i];
        cJSON *x = ltk_jb_obj(&c->b, rows, NULL);
        put_str(c, x, "metric", m->metric);
        put_str(c, x, "unit", m->unit);
        put_fmt(c, x, "points", "%zu", m->st.n);
        put_num3(c, x, "mean", m->st.mean, false);
        put_num3(c, x, "slope", m->st.slope, true);
        if (isfinite(m->st.ci_lo))
            put_fmt(c, x, "ci", fabs(m->st.ci_lo) >= 100 || fabs(m->st.ci_hi) >= 100 ? "%+.0f to %+.0f" : "%+.3g to %+.3g",
                    m->st.ci_lo, m->st.ci_hi);
        else
            put_str(c, x, "ci", "n/a");
        if (!isfinite(m->st.p_value))
            put_str(c, x, "p", "n/a");
        else if (m->st.p_value < 0.001)
            put_str(c, x, "p", "< 0.001");
        else
            put_fmt(c, x, "p", "%.3f", m->st.p_value);
        put_str(c, x, "verdict", ltk_trend_verdict_name(m->verdict));
        put_str(c, x, "class", m->verdict == LTK_TREND_DEGRADING ? "fail" : m->verdict == LTK_TREND_UNKNOWN ? "na" : "pass");
    }
    if (t.spike.found) {
        const struct ltk_trend_spike *sp = &t.spike;
        char er[48], base[32], peak[32];
        if (isfinite(sp->error_rate))
            snprintf(er, sizeof er, "%.2f %% errors", 100 * sp->error_rate);
        else
            snprintf(er, sizeof er, "no requests");
        snprintf(base, sizeof base, isfinite(sp->baseline_p95) ? "%.0f ms" : "n/a", sp->baseline_p95);
        snprintf(peak, sizeof peak, isfinite(sp->peak_p95) ? "%.0f ms" : "n/a", sp->peak_p95);
        put_fmt(c, o, "spike", "%lld -> %lld users from %lld to %lld s: %s during the surge; p95 %s before, %s at "
                               "worst; %s",
                (long long)sp->users_from, (long long)sp->users, (long long)sp->start, (long long)sp->end, er, base,
                peak, sp->note);
    } else {
        put_str(c, o, "spike", NULL);
    }
    if (t.leak.have && isfinite(t.leak.r))
        put_fmt(c, o, "leak", "memory and p95 correlate with r = %.2f over %zu points%s", t.leak.r, t.leak.n,
                t.leak.signature ? ": both grow, the memory-leak signature" : "");
    else
        put_str(c, o, "leak", NULL);
    cJSON *notes = ltk_jb_arr(&c->b, o, "notes");
    for (size_t i = 0; i < t.nnotes; i++) {
        cJSON *x = ltk_jb_obj(&c->b, notes, NULL);
        put_str(c, x, "text", t.notes[i]);
    }
    if (!t.nmetrics)
        put_str(c, o, "note", t.nnotes ? t.notes[0] : t.verdict_reason);
    else
        put_str(c, o, "note", NULL);
    ltk_trend_release(&t);
}

static double usl_curve_fn(const struct ltk_usl_fit *f, double n)
{
    return ltk_usl_eval(f->p, n);
}

static void build_capacity(struct ctx *c, cJSON *doc, cJSON *charts)
{
    cJSON *o = ltk_jb_obj(&c->b, doc, "capacity");
    struct ltk_capacity_options opt;
    ltk_capacity_options_init(&opt);
    struct ltk_capacity_result r;
    memset(&r, 0, sizeof r);
    struct ltk_error e;
    ltk_error_clear(&e);
    int rc = ltk_capacity_levels_from_run(c->run, &opt, &r, &e);
    if (!rc)
        rc = ltk_capacity_analyse(&r, &opt);
    if (rc) {
        if (rc == LTK_ENOMEM)
            c->b.failed = true;
        ltk_jb_bool(&c->b, o, "available", false);
        put_fmt(c, o, "note", "No load levels: %s.", e.msg[0] ? e.msg : ltk_strerror(rc));
        ltk_capacity_release(&r);
        return;
    }
    ltk_jb_bool(&c->b, o, "available", true);
    put_str(c, o, "source", r.source == LTK_CAP_PLATEAUS ? "plateaus of constant users (first 10 s of each dropped)"
                            : r.source == LTK_CAP_BINS   ? "user bands of a ramp"
                                                         : "a table");
    put_str(c, o, "criterion", r.criterion);
    cJSON *arr = ltk_jb_arr(&c->b, o, "levels");
    for (size_t i = 0; i < r.nlevels; i++) {
        const struct ltk_capacity_level *l = &r.levels[i];
        cJSON *x = ltk_jb_obj(&c->b, arr, NULL);
        put_fmt(c, x, "users", "%g", l->users);
        put_fmt(c, x, "rps", "%.2f", l->rps);
        put_fmt(c, x, "ok_rps", "%.2f", l->ok_rps);
        put_ratio_pct(c, x, "error_rate", l->error_rate);
        put_ms(c, x, "p95", l->p95);
        put_fmt(c, x, "duration", "%.0f s", l->duration);
        const char *flag = (ptrdiff_t)i == r.breaking ? "breaking point" : (ptrdiff_t)i == r.knee ? "knee"
                           : (ptrdiff_t)i == r.capacity ? "capacity" : l->falling ? "throughput fell" : "";
        put_str(c, x, "flag", flag);
        ltk_jb_bool(&c->b, x, "bad", (ptrdiff_t)i == r.breaking);
    }
    put_str(c, o, "breaking", r.breaking_reason[0] ? r.breaking_reason : "none");
    put_str(c, o, "knee", r.knee_reason[0] ? r.knee_reason : "none");
    if (r.usl_ok) {
        const struct ltk_usl_fit *f = &r.usl;
        put_fmt(c, o, "usl", "sigma %.4g (95 %% CI %.3g to %.3g), kappa %.4g (%.3g to %.3g), lambda %.4g req/s per user; "
                             "R\xC2\xB2 %.3f over %zu levels%s",
                f->p[LTK_USL_SIGMA], f->ci_lo[LTK_USL_SIGMA], f->ci_hi[LTK_USL_SIGMA], f->p[LTK_USL_KAPPA],
                f->ci_lo[LTK_USL_KAPPA], f->ci_hi[LTK_USL_KAPPA], f->p[LTK_USL_LAMBDA], f->r2, f->n,
                f->converged ? "" : " (the solver did not converge)");
        if (isfinite(f->peak_users))
            put_fmt(c, o, "usl_peak", "throughput peaks at about %.0f users (95 %% CI %.0f to %.0f) with %.1f req/s",
                    f->peak_users, f->peak_ci[0], f->peak_ci[1], f->max_rps);
        else
            put_str(c, o, "usl_peak", "the fit has no peak (kappa is not positive)");
    } else {
        put_fmt(c, o, "usl", "not fitted: %s", r.usl_why);
        put_str(c, o, "usl_peak", NULL);
    }
    cJSON *fa = ltk_jb_arr(&c->b, o, "findings");
    for (size_t i = 0; i < r.nfindings; i++) {
        cJSON *s = fa ? cJSON_CreateString(r.findings[i]) : NULL;
        if (!s || !cJSON_AddItemToArray(fa, s)) {
            cJSON_Delete(s);
            c->b.failed = true;
        }
    }

    if (r.nlevels >= 2) {
        size_t n = r.nlevels, ncurve = r.usl_ok ? 120 : 0;
        double *u = malloc(n * sizeof *u), *x = malloc(n * sizeof *x), *p95 = malloc(n * sizeof *p95);
        double *cu = malloc((ncurve + 1) * sizeof *cu), *cx = malloc((ncurve + 1) * sizeof *cx);
        if (!u || !x || !p95 || !cu || !cx) {
            c->b.failed = true;
        } else {
            double umax = 0;
            for (size_t i = 0; i < n; i++) {
                u[i] = r.levels[i].users;
                x[i] = r.usl_fit_total ? r.levels[i].rps : r.levels[i].ok_rps;
                p95[i] = r.levels[i].p95;
                umax = u[i] > umax ? u[i] : umax;
            }
            for (size_t i = 0; i < ncurve; i++) {
                cu[i] = umax * 1.15 * (double)(i + 1) / (double)ncurve;
                cx[i] = usl_curve_fn(&r.usl, cu[i]);
            }
            struct ltk_chart_series ser[3];
            size_t ns = 0;
            ser[ns++] = (struct ltk_chart_series){ .title = r.usl_fit_total ? "measured requests/s"
                                                                            : "measured successful requests/s",
                                                   .x = u, .y = x, .n = n, .style = LTK_CHART_POINTS };
            if (ncurve)
                ser[ns++] = (struct ltk_chart_series){ .title = "USL fit", .x = cu, .y = cx, .n = ncurve,
                                                       .style = LTK_CHART_LINES, .dashed = true };
            if (r.have_latency)
                ser[ns++] = (struct ltk_chart_series){ .title = "p95, ms (right axis)", .x = u, .y = p95, .n = n,
                                                       .style = LTK_CHART_LINESPOINTS, .right_axis = true };
            struct ltk_chart ch = { .title = "Throughput and p95 against users", .xlabel = "users",
                                    .ylabel = "requests/s", .y2label = r.have_latency ? "p95, ms" : NULL,
                                    .series = ser, .nseries = ns, .y_from_zero = true };
            add_chart(c, charts, "capacity", &ch,
                      "One point per load level; the dashed line is the Universal Scalability Law fitted to the "
                      "throughput points, the right axis the median of the level's 10 s p95 values.");
        }
        free(u);
        free(x);
        free(p95);
        free(cu);
        free(cx);
    }
    ltk_capacity_release(&r);
}

static void build_failures(struct ctx *c, cJSON *doc)
{
    const struct ltk_run *run = c->run;
    cJSON *arr = ltk_jb_arr(&c->b, doc, "failures");
    for (size_t i = 0; i < run->nfailures; i++) {
        const struct ltk_failure *f = &run->failures[i];
        cJSON *o = ltk_jb_obj(&c->b, arr, NULL);
        put_str(c, o, "method", f->method ? f->method : "");
        put_str(c, o, "name", f->name ? f->name : "");
        put_str(c, o, "error", f->error ? f->error : "");
        put_fmt(c, o, "occurrences", "%" PRIu64, f->occurrences);
    }
    arr = ltk_jb_arr(&c->b, doc, "exceptions");
    for (size_t i = 0; i < run->nexceptions; i++) {
        const struct ltk_exception *x = &run->exceptions[i];
        cJSON *o = ltk_jb_obj(&c->b, arr, NULL);
        put_fmt(c, o, "count", "%" PRIu64, x->count);
        put_str(c, o, "message", x->message ? x->message : "");
        put_str(c, o, "traceback", x->traceback ? x->traceback : "");
    }
    put_str(c, doc, "failures_source", run->source[LTK_SRC_FAILURES] ? run->source[LTK_SRC_FAILURES]
                                                                     : "no failures.csv was found");
}

/* ---- status codes, Apdex, ranges, successful requests (as ltk stats) -------------- */

/* The rows of a section: each endpoint, then the total (NULL: no total). */
static const struct ltk_endpoint *section_row(const struct ltk_run *run, size_t r)
{
    return r < run->nendpoints ? &run->endpoints[r] : r == run->nendpoints && run->has_total ? &run->total : NULL;
}

/* A row object of a section: in arr for an endpoint, as "total" of o for
 * the total. */
static cJSON *section_obj(struct ctx *c, cJSON *o, cJSON *arr, size_t r)
{
    cJSON *x = r < c->run->nendpoints ? ltk_jb_obj(&c->b, arr, NULL) : ltk_jb_obj(&c->b, o, "total");
    const struct ltk_endpoint *e = section_row(c->run, r);
    put_str(c, x, "type", e->type);
    put_str(c, x, "name", e->name);
    return x;
}

static void put_count(struct ctx *c, cJSON *o, const char *key, uint64_t v)
{
    put_fmt(c, o, key, "%" PRIu64, v);
}

/* "status": per endpoint and in total the requests of each class and the
 * codes, which were read and which inferred; and why there is no chart of
 * codes over time. */
static void build_status(struct ctx *c, cJSON *doc)
{
    const struct ltk_run *run = c->run;
    cJSON *o = ltk_jb_obj(&c->b, doc, "status");
    uint64_t any = 0, inferred = 0;
    for (size_t r = 0; r < run->nendpoints; r++) {
        any += ltk_status_total(&run->endpoints[r].status);
        inferred += ltk_status_total_inferred(&run->endpoints[r].status);
    }
    ltk_jb_bool(&c->b, o, "available", any > 0);
    ltk_jb_bool(&c->b, o, "inferred", inferred > 0);
    char *missing = any ? NULL : ltk_view_status_missing(run);
    if (!any && !missing)
        c->b.failed = true;
    put_str(c, o, "source", any ? ltk_view_status_source(run) : missing);
    free(missing);
    put_str(c, o, "classes_note", ltk_view_status_classes_note);
    put_str(c, o, "inferred_note",
            inferred ? "* inferred from a failure's text (HTTPError('503 ...'), 'HTTP 429: ...')" : NULL);
    const char *over_time;
    if (run->nstatus_ticks)
        over_time = "Codes over time: the HTML report's chart of HTTP status classes under Over time (requests/s of "
                    "each class in each window).";
    else if (run->status_ticks_dropped)
        over_time = "No chart of codes over time with --only or --exclude: a raw log's intervals keep the status "
                    "classes of all endpoints together, not per endpoint.";
    else if (!run->raw_source || ltk_run_from_locust_json(run))
        over_time = "No chart of codes over time: Locust's exports have codes only in the failures' texts, which "
                    "carry no time.";
    else
        over_time = any ? "No chart of codes over time: this summary's intervals hold no status classes (written "
                          "by an ltk before they were kept; summarize the log again)."
                        : "No chart of codes over time: the input has no codes.";
    put_str(c, o, "over_time", over_time);
    cJSON *arr = ltk_jb_arr(&c->b, o, "rows");
    if (!any || !run->has_total)
        put_str(c, o, "total", NULL);
    if (!any)
        return;
    static const char *const key[LTK_SC_N] = { "c2xx", "c3xx", "c4xx", "c5xx", "other" };
    for (size_t r = 0; section_row(run, r); r++) {
        const struct ltk_endpoint *e = section_row(run, r);
        cJSON *x = section_obj(c, o, arr, r);
        for (int k = 0; k < LTK_SC_N; k++)
            put_count(c, x, key[k], ltk_status_count_of(&e->status, k, true));
        put_count(c, x, "none", ltk_view_status_none(e));
        struct ltk_buf codes;
        ltk_buf_init(&codes);
        for (size_t k = 0; k < e->status.n; k++) {
            const struct ltk_status_count *sc = &e->status.v[k];
            ltk_buf_printf(&codes, "%s%d: %" PRIu64 "%s", k ? ", " : "", sc->code, sc->read + sc->inferred,
                           sc->inferred ? "*" : "");
        }
        if (codes.failed)
            c->b.failed = true;
        put_str(c, x, "codes", codes.data ? codes.data : "-");
        ltk_buf_release(&codes);
    }
}

/* "ok": the successful requests' count, p50/p95/p99, mean and max, where
 * the input tells them apart (raw logs, ltk.summary/2). */
static void build_ok(struct ctx *c, cJSON *doc)
{
    const struct ltk_run *run = c->run;
    cJSON *o = ltk_jb_obj(&c->b, doc, "ok");
    bool have = run->has_total && run->total.ok_hist;
    ltk_jb_bool(&c->b, o, "available", have);
    put_str(c, o, "note", have ? "The same percentiles (the log's method) over the successful requests alone: "
                                 "failed ones, timeouts among them, left out."
                               : "Not in this input: it holds all requests' percentiles only (Locust's CSV and "
                                 "JSON, ltk.summary/1); a raw request log has them.");
    cJSON *arr = ltk_jb_arr(&c->b, o, "rows");
    if (!have) {
        put_str(c, o, "total", NULL);
        return;
    }
    for (size_t r = 0; section_row(run, r); r++) {
        const struct ltk_endpoint *e = section_row(run, r);
        cJSON *x = section_obj(c, o, arr, r);
        put_count(c, x, "requests", e->ok_hist ? ltk_hist_count(e->ok_hist) : 0);
        put_ms(c, x, "p50", ltk_ok_quantile(e, 0.50));
        put_ms(c, x, "p95", ltk_ok_quantile(e, 0.95));
        put_ms(c, x, "p99", ltk_ok_quantile(e, 0.99));
        put_ms(c, x, "mean", ltk_ok_mean(e));
        put_ms(c, x, "max", e->ok_hist ? ltk_hist_max(e->ok_hist) : NAN);
    }
}

static void put_share(struct ctx *c, cJSON *o, const char *key, struct ltk_share s, double scale, int decimals,
                      const char *unit)
{
    char *t = ltk_view_share_text(s, scale, decimals);
    if (!t)
        c->b.failed = true;
    else if (strcmp(t, "-") == 0)
        put_str(c, o, key, "n/a");
    else
        put_fmt(c, o, key, "%s%s", t, unit);
    free(t);
}

/* "apdex": null without --apdex-t; else each endpoint's and the total's,
 * with how they were bounded. */
static void build_apdex(struct ctx *c, cJSON *doc)
{
    const struct ltk_run *run = c->run;
    double t = c->opts->apdex_t_ms;
    if (!(t > 0)) {
        put_str(c, doc, "apdex", NULL);
        return;
    }
    cJSON *o = ltk_jb_obj(&c->b, doc, "apdex");
    put_fmt(c, o, "t", "%g ms", t);
    put_fmt(c, o, "tolerating", "%g ms", LTK_APDEX_TOLERATING * t);
    cJSON *arr = ltk_jb_arr(&c->b, o, "rows");
    enum ltk_le_basis worst = LTK_LE_COUNTED;
    if (!run->has_total)
        put_str(c, o, "total", NULL);
    for (size_t r = 0; section_row(run, r); r++) {
        const struct ltk_endpoint *e = section_row(run, r);
        struct ltk_share s = ltk_apdex(run, e, t);
        worst = ltk_view_worse_basis(worst, e, s);
        put_share(c, section_obj(c, o, arr, r), "value", s, 1, 3, "");
    }
    put_fmt(c, o, "note", "Apdex = (satisfied + tolerating / 2) / requests, satisfied: succeeded within %g ms, "
                          "tolerating: within %g ms, frustrated: slower or failed; %s.", t, LTK_APDEX_TOLERATING * t,
            ltk_view_basis_note(worst, run));
}

/* "ranges": null without --ranges; else the share of all requests in each
 * range and failed, per endpoint and in total. */
static void build_ranges(struct ctx *c, cJSON *doc)
{
    const struct ltk_run *run = c->run;
    size_t n = c->opts->nranges;
    if (!n || !c->opts->ranges) {
        put_str(c, doc, "ranges", NULL);
        return;
    }
    cJSON *o = ltk_jb_obj(&c->b, doc, "ranges");
    cJSON *cols = ltk_jb_arr(&c->b, o, "columns");
    for (size_t k = 0; k < n + 2; k++) {
        char *l = ltk_view_range_label(c->opts->ranges, n, k);
        if (!l)
            c->b.failed = true;
        put_str(c, ltk_jb_obj(&c->b, cols, NULL), "label", l);
        free(l);
    }
    struct ltk_share *sh = malloc((n + 2) * sizeof *sh);
    if (!sh) {
        c->b.failed = true;
        return;
    }
    cJSON *arr = ltk_jb_arr(&c->b, o, "rows");
    enum ltk_le_basis worst = LTK_LE_COUNTED;
    if (!run->has_total)
        put_str(c, o, "total", NULL);
    for (size_t r = 0; section_row(run, r); r++) {
        const struct ltk_endpoint *e = section_row(run, r);
        ltk_ranges(run, e, c->opts->ranges, n, sh);
        worst = ltk_view_worse_basis(worst, e, sh[0]);
        cJSON *shares = ltk_jb_arr(&c->b, section_obj(c, o, arr, r), "shares");
        for (size_t k = 0; k < n + 2; k++)
            put_share(c, ltk_jb_obj(&c->b, shares, NULL), "value", sh[k], 100, 1, " %");
    }
    free(sh);
    put_fmt(c, o, "note", "The share of all requests that succeeded at or under each time and over the one "
                          "before; failed ones apart; %s.", ltk_view_basis_note(worst, run));
}

static void build_method(struct ctx *c, cJSON *doc)
{
    const struct ltk_run *run = c->run;
    cJSON *o = ltk_jb_obj(&c->b, doc, "method");
    bool raw = run->raw_source != NULL;
    if (raw) {
        /* a raw log, its summary or Locust's JSON: ltk's histograms of every request */
        char *note = ltk_stats_method_note(run);
        if (!note)
            c->b.failed = true;
        put_fmt(c, o, "percentiles", "Whole-run percentiles are computed by ltk from the histogram of every "
                                     "request (%s); never averaged, merged across intervals and endpoints.",
                note ? note : "");
        free(note);
    } else {
        put_str(c, o, "percentiles",
                "Whole-run percentiles, mean, max and requests/s are Locust's own values from stats.csv. Locust "
                "rounds every response time to two significant digits before counting it, so a reported "
                "percentile is within half a bucket of the exact one: 0.5 ms below 100 ms, 5 ms below 1 s, "
                "50 ms below 10 s (at most about 5 %).");
    }
    if (raw && ltk_run_from_locust_json(run))
        put_str(c, o, "history", "The history is Locust's requests and failures of each second from the JSON "
                                 "(num_reqs_per_sec, num_fail_per_sec): no percentiles over time.");
    else if (raw && run->history_window_s >= 1)
        put_fmt(c, o, "history", "The history is the request log's own %lld s intervals: each interval's "
                                 "percentiles from its histogram, its requests and failures counted.",
                (long long)run->history_window_s);
    else if (!run->source[LTK_SRC_HISTORY])
        put_str(c, o, "history", "No stats_history.csv was found: there is no time series, so the test type, "
                                 "the charts over time and the capacity levels cannot be computed.");
    else if (run->history_pct_kind == LTK_HPCT_WINDOW)
        put_str(c, o, "history", "stats_history.csv has one row a second per endpoint (--csv-full-history): its "
                                 "percentiles are Locust's ~10 s window values. Requests and failures per "
                                 "interval are exact differences of the cumulative counts.");
    else
        put_str(c, o, "history", "stats_history.csv has only the Aggregated rows: its percentiles are cumulative "
                                 "since the start, so latency over time and per-level percentiles are not "
                                 "windowed. Requests and failures per interval are exact differences of the "
                                 "cumulative counts.");
    put_str(c, o, "levels", "Load levels are stretches of constant users; the first 10 s after each change are "
                            "dropped because Locust's rates and window percentiles lag. A level's requests/s "
                            "is exact (requests / seconds), its p95 the median of the window values.");
    if (c->opts->check && c->opts->check->ncriteria)
        put_str(c, o, "checks", "The criteria are the ones given (-c, --criteria), measured as ltk check measures them "
                                "(see docs/criteria.md).");
    else
        put_str(c, o, "checks", "The test type is read from users over time; the criteria are the module's built-in "
                                "profile for that type (see ltk check --help and docs/criteria.md).");
    put_str(c, o, "usl", "The Universal Scalability Law is fitted by nonlinear least squares (GSL) to the levels' "
                         "throughput; intervals are 95 % intervals from the fit's covariance (Student t).");
    char sz[64];
    snprintf(sz, sizeof sz, "%zu", run->nhistory);
    put_str(c, o, "history_rows", sz);
}

/* ---- entry points ------------------------------------------------------------------ */

int ltk_report_build(const struct ltk_run *run, const struct ltk_report_opts *opts, struct ltk_report *out,
                     struct ltk_error *err)
{
    memset(out, 0, sizeof *out);
    struct ctx c = { .run = run, .opts = opts, .rep = out, .err = err };
    if (opts->png_dir) {
        /* made when missing (one level: its parent must exist) */
        struct stat st;
        if (stat(opts->png_dir, &st) != 0) {
            if (errno != ENOENT || mkdir(opts->png_dir, 0777) != 0)
                return ltk_error_set(err, LTK_EIO, opts->png_dir, 0, 0, "cannot create the directory: %s",
                                     strerror(errno));
        } else if (!S_ISDIR(st.st_mode)) {
            return ltk_error_set(err, LTK_EIO, opts->png_dir, 0, 0, "not a directory");
        }
    }
    if (run->source[LTK_SRC_HISTORY]) {
        struct ltk_error e;
        int rc = ltk_series_from_run(run, NULL, NULL, &c.series, &e);
        if (rc == LTK_ENOMEM)
            return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
        if (rc)
            memset(&c.series, 0, sizeof c.series);
    }
    cJSON *doc = cJSON_CreateObject();
    if (!doc) {
        ltk_series_release(&c.series);
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    }
    out->data = doc;
    put_str(&c, doc, "schema", "ltk.report/2");
    /* the part of the run reported (ltk/render/select_view.h); null for all of it */
    cJSON *sel = ltk_selection_active(run) ? ltk_selection_to_json(run) : cJSON_CreateNull();
    if (!sel || !cJSON_AddItemToObject(doc, "selection", sel)) {
        cJSON_Delete(sel);
        ltk_series_release(&c.series);
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    }
    cJSON *charts = ltk_jb_obj(&c.b, doc, "charts");
    cJSON *ch_time = ltk_jb_arr(&c.b, charts, "time");
    cJSON *ch_dist = ltk_jb_arr(&c.b, charts, "distribution");
    cJSON *ch_cap = ltk_jb_arr(&c.b, charts, "capacity");
    build_run(&c, doc);
    build_verdict(&c, doc);
    build_pct_columns(&c, doc);
    build_endpoints(&c, doc, ch_dist);
    build_timings(&c, doc);
    build_status(&c, doc);
    build_apdex(&c, doc);
    build_ranges(&c, doc);
    build_ok(&c, doc);
    build_distribution(&c, ch_dist);
    build_timeline(&c, ch_time);
    build_diagnosis(&c, doc);
    build_trend(&c, doc);
    build_capacity(&c, doc, ch_cap);
    build_failures(&c, doc);
    build_method(&c, doc);
    /* the page's script: hover, legend toggles, zoom (not with --static, and
     * only when a chart was drawn) */
    ltk_jb_bool(&c.b, charts, "interactive", c.nchart > 0 && !opts->static_page);
    if (out->charts_unavailable)
        put_str(&c, charts, "notice", "Charts are missing: gnuplot is not installed (apt-get install -y gnuplot-nox).");
    else
        put_str(&c, charts, "notice", NULL);
    ltk_series_release(&c.series);
    if (c.status)
        return c.status;
    if (c.b.failed)
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    return LTK_OK;
}

void ltk_report_release(struct ltk_report *r)
{
    if (!r)
        return;
    cJSON_Delete(r->data);
    for (size_t i = 0; i < r->nwarnings; i++)
        free(r->warnings[i]);
    free(r->warnings);
    for (size_t i = 0; i < r->npng; i++)
        free(r->png_files[i]);
    free(r->png_files);
    memset(r, 0, sizeof *r);
}

int ltk_report_write(FILE *out, const struct ltk_report *r, const struct ltk_template *t, enum ltk_escape esc,
                     struct ltk_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = ltk_template_render(t, r->data, esc, &text, &len, err);
    if (rc)
        return rc;
    if (esc == LTK_ESC_HTML && ltk_page_finish(&text, &len)) {
        free(text);
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (fwrite(text, 1, len, out) != len)
        rc = ltk_error_set(err, LTK_EIO, NULL, 0, 0, "write error");
    free(text);
    return rc;
}

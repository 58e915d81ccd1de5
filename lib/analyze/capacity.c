/* Capacity analysis: levels, breaking point, knee, USL, Little's law.
 * The method is in docs/capacity.md; the rules' numbers in ltk/analyze/capacity.h. */
#include "ltk/analyze/capacity.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ltk/read/csv.h"
#include "ltk/read/locust_json.h"
#include "ltk/base/json.h"
#include "ltk/base/num.h"
#include "ltk/model/series.h"
#include "base/strutil.h"

void ltk_capacity_options_init(struct ltk_capacity_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->settle = 10;
    opt->min_plateau = 5;
    opt->bins = LTK_CAPACITY_DEFAULT_BINS;
    opt->think_time = NAN;
}

void ltk_capacity_options_release(struct ltk_capacity_options *opt)
{
    ltk_capacity_slo_release(&opt->slo);
}

void ltk_capacity_release(struct ltk_capacity_result *r)
{
    if (!r)
        return;
    free(r->levels);
    memset(r, 0, sizeof *r);
}

static void result_init(struct ltk_capacity_result *r)
{
    memset(r, 0, sizeof *r);
    r->breaking = r->knee = r->capacity = -1;
    r->predicted_users = r->predicted_ci[0] = r->predicted_ci[1] = NAN;
    r->think_time = NAN;
}

static void level_init(struct ltk_capacity_level *l)
{
    memset(l, 0, sizeof *l);
    l->p50 = l->p95 = l->p99 = l->mean_ms = l->error_rate = NAN;
    l->think_s = l->little_users = NAN;
    l->slo = -1;
}

/* ---- the SLO: criteria a level can be measured against -------------------- */

/* A latency condition: its metric is in ms (the criteria's own units). */
static bool slo_time_metric(const struct ltk_criterion *c)
{
    return strcmp(ltk_metric_unit(c->metric), "ms") == 0;
}

/* Why c cannot be checked at a load level, or NULL when it can. */
static const char *slo_unfit(const struct ltk_criterion *c)
{
    if (c->endpoint)
        return "a load level is the Aggregated total: an SLO condition takes no endpoint";
    if (c->window_s || c->has_phase)
        return "a load level is its own window: an SLO condition takes no 'over' or 'during'";
    switch (c->metric) {
    case LTK_MET_PCT:
        if (c->pct == 50 || c->pct == 95 || c->pct == 99)
            return NULL;
        return "a load level has the percentiles p50, p95 and p99 only";
    case LTK_MET_MEAN: case LTK_MET_MEDIAN: case LTK_MET_ERROR_RATE: case LTK_MET_RPS: return NULL;
    default: return "not measured per load level (use p50, p95, p99, median, mean, error_rate or rps)";
    }
}

/* c as the capacity report shows it: metric, comparison, limit and unit. */
static void slo_cond_text(const struct ltk_criterion *c, char *buf, size_t size)
{
    char num[32];
    ltk_format_double(c->limit, num);
    snprintf(buf, size, "%s%s%s%s", c->metric_name, ltk_cmp_text(c->op), num,
             slo_time_metric(c) ? "ms" : c->metric == LTK_MET_ERROR_RATE ? "%" : "");
}

/* One condition of text: the bytes [start, end). */
static int slo_add_one(struct ltk_capacity_slo *slo, const char *text, size_t start, size_t end,
                       struct ltk_error *err)
{
    if (slo->n == LTK_CAPACITY_SLO_MAX)
        return ltk_error_set(err, LTK_ELIMIT, NULL, 0, 0, "at most %d conditions", LTK_CAPACITY_SLO_MAX);
    char *piece = ltk_strndup(text + start, end - start);
    if (!piece)
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    struct ltk_error e;
    ltk_error_clear(&e);
    struct ltk_criterion *c = &slo->cond[slo->n];
    int rc = ltk_criterion_parse(piece, c, &e);
    long at = (long)ltk_utf8_count(text, start);
    free(piece);
    if (rc)
        return ltk_error_set(err, rc, NULL, 0, e.column ? at + e.column : 0, "%s", e.msg);
    const char *why = slo_unfit(c);
    if (why) {
        size_t lead = start;
        while (text[lead] == ' ' || text[lead] == '\t')
            lead++;
        ltk_criterion_release(c);
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, (long)ltk_utf8_count(text, lead) + 1, "%s", why);
    }
    slo->n++;
    return LTK_OK;
}

int ltk_capacity_slo_add(struct ltk_capacity_slo *slo, const char *text, struct ltk_error *err)
{
    size_t had = slo->n, start = 0, i = 0;
    bool quoted = false;
    int rc = LTK_OK;
    for (;; i++) {
        char ch = text[i];
        if (quoted && ch == '\\' && (text[i + 1] == '"' || text[i + 1] == '\\')) {
            i++;
            continue;
        }
        if (ch == '"')
            quoted = !quoted;
        if (ch && (quoted || ch != ','))
            continue;
        if ((rc = slo_add_one(slo, text, start, i, err)))
            break;
        if (!ch)
            break;
        start = i + 1;
    }
    char all[sizeof slo->text];
    size_t used = 0;
    for (size_t k = 0; rc == LTK_OK && k < slo->n; k++) {
        char one[64];
        slo_cond_text(&slo->cond[k], one, sizeof one);
        int w = snprintf(all + used, sizeof all - used, "%s%s", k ? "," : "", one);
        if (w < 0 || (size_t)w >= sizeof all - used)
            rc = ltk_error_set(err, LTK_ELIMIT, NULL, 0, 0, "the conditions are too long together");
        else
            used += (size_t)w;
    }
    if (rc) {
        while (slo->n > had)
            ltk_criterion_release(&slo->cond[--slo->n]);
        return rc;
    }
    memcpy(slo->text, all, used + 1);
    return LTK_OK;
}

void ltk_capacity_slo_release(struct ltk_capacity_slo *slo)
{
    for (size_t k = 0; k < slo->n; k++)
        ltk_criterion_release(&slo->cond[k]);
    memset(slo, 0, sizeof *slo);
}

/* ---- levels from a run ------------------------------------------------------ */

/* Cumulative sum of response times (ms) at each series tick, from the
 * Aggregated rows' average x count; NAN where unknown. */
static double *response_sums(const struct ltk_run *run, const struct ltk_series *s)
{
    double *sum = malloc((s->n ? s->n : 1) * sizeof *sum);
    if (!sum)
        return NULL;
    for (size_t k = 0; k < s->n; k++)
        sum[k] = NAN;
    size_t k = 0;
    for (size_t i = 0; i < run->nhistory && k < s->n; i++) {
        const struct ltk_history_row *h = &run->history[i];
        if (!h->is_total)
            continue;
        while (k < s->n && s->t[k].ts < h->ts)
            k++;
        if (k < s->n && s->t[k].ts == h->ts)
            sum[k] = h->mean * (double)h->requests;  /* the last row of a second wins */
    }
    return sum;
}

/* Sum of response times over tick k's interval (ms), as d_requests counts. */
static double d_sum(const struct ltk_series *s, const double *sum, size_t k)
{
    if (k == 0)
        return sum[0];
    bool reset = s->t[k].requests < s->t[k - 1].requests || s->t[k].failures < s->t[k - 1].failures;
    return reset ? sum[k] : sum[k] - sum[k - 1];
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* qsort: a band or plateau may hold every tick of a day-long run */
static double median(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void finish_counts(struct ltk_capacity_level *l, double rt_sum)
{
    l->rps = l->duration > 0 ? (double)l->requests / l->duration : NAN;
    l->ok_rps = l->duration > 0 ? (double)(l->requests - l->failures) / l->duration : NAN;
    l->error_rate = l->requests ? (double)l->failures / (double)l->requests : NAN;
    l->mean_ms = l->requests && isfinite(rt_sum) ? rt_sum / (double)l->requests : NAN;
}

/* User bands for a ramp: ticks (each covering the seconds since the one
 * before) grouped by their user count into nbins equal bands. */
static int bin_levels(const struct ltk_series *s, const double *sum, size_t nbins,
                      struct ltk_capacity_result *r)
{
    int64_t umin = INT64_MAX, umax = 0;
    for (size_t k = 1; k < s->n; k++)
        if (s->t[k].users > 0 && s->t[k - 1].users > 0) {
            umin = s->t[k].users < umin ? s->t[k].users : umin;
            umax = s->t[k].users > umax ? s->t[k].users : umax;
        }
    if (umax == 0 || nbins == 0 || nbins > LTK_CAPACITY_MAX_BINS)
        return LTK_OK;
    int64_t width = (umax - umin + (int64_t)nbins) / (int64_t)nbins;
    if (width < 1)
        width = 1;
    r->levels = calloc(nbins, sizeof *r->levels);
    double *buf = malloc(3 * (s->n ? s->n : 1) * sizeof *buf);
    if (!r->levels || !buf) {
        free(buf);
        return LTK_ENOMEM;
    }
    for (size_t b = 0; b < nbins; b++) {
        int64_t lo = umin + (int64_t)b * width, hi = lo + width - 1;
        struct ltk_capacity_level l;
        level_init(&l);
        l.users_min = INT64_MAX;
        double uw = 0, rt = 0;
        size_t n50 = 0, n95 = 0, n99 = 0;
        double *v50 = buf, *v95 = buf + s->n, *v99 = buf + 2 * s->n;
        for (size_t k = 1; k < s->n; k++) {
            int64_t u = s->t[k].users;
            if (u < lo || u > hi || s->t[k - 1].users <= 0)
                continue;
            double dt = (double)(s->t[k].ts - s->t[k - 1].ts);
            l.ticks++;
            l.duration += dt;
            uw += dt * (double)u;
            l.requests += s->t[k].d_requests;
            l.failures += s->t[k].d_failures;
            rt += d_sum(s, sum, k);
            l.users_min = u < l.users_min ? u : l.users_min;
            l.users_max = u > l.users_max ? u : l.users_max;
            if (!l.start)
                l.start = s->t[k - 1].ts;
            l.end = s->t[k].ts;
            if (s->kind == LTK_HPCT_WINDOW) {
                if (!isnan(s->t[k].p50))
                    v50[n50++] = s->t[k].p50;
                if (!isnan(s->t[k].p95))
                    v95[n95++] = s->t[k].p95;
                if (!isnan(s->t[k].p99))
                    v99[n99++] = s->t[k].p99;
            }
        }
        if (l.ticks < 3 || !(l.duration > 0))
            continue;
        l.users = round(uw / l.duration * 10) / 10;  /* a band's users, to 0.1 */
        finish_counts(&l, rt);
        l.p50 = median(v50, n50);
        l.p95 = median(v95, n95);
        l.p99 = median(v99, n99);
        r->levels[r->nlevels++] = l;
    }
    free(buf);
    return LTK_OK;
}

int ltk_capacity_levels_from_run(const struct ltk_run *run, const struct ltk_capacity_options *opt,
                                 struct ltk_capacity_result *r, struct ltk_error *err)
{
    result_init(r);
    if (opt->bins > LTK_CAPACITY_MAX_BINS)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "user bands: at most %d, got %zu",
                             LTK_CAPACITY_MAX_BINS, opt->bins);
    struct ltk_series s;
    int rc = ltk_series_from_run(run, NULL, NULL, &s, err);
    if (rc == LTK_EINVAL)
        return ltk_error_set(err, LTK_EINVAL, run->label, 0, 0,
                             "no stats_history.csv rows: capacity needs Locust's history over time");
    if (rc)
        return rc;
    r->have_latency = s.kind == LTK_HPCT_WINDOW;
    r->latency_interval_s = run->raw_source && !ltk_run_from_locust_json(run) ? run->history_window_s : 0;
    r->users_derived = run->users_derived;
    double *sum = response_sums(run, &s);
    struct ltk_plateau *p = NULL;
    size_t np = 0;
    if (!sum || ltk_series_plateaus(&s, opt->settle, opt->min_plateau, &p, &np)) {
        free(sum);
        ltk_series_release(&s);
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    }
    rc = LTK_OK;
    if (np >= 3 || (np >= 1 && opt->bins == 0)) {
        r->source = LTK_CAP_PLATEAUS;
        r->levels = calloc(np, sizeof *r->levels);
        if (!r->levels)
            rc = LTK_ENOMEM;
        for (size_t i = 0; rc == LTK_OK && i < np; i++) {
            struct ltk_capacity_level *l = &r->levels[r->nlevels++];
            level_init(l);
            l->users = (double)p[i].users;
            l->users_min = l->users_max = p[i].users;
            l->requests = p[i].requests;
            l->failures = p[i].failures;
            l->ticks = p[i].last - p[i].first + 1;
            l->duration = (double)(p[i].end - p[i].start);
            l->start = p[i].start;
            l->end = p[i].end;
            double rt = 0;
            for (size_t k = p[i].first + 1; k <= p[i].last; k++)
                rt += d_sum(&s, sum, k);
            finish_counts(l, rt);
            l->p50 = p[i].p50;
            l->p95 = p[i].p95;
            l->p99 = p[i].p99;
        }
    } else if (opt->bins > 0) {
        r->source = LTK_CAP_BINS;
        rc = bin_levels(&s, sum, opt->bins, r);
    }
    free(p);
    free(sum);
    ltk_series_release(&s);
    if (rc)
        return ltk_error_set(err, rc, NULL, 0, 0, "out of memory");
    if (r->nlevels == 0)
        return ltk_error_set(err, LTK_EINVAL, run->label, 0, 0,
                             "no load levels found: no plateau of constant users lasted %lld s after "
                             "%lld s of settling, %s",
                             (long long)opt->min_plateau, (long long)opt->settle,
                             opt->bins == 0 ? "and --bins 0 turned user bands off"
                                            : "and too few ticks had users to form bands");
    return LTK_OK;
}

/* ---- levels from a table ---------------------------------------------------- */

struct table_ctx {
    const char *path;
    struct ltk_capacity_result *r;
    size_t cap;
};

static int table_record(const struct ltk_csv_record *rec, void *vctx, struct ltk_error *err)
{
    struct table_ctx *ctx = vctx;
    if (rec->index == 0) {
        if (rec->nfields == 2 && ((strcasecmp(rec->fields[0], "load") == 0 &&
                                   strcasecmp(rec->fields[1], "throughput") == 0) ||
                                  (strcasecmp(rec->fields[0], "users") == 0 &&
                                   strcasecmp(rec->fields[1], "rps") == 0)))
            return LTK_OK;
        return ltk_error_set(err, LTK_EFORMAT, ctx->path, rec->line, 0,
                             "expected the header 'load,throughput' or 'users,rps'");
    }
    if (rec->nfields != 2)
        return ltk_error_set(err, LTK_EFORMAT, ctx->path, rec->line, 0, "expected 2 fields, got %zu",
                             rec->nfields);
    double v[2];
    for (size_t f = 0; f < 2; f++) {
        const char *why = ltk_parse_nonneg(rec->fields[f], &v[f]);
        if (why) {
            char q[80];
            ltk_quote_text(rec->fields[f], q, sizeof q);
            return ltk_error_set(err, LTK_EFORMAT, ctx->path, rec->line, (long)f + 1,
                                 "%s: expected %s, got %s", f ? "throughput" : "load", why, q);
        }
    }
    if (!(v[0] > 0))
        return ltk_error_set(err, LTK_EFORMAT, ctx->path, rec->line, 1, "load must be above 0");
    if (v[0] > (double)LTK_MAX_EXACT_INT)  /* users are counted in int64_t */
        return ltk_error_set(err, LTK_EFORMAT, ctx->path, rec->line, 1, "load must be at most 2^53");
    struct ltk_capacity_result *r = ctx->r;
    if (r->nlevels == ctx->cap) {
        size_t ncap = ctx->cap ? 2 * ctx->cap : 16;
        if (ncap > 10000)
            return ltk_error_set(err, LTK_ELIMIT, ctx->path, rec->line, 0, "more than 10000 rows");
        struct ltk_capacity_level *l = realloc(r->levels, ncap * sizeof *l);
        if (!l)
            return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
        r->levels = l;
        ctx->cap = ncap;
    }
    struct ltk_capacity_level *l = &r->levels[r->nlevels++];
    level_init(l);
    l->users = v[0];
    l->users_min = l->users_max = (int64_t)ceil(v[0]);
    l->rps = l->ok_rps = v[1];
    return LTK_OK;
}

/* Stable insertion sort by users: rows with equal loads keep file order. */
static void sort_levels(struct ltk_capacity_level *l, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && l[j].users < l[j - 1].users; j--) {
            struct ltk_capacity_level t = l[j];
            l[j] = l[j - 1];
            l[j - 1] = t;
        }
}

int ltk_capacity_read_table_fp(FILE *fp, const char *name, struct ltk_capacity_result *r,
                               struct ltk_error *err)
{
    result_init(r);
    r->source = LTK_CAP_TABLE;
    struct table_ctx ctx = { name, r, 0 };
    struct ltk_csv_options opt = LTK_CSV_OPTIONS_DEFAULT;
    opt.max_field = 4096;
    struct ltk_csv_info info;
    int rc = ltk_csv_read(fp, name, &opt, table_record, &ctx, &info, err);
    if (rc == LTK_OK && info.records == 0)
        rc = ltk_error_set(err, LTK_EFORMAT, name, 1, 0,
                           "empty file: expected the header 'load,throughput' or 'users,rps'");
    else if (rc == LTK_OK && r->nlevels == 0)
        rc = ltk_error_set(err, LTK_EFORMAT, name, info.lines, 0, "no data rows after the header");
    if (rc) {
        ltk_capacity_release(r);
        result_init(r);
        return rc;
    }
    sort_levels(r->levels, r->nlevels);
    return LTK_OK;
}

int ltk_capacity_read_table(const char *path, struct ltk_capacity_result *r, struct ltk_error *err)
{
    result_init(r);
    r->source = LTK_CAP_TABLE;
    FILE *fp;
    int rc = ltk_open_input(path, &fp, err);
    if (rc)
        return rc;
    rc = ltk_capacity_read_table_fp(fp, path, r, err);
    fclose(fp);
    return rc;
}

/* ---- analysis ------------------------------------------------------------- */

static void finding(struct ltk_capacity_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void finding(struct ltk_capacity_result *r, const char *fmt, ...)
{
    if (r->nfindings == LTK_CAPACITY_MAX_FINDINGS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->findings[r->nfindings++], sizeof r->findings[0], fmt, ap);
    va_end(ap);
}

/* The throughput the fit and the knee use. */
static double fitted(const struct ltk_capacity_result *r, const struct ltk_capacity_level *l)
{
    return r->usl_fit_total ? l->rps : l->ok_rps;
}

/* The value of an SLO condition's metric at level l, in the criterion's unit
 * (ms, percent, req/s); NAN unknown. */
static double metric_value(const struct ltk_capacity_level *l, const struct ltk_criterion *c)
{
    switch (c->metric) {
    case LTK_MET_PCT: return c->pct == 50 ? l->p50 : c->pct == 95 ? l->p95 : l->p99;
    case LTK_MET_MEDIAN: return l->p50;
    case LTK_MET_MEAN: return l->mean_ms;
    case LTK_MET_RPS: return l->rps;
    default: return l->error_rate * 100;
    }
}

/* Checks level l against the module's error criterion and the SLO; writes
 * the failing parts to why.  Returns 1 holds, 0 fails, -1 cannot tell. */
static int check_level(const struct ltk_capacity_level *l, const struct ltk_capacity_options *opt, char *why,
                       size_t size)
{
    int verdict = 1;
    size_t used = 0;
    why[0] = '\0';
    if (isnan(l->error_rate)) {
        verdict = -1;
    } else if (l->error_rate > LTK_CAPACITY_BREAK_ERROR_RATE) {
        verdict = 0;
        used += (size_t)snprintf(why + used, size - used, "error rate %.1f %% > %g %% (the module's stress criterion)",
                                 l->error_rate * 100, LTK_CAPACITY_BREAK_ERROR_RATE * 100);
    }
    for (size_t i = 0; i < opt->slo.n && used < size; i++) {
        const struct ltk_criterion *c = &opt->slo.cond[i];
        double v = metric_value(l, c);
        if (isnan(v)) {
            if (verdict == 1)
                verdict = -1;
            continue;
        }
        if (ltk_cmp_holds(c->op, v, c->limit))
            continue;
        verdict = 0;
        char cond[64];
        slo_cond_text(c, cond, sizeof cond);
        if (c->metric == LTK_MET_ERROR_RATE)
            used += (size_t)snprintf(why + used, size - used, "%serror rate %.1f %% breaks %s", used ? "; " : "",
                                     v, cond);
        else if (c->metric == LTK_MET_RPS)
            used += (size_t)snprintf(why + used, size - used, "%s%.2f req/s breaks %s", used ? "; " : "", v, cond);
        else
            used += (size_t)snprintf(why + used, size - used, "%s%s %.0f ms breaks %s", used ? "; " : "",
                                     c->metric_name, v, cond);
    }
    return verdict;
}

static void find_knee(struct ltk_capacity_result *r)
{
    const struct ltk_capacity_level *l = r->levels;
    if (r->nlevels < 2 || !(fitted(r, &l[0]) > 0))
        return;
    double base = fitted(r, &l[0]) / l[0].users;
    for (size_t i = 1; i < r->nlevels; i++) {
        double dn = l[i].users - l[i - 1].users;
        if (!(dn > 0))
            continue;
        double gain = (fitted(r, &l[i]) - fitted(r, &l[i - 1])) / dn;
        if (!(gain < LTK_CAPACITY_KNEE_SHARE * base))
            continue;
        char lat[160] = "";
        if (!isnan(l[i].p95) && !isnan(l[i - 1].p95)) {
            if (!(l[i].p95 > l[i - 1].p95))
                continue;
            snprintf(lat, sizeof lat, ", while p95 rose from %.0f to %.0f ms", l[i - 1].p95, l[i].p95);
        } else if (!isnan(l[i].mean_ms) && !isnan(l[i - 1].mean_ms)) {
            if (!(l[i].mean_ms > l[i - 1].mean_ms))
                continue;
            snprintf(lat, sizeof lat, ", while the mean response time rose from %.0f to %.0f ms",
                     l[i - 1].mean_ms, l[i].mean_ms);
        } else {
            snprintf(lat, sizeof lat, " (no latency data: throughput alone)");
        }
        r->knee = (ptrdiff_t)(i - 1);
        ltk_fit_printf(r->knee_reason, sizeof r->knee_reason,
                       "from %g to %g users throughput changed by %.3g req/s per added user, %.0f %% of the %.3g "
                       "per user at the first level (threshold %g %%)%s",
                       l[i - 1].users, l[i].users, gain, gain / base * 100, base, LTK_CAPACITY_KNEE_SHARE * 100, lat);
        return;
    }
}

static void little(struct ltk_capacity_result *r, const struct ltk_capacity_options *opt)
{
    if (r->source == LTK_CAP_TABLE)
        return;
    double z[512];
    size_t nz = 0;
    for (size_t i = 0; i < r->nlevels; i++) {
        struct ltk_capacity_level *l = &r->levels[i];
        if (!(l->rps > 0) || isnan(l->mean_ms))
            continue;
        double resp = l->mean_ms / 1000;
        l->think_s = l->users / l->rps - resp;
        if (nz < sizeof z / sizeof z[0])
            z[nz++] = l->think_s;
        if (!isnan(opt->think_time))
            l->little_users = l->rps * (resp + opt->think_time);
    }
    r->think_given = !isnan(opt->think_time);
    if (r->think_given) {
        r->think_time = opt->think_time;
        size_t checked = 0, off = 0;
        for (size_t i = 0; i < r->nlevels; i++)
            if (!isnan(r->levels[i].little_users)) {
                checked++;
                off += fabs(r->levels[i].little_users / r->levels[i].users - 1) > LTK_CAPACITY_LITTLE_TOLERANCE;
            }
        if (checked && !off)
            finding(r, "Little's law with Z = %g s: X (R + Z) is within %g %% of the user count at all %zu levels, "
                       "so the closed loop ran as configured",
                    opt->think_time, LTK_CAPACITY_LITTLE_TOLERANCE * 100, checked);
        for (size_t i = 0; i < r->nlevels; i++) {
            const struct ltk_capacity_level *l = &r->levels[i];
            if (isnan(l->little_users))
                continue;
            double ratio = l->little_users / l->users;
            if (fabs(ratio - 1) > LTK_CAPACITY_LITTLE_TOLERANCE)
                finding(r,
                        "at %g users Little's law with Z = %g s expects X(R+Z) = %.1f users busy, %.0f %% of "
                        "those running: %s",
                        l->users, opt->think_time, l->little_users, ratio * 100,
                        ratio < 1 ? "users spent time neither waiting for a response nor thinking (a saturated "
                                    "load generator, spawning, or a longer think time than given)"
                                  : "users sent more than the think time allows (a shorter think time than given, "
                                    "or several requests per task)");
        }
    } else if (nz > 0) {
        double zs[512];
        memcpy(zs, z, nz * sizeof z[0]);
        r->think_time = median(zs, nz);
        double lo = zs[0], hi = zs[nz - 1];
        finding(r,
                "Little's law (users = X (R + Z)) puts the think time Z between %.2f and %.2f s per request "
                "(median %.2f s); give --think-time to check the levels against the locustfile's wait_time",
                lo, hi, r->think_time);
        if (hi - lo > 2 * LTK_CAPACITY_LITTLE_TOLERANCE * fabs(r->think_time))
            finding(r,
                    "the inferred think time is not steady across levels: where it grows, users were neither "
                    "waiting for a response nor thinking as often as the loop implies (generator saturation, "
                    "spawning), so the load offered was lower than the user count says");
    }
}

/* Mean response time predicted from the fit and Little's law reaches T at
 * the N solving kappa N^2 + (sigma - kappa) N + 1 - sigma - lambda (T + Z) = 0. */
static double users_at_response(const double p[LTK_USL_NPARAM], void *ctx)
{
    double tz = *(const double *)ctx;
    double s = p[LTK_USL_SIGMA], k = p[LTK_USL_KAPPA], c = 1 - s - p[LTK_USL_LAMBDA] * tz;
    if (k > 0) {
        double b = s - k, disc = b * b - 4 * k * c;
        return disc >= 0 ? (-b + sqrt(disc)) / (2 * k) : NAN;
    }
    if (k == 0 && s > 0)
        return -c / s;
    return NAN;
}

static void fit_usl(struct ltk_capacity_result *r)
{
    double n[512], x[512];
    size_t m = 0;
    for (size_t i = 0; i < r->nlevels && m < 512; i++) {
        double y = fitted(r, &r->levels[i]);
        if (isfinite(y)) {
            n[m] = r->levels[i].users;
            x[m++] = y;
        }
    }
    struct ltk_error err;
    ltk_error_clear(&err);
    if (ltk_usl_fit(n, x, m, &r->usl, &err)) {
        snprintf(r->usl_why, sizeof r->usl_why, "%s", err.msg);
        return;
    }
    r->usl_ok = true;
    const struct ltk_usl_fit *f = &r->usl;
    if (!f->converged)
        finding(r, "the USL fit did not converge in %zu iterations: treat its coefficients with care",
                f->iterations);
    if (f->p[LTK_USL_LAMBDA] <= 0)
        finding(r, "the fitted lambda (throughput of one user) is %.3g, not positive: the levels do not follow "
                   "the USL's shape",
                f->p[LTK_USL_LAMBDA]);
    if (f->p[LTK_USL_SIGMA] < 0)
        finding(r,
                "sigma is negative (%.3g): throughput grew faster than linearly over the first levels, which "
                "the USL reads as negative contention; usually warm-up, caches filling or too few low-load "
                "levels; add a level near 1 user and let each step settle",
                f->p[LTK_USL_SIGMA]);
    if (f->p[LTK_USL_KAPPA] <= 0)
        finding(r,
                "kappa is %s (%.3g): no retrograde region was seen, so the fit predicts no peak; test at "
                "higher load to find where throughput turns down",
                f->p[LTK_USL_KAPPA] < 0 ? "negative" : "zero", f->p[LTK_USL_KAPPA]);
    else if (f->ci_lo[LTK_USL_KAPPA] <= 0)
        finding(r, "kappa's 95 %% interval includes 0: the peak is poorly determined by these levels");
    if (f->p[LTK_USL_SIGMA] >= 1)
        finding(r, "sigma is %.3g (>= 1): throughput does not grow with load at all", f->p[LTK_USL_SIGMA]);
    if (!isnan(f->r2) && f->r2 < 0.9)
        finding(r, "the USL explains only %.0f %% of the throughput variance (R2 %.3f): read its peak loosely",
                f->r2 * 100, f->r2);
    if (!isnan(f->peak_users)) {
        size_t best = 0;
        for (size_t i = 1; i < r->nlevels; i++)
            if (fitted(r, &r->levels[i]) > fitted(r, &r->levels[best]))
                best = i;
        const struct ltk_capacity_level *top = &r->levels[r->nlevels - 1];
        finding(r,
                "the USL peaks at N* = %.0f users with X(N*) = %.2f req/s; the best measured level is %.2f "
                "req/s at %g users%s",
                f->peak_users, f->max_rps, fitted(r, &r->levels[best]), r->levels[best].users,
                f->peak_users > top->users ? " (N* lies beyond the highest level tested: an extrapolation)" : "");
    }
}

static void predict(struct ltk_capacity_result *r, const struct ltk_capacity_options *opt)
{
    double limit = NAN;
    const char *metric = NULL;
    bool mean = false, median = false;
    for (size_t i = 0; i < opt->slo.n; i++) {
        const struct ltk_criterion *c = &opt->slo.cond[i];
        bool upper = c->op == LTK_CMP_LT || c->op == LTK_CMP_LE;
        if (slo_time_metric(c) && upper && !(c->limit >= limit)) {
            limit = c->limit;
            metric = c->metric_name;
            mean = c->metric == LTK_MET_MEAN;
            median = c->metric == LTK_MET_MEDIAN || (c->metric == LTK_MET_PCT && c->pct == 50);
        }
    }
    if (!metric) {
        snprintf(r->predicted_how, sizeof r->predicted_how,
                 "no latency objective given (--slo 'p95<2s'): the USL models throughput, not errors");
        return;
    }
    if (!r->usl_ok || isnan(r->think_time)) {
        snprintf(r->predicted_how, sizeof r->predicted_how, "needs a USL fit and a think time (given or inferred)");
        return;
    }
    double tz = limit / 1000 + r->think_time;
    r->predicted_users = ltk_usl_interval(&r->usl, users_at_response, &tz, r->predicted_ci);
    if (isnan(r->predicted_users)) {
        snprintf(r->predicted_how, sizeof r->predicted_how,
                 "the fit never brings the mean response time to %gms", limit);
        return;
    }
    char bound[128] = "";
    if (median)
        snprintf(bound, sizeof bound, "; latencies skew right, so the mean is usually above the median: an "
                                      "estimate, not a bound");
    else if (!mean)
        snprintf(bound, sizeof bound, "; the mean is below %s, so this is an upper bound", metric);
    snprintf(r->predicted_how, sizeof r->predicted_how,
             "users at which the mean response time N/X(N) - Z predicted by the USL fit reaches the %s limit "
             "of %gms (Z = %.2f s)%s",
             metric, limit, r->think_time, bound);
}

int ltk_capacity_analyse(struct ltk_capacity_result *r, const struct ltk_capacity_options *opt)
{
    r->usl_fit_total = opt->fit_total || r->source == LTK_CAP_TABLE;
    int used = snprintf(r->criterion, sizeof r->criterion, "error_rate<=%g%%", LTK_CAPACITY_BREAK_ERROR_RATE * 100);
    if (opt->slo.n && used > 0 && (size_t)used < sizeof r->criterion)
        snprintf(r->criterion + used, sizeof r->criterion - (size_t)used, ",%s", opt->slo.text);

    bool failed = false;
    for (size_t i = 0; i < r->nlevels; i++) {
        struct ltk_capacity_level *l = &r->levels[i];
        char why[256];
        l->slo = check_level(l, opt, why, sizeof why);
        if (l->slo == 0 && r->breaking < 0) {
            r->breaking = (ptrdiff_t)i;
            snprintf(r->breaking_reason, sizeof r->breaking_reason, "%s", why);
        }
        if (l->slo == 0)
            failed = true;
        if (!failed && l->slo == 1)
            r->capacity = (ptrdiff_t)i;
        if (i > 0 && l->users > r->levels[i - 1].users &&
            fitted(r, l) < fitted(r, &r->levels[i - 1]) * (1 - LTK_CAPACITY_FALL_SHARE))
            l->falling = true;
    }
    find_knee(r);

    for (size_t i = 0; i < r->nlevels; i++) {
        const struct ltk_capacity_level *l = &r->levels[i], *prev = i ? &r->levels[i - 1] : NULL;
        if (!l->falling)
            continue;
        if (r->source == LTK_CAP_TABLE) {
            finding(r, "throughput fell from %g to %g as the load rose from %g to %g: the retrograde region "
                       "past the peak",
                    fitted(r, prev), fitted(r, l), prev->users, l->users);
            break;
        }
        bool sent_more = !r->usl_fit_total && l->rps >= prev->rps;
        finding(r,
                "throughput fell from %.2f to %.2f req/s as users rose from %g to %g%s: past the peak, and in "
                "a closed loop like Locust's each user waits for its answer before the next request, so a slow "
                "system receives fewer requests; those never sent are never timed (coordinated omission), so "
                "the percentiles understate what an open stream of arrivals would see",
                fitted(r, prev), fitted(r, l), prev->users, l->users,
                sent_more ? " while the generator sent as many requests or more (the extra ones failed)" : "");
        break;  /* one explanation is enough; the table marks every such level */
    }
    if (r->users_derived)
        finding(r, "the input has no user counts: the levels are of requests in flight, derived per interval by "
                   "Little's law (users who think between requests are not counted), so the think time comes out "
                   "near 0 by construction and Little's law cannot check the closed loop");
    if (r->source == LTK_CAP_BINS && r->latency_interval_s > 0)
        finding(r, "no plateaus of constant users: levels are bands of the ramp's user count; a band's "
                   "percentiles are the median of those of its %lld s intervals (each from the interval's "
                   "histogram)",
                (long long)r->latency_interval_s);
    else if (r->source == LTK_CAP_BINS)
        finding(r, "no plateaus of constant users: levels are bands of the ramp's user count; Locust's 10 s window "
                   "percentiles lag the ramp, so each band's percentiles partly reflect fewer users");
    if (r->source != LTK_CAP_TABLE && !r->have_latency)
        finding(r, "the history has whole-run percentiles only (Locust without --csv-full-history): per-level "
                   "percentiles are unknown; latency criteria cannot be checked");

    fit_usl(r);
    little(r, opt);
    predict(r, opt);
    return LTK_OK;
}

/* ---- JSON ----------------------------------------------------------------- */

/* Fitted figures are rounded to 6 significant digits: more is noise. */
static double sig6(double v)
{
    if (!isfinite(v) || v == 0)
        return v;
    char buf[32];
    snprintf(buf, sizeof buf, "%.6g", v);
    return strtod(buf, NULL);
}

static void put_tri(struct ltk_jb *b, cJSON *obj, const char *key, int v)
{
    if (!(v < 0 ? cJSON_AddNullToObject(obj, key) : cJSON_AddBoolToObject(obj, key, v)))
        b->failed = true;
}

static void put_pair(struct ltk_jb *b, cJSON *obj, const char *key, double lo, double hi)
{
    cJSON *a = ltk_jb_arr(b, obj, key);
    cJSON *x = ltk_json_number(sig6(lo));
    if (!a || !x || !cJSON_AddItemToArray(a, x)) {
        cJSON_Delete(x);
        b->failed = true;
        return;
    }
    cJSON *y = ltk_json_number(sig6(hi));
    if (!y || !cJSON_AddItemToArray(a, y)) {
        cJSON_Delete(y);
        b->failed = true;
    }
}

static const char *source_name(enum ltk_capacity_source s)
{
    return s == LTK_CAP_PLATEAUS ? "plateaus" : s == LTK_CAP_BINS ? "user_bands" : "table";
}

cJSON *ltk_capacity_to_json(const struct ltk_capacity_result *r, const char *label)
{
    struct ltk_jb b = { false };
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return NULL;
    bool run = r->source != LTK_CAP_TABLE;
    ltk_jb_str(&b, doc, "schema", "ltk.capacity/1");
    ltk_jb_str(&b, doc, "input", label);
    ltk_jb_str(&b, doc, "levels_from", source_name(r->source));
    ltk_jb_str(&b, doc, "criterion", r->criterion);
    cJSON *levels = cJSON_AddArrayToObject(doc, "levels");
    if (!levels)
        b.failed = true;
    for (size_t i = 0; levels && i < r->nlevels; i++) {
        const struct ltk_capacity_level *l = &r->levels[i];
        cJSON *o = ltk_jb_obj(&b, levels, NULL);
        if (!o)
            break;
        ltk_jb_num(&b, o, "users", l->users);
        ltk_jb_num(&b, o, "users_min", run ? (double)l->users_min : NAN);
        ltk_jb_num(&b, o, "users_max", run ? (double)l->users_max : NAN);
        ltk_jb_num(&b, o, "rps", l->rps);
        ltk_jb_num(&b, o, "ok_rps", run ? l->ok_rps : NAN);
        ltk_jb_num(&b, o, "p50", l->p50);
        ltk_jb_num(&b, o, "p95", l->p95);
        ltk_jb_num(&b, o, "p99", l->p99);
        ltk_jb_num(&b, o, "mean_ms", sig6(l->mean_ms));
        ltk_jb_num(&b, o, "error_rate", l->error_rate);
        ltk_jb_num(&b, o, "requests", run ? (double)l->requests : NAN);
        ltk_jb_num(&b, o, "failures", run ? (double)l->failures : NAN);
        ltk_jb_num(&b, o, "ticks", run ? (double)l->ticks : NAN);
        ltk_jb_num(&b, o, "duration_s", run ? l->duration : NAN);
        ltk_jb_num(&b, o, "think_time_s", sig6(l->think_s));
        ltk_jb_num(&b, o, "little_users", sig6(l->little_users));
        if (!cJSON_AddBoolToObject(o, "throughput_falls", l->falling))
            b.failed = true;
        put_tri(&b, o, "meets_criterion", l->slo);
    }
    if (r->breaking >= 0) {
        cJSON *o = ltk_jb_obj(&b, doc, "breaking_point");
        if (o) {
            ltk_jb_num(&b, o, "users", sig6(r->levels[r->breaking].users));
            ltk_jb_str(&b, o, "reason", r->breaking_reason);
        }
    } else if (!cJSON_AddNullToObject(doc, "breaking_point")) {
        b.failed = true;
    }
    ltk_jb_num(&b, doc, "knee_users", r->knee >= 0 ? sig6(r->levels[r->knee].users) : NAN);
    ltk_jb_str(&b, doc, "knee_reason", r->knee >= 0 ? r->knee_reason : NULL);
    if (r->usl_ok) {
        const struct ltk_usl_fit *f = &r->usl;
        cJSON *o = ltk_jb_obj(&b, doc, "usl");
        if (o) {
            ltk_jb_str(&b, o, "fitted", r->source == LTK_CAP_TABLE ? "throughput" : r->usl_fit_total ? "rps" : "ok_rps");
            ltk_jb_num(&b, o, "points", (double)f->n);
            ltk_jb_num(&b, o, "sigma", sig6(f->p[LTK_USL_SIGMA]));
            ltk_jb_num(&b, o, "kappa", sig6(f->p[LTK_USL_KAPPA]));
            ltk_jb_num(&b, o, "lambda", sig6(f->p[LTK_USL_LAMBDA]));
            ltk_jb_num(&b, o, "r2", sig6(f->r2));
            cJSON *ci = ltk_jb_obj(&b, o, "ci95");
            if (ci) {
                put_pair(&b, ci, "sigma", f->ci_lo[LTK_USL_SIGMA], f->ci_hi[LTK_USL_SIGMA]);
                put_pair(&b, ci, "kappa", f->ci_lo[LTK_USL_KAPPA], f->ci_hi[LTK_USL_KAPPA]);
                put_pair(&b, ci, "lambda", f->ci_lo[LTK_USL_LAMBDA], f->ci_hi[LTK_USL_LAMBDA]);
                put_pair(&b, ci, "peak_users", f->peak_ci[0], f->peak_ci[1]);
                put_pair(&b, ci, "max_rps", f->max_rps_ci[0], f->max_rps_ci[1]);
            }
            ltk_jb_num(&b, o, "peak_users", sig6(f->peak_users));
            ltk_jb_num(&b, o, "max_rps", sig6(f->max_rps));
            if (!cJSON_AddBoolToObject(o, "converged", f->converged))
                b.failed = true;
        }
    } else if (!cJSON_AddNullToObject(doc, "usl")) {
        b.failed = true;
    }
    ltk_jb_str(&b, doc, "usl_note", r->usl_ok ? NULL : r->usl_why);
    cJSON *cap = ltk_jb_obj(&b, doc, "capacity");
    if (cap) {
        ltk_jb_str(&b, cap, "criterion", r->criterion);
        ltk_jb_num(&b, cap, "measured_users", r->capacity >= 0 ? sig6(r->levels[r->capacity].users) : NAN);
        ltk_jb_num(&b, cap, "predicted_users", sig6(r->predicted_users));
        put_pair(&b, cap, "predicted_ci95", r->predicted_ci[0], r->predicted_ci[1]);
        ltk_jb_str(&b, cap, "predicted_how", r->predicted_how);
    }
    cJSON *lt = ltk_jb_obj(&b, doc, "little");
    if (lt) {
        ltk_jb_num(&b, lt, "think_time_s", sig6(r->think_time));
        ltk_jb_str(&b, lt, "think_time_from", isnan(r->think_time) ? NULL : r->think_given ? "given" : "inferred");
    }
    cJSON *fs = cJSON_AddArrayToObject(doc, "findings");
    for (size_t i = 0; fs && i < r->nfindings; i++) {
        cJSON *s = cJSON_CreateString(r->findings[i]);
        if (!s || !cJSON_AddItemToArray(fs, s)) {
            cJSON_Delete(s);
            b.failed = true;
        }
    }
    if (!fs || b.failed) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

/* ---- the human report ------------------------------------------------------- */

static void cell(struct ltk_buf *b, double v, int width, int decimals)
{
    if (isnan(v))
        ltk_buf_printf(b, "%*s", width, "-");
    else
        ltk_buf_printf(b, "%*.*f", width, decimals, v);
}

static void interval(struct ltk_buf *b, double lo, double hi)
{
    if (isnan(lo) || isnan(hi))
        ltk_buf_puts(b, " [95 % CI unknown]");
    else
        ltk_buf_printf(b, " [%.4g, %.4g]", lo, hi);
}

int ltk_capacity_write_table(FILE *out, const struct ltk_capacity_result *r, const char *label, bool color)
{
    const char *bold = color ? "\x1b[1m" : "", *red = color ? "\x1b[31m" : "", *off = color ? "\x1b[0m" : "";
    struct ltk_buf b;
    ltk_buf_init(&b);
    ltk_buf_puts(&b, "Capacity of ");
    ltk_buf_put_terminal(&b, label);
    if (r->source == LTK_CAP_TABLE)
        ltk_buf_printf(&b, ": %zu rows of (load, throughput)\n\n", r->nlevels);
    else {
        char lat[96] = "";
        if (r->have_latency && r->latency_interval_s > 0)
            snprintf(lat, sizeof lat, "; p50/p95/p99 are medians of the %lld s intervals' percentiles",
                     (long long)r->latency_interval_s);
        else if (r->have_latency)
            snprintf(lat, sizeof lat, "; p50/p95/p99 are medians of Locust's 10 s window values");
        ltk_buf_printf(&b, ": %zu %s%s%s%s\n\n", r->nlevels,
                       r->source == LTK_CAP_PLATEAUS ? "plateau" : "band", r->nlevels == 1 ? "" : "s",
                       r->source == LTK_CAP_PLATEAUS ? " of constant users" : " of the ramp's users", lat);
    }
    bool run = r->source != LTK_CAP_TABLE;
    if (run)
        ltk_buf_printf(&b, "%s  Users    req/s  ok req/s  Errors    p50    p95    p99   Mean  Think  Seconds  Meets%s\n",
                       bold, off);
    else
        ltk_buf_printf(&b, "%s   Load  Throughput%s\n", bold, off);
    for (size_t i = 0; i < r->nlevels; i++) {
        const struct ltk_capacity_level *l = &r->levels[i];
        if (!run) {
            ltk_buf_printf(&b, "%7g  %10g%s\n", l->users, l->rps, l->falling ? "  falls" : "");
            continue;
        }
        cell(&b, l->users, 7, r->source == LTK_CAP_PLATEAUS ? 0 : 1);
        cell(&b, l->rps, 9, 2);
        cell(&b, l->ok_rps, 10, 2);
        if (isnan(l->error_rate))
            ltk_buf_printf(&b, "%8s", "-");
        else
            ltk_buf_printf(&b, "%7.2f%%", l->error_rate * 100);
        cell(&b, l->p50, 7, 0);
        cell(&b, l->p95, 7, 0);
        cell(&b, l->p99, 7, 0);
        cell(&b, l->mean_ms, 7, 0);
        cell(&b, l->think_s, 7, 2);
        cell(&b, l->duration, 9, 0);
        ltk_buf_printf(&b, "  %s%s%s\n", l->slo == 1 ? "yes" : l->slo == 0 ? "NO" : "?",
                       i == (size_t)r->breaking ? " <- breaks" : i == (size_t)r->knee ? " <- knee" : "",
                       l->falling ? " (throughput falls)" : "");
    }
    ltk_buf_printf(&b, "\nCriterion: %s\n", r->criterion);
    if (r->breaking >= 0)
        ltk_buf_printf(&b, "%sBreaking point: %g users%s: %s\n", red, r->levels[r->breaking].users, off,
                       r->breaking_reason);
    else
        ltk_buf_printf(&b, "Breaking point: none %s\n",
                       run ? "(every level meets the criterion or cannot be checked)" : "(a table has no error rates)");
    if (r->knee >= 0)
        ltk_buf_printf(&b, "Knee: %g users: %s\n", r->levels[r->knee].users, r->knee_reason);
    else
        ltk_buf_puts(&b, "Knee: none found\n");
    if (r->capacity >= 0)
        ltk_buf_printf(&b, "Capacity (measured): %g users, the largest level meeting the criterion\n",
                       r->levels[r->capacity].users);
    else
        ltk_buf_puts(&b, "Capacity (measured): unknown\n");
    if (!isnan(r->predicted_users)) {
        ltk_buf_printf(&b, "Capacity (predicted): %.0f users", r->predicted_users);
        interval(&b, r->predicted_ci[0], r->predicted_ci[1]);
        ltk_buf_printf(&b, ", %s\n", r->predicted_how);
    }
    if (r->usl_ok) {
        const struct ltk_usl_fit *f = &r->usl;
        ltk_buf_printf(&b, "\n%sUSL fit%s of %s over %zu levels (95 %% CI, t on %d dof):\n", bold, off,
                       !run ? "throughput" : r->usl_fit_total ? "all requests/s" : "successful requests/s", f->n,
                       f->dof);
        static const char *const names[] = { "sigma ", "kappa ", "lambda" };
        for (size_t j = 0; j < LTK_USL_NPARAM; j++) {
            ltk_buf_printf(&b, "  %s = %.4g", names[j], f->p[j]);
            interval(&b, f->ci_lo[j], f->ci_hi[j]);
            ltk_buf_putc(&b, '\n');
        }
        ltk_buf_printf(&b, "  R2     = %.4f\n", f->r2);
        if (!isnan(f->peak_users)) {
            ltk_buf_printf(&b, "  peak   N* = %.1f users", f->peak_users);
            interval(&b, f->peak_ci[0], f->peak_ci[1]);
            ltk_buf_printf(&b, ", X(N*) = %.3f req/s", f->max_rps);
            interval(&b, f->max_rps_ci[0], f->max_rps_ci[1]);
            ltk_buf_putc(&b, '\n');
        } else {
            ltk_buf_puts(&b, "  peak   none (needs kappa > 0 and sigma < 1)\n");
        }
    } else {
        ltk_buf_printf(&b, "\nUSL fit: none (%s)\n", r->usl_why);
    }
    if (r->nfindings) {
        ltk_buf_printf(&b, "\n%sFindings%s\n", bold, off);
        for (size_t i = 0; i < r->nfindings; i++)
            ltk_buf_printf(&b, "- %s\n", r->findings[i]);
    }
    return ltk_buf_flush(out, &b);
}

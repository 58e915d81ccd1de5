/* Selecting a part of a run: time window and endpoint filters (see
 * ltk/model/select.h). */
#include "ltk/model/select.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/base/num.h"
#include "base/strutil.h"

void ltk_select_init(struct ltk_select *sel)
{
    memset(sel, 0, sizeof *sel);
}

void ltk_select_release(struct ltk_select *sel)
{
    for (size_t i = 0; i < sel->nonly; i++) {
        free(sel->only[i]);
        regfree(&sel->only_re[i]);
    }
    for (size_t i = 0; i < sel->nexclude; i++) {
        free(sel->exclude[i]);
        regfree(&sel->exclude_re[i]);
    }
    ltk_select_init(sel);
}

/* ---- times ---------------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* "YYYY-MM-DDTHH:MM:SS" then "Z" or "+HH:MM" / "-HH:MM", into Unix seconds. */
static bool parse_iso(const char *s, double *out)
{
    int y, mo, d, h, mi, se, oh = 0, om = 0;
    if (strlen(s) < 20 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
        !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2, &h) || s[13] != ':' ||
        !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &se))
        return false;
    const char *z = s + 19;
    int sign = 0;
    if ((z[0] == 'Z' || z[0] == 'z') && z[1] == '\0')
        sign = 0;
    else if ((z[0] == '+' || z[0] == '-') && strlen(z) == 6 && digits(z + 1, 2, &oh) && z[3] == ':' &&
             digits(z + 4, 2, &om) && oh <= 23 && om <= 59)
        sign = z[0] == '+' ? 1 : -1;
    else
        return false;
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) || h > 23 ||
        mi > 59 || se > 60)
        return false;
    *out = (double)(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se) - sign * (oh * 3600 + om * 60);
    return true;
}

int ltk_time_spec_parse(const char *text, struct ltk_time_spec *out, struct ltk_error *err)
{
    struct ltk_time_spec t = { .given = true };
    snprintf(t.text, sizeof t.text, "%s", text);
    if (text[0] == '@') {
        int64_t v;
        if (ltk_parse_int(text + 1, &v) || v < 0 || v > (int64_t)1e12)
            return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                                 "expected Unix seconds after '@' (@1765112700), got '%s'", text);
        t.absolute = true;
        t.value = (double)v;
    } else if (strchr(text, 'T') || strchr(text, 't') || strchr(text, ':')) {
        if (!parse_iso(text, &t.value))
            return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                                 "expected an ISO 8601 time with its zone, 2026-12-07T13:05:00Z or "
                                 "2026-12-07T14:05:00+01:00, got '%s'",
                                 text);
        t.absolute = true;
    } else if (ltk_parse_duration(text, 1, &t.value) || !(t.value <= 1e9)) {
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                             "expected a time since the run's start (90s, 10m, 1h), Unix seconds (@1765112700) "
                             "or an ISO 8601 time (2026-12-07T13:05:00Z), got '%s'",
                             text);
    }
    *out = t;
    return LTK_OK;
}

int ltk_select_set_time(struct ltk_select *sel, bool is_to, const char *text, struct ltk_error *err)
{
    struct ltk_time_spec t;
    int rc = ltk_time_spec_parse(text, &t, err);
    if (rc)
        return rc;
    struct ltk_time_spec *from = is_to ? &sel->from : &t, *to = is_to ? &t : &sel->to;
    if (from->given && to->given && from->absolute == to->absolute && !(to->value > from->value))
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "--to %s is not after --from %s", to->text, from->text);
    *(is_to ? &sel->to : &sel->from) = t;
    return LTK_OK;
}

int ltk_select_bounds(const struct ltk_select *sel, double start, double *lo, double *hi, struct ltk_error *err)
{
    *lo = !sel->from.given ? start : sel->from.absolute ? sel->from.value : start + sel->from.value;
    *hi = !sel->to.given ? INFINITY : sel->to.absolute ? sel->to.value : start + sel->to.value;
    if (!(*hi > *lo))
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                             "--to %s is not after --from %s for a run that starts at Unix time %.0f",
                             sel->to.text, sel->from.given ? sel->from.text : "(the start)", start);
    return LTK_OK;
}

/* ---- endpoints ------------------------------------------------------------ */

int ltk_select_add_pattern(struct ltk_select *sel, bool exclude, const char *pattern, struct ltk_error *err)
{
    size_t *n = exclude ? &sel->nexclude : &sel->nonly;
    const char *opt = exclude ? "--exclude" : "--only";
    if (*n >= LTK_SELECT_MAX_PATTERNS)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "more than %d %s expressions", LTK_SELECT_MAX_PATTERNS,
                             opt);
    regex_t *re = exclude ? &sel->exclude_re[*n] : &sel->only_re[*n];
    int rc = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);
    if (rc) {
        char why[256];
        regerror(rc, re, why, sizeof why);
        regfree(re);
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "%s '%s': not a POSIX extended regular expression: %s",
                             opt, pattern, why);
    }
    char *copy = ltk_strdup(pattern);
    if (!copy) {
        regfree(re);
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    }
    (exclude ? sel->exclude : sel->only)[(*n)++] = copy;
    return LTK_OK;
}

bool ltk_select_window(const struct ltk_select *sel)
{
    return sel && (sel->from.given || sel->to.given);
}

bool ltk_select_filter(const struct ltk_select *sel)
{
    return sel && (sel->nonly || sel->nexclude);
}

bool ltk_select_active(const struct ltk_select *sel)
{
    return ltk_select_window(sel) || ltk_select_filter(sel);
}

bool ltk_select_keeps(const struct ltk_select *sel, const char *method, const char *name)
{
    if (!ltk_select_filter(sel))
        return true;
    char small[512];
    size_t need = strlen(method) + strlen(name) + 2;
    char *text = need <= sizeof small ? small : malloc(need);
    if (!text)
        return true;
    snprintf(text, need, "%s%s%s", method, *method ? " " : "", name);
    bool keep = sel->nonly == 0;
    for (size_t i = 0; i < sel->nonly && !keep; i++)
        keep = regexec(&sel->only_re[i], text, 0, NULL, 0) == 0;
    for (size_t i = 0; i < sel->nexclude && keep; i++)
        keep = regexec(&sel->exclude_re[i], text, 0, NULL, 0) != 0;
    if (text != small)
        free(text);
    return keep;
}

static char **copy_list(char *const *v, size_t n)
{
    char **out = calloc(n ? n : 1, sizeof *out);
    for (size_t i = 0; out && i < n; i++) {
        if (!(out[i] = ltk_strdup(v[i]))) {
            while (i--)
                free(out[i]);
            free(out);
            return NULL;
        }
    }
    return out;
}

int ltk_selection_note_request(struct ltk_selection *what, const struct ltk_select *sel)
{
    what->window = ltk_select_window(sel);
    what->filter = ltk_select_filter(sel);
    snprintf(what->from_text, sizeof what->from_text, "%s", sel->from.given ? sel->from.text : "");
    snprintf(what->to_text, sizeof what->to_text, "%s", sel->to.given ? sel->to.text : "");
    what->from_s = what->to_s = NAN;
    if (!(what->only = copy_list(sel->only, sel->nonly)) || !(what->exclude = copy_list(sel->exclude, sel->nexclude)))
        return LTK_ENOMEM;
    what->nonly = sel->nonly;
    what->nexclude = sel->nexclude;
    return LTK_OK;
}

/* Appends ("; " between) a printf-formatted part to *text. */
static int add_text(char **text, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int add_text(char **text, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *part = ltk_vasprintf(fmt, ap);
    va_end(ap);
    if (!part)
        return LTK_ENOMEM;
    char *all = *text ? ltk_asprintf("%s; %s", *text, part) : part;
    if (*text)
        free(part);
    if (!all)
        return LTK_ENOMEM;
    free(*text);
    *text = all;
    return LTK_OK;
}

/* "nothing matched" with the first few names the input has. */
static int none_matched(struct ltk_error *err, const char *label, size_t n, const char *(*method)(const void *, size_t),
                        const char *(*name)(const void *, size_t), const void *ctx)
{
    char list[400] = "";
    size_t len = 0;
    for (size_t i = 0; i < n && i < 5 && len < sizeof list - 1; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s'%s%s%s'", i ? ", " : "", method(ctx, i),
                                *method(ctx, i) ? " " : "", name(ctx, i));
    if (len >= sizeof list)
        len = sizeof list - 1;
    return ltk_error_set(err, LTK_EINVAL, label, 0, 0, "no endpoint is kept by --only/--exclude: the %zu endpoint(s) "
                         "are %s%s", n, list, n > 5 ? ", ..." : "");
}

/* ---- summaries -------------------------------------------------------------- */

static const char *sum_method(const void *ctx, size_t i)
{
    return ((const struct ltk_summary *)ctx)->endpoints[i].method;
}
static const char *sum_name(const void *ctx, size_t i)
{
    return ((const struct ltk_summary *)ctx)->endpoints[i].name;
}

static void sum_endpoint_release(struct ltk_summary_endpoint *e)
{
    free(e->method);
    free(e->name);
    ltk_shist_release(&e->hist);
    ltk_shist_release(&e->ok);
    ltk_status_release(&e->status);
    for (int k = 0; k < LTK_TIMING_N; k++)
        ltk_shist_release(&e->timing[k]);
}

static int summary_filter(struct ltk_summary *s, const struct ltk_select *sel, const char *label,
                          struct ltk_selection *what, struct ltk_error *err)
{
    size_t ne = s->nendpoints, kept = 0;
    size_t *map = malloc((ne ? ne : 1) * sizeof *map);
    if (!map)
        return ltk_error_set(err, LTK_ENOMEM, label, 0, 0, "out of memory");
    for (size_t i = 0; i < ne; i++)
        map[i] = ltk_select_keeps(sel, s->endpoints[i].method, s->endpoints[i].name) ? kept++ : SIZE_MAX;
    if (!kept) {
        free(map);
        return none_matched(err, label, ne, sum_method, sum_name, s);
    }
    long other = ltk_summary_other(s);
    if (other >= 0 && map[other] == SIZE_MAX)
        s->other_requests = 0;
    for (size_t i = 0; i < ne; i++) {
        if (map[i] == SIZE_MAX)
            sum_endpoint_release(&s->endpoints[i]);
        else
            s->endpoints[map[i]] = s->endpoints[i];
    }
    s->nendpoints = kept;
    what->endpoints_kept = kept;
    what->endpoints_dropped = ne - kept;
    /* the totals, merged again from the kept endpoints */
    ltk_shist_release(&s->total);
    ltk_shist_release(&s->total_ok);
    ltk_status_release(&s->total_status);
    for (int k = 0; k < LTK_TIMING_N; k++)
        ltk_shist_release(&s->total_timing[k]);
    s->total_failures = s->total_sized = 0;
    s->total_bytes = 0;
    int rc = LTK_OK;
    for (size_t i = 0; i < kept && rc == LTK_OK; i++) {
        const struct ltk_summary_endpoint *e = &s->endpoints[i];
        rc = ltk_shist_merge(&s->total, &e->hist);
        if (rc == LTK_OK && s->has_ok)
            rc = ltk_shist_merge(&s->total_ok, &e->ok);
        if (rc == LTK_OK)
            rc = ltk_status_merge(&s->total_status, &e->status);
        for (int k = 0; k < LTK_TIMING_N && rc == LTK_OK; k++)
            if (s->has_timing[k])
                rc = ltk_shist_merge(&s->total_timing[k], &e->timing[k]);
        s->total_failures += e->failures;
        s->total_bytes += e->bytes;
        s->total_sized += e->sized;
    }
    /* each interval: its kept cells, the total merged from them */
    size_t niv = 0;
    s->timed = 0;
    for (size_t i = 0; i < s->nintervals && rc == LTK_OK; i++) {
        struct ltk_summary_interval *iv = &s->intervals[i];
        size_t nc = 0;
        iv->requests = iv->failures = 0;
        for (size_t c = 0; c < iv->ncells; c++) {
            struct ltk_summary_cell *cell = &iv->cells[c];
            if (map[cell->endpoint] == SIZE_MAX) {
                ltk_shist_release(&cell->hist);
                continue;
            }
            cell->endpoint = map[cell->endpoint];
            iv->cells[nc++] = *cell;
            iv->requests += cell->hist.count;
            iv->failures += cell->failures;
        }
        iv->ncells = nc;
        /* its status classes are of all endpoints together: not of the kept ones */
        for (int k = 0; k < LTK_SC_N && kept < ne; k++) {
            s->status_dropped |= iv->status[k] > 0;
            iv->status[k] = 0;
        }
        if (!nc) {
            ltk_summary_interval_release(iv);
            continue;
        }
        s->timed += iv->requests;
        s->intervals[niv++] = *iv;
    }
    if (rc == LTK_OK)
        s->nintervals = niv;
    free(map);
    /* failure groups of the kept endpoints */
    size_t nf = 0;
    for (size_t i = 0; i < s->nfailures; i++) {
        struct ltk_summary_failure *f = &s->failures[i];
        if (ltk_select_keeps(sel, f->method, f->name)) {
            s->failures[nf++] = *f;
        } else {
            free(f->method);
            free(f->name);
            free(f->error);
        }
    }
    s->nfailures = nf;
    if (rc)
        return ltk_error_set(err, LTK_ENOMEM, label, 0, 0, "out of memory");
    if (add_text(&what->basis, "totals merged from the histograms of the %zu kept endpoint(s)", kept))
        return ltk_error_set(err, LTK_ENOMEM, label, 0, 0, "out of memory");
    return LTK_OK;
}

static int summary_window(struct ltk_summary *s, const struct ltk_select *sel, const char *label,
                          struct ltk_selection *what, struct ltk_error *err)
{
    if (!s->nintervals || !s->timed)
        return ltk_error_set(err, LTK_EINVAL, label, 0, 0,
                             "--from/--to need the times of requests, and this input has none%s",
                             s->nsources && strcmp(s->sources[0].format, "locust-json") == 0
                                 ? " (Locust's JSON has response times for the whole run only)"
                                 : "");
    /* the first timestamp's whole second: the same for any --interval */
    double start = floor(s->tmin), lo, hi;
    if (!(start >= (double)s->intervals[0].t))
        start = (double)s->intervals[0].t;
    int64_t len = s->interval_s;
    int rc = ltk_select_bounds(sel, start, &lo, &hi, err);
    if (rc) {
        snprintf(err->file, sizeof err->file, "%s", label);
        return rc;
    }
    what->start = (int64_t)start;
    size_t first = SIZE_MAX, last = 0;
    for (size_t i = 0; i < s->nintervals; i++) {
        double t = (double)s->intervals[i].t;
        if (fmax(t, start) >= lo && t + (double)len <= hi) {
            if (first == SIZE_MAX)
                first = i;
            last = i;
        }
    }
    double span = (double)(s->intervals[s->nintervals - 1].t + len) - start;
    if (first == SIZE_MAX)
        return ltk_error_set(err, LTK_EINVAL, label, 0, 0,
                             "the window (--from %s --to %s) holds no whole interval of %lld s with requests: "
                             "the run's intervals span 0 to %.0f s since its start (Unix time %.0f)",
                             sel->from.given ? sel->from.text : "(start)", sel->to.given ? sel->to.text : "(end)",
                             (long long)len, span, start);
    /* keep first..last (those between are inside the window too) */
    size_t n = last - first + 1;
    for (size_t i = 0; i < s->nintervals; i++)
        if (i < first || i > last)
            ltk_summary_interval_release(&s->intervals[i]);
    memmove(s->intervals, s->intervals + first, n * sizeof *s->intervals);
    s->nintervals = n;
    what->from_s = fmax((double)s->intervals[0].t, start) - start;
    what->to_s = (double)(s->intervals[n - 1].t + len) - start;
    /* every endpoint's numbers and the totals merged from those intervals */
    for (size_t i = 0; i < s->nendpoints; i++) {
        struct ltk_summary_endpoint *e = &s->endpoints[i];
        ltk_shist_release(&e->hist);
        ltk_shist_release(&e->ok);
        ltk_status_release(&e->status);
        e->failures = e->sized = 0;
        e->bytes = 0;
    }
    ltk_shist_release(&s->total);
    ltk_shist_release(&s->total_ok);
    ltk_status_release(&s->total_status);
    s->total_failures = s->total_sized = 0;
    s->total_bytes = 0;
    bool had_ok = s->has_ok;
    s->has_ok = false;
    /* the timings are whole-run distributions, not kept per interval */
    bool had_timing = false;
    for (int k = 0; k < LTK_TIMING_N; k++) {
        had_timing = had_timing || s->has_timing[k];
        for (size_t i = 0; i < s->nendpoints; i++)
            ltk_shist_release(&s->endpoints[i].timing[k]);
        ltk_shist_release(&s->total_timing[k]);
        s->has_timing[k] = false;
    }
    for (size_t i = 0; i < n && rc == LTK_OK; i++) {
        const struct ltk_summary_interval *iv = &s->intervals[i];
        s->total_failures += iv->failures;
        for (size_t c = 0; c < iv->ncells && rc == LTK_OK; c++) {
            struct ltk_summary_endpoint *e = &s->endpoints[iv->cells[c].endpoint];
            rc = ltk_shist_merge(&e->hist, &iv->cells[c].hist);
            e->failures += iv->cells[c].failures;
        }
    }
    /* the total is the union of the endpoints' (each a sum of its cells) */
    for (size_t i = 0; i < s->nendpoints && rc == LTK_OK; i++)
        rc = ltk_shist_merge(&s->total, &s->endpoints[i].hist);
    long other = ltk_summary_other(s);
    s->other_requests = other >= 0 ? s->endpoints[other].hist.count : 0;
    s->timed = s->total.count;
    s->tmin = fmax(s->tmin, (double)s->intervals[0].t);
    s->tmax = fmin(s->tmax, (double)(s->intervals[n - 1].t + len));
    size_t groups = s->nfailures;
    for (size_t i = 0; i < s->nfailures; i++) {
        free(s->failures[i].method);
        free(s->failures[i].name);
        free(s->failures[i].error);
    }
    s->nfailures = 0;
    if (rc)
        return ltk_error_set(err, LTK_ENOMEM, label, 0, 0, "out of memory");
    if (add_text(&what->basis,
                 "requests, failures and percentiles merged from the histograms of the %zu interval(s) of %lld s "
                 "from %.0f s to %.0f s; response sizes%s%s and failure texts are not kept per interval and are "
                 "left out",
                 n, (long long)len, what->from_s, what->to_s, had_ok ? ", the successful requests' percentiles" : "",
                 had_timing ? ", HTTP codes, latency, connect and TLS times" : ", HTTP codes") ||
        (groups && add_text(&what->basis, "%zu failure group(s) of the whole run left out", groups)))
        return ltk_error_set(err, LTK_ENOMEM, label, 0, 0, "out of memory");
    return LTK_OK;
}

int ltk_summary_select(struct ltk_summary *s, const struct ltk_select *sel, const char *label,
                       struct ltk_selection *what, struct ltk_error *err)
{
    if (ltk_selection_note_request(what, sel))
        return ltk_error_set(err, LTK_ENOMEM, label, 0, 0, "out of memory");
    what->endpoints_kept = s->nendpoints;
    int rc = ltk_select_filter(sel) ? summary_filter(s, sel, label, what, err) : LTK_OK;
    if (rc == LTK_OK && ltk_select_window(sel))
        rc = summary_window(s, sel, label, what, err);
    return rc;
}

/* ---- runs of Locust's CSV and JSON ------------------------------------------ */

static const char *run_method(const void *ctx, size_t i)
{
    return ((const struct ltk_run *)ctx)->endpoints[i].type;
}
static const char *run_name(const void *ctx, size_t i)
{
    return ((const struct ltk_run *)ctx)->endpoints[i].name;
}

/* Sums of rows (history rows or endpoints), to form an Aggregated one. */
struct agg {
    size_t n;
    uint64_t requests, failures;
    double rps, fail_per_s, mean_sum, size_sum, min, max;
    const double *pct;    /* of the one row, when n == 1 */
    double median;
};

static void agg_add(struct agg *a, uint64_t requests, uint64_t failures, double rps, double fail_per_s, double mean,
                    double avg_size, double min, double max, double median, const double *pct)
{
    if (a->n == 0) {
        a->min = INFINITY;
        a->max = -INFINITY;
    }
    a->n++;
    a->requests += requests;
    a->failures += failures;
    a->rps += rps;
    a->fail_per_s += fail_per_s;
    if (requests) {
        a->mean_sum += mean * (double)requests;
        a->size_sum += avg_size * (double)requests;
        a->min = fmin(a->min, min);
        a->max = fmax(a->max, max);
    }
    a->pct = pct;
    a->median = median;
}

static double agg_mean(const struct agg *a, double sum)
{
    return a->requests ? sum / (double)a->requests : NAN;
}

static int filter_history(struct ltk_run *run, const struct ltk_select *sel, size_t kept)
{
    if (!run->nhistory)
        return LTK_OK;
    if (!run->history_full) {
        size_t n = run->nhistory;
        for (size_t i = 0; i < n; i++)
            ltk_history_row_release(&run->history[i]);
        run->nhistory = 0;
        return ltk_run_warn(run, "%s: the history has only Aggregated rows, which cannot be filtered by endpoint "
                                 "(Locust's --csv-full-history writes one row per endpoint): its %zu row(s) are "
                                 "left out",
                            run->source[LTK_SRC_HISTORY] ? run->source[LTK_SRC_HISTORY] : run->label, n);
    }
    size_t out = 0;
    struct agg a = { 0 };
    for (size_t i = 0; i < run->nhistory; i++) {
        struct ltk_history_row *h = &run->history[i];
        if (!h->is_total) {
            if (ltk_select_keeps(sel, h->type, h->name)) {
                agg_add(&a, h->requests, h->failures, h->rps, h->fail_per_s, h->mean, h->avg_size, h->min, h->max,
                        h->median, h->pct);
                run->history[out++] = *h;
            } else {
                ltk_history_row_release(h);
            }
            continue;
        }
        h->requests = a.requests;
        h->failures = a.failures;
        h->rps = a.rps;
        h->fail_per_s = a.fail_per_s;
        h->mean = agg_mean(&a, a.mean_sum);
        h->avg_size = agg_mean(&a, a.size_sum);
        h->min = a.requests ? a.min : NAN;
        h->max = a.requests ? a.max : NAN;
        bool one = kept == 1 && a.n == 1;
        h->median = one ? a.median : NAN;
        for (size_t k = 0; k < run->history_pct.n; k++)
            h->pct[k] = one ? a.pct[k] : NAN;
        run->history[out++] = *h;
        memset(&a, 0, sizeof a);
    }
    run->nhistory = out;
    return LTK_OK;
}

/* The total's timings, merged again from the endpoints kept: kind k when
 * every endpoint has it.  Returns LTK_OK or LTK_ENOMEM. */
static int total_timing(const struct ltk_run *run, struct ltk_endpoint *t)
{
    for (int k = 0; k < LTK_TIMING_N; k++) {
        ltk_hist_free(t->timing[k]);
        t->timing[k] = NULL;
        bool all = run->nendpoints > 0;
        for (size_t i = 0; i < run->nendpoints && all; i++)
            all = run->endpoints[i].timing[k] != NULL;
        if (!all)
            continue;
        if (ltk_hist_new(ltk_hist_method_of(run->endpoints[0].timing[k]), &t->timing[k]))
            return LTK_ENOMEM;
        for (size_t i = 0; i < run->nendpoints; i++)
            if (ltk_hist_merge(t->timing[k], run->endpoints[i].timing[k]))
                return LTK_ENOMEM;
    }
    return LTK_OK;
}

static int run_filter(struct ltk_run *run, const struct ltk_select *sel, struct ltk_selection *what,
                      struct ltk_error *err)
{
    size_t ne = run->nendpoints, kept = 0;
    bool *keep = calloc(ne ? ne : 1, sizeof *keep);
    if (!keep)
        return ltk_error_set(err, LTK_ENOMEM, run->label, 0, 0, "out of memory");
    for (size_t i = 0; i < ne; i++)
        kept += keep[i] = ltk_select_keeps(sel, run->endpoints[i].type, run->endpoints[i].name);
    if (!kept) {
        free(keep);
        return none_matched(err, run->label, ne, run_method, run_name, run);
    }
    size_t out = 0;
    for (size_t i = 0; i < ne; i++) {
        if (keep[i])
            run->endpoints[out++] = run->endpoints[i];
        else
            ltk_endpoint_release(&run->endpoints[i]);
    }
    free(keep);
    run->nendpoints = kept;
    what->endpoints_kept = kept;
    what->endpoints_dropped = ne - kept;
    /* the Aggregated row, formed again from the kept endpoints */
    struct ltk_endpoint *t = &run->total;
    bool hists = true, oks = true;
    struct agg a = { 0 };
    for (size_t i = 0; i < kept; i++) {
        const struct ltk_endpoint *e = &run->endpoints[i];
        agg_add(&a, e->requests, e->failures, e->rps, e->fail_per_s, e->mean, e->avg_size, e->min, e->max, e->median,
                e->pct);
        hists = hists && e->hist;
        oks = oks && e->ok_hist;
    }
    int rc = LTK_OK;
    struct ltk_hist *merged = NULL, *ok_merged = NULL;
    if (hists && ltk_hist_new(ltk_hist_method_of(run->endpoints[0].hist), &merged) == LTK_OK)
        for (size_t i = 0; i < kept && rc == LTK_OK; i++)
            rc = ltk_hist_merge(merged, run->endpoints[i].hist);
    else if (hists)
        rc = LTK_ENOMEM;
    if (rc == LTK_OK && oks && ltk_hist_new(ltk_hist_method_of(run->endpoints[0].ok_hist), &ok_merged) == LTK_OK)
        for (size_t i = 0; i < kept && rc == LTK_OK; i++)
            rc = ltk_hist_merge(ok_merged, run->endpoints[i].ok_hist);
    else if (rc == LTK_OK && oks)
        rc = LTK_ENOMEM;
    if (!run->has_total) {
        ltk_hist_free(merged);
        ltk_hist_free(ok_merged);
        merged = ok_merged = NULL;
        t = &(struct ltk_endpoint){ 0 };   /* none to form: only the rows and the history */
    }
    ltk_status_release(&t->status);
    for (size_t i = 0; i < kept && rc == LTK_OK; i++)
        rc = ltk_status_merge(&t->status, &run->endpoints[i].status);
    if (rc) {
        ltk_hist_free(merged);
        ltk_hist_free(ok_merged);
        return ltk_error_set(err, LTK_ENOMEM, run->label, 0, 0, "out of memory");
    }
    t->requests = a.requests;
    t->failures = a.failures;
    t->rps = a.rps;
    t->fail_per_s = a.fail_per_s;
    t->mean = agg_mean(&a, a.mean_sum);
    t->avg_size = agg_mean(&a, a.size_sum);
    t->min = a.requests ? a.min : NAN;
    t->max = a.requests ? a.max : NAN;
    ltk_hist_free(t->hist);
    ltk_hist_free(t->ok_hist);
    t->hist = merged;
    t->ok_hist = ok_merged;
    if (run->has_total && total_timing(run, t))
        return ltk_error_set(err, LTK_ENOMEM, run->label, 0, 0, "out of memory");
    free(t->ok_le);
    t->ok_le = NULL;
    const char *how;
    if (!run->has_total) {
        how = "no Aggregated row";
        ltk_status_release(&t->status);
    } else if (merged) {
        t->median = ltk_hist_median(merged);
        for (size_t k = 0; k < run->stats_pct.n; k++)
            t->pct[k] = ltk_hist_quantile(merged, run->stats_pct.q[k]);
        how = "percentiles of the total merged from the kept endpoints' histograms";
    } else if (kept == 1) {
        t->median = a.median;
        for (size_t k = 0; k < run->stats_pct.n; k++)
            t->pct[k] = a.pct ? a.pct[k] : NAN;
        how = "percentiles of the total are the one kept endpoint's";
    } else {
        t->median = NAN;
        for (size_t k = 0; k < run->stats_pct.n; k++)
            t->pct[k] = NAN;
        how = "percentiles of the total unknown: Locust's CSV has no distribution per endpoint to merge, and "
              "percentiles are never averaged (the raw log, PREFIX_requests.csv, has them)";
    }
    size_t nf = 0;
    for (size_t i = 0; i < run->nfailures; i++) {
        struct ltk_failure *f = &run->failures[i];
        if (ltk_select_keeps(sel, f->method, f->name)) {
            run->failures[nf++] = *f;
        } else {
            ltk_failure_release(f);
        }
    }
    run->nfailures = nf;
    if (filter_history(run, sel, kept) ||
        add_text(&what->basis, "total of the %zu kept endpoint(s): requests, failures and rates summed, mean, "
                               "size, min and max from theirs; %s",
                 kept, how))
        return ltk_error_set(err, LTK_ENOMEM, run->label, 0, 0, "out of memory");
    return LTK_OK;
}

/* The last row of (type, name) at or before index end among rows with ts in
 * [lo, hi]: searched backwards from end. */
static const struct ltk_history_row *last_row(const struct ltk_run *run, size_t end, const char *type,
                                              const char *name, bool is_total, double lo, double hi)
{
    for (size_t i = end; i-- > 0;) {
        const struct ltk_history_row *h = &run->history[i];
        if ((double)h->ts < lo || (double)h->ts > hi || h->is_total != is_total)
            continue;
        if (is_total || (strcmp(h->type, type) == 0 && strcmp(h->name, name) == 0))
            return h;
    }
    return NULL;
}

/* The column of run->history_pct with fraction q, or -1. */
static long history_column(const struct ltk_run *run, double q)
{
    for (size_t k = 0; k < run->history_pct.n; k++)
        if (fabs(run->history_pct.q[k] - q) < 1e-9)
            return (long)k;
    return -1;
}

/* One endpoint's (or the total's) numbers of the window: base (NULL: the
 * run's start, all zero) to end (NULL: nothing in the window). */
static void window_endpoint(const struct ltk_run *run, struct ltk_endpoint *e, const struct ltk_history_row *base,
                            const struct ltk_history_row *end, double duration, bool pct_ok)
{
    uint64_t r0 = base ? base->requests : 0, f0 = base ? base->failures : 0;
    uint64_t r1 = end ? end->requests : r0, f1 = end ? end->failures : f0;
    e->requests = r1 >= r0 ? r1 - r0 : 0;
    e->failures = f1 >= f0 ? f1 - f0 : 0;
    double n0 = (double)r0, n1 = (double)r1, n = (double)e->requests;
    e->mean = e->requests && end ? (end->mean * n1 - (base ? base->mean * n0 : 0)) / n : NAN;
    e->avg_size = e->requests && end ? (end->avg_size * n1 - (base ? base->avg_size * n0 : 0)) / n : NAN;
    e->rps = duration > 0 ? n / duration : NAN;
    e->fail_per_s = duration > 0 ? (double)e->failures / duration : NAN;
    bool cumul = !base && end && e->requests;   /* the window starts at the run's start */
    e->median = cumul ? end->median : NAN;
    e->min = cumul ? end->min : NAN;
    e->max = cumul ? end->max : NAN;
    for (size_t k = 0; k < run->stats_pct.n; k++) {
        long col = history_column(run, run->stats_pct.q[k]);
        e->pct[k] = cumul && pct_ok && col >= 0 ? end->pct[col] : NAN;
    }
    ltk_hist_free(e->hist);
    ltk_hist_free(e->ok_hist);
    e->hist = e->ok_hist = NULL;
    for (int k = 0; k < LTK_TIMING_N; k++) {   /* whole-run distributions, as hist */
        ltk_hist_free(e->timing[k]);
        e->timing[k] = NULL;
    }
    ltk_status_release(&e->status);
    free(e->ok_le);
    e->ok_le = NULL;
}

static int run_window(struct ltk_run *run, const struct ltk_select *sel, struct ltk_selection *what,
                      struct ltk_error *err)
{
    const char *label = run->label;
    if (!run->nhistory)
        return ltk_error_set(err, LTK_EINVAL, label, 0, 0,
                             "--from/--to need the run's history over time (Locust's _stats_history.csv), and "
                             "this run has none");
    if (run->raw_source)
        return ltk_error_set(err, LTK_EINVAL, label, 0, 0,
                             "--from/--to: Locust's JSON has response times for the whole run only, not over time");
    if (run->history_resets)
        return ltk_error_set(err, LTK_EINVAL, label, 0, 0,
                             "--from/--to: the history's cumulative counts were reset %zu time(s), so the counts "
                             "of a window cannot be told from them",
                             run->history_resets);
    if (run->nendpoints && !run->history_full)
        return ltk_error_set(err, LTK_EINVAL, label, 0, 0,
                             "--from/--to: the history has only Aggregated rows, so the endpoints' numbers in a "
                             "window cannot be told (run Locust with --csv-full-history, or give the raw log)");
    double start = (double)run->history[0].ts, lo, hi;
    int rc = ltk_select_bounds(sel, start, &lo, &hi, err);
    if (rc) {
        snprintf(err->file, sizeof err->file, "%s", label);
        return rc;
    }
    what->start = run->history[0].ts;
    size_t nh = run->nhistory;
    const struct ltk_history_row *end_t = last_row(run, nh, "", "", true, lo, hi);
    double last_s = (double)run->history[nh - 1].ts - start;
    if (!end_t)
        return ltk_error_set(err, LTK_EINVAL, label, 0, 0,
                             "the window (--from %s --to %s) holds no history row: the history spans 0 to %.0f s "
                             "since the run's start (Unix time %.0f)",
                             sel->from.given ? sel->from.text : "(start)", sel->to.given ? sel->to.text : "(end)",
                             last_s, start);
    const struct ltk_history_row *base_t = last_row(run, nh, "", "", true, -INFINITY, lo - 0.5);
    double t0 = base_t ? (double)base_t->ts : start, t1 = (double)end_t->ts;
    bool pct_ok = run->history_pct_kind == LTK_HPCT_CUMULATIVE;
    for (size_t i = 0; i < run->nendpoints; i++) {
        struct ltk_endpoint *e = &run->endpoints[i];
        window_endpoint(run, e, last_row(run, nh, e->type, e->name, false, -INFINITY, lo - 0.5),
                        last_row(run, nh, e->type, e->name, false, lo, hi), t1 - t0, pct_ok);
    }
    if (run->has_total)
        window_endpoint(run, &run->total, base_t, end_t, t1 - t0, pct_ok);
    what->from_s = t0 - start;
    what->to_s = t1 - start;
    /* the history rows inside the window */
    size_t out = 0;
    for (size_t i = 0; i < nh; i++) {
        struct ltk_history_row *h = &run->history[i];
        if ((double)h->ts >= lo && (double)h->ts <= hi)
            run->history[out++] = *h;
        else
            ltk_history_row_release(h);
    }
    run->nhistory = out;
    size_t groups = run->nfailures, nexc = run->nexceptions;
    for (size_t i = 0; i < run->nfailures; i++)
        ltk_failure_release(&run->failures[i]);
    run->nfailures = 0;
    for (size_t i = 0; i < run->nexceptions; i++)
        ltk_exception_release(&run->exceptions[i]);
    run->nexceptions = 0;
    char *note = NULL;
    rc = add_text(&note,
                  "requests, failures, mean and size: differences of the cumulative counts of stats_history.csv "
                  "between its rows at %.0f s and %.0f s; percentiles, median, min and max: %s",
                  t0 - start, t1 - start,
                  base_t ? "unknown (Locust's CSV has no distribution of a window that starts after the run's start)"
                  : pct_ok ? "Locust's cumulative ones at the window's end"
                           : "median, min and max Locust's cumulative ones at the window's end, percentiles unknown "
                             "(the history's are of 10 s windows, which are never averaged)");
    if (rc == LTK_OK && (groups || nexc))
        rc = add_text(&note, "%zu failure group(s), %zu exception(s) and the HTTP codes read from them cover the "
                             "whole run and are left out",
                      groups, nexc);
    if (rc == LTK_OK && note)
        rc = add_text(&what->basis, "%s", note);
    free(note);
    if (rc)
        return ltk_error_set(err, LTK_ENOMEM, label, 0, 0, "out of memory");
    return LTK_OK;
}

int ltk_run_select(struct ltk_run *run, const struct ltk_select *sel, struct ltk_error *err)
{
    struct ltk_selection *what = &run->selection;
    if (ltk_selection_note_request(what, sel))
        return ltk_error_set(err, LTK_ENOMEM, run->label, 0, 0, "out of memory");
    what->endpoints_kept = run->nendpoints;
    int rc = ltk_select_filter(sel) ? run_filter(run, sel, what, err) : LTK_OK;
    if (rc == LTK_OK && ltk_select_window(sel))
        rc = run_window(run, sel, what, err);
    return rc;
}

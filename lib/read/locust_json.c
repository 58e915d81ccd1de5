/* Locust's JSON statistics (--json, --json-file) into a summary and a run.
 *
 * Each entry's response_times is Locust's own histogram, so it becomes a
 * locust-method histogram unchanged (ltk_hist_add_key refuses a key Locust's
 * rounding cannot give), with count, min, max and sum from the entry.  The
 * total is the merge of the entries, as Locust's Aggregated row is the sum of
 * what they logged.  Every count must agree with the others: the histogram
 * holds num_requests - num_none_requests times, num_reqs_per_sec adds up to
 * num_requests and num_fail_per_sec to num_failures; a file where they do not
 * was not written by Locust and is refused, naming the entry. */
#include "ltk/read/locust_json.h"
#include "ltk/read/summary_run.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/model/hist.h"
#include "ltk/base/json.h"
#include "ltk/base/num.h"
#include "model/run_build.h"
#include "base/strutil.h"

bool ltk_locust_json_sniff(const char *path)
{
    return ltk_file_first_char(path) == '[';
}

void ltk_locust_series_release(struct ltk_locust_series *ts)
{
    if (!ts)
        return;
    free(ts->ticks);
    memset(ts, 0, sizeof *ts);
}

/* ---- reading ------------------------------------------------------------- */

struct rd {
    const char *name;        /* the file, for messages */
    struct ltk_error *err;
    size_t entry;            /* index of the entry being read */
    const char *what;        /* its method and name, quoted, for messages */
    struct ltk_locust_tick *ticks;
    size_t nticks, cap;
    uint64_t untimed;        /* num_none_requests so far */
    double tmin, tmax;       /* first start_time, last last_request_timestamp */
};

static int bad(struct rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct rd *r, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ltk_error_set(r->err, LTK_EFORMAT, r->name, 0, 0, "not Locust's JSON statistics: [%zu]%s%s: %s",
                         r->entry, r->what ? " " : "", r->what ? r->what : "", msg);
}

static int count_of(struct rd *r, const cJSON *obj, const char *key, bool optional, uint64_t *out)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = 0;
    if (!j && optional)
        return LTK_OK;
    const char *why = ltk_json_count_problem(j);
    if (why)
        return bad(r, "'%s': expected a count (a whole number >= 0 below 2^53), got %s", key, why);
    *out = (uint64_t)j->valuedouble;
    return LTK_OK;
}

/* A number >= 0; null gives NAN when nullable. */
static int time_of(struct rd *r, const cJSON *obj, const char *key, bool nullable, double *out)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NAN;
    if (nullable && cJSON_IsNull(j))
        return LTK_OK;
    if (!cJSON_IsNumber(j) || !isfinite(j->valuedouble) || j->valuedouble < 0)
        return bad(r, "'%s': expected a number >= 0%s, got %s", key, nullable ? " or null" : "",
                   cJSON_IsNumber(j) ? "a negative or infinite number" : ltk_json_kind(j));
    *out = j->valuedouble;
    return LTK_OK;
}

static int add_tick(struct rd *r, int64_t t, uint64_t requests, uint64_t failures)
{
    if (r->nticks == r->cap) {
        if (r->cap >= LTK_LOCUST_JSON_MAX_TICKS)
            return ltk_error_set(r->err, LTK_ELIMIT, r->name, 0, 0,
                                 "more than %zu (endpoint, second) counts in num_reqs_per_sec and "
                                 "num_fail_per_sec",
                                 LTK_LOCUST_JSON_MAX_TICKS);
        size_t ncap = r->cap ? 2 * r->cap : 256;
        struct ltk_locust_tick *p = realloc(r->ticks, ncap * sizeof *p);
        if (!p)
            return ltk_error_set(r->err, LTK_ENOMEM, r->name, 0, 0, "out of memory");
        r->ticks = p;
        r->cap = ncap;
    }
    r->ticks[r->nticks++] = (struct ltk_locust_tick){ t, r->entry, requests, failures };
    return LTK_OK;
}

/* num_reqs_per_sec or num_fail_per_sec: {"UNIX_SECOND": count}; adds a tick
 * per second and checks that the counts add up to want. */
static int per_second(struct rd *r, const cJSON *obj, const char *key, bool fails, uint64_t want)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsObject(o))
        return bad(r, "'%s': expected an object of {second: count}, got %s", key, ltk_json_kind(o));
    uint64_t sum = 0;
    for (const cJSON *c = o->child; c; c = c->next) {
        int64_t t;
        char q[80];
        if (ltk_parse_int(c->string, &t) || t < 0 || (double)t > LTK_SUMMARY_MAX_T) {
            ltk_quote_text(c->string, q, sizeof q);
            return bad(r, "'%s': %s is not a Unix second from 0 to 10^15", key, q);
        }
        const char *why = ltk_json_count_problem(c);
        if (why) {
            ltk_quote_text(c->string, q, sizeof q);
            return bad(r, "'%s': %s: expected a count, got %s", key, q, why);
        }
        uint64_t n = (uint64_t)c->valuedouble;
        if (__builtin_add_overflow(sum, n, &sum))
            return bad(r, "'%s': the counts add up past 2^64", key);
        if (n) {
            int rc = add_tick(r, t, fails ? 0 : n, fails ? n : 0);
            if (rc)
                return rc;
        }
    }
    if (sum != want)
        return bad(r, "'%s' adds up to %llu, but the entry has %llu %s", key, (unsigned long long)sum,
                   (unsigned long long)want, fails ? "failures" : "requests");
    return LTK_OK;
}

/* ltk_hist_foreach: the first and the last key into ends[0], ends[1]. */
static int first_last(double key, uint64_t count, void *ctx)
{
    double *ends = ctx;
    (void)count;
    if (isnan(ends[0]))
        ends[0] = key;
    ends[1] = key;
    return LTK_OK;
}

/* response_times: {"ROUNDED_MS": count} into a locust histogram. */
static int read_times(struct rd *r, const cJSON *obj, uint64_t want, double min, double max, double total,
                      struct ltk_hist **out)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(obj, "response_times");
    if (!cJSON_IsObject(o))
        return bad(r, "'response_times': expected an object of {ms: count}, got %s", ltk_json_kind(o));
    struct ltk_hist *h;
    if (ltk_hist_new(LTK_HIST_LOCUST, &h))
        return ltk_error_set(r->err, LTK_ENOMEM, r->name, 0, 0, "out of memory");
    uint64_t sum = 0;
    int rc = LTK_OK;
    for (const cJSON *c = o->child; c && rc == LTK_OK; c = c->next) {
        double key;
        char q[80];
        ltk_quote_text(c->string, q, sizeof q);
        const char *why = ltk_json_count_problem(c);
        if (ltk_parse_nonneg(c->string, &key) || !ltk_hist_key_valid(LTK_HIST_LOCUST, key))
            rc = bad(r, "'response_times': %s is not a time Locust's rounding gives (1 ms steps below 100, "
                        "10 below 1000, 100 below 10 000, then 1000)",
                     q);
        else if (why)
            rc = bad(r, "'response_times': %s: expected a count, got %s", q, why);
        else if (__builtin_add_overflow(sum, (uint64_t)c->valuedouble, &sum))
            rc = bad(r, "'response_times': the counts add up past 2^64");
        else if (c->valuedouble > 0 && ltk_hist_add_key(h, key, (uint64_t)c->valuedouble))
            rc = bad(r, "'response_times': %s cannot be held", q);
    }
    if (rc == LTK_OK && sum != want)
        rc = bad(r, "'response_times' holds %llu requests, but num_requests - num_none_requests is %llu",
                 (unsigned long long)sum, (unsigned long long)want);
    if (rc == LTK_OK && want && (isnan(min) || !(min <= max)))
        rc = bad(r, "'min_response_time' and 'max_response_time' do not bound the response times");
    if (rc == LTK_OK && !want && total != 0)
        rc = bad(r, "'total_response_time' is not 0 for an entry without timed requests");
    /* min and max are exact times: they round to the first and last keys */
    double ends[2] = { NAN, NAN };
    if (rc == LTK_OK)
        ltk_hist_foreach(h, first_last, ends);
    if (rc == LTK_OK && want &&
        (!(max < LTK_HIST_MAX_MS) || ltk_hist_key_of(LTK_HIST_LOCUST, min) != ends[0] ||
         ltk_hist_key_of(LTK_HIST_LOCUST, max) != ends[1]))
        rc = bad(r, "'min_response_time' %.17g and 'max_response_time' %.17g do not round to the smallest and "
                    "the largest key of 'response_times'",
                 min, max);
    /* the sum lies between count x min and count x max; Locust adds floats,
     * so it may miss by a rounding (at most a ns a request): clamped */
    ltk_u128 sum_ns = 0;
    if (rc == LTK_OK && want) {
        /* first in doubles, so that a huge sum is refused before it is
         * converted (1e100 ms does not fit 128 bits of ns) */
        double n = (double)want, lo = n * min, hi = n * max, slack = n * 1e-6; /* a ns a request, in ms */
        if (!(total >= lo - slack - lo * 1e-9 && total <= hi + slack + hi * 1e-9))
            rc = bad(r, "'total_response_time' %.17g is not between num_requests x min and x max", total);
    }
    if (rc == LTK_OK && want) {
        ltk_u128 lo = (ltk_u128)want * ltk_hist_ms_to_ns(min), hi = (ltk_u128)want * ltk_hist_ms_to_ns(max);
        sum_ns = ltk_hist_ms_to_ns(total);
        if (sum_ns + want < lo || sum_ns > hi + want)
            rc = bad(r, "'total_response_time' %.17g is not between num_requests x min and x max", total);
        else
            sum_ns = sum_ns < lo ? lo : sum_ns > hi ? hi : sum_ns;
    }
    if (rc == LTK_OK && ltk_hist_set_totals_ns(h, want, min, max, sum_ns))
        rc = bad(r, "'min_response_time', 'max_response_time' and 'total_response_time' do not fit the "
                    "response times");
    if (rc) {
        ltk_hist_free(h);
        return rc;
    }
    *out = h;
    return LTK_OK;
}

static int cmp_tick(const void *x, const void *y)
{
    const struct ltk_locust_tick *a = x, *b = y;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return a->endpoint < b->endpoint ? -1 : a->endpoint > b->endpoint;
}

/* One entry of the array into endpoint e of s. */
static int read_entry(struct rd *r, const cJSON *j, struct ltk_summary_endpoint *e)
{
    if (!cJSON_IsObject(j))
        return bad(r, "expected an object (an endpoint), got %s", ltk_json_kind(j));
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(j, "name");
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(j, "method");
    if (!cJSON_IsString(name))
        return bad(r, "'name': expected a string, got %s", ltk_json_kind(name));
    if (!cJSON_IsString(method) && !cJSON_IsNull(method))
        return bad(r, "'method': expected a string or null, got %s", ltk_json_kind(method));
    if (strlen(name->valuestring) > LTK_SUMMARY_MAX_TEXT ||
        (cJSON_IsString(method) && strlen(method->valuestring) > LTK_SUMMARY_MAX_TEXT))
        return bad(r, "a name or method longer than %d bytes", LTK_SUMMARY_MAX_TEXT);
    e->name = ltk_strdup(name->valuestring);
    e->method = ltk_strdup(cJSON_IsString(method) ? method->valuestring : "");
    if (!e->name || !e->method)
        return ltk_error_set(r->err, LTK_ENOMEM, r->name, 0, 0, "out of memory");
    char what[200], qm[40], qn[140];
    ltk_quote_text(e->method, qm, sizeof qm);
    ltk_quote_text(e->name, qn, sizeof qn);
    snprintf(what, sizeof what, "(%s %s)", qm, qn);
    r->what = what;

    uint64_t requests, untimed, failures, bytes;
    double total, min, max, start, last;
    int rc;
    if ((rc = count_of(r, j, "num_requests", false, &requests)) ||
        (rc = count_of(r, j, "num_none_requests", true, &untimed)) ||
        (rc = count_of(r, j, "num_failures", false, &failures)) ||
        (rc = count_of(r, j, "total_content_length", false, &bytes)) ||
        (rc = time_of(r, j, "total_response_time", false, &total)) ||
        (rc = time_of(r, j, "min_response_time", true, &min)) ||
        (rc = time_of(r, j, "max_response_time", false, &max)) || (rc = time_of(r, j, "start_time", false, &start)) ||
        (rc = time_of(r, j, "last_request_timestamp", true, &last)))
        goto out;
    if (untimed > requests) {
        rc = bad(r, "'num_none_requests' %llu is more than 'num_requests' %llu", (unsigned long long)untimed,
                 (unsigned long long)requests);
        goto out;
    }
    if (start > LTK_SUMMARY_MAX_T || last > LTK_SUMMARY_MAX_T || (requests && isnan(last))) {
        rc = bad(r, "'start_time' and 'last_request_timestamp' must be Unix times up to 10^15 (the latter null "
                    "only without requests)");
        goto out;
    }
    r->untimed += untimed;
    struct ltk_hist *h = NULL;
    if ((rc = read_times(r, j, requests - untimed, min, max, total, &h)))
        goto out;
    rc = ltk_shist_from_hist(&e->hist, h) ? ltk_error_set(r->err, LTK_ENOMEM, r->name, 0, 0, "out of memory")
                                          : LTK_OK;
    ltk_hist_free(h);
    if (rc)
        goto out;
    if ((rc = per_second(r, j, "num_reqs_per_sec", false, requests)) ||
        (rc = per_second(r, j, "num_fail_per_sec", true, failures)))
        goto out;
    e->failures = failures;
    e->bytes = (double)bytes;
    e->sized = e->hist.count;
    if (e->hist.count) {
        if (!(r->tmin <= start))
            r->tmin = start;
        if (!(r->tmax >= last))
            r->tmax = last;
    }
out:
    r->what = NULL;
    return rc;
}

static int cmp_ep(const void *x, const void *y)
{
    const struct ltk_summary_endpoint *a = *(const struct ltk_summary_endpoint *const *)x;
    const struct ltk_summary_endpoint *b = *(const struct ltk_summary_endpoint *const *)y;
    int c = strcmp(a->name, b->name);
    return c ? c : strcmp(a->method, b->method);
}

/* Each (method, name) once, as Locust keys its entries. */
static int dup_check(struct rd *r, const struct ltk_summary *s)
{
    if (s->nendpoints < 2)
        return LTK_OK;
    const struct ltk_summary_endpoint **v = malloc(s->nendpoints * sizeof *v);
    if (!v)
        return ltk_error_set(r->err, LTK_ENOMEM, r->name, 0, 0, "out of memory");
    for (size_t i = 0; i < s->nendpoints; i++)
        v[i] = &s->endpoints[i];
    qsort(v, s->nendpoints, sizeof *v, cmp_ep);
    int rc = LTK_OK;
    for (size_t i = 1; i < s->nendpoints && rc == LTK_OK; i++) {
        if (cmp_ep(&v[i - 1], &v[i]) == 0) {
            char qm[40], qn[140];
            ltk_quote_text(v[i]->method, qm, sizeof qm);
            ltk_quote_text(v[i]->name, qn, sizeof qn);
            rc = ltk_error_set(r->err, LTK_EFORMAT, r->name, 0, 0,
                               "not Locust's JSON statistics: the endpoint %s %s appears twice", qm, qn);
        }
    }
    free(v);
    return rc;
}

static int parse_doc(struct rd *r, const cJSON *doc, struct ltk_summary *s)
{
    if (!cJSON_IsArray(doc))
        return ltk_error_set(r->err, LTK_EFORMAT, r->name, 0, 0,
                             "not Locust's JSON statistics: expected an array of endpoints, got %s",
                             ltk_json_kind(doc));
    size_t n = (size_t)cJSON_GetArraySize(doc);
    if (n == 0)
        return ltk_error_set(r->err, LTK_EFORMAT, r->name, 0, 0,
                             "no requests: an empty array (Locust writes only endpoints that had requests)");
    if (n > s->max_names)
        return ltk_error_set(r->err, LTK_ELIMIT, r->name, 0, 0,
                             "%zu endpoints, more than --max-names %zu (at most %d)", n, s->max_names,
                             LTK_SUMMARY_MAX_ENDPOINTS);
    s->endpoints = calloc(n, sizeof *s->endpoints);
    if (!s->endpoints)
        return ltk_error_set(r->err, LTK_ENOMEM, r->name, 0, 0, "out of memory");
    int rc = LTK_OK;
    const cJSON *j = doc->child;
    for (size_t i = 0; i < n && rc == LTK_OK; i++, j = j->next) {
        r->entry = i;
        s->nendpoints = i + 1;
        rc = read_entry(r, j, &s->endpoints[i]);
    }
    if (rc == LTK_OK)
        rc = dup_check(r, s);
    for (size_t i = 0; i < s->nendpoints && rc == LTK_OK; i++) {
        const struct ltk_summary_endpoint *e = &s->endpoints[i];
        if (ltk_shist_merge(&s->total, &e->hist))
            rc = ltk_error_set(r->err, LTK_ENOMEM, r->name, 0, 0, "out of memory");
        s->total_failures += e->failures;
        s->total_bytes += e->bytes;
        s->total_sized += e->sized;
    }
    if (rc == LTK_OK && !s->total.count)
        rc = ltk_error_set(r->err, LTK_EFORMAT, r->name, 0, 0, "no requests with a response time");
    /* a failure group per endpoint with failures, so that they add up as
     * in any summary: the file has counts but no error texts */
    size_t nf = 0;
    for (size_t i = 0; i < s->nendpoints && rc == LTK_OK; i++)
        nf += s->endpoints[i].failures > 0;
    if (rc == LTK_OK && nf && !(s->failures = calloc(nf, sizeof *s->failures)))
        rc = ltk_error_set(r->err, LTK_ENOMEM, r->name, 0, 0, "out of memory");
    for (size_t i = 0; i < s->nendpoints && rc == LTK_OK; i++) {
        const struct ltk_summary_endpoint *e = &s->endpoints[i];
        if (!e->failures)
            continue;
        struct ltk_summary_failure *f = &s->failures[s->nfailures++];
        f->occurrences = e->failures;
        if (!(f->method = ltk_strdup(e->method)) || !(f->name = ltk_strdup(e->name)) ||
            !(f->error = ltk_strdup(LTK_LOCUST_JSON_NO_ERROR)))
            rc = ltk_error_set(r->err, LTK_ENOMEM, r->name, 0, 0, "out of memory");
    }
    return rc;
}

/* Sorts the ticks and adds up the requests and failures of each (second,
 * endpoint); checks the distinct seconds against the cap. */
static int finish_ticks(struct rd *r, struct ltk_locust_series *ts)
{
    qsort(r->ticks, r->nticks, sizeof *r->ticks, cmp_tick);
    size_t n = 0, seconds = 0;
    for (size_t i = 0; i < r->nticks; i++) {
        struct ltk_locust_tick *k = &r->ticks[i];
        if (n && r->ticks[n - 1].t == k->t && r->ticks[n - 1].endpoint == k->endpoint) {
            r->ticks[n - 1].requests += k->requests;   /* one from each object: no overflow */
            r->ticks[n - 1].failures += k->failures;
            continue;
        }
        if (!n || r->ticks[n - 1].t != k->t)
            seconds++;
        r->ticks[n++] = *k;
    }
    if (seconds > LTK_LOCUST_JSON_MAX_SECONDS)
        return ltk_error_set(r->err, LTK_ELIMIT, r->name, 0, 0, "requests in more than %zu distinct seconds",
                             LTK_LOCUST_JSON_MAX_SECONDS);
    if (ts) {
        ts->ticks = r->ticks;
        ts->n = n;
        r->ticks = NULL;
    }
    return LTK_OK;
}

int ltk_locust_json_parse(struct ltk_summary *s, struct ltk_locust_series *ts, const char *text, size_t len,
                          const char *name, const struct ltk_rawlog_options *opt, struct ltk_error *err)
{
    static const struct ltk_rawlog_options defaults = { LTK_HIST_LOCUST, 1, false, LTK_RAWLOG_MAX_NAMES_DEFAULT,
                                                        false, NULL, NULL, 0, NULL, NULL, NULL, 0 };
    if (!opt)
        opt = &defaults;
    if (ts)
        memset(ts, 0, sizeof *ts);
    if (opt->method != LTK_HIST_LOCUST)
        return ltk_error_set(err, LTK_EINVAL, name, 0, 0,
                             "Locust's JSON holds Locust's rounded histogram: read it with --method locust, "
                             "not %s",
                             ltk_hist_method_name(opt->method));
    int rc = ltk_rawlog_parse_percentiles(opt->percentiles, &s->pct_q, &s->pct_label, &s->npct, err);
    if (rc)
        return rc;
    s->method = LTK_HIST_LOCUST;
    s->interval_s = opt->interval_s == LTK_RAWLOG_INTERVAL_AUTO ? 1 : opt->interval_s; /* no times to span */
    s->fold = opt->fold;
    s->max_names = opt->max_names;
    cJSON *doc = NULL;
    if (memchr(text, '\0', len))
        rc = ltk_error_set(err, LTK_EFORMAT, name, 0, 0, "not valid JSON: a NUL byte");
    else
        rc = ltk_json_parse(text, len, name, &doc, err);
    if (rc) {
        ltk_summary_release(s);
        return rc;
    }
    struct rd r = { .name = name, .err = err, .tmin = NAN, .tmax = NAN };
    rc = parse_doc(&r, doc, s);
    cJSON_Delete(doc);
    if (rc == LTK_OK)
        rc = finish_ticks(&r, ts);
    free(r.ticks);
    if (rc == LTK_OK) {
        s->sources = calloc(1, sizeof *s->sources);
        if (!s->sources || !(s->sources[0].path = ltk_strdup(name)) ||
            !(s->sources[0].format = ltk_strdup(LTK_LOCUST_JSON_FORMAT)))
            rc = ltk_error_set(err, LTK_ENOMEM, name, 0, 0, "out of memory");
        if (s->sources)
            s->nsources = 1;
        if (rc == LTK_OK)
            s->sources[0].rows = s->total.count;
    }
    if (rc == LTK_OK && ts) {
        ts->untimed = r.untimed;
        ts->tmin = r.tmin;
        ts->tmax = r.tmax;
    }
    if (rc) {
        ltk_summary_release(s);
        ltk_locust_series_release(ts);
    }
    return rc;
}

int ltk_locust_json_summarize(struct ltk_summary *s, struct ltk_locust_series *ts, const char *path,
                              const struct ltk_rawlog_options *opt, struct ltk_error *err)
{
    char *text;
    size_t len;
    if (ts)
        memset(ts, 0, sizeof *ts);
    int rc = ltk_json_read_file(path, LTK_LOCUST_JSON_MAX_BYTES, "Locust's JSON statistics", &text, &len, err);
    if (rc)
        return rc;
    rc = ltk_locust_json_parse(s, ts, text, len, path, opt, err);
    free(text);
    return rc;
}

/* ---- into the run -------------------------------------------------------- */

struct hrow {
    uint64_t requests, failures;   /* cumulative */
};

static int push_row(struct ltk_run *run, size_t *cap, int64_t t, const char *method, const char *name,
                    bool is_total, uint64_t requests, uint64_t failures, struct hrow *cu)
{
    cu->requests += requests;
    cu->failures += failures;
    /* a second's counts; no times per second in the file */
    struct ltk_history_row h = {
        .ts = t, .users = 0, .is_total = is_total, .rps = (double)requests, .fail_per_s = (double)failures,
        .requests = cu->requests, .failures = cu->failures, .median = NAN, .mean = NAN, .min = NAN, .max = NAN,
        .avg_size = NAN, .line = 0,
    };
    return ltk_run_add_history(run, cap, &h, method, name);
}

/* Index of (method, name) in the run's endpoints, sorted by name then method. */
static size_t rank_of(const struct ltk_run *run, const char *method, const char *name)
{
    size_t lo = 0, hi = run->nendpoints;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct ltk_endpoint *e = &run->endpoints[mid];
        int c = strcmp(e->name, name);
        if (!c)
            c = strcmp(e->type, method);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

/* A 1 s history: for each second from the first to the last (of a gap
 * longer than LTK_RAWLOG_GAP_S, its first and last), the endpoints with
 * requests or failures in it in the table's order, then Aggregated. */
static int series_to_history(const struct ltk_summary *s, const struct ltk_locust_series *ts, struct ltk_run *run,
                             uint64_t *gaps)
{
    if (!ts->n)
        return LTK_OK;
    size_t ne = run->nendpoints;
    size_t *rank = malloc(s->nendpoints * sizeof *rank);
    struct hrow *cu = calloc(ne + 1, sizeof *cu);
    struct ltk_ranked *by = malloc(ts->n * sizeof *by);
    int rc = rank && cu && by ? LTK_OK : LTK_ENOMEM;
    for (size_t i = 0; i < s->nendpoints && rc == LTK_OK; i++)
        if ((rank[i] = rank_of(run, s->endpoints[i].method, s->endpoints[i].name)) >= ne)
            rc = LTK_ENOMEM; /* cannot happen: every endpoint is in the table */
    size_t cap = 0;
    for (size_t i = 0; i < ts->n && rc == LTK_OK;) {
        int64_t t = ts->ticks[i].t;
        size_t end = i;
        while (end < ts->n && ts->ticks[end].t == t)
            end++;
        /* the empty seconds before it */
        int64_t from = i ? ts->ticks[i - 1].t + 1 : t;
        bool whole = t - from <= LTK_RAWLOG_GAP_S;
        if (!whole)
            (*gaps)++;
        for (int64_t k = from; k < t && rc == LTK_OK; k = ltk_gap_next(k, t, 1, whole))
            rc = push_row(run, &cap, k, "", "Aggregated", true, 0, 0, &cu[ne]);
        for (size_t k = i; k < end; k++)
            by[k - i] = (struct ltk_ranked){ rank[ts->ticks[k].endpoint], k };
        ltk_sort_ranked(by, end - i);
        uint64_t req = 0, fail = 0;
        for (size_t k = 0; k < end - i && rc == LTK_OK; k++) {
            const struct ltk_locust_tick *x = &ts->ticks[by[k].pos];
            const struct ltk_endpoint *e = &run->endpoints[by[k].rank];
            req += x->requests;
            fail += x->failures;
            rc = push_row(run, &cap, t, e->type, e->name, false, x->requests, x->failures, &cu[by[k].rank]);
        }
        if (rc == LTK_OK)
            rc = push_row(run, &cap, t, "", "Aggregated", true, req, fail, &cu[ne]);
        i = end;
    }
    free(rank);
    free(cu);
    free(by);
    if (rc == LTK_OK) {
        run->history_full = true;
        run->history_pct_kind = LTK_HPCT_WINDOW;
        run->history_window_s = 1;
    }
    return rc;
}

int ltk_locust_json_load(struct ltk_run *run, const char *path, const struct ltk_rawlog_options *opt,
                         struct ltk_error *err)
{
    struct ltk_rawlog_options o = LTK_RAWLOG_OPTIONS_DEFAULT;
    if (opt)
        o = *opt;
    o.method = LTK_HIST_LOCUST;  /* the only method the file can give */
    struct ltk_summary s;
    ltk_summary_init(&s);
    struct ltk_locust_series ts;
    int rc = ltk_locust_json_summarize(&s, &ts, path, &o, err);
    if (rc == LTK_OK) {
        /* the run's span, for RPS (a summary holds it only with intervals) */
        s.timed = s.total.count;
        s.tmin = ts.tmin;
        s.tmax = ts.tmax;
        rc = ltk_summary_to_run(&s, path, run, err);
    }
    uint64_t gaps = 0;
    if (rc == LTK_OK && series_to_history(&s, &ts, run, &gaps))
        rc = ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
    if (rc == LTK_OK && ts.n) {
        free(run->source[LTK_SRC_HISTORY]);
        if (!(run->source[LTK_SRC_HISTORY] = ltk_strdup(path)))
            rc = ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
    }
    if (rc == LTK_OK) {
        if (ts.untimed)
            ltk_run_warn(run,
                         "%s: %llu request(s) without a response time (num_none_requests) are left out of the "
                         "counts and percentiles; Locust's own percentiles count them",
                         path, (unsigned long long)ts.untimed);
        if (gaps)
            ltk_run_warn(run,
                         "%s: %llu gap(s) of more than %d s without requests: the history has only their first "
                         "and last seconds",
                         path, (unsigned long long)gaps, LTK_RAWLOG_GAP_S);
    }
    ltk_locust_series_release(&ts);
    ltk_summary_release(&s);
    return rc;
}
bool ltk_run_from_locust_json(const struct ltk_run *run)
{
    return run->raw_format && strcmp(run->raw_format, LTK_LOCUST_JSON_FORMAT) == 0;
}

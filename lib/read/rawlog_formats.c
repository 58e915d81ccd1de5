/* The dialects of raw request logs (see ltk/read/rawlog.h): which format a
 * header line is and where its columns are; the field parsers (response
 * time, timestamp, size, success flag, HTTP status); and how a record of
 * each format becomes a request (struct row) for the aggregate of
 * rawlog_stream.c: the Locust hook and CsvRequestLogger, JMeter JTL and
 * --columns rows by plain_record, k6's pairs of rows by k6_record.
 *
 * One file for all of them: four of the five share one record parser whose
 * few differences (how success and the error text are read) are branches on
 * the format, and all share the column tables and field parsers; a file per
 * dialect would split that parser or share a dozen helpers between files. */
#include "read/rawlog_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/base/num.h"
#include "ltk/model/summary.h"
#include "base/strutil.h"

const char *ltk_rawlog_format_name(enum ltk_rawlog_format f)
{
    switch (f) {
    case LTK_RAW_NONE: return "none";
    case LTK_RAW_LOCUST_HOOK: return "locust-hook";
    case LTK_RAW_LOCUST_LOGGER: return "locust-logger";
    case LTK_RAW_JMETER: return "jmeter";
    case LTK_RAW_K6: return "k6";
    case LTK_RAW_COLUMNS: return "columns";
    }
    return "none";
}

/* ---- columns of each format ------------------------------------------------ */

static const char *const role_names[COL_N] = {
    [COL_TS] = "ts", [COL_METHOD] = "method", [COL_NAME] = "name", [COL_TIME] = "time", [COL_BYTES] = "bytes",
    [COL_OK] = "ok", [COL_STATUS] = "status", [COL_ERROR] = "error", [COL_MSG] = "message",
    [COL_METRIC] = "metric", [COL_EXPECTED] = "expected", [COL_URL] = "url", [COL_USERS] = "users",
    [COL_LATENCY] = "latency", [COL_CONNECT] = "connect", [COL_TLS] = "tls",
};

struct colspec {
    enum role role;
    const char *header;
    bool required;
};

static const struct colspec hook_cols[] = {
    { COL_TS, "timestamp", true }, { COL_METHOD, "request_type", true }, { COL_NAME, "name", true },
    { COL_TIME, "response_time", true }, { COL_BYTES, "response_length", false },
    { COL_OK, "success", true }, { COL_ERROR, "exception", false }, { COL_USERS, "users", false },
    { COL_STATUS, "status", false },
};
static const struct colspec logger_cols[] = {
    { COL_TS, "timestamp", true }, { COL_METHOD, "request_type", true }, { COL_NAME, "name", true },
    { COL_TIME, "response_time_ms", true }, { COL_BYTES, "response_length", false },
    { COL_STATUS, "status_code", true }, { COL_ERROR, "exception", false },
};
static const struct colspec jmeter_cols[] = {
    { COL_TS, "timeStamp", true }, { COL_TIME, "elapsed", true }, { COL_NAME, "label", true },
    { COL_OK, "success", true }, { COL_STATUS, "responseCode", false }, { COL_MSG, "responseMessage", false },
    { COL_ERROR, "failureMessage", false }, { COL_BYTES, "bytes", false },
    /* active threads of all groups, else of the sample's own group (the first found counts) */
    { COL_USERS, "allThreads", false }, { COL_USERS, "grpThreads", false },
    { COL_LATENCY, "Latency", false }, { COL_CONNECT, "Connect", false },
};
static const struct colspec k6_cols[] = {
    { COL_METRIC, "metric_name", true }, { COL_TS, "timestamp", true }, { COL_TIME, "metric_value", true },
    { COL_METHOD, "method", false }, { COL_NAME, "name", false }, { COL_URL, "url", false },
    { COL_STATUS, "status", false }, { COL_ERROR, "error", false }, { COL_EXPECTED, "expected_response", false },
};

struct format_def {
    enum ltk_rawlog_format fmt;
    const struct colspec *cols;
    size_t ncols;
};

static const struct format_def formats[] = {
    { LTK_RAW_LOCUST_HOOK, hook_cols, sizeof hook_cols / sizeof hook_cols[0] },
    { LTK_RAW_LOCUST_LOGGER, logger_cols, sizeof logger_cols / sizeof logger_cols[0] },
    { LTK_RAW_JMETER, jmeter_cols, sizeof jmeter_cols / sizeof jmeter_cols[0] },
    { LTK_RAW_K6, k6_cols, sizeof k6_cols / sizeof k6_cols[0] },
};

/* k6's metrics of a request's timings, by enum ltk_timing. */
static const char *const k6_timing_metric[LTK_TIMING_N] = { "http_req_waiting", "http_req_connecting",
                                                            "http_req_tls_handshaking" };

const char *ltk_rawlog_timing_from(const char *format, enum ltk_timing k)
{
    static const char *const jtl[LTK_TIMING_N] = { "the JTL's Latency column", "the JTL's Connect column", NULL };
    static const char *const k6[LTK_TIMING_N] = { "k6's http_req_waiting metric", "k6's http_req_connecting metric",
                                                  "k6's http_req_tls_handshaking metric" };
    static const char *const cols[LTK_TIMING_N] = { "the --columns latency= column", "the --columns connect= column",
                                                    "the --columns tls= column" };
    if ((int)k < 0 || k >= LTK_TIMING_N || !format)
        return NULL;
    if (strcmp(format, "jmeter") == 0)
        return jtl[k];
    if (strcmp(format, "k6") == 0)
        return k6[k];
    if (strcmp(format, "columns") == 0)
        return cols[k];
    return NULL;
}

static int find_field(const struct ltk_csv_record *rec, const char *name)
{
    for (size_t i = 0; i < rec->nfields; i++)
        if (strcmp(rec->fields[i], name) == 0)
            return (int)i;
    return -1;
}

/* Which format a header is, LTK_RAW_NONE when none. */
enum ltk_rawlog_format ltk_rawlog_header_format(const struct ltk_csv_record *rec)
{
    for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
        bool all = true;
        for (size_t c = 0; c < formats[f].ncols && all; c++)
            if (formats[f].cols[c].required && find_field(rec, formats[f].cols[c].header) < 0)
                all = false;
        if (all)
            return formats[f].fmt;
    }
    return LTK_RAW_NONE;
}

/* ---- Locust's error text ------------------------------------------------- */

/* Locust's StatsError.parse_error: "object at 0x7f..." becomes "object at 0x....". */
static void locust_error_text(const char *s, struct ltk_buf *out)
{
    ltk_buf_reset(out);
    const char *at = strstr(s, "object at 0x");
    if (!at) {
        ltk_buf_puts(out, s);
        return;
    }
    const char *start = at + strlen("object at ");
    const char *end = strchr(start, '>');
    if (!end) {
        ltk_buf_puts(out, s);
        return;
    }
    /* Python's str.replace replaces every occurrence of the address */
    size_t alen = (size_t)(end - start);
    for (const char *p = s; *p;) {
        if (alen && strncmp(p, start, alen) == 0) {
            ltk_buf_puts(out, "0x....");
            p += alen;
        } else {
            ltk_buf_putc(out, *p++);
        }
    }
}

/* ---- field parsing ------------------------------------------------------- */

static const char *field(const struct agg *a, const struct ltk_csv_record *rec, enum role r)
{
    return a->col[r] >= 0 ? rec->fields[a->col[r]] : NULL;
}

static int bad_field(struct agg *a, const struct ltk_csv_record *rec, enum role r, const char *expected,
                     struct ltk_error *err)
{
    char shown[80];
    ltk_quote_text(rec->fields[a->col[r]], shown, sizeof shown);
    return ltk_error_set(err, LTK_EFORMAT, a->file, rec->line, a->col[r] + 1, "column '%s': expected %s, got %s",
                         a->colname[r] ? a->colname[r] : role_names[r], expected, shown);
}

static int parse_time(struct agg *a, const struct ltk_csv_record *rec, double *ms, struct ltk_error *err)
{
    const char *s = field(a, rec, COL_TIME);
    double v;
    if (ltk_parse_real(s, &v) || v < 0)
        return bad_field(a, rec, COL_TIME, "a response time in ms (a finite number >= 0)", err);
    *ms = v == 0 ? 0.0 : v;
    return LTK_OK;
}

/* Epoch time in seconds; scale 1 (seconds), 1000 (ms) or 0 (by magnitude:
 * above 1e17 ns, 1e14 us, 1e11 ms, else s).  Empty: NAN. */
static int parse_ts(struct agg *a, const struct ltk_csv_record *rec, double *ts, struct ltk_error *err)
{
    *ts = NAN;
    const char *s = field(a, rec, COL_TS);
    if (!s || !*s)
        return LTK_OK;
    double v;
    if (ltk_parse_real(s, &v) || v < 0)
        return bad_field(a, rec, COL_TS, "a Unix epoch time (a number >= 0)", err);
    double scale = a->ts_scale;
    if (!scale)
        scale = v > 1e17 ? 1e9 : v > 1e14 ? 1e6 : v > 1e11 ? 1e3 : 1;
    if (v / scale > LTK_SUMMARY_MAX_T)     /* 31 million years: a summary's limit */
        return bad_field(a, rec, COL_TS, "a Unix epoch time of at most 10^15 s", err);
    *ts = v / scale;
    return LTK_OK;
}

/* A user (thread, VU) count: a whole number >= 0; empty: NAN. */
static int parse_users(struct agg *a, const struct ltk_csv_record *rec, enum role role, double *users,
                       struct ltk_error *err)
{
    *users = NAN;
    const char *s = field(a, rec, role);
    if (!s || !*s)
        return LTK_OK;
    double v;
    if (ltk_parse_nonneg(s, &v) || v != floor(v) || v > 1e12)
        return bad_field(a, rec, role, "a user count (a whole number >= 0)", err);
    *users = v;
    return LTK_OK;
}

/* The timings of a row (latency, connect, TLS ms) from their columns;
 * NAN for a column the log lacks or an empty field. */
static int parse_timings(struct agg *a, const struct ltk_csv_record *rec, double *t, struct ltk_error *err)
{
    for (int k = 0; k < LTK_TIMING_N; k++) {
        t[k] = NAN;
        const char *s = field(a, rec, (enum role)(COL_LATENCY + k));
        if (!s || !*s)
            continue;
        double v;
        if (ltk_parse_real(s, &v) || v < 0 || !(v < LTK_HIST_MAX_MS))
            return bad_field(a, rec, (enum role)(COL_LATENCY + k), "a time in ms (a finite number >= 0)", err);
        t[k] = v == 0 ? 0.0 : v;
    }
    return LTK_OK;
}

static int parse_bytes(struct agg *a, const struct ltk_csv_record *rec, double *bytes, struct ltk_error *err)
{
    *bytes = NAN;
    const char *s = field(a, rec, COL_BYTES);
    if (!s || !*s)
        return LTK_OK;
    if (ltk_parse_nonneg(s, bytes))
        return bad_field(a, rec, COL_BYTES, "a response size in bytes", err);
    return LTK_OK;
}

/* 1/0, true/false (any case), yes/no, ok. */
static int parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = { "1", "true", "yes", "ok", "t", "y" };
    static const char *const no[] = { "0", "false", "no", "f", "n" };
    if ((s[0] == '1' || s[0] == '0') && !s[1]) {
        *out = s[0] == '1';
        return LTK_OK;
    }
    char low[8];
    size_t n = strlen(s);
    if (n >= sizeof low)
        return LTK_EFORMAT;
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (strcmp(low, yes[i]) == 0) {
            *out = true;
            return LTK_OK;
        }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (strcmp(low, no[i]) == 0) {
            *out = false;
            return LTK_OK;
        }
    return LTK_EFORMAT;
}

/* An HTTP status as a number, or -1 when the field is not one (empty, "0"
 * for no response, text). */
static int status_number(const char *s)
{
    int64_t v;
    if (!s || ltk_parse_int(s, &v) || v < 100 || v > 999)
        return -1;
    return (int)v;
}

bool ltk_rawlog_status_field(const char *s, int *code)
{
    if (!s || !*s)
        return false;
    int st = status_number(s);
    *code = st > 0 ? st : 0;
    return true;
}

static bool status_ok(int st)
{
    return st >= 100 && st <= 399;
}

/* ---- one record ----------------------------------------------------------- */

void ltk_rawlog_pending_clear(struct pending *p)
{
    free(p->method);
    free(p->name);
    free(p->error);
    free(p->status);
    free(p->expected);
    memset(p, 0, sizeof *p);
}

int ltk_rawlog_k6_finish_pending(struct agg *a, bool have_failed, bool failed, struct ltk_error *err)
{
    struct pending *p = &a->pend;
    if (!p->active)
        return LTK_OK;
    int st = status_number(p->status);
    bool ok;
    if (have_failed)
        ok = !failed;
    else if (p->expected && *p->expected && parse_bool(p->expected, &ok) == LTK_OK)
        ;
    else
        ok = status_ok(st);
    struct ltk_buf etext;
    ltk_buf_init(&etext);
    if (!ok) {
        if (p->error && *p->error)
            ltk_buf_puts(&etext, p->error);
        else if (st > 0)
            ltk_buf_printf(&etext, "HTTP %d", st);
        else
            ltk_buf_puts(&etext, "no response");
    }
    struct row r = { .method = p->method ? p->method : "", .name = p->name ? p->name : "",
                     .mlen = p->method ? strlen(p->method) : 0, .nlen = p->name ? strlen(p->name) : 0,
                     .error = etext.data ? etext.data : "", .ms = p->ms, .ts = p->ts, .bytes = NAN,
                     .users = NAN, .ok = ok };
    for (int k = 0; k < LTK_TIMING_N; k++)
        r.timing[k] = p->timing[k];
    r.has_status = ltk_rawlog_status_field(p->status, &r.status);
    int rc = etext.failed ? ltk_rawlog_oom(a, p->line, err) : ltk_rawlog_add_row(a, &r, p->line, err);
    ltk_buf_release(&etext);
    ltk_rawlog_pending_clear(p);
    return rc;
}

/* Notes a metric k6 wrote that ltk does not read (a->ignored_metrics). */
static int k6_ignored(struct agg *a, const char *metric, long line, struct ltk_error *err)
{
    for (size_t i = a->nignored_metrics; i-- > 0;)    /* the latest first: rows come in a pattern */
        if (strcmp(a->ignored_metrics[i], metric) == 0)
            return LTK_OK;
    if (a->nignored_metrics >= LTK_RUN_MAX_IGNORED) {
        a->ignored_more = true;
        return LTK_OK;
    }
    char **n = realloc(a->ignored_metrics, (a->nignored_metrics + 1) * sizeof *n);
    if (!n)
        return ltk_rawlog_oom(a, line, err);
    a->ignored_metrics = n;
    if (!(n[a->nignored_metrics] = ltk_strdup(metric)))
        return ltk_rawlog_oom(a, line, err);
    a->nignored_metrics++;
    return LTK_OK;
}

/* True when the pending duration row is the request of a row with this
 * name, method and timestamp. */
static bool k6_same(const struct pending *p, const char *name, const char *method, double ts)
{
    return p->active && strcmp(p->name ? p->name : "", name) == 0 && strcmp(p->method ? p->method : "", method) == 0 &&
           ((isnan(p->ts) && isnan(ts)) || p->ts == ts);
}

static int k6_record(struct agg *a, const struct ltk_csv_record *rec, struct ltk_error *err)
{
    const char *metric = field(a, rec, COL_METRIC);
    bool is_duration = strcmp(metric, "http_req_duration") == 0;
    bool is_failed = strcmp(metric, "http_req_failed") == 0;
    bool is_vus = strcmp(metric, "vus") == 0;
    int timing = -1;
    for (int k = 0; k < LTK_TIMING_N && !is_duration && !is_failed && !is_vus; k++)
        if (strcmp(metric, k6_timing_metric[k]) == 0)
            timing = k;
    if (!is_duration && !is_failed && !is_vus && timing < 0)
        return k6_ignored(a, metric, rec->line, err);
    double ts;
    int rc = parse_ts(a, rec, &ts, err);
    if (rc)
        return rc;
    if (is_vus) {
        /* the VUs running at ts, in the value column */
        double users;
        if ((rc = parse_users(a, rec, COL_TIME, &users, err)))
            return rc;
        if (isnan(users))
            return bad_field(a, rec, COL_TIME, "a VU count for the vus metric", err);
        return ltk_rawlog_add_users(a, ts, users, rec->line, err);
    }
    const char *name = field(a, rec, COL_NAME);
    if (!name || !*name)
        name = field(a, rec, COL_URL);
    if (!name)
        name = "";
    const char *method = field(a, rec, COL_METHOD);
    if (!method)
        method = "";
    if (timing >= 0) {
        /* a timing of the request whose duration row came just before */
        double v;
        if (ltk_parse_real(field(a, rec, COL_TIME), &v) || v < 0 || !(v < LTK_HIST_MAX_MS))
            return bad_field(a, rec, COL_TIME, "a time in ms (a finite number >= 0)", err);
        a->timing[timing] = true;
        if (k6_same(&a->pend, name, method, ts))
            a->pend.timing[timing] = v == 0 ? 0.0 : v;
        return LTK_OK;
    }
    if (is_failed) {
        double v;
        if (ltk_parse_real(field(a, rec, COL_TIME), &v) || (v != 0 && v != 1))
            return bad_field(a, rec, COL_TIME, "0 or 1 for http_req_failed", err);
        if (!k6_same(&a->pend, name, method, ts)) {
            if (!a->k6_orphans++)
                a->k6_orphan_line = rec->line;
            return LTK_OK;
        }
        return ltk_rawlog_k6_finish_pending(a, true, v == 1, err);
    }
    double ms = 0;   /* parse_time sets it or fails (gcc cannot see that ltk_error_set returns nonzero) */
    if ((rc = parse_time(a, rec, &ms, err)))
        return rc;
    if ((rc = ltk_rawlog_k6_finish_pending(a, false, false, err)))
        return rc;
    struct pending *p = &a->pend;
    const char *st = field(a, rec, COL_STATUS), *er = field(a, rec, COL_ERROR), *ex = field(a, rec, COL_EXPECTED);
    p->method = ltk_strdup(method);
    p->name = ltk_strdup(name);
    p->status = ltk_strdup(st ? st : "");
    p->error = ltk_strdup(er ? er : "");
    p->expected = ltk_strdup(ex ? ex : "");
    if (!p->method || !p->name || !p->status || !p->error || !p->expected) {
        ltk_rawlog_pending_clear(p);
        return ltk_rawlog_oom(a, rec->line, err);
    }
    p->ms = ms;
    p->ts = ts;
    for (int k = 0; k < LTK_TIMING_N; k++)
        p->timing[k] = NAN;
    p->line = rec->line;
    p->active = true;
    return LTK_OK;
}

static int plain_record(struct agg *a, const struct ltk_csv_record *rec, struct ltk_error *err)
{
    struct row r = { .bytes = NAN, .ts = NAN, .users = NAN, .ok = true };
    int rc;
    if ((rc = parse_time(a, rec, &r.ms, err)) || (rc = parse_ts(a, rec, &r.ts, err)) ||
        (rc = parse_bytes(a, rec, &r.bytes, err)) || (rc = parse_users(a, rec, COL_USERS, &r.users, err)) ||
        (rc = parse_timings(a, rec, r.timing, err)))
        return rc;
    r.method = field(a, rec, COL_METHOD);
    r.mlen = r.method ? rec->lens[a->col[COL_METHOD]] : 0;
    if (!r.method)
        r.method = "";
    r.name = field(a, rec, COL_NAME);
    r.nlen = rec->lens[a->col[COL_NAME]];
    const char *error = field(a, rec, COL_ERROR);
    if (!error)
        error = "";
    int st = -1;
    if (a->col[COL_STATUS] >= 0) {
        const char *sf = field(a, rec, COL_STATUS);
        st = status_number(sf);
        r.has_status = ltk_rawlog_status_field(sf, &r.status);
    }
    if (a->fmt == LTK_RAW_LOCUST_LOGGER || (a->fmt == LTK_RAW_COLUMNS && a->col[COL_OK] < 0 && r.has_status)) {
        r.ok = status_ok(st) && !*error;
    } else if (a->col[COL_OK] >= 0) {
        const char *s = field(a, rec, COL_OK);
        if (parse_bool(s, &r.ok)) {
            int code = status_number(s);
            if (a->fmt != LTK_RAW_COLUMNS || code < 0)
                return bad_field(a, rec, COL_OK,
                                 a->fmt == LTK_RAW_COLUMNS ? "a success flag (1/0, true/false) or an HTTP status"
                                                           : "a success flag (1/0, true/false)",
                                 err);
            r.ok = status_ok(code);
            st = code;
            r.has_status = true;
            r.status = code;
        }
    }
    struct ltk_buf etext;
    ltk_buf_init(&etext);
    if (!r.ok) {
        if (a->fmt == LTK_RAW_LOCUST_HOOK || a->fmt == LTK_RAW_LOCUST_LOGGER) {
            if (*error)
                locust_error_text(error, &etext);
            else
                ltk_buf_printf(&etext, "HTTP %d", st > 0 ? st : 0);
        } else if (*error) {
            ltk_buf_puts(&etext, error);
        } else if (a->fmt == LTK_RAW_JMETER && a->col[COL_STATUS] >= 0) {
            ltk_buf_puts(&etext, field(a, rec, COL_STATUS));
            const char *msg = field(a, rec, COL_MSG);
            if (msg && *msg) {
                ltk_buf_putc(&etext, ' ');
                ltk_buf_puts(&etext, msg);
            }
        } else if (st > 0) {
            ltk_buf_printf(&etext, "HTTP %d", st);
        } else {
            ltk_buf_puts(&etext, "failed");
        }
    }
    r.error = etext.data ? etext.data : "";
    rc = etext.failed ? ltk_rawlog_oom(a, rec->line, err) : ltk_rawlog_add_row(a, &r, rec->line, err);
    ltk_buf_release(&etext);
    return rc;
}

/* Keeps the header text of each mapped column, notes the timings the
 * columns give, and lists the columns no role reads (a->ignored_cols). */
static int keep_colnames(struct agg *a, const struct ltk_csv_record *rec, struct ltk_error *err)
{
    for (int r = 0; r < COL_N; r++) {
        if (a->col[r] >= 0 && !(a->colname[r] = ltk_strdup(rec->fields[a->col[r]])))
            return ltk_rawlog_oom(a, rec->line, err);
    }
    for (int k = 0; k < LTK_TIMING_N; k++)
        a->timing[k] = a->col[COL_LATENCY + k] >= 0;
    size_t n = 0;
    for (size_t i = 0; i < rec->nfields; i++) {
        bool used = false;
        for (int r = 0; r < COL_N && !used; r++)
            used = a->col[r] == (int)i;
        n += !used;
    }
    if (!n)
        return LTK_OK;
    if (n > LTK_RUN_MAX_IGNORED) {
        n = LTK_RUN_MAX_IGNORED;
        a->ignored_more = true;
    }
    if (!(a->ignored_cols = calloc(n, sizeof *a->ignored_cols)))
        return ltk_rawlog_oom(a, rec->line, err);
    for (size_t i = 0; i < rec->nfields && a->nignored_cols < n; i++) {
        bool used = false;
        for (int r = 0; r < COL_N && !used; r++)
            used = a->col[r] == (int)i;
        if (!used && !(a->ignored_cols[a->nignored_cols++] = ltk_strdup(rec->fields[i])))
            return ltk_rawlog_oom(a, rec->line, err);
    }
    return LTK_OK;
}

/* Maps the header to a->col.  Returns LTK_OK or a format error. */
static int map_header(struct agg *a, const struct ltk_csv_record *rec, struct ltk_error *err)
{
    for (int r = 0; r < COL_N; r++)
        a->col[r] = -1;
    a->nfields = rec->nfields;
    if (a->opt->columns) {
        a->fmt = LTK_RAW_COLUMNS;
        const char *p = a->opt->columns;
        while (*p) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            const char *eq = memchr(p, '=', len);
            int role = -1;
            static const enum role allowed[] = { COL_NAME, COL_TIME, COL_OK, COL_TS, COL_METHOD, COL_ERROR, COL_BYTES,
                                                 COL_USERS, COL_STATUS, COL_LATENCY, COL_CONNECT, COL_TLS };
            for (size_t i = 0; eq && i < sizeof allowed / sizeof allowed[0]; i++)
                if (strlen(role_names[allowed[i]]) == (size_t)(eq - p) &&
                    strncmp(p, role_names[allowed[i]], (size_t)(eq - p)) == 0)
                    role = (int)allowed[i];
            if (role < 0)
                return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                                     "--columns: expected ROLE=COLUMN items with ROLE one of name, time, "
                                     "ok, ts, method, error, bytes, users, status, latency, connect, tls, "
                                     "got '%.*s'",
                                     (int)len, p);
            char *want = ltk_strndup(eq + 1, len - (size_t)(eq + 1 - p));
            if (!want)
                return ltk_rawlog_oom(a, rec->line, err);
            int idx = find_field(rec, want);
            if (idx < 0) {
                char shown[80];
                ltk_quote_text(want, shown, sizeof shown);
                free(want);
                return ltk_error_set(err, LTK_EFORMAT, a->file, rec->line, 0,
                                     "--columns: the header has no column %s", shown);
            }
            free(want);
            a->col[role] = idx;
            p += len;
            if (*p == ',')
                p++;
        }
        if (a->col[COL_NAME] < 0 || a->col[COL_TIME] < 0)
            return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "--columns: name= and time= are required");
        return keep_colnames(a, rec, err);
    }
    a->fmt = ltk_rawlog_header_format(rec);
    if (a->fmt == LTK_RAW_NONE) {
        char shown[80];
        ltk_quote_text(rec->fields[0], shown, sizeof shown);
        return ltk_error_set(err, LTK_EFORMAT, a->file, rec->line, 0,
                             "not a request log ltk knows (Locust hook or CsvRequestLogger, JMeter JTL, "
                             "k6 CSV): the header starts with %s; name the columns with --columns",
                             shown);
    }
    for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
        if (formats[f].fmt != a->fmt)
            continue;
        for (size_t c = 0; c < formats[f].ncols; c++)
            if (a->col[formats[f].cols[c].role] < 0) /* of two columns for a role, the first found */
                a->col[formats[f].cols[c].role] = find_field(rec, formats[f].cols[c].header);
    }
    a->ts_scale = a->fmt == LTK_RAW_LOCUST_HOOK ? 1 : a->fmt == LTK_RAW_JMETER ? 1000 : 0;
    return keep_colnames(a, rec, err);
}

int ltk_rawlog_on_record(const struct ltk_csv_record *rec, void *ctx, struct ltk_error *err)
{
    struct agg *a = ctx;
    if (rec->index == 0)
        return map_header(a, rec, err);
    int rc;
    if (rec->nfields != a->nfields)
        rc = ltk_error_set(err, LTK_EFORMAT, a->file, rec->line, 0, "expected %zu fields, got %zu%s",
                           a->nfields, rec->nfields,
                           rec->cut_off ? ": the last line is cut off (no line break at the end of the file; "
                                          "a run that was stopped while writing?)"
                                        : "");
    else if (a->fmt == LTK_RAW_K6)
        rc = k6_record(a, rec, err);
    else
        rc = plain_record(a, rec, err);
    if (rc == LTK_EFORMAT && a->opt->skip_bad) {
        if (!a->skipped++)
            snprintf(a->first_bad, sizeof a->first_bad, "line %ld: %s", err->line, err->msg);
        ltk_error_clear(err);
        return LTK_OK;
    }
    return rc;
}


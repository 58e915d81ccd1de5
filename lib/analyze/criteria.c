/* The criteria language (see ltk/analyze/criteria.h and docs/criteria.md). */
#include "ltk/analyze/criteria.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/base/num.h"
#include "base/strutil.h"

static const struct {
    const char *name;
    enum ltk_metric metric;
} metric_words[] = {
    { "mean", LTK_MET_MEAN },       { "avg", LTK_MET_MEAN },
    { "min", LTK_MET_MIN },         { "max", LTK_MET_MAX },
    { "median", LTK_MET_MEDIAN },   { "error_rate", LTK_MET_ERROR_RATE },
    { "rps", LTK_MET_RPS },         { "requests", LTK_MET_REQUESTS },
    { "failures", LTK_MET_FAILURES },
};

/* The metrics of the metrics file (--metrics). */
static const struct {
    const char *name;
    enum ltk_resource res;
} resource_words[] = {
    { "cpu", LTK_RES_CPU },         { "mem", LTK_RES_MEM_MB },   { "connections", LTK_RES_CONNECTIONS },
    { "queue_depth", LTK_RES_QUEUE }, { "net_rx", LTK_RES_NET_RX }, { "net_tx", LTK_RES_NET_TX },
};

/* The whole-run-only metrics: no "over" or "during". */
static bool whole_run_only(const struct ltk_criterion *c)
{
    return c->ok || c->metric == LTK_MET_STATUS || c->metric == LTK_MET_APDEX || c->metric == LTK_MET_UNDER ||
           c->metric == LTK_MET_MEM_GROWTH;
}

static bool is_time_metric(enum ltk_metric m)
{
    return m == LTK_MET_PCT || m == LTK_MET_MEAN || m == LTK_MET_MIN || m == LTK_MET_MAX ||
           m == LTK_MET_MEDIAN;
}

const char *ltk_metric_unit(enum ltk_metric m)
{
    if (is_time_metric(m))
        return "ms";
    if (m == LTK_MET_ERROR_RATE || m == LTK_MET_STATUS || m == LTK_MET_UNDER)
        return "%";
    if (m == LTK_MET_RPS)
        return "req/s";
    return "";
}

const char *ltk_criterion_unit(const struct ltk_criterion *c)
{
    if (c->metric == LTK_MET_RESOURCE)
        return ltk_resource_unit(c->res);
    if (c->metric == LTK_MET_MEM_GROWTH)
        return c->res == LTK_RES_MEM_PCT ? "%/h" : "MB/h";
    return ltk_metric_unit(c->metric);
}

const char *ltk_cmp_text(enum ltk_cmp op)
{
    switch (op) {
    case LTK_CMP_LT: return "<";
    case LTK_CMP_LE: return "<=";
    case LTK_CMP_GT: return ">";
    case LTK_CMP_GE: return ">=";
    case LTK_CMP_EQ: return "==";
    }
    return "?";
}

bool ltk_cmp_holds(enum ltk_cmp op, double v, double limit)
{
    if (isnan(v) || isnan(limit))
        return false;
    switch (op) {
    case LTK_CMP_LT: return v < limit;
    case LTK_CMP_LE: return v <= limit;
    case LTK_CMP_GT: return v > limit;
    case LTK_CMP_GE: return v >= limit;
    case LTK_CMP_EQ: return v == limit;
    }
    return false;
}

void ltk_criterion_release(struct ltk_criterion *c)
{
    if (!c)
        return;
    free(c->text);
    free(c->endpoint);
    memset(c, 0, sizeof *c);
}

void ltk_criteria_free(struct ltk_criterion *c, size_t n)
{
    for (size_t i = 0; c && i < n; i++)
        ltk_criterion_release(&c[i]);
    free(c);
}

/* Parser state over one expression; columns are 1-based byte offsets into
 * the original text, turned into code-point columns when reported. */
struct parser {
    const char *s;
    size_t i;
    struct ltk_error *err;
};

static long column_of(const char *s, size_t off)
{
    return 1 + (long)ltk_utf8_count(s, off);
}

static int fail(struct parser *p, size_t at, const char *what)
{
    return ltk_error_set(p->err, LTK_EINVAL, NULL, 0, column_of(p->s, at), "%s", what);
}

static void skip_ws(struct parser *p)
{
    while (p->s[p->i] == ' ' || p->s[p->i] == '\t')
        p->i++;
}

/* A decimal number without sign: digits, optionally '.' and digits. */
static int number(struct parser *p, double *out)
{
    size_t start = p->i;
    while (isdigit((unsigned char)p->s[p->i]))
        p->i++;
    if (p->s[p->i] == '.') {
        p->i++;
        size_t frac = p->i;
        while (isdigit((unsigned char)p->s[p->i]))
            p->i++;
        if (p->i == frac)
            return fail(p, p->i, "expected a digit after '.'");
    }
    if (p->i == start)
        return fail(p, start, p->s[start] == '-' ? "expected a number (limits cannot be negative)"
                                                 : "expected a number");
    char buf[64];
    if (p->i - start >= sizeof buf)
        return fail(p, start, "number too long");
    memcpy(buf, p->s + start, p->i - start);
    buf[p->i - start] = '\0';
    if (ltk_parse_nonneg(buf, out))
        return fail(p, start, "expected a number");
    return LTK_OK;
}

static size_t word_end(const char *s, size_t i)
{
    while (isalpha((unsigned char)s[i]) || s[i] == '_' || s[i] == '%' || s[i] == '-')
        i++;
    return i;
}

static int parse_endpoint(struct parser *p, struct ltk_criterion *c)
{
    if (p->s[p->i] == '"') {
        size_t open = p->i++;
        struct ltk_buf b;
        ltk_buf_init(&b);
        for (;;) {
            char ch = p->s[p->i];
            if (!ch) {
                ltk_buf_release(&b);
                return fail(p, open, "unterminated quoted endpoint name");
            }
            p->i++;
            if (ch == '"')
                break;
            if (ch == '\\' && (p->s[p->i] == '"' || p->s[p->i] == '\\'))
                ch = p->s[p->i++];
            ltk_buf_putc(&b, ch);
        }
        if (b.failed || b.len == 0) {
            bool nomem = b.failed;
            ltk_buf_release(&b);
            return nomem ? ltk_error_set(p->err, LTK_ENOMEM, NULL, 0, 0, "out of memory")
                         : fail(p, open, "empty endpoint name");
        }
        c->endpoint = b.data;
        skip_ws(p);
        if (p->s[p->i] != ':')
            return fail(p, p->i, "expected ':' after the quoted endpoint name");
        p->i++;
        return LTK_OK;
    }
    const char *colon = strchr(p->s + p->i, ':');
    if (!colon)
        return LTK_OK;   /* no endpoint: the Aggregated total */
    size_t end = (size_t)(colon - p->s);
    while (end > p->i && (p->s[end - 1] == ' ' || p->s[end - 1] == '\t'))
        end--;
    if (end == p->i)
        return fail(p, (size_t)(colon - p->s), "expected an endpoint name before ':'");
    c->endpoint = ltk_strndup(p->s + p->i, end - p->i);
    if (!c->endpoint)
        return ltk_error_set(p->err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    p->i = (size_t)(colon - p->s) + 1;
    return LTK_OK;
}

/* A time after "apdex_" or "under_": NUMBER and ms or s (a bare number is ms). */
static int metric_time(struct parser *p, double *ms)
{
    size_t start = p->i;
    double v;
    int rc = number(p, &v);
    if (rc)
        return rc;
    if (p->s[p->i] == 'm' && p->s[p->i + 1] == 's')
        p->i += 2;
    else if (p->s[p->i] == 's') {
        p->i += 1;
        v *= 1000;
    } else if (isalpha((unsigned char)p->s[p->i]))
        return fail(p, p->i, "expected ms or s after the time (under_800ms, apdex_2s)");
    if (!(v > 0))
        return fail(p, start, "the time must be above 0");
    *ms = v;
    return LTK_OK;
}

/* status_5xx, status_4xx, status_429 ...: after "status_". */
static int metric_status(struct parser *p, struct ltk_criterion *c)
{
    const char *s = p->s + p->i;
    if (isdigit((unsigned char)s[0]) && s[1] == 'x' && s[2] == 'x' && !isalnum((unsigned char)s[3])) {
        if (s[0] < '1' || s[0] > '5')
            return fail(p, p->i, "a status class is 1xx to 5xx");
        c->status = s[0] - '0';
        c->status_class = true;
        p->i += 3;
        return LTK_OK;
    }
    if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
        !isalnum((unsigned char)s[3])) {
        int v = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
        if (v < 100 || v > 599)
            return fail(p, p->i, "an HTTP status code is 100 to 599");
        c->status = v;
        p->i += 3;
        return LTK_OK;
    }
    return fail(p, p->i, "expected a status code or class after 'status_' (status_5xx, status_429)");
}

static int parse_metric(struct parser *p, struct ltk_criterion *c)
{
    size_t start = p->i;
    if (strncmp(p->s + p->i, "ok.", 3) == 0) {
        c->ok = true;
        p->i += 3;
        start = p->i;
        int rc;
        if (!(p->s[p->i] == 'p' && isdigit((unsigned char)p->s[p->i + 1]))) {
            size_t end = start;
            while (isalnum((unsigned char)p->s[end]) || p->s[end] == '_')
                end++;
            static const char *const ok_words[] = { "mean", "avg", "min", "max", "median" };
            bool known = false;
            for (size_t k = 0; k < sizeof ok_words / sizeof ok_words[0]; k++)
                known |= strlen(ok_words[k]) == end - start && memcmp(ok_words[k], p->s + start, end - start) == 0;
            if (!known)
                return fail(p, start, "after 'ok.' expected a time metric: pNN, mean, avg, min, max or median");
        }
        c->ok = false;
        rc = parse_metric(p, c);
        c->ok = true;
        if (rc)
            return rc;
        size_t len = strlen(c->metric_name);
        if (len + 3 >= sizeof c->metric_name)
            return fail(p, start, "metric name too long");
        memmove(c->metric_name + 3, c->metric_name, len + 1);
        memcpy(c->metric_name, "ok.", 3);
        return LTK_OK;
    }
    if (strncmp(p->s + p->i, "status_", 7) == 0) {
        p->i += 7;
        int rc = metric_status(p, c);
        if (rc)
            return rc;
        c->metric = LTK_MET_STATUS;
        snprintf(c->metric_name, sizeof c->metric_name, "%.*s", (int)(p->i - start), p->s + start);
        return LTK_OK;
    }
    if (strncmp(p->s + p->i, "under_", 6) == 0 ||
        (strncmp(p->s + p->i, "apdex", 5) == 0 && !isalnum((unsigned char)p->s[p->i + 5]))) {
        bool apdex = p->s[p->i] == 'a';
        c->metric = apdex ? LTK_MET_APDEX : LTK_MET_UNDER;
        p->i += apdex ? 5 : 6;
        if (apdex && p->s[p->i] == '_')
            p->i++;
        else if (apdex) {
            snprintf(c->metric_name, sizeof c->metric_name, "apdex");
            return LTK_OK;
        }
        int rc = metric_time(p, &c->at_ms);
        if (rc)
            return rc;
        if (p->i - start >= sizeof c->metric_name)
            return fail(p, start, "metric name too long");
        snprintf(c->metric_name, sizeof c->metric_name, "%.*s", (int)(p->i - start), p->s + start);
        return LTK_OK;
    }
    if (p->s[p->i] == 'p' && isdigit((unsigned char)p->s[p->i + 1])) {
        p->i++;
        double v;
        int rc = number(p, &v);
        if (rc)
            return rc;
        if (!(v > 0 && v <= 100))
            return fail(p, start + 1, "a percentile must be above 0 and at most 100");
        c->metric = LTK_MET_PCT;
        c->pct = v;
        snprintf(c->metric_name, sizeof c->metric_name, "%.*s", (int)(p->i - start), p->s + start);
        return LTK_OK;
    }
    size_t end = start;
    while (isalnum((unsigned char)p->s[end]) || p->s[end] == '_')
        end++;
    if (end - start == 10 && memcmp(p->s + start, "mem_growth", 10) == 0) {
        c->metric = LTK_MET_MEM_GROWTH;
        c->res = LTK_RES_MEM_MB;   /* or LTK_RES_MEM_PCT by the unit */
        snprintf(c->metric_name, sizeof c->metric_name, "mem_growth");
        p->i = end;
        return LTK_OK;
    }
    for (size_t k = 0; k < sizeof resource_words / sizeof resource_words[0]; k++) {
        if (strlen(resource_words[k].name) != end - start || memcmp(resource_words[k].name, p->s + start, end - start))
            continue;
        c->metric = LTK_MET_RESOURCE;
        c->res = resource_words[k].res;
        c->rstat = LTK_RSTAT_SUSTAINED;
        p->i = end;
        if (p->s[p->i] == '.') {
            size_t s0 = p->i + 1, s1 = s0;
            while (isalpha((unsigned char)p->s[s1]))
                s1++;
            if (s1 - s0 == 3 && memcmp(p->s + s0, "max", 3) == 0)
                c->rstat = LTK_RSTAT_MAX;
            else if (s1 - s0 == 4 && memcmp(p->s + s0, "mean", 4) == 0)
                c->rstat = LTK_RSTAT_MEAN;
            else
                return fail(p, s0, "expected max or mean after '.' (cpu.max, mem.mean; plain cpu is the "
                                   "highest 30 s mean)");
            p->i = s1;
        }
        snprintf(c->metric_name, sizeof c->metric_name, "%.*s", (int)(p->i - start), p->s + start);
        return LTK_OK;
    }
    for (size_t k = 0; k < sizeof metric_words / sizeof metric_words[0]; k++)
        if (strlen(metric_words[k].name) == end - start &&
            memcmp(metric_words[k].name, p->s + start, end - start) == 0) {
            c->metric = metric_words[k].metric;
            snprintf(c->metric_name, sizeof c->metric_name, "%s", metric_words[k].name);
            p->i = end;
            return LTK_OK;
        }
    if (end == start)
        return fail(p, start, "expected a metric (p95, mean, max, min, median, error_rate, rps, requests, failures, "
                              "status_5xx, apdex, under_800ms, ok.p95, cpu, mem, mem_growth)");
    return fail(p, start,
                "unknown metric (use pNN, mean, avg, max, min, median, error_rate, rps, requests, failures, "
                "status_5xx, status_429, apdex, apdex_2s, under_800ms or ok.p95; from --metrics: cpu, mem, "
                "connections, queue_depth, net_rx, net_tx, mem_growth; quote endpoint names that hold ':')");
}

static int parse_op(struct parser *p, struct ltk_criterion *c)
{
    const char *s = p->s + p->i;
    if (s[0] == '<' && s[1] == '=') { c->op = LTK_CMP_LE; p->i += 2; }
    else if (s[0] == '>' && s[1] == '=') { c->op = LTK_CMP_GE; p->i += 2; }
    else if (s[0] == '=' && s[1] == '=') { c->op = LTK_CMP_EQ; p->i += 2; }
    else if (s[0] == '<') { c->op = LTK_CMP_LT; p->i += 1; }
    else if (s[0] == '>') { c->op = LTK_CMP_GT; p->i += 1; }
    else if (s[0] == '=')
        return fail(p, p->i, "expected a comparison: write '==' for equality");
    else if (s[0] == '!')
        return fail(p, p->i, "expected a comparison (<, <=, >, >=, ==); '!=' is not supported");
    else
        return fail(p, p->i, "expected a comparison (<, <=, >, >=, ==)");
    return LTK_OK;
}

/* The limit of a resource metric or of mem_growth: its unit decides
 * between the memory columns.  Sizes are binary (1 GB = 1024 MB), as the
 * metrics file's rss_kb / 1024. */
static int resource_limit(struct parser *p, struct ltk_criterion *c, double v)
{
    size_t ustart = p->i, uend = ustart;
    while (isalpha((unsigned char)p->s[uend]) || p->s[uend] == '%' || p->s[uend] == '/')
        uend++;
    size_t ulen = uend - ustart;
    const char *u = p->s + ustart;
    p->i = uend;
#define UNIT(x) (ulen == strlen(x) && memcmp(u, x, ulen) == 0)
    static const struct {
        const char *unit;
        double scale;
    } sizes[] = { { "B", 1.0 / (1024 * 1024) }, { "KB", 1.0 / 1024 }, { "MB", 1 }, { "GB", 1024 } };
    if (c->metric == LTK_MET_MEM_GROWTH) {
        if (UNIT("%/h")) {
            c->res = LTK_RES_MEM_PCT;
            c->limit = v;
            return LTK_OK;
        }
        for (size_t k = 1; k < 4; k++)
            if (ulen == strlen(sizes[k].unit) + 2 && memcmp(u, sizes[k].unit, ulen - 2) == 0 &&
                memcmp(u + ulen - 2, "/h", 2) == 0) {
                c->limit = v * sizes[k].scale;
                return LTK_OK;
            }
        return fail(p, ustart, "expected a growth per hour: KB/h, MB/h, GB/h, or %/h of the machine's memory "
                               "(mem_growth<10MB/h)");
    }
    switch (c->res) {
    case LTK_RES_CPU:
        if (!UNIT("%"))
            return fail(p, ustart, "expected '%' after the CPU limit (cpu<80%; percent of one core, may pass 100)");
        c->limit = v;
        return LTK_OK;
    case LTK_RES_MEM_MB:
    case LTK_RES_MEM_PCT:
        if (UNIT("%")) {
            if (v > 100)
                return fail(p, ustart - 1, "memory cannot exceed 100% of the machine");
            c->res = LTK_RES_MEM_PCT;
            c->limit = v;
            return LTK_OK;
        }
        for (size_t k = 1; k < 4; k++)
            if (UNIT(sizes[k].unit)) {
                c->limit = v * sizes[k].scale;
                return LTK_OK;
            }
        return fail(p, ustart, "expected '%' of the machine or a size (KB, MB, GB) after the memory limit "
                               "(mem<85%, mem<2GB)");
    case LTK_RES_NET_RX:
    case LTK_RES_NET_TX:
        for (size_t k = 0; k < 4; k++)
            if (ulen == strlen(sizes[k].unit) + 2 && memcmp(u, sizes[k].unit, ulen - 2) == 0 &&
                memcmp(u + ulen - 2, "/s", 2) == 0) {
                c->limit = v * sizes[k].scale * 1024 * 1024;   /* bytes per second */
                return LTK_OK;
            }
        return fail(p, ustart, "expected a rate: B/s, KB/s, MB/s or GB/s (net_tx<10MB/s)");
    default:
        if (ulen)
            return fail(p, ustart, "expected a plain count (connections<100, queue_depth<100)");
        c->limit = v;
        return LTK_OK;
    }
#undef UNIT
}

static int parse_limit(struct parser *p, struct ltk_criterion *c)
{
    double v;
    int rc = number(p, &v);
    if (rc)
        return rc;
    if (c->metric == LTK_MET_RESOURCE || c->metric == LTK_MET_MEM_GROWTH)
        return resource_limit(p, c, v);
    size_t ustart = p->i;
    size_t uend = word_end(p->s, ustart);
    size_t ulen = uend - ustart;
    const char *u = p->s + ustart;
    p->i = uend;
#define UNIT(x) (ulen == strlen(x) && memcmp(u, x, ulen) == 0)
    if (is_time_metric(c->metric)) {
        if (ulen == 0 || UNIT("ms"))
            c->limit = v;
        else if (UNIT("s"))
            c->limit = v * 1000;
        else if (UNIT("m"))
            c->limit = v * 60000;
        else
            return fail(p, ustart, "expected a time unit: ms, s or m (a bare number is ms)");
    } else if (c->metric == LTK_MET_ERROR_RATE || c->metric == LTK_MET_STATUS || c->metric == LTK_MET_UNDER) {
        const char *what = c->metric == LTK_MET_ERROR_RATE ? "the error rate"
                           : c->metric == LTK_MET_STATUS   ? "a status rate"
                                                           : "a share of requests";
        char msg[120];
        if (UNIT("%") || (ulen == 0 && v == 0))
            c->limit = v;
        else if (ulen == 0) {
            snprintf(msg, sizeof msg, "expected '%%' after %s (%s)", what,
                     c->metric == LTK_MET_ERROR_RATE ? "error_rate<1%"
                     : c->metric == LTK_MET_STATUS   ? "status_5xx<1%"
                                                     : "under_800ms>90%");
            return fail(p, ustart, msg);
        } else {
            snprintf(msg, sizeof msg, "expected '%%': %s is a percentage", what);
            return fail(p, ustart, msg);
        }
        if (v > 100) {
            snprintf(msg, sizeof msg, "%s cannot exceed 100%%", what);
            return fail(p, ustart - 1, msg);
        }
    } else if (c->metric == LTK_MET_APDEX) {
        if (ulen != 0)
            return fail(p, ustart, "expected a plain number from 0 to 1 (apdex>0.9)");
        if (v > 1)
            return fail(p, ustart - 1, "Apdex is at most 1");
        c->limit = v;
    } else if (ulen != 0) {
        return fail(p, ustart, c->metric == LTK_MET_RPS ? "expected a plain number of requests per second"
                                                        : "expected a plain count");
    } else {
        c->limit = v;
    }
#undef UNIT
    return LTK_OK;
}

static int parse_scope(struct parser *p, struct ltk_criterion *c)
{
    size_t ws = p->i;
    skip_ws(p);
    if (!p->s[p->i])
        return LTK_OK;
    size_t kw = p->i;
    size_t kend = word_end(p->s, kw);
    if (p->i == ws)
        return fail(p, kw, "unexpected text after the limit");
    if (kend - kw == 4 && memcmp(p->s + kw, "over", 4) == 0) {
        p->i = kend;
        skip_ws(p);
        if (p->i == kend)
            return fail(p, p->i, "expected a window length after 'over' (over 60s)");
        size_t nstart = p->i;
        double v;
        int rc = number(p, &v);
        if (rc)
            return rc;
        size_t ustart = p->i;
        size_t uend = word_end(p->s, ustart);
        double mult;
        if (uend - ustart == 1 && p->s[ustart] == 's')
            mult = 1;
        else if (uend - ustart == 1 && p->s[ustart] == 'm')
            mult = 60;
        else if (uend - ustart == 1 && p->s[ustart] == 'h')
            mult = 3600;
        else
            return fail(p, ustart, "expected a window unit: s, m or h (over 60s)");
        double secs = v * mult;
        if (secs < 1 || secs != floor(secs) || secs > 1e9)
            return fail(p, nstart, "a window must be a whole number of seconds, at least 1 s");
        c->window_s = (int64_t)secs;
        p->i = uend;
    } else if (kend - kw == 6 && memcmp(p->s + kw, "during", 6) == 0) {
        p->i = kend;
        skip_ws(p);
        if (p->i == kend)
            return fail(p, p->i, "expected a phase after 'during' (spike, recovery, steady, ramp-up, ramp-down)");
        size_t pstart = p->i;
        size_t pend = word_end(p->s, pstart);
        if (ltk_phase_parse(p->s + pstart, pend - pstart, &c->phase))
            return fail(p, pstart, "expected a phase: spike, recovery, steady, ramp-up or ramp-down");
        c->has_phase = true;
        p->i = pend;
    } else {
        return fail(p, kw, "unexpected text after the limit (expected 'over 60s' or 'during spike')");
    }
    skip_ws(p);
    if (p->s[p->i])
        return fail(p, p->i, "unexpected text at the end of the expression");
    return LTK_OK;
}

int ltk_criterion_parse(const char *text, struct ltk_criterion *out, struct ltk_error *err)
{
    memset(out, 0, sizeof *out);
    struct parser p = { .s = text, .i = 0, .err = err };
    if (strlen(text) > LTK_CRITERION_MAX_LEN)
        return ltk_error_set(err, LTK_ELIMIT, NULL, 0, 0, "expression longer than %d bytes",
                             LTK_CRITERION_MAX_LEN);
    for (size_t k = 0; text[k]; k++)
        if ((unsigned char)text[k] < 0x20 && text[k] != '\t')
            return fail(&p, k, "control character in the expression");
    skip_ws(&p);
    size_t start = p.i;
    if (!text[p.i])
        return fail(&p, p.i, "empty expression");
    int rc = parse_endpoint(&p, out);
    if (!rc) {
        skip_ws(&p);
        rc = parse_metric(&p, out);
    }
    if (!rc) {
        skip_ws(&p);
        rc = parse_op(&p, out);
    }
    if (!rc) {
        skip_ws(&p);
        rc = parse_limit(&p, out);
    }
    if (!rc)
        rc = parse_scope(&p, out);
    if (!rc && whole_run_only(out) && (out->window_s || out->has_phase))
        rc = fail(&p, start, out->metric == LTK_MET_MEM_GROWTH
                                 ? "mem_growth is fitted over the run's steady segments: no 'over' or 'during'"
                                 : "status, apdex, under_ and ok. metrics are whole-run values: no 'over' or 'during'");
    if (!rc && (out->metric == LTK_MET_RESOURCE || out->metric == LTK_MET_MEM_GROWTH) && out->endpoint)
        rc = fail(&p, start, "resource metrics come from the metrics file (--metrics), not from an endpoint");
    if (!rc && out->metric == LTK_MET_RESOURCE && out->rstat != LTK_RSTAT_SUSTAINED && out->window_s)
        rc = fail(&p, start, "'over' sets the window of the sustained value: write cpu<70% over 5m, not cpu.max or "
                             "cpu.mean with 'over'");
    if (!rc) {
        size_t end = strlen(text);
        while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t'))
            end--;
        out->text = ltk_strndup(text + start, end - start);
        if (!out->text)
            rc = ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (rc)
        ltk_criterion_release(out);
    return rc;
}

void ltk_criteria_caret(const char *text, long column, char *buf, size_t size)
{
    struct ltk_buf b;
    ltk_buf_init(&b);
    ltk_buf_puts(&b, "  ");
    for (const char *q = text; *q; q++)
        ltk_buf_putc(&b, (unsigned char)*q < 0x20 || *q == 0x7f ? '?' : *q);
    ltk_buf_puts(&b, "\n  ");
    ltk_buf_pad(&b, ' ', column > 1 ? (size_t)(column - 1) : 0);
    ltk_buf_putc(&b, '^');
    snprintf(buf, size, "%s", b.failed ? "" : b.data);
    ltk_buf_release(&b);
}

/* Cuts a line at the first '#' outside double quotes. */
static void strip_comment(char *line)
{
    bool quoted = false;
    for (char *q = line; *q; q++) {
        if (*q == '"')
            quoted = !quoted;
        else if (*q == '\\' && quoted && q[1])
            q++;
        else if (*q == '#' && !quoted) {
            *q = '\0';
            return;
        }
    }
}

int ltk_criteria_read(FILE *fp, const char *path, struct ltk_criterion **out, size_t *n, char *badline,
                      size_t badsize, struct ltk_error *err)
{
    *out = NULL;
    *n = 0;
    if (badsize)
        badline[0] = '\0';
    size_t cap = 0;
    char line[LTK_CRITERION_MAX_LEN + 2];
    long lineno = 0;
    int rc = LTK_OK;
    for (;;) {
        /* one line by hand, not fgets: a NUL byte must be seen, not cut the line */
        size_t len = 0;
        int ch;
        bool nul = false, too_long = false;
        while ((ch = getc(fp)) != EOF && ch != '\n') {
            if (ch == '\0')
                nul = true;
            if (len == LTK_CRITERION_MAX_LEN + 1)
                too_long = true;
            else
                line[len++] = (char)ch;
        }
        if (ch == EOF && len == 0 && !nul)
            break;
        lineno++;
        line[len] = '\0';
        if (too_long) {
            rc = ltk_error_set(err, LTK_ELIMIT, path, lineno, 0, "line longer than %d bytes",
                               LTK_CRITERION_MAX_LEN);
            break;
        }
        if (nul) {
            rc = ltk_error_set(err, LTK_EINVAL, path, lineno, 0, "NUL byte in the line (binary file?)");
            break;
        }
        if (len && line[len - 1] == '\r')
            line[--len] = '\0';
        if (lineno == 1 && (unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB &&
            (unsigned char)line[2] == 0xBF)
            memmove(line, line + 3, strlen(line + 3) + 1);
        char full[sizeof line];
        memcpy(full, line, sizeof line);
        strip_comment(line);
        size_t k = 0;
        while (line[k] == ' ' || line[k] == '\t')
            k++;
        if (!line[k])
            continue;
        if (*n == LTK_CRITERIA_MAX) {
            rc = ltk_error_set(err, LTK_ELIMIT, path, lineno, 0, "more than %d criteria", LTK_CRITERIA_MAX);
            break;
        }
        if (*n == cap) {
            size_t ncap = cap ? 2 * cap : 16;
            struct ltk_criterion *nc = realloc(*out, ncap * sizeof *nc);
            if (!nc) {
                rc = ltk_error_set(err, LTK_ENOMEM, path, lineno, 0, "out of memory");
                break;
            }
            *out = nc;
            cap = ncap;
        }
        rc = ltk_criterion_parse(line, &(*out)[*n], err);
        if (rc) {
            if (err) {
                snprintf(err->file, sizeof err->file, "%s", path ? path : "");
                err->line = lineno;
            }
            if (badsize)
                snprintf(badline, badsize, "%s", full);
            break;
        }
        (*n)++;
    }
    if (!rc && ferror(fp))
        rc = ltk_error_set(err, LTK_EIO, path, lineno, 0, "read error: %s", strerror(errno));
    if (rc) {
        ltk_criteria_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

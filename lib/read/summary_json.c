/* The ltk.summary/2 JSON format (and /1, read) (see ltk/read/summary_json.h): the writer,
 * through cJSON's tree and streaming, and the strict reader. */
#include "ltk/read/summary_json.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ltk/base/input.h"
#include "ltk/base/json.h"
#include "ltk/base/num.h"
#include "ltk/read/rawlog.h"
#include "ltk/version.h"
#include "base/keymap.h"
#include "base/strutil.h"

#define NS_PER_MS 1e6

/* ---- JSON writer ----------------------------------------------------------- */

/* An interval's optional "status_classes": [2xx, 3xx, 4xx, 5xx, other]
 * requests, written when one is not 0. */
static bool iv_has_status(const struct ltk_summary_interval *iv)
{
    for (int k = 0; k < LTK_SC_N; k++)
        if (iv->status[k])
            return true;
    return false;
}

static void jb_u64(struct ltk_jb *b, cJSON *o, const char *key, uint64_t v)
{
    ltk_jb_num(b, o, key, (double)v);
}

static cJSON *num_item(struct ltk_jb *b, double v)
{
    cJSON *n = ltk_json_number(v);
    if (!n)
        b->failed = true;
    return n;
}

static void arr_add(struct ltk_jb *b, cJSON *arr, cJSON *item)
{
    if (!arr || !item || !cJSON_AddItemToArray(arr, item)) {
        cJSON_Delete(item);
        b->failed = true;
    }
}

static void hist_json(struct ltk_jb *b, cJSON *o, enum ltk_hist_method m, const struct ltk_shist *h)
{
    jb_u64(b, o, "count", h->count);
    ltk_jb_num(b, o, "min", h->count ? h->min : NAN);
    ltk_jb_num(b, o, "max", h->count ? h->max : NAN);
    char buf[48];
    ltk_jb_str(b, o, "sum_ns", ltk_hist_format_ns(h->sum_ns, buf));
    if (m == LTK_HIST_LOCUST) {
        cJSON *d = ltk_jb_obj(b, o, "counts");
        for (size_t i = 0; d && i < h->n; i++) {
            char kb[32];
            ltk_jb_num(b, d, ltk_format_double(h->keys[i], kb), (double)h->counts[i]);
        }
        return;
    }
    cJSON *a = ltk_jb_arr(b, o, m == LTK_HIST_HDR ? "buckets" : "values");
    for (size_t i = 0; a && i < h->n; i++) {
        arr_add(b, a, num_item(b, h->keys[i]));
        arr_add(b, a, num_item(b, (double)h->counts[i]));
    }
}

/* "status": [[code, read, inferred], ...] */
static void status_json(struct ltk_jb *b, cJSON *o, const struct ltk_status_list *l)
{
    cJSON *a = ltk_jb_arr(b, o, "status");
    for (size_t i = 0; a && i < l->n; i++) {
        cJSON *t = cJSON_CreateArray();
        arr_add(b, a, t);
        if (!t)
            continue;
        arr_add(b, t, num_item(b, (double)l->v[i].code));
        arr_add(b, t, num_item(b, (double)l->v[i].read));
        arr_add(b, t, num_item(b, (double)l->v[i].inferred));
    }
}

/* "ok": the successes' histogram, or null when the summary has none */
static void ok_json(struct ltk_jb *b, cJSON *o, const struct ltk_summary *s, const struct ltk_shist *h)
{
    if (s->has_ok)
        hist_json(b, ltk_jb_obj(b, o, "ok"), s->method, h);
    else
        ltk_jb_num(b, o, "ok", NAN);
}

/* True when the summary has some timing (the "timing" members are written). */
static bool any_timing(const struct ltk_summary *s)
{
    for (int k = 0; k < LTK_TIMING_N; k++)
        if (s->has_timing[k])
            return true;
    return false;
}

/* "timing": {"latency": histogram, ...} of the kinds the summary has;
 * nothing when it has none (a summary without timings is as before). */
static void timing_json(struct ltk_jb *b, cJSON *o, const struct ltk_summary *s, const struct ltk_shist *t)
{
    if (!any_timing(s))
        return;
    cJSON *x = ltk_jb_obj(b, o, "timing");
    for (int k = 0; k < LTK_TIMING_N && x; k++)
        if (s->has_timing[k])
            hist_json(b, ltk_jb_obj(b, x, ltk_timing_name(k)), s->method, &t[k]);
}

static void names_json(struct ltk_jb *b, cJSON *o, const char *key, char *const *v, size_t n)
{
    cJSON *a = ltk_jb_arr(b, o, key);
    for (size_t i = 0; a && i < n; i++)
        arr_add(b, a, cJSON_CreateString(v[i]));
}

/* "ignored": {"columns": [...], "metrics": [...], "more": bool} of a source
 * whose log held something not read; nothing otherwise. */
static void ignored_json(struct ltk_jb *b, cJSON *o, const struct ltk_summary_source *x)
{
    if (!x->nignored_columns && !x->nignored_metrics)
        return;
    cJSON *ig = ltk_jb_obj(b, o, "ignored");
    names_json(b, ig, "columns", x->ignored_columns, x->nignored_columns);
    names_json(b, ig, "metrics", x->ignored_metrics, x->nignored_metrics);
    ltk_jb_bool(b, ig, "more", x->ignored_more);
}

cJSON *ltk_summary_to_json(const struct ltk_summary *s)
{
    struct ltk_jb b = { false };
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return NULL;
    ltk_jb_str(&b, doc, "schema", LTK_SUMMARY_SCHEMA);
    ltk_jb_str(&b, doc, "ltk_version", LTK_VERSION);
    ltk_jb_str(&b, doc, "method", ltk_hist_method_name(s->method));
    ltk_jb_num(&b, doc, "interval_s", (double)s->interval_s);
    cJSON *pct = ltk_jb_arr(&b, doc, "percentiles");
    for (size_t i = 0; pct && i < s->npct; i++) {
        cJSON *str = cJSON_CreateString(s->pct_label[i]);
        arr_add(&b, pct, str);
    }
    ltk_jb_bool(&b, doc, "fold", s->fold);
    ltk_jb_num(&b, doc, "max_names", (double)s->max_names);
    cJSON *srcs = ltk_jb_arr(&b, doc, "sources");
    for (size_t i = 0; srcs && i < s->nsources; i++) {
        const struct ltk_summary_source *x = &s->sources[i];
        cJSON *o = ltk_jb_obj(&b, srcs, NULL);
        ltk_jb_str(&b, o, "path", x->path);
        ltk_jb_str(&b, o, "format", x->format);
        jb_u64(&b, o, "rows", x->rows);
        jb_u64(&b, o, "skipped", x->skipped);
        ltk_jb_str(&b, o, "first_bad", x->first_bad);
        ltk_jb_str(&b, o, "users_source", x->users_source);
        ignored_json(&b, o, x);
    }
    cJSON *t = ltk_jb_obj(&b, doc, "time");
    jb_u64(&b, t, "timed", s->timed);
    ltk_jb_num(&b, t, "start", s->timed ? s->tmin : NAN);
    ltk_jb_num(&b, t, "end", s->timed ? s->tmax : NAN);
    jb_u64(&b, doc, "other_requests", s->other_requests);
    jb_u64(&b, doc, "k6_orphans", s->k6_orphans);
    cJSON *tot = ltk_jb_obj(&b, doc, "total");
    jb_u64(&b, tot, "failures", s->total_failures);
    ltk_jb_num(&b, tot, "bytes", s->total_bytes);
    jb_u64(&b, tot, "sized", s->total_sized);
    hist_json(&b, ltk_jb_obj(&b, tot, "hist"), s->method, &s->total);
    ok_json(&b, tot, s, &s->total_ok);
    status_json(&b, tot, &s->total_status);
    timing_json(&b, tot, s, s->total_timing);
    cJSON *eps = ltk_jb_arr(&b, doc, "endpoints");
    for (size_t i = 0; eps && i < s->nendpoints; i++) {
        const struct ltk_summary_endpoint *e = &s->endpoints[i];
        cJSON *o = ltk_jb_obj(&b, eps, NULL);
        ltk_jb_str(&b, o, "method", e->method);
        ltk_jb_str(&b, o, "name", e->name);
        ltk_jb_bool(&b, o, "other", e->other);
        jb_u64(&b, o, "failures", e->failures);
        ltk_jb_num(&b, o, "bytes", e->bytes);
        jb_u64(&b, o, "sized", e->sized);
        hist_json(&b, ltk_jb_obj(&b, o, "hist"), s->method, &e->hist);
        ok_json(&b, o, s, &e->ok);
        status_json(&b, o, &e->status);
        timing_json(&b, o, s, e->timing);
    }
    cJSON *fs = ltk_jb_arr(&b, doc, "failures");
    for (size_t i = 0; fs && i < s->nfailures; i++) {
        const struct ltk_summary_failure *f = &s->failures[i];
        cJSON *o = ltk_jb_obj(&b, fs, NULL);
        ltk_jb_str(&b, o, "method", f->method);
        ltk_jb_str(&b, o, "name", f->name);
        ltk_jb_str(&b, o, "error", f->error);
        jb_u64(&b, o, "occurrences", f->occurrences);
    }
    cJSON *ivs = ltk_jb_arr(&b, doc, "intervals");
    for (size_t i = 0; ivs && i < s->nintervals && !b.failed; i++) {
        const struct ltk_summary_interval *iv = &s->intervals[i];
        cJSON *o = ltk_jb_obj(&b, ivs, NULL);
        ltk_jb_num(&b, o, "t", (double)iv->t);
        ltk_jb_num(&b, o, "users", iv->users >= 0 ? (double)iv->users : NAN);
        jb_u64(&b, o, "failures", iv->failures);
        struct ltk_shist total;
        if (ltk_summary_interval_total(iv, &total))
            b.failed = true;
        else
            hist_json(&b, ltk_jb_obj(&b, o, "total"), s->method, &total);
        ltk_shist_release(&total);
        cJSON *cells = ltk_jb_arr(&b, o, "cells");
        for (size_t c = 0; cells && c < iv->ncells; c++) {
            cJSON *cell = cJSON_CreateArray();
            arr_add(&b, cells, cell);
            if (b.failed)
                break;
            arr_add(&b, cell, num_item(&b, (double)iv->cells[c].endpoint));
            arr_add(&b, cell, num_item(&b, (double)iv->cells[c].failures));
            cJSON *h = cJSON_CreateObject();
            arr_add(&b, cell, h);
            if (!b.failed)
                hist_json(&b, h, s->method, &iv->cells[c].hist);
        }
        if (iv_has_status(iv)) {
            cJSON *sc = ltk_jb_arr(&b, o, "status_classes");
            for (int k = 0; sc && k < LTK_SC_N; k++)
                arr_add(&b, sc, num_item(&b, (double)iv->status[k]));
        }
    }
    if (b.failed) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

/* ---- streaming writer ------------------------------------------------------ */

/* ltk_summary_write prints the document directly, byte for byte what
 * cJSON_PrintUnformatted prints for ltk_summary_to_json (tested), without
 * building the tree: a large summary would take 20-30 times its size. */

static void w_str(FILE *f, const char *s)
{
    putc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\b': fputs("\\b", f); break;
        case '\f': fputs("\\f", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 32)
                fprintf(f, "\\u%04x", *p);
            else
                putc(*p, f);
        }
    }
    putc('"', f);
}

static void w_key(FILE *f, const char *key, bool first)
{
    if (!first)
        putc(',', f);
    w_str(f, key);
    putc(':', f);
}

static void w_num(FILE *f, double v)
{
    char buf[32];
    fputs(isfinite(v) ? ltk_format_double(v, buf) : "null", f);
}

static void w_u64(FILE *f, uint64_t v)
{
    w_num(f, (double)v);
}

static void w_opt_str(FILE *f, const char *s)
{
    if (s)
        w_str(f, s);
    else
        fputs("null", f);
}

static void w_hist(FILE *f, enum ltk_hist_method m, const struct ltk_shist *h)
{
    char buf[48];
    fputs("{\"count\":", f);
    w_u64(f, h->count);
    fputs(",\"min\":", f);
    w_num(f, h->count ? h->min : NAN);
    fputs(",\"max\":", f);
    w_num(f, h->count ? h->max : NAN);
    fputs(",\"sum_ns\":", f);
    w_str(f, ltk_hist_format_ns(h->sum_ns, buf));
    if (m == LTK_HIST_LOCUST) {
        fputs(",\"counts\":{", f);
        for (size_t i = 0; i < h->n; i++) {
            char kb[32];
            w_key(f, ltk_format_double(h->keys[i], kb), i == 0);
            w_u64(f, h->counts[i]);
        }
        fputs("}}", f);
        return;
    }
    fputs(m == LTK_HIST_HDR ? ",\"buckets\":[" : ",\"values\":[", f);
    for (size_t i = 0; i < h->n; i++) {
        if (i)
            putc(',', f);
        w_num(f, h->keys[i]);
        putc(',', f);
        w_u64(f, h->counts[i]);
    }
    fputs("]}", f);
}

static void w_ok_status(FILE *f, const struct ltk_summary *s, const struct ltk_shist *ok,
                        const struct ltk_status_list *l)
{
    fputs(",\"ok\":", f);
    if (s->has_ok)
        w_hist(f, s->method, ok);
    else
        fputs("null", f);
    fputs(",\"status\":[", f);
    for (size_t i = 0; i < l->n; i++) {
        fprintf(f, "%s[%d,", i ? "," : "", l->v[i].code);
        w_u64(f, l->v[i].read);
        putc(',', f);
        w_u64(f, l->v[i].inferred);
        putc(']', f);
    }
    putc(']', f);
}

static void w_timing(FILE *f, const struct ltk_summary *s, const struct ltk_shist *t)
{
    if (!any_timing(s))
        return;
    fputs(",\"timing\":{", f);
    bool first = true;
    for (int k = 0; k < LTK_TIMING_N; k++) {
        if (!s->has_timing[k])
            continue;
        w_key(f, ltk_timing_name(k), first);
        first = false;
        w_hist(f, s->method, &t[k]);
    }
    putc('}', f);
}

static void w_names(FILE *f, char *const *v, size_t n)
{
    putc('[', f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            putc(',', f);
        w_str(f, v[i]);
    }
    putc(']', f);
}

static void w_ignored(FILE *f, const struct ltk_summary_source *x)
{
    if (!x->nignored_columns && !x->nignored_metrics)
        return;
    fputs(",\"ignored\":{\"columns\":", f);
    w_names(f, x->ignored_columns, x->nignored_columns);
    fputs(",\"metrics\":", f);
    w_names(f, x->ignored_metrics, x->nignored_metrics);
    fprintf(f, ",\"more\":%s}", x->ignored_more ? "true" : "false");
}

int ltk_summary_write(FILE *f, const struct ltk_summary *s)
{
    fputs("{\"schema\":", f);
    w_str(f, LTK_SUMMARY_SCHEMA);
    fputs(",\"ltk_version\":", f);
    w_str(f, LTK_VERSION);
    fputs(",\"method\":", f);
    w_str(f, ltk_hist_method_name(s->method));
    fputs(",\"interval_s\":", f);
    w_num(f, (double)s->interval_s);
    fputs(",\"percentiles\":[", f);
    for (size_t i = 0; i < s->npct; i++) {
        if (i)
            putc(',', f);
        w_str(f, s->pct_label[i]);
    }
    fprintf(f, "],\"fold\":%s,\"max_names\":", s->fold ? "true" : "false");
    w_num(f, (double)s->max_names);
    fputs(",\"sources\":[", f);
    for (size_t i = 0; i < s->nsources; i++) {
        const struct ltk_summary_source *x = &s->sources[i];
        fputs(i ? ",{\"path\":" : "{\"path\":", f);
        w_str(f, x->path);
        fputs(",\"format\":", f);
        w_str(f, x->format);
        fputs(",\"rows\":", f);
        w_u64(f, x->rows);
        fputs(",\"skipped\":", f);
        w_u64(f, x->skipped);
        fputs(",\"first_bad\":", f);
        w_opt_str(f, x->first_bad);
        fputs(",\"users_source\":", f);
        w_opt_str(f, x->users_source);
        w_ignored(f, x);
        putc('}', f);
    }
    fputs("],\"time\":{\"timed\":", f);
    w_u64(f, s->timed);
    fputs(",\"start\":", f);
    w_num(f, s->timed ? s->tmin : NAN);
    fputs(",\"end\":", f);
    w_num(f, s->timed ? s->tmax : NAN);
    fputs("},\"other_requests\":", f);
    w_u64(f, s->other_requests);
    fputs(",\"k6_orphans\":", f);
    w_u64(f, s->k6_orphans);
    fputs(",\"total\":{\"failures\":", f);
    w_u64(f, s->total_failures);
    fputs(",\"bytes\":", f);
    w_num(f, s->total_bytes);
    fputs(",\"sized\":", f);
    w_u64(f, s->total_sized);
    fputs(",\"hist\":", f);
    w_hist(f, s->method, &s->total);
    w_ok_status(f, s, &s->total_ok, &s->total_status);
    w_timing(f, s, s->total_timing);
    fputs("},\"endpoints\":[", f);
    for (size_t i = 0; i < s->nendpoints; i++) {
        const struct ltk_summary_endpoint *e = &s->endpoints[i];
        fputs(i ? ",{\"method\":" : "{\"method\":", f);
        w_str(f, e->method);
        fputs(",\"name\":", f);
        w_str(f, e->name);
        fprintf(f, ",\"other\":%s,\"failures\":", e->other ? "true" : "false");
        w_u64(f, e->failures);
        fputs(",\"bytes\":", f);
        w_num(f, e->bytes);
        fputs(",\"sized\":", f);
        w_u64(f, e->sized);
        fputs(",\"hist\":", f);
        w_hist(f, s->method, &e->hist);
        w_ok_status(f, s, &e->ok, &e->status);
        w_timing(f, s, e->timing);
        putc('}', f);
    }
    fputs("],\"failures\":[", f);
    for (size_t i = 0; i < s->nfailures; i++) {
        const struct ltk_summary_failure *x = &s->failures[i];
        fputs(i ? ",{\"method\":" : "{\"method\":", f);
        w_str(f, x->method);
        fputs(",\"name\":", f);
        w_str(f, x->name);
        fputs(",\"error\":", f);
        w_str(f, x->error);
        fputs(",\"occurrences\":", f);
        w_u64(f, x->occurrences);
        putc('}', f);
    }
    fputs("],\"intervals\":[", f);
    for (size_t i = 0; i < s->nintervals; i++) {
        const struct ltk_summary_interval *iv = &s->intervals[i];
        fputs(i ? ",{\"t\":" : "{\"t\":", f);
        w_num(f, (double)iv->t);
        fputs(",\"users\":", f);
        w_num(f, iv->users >= 0 ? (double)iv->users : NAN);
        fputs(",\"failures\":", f);
        w_u64(f, iv->failures);
        fputs(",\"total\":", f);
        struct ltk_shist total;
        if (ltk_summary_interval_total(iv, &total)) {
            ltk_shist_release(&total);
            return LTK_ENOMEM;
        }
        w_hist(f, s->method, &total);
        ltk_shist_release(&total);
        fputs(",\"cells\":[", f);
        for (size_t c = 0; c < iv->ncells; c++) {
            fputs(c ? ",[" : "[", f);
            w_num(f, (double)iv->cells[c].endpoint);
            putc(',', f);
            w_u64(f, iv->cells[c].failures);
            putc(',', f);
            w_hist(f, s->method, &iv->cells[c].hist);
            putc(']', f);
        }
        putc(']', f);
        if (iv_has_status(iv)) {
            fputs(",\"status_classes\":[", f);
            for (int k = 0; k < LTK_SC_N; k++) {
                if (k)
                    putc(',', f);
                w_u64(f, iv->status[k]);
            }
            putc(']', f);
        }
        putc('}', f);
    }
    fputs("]}\n", f);
    return ferror(f) ? LTK_EIO : LTK_OK;
}

/* ---- strict reader ------------------------------------------------------------- */

struct rd {
    const char *name;            /* file, for messages */
    int version;                 /* 1 or 2 */
    struct ltk_error *err;
    enum ltk_hist_method method;
    char path[256];              /* where in the document, "endpoints[3].hist" */
};

static int bad(struct rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct rd *r, const char *fmt, ...)
{
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return ltk_error_set(r->err, LTK_EFORMAT, r->name, 0, 0, "not a valid ltk summary: %s%s%s",
                         r->path[0] ? r->path : "", r->path[0] ? ": " : "", what);
}

/* Appends ".key" or "[i]" to the path; returns the old length to restore. */
static size_t push(struct rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static size_t push(struct rd *r, const char *fmt, ...)
{
    size_t n = strlen(r->path);
    va_list ap;
    va_start(ap, fmt);
    if (n < sizeof r->path)
        vsnprintf(r->path + n, sizeof r->path - n, fmt, ap);
    va_end(ap);
    return n;
}

static void pop(struct rd *r, size_t n)
{
    r->path[n] = '\0';
}

/* Checks that obj is an object with exactly the keys listed. */
static int want_keys(struct rd *r, const cJSON *obj, const char *const *keys, size_t nkeys)
{
    if (!cJSON_IsObject(obj))
        return bad(r, "expected an object, got %s", ltk_json_kind(obj));
    for (const cJSON *c = obj->child; c; c = c->next) {
        bool known = false;
        for (size_t i = 0; i < nkeys && !known; i++)
            known = c->string && strcmp(c->string, keys[i]) == 0;
        if (!known) {
            char shown[80];
            ltk_quote_text(c->string ? c->string : "", shown, sizeof shown);
            return bad(r, "unknown field %s", shown);
        }
    }
    for (size_t i = 0; i < nkeys; i++) {
        int dup = 0;
        for (const cJSON *c = obj->child; c; c = c->next)
            dup += strcmp(c->string, keys[i]) == 0;
        if (dup == 0)
            return bad(r, "missing field '%s'", keys[i]);
        if (dup > 1)
            return bad(r, "field '%s' given twice", keys[i]);
    }
    return LTK_OK;
}

static const cJSON *get(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* What is wrong with a number where a count is expected, or NULL.  cJSON
 * reads numbers as doubles, so 2^53 + 1 arrives as 2^53: a count is refused
 * from 2^53 on, where the text and the value may differ. */
static int get_count(struct rd *r, const cJSON *obj, const char *key, uint64_t *out)
{
    const cJSON *j = get(obj, key);
    const char *why = ltk_json_count_problem(j);
    *out = 0;
    if (why)
        return bad(r, "'%s': expected a count (a whole number >= 0 below 2^53), got %s", key, why);
    *out = (uint64_t)j->valuedouble;
    return LTK_OK;
}

static int item_count(struct rd *r, const cJSON *j, const char *what, uint64_t *out)
{
    const char *why = ltk_json_count_problem(j);
    *out = 0;
    if (why)
        return bad(r, "expected %s (a whole number >= 0 below 2^53), got %s", what, why);
    *out = (uint64_t)j->valuedouble;
    return LTK_OK;
}

static int get_num(struct rd *r, const cJSON *obj, const char *key, bool nullable, double *out)
{
    const cJSON *j = get(obj, key);
    if (nullable && cJSON_IsNull(j)) {
        *out = NAN;
        return LTK_OK;
    }
    if (!cJSON_IsNumber(j) || !isfinite(j->valuedouble))
        return bad(r, "'%s': expected a number%s, got %s", key, nullable ? " or null" : "",
                   cJSON_IsNumber(j) ? "a number beyond the range of a double" : ltk_json_kind(j));
    *out = j->valuedouble;
    return LTK_OK;
}

/* A string field, copied (NULL for null when nullable). */
static int get_str(struct rd *r, const cJSON *obj, const char *key, bool nullable, char **out)
{
    const cJSON *j = get(obj, key);
    *out = NULL;
    if (nullable && cJSON_IsNull(j))
        return LTK_OK;
    if (!cJSON_IsString(j))
        return bad(r, "'%s': expected a string%s, got %s", key, nullable ? " or null" : "", ltk_json_kind(j));
    if (strlen(j->valuestring) > LTK_SUMMARY_MAX_TEXT)
        return ltk_error_set(r->err, LTK_ELIMIT, r->name, 0, 0, "%s: '%s' is longer than %d bytes", r->path, key,
                             LTK_SUMMARY_MAX_TEXT);
    if (!(*out = ltk_strdup(j->valuestring)))
        return ltk_error_set(r->err, LTK_ENOMEM, r->name, 0, 0, "out of memory");
    return LTK_OK;
}

static int get_array(struct rd *r, const cJSON *obj, const char *key, size_t cap, const cJSON **out, size_t *n)
{
    const cJSON *j = get(obj, key);
    if (!cJSON_IsArray(j))
        return bad(r, "'%s': expected an array, got %s", key, ltk_json_kind(j));
    size_t k = 0;
    for (const cJSON *c = j->child; c; c = c->next)
        if (++k > cap)
            return ltk_error_set(r->err, LTK_ELIMIT, r->name, 0, 0, "%s%s'%s' has more than %zu items", r->path,
                                 r->path[0] ? ": " : "", key, cap);
    *out = j;
    *n = k;
    return LTK_OK;
}

static int oom_rd(struct rd *r)
{
    return ltk_error_set(r->err, LTK_ENOMEM, r->name, 0, 0, "out of memory");
}

/* A key must be a valid one of the method, strictly ascending. */
static int hist_key(struct rd *r, struct ltk_shist *h, double key, uint64_t count)
{
    if (!ltk_hist_key_valid(r->method, key)) {
        char kb[32];
        return bad(r, "%s is not a key of the %s method", isfinite(key) ? ltk_format_double(key, kb) : "?",
                   ltk_hist_method_name(r->method));
    }
    if (h->n && !(key > h->keys[h->n - 1]))
        return bad(r, "keys must be strictly ascending");
    if (count == 0)
        return bad(r, "a key with count 0");
    if (h->count > LTK_MAX_EXACT_INT - count)
        return bad(r, "counts add up past 2^53");
    h->keys[h->n] = key;
    h->counts[h->n] = count;
    h->n++;
    h->count += count;
    return LTK_OK;
}

static int read_hist(struct rd *r, const cJSON *o, struct ltk_shist *h)
{
    static const char *const hdr_keys[] = { "count", "min", "max", "sum_ns", "buckets" };
    static const char *const loc_keys[] = { "count", "min", "max", "sum_ns", "counts" };
    static const char *const ex_keys[] = { "count", "min", "max", "sum_ns", "values" };
    const char *const *keys = r->method == LTK_HIST_HDR ? hdr_keys : r->method == LTK_HIST_LOCUST ? loc_keys : ex_keys;
    int rc = want_keys(r, o, keys, 5);
    if (rc)
        return rc;
    uint64_t count;
    double min = 0, max = 0; /* set by get_num on success; gcc -O2 cannot see it */
    if ((rc = get_count(r, o, "count", &count)) || (rc = get_num(r, o, "min", true, &min)) ||
        (rc = get_num(r, o, "max", true, &max)))
        return rc;
    const cJSON *sum = get(o, "sum_ns");
    if (!cJSON_IsString(sum) || ltk_hist_parse_ns(sum->valuestring, &h->sum_ns))
        return bad(r, "'sum_ns': expected the sum in whole nanoseconds as a string of digits, got %s",
                   ltk_json_kind(sum));
    size_t n = 0;
    const cJSON *list = get(o, keys[4]);
    if (r->method == LTK_HIST_LOCUST) {
        if (!cJSON_IsObject(list))
            return bad(r, "'counts': expected an object of rounded ms -> count, got %s", ltk_json_kind(list));
        for (const cJSON *c = list->child; c; c = c->next)
            n++;
    } else {
        if (!cJSON_IsArray(list))
            return bad(r, "'%s': expected an array of key, count pairs, got %s", keys[4], ltk_json_kind(list));
        for (const cJSON *c = list->child; c; c = c->next)
            n++;
        if (n % 2)
            return bad(r, "'%s': expected key, count pairs (an even number of items), got %zu items", keys[4], n);
        n /= 2;
    }
    if (n > count)
        return bad(r, "more keys (%zu) than the count (%llu)", n, (unsigned long long)count);
    if (n) {
        h->keys = malloc(n * sizeof *h->keys);
        h->counts = malloc(n * sizeof *h->counts);
        if (!h->keys || !h->counts)
            return oom_rd(r);
    }
    size_t mark = push(r, ".%s", keys[4]);
    if (r->method == LTK_HIST_LOCUST) {
        for (const cJSON *c = list->child; c; c = c->next) {
            double key;
            uint64_t cnt;
            char canon[32];
            size_t m2 = push(r, "[\"%.40s\"]", c->string);
            if (ltk_parse_nonneg(c->string, &key) || strcmp(ltk_format_double(key, canon), c->string) != 0)
                rc = bad(r, "expected a rounded time in ms as the key");
            else if (!(rc = item_count(r, c, "a count", &cnt)))
                rc = hist_key(r, h, key, cnt);
            if (rc)
                return rc;
            pop(r, m2);
        }
    } else {
        size_t i = 0;
        for (const cJSON *c = list->child; c; c = c->next->next, i++) {
            size_t m2 = push(r, "[%zu]", 2 * i);
            uint64_t cnt;
            if (!cJSON_IsNumber(c) || !isfinite(c->valuedouble))
                return bad(r, "expected a %s, got %s", r->method == LTK_HIST_HDR ? "bucket index" : "time in ms",
                           cJSON_IsNumber(c) ? "a number beyond the range of a double" : ltk_json_kind(c));
            pop(r, m2);
            m2 = push(r, "[%zu]", 2 * i + 1);
            if ((rc = item_count(r, c->next, "a count", &cnt)))
                return rc;
            pop(r, m2);
            m2 = push(r, "[%zu]", 2 * i);
            if ((rc = hist_key(r, h, c->valuedouble, cnt)))
                return rc;
            pop(r, m2);
        }
    }
    pop(r, mark);
    if (h->count != count)
        return bad(r, "'count' is %llu but the keys' counts add up to %llu", (unsigned long long)count,
                   (unsigned long long)h->count);
    if (!count) {
        if (!isnan(min) || !isnan(max) || h->sum_ns)
            return bad(r, "an empty histogram has min and max null and sum_ns \"0\"");
        h->min = h->max = NAN;
        return LTK_OK;
    }
    if (isnan(min) || isnan(max) || !(min >= 0 && min <= max && max < LTK_HIST_MAX_MS))
        return bad(r, "expected 0 <= min <= max < 2^43 ms");
    if (ltk_hist_key_of(r->method, min) != h->keys[0] || ltk_hist_key_of(r->method, max) != h->keys[h->n - 1])
        return bad(r, "min and max must fall in the first and the last key");
    ltk_u128 lo = (ltk_u128)count * ltk_hist_ms_to_ns(min), hi = (ltk_u128)count * ltk_hist_ms_to_ns(max);
    if (h->sum_ns < lo || h->sum_ns > hi)
        return bad(r, "'sum_ns' is not between count x min and count x max");
    h->min = min;
    h->max = max;
    return LTK_OK;
}

static bool shist_equal(const struct ltk_shist *a, const struct ltk_shist *b)
{
    if (a->count != b->count || a->n != b->n || a->sum_ns != b->sum_ns)
        return false;
    if (a->count && (a->min != b->min || a->max != b->max))
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (a->keys[i] != b->keys[i] || a->counts[i] != b->counts[i])
            return false;
    return true;
}

/* A list of at most LTK_RUN_MAX_IGNORED names. */
static int read_names(struct rd *r, const cJSON *o, const char *key, char ***v, size_t *n)
{
    const cJSON *arr;
    size_t k;
    int rc = get_array(r, o, key, LTK_RUN_MAX_IGNORED, &arr, &k);
    if (rc)
        return rc;
    if (k && !(*v = calloc(k, sizeof **v)))
        return oom_rd(r);
    for (const cJSON *c = arr->child; c; c = c->next) {
        if (!cJSON_IsString(c) || strlen(c->valuestring) > LTK_SUMMARY_MAX_TEXT)
            return bad(r, "'%s': expected names (strings)", key);
        if (!((*v)[*n] = ltk_strdup(c->valuestring)))
            return oom_rd(r);
        (*n)++;
    }
    return LTK_OK;
}

/* "ignored" of a source (optional): what its log held that was not read. */
static int read_ignored(struct rd *r, const cJSON *c, struct ltk_summary_source *x)
{
    static const char *const keys[] = { "columns", "metrics", "more" };
    const cJSON *ig = get(c, "ignored");
    if (!ig)
        return LTK_OK;
    size_t mark = push(r, ".ignored");
    int rc = want_keys(r, ig, keys, 3);
    if (rc || (rc = read_names(r, ig, "columns", &x->ignored_columns, &x->nignored_columns)) ||
        (rc = read_names(r, ig, "metrics", &x->ignored_metrics, &x->nignored_metrics)))
        return rc;
    const cJSON *more = get(ig, "more");
    if (!cJSON_IsBool(more))
        return bad(r, "'more': expected true or false, got %s", ltk_json_kind(more));
    x->ignored_more = cJSON_IsTrue(more);
    if (!x->nignored_columns && !x->nignored_metrics)
        return bad(r, "nothing in it (leave the member out)");
    pop(r, mark);
    return LTK_OK;
}

static int read_sources(struct rd *r, const cJSON *doc, struct ltk_summary *s)
{
    static const char *const keys[] = { "path", "format", "rows", "skipped", "first_bad", "users_source",
                                        "ignored" };
    const cJSON *arr;
    size_t n;
    int rc = get_array(r, doc, "sources", LTK_SUMMARY_MAX_SOURCES, &arr, &n);
    if (rc)
        return rc;
    if (!n)
        return bad(r, "'sources': expected at least one source log");
    if (!(s->sources = calloc(n, sizeof *s->sources)))
        return oom_rd(r);
    size_t i = 0;
    for (const cJSON *c = arr->child; c; c = c->next, i++) {
        size_t mark = push(r, "sources[%zu]", i);
        struct ltk_summary_source *x = &s->sources[i];
        s->nsources = i + 1;
        if ((rc = want_keys(r, c, keys, r->version >= 2 && cJSON_IsObject(c) && get(c, "ignored") ? 7 : 6)) || (rc = get_str(r, c, "path", false, &x->path)) ||
            (rc = get_str(r, c, "format", false, &x->format)) || (rc = get_count(r, c, "rows", &x->rows)) ||
            (rc = get_count(r, c, "skipped", &x->skipped)) ||
            (rc = get_str(r, c, "first_bad", true, &x->first_bad)) ||
            (rc = get_str(r, c, "users_source", true, &x->users_source)) || (rc = read_ignored(r, c, x)))
            return rc;
        bool known = strcmp(x->format, LTK_LOCUST_JSON_FORMAT) == 0;
        for (int f = LTK_RAW_LOCUST_HOOK; f <= LTK_RAW_COLUMNS && !known; f++)
            known = strcmp(x->format, ltk_rawlog_format_name((enum ltk_rawlog_format)f)) == 0;
        if (!known)
            return bad(r, "'format': expected locust-hook, locust-logger, jmeter, k6, columns or locust-json");
        if ((x->skipped > 0) != (x->first_bad != NULL))
            return bad(r, "'first_bad' is given exactly when rows were skipped");
        pop(r, mark);
    }
    return LTK_OK;
}


/* Adds key (malloc'd, may be NULL after a failed allocation) to seen with
 * value i; the map keeps it.  Fails with twice as the message when seen
 * has it already. */
static int add_unique(struct rd *r, struct ltk_keymap *seen, char *key, size_t i, const char *twice)
{
    bool found;
    size_t v = i;
    if (!key || ltk_keymap_find(seen, key, &v, &found, true)) {
        free(key);
        return oom_rd(r);
    }
    if (found) {
        free(key);
        return bad(r, "%s", twice);
    }
    return LTK_OK;
}
/* "status" of an endpoint or the total (version 2): codes ascending, each
 * once, adding up to at most requests. */
static int read_status(struct rd *r, const cJSON *o, uint64_t requests, struct ltk_status_list *l)
{
    if (r->version < 2)
        return LTK_OK;
    const cJSON *arr;
    size_t n;
    int rc = get_array(r, o, "status", LTK_STATUS_MAX + 1, &arr, &n);
    if (rc)
        return rc;
    uint64_t sum = 0;
    int last = -1;
    for (const cJSON *t = arr->child; t; t = t->next) {
        uint64_t code, rd, inf;
        if (!cJSON_IsArray(t) || cJSON_GetArraySize(t) != 3)
            return bad(r, "'status': expected [code, read, inferred] triples");
        if ((rc = item_count(r, t->child, "an HTTP status code", &code)) ||
            (rc = item_count(r, t->child->next, "a count of requests", &rd)) ||
            (rc = item_count(r, t->child->next->next, "a count of requests", &inf)))
            return rc;
        if (code > LTK_STATUS_MAX || (code != 0 && code < 100) || (int)code <= last)
            return bad(r, "'status': codes must be 0 or 100 to %d, ascending, each once", LTK_STATUS_MAX);
        if (!rd && !inf)
            return bad(r, "'status': a code with no requests");
        last = (int)code;
        sum += rd + inf;
        if (sum > requests)
            return bad(r, "'status': more codes than requests");
        if (ltk_status_add(l, (int)code, rd, inf))
            return oom_rd(r);
    }
    return LTK_OK;
}

/* "ok" of an endpoint or the total (version 2): the successes' histogram,
 * or null; *have says which. */
static int read_ok(struct rd *r, const cJSON *o, struct ltk_shist *h, uint64_t requests, uint64_t failures,
                   bool *have)
{
    *have = false;
    if (r->version < 2)
        return LTK_OK;
    const cJSON *j = get(o, "ok");
    if (cJSON_IsNull(j))
        return LTK_OK;
    size_t m = push(r, ".ok");
    int rc = read_hist(r, j, h);
    if (rc)
        return rc;
    pop(r, m);
    if (h->count != requests - failures)
        return bad(r, "'ok' holds %llu requests, but %llu succeeded", (unsigned long long)h->count,
                   (unsigned long long)(requests - failures));
    *have = true;
    return LTK_OK;
}

/* "timing" of an endpoint or the total (an optional member of version 2):
 * a histogram of each kind the summary has, of at most requests.  The
 * total's kinds set s->has_timing (read first); every endpoint must have
 * the same kinds. */
static int read_timing(struct rd *r, const cJSON *o, struct ltk_summary *s, struct ltk_shist *t, uint64_t requests,
                       bool total)
{
    const cJSON *j = get(o, "timing");
    if (r->version < 2 || !j) {
        if (!total && any_timing(s))
            return bad(r, "'timing': missing, as the total has it");
        return LTK_OK;
    }
    if (!cJSON_IsObject(j))
        return bad(r, "'timing': expected an object, got %s", ltk_json_kind(j));
    for (const cJSON *c = j->child; c; c = c->next) {
        int k = -1;
        for (int i = 0; i < LTK_TIMING_N; i++)
            if (c->string && strcmp(c->string, ltk_timing_name(i)) == 0)
                k = i;
        if (k < 0) {
            char shown[80];
            ltk_quote_text(c->string ? c->string : "", shown, sizeof shown);
            return bad(r, "'timing': unknown kind %s (expected latency, connect or tls)", shown);
        }
        if (t[k].n || t[k].count || (total && s->has_timing[k]))
            return bad(r, "'timing': '%s' given twice", c->string);
        if (!total && !s->has_timing[k])
            return bad(r, "'timing': '%s' is not in the total's", c->string);
        size_t m = push(r, ".timing.%s", c->string);
        int rc = read_hist(r, c, &t[k]);
        if (rc)
            return rc;
        pop(r, m);
        if (t[k].count > requests)
            return bad(r, "'timing': '%s' holds %llu requests of %llu", c->string, (unsigned long long)t[k].count,
                       (unsigned long long)requests);
        if (total)
            s->has_timing[k] = true;
    }
    if (!total) {
        for (int k = 0; k < LTK_TIMING_N; k++)
            if (s->has_timing[k] && !get(j, ltk_timing_name(k)))
                return bad(r, "'timing': '%s' missing, as the total has it", ltk_timing_name(k));
    } else if (!any_timing(s)) {
        return bad(r, "'timing': an empty object (leave the member out)");
    }
    return LTK_OK;
}

/* Each timing of the endpoints adds up to the total's. */
static int timing_adds_up(struct rd *r, const struct ltk_summary *s)
{
    for (int k = 0; k < LTK_TIMING_N; k++) {
        if (!s->has_timing[k])
            continue;
        struct ltk_shist sum;
        ltk_shist_init(&sum);
        bool oom = false;
        for (size_t e = 0; e < s->nendpoints && !oom; e++)
            oom = ltk_shist_merge(&sum, &s->endpoints[e].timing[k]) != LTK_OK;
        bool same = !oom && shist_equal(&sum, &s->total_timing[k]);
        ltk_shist_release(&sum);
        if (oom)
            return oom_rd(r);
        if (!same)
            return bad(r, "the endpoints' '%s' times do not add up to the total's", ltk_timing_name(k));
    }
    return LTK_OK;
}

static int read_endpoints(struct rd *r, const cJSON *doc, struct ltk_summary *s)
{
    static const char *const keys[] = { "method", "name", "other", "failures", "bytes", "sized", "hist", "ok",
                                        "status", "timing" };
    const cJSON *arr;
    size_t n;
    int rc = get_array(r, doc, "endpoints", LTK_SUMMARY_MAX_ENDPOINTS, &arr, &n);
    if (rc)
        return rc;
    if (n && !(s->endpoints = calloc(n, sizeof *s->endpoints)))
        return oom_rd(r);
    struct ltk_keymap seen = { 0 };
    size_t i = 0, others = 0;
    for (const cJSON *c = arr->child; c && rc == LTK_OK; c = c->next, i++) {
        size_t mark = push(r, "endpoints[%zu]", i);
        struct ltk_summary_endpoint *e = &s->endpoints[i];
        ltk_shist_init(&e->hist);
        ltk_shist_init(&e->ok);
        s->nendpoints = i + 1;
        const cJSON *other = get(c, "other");
        for (int k = 0; k < LTK_TIMING_N; k++)
            ltk_shist_init(&e->timing[k]);
        if ((rc = want_keys(r, c, keys, r->version < 2 ? 7 : get(c, "timing") ? 10 : 9)) || (rc = get_str(r, c, "method", false, &e->method)) ||
            (rc = get_str(r, c, "name", false, &e->name)) || (rc = get_count(r, c, "failures", &e->failures)) ||
            (rc = get_num(r, c, "bytes", false, &e->bytes)) || (rc = get_count(r, c, "sized", &e->sized)))
            break;
        if (!cJSON_IsBool(other)) {
            rc = bad(r, "'other': expected true or false, got %s", ltk_json_kind(other));
            break;
        }
        e->other = cJSON_IsTrue(other);
        size_t m2 = push(r, ".hist");
        if ((rc = read_hist(r, get(c, "hist"), &e->hist)))
            break;
        pop(r, m2);
        if (!e->hist.count)
            rc = bad(r, "an endpoint without requests");
        else if (e->failures > e->hist.count || e->sized > e->hist.count)
            rc = bad(r, "more failures or sized requests than requests");
        else if (!(e->bytes >= 0))
            rc = bad(r, "'bytes': expected a size >= 0");
        else if (e->other && (++others > 1 || strcmp(e->method, "") || strcmp(e->name, "(other)")))
            rc = bad(r, "one '(other)' endpoint at most, with method \"\" and name \"(other)\"");
        if (rc)
            break;
        bool have;
        if ((rc = read_ok(r, c, &e->ok, e->hist.count, e->failures, &have)) ||
            (rc = read_status(r, c, e->hist.count, &e->status)) ||
            (rc = read_timing(r, c, s, e->timing, e->hist.count, false)))
            break;
        if (have != s->has_ok) {
            rc = bad(r, "'ok': expected %s, as the total has", s->has_ok ? "a histogram" : "null");
            break;
        }
        if (!e->other) {
            if ((rc = add_unique(r, &seen, ltk_join_key(e->method, e->name, NULL), i,
                                 "the same method and name twice")))
                break;
        }
        pop(r, mark);
    }
    ltk_keymap_release(&seen);
    if (rc)
        return rc;
    if (s->nendpoints - others > s->max_names)
        return bad(r, "'endpoints': more names than max_names");
    return LTK_OK;
}

static int read_failures(struct rd *r, const cJSON *doc, struct ltk_summary *s)
{
    static const char *const keys[] = { "method", "name", "error", "occurrences" };
    const cJSON *arr;
    size_t n;
    int rc = get_array(r, doc, "failures", LTK_SUMMARY_FAILURE_GROUPS + 1, &arr, &n);
    if (rc)
        return rc;
    if (n && !(s->failures = calloc(n, sizeof *s->failures)))
        return oom_rd(r);
    struct ltk_keymap seen = { 0 };
    size_t i = 0;
    uint64_t sum = 0;
    for (const cJSON *c = arr->child; c && rc == LTK_OK; c = c->next, i++) {
        size_t mark = push(r, "failures[%zu]", i);
        struct ltk_summary_failure *f = &s->failures[i];
        s->nfailures = i + 1;
        if ((rc = want_keys(r, c, keys, 4)) || (rc = get_str(r, c, "method", false, &f->method)) ||
            (rc = get_str(r, c, "name", false, &f->name)) || (rc = get_str(r, c, "error", false, &f->error)) ||
            (rc = get_count(r, c, "occurrences", &f->occurrences)))
            break;
        if (!f->occurrences) {
            rc = bad(r, "'occurrences' must be at least 1");
            break;
        }
        sum += f->occurrences;
        if ((rc = add_unique(r, &seen, ltk_join_key(f->method, f->name, f->error), i,
                             "the same method, name and error twice")))
            break;
        pop(r, mark);
    }
    ltk_keymap_release(&seen);
    if (rc == LTK_OK && sum != s->total_failures)
        rc = bad(r, "'failures': occurrences add up to %llu, but total.failures is %llu", (unsigned long long)sum,
                 (unsigned long long)s->total_failures);
    return rc;
}

/* What reading the intervals in order carries from one to the next. */
struct iv_state {
    size_t n;              /* intervals read */
    uint64_t timed;        /* their requests */
    uint64_t *per_ep;      /* each endpoint's requests in them */
    struct ltk_shist sum;  /* their totals merged (when every request has a time) */
    uint64_t status[LTK_SC_N];   /* their status classes added up */
    int64_t first_t, last_t;
};

static int iv_begin(struct rd *r, const struct ltk_summary *s, struct iv_state *st)
{
    *st = (struct iv_state){ 0 };
    ltk_shist_init(&st->sum);
    if (!(st->per_ep = calloc(s->nendpoints ? s->nendpoints : 1, sizeof *st->per_ep)))
        return oom_rd(r);
    return LTK_OK;
}

static void iv_end(struct iv_state *st)
{
    free(st->per_ep);
    ltk_shist_release(&st->sum);
}

/* Reads the cells of interval c into iv: each endpoint's histogram and
 * failures, their failures adding up to the interval's. */
static int read_cells(struct rd *r, const cJSON *c, const struct ltk_summary *s, struct iv_state *st,
                      struct ltk_summary_interval *iv)
{
    const cJSON *cells;
    size_t nc;
    int rc;
    if ((rc = get_array(r, c, "cells", s->nendpoints, &cells, &nc)))
        return rc;
    if (!(iv->cells = calloc(nc ? nc : 1, sizeof *iv->cells)))
        return oom_rd(r);
    uint64_t fsum = 0;
    size_t k = 0;
    for (const cJSON *x = cells->child; x && rc == LTK_OK; x = x->next, k++) {
        size_t m3 = push(r, ".cells[%zu]", k);
        struct ltk_summary_cell *cell = &iv->cells[k];
        ltk_shist_init(&cell->hist);
        iv->ncells = k + 1;
        uint64_t ep;
        if (!cJSON_IsArray(x) || cJSON_GetArraySize(x) != 3)
            return bad(r, "expected [endpoint, failures, histogram]");
        if ((rc = item_count(r, x->child, "an endpoint index", &ep)) ||
            (rc = item_count(r, x->child->next, "a failure count", &cell->failures)))
            return rc;
        if (ep >= s->nendpoints || (k && ep <= iv->cells[k - 1].endpoint))
            return bad(r, "endpoint indices must be ascending and name an endpoint");
        cell->endpoint = (size_t)ep;
        if ((rc = read_hist(r, x->child->next->next, &cell->hist)))
            return rc;
        if (!cell->hist.count || cell->failures > cell->hist.count)
            return bad(r, "%llu failures in %llu requests", (unsigned long long)cell->failures,
                       (unsigned long long)cell->hist.count);
        st->per_ep[ep] += cell->hist.count;
        fsum += cell->failures;
        pop(r, m3);
    }
    if (fsum != iv->failures)
        return bad(r, "the cells do not add up to the interval's total");
    return LTK_OK;
}

/* An interval's "status_classes": LTK_SC_N counts, not all 0, adding up to
 * at most its requests. */
static int read_status_classes(struct rd *r, const cJSON *j, struct ltk_summary_interval *iv)
{
    if (!cJSON_IsArray(j) || cJSON_GetArraySize(j) != LTK_SC_N)
        return bad(r, "'status_classes': expected %d counts (2xx, 3xx, 4xx, 5xx, other)", LTK_SC_N);
    uint64_t sum = 0;
    int k = 0;
    for (const cJSON *c = j->child; c; c = c->next, k++) {
        int rc = item_count(r, c, "a count of requests", &iv->status[k]);
        if (rc)
            return rc;
        sum += iv->status[k];
        if (sum > iv->requests)
            return bad(r, "'status_classes': %llu requests with a code, more than the interval's %llu",
                       (unsigned long long)sum, (unsigned long long)iv->requests);
    }
    if (!sum)
        return bad(r, "'status_classes': all 0 (leave it out)");
    return LTK_OK;
}

/* Reads interval st->n from c into iv (emptied first; on failure iv holds
 * what was read, for ltk_summary_interval_release). */
static int read_interval(struct rd *r, const cJSON *c, const struct ltk_summary *s, struct iv_state *st,
                         struct ltk_summary_interval *iv)
{
    static const char *const keys[] = { "t", "users", "failures", "total", "cells", "status_classes" };
    *iv = (struct ltk_summary_interval){ 0 };
    if (st->n >= LTK_SUMMARY_MAX_INTERVALS)
        return ltk_error_set(r->err, LTK_ELIMIT, r->name, 0, 0, "'intervals' has more than %zu items",
                             LTK_SUMMARY_MAX_INTERVALS);
    size_t mark = push(r, "intervals[%zu]", st->n);
    double t = 0, users = 0; /* set by get_num on success */
    int rc;
    bool classes = r->version >= 2 && cJSON_IsObject(c) && get(c, "status_classes");
    if ((rc = want_keys(r, c, keys, classes ? 6 : 5)) || (rc = get_num(r, c, "t", false, &t)) ||
        (rc = get_num(r, c, "users", true, &users)) || (rc = get_count(r, c, "failures", &iv->failures)))
        return rc;
    if (t != floor(t) || fabs(t) > LTK_SUMMARY_MAX_T || fmod(t, (double)s->interval_s) != 0)
        return bad(r, "'t': expected a whole number of seconds, a multiple of interval_s");
    iv->t = (int64_t)t;
    if (st->n && iv->t <= st->last_t)
        return bad(r, "intervals must be in ascending time, each once");
    if (!isnan(users) && !(users >= 0 && users == floor(users) && users <= (double)LTK_MAX_EXACT_INT))
        return bad(r, "'users': expected a user count or null");
    iv->users = isnan(users) ? -1 : (int64_t)users;
    /* the total is checked against its cells and not kept (they make it) */
    struct ltk_shist total, sum;
    ltk_shist_init(&total);
    ltk_shist_init(&sum);
    size_t m2 = push(r, ".total");
    if ((rc = read_hist(r, get(c, "total"), &total)) == LTK_OK) {
        pop(r, m2);
        iv->requests = total.count;
        if (!total.count || iv->failures > total.count)
            rc = bad(r, "%llu failures in %llu requests", (unsigned long long)iv->failures,
                     (unsigned long long)total.count);
    }
    if (rc == LTK_OK)
        rc = read_cells(r, c, s, st, iv);
    if (rc == LTK_OK && classes)
        rc = read_status_classes(r, get(c, "status_classes"), iv);
    if (rc == LTK_OK && ltk_summary_interval_total(iv, &sum))
        rc = oom_rd(r);
    if (rc == LTK_OK && !shist_equal(&sum, &total))
        rc = bad(r, "the cells do not add up to the interval's total");
    ltk_shist_release(&total);
    if (rc == LTK_OK && s->timed == s->total.count && ltk_shist_merge(&st->sum, &sum))
        rc = oom_rd(r);
    ltk_shist_release(&sum);
    if (rc)
        return rc;
    pop(r, mark);
    for (int k = 0; k < LTK_SC_N; k++)
        st->status[k] += iv->status[k];
    st->timed += iv->requests;
    if (!st->n)
        st->first_t = iv->t;
    st->last_t = iv->t;
    st->n++;
    return LTK_OK;
}

/* The checks of all the intervals read. */
static int iv_finish(struct rd *r, const struct ltk_summary *s, const struct iv_state *st)
{
    for (size_t e = 0; e < s->nendpoints; e++)
        if (st->per_ep[e] > s->endpoints[e].hist.count)
            return bad(r, "endpoints[%zu] has more requests in its intervals than in all", e);
    for (int k = 0; k < LTK_SC_N; k++)
        if (st->status[k] > ltk_status_count_of(&s->total_status, k, true))
            return bad(r, "'intervals': their status_classes have %llu %s requests, the total's status %llu",
                       (unsigned long long)st->status[k], ltk_status_class_name((enum ltk_status_class)k),
                       (unsigned long long)ltk_status_count_of(&s->total_status, k, true));
    if (st->timed != s->timed)
        return bad(r, "'intervals': they hold %llu requests, but time.timed is %llu",
                   (unsigned long long)st->timed, (unsigned long long)s->timed);
    /* every request has a time: the intervals are the whole run */
    if (st->timed == s->total.count && !shist_equal(&st->sum, &s->total))
        return bad(r, "'intervals': they do not add up to the total");
    if (s->timed && (floor(s->tmin / (double)s->interval_s) * (double)s->interval_s != (double)st->first_t ||
                     floor(s->tmax / (double)s->interval_s) * (double)s->interval_s != (double)st->last_t))
        return bad(r, "'time': start and end must fall in the first and the last interval");
    return LTK_OK;
}

static int read_intervals(struct rd *r, const cJSON *doc, struct ltk_summary *s)
{
    const cJSON *arr;
    size_t n;
    int rc = get_array(r, doc, "intervals", LTK_SUMMARY_MAX_INTERVALS, &arr, &n);
    if (rc)
        return rc;
    if (n && !(s->intervals = calloc(n, sizeof *s->intervals)))
        return oom_rd(r);
    struct iv_state st;
    if ((rc = iv_begin(r, s, &st)))
        return rc;
    for (const cJSON *c = arr->child; c && rc == LTK_OK; c = c->next) {
        s->nintervals = st.n + 1;
        rc = read_interval(r, c, s, &st, &s->intervals[st.n]);
    }
    if (rc == LTK_OK)
        rc = iv_finish(r, s, &st);
    iv_end(&st);
    return rc;
}

/* ltk.summary/1 has no codes: those its failures' texts name, as for
 * Locust's CSV (ltk_status_from_text), inferred. */
static int infer_status(struct rd *r, struct ltk_summary *s)
{
    for (size_t i = 0; i < s->nfailures; i++) {
        const struct ltk_summary_failure *f = &s->failures[i];
        int code = ltk_status_from_text(f->error);
        if (code < 0)
            continue;
        for (size_t k = 0; k < s->nendpoints; k++) {
            struct ltk_summary_endpoint *e = &s->endpoints[k];
            if (strcmp(e->method, f->method) == 0 && strcmp(e->name, f->name) == 0) {
                if (ltk_status_add(&e->status, code, 0, f->occurrences) ||
                    ltk_status_add(&s->total_status, code, 0, f->occurrences))
                    return oom_rd(r);
                break;
            }
        }
    }
    return LTK_OK;
}

/* The members of a summary; "intervals" is the last (the writer's order). */
static const char *const doc_keys[] = { "schema", "ltk_version", "method", "interval_s", "percentiles", "fold",
                                        "max_names", "sources", "time", "other_requests", "k6_orphans", "total",
                                        "endpoints", "failures", "intervals" };
#define DOC_KEYS (sizeof doc_keys / sizeof doc_keys[0])

/* Everything but the intervals (read_intervals), which come last. */
static int read_head(struct rd *r, const cJSON *doc, struct ltk_summary *s)
{
    if (!cJSON_IsObject(doc))
        return bad(r, "expected a JSON object, got %s", ltk_json_kind(doc));
    const cJSON *schema = get(doc, "schema");
    if (!cJSON_IsString(schema))
        return bad(r, "no \"schema\" string: not an ltk summary");
    r->version = strcmp(schema->valuestring, LTK_SUMMARY_SCHEMA_V1) == 0 ? 1
                 : strcmp(schema->valuestring, LTK_SUMMARY_SCHEMA) == 0  ? 2
                                                                          : 0;
    if (!r->version) {
        char shown[80];
        ltk_quote_text(schema->valuestring, shown, sizeof shown);
        if (strncmp(schema->valuestring, "ltk.summary/", 12) == 0)
            return bad(r, "schema %s is a version this ltk does not read (it reads %s and %s)", shown,
                       LTK_SUMMARY_SCHEMA, LTK_SUMMARY_SCHEMA_V1);
        return bad(r, "schema %s: expected %s or %s", shown, LTK_SUMMARY_SCHEMA, LTK_SUMMARY_SCHEMA_V1);
    }
    int rc = want_keys(r, doc, doc_keys, DOC_KEYS);
    if (rc)
        return rc;
    const cJSON *v = get(doc, "ltk_version"), *m = get(doc, "method");
    if (!cJSON_IsString(v) || strlen(v->valuestring) > 64)
        return bad(r, "'ltk_version': expected a version string");
    if (!cJSON_IsString(m) || ltk_hist_method_parse(m->valuestring, &s->method))
        return bad(r, "'method': expected \"hdr\", \"locust\" or \"exact\"");
    r->method = s->method;
    double iv = 0; /* set by get_num on success */
    uint64_t mn;
    if ((rc = get_num(r, doc, "interval_s", false, &iv)))
        return rc;
    if (!(iv >= 1 && iv <= (double)((int64_t)1 << 40) && iv == floor(iv)))
        return bad(r, "'interval_s': expected whole seconds >= 1");
    s->interval_s = (int64_t)iv;
    const cJSON *fold = get(doc, "fold");
    if (!cJSON_IsBool(fold))
        return bad(r, "'fold': expected true or false");
    s->fold = cJSON_IsTrue(fold);
    if ((rc = get_count(r, doc, "max_names", &mn)))
        return rc;
    if (mn < 1 || mn > LTK_SUMMARY_MAX_ENDPOINTS)
        return bad(r, "'max_names': expected 1 to %d", LTK_SUMMARY_MAX_ENDPOINTS);
    s->max_names = (size_t)mn;
    /* percentiles: labels as --percentiles writes them */
    const cJSON *pa;
    size_t np;
    if ((rc = get_array(r, doc, "percentiles", 1000, &pa, &np)))
        return rc;
    struct ltk_buf spec;
    ltk_buf_init(&spec);
    for (const cJSON *c = pa->child; c; c = c->next) {
        if (!cJSON_IsString(c) || strlen(c->valuestring) > 30 || !*c->valuestring) {
            ltk_buf_release(&spec);
            return bad(r, "'percentiles': expected labels such as \"50\", \"99.9\"");
        }
        ltk_buf_printf(&spec, "%s%s", spec.len ? "," : "", c->valuestring);
    }
    if (spec.failed) {
        ltk_buf_release(&spec);
        return oom_rd(r);
    }
    if (!np) {
        ltk_buf_release(&spec);
        return bad(r, "'percentiles': expected at least one");
    }
    struct ltk_error perr;
    ltk_error_clear(&perr);
    rc = ltk_rawlog_parse_percentiles(spec.data, &s->pct_q, &s->pct_label, &s->npct, &perr);
    ltk_buf_release(&spec);
    if (rc)
        return bad(r, "'percentiles': %s", perr.msg);
    size_t i = 0;
    for (const cJSON *c = pa->child; c; c = c->next, i++)
        if (strcmp(c->valuestring, s->pct_label[i]) != 0)
            return bad(r, "'percentiles': label \"%s\" is not written as ltk writes it (\"%s\")", c->valuestring,
                       s->pct_label[i]);
    if ((rc = read_sources(r, doc, s)))
        return rc;
    static const char *const tkeys[] = { "timed", "start", "end" };
    const cJSON *t = get(doc, "time");
    size_t mark = push(r, "time");
    if ((rc = want_keys(r, t, tkeys, 3)) || (rc = get_count(r, t, "timed", &s->timed)) ||
        (rc = get_num(r, t, "start", true, &s->tmin)) || (rc = get_num(r, t, "end", true, &s->tmax)))
        return rc;
    if (s->timed ? !(s->tmin >= 0 && s->tmin <= s->tmax) : !(isnan(s->tmin) && isnan(s->tmax)))
        return bad(r, "expected 0 <= start <= end when requests have timestamps, else both null");
    pop(r, mark);
    if ((rc = get_count(r, doc, "other_requests", &s->other_requests)) ||
        (rc = get_count(r, doc, "k6_orphans", &s->k6_orphans)))
        return rc;
    static const char *const totkeys[] = { "failures", "bytes", "sized", "hist", "ok", "status", "timing" };
    const cJSON *tot = get(doc, "total");
    mark = push(r, "total");
    if ((rc = want_keys(r, tot, totkeys, r->version < 2 ? 4 : cJSON_IsObject(tot) && get(tot, "timing") ? 7 : 6)) || (rc = get_count(r, tot, "failures", &s->total_failures)) ||
        (rc = get_num(r, tot, "bytes", false, &s->total_bytes)) || (rc = get_count(r, tot, "sized", &s->total_sized)))
        return rc;
    push(r, ".hist");
    if ((rc = read_hist(r, get(tot, "hist"), &s->total)))
        return rc;
    pop(r, mark);
    push(r, "total");
    if ((rc = read_ok(r, tot, &s->total_ok, s->total.count, s->total_failures, &s->has_ok)) ||
        (rc = read_status(r, tot, s->total.count, &s->total_status)) ||
        (rc = read_timing(r, tot, s, s->total_timing, s->total.count, true)))
        return rc;
    pop(r, mark);
    if (s->total_failures > s->total.count || s->total_sized > s->total.count || !(s->total_bytes >= 0))
        return bad(r, "'total': more failures or sized requests than requests");
    if (s->timed > s->total.count)
        return bad(r, "'time.timed' is more than the requests");
    if ((rc = read_endpoints(r, doc, s)))
        return rc;
    /* the endpoints add up to the total */
    struct ltk_shist sum, oksum;
    struct ltk_status_list stsum = { 0 };
    ltk_shist_init(&sum);
    ltk_shist_init(&oksum);
    uint64_t fails = 0, sized = 0, other = 0;
    for (size_t e = 0; e < s->nendpoints && rc == LTK_OK; e++) {
        fails += s->endpoints[e].failures;
        sized += s->endpoints[e].sized;
        if (s->endpoints[e].other)
            other = s->endpoints[e].hist.count;
        if (ltk_shist_merge(&sum, &s->endpoints[e].hist) || ltk_shist_merge(&oksum, &s->endpoints[e].ok) ||
            ltk_status_merge(&stsum, &s->endpoints[e].status))
            rc = oom_rd(r);
    }
    bool adds_up = shist_equal(&sum, &s->total) && fails == s->total_failures && sized == s->total_sized &&
                   (!s->has_ok || shist_equal(&oksum, &s->total_ok)) && ltk_status_equal(&stsum, &s->total_status);
    ltk_shist_release(&sum);
    ltk_shist_release(&oksum);
    ltk_status_release(&stsum);
    if (rc)
        return rc;
    if (!adds_up)
        return bad(r, "the endpoints do not add up to the total");
    if ((rc = timing_adds_up(r, s)))
        return rc;
    if (other != s->other_requests)
        return bad(r, "'other_requests' is not the count of the '(other)' endpoint");
    uint64_t rows = 0;
    for (size_t k = 0; k < s->nsources; k++)
        rows += s->sources[k].rows;
    if (rows != s->total.count)
        return bad(r, "the sources' rows add up to %llu, but the total has %llu requests", (unsigned long long)rows,
                   (unsigned long long)s->total.count);
    if ((rc = read_failures(r, doc, s)))
        return rc;
    if (r->version == 1 && (rc = infer_status(r, s)))
        return rc;
    return LTK_OK;
}

static int read_doc(struct rd *r, const cJSON *doc, struct ltk_summary *s)
{
    int rc = read_head(r, doc, s);
    return rc ? rc : read_intervals(r, doc, s);
}

/* True when doc has every member but the intervals. */
static bool head_complete(const cJSON *doc)
{
    for (size_t i = 0; i + 1 < DOC_KEYS; i++)
        if (!cJSON_GetObjectItemCaseSensitive(doc, doc_keys[i]))
            return false;
    return true;
}

/* The interval just read: kept in s (fn NULL), or handed to fn one interval
 * late, so fn knows the last.  *held: an interval is waiting in *prev. */
static int deliver(struct rd *r, struct ltk_summary *s, ltk_summary_interval_fn fn, void *ctx,
                   struct ltk_summary_interval *prev, bool *held, struct ltk_summary_interval *iv)
{
    if (!fn)
        return LTK_OK;
    int rc = *held ? fn(ctx, s, prev, false) : LTK_OK;
    if (*held)
        ltk_summary_interval_release(prev);
    *prev = *iv;
    *held = true;
    return rc ? ltk_error_set(r->err, rc, r->name, 0, 0, "out of memory") : LTK_OK;
}

/* A summary's first wrong value is said only once the rest of the text is
 * known to be JSON: as with one tree of the whole text, a syntax error
 * anywhere is the error.  The reading goes on over the text, checking it
 * only; the wrong value's error is kept here. */
struct deferred {
    bool failed;
    struct ltk_error saved;
    int rc;
};

/* rc from checking a value: LTK_OK, kept (the document is wrong), or an
 * error to return at once (out of memory, a read error). */
static bool defer(struct rd *r, struct deferred *d, int *rc)
{
    if (*rc != LTK_EFORMAT && *rc != LTK_ELIMIT)
        return false;
    d->failed = true;
    d->rc = *rc;
    if (r->err)
        d->saved = *r->err;
    *rc = LTK_OK;
    return true;
}

/* The intervals array, element by element (the rest of the document read,
 * checked by read_head unless d->failed). */
static int stream_intervals(struct rd *r, struct ltk_json_stream *js, struct ltk_summary *s,
                            ltk_summary_interval_fn fn, void *ctx, struct iv_state *st, struct deferred *d)
{
    struct ltk_summary_interval prev, cur;
    bool held = false;
    size_t cap = 0;
    int rc = LTK_OK;
    for (;;) {
        cJSON *e;
        if ((rc = ltk_json_stream_element(js, &e)) || !e)
            break;
        if (d->failed) {
            cJSON_Delete(e);
            continue;
        }
        struct ltk_summary_interval *iv = &cur;
        if (!fn) {
            if (s->nintervals == cap) {
                size_t nc = cap ? cap * 2 : 64;
                struct ltk_summary_interval *g = realloc(s->intervals, nc * sizeof *g);
                if (!g) {
                    cJSON_Delete(e);
                    rc = oom_rd(r);
                    break;
                }
                s->intervals = g;
                cap = nc;
            }
            iv = &s->intervals[s->nintervals++];
        }
        rc = read_interval(r, e, s, st, iv);
        cJSON_Delete(e);
        if (rc && fn)
            ltk_summary_interval_release(&cur);
        if (rc && !defer(r, d, &rc))
            break;
        if (!d->failed && (rc = deliver(r, s, fn, ctx, &prev, &held, iv)))
            break;
    }
    if (rc == LTK_OK && !d->failed) {
        rc = iv_finish(r, s, st);
        defer(r, d, &rc);
    }
    if (rc == LTK_OK && !d->failed && held && fn(ctx, s, &prev, true))
        rc = oom_rd(r);
    if (held)
        ltk_summary_interval_release(&prev);
    return rc;
}

/* The head is in s once read_head has read it: its tree (mostly the
 * endpoints' histograms, a number node per key and count, 30 MB for a
 * week's summary) is not kept while the intervals stream.  The keys stay,
 * their values null, for the check that no member comes after them. */
static int drop_values(struct rd *r, cJSON *doc)
{
    for (cJSON *m = doc->child, *next; m; m = next) {
        next = m->next;
        if (cJSON_IsNull(m) || strcmp(m->string, "intervals") == 0)   /* its placeholder stays */
            continue;
        cJSON *nul = cJSON_CreateNull();
        if (!nul)
            return oom_rd(r);
        nul->string = m->string;   /* the key passes to the null */
        m->string = NULL;
        cJSON_ReplaceItemViaPointer(doc, m, nul);   /* cannot fail: m is in doc */
    }
    return LTK_OK;
}

/* Reads the object js is in: every member into a tree but the intervals,
 * which are read one by one when they come after the rest, as ltk writes
 * them (else the tree holds them too, and they are read at the end). */
static int read_stream(struct rd *r, struct ltk_json_stream *js, struct ltk_summary *s,
                       ltk_summary_interval_fn fn, void *ctx)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return oom_rd(r);
    bool streamed = false;
    struct deferred d = { .failed = false };
    int rc;
    for (;;) {
        char *key;
        if ((rc = ltk_json_stream_key(js, &key)) || !key)
            break;
        bool is_array = false;
        if (!streamed && strcmp(key, "intervals") == 0 && head_complete(doc) &&
            (rc = ltk_json_stream_array(js, &is_array)) == LTK_OK && is_array) {
            free(key);
            struct iv_state st;
            cJSON *none = cJSON_CreateArray();
            if (!none || !cJSON_AddItemToObject(doc, "intervals", none)) {
                cJSON_Delete(none);
                rc = oom_rd(r);
                break;
            }
            if ((rc = read_head(r, doc, s)) && !defer(r, &d, &rc))
                break;
            if ((rc = drop_values(r, doc)))
                break;
            if ((rc = iv_begin(r, s, &st)))
                break;
            rc = stream_intervals(r, js, s, fn, ctx, &st, &d);
            iv_end(&st);
            if (rc)
                break;
            streamed = true;
            continue;
        }
        cJSON *v = NULL;
        if (rc || (rc = ltk_json_stream_value(js, &v))) {
            free(key);
            break;
        }
        bool added = cJSON_AddItemToObject(doc, key, v);
        free(key);
        if (!added) {
            cJSON_Delete(v);
            rc = oom_rd(r);
            break;
        }
    }
    if (rc == LTK_OK && d.failed) {
        rc = d.rc;
        if (r->err)
            *r->err = d.saved;
    } else if (rc == LTK_OK && streamed) {
        rc = want_keys(r, doc, doc_keys, DOC_KEYS);   /* nothing after the intervals */
    } else if (rc == LTK_OK) {
        rc = read_doc(r, doc, s);
        for (size_t i = 0; rc == LTK_OK && fn && i < s->nintervals; i++)
            if (fn(ctx, s, &s->intervals[i], i + 1 == s->nintervals))
                rc = oom_rd(r);
    }
    cJSON_Delete(doc);
    return rc;
}

static int not_object(const char *path, struct ltk_error *err)
{
    return ltk_error_set(err, LTK_EFORMAT, path, 0, 0,
                         "not an ltk summary (not a JSON object); a request log is summarised with "
                         "ltk summarize");
}

/* How read_fp starts. */
enum start {
    TEXT,      /* text given: not an object is *whole (the caller parses it whole) */
    FILE_IN,   /* a file: a NUL is its error; it must start with '{' after spaces */
};

/* The summary in fp (size bytes). */
static int read_fp(struct ltk_summary *s, FILE *fp, size_t size, const char *name, enum start how,
                   ltk_summary_interval_fn fn, void *ctx, bool *whole, struct ltk_error *err)
{
    struct rd r = { .name = name, .err = err };
    struct ltk_json_stream js;
    bool is_object;
    *whole = false;
    int rc = ltk_json_stream_open(&js, fp, size, name, how == FILE_IN, &is_object, err);
    if (rc == LTK_OK && how == FILE_IN) {
        /* as ltk has always checked a file: its first byte but spaces */
        size_t first = 0;
        while (first < js.len && strchr(" \t\r\n", js.buf[first]))
            first++;
        if (first < js.len && js.buf[first] != '{')
            rc = not_object(name, err);
        else if (!is_object)
            rc = bad(&r, "expected a JSON object");
    } else if (rc == LTK_OK && !is_object) {
        *whole = true;
    }
    if (rc == LTK_OK && !*whole)
        rc = read_stream(&r, &js, s, fn, ctx);
    ltk_json_stream_release(&js);
    if (rc)
        ltk_summary_release(s);
    return rc;
}

/* The summary in text, piece by piece; *whole when it is not an object. */
static int read_text(struct ltk_summary *s, const char *text, size_t len, const char *name,
                     ltk_summary_interval_fn fn, void *ctx, bool *whole, struct ltk_error *err)
{
    *whole = len == 0;   /* fmemopen wants bytes */
    if (*whole)
        return LTK_OK;
    FILE *fp = fmemopen((void *)text, len, "r");
    if (!fp)
        return ltk_error_set(err, LTK_ENOMEM, name, 0, 0, "out of memory");
    int rc = read_fp(s, fp, len, name, TEXT, fn, ctx, whole, err);
    fclose(fp);
    return rc;
}

int ltk_summary_parse(struct ltk_summary *s, const char *text, size_t len, const char *name, struct ltk_error *err)
{
    bool whole;
    int rc = read_text(s, text, len, name, NULL, NULL, &whole, err);
    /* not an object: whatever it is, said as for any document */
    return whole ? ltk_summary_parse_whole(s, text, len, name, err) : rc;
}

int ltk_summary_parse_whole(struct ltk_summary *s, const char *text, size_t len, const char *name,
                            struct ltk_error *err)
{
    cJSON *doc;
    int rc0 = ltk_json_parse(text, len, name, &doc, err);
    if (rc0)
        return rc0;
    struct rd r = { .name = name, .err = err };
    int rc = read_doc(&r, doc, s);
    cJSON_Delete(doc);
    if (rc)
        ltk_summary_release(s);
    return rc;
}

int ltk_summary_load_each(struct ltk_summary *s, const char *path, ltk_summary_interval_fn fn, void *ctx,
                          struct ltk_error *err)
{
    FILE *fp;
    int rc = ltk_open_input(path, &fp, err);
    if (rc)
        return rc;
    struct stat st;
    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
        /* a pipe, a device: read once, into memory, then piece by piece */
        char *text;
        size_t len;
        rc = ltk_json_read_fp(fp, path, LTK_SUMMARY_MAX_BYTES, "an ltk summary", &text, &len, err);
        fclose(fp);
        if (rc)
            return rc;
        size_t first = strspn(text, " \t\r\n");
        bool whole;
        rc = first < len && text[first] != '{' ? not_object(path, err)
                                                : read_text(s, text, len, path, fn, ctx, &whole, err);
        free(text);
        return rc;
    }
    /* a file: read once, piece by piece (the checks ltk_json_read_file makes
     * on the way) */
    if ((uintmax_t)st.st_size > LTK_SUMMARY_MAX_BYTES)
        rc = ltk_error_set(err, LTK_ELIMIT, path, 0, 0, "an ltk summary larger than %zu bytes",
                           (size_t)LTK_SUMMARY_MAX_BYTES);
    else if (st.st_size == 0)
        rc = ltk_error_set(err, LTK_EFORMAT, path, 0, 0, "empty file: not an ltk summary");
    else {
        bool whole;
        rc = read_fp(s, fp, (size_t)st.st_size, path, FILE_IN, fn, ctx, &whole, err);
    }
    fclose(fp);
    return rc;
}

/* ltk_summary_load_merge: src's intervals merged into dst as they are read. */
struct load_merge {
    struct ltk_summary_merger m;
    struct ltk_summary *dst;
    struct ltk_error merr;       /* the merge's first error */
    int mrc;
};

static int merge_each(void *ctx, const struct ltk_summary *src, const struct ltk_summary_interval *iv, bool last)
{
    (void)last;
    struct load_merge *x = ctx;
    if (x->mrc)   /* the reading goes on: an error of the file itself comes first */
        return LTK_OK;
    if (!x->m.begun)
        x->mrc = ltk_summary_merge_begin(&x->m, x->dst, src, &x->merr);
    if (!x->mrc)
        x->mrc = ltk_summary_merge_interval(&x->m, iv, &x->merr);
    return LTK_OK;
}

int ltk_summary_load_merge(struct ltk_summary *dst, const char *path, struct ltk_error *err)
{
    struct load_merge x = { .dst = dst };
    ltk_error_clear(&x.merr);
    struct ltk_summary src;
    ltk_summary_init(&src);
    int rc = ltk_summary_load_each(&src, path, merge_each, &x, err);
    if (rc == LTK_OK && !x.mrc && !x.m.begun)   /* no intervals: the head alone */
        x.mrc = ltk_summary_merge_begin(&x.m, dst, &src, &x.merr);
    int end = ltk_summary_merge_end(&x.m, rc || x.mrc ? &x.merr : err);
    ltk_summary_release(&src);
    if (rc)
        return rc;
    if (x.mrc) {
        *err = x.merr;
        return x.mrc;
    }
    return end;
}

int ltk_summary_load(struct ltk_summary *s, const char *path, struct ltk_error *err)
{
    return ltk_summary_load_each(s, path, NULL, NULL, err);
}

bool ltk_summary_sniff(const char *path)
{
    return ltk_file_first_char(path) == '{';
}


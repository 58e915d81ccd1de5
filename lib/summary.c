/* Mergeable summaries of raw request logs (see ltk/summary.h).
 *
 * Three parts: the compact histogram (struct ltk_shist) and the exact merge
 * of two summaries; the ltk.summary/1 JSON writer and its strict reader;
 * and the summary as a struct ltk_run, computed the way rawlog.c computes
 * a run from a log, so every tool reads a summary like the log itself. */
#include "ltk/summary.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/csv.h"
#include "ltk/json.h"
#include "ltk/locust_json.h"
#include "ltk/locust.h"
#include "ltk/num.h"
#include "ltk/rawlog.h"
#include "ltk/version.h"
#include "ranked.h"
#include "strutil.h"

#define NS_PER_MS 1e6

/* ---- compact histograms ------------------------------------------------ */

void ltk_shist_release(struct ltk_shist *h)
{
    if (!h)
        return;
    free(h->keys);
    free(h->counts);
    memset(h, 0, sizeof *h);
    h->min = h->max = NAN;
}

static void shist_empty(struct ltk_shist *h)
{
    memset(h, 0, sizeof *h);
    h->min = h->max = NAN;
}

struct fill {
    struct ltk_shist *h;
    size_t cap;
};

static int fill_key(double key, uint64_t count, void *ctx)
{
    struct fill *f = ctx;
    struct ltk_shist *h = f->h;
    if (h->n == f->cap) {
        size_t ncap = f->cap ? 2 * f->cap : 16;
        double *nk = realloc(h->keys, ncap * sizeof *nk);
        if (!nk)
            return LTK_ENOMEM;
        h->keys = nk;
        uint64_t *nc = realloc(h->counts, ncap * sizeof *nc);
        if (!nc)
            return LTK_ENOMEM;
        h->counts = nc;
        f->cap = ncap;
    }
    h->keys[h->n] = key;
    h->counts[h->n] = count;
    h->n++;
    return LTK_OK;
}

int ltk_shist_from_hist(struct ltk_shist *out, const struct ltk_hist *h)
{
    shist_empty(out);
    struct fill f = { out, 0 };
    int rc = ltk_hist_foreach(h, fill_key, &f);
    if (rc) {
        ltk_shist_release(out);
        return rc;
    }
    out->count = ltk_hist_count(h);
    out->min = ltk_hist_min(h);
    out->max = ltk_hist_max(h);
    out->sum_ns = ltk_hist_sum_ns(h);
    return LTK_OK;
}

int ltk_shist_from_sorted(struct ltk_shist *out, enum ltk_hist_method m, const double *v, size_t n)
{
    shist_empty(out);
    if (!n)
        return LTK_OK;
    size_t distinct = 1;
    for (size_t i = 1; i < n; i++)
        distinct += ltk_hist_key_of(m, v[i]) != ltk_hist_key_of(m, v[i - 1]);
    out->keys = malloc(distinct * sizeof *out->keys);
    out->counts = malloc(distinct * sizeof *out->counts);
    if (!out->keys || !out->counts) {
        ltk_shist_release(out);
        return LTK_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        double key = ltk_hist_key_of(m, v[i]);
        if (out->n && out->keys[out->n - 1] == key) {
            out->counts[out->n - 1]++;
        } else {
            out->keys[out->n] = key;
            out->counts[out->n++] = 1;
        }
        out->sum_ns += ltk_hist_ms_to_ns(v[i]);
    }
    out->count = n;
    out->min = v[0];
    out->max = v[n - 1];
    return LTK_OK;
}

int ltk_shist_to_hist(const struct ltk_shist *h, enum ltk_hist_method m, struct ltk_hist **out)
{
    struct ltk_hist *x;
    int rc = ltk_hist_new(m, &x);
    if (rc)
        return rc;
    for (size_t i = 0; i < h->n && rc == LTK_OK; i++)
        rc = ltk_hist_add_key(x, h->keys[i], h->counts[i]);
    if (rc == LTK_OK)
        rc = ltk_hist_set_totals_ns(x, h->count, h->min, h->max, h->sum_ns);
    if (rc) {
        ltk_hist_free(x);
        return rc;
    }
    *out = x;
    return LTK_OK;
}

int ltk_shist_merge(struct ltk_shist *dst, const struct ltk_shist *src)
{
    if (!src->count)
        return LTK_OK;
    size_t cap = dst->n + src->n;
    double *k = malloc(cap * sizeof *k);
    uint64_t *c = malloc(cap * sizeof *c);
    if (!k || !c) {
        free(k);
        free(c);
        return LTK_ENOMEM;
    }
    size_t i = 0, j = 0, n = 0;
    while (i < dst->n || j < src->n) {
        if (j >= src->n || (i < dst->n && dst->keys[i] < src->keys[j])) {
            k[n] = dst->keys[i];
            c[n++] = dst->counts[i++];
        } else if (i >= dst->n || src->keys[j] < dst->keys[i]) {
            k[n] = src->keys[j];
            c[n++] = src->counts[j++];
        } else {
            k[n] = dst->keys[i];
            c[n++] = dst->counts[i++] + src->counts[j++];
        }
    }
    free(dst->keys);
    free(dst->counts);
    dst->keys = k;
    dst->counts = c;
    dst->n = n;
    if (!dst->count || src->min < dst->min)
        dst->min = src->min;
    if (!dst->count || src->max > dst->max)
        dst->max = src->max;
    dst->count += src->count;
    dst->sum_ns += src->sum_ns;
    return LTK_OK;
}

static int shist_copy(struct ltk_shist *dst, const struct ltk_shist *src)
{
    shist_empty(dst);
    return ltk_shist_merge(dst, src);
}

/* ---- init / release --------------------------------------------------------- */

void ltk_summary_init(struct ltk_summary *s)
{
    memset(s, 0, sizeof *s);
    s->tmin = s->tmax = NAN;
    shist_empty(&s->total);
}

static void source_release(struct ltk_summary_source *src)
{
    free(src->path);
    free(src->format);
    free(src->first_bad);
    free(src->users_source);
}

static void interval_release(struct ltk_summary_interval *iv)
{
    ltk_shist_release(&iv->total);
    for (size_t c = 0; c < iv->ncells; c++)
        ltk_shist_release(&iv->cells[c].hist);
    free(iv->cells);
}

void ltk_summary_release(struct ltk_summary *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->npct; i++)
        free(s->pct_label ? s->pct_label[i] : NULL);
    free(s->pct_label);
    free(s->pct_q);
    for (size_t i = 0; i < s->nsources; i++)
        source_release(&s->sources[i]);
    free(s->sources);
    for (size_t i = 0; i < s->nendpoints; i++) {
        free(s->endpoints[i].method);
        free(s->endpoints[i].name);
        ltk_shist_release(&s->endpoints[i].hist);
    }
    free(s->endpoints);
    ltk_shist_release(&s->total);
    for (size_t i = 0; i < s->nfailures; i++) {
        free(s->failures[i].method);
        free(s->failures[i].name);
        free(s->failures[i].error);
    }
    free(s->failures);
    for (size_t i = 0; i < s->nintervals; i++)
        interval_release(&s->intervals[i]);
    free(s->intervals);
    ltk_summary_init(s);
}

/* ---- a string-keyed index (key -> position) -------------------------------- */

struct keymap {
    char **keys;
    size_t *vals;
    size_t cap, n;
};

static uint64_t hash_text(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* Keys are "a\x1fb\x1fc": the parts joined with a unit separator, with any
 * separator inside a part doubled so different parts never collide. */
static char *join_key(const char *a, const char *b, const char *c)
{
    struct ltk_buf k;
    ltk_buf_init(&k);
    const char *parts[3] = { a, b, c };
    for (int i = 0; i < 3 && parts[i]; i++) {
        if (i)
            ltk_buf_putc(&k, '\x1f');
        for (const char *p = parts[i]; *p; p++) {
            if (*p == '\x1f')
                ltk_buf_putc(&k, '\x1f');
            ltk_buf_putc(&k, *p);
        }
    }
    if (!k.data && !k.failed)
        return ltk_strdup("");
    if (k.failed) {
        ltk_buf_release(&k);
        return NULL;
    }
    return k.data;
}

static void keymap_release(struct keymap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static size_t keymap_slot(const struct keymap *m, const char *key)
{
    size_t i = (size_t)hash_text(key, strlen(key)) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* Finds key: *found and *val.  With insert, adds key -> val when absent
 * (taking key); otherwise key stays the caller's. */
static int keymap_find(struct keymap *m, char *key, size_t *val, bool *found, bool insert)
{
    if ((m->n + 1) * 2 > m->cap) {
        struct keymap g = { 0 };
        g.cap = m->cap ? 2 * m->cap : 64;
        g.keys = calloc(g.cap, sizeof *g.keys);
        g.vals = calloc(g.cap, sizeof *g.vals);
        if (!g.keys || !g.vals) {
            free(g.keys);
            free(g.vals);
            return LTK_ENOMEM;
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->keys[i])
                continue;
            size_t sl = keymap_slot(&g, m->keys[i]);
            g.keys[sl] = m->keys[i];
            g.vals[sl] = m->vals[i];
        }
        g.n = m->n;
        free(m->keys);
        free(m->vals);
        *m = g;
    }
    size_t sl = keymap_slot(m, key);
    *found = m->keys[sl] != NULL;
    if (*found) {
        *val = m->vals[sl];
        return LTK_OK;
    }
    if (insert) {
        m->keys[sl] = key;
        m->vals[sl] = *val;
        m->n++;
    }
    return LTK_OK;
}

/* ---- merge ------------------------------------------------------------- */

static bool same_pct(const struct ltk_summary *a, const struct ltk_summary *b)
{
    if (a->npct != b->npct)
        return false;
    for (size_t i = 0; i < a->npct; i++)
        if (strcmp(a->pct_label[i], b->pct_label[i]) != 0)
            return false;
    return true;
}

static char *pct_text(const struct ltk_summary *s)
{
    struct ltk_buf b;
    ltk_buf_init(&b);
    for (size_t i = 0; i < s->npct; i++)
        ltk_buf_printf(&b, "%s%s", i ? "," : "", s->pct_label[i]);
    if (b.failed || !b.data) {
        ltk_buf_release(&b);
        return ltk_strdup("");
    }
    return b.data;
}

static int incompatible(const struct ltk_summary *dst, const struct ltk_summary *src, struct ltk_error *err)
{
    if (dst->method != src->method)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                             "cannot merge summaries of different methods: %s and %s (summarize both with the "
                             "same --method)",
                             ltk_hist_method_name(dst->method), ltk_hist_method_name(src->method));
    if (dst->interval_s != src->interval_s)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                             "cannot merge summaries of different intervals: %llds and %llds (summarize both "
                             "with the same --interval)",
                             (long long)dst->interval_s, (long long)src->interval_s);
    if (!same_pct(dst, src)) {
        char *a = pct_text(dst), *b = pct_text(src);
        ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                      "cannot merge summaries with different percentiles: %s and %s (summarize both with the "
                      "same --percentiles)",
                      a ? a : "?", b ? b : "?");
        free(a);
        free(b);
        return LTK_EINVAL;
    }
    if (dst->fold != src->fold)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                             "cannot merge a summary made with --fold and one made without");
    if (dst->max_names != src->max_names)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                             "cannot merge summaries of different --max-names: %zu and %zu", dst->max_names,
                             src->max_names);
    return LTK_OK;
}

static int add_endpoint(struct ltk_summary *s, const char *method, const char *name, bool other, size_t *idx)
{
    struct ltk_summary_endpoint *ne = realloc(s->endpoints, (s->nendpoints + 1) * sizeof *ne);
    if (!ne)
        return LTK_ENOMEM;
    s->endpoints = ne;
    struct ltk_summary_endpoint e = { .method = ltk_strdup(method), .name = ltk_strdup(name), .other = other };
    shist_empty(&e.hist);
    if (!e.method || !e.name) {
        free(e.method);
        free(e.name);
        return LTK_ENOMEM;
    }
    *idx = s->nendpoints;
    s->endpoints[s->nendpoints++] = e;
    return LTK_OK;
}

static long find_other(const struct ltk_summary *s)
{
    for (size_t i = 0; i < s->nendpoints; i++)
        if (s->endpoints[i].other)
            return (long)i;
    return -1;
}

static int add_failure_group(struct ltk_summary *s, struct keymap *m, const char *method, const char *name,
                             const char *error, uint64_t occurrences)
{
    if (s->nfailures >= LTK_SUMMARY_FAILURE_GROUPS) {
        method = "";
        name = "(other)";
        error = "(further distinct errors)";
    }
    char *key = join_key(method, name, error);
    if (!key)
        return LTK_ENOMEM;
    size_t v = s->nfailures;
    bool found;
    int rc = keymap_find(m, key, &v, &found, true);
    if (rc || found) {
        free(key);
        if (found)
            s->failures[v].occurrences += occurrences;
        return rc;
    }
    struct ltk_summary_failure *nf = realloc(s->failures, (s->nfailures + 1) * sizeof *nf);
    if (!nf)
        return LTK_ENOMEM;   /* the key stays in the map, pointing past the end: s is being torn down */
    s->failures = nf;
    struct ltk_summary_failure f = { ltk_strdup(method), ltk_strdup(name), ltk_strdup(error), occurrences };
    if (!f.method || !f.name || !f.error) {
        free(f.method);
        free(f.name);
        free(f.error);
        return LTK_ENOMEM;
    }
    s->failures[s->nfailures++] = f;
    return LTK_OK;
}

static int cmp_cell(const void *x, const void *y)
{
    const struct ltk_summary_cell *a = x, *b = y;
    return (a->endpoint > b->endpoint) - (a->endpoint < b->endpoint);
}

/* dst's interval takes src's cells (endpoints renumbered by map). */
static int merge_interval(struct ltk_summary_interval *d, const struct ltk_summary_interval *s, const size_t *map)
{
    if (d->users < s->users)
        d->users = s->users;
    d->failures += s->failures;
    if (ltk_shist_merge(&d->total, &s->total))
        return LTK_ENOMEM;
    size_t n = d->ncells + s->ncells;
    struct ltk_summary_cell *all = calloc(n ? n : 1, sizeof *all);
    if (!all)
        return LTK_ENOMEM;
    if (d->ncells) /* d->cells is NULL for an interval new to dst */
        memcpy(all, d->cells, d->ncells * sizeof *all);
    size_t k = d->ncells;
    int rc = LTK_OK;
    for (size_t i = 0; i < s->ncells && rc == LTK_OK; i++) {
        all[k].endpoint = map[s->cells[i].endpoint];
        all[k].failures = s->cells[i].failures;
        rc = shist_copy(&all[k].hist, &s->cells[i].hist);
        k++;
    }
    if (rc) {
        for (size_t i = d->ncells; i < k; i++)
            ltk_shist_release(&all[i].hist);
        free(all);
        return rc;
    }
    /* cells of one endpoint (several of src's may have gone to (other)) are
     * added up below, in any order: adding histograms commutes */
    qsort(all, n, sizeof *all, cmp_cell);
    size_t out = 0;
    for (size_t i = 0; i < n && rc == LTK_OK; i++) {
        if (out && all[out - 1].endpoint == all[i].endpoint) {
            all[out - 1].failures += all[i].failures;
            rc = ltk_shist_merge(&all[out - 1].hist, &all[i].hist);
            ltk_shist_release(&all[i].hist);
        } else {
            all[out++] = all[i];
        }
    }
    free(d->cells);
    d->cells = all;
    d->ncells = out;
    return rc;
}

int ltk_summary_merge(struct ltk_summary *dst, const struct ltk_summary *src, struct ltk_error *err)
{
    int rc = incompatible(dst, src, err);
    if (rc)
        return rc;
    /* the intervals of the result (only those with requests are kept: the
     * span of time between them does not matter) */
    size_t nresult = 0;
    for (size_t i = 0, j = 0; i < dst->nintervals || j < src->nintervals; nresult++) {
        bool take_dst = j >= src->nintervals || (i < dst->nintervals && dst->intervals[i].t <= src->intervals[j].t);
        bool take_src = i >= dst->nintervals || (j < src->nintervals && src->intervals[j].t <= dst->intervals[i].t);
        i += take_dst;
        j += take_src;
    }
    if (nresult > LTK_SUMMARY_MAX_INTERVALS)
        return ltk_error_set(err, LTK_ELIMIT, NULL, 0, 0,
                             "the merged summary would have more than %zu intervals with requests (of %llds)",
                             LTK_SUMMARY_MAX_INTERVALS, (long long)dst->interval_s);
    if (dst->nsources + src->nsources > LTK_SUMMARY_MAX_SOURCES)
        return ltk_error_set(err, LTK_ELIMIT, NULL, 0, 0, "more than %d sources in one summary",
                             LTK_SUMMARY_MAX_SOURCES);
    struct keymap names = { 0 }, groups = { 0 }, diverted = { 0 };
    size_t *map = calloc(src->nendpoints ? src->nendpoints : 1, sizeof *map);
    if (!map)
        goto oom;

    struct ltk_summary_source *ns = realloc(dst->sources, (dst->nsources + src->nsources) * sizeof *ns);
    if (!ns)
        goto oom;
    dst->sources = ns;
    for (size_t i = 0; i < src->nsources; i++) {
        const struct ltk_summary_source *a = &src->sources[i];
        struct ltk_summary_source b = {
            ltk_strdup(a->path), ltk_strdup(a->format), a->rows, a->skipped,
            a->first_bad ? ltk_strdup(a->first_bad) : NULL, a->users_source ? ltk_strdup(a->users_source) : NULL,
        };
        if (!b.path || !b.format || (a->first_bad && !b.first_bad) || (a->users_source && !b.users_source)) {
            source_release(&b);
            goto oom;
        }
        dst->sources[dst->nsources++] = b;
    }
    if (src->timed) {
        if (!dst->timed || src->tmin < dst->tmin)
            dst->tmin = src->tmin;
        if (!dst->timed || src->tmax > dst->tmax)
            dst->tmax = src->tmax;
        dst->timed += src->timed;
    }
    dst->k6_orphans += src->k6_orphans;

    /* endpoints: as if src's rows came after dst's (--max-names picks the
     * names first seen) */
    for (size_t i = 0; i < dst->nendpoints; i++) {
        if (dst->endpoints[i].other)
            continue;
        char *key = join_key(dst->endpoints[i].method, dst->endpoints[i].name, NULL);
        bool found;
        size_t v = i;
        if (!key || keymap_find(&names, key, &v, &found, true)) {
            free(key);
            goto oom;
        }
        if (found)
            free(key);
    }
    long other = find_other(dst);
    dst->other_requests += src->other_requests;
    for (size_t j = 0; j < src->nendpoints; j++) {
        const struct ltk_summary_endpoint *e = &src->endpoints[j];
        size_t target;
        bool to_other = e->other;
        if (!to_other) {
            char *key = join_key(e->method, e->name, NULL);
            bool found;
            if (!key || keymap_find(&names, key, &target, &found, false)) {
                free(key);
                goto oom;
            }
            if (!found) {
                size_t named = dst->nendpoints - (other >= 0 ? 1 : 0);
                if (named < dst->max_names) {
                    if (add_endpoint(dst, e->method, e->name, false, &target)) {
                        free(key);
                        goto oom;
                    }
                    size_t v = target;
                    if (keymap_find(&names, key, &v, &found, true)) {
                        free(key);
                        goto oom;
                    }
                    key = NULL;
                } else {
                    to_other = true;
                    dst->other_requests += e->hist.count;
                }
            }
            free(key);
        }
        if (to_other) {
            if (other < 0) {
                size_t o;
                if (add_endpoint(dst, "", "(other)", true, &o))
                    goto oom;
                other = (long)o;
            }
            target = (size_t)other;
        }
        map[j] = target;
        struct ltk_summary_endpoint *d = &dst->endpoints[target];
        if (ltk_shist_merge(&d->hist, &e->hist))
            goto oom;
        d->failures += e->failures;
        d->bytes += e->bytes;
        d->sized += e->sized;
    }
    if (ltk_shist_merge(&dst->total, &src->total))
        goto oom;
    dst->total_failures += src->total_failures;
    dst->total_bytes += src->total_bytes;
    dst->total_sized += src->total_sized;

    /* failure groups, renamed to (other) with their endpoint */
    for (size_t i = 0; i < dst->nfailures; i++) {
        const struct ltk_summary_failure *f = &dst->failures[i];
        char *key = join_key(f->method, f->name, f->error);
        bool found;
        size_t v = i;
        if (!key || keymap_find(&groups, key, &v, &found, true)) {
            free(key);
            goto oom;
        }
        if (found)
            free(key);
    }
    /* src's names that went to (other) here, for their failure groups */
    for (size_t j = 0; j < src->nendpoints; j++) {
        const struct ltk_summary_endpoint *e = &src->endpoints[j];
        if (e->other || !dst->endpoints[map[j]].other)
            continue;
        char *key = join_key(e->method, e->name, NULL);
        bool found;
        size_t v = j;
        if (!key || keymap_find(&diverted, key, &v, &found, true)) {
            free(key);
            goto oom;
        }
        if (found)
            free(key);
    }
    for (size_t i = 0; i < src->nfailures; i++) {
        const struct ltk_summary_failure *f = &src->failures[i];
        const char *method = f->method, *name = f->name;
        if (diverted.n) {
            char *key = join_key(method, name, NULL);
            bool found;
            size_t v;
            if (!key || keymap_find(&diverted, key, &v, &found, false)) {
                free(key);
                goto oom;
            }
            free(key);
            if (found) {
                method = "";
                name = "(other)";
            }
        }
        if (add_failure_group(dst, &groups, method, name, f->error, f->occurrences))
            goto oom;
    }

    /* intervals: a sorted merge by start time */
    size_t n = dst->nintervals + src->nintervals;
    struct ltk_summary_interval *all = calloc(n ? n : 1, sizeof *all);
    if (!all)
        goto oom;
    size_t i = 0, j = 0, k = 0;
    rc = LTK_OK;
    while ((i < dst->nintervals || j < src->nintervals) && rc == LTK_OK) {
        if (j >= src->nintervals || (i < dst->nintervals && dst->intervals[i].t < src->intervals[j].t)) {
            all[k++] = dst->intervals[i++];
        } else {
            struct ltk_summary_interval *d = &all[k++];
            if (i < dst->nintervals && dst->intervals[i].t == src->intervals[j].t) {
                *d = dst->intervals[i++];
            } else {
                d->t = src->intervals[j].t;
                d->users = -1;
                shist_empty(&d->total);
            }
            rc = merge_interval(d, &src->intervals[j++], map);
        }
    }
    while (i < dst->nintervals)       /* after a failure: keep them all in dst */
        all[k++] = dst->intervals[i++];
    free(dst->intervals);
    dst->intervals = all;
    dst->nintervals = k;
    if (rc)
        goto oom;
    free(map);
    keymap_release(&names);
    keymap_release(&groups);
    keymap_release(&diverted);
    return LTK_OK;
oom:
    free(map);
    keymap_release(&names);
    keymap_release(&groups);
    keymap_release(&diverted);
    return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ---- JSON writer ----------------------------------------------------------- */

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
        hist_json(&b, ltk_jb_obj(&b, o, "total"), s->method, &iv->total);
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
        w_hist(f, s->method, &iv->total);
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
        fputs("]}", f);
    }
    fputs("]}\n", f);
    return ferror(f) ? LTK_EIO : LTK_OK;
}

/* ---- strict reader ------------------------------------------------------------- */

struct rd {
    const char *name;            /* file, for messages */
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
    double min, max;
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

static int read_sources(struct rd *r, const cJSON *doc, struct ltk_summary *s)
{
    static const char *const keys[] = { "path", "format", "rows", "skipped", "first_bad", "users_source" };
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
        if ((rc = want_keys(r, c, keys, 6)) || (rc = get_str(r, c, "path", false, &x->path)) ||
            (rc = get_str(r, c, "format", false, &x->format)) || (rc = get_count(r, c, "rows", &x->rows)) ||
            (rc = get_count(r, c, "skipped", &x->skipped)) ||
            (rc = get_str(r, c, "first_bad", true, &x->first_bad)) ||
            (rc = get_str(r, c, "users_source", true, &x->users_source)))
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

static int read_endpoints(struct rd *r, const cJSON *doc, struct ltk_summary *s)
{
    static const char *const keys[] = { "method", "name", "other", "failures", "bytes", "sized", "hist" };
    const cJSON *arr;
    size_t n;
    int rc = get_array(r, doc, "endpoints", LTK_SUMMARY_MAX_ENDPOINTS, &arr, &n);
    if (rc)
        return rc;
    if (n && !(s->endpoints = calloc(n, sizeof *s->endpoints)))
        return oom_rd(r);
    struct keymap seen = { 0 };
    size_t i = 0, others = 0;
    for (const cJSON *c = arr->child; c && rc == LTK_OK; c = c->next, i++) {
        size_t mark = push(r, "endpoints[%zu]", i);
        struct ltk_summary_endpoint *e = &s->endpoints[i];
        shist_empty(&e->hist);
        s->nendpoints = i + 1;
        const cJSON *other = get(c, "other");
        if ((rc = want_keys(r, c, keys, 7)) || (rc = get_str(r, c, "method", false, &e->method)) ||
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
        if (!e->other) {
            char *key = join_key(e->method, e->name, NULL);
            bool found;
            size_t v = i;
            if (!key || keymap_find(&seen, key, &v, &found, true)) {
                free(key);
                rc = oom_rd(r);
                break;
            }
            if (found) {
                free(key);
                rc = bad(r, "the same method and name twice");
                break;
            }
        }
        pop(r, mark);
    }
    keymap_release(&seen);
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
    struct keymap seen = { 0 };
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
        char *key = join_key(f->method, f->name, f->error);
        bool found;
        size_t v = i;
        if (!key || keymap_find(&seen, key, &v, &found, true)) {
            free(key);
            rc = oom_rd(r);
            break;
        }
        if (found) {
            free(key);
            rc = bad(r, "the same method, name and error twice");
            break;
        }
        pop(r, mark);
    }
    keymap_release(&seen);
    if (rc == LTK_OK && sum != s->total_failures)
        rc = bad(r, "'failures': occurrences add up to %llu, but total.failures is %llu", (unsigned long long)sum,
                 (unsigned long long)s->total_failures);
    return rc;
}

static int read_intervals(struct rd *r, const cJSON *doc, struct ltk_summary *s)
{
    static const char *const keys[] = { "t", "users", "failures", "total", "cells" };
    const cJSON *arr;
    size_t n;
    int rc = get_array(r, doc, "intervals", LTK_SUMMARY_MAX_INTERVALS, &arr, &n);
    if (rc)
        return rc;
    if (n && !(s->intervals = calloc(n, sizeof *s->intervals)))
        return oom_rd(r);
    size_t i = 0;
    uint64_t timed = 0;
    uint64_t *per_ep = calloc(s->nendpoints ? s->nendpoints : 1, sizeof *per_ep);
    if (!per_ep)
        return oom_rd(r);
    for (const cJSON *c = arr->child; c && rc == LTK_OK; c = c->next, i++) {
        size_t mark = push(r, "intervals[%zu]", i);
        struct ltk_summary_interval *iv = &s->intervals[i];
        shist_empty(&iv->total);
        s->nintervals = i + 1;
        double t, users;
        if ((rc = want_keys(r, c, keys, 5)) || (rc = get_num(r, c, "t", false, &t)) ||
            (rc = get_num(r, c, "users", true, &users)) || (rc = get_count(r, c, "failures", &iv->failures)))
            break;
        if (t != floor(t) || fabs(t) > LTK_SUMMARY_MAX_T || fmod(t, (double)s->interval_s) != 0) {
            rc = bad(r, "'t': expected a whole number of seconds, a multiple of interval_s");
            break;
        }
        iv->t = (int64_t)t;
        if (i && iv->t <= s->intervals[i - 1].t) {
            rc = bad(r, "intervals must be in ascending time, each once");
            break;
        }
        if (!isnan(users) && !(users >= 0 && users == floor(users) && users <= (double)LTK_MAX_EXACT_INT)) {
            rc = bad(r, "'users': expected a user count or null");
            break;
        }
        iv->users = isnan(users) ? -1 : (int64_t)users;
        size_t m2 = push(r, ".total");
        if ((rc = read_hist(r, get(c, "total"), &iv->total)))
            break;
        pop(r, m2);
        if (!iv->total.count || iv->failures > iv->total.count) {
            rc = bad(r, "%llu failures in %llu requests", (unsigned long long)iv->failures,
                     (unsigned long long)iv->total.count);
            break;
        }
        timed += iv->total.count;
        const cJSON *cells;
        size_t nc;
        if ((rc = get_array(r, c, "cells", s->nendpoints, &cells, &nc)))
            break;
        if (!(iv->cells = calloc(nc ? nc : 1, sizeof *iv->cells))) {
            rc = oom_rd(r);
            break;
        }
        struct ltk_shist sum;
        shist_empty(&sum);
        uint64_t fsum = 0;
        size_t k = 0;
        for (const cJSON *x = cells->child; x && rc == LTK_OK; x = x->next, k++) {
            size_t m3 = push(r, ".cells[%zu]", k);
            struct ltk_summary_cell *cell = &iv->cells[k];
            shist_empty(&cell->hist);
            iv->ncells = k + 1;
            uint64_t ep;
            if (!cJSON_IsArray(x) || cJSON_GetArraySize(x) != 3) {
                rc = bad(r, "expected [endpoint, failures, histogram]");
                break;
            }
            if ((rc = item_count(r, x->child, "an endpoint index", &ep)) ||
                (rc = item_count(r, x->child->next, "a failure count", &cell->failures)))
                break;
            if (ep >= s->nendpoints || (k && ep <= iv->cells[k - 1].endpoint)) {
                rc = bad(r, "endpoint indices must be ascending and name an endpoint");
                break;
            }
            cell->endpoint = (size_t)ep;
            if ((rc = read_hist(r, x->child->next->next, &cell->hist)))
                break;
            if (!cell->hist.count || cell->failures > cell->hist.count) {
                rc = bad(r, "%llu failures in %llu requests", (unsigned long long)cell->failures,
                         (unsigned long long)cell->hist.count);
                break;
            }
            per_ep[ep] += cell->hist.count;
            fsum += cell->failures;
            if (ltk_shist_merge(&sum, &cell->hist))
                rc = oom_rd(r);
            pop(r, m3);
        }
        if (rc == LTK_OK && (!shist_equal(&sum, &iv->total) || fsum != iv->failures))
            rc = bad(r, "the cells do not add up to the interval's total");
        ltk_shist_release(&sum);
        if (rc)
            break;
        pop(r, mark);
    }
    for (size_t e = 0; rc == LTK_OK && e < s->nendpoints; e++)
        if (per_ep[e] > s->endpoints[e].hist.count)
            rc = bad(r, "endpoints[%zu] has more requests in its intervals than in all", e);
    free(per_ep);
    if (rc)
        return rc;
    if (timed != s->timed)
        return bad(r, "'intervals': they hold %llu requests, but time.timed is %llu", (unsigned long long)timed,
                   (unsigned long long)s->timed);
    if (timed == s->total.count) {
        /* every request has a time: the intervals are the whole run */
        struct ltk_shist sum;
        shist_empty(&sum);
        for (size_t k = 0; k < s->nintervals && rc == LTK_OK; k++)
            if (ltk_shist_merge(&sum, &s->intervals[k].total))
                rc = oom_rd(r);
        bool same = rc == LTK_OK && shist_equal(&sum, &s->total);
        ltk_shist_release(&sum);
        if (rc)
            return rc;
        if (!same)
            return bad(r, "'intervals': they do not add up to the total");
    }
    if (s->timed && (floor(s->tmin / (double)s->interval_s) * (double)s->interval_s != (double)s->intervals[0].t ||
                     floor(s->tmax / (double)s->interval_s) * (double)s->interval_s !=
                         (double)s->intervals[s->nintervals - 1].t))
        return bad(r, "'time': start and end must fall in the first and the last interval");
    return LTK_OK;
}

static int read_doc(struct rd *r, const cJSON *doc, struct ltk_summary *s)
{
    if (!cJSON_IsObject(doc))
        return bad(r, "expected a JSON object, got %s", ltk_json_kind(doc));
    const cJSON *schema = get(doc, "schema");
    if (!cJSON_IsString(schema))
        return bad(r, "no \"schema\" string: not an ltk summary");
    if (strcmp(schema->valuestring, LTK_SUMMARY_SCHEMA) != 0) {
        char shown[80];
        ltk_quote_text(schema->valuestring, shown, sizeof shown);
        if (strncmp(schema->valuestring, "ltk.summary/", 12) == 0)
            return bad(r, "schema %s is a version this ltk does not read (it reads %s)", shown,
                       LTK_SUMMARY_SCHEMA);
        return bad(r, "schema %s: expected %s", shown, LTK_SUMMARY_SCHEMA);
    }
    static const char *const keys[] = { "schema", "ltk_version", "method", "interval_s", "percentiles", "fold",
                                        "max_names", "sources", "time", "other_requests", "k6_orphans", "total",
                                        "endpoints", "failures", "intervals" };
    int rc = want_keys(r, doc, keys, sizeof keys / sizeof keys[0]);
    if (rc)
        return rc;
    const cJSON *v = get(doc, "ltk_version"), *m = get(doc, "method");
    if (!cJSON_IsString(v) || strlen(v->valuestring) > 64)
        return bad(r, "'ltk_version': expected a version string");
    if (!cJSON_IsString(m) || ltk_hist_method_parse(m->valuestring, &s->method))
        return bad(r, "'method': expected \"hdr\", \"locust\" or \"exact\"");
    r->method = s->method;
    double iv;
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
    static const char *const totkeys[] = { "failures", "bytes", "sized", "hist" };
    const cJSON *tot = get(doc, "total");
    mark = push(r, "total");
    if ((rc = want_keys(r, tot, totkeys, 4)) || (rc = get_count(r, tot, "failures", &s->total_failures)) ||
        (rc = get_num(r, tot, "bytes", false, &s->total_bytes)) || (rc = get_count(r, tot, "sized", &s->total_sized)))
        return rc;
    push(r, ".hist");
    if ((rc = read_hist(r, get(tot, "hist"), &s->total)))
        return rc;
    pop(r, mark);
    if (s->total_failures > s->total.count || s->total_sized > s->total.count || !(s->total_bytes >= 0))
        return bad(r, "'total': more failures or sized requests than requests");
    if (s->timed > s->total.count)
        return bad(r, "'time.timed' is more than the requests");
    if ((rc = read_endpoints(r, doc, s)))
        return rc;
    /* the endpoints add up to the total */
    struct ltk_shist sum;
    shist_empty(&sum);
    uint64_t fails = 0, sized = 0, other = 0;
    for (size_t e = 0; e < s->nendpoints && rc == LTK_OK; e++) {
        fails += s->endpoints[e].failures;
        sized += s->endpoints[e].sized;
        if (s->endpoints[e].other)
            other = s->endpoints[e].hist.count;
        if (ltk_shist_merge(&sum, &s->endpoints[e].hist))
            rc = oom_rd(r);
    }
    bool adds_up = shist_equal(&sum, &s->total) && fails == s->total_failures && sized == s->total_sized;
    ltk_shist_release(&sum);
    if (rc)
        return rc;
    if (!adds_up)
        return bad(r, "the endpoints do not add up to the total");
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
    return read_intervals(r, doc, s);
}

int ltk_summary_parse(struct ltk_summary *s, const char *text, size_t len, const char *name, struct ltk_error *err)
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

int ltk_summary_load(struct ltk_summary *s, const char *path, struct ltk_error *err)
{
    char *text;
    size_t len;
    int rc = ltk_json_read_file(path, LTK_SUMMARY_MAX_BYTES, "an ltk summary", &text, &len, err);
    if (rc)
        return rc;
    size_t first = strspn(text, " \t\r\n");
    if (first < len && text[first] != '{') {
        free(text);
        return ltk_error_set(err, LTK_EFORMAT, path, 0, 0,
                             "not an ltk summary (not a JSON object); a request log is summarised with "
                             "ltk summarize");
    }
    rc = ltk_summary_parse(s, text, len, path, err);
    free(text);
    return rc;
}

bool ltk_summary_sniff(const char *path)
{
    return ltk_file_first_char(path) == '{';
}

/* ---- into the run ------------------------------------------------------- */

static int cmp_ep(const void *x, const void *y)
{
    const struct ltk_summary_endpoint *a = *(const struct ltk_summary_endpoint *const *)x;
    const struct ltk_summary_endpoint *b = *(const struct ltk_summary_endpoint *const *)y;
    int c = strcmp(a->name, b->name);
    return c ? c : strcmp(a->method, b->method);
}

static int fill_ep(struct ltk_endpoint *e, const struct ltk_summary *s, const struct ltk_run *run,
                   const char *method, const char *name, const struct ltk_shist *sh, uint64_t failures,
                   double bytes, uint64_t sized, double duration)
{
    struct ltk_hist *h = NULL;
    if (ltk_shist_to_hist(sh, s->method, &h))
        return LTK_ENOMEM;
    e->hist = h;  /* the run owns it: ltk compare tests it, ltk report draws it */
    return ltk_rawlog_fill_endpoint(e, run, method, name, h, failures, bytes, sized, duration);
}

struct cumul {
    uint64_t requests, failures;
    ltk_u128 sum_ns;
    double min, max;
};

static int hist_row(struct ltk_run *run, size_t *cap, const struct ltk_summary *s, int64_t ts, int64_t users,
                    const char *method, const char *name, bool is_total, const struct ltk_shist *c,
                    uint64_t failures, struct cumul *cu)
{
    uint64_t n = c ? c->count : 0;
    if (n) {
        if (!cu->requests || c->min < cu->min)
            cu->min = c->min;
        if (!cu->requests || c->max > cu->max)
            cu->max = c->max;
        cu->sum_ns += c->sum_ns;
    }
    cu->requests += n;
    cu->failures += failures;
    double interval = (double)s->interval_s;
    struct ltk_history_row h = {
        .ts = ts, .users = users, .is_total = is_total,
        .rps = (double)n / interval, .fail_per_s = (double)failures / interval,
        .requests = cu->requests, .failures = cu->failures, .median = NAN,
        .mean = cu->requests ? ((double)cu->sum_ns / NS_PER_MS) / (double)cu->requests : NAN,
        .min = cu->requests ? cu->min : NAN, .max = cu->requests ? cu->max : NAN, .avg_size = NAN,
        .line = 0,
    };
    struct ltk_hist *x = NULL;
    if ((n && ltk_shist_to_hist(c, s->method, &x)) || ltk_run_add_history(run, cap, &h, method, name)) {
        ltk_hist_free(x);
        return LTK_ENOMEM;
    }
    double *pct = run->history[run->nhistory - 1].pct;
    for (size_t k = 0; k < run->history_pct.n && x; k++)
        pct[k] = ltk_hist_quantile(x, run->history_pct.q[k]);
    ltk_hist_free(x);
    return LTK_OK;
}

static int copy_pct(struct ltk_pct_columns *dst, const struct ltk_summary *s)
{
    if (!s->npct)
        return LTK_OK;
    dst->q = malloc(s->npct * sizeof *dst->q);
    dst->label = calloc(s->npct, sizeof *dst->label);
    if (!dst->q || !dst->label)
        return LTK_ENOMEM;
    dst->n = s->npct;
    for (size_t k = 0; k < s->npct; k++) {
        dst->q[k] = s->pct_q[k];
        if (!(dst->label[k] = ltk_strdup(s->pct_label[k])))
            return LTK_ENOMEM;
    }
    return LTK_OK;
}

/* Gaps longer than LTK_RAWLOG_GAP_S without requests: how many, the longest. */
struct gaps {
    uint64_t n;
    int64_t longest_s, from;
};

static int to_run(const struct ltk_summary *s, const char *path, struct ltk_run *run, struct gaps *g)
{
    if (copy_pct(&run->stats_pct, s) || copy_pct(&run->history_pct, s))
        return LTK_ENOMEM;
    run->raw_source = ltk_strdup(path);
    if (!run->raw_source)
        return LTK_ENOMEM;
    run->raw_format = "mixed";
    for (int f = LTK_RAW_LOCUST_HOOK; f <= LTK_RAW_COLUMNS + 1; f++) {
        const char *name = f <= LTK_RAW_COLUMNS ? ltk_rawlog_format_name((enum ltk_rawlog_format)f)
                                                : LTK_LOCUST_JSON_FORMAT;
        bool all = true;
        for (size_t i = 0; i < s->nsources && all; i++)
            all = strcmp(s->sources[i].format, name) == 0;
        if (all)
            run->raw_format = name;
    }
    run->raw_method = s->method;
    run->raw_rows = s->total.count;
    for (size_t i = 0; i < s->nsources; i++) {
        run->raw_skipped += s->sources[i].skipped;
        if (!run->users_source && s->sources[i].users_source &&
            !(run->users_source = ltk_strdup(s->sources[i].users_source)))
            return LTK_ENOMEM;
    }
    int kinds[] = { LTK_SRC_STATS, LTK_SRC_FAILURES, LTK_SRC_HISTORY };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (kinds[i] == LTK_SRC_HISTORY && !s->nintervals)
            continue;
        free(run->source[kinds[i]]);
        if (!(run->source[kinds[i]] = ltk_strdup(path)))
            return LTK_ENOMEM;
    }
    double duration = s->timed ? s->tmax - s->tmin : NAN;
    size_t ne = s->nendpoints;
    const struct ltk_summary_endpoint **sorted = malloc((ne ? ne : 1) * sizeof *sorted);
    size_t *order = malloc((ne ? ne : 1) * sizeof *order);
    size_t *rank = malloc((ne ? ne : 1) * sizeof *rank);
    run->endpoints = calloc(ne ? ne : 1, sizeof *run->endpoints);
    if (!sorted || !order || !rank || !run->endpoints) {
        free(sorted);
        free(order);
        free(rank);
        return LTK_ENOMEM;
    }
    for (size_t i = 0; i < ne; i++)
        sorted[i] = &s->endpoints[i];
    qsort(sorted, ne, sizeof *sorted, cmp_ep);
    for (size_t i = 0; i < ne; i++) {
        order[i] = (size_t)(sorted[i] - s->endpoints);
        rank[order[i]] = i;
    }
    free(sorted);
    int rc = LTK_OK;
    for (size_t i = 0; i < ne && rc == LTK_OK; i++) {
        const struct ltk_summary_endpoint *e = &s->endpoints[order[i]];
        rc = fill_ep(&run->endpoints[i], s, run, e->method, e->name, &e->hist, e->failures, e->bytes, e->sized,
                     duration);
        run->nendpoints = i + 1;
    }
    if (rc == LTK_OK) {
        rc = fill_ep(&run->total, s, run, "", "Aggregated", &s->total, s->total_failures, s->total_bytes,
                     s->total_sized, duration);
        run->has_total = true;
    }
    if (rc == LTK_OK && s->nfailures) {
        if (!(run->failures = calloc(s->nfailures, sizeof *run->failures)))
            rc = LTK_ENOMEM;
        for (size_t i = 0; i < s->nfailures && rc == LTK_OK; i++) {
            struct ltk_failure *f = &run->failures[i];
            f->method = ltk_strdup(s->failures[i].method);
            f->name = ltk_strdup(s->failures[i].name);
            f->error = ltk_strdup(s->failures[i].error);
            f->occurrences = s->failures[i].occurrences;
            run->nfailures = i + 1;
            if (!f->method || !f->name || !f->error)
                rc = LTK_ENOMEM;
        }
    }
    /* every interval from the first to the last, as a log gives them (of a
     * gap longer than LTK_RAWLOG_GAP_S, the first and last interval) */
    if (rc == LTK_OK && s->nintervals) {
        struct cumul *cu = calloc(ne + 1, sizeof *cu);
        struct ltk_ranked *by = NULL;   /* an interval's cells in Locust's order */
        size_t capby = 0;
        size_t cap = 0;
        if (!cu)
            rc = LTK_ENOMEM;
        int64_t users = 0, len = s->interval_s;
        for (size_t i = 0; i < s->nintervals && rc == LTK_OK; i++) {
            const struct ltk_summary_interval *iv = &s->intervals[i];
            /* the empty intervals before it: each, or the first and last of a long gap */
            int64_t from = i ? s->intervals[i - 1].t + len : iv->t;
            bool whole = iv->t - from <= LTK_RAWLOG_GAP_S;
            if (!whole) {
                g->n++;
                if (iv->t - from > g->longest_s) {
                    g->longest_s = iv->t - from;
                    g->from = from;
                }
            }
            for (int64_t t = from; t < iv->t && rc == LTK_OK; t = ltk_gap_next(t, iv->t, len, whole))
                rc = hist_row(run, &cap, s, t, users, "", "Aggregated", true, NULL, 0, &cu[ne]);
            if (iv->users >= 0)
                users = iv->users;
            /* its cells (not every endpoint: time follows the cells) */
            if (rc == LTK_OK && ltk_ranked_reserve(&by, &capby, iv->ncells))
                rc = LTK_ENOMEM;
            for (size_t c = 0; c < iv->ncells && rc == LTK_OK; c++)
                by[c] = (struct ltk_ranked){ rank[iv->cells[c].endpoint], c };
            if (rc == LTK_OK)
                ltk_sort_ranked(by, iv->ncells);
            for (size_t k = 0; k < iv->ncells && rc == LTK_OK; k++) {
                const struct ltk_summary_cell *cell = &iv->cells[by[k].pos];
                const struct ltk_summary_endpoint *e = &s->endpoints[cell->endpoint];
                rc = hist_row(run, &cap, s, iv->t, users, e->method, e->name, false, &cell->hist, cell->failures,
                              &cu[by[k].rank]);
            }
            if (rc == LTK_OK)
                rc = hist_row(run, &cap, s, iv->t, users, "", "Aggregated", true, &iv->total, iv->failures, &cu[ne]);
        }
        free(cu);
        free(by);
        run->history_full = true;
        run->history_pct_kind = LTK_HPCT_WINDOW;
        run->history_window_s = s->interval_s;
    }
    free(order);
    free(rank);
    return rc;
}

int ltk_summary_to_run(const struct ltk_summary *s, const char *path, struct ltk_run *run, struct ltk_error *err)
{
    struct gaps g = { 0, 0, 0 };
    if (to_run(s, path, run, &g))
        return ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
    for (size_t i = 0; i < s->nsources; i++)
        if (s->sources[i].skipped)
            ltk_run_warn(run, "%s: skipped %llu malformed row(s) (--skip-bad); the first: %s", s->sources[i].path,
                         (unsigned long long)s->sources[i].skipped, s->sources[i].first_bad);
    if (find_other(s) >= 0)
        ltk_run_warn(run, "%s: more than %zu distinct names: %llu request(s) of further names are counted "
                          "in one '(other)' row (--fold folds ids in names)",
                     path, s->max_names, (unsigned long long)s->other_requests);
    if (s->timed && s->timed < s->total.count)
        ltk_run_warn(run, "%s: %llu request(s) without a timestamp are left out of the history", path,
                     (unsigned long long)(s->total.count - s->timed));
    if (g.n)
        ltk_run_warn(run, "%s: %llu gap(s) of more than %d s without requests, the longest %lld s from Unix time "
                          "%lld: the history has only their first and last intervals (a pause, or a stray "
                          "timestamp?)",
                     path, (unsigned long long)g.n, LTK_RAWLOG_GAP_S, (long long)g.longest_s, (long long)g.from);
    if (s->k6_orphans)
        ltk_run_warn(run, "%s: %llu http_req_failed row(s) without an http_req_duration row just "
                          "before them were ignored",
                     path, (unsigned long long)s->k6_orphans);
    if (s->nfailures >= LTK_SUMMARY_FAILURE_GROUPS)
        ltk_run_warn(run, "%s: more than %d distinct failures: the rest are counted in one group", path,
                     LTK_SUMMARY_FAILURE_GROUPS);
    if (!s->total.count)
        ltk_run_warn(run, "%s: no requests in the summary", path);
    return LTK_OK;
}

/* ---- users from a stats_history.csv beside the log --------------------------- */

int ltk_summary_users_from_history(struct ltk_summary *s, const char *log_path, struct ltk_error *err)
{
    if (!s->nsources)
        return LTK_OK;
    struct ltk_run h;
    ltk_run_init(&h);
    char *hpath;
    int rc = ltk_run_sibling_history(log_path, &h, &hpath, err);
    if (rc == LTK_OK && hpath) {
        struct ltk_users_cursor cur = { 0, 0 };
        for (size_t i = 0; i < s->nintervals; i++)
            s->intervals[i].users = ltk_run_users_at(&h, &cur, s->intervals[i].t);
        free(s->sources[s->nsources - 1].users_source);
        s->sources[s->nsources - 1].users_source = hpath;
    }
    ltk_run_release(&h);
    return rc;
}

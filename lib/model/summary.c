/* Mergeable summaries of raw request logs (see ltk/model/summary.h).
 *
 * Here: the compact histogram (struct ltk_shist) and the exact merge of two
 * summaries.  Its JSON form is lib/read/summary_json.c; a summary becomes a
 * run in lib/read/summary_run.c. */
#include "ltk/model/summary.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/base/json.h"
#include "ltk/base/num.h"
#include "ltk/version.h"
#include "model/run_build.h"
#include "base/keymap.h"
#include "base/strutil.h"

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

void ltk_shist_init(struct ltk_shist *h)
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
    ltk_shist_init(out);
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
    ltk_shist_init(out);
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
    if (n < cap) {
        /* keys both sides had: give back the room they did not need (a
         * merge of alike histograms would keep twice their size) */
        double *sk = realloc(k, (n ? n : 1) * sizeof *k);
        uint64_t *sc = realloc(c, (n ? n : 1) * sizeof *c);
        k = sk ? sk : k;
        c = sc ? sc : c;
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
    ltk_shist_init(dst);
    return ltk_shist_merge(dst, src);
}

/* The union of the n > 0 cells' histograms into out (empty), halves first:
 * each key is copied about log2(n) times, not n times as one cell after
 * the other into a growing union would. */
static int cells_union(const struct ltk_summary_cell *c, size_t n, struct ltk_shist *out)
{
    if (n == 1)
        return shist_copy(out, &c->hist);
    struct ltk_shist right;
    ltk_shist_init(&right);
    int rc = cells_union(c, n / 2, out);
    if (rc == LTK_OK)
        rc = cells_union(c + n / 2, n - n / 2, &right);
    if (rc == LTK_OK)
        rc = ltk_shist_merge(out, &right);
    ltk_shist_release(&right);
    return rc;
}

int ltk_summary_interval_total(const struct ltk_summary_interval *iv, struct ltk_shist *out)
{
    ltk_shist_init(out);
    return iv->ncells ? cells_union(iv->cells, iv->ncells, out) : LTK_OK;
}

/* ---- init / release --------------------------------------------------------- */

void ltk_summary_init(struct ltk_summary *s)
{
    memset(s, 0, sizeof *s);
    s->tmin = s->tmax = NAN;
    ltk_shist_init(&s->total);
    ltk_shist_init(&s->total_ok);
    for (int k = 0; k < LTK_TIMING_N; k++)
        ltk_shist_init(&s->total_timing[k]);
}

static void source_release(struct ltk_summary_source *src)
{
    free(src->path);
    free(src->format);
    free(src->first_bad);
    free(src->users_source);
    for (size_t i = 0; i < src->nignored_columns; i++)
        free(src->ignored_columns[i]);
    free(src->ignored_columns);
    for (size_t i = 0; i < src->nignored_metrics; i++)
        free(src->ignored_metrics[i]);
    free(src->ignored_metrics);
}

static int copy_names(char ***dst, size_t *nd, char *const *src, size_t n)
{
    if (!n)
        return LTK_OK;
    if (!(*dst = calloc(n, sizeof **dst)))
        return LTK_ENOMEM;
    for (size_t i = 0; i < n; i++, (*nd)++)
        if (!((*dst)[i] = ltk_strdup(src[i])))
            return LTK_ENOMEM;
    return LTK_OK;
}

int ltk_summary_source_copy_ignored(struct ltk_summary_source *dst, const struct ltk_summary_source *src)
{
    dst->ignored_more = src->ignored_more;
    if (copy_names(&dst->ignored_columns, &dst->nignored_columns, src->ignored_columns, src->nignored_columns) ||
        copy_names(&dst->ignored_metrics, &dst->nignored_metrics, src->ignored_metrics, src->nignored_metrics))
        return LTK_ENOMEM;
    return LTK_OK;
}

void ltk_summary_interval_release(struct ltk_summary_interval *iv)
{
    for (size_t c = 0; c < iv->ncells; c++)
        ltk_shist_release(&iv->cells[c].hist);
    free(iv->cells);
    iv->cells = NULL;
    iv->ncells = 0;
    iv->requests = iv->failures = 0;
    memset(iv->status, 0, sizeof iv->status);
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
        ltk_shist_release(&s->endpoints[i].ok);
        ltk_status_release(&s->endpoints[i].status);
        for (int k = 0; k < LTK_TIMING_N; k++)
            ltk_shist_release(&s->endpoints[i].timing[k]);
    }
    free(s->endpoints);
    ltk_shist_release(&s->total);
    ltk_shist_release(&s->total_ok);
    for (int k = 0; k < LTK_TIMING_N; k++)
        ltk_shist_release(&s->total_timing[k]);
    ltk_status_release(&s->total_status);
    for (size_t i = 0; i < s->nfailures; i++) {
        free(s->failures[i].method);
        free(s->failures[i].name);
        free(s->failures[i].error);
    }
    free(s->failures);
    for (size_t i = 0; i < s->nintervals; i++)
        ltk_summary_interval_release(&s->intervals[i]);
    free(s->intervals);
    ltk_summary_init(s);
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
    ltk_shist_init(&e.hist);
    ltk_shist_init(&e.ok);
    for (int k = 0; k < LTK_TIMING_N; k++)
        ltk_shist_init(&e.timing[k]);
    if (!e.method || !e.name) {
        free(e.method);
        free(e.name);
        return LTK_ENOMEM;
    }
    *idx = s->nendpoints;
    s->endpoints[s->nendpoints++] = e;
    return LTK_OK;
}

long ltk_summary_other(const struct ltk_summary *s)
{
    for (size_t i = 0; i < s->nendpoints; i++)
        if (s->endpoints[i].other)
            return (long)i;
    return -1;
}

static int add_failure_group(struct ltk_summary *s, struct ltk_keymap *m, const char *method, const char *name,
                             const char *error, uint64_t occurrences)
{
    if (s->nfailures >= LTK_SUMMARY_FAILURE_GROUPS) {
        method = "";
        name = "(other)";
        error = "(further distinct errors)";
    }
    char *key = ltk_join_key(method, name, error);
    if (!key)
        return LTK_ENOMEM;
    size_t v = s->nfailures;
    bool found;
    int rc = ltk_keymap_find(m, key, &v, &found, true);
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
    d->requests += s->requests;
    for (int k = 0; k < LTK_SC_N; k++)
        d->status[k] += s->status[k];
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

/* The number of intervals of dst and src merged (those of one start are one). */
static size_t merged_intervals(const struct ltk_summary *dst, const struct ltk_summary *src)
{
    size_t nresult = 0;
    for (size_t i = 0, j = 0; i < dst->nintervals || j < src->nintervals; nresult++) {
        bool take_dst = j >= src->nintervals || (i < dst->nintervals && dst->intervals[i].t <= src->intervals[j].t);
        bool take_src = i >= dst->nintervals || (j < src->nintervals && src->intervals[j].t <= dst->intervals[i].t);
        i += take_dst;
        j += take_src;
    }
    return nresult;
}

/* Merges everything of src but its intervals into dst, and gives the map of
 * src's endpoints to dst's (free it).  dst is unchanged on LTK_EINVAL
 * (settings differ) and LTK_ELIMIT (sources). */
static int merge_head(struct ltk_summary *dst, const struct ltk_summary *src, size_t **map_out,
                      struct ltk_error *err)
{
    int rc = incompatible(dst, src, err);
    if (rc)
        return rc;
    if (dst->nsources + src->nsources > LTK_SUMMARY_MAX_SOURCES)
        return ltk_error_set(err, LTK_ELIMIT, NULL, 0, 0, "more than %d sources in one summary",
                             LTK_SUMMARY_MAX_SOURCES);
    /* the ok histograms are kept only when both sides have them */
    bool has_ok = dst->nsources ? dst->has_ok && src->has_ok : src->has_ok;
    /* so are the timings, each kind */
    bool has_timing[LTK_TIMING_N];
    for (int k = 0; k < LTK_TIMING_N; k++)
        has_timing[k] = dst->nsources ? dst->has_timing[k] && src->has_timing[k] : src->has_timing[k];
    struct ltk_keymap names = { 0 }, groups = { 0 }, diverted = { 0 };
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
            .path = ltk_strdup(a->path), .format = ltk_strdup(a->format), .rows = a->rows, .skipped = a->skipped,
            .first_bad = a->first_bad ? ltk_strdup(a->first_bad) : NULL,
            .users_source = a->users_source ? ltk_strdup(a->users_source) : NULL,
        };
        if (!b.path || !b.format || (a->first_bad && !b.first_bad) || (a->users_source && !b.users_source) ||
            ltk_summary_source_copy_ignored(&b, a)) {
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
        char *key = ltk_join_key(dst->endpoints[i].method, dst->endpoints[i].name, NULL);
        bool found;
        size_t v = i;
        if (!key || ltk_keymap_find(&names, key, &v, &found, true)) {
            free(key);
            goto oom;
        }
        if (found)
            free(key);
    }
    long other = ltk_summary_other(dst);
    dst->other_requests += src->other_requests;
    for (size_t j = 0; j < src->nendpoints; j++) {
        const struct ltk_summary_endpoint *e = &src->endpoints[j];
        size_t target;
        bool to_other = e->other;
        if (!to_other) {
            char *key = ltk_join_key(e->method, e->name, NULL);
            bool found;
            if (!key || ltk_keymap_find(&names, key, &target, &found, false)) {
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
                    if (ltk_keymap_find(&names, key, &v, &found, true)) {
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
        if (ltk_shist_merge(&d->hist, &e->hist) || (has_ok && ltk_shist_merge(&d->ok, &e->ok)) ||
            ltk_status_merge(&d->status, &e->status))
            goto oom;
        for (int k = 0; k < LTK_TIMING_N; k++)
            if (has_timing[k] && ltk_shist_merge(&d->timing[k], &e->timing[k]))
                goto oom;
        d->failures += e->failures;
        d->bytes += e->bytes;
        d->sized += e->sized;
    }
    if (ltk_shist_merge(&dst->total, &src->total) || (has_ok && ltk_shist_merge(&dst->total_ok, &src->total_ok)) ||
        ltk_status_merge(&dst->total_status, &src->total_status))
        goto oom;
    if (!has_ok) {
        for (size_t i = 0; i < dst->nendpoints; i++)
            ltk_shist_release(&dst->endpoints[i].ok);
        ltk_shist_release(&dst->total_ok);
    }
    dst->has_ok = has_ok;
    dst->status_dropped |= src->status_dropped;
    for (int k = 0; k < LTK_TIMING_N; k++) {
        if (has_timing[k] && ltk_shist_merge(&dst->total_timing[k], &src->total_timing[k]))
            goto oom;
        if (!has_timing[k]) {
            for (size_t i = 0; i < dst->nendpoints; i++)
                ltk_shist_release(&dst->endpoints[i].timing[k]);
            ltk_shist_release(&dst->total_timing[k]);
        }
        dst->has_timing[k] = has_timing[k];
    }
    dst->total_failures += src->total_failures;
    dst->total_bytes += src->total_bytes;
    dst->total_sized += src->total_sized;

    /* failure groups, renamed to (other) with their endpoint */
    for (size_t i = 0; i < dst->nfailures; i++) {
        const struct ltk_summary_failure *f = &dst->failures[i];
        char *key = ltk_join_key(f->method, f->name, f->error);
        bool found;
        size_t v = i;
        if (!key || ltk_keymap_find(&groups, key, &v, &found, true)) {
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
        char *key = ltk_join_key(e->method, e->name, NULL);
        bool found;
        size_t v = j;
        if (!key || ltk_keymap_find(&diverted, key, &v, &found, true)) {
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
            char *key = ltk_join_key(method, name, NULL);
            bool found;
            size_t v;
            if (!key || ltk_keymap_find(&diverted, key, &v, &found, false)) {
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

    *map_out = map;
    ltk_keymap_release(&names);
    ltk_keymap_release(&groups);
    ltk_keymap_release(&diverted);
    return LTK_OK;
oom:
    free(map);
    ltk_keymap_release(&names);
    ltk_keymap_release(&groups);
    ltk_keymap_release(&diverted);
    return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
}

int ltk_summary_merge_begin(struct ltk_summary_merger *m, struct ltk_summary *dst, const struct ltk_summary *src,
                            struct ltk_error *err)
{
    *m = (struct ltk_summary_merger){ .dst = dst };
    int rc = merge_head(dst, src, &m->map, err);
    if (rc)
        return rc;
    m->cap = dst->nintervals + 16;
    if (!(m->all = calloc(m->cap, sizeof *m->all))) {
        free(m->map);
        m->map = NULL;
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    }
    m->begun = true;
    return LTK_OK;
}

/* The next slot of the merged intervals. */
static struct ltk_summary_interval *merger_slot(struct ltk_summary_merger *m)
{
    if (m->nall == m->cap) {
        size_t cap = 2 * m->cap;
        struct ltk_summary_interval *na = realloc(m->all, cap * sizeof *na);
        if (!na)
            return NULL;
        m->all = na;
        m->cap = cap;
    }
    struct ltk_summary_interval *d = &m->all[m->nall++];
    memset(d, 0, sizeof *d);
    return d;
}

int ltk_summary_merge_interval(struct ltk_summary_merger *m, const struct ltk_summary_interval *iv,
                               struct ltk_error *err)
{
    struct ltk_summary *dst = m->dst;
    if (m->nsrc && iv->t <= m->last_t)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "intervals to merge must come in ascending time");
    m->nsrc++;
    m->last_t = iv->t;
    /* dst's earlier intervals as they are */
    while (m->next < dst->nintervals && dst->intervals[m->next].t < iv->t) {
        struct ltk_summary_interval *d = m->nall < LTK_SUMMARY_MAX_INTERVALS ? merger_slot(m) : NULL;
        if (!d)
            goto full;
        *d = dst->intervals[m->next];
        memset(&dst->intervals[m->next++], 0, sizeof *d);
    }
    struct ltk_summary_interval *d = m->nall < LTK_SUMMARY_MAX_INTERVALS ? merger_slot(m) : NULL;
    if (!d)
        goto full;
    if (m->next < dst->nintervals && dst->intervals[m->next].t == iv->t) {
        *d = dst->intervals[m->next];
        memset(&dst->intervals[m->next++], 0, sizeof *d);
    } else {
        d->t = iv->t;
        d->users = -1;
    }
    if (merge_interval(d, iv, m->map))
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    return LTK_OK;
full:
    if (m->nall < LTK_SUMMARY_MAX_INTERVALS)
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    return ltk_error_set(err, LTK_ELIMIT, NULL, 0, 0,
                         "the merged summary would have more than %zu intervals with requests (of %llds)",
                         LTK_SUMMARY_MAX_INTERVALS, (long long)dst->interval_s);
}

int ltk_summary_merge_end(struct ltk_summary_merger *m, struct ltk_error *err)
{
    if (!m->begun)
        return LTK_OK;
    struct ltk_summary *dst = m->dst;
    int rc = LTK_OK;
    /* dst's later intervals (those that find no room are lost: out of memory) */
    while (m->next < dst->nintervals) {
        struct ltk_summary_interval *d = merger_slot(m);
        if (!d)
            break;
        *d = dst->intervals[m->next++];
    }
    if (m->next < dst->nintervals) {
        rc = ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
        for (size_t i = m->next; i < dst->nintervals; i++)
            ltk_summary_interval_release(&dst->intervals[i]);
    }
    free(dst->intervals);
    dst->intervals = m->all;
    dst->nintervals = m->nall;
    free(m->map);
    *m = (struct ltk_summary_merger){ 0 };
    return rc;
}

int ltk_summary_merge(struct ltk_summary *dst, const struct ltk_summary *src, struct ltk_error *err)
{
    if (merged_intervals(dst, src) > LTK_SUMMARY_MAX_INTERVALS && incompatible(dst, src, err) == LTK_OK)
        return ltk_error_set(err, LTK_ELIMIT, NULL, 0, 0,
                             "the merged summary would have more than %zu intervals with requests (of %llds)",
                             LTK_SUMMARY_MAX_INTERVALS, (long long)dst->interval_s);
    struct ltk_summary_merger m;
    int rc = ltk_summary_merge_begin(&m, dst, src, err);
    for (size_t j = 0; rc == LTK_OK && j < src->nintervals; j++)
        rc = ltk_summary_merge_interval(&m, &src->intervals[j], err);
    int end = ltk_summary_merge_end(&m, err);
    return rc ? rc : end;
}


/* Response-time histograms: hdr, locust and exact (see ltk/model/hist.h).
 *
 * The three methods share count/min/max/sum and differ in what they keep:
 * hdr a sparse array of bucket counters (chunks of 256 allocated on first
 * use), locust a dense table of Locust's rounded keys up to 10 s plus a
 * sorted list above, exact every value. */
#include "ltk/model/hist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The sum is kept as an integer number of nanoseconds (1e-6 ms) so that it
 * is exact and independent of the order of additions and merges; times
 * logged with up to 6 decimals of a ms are on this grid exactly. */
__extension__ typedef __int128 ltk_i128;
#define SUM_SCALE 1e6

/* ---- hdr layout ---------------------------------------------------------- */

enum {
    HDR_SUB = 1024,                   /* buckets per power of two */
    HDR_EMIN = -19,                   /* frexp exponent of 2^-20 */
    HDR_OCTAVES = 64,                 /* exponents -19 .. 44 */
    HDR_NIDX = 1 + HDR_OCTAVES * HDR_SUB,
    HDR_CHUNK = 256,
    HDR_NCHUNK = (HDR_NIDX + HDR_CHUNK - 1) / HDR_CHUNK,
};

/* ---- locust layout --------------------------------------------------------- */

/* Keys 0..100 step 1, 110..1000 step 10, 1100..10000 step 100: 281 slots. */
enum { LOC_DENSE = 281 };

struct loc_big {
    double key;           /* > 10000, a multiple of 1000 */
    uint64_t count;
};

struct ltk_hist {
    enum ltk_hist_method method;
    uint64_t count;
    double min, max;
    ltk_i128 sum;                  /* in ns (1e-6 ms) */

    /* hdr */
    uint64_t **chunks;             /* HDR_NCHUNK pointers, allocated on first add */
    uint64_t *chunk_total;         /* count per chunk */

    /* locust */
    uint64_t dense[LOC_DENSE];
    struct loc_big *big;
    size_t nbig, capbig;

    /* exact */
    double *values;
    size_t nvalues, capvalues;
    bool sorted;
};

const char *ltk_hist_method_name(enum ltk_hist_method m)
{
    switch (m) {
    case LTK_HIST_HDR: return "hdr";
    case LTK_HIST_LOCUST: return "locust";
    case LTK_HIST_EXACT: return "exact";
    }
    return "unknown";
}

int ltk_hist_method_parse(const char *s, enum ltk_hist_method *out)
{
    static const enum ltk_hist_method all[] = { LTK_HIST_HDR, LTK_HIST_LOCUST, LTK_HIST_EXACT };
    for (size_t i = 0; s && i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(s, ltk_hist_method_name(all[i])) == 0) {
            *out = all[i];
            return LTK_OK;
        }
    }
    return LTK_EINVAL;
}

int ltk_hist_new(enum ltk_hist_method m, struct ltk_hist **out)
{
    *out = NULL;
    if (m != LTK_HIST_HDR && m != LTK_HIST_LOCUST && m != LTK_HIST_EXACT)
        return LTK_EINVAL;
    struct ltk_hist *h = calloc(1, sizeof *h);
    if (!h)
        return LTK_ENOMEM;
    h->method = m;
    h->min = NAN;
    h->max = NAN;
    h->sorted = true;
    *out = h;
    return LTK_OK;
}

void ltk_hist_free(struct ltk_hist *h)
{
    if (!h)
        return;
    if (h->chunks) {
        for (size_t c = 0; c < HDR_NCHUNK; c++)
            free(h->chunks[c]);
        free(h->chunks);
    }
    free(h->chunk_total);
    free(h->big);
    free(h->values);
    free(h);
}

enum ltk_hist_method ltk_hist_method_of(const struct ltk_hist *h)
{
    return h->method;
}

/* ---- hdr ----------------------------------------------------------------- */

int64_t ltk_hist_hdr_index(double v)
{
    if (!(v > 0))
        return 0;
    /* v = m 2^e with m in [0.5, 1) as frexp gives it, read from the bits:
     * the bucket within the power of two is the top 10 bits of the
     * fraction ((m - 0.5) 2048 exactly) */
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int biased = (int)((bits >> 52) & 0x7ff);
    if (biased == 0)
        return 1;                     /* subnormal: far below 2^-20 ms */
    int e = biased - 1022;
    if (e < HDR_EMIN)
        return 1;                     /* below 2^-20 ms: the lowest bucket */
    if (e >= HDR_EMIN + HDR_OCTAVES)
        return HDR_NIDX - 1;
    int sub = (int)((bits >> 42) & (HDR_SUB - 1));
    return 1 + (int64_t)(e - HDR_EMIN) * HDR_SUB + sub;
}

void ltk_hist_hdr_bounds(int64_t index, double *lo, double *hi)
{
    if (index <= 0) {
        *lo = *hi = 0;
        return;
    }
    int64_t k = index - 1;
    int e = (int)(k / HDR_SUB) + HDR_EMIN;
    int sub = (int)(k % HDR_SUB);
    *lo = ldexp(0.5 + sub / (2.0 * HDR_SUB), e);
    *hi = ldexp(0.5 + (sub + 1) / (2.0 * HDR_SUB), e);
}

static int hdr_add(struct ltk_hist *h, int64_t idx, uint64_t n)
{
    if (!h->chunks) {
        h->chunks = calloc(HDR_NCHUNK, sizeof *h->chunks);
        h->chunk_total = calloc(HDR_NCHUNK, sizeof *h->chunk_total);
        if (!h->chunks || !h->chunk_total) {
            free(h->chunks);
            free(h->chunk_total);
            h->chunks = NULL;
            h->chunk_total = NULL;
            return LTK_ENOMEM;
        }
    }
    size_t c = (size_t)idx / HDR_CHUNK;
    if (!h->chunks[c] && !(h->chunks[c] = calloc(HDR_CHUNK, sizeof **h->chunks)))
        return LTK_ENOMEM;
    h->chunks[c][(size_t)idx % HDR_CHUNK] += n;
    h->chunk_total[c] += n;
    return LTK_OK;
}

/* ---- locust ---------------------------------------------------------------- */

/* x rounded to a multiple of step (10, 100, 1000), ties to even multiples,
 * decided on the exact binary value as Python's round(x, -n) does. */
static double round_to(double x, double step)
{
    double j = floor(x / step);
    while (j * step > x)
        j -= 1;
    while ((j + 1) * step <= x)
        j += 1;
    double mid = j * step + step / 2;   /* an integer: exact */
    if (x < mid)
        return j * step;
    if (x > mid)
        return (j + 1) * step;
    return fmod(j, 2) == 0 ? j * step : (j + 1) * step;
}

double ltk_hist_locust_round(double ms)
{
    if (ms < 100)
        return nearbyint(ms);        /* round-half-even in the default mode */
    if (ms < 1000)
        return round_to(ms, 10);
    if (ms < 10000)
        return round_to(ms, 100);
    return round_to(ms, 1000);
}

/* Dense slot of a key <= 10000, or -1 when the key is not one Locust makes. */
static int loc_slot(double key)
{
    if (key < 0 || key != floor(key))
        return -1;
    if (key <= 100)
        return (int)key;
    if (key <= 1000)
        return fmod(key, 10) == 0 ? 100 + (int)(key - 100) / 10 : -1;
    if (key <= 10000)
        return fmod(key, 100) == 0 ? 190 + (int)(key - 1000) / 100 : -1;
    return -1;
}

static double loc_key(int slot)
{
    if (slot <= 100)
        return slot;
    if (slot <= 190)
        return 100 + (slot - 100) * 10.0;
    return 1000 + (slot - 190) * 100.0;
}

static int loc_add(struct ltk_hist *h, double key, uint64_t n)
{
    int s = loc_slot(key);
    if (s >= 0) {
        h->dense[s] += n;
        return LTK_OK;
    }
    if (!(key > 10000) || fmod(key, 1000) != 0)
        return LTK_EINVAL;
    size_t lo = 0, hi = h->nbig;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (h->big[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < h->nbig && h->big[lo].key == key) {
        h->big[lo].count += n;
        return LTK_OK;
    }
    if (h->nbig == h->capbig) {
        size_t ncap = h->capbig ? 2 * h->capbig : 8;
        struct loc_big *nb = realloc(h->big, ncap * sizeof *nb);
        if (!nb)
            return LTK_ENOMEM;
        h->big = nb;
        h->capbig = ncap;
    }
    memmove(&h->big[lo + 1], &h->big[lo], (h->nbig - lo) * sizeof *h->big);
    h->big[lo].key = key;
    h->big[lo].count = n;
    h->nbig++;
    return LTK_OK;
}

/* ---- exact ------------------------------------------------------------------ */

static int exact_add(struct ltk_hist *h, double v, uint64_t n)
{
    if (n > SIZE_MAX / sizeof(double) - h->nvalues)
        return LTK_ENOMEM;
    while (h->nvalues + n > h->capvalues) {
        size_t ncap = h->capvalues ? 2 * h->capvalues : 64;
        double *nv = realloc(h->values, ncap * sizeof *nv);
        if (!nv)
            return LTK_ENOMEM;
        h->values = nv;
        h->capvalues = ncap;
    }
    for (uint64_t i = 0; i < n; i++)
        h->values[h->nvalues++] = v;
    if (n)
        h->sorted = h->nvalues <= n;
    return LTK_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void exact_sort(struct ltk_hist *h)
{
    if (!h->sorted) {
        qsort(h->values, h->nvalues, sizeof *h->values, cmp_double);
        h->sorted = true;
    }
}

/* ---- common -------------------------------------------------------------- */

static int add_key(struct ltk_hist *h, double key, uint64_t n)
{
    switch (h->method) {
    case LTK_HIST_HDR:
        if (key < 0 || key >= HDR_NIDX || key != floor(key))
            return LTK_EINVAL;
        return hdr_add(h, (int64_t)key, n);
    case LTK_HIST_LOCUST: return loc_add(h, key, n);
    case LTK_HIST_EXACT:
        if (!(key >= 0) || !(key < LTK_HIST_MAX_MS))
            return LTK_EINVAL;
        return exact_add(h, key, n);
    }
    return LTK_EINVAL;
}

double ltk_hist_key_of(enum ltk_hist_method m, double ms)
{
    if (m == LTK_HIST_HDR)
        return (double)ltk_hist_hdr_index(ms);
    if (m == LTK_HIST_LOCUST)
        return ltk_hist_locust_round(ms);
    return ms;
}

bool ltk_hist_key_valid(enum ltk_hist_method m, double key)
{
    switch (m) {
    case LTK_HIST_HDR: return key >= 0 && key < HDR_NIDX && key == floor(key);
    case LTK_HIST_LOCUST:
        return loc_slot(key) >= 0 || (key > 10000 && key < LTK_HIST_MAX_MS + 1000 && fmod(key, 1000) == 0);
    case LTK_HIST_EXACT: return key >= 0 && key < LTK_HIST_MAX_MS;
    }
    return false;
}

int ltk_hist_add(struct ltk_hist *h, double ms)
{
    if (!(ms >= 0) || !(ms < LTK_HIST_MAX_MS))
        return LTK_EINVAL;
    int rc;
    if (h->method == LTK_HIST_HDR)     /* once per row of a raw log: no key as a double */
        rc = hdr_add(h, ltk_hist_hdr_index(ms), 1);
    else
        rc = add_key(h, h->method == LTK_HIST_LOCUST ? ltk_hist_locust_round(ms) : ms, 1);
    if (rc)
        return rc;
    if (h->count == 0 || ms < h->min)
        h->min = ms;
    if (h->count == 0 || ms > h->max)
        h->max = ms;
    h->count++;
    h->sum += (ltk_i128)ltk_hist_ms_to_ns(ms);
    return LTK_OK;
}

static int merge_key(double key, uint64_t count, void *ctx)
{
    return add_key(ctx, key, count);
}

int ltk_hist_merge(struct ltk_hist *dst, const struct ltk_hist *src)
{
    if (dst->method != src->method)
        return LTK_EINVAL;
    if (!src->count)
        return LTK_OK;
    int rc;
    if (src->method == LTK_HIST_EXACT) {
        rc = LTK_OK;
        for (size_t i = 0; i < src->nvalues && rc == LTK_OK; i++)
            rc = exact_add(dst, src->values[i], 1);
    } else {
        rc = ltk_hist_foreach(src, merge_key, dst);
    }
    if (rc)
        return rc;
    if (dst->count == 0 || src->min < dst->min)
        dst->min = src->min;
    if (dst->count == 0 || src->max > dst->max)
        dst->max = src->max;
    dst->count += src->count;
    dst->sum += src->sum;
    return LTK_OK;
}

/* Takes count away at key (there at least count times). */
static int remove_key(struct ltk_hist *h, double key, uint64_t n)
{
    switch (h->method) {
    case LTK_HIST_HDR: {
        size_t idx = (size_t)key, c = idx / HDR_CHUNK;
        if (!h->chunks || !h->chunks[c] || h->chunks[c][idx % HDR_CHUNK] < n)
            return LTK_EINVAL;
        h->chunks[c][idx % HDR_CHUNK] -= n;
        h->chunk_total[c] -= n;
        return LTK_OK;
    }
    case LTK_HIST_LOCUST: {
        int s = loc_slot(key);
        if (s >= 0) {
            if (h->dense[s] < n)
                return LTK_EINVAL;
            h->dense[s] -= n;
            return LTK_OK;
        }
        for (size_t i = 0; i < h->nbig; i++) {
            if (h->big[i].key != key)
                continue;
            if (h->big[i].count < n)
                return LTK_EINVAL;
            if ((h->big[i].count -= n) == 0) {   /* gone, as if never added */
                memmove(&h->big[i], &h->big[i + 1], (h->nbig - i - 1) * sizeof *h->big);
                h->nbig--;
            }
            return LTK_OK;
        }
        return LTK_EINVAL;
    }
    case LTK_HIST_EXACT:
        break;      /* ltk_hist_subtract walks both sorted arrays */
    }
    return LTK_EINVAL;
}

static int remove_key_cb(double key, uint64_t count, void *ctx)
{
    return remove_key(ctx, key, count);
}

int ltk_hist_subtract(struct ltk_hist *dst, const struct ltk_hist *src, double min, double max)
{
    if (dst->method != src->method || src->count > dst->count || src->sum > dst->sum)
        return LTK_EINVAL;
    uint64_t count = dst->count - src->count;
    if (count && !(min >= 0 && min <= max && max < LTK_HIST_MAX_MS))
        return LTK_EINVAL;
    if (src->count) {
        if (dst->method == LTK_HIST_EXACT) {
            /* the multiset difference of the two sorted arrays, in place */
            exact_sort(dst);
            exact_sort((struct ltk_hist *)src);
            size_t out = 0, j = 0;
            for (size_t i = 0; i < dst->nvalues; i++) {
                while (j < src->nvalues && src->values[j] < dst->values[i])
                    j++;
                if (j < src->nvalues && src->values[j] == dst->values[i])
                    j++;
                else
                    dst->values[out++] = dst->values[i];
            }
            if (dst->nvalues - out != src->nvalues)
                return LTK_EINVAL;
            dst->nvalues = out;
        } else {
            int rc = ltk_hist_foreach(src, remove_key_cb, dst);
            if (rc)
                return rc;
        }
    }
    dst->count = count;
    dst->min = count ? min : NAN;
    dst->max = count ? max : NAN;
    dst->sum -= src->sum;
    return LTK_OK;
}

uint64_t ltk_hist_count(const struct ltk_hist *h)
{
    return h->count;
}

double ltk_hist_min(const struct ltk_hist *h)
{
    return h->count ? h->min : NAN;
}

double ltk_hist_max(const struct ltk_hist *h)
{
    return h->count ? h->max : NAN;
}

double ltk_hist_sum(const struct ltk_hist *h)
{
    return (double)h->sum / SUM_SCALE;
}

double ltk_hist_mean(const struct ltk_hist *h)
{
    return h->count ? ltk_hist_sum(h) / (double)h->count : NAN;
}

/* The 1-based nearest rank of q among n: ceil(q*n), at least 1.  q*n is
 * snapped to an integer when within rounding noise of one (0.07 * 100 is
 * 7.000000000000001 in binary; its rank is 7). */
uint64_t ltk_hist_nearest_rank(double q, uint64_t n)
{
    double r = q * (double)n;
    double ri = nearbyint(r);
    if (fabs(r - ri) <= 1e-12 * fmax(1.0, r))
        r = ri;
    double k = ceil(r);
    if (k < 1)
        k = 1;
    if (k > (double)n)
        k = (double)n;
    return (uint64_t)k;
}

static double hdr_quantile(const struct ltk_hist *h, double q)
{
    uint64_t k = ltk_hist_nearest_rank(q, h->count), seen = 0;
    if (k == h->count)
        return h->max;          /* the largest and smallest values are known exactly */
    if (k == 1)
        return h->min;
    for (size_t c = 0; c < HDR_NCHUNK; c++) {
        if (!h->chunk_total[c])
            continue;
        if (seen + h->chunk_total[c] < k) {
            seen += h->chunk_total[c];
            continue;
        }
        for (size_t i = 0; i < HDR_CHUNK; i++) {
            seen += h->chunks[c][i];
            if (seen >= k) {
                double lo, hi;
                ltk_hist_hdr_bounds((int64_t)(c * HDR_CHUNK + i), &lo, &hi);
                double v = (lo + hi) / 2;
                return v < h->min ? h->min : v > h->max ? h->max : v;
            }
        }
    }
    return h->max;   /* not reached: the counters sum to count */
}

/* locust/stats.py calculate_response_time_percentile. */
static double locust_quantile(const struct ltk_hist *h, double q)
{
    uint64_t n = h->count;
    double target = floor((double)n * q);   /* int(num_requests * percent) */
    uint64_t seen = 0;
    for (size_t i = h->nbig; i-- > 0;) {
        seen += h->big[i].count;
        if ((double)(n - seen) <= target)
            return h->big[i].key;
    }
    for (int s = LOC_DENSE; s-- > 0;) {
        if (!h->dense[s])
            continue;
        seen += h->dense[s];
        if ((double)(n - seen) <= target)
            return loc_key(s);
    }
    return 0;
}

double ltk_hist_quantile(const struct ltk_hist *h, double q)
{
    if (!h->count || !(q >= 0 && q <= 1))
        return NAN;
    switch (h->method) {
    case LTK_HIST_HDR: return hdr_quantile(h, q);
    case LTK_HIST_LOCUST: return locust_quantile(h, q);
    case LTK_HIST_EXACT:
        exact_sort((struct ltk_hist *)h);
        return h->values[ltk_hist_nearest_rank(q, h->count) - 1];
    }
    return NAN;
}

size_t ltk_hist_quantile_index(enum ltk_hist_method m, size_t n, double q)
{
    if (m == LTK_HIST_LOCUST) {
        double target = floor((double)n * q);
        return target >= (double)n ? n - 1 : (size_t)target;
    }
    return (size_t)ltk_hist_nearest_rank(q, n) - 1;
}

double ltk_hist_quantile_sorted(enum ltk_hist_method m, const double *v, size_t n, double q)
{
    if (!n || !(q >= 0 && q <= 1))
        return NAN;
    if (m == LTK_HIST_LOCUST) {
        /* walking the keys down until n - seen <= int(n q) stops at the
         * key of the sorted value at index int(n q) (the last one when
         * int(n q) = n): rounding keeps the order */
        double target = floor((double)n * q);
        size_t t = target >= (double)n ? n - 1 : (size_t)target;
        return ltk_hist_locust_round(v[t]);
    }
    uint64_t k = ltk_hist_nearest_rank(q, n);
    if (m == LTK_HIST_EXACT)
        return v[k - 1];
    if (k == n)
        return v[n - 1];
    if (k == 1)
        return v[0];
    double lo, hi;
    ltk_hist_hdr_bounds(ltk_hist_hdr_index(v[k - 1]), &lo, &hi);
    double mid = (lo + hi) / 2;
    return mid < v[0] ? v[0] : mid > v[n - 1] ? v[n - 1] : mid;
}

/* locust/stats.py median_from_dict, then StatsEntry.median_response_time's
 * clamping to the exact min and max. */
static double locust_median(const struct ltk_hist *h)
{
    double pos = ((double)h->count - 1) / 2;
    double found = NAN;
    for (int s = 0; s < LOC_DENSE && isnan(found); s++) {
        if (!h->dense[s])
            continue;
        if (pos < (double)h->dense[s])
            found = loc_key(s);
        else
            pos -= (double)h->dense[s];
    }
    for (size_t i = 0; i < h->nbig && isnan(found); i++) {
        if (pos < (double)h->big[i].count)
            found = h->big[i].key;
        else
            pos -= (double)h->big[i].count;
    }
    if (isnan(found))
        found = h->max;
    if (found > h->max)
        found = h->max;
    else if (found < h->min)
        found = h->min;
    return found;
}

double ltk_hist_median(const struct ltk_hist *h)
{
    if (!h->count)
        return NAN;
    return h->method == LTK_HIST_LOCUST ? locust_median(h) : ltk_hist_quantile(h, 0.5);
}

int ltk_hist_foreach(const struct ltk_hist *h, ltk_hist_key_fn fn, void *ctx)
{
    int rc = LTK_OK;
    switch (h->method) {
    case LTK_HIST_HDR:
        for (size_t c = 0; h->chunks && c < HDR_NCHUNK && rc == LTK_OK; c++) {
            if (!h->chunk_total[c])
                continue;
            for (size_t i = 0; i < HDR_CHUNK && rc == LTK_OK; i++)
                if (h->chunks[c][i])
                    rc = fn((double)(c * HDR_CHUNK + i), h->chunks[c][i], ctx);
        }
        break;
    case LTK_HIST_LOCUST:
        for (int s = 0; s < LOC_DENSE && rc == LTK_OK; s++)
            if (h->dense[s])
                rc = fn(loc_key(s), h->dense[s], ctx);
        for (size_t i = 0; i < h->nbig && rc == LTK_OK; i++)
            rc = fn(h->big[i].key, h->big[i].count, ctx);
        break;
    case LTK_HIST_EXACT:
        exact_sort((struct ltk_hist *)h);
        for (size_t i = 0; i < h->nvalues && rc == LTK_OK;) {
            size_t j = i;
            while (j < h->nvalues && h->values[j] == h->values[i])
                j++;
            rc = fn(h->values[i], (uint64_t)(j - i), ctx);
            i = j;
        }
        break;
    }
    return rc;
}

int ltk_hist_add_key(struct ltk_hist *h, double key, uint64_t count)
{
    return add_key(h, key, count);
}

static int count_key(double key, uint64_t count, void *ctx)
{
    (void)key;
    *(uint64_t *)ctx += count;
    return LTK_OK;
}

ltk_u128 ltk_hist_sum_ns(const struct ltk_hist *h)
{
    return (ltk_u128)h->sum;
}

ltk_u128 ltk_hist_ms_to_ns(double ms)
{
    /* below 2^43 ms that is below 2^63 ns: a 64-bit conversion (one
     * instruction) where a 128-bit one is a library call */
    double ns = nearbyint(ms * SUM_SCALE);
    if (ns >= 0 && ns < 9.2e18)
        return (ltk_u128)(uint64_t)ns;
    return (ltk_u128)ns;
}

char *ltk_hist_format_ns(ltk_u128 v, char buf[48])
{
    char tmp[48];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

int ltk_hist_parse_ns(const char *s, ltk_u128 *out)
{
    size_t n = strlen(s);
    if (n == 0 || n > 38 || (n > 1 && s[0] == '0'))
        return LTK_EINVAL;
    ltk_u128 v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return LTK_EINVAL;
        v = v * 10 + (ltk_u128)(s[i] - '0');
    }
    *out = v;
    return LTK_OK;
}

int ltk_hist_set_totals_ns(struct ltk_hist *h, uint64_t count, double min, double max, ltk_u128 sum_ns)
{
    uint64_t have = 0;
    ltk_hist_foreach(h, count_key, &have);
    if (have != count)
        return LTK_EINVAL;
    if (count && !(min >= 0 && min <= max && max < LTK_HIST_MAX_MS))
        return LTK_EINVAL;
    if (!count && sum_ns)
        return LTK_EINVAL;
    h->count = count;
    h->min = count ? min : NAN;
    h->max = count ? max : NAN;
    h->sum = (ltk_i128)sum_ns;
    return LTK_OK;
}

int ltk_hist_set_totals(struct ltk_hist *h, uint64_t count, double min, double max, double sum)
{
    uint64_t have = 0;
    ltk_hist_foreach(h, count_key, &have);
    if (have != count)
        return LTK_EINVAL;
    if (count && !(min >= 0 && min <= max && max < LTK_HIST_MAX_MS && sum >= 0 && isfinite(sum)))
        return LTK_EINVAL;
    h->count = count;
    h->min = count ? min : NAN;
    h->max = count ? max : NAN;
    h->sum = (ltk_i128)nearbyint(sum * SUM_SCALE);
    return LTK_OK;
}

/* Locust's rounding step for times from x on. */
static double locust_step(double x)
{
    return x < 100 ? 1 : x < 1000 ? 10 : x < 10000 ? 100 : 1000;
}

void ltk_hist_key_span(enum ltk_hist_method m, double key, double *lo, double *hi)
{
    switch (m) {
    case LTK_HIST_HDR:
        if (key <= 0) {
            *lo = *hi = 0;
            return;
        }
        ltk_hist_hdr_bounds((int64_t)key, lo, hi);
        return;
    case LTK_HIST_LOCUST:
        /* 100 is what 99.5 .. 105 round to: half a step below (of the times
         * under it), half a step above (of its own) */
        *lo = key > 0 ? key - locust_step(key - 0.5) / 2 : 0;
        *hi = key + locust_step(key) / 2;
        return;
    case LTK_HIST_EXACT:
        break;
    }
    *lo = *hi = key;
}

struct le_ctx {
    enum ltk_hist_method m;
    double x;
    uint64_t lo, hi;
};

static int le_key(double key, uint64_t count, void *ctx)
{
    struct le_ctx *c = ctx;
    double lo, hi;
    ltk_hist_key_span(c->m, key, &lo, &hi);
    if (lo > c->x)
        return 1;   /* keys ascend: none further */
    c->hi += count;
    /* hdr's hi is excluded: values < hi <= x; locust's and exact's included */
    if (hi <= c->x)
        c->lo += count;
    return LTK_OK;
}

void ltk_hist_count_le(const struct ltk_hist *h, double x, uint64_t *lo, uint64_t *hi)
{
    *lo = *hi = 0;
    if (!h->count || x < h->min)
        return;
    if (x >= h->max) {
        *lo = *hi = h->count;
        return;
    }
    struct le_ctx c = { h->method, x, 0, 0 };
    ltk_hist_foreach(h, le_key, &c);
    *lo = c.lo;
    *hi = c.hi;
}

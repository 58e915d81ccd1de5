/* Raw request logs into the run model (see ltk/read/rawlog.h): the
 * streaming machinery; the dialects are in rawlog_formats.c.
 *
 * One pass: zlib (transparent for plain files) -> libcsv (csv_reader.c) ->
 * one callback per record (ltk_rawlog_on_record, rawlog_formats.c) that
 * turns the row into (method, name, ms, ok, error, timestamp, bytes) and
 * adds it (ltk_rawlog_add_row, here) to the per-name, total and
 * per-interval histograms.  At the end the aggregate becomes endpoints,
 * failures and history rows of a struct ltk_run. */
#include "ltk/read/rawlog.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "ltk/read/csv.h"
#include "ltk/base/num.h"
#include "ltk/model/summary.h"
#include "model/run_build.h"
#include "base/strutil.h"
#include "read/csv_int.h"
#include "read/rawlog_int.h"

/* Intervals with requests kept, at most: as many as a summary may hold
 * (ltk/model/summary.h), so that what ltk summarize writes reads back.  Only
 * intervals with requests take memory, so the span of the timestamps is not
 * limited. */
#define MAX_INTERVALS LTK_SUMMARY_MAX_INTERVALS
/* The second part of a split read keeps the intervals of its first this
 * many seconds open to the end, for the first part's last rows (which may
 * run this far past the second part's first row; further, and the file is
 * read again by one thread). */
#define SPLIT_KEEP_OPEN_S 60
/* Distinct (method, name, error) failure groups kept; more go to one group. */
#define MAX_FAILURE_GROUPS 10000

/* ---- reading through zlib ---------------------------------------------------- */

static int gz_source(void *src, char *buf, size_t cap, size_t *got, struct ltk_error *err)
{
    gzFile gz = src;
    int n = gzread(gz, buf, (unsigned)(cap > 1u << 30 ? 1u << 30 : cap));
    if (n > 0) {
        /* data first; an error after it (a cut-off stream) shows on the next call */
        *got = (size_t)n;
        return LTK_OK;
    }
    int code = Z_OK;
    const char *msg = gzerror(gz, &code);
    if (n < 0 || code != Z_OK) {
        if (code == Z_ERRNO)
            return ltk_error_set(err, LTK_EIO, NULL, 0, 0, "read error: %s", strerror(errno));
        /* zlib says "<fd:N>: what" for a stream opened with gzdopen */
        const char *colon = msg && msg[0] == '<' ? strstr(msg, ">: ") : NULL;
        return ltk_error_set(err, LTK_EFORMAT, NULL, 0, 0, "corrupt gzip data: %s%s", colon ? colon + 3 : msg,
                             code == Z_BUF_ERROR ? " (the file is cut off)" : "");
    }
    *got = 0;
    return LTK_OK;
}

static int open_gz(const char *path, gzFile *out, struct ltk_error *err)
{
    FILE *fp;
    int rc = ltk_open_input(path, &fp, err);
    if (rc)
        return rc;
    /* zlib's buffers (this and twice this) as large as the file, between
     * its default 8 KiB and 128 KiB: a small log does not take 384 KiB */
    struct stat st;
    unsigned size = 1u << 17;
    if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode))
        while (size > (1u << 13) && (off_t)(size / 2) >= st.st_size)
            size /= 2;
    int fd = dup(fileno(fp));
    fclose(fp);
    gzFile gz = fd >= 0 ? gzdopen(fd, "rb") : NULL;
    if (!gz) {
        if (fd >= 0)
            close(fd);
        return ltk_error_set(err, LTK_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    }
    gzbuffer(gz, size);
    *out = gz;
    return LTK_OK;
}

enum { STOP_AFTER_HEADER = 1 };

static int detect_record(const struct ltk_csv_record *rec, void *ctx, struct ltk_error *err)
{
    (void)err;
    *(enum ltk_rawlog_format *)ctx = ltk_rawlog_header_format(rec);
    return STOP_AFTER_HEADER;
}

int ltk_rawlog_detect(const char *path, enum ltk_rawlog_format *out, struct ltk_error *err)
{
    *out = LTK_RAW_NONE;
    gzFile gz;
    int rc = open_gz(path, &gz, err);
    if (rc)
        return rc;
    enum ltk_rawlog_format f = LTK_RAW_NONE;
    rc = ltk_csv_read_from(gz_source, gz, path, NULL, detect_record, &f, NULL, err);
    gzclose(gz);
    if (rc < 0)
        return rc;
    *out = f;
    return LTK_OK;
}

/* ---- a small string-keyed hash map (key -> index) ------------------------ */

/* The last n < 8 bytes of a key as one word, without a variable-length
 * copy: two overlapping 4-byte reads, or the first, middle and last byte. */
static inline uint64_t tail_word(const char *s, size_t n)
{
    if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, s, 4);
        memcpy(&hi, s + n - 4, 4);
        return (uint64_t)hi << 32 | lo;
    }
    if (n)
        return (uint64_t)(unsigned char)s[0] << 16 | (uint64_t)(unsigned char)s[n >> 1] << 8 |
               (unsigned char)s[n - 1];
    return 0;
}

/* A hash of n bytes, eight at a time, seeded (names are looked up once per
 * row; equal keys are still compared, so this only has to spread them). */
static inline uint64_t hash_seeded(uint64_t seed, const char *s, size_t n)
{
    uint64_t h = seed ^ 0x9E3779B97F4A7C15ULL ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
        s += 8;
        n -= 8;
    }
    h = (h ^ tail_word(s, n)) * 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 29;
    return h;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    return hash_seeded(0, s, n);
}

static void strmap_release(struct strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->lens);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* Finds key; returns its slot (keys[slot] NULL when absent). */
static size_t strmap_slot(const struct strmap *m, const char *key, size_t len)
{
    size_t i = (size_t)hash_bytes(key, len) & (m->cap - 1);
    while (m->keys[i] && !(m->lens[i] == len && memcmp(m->keys[i], key, len) == 0))
        i = (i + 1) & (m->cap - 1);
    return i;
}

static int strmap_grow(struct strmap *m)
{
    struct strmap g = { 0 };
    g.cap = m->cap ? 2 * m->cap : 64;
    g.keys = calloc(g.cap, sizeof *g.keys);
    g.lens = calloc(g.cap, sizeof *g.lens);
    g.vals = calloc(g.cap, sizeof *g.vals);
    if (!g.keys || !g.lens || !g.vals) {
        free(g.keys);
        free(g.lens);
        free(g.vals);
        return LTK_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t s = strmap_slot(&g, m->keys[i], m->lens[i]);
        g.keys[s] = m->keys[i];
        g.lens[s] = m->lens[i];
        g.vals[s] = m->vals[i];
    }
    g.n = m->n;
    free(m->keys);
    free(m->lens);
    free(m->vals);
    *m = g;
    return LTK_OK;
}

/* Looks key up; *found tells whether it was there.  When absent and val is
 * given, inserts key -> *val. */
static int strmap_get(struct strmap *m, const char *key, size_t len, size_t *val, bool *found,
                      bool insert)
{
    if ((m->n + 1) * 2 > m->cap && strmap_grow(m))
        return LTK_ENOMEM;
    size_t s = strmap_slot(m, key, len);
    if (m->keys[s]) {
        *found = true;
        *val = m->vals[s];
        return LTK_OK;
    }
    *found = false;
    if (!insert)
        return LTK_OK;
    if (!(m->keys[s] = malloc(len ? len : 1)))
        return LTK_ENOMEM;
    memcpy(m->keys[s], key, len);
    m->lens[s] = len;
    m->vals[s] = *val;
    m->n++;
    return LTK_OK;
}

/* ---- a gzip log's times --------------------------------------------------- */

static int cmp_time_count(const void *x, const void *y)
{
    const struct ltk_time_count *a = x, *b = y;
    return (a->t > b->t) - (a->t < b->t);
}

/* Sorts the probe's (time, rows) pairs and adds up those of one time. */
static void probe_compact(struct agg *a)
{
    qsort(a->times, a->ntimes, sizeof *a->times, cmp_time_count);
    size_t n = 0;
    for (size_t i = 0; i < a->ntimes; i++) {
        if (n && a->times[n - 1].t == a->times[i].t)
            a->times[n - 1].rows += a->times[i].rows;
        else
            a->times[n++] = a->times[i];
    }
    a->ntimes = n;
}

/* At most this many (time, rows) pairs (1 MiB): past half of them the probe
 * counts per two, four, ... seconds (a 30-day log per 64 s, its span known
 * within 64 s). */
#define PROBE_COUNTS 65536

static int64_t floor_half(int64_t x)
{
    return x >= 0 ? x / 2 : -((1 - x) / 2);
}

/* Counts a row at time ts (s): a row in the same twidth seconds as the one
 * before adds to it (a log is mostly in time order); when the pairs are
 * full they are compacted, then counted per twice as many seconds while
 * more than half are left. */
static int probe_time(struct agg *a, double ts)
{
    if (!a->times && !(a->times = malloc(PROBE_COUNTS * sizeof *a->times)))
        return LTK_ENOMEM;
    int64_t t = (int64_t)floor(ts / (double)a->twidth);
    if (a->ntimes && a->times[a->ntimes - 1].t == t) {
        a->times[a->ntimes - 1].rows++;
        return LTK_OK;
    }
    if (a->ntimes == PROBE_COUNTS) {
        probe_compact(a);
        while (a->ntimes > PROBE_COUNTS / 2) {
            a->twidth *= 2;
            for (size_t i = 0; i < a->ntimes; i++)
                a->times[i].t = floor_half(a->times[i].t);
            probe_compact(a);
            t = (int64_t)floor(ts / (double)a->twidth);
        }
    }
    a->times[a->ntimes++] = (struct ltk_time_count){ t, 1 };
    return LTK_OK;
}

/* ---- the aggregate ----------------------------------------------------- */

/* One endpoint (or the total) in one interval.  While the interval is open
 * its times are kept as values; closing it computes the percentiles by the
 * run's method and frees them, so memory follows the reordering window, not
 * the number of rows. */
struct cell {
    uint64_t requests, failures;
    double min, max;             /* of the times, ms */
    ltk_u128 sum_ns;             /* their sum in whole ns (exact, order-free) */
    double *values;              /* times while open */
    uint32_t nvalues, capvalues;
    double *pct;                 /* percentiles once closed; NULL: none */
    struct ltk_shist *hist;      /* for a summary: the histogram once closed */
    uint64_t late;               /* requests counted after the interval closed */
};

struct entry {
    char *method, *name;
    size_t mlen, nlen;
    uint64_t hash;               /* entry_hash of method and name */
    struct ltk_hist *hist;
    /* The successful requests' times: hist less fail_hist, made at the end
     * (agg_end); while reading only the failures are added to a second
     * histogram (a few per cent of the rows, where adding every success
     * was a second cache miss a row), and the successes' min and max kept. */
    struct ltk_hist *ok_hist;
    struct ltk_hist *fail_hist;
    double ok_min, ok_max;       /* of the successes (none: ok_min NAN) */
    struct ltk_status_list status;
    uint64_t *ok_le;             /* successes at or under each of opt->cuts */
    struct ltk_hist *timing[LTK_TIMING_N];  /* made at the first value of each */
    uint64_t requests, failures;
    double bytes;                /* sum of response sizes */
    uint64_t nbytes;             /* requests with a size */
};

struct interval {
    int64_t idx;                 /* its start / the interval length */
    /* Only the cells with requests, their entries ascending in entry[]
     * (memory follows the requests, not intervals x names); or, while open
     * with requests of more than an eighth of the entries, dense: a cell
     * per entry, by entry index (cell_of). */
    struct cell *cells;
    size_t *entry;               /* NULL when dense */
    size_t ncells, capcells;
    struct cell total;
    int64_t users;               /* the most users a row in it said were running; -1 none */
    uint64_t status[LTK_SC_N];   /* its requests per HTTP status class, read or inferred */
    bool closed;
    bool dense;
};

struct fgroup {
    char *method, *name, *error;
    uint64_t occurrences;
    int code;                    /* the HTTP status its text names, -1 none */
};

static void agg_release(struct agg *a)
{
    free(a->times);
    for (size_t i = 0; i < a->nentries; i++) {
        free(a->entries[i].method);
        free(a->entries[i].name);
        ltk_hist_free(a->entries[i].hist);
        ltk_hist_free(a->entries[i].ok_hist);
        ltk_hist_free(a->entries[i].fail_hist);
        ltk_status_release(&a->entries[i].status);
        free(a->entries[i].ok_le);
        for (int k = 0; k < LTK_TIMING_N; k++)
            ltk_hist_free(a->entries[i].timing[k]);
    }
    free(a->entries);
    free(a->eslot);
    ltk_hist_free(a->total);
    ltk_hist_free(a->total_ok);
    for (int k = 0; k < LTK_TIMING_N; k++)
        ltk_hist_free(a->total_timing[k]);
    for (size_t i = 0; i < a->nignored_cols; i++)
        free(a->ignored_cols[i]);
    free(a->ignored_cols);
    for (size_t i = 0; i < a->nignored_metrics; i++)
        free(a->ignored_metrics[i]);
    free(a->ignored_metrics);
    for (size_t i = 0; i < a->ngroups; i++) {
        free(a->groups[i].method);
        free(a->groups[i].name);
        free(a->groups[i].error);
    }
    free(a->groups);
    strmap_release(&a->groupmap);
    for (size_t i = 0; i < a->niv; i++) {
        for (size_t c = 0; c < a->iv[i].ncells; c++) {
            free(a->iv[i].cells[c].values);
            free(a->iv[i].cells[c].pct);
            ltk_shist_release(a->iv[i].cells[c].hist);
            free(a->iv[i].cells[c].hist);
        }
        free(a->iv[i].cells);
        free(a->iv[i].entry);
        free(a->iv[i].total.values);
        free(a->iv[i].total.pct);
        ltk_shist_release(a->iv[i].total.hist);
        free(a->iv[i].total.hist);
    }
    free(a->iv);
    free(a->ivmap);
    free(a->open);
    ltk_rawlog_pending_clear(&a->pend);
    ltk_buf_release(&a->key);
    for (int r = 0; r < COL_N; r++)
        free(a->colname[r]);
}

/* The key "method\0name[\0error]" in a->key. */
static void make_key(struct agg *a, const char *method, const char *name, const char *error)
{
    ltk_buf_reset(&a->key);
    ltk_buf_append(&a->key, method, strlen(method) + 1);
    ltk_buf_append(&a->key, name, strlen(name) + (error ? 1 : 0));
    if (error)
        ltk_buf_puts(&a->key, error);
}

/* Endpoints are looked up once per row: by a hash of method and name taken
 * from the fields as they are (no key built), in an open-addressing table. */
static uint64_t entry_hash(const char *method, size_t mlen, const char *name, size_t nlen)
{
    return hash_seeded(hash_seeded(0, method, mlen), name, nlen);
}

/* The entry of (method, name), or -1 with *slot the empty slot for it. */
static long entry_find(const struct agg *a, const char *method, size_t mlen, const char *name, size_t nlen,
                       uint64_t h, size_t *slot)
{
    *slot = 0;
    if (!a->ecap)
        return -1;
    size_t i = (size_t)h & (a->ecap - 1);
    for (uint32_t v; (v = a->eslot[i]) != 0; i = (i + 1) & (a->ecap - 1)) {
        const struct entry *e = &a->entries[v - 1];
        if (e->hash == h && e->nlen == nlen && e->mlen == mlen && memcmp(e->name, name, nlen) == 0 &&
            memcmp(e->method, method, mlen) == 0)
            return (long)(v - 1);
    }
    *slot = i;
    return -1;
}

/* Doubles the table when the entries would fill half of it. */
static int entry_table_room(struct agg *a)
{
    if ((a->nentries + 1) * 2 <= a->ecap)
        return LTK_OK;
    size_t ncap = a->ecap ? 2 * a->ecap : 64;
    if (ncap > UINT32_MAX)
        return LTK_ENOMEM;
    uint32_t *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return LTK_ENOMEM;
    for (size_t k = 0; k < a->ecap; k++) {
        uint32_t v = a->eslot[k];
        if (!v)
            continue;
        size_t i = (size_t)a->entries[v - 1].hash & (ncap - 1);
        while (ns[i])
            i = (i + 1) & (ncap - 1);
        ns[i] = v;
    }
    free(a->eslot);
    a->eslot = ns;
    a->ecap = ncap;
    return LTK_OK;
}

/* A new entry; indexed by (method, name) when index is set (the "(other)"
 * row is not: a real endpoint may bear that name). */
static int new_entry(struct agg *a, const char *method, size_t mlen, const char *name, size_t nlen, bool index,
                     size_t *idx)
{
    if (a->nentries == a->capentries) {
        size_t ncap = a->capentries ? 2 * a->capentries : 16;
        struct entry *ne = realloc(a->entries, ncap * sizeof *ne);
        if (!ne)
            return LTK_ENOMEM;
        a->entries = ne;
        a->capentries = ncap;
    }
    if (index && entry_table_room(a))
        return LTK_ENOMEM;
    struct entry e = { .method = ltk_strndup(method, mlen), .name = ltk_strndup(name, nlen),
                       .mlen = mlen, .nlen = nlen, .hash = entry_hash(method, mlen, name, nlen),
                       .ok_min = NAN, .ok_max = NAN };
    if (!e.method || !e.name || ltk_hist_new(a->opt->method, &e.hist) || ltk_hist_new(a->opt->method, &e.fail_hist) ||
        (a->opt->ncuts && !(e.ok_le = calloc(a->opt->ncuts, sizeof *e.ok_le)))) {
        free(e.method);
        free(e.name);
        ltk_hist_free(e.hist);
        ltk_hist_free(e.fail_hist);
        return LTK_ENOMEM;
    }
    *idx = a->nentries;
    a->entries[a->nentries++] = e;
    if (index) {
        size_t slot;
        entry_find(a, method, mlen, name, nlen, e.hash, &slot);
        a->eslot[slot] = (uint32_t)(*idx + 1);
    }
    return LTK_OK;
}

static int entry_for(struct agg *a, const char *method, size_t mlen, const char *name, size_t nlen, size_t *idx)
{
    size_t slot;
    long found = entry_find(a, method, mlen, name, nlen, entry_hash(method, mlen, name, nlen), &slot);
    if (found >= 0) {
        *idx = (size_t)found;
        return LTK_OK;
    }
    if (a->nentries - (a->other >= 0 ? 1 : 0) >= a->opt->max_names) {
        if (a->other < 0) {
            size_t o;
            int rc = new_entry(a, "", 0, "(other)", strlen("(other)"), false, &o);
            if (rc)
                return rc;
            a->other = (long)o;
        }
        a->other_requests++;
        *idx = (size_t)a->other;
        return LTK_OK;
    }
    return new_entry(a, method, mlen, name, nlen, true, idx);
}

/* Counts a failure in its group; *code is the HTTP status its text names
 * (-1 none), worked out once per group. */
static int add_failure(struct agg *a, const char *method, const char *name, const char *error, int *code)
{
    if (a->ngroups >= MAX_FAILURE_GROUPS) {
        *code = ltk_status_from_text(error);
        method = "";
        name = "(other)";
        error = "(further distinct errors)";
    }
    make_key(a, method, name, error);
    if (a->key.failed)
        return LTK_ENOMEM;
    bool found;
    size_t v = a->ngroups;
    int rc = strmap_get(&a->groupmap, a->key.data, a->key.len, &v, &found, false);
    if (rc)
        return rc;
    if (found) {
        a->groups[v].occurrences++;
        if (a->ngroups < MAX_FAILURE_GROUPS)
            *code = a->groups[v].code;
        return LTK_OK;
    }
    if (a->ngroups == a->capgroups) {
        size_t ncap = a->capgroups ? 2 * a->capgroups : 16;
        struct fgroup *ng = realloc(a->groups, ncap * sizeof *ng);
        if (!ng)
            return LTK_ENOMEM;
        a->groups = ng;
        a->capgroups = ncap;
    }
    *code = ltk_status_from_text(error);
    struct fgroup g = { ltk_strdup(method), ltk_strdup(name), ltk_strdup(error), 1, *code };
    if (!g.method || !g.name || !g.error) {
        free(g.method);
        free(g.name);
        free(g.error);
        return LTK_ENOMEM;
    }
    a->groups[a->ngroups] = g;
    v = a->ngroups++;
    make_key(a, method, name, error);
    return a->key.failed ? LTK_ENOMEM : strmap_get(&a->groupmap, a->key.data, a->key.len, &v, &found, true);
}

static size_t iv_hash(int64_t idx, size_t cap)
{
    uint64_t h = (uint64_t)idx * 0x9E3779B97F4A7C15ULL;
    return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

/* The position in a->iv of the interval numbered idx, SIZE_MAX when it has
 * no rows yet: the last row's interval (most rows), else through the map. */
static size_t iv_find(const struct agg *a, int64_t idx)
{
    if (a->niv && a->iv[a->ivlast].idx == idx)
        return a->ivlast;
    if (!a->capmap)
        return SIZE_MAX;
    for (size_t s = iv_hash(idx, a->capmap); a->ivmap[s]; s = (s + 1) & (a->capmap - 1))
        if (a->iv[a->ivmap[s] - 1].idx == idx)
            return a->ivmap[s] - 1;
    return SIZE_MAX;
}

/* Adds the empty interval idx (not there yet) at position a->niv.  Returns
 * LTK_OK, LTK_ENOMEM, or LTK_ELIMIT past MAX_INTERVALS. */
static int iv_add(struct agg *a, int64_t idx, bool track_open)
{
    if (a->niv >= MAX_INTERVALS)
        return LTK_ELIMIT;
    if (a->niv == a->capiv) {
        size_t ncap = a->capiv ? 2 * a->capiv : 16;
        struct interval *ni = realloc(a->iv, ncap * sizeof *ni);
        if (!ni)
            return LTK_ENOMEM;
        a->iv = ni;
        a->capiv = ncap;
    }
    if ((a->niv + 1) * 2 > a->capmap) {
        size_t ncap = a->capmap ? 2 * a->capmap : 64;
        size_t *nm = calloc(ncap, sizeof *nm);
        if (!nm)
            return LTK_ENOMEM;
        for (size_t i = 0; i < a->niv; i++) {
            size_t s = iv_hash(a->iv[i].idx, ncap);
            while (nm[s])
                s = (s + 1) & (ncap - 1);
            nm[s] = i + 1;
        }
        free(a->ivmap);
        a->ivmap = nm;
        a->capmap = ncap;
    }
    if (track_open && a->nopen == a->capopen) {
        size_t ncap = a->capopen ? 2 * a->capopen : 16;
        size_t *no = realloc(a->open, ncap * sizeof *no);
        if (!no)
            return LTK_ENOMEM;
        a->open = no;
        a->capopen = ncap;
    }
    if (a->niv == 0) {
        a->ivlo = a->ivhi = idx;
        a->closed_below = INT64_MIN;
    }
    size_t pos = a->niv++;
    memset(&a->iv[pos], 0, sizeof a->iv[pos]);
    a->iv[pos].idx = idx;
    a->iv[pos].users = -1;
    /* below closed_below its rows are late (no times kept): closed at once,
     * it keeps only the cells it gets */
    a->iv[pos].closed = track_open && idx < a->closed_below;
    size_t s = iv_hash(idx, a->capmap);
    while (a->ivmap[s])
        s = (s + 1) & (a->capmap - 1);
    a->ivmap[s] = pos + 1;
    if (idx < a->ivlo)
        a->ivlo = idx;
    if (idx > a->ivhi)
        a->ivhi = idx;
    if (track_open && idx >= a->closed_below) {
        /* open: rows come nearly in time order, so it goes last or near it */
        size_t k = a->nopen++;
        while (k > 0 && a->iv[a->open[k - 1]].idx > idx) {
            a->open[k] = a->open[k - 1];
            k--;
        }
        a->open[k] = pos;
    }
    a->ivlast = pos;
    return LTK_OK;
}

/* The interval holding ts, made when it has no rows yet. */
static int interval_for(struct agg *a, double ts, long line, struct interval **out,
                        struct ltk_error *err)
{
    int64_t idx = (int64_t)floor(ts / (double)a->opt->interval_s);
    size_t pos = iv_find(a, idx);
    if (pos == SIZE_MAX) {
        int rc = iv_add(a, idx, true);
        if (rc == LTK_ELIMIT)
            return ltk_error_set(err, LTK_ELIMIT, a->file, line, 0,
                                 "requests in more than %zu intervals of %llds (use a larger --interval)",
                                 (size_t)MAX_INTERVALS, (long long)a->opt->interval_s);
        if (rc)
            return ltk_rawlog_oom(a, line, err);
        pos = a->niv - 1;
    }
    a->ivlast = pos;
    *out = &a->iv[pos];
    return LTK_OK;
}

/* The entry of iv's cell c. */
static size_t cell_entry(const struct interval *iv, size_t c)
{
    return iv->dense ? c : iv->entry[c];
}

/* The cell of entry e in iv (made empty when new): by index when dense,
 * else found or put in its place among the few.  An open interval turns
 * dense when an eighth of the entries have requests in it (at most eight
 * times the memory of its cells, and no search for its further rows).
 * NULL: out of memory. */
static struct cell *cell_of(const struct agg *a, struct interval *iv, size_t e)
{
    if (!iv->dense) {
        size_t lo = 0, hi = iv->ncells;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (iv->entry[mid] < e)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < iv->ncells && iv->entry[lo] == e)
            return &iv->cells[lo];
        if (iv->closed || (iv->ncells + 1) * 8 <= a->nentries) {
            if (iv->ncells == iv->capcells) {
                size_t ncap = iv->capcells ? 2 * iv->capcells : 1;
                struct cell *nc = realloc(iv->cells, ncap * sizeof *nc);
                if (!nc)
                    return NULL;
                iv->cells = nc;
                size_t *ne = realloc(iv->entry, ncap * sizeof *ne);
                if (!ne)
                    return NULL;
                iv->entry = ne;
                iv->capcells = ncap;
            }
            memmove(iv->cells + lo + 1, iv->cells + lo, (iv->ncells - lo) * sizeof *iv->cells);
            memmove(iv->entry + lo + 1, iv->entry + lo, (iv->ncells - lo) * sizeof *iv->entry);
            memset(&iv->cells[lo], 0, sizeof iv->cells[lo]);
            iv->entry[lo] = e;
            iv->ncells++;
            return &iv->cells[lo];
        }
        /* dense from now on */
        struct cell *nc = calloc(a->nentries, sizeof *nc);
        if (!nc)
            return NULL;
        for (size_t c = 0; c < iv->ncells; c++)
            nc[iv->entry[c]] = iv->cells[c];
        free(iv->cells);
        free(iv->entry);
        iv->cells = nc;
        iv->entry = NULL;
        iv->ncells = iv->capcells = a->nentries;
        iv->dense = true;
    }
    if (iv->ncells < a->nentries) {
        struct cell *nc = realloc(iv->cells, a->nentries * sizeof *nc);
        if (!nc)
            return NULL;
        memset(nc + iv->ncells, 0, (a->nentries - iv->ncells) * sizeof *nc);
        iv->cells = nc;
        iv->ncells = iv->capcells = a->nentries;
    }
    return &iv->cells[e];
}

/* The cell's summary histogram, made empty when it has none yet. */
static struct ltk_shist *cell_hist(struct cell *c)
{
    if (!c->hist && (c->hist = malloc(sizeof *c->hist))) {
        memset(c->hist, 0, sizeof *c->hist);
        c->hist->min = c->hist->max = NAN;
    }
    return c->hist;
}

/* A summary's closed cell takes a late time into its histogram: its key
 * put in place (once a whole histogram of the one time, 6 KB for hdr, and a
 * merge into a new copy of the keys: four times the cost of a row in time
 * order). */
static int shist_add_one(struct ltk_shist *sh, enum ltk_hist_method m, double ms)
{
    if (!sh)
        return LTK_ENOMEM;
    double key = ltk_hist_key_of(m, ms);
    size_t lo = 0, hi = sh->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sh->keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < sh->n && sh->keys[lo] == key) {
        sh->counts[lo]++;
    } else {
        double *nk = realloc(sh->keys, (sh->n + 1) * sizeof *nk);
        if (!nk)
            return LTK_ENOMEM;
        sh->keys = nk;
        uint64_t *nc = realloc(sh->counts, (sh->n + 1) * sizeof *nc);
        if (!nc)
            return LTK_ENOMEM;
        sh->counts = nc;
        memmove(sh->keys + lo + 1, sh->keys + lo, (sh->n - lo) * sizeof *sh->keys);
        memmove(sh->counts + lo + 1, sh->counts + lo, (sh->n - lo) * sizeof *sh->counts);
        sh->keys[lo] = key;
        sh->counts[lo] = 1;
        sh->n++;
    }
    if (!sh->count || ms < sh->min)
        sh->min = ms;
    if (!sh->count || ms > sh->max)
        sh->max = ms;
    sh->count++;
    sh->sum_ns += ltk_hist_ms_to_ns(ms);
    return LTK_OK;
}

/* Counts a time in a cell; keeps the time itself while the interval is open
 * unless the cell is an interval's total (whose times are its endpoints'). */
static int cell_add(const struct agg *a, struct cell *c, double ms, bool ok, bool closed, bool keep)
{
    if (closed && a->summary) {
        /* a summary's interval total has no histogram: it is its cells' */
        if (keep && shist_add_one(cell_hist(c), a->opt->method, ms))
            return LTK_ENOMEM;
    } else if (closed) {
        c->late++;
    } else if (keep) {
        if (c->nvalues == c->capvalues) {
            if (c->capvalues >= (UINT32_C(1) << 31))
                return LTK_ENOMEM;    /* 2^31 times in one interval and endpoint */
            size_t ncap = c->capvalues ? 2 * (size_t)c->capvalues : 8;
            double *nv = realloc(c->values, ncap * sizeof *nv);
            if (!nv)
                return LTK_ENOMEM;
            c->values = nv;
            c->capvalues = (uint32_t)ncap;
        }
        c->values[c->nvalues++] = ms;
    }
    if (!c->requests || ms < c->min)
        c->min = ms;
    if (!c->requests || ms > c->max)
        c->max = ms;
    c->sum_ns += ltk_hist_ms_to_ns(ms);
    c->requests++;
    if (!ok)
        c->failures++;
    return LTK_OK;
}

/* Hoare's partition of v[0..n) (n > 2, no NaN) around the median of its
 * first, middle and last values: returns m with v[0..m) <= pivot <= v[m..n),
 * 0 < m < n. */
static inline size_t partition(double *v, size_t n)
{
    double a = v[0], b = v[n / 2], c = v[n - 1];
    double p = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
    size_t i = 0, j = n - 1;
    for (;;) {
        while (v[i] < p)
            i++;
        while (v[j] > p)
            j--;
        if (i >= j)
            break;
        double t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
    }
    return j + 1;
}

/* Sorts n doubles (no NaN) ascending: quicksort with median of three,
 * insertion sort below 16; several times faster than qsort's callback. */
static void sort_doubles(double *v, size_t n)
{
    while (n > 16) {
        size_t left = partition(v, n); /* recurse into the smaller part */
        if (left < n - left) {
            sort_doubles(v, left);
            v += left;
            n -= left;
        } else {
            sort_doubles(v + left, n - left);
            n = left;
        }
    }
    for (size_t i = 1; i < n; i++) {
        double t = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > t) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = t;
    }
}

/* Puts the order statistics of v[lo..hi) at the positions r[0..nr)
 * (ascending, in [lo, hi)): afterwards v[x] is what sorting would put there,
 * for each x in r.  Quickselect for several positions at once: a partition
 * goes on only into the parts holding a wanted position, the smaller one by
 * recursion. */
static void select_ranks(double *v, size_t lo, size_t hi, const size_t *r, size_t nr)
{
    while (nr && hi - lo > 16) {
        double *w = v + lo;
        size_t n = hi - lo;
        size_t mid = lo + partition(w, n), k = 0;   /* [lo, mid) <= pivot <= [mid, hi) */
        while (k < nr && r[k] < mid)
            k++;
        if (k == 0) {
            lo = mid;
        } else if (k == nr) {
            hi = mid;
        } else if (mid - lo < hi - mid) {
            select_ranks(v, lo, mid, r, k);
            r += k;
            nr -= k;
            lo = mid;
        } else {
            select_ranks(v, mid, hi, r + k, nr - k);
            nr = k;
            hi = mid;
        }
    }
    if (nr)
        sort_doubles(v + lo, hi - lo);
}

/* The positions ltk_hist_quantile_sorted reads for the run's percentiles of
 * n values, ascending and distinct, into r (room for nq + 2). */
static size_t wanted_ranks(const struct agg *a, size_t n, size_t *r)
{
    size_t k = 0;
    r[k++] = 0;
    r[k++] = n - 1;
    for (size_t i = 0; i < a->nq; i++)
        r[k++] = ltk_hist_quantile_index(a->opt->method, n, a->q[i]);
    for (size_t i = 1; i < k; i++) {        /* insertion sort: few */
        size_t t = r[i], j = i;
        while (j > 0 && r[j - 1] > t) {
            r[j] = r[j - 1];
            j--;
        }
        r[j] = t;
    }
    size_t out = 0;
    for (size_t i = 0; i < k; i++)
        if (!out || r[out - 1] != r[i])
            r[out++] = r[i];
    return out;
}

/* Computes a cell's percentiles (or, for a summary, its histogram) from its
 * n values by the run's method: for a summary sorted, for percentiles with
 * the positions ltk_hist_quantile_sorted reads selected (select_ranks).  Sorting the few values of one
 * interval gives what a histogram of them would (ltk_hist_quantile_sorted),
 * far cheaper than building one. */
static int cell_finish(struct agg *a, struct cell *c, const double *v, size_t n)
{
    if (!n)
        return LTK_OK;
    if (a->summary)
        return cell_hist(c) ? ltk_shist_from_sorted(c->hist, a->opt->method, v, n) : LTK_ENOMEM;
    if (a->nq && !(c->pct = malloc(a->nq * sizeof *c->pct)))
        return LTK_ENOMEM;
    for (size_t k = 0; k < a->nq; k++)
        c->pct[k] = ltk_hist_quantile_sorted(a->opt->method, v, n, a->q[k]);
    return LTK_OK;
}

/* Closes an interval: each endpoint's cell from its values, and for a
 * run the total's percentiles from all of them (not kept twice while the
 * interval was open; a summary's total is its cells' union, not kept).
 * Percentiles need only a few order statistics: those are selected, not
 * sorted; a summary's histograms need every value in order: sorted. */
static int interval_close(struct agg *a, struct interval *iv)
{
    int rc = LTK_OK;
    size_t n = 0;
    size_t *ranks = malloc((a->nq + 2) * sizeof *ranks);
    if (!ranks)
        return LTK_ENOMEM;
    for (size_t c = 0; c < iv->ncells; c++) {
        struct cell *x = &iv->cells[c];
        if (!x->nvalues)
            continue;
        n += x->nvalues;
        if (a->summary)
            sort_doubles(x->values, x->nvalues);
        else
            select_ranks(x->values, 0, x->nvalues, ranks, wanted_ranks(a, x->nvalues, ranks));
        if (rc == LTK_OK)
            rc = cell_finish(a, x, x->values, x->nvalues);
    }
    double *all = n && !a->summary ? malloc(n * sizeof *all) : NULL;
    if (n && !a->summary && !all)
        rc = LTK_ENOMEM;
    if (rc == LTK_OK && all) {
        size_t off = 0;
        for (size_t c = 0; c < iv->ncells; c++) {
            struct cell *x = &iv->cells[c];
            if (!x->nvalues)
                continue;
            memcpy(all + off, x->values, x->nvalues * sizeof *all);
            off += x->nvalues;
        }
        select_ranks(all, 0, n, ranks, wanted_ranks(a, n, ranks));
        rc = cell_finish(a, &iv->total, all, n);
    }
    free(ranks);
    free(all);
    for (size_t c = 0; c < iv->ncells; c++) {
        free(iv->cells[c].values);
        iv->cells[c].values = NULL;
        iv->cells[c].nvalues = iv->cells[c].capvalues = 0;
    }
    /* closed: only the cells with requests stay (those without hold nothing
     * to free), with their entries, in new arrays (shrunk in place, each
     * interval's whole array would leave a hole just too small for the
     * next one's) */
    if (!iv->dense) {
        iv->closed = true;
        return rc;
    }
    size_t k = 0;
    for (size_t c = 0; c < iv->ncells; c++)
        k += iv->cells[c].requests > 0;
    size_t *entry = k ? malloc(k * sizeof *entry) : NULL;
    struct cell *kept = k ? malloc(k * sizeof *kept) : NULL;
    if (k && (!entry || !kept)) {
        free(entry);
        free(kept);
        rc = LTK_ENOMEM;
    }
    if (rc == LTK_OK) {
        k = 0;
        for (size_t c = 0; c < iv->ncells; c++) {
            if (!iv->cells[c].requests)
                continue;
            kept[k] = iv->cells[c];
            entry[k++] = c;
        }
        free(iv->cells);
        iv->cells = kept;
        iv->entry = entry;
        iv->ncells = iv->capcells = k;
        iv->dense = false;
    }
    iv->closed = true;
    return rc;
}

static int cmp_interval(const void *x, const void *y)
{
    const struct interval *a = x, *b = y;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

/* Closes every interval that ended more than LTK_RAWLOG_REORDER_S before
 * the latest timestamp seen (all of them when final, and then puts them in
 * time order: nothing is looked up after that). */
static int close_intervals(struct agg *a, bool final)
{
    if (final) {
        /* a split read leaves intervals open below closed_below (the second
         * part's first ones, and the first part's last ones once merged) */
        for (size_t i = 0; i < a->niv; i++)
            if (!a->iv[i].closed && interval_close(a, &a->iv[i]))
                return LTK_ENOMEM;
        a->closed_below = a->ivhi + 1;
        bool sorted = true;
        for (size_t i = 1; i < a->niv && sorted; i++)
            sorted = a->iv[i - 1].idx < a->iv[i].idx;
        if (!sorted)
            qsort(a->iv, a->niv, sizeof *a->iv, cmp_interval);
        free(a->ivmap);
        free(a->open);
        a->ivmap = a->open = NULL;
        a->capmap = a->nopen = a->capopen = 0;
        a->ivlast = 0;
        return LTK_OK;
    }
    int64_t below = (int64_t)floor((a->tmax - LTK_RAWLOG_REORDER_S) / (double)a->opt->interval_s);
    if (below <= a->closed_below)
        return LTK_OK;
    /* the open intervals numbered below it: the first of a->open */
    size_t k = 0;
    for (; k < a->nopen && a->iv[a->open[k]].idx < below; k++) {
        struct interval *iv = &a->iv[a->open[k]];
        if (!iv->closed && iv->idx >= a->keep_open_below && interval_close(a, iv)) {
            memmove(a->open, a->open + k, (a->nopen - k) * sizeof *a->open);
            a->nopen -= k;
            return LTK_ENOMEM;
        }
    }
    memmove(a->open, a->open + k, (a->nopen - k) * sizeof *a->open);
    a->nopen -= k;
    a->closed_below = below;
    return LTK_OK;
}

int ltk_rawlog_add_row(struct agg *a, const struct row *r, long line, struct ltk_error *err)
{
    if (!(r->ms < LTK_HIST_MAX_MS))
        return ltk_error_set(err, LTK_EFORMAT, a->file, line, a->col[COL_TIME] + 1,
                             "response time %g ms is beyond the largest accepted (2^43 ms)", r->ms);
    char *folded = NULL;
    const char *name = r->name;
    size_t nlen = r->nlen;
    if (a->opt->fold) {
        if (!(folded = ltk_rawlog_fold_name(name)))
            return ltk_rawlog_oom(a, line, err);
        name = folded;
        nlen = strlen(folded);
    }
    size_t idx;
    int code = -1;
    int rc = entry_for(a, r->method, r->mlen, name, nlen, &idx);
    if (rc == LTK_OK && !r->ok) {
        const struct entry *e = &a->entries[idx];
        rc = add_failure(a, e->method, e->name, r->error, &code);
    }
    free(folded);
    if (rc)
        return ltk_rawlog_oom(a, line, err);
    struct entry *e = &a->entries[idx];
    /* the total's histogram is the sum of the endpoints': agg_end */
    if (ltk_hist_add(e->hist, r->ms))
        return ltk_rawlog_oom(a, line, err);
    e->requests++;
    a->rows++;
    if (!r->ok) {
        if (ltk_hist_add(e->fail_hist, r->ms))
            return ltk_rawlog_oom(a, line, err);
        e->failures++;
        a->total_failures++;
    } else {
        if (!(r->ms >= e->ok_min))      /* also the first: NAN */
            e->ok_min = r->ms;
        if (!(r->ms <= e->ok_max))
            e->ok_max = r->ms;
        for (size_t k = 0; k < a->opt->ncuts; k++)
            e->ok_le[k] += r->ms <= a->opt->cuts[k];
    }
    for (int k = 0; k < LTK_TIMING_N; k++) {
        if (isnan(r->timing[k]))
            continue;
        if ((!e->timing[k] && ltk_hist_new(a->opt->method, &e->timing[k])) || ltk_hist_add(e->timing[k], r->timing[k]))
            return ltk_rawlog_oom(a, line, err);
    }
    if (r->has_status) {
        a->status_read = true;
        if (ltk_status_add(&e->status, r->status, 1, 0))
            return ltk_rawlog_oom(a, line, err);
        code = r->status;
    } else if (code >= 0 && ltk_status_add(&e->status, code, 0, 1)) {
        return ltk_rawlog_oom(a, line, err);
    }
    if (!isnan(r->bytes)) {
        if (r->bytes != floor(r->bytes))
            a->frac_bytes = true;
        e->bytes += r->bytes;
        e->nbytes++;
        a->total_bytes += r->bytes;
        a->total_nbytes++;
    }
    if (isnan(r->ts)) {
        a->no_ts++;
        return LTK_OK;
    }
    if (a->rows - a->no_ts == 1 || r->ts < a->tmin)
        a->tmin = r->ts;
    if (a->rows - a->no_ts == 1 || r->ts > a->tmax)
        a->tmax = r->ts;
    if (a->times_only)
        return probe_time(a, r->ts) ? ltk_rawlog_oom(a, line, err) : LTK_OK;
    struct interval *iv = NULL;
    if ((rc = interval_for(a, r->ts, line, &iv, err)))
        return rc;
    if (a->first_idx == INT64_MIN) {
        a->first_idx = (int64_t)floor(r->ts / (double)a->opt->interval_s);
        if (a->keep_open_below == INT64_MAX)    /* asked for: see read_split */
            a->keep_open_below = a->first_idx + SPLIT_KEEP_OPEN_S / a->opt->interval_s + 2;
    }
    if (!isnan(r->users)) {
        a->users_rows++;
        if ((int64_t)r->users > iv->users)
            iv->users = (int64_t)r->users;
    }
    struct cell *cell = cell_of(a, iv, idx);
    if (!cell)
        return ltk_rawlog_oom(a, line, err);
    if (code >= 0)
        iv->status[ltk_status_class_of(code)]++;
    bool late = iv->closed || (int64_t)floor(r->ts / (double)a->opt->interval_s) < a->closed_below;
    if (late && !a->summary && !a->late++)
        a->late_line = line;
    if (cell_add(a, cell, r->ms, r->ok, late, true) || cell_add(a, &iv->total, r->ms, r->ok, late, false) ||
        close_intervals(a, false))
        return ltk_rawlog_oom(a, line, err);
    return LTK_OK;
}

int ltk_rawlog_add_users(struct agg *a, double ts, double users, long line, struct ltk_error *err)
{
    if (isnan(ts) || a->times_only)
        return LTK_OK;
    struct interval *iv = NULL;
    int rc = interval_for(a, ts, line, &iv, err);
    if (rc)
        return rc;
    a->users_rows++;
    if ((int64_t)users > iv->users)
        iv->users = (int64_t)users;
    return close_intervals(a, false) ? ltk_rawlog_oom(a, line, err) : LTK_OK;
}

/* ---- percentiles option -------------------------------------------------- */

int ltk_rawlog_parse_percentiles(const char *spec, double **q, char ***labels, size_t *n,
                                 struct ltk_error *err)
{
    *q = NULL;
    *labels = NULL;
    *n = 0;
    if (!spec)
        spec = "50,66,75,80,90,95,98,99,99.9,99.99,100";
    size_t cap = 1;
    for (const char *p = spec; *p; p++)
        cap += *p == ',';
    double *qq = calloc(cap, sizeof *qq);
    char **ll = calloc(cap, sizeof *ll);
    if (!qq || !ll) {
        free(qq);
        free(ll);
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    }
    size_t k = 0;
    int rc = LTK_OK;
    for (const char *p = spec; rc == LTK_OK;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char item[64];
        double v;
        if (len == 0 || len >= sizeof item) {
            rc = ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "--percentiles: expected percents such as 50,95,99.9");
            break;
        }
        memcpy(item, p, len);
        item[len] = '\0';
        if (ltk_parse_real(item, &v) || !(v > 0 && v <= 100)) {
            rc = ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                               "--percentiles: expected percents in (0, 100], got '%s'", item);
            break;
        }
        /* "99.9" -> strtod("99.9e-2"): the double nearest 0.999, as Locust's
         * literal 0.999 is (v / 100 would give 0.9990000000000001) */
        char buf[32], frac[80];
        snprintf(frac, sizeof frac, "%se-2", item);
        qq[k] = strtod(frac, NULL);
        if (!(ll[k] = ltk_strdup(ltk_format_double(v, buf)))) {
            rc = ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        k++;
        if (!comma)
            break;
        p = comma + 1;
    }
    if (rc) {
        for (size_t i = 0; i < k; i++)
            free(ll[i]);
        free(ll);
        free(qq);
        return rc;
    }
    *q = qq;
    *labels = ll;
    *n = k;
    return LTK_OK;
}

/* ---- into the run -------------------------------------------------------- */

/* Locust orders its table by (name, method). */
static int cmp_entry(const void *x, const void *y)
{
    const struct entry *a = *(const struct entry *const *)x, *b = *(const struct entry *const *)y;
    int c = strcmp(a->name, b->name);
    return c ? c : strcmp(a->method, b->method);
}

/* One history row of a series from an interval's cell (its percentiles
 * were taken when the interval closed). */
static int history_row(struct ltk_run *run, size_t *cap, int64_t ts, int64_t users, double interval,
                       const char *method, const char *name, bool is_total, const struct cell *c, struct ltk_cumul *cu)
{
    struct ltk_interval_counts n = { c->requests, c->failures, c->min, c->max, c->sum_ns };
    if (ltk_run_add_interval(run, cap, cu, ts, users, interval, method, name, is_total, &n))
        return LTK_ENOMEM;
    double *pct = run->history[run->nhistory - 1].pct;
    for (size_t k = 0; k < run->history_pct.n && c->pct; k++)
        pct[k] = c->pct[k];
    return LTK_OK;
}

/* Where the log's own user counts came from ("the log's allThreads
 * column", "k6's vus metric"), malloc'd; NULL with *oom false when it
 * has none. */
static char *users_text(const struct agg *a, bool *oom)
{
    *oom = false;
    if (!a->users_rows)
        return NULL;
    struct ltk_buf b;
    ltk_buf_init(&b);
    if (a->fmt == LTK_RAW_K6)
        ltk_buf_puts(&b, "the log's vus metric");
    else
        ltk_buf_printf(&b, "the log's %s column", a->colname[COL_USERS] ? a->colname[COL_USERS] : "users");
    *oom = b.failed;
    return b.failed ? NULL : b.data;
}

/* Hands a's lists of what was not read to a run or a summary source. */
static void take_ignored(struct agg *a, char ***cols, size_t *ncols, char ***mets, size_t *nmets, bool *more)
{
    *cols = a->ignored_cols;
    *ncols = a->nignored_cols;
    *mets = a->ignored_metrics;
    *nmets = a->nignored_metrics;
    *more = a->ignored_more;
    a->ignored_cols = a->ignored_metrics = NULL;
    a->nignored_cols = a->nignored_metrics = 0;
}

/* Where the run's timings came from, and what the log held that was not
 * read (a's lists pass to the run). */
static int to_run_timing(struct agg *a, struct ltk_run *run)
{
    for (int k = 0; k < LTK_TIMING_N; k++) {
        const char *from = ltk_rawlog_timing_from(ltk_rawlog_format_name(a->fmt), k);
        if (a->timing[k] && from && !(run->timing_from[k] = ltk_strdup(from)))
            return LTK_ENOMEM;
    }
    take_ignored(a, &run->ignored_columns, &run->nignored_columns, &run->ignored_metrics, &run->nignored_metrics,
                 &run->ignored_more);
    return LTK_OK;
}

static int to_run(struct agg *a, struct ltk_run *run, const double *q, char *const *labels, size_t nq)
{
    if (ltk_run_set_percentiles(run, q, labels, nq))
        return LTK_ENOMEM;
    bool oom;
    free(run->users_source);
    run->users_source = users_text(a, &oom);
    if (oom)
        return LTK_ENOMEM;
    double duration = a->rows > a->no_ts ? a->tmax - a->tmin : NAN;
    const struct entry **sorted = malloc((a->nentries ? a->nentries : 1) * sizeof *sorted);
    size_t *order = malloc((a->nentries ? a->nentries : 1) * sizeof *order);
    run->endpoints = calloc(a->nentries ? a->nentries : 1, sizeof *run->endpoints);
    if (!sorted || !order || !run->endpoints) {
        free(sorted);
        free(order);
        return LTK_ENOMEM;
    }
    for (size_t i = 0; i < a->nentries; i++)
        sorted[i] = &a->entries[i];
    qsort(sorted, a->nentries, sizeof *sorted, cmp_entry);
    for (size_t i = 0; i < a->nentries; i++)
        order[i] = (size_t)(sorted[i] - a->entries);
    free(sorted);
    int rc = LTK_OK;
    for (size_t i = 0; i < a->nentries && rc == LTK_OK; i++) {
        const struct entry *e = &a->entries[order[i]];
        rc = ltk_run_fill_endpoint(&run->endpoints[i], run, e->method, e->name, e->hist, e->failures, e->bytes, e->nbytes,
                           duration);
        run->endpoints[i].line = 0;
        run->nendpoints = i + 1;
        if (rc == LTK_OK) {
            /* the distributions and codes go to the run, for tools that test them (ltk compare) */
            struct entry *src = &a->entries[order[i]];
            struct ltk_endpoint *d = &run->endpoints[i];
            d->hist = src->hist;
            d->ok_hist = src->ok_hist;
            d->status = src->status;
            d->ok_le = src->ok_le;
            src->hist = src->ok_hist = NULL;
            src->ok_le = NULL;
            for (int k = 0; k < LTK_TIMING_N; k++) {
                d->timing[k] = src->timing[k];
                src->timing[k] = NULL;
            }
            memset(&src->status, 0, sizeof src->status);
        }
    }
    if (rc == LTK_OK) {
        rc = ltk_run_fill_endpoint(&run->total, run, "", "Aggregated", a->total, a->total_failures, a->total_bytes,
                           a->total_nbytes, duration);
        run->has_total = true;
        if (rc == LTK_OK) {
            run->total.hist = a->total;
            run->total.ok_hist = a->total_ok;
            a->total = a->total_ok = NULL;
            for (int k = 0; k < LTK_TIMING_N; k++) {
                run->total.timing[k] = a->total_timing[k];
                a->total_timing[k] = NULL;
            }
            if (a->opt->ncuts && !(run->total.ok_le = calloc(a->opt->ncuts, sizeof *run->total.ok_le)))
                rc = LTK_ENOMEM;
            for (size_t i = 0; i < run->nendpoints && rc == LTK_OK; i++) {
                const struct ltk_endpoint *e = &run->endpoints[i];
                if (ltk_status_merge(&run->total.status, &e->status))
                    rc = LTK_ENOMEM;
                for (size_t k = 0; k < a->opt->ncuts && e->ok_le; k++)
                    run->total.ok_le[k] += e->ok_le[k];
            }
        }
    }
    run->status_read = a->status_read;
    if (rc == LTK_OK)
        rc = to_run_timing(a, run);
    if (rc == LTK_OK && a->opt->ncuts) {
        if (!(run->cuts = malloc(a->opt->ncuts * sizeof *run->cuts)))
            rc = LTK_ENOMEM;
        else
            memcpy(run->cuts, a->opt->cuts, a->opt->ncuts * sizeof *run->cuts);
        run->ncuts = a->opt->ncuts;
    }
    size_t fcap = 0;
    for (size_t i = 0; i < a->ngroups && rc == LTK_OK; i++)
        rc = ltk_run_add_failure(run, &fcap, a->groups[i].method, a->groups[i].name, a->groups[i].error,
                                 a->groups[i].occurrences);
    /* history: every interval from the first to the last (but for long
     * gaps, LTK_RAWLOG_GAP_S), endpoints that had requests in it (Locust's
     * order), then the total */
    if (rc == LTK_OK && a->niv) {
        struct ltk_cumul *cu = calloc(a->nentries + 1, sizeof *cu);
        /* each entry's place in Locust's order, and an interval's cells in it */
        size_t *rank = malloc((a->nentries ? a->nentries : 1) * sizeof *rank);
        struct ltk_ranked *by = NULL;
        size_t capby = 0;
        size_t cap = 0, capst = 0;
        if (!cu || !rank)
            rc = LTK_ENOMEM;
        for (size_t j = 0; rank && j < a->nentries; j++)
            rank[order[j]] = j;
        static const struct cell none;  /* an interval without requests */
        int64_t len = a->opt->interval_s;
        int64_t users = 0;              /* the log's users, carried until it says again */
        for (size_t i = 0; i < a->niv && rc == LTK_OK; i++) {
            struct interval *iv = &a->iv[i];
            int64_t ts = iv->idx * len;
            double width = ltk_interval_width(ts, len, a->tmax, i + 1 == a->niv);
            /* the empty intervals before it: each, or the first and last of a long gap */
            int64_t from = i ? a->iv[i - 1].idx + 1 : iv->idx;
            bool whole = (iv->idx - from) * len <= LTK_RAWLOG_GAP_S;
            if (!whole) {
                a->gaps++;
                if ((iv->idx - from) * len > a->gap_s) {
                    a->gap_s = (iv->idx - from) * len;
                    a->gap_from = from * len;
                }
            }
            for (int64_t k = from; k < iv->idx && rc == LTK_OK; k = ltk_gap_next(k, iv->idx, 1, whole))
                rc = history_row(run, &cap, k * len, users, len, "", "Aggregated", true, &none, &cu[a->nentries]);
            if (iv->users >= 0)
                users = iv->users;
            /* closed: its cells are those with requests (agg_end) */
            if (rc == LTK_OK && ltk_ranked_reserve(&by, &capby, iv->ncells))
                rc = LTK_ENOMEM;
            for (size_t c = 0; c < iv->ncells && rc == LTK_OK; c++)
                by[c] = (struct ltk_ranked){ rank[cell_entry(iv, c)], c };
            if (rc == LTK_OK)
                ltk_sort_ranked(by, iv->ncells);
            for (size_t c = 0; c < iv->ncells && rc == LTK_OK; c++) {
                size_t k = cell_entry(iv, by[c].pos);
                if (!iv->cells[by[c].pos].requests)
                    continue;
                rc = history_row(run, &cap, ts, users, width, a->entries[k].method, a->entries[k].name, false,
                                 &iv->cells[by[c].pos], &cu[k]);
            }
            if (rc == LTK_OK)
                rc = history_row(run, &cap, ts, users, width, "", "Aggregated", true, &iv->total, &cu[a->nentries]);
            if (rc == LTK_OK && ltk_run_add_status_tick(run, &capst, ts, iv->status))
                rc = LTK_ENOMEM;
            /* done with the interval: its memory goes before the next rows come */
            for (size_t c = 0; c < iv->ncells; c++) {
                free(iv->cells[c].pct);
                iv->cells[c].pct = NULL;
            }
            free(iv->cells);
            free(iv->entry);
            iv->cells = NULL;
            iv->entry = NULL;
            iv->ncells = 0;
        }
        free(cu);
        free(rank);
        free(by);
        run->history_full = true;
        run->history_pct_kind = LTK_HPCT_WINDOW;
        run->history_window_s = a->opt->interval_s;
    }
    free(order);
    return rc;
}

/* Sets up an empty aggregate for path (a->opt, q and nq set). */
static int agg_begin(struct agg *a, const char *path, struct ltk_error *err)
{
    const struct ltk_rawlog_options *opt = a->opt;
    if (opt->interval_s < 1)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "--interval: expected whole seconds >= 1");
    if (opt->max_names < 1)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "--max-names: expected at least 1");
    a->file = path;
    a->other = -1;
    a->first_idx = INT64_MIN;
    if (a->keep_open_below == 0)
        a->keep_open_below = INT64_MIN;
    ltk_buf_init(&a->key);
    if (ltk_hist_new(opt->method, &a->total) || ltk_hist_new(opt->method, &a->total_ok))
        return ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
    return LTK_OK;
}

/* The timings the log has: a histogram of each kind for every endpoint
 * (empty for one whose rows gave none) and their total.  Returns LTK_OK or
 * LTK_ENOMEM. */
static int agg_end_timing(struct agg *a)
{
    for (int k = 0; k < LTK_TIMING_N; k++) {
        if (!a->timing[k])
            continue;
        if (!a->total_timing[k] && ltk_hist_new(a->opt->method, &a->total_timing[k]))
            return LTK_ENOMEM;
        for (size_t i = 0; i < a->nentries; i++) {
            struct entry *e = &a->entries[i];
            if ((!e->timing[k] && ltk_hist_new(a->opt->method, &e->timing[k])) ||
                ltk_hist_merge(a->total_timing[k], e->timing[k]))
                return LTK_ENOMEM;
        }
    }
    return LTK_OK;
}

/* What is left after the last row: k6's last request, the final closing. */
static int agg_end(struct agg *a, const char *path, struct ltk_error *err)
{
    int rc = LTK_OK;
    if (a->fmt == LTK_RAW_K6)
        rc = ltk_rawlog_k6_finish_pending(a, false, false, err);
    if (rc == LTK_OK && a->niv && close_intervals(a, true))
        rc = ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
    for (size_t i = 0; i < a->nentries && rc == LTK_OK; i++) {
        struct entry *e = &a->entries[i];
        /* the successes: all less the failures (exact: the same keys, counts
         * and sum as adding each success) */
        if (ltk_hist_new(a->opt->method, &e->ok_hist) || ltk_hist_merge(e->ok_hist, e->hist) ||
            ltk_hist_subtract(e->ok_hist, e->fail_hist, e->ok_min, e->ok_max) ||
            ltk_hist_merge(a->total, e->hist) || ltk_hist_merge(a->total_ok, e->ok_hist))
            rc = ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
    }
    if (rc == LTK_OK && agg_end_timing(a))
        rc = ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
    return rc;
}

/* ---- progress ------------------------------------------------------------- */

/* Reports progress at most every 4 MB. */
struct progress {
    const struct ltk_rawlog_options *opt;
    uint64_t total, last;
    _Atomic uint64_t *other;     /* bytes the second thread has read, or NULL */
};

static void progress_tick(struct progress *p, uint64_t done)
{
    if (!p || !p->opt->progress)
        return;
    uint64_t all = done + (p->other ? atomic_load(p->other) : 0);
    if (all - p->last < (4u << 20) && all < p->total)
        return;
    p->last = all;
    p->opt->progress(p->opt->progress_ctx, all, p->total);
}

struct gz_src {
    gzFile gz;
    struct progress *prog;
};

static int gz_progress_source(void *src, char *buf, size_t cap, size_t *got, struct ltk_error *err)
{
    struct gz_src *g = src;
    int rc = gz_source(g->gz, buf, cap, got, err);
    if (rc == LTK_OK && g->prog) {
        z_off_t off = gzoffset(g->gz);
        progress_tick(g->prog, off > 0 ? (uint64_t)off : 0);
    }
    return rc;
}

/* Reads the log at path into a with one thread. */
static int read_log_one(struct agg *a, const char *path, struct ltk_error *err)
{
    int rc = agg_begin(a, path, err);
    gzFile gz = NULL;
    if (rc == LTK_OK)
        rc = open_gz(path, &gz, err);
    struct ltk_csv_info info;
    if (rc == LTK_OK) {
        struct progress prog = { a->opt, 0, 0, NULL };
        struct stat st;
        if (stat(path, &st) == 0)
            prog.total = (uint64_t)st.st_size;
        struct gz_src src = { gz, &prog };
        struct ltk_csv_options copt = LTK_CSV_OPTIONS_DEFAULT;
        rc = ltk_csv_read_split(gz_progress_source, &src, path, &copt, true, ltk_rawlog_on_record, a, &info, NULL, err);
        gzclose(gz);
    }
    if (rc == LTK_OK && info.records == 0)
        rc = ltk_error_set(err, LTK_EFORMAT, path, 0, 0, "empty file: no header");
    if (rc == LTK_OK)
        rc = agg_end(a, path, err);
    return rc;
}

/* ---- two threads -------------------------------------------------------- */

/* A plain (not gzip) log is read by two threads when it is large: the first
 * reads from the start to a split point, the second from the split point
 * to the end (after the header), each into its own aggregate; then the
 * second merges into the first.  The result must be what one thread gives,
 * byte for byte, so the split read is used only when that is certain, and
 * otherwise the file is read again by one thread:
 *
 *  - The split point is a line start found from the middle on: the line
 *    after it has no quote and as many commas as the header, so it is very
 *    likely a record.  Whether it really is one (not a line inside a quoted
 *    field, such as a traceback in an exception column) is proven by the
 *    first thread: its part must end without an unterminated quoted field.
 *  - Any error, skipped row, late row in the second part, (other) row,
 *    failure-group cap, or a size with a fraction (a sum of doubles in
 *    another order could round differently) means: read again.
 *  - Intervals.  One thread closes an interval when it sees a time more than
 *    LTK_RAWLOG_REORDER_S after its end; a later row for it is late.  The
 *    first part's state is exact.  The second part's rows must all fall in
 *    intervals the first part had not closed, and the second part keeps its
 *    first intervals (SPLIT_KEEP_OPEN_S) open so they can take the first
 *    part's rows; an
 *    interval both parts have rows in but the second had closed means: read
 *    again.
 */

/* Smallest plain file read by two threads when threads is 0 (auto). */
#define SPLIT_MIN_BYTES ((uint64_t)32 << 20)
/* How far past the middle a split point is looked for. */
#define SPLIT_SEARCH_BYTES ((size_t)8 << 20)

struct range_src {
    int fd;
    uint64_t pos, end;           /* bytes left: [pos, end) */
    uint64_t head_pos, head_end; /* first the header, for the second part */
    uint64_t done;               /* bytes delivered */
    struct progress *prog;       /* first part: report */
    _Atomic uint64_t *publish;   /* second part: where to count its bytes */
};

static int range_source(void *src, char *buf, size_t cap, size_t *got, struct ltk_error *err)
{
    struct range_src *r = src;
    uint64_t *pos = r->head_pos < r->head_end ? &r->head_pos : &r->pos;
    uint64_t end = r->head_pos < r->head_end ? r->head_end : r->end;
    *got = 0;
    if (*pos >= end)
        return LTK_OK;
    size_t want = cap;
    if (end - *pos < want)
        want = (size_t)(end - *pos);
    ssize_t n;
    do {
        n = pread(r->fd, buf, want, (off_t)*pos);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return ltk_error_set(err, LTK_EIO, NULL, 0, 0, "read error: %s", strerror(errno));
    if (n == 0)
        return ltk_error_set(err, LTK_EIO, NULL, 0, 0, "the file shrank while it was read");
    *pos += (uint64_t)n;
    *got = (size_t)n;
    r->done += (uint64_t)n;
    if (r->publish)
        atomic_store(r->publish, r->done);
    progress_tick(r->prog, r->done);
    return LTK_OK;
}

struct header_info {
    enum ltk_rawlog_format fmt;
    size_t nfields;
};

static int header_record(const struct ltk_csv_record *rec, void *ctx, struct ltk_error *err)
{
    (void)err;
    struct header_info *h = ctx;
    h->fmt = ltk_rawlog_header_format(rec);
    h->nfields = rec->nfields;
    return STOP_AFTER_HEADER;
}

/* The split point: the start of a line from mid on whose line holds no quote
 * and nfields - 1 commas, ending before end.  0 when there is none. */
static uint64_t find_split(int fd, uint64_t mid, uint64_t end, size_t nfields)
{
    size_t len = end - mid < SPLIT_SEARCH_BYTES ? (size_t)(end - mid) : SPLIT_SEARCH_BYTES;
    char *buf = malloc(len ? len : 1);
    if (!buf)
        return 0;
    ssize_t n = pread(fd, buf, len, (off_t)mid);
    uint64_t found = 0;
    for (char *p = n > 0 ? memchr(buf, '\n', (size_t)n) : NULL; p && !found;) {
        char *line = p + 1;
        char *nl = memchr(line, '\n', (size_t)(buf + n - line));
        if (!nl)
            break;
        size_t commas = 0;
        bool quote = false;
        for (char *q = line; q < nl; q++) {
            commas += *q == ',';
            quote |= *q == '"';
        }
        if (!quote && commas + 1 == nfields && nl > line)
            found = mid + (uint64_t)(line - buf);
        p = nl;
    }
    free(buf);
    return found;
}

/* The header of the plain log open at fd: *head_end is the end of its
 * first line outside quotes, hi its format (LTK_RAW_NONE when no format ltk
 * knows) and fields.  False when the first 64 KiB hold no such line. */
static bool plain_header(int fd, const char *path, uint64_t *head_end, struct header_info *hi)
{
    *head_end = 0;
    *hi = (struct header_info){ LTK_RAW_NONE, 0 };
    char buf[1 << 16];
    ssize_t n = pread(fd, buf, sizeof buf, 0);
    bool quoted = false;
    for (ssize_t i = 0; i < n && !*head_end; i++) {
        if (buf[i] == '"')
            quoted = !quoted;
        else if (buf[i] == '\n' && !quoted)
            *head_end = (uint64_t)i + 1;
    }
    struct range_src hsrc = { .fd = fd, .pos = 0, .end = *head_end };
    struct ltk_error herr;
    return *head_end && ltk_csv_read_from(range_source, &hsrc, path, NULL, header_record, hi, NULL, &herr) >= 0;
}

struct part {
    struct agg *a;
    struct range_src src;
    struct ltk_error err;
    struct ltk_csv_info info;
    int rc;
};

static void *read_part(void *arg)
{
    struct part *p = arg;
    struct ltk_csv_options copt = LTK_CSV_OPTIONS_DEFAULT;
    p->rc = ltk_csv_read_split(range_source, &p->src, p->a->file, &copt, true, ltk_rawlog_on_record, p->a,
                               &p->info, NULL, &p->err);
    return NULL;
}

enum { READ_AGAIN = 1 };

/* Adds cell s into d (d's values are the first part's). */
static int cell_merge(struct cell *d, struct cell *s)
{
    if (!s->requests)
        return LTK_OK;
    if (!d->values) {
        /* the first part had no times here: take the second's array */
        d->values = s->values;
        d->nvalues = s->nvalues;
        d->capvalues = s->capvalues;
        s->values = NULL;
        s->nvalues = s->capvalues = 0;
    } else if ((size_t)d->nvalues + s->nvalues > d->capvalues) {
        size_t ncap = (size_t)d->nvalues + s->nvalues;
        if (ncap >= (UINT32_C(1) << 31))
            return LTK_ENOMEM;
        double *nv = realloc(d->values, (ncap ? ncap : 1) * sizeof *nv);
        if (!nv)
            return LTK_ENOMEM;
        d->values = nv;
        d->capvalues = (uint32_t)ncap;
    }
    if (s->nvalues) {
        memcpy(d->values + d->nvalues, s->values, s->nvalues * sizeof *s->values);
        d->nvalues += s->nvalues;
    }
    if (!d->requests || s->min < d->min)
        d->min = s->min;
    if (!d->requests || s->max > d->max)
        d->max = s->max;
    d->requests += s->requests;
    d->failures += s->failures;
    d->sum_ns += s->sum_ns;
    d->late += s->late;
    return LTK_OK;
}

/* Merges the second part b into a; READ_AGAIN when the result would not be
 * what one thread gives, LTK_ENOMEM. */
static int agg_merge_split(struct agg *a, struct agg *b)
{
    if (b->skipped || b->late || a->other >= 0 || b->other >= 0 || a->frac_bytes || b->frac_bytes ||
        a->fmt != b->fmt)
        return READ_AGAIN;
    int64_t ca = a->niv ? a->closed_below : INT64_MIN;
    if (b->niv && b->ivlo < ca)
        return READ_AGAIN;           /* rows the first part's state makes late */
    size_t *map = calloc(b->nentries ? b->nentries : 1, sizeof *map);
    if (!map)
        return LTK_ENOMEM;
    int rc = LTK_OK;
    for (size_t i = 0; i < b->nentries && rc == LTK_OK; i++) {
        struct entry *e = &b->entries[i];
        size_t slot, v;
        long found = entry_find(a, e->method, e->mlen, e->name, e->nlen, e->hash, &slot);
        if (found >= 0) {
            v = (size_t)found;
        } else if (a->nentries >= a->opt->max_names) {
            rc = READ_AGAIN;
            break;
        } else if (new_entry(a, e->method, e->mlen, e->name, e->nlen, true, &v)) {
            rc = LTK_ENOMEM;
            break;
        }
        map[i] = v;
        struct entry *d = &a->entries[v];
        if (e->requests > e->failures && !(e->ok_min >= d->ok_min))
            d->ok_min = e->ok_min;
        if (e->requests > e->failures && !(e->ok_max <= d->ok_max))
            d->ok_max = e->ok_max;
        if (ltk_hist_merge(d->hist, e->hist) || ltk_hist_merge(d->fail_hist, e->fail_hist) ||
            ltk_status_merge(&d->status, &e->status)) {
            rc = LTK_ENOMEM;
            break;
        }
        for (int k = 0; k < LTK_TIMING_N && rc == LTK_OK; k++)
            if (e->timing[k] && ((!d->timing[k] && ltk_hist_new(a->opt->method, &d->timing[k])) ||
                                 ltk_hist_merge(d->timing[k], e->timing[k])))
                rc = LTK_ENOMEM;
        if (rc)
            break;
        for (size_t k = 0; k < a->opt->ncuts; k++)
            d->ok_le[k] += e->ok_le[k];
        d->requests += e->requests;
        d->failures += e->failures;
        d->bytes += e->bytes;
        d->nbytes += e->nbytes;
    }
    for (size_t i = 0; i < b->ngroups && rc == LTK_OK; i++) {
        struct fgroup *g = &b->groups[i];
        make_key(a, g->method, g->name, g->error);
        bool found;
        size_t v = a->ngroups;
        if (a->key.failed || strmap_get(&a->groupmap, a->key.data, a->key.len, &v, &found, false)) {
            rc = LTK_ENOMEM;
        } else if (found) {
            a->groups[v].occurrences += g->occurrences;
        } else if (a->ngroups + 1 >= MAX_FAILURE_GROUPS) {
            rc = READ_AGAIN;
        } else {
            if (a->ngroups == a->capgroups) {
                size_t ncap = a->capgroups ? 2 * a->capgroups : 16;
                struct fgroup *ng = realloc(a->groups, ncap * sizeof *ng);
                if (!ng) {
                    rc = LTK_ENOMEM;
                    break;
                }
                a->groups = ng;
                a->capgroups = ncap;
            }
            a->groups[a->ngroups] = *g;
            memset(g, 0, sizeof *g);
            v = a->ngroups++;
            make_key(a, a->groups[v].method, a->groups[v].name, a->groups[v].error);
            if (a->key.failed || strmap_get(&a->groupmap, a->key.data, a->key.len, &v, &found, true))
                rc = LTK_ENOMEM;
        }
    }
    if (rc == LTK_OK && b->niv) {
        if (a->niv + b->niv > MAX_INTERVALS)
            rc = READ_AGAIN;          /* one thread tells whether they are too many */
        for (size_t i = 0; i < b->niv && rc == LTK_OK; i++) {
            struct interval *s = &b->iv[i];
            if (!s->total.requests) {
                size_t at = s->users >= 0 ? iv_find(a, s->idx) : SIZE_MAX;
                if (at != SIZE_MAX && s->users > a->iv[at].users)
                    a->iv[at].users = s->users;   /* users of an interval without requests */
                continue;
            }
            size_t pos = iv_find(a, s->idx);
            if (pos == SIZE_MAX) {
                if (iv_add(a, s->idx, false)) {
                    rc = LTK_ENOMEM;  /* not LTK_ELIMIT: see above */
                    break;
                }
                pos = a->niv - 1;
            }
            struct interval *d = &a->iv[pos];
            if (d->closed) {
                rc = READ_AGAIN;      /* cannot happen: b->ivlo >= ca */
                break;
            }
            if (s->users > d->users)
                d->users = s->users;
            for (int k = 0; k < LTK_SC_N; k++)
                d->status[k] += s->status[k];
            if (s->closed && d->total.requests) {
                rc = READ_AGAIN;      /* both parts' rows, the second's percentiles gone */
                break;
            }
            if (s->closed) {
                /* only the second part's rows: take its closed cells (those
                 * with requests) as they are, renumbered to a's entries and
                 * put in their order */
                struct ltk_ranked *by = malloc((s->ncells ? s->ncells : 1) * sizeof *by);
                struct cell *nc = malloc((s->ncells ? s->ncells : 1) * sizeof *nc);
                size_t *ne = malloc((s->ncells ? s->ncells : 1) * sizeof *ne);
                if (!by || !nc || !ne) {
                    free(by);
                    free(nc);
                    free(ne);
                    rc = LTK_ENOMEM;
                    break;
                }
                for (size_t c = 0; c < s->ncells; c++)
                    by[c] = (struct ltk_ranked){ map[cell_entry(s, c)], c };
                ltk_sort_ranked(by, s->ncells);
                for (size_t c = 0; c < s->ncells; c++) {
                    nc[c] = s->cells[by[c].pos];
                    ne[c] = by[c].rank;
                }
                free(by);
                for (size_t c = 0; c < d->ncells; c++)
                    free(d->cells[c].values);     /* empty: d had no rows */
                free(d->cells);
                free(d->entry);
                d->cells = nc;
                d->entry = ne;
                d->ncells = d->capcells = s->ncells;
                d->dense = false;
                free(s->cells);
                free(s->entry);
                s->cells = NULL;
                s->entry = NULL;
                s->ncells = 0;
                d->total = s->total;
                memset(&s->total, 0, sizeof s->total);
                d->closed = true;
                continue;
            }
            for (size_t c = 0; c < s->ncells && rc == LTK_OK; c++) {
                if (!s->cells[c].requests)
                    continue;         /* d's cells are those with requests */
                struct cell *dc = cell_of(a, d, map[cell_entry(s, c)]);
                rc = dc ? cell_merge(dc, &s->cells[c]) : LTK_ENOMEM;
            }
            if (rc == LTK_OK)
                rc = cell_merge(&d->total, &s->total);
        }
    }
    free(map);
    if (rc)
        return rc;
    if (b->rows > b->no_ts) {
        if (a->rows == a->no_ts || b->tmin < a->tmin)
            a->tmin = b->tmin;
        if (a->rows == a->no_ts || b->tmax > a->tmax)
            a->tmax = b->tmax;
    }
    a->rows += b->rows;
    a->users_rows += b->users_rows;
    a->status_read |= b->status_read;
    a->no_ts += b->no_ts;
    a->total_failures += b->total_failures;
    a->total_bytes += b->total_bytes;
    a->total_nbytes += b->total_nbytes;
    if (b->niv && b->closed_below > a->closed_below)
        a->closed_below = b->closed_below;
    return LTK_OK;
}

/* Tries the two-thread read; READ_AGAIN when one thread must do it. */
static int read_split(struct agg *a, struct agg *b, const char *path, struct ltk_error *err)
{
    const struct ltk_rawlog_options *opt = a->opt;
    if (opt->threads == 1 || opt->columns)
        return READ_AGAIN;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return READ_AGAIN;
    struct stat st;
    unsigned char magic[2] = { 0, 0 };
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || pread(fd, magic, 2, 0) != 2 ||
        (magic[0] == 0x1f && magic[1] == 0x8b) ||
        (opt->threads == 0 && (uint64_t)st.st_size < SPLIT_MIN_BYTES)) {
        close(fd);                   /* gzip cannot be split; small files need no thread */
        return READ_AGAIN;
    }
    uint64_t size = (uint64_t)st.st_size;
    uint64_t head_end;
    struct header_info hi;
    if (!plain_header(fd, path, &head_end, &hi) || hi.fmt == LTK_RAW_NONE || hi.fmt == LTK_RAW_K6) {
        close(fd);                   /* k6 pairs rows across lines: one thread */
        return READ_AGAIN;
    }
    uint64_t split = find_split(fd, size / 2 > head_end ? size / 2 : head_end, size, hi.nfields);
    if (!split || split <= head_end) {
        close(fd);
        return READ_AGAIN;
    }
    int rc = agg_begin(a, path, err);
    b->keep_open_below = INT64_MAX;  /* set at its first row (ltk_rawlog_add_row) */
    if (rc == LTK_OK)
        rc = agg_begin(b, path, err);
    if (rc) {
        close(fd);
        return rc;
    }
    _Atomic uint64_t bdone = 0;
    struct progress prog = { opt, size, 0, &bdone };
    struct part pa = { .a = a, .src = { .fd = fd, .pos = 0, .end = split, .prog = &prog } };
    struct part pb = { .a = b, .src = { .fd = fd, .pos = split, .end = size, .head_pos = 0, .head_end = head_end,
                                        .publish = &bdone } };
    ltk_error_clear(&pa.err);
    ltk_error_clear(&pb.err);
    pthread_t t;
    bool threaded = pthread_create(&t, NULL, read_part, &pb) == 0;
    read_part(&pa);
    if (threaded)
        pthread_join(t, NULL);
    close(fd);
    if (!threaded || pa.rc || pb.rc || pa.info.records == 0)
        return READ_AGAIN;           /* errors are reported by the one-thread read */
    rc = agg_merge_split(a, b);
    if (rc == LTK_ENOMEM)
        return ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
    if (rc)
        return rc;
    return agg_end(a, path, err);
}

/* Reads the log at path into a (a->opt, q and nq set): by two threads when
 * that gives the same result (see above), else by one.  Returns LTK_OK or
 * an error with err filled. */
/* A log without one request has nothing to report: an error, as an empty
 * stats.csv is. */
static int require_rows(const struct agg *a, const char *path, struct ltk_error *err)
{
    if (a->rows)
        return LTK_OK;
    return ltk_error_set(err, LTK_EFORMAT, path, 0, 0, "%s",
                         a->skipped             ? "no requests: every row was malformed (--skip-bad)"
                         : a->fmt == LTK_RAW_K6 ? "no requests: no http_req_duration rows"
                                                : "no requests: a header and no rows (the run made none, or its "
                                                  "log was cut)");
}

/* ---- the automatic interval -------------------------------------------------- */

/* Bytes read at each end of a log to tell its first and last times, and
 * the share of rows at each end of them left out (strays). */
#define PROBE_BYTES ((uint64_t)256 << 10)
#define PROBE_TRIM 0.001

static int cmp_iv_idx(const void *x, const void *y)
{
    const struct interval *a = x, *b = y;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

/* The PROBE_TRIM and 1 - PROBE_TRIM points (nearest rank) of the times of
 * a's rows, by their 1 s intervals: a few stray timestamps do not stretch
 * the span.  Sorts
 * a's intervals (a is scratch).  False when out of memory. */
static bool range_quantiles(struct agg *a, double *lo, double *hi)
{
    qsort(a->iv, a->niv, sizeof *a->iv, cmp_iv_idx);
    uint64_t n = a->rows - a->no_ts, seen = 0;
    uint64_t rlo = (uint64_t)ceil(PROBE_TRIM * (double)n), rhi = (uint64_t)ceil((1 - PROBE_TRIM) * (double)n);
    if (rlo < 1)
        rlo = 1;
    bool got_lo = false;
    for (size_t i = 0; i < a->niv; i++) {
        seen += a->iv[i].total.requests;
        if (!got_lo && seen >= rlo) {
            *lo = (double)a->iv[i].idx;
            got_lo = true;
        }
        if (seen >= rhi) {
            *hi = (double)a->iv[i].idx;
            return got_lo;
        }
    }
    return false;
}

/* The times of the rows in [pos, end) of the log open at fd (after the
 * header [0, head_end) when pos is past it), read as the log is read but
 * into a scratch aggregate, malformed rows skipped: *tmin and *tmax their
 * trimmed first and last times.  False when no row there had a time. */
static bool probe_range(int fd, const char *path, const struct ltk_rawlog_options *opt, uint64_t head_end,
                        uint64_t pos, uint64_t end, double *tmin, double *tmax)
{
    struct ltk_rawlog_options o = *opt;
    o.skip_bad = true;
    o.interval_s = 1;
    o.progress = NULL;
    struct agg a = { .opt = &o, .summary = true };
    struct ltk_error err;
    bool ok = false;
    if (agg_begin(&a, path, &err) == LTK_OK) {
        struct range_src src = { .fd = fd, .pos = pos, .end = end };
        if (pos > head_end) {
            src.head_pos = 0;
            src.head_end = head_end;
        }
        struct ltk_csv_options copt = LTK_CSV_OPTIONS_DEFAULT;
        /* an error stops the probe where it is; the rows before it count */
        (void)ltk_csv_read_split(range_source, &src, path, &copt, true, ltk_rawlog_on_record, &a, NULL, NULL, &err);
        ok = a.rows > a.no_ts && range_quantiles(&a, tmin, tmax);
    }
    agg_release(&a);
    return ok;
}

/* The PROBE_TRIM and 1 - PROBE_TRIM points (nearest rank) of the times of
 * the whole gzip log at path, read once through zlib into a times-only
 * aggregate (rows counted per second, or per few seconds in a log of many
 * of them: probe_time; malformed rows skipped): a gzip
 * stream has no end to read first.  False when no row had a time. */
static bool probe_gz(const char *path, const struct ltk_rawlog_options *opt, double *tmin, double *tmax)
{
    struct ltk_rawlog_options o = *opt;
    o.skip_bad = true;
    o.interval_s = 1;
    o.progress = NULL;
    struct agg a = { .opt = &o, .times_only = true, .twidth = 1 };
    struct ltk_error err;
    gzFile gz = NULL;
    bool ok = false;
    if (agg_begin(&a, path, &err) == LTK_OK && open_gz(path, &gz, &err) == LTK_OK) {
        struct ltk_csv_options copt = LTK_CSV_OPTIONS_DEFAULT;
        /* an error stops the probe where it is; the rows before it count */
        (void)ltk_csv_read_split(gz_source, gz, path, &copt, true, ltk_rawlog_on_record, &a, NULL, NULL, &err);
        gzclose(gz);
        if (a.ntimes) {
            probe_compact(&a);
            uint64_t n = 0, seen = 0;
            for (size_t i = 0; i < a.ntimes; i++)
                n += a.times[i].rows;
            uint64_t rlo = (uint64_t)ceil(PROBE_TRIM * (double)n), rhi = (uint64_t)ceil((1 - PROBE_TRIM) * (double)n);
            if (rlo < 1)
                rlo = 1;
            for (size_t i = 0; i < a.ntimes && !ok; i++) {
                if (seen < rlo && seen + a.times[i].rows >= rlo)
                    *tmin = (double)(a.times[i].t * a.twidth);
                seen += a.times[i].rows;
                if (seen >= rhi) {
                    *tmax = (double)(a.times[i].t * a.twidth + a.twidth - 1);   /* its last second */
                    ok = true;
                }
            }
        }
    }
    agg_release(&a);
    return ok;
}

/* The intervals an automatic history may use, each a multiple of the one
 * before, so that summaries of logs of different lengths can be made alike. */
static const int64_t auto_steps[] = { 1, 2, 10, 30, 60, 120, 600, 1800, 3600, 7200, 21600, 86400 };

int64_t ltk_rawlog_interval_for_span(double span_s)
{
    size_t n = sizeof auto_steps / sizeof auto_steps[0];
    for (size_t i = 0; i < n; i++)
        if (!(span_s / (double)auto_steps[i] > LTK_RAWLOG_AUTO_INTERVALS))
            return auto_steps[i];
    return auto_steps[n - 1];
}

int64_t ltk_rawlog_auto_interval(const char *path, const struct ltk_rawlog_options *opt, double *span_s)
{
    *span_s = NAN;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 1;
    struct stat st;
    unsigned char magic[2] = { 0, 0 };
    uint64_t head_end;
    struct header_info hi;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || pread(fd, magic, 2, 0) != 2) {
        close(fd);
        return 1;
    }
    if (magic[0] == 0x1f && magic[1] == 0x8b) {
        close(fd);                   /* gzip has no end to read first: read it all once */
        double g0, g1;
        if (!probe_gz(path, opt, &g0, &g1))
            return 1;
        if (g1 > g0)
            g1 = g0 + (g1 - g0) / (1 - 2 * PROBE_TRIM);  /* the trimmed ends, as for a small plain log */
        *span_s = g1 > g0 ? g1 - g0 : 0;
        return ltk_rawlog_interval_for_span(*span_s);
    }
    if (!plain_header(fd, path, &head_end, &hi)) {
        close(fd);
        return 1;
    }
    uint64_t size = (uint64_t)st.st_size;
    double t0, t1, u0, u1;
    bool ok;
    if (size - head_end <= 2 * PROBE_BYTES) {
        ok = probe_range(fd, path, opt, head_end, 0, size, &t0, &t1);
        if (ok && t1 > t0)
            t1 = t0 + (t1 - t0) / (1 - 2 * PROBE_TRIM);  /* the trimmed ends, at the mean rate */
    } else {
        /* whole records: each range ends or starts at a quote-free line of the header's width */
        uint64_t cut = find_split(fd, head_end + PROBE_BYTES, size, hi.nfields);
        uint64_t tail = find_split(fd, size - PROBE_BYTES, size, hi.nfields);
        ok = cut && tail && probe_range(fd, path, opt, head_end, 0, cut, &t0, &u0) &&
             probe_range(fd, path, opt, head_end, tail, size, &u1, &t1);
    }
    close(fd);
    if (!ok)
        return 1;
    *span_s = t1 > t0 ? t1 - t0 : 0;
    return ltk_rawlog_interval_for_span(*span_s);
}

/* opt with its interval decided: the automatic one when opt asks for it. */
static struct ltk_rawlog_options decide_interval(const char *path, const struct ltk_rawlog_options *opt)
{
    struct ltk_rawlog_options o = *opt;
    double span;
    if (o.interval_s == LTK_RAWLOG_INTERVAL_AUTO)
        o.interval_s = ltk_rawlog_auto_interval(path, opt, &span);
    return o;
}

static int read_log(struct agg *a, const char *path, struct ltk_error *err)
{
    struct agg b = { .opt = a->opt, .q = a->q, .nq = a->nq, .summary = a->summary };
    int rc = a->summary ? READ_AGAIN : read_split(a, &b, path, err);
    bool second_thread = b.rows > 0;
    agg_release(&b);
    /* the second thread's malloc arena holds what it freed: give it back */
    if (second_thread)
        malloc_trim(0);
    if (rc != READ_AGAIN) {
        a->threads = 2;
        return rc == LTK_OK ? require_rows(a, path, err) : rc;
    }
    /* start again from nothing */
    struct agg fresh = { .opt = a->opt, .q = a->q, .nq = a->nq, .summary = a->summary };
    agg_release(a);
    *a = fresh;
    a->threads = 1;
    rc = read_log_one(a, path, err);
    return rc == LTK_OK ? require_rows(a, path, err) : rc;
}

int ltk_rawlog_load(struct ltk_run *run, const char *path, const struct ltk_rawlog_options *opt,
                    struct ltk_error *err)
{
    static const struct ltk_rawlog_options defaults = LTK_RAWLOG_OPTIONS_DEFAULT;
    if (!opt)
        opt = &defaults;
    double *q;
    char **labels;
    size_t nq;
    int rc = ltk_rawlog_parse_percentiles(opt->percentiles, &q, &labels, &nq, err);
    if (rc)
        return rc;
    struct ltk_rawlog_options decided = decide_interval(path, opt);
    opt = &decided;
    struct agg a = { .opt = opt, .q = q, .nq = nq };
    rc = read_log(&a, path, err);
    if (rc == LTK_OK) {
        run->raw_source = ltk_strdup(path);
        run->raw_format = ltk_rawlog_format_name(a.fmt);
        run->raw_method = opt->method;
        run->raw_rows = a.rows;
        run->raw_skipped = a.skipped;
        run->raw_threads = a.threads;
        int kinds[] = { LTK_SRC_STATS, LTK_SRC_FAILURES, LTK_SRC_HISTORY };
        bool ok = run->raw_source != NULL;
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0] && ok; i++) {
            if (kinds[i] == LTK_SRC_HISTORY && !a.niv)
                continue;
            free(run->source[kinds[i]]);
            ok = (run->source[kinds[i]] = ltk_strdup(path)) != NULL;
        }
        if (!ok || to_run(&a, run, q, labels, nq))
            rc = ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
    }
    if (rc == LTK_OK) {
        if (a.skipped)
            ltk_run_warn(run, "%s: skipped %llu malformed row(s) (--skip-bad); the first: %s", path,
                         (unsigned long long)a.skipped, a.first_bad);
        if (a.other >= 0)
            ltk_run_warn(run, "%s: more than %zu distinct names: %llu request(s) of further names are counted "
                              "in one '(other)' row (--fold folds ids in names)",
                         path, opt->max_names, (unsigned long long)a.other_requests);
        if (a.no_ts && a.no_ts < a.rows)
            ltk_run_warn(run, "%s: %llu request(s) without a timestamp are left out of the history", path,
                         (unsigned long long)a.no_ts);
        if (a.gaps)
            ltk_run_warn(run, "%s: %llu gap(s) of more than %d s without requests, the longest %lld s from Unix time "
                              "%lld: the history has only their first and last intervals (a pause, or a stray "
                              "timestamp?)",
                         path, (unsigned long long)a.gaps, LTK_RAWLOG_GAP_S, (long long)a.gap_s,
                         (long long)a.gap_from);
        if (a.late)
            ltk_run_warn(run, "%s:%ld: %llu request(s) came more than %d s after later ones: counted in their "
                              "interval, but left out of its percentiles",
                         path, a.late_line, (unsigned long long)a.late, LTK_RAWLOG_REORDER_S);
        if (a.k6_orphans)
            ltk_run_warn(run, "%s:%ld: %llu http_req_failed row(s) without an http_req_duration row just "
                              "before them were ignored",
                         path, a.k6_orphan_line, (unsigned long long)a.k6_orphans);
        if (a.groupmap.n >= MAX_FAILURE_GROUPS)
            ltk_run_warn(run, "%s: more than %d distinct failures: the rest are counted in one group", path,
                         MAX_FAILURE_GROUPS);
    }
    for (size_t k = 0; k < nq; k++)
        free(labels[k]);
    free(labels);
    free(q);
    agg_release(&a);
    return rc;
}

/* Moves the aggregate into s (empty but for nothing). */
static int to_summary(struct agg *a, struct ltk_summary *s, const char *path, double *q, char **labels, size_t nq)
{
    const struct ltk_rawlog_options *opt = a->opt;
    s->method = opt->method;
    s->interval_s = opt->interval_s;
    s->fold = opt->fold;
    s->max_names = opt->max_names;
    s->npct = nq;
    s->pct_q = q;
    s->pct_label = labels;
    if (!(s->sources = calloc(1, sizeof *s->sources)))
        return LTK_ENOMEM;
    s->nsources = 1;
    struct ltk_summary_source *src = &s->sources[0];
    src->path = ltk_strdup(path);
    src->format = ltk_strdup(ltk_rawlog_format_name(a->fmt));
    src->rows = a->rows;
    src->skipped = a->skipped;
    src->first_bad = a->skipped ? ltk_strdup(a->first_bad) : NULL;
    bool oom;
    src->users_source = users_text(a, &oom);
    if (!src->path || !src->format || (a->skipped && !src->first_bad) || oom)
        return LTK_ENOMEM;
    take_ignored(a, &src->ignored_columns, &src->nignored_columns, &src->ignored_metrics, &src->nignored_metrics,
                 &src->ignored_more);
    s->timed = a->rows - a->no_ts;
    s->tmin = s->timed ? a->tmin : NAN;
    s->tmax = s->timed ? a->tmax : NAN;
    s->k6_orphans = a->k6_orphans;
    s->other_requests = a->other_requests;
    if (a->nentries && !(s->endpoints = calloc(a->nentries, sizeof *s->endpoints)))
        return LTK_ENOMEM;
    for (size_t i = 0; i < a->nentries; i++) {
        struct entry *e = &a->entries[i];
        struct ltk_summary_endpoint *d = &s->endpoints[i];
        s->nendpoints = i + 1;
        d->method = e->method;
        d->name = e->name;
        e->method = e->name = NULL;
        d->other = (long)i == a->other;
        d->failures = e->failures;
        d->bytes = e->bytes;
        d->sized = e->nbytes;
        if (ltk_shist_from_hist(&d->hist, e->hist) || ltk_shist_from_hist(&d->ok, e->ok_hist) ||
            ltk_status_merge(&s->total_status, &e->status))
            return LTK_ENOMEM;
        d->status = e->status;
        memset(&e->status, 0, sizeof e->status);
        for (int k = 0; k < LTK_TIMING_N; k++)
            if (a->timing[k] && ltk_shist_from_hist(&d->timing[k], e->timing[k]))
                return LTK_ENOMEM;
    }
    for (int k = 0; k < LTK_TIMING_N; k++) {
        s->has_timing[k] = a->timing[k];
        if (a->timing[k] && ltk_shist_from_hist(&s->total_timing[k], a->total_timing[k]))
            return LTK_ENOMEM;
    }
    if (ltk_shist_from_hist(&s->total, a->total) || ltk_shist_from_hist(&s->total_ok, a->total_ok))
        return LTK_ENOMEM;
    s->has_ok = true;
    s->total_failures = a->total_failures;
    s->total_bytes = a->total_bytes;
    s->total_sized = a->total_nbytes;
    if (a->ngroups && !(s->failures = calloc(a->ngroups, sizeof *s->failures)))
        return LTK_ENOMEM;
    for (size_t i = 0; i < a->ngroups; i++) {
        struct fgroup *g = &a->groups[i];
        s->failures[i] = (struct ltk_summary_failure){ g->method, g->name, g->error, g->occurrences };
        g->method = g->name = g->error = NULL;
        s->nfailures = i + 1;
    }
    if (a->niv && !(s->intervals = calloc(a->niv, sizeof *s->intervals)))
        return LTK_ENOMEM;
    int64_t unsaid = -1;   /* users of intervals without requests, for the next one that has none */
    for (size_t i = 0; i < a->niv; i++) {
        struct interval *iv = &a->iv[i];
        if (!iv->total.requests) {
            if (iv->users >= 0)
                unsaid = iv->users;
            continue;
        }
        struct ltk_summary_interval *d = &s->intervals[s->nintervals++];
        d->t = iv->idx * opt->interval_s;
        d->users = iv->users >= 0 ? iv->users : unsaid;
        unsaid = -1;
        d->requests = iv->total.requests;
        d->failures = iv->total.failures;
        memcpy(d->status, iv->status, sizeof d->status);
        size_t n = 0;
        for (size_t c = 0; c < iv->ncells; c++)
            n += iv->cells[c].requests > 0;
        if (!(d->cells = calloc(n ? n : 1, sizeof *d->cells)))
            return LTK_ENOMEM;
        for (size_t c = 0; c < iv->ncells; c++) {
            if (!iv->cells[c].requests)
                continue;
            struct ltk_summary_cell *dc = &d->cells[d->ncells++];
            dc->endpoint = cell_entry(iv, c);
            dc->failures = iv->cells[c].failures;
            if (!cell_hist(&iv->cells[c]))
                return LTK_ENOMEM;
            dc->hist = *iv->cells[c].hist;
            memset(iv->cells[c].hist, 0, sizeof *iv->cells[c].hist);
        }
    }
    return LTK_OK;
}

int ltk_rawlog_summarize(struct ltk_summary *s, const char *path, const struct ltk_rawlog_options *opt,
                         struct ltk_error *err)
{
    static const struct ltk_rawlog_options defaults = LTK_RAWLOG_OPTIONS_DEFAULT;
    if (!opt)
        opt = &defaults;
    double *q;
    char **labels;
    size_t nq;
    int rc = ltk_rawlog_parse_percentiles(opt->percentiles, &q, &labels, &nq, err);
    if (rc)
        return rc;
    struct ltk_rawlog_options decided = decide_interval(path, opt);
    decided.cuts = NULL;   /* a summary keeps histograms; cuts are for one run's tables */
    decided.ncuts = 0;
    opt = &decided;
    struct agg a = { .opt = opt, .q = q, .nq = nq, .summary = true };
    rc = read_log(&a, path, err);
    if (rc == LTK_OK) {
        /* the percentile arrays pass to s, which frees them */
        if (to_summary(&a, s, path, q, labels, nq))
            rc = ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
    } else {
        for (size_t k = 0; k < nq; k++)
            free(labels[k]);
        free(labels);
        free(q);
    }
    agg_release(&a);
    return rc;
}

/* ---- name folding ----------------------------------------------------------- */

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_uuid(const char *s, size_t n)
{
    static const int groups[] = { 8, 4, 4, 4, 12 };
    if (n != 36)
        return false;
    size_t i = 0;
    for (int g = 0; g < 5; g++) {
        for (int k = 0; k < groups[g]; k++, i++)
            if (!is_hex(s[i]))
                return false;
        if (g < 4 && s[i++] != '-')
            return false;
    }
    return true;
}

static void fold_segment(struct ltk_buf *b, const char *s, size_t n)
{
    size_t digits = 0, hex = 0;
    for (size_t i = 0; i < n; i++) {
        digits += s[i] >= '0' && s[i] <= '9';
        hex += is_hex(s[i]);
    }
    if (n && is_uuid(s, n)) {
        ltk_buf_puts(b, "{uuid}");
    } else if (n && digits == n) {
        ltk_buf_puts(b, "{id}");
    } else if (n >= 8 && hex == n && digits > 0) {
        ltk_buf_puts(b, "{hex}");
    } else {
        for (size_t i = 0; i < n;) {
            size_t j = i;
            while (j < n && s[j] >= '0' && s[j] <= '9')
                j++;
            if (j - i >= 6) {
                ltk_buf_puts(b, "{n}");
                i = j;
            } else if (j > i) {
                ltk_buf_append(b, s + i, j - i);
                i = j;
            } else {
                ltk_buf_putc(b, s[i++]);
            }
        }
    }
}

char *ltk_rawlog_fold_name(const char *name)
{
    struct ltk_buf b;
    ltk_buf_init(&b);
    const char *seg = name;
    for (const char *p = name;; p++) {
        if (*p == '/' || *p == '?' || *p == '&' || *p == '=' || *p == '\0') {
            fold_segment(&b, seg, (size_t)(p - seg));
            if (!*p)
                break;
            ltk_buf_putc(&b, *p);
            seg = p + 1;
        }
    }
    if (!b.data && !b.failed)
        return ltk_strdup("");
    if (b.failed) {
        ltk_buf_release(&b);
        return NULL;
    }
    return b.data;
}

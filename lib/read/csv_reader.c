/* Streaming CSV reader: libcsv does the quoting rules, this file adds line
 * numbers, limits, BOM handling and truncated-last-record detection.
 *
 * Line numbers: the input is fed to libcsv one physical line (up to and
 * including '\n') at a time, so when libcsv reports the end of a record we
 * know which line we are on, and when a new record begins we know where.
 *
 * Plain lines (ltk_csv_read_split, for raw request logs): a whole line that
 * starts a record and holds nothing libcsv treats specially but commas is
 * split here, in place, instead of going through libcsv; see plain_line for
 * what such a line is and docs/raw-logs.md. */
#include "ltk/read/csv.h"
#include "read/csv_int.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct reader {
    const char *name;
    const struct ltk_csv_options *opt;
    ltk_csv_record_fn fn;
    void *ctx;
    struct ltk_error *err;
    struct ltk_csv_info *info;

    /* the record being assembled: its fields' texts one after another in
     * arena (each NUL-terminated) at offs[i], so a record costs no
     * allocation once the arena has grown to the longest record */
    char **fields;
    size_t *lens;
    size_t *offs;
    size_t nfields, cap;
    char *arena;
    size_t arena_len, arena_cap;
    size_t max_record;
    bool check_nul;       /* a NUL byte was seen in the input: check each field */
    /* on_field's fast path, taken when every check is known to pass: no
     * error, no NUL seen, len <= max_field, arena_len + len < arena_limit
     * (room for the field and its NUL, and within max_record), nfields <
     * fields_limit (room in the arrays, within max_fields) */
    bool slow;
    size_t max_field, arena_limit, fields_limit;

    size_t head_fields;  /* fields of the first record (the header) */
    bool split;          /* plain lines are split here (plain_line) */

    long line;           /* line being fed */
    long rec_line;       /* line the current record started on */
    bool in_record;      /* a record has started and not ended */
    bool at_fini;        /* csv_fini is running: the record has no line end */
    int status;          /* first error, stops everything */
};

static int never_space(unsigned char c)
{
    (void)c;
    return 0;
}

/* Sets status (the first error stops everything) and turns on_field's
 * fast path off. */
static int fail(struct reader *r, int rc)
{
    r->status = rc;
    r->slow = true;
    return rc;
}

/* Bytes of field text in the record so far (each field has its NUL). */
static size_t record_bytes(const struct reader *r)
{
    return r->arena_len - r->nfields;
}

static void free_fields(struct reader *r)
{
    r->nfields = 0;
    r->arena_len = 0;
}

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* Recomputes the fast path's limits after the arena or arrays grew. */
static void set_limits(struct reader *r)
{
    r->arena_limit = min_size(r->arena_cap, r->max_record + 1);
    r->fields_limit = min_size(r->cap, r->opt->max_fields);
}

static int out_of_memory(struct reader *r)
{
    return fail(r, ltk_error_set(r->err, LTK_ENOMEM, r->name, r->rec_line, 0, "out of memory"));
}

/* Room for one more field of len bytes (and its NUL). */
static int make_room(struct reader *r, size_t len)
{
    if (r->nfields == r->cap) {
        size_t ncap = r->cap ? 2 * r->cap : 32;
        char **nf = realloc(r->fields, ncap * sizeof *nf);
        if (!nf)
            return out_of_memory(r);
        r->fields = nf;
        size_t *nl = realloc(r->lens, ncap * sizeof *nl);
        if (!nl)
            return out_of_memory(r);
        r->lens = nl;
        size_t *no = realloc(r->offs, ncap * sizeof *no);
        if (!no)
            return out_of_memory(r);
        r->offs = no;
        r->cap = ncap;
    }
    /* len <= max_record - record_bytes and nfields < max_fields: no overflow */
    size_t need = r->arena_len + len + 1;
    if (need > r->arena_cap) {
        size_t ncap = r->arena_cap ? r->arena_cap : 256;
        while (ncap < need)
            ncap *= 2;
        char *na = realloc(r->arena, ncap);
        if (!na)
            return out_of_memory(r);
        r->arena = na;
        r->arena_cap = ncap;
    }
    set_limits(r);
    return LTK_OK;
}

static int field_too_long(struct reader *r)
{
    return fail(r, ltk_error_set(r->err, LTK_ELIMIT, r->name, r->rec_line, (long)r->nfields + 1,
                                     "field %zu is longer than the limit of %zu bytes",
                                     r->nfields + 1, r->max_field));
}

static int record_too_long(struct reader *r)
{
    return fail(r, ltk_error_set(r->err, LTK_ELIMIT, r->name, r->rec_line, 0,
                                     "record is longer than the limit of %zu bytes", r->max_record));
}

/* Appends a field to the record (the room is there) with its NUL. */
static inline void put_field(struct reader *r, const void *data, size_t len)
{
    char *copy = r->arena + r->arena_len;
    if (len)
        memcpy(copy, data, len);
    copy[len] = '\0';
    r->offs[r->nfields++] = r->arena_len;
    r->arena_len += len + 1;
}

/* on_field when a check may fail or the arena must grow: out of line, so
 * the fast path saves no registers. */
__attribute__((noinline)) static void on_field_checked(void *data, size_t len, struct reader *r)
{
    if (r->status)
        return;
    if (len > r->max_field) {
        field_too_long(r);
        return;
    }
    if (len > r->max_record - record_bytes(r)) {
        record_too_long(r);
        return;
    }
    if (r->check_nul && len && memchr(data, '\0', len)) {
        fail(r, ltk_error_set(r->err, LTK_EFORMAT, r->name, r->rec_line, (long)r->nfields + 1,
                                  "NUL byte in field %zu (binary file?)", r->nfields + 1));
        return;
    }
    if (r->nfields == r->opt->max_fields) {
        fail(r, ltk_error_set(r->err, LTK_ELIMIT, r->name, r->rec_line, 0,
                                  "more than %zu fields in one record", r->opt->max_fields));
        return;
    }
    if (make_room(r, len))
        return;
    put_field(r, data, len);
}

static void on_field(void *data, size_t len, void *vr)
{
    struct reader *r = vr;
    if (r->slow || len > r->max_field || r->arena_len + len >= r->arena_limit || r->nfields >= r->fields_limit) {
        on_field_checked(data, len, r);
        return;
    }
    put_field(r, data, len);
}

/* Hands the record in r->fields and r->lens (nfields of them) to the
 * callback. */
static int deliver(struct reader *r, size_t nfields, long line, bool cut_off)
{
    long index = r->info ? r->info->records : 0;
    if (index == 0)
        r->head_fields = nfields;
    struct ltk_csv_record rec = {
        .nfields = nfields, .fields = r->fields, .lens = r->lens,
        .line = line, .index = index, .cut_off = cut_off,
    };
    int rc = r->fn(&rec, r->ctx, r->err);
    if (rc != LTK_OK)
        return fail(r, rc);
    if (r->info)
        r->info->records++;
    return LTK_OK;
}

static void on_record_end(int term, void *vr)
{
    struct reader *r = vr;
    (void)term;
    r->in_record = false;
    if (r->status) {
        free_fields(r);
        return;
    }
    if (r->at_fini && r->opt->drop_truncated_last) {
        if (r->info) {
            r->info->truncated_last = true;
            r->info->truncated_line = r->rec_line;
            r->info->truncated_fields = r->nfields;
        }
        free_fields(r);
        return;
    }
    for (size_t i = 0; i < r->nfields; i++) {
        size_t end = i + 1 < r->nfields ? r->offs[i + 1] : r->arena_len;
        r->fields[i] = r->arena + r->offs[i];
        r->lens[i] = end - r->offs[i] - 1;
    }
    deliver(r, r->nfields, r->rec_line, r->at_fini);
    free_fields(r);
}

/* True when a line holds nothing libcsv would start a record with. */
static bool blank_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

/* A word with 0x80 set in each byte of w that equals the byte in rep (a
 * byte repeated eight times); exact: no false positives. */
static inline uint64_t bytes_equal(uint64_t w, uint64_t rep)
{
    uint64_t x = w ^ rep;
    return ~(((x & 0x7F7F7F7F7F7F7F7FULL) + 0x7F7F7F7F7F7F7F7FULL) | x | 0x7F7F7F7F7F7F7F7FULL);
}

enum { NOT_PLAIN = -1 };

/* Where the split stands in the bytes of one read (s .. end): the next
 * quote and CR from where it is (end: none; NULL: not looked for yet). */
struct scan {
    const char *end;
    const char *next_q, *next_cr;
};

/* The first c in [s, end), or end. */
static const char *find_from(const char *s, const char *end, char c, const char *known)
{
    if (known && known >= s)
        return known;
    const char *p = memchr(s, c, (size_t)(end - s));
    return p ? p : end;
}

/* The line at s as a record, split here rather than by libcsv, when that is
 * certain to give what libcsv gives.  The caller has seen that libcsv is
 * between records (a record starts on this line) and past the header.  The
 * line must end (its '\n') within this read, hold something, no quote, no
 * CR and (when the input has one at all) no NUL byte: then libcsv would
 * split it at each comma and keep every other byte (spaces and tabs too:
 * never_space) as data.  Its fields must also be within the limits (field,
 * record) and as many as the header's, so that every refusal and every
 * message still comes from libcsv and on_field.  One pass finds the commas
 * and the line end, eight bytes at a time; the fields are split in place (a
 * NUL over each comma and the line end) and handed to the callback without
 * a copy.  Returns NOT_PLAIN (nothing touched: the line goes to libcsv), or
 * LTK_OK or the callback's status, with *seg the bytes of the line and its
 * '\n'. */
static int plain_line(struct reader *r, char *s, struct scan *sc, size_t *seg)
{
    size_t want = r->head_fields, k = 0;
    if (want == 0 || want > r->cap)
        return NOT_PLAIN;
    char **f = r->fields;
    size_t *len = r->lens;
    const char *end = sc->end;
    const uint64_t commas = 0x2C2C2C2C2C2C2C2CULL, newlines = 0x0A0A0A0A0A0A0A0AULL;
    char *p = s, *nl = NULL;
    f[0] = s;
    while (!nl) {
        uint64_t m = 0;
        if (end - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            m = bytes_equal(w, commas) | bytes_equal(w, newlines);
        } else {
            for (int i = 0; i < end - p; i++)
                if (p[i] == ',' || p[i] == '\n')
                    m |= (uint64_t)0x80 << (8 * i);
            if (!m)
                return NOT_PLAIN;          /* the line goes on in the next read */
        }
        for (; m; m &= m - 1) {
            char *d = p + (__builtin_ctzll(m) >> 3);
            len[k] = (size_t)(d - f[k]);
            if (*d == '\n') {
                nl = d;
                break;
            }
            if (++k == want)
                return NOT_PLAIN;          /* more fields than the header */
            f[k] = d + 1;
        }
        p += 8;
    }
    if (++k != want || nl == s)
        return NOT_PLAIN;                  /* fewer fields, or a blank line */
    sc->next_q = find_from(s, end, '"', sc->next_q);
    sc->next_cr = find_from(s, end, '\r', sc->next_cr);
    size_t n = (size_t)(nl - s);
    if (sc->next_q < nl || sc->next_cr < nl || (r->check_nul && memchr(s, '\0', n)))
        return NOT_PLAIN;
    /* the text is n bytes less the want - 1 commas */
    if (n - (want - 1) > r->max_record)
        return NOT_PLAIN;
    for (size_t i = 0; i < k; i++)
        if (len[i] > r->max_field)
            return NOT_PLAIN;
    for (size_t i = 0; i < k; i++)
        f[i][len[i]] = '\0';
    *seg = n + 1;
    return deliver(r, k, r->line, false);
}

static int feed(struct reader *r, struct csv_parser *p, const char *s, size_t n)
{
    if (!r->in_record && !blank_line(s, n)) {
        r->in_record = true;
        r->rec_line = r->line;
    }
    size_t done = csv_parse(p, s, n, on_field, on_record_end, r);
    if (r->status)
        return r->status;
    /* the field libcsv is still collecting: refuse it before it grows on */
    if (p->entry_pos > r->max_field)
        return field_too_long(r);
    if (p->entry_pos > r->max_record - record_bytes(r))
        return record_too_long(r);
    if (done != n) {
        if (csv_error(p) == CSV_EPARSE)
            return ltk_error_set(r->err, LTK_EFORMAT, r->name, r->line, 0,
                                 "malformed quoting near byte %zu of the line "
                                 "(a quote inside an unquoted field, or text after a closing quote)",
                                 done + 1);
        return ltk_error_set(r->err, LTK_ENOMEM, r->name, r->line, 0, "%s",
                             csv_strerror(csv_error(p)));
    }
    return LTK_OK;
}

/* Reads a FILE* for ltk_csv_read. */
static int file_source(void *src, char *buf, size_t cap, size_t *got, struct ltk_error *err)
{
    FILE *fp = src;
    *got = fread(buf, 1, cap, fp);
    if (*got == 0 && ferror(fp))
        return ltk_error_set(err, LTK_EIO, NULL, 0, 0, "read error: %s", strerror(errno));
    return LTK_OK;
}

int ltk_csv_read(FILE *fp, const char *name, const struct ltk_csv_options *opt,
                 ltk_csv_record_fn fn, void *ctx, struct ltk_csv_info *info,
                 struct ltk_error *err)
{
    if (!fp) {
        struct ltk_csv_info local;
        memset(info ? info : &local, 0, sizeof local);
        return ltk_error_set(err, LTK_EINVAL, name, 0, 0, "no input");
    }
    return ltk_csv_read_from(file_source, fp, name, opt, fn, ctx, info, err);
}

int ltk_csv_read_from(ltk_csv_source_fn source, void *src, const char *name,
                      const struct ltk_csv_options *opt, ltk_csv_record_fn fn, void *ctx,
                      struct ltk_csv_info *info, struct ltk_error *err)
{
    return ltk_csv_read_split(source, src, name, opt, false, fn, ctx, info, NULL, err);
}

bool ltk_csv_libcsv_only(void)
{
    const char *v = getenv("LTK_CSV_LIBCSV_ONLY");
    return v && *v && strcmp(v, "0") != 0;
}

int ltk_csv_read_split(ltk_csv_source_fn source, void *src, const char *name,
                       const struct ltk_csv_options *opt, bool split, ltk_csv_record_fn fn, void *ctx,
                       struct ltk_csv_info *info, long *nsplit, struct ltk_error *err)
{
    long split_lines = 0;
    static const struct ltk_csv_options defaults = LTK_CSV_OPTIONS_DEFAULT;
    struct ltk_csv_info local_info;
    if (!info)
        info = &local_info;
    memset(info, 0, sizeof *info);
    if (!source || !fn)
        return ltk_error_set(err, LTK_EINVAL, name, 0, 0, "no input");
    struct reader r = {
        .name = name ? name : "(input)", .opt = opt ? opt : &defaults, .fn = fn, .ctx = ctx,
        .err = err, .info = info, .line = 1, .split = split && !ltk_csv_libcsv_only(),
    };
    r.max_record = r.opt->max_record ? r.opt->max_record : LTK_CSV_MAX_RECORD_DEFAULT;
    r.max_field = r.opt->max_field;
    set_limits(&r);
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return ltk_error_set(err, LTK_ENOMEM, r.name, 0, 0, "out of memory");
    csv_set_space_func(&p, never_space);
    /* libcsv's state between records (ROW_NOT_BEGUN, what csv_init sets):
     * plain_line takes a line only then; the reader's in_record cannot
     * tell, as a CR in the middle of a line ends one record and may begin
     * another */
    const int row_not_begun = p.pstate;
    /* libcsv grows a field's buffer by blk_size at a time (128 by default):
     * a 1 MiB field would take 8192 reallocs, each a full copy under valgrind */
    csv_set_blk_size(&p, 1 << 16);

    enum { CHUNK = 1 << 16 };
    char *buf = malloc(CHUNK);
    int rc = LTK_OK;
    if (!buf) {
        csv_free(&p);
        return ltk_error_set(err, LTK_ENOMEM, r.name, 0, 0, "out of memory");
    }
    bool first = true;
    char last = '\n';           /* last byte seen; an empty file "ends" cleanly */
    size_t n;
    while (rc == LTK_OK) {
        rc = source(src, buf, CHUNK, &n, err);
        if (rc) {
            if (err && !err->file[0])
                snprintf(err->file, sizeof err->file, "%s", r.name);
            if (err && !err->line)
                err->line = r.line;
            break;
        }
        if (n == 0)
            break;
        char *s = buf;
        if (first) {
            first = false;
            if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
                info->had_bom = true;
                s += 3;
                n -= 3;
            }
        }
        if (n)
            last = s[n - 1];
        if (!r.check_nul && memchr(s, '\0', n))
            r.check_nul = r.slow = true;
        /* libcsv calls its space test through a pointer for every byte of an
         * unquoted field when one is set; never_space is needed only on
         * lines holding a space or a tab (it decides nothing elsewhere), so
         * the others run with libcsv's inline test: the same result, faster */
        const char *end = s + n;
        const char *next_sp = NULL, *next_tab = NULL;
        struct scan sc = { end, NULL, NULL };
        while (rc == LTK_OK && n > 0) {
            if (r.split && p.pstate == row_not_begun && !p.entry_pos && info->records > 0) {
                size_t seg;
                int pr = plain_line(&r, s, &sc, &seg);
                if (pr != NOT_PLAIN) {
                    split_lines++;
                    rc = pr;
                    r.line++;
                    s += seg;
                    n -= seg;
                    continue;
                }
            }
            char *nl = memchr(s, '\n', n);
            size_t seg = nl ? (size_t)(nl - s) + 1 : n;
            if (!next_sp || next_sp < s)
                next_sp = (next_sp = memchr(s, ' ', n)) ? next_sp : end;
            if (!next_tab || next_tab < s)
                next_tab = (next_tab = memchr(s, '\t', n)) ? next_tab : end;
            bool spaces = next_sp < s + seg || next_tab < s + seg;
            if (spaces != (p.is_space != NULL))
                csv_set_space_func(&p, spaces ? never_space : NULL);
            rc = feed(&r, &p, s, seg);
            if (nl)
                r.line++;
            s += seg;
            n -= seg;
        }
    }
    if (rc == LTK_OK) {
        bool unterminated = last != '\n' && last != '\r';
        r.at_fini = unterminated;
        if (csv_fini(&p, on_field, on_record_end, &r) != 0 && !r.status) {
            if (r.opt->drop_truncated_last && unterminated) {
                /* the file stops mid-line inside a quoted field: a cut-off last record */
                info->truncated_last = true;
                info->truncated_line = r.rec_line;
                info->truncated_fields = r.nfields + 1;
                free_fields(&r);
            } else {
                rc = ltk_error_set(err, LTK_EFORMAT, r.name, r.rec_line, 0,
                                   "unterminated quoted field (the file ends inside quotes)");
            }
        }
        if (r.status)
            rc = r.status;
    }
    info->lines = r.line - (last == '\n' ? 1 : 0);
    if (nsplit)
        *nsplit = split_lines;
    free_fields(&r);
    free(r.fields);
    free(r.lens);
    free(r.offs);
    free(r.arena);
    free(buf);
    csv_free(&p);
    return rc;
}

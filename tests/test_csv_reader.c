/* Check suite for lib/read/csv_reader.c: input bytes next to the records and
 * line numbers expected from them, and every failure path. */
#include <stdint.h>
#include <stdlib.h>

#include "ltk/read/csv.h"
#include "read/csv_int.h"
#include "testutil.h"

/* Records flattened to "line:field|field|...;" for easy comparison (cut at
 * the size of out), and a hash of all of them (fields, lengths, lines). */
struct collect {
    char out[4096];
    int stop_after;  /* stop (return 1) after this many records, 0 = never */
    uint64_t hash;
};

static void hash_in(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        *h = (*h ^ b[i]) * 1099511628211ULL;
}

static int on_record(const struct ltk_csv_record *rec, void *ctx, struct ltk_error *err)
{
    (void)err;
    struct collect *c = ctx;
    size_t n = strlen(c->out);
    n += (size_t)snprintf(c->out + n, sizeof c->out - n, "%ld:", rec->line);
    hash_in(&c->hash, &rec->line, sizeof rec->line);
    hash_in(&c->hash, &rec->nfields, sizeof rec->nfields);
    for (size_t i = 0; i < rec->nfields; i++) {
        ck_assert_uint_eq(strlen(rec->fields[i]), rec->lens[i]);
        hash_in(&c->hash, rec->fields[i], rec->lens[i] + 1);
        if (n < sizeof c->out)
            n += (size_t)snprintf(c->out + n, sizeof c->out - n, "%s%s", i ? "|" : "", rec->fields[i]);
    }
    if (n < sizeof c->out)
        snprintf(c->out + n, sizeof c->out - n, "%s;", rec->cut_off ? "!" : "");
    if (c->stop_after && rec->index + 1 == c->stop_after)
        return 1;
    return LTK_OK;
}

static int ignore_record(const struct ltk_csv_record *rec, void *ctx, struct ltk_error *err)
{
    (void)rec;
    (void)ctx;
    (void)err;
    return LTK_OK;
}

static int read_str(const char *data, size_t len, const struct ltk_csv_options *opt, struct collect *c,
                    struct ltk_csv_info *info, struct ltk_error *err)
{
    FILE *fp = mem_file(data, len);
    int rc = ltk_csv_read(fp, "t.csv", opt, on_record, c, info, err);
    fclose(fp);
    return rc;
}

static const struct {
    const char *in;
    const char *want;
} good[] = {
    { "a,b\r\n1,2\r\n", "1:a|b;2:1|2;" },
    { "a,b\n1,2\n", "1:a|b;2:1|2;" },
    { "a,b\r\n1,2\n3,4\r\n", "1:a|b;2:1|2;3:3|4;" },                          /* mixed line ends */
    { "x\r\n\"q,uoted\",\"dou\"\"ble\"\r\n", "1:x;2:q,uoted|dou\"ble;" },
    { "h\r\n\"multi\r\nline\nfield\",z\r\nnext,1\r\n", "1:h;2:multi\r\nline\nfield|z;5:next|1;" },
    { " lead, trail \r\n", "1: lead| trail ;" },                              /* spaces are data */
    { "a,,c\r\n,\r\n", "1:a||c;2:|;" },                                        /* empty fields */
    { "\xEF\xBB\xBF" "Type,Name\r\n", "1:Type|Name;" },                          /* BOM skipped */
    { "a\r\n\r\n\r\nb\r\n", "1:a;4:b;" },                                      /* blank lines */
    { "<script>,$(rm -rf)\r\n", "1:<script>|$(rm -rf);" },
    { "", "" },
};

START_TEST(test_good_inputs)
{
    struct collect c = { 0 };
    struct ltk_error err;
    struct ltk_csv_info info;
    int rc = read_str(good[_i].in, strlen(good[_i].in), NULL, &c, &info, &err);
    ck_assert_int_eq(rc, LTK_OK);
    ck_assert_str_eq(c.out, good[_i].want);
    ck_assert(!info.truncated_last);
}
END_TEST

START_TEST(test_bom_is_reported)
{
    struct collect c = { 0 };
    struct ltk_csv_info info;
    ck_assert_int_eq(read_str("\xEF\xBB\xBF" "a\r\n", 6, NULL, &c, &info, NULL), LTK_OK);
    ck_assert(info.had_bom);
    ck_assert_int_eq(info.records, 1);
}
END_TEST

START_TEST(test_last_line_without_newline_is_kept_by_default)
{
    struct collect c = { 0 };
    struct ltk_csv_info info;
    ck_assert_int_eq(read_str("a,b\r\n1,2", 8, NULL, &c, &info, NULL), LTK_OK);
    ck_assert_str_eq(c.out, "1:a|b;2:1|2!;");     /* delivered, marked cut off */
    ck_assert(!info.truncated_last);
}
END_TEST

START_TEST(test_truncated_last_line_is_dropped_when_asked)
{
    struct ltk_csv_options opt = LTK_CSV_OPTIONS_DEFAULT;
    opt.drop_truncated_last = true;
    struct collect c = { 0 };
    struct ltk_csv_info info;
    const char in[] = "a,b,c\r\n1,2,3\r\n4,5";
    ck_assert_int_eq(read_str(in, sizeof in - 1, &opt, &c, &info, NULL), LTK_OK);
    ck_assert_str_eq(c.out, "1:a|b|c;2:1|2|3;");
    ck_assert(info.truncated_last);
    ck_assert_int_eq(info.truncated_line, 3);
    ck_assert_uint_eq(info.truncated_fields, 2);
    ck_assert_int_eq(info.records, 2);
}
END_TEST

START_TEST(test_cut_inside_quotes_is_dropped_when_asked)
{
    struct ltk_csv_options opt = LTK_CSV_OPTIONS_DEFAULT;
    opt.drop_truncated_last = true;
    struct collect c = { 0 };
    struct ltk_csv_info info;
    const char in[] = "a,b\r\n1,\"Traceback\nline";
    ck_assert_int_eq(read_str(in, sizeof in - 1, &opt, &c, &info, NULL), LTK_OK);
    ck_assert_str_eq(c.out, "1:a|b;");
    ck_assert(info.truncated_last);
    ck_assert_int_eq(info.truncated_line, 2);
}
END_TEST

START_TEST(test_unterminated_quote_is_an_error)
{
    struct collect c = { 0 };
    struct ltk_error err;
    const char in[] = "a,b\r\n1,\"open\r\nmore\r\n";
    ck_assert_int_eq(read_str(in, sizeof in - 1, NULL, &c, NULL, &err), LTK_EFORMAT);
    /* also when cut-off last lines may be dropped: this file ends with a line end */
    struct ltk_csv_options opt = LTK_CSV_OPTIONS_DEFAULT;
    opt.drop_truncated_last = true;
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(read_str(in, sizeof in - 1, &opt, &c, NULL, &err), LTK_EFORMAT);
    ck_assert_str_eq(err.file, "t.csv");
    ck_assert_int_eq(err.line, 2);
    ck_assert_ptr_nonnull(strstr(err.msg, "unterminated quoted field"));
}
END_TEST

START_TEST(test_stray_quote_is_an_error_with_its_line)
{
    struct collect c = { 0 };
    struct ltk_error err;
    const char in[] = "a,b\r\n1,2\r\nab\"c,3\r\n";
    ck_assert_int_eq(read_str(in, sizeof in - 1, NULL, &c, NULL, &err), LTK_EFORMAT);
    ck_assert_int_eq(err.line, 3);
    ck_assert_ptr_nonnull(strstr(err.msg, "malformed quoting"));
}
END_TEST

START_TEST(test_text_after_closing_quote_is_an_error)
{
    struct collect c = { 0 };
    struct ltk_error err;
    const char in[] = "\"abc\"x,1\r\n";
    ck_assert_int_eq(read_str(in, sizeof in - 1, NULL, &c, NULL, &err), LTK_EFORMAT);
    ck_assert_int_eq(err.line, 1);
}
END_TEST

START_TEST(test_nul_byte_is_an_error)
{
    struct collect c = { 0 };
    struct ltk_error err;
    const char in[] = "a,b\r\n1,x\0y\r\n";
    ck_assert_int_eq(read_str(in, sizeof in - 1, NULL, &c, NULL, &err), LTK_EFORMAT);
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.column, 2);
    ck_assert_ptr_nonnull(strstr(err.msg, "NUL byte"));
}
END_TEST

START_TEST(test_field_limit)
{
    struct ltk_csv_options opt = LTK_CSV_OPTIONS_DEFAULT;
    opt.max_field = 8;
    struct collect c = { 0 };
    struct ltk_error err;
    const char in[] = "short,ok\r\nabc,123456789\r\n";
    ck_assert_int_eq(read_str(in, sizeof in - 1, &opt, &c, NULL, &err), LTK_ELIMIT);
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.column, 2);
}
END_TEST

/* An endless field (/dev/zero never ends a line) must be refused while it
 * grows: a check made only once libcsv hands the field over never ends. */
START_TEST(test_field_limit_holds_while_the_field_grows)
{
    FILE *fp = fopen("/dev/zero", "rb");
    ck_assert_ptr_nonnull(fp);
    struct ltk_csv_options opt = LTK_CSV_OPTIONS_DEFAULT;
    struct collect c = { 0 };
    struct ltk_error err;
    ck_assert_int_eq(ltk_csv_read(fp, "zero", &opt, on_record, &c, NULL, &err), LTK_ELIMIT);
    fclose(fp);
    ck_assert_int_eq(err.line, 1);
    ck_assert_int_eq(err.column, 1);
    ck_assert_str_eq(err.msg, "field 1 is longer than the limit of 1048576 bytes");
}
END_TEST

START_TEST(test_record_limit)
{
    struct ltk_csv_options opt = LTK_CSV_OPTIONS_DEFAULT;
    opt.max_field = 8;
    opt.max_record = 20;
    struct collect c = { 0 };
    struct ltk_error err;
    /* 3 fields of 8 bytes: each within max_field, 24 bytes together */
    const char in[] = "h\r\n12345678,12345678,12345678\r\n";
    ck_assert_int_eq(read_str(in, sizeof in - 1, &opt, &c, NULL, &err), LTK_ELIMIT);
    ck_assert_int_eq(err.line, 2);
    ck_assert_str_eq(err.msg, "record is longer than the limit of 20 bytes");
    /* a quoted field across many lines counts whole */
    const char multi[] = "h\r\n\"1234\n1234\n1234\n1234\n1234\n\"\r\n";
    opt.max_field = 100;
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(read_str(multi, sizeof multi - 1, &opt, &c, NULL, &err), LTK_ELIMIT);
    ck_assert_int_eq(err.line, 2);
    /* the budget is per record */
    const char ok[] = "h\r\n12345678,12345678\r\n12345678,12345678\r\n";
    opt.max_field = 8;
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(read_str(ok, sizeof ok - 1, &opt, &c, NULL, &err), LTK_OK);
    ck_assert_str_eq(c.out, "1:h;2:12345678|12345678;3:12345678|12345678;");
}
END_TEST

START_TEST(test_field_count_limit)
{
    struct ltk_csv_options opt = LTK_CSV_OPTIONS_DEFAULT;
    opt.max_fields = 3;
    struct collect c = { 0 };
    struct ltk_error err;
    const char in[] = "a,b,c,d\r\n";
    ck_assert_int_eq(read_str(in, sizeof in - 1, &opt, &c, NULL, &err), LTK_ELIMIT);
}
END_TEST

START_TEST(test_callback_can_stop_and_its_status_is_returned)
{
    struct collect c = { .stop_after = 1 };
    const char in[] = "a\r\nb\r\nc\r\n";
    ck_assert_int_eq(read_str(in, sizeof in - 1, NULL, &c, NULL, NULL), 1);
    ck_assert_str_eq(c.out, "1:a;");
}
END_TEST

static int count_record(const struct ltk_csv_record *rec, void *ctx, struct ltk_error *err)
{
    (void)err;
    long *last_line = ctx;
    ck_assert_uint_eq(rec->nfields, 3);
    ck_assert_str_eq(rec->fields[1], "two\nlines");
    ck_assert_int_eq(rec->line, 2 * rec->index + 1);
    *last_line = rec->line;
    return LTK_OK;
}

START_TEST(test_long_input_across_chunks_keeps_line_numbers)
{
    /* more than the reader's 64 KiB chunk, with quoted newlines in fields
     * that straddle chunk boundaries */
    size_t rows = 5000;
    size_t cap = rows * 40 + 100;
    char *in = malloc(cap);
    size_t n = 0;
    for (size_t i = 0; i < rows; i++)
        n += (size_t)snprintf(in + n, cap - n, "%zu,\"two\nlines\",x\r\n", i);
    struct ltk_csv_info info;
    FILE *fp = mem_file(in, n);
    long last_line = 0;
    ck_assert_int_eq(ltk_csv_read(fp, "big.csv", NULL, NULL, NULL, &info, NULL), LTK_EINVAL);
    rewind(fp);
    struct ltk_error err;
    ck_assert_int_eq(ltk_csv_read(fp, "big.csv", NULL, count_record, &last_line, &info, &err), LTK_OK);
    ck_assert_int_eq(info.records, (long)rows);
    ck_assert_int_eq(info.lines, (long)(2 * rows));
    ck_assert_int_eq(last_line, (long)(2 * rows - 1));
    fclose(fp);
    free(in);
}
END_TEST

START_TEST(test_open_input_errors_name_the_file)
{
    FILE *fp;
    struct ltk_error err;
    ck_assert_int_eq(ltk_open_input("/nonexistent/x.csv", &fp, &err), LTK_EIO);
    ck_assert_str_eq(err.file, "/nonexistent/x.csv");
    ck_assert_ptr_nonnull(strstr(err.msg, "No such file"));
    ck_assert_int_eq(ltk_open_input("/tmp", &fp, &err), LTK_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "directory"));
}
END_TEST

/* Lines without quotes are split without libcsv (a fast path); the same
 * lines with every field quoted go through libcsv: the records, line
 * numbers and lengths must be the same, whatever the fields hold (spaces,
 * empty fields, CRLF ends, blank lines between records). */
START_TEST(unquoted_lines_read_as_libcsv_reads_them)
{
    static const char alphabet[] = "ab 1.;\t";
    uint64_t x = 7;
    for (int round_ = 0; round_ < 300; round_++) {
        char plain[2048] = "", quoted[4096] = "";
        size_t pn = 0, qn = 0;
        int lines = 1 + (int)(round_ % 7);
        for (int l = 0; l < lines; l++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            int fields = 1 + (int)((x >> 33) % 5);
            for (int f = 0; f < fields; f++) {
                if (f) {
                    plain[pn++] = ',';
                    quoted[qn++] = ',';
                }
                quoted[qn++] = '"';
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                /* a line of one empty field would be a blank line, which is no record */
                int len = (int)((x >> 40) % 4) + (fields == 1);
                for (int k = 0; k < len; k++) {
                    char c = alphabet[(x >> (8 + 4 * k)) % (sizeof alphabet - 1)];
                    plain[pn++] = c;
                    quoted[qn++] = c;
                }
                quoted[qn++] = '"';
            }
            const char *end = (x >> 20) % 3 == 0 ? "\r\n" : "\n";
            if ((x >> 24) % 5 == 0)
                end = (x >> 20) % 2 ? "\n\n" : "\r\n\r\n";   /* a blank line after */
            size_t el = strlen(end);
            memcpy(plain + pn, end, el);
            memcpy(quoted + qn, end, el);
            pn += el;
            qn += el;
        }
        struct collect a = { "", 0, 0 }, b = { "", 0, 0 };
        struct ltk_csv_info ia, ib;
        struct ltk_error err;
        ck_assert_int_eq(read_str(plain, pn, NULL, &a, &ia, &err), LTK_OK);
        ck_assert_int_eq(read_str(quoted, qn, NULL, &b, &ib, &err), LTK_OK);
        ck_assert_msg(strcmp(a.out, b.out) == 0, "plain [%.*s] quoted [%.*s]: %s vs %s", (int)pn, plain, (int)qn, quoted, a.out, b.out);
        ck_assert_int_eq(ia.records, ib.records);
        ck_assert_int_eq(ia.lines, ib.lines);
    }
}
END_TEST

/* Spaces and tabs are data whether a line holds them or not (the reader
 * switches libcsv's space test per line), also in a quoted field that
 * spans lines with and without them. */
START_TEST(spaces_are_data_on_every_kind_of_line)
{
    struct collect c = { "", 0, 0 };
    static const char in[] = "h,i\n"
                             "\" a\nb\nc \", d\t\n"         /* quoted over three lines */
                             "x,y\n"
                             "\t,  \n"
                             "\"q\"  ,z\n";                  /* spaces after a closing quote */
    struct ltk_error err;
    int rc = read_str(in, sizeof in - 1, NULL, &c, NULL, &err);
    ck_assert_int_eq(rc, LTK_EFORMAT);     /* text after a closing quote, strictly */
    ck_assert_int_eq(err.line, 7);
    ck_assert_str_eq(c.out, "1:h|i;2: a\nb\nc | d\t;5:x|y;6:\t|  ;");
}
END_TEST

/* A NUL byte far into the file (past the first read) is still found, with
 * its line, although only reads that hold one are checked field by field. */
START_TEST(nul_byte_after_many_clean_chunks)
{
    size_t rows = 20000, n = 0;
    char *in = malloc(rows * 16 + 32);
    if (!in)
        ck_abort_msg("out of memory");
    n += (size_t)sprintf(in, "a,b\n");
    for (size_t i = 0; i < rows; i++) {
        char line[32];
        size_t len = (size_t)snprintf(line, sizeof line, "%zu,abcdef\n", i);
        memcpy(in + n, line, len);
        n += len;
    }
    memcpy(in + n, "x,y\0z\n", 6);
    n += 6;
    struct ltk_error err;
    struct ltk_csv_info info;
    ck_assert_uint_gt(n, (size_t)3 << 16);
    FILE *fp = mem_file(in, n);
    int rc = ltk_csv_read(fp, "t.csv", NULL, ignore_record, NULL, &info, &err);
    fclose(fp);
    free(in);
    ck_assert_int_eq(rc, LTK_EFORMAT);
    ck_assert_int_eq(err.line, (long)rows + 2);
    ck_assert_int_eq(err.column, 2);
    ck_assert_ptr_nonnull(strstr(err.msg, "NUL byte"));
}
END_TEST

/* Records of very different sizes one after another: the field arena grows
 * and is reused, every field keeps its own text and length. */
START_TEST(fields_stay_apart_as_the_arena_grows)
{
    char big[3000];
    memset(big, 'B', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char in[4000];
    int n = snprintf(in, sizeof in, "a,b,c\n1,,3\n%s,x,\n,,\n", big);
    struct collect c = { "", 0, 0 };
    ck_assert_int_eq(read_str(in, (size_t)n, NULL, &c, NULL, NULL), LTK_OK);
    char want[4000];
    snprintf(want, sizeof want, "1:a|b|c;2:1||3;3:%s|x|;4:||;", big);
    ck_assert_str_eq(c.out, want);
}
END_TEST

/* A simple line past the field-size or field-count limit still stops with
 * the limit's message (the fast path hands it to libcsv). */
START_TEST(limits_hold_on_simple_lines)
{
    struct ltk_csv_options opt = LTK_CSV_OPTIONS_DEFAULT;
    opt.max_field = 3;
    struct collect c = { "", 0, 0 };
    struct ltk_error err;
    static const char text[] = "a,b\nabcd,e\n";
    ck_assert_int_eq(read_str(text, sizeof text - 1, &opt, &c, NULL, &err), LTK_ELIMIT);
    ck_assert_int_eq(err.line, 2);
    opt = (struct ltk_csv_options)LTK_CSV_OPTIONS_DEFAULT;
    opt.max_fields = 2;
    memset(&c, 0, sizeof c);
    static const char text2[] = "a,b\na,b,c\n";
    ck_assert_int_eq(read_str(text2, sizeof text2 - 1, &opt, &c, NULL, &err), LTK_ELIMIT);
    ck_assert_int_eq(err.line, 2);
}
END_TEST

/* ---- the plain-line split (ltk_csv_read_split) ---------------------------- */

/* Bytes from memory, at most step bytes a call (0: as many as asked): reads
 * that end mid-line, as a pipe or zlib gives them. */
struct mem_src {
    const char *data;
    size_t len, pos, step;
};

static int mem_source(void *src, char *buf, size_t cap, size_t *got, struct ltk_error *err)
{
    (void)err;
    struct mem_src *m = src;
    size_t n = m->len - m->pos;
    if (n > cap)
        n = cap;
    if (m->step && n > m->step)
        n = m->step;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    *got = n;
    return LTK_OK;
}

/* What one read gives: records, status, message, info. */
struct outcome {
    struct collect c;
    int rc;
    struct ltk_error err;
    struct ltk_csv_info info;
    long nsplit;
};

static void read_both_ways(const char *data, size_t len, const struct ltk_csv_options *opt, size_t step,
                           int stop_after, struct outcome *split, struct outcome *libcsv)
{
    struct outcome *o[2] = { split, libcsv };
    for (int k = 0; k < 2; k++) {
        memset(o[k], 0, sizeof *o[k]);
        o[k]->c.stop_after = stop_after;
        ltk_error_clear(&o[k]->err);
        struct mem_src m = { data, len, 0, step };
        o[k]->rc = ltk_csv_read_split(mem_source, &m, "t.csv", opt, k == 0, on_record, &o[k]->c, &o[k]->info,
                                      &o[k]->nsplit, &o[k]->err);
    }
}

static void assert_same(const struct outcome *a, const struct outcome *b, const char *data, size_t len)
{
    ck_assert_msg(a->rc == b->rc, "status %d vs %d on [%.*s]", a->rc, b->rc, (int)len, data);
    ck_assert_msg(strcmp(a->c.out, b->c.out) == 0, "records [%s] vs [%s] on [%.*s]", a->c.out, b->c.out, (int)len,
                  data);
    ck_assert(a->c.hash == b->c.hash);
    ck_assert_str_eq(a->err.msg, b->err.msg);
    ck_assert_str_eq(a->err.file, b->err.file);
    ck_assert_int_eq(a->err.line, b->err.line);
    ck_assert_int_eq(a->err.column, b->err.column);
    ck_assert_int_eq(a->info.records, b->info.records);
    ck_assert_int_eq(a->info.lines, b->info.lines);
    ck_assert_int_eq(a->info.had_bom, b->info.had_bom);
    ck_assert_int_eq(a->info.truncated_last, b->info.truncated_last);
    ck_assert_int_eq(a->info.truncated_line, b->info.truncated_line);
    ck_assert_int_eq(b->nsplit, 0);
}

/* Which lines the split takes, and that every one of the others (quotes,
 * CR, NUL, field counts, blank lines, the header, a cut-off last line)
 * reads as libcsv reads it. */
static const struct {
    const char *in;
    size_t len;       /* 0: strlen */
    long nsplit;      /* lines split without libcsv */
} split_cases[] = {
    { "a,b,c\n1,2,3\n4,5,6\n", 0, 2 },
    { "a,b,c\n1,2,3\n4,5,6", 0, 1 },                         /* last line without a line end: libcsv */
    { "a,b,c\n1,\"2\",3\n4,5,6\n", 0, 1 },                   /* a quote: libcsv */
    { "a,b,c\n1,x\"2,3\n4,5,6\n", 0, 0 },                    /* a stray quote: libcsv's error */
    { "a,b,c\n1,\"two\nlines,\",3\n4,5,6\n", 0, 1 },         /* the rest of a quoted field is libcsv's */
    { "a,b,c\n1,\"x\n4,5,6\n7,8,9\n", 0, 0 },                /* inside quotes to the end */
    { "a,b,c\r\n1,2,3\r\n4,5,6\n", 0, 1 },                   /* CRLF: libcsv */
    { "a,b,c\n1,2\n4,5,6,7\n8,9,0\n", 0, 1 },                /* other field counts: libcsv */
    { "a,b,c\n\n1,2,3\n\n\n4,5,6\n", 0, 2 },                 /* blank lines */
    { "\xEF\xBB\xBF" "a,b,c\n1,2,3\n", 0, 1 },               /* a BOM */
    { "a,b,c\n1,\0,3\n4,5,6\n", 18, 0 },                     /* a NUL: libcsv's error, at line 2 */
    { "a,b,c\n1,2,3\n4,\0,6\n", 18, 1 },
    { "a,b,c\n ,\t, \n, ,\n", 0, 2 },                        /* spaces and tabs are data */
    { "a,b,c\n,,\n", 0, 1 },                                 /* empty fields */
    { "a\nx\ny\n\n", 0, 2 },                                 /* one field */
    { "a,b,c\n1,2,3\r4,5,6\n", 0, 0 },                       /* a lone CR ends a record */
    { "a,b,c\n1,2,3\r4,5", 0, 0 },                          /* ... and a record begins after it */
    { "a,b,c\n1,2,3\r\"4\n,5\",6\n7,8,9\n", 0, 1 },           /* ... or a quoted field */
    { "a,b,c\n12345678901234567890,2,3\n", 0, 0 },           /* over max_field (16 here): libcsv's error */
    { "a,b,c\n1234567890123456,2,3\n", 0, 1 },               /* at max_field */
};

START_TEST(split_lines_read_as_libcsv_reads_them)
{
    struct ltk_csv_options opt = LTK_CSV_OPTIONS_DEFAULT;
    opt.max_field = 16;
    size_t len = split_cases[_i].len ? split_cases[_i].len : strlen(split_cases[_i].in);
    for (size_t step = 0; step < 8; step++) {
        struct outcome a, b;
        read_both_ways(split_cases[_i].in, len, &opt, step, 0, &a, &b);
        assert_same(&a, &b, split_cases[_i].in, len);
        if (step == 0)
            ck_assert_msg(a.nsplit == split_cases[_i].nsplit, "case %d: %ld lines split, expected %ld", _i, a.nsplit,
                          split_cases[_i].nsplit);
    }
}
END_TEST

/* Random bytes over the characters CSV treats specially, with small limits
 * and reads cut anywhere: the split never changes a record, a message or a
 * line number. */
START_TEST(split_random_inputs_read_as_libcsv_reads_them)
{
    static const char alphabet[] = "a,,,,1\n\n\"\r \t\0";
    uint64_t x = 12345;
    long split_total = 0;
    for (int round_ = 0; round_ < 20000; round_++) {
        char in[96];
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t len = (size_t)(x >> 58) + 4;
        /* mostly clean: the specials other than , and \n are rarer */
        int dirty = (int)((x >> 20) % 4);
        memcpy(in, "h,i,j\n", 6);
        for (size_t k = 6; k < len + 6; k++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            size_t pick = (size_t)(x >> 33) % (dirty ? sizeof alphabet - 1 : 8);
            in[k] = alphabet[pick];
        }
        len += 6;
        struct ltk_csv_options opt = LTK_CSV_OPTIONS_DEFAULT;
        if (round_ % 3 == 0) {
            opt.max_field = 3;
            opt.max_record = 6;
            opt.max_fields = 4;
        }
        opt.drop_truncated_last = round_ % 5 == 0;
        struct outcome a, b;
        read_both_ways(in, len, &opt, (size_t)(x >> 61), round_ % 7 == 0 ? 2 : 0, &a, &b);
        assert_same(&a, &b, in, len);
        split_total += a.nsplit;
    }
    ck_assert_int_gt(split_total, 1000);     /* the split was taken, often */
}
END_TEST

/* LTK_CSV_LIBCSV_ONLY turns the split off; "0" or empty leaves it on. */
START_TEST(libcsv_only_variable_turns_the_split_off)
{
    const char *in = "a,b\n1,2\n3,4\n";
    struct outcome a, b;
    const char *saved = getenv("LTK_CSV_LIBCSV_ONLY");
    char *keep = saved ? strdup(saved) : NULL;
    setenv("LTK_CSV_LIBCSV_ONLY", "1", 1);
    read_both_ways(in, strlen(in), NULL, 0, 0, &a, &b);
    ck_assert_int_eq(a.nsplit, 0);
    assert_same(&a, &b, in, strlen(in));
    setenv("LTK_CSV_LIBCSV_ONLY", "0", 1);
    read_both_ways(in, strlen(in), NULL, 0, 0, &a, &b);
    ck_assert_int_eq(a.nsplit, 2);
    setenv("LTK_CSV_LIBCSV_ONLY", "", 1);
    ck_assert(!ltk_csv_libcsv_only());
    if (keep)
        setenv("LTK_CSV_LIBCSV_ONLY", keep, 1);
    else
        unsetenv("LTK_CSV_LIBCSV_ONLY");
    free(keep);
}
END_TEST

/* Long lines across many reads (a field longer than a read, lines longer
 * than the reader's 64 KiB chunk): the same records and line numbers. */
START_TEST(split_long_lines_across_reads)
{
    size_t cap = 400000;
    char *in = malloc(cap);
    size_t n = (size_t)snprintf(in, cap, "name,value\n");
    for (int i = 0; i < 40; i++) {
        size_t flen = (size_t)(i * 997) % 9000;
        memset(in + n, 'x', flen);
        n += flen;
        n += (size_t)snprintf(in + n, cap - n, ",%d\n", i);
    }
    struct ltk_csv_options opt = LTK_CSV_OPTIONS_DEFAULT;
    opt.max_field = 8000;     /* some lines too long: libcsv's message */
    for (size_t step = 0; step < 3; step++) {
        struct outcome *a = malloc(sizeof *a), *b = malloc(sizeof *b);
        read_both_ways(in, n, step == 2 ? &opt : NULL, step == 1 ? 5000 : 0, 0, a, b);
        assert_same(a, b, "(long lines)", 12);
        if (step == 0)
            ck_assert_int_ge(a->nsplit, 30);     /* those across two reads: libcsv */
        if (step == 2)
            ck_assert_int_eq(a->rc, LTK_ELIMIT);
        free(a);
        free(b);
    }
    free(in);
}
END_TEST

int main(void)
{
    /* this suite reads with and without the split itself: a libcsv-only
     * run of the test suite (LTK_CSV_LIBCSV_ONLY=1) must not turn it off */
    unsetenv("LTK_CSV_LIBCSV_ONLY");
    Suite *s = suite_create("csv_reader");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_good_inputs, 0, (int)(sizeof good / sizeof good[0]));
    tcase_add_test(tc, test_bom_is_reported);
    tcase_add_loop_test(tc, split_lines_read_as_libcsv_reads_them, 0,
                        (int)(sizeof split_cases / sizeof split_cases[0]));
    tcase_add_test(tc, split_random_inputs_read_as_libcsv_reads_them);
    tcase_add_test(tc, libcsv_only_variable_turns_the_split_off);
    tcase_add_test(tc, split_long_lines_across_reads);
    tcase_add_test(tc, unquoted_lines_read_as_libcsv_reads_them);
    tcase_add_test(tc, limits_hold_on_simple_lines);
    tcase_add_test(tc, spaces_are_data_on_every_kind_of_line);
    tcase_add_test(tc, nul_byte_after_many_clean_chunks);
    tcase_add_test(tc, fields_stay_apart_as_the_arena_grows);
    tcase_add_test(tc, test_last_line_without_newline_is_kept_by_default);
    tcase_add_test(tc, test_truncated_last_line_is_dropped_when_asked);
    tcase_add_test(tc, test_cut_inside_quotes_is_dropped_when_asked);
    tcase_add_test(tc, test_unterminated_quote_is_an_error);
    tcase_add_test(tc, test_stray_quote_is_an_error_with_its_line);
    tcase_add_test(tc, test_text_after_closing_quote_is_an_error);
    tcase_add_test(tc, test_nul_byte_is_an_error);
    tcase_add_test(tc, test_field_limit);
    tcase_add_test(tc, test_field_limit_holds_while_the_field_grows);
    tcase_add_test(tc, test_record_limit);
    tcase_add_test(tc, test_field_count_limit);
    tcase_add_test(tc, test_callback_can_stop_and_its_status_is_returned);
    tcase_add_test(tc, test_long_input_across_chunks_keeps_line_numbers);
    tcase_add_test(tc, test_open_input_errors_name_the_file);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

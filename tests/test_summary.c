/* Check suite for lib/model/summary.c: compact histograms, the exact merge, the
 * ltk.summary/1 round trip, and the strict reader's refusals (each bad
 * document next to the message it must give). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>

#include "ltk/base/json.h"
#include "ltk/read/load.h"
#include "ltk/read/summary_json.h"
#include "ltk/read/summary_run.h"
#include "ltk/read/rawlog.h"
#include "ltk/model/summary.h"
#include "testutil.h"

static const char *src_dir(void)
{
    const char *s = getenv("LTK_SOURCE_DIR");
    return s ? s : ".";
}

static void summarize(struct ltk_summary *s, const char *rel, enum ltk_hist_method m)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", src_dir(), rel);
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.method = m;
    struct ltk_error err;
    ltk_error_clear(&err);
    ltk_summary_init(s);
    int rc = ltk_rawlog_summarize(s, path, &opt, &err);
    ck_assert_msg(rc == LTK_OK, "%s: %s", rel, err.msg);
}

static char *to_text(const struct ltk_summary *s)
{
    cJSON *doc = ltk_summary_to_json(s);
    ck_assert_ptr_nonnull(doc);
    char *t = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    ck_assert_ptr_nonnull(t);
    return t;
}

/* ---- compact histograms ------------------------------------------------- */

START_TEST(shist_merge_equals_the_histogram_of_the_union)
{
    enum ltk_hist_method m = (enum ltk_hist_method)_i;
    static const double a[] = { 0, 1.5, 99.5, 145, 1234.567, 12000.1, 1.5 };
    static const double b[] = { 0.25, 1.5, 145, 500000, 99.5 };
    struct ltk_hist *ha, *hb, *hu;
    ck_assert_int_eq(ltk_hist_new(m, &ha), LTK_OK);
    ck_assert_int_eq(ltk_hist_new(m, &hb), LTK_OK);
    ck_assert_int_eq(ltk_hist_new(m, &hu), LTK_OK);
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++) {
        ck_assert_int_eq(ltk_hist_add(ha, a[i]), LTK_OK);
        ck_assert_int_eq(ltk_hist_add(hu, a[i]), LTK_OK);
    }
    for (size_t i = 0; i < sizeof b / sizeof b[0]; i++) {
        ck_assert_int_eq(ltk_hist_add(hb, b[i]), LTK_OK);
        ck_assert_int_eq(ltk_hist_add(hu, b[i]), LTK_OK);
    }
    struct ltk_shist sa, sb, su;
    ck_assert_int_eq(ltk_shist_from_hist(&sa, ha), LTK_OK);
    ck_assert_int_eq(ltk_shist_from_hist(&sb, hb), LTK_OK);
    ck_assert_int_eq(ltk_shist_from_hist(&su, hu), LTK_OK);
    ck_assert_int_eq(ltk_shist_merge(&sa, &sb), LTK_OK);
    ck_assert_uint_eq(sa.count, su.count);
    ck_assert_uint_eq(sa.n, su.n);
    ck_assert(sa.sum_ns == su.sum_ns);
    ck_assert_double_eq(sa.min, su.min);
    ck_assert_double_eq(sa.max, su.max);
    for (size_t i = 0; i < su.n; i++) {
        ck_assert_double_eq(sa.keys[i], su.keys[i]);
        ck_assert_uint_eq(sa.counts[i], su.counts[i]);
    }
    /* and back into a histogram that answers as the union does */
    struct ltk_hist *back;
    ck_assert_int_eq(ltk_shist_to_hist(&sa, m, &back), LTK_OK);
    for (double q = 0; q <= 1.0; q += 0.05)
        ck_assert_double_eq(ltk_hist_quantile(back, q), ltk_hist_quantile(hu, q));
    ck_assert_double_eq(ltk_hist_mean(back), ltk_hist_mean(hu));
    ltk_hist_free(back);
    ltk_shist_release(&sa);
    ltk_shist_release(&sb);
    ltk_shist_release(&su);
    ltk_hist_free(ha);
    ltk_hist_free(hb);
    ltk_hist_free(hu);
}
END_TEST

/* An interval keeps no total of its own: made from its cells (halves
 * first), it is the histogram of all their requests, for any number of
 * cells and every method. */
START_TEST(an_intervals_total_is_the_union_of_its_cells)
{
    enum ltk_hist_method m = (enum ltk_hist_method)_i;
    for (size_t ncells = 0; ncells <= 9; ncells++) {
        struct ltk_summary_interval iv = { .t = 0, .users = -1 };
        iv.cells = calloc(ncells ? ncells : 1, sizeof *iv.cells);
        ck_assert_ptr_nonnull(iv.cells);
        struct ltk_hist *all;
        ck_assert_int_eq(ltk_hist_new(m, &all), LTK_OK);
        uint64_t x = 7 + ncells;
        for (size_t c = 0; c < ncells; c++) {
            struct ltk_hist *h;
            ck_assert_int_eq(ltk_hist_new(m, &h), LTK_OK);
            for (size_t k = 0; k < 50 + 31 * c; k++) {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                double ms = (double)((x >> 33) % 400000) / 100;   /* shared keys between cells, too */
                ck_assert_int_eq(ltk_hist_add(h, ms), LTK_OK);
                ck_assert_int_eq(ltk_hist_add(all, ms), LTK_OK);
            }
            iv.cells[c].endpoint = c;
            ck_assert_int_eq(ltk_shist_from_hist(&iv.cells[c].hist, h), LTK_OK);
            iv.requests += iv.cells[c].hist.count;
            ltk_hist_free(h);
        }
        iv.ncells = ncells;
        struct ltk_shist got, want;
        ck_assert_int_eq(ltk_summary_interval_total(&iv, &got), LTK_OK);
        ck_assert_int_eq(ltk_shist_from_hist(&want, all), LTK_OK);
        ck_assert_uint_eq(got.count, iv.requests);
        ck_assert_uint_eq(got.count, want.count);
        ck_assert_uint_eq(got.n, want.n);
        for (size_t k = 0; k < want.n; k++) {
            ck_assert(got.keys[k] == want.keys[k]);
            ck_assert_uint_eq(got.counts[k], want.counts[k]);
        }
        if (ncells) {
            ck_assert(got.min == want.min && got.max == want.max);
            ck_assert(got.sum_ns == want.sum_ns);
        } else {
            ck_assert(isnan(got.min) && isnan(got.max));
        }
        ltk_shist_release(&got);
        ltk_shist_release(&want);
        ltk_hist_free(all);
        ltk_summary_interval_release(&iv);
        ck_assert_ptr_null(iv.cells);
        ck_assert_uint_eq(iv.requests, 0);
    }
}
END_TEST

START_TEST(sum_ns_text_round_trips_past_2_to_the_53)
{
    ltk_u128 big = ((ltk_u128)1 << 100) + 12345, back = 0;
    char buf[48];
    ck_assert_str_eq(ltk_hist_format_ns(0, buf), "0");
    ck_assert_int_eq(ltk_hist_parse_ns(ltk_hist_format_ns(big, buf), &back), LTK_OK);
    ck_assert(back == big);
    static const char *const bad[] = { "", "-1", "1.5", "01", " 1", "1e3", "123456789012345678901234567890123456789" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(ltk_hist_parse_ns(bad[i], &back) == LTK_EINVAL, "accepted '%s'", bad[i]);
}
END_TEST

/* ---- round trip ----------------------------------------------------------- */

START_TEST(a_summary_reads_back_identically)
{
    static const char *const logs[] = { "samples/runs/stress/stress_requests.csv", "tests/data/raw/k6.csv",
                                         "tests/data/raw/multiline_requests.csv", "tests/data/raw/jmeter.jtl.csv" };
    for (size_t l = 0; l < sizeof logs / sizeof logs[0]; l++) {
        for (int m = LTK_HIST_HDR; m <= LTK_HIST_EXACT; m++) {
            struct ltk_summary s, r;
            summarize(&s, logs[l], (enum ltk_hist_method)m);
            char *text = to_text(&s);
            struct ltk_error err;
            ltk_error_clear(&err);
            ltk_summary_init(&r);
            int rc = ltk_summary_parse(&r, text, strlen(text), "x.json", &err);
            ck_assert_msg(rc == LTK_OK, "%s %d: %s", logs[l], m, err.msg);
            char *again = to_text(&r);
            ck_assert_str_eq(again, text);
            free(again);
            free(text);
            ltk_summary_release(&s);
            ltk_summary_release(&r);
        }
    }
}
END_TEST

/* The streaming writer prints what cJSON prints for the document tree. */
START_TEST(the_streaming_writer_prints_the_trees_bytes)
{
    static const char *const logs[] = { "samples/runs/pool/pool_requests.csv", "tests/data/raw/k6.csv",
                                         "tests/data/raw/multiline_requests.csv", "tests/data/raw/ids_requests.csv" };
    for (size_t l = 0; l < sizeof logs / sizeof logs[0]; l++) {
        for (int m = LTK_HIST_HDR; m <= LTK_HIST_EXACT; m++) {
            struct ltk_summary s;
            summarize(&s, logs[l], (enum ltk_hist_method)m);
            /* awkward text, too: quotes, backslashes, control bytes, UTF-8 */
            free(s.sources[0].path);
            s.sources[0].path = strdup("a \"b\" \\ \x01\x1f\t\n\r\b\f \xc3\xa9 \x7f");
            char *tree = to_text(&s);
            char *buf = NULL;
            size_t len = 0;
            FILE *fp = open_memstream(&buf, &len);
            ck_assert_ptr_nonnull(fp);
            ck_assert_int_eq(ltk_summary_write(fp, &s), LTK_OK);
            ck_assert_int_eq(fclose(fp), 0);
            ck_assert_uint_eq(len, strlen(tree) + 1);
            ck_assert_int_eq(buf[len - 1], '\n');
            buf[len - 1] = '\0';
            ck_assert_str_eq(buf, tree);
            free(buf);
            free(tree);
            ltk_summary_release(&s);
        }
    }
}
END_TEST

START_TEST(merge_of_halves_equals_the_whole)
{
    /* the multi-line log, split at a record boundary in a temp dir */
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/raw/multiline_requests.csv", src_dir());
    FILE *fp = fopen(path, "rb");
    ck_assert_ptr_nonnull(fp);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    /* the record that starts at 1795801510 (a line start outside quotes) */
    char *cut = strstr(buf, "\n1795801510.");
    ck_assert_ptr_nonnull(cut);
    cut++;
    char *header_end = strchr(buf, '\n') + 1;
    const char *dir = temp_dir();
    static char a[1 << 16], b[1 << 16];
    snprintf(a, sizeof a, "%.*s", (int)(cut - buf), buf);
    snprintf(b, sizeof b, "%.*s%s", (int)(header_end - buf), buf, cut);
    char pa[1024], pb[1024];
    snprintf(pa, sizeof pa, "%s", write_file(dir, "a.csv", a));
    snprintf(pb, sizeof pb, "%s", write_file(dir, "b.csv", b));
    for (int m = LTK_HIST_HDR; m <= LTK_HIST_EXACT; m++) {
        struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
        opt.method = (enum ltk_hist_method)m;
        struct ltk_summary sw, sa, sb;
        struct ltk_error err;
        summarize(&sw, "tests/data/raw/multiline_requests.csv", opt.method);
        ltk_summary_init(&sa);
        ltk_summary_init(&sb);
        ck_assert_int_eq(ltk_rawlog_summarize(&sa, pa, &opt, &err), LTK_OK);
        ck_assert_int_eq(ltk_rawlog_summarize(&sb, pb, &opt, &err), LTK_OK);
        ck_assert_int_eq(ltk_summary_merge(&sa, &sb, &err), LTK_OK);
        ck_assert_uint_eq(sa.nsources, 2);
        /* the same but for the sources */
        struct ltk_summary_source *keep = sa.sources;
        size_t nkeep = sa.nsources;
        sa.sources = sw.sources;
        sa.nsources = sw.nsources;
        char *tw = to_text(&sw), *tm = to_text(&sa);
        ck_assert_str_eq(tm, tw);
        sa.sources = keep;
        sa.nsources = nkeep;
        free(tw);
        free(tm);
        ltk_summary_release(&sw);
        ltk_summary_release(&sa);
        ltk_summary_release(&sb);
    }
}
END_TEST

START_TEST(merge_refuses_different_settings_and_leaves_dst_alone)
{
    struct ltk_summary h, x;
    summarize(&h, "samples/runs/smoke/smoke_requests.csv", LTK_HIST_HDR);
    summarize(&x, "samples/runs/smoke/smoke_requests.csv", LTK_HIST_EXACT);
    char *before = to_text(&h);
    struct ltk_error err;
    ltk_error_clear(&err);
    ck_assert_int_eq(ltk_summary_merge(&h, &x, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "different methods: hdr and exact"));
    char *after = to_text(&h);
    ck_assert_str_eq(after, before);
    free(after);
    x.method = LTK_HIST_HDR;
    x.interval_s = 10;
    ck_assert_int_eq(ltk_summary_merge(&h, &x, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "different intervals: 1s and 10s"));
    x.interval_s = 1;
    free(x.pct_label[0]);
    x.pct_label[0] = strdup("51");
    ck_assert_int_eq(ltk_summary_merge(&h, &x, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "different percentiles"));
    free(before);
    ltk_summary_release(&h);
    ltk_summary_release(&x);
}
END_TEST

/* A summary merged as it is read (ltk merge's way from the second file
 * on) gives what loading it whole and merging gives, interleaved and
 * overlapping intervals, new and shared endpoints alike; differing settings
 * are refused with dst unchanged, and a file's own error comes first. */
static void write_summary(const struct ltk_summary *s, const char *path)
{
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(ltk_summary_write(fp, s), LTK_OK);
    ck_assert_int_eq(fclose(fp), 0);
}

START_TEST(a_summary_merged_as_it_is_read_equals_one_merged_whole)
{
    static const char *const logs[] = { "samples/runs/smoke/smoke_requests.csv",
                                        "samples/runs/load/load_requests.csv",
                                        "tests/data/raw/multiline_requests.csv" };
    const char *dir = temp_dir();
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 3; j++) {
            struct ltk_summary a, b, whole, streamed;
            summarize(&a, logs[i], LTK_HIST_HDR);
            summarize(&b, logs[j], LTK_HIST_HDR);
            char pa[1024], pb[1024];
            snprintf(pa, sizeof pa, "%s/m%zu.ltk.json", dir, i);
            snprintf(pb, sizeof pb, "%s/n%zu.ltk.json", dir, j);
            write_summary(&a, pa);
            write_summary(&b, pb);
            struct ltk_error err;
            ltk_summary_init(&whole);
            ltk_summary_init(&streamed);
            ck_assert_int_eq(ltk_summary_load(&whole, pa, &err), LTK_OK);
            ck_assert_int_eq(ltk_summary_load(&streamed, pa, &err), LTK_OK);
            ck_assert_int_eq(ltk_summary_merge(&whole, &b, &err), LTK_OK);
            ck_assert_msg(ltk_summary_load_merge(&streamed, pb, &err) == LTK_OK, "%s", err.msg);
            char *tw = to_text(&whole), *ts = to_text(&streamed);
            ck_assert_str_eq(ts, tw);
            ck_assert_uint_eq(streamed.nsources, 2);
            free(tw);
            free(ts);
            ltk_summary_release(&a);
            ltk_summary_release(&b);
            ltk_summary_release(&whole);
            ltk_summary_release(&streamed);
        }
    /* another method: refused before anything changes */
    struct ltk_summary h, x;
    summarize(&h, logs[0], LTK_HIST_HDR);
    summarize(&x, logs[0], LTK_HIST_EXACT);
    char px[1024];
    snprintf(px, sizeof px, "%s/exact.ltk.json", dir);
    write_summary(&x, px);
    char *before = to_text(&h);
    struct ltk_error err;
    ck_assert_int_eq(ltk_summary_load_merge(&h, px, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "different methods: hdr and exact"));
    char *after = to_text(&h);
    ck_assert_str_eq(after, before);
    free(after);
    /* a file cut off after its first interval: its own error, not the merge's */
    FILE *fp = fopen(px, "r");
    ck_assert_ptr_nonnull(fp);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    char *iv = strstr(buf, "\"intervals\":[");
    ck_assert_ptr_nonnull(iv);
    char *second = strstr(iv, "]},{\"t\":");
    ck_assert_ptr_nonnull(second);
    ck_assert_uint_lt((size_t)(second - buf), n);
    snprintf(px, sizeof px, "%s/cut.ltk.json", dir);
    fp = fopen(px, "w");
    ck_assert_ptr_nonnull(fp);
    fwrite(buf, 1, (size_t)(second - buf) + 2, fp);
    ck_assert_int_eq(fclose(fp), 0);
    ck_assert_int_ne(ltk_summary_load_merge(&h, px, &err), LTK_OK);
    ck_assert_msg(strstr(err.msg, "different methods") == NULL, "%s", err.msg);
    free(before);
    ltk_summary_release(&h);
    ltk_summary_release(&x);
}
END_TEST

/* Past --max-names, names go to "(other)" after a merge as in one read. */
START_TEST(max_names_pick_the_same_names_after_a_merge)
{
    const char *dir = temp_dir();
    char pa[1024], pb[1024], pw[1024];
    static const char head[] = "timestamp,request_type,name,response_time,response_length,success,exception\n";
    static const char rows_a[] = "1.0,GET,/a,1,1,1,\n1.1,GET,/b,2,1,0,boom\n";
    static const char rows_b[] = "2.0,GET,/c,3,1,0,boom\n2.1,GET,/a,4,1,1,\n2.2,GET,/d,5,1,0,bang\n";
    char text[512];
    snprintf(text, sizeof text, "%s%s", head, rows_a);
    snprintf(pa, sizeof pa, "%s", write_file(dir, "a.csv", text));
    snprintf(text, sizeof text, "%s%s", head, rows_b);
    snprintf(pb, sizeof pb, "%s", write_file(dir, "b.csv", text));
    snprintf(text, sizeof text, "%s%s%s", head, rows_a, rows_b);
    snprintf(pw, sizeof pw, "%s", write_file(dir, "w.csv", text));
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.max_names = 2;
    struct ltk_summary sa, sb, sw;
    struct ltk_error err;
    ltk_summary_init(&sa);
    ltk_summary_init(&sb);
    ltk_summary_init(&sw);
    ck_assert_int_eq(ltk_rawlog_summarize(&sa, pa, &opt, &err), LTK_OK);
    ck_assert_int_eq(ltk_rawlog_summarize(&sb, pb, &opt, &err), LTK_OK);
    ck_assert_int_eq(ltk_rawlog_summarize(&sw, pw, &opt, &err), LTK_OK);
    ck_assert_int_eq(ltk_summary_merge(&sa, &sb, &err), LTK_OK);
    ck_assert_uint_eq(sa.nendpoints, 3);
    ck_assert_str_eq(sa.endpoints[2].name, "(other)");
    ck_assert_uint_eq(sa.other_requests, 2);
    ck_assert_uint_eq(sa.nfailures, 3);
    ck_assert_str_eq(sa.failures[1].name, "(other)");
    ck_assert_str_eq(sa.failures[1].error, "boom");
    free(sa.sources[0].path);
    sa.sources[0].path = strdup(pw);
    sa.sources[0].rows += sa.sources[1].rows;
    sa.nsources = 1;
    char *tm = to_text(&sa), *tw = to_text(&sw);
    ck_assert_str_eq(tm, tw);
    sa.nsources = 2;
    free(tm);
    free(tw);
    ltk_summary_release(&sa);
    ltk_summary_release(&sb);
    ltk_summary_release(&sw);
}
END_TEST

/* ---- the strict reader ------------------------------------------------------- */

/* A minimal valid document, with %s slots for the total's hist and the
 * endpoints' list, to break one thing at a time. */
static const char good_doc[] =
    "{\"schema\":\"ltk.summary/1\",\"ltk_version\":\"0\",\"method\":\"hdr\",\"interval_s\":1,"
    "\"percentiles\":[\"50\",\"99.9\"],\"fold\":false,\"max_names\":1000,"
    "\"sources\":[{\"path\":\"a.csv\",\"format\":\"locust-hook\",\"rows\":2,\"skipped\":0,\"first_bad\":null,"
    "\"users_source\":null}],\"time\":{\"timed\":2,\"start\":10.5,\"end\":11.25},\"other_requests\":0,"
    "\"k6_orphans\":0,\"total\":{\"failures\":1,\"bytes\":20,\"sized\":2,\"hist\":%s},"
    "\"endpoints\":[{\"method\":\"GET\",\"name\":\"/a\",\"other\":false,\"failures\":1,\"bytes\":20,\"sized\":2,"
    "\"hist\":%s}],\"failures\":[{\"method\":\"GET\",\"name\":\"/a\",\"error\":\"boom\",\"occurrences\":1}],"
    "\"intervals\":[{\"t\":10,\"users\":null,\"failures\":1,\"total\":%s,\"cells\":[[0,1,%s]]},"
    "{\"t\":11,\"users\":5,\"failures\":0,\"total\":%s,\"cells\":[[0,0,%s]]}]}";

/* hdr buckets of 1 ms (index 20481) and 2 ms (21505) */
#define H_BOTH "{\"count\":2,\"min\":1,\"max\":2,\"sum_ns\":\"3000000\",\"buckets\":[20481,1,21505,1]}"
#define H_ONE "{\"count\":1,\"min\":1,\"max\":1,\"sum_ns\":\"1000000\",\"buckets\":[20481,1]}"
#define H_TWO "{\"count\":1,\"min\":2,\"max\":2,\"sum_ns\":\"2000000\",\"buckets\":[21505,1]}"

static int parse_doc(const char *total, const char *ep, const char *iv1, const char *iv2, struct ltk_error *err)
{
    static char text[8192];
    snprintf(text, sizeof text, good_doc, total, ep, iv1, iv1, iv2, iv2);
    struct ltk_summary s;
    ltk_summary_init(&s);
    ltk_error_clear(err);
    int rc = ltk_summary_parse(&s, text, strlen(text), "t.json", err);
    ltk_summary_release(&s);
    return rc;
}

START_TEST(the_minimal_document_is_valid_and_its_indices_are_hdrs)
{
    ck_assert_int_eq(ltk_hist_hdr_index(1.0), 20481);
    ck_assert_int_eq(ltk_hist_hdr_index(2.0), 21505);
    struct ltk_error err;
    int rc = parse_doc(H_BOTH, H_BOTH, H_ONE, H_TWO, &err);
    ck_assert_msg(rc == LTK_OK, "%s", err.msg);
}
END_TEST

static const struct {
    const char *total, *ep, *iv1, *iv2;
    const char *message;
} bad_docs[] = {
    { "{\"count\":3,\"min\":1,\"max\":2,\"sum_ns\":\"3000000\",\"buckets\":[20481,1,21505,1]}", H_BOTH, H_ONE, H_TWO,
      "total.hist: 'count' is 3 but the keys' counts add up to 2" },
    { H_BOTH, "{\"count\":2,\"min\":1,\"max\":2,\"sum_ns\":\"3000000\",\"buckets\":[21505,1,20481,1]}", H_ONE, H_TWO,
      "endpoints[0].hist.buckets[2]: keys must be strictly ascending" },
    { H_BOTH, "{\"count\":2,\"min\":1,\"max\":2,\"sum_ns\":\"3000000\",\"buckets\":[20481,1,21505]}", H_ONE, H_TWO,
      "endpoints[0].hist: 'buckets': expected key, count pairs" },
    { H_BOTH, "{\"count\":2,\"min\":1,\"max\":2,\"sum_ns\":\"3000000\",\"buckets\":[20481,1,99999999,1]}", H_ONE,
      H_TWO, "endpoints[0].hist.buckets[2]: 99999999 is not a key of the hdr method" },
    { H_BOTH, "{\"count\":2,\"min\":1,\"max\":2,\"sum_ns\":\"3000000\",\"buckets\":[20481,1,21505,0.5]}", H_ONE,
      H_TWO, "endpoints[0].hist.buckets[3]: expected a count" },
    { H_BOTH, "{\"count\":2,\"min\":1,\"max\":3,\"sum_ns\":\"3000000\",\"buckets\":[20481,1,21505,1]}", H_ONE, H_TWO,
      "endpoints[0].hist: min and max must fall in the first and the last key" },
    { H_BOTH, "{\"count\":2,\"min\":1,\"max\":2,\"sum_ns\":\"9000000\",\"buckets\":[20481,1,21505,1]}", H_ONE, H_TWO,
      "endpoints[0].hist: 'sum_ns' is not between count x min and count x max" },
    { H_BOTH, "{\"count\":2,\"min\":1,\"max\":2,\"sum_ns\":3000000,\"buckets\":[20481,1,21505,1]}", H_ONE, H_TWO,
      "endpoints[0].hist: 'sum_ns': expected the sum in whole nanoseconds as a string of digits" },
    { H_BOTH, "{\"count\":2,\"min\":1,\"max\":2,\"sum_ns\":\"3000000\",\"counts\":{}}", H_ONE, H_TWO,
      "endpoints[0].hist: unknown field 'counts'" },
    { H_BOTH, H_BOTH, H_TWO, H_TWO, "'intervals': they do not add up to the total" },
    { H_BOTH, H_ONE, H_ONE, H_TWO, "endpoints[0]: more failures or sized requests than requests" },
};

START_TEST(bad_documents_are_refused_with_what_is_wrong)
{
    struct ltk_error err;
    int rc = parse_doc(bad_docs[_i].total, bad_docs[_i].ep, bad_docs[_i].iv1, bad_docs[_i].iv2, &err);
    ck_assert_int_eq(rc, LTK_EFORMAT);
    ck_assert_str_eq(err.file, "t.json");
    ck_assert_msg(strstr(err.msg, bad_docs[_i].message) != NULL, "got: %s\nwant: %s", err.msg,
                  bad_docs[_i].message);
}
END_TEST

START_TEST(other_documents_are_refused_too)
{
    static const struct {
        const char *text, *message;
    } cases[] = {
        { "[1,2]", "expected a JSON object" },
        { "{\"schema\":\"ltk.summary/9\"}", "is a version this ltk does not read" },
        { "{\"schema\":\"ltk.stats/1\"}", "expected ltk.summary/2 or ltk.summary/1" },
        { "{}", "no \"schema\" string" },
        { "{\"schema\":\"ltk.summary/1\"} x", "text after the document" },
        { "{\"schema\":", "not valid JSON" },
        { "{\"schema\":\"ltk.summary/1\",\"method\":\"hdr\"}", "missing field" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ltk_summary s;
        struct ltk_error err;
        ltk_summary_init(&s);
        ltk_error_clear(&err);
        int rc = ltk_summary_parse(&s, cases[i].text, strlen(cases[i].text), "t.json", &err);
        ck_assert_int_eq(rc, LTK_EFORMAT);
        ck_assert_msg(strstr(err.msg, cases[i].message) != NULL, "%s: got %s", cases[i].text, err.msg);
        ltk_summary_release(&s);
    }
}
END_TEST

START_TEST(a_summary_becomes_the_run_of_its_log)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/raw/multiline_requests.csv", src_dir());
    struct ltk_run a, b;
    struct ltk_error err;
    ltk_run_init(&a);
    ltk_run_init(&b);
    ck_assert_int_eq(ltk_run_load(&a, path, &err), LTK_OK);
    struct ltk_summary s;
    summarize(&s, "tests/data/raw/multiline_requests.csv", LTK_HIST_HDR);
    ck_assert_int_eq(ltk_summary_to_run(&s, "s.json", &b, &err), LTK_OK);
    ck_assert_uint_eq(a.nendpoints, b.nendpoints);
    for (size_t i = 0; i < a.nendpoints; i++) {
        ck_assert_str_eq(a.endpoints[i].name, b.endpoints[i].name);
        ck_assert_uint_eq(a.endpoints[i].requests, b.endpoints[i].requests);
        ck_assert_uint_eq(a.endpoints[i].failures, b.endpoints[i].failures);
        for (size_t k = 0; k < a.stats_pct.n; k++)
            ck_assert_double_eq(a.endpoints[i].pct[k], b.endpoints[i].pct[k]);
    }
    ck_assert_uint_eq(a.nhistory, b.nhistory);
    for (size_t i = 0; i < a.nhistory; i++) {
        ck_assert_int_eq(a.history[i].ts, b.history[i].ts);
        ck_assert_uint_eq(a.history[i].requests, b.history[i].requests);
        ck_assert_double_eq(a.history[i].mean, b.history[i].mean);
        for (size_t k = 0; k < a.history_pct.n; k++)
            ck_assert(a.history[i].pct[k] == b.history[i].pct[k] ||
                      (isnan(a.history[i].pct[k]) && isnan(b.history[i].pct[k])));
    }
    ck_assert_uint_eq(a.nfailures, b.nfailures);
    ltk_summary_release(&s);
    ltk_run_release(&a);
    ltk_run_release(&b);
}
END_TEST

/* A summary does not depend on the order of rows: rows that come more than
 * 300 s late go into their closed interval's histogram one by one (each
 * key put in place), and give what the same rows in time order give. */
/* The summary's last interval counts only its own seconds, as the log's does
 * (one request a second for 25 s, 10 s intervals: 1 req/s in each). */
START_TEST(last_interval_rate_from_a_summary)
{
    char text[4096] = "timestamp,request_type,name,response_time,response_length,success,exception\n";
    size_t n = strlen(text);
    for (int t = 0; t < 25; t++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%d.5,GET,/a,10,1,1,\n", 1700000000 + t);
    const char *path = write_file(temp_dir(), "r25_requests.csv", text);
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.interval_s = 10;
    struct ltk_summary s;
    ltk_summary_init(&s);
    ck_assert_int_eq(ltk_rawlog_summarize(&s, path, &opt, NULL), LTK_OK);
    struct ltk_run run;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_summary_to_run(&s, path, &run, NULL), LTK_OK);
    size_t totals = 0;
    for (size_t i = 0; i < run.nhistory; i++)
        if (run.history[i].is_total) {
            totals++;
            ck_assert_msg(fabs(run.history[i].rps - 1) < 1e-9, "%g req/s", run.history[i].rps);
        }
    ck_assert_uint_eq(totals, 3);
    ltk_run_release(&run);
    ltk_summary_release(&s);
}
END_TEST

START_TEST(late_rows_give_the_summary_of_rows_in_order)
{
    const char *dir = temp_dir();
    char po[1024], pl[1024];
    snprintf(po, sizeof po, "%s/inorder.csv", dir);
    snprintf(pl, sizeof pl, "%s/late.csv", dir);
    FILE *fo = fopen(po, "w"), *fl = fopen(pl, "w");
    ck_assert_ptr_nonnull(fo);
    ck_assert_ptr_nonnull(fl);
    static const char head[] = "timestamp,request_type,name,response_time,response_length,success,exception\n";
    fputs(head, fo);
    fputs(head, fl);
    fputs("1700001000.5,GET,/a,7.25,1,1,\n", fl);   /* first in the late log: every other row is late */
    uint64_t x = 99;
    for (int i = 0; i < 20000; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        double ms = (double)((x >> 24) % 2000000) / 1000 + (i % 7 == 0 ? 20000 : 0);
        fprintf(fo, "%.3f,GET,/a,%.3f,1,%d,%s\n", 1700000000.0 + i / 50.0, ms, i % 5 ? 1 : 0, i % 5 ? "" : "boom");
        fprintf(fl, "%.3f,GET,/a,%.3f,1,%d,%s\n", 1700000000.0 + i / 50.0, ms, i % 5 ? 1 : 0, i % 5 ? "" : "boom");
    }
    fputs("1700001000.5,GET,/a,7.25,1,1,\n", fo);
    ck_assert_int_eq(fclose(fo), 0);
    ck_assert_int_eq(fclose(fl), 0);
    for (int m = LTK_HIST_HDR; m <= LTK_HIST_EXACT; m++) {
        struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
        opt.interval_s = 1; /* the 1 s machinery, not the automatic interval */
        opt.method = (enum ltk_hist_method)m;
        struct ltk_summary so, sl;
        struct ltk_error err;
        ltk_summary_init(&so);
        ltk_summary_init(&sl);
        ck_assert_int_eq(ltk_rawlog_summarize(&so, po, &opt, &err), LTK_OK);
        ck_assert_int_eq(ltk_rawlog_summarize(&sl, pl, &opt, &err), LTK_OK);
        ck_assert_uint_eq(sl.nintervals, 401);
        /* but for the source's path */
        char *keep = sl.sources[0].path;
        sl.sources[0].path = so.sources[0].path;
        char *to = to_text(&so), *tl = to_text(&sl);
        ck_assert_str_eq(tl, to);
        sl.sources[0].path = keep;
        free(to);
        free(tl);
        ltk_summary_release(&so);
        ltk_summary_release(&sl);
    }
}
END_TEST

/* Summaries of logs 100 days apart merge (the span is not limited, only the
 * number of intervals with requests); the run of the result has the first
 * and last interval of the gap, as the log of both would. */
START_TEST(summaries_far_apart_merge_and_their_gap_stays_small)
{
    const char *dir = temp_dir();
    static const char head[] = "timestamp,request_type,name,response_time,response_length,success,exception\n";
    char pa[1024], pb[1024], pw[1024], text[512];
    snprintf(text, sizeof text, "%s1700000000.5,GET,/a,1,1,1,\n1700000001.5,GET,/a,2,1,1,\n", head);
    snprintf(pa, sizeof pa, "%s", write_file(dir, "a.csv", text));
    snprintf(text, sizeof text, "%s1708640000.5,GET,/b,3,1,0,x\n", head);
    snprintf(pb, sizeof pb, "%s", write_file(dir, "b.csv", text));
    snprintf(text, sizeof text, "%s1700000000.5,GET,/a,1,1,1,\n1700000001.5,GET,/a,2,1,1,\n1708640000.5,GET,/b,3,1,0,x\n",
             head);
    snprintf(pw, sizeof pw, "%s", write_file(dir, "w.csv", text));
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
        opt.interval_s = 1; /* the 1 s machinery, not the automatic interval */
    struct ltk_summary sa, sb;
    struct ltk_error err;
    ltk_summary_init(&sa);
    ltk_summary_init(&sb);
    ck_assert_int_eq(ltk_rawlog_summarize(&sa, pa, &opt, &err), LTK_OK);
    ck_assert_int_eq(ltk_rawlog_summarize(&sb, pb, &opt, &err), LTK_OK);
    ck_assert_msg(ltk_summary_merge(&sa, &sb, &err) == LTK_OK, "%s", err.msg);
    ck_assert_uint_eq(sa.nintervals, 3);
    /* it reads back */
    char *t = to_text(&sa);
    struct ltk_summary back;
    ltk_summary_init(&back);
    ck_assert_msg(ltk_summary_parse(&back, t, strlen(t), "m.json", &err) == LTK_OK, "%s", err.msg);
    ck_assert_uint_eq(back.nintervals, 3);
    free(t);
    /* its run is the log's */
    struct ltk_run rm, rw;
    ltk_run_init(&rm);
    ltk_run_init(&rw);
    ck_assert_int_eq(ltk_summary_to_run(&back, "m.json", &rm, &err), LTK_OK);
    ck_assert_int_eq(ltk_run_load_with(&rw, pw, &opt, &err), LTK_OK);
    /* /a, total at ..00 and ..01; empty totals at ..02 and 1708639999; /b, total */
    ck_assert_uint_eq(rm.nhistory, 8);
    ck_assert_uint_eq(rw.nhistory, rm.nhistory);
    for (size_t i = 0; i < rm.nhistory; i++) {
        ck_assert_int_eq(rm.history[i].ts, rw.history[i].ts);
        ck_assert_str_eq(rm.history[i].name, rw.history[i].name);
        ck_assert_uint_eq(rm.history[i].requests, rw.history[i].requests);
    }
    ck_assert_int_eq(rm.history[4].ts, 1700000002);
    ck_assert_int_eq(rm.history[5].ts, 1708639999);
    ck_assert_uint_eq(rm.nwarnings, 1);
    ck_assert_uint_eq(rw.nwarnings, 1);
    ck_assert_ptr_nonnull(strstr(rm.warnings[0], "1 gap(s) of more than 300 s without requests, the longest "
                                                 "8639998 s from Unix time 1700000002"));
    ck_assert_str_eq(strstr(rm.warnings[0], ": "), strstr(rw.warnings[0], ": "));
    ltk_run_release(&rm);
    ltk_run_release(&rw);
    ltk_summary_release(&back);
    ltk_summary_release(&sa);
    ltk_summary_release(&sb);
}
END_TEST

/* A document whose two intervals are 2^40 s apart is read, and its run has
 * four history rows, not 2^40. */
START_TEST(a_summary_spanning_ages_is_read_and_its_run_stays_small)
{
    static char text[8192];
    char *p = NULL;
    snprintf(text, sizeof text, good_doc, H_BOTH, H_BOTH, H_ONE, H_ONE, H_TWO, H_TWO);
    /* move the second interval and the end time 2^40 s on */
    ck_assert_ptr_nonnull(p = strstr(text, "{\"t\":11,"));
    static char moved[8192];
    snprintf(moved, sizeof moved, "%.*s{\"t\":1099511627787,%s", (int)(p - text), text, p + strlen("{\"t\":11,"));
    ck_assert_ptr_nonnull(p = strstr(moved, "\"end\":11.25"));
    snprintf(text, sizeof text, "%.*s\"end\":1099511627787.25%s", (int)(p - moved), moved, p + strlen("\"end\":11.25"));
    struct ltk_summary s;
    struct ltk_error err;
    ltk_summary_init(&s);
    ck_assert_msg(ltk_summary_parse(&s, text, strlen(text), "t.json", &err) == LTK_OK, "%s", err.msg);
    struct ltk_run run;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_summary_to_run(&s, "t.json", &run, &err), LTK_OK);
    /* /a and the total at 10, empty totals at 11 and 2^40 + 10, /a and the total at 2^40 + 11 */
    ck_assert_uint_eq(run.nhistory, 6);
    ck_assert_int_eq(run.history[2].ts, 11);
    ck_assert_int_eq(run.history[3].ts, 1099511627786);
    ck_assert_int_eq(run.history[5].users, 5);
    ck_assert_int_eq(run.history[3].users, 0);
    ltk_run_release(&run);
    ltk_summary_release(&s);
}
END_TEST

/* ---- the piece-by-piece reader against the whole-tree one ----------------- */

static char *read_all(const char *rel, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", src_dir(), rel);
    FILE *fp = fopen(path, "rb");
    ck_assert_msg(fp != NULL, "%s", path);
    char *t = slurp(fp);
    fclose(fp);
    *len = strlen(t);
    return t;
}

/* Both readers on text: the same outcome, the same message and line, and
 * when both read it, the same summary written back. */
static void same_outcome(const char *text, size_t len, const char *what, size_t at)
{
    struct ltk_summary a, b;
    struct ltk_error ea, eb;
    ltk_summary_init(&a);
    ltk_summary_init(&b);
    ltk_error_clear(&ea);
    ltk_error_clear(&eb);
    int ra = ltk_summary_parse(&a, text, len, "t.json", &ea);
    int rb = ltk_summary_parse_whole(&b, text, len, "t.json", &eb);
    ck_assert_msg(ra == rb, "%s at %zu: %d (%s) against %d (%s)", what, at, ra, ea.msg, rb, eb.msg);
    if (ra) {
        ck_assert_msg(strcmp(ea.msg, eb.msg) == 0 && ea.line == eb.line, "%s at %zu: %ld: %s\nagainst %ld: %s", what,
                      at, ea.line, ea.msg, eb.line, eb.msg);
    } else {
        char *ta = to_text(&a), *tb = to_text(&b);
        ck_assert_msg(strcmp(ta, tb) == 0, "%s at %zu: different summaries", what, at);
        cJSON_free(ta);
        cJSON_free(tb);
    }
    ltk_summary_release(&a);
    ltk_summary_release(&b);
}

/* Cuts, deleted bytes and eight replacements (every byte of the head, every
 * 19th or 41st byte after it; replacements every 5th in the head) of a real
 * summary, compact and pretty, read in blocks of 1 MiB and of 7 bytes
 * (pieces straddling reads): the streamed reader says what the whole-tree
 * one says, byte offset and line included. */
START_TEST(streamed_and_whole_readers_agree_on_every_mutation)
{
    static const char *const files[] = { "tests/data/summary/smoke_10s.ltk.json", "tests/data/summary/truncated.ltk.json" };
    static const char repl[] = { '"', ',', '}', ']', 'x', '\n', '1', '\\' };
    ltk_json_stream_set_block(_i ? 7 : 0);
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        size_t len;
        char *orig = read_all(files[f], &len);
        for (int pretty = 0; pretty < 2; pretty++) {
            char *text = orig;
            if (pretty) {
                cJSON *doc = cJSON_ParseWithLength(orig, len);
                if (!doc)
                    continue;   /* the cut-off sample */
                text = cJSON_Print(doc);
                cJSON_Delete(doc);
            }
            size_t n = strlen(text);
            same_outcome(text, n, "whole", 0);
            char *m = malloc(n + 1);
            /* every byte of the head (each kind of member), then a sample */
            size_t head = 700, stride = pretty ? 41 : 19;
            for (size_t i = 0; i < n; i += i < head ? 1 : stride) {
                same_outcome(text, i, "cut", i);
                memcpy(m, text, i);
                memcpy(m + i, text + i + 1, n - i - 1);
                same_outcome(m, n - 1, "deleted", i);
                if (i % 5 && i < head)
                    continue;
                memcpy(m, text, n);
                for (size_t k = 0; k < sizeof repl; k++) {
                    if (text[i] == repl[k])
                        continue;
                    m[i] = repl[k];
                    same_outcome(m, n, "replaced", i);
                }
            }
            free(m);
            if (pretty)
                cJSON_free(text);
        }
        free(orig);
    }
    ltk_json_stream_set_block(0);
}
END_TEST

/* A file is read once: a NUL byte anywhere is its error, before a syntax
 * error or a wrong value earlier in it, as when the whole text was read
 * first; and a file starting with anything but '{' is not a summary. */
START_TEST(a_nul_anywhere_in_a_file_is_its_error)
{
    size_t len;
    char *good = read_all("tests/data/summary/smoke_10s.ltk.json", &len);
    static const char *const early[] = { "{\"schema\":1,", "{\"schema\" 1", "{\"schema\":\"ltk.summary/2\"," };
    ltk_json_stream_set_block(_i ? 7 : 0);
    for (size_t k = 0; k < sizeof early / sizeof early[0]; k++) {
        /* the early fault, then the rest of a real summary with a NUL near its end */
        char *t = malloc(len + 64);
        size_t n = (size_t)snprintf(t, len + 64, "%s", early[k]);
        memcpy(t + n, good + 1, len - 1);
        n += len - 1;
        t[n - 5] = '\0';
        char path[1024];
        snprintf(path, sizeof path, "%s/nul.ltk.json", temp_dir());
        FILE *fp = fopen(path, "wb");
        ck_assert_uint_eq(fwrite(t, 1, n, fp), n);
        fclose(fp);
        free(t);
        struct ltk_summary s;
        struct ltk_error err;
        ltk_summary_init(&s);
        ck_assert_int_eq(ltk_summary_load(&s, path, &err), LTK_EFORMAT);
        ck_assert_str_eq(err.msg, "not valid JSON: a NUL byte");
        ltk_summary_release(&s);
    }
    const char *p = write_file(temp_dir(), "array.ltk.json", "  [1]");
    struct ltk_summary s;
    struct ltk_error err;
    ltk_summary_init(&s);
    ck_assert_int_eq(ltk_summary_load(&s, p, &err), LTK_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "not an ltk summary (not a JSON object)"));
    ltk_json_stream_set_block(0);
    free(good);
}
END_TEST

static void assert_same_run(const struct ltk_run *a, const struct ltk_run *b)
{
    ck_assert_uint_eq(a->nendpoints, b->nendpoints);
    for (size_t i = 0; i < a->nendpoints; i++) {
        ck_assert_str_eq(a->endpoints[i].name, b->endpoints[i].name);
        ck_assert_uint_eq(a->endpoints[i].requests, b->endpoints[i].requests);
        ck_assert_uint_eq(a->endpoints[i].failures, b->endpoints[i].failures);
        for (size_t k = 0; k < a->stats_pct.n; k++)
            ck_assert_double_eq(a->endpoints[i].pct[k], b->endpoints[i].pct[k]);
    }
    ck_assert_uint_eq(a->nhistory, b->nhistory);
    for (size_t i = 0; i < a->nhistory; i++) {
        ck_assert_int_eq(a->history[i].ts, b->history[i].ts);
        ck_assert_int_eq(a->history[i].users, b->history[i].users);
        ck_assert_uint_eq(a->history[i].requests, b->history[i].requests);
        ck_assert(a->history[i].rps == b->history[i].rps);
        ck_assert(a->history[i].mean == b->history[i].mean || (isnan(a->history[i].mean) && isnan(b->history[i].mean)));
        for (size_t k = 0; k < a->history_pct.n; k++)
            ck_assert(a->history[i].pct[k] == b->history[i].pct[k] ||
                      (isnan(a->history[i].pct[k]) && isnan(b->history[i].pct[k])));
    }
    ck_assert_uint_eq(a->nfailures, b->nfailures);
    ck_assert_uint_eq(a->nwarnings, b->nwarnings);
    for (size_t i = 0; i < a->nwarnings; i++)
        ck_assert_str_eq(a->warnings[i], b->warnings[i]);
}

/* ltk_summary_load_run (intervals read, turned into rows and freed one by
 * one) builds the run that ltk_summary_load and ltk_summary_to_run build,
 * also for a summary whose intervals come first (read into the tree). */
START_TEST(a_streamed_summary_gives_the_run_of_the_whole_one)
{
    static const char *const files[] = { "tests/data/summary/smoke_10s.ltk.json", "tests/data/summary/stress.ltk.json",
                                         "tests/data/summary/status.ltk.json", "samples/ci/baseline.ltk.json" };
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        for (int reorder = 0; reorder < 2; reorder++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", src_dir(), files[f]);
            if (reorder) {
                size_t len;
                char *t = read_all(files[f], &len);
                cJSON *doc = cJSON_ParseWithLength(t, len);
                free(t);
                ck_assert_ptr_nonnull(doc);
                cJSON *iv = cJSON_DetachItemFromObject(doc, "intervals");
                cJSON *first = cJSON_CreateObject();
                cJSON_AddItemToObject(first, "intervals", iv);
                for (cJSON *c = doc->child; c;) {
                    cJSON *next = c->next;
                    cJSON_AddItemToObject(first, c->string, cJSON_DetachItemViaPointer(doc, c));
                    c = next;
                }
                char *out = cJSON_Print(first);
                cJSON_Delete(first);
                cJSON_Delete(doc);
                snprintf(path, sizeof path, "%s", write_file(temp_dir(), "reordered.ltk.json", out));
                cJSON_free(out);
            }
            struct ltk_summary s;
            struct ltk_error err;
            ltk_summary_init(&s);
            ck_assert_msg(ltk_summary_load(&s, path, &err) == LTK_OK, "%s: %s", path, err.msg);
            struct ltk_run a, b;
            ltk_run_init(&a);
            ltk_run_init(&b);
            ck_assert_int_eq(ltk_summary_to_run(&s, path, &a, &err), LTK_OK);
            ck_assert_msg(ltk_summary_load_run(path, &b, &err) == LTK_OK, "%s: %s", path, err.msg);
            ck_assert_uint_gt(a.nhistory, 0);
            assert_same_run(&a, &b);
            ltk_summary_release(&s);
            ltk_run_release(&a);
            ltk_run_release(&b);
        }
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("summary");
    TCase *t = tcase_create("core");
    tcase_add_loop_test(t, shist_merge_equals_the_histogram_of_the_union, LTK_HIST_HDR, LTK_HIST_EXACT + 1);
    tcase_add_loop_test(t, an_intervals_total_is_the_union_of_its_cells, LTK_HIST_HDR, LTK_HIST_EXACT + 1);
    tcase_add_test(t, sum_ns_text_round_trips_past_2_to_the_53);
    tcase_add_test(t, a_summary_reads_back_identically);
    tcase_add_test(t, merge_of_halves_equals_the_whole);
    tcase_add_test(t, the_streaming_writer_prints_the_trees_bytes);
    tcase_add_test(t, merge_refuses_different_settings_and_leaves_dst_alone);
    tcase_add_test(t, a_summary_merged_as_it_is_read_equals_one_merged_whole);
    tcase_add_test(t, max_names_pick_the_same_names_after_a_merge);
    tcase_add_test(t, the_minimal_document_is_valid_and_its_indices_are_hdrs);
    tcase_add_loop_test(t, bad_documents_are_refused_with_what_is_wrong, 0,
                        (int)(sizeof bad_docs / sizeof bad_docs[0]));
    tcase_add_test(t, other_documents_are_refused_too);
    tcase_add_test(t, a_summary_becomes_the_run_of_its_log);
    tcase_add_test(t, summaries_far_apart_merge_and_their_gap_stays_small);
    tcase_add_test(t, late_rows_give_the_summary_of_rows_in_order);
    tcase_add_test(t, last_interval_rate_from_a_summary);
    tcase_add_test(t, a_summary_spanning_ages_is_read_and_its_run_stays_small);
    tcase_add_loop_test(t, streamed_and_whole_readers_agree_on_every_mutation, 0, 2);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, a_streamed_summary_gives_the_run_of_the_whole_one);
    tcase_add_loop_test(t, a_nul_anywhere_in_a_file_is_its_error, 0, 2);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return run_suite(suite());
}

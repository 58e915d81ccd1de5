/* Check suite for latency, connect and TLS times of raw logs (ltk_endpoint.
 * timing): read from a hand-made JTL and k6 CSV with known values, exactly
 * (the exact method) and in the hdr histogram's keys; absent when the log
 * has no such columns; kept in a summary, through its JSON, and merged
 * exactly; the total formed again by --only; and the columns and metrics a
 * log has that ltk does not read. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ltk/read/rawlog.h"
#include "ltk/read/load.h"
#include "ltk/read/summary_json.h"
#include "ltk/read/summary_run.h"
#include "ltk/model/run.h"
#include "ltk/model/select.h"
#include "ltk/model/summary.h"
#include "ltk/render/stats_view.h"
#include "testutil.h"

static const char *dir;

static void setup(void)
{
    dir = temp_dir();
}

/* Latency 30, 10, 20 for /a (one empty: none), connect 5, 0, 0, 0. */
static const char jtl[] =
    "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,"
    "sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n"
    "1700000000000,40,/a,200,OK,T 1-1,text,true,,10,5,1,1,http://x/a,30,0,5\n"
    "1700000000100,15,/a,200,OK,T 1-1,text,true,,10,5,1,1,http://x/a,10,0,0\n"
    "1700000000200,25,/b,500,Error,T 1-1,text,false,,10,5,1,1,http://x/b,20,0,0\n"
    "1700000000300,12,/a,200,OK,T 1-1,text,true,,10,5,1,1,http://x/a,,0,0\n";

/* k6's order for a request: reqs, duration, blocked, connecting, tls, sending, waiting, receiving, failed. */
#define K6_HEAD "metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto," \
                "scenario,service,status,subproto,tls_version,url,extra_tags\n"
#define K6_REQ(ts, name, dur, conn, tls, wait, failed, status)                                                 \
    "http_reqs," ts ",1,,,,true,,GET," name ",HTTP/1.1,default,," status ",,,u,\n"                             \
    "http_req_duration," ts "," dur ",,,,true,,GET," name ",HTTP/1.1,default,," status ",,,u,\n"              \
    "http_req_blocked," ts ",0.5,,,,true,,GET," name ",HTTP/1.1,default,," status ",,,u,\n"                   \
    "http_req_connecting," ts "," conn ",,,,true,,GET," name ",HTTP/1.1,default,," status ",,,u,\n"           \
    "http_req_tls_handshaking," ts "," tls ",,,,true,,GET," name ",HTTP/1.1,default,," status ",,,u,\n"       \
    "http_req_sending," ts ",0.1,,,,true,,GET," name ",HTTP/1.1,default,," status ",,,u,\n"                   \
    "http_req_waiting," ts "," wait ",,,,true,,GET," name ",HTTP/1.1,default,," status ",,,u,\n"              \
    "http_req_receiving," ts ",0.2,,,,true,,GET," name ",HTTP/1.1,default,," status ",,,u,\n"                 \
    "http_req_failed," ts "," failed ",,,,true,,GET," name ",HTTP/1.1,default,," status ",,,u,\n"

static const char k6[] = K6_HEAD K6_REQ("1595325560", "/a", "100.5", "12.25", "30.5", "99.75", "0", "200")
    K6_REQ("1595325561", "/a", "50", "0", "0", "48.5", "0", "200")
    K6_REQ("1595325561", "/b", "7", "0", "0", "6.25", "1", "503")
    "iterations,1595325561,1,,,,,,,,,default,,,,,,\n";

static int load(struct ltk_run *run, const char *name, const char *text, enum ltk_hist_method m,
                struct ltk_error *err)
{
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.method = m;
    const char *path = write_file(dir, name, text);
    ltk_run_init(run);
    ltk_error_clear(err);
    return ltk_run_load_with(run, path, &opt, err);
}

static const struct ltk_endpoint *endpoint(const struct ltk_run *run, const char *name)
{
    for (size_t i = 0; i < run->nendpoints; i++)
        if (strcmp(run->endpoints[i].name, name) == 0)
            return &run->endpoints[i];
    ck_abort_msg("no endpoint %s", name);
    return NULL;
}

static void hist_is(const struct ltk_hist *h, uint64_t n, double min, double max, double sum)
{
    ck_assert_ptr_nonnull(h);
    ck_assert_uint_eq(ltk_hist_count(h), n);
    ck_assert_double_eq(ltk_hist_min(h), min);
    ck_assert_double_eq(ltk_hist_max(h), max);
    ck_assert_double_eq_tol(ltk_hist_sum(h), sum, 1e-9);
}

START_TEST(jtl_latency_and_connect_are_read_exactly)
{
    struct ltk_run run;
    struct ltk_error err;
    ck_assert_int_eq(load(&run, "t.jtl", jtl, LTK_HIST_EXACT, &err), LTK_OK);
    const struct ltk_endpoint *a = endpoint(&run, "/a"), *b = endpoint(&run, "/b");
    /* the empty Latency field of the last /a row: no latency for it */
    hist_is(a->timing[LTK_TIMING_LATENCY], 2, 10, 30, 40);
    hist_is(a->timing[LTK_TIMING_CONNECT], 3, 0, 5, 5);
    hist_is(b->timing[LTK_TIMING_LATENCY], 1, 20, 20, 20);
    hist_is(run.total.timing[LTK_TIMING_LATENCY], 3, 10, 30, 60);
    hist_is(run.total.timing[LTK_TIMING_CONNECT], 4, 0, 5, 5);
    ck_assert_double_eq(ltk_hist_quantile(run.total.timing[LTK_TIMING_LATENCY], 0.5), 20);
    ck_assert_double_eq(ltk_hist_quantile(run.total.timing[LTK_TIMING_CONNECT], 0.75), 0);
    ck_assert_double_eq(ltk_hist_quantile(run.total.timing[LTK_TIMING_CONNECT], 1), 5);
    ck_assert_ptr_null(run.total.timing[LTK_TIMING_TLS]);          /* a JTL has none */
    ck_assert_ptr_null(run.timing_from[LTK_TIMING_TLS]);
    ck_assert_str_eq(run.timing_from[LTK_TIMING_LATENCY], "the JTL's Latency column");
    ck_assert(ltk_run_has_timing(&run, LTK_TIMING_CONNECT));
    ck_assert(!ltk_run_has_timing(&run, LTK_TIMING_TLS));
    /* what was not read: the columns no role reads, in header order */
    ck_assert_uint_eq(run.nignored_columns, 6);
    ck_assert_str_eq(run.ignored_columns[0], "threadName");
    ck_assert_str_eq(run.ignored_columns[5], "IdleTime");
    ck_assert_uint_eq(run.nignored_metrics, 0);
    ltk_run_release(&run);
}
END_TEST

START_TEST(jtl_hdr_keys_match_the_values)
{
    struct ltk_run run;
    struct ltk_error err;
    ck_assert_int_eq(load(&run, "h.jtl", jtl, LTK_HIST_HDR, &err), LTK_OK);
    const struct ltk_hist *h = run.total.timing[LTK_TIMING_LATENCY];
    ck_assert_int_eq(ltk_hist_method_of(h), LTK_HIST_HDR);
    /* a bucket's midpoint, within the stated 0.1 %; the largest clamped to the exact max */
    ck_assert_double_eq_tol(ltk_hist_quantile(h, 0.34), 20, 20 * LTK_HIST_HDR_RELATIVE_ERROR);
    ck_assert_double_ne(ltk_hist_quantile(h, 0.34), 10);
    ck_assert_double_eq(ltk_hist_quantile(h, 1), 30);
    uint64_t lo, hi;
    ltk_hist_count_le(run.total.timing[LTK_TIMING_CONNECT], 0, &lo, &hi);
    ck_assert_uint_eq(lo, 3);      /* the reused connections: exactly 0 */
    ck_assert_uint_eq(hi, 3);
    ltk_run_release(&run);
}
END_TEST

START_TEST(k6_timing_rows_join_their_request)
{
    struct ltk_run run;
    struct ltk_error err;
    ck_assert_int_eq(load(&run, "k6.csv", k6, LTK_HIST_EXACT, &err), LTK_OK);
    ck_assert_uint_eq(run.total.requests, 3);
    const struct ltk_endpoint *a = endpoint(&run, "/a"), *b = endpoint(&run, "/b");
    hist_is(a->timing[LTK_TIMING_LATENCY], 2, 48.5, 99.75, 148.25);
    hist_is(a->timing[LTK_TIMING_CONNECT], 2, 0, 12.25, 12.25);
    hist_is(a->timing[LTK_TIMING_TLS], 2, 0, 30.5, 30.5);
    hist_is(b->timing[LTK_TIMING_LATENCY], 1, 6.25, 6.25, 6.25);
    hist_is(run.total.timing[LTK_TIMING_LATENCY], 3, 6.25, 99.75, 154.5);
    ck_assert_double_eq(ltk_hist_quantile(run.total.timing[LTK_TIMING_LATENCY], 0.5), 48.5);
    ck_assert_str_eq(run.timing_from[LTK_TIMING_TLS], "k6's http_req_tls_handshaking metric");
    /* not read: columns and metrics, in the order first seen */
    ck_assert_uint_eq(run.nignored_metrics, 5);
    ck_assert_str_eq(run.ignored_metrics[0], "http_reqs");
    ck_assert_str_eq(run.ignored_metrics[1], "http_req_blocked");
    ck_assert_str_eq(run.ignored_metrics[4], "iterations");
    ck_assert(!run.ignored_more);
    ck_assert_str_eq(run.ignored_columns[0], "check");
    ltk_run_release(&run);
}
END_TEST

START_TEST(no_timing_columns_no_timings)
{
    static const char hook[] = "timestamp,request_type,name,response_time,response_length,success,exception\n"
                               "1700000000,GET,/a,10,5,1,\n1700000001,GET,/a,20,5,1,\n";
    static const char k6_bare[] = K6_HEAD "http_req_duration,1595325560,10,,,,true,,GET,/a,HTTP/1.1,default,,200,,,u,\n";
    static const char jtl_bare[] = "timeStamp,elapsed,label,success\n1700000000000,40,/a,true\n";
    const char *const texts[] = { hook, k6_bare, jtl_bare };
    for (size_t i = 0; i < 3; i++) {
        struct ltk_run run;
        struct ltk_error err;
        ck_assert_int_eq(load(&run, "bare.csv", texts[i], LTK_HIST_HDR, &err), LTK_OK);
        for (int k = 0; k < LTK_TIMING_N; k++) {
            ck_assert(!ltk_run_has_timing(&run, k));
            ck_assert_ptr_null(run.timing_from[k]);
            ck_assert_ptr_null(run.total.timing[k]);
        }
        cJSON *doc = ltk_stats_to_json(&run);
        ck_assert_ptr_nonnull(doc);
        ck_assert_ptr_null(cJSON_GetObjectItem(doc, "timing_from"));
        ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "total"), "timing"));
        cJSON_Delete(doc);
        ltk_run_release(&run);
    }
}
END_TEST

START_TEST(bad_timing_names_file_line_and_column)
{
    static const char bad[] = "timeStamp,elapsed,label,success,Latency\n1700000000000,40,/a,true,-3\n";
    struct ltk_run run;
    struct ltk_error err;
    ck_assert_int_eq(load(&run, "bad.jtl", bad, LTK_HIST_HDR, &err), LTK_EFORMAT);
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.column, 5);
    ck_assert_ptr_nonnull(strstr(err.msg, "column 'Latency': expected a time in ms"));
    ltk_run_release(&run);
}
END_TEST

/* Summarises text (written to dir/name) with method m. */
static void summarize(struct ltk_summary *s, const char *name, const char *text, enum ltk_hist_method m)
{
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.method = m;
    opt.interval_s = 1;
    struct ltk_error err;
    ltk_summary_init(s);
    ck_assert_int_eq(ltk_rawlog_summarize(s, write_file(dir, name, text), &opt, &err), LTK_OK);
}

/* s written as JSON and read back. */
static void round_trip(const struct ltk_summary *s, struct ltk_summary *back)
{
    cJSON *doc = ltk_summary_to_json(s);
    ck_assert_ptr_nonnull(doc);
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    struct ltk_error err;
    ltk_summary_init(back);
    ck_assert_msg(ltk_summary_parse(back, text, strlen(text), "t.ltk.json", &err) == LTK_OK, "%s", err.msg);
    free(text);
}

static void shist_same(const struct ltk_shist *a, const struct ltk_shist *b)
{
    ck_assert_uint_eq(a->count, b->count);
    ck_assert_uint_eq(a->n, b->n);
    ck_assert(a->sum_ns == b->sum_ns);
    for (size_t i = 0; i < a->n; i++) {
        ck_assert_double_eq(a->keys[i], b->keys[i]);
        ck_assert_uint_eq(a->counts[i], b->counts[i]);
    }
}

START_TEST(summaries_keep_and_merge_timings_exactly)
{
    static const enum ltk_hist_method methods[] = { LTK_HIST_HDR, LTK_HIST_LOCUST, LTK_HIST_EXACT };
    /* the JTL split in two by rows: the merge of the parts' summaries is the whole's */
    const char *cut = strstr(jtl, "1700000000200");
    char *first = malloc((size_t)(cut - jtl) + 1);
    memcpy(first, jtl, (size_t)(cut - jtl));
    first[cut - jtl] = '\0';
    const char *head_end = strchr(jtl, '\n') + 1;
    size_t hl = (size_t)(head_end - jtl);
    char *second = malloc(hl + strlen(cut) + 1);
    memcpy(second, jtl, hl);
    strcpy(second + hl, cut);
    for (size_t m = 0; m < 3; m++) {
        struct ltk_summary whole, a, b, back;
        summarize(&whole, "w.jtl", jtl, methods[m]);
        summarize(&a, "a.jtl", first, methods[m]);
        summarize(&b, "b.jtl", second, methods[m]);
        ck_assert(whole.has_timing[LTK_TIMING_LATENCY] && whole.has_timing[LTK_TIMING_CONNECT]);
        ck_assert(!whole.has_timing[LTK_TIMING_TLS]);
        struct ltk_error err;
        ck_assert_int_eq(ltk_summary_merge(&a, &b, &err), LTK_OK);
        for (int k = 0; k < 2; k++) {
            shist_same(&a.total_timing[k], &whole.total_timing[k]);
            for (size_t e = 0; e < whole.nendpoints; e++)
                shist_same(&a.endpoints[e].timing[k], &whole.endpoints[e].timing[k]);
        }
        /* through the JSON: the same histograms */
        round_trip(&a, &back);
        ck_assert(back.has_timing[LTK_TIMING_LATENCY] && !back.has_timing[LTK_TIMING_TLS]);
        shist_same(&back.total_timing[LTK_TIMING_CONNECT], &whole.total_timing[LTK_TIMING_CONNECT]);
        /* as a run: the numbers of the log's own run */
        struct ltk_run r1, r2;
        ltk_run_init(&r1);
        ck_assert_int_eq(ltk_summary_to_run(&back, "t.ltk.json", &r1, &err), LTK_OK);
        ck_assert_int_eq(load(&r2, "w2.jtl", jtl, methods[m], &err), LTK_OK);
        for (int k = 0; k < 2; k++)
            for (double q = 0.1; q <= 1; q += 0.1)
                ck_assert_double_eq(ltk_hist_quantile(r1.total.timing[k], q), ltk_hist_quantile(r2.total.timing[k], q));
        ck_assert_str_eq(r1.timing_from[LTK_TIMING_CONNECT], "the JTL's Connect column");
        ltk_run_release(&r1);
        ltk_run_release(&r2);
        ltk_summary_release(&back);
        ltk_summary_release(&whole);
        ltk_summary_release(&a);
        ltk_summary_release(&b);
    }
    free(first);
    free(second);
}
END_TEST

START_TEST(the_streaming_writer_prints_what_cjson_prints)
{
    struct ltk_summary s;
    summarize(&s, "w.csv", k6, LTK_HIST_EXACT);
    cJSON *doc = ltk_summary_to_json(&s);
    char *tree = cJSON_PrintUnformatted(doc);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(ltk_summary_write(f, &s), LTK_OK);
    fclose(f);
    ck_assert_uint_eq(len, strlen(tree) + 1);            /* and a newline */
    ck_assert_int_eq(memcmp(buf, tree, strlen(tree)), 0);
    ck_assert_ptr_nonnull(strstr(tree, "\"timing\":{\"latency\":"));
    ck_assert_ptr_nonnull(strstr(tree, "\"ignored\":{\"columns\":[\"check\""));
    free(buf);
    free(tree);
    cJSON_Delete(doc);
    ltk_summary_release(&s);
}
END_TEST

START_TEST(a_merge_keeps_a_kind_only_when_every_log_has_it)
{
    static const char hook[] = "timestamp,request_type,name,response_time,response_length,success,exception\n"
                               "1700000000,GET,/a,10,5,1,\n";
    struct ltk_summary j, k, h;
    summarize(&j, "j.jtl", jtl, LTK_HIST_HDR);
    summarize(&k, "k.csv", k6, LTK_HIST_HDR);
    summarize(&h, "h.csv", hook, LTK_HIST_HDR);
    struct ltk_error err;
    /* JTL + k6: latency and connect from both, TLS from k6 only: dropped */
    ck_assert_int_eq(ltk_summary_merge(&j, &k, &err), LTK_OK);
    ck_assert(j.has_timing[LTK_TIMING_LATENCY] && j.has_timing[LTK_TIMING_CONNECT]);
    ck_assert(!j.has_timing[LTK_TIMING_TLS]);
    ck_assert_uint_eq(j.total_timing[LTK_TIMING_LATENCY].count, 6);
    ck_assert_uint_eq(j.total_timing[LTK_TIMING_TLS].count, 0);
    /* + a Locust log without any: none left, and the JSON has no timing member */
    ck_assert_int_eq(ltk_summary_merge(&j, &h, &err), LTK_OK);
    for (int t = 0; t < LTK_TIMING_N; t++)
        ck_assert(!j.has_timing[t]);
    cJSON *doc = ltk_summary_to_json(&j);
    ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "total"), "timing"));
    cJSON_Delete(doc);
    ltk_summary_release(&j);
    ltk_summary_release(&k);
    ltk_summary_release(&h);
}
END_TEST

START_TEST(a_summary_with_a_wrong_timing_is_refused)
{
    struct ltk_summary s, back;
    summarize(&s, "s.jtl", jtl, LTK_HIST_EXACT);
    cJSON *doc = ltk_summary_to_json(&s);
    /* an endpoint's latency that does not add up to the total's */
    cJSON *ep = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "endpoints"), 0);
    cJSON_DeleteItemFromObject(cJSON_GetObjectItem(ep, "timing"), "latency");
    char *text = cJSON_PrintUnformatted(doc);
    struct ltk_error err;
    ltk_summary_init(&back);
    ck_assert_int_eq(ltk_summary_parse(&back, text, strlen(text), "x.ltk.json", &err), LTK_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "'latency' missing, as the total has it"));
    ltk_summary_release(&back);
    free(text);
    /* an unknown kind */
    cJSON_AddItemToObject(cJSON_GetObjectItem(ep, "timing"), "dns", cJSON_CreateObject());
    text = cJSON_PrintUnformatted(doc);
    ltk_summary_init(&back);
    ck_assert_int_eq(ltk_summary_parse(&back, text, strlen(text), "x.ltk.json", &err), LTK_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "unknown kind 'dns'"));
    ltk_summary_release(&back);
    free(text);
    cJSON_Delete(doc);
    ltk_summary_release(&s);
}
END_TEST

START_TEST(only_forms_the_total_timing_again)
{
    struct ltk_run run;
    struct ltk_error err;
    ck_assert_int_eq(load(&run, "o.jtl", jtl, LTK_HIST_EXACT, &err), LTK_OK);
    struct ltk_select sel;
    ltk_select_init(&sel);
    ck_assert_int_eq(ltk_select_add_pattern(&sel, false, "/b", &err), LTK_OK);
    ck_assert_int_eq(ltk_run_select(&run, &sel, &err), LTK_OK);
    ck_assert_uint_eq(run.nendpoints, 1);
    hist_is(run.total.timing[LTK_TIMING_LATENCY], 1, 20, 20, 20);
    hist_is(run.total.timing[LTK_TIMING_CONNECT], 1, 0, 0, 0);
    ltk_select_release(&sel);
    ltk_run_release(&run);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("timing");
    TCase *t = tcase_create("core");
    tcase_add_checked_fixture(t, setup, NULL);
    tcase_add_test(t, jtl_latency_and_connect_are_read_exactly);
    tcase_add_test(t, jtl_hdr_keys_match_the_values);
    tcase_add_test(t, k6_timing_rows_join_their_request);
    tcase_add_test(t, no_timing_columns_no_timings);
    tcase_add_test(t, bad_timing_names_file_line_and_column);
    tcase_add_test(t, summaries_keep_and_merge_timings_exactly);
    tcase_add_test(t, the_streaming_writer_prints_what_cjson_prints);
    tcase_add_test(t, a_merge_keeps_a_kind_only_when_every_log_has_it);
    tcase_add_test(t, a_summary_with_a_wrong_timing_is_refused);
    tcase_add_test(t, only_forms_the_total_timing_again);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return run_suite(suite());
}

/* Check suite for the raw-log reader (lib/read/rawlog_stream.c and
 * rawlog_formats.c): every input format, table-driven; gzip; folding and
 * the name cap; --skip-bad; the history; and every kind of malformed row,
 * with the file, line and column it is reported at. */
#include <math.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include <cjson/cJSON.h>

#include "ltk/read/rawlog.h"
#include "ltk/read/load.h"
#include "ltk/read/summary_run.h"
#include "ltk/model/run.h"
#include "ltk/render/stats_view.h"
#include "ltk/model/summary.h"
#include "model/run_build.h"
#include "testutil.h"

static const char *dir;

static void setup(void)
{
    dir = temp_dir();
}

/* Loads text (written to dir/name) as a run through the generic loader. */
static int load(struct ltk_run *run, const char *name, const char *text, const struct ltk_rawlog_options *opt,
                struct ltk_error *err)
{
    const char *path = write_file(dir, name, text);
    ltk_run_init(run);
    ltk_error_clear(err);
    return ltk_run_load_with(run, path, opt, err);
}

static const struct ltk_endpoint *endpoint(const struct ltk_run *run, const char *type, const char *name)
{
    for (size_t i = 0; i < run->nendpoints; i++)
        if (strcmp(run->endpoints[i].type, type) == 0 && strcmp(run->endpoints[i].name, name) == 0)
            return &run->endpoints[i];
    ck_abort_msg("no endpoint %s %s", type, name);
    return NULL;
}

/* ---- formats, table-driven ---------------------------------------------- */

struct fmt_case {
    const char *what;
    const char *text;
    const char *format;          /* expected raw_format */
    size_t nendpoints;
    uint64_t requests, failures;
    const char *first_type, *first_name;  /* Locust's order: by name, then type */
    const char *error;           /* the first failure group's text, NULL for none */
    uint64_t error_count;
    double max;                  /* total max, ms */
};

static const struct fmt_case fmt_cases[] = {
    { "locust request hook",
      "timestamp,request_type,name,response_time,response_length,success,exception\n"
      "1795801502.599121,GET,/health,13.242,33,1,\n"
      "1795801502.961821,POST,/query,374.924,723,0,"
      "\"ConnectionError(<urllib3.connection.HTTPConnection object at 0x7f12ab34cd50>)\"\n"
      "1795801503.072190,POST,/query,485.456,738,True,\n"
      "1795801504.0,POST,/query,5.5,0,False,\"ConnectionError(<urllib3.connection.HTTPConnection object at "
      "0x7f12ab34ff00>)\"\n",
      "locust-hook", 2, 4, 2, "GET", "/health",
      "ConnectionError(<urllib3.connection.HTTPConnection object at 0x....>)", 2, 485.456 },
    { "locust CsvRequestLogger (2.44+)",
      "timestamp,request_type,name,response_time_ms,response_length,status_code,exception\n"
      "1795801502.5,GET,/a,10,5,200,\n"
      "1795801502.6,GET,/a,11,5,302,\n"
      "1795801502.7,GET,/a,12,5,500,\n"
      "1795801502.8,GET,/b,13,5,0,ConnectTimeout()\n"
      "1795801502.9,GET,/b,14,5,200,CatchResponseError('bad body')\n",
      "locust-logger", 2, 5, 3, "GET", "/a", "HTTP 500", 1, 14 },
    { "JMeter JTL CSV",
      "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,"
      "sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n"
      "1700000000123,250,Login,200,OK,Users 1-1,text,true,,512,100,1,1,http://x/login,200,0,10\n"
      "1700000000500,1250,Search,500,Internal Server Error,Users 1-1,text,false,,20,100,1,1,http://x/s,1200,0,3\n"
      "1700000001500,80,Search,200,OK,Users 1-2,text,false,\"Test failed: text expected to contain /ok/\",20,"
      "100,1,1,http://x/s,70,0,3\n",
      "jmeter", 2, 3, 2, "", "Login", "500 Internal Server Error", 1, 1250 },
    { "k6 CSV output",
      "metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,"
      "scenario,service,status,subproto,tls_version,url,extra_tags\n"
      "http_reqs,1595325560,1.000000,,,,true,,GET,http://test.k6.io,HTTP/1.1,default,,200,,,http://test.k6.io,\n"
      "http_req_duration,1595325560,221.899000,,,,true,,GET,http://test.k6.io,HTTP/1.1,default,,200,,,"
      "http://test.k6.io,\n"
      "http_req_blocked,1595325560,225.275000,,,,true,,GET,http://test.k6.io,HTTP/1.1,default,,200,,,"
      "http://test.k6.io,\n"
      "http_req_failed,1595325560,0.000000,,,,true,,GET,http://test.k6.io,HTTP/1.1,default,,200,,,"
      "http://test.k6.io,\n"
      "http_req_duration,1595325561,15.5,,,,false,,POST,login,HTTP/1.1,default,,404,,,http://test.k6.io/l,\n"
      "http_req_failed,1595325561,1.000000,,,,false,,POST,login,HTTP/1.1,default,,404,,,http://test.k6.io/l,\n"
      "checks,1595325561,1.000000,status is 200,,,,,,,,default,,,,,,\n"
      "http_req_duration,1595325562,30000,,request timeout,1050,false,,GET,slow,,default,,0,,,http://x/slow,\n"
      "iterations,1595325562,1,,,,,,,,,default,,,,,,\n",
      "k6", 3, 3, 2, "GET", "http://test.k6.io", "HTTP 404", 1, 30000 },
};

START_TEST(each_format_is_read)
{
    const struct fmt_case *c = &fmt_cases[_i];
    struct ltk_run run;
    struct ltk_error err;
    int rc = load(&run, "log.csv", c->text, NULL, &err);
    ck_assert_msg(rc == LTK_OK, "%s: %s", c->what, err.msg);
    ck_assert_str_eq(run.raw_format, c->format);
    ck_assert_uint_eq(run.nendpoints, c->nendpoints);
    ck_assert(run.has_total);
    ck_assert_uint_eq(run.total.requests, c->requests);
    ck_assert_uint_eq(run.total.failures, c->failures);
    ck_assert_str_eq(run.total.name, "Aggregated");
    ck_assert_str_eq(run.endpoints[0].type, c->first_type);
    ck_assert_str_eq(run.endpoints[0].name, c->first_name);
    ck_assert_double_eq(run.total.max, c->max);
    uint64_t fsum = 0;
    for (size_t i = 0; i < run.nfailures; i++)
        fsum += run.failures[i].occurrences;
    ck_assert_uint_eq(fsum, c->failures);
    if (c->error) {
        ck_assert_uint_ge(run.nfailures, 1);
        ck_assert_str_eq(run.failures[0].error, c->error);
        ck_assert_uint_eq(run.failures[0].occurrences, c->error_count);
    }
    ck_assert_uint_eq(run.raw_rows, c->requests);
    ck_assert_ptr_nonnull(run.source[LTK_SRC_STATS]);
    ltk_run_release(&run);
}
END_TEST

START_TEST(logger_success_needs_a_good_status_and_no_exception)
{
    struct ltk_run run;
    struct ltk_error err;
    ck_assert_int_eq(load(&run, "log.csv", fmt_cases[1].text, NULL, &err), LTK_OK);
    const struct ltk_endpoint *b = endpoint(&run, "GET", "/b");
    ck_assert_uint_eq(b->requests, 2);
    ck_assert_uint_eq(b->failures, 2);    /* status 0, and 200 with an exception */
    ck_assert_uint_eq(endpoint(&run, "GET", "/a")->failures, 1);  /* the 500; 302 is success */
    ltk_run_release(&run);
}
END_TEST

START_TEST(k6_joins_duration_and_failed_rows)
{
    struct ltk_run run;
    struct ltk_error err;
    ck_assert_int_eq(load(&run, "k6.csv", fmt_cases[3].text, NULL, &err), LTK_OK);
    ck_assert_uint_eq(endpoint(&run, "GET", "http://test.k6.io")->failures, 0);
    ck_assert_uint_eq(endpoint(&run, "POST", "login")->failures, 1);
    /* no http_req_failed row: expected_response=false decides; the error tag is the text */
    const struct ltk_endpoint *slow = endpoint(&run, "GET", "slow");
    ck_assert_uint_eq(slow->failures, 1);
    ck_assert_str_eq(run.failures[1].error, "request timeout");
    ck_assert_uint_eq(run.nwarnings, 0);
    ltk_run_release(&run);
}
END_TEST

START_TEST(k6_failed_rows_without_a_duration_are_reported)
{
    struct ltk_run run;
    struct ltk_error err;
    ck_assert_int_eq(load(&run, "k6.csv",
                          "metric_name,timestamp,metric_value,method,name,status\n"
                          "http_req_failed,1595325560,1,GET,/x,500\n"
                          "http_req_duration,1595325561,12,GET,/x,200\n",
                          NULL, &err),
                     LTK_OK);
    ck_assert_uint_eq(run.total.requests, 1);
    ck_assert_uint_eq(run.total.failures, 0);   /* status 200 decides */
    ck_assert_uint_eq(run.nwarnings, 1);
    ck_assert_ptr_nonnull(strstr(run.warnings[0], ":2: 1 http_req_failed row(s)"));
    ltk_run_release(&run);
}
END_TEST

START_TEST(columns_name_any_csv)
{
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.columns = "name=url,time=ms,ok=status,ts=when,error=why";
    struct ltk_run run;
    struct ltk_error err;
    ck_assert_int_eq(load(&run, "any.csv",
                          "when,url,ms,status,why\n"
                          "1700000000,/a,12.5,200,\n"
                          "1700000000.5,/a,13.5,404,not found\n"
                          "1700000001,/b,1,true,\n",
                          &opt, &err),
                     LTK_OK);
    ck_assert_str_eq(run.raw_format, "columns");
    ck_assert_uint_eq(run.nendpoints, 2);
    ck_assert_uint_eq(endpoint(&run, "", "/a")->failures, 1);
    ck_assert_str_eq(run.failures[0].error, "not found");
    ltk_run_release(&run);

    opt.columns = "name=url,time=nope";
    ck_assert_int_eq(load(&run, "any.csv", "url,ms\n/a,1\n", &opt, &err), LTK_EFORMAT);
    ck_assert_str_eq(err.msg, "--columns: the header has no column 'nope'");
    ltk_run_release(&run);
    opt.columns = "name=url,speed=ms";
    ck_assert_int_eq(load(&run, "any.csv", "url,ms\n/a,1\n", &opt, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "got 'speed=ms'"));
    ltk_run_release(&run);
    opt.columns = "name=url";
    ck_assert_int_eq(load(&run, "any.csv", "url,ms\n/a,1\n", &opt, &err), LTK_EINVAL);
    ck_assert_str_eq(err.msg, "--columns: name= and time= are required");
    ltk_run_release(&run);
}
END_TEST

/* ---- gzip ------------------------------------------------------------------ */

static const char *write_gz(const char *name, const char *text, size_t cut)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gzFile gz = gzopen(path, "wb");
    ck_assert_ptr_nonnull(gz);
    ck_assert_int_eq(gzwrite(gz, text, (unsigned)strlen(text)), (int)strlen(text));
    ck_assert_int_eq(gzclose(gz), Z_OK);
    if (cut)
        ck_assert_int_eq(truncate(path, (off_t)cut), 0);
    return path;
}

START_TEST(gzip_logs_are_read_whatever_their_name)
{
    const char *path = write_gz("log.data", fmt_cases[0].text, 0);
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load(&run, path, &err), LTK_OK);
    ck_assert_uint_eq(run.total.requests, 4);
    ck_assert_str_eq(run.raw_format, "locust-hook");
    ltk_run_release(&run);
}
END_TEST

START_TEST(a_truncated_gzip_is_an_error)
{
    /* a long log, compressed, cut in the middle of the stream */
    struct ltk_buf_s {
        char *p;
        size_t n;
    } b = { malloc(200000), 0 };
    if (!b.p)
        ck_abort_msg("out of memory");
    b.n = (size_t)sprintf(b.p, "timestamp,request_type,name,response_time,response_length,success,exception\n");
    for (int i = 0; i < 3000; i++) {
        char line[64];
        size_t len = (size_t)snprintf(line, sizeof line, "%d.5,GET,/x%d,%d.25,10,1,\n", 1700000000 + i, i % 7, i);
        memcpy(b.p + b.n, line, len);
        b.n += len;
    }
    const char *path = write_gz("cut.csv.gz", b.p, 4000);
    free(b.p);
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    ltk_error_clear(&err);
    ck_assert_int_eq(ltk_run_load(&run, path, &err), LTK_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "gzip"));
    ck_assert_ptr_nonnull(strstr(err.file, "cut.csv.gz"));
    ltk_run_release(&run);
}
END_TEST

/* ---- folding and the cap -------------------------------------------------- */

static const struct {
    const char *in, *out;
} folds[] = {
    { "/item/123", "/item/{id}" },
    { "/item/123/reviews/9", "/item/{id}/reviews/{id}" },
    { "/u/550e8400-e29b-41d4-a716-446655440000/x", "/u/{uuid}/x" },
    { "/blob/deadbeef12", "/blob/{hex}" },
    { "/blob/deadbeef", "/blob/deadbeef" },          /* a word of hex letters stays */
    { "/blob/abc123", "/blob/abc123" },              /* too short for {hex} */
    { "/order-1234567", "/order-{n}" },
    { "/v2/query", "/v2/query" },
    { "/search?q=42&page=3", "/search?q={id}&page={id}" },
    { "", "" },
    { "/", "/" },
};

START_TEST(names_fold_into_templates)
{
    for (size_t i = 0; i < sizeof folds / sizeof folds[0]; i++) {
        char *got = ltk_rawlog_fold_name(folds[i].in);
        ck_assert_ptr_nonnull(got);
        ck_assert_msg(strcmp(got, folds[i].out) == 0, "fold(%s) = %s, want %s", folds[i].in, got, folds[i].out);
        free(got);
    }
}
END_TEST

static const char many_names[] = "timestamp,request_type,name,response_time,response_length,success,exception\n"
                                 "1700000000,GET,/item/1,10,1,1,\n"
                                 "1700000000,GET,/item/2,20,1,1,\n"
                                 "1700000001,GET,/item/3,30,1,0,boom\n"
                                 "1700000001,GET,/health,1,1,1,\n"
                                 "1700000002,GET,/item/4,40,1,1,\n";

START_TEST(fold_merges_ids)
{
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.fold = true;
    struct ltk_run run;
    struct ltk_error err;
    ck_assert_int_eq(load(&run, "names.csv", many_names, &opt, &err), LTK_OK);
    ck_assert_uint_eq(run.nendpoints, 2);
    ck_assert_uint_eq(endpoint(&run, "GET", "/item/{id}")->requests, 4);
    ck_assert_str_eq(run.failures[0].name, "/item/{id}");
    ltk_run_release(&run);
}
END_TEST

START_TEST(names_past_the_cap_go_to_other_with_a_warning)
{
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.max_names = 2;
    struct ltk_run run;
    struct ltk_error err;
    ck_assert_int_eq(load(&run, "names.csv", many_names, &opt, &err), LTK_OK);
    ck_assert_uint_eq(run.nendpoints, 3);
    const struct ltk_endpoint *o = endpoint(&run, "", "(other)");
    ck_assert_uint_eq(o->requests, 3);
    ck_assert_uint_eq(o->failures, 1);
    ck_assert_uint_eq(run.total.requests, 5);
    ck_assert_uint_eq(run.nwarnings, 1);
    ck_assert_ptr_nonnull(strstr(run.warnings[0], "more than 2 distinct names: 3 request(s)"));
    ltk_run_release(&run);
}
END_TEST

/* ---- malformed rows, table-driven ------------------------------------------- */

#define HOOK_HEADER "timestamp,request_type,name,response_time,response_length,success,exception\n"
#define GOOD_ROW "1700000000.5,GET,/a,12.5,10,1,\n"

static const struct {
    const char *what, *text;
    int rc;
    long line, column;
    const char *msg;
} bad[] = {
    { "negative time", HOOK_HEADER GOOD_ROW "1700000001,GET,/a,-3,10,1,\n", LTK_EFORMAT, 3, 4,
      "column 'response_time': expected a response time in ms (a finite number >= 0), got '-3'" },
    { "NaN time", HOOK_HEADER "1700000001,GET,/a,nan,10,1,\n", LTK_EFORMAT, 2, 4,
      "column 'response_time': expected a response time in ms (a finite number >= 0), got 'nan'" },
    { "infinite time", HOOK_HEADER "1700000001,GET,/a,inf,10,1,\n", LTK_EFORMAT, 2, 4,
      "column 'response_time': expected a response time in ms (a finite number >= 0), got 'inf'" },
    { "huge time", HOOK_HEADER "1700000001,GET,/a,1e300,10,1,\n", LTK_EFORMAT, 2, 4,
      "response time 1e+300 ms is beyond the largest accepted (2^43 ms)" },
    { "text time", HOOK_HEADER GOOD_ROW GOOD_ROW "1700000001,GET,/a,fast,10,1,\n", LTK_EFORMAT, 4, 4,
      "column 'response_time': expected a response time in ms (a finite number >= 0), got 'fast'" },
    { "empty time", HOOK_HEADER "1700000001,GET,/a,,10,1,\n", LTK_EFORMAT, 2, 4,
      "column 'response_time': expected a response time in ms (a finite number >= 0), got ''" },
    { "short row", HOOK_HEADER "1700000001,GET,/a,5\n", LTK_EFORMAT, 2, 0, "expected 7 fields, got 4" },
    { "bad success", HOOK_HEADER "1700000001,GET,/a,5,10,maybe,\n", LTK_EFORMAT, 2, 6,
      "column 'success': expected a success flag (1/0, true/false), got 'maybe'" },
    { "bad timestamp", HOOK_HEADER "yesterday,GET,/a,5,10,1,\n", LTK_EFORMAT, 2, 1,
      "column 'timestamp': expected a Unix epoch time (a number >= 0), got 'yesterday'" },
    /* past 10^15 s a summary could not hold it (and floor(ts) an int64_t
     * not from 9.2e18): refused since the span of timestamps is not limited */
    { "huge timestamp", HOOK_HEADER GOOD_ROW "1.7958015795801506e+16,GET,/a,5,10,1,\n", LTK_EFORMAT, 3, 1,
      "column 'timestamp': expected a Unix epoch time of at most 10^15 s, got '1.7958015795801506e+16'" },
    { "bad size", HOOK_HEADER "1700000001,GET,/a,5,-1,1,\n", LTK_EFORMAT, 2, 5,
      "column 'response_length': expected a response size in bytes, got '-1'" },
    { "unknown header", "when,what\n1,2\n", LTK_EFORMAT, 1, 0, NULL },
    { "empty file", "", LTK_EFORMAT, 0, 0, NULL },
    { "bad quoting", HOOK_HEADER "1700000001,GET,/a\"b,5,10,1,\n", LTK_EFORMAT, 2, 0, NULL },
    { "k6 failed value", "metric_name,timestamp,metric_value,method,name\n"
                         "http_req_duration,1,5,GET,/a\nhttp_req_failed,1,2,GET,/a\n", LTK_EFORMAT, 3, 3,
      "column 'metric_value': expected 0 or 1 for http_req_failed, got '2'" },
};

START_TEST(malformed_rows_name_file_line_and_reason)
{
    struct ltk_run run;
    struct ltk_error err;
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    if (strstr(bad[_i].what, "unknown") || strstr(bad[_i].what, "empty file"))
        opt.columns = NULL;
    /* the loader only takes a file for a raw log when its header says so;
     * load the raw reader directly so the unknown header is its error */
    const char *path = write_file(dir, "bad.csv", bad[_i].text);
    ltk_run_init(&run);
    ltk_error_clear(&err);
    int rc = ltk_rawlog_load(&run, path, &opt, &err);
    ck_assert_msg(rc == bad[_i].rc, "%s: rc %d (%s)", bad[_i].what, rc, err.msg);
    ck_assert_int_eq(err.line, bad[_i].line);
    ck_assert_int_eq(err.column, bad[_i].column);
    ck_assert_str_eq(err.file, path);
    if (bad[_i].msg)
        ck_assert_str_eq(err.msg, bad[_i].msg);
    ltk_run_release(&run);
}
END_TEST

START_TEST(skip_bad_counts_and_reports_the_first)
{
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.skip_bad = true;
    struct ltk_run run;
    struct ltk_error err;
    ck_assert_int_eq(load(&run, "skip.csv",
                          HOOK_HEADER GOOD_ROW "1700000001,GET,/a,-3,10,1,\n" GOOD_ROW "1700000001,GET,/a,5\n"
                                               "1700000001,GET,/a,x,10,1,\n",
                          &opt, &err),
                     LTK_OK);
    ck_assert_uint_eq(run.total.requests, 2);
    ck_assert_uint_eq(run.raw_skipped, 3);
    ck_assert_uint_eq(run.nwarnings, 1);
    ck_assert_ptr_nonnull(strstr(run.warnings[0], "skipped 3 malformed row(s) (--skip-bad); the first: "));
    ck_assert_ptr_nonnull(strstr(run.warnings[0], "the first: line 3: column 'response_time'"));
    ltk_run_release(&run);
}
END_TEST

/* ---- history, percentiles, methods ---------------------------------------- */

START_TEST(history_has_one_row_per_interval_and_endpoint)
{
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.interval_s = 2;
    opt.method = LTK_HIST_EXACT;
    struct ltk_run run;
    struct ltk_error err;
    ck_assert_int_eq(load(&run, "h.csv",
                          HOOK_HEADER "1700000000.5,GET,/a,10,1,1,\n"
                                      "1700000001.9,GET,/b,20,1,0,x\n"
                                      "1700000000.1,GET,/a,30,1,1,\n"   /* out of order */
                                      "1700000006.0,GET,/a,40,1,1,\n",
                          &opt, &err),
                     LTK_OK);
    /* intervals 1700000000 (/a, /b, total), ..02 and ..04 (empty: the total
     * only), ..06 (/a, total) */
    ck_assert_uint_eq(run.nhistory, 3 + 1 + 1 + 2);
    const struct ltk_history_row *h = run.history;
    ck_assert_int_eq(h[0].ts, 1700000000);
    ck_assert_str_eq(h[0].name, "/a");
    ck_assert_uint_eq(h[0].requests, 2);
    ck_assert_double_eq(h[0].pct[0], 10);         /* 50%: nearest rank of {10, 30} */
    ck_assert_double_eq(h[0].rps, 1);             /* 2 requests / 2 s */
    ck_assert_str_eq(h[1].name, "/b");
    ck_assert(h[2].is_total);
    ck_assert_uint_eq(h[2].requests, 3);
    ck_assert_uint_eq(h[2].failures, 1);
    ck_assert(h[3].is_total && h[4].is_total);
    ck_assert_int_eq(h[3].ts, 1700000002);
    ck_assert_int_eq(h[4].ts, 1700000004);
    ck_assert(isnan(h[3].pct[0]));
    ck_assert_uint_eq(h[3].requests, 3);          /* cumulative */
    ck_assert_str_eq(h[5].name, "/a");
    ck_assert_uint_eq(h[5].requests, 3);
    ck_assert_uint_eq(h[6].requests, 4);
    ck_assert_double_eq(h[6].max, 40);
    ck_assert_double_eq(h[6].mean, 25);
    ck_assert_int_eq(run.history_window_s, 2);
    ck_assert_int_eq(run.history_pct_kind, LTK_HPCT_WINDOW);
    ck_assert_uint_eq(run.raw_rows, 4);
    ck_assert_double_eq_tol(run.total.rps, 4 / 5.9, 1e-6);  /* epoch seconds carry ~1e-7 s */
    ltk_run_release(&run);
}
END_TEST

/* The last interval ends with the log: its requests/s count the seconds it
 * covers (up to the last timestamp), not the whole interval after the test
 * stopped.  One request a second for 25 s in 10 s intervals: 1/s in every
 * interval, also the last, [20, 30) with 5 s of it. */
START_TEST(last_interval_rate_counts_its_own_seconds)
{
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.interval_s = 10;
    char text[4096] = HOOK_HEADER;
    size_t n = strlen(text);
    for (int t = 0; t < 25; t++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%d,GET,/a,10,1,1,\n", 1700000000 + t);
    struct ltk_run run;
    struct ltk_error err;
    ck_assert_int_eq(load(&run, "rate.csv", text, &opt, &err), LTK_OK);
    size_t totals = 0;
    for (size_t i = 0; i < run.nhistory; i++) {
        if (!run.history[i].is_total)
            continue;
        totals++;
        ck_assert_msg(fabs(run.history[i].rps - 1) < 1e-9, "interval at %lld: %g req/s",
                      (long long)run.history[i].ts, run.history[i].rps);
    }
    ck_assert_uint_eq(totals, 3);
    ltk_run_release(&run);
    /* width helper: a full interval, a partial last one, at least 1 s */
    ck_assert_double_eq(ltk_interval_width(20, 10, 24.0, true), 5.0);
    ck_assert_double_eq(ltk_interval_width(20, 10, 24.7, true), 5.0);
    ck_assert_double_eq(ltk_interval_width(20, 10, 24.0, false), 10.0);
    ck_assert_double_eq(ltk_interval_width(20, 10, 20.2, true), 1.0);
    ck_assert_double_eq(ltk_interval_width(20, 10, 29.5, true), 10.0);
    ck_assert_double_eq(ltk_interval_width(20, 10, 35.0, true), 10.0);
    ck_assert_double_eq(ltk_interval_width(20, 10, NAN, true), 10.0);
}
END_TEST

START_TEST(rows_far_out_of_order_count_but_leave_the_percentiles)
{
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.interval_s = 10;
    opt.method = LTK_HIST_EXACT;
    opt.percentiles = "100";
    struct ltk_run run;
    struct ltk_error err;
    ck_assert_int_eq(load(&run, "late.csv",
                          HOOK_HEADER "1700000000,GET,/a,10,1,1,\n"
                                      "1700000400,GET,/a,20,1,1,\n"
                                      "1700000001,GET,/a,99,1,1,\n"    /* 399 s late: its interval closed */
                                      "1700000200,GET,/a,30,1,1,\n",   /* 200 s late: still open */
                          &opt, &err),
                     LTK_OK);
    ck_assert_uint_eq(run.total.requests, 4);
    ck_assert_double_eq(run.total.pct[0], 99);    /* the whole run has every row */
    ck_assert_str_eq(run.history[0].name, "/a");
    ck_assert_int_eq(run.history[0].ts, 1700000000);
    ck_assert_uint_eq(run.history[0].requests, 2);
    ck_assert_double_eq(run.history[0].max, 99);
    ck_assert_double_eq(run.history[0].pct[0], 10);   /* without the late 99 */
    ck_assert_uint_eq(run.nwarnings, 1);
    ck_assert_ptr_nonnull(strstr(run.warnings[0], "late.csv:4: 1 request(s) came more than 300 s after"));
    bool found_200 = false;
    for (size_t i = 0; i < run.nhistory; i++)
        if (run.history[i].ts == 1700000200 && !run.history[i].is_total)
            found_200 = run.history[i].pct[0] == 30;
    ck_assert(found_200);
    ltk_run_release(&run);
}
END_TEST

/* Peak resident memory of this process so far, in MB. */
static double peak_rss_mb(void)
{
    struct rusage ru;
    ck_assert_int_eq(getrusage(RUSAGE_SELF, &ru), 0);
    return (double)ru.ru_maxrss / 1024;
}

/* Only intervals with requests take memory: two rows 12 days apart (at 1 s,
 * once a 1-million-interval array of 0.4 GB) or 100 days (once refused),
 * a stray timestamp of 1970.  The history has their intervals and the first
 * and last interval of the gap between them, with a warning. */
START_TEST(far_apart_rows_take_memory_by_rows_not_time)
{
    static const struct {
        const char *text;
        int64_t t1, t2;
    } cases[] = {
        { HOOK_HEADER "1700000000.5,GET,/a,10,1,1,\n1701036800.25,GET,/a,20,1,1,\n", 1700000000, 1701036800 },
        { HOOK_HEADER "1700000000.5,GET,/a,10,1,1,\n1708640000.25,GET,/a,20,1,1,\n", 1700000000, 1708640000 },
        { HOOK_HEADER "1700000000.5,GET,/a,10,1,1,\n5,GET,/a,20,1,1,\n", 5, 1700000000 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double before = peak_rss_mb();
        struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
        opt.interval_s = 1; /* the 1 s machinery, not the automatic interval */
        struct ltk_run run;
        struct ltk_error err;
        ck_assert_msg(load(&run, "far.csv", cases[i].text, &opt, &err) == LTK_OK, "%zu: %s", i, err.msg);
        ck_assert_msg(peak_rss_mb() - before < 64, "%zu: %.0f MB", i, peak_rss_mb() - before);
        ck_assert_uint_eq(run.total.requests, 2);
        /* /a and the total at t1, empty totals at t1 + 1 and t2 - 1, /a and the total at t2 */
        ck_assert_uint_eq(run.nhistory, 6);
        const struct ltk_history_row *h = run.history;
        int64_t want_ts[] = { cases[i].t1, cases[i].t1, cases[i].t1 + 1, cases[i].t2 - 1, cases[i].t2, cases[i].t2 };
        for (size_t k = 0; k < 6; k++)
            ck_assert_int_eq(h[k].ts, want_ts[k]);
        ck_assert(!h[0].is_total && h[1].is_total && h[2].is_total && h[3].is_total && h[5].is_total);
        ck_assert_double_eq(h[2].rps, 0);
        ck_assert_double_eq(h[3].rps, 0);
        ck_assert_uint_eq(h[3].requests, 1);     /* cumulative */
        ck_assert_uint_eq(h[5].requests, 2);
        /* and for the stray timestamp, that its row came late */
        ck_assert_uint_eq(run.nwarnings, cases[i].t1 == 5 ? 2 : 1);
        char want[200];
        snprintf(want, sizeof want, "1 gap(s) of more than 300 s without requests, the longest %lld s from Unix time %lld",
                 (long long)(cases[i].t2 - cases[i].t1 - 1), (long long)(cases[i].t1 + 1));
        ck_assert_msg(strstr(run.warnings[0], want), "%s", run.warnings[0]);
        ltk_run_release(&run);

        char path[1024];
        snprintf(path, sizeof path, "%s/far.csv", dir);
        struct ltk_summary sum;
        ltk_summary_init(&sum);
        ck_assert_int_eq(ltk_rawlog_summarize(&sum, path, &opt, &err), LTK_OK);
        ck_assert_uint_eq(sum.nintervals, 2);
        ck_assert_int_eq(sum.intervals[0].t, cases[i].t1);
        ck_assert_int_eq(sum.intervals[1].t, cases[i].t2);
        ltk_summary_release(&sum);
    }
}
END_TEST

static void same_either_way(const char *path, enum ltk_hist_method m, int want_threads);

/* Many names, few of them in each interval: a closed interval keeps only
 * the cells that have requests (once a cell per name each: 1000 names, a
 * row a second for 20 000 s took 1.9 GB and 2 s), an open one turns dense
 * when an eighth of the names have requests in it.  The history is what
 * the rows say, interval by interval, also for late rows of names new to a
 * closed interval. */
START_TEST(intervals_keep_only_the_cells_of_their_names)
{
    enum { NAMES = 40, SECONDS = 600, LATE = 8 };
    static uint64_t count[SECONDS][NAMES];
    static double max[SECONDS][NAMES];
    static bool late[SECONDS][NAMES];
    memset(count, 0, sizeof count);
    memset(late, 0, sizeof late);
    char path[1024];
    snprintf(path, sizeof path, "%s/names.csv", dir);
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(HOOK_HEADER, fp);
    uint64_t x = 4242;
    for (int t = 0; t < SECONDS; t++) {
        int active = t % 7 == 0 ? 30 : t % 3 + 1;       /* dense in some, sparse in most */
        for (int j = 0; j < active; j++) {
            int n = (t * 7 + j * 13) % NAMES;
            for (int r = 0; r < 1 + j % 3; r++) {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                double ms = (double)((x >> 24) % 100000) / 100;
                /* up to 100 s out of order: written later, in its own interval */
                int tt = t >= 100 && (x >> 50) % 5 == 0 ? t - (int)((x >> 40) % 100) : t;
                fprintf(fp, "%d.5,GET,/n%02d,%.2f,1,1,\n", 1700000000 + tt, n, ms);
                if (!count[tt][n]++ || ms > max[tt][n])
                    max[tt][n] = ms;
            }
        }
    }
    ck_assert_int_eq(fclose(fp), 0);
    /* two threads: the second part's cells go to the first's intervals, dense or not */
    for (int m = LTK_HIST_HDR; m <= LTK_HIST_EXACT; m++)
        same_either_way(path, (enum ltk_hist_method)m, 2);
    fp = fopen(path, "a");
    ck_assert_ptr_nonnull(fp);
    for (int k = 0; k < LATE; k++) {                       /* more than 300 s late, names new there */
        int tt = 10 + 37 * k, n = 0;
        while (count[tt][n])
            n++;
        fprintf(fp, "%d.5,GET,/n%02d,1.0,1,1,\n", 1700000000 + tt, n);
        count[tt][n] = 1;
        late[tt][n] = true;
    }
    ck_assert_int_eq(fclose(fp), 0);
    for (int threads = 1; threads <= 2; threads++) {
        struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
        opt.interval_s = 1; /* the 1 s machinery, not the automatic interval */
        opt.method = LTK_HIST_EXACT;
        opt.percentiles = "100";
        opt.threads = threads;
        struct ltk_run run;
        struct ltk_error err;
        ltk_run_init(&run);
        ck_assert_int_eq(ltk_rawlog_load(&run, path, &opt, &err), LTK_OK);
        uint64_t cum[NAMES] = { 0 };
        int last_t = -1, last_n = -1;
        for (size_t i = 0; i < run.nhistory; i++) {
            const struct ltk_history_row *h = &run.history[i];
            int t = (int)(h->ts - 1700000000);
            ck_assert(t >= 0 && t < SECONDS);
            if (h->is_total) {
                last_n = -1;
                continue;
            }
            int n = atoi(h->name + 2);
            ck_assert_msg(t > last_t || n > last_n, "%d /n%02d after %d /n%02d", t, n, last_t, last_n);
            last_t = t;
            last_n = n;
            ck_assert_msg(count[t][n] > 0, "a row for %d /n%02d, which has no requests", t, n);
            cum[n] += count[t][n];
            ck_assert_uint_eq(h->requests, cum[n]);
            if (late[t][n])
                ck_assert(isnan(h->pct[0]));
            else
                ck_assert_double_eq(h->pct[0], max[t][n]);
        }
        uint64_t all = 0;
        for (int t = 0; t < SECONDS; t++)
            for (int n = 0; n < NAMES; n++)
                all += count[t][n];
        for (int n = 0; n < NAMES; n++) {
            uint64_t want = 0;
            for (int t = 0; t < SECONDS; t++)
                want += count[t][n];
            ck_assert_uint_eq(cum[n], want);
        }
        ck_assert_uint_eq(run.total.requests, all);
        /* its summary gives the same history (but for the late rows' percentiles) */
        struct ltk_summary sum;
        struct ltk_run back;
        ltk_summary_init(&sum);
        ltk_run_init(&back);
        ck_assert_int_eq(ltk_rawlog_summarize(&sum, path, &opt, &err), LTK_OK);
        ck_assert_int_eq(ltk_summary_to_run(&sum, "s.json", &back, &err), LTK_OK);
        ck_assert_uint_eq(back.nhistory, run.nhistory);
        for (size_t i = 0; i < run.nhistory; i++) {
            ck_assert_int_eq(back.history[i].ts, run.history[i].ts);
            ck_assert_str_eq(back.history[i].name, run.history[i].name);
            ck_assert_uint_eq(back.history[i].requests, run.history[i].requests);
        }
        ltk_run_release(&back);
        ltk_summary_release(&sum);
        ltk_run_release(&run);
    }

    /* 1000 names, a row a second, 20 000 s: small */
    snprintf(path, sizeof path, "%s/thin.csv", dir);
    fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(HOOK_HEADER, fp);
    for (int i = 0; i < 1000; i++)
        fprintf(fp, "1700000000,GET,/n%d,1,1,1,\n", i);
    for (int i = 0; i < 20000; i++)
        fprintf(fp, "%d,GET,/n%d,1,1,1,\n", 1700000001 + i, i % 1000);
    ck_assert_int_eq(fclose(fp), 0);
    double before = peak_rss_mb();
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
        opt.interval_s = 1; /* the 1 s machinery, not the automatic interval */
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_rawlog_load(&run, path, &opt, &err), LTK_OK);
    ck_assert_msg(peak_rss_mb() - before < 256, "%.0f MB", peak_rss_mb() - before);
    ck_assert_uint_eq(run.nhistory, 1000 + 1 + 2 * 20000);
    ltk_run_release(&run);
}
END_TEST

/* The number of intervals with requests is bounded (as in a summary), not
 * their span: one more is an error naming the line. */
START_TEST(intervals_with_requests_are_counted_to_a_limit)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/many.csv", dir);
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(HOOK_HEADER, fp);
    for (long i = 0; i <= (long)LTK_SUMMARY_MAX_INTERVALS; i++)
        fprintf(fp, "%ld,GET,/a,1,,1,\n", 1700000000L + 2 * i);
    ck_assert_int_eq(fclose(fp), 0);
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
        opt.interval_s = 1; /* the 1 s machinery, not the automatic interval */
    opt.percentiles = "50";
    opt.threads = 1;
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    ltk_error_clear(&err);
    ck_assert_int_eq(ltk_rawlog_load(&run, path, &opt, &err), LTK_ELIMIT);
    ck_assert_str_eq(err.file, path);
    ck_assert_int_eq(err.line, (long)LTK_SUMMARY_MAX_INTERVALS + 2);
    ck_assert_str_eq(err.msg, "requests in more than 1048576 intervals of 1s (use a larger --interval)");
    ltk_run_release(&run);
}
END_TEST

/* A gap of up to LTK_RAWLOG_GAP_S keeps a row for each empty interval, as
 * Locust writes one each tick; one interval longer, only its ends. */
START_TEST(short_gaps_keep_every_empty_interval)
{
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.interval_s = 10;
    struct ltk_run run;
    struct ltk_error err;
    /* 1700000000 and 1700000310: 30 empty intervals, 300 s */
    ck_assert_int_eq(load(&run, "gap300.csv", HOOK_HEADER "1700000000,GET,/a,1,1,1,\n1700000310,GET,/a,1,1,1,\n",
                          &opt, &err),
                     LTK_OK);
    ck_assert_uint_eq(run.nhistory, 2 + 30 + 2);
    for (size_t k = 0; k < 30; k++)
        ck_assert_int_eq(run.history[2 + k].ts, 1700000010 + 10 * (int64_t)k);
    ck_assert_uint_eq(run.nwarnings, 0);
    ltk_run_release(&run);
    /* 31 empty intervals, 310 s: the first and the last */
    ck_assert_int_eq(load(&run, "gap310.csv", HOOK_HEADER "1700000000,GET,/a,1,1,1,\n1700000320,GET,/a,1,1,1,\n",
                          &opt, &err),
                     LTK_OK);
    ck_assert_uint_eq(run.nhistory, 2 + 2 + 2);
    ck_assert_int_eq(run.history[2].ts, 1700000010);
    ck_assert_int_eq(run.history[3].ts, 1700000310);
    ck_assert_uint_eq(run.nwarnings, 1);
    ltk_run_release(&run);
}
END_TEST

/* Rows that make an interval before those already seen: within the
 * reordering window they count in its percentiles, further back they are
 * late; either way the history is in time order.  Rows in falling time, one
 * interval each, take time in proportion to the rows. */
START_TEST(earlier_intervals_are_made_in_any_order)
{
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.method = LTK_HIST_EXACT;
    opt.percentiles = "100";
    struct ltk_run run;
    struct ltk_error err;
    ck_assert_int_eq(load(&run, "earlier.csv",
                          HOOK_HEADER "1700000100.5,GET,/a,10,1,1,\n"
                                      "1700000101.5,GET,/a,11,1,1,\n"
                                      "1700000050.5,GET,/a,12,1,1,\n"     /* 51 s back: a new, earlier interval */
                                      "1700000099.5,GET,/a,13,1,1,\n"     /* between the two */
                                      "1700000500.5,GET,/a,14,1,1,\n"
                                      "1700000020.5,GET,/a,15,1,1,\n",    /* 480 s back: late, a new interval */
                          &opt, &err),
                     LTK_OK);
    int64_t want[] = { 1700000020, 1700000050, 1700000099, 1700000100, 1700000101, 1700000500 };
    double want_max[] = { NAN, 12, 13, 10, 11, 14 };
    size_t k = 0;
    for (size_t i = 0; i < run.nhistory; i++) {
        if (run.history[i].is_total)
            continue;
        ck_assert_uint_lt(k, 6);
        ck_assert_int_eq(run.history[i].ts, want[k]);
        if (k == 0)
            ck_assert(isnan(run.history[i].pct[0]));          /* late: no percentiles */
        else
            ck_assert_double_eq(run.history[i].pct[0], want_max[k]);
        k++;
    }
    ck_assert_uint_eq(k, 6);
    for (size_t i = 1; i < run.nhistory; i++)
        ck_assert_int_le(run.history[i - 1].ts, run.history[i].ts);
    ck_assert_uint_eq(run.nwarnings, 2);                        /* the gap 101 -> 500, the late row */
    ltk_run_release(&run);

    /* 100 000 rows, each 1 s before the one above it: each is late and makes
     * a new interval below every other (a dense array moved all of them each
     * time: 640 GB of memmove) */
    char path[1024];
    snprintf(path, sizeof path, "%s/falling.csv", dir);
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(HOOK_HEADER, fp);
    for (int i = 0; i < 100000; i++)
        fprintf(fp, "%d,GET,/a,1,1,1,\n", 1700000000 - i);
    ck_assert_int_eq(fclose(fp), 0);
    ltk_run_init(&run);
    opt = (struct ltk_rawlog_options)LTK_RAWLOG_OPTIONS_DEFAULT;
    ck_assert_int_eq(ltk_run_load_with(&run, path, &opt, &err), LTK_OK);
    ck_assert_uint_eq(run.nhistory, 2 * 100000);
    for (size_t i = 1; i < run.nhistory; i++)
        ck_assert_int_le(run.history[i - 1].ts, run.history[i].ts);
    ck_assert_uint_eq(run.history[run.nhistory - 1].requests, 100000);
    ltk_run_release(&run);
}
END_TEST

START_TEST(percentile_lists_parse)
{
    double *q;
    char **labels;
    size_t n;
    struct ltk_error err;
    ck_assert_int_eq(ltk_rawlog_parse_percentiles("50,99.9,100", &q, &labels, &n, &err), LTK_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert_double_eq(q[1], 0.999);
    ck_assert_str_eq(labels[1], "99.9");
    for (size_t i = 0; i < n; i++)
        free(labels[i]);
    free(labels);
    free(q);
    ck_assert_int_eq(ltk_rawlog_parse_percentiles(NULL, &q, &labels, &n, &err), LTK_OK);
    ck_assert_uint_eq(n, 11);
    ck_assert_str_eq(labels[9], "99.99");
    for (size_t i = 0; i < n; i++)
        free(labels[i]);
    free(labels);
    free(q);
    static const char *const badlists[] = { "", "50,", "0", "101", "fifty", "50,,95" };
    for (size_t i = 0; i < sizeof badlists / sizeof badlists[0]; i++) {
        ck_assert_int_eq(ltk_rawlog_parse_percentiles(badlists[i], &q, &labels, &n, &err), LTK_EINVAL);
        ck_assert_ptr_null(q);
        ck_assert_ptr_nonnull(strstr(err.msg, "--percentiles"));
    }
}
END_TEST

START_TEST(the_method_decides_the_percentiles)
{
    static const double want[3][2] = {
        [LTK_HIST_HDR] = { 145.9375, 1011.0 },  /* the midpoint of [145.875, 146); the max */
        [LTK_HIST_LOCUST] = { 150, 1000 },
        [LTK_HIST_EXACT] = { 145.99, 1011 },
    };
    for (int m = LTK_HIST_HDR; m <= LTK_HIST_EXACT; m++) {
        struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
        opt.method = (enum ltk_hist_method)m;
        opt.percentiles = "50,100";
        struct ltk_run run;
        struct ltk_error err;
        ck_assert_int_eq(load(&run, "m.csv",
                              HOOK_HEADER "1700000000,GET,/a,145.99,1,1,\n1700000000,GET,/a,1011,1,1,\n"
                                          "1700000000,GET,/a,3,1,1,\n",
                              &opt, &err),
                         LTK_OK);
        ck_assert_int_eq(run.raw_method, m);
        ck_assert_msg(run.total.pct[0] == want[m][0], "method %d: p50 %.17g", m, run.total.pct[0]);
        ck_assert_msg(run.total.pct[1] == want[m][1], "method %d: p100 %.17g", m, run.total.pct[1]);
        ltk_run_release(&run);
    }
}
END_TEST

START_TEST(bad_options_are_refused)
{
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    struct ltk_run run;
    struct ltk_error err;
    opt.interval_s = -1;
    ck_assert_int_eq(load(&run, "o.csv", HOOK_HEADER GOOD_ROW, &opt, &err), LTK_EINVAL);
    ltk_run_release(&run);
    opt.interval_s = 1;
    opt.max_names = 0;
    ck_assert_int_eq(load(&run, "o.csv", HOOK_HEADER GOOD_ROW, &opt, &err), LTK_EINVAL);
    ltk_run_release(&run);
}
END_TEST

START_TEST(detect_tells_raw_logs_from_locust_exports)
{
    enum ltk_rawlog_format f;
    struct ltk_error err;
    ck_assert_int_eq(ltk_rawlog_detect(write_file(dir, "a.csv", HOOK_HEADER), &f, &err), LTK_OK);
    ck_assert_int_eq(f, LTK_RAW_LOCUST_HOOK);
    ck_assert_int_eq(ltk_rawlog_detect(source_path("samples/runs/load/load_stats.csv"), &f, &err), LTK_OK);
    ck_assert_int_eq(f, LTK_RAW_NONE);
    ck_assert_int_eq(ltk_rawlog_detect(dir, &f, &err), LTK_EIO);
    ck_assert_str_eq(ltk_rawlog_format_name(LTK_RAW_K6), "k6");
}
END_TEST

/* ---- reading in two threads ------------------------------------------------- */

/* ltk stats --json of path read with the given threads; *threads is how
 * many did read it. */
static char *stats_text(const char *path, enum ltk_hist_method m, int want, int *threads)
{
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.method = m;
    opt.threads = want;
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    ltk_error_clear(&err);
    int rc = ltk_run_load_with(&run, path, &opt, &err);
    ck_assert_msg(rc == LTK_OK, "%s: %s", path, err.msg);
    *threads = run.raw_threads;
    cJSON *doc = ltk_stats_to_json(&run);
    ck_assert_ptr_nonnull(doc);
    char *json = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    /* the JSON holds the table, failures and warnings; the history's rows
     * (every interval's counts and percentiles) are printed here too */
    size_t cap = strlen(json) + 1 + run.nhistory * (64 + 26 * run.history_pct.n);
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    size_t n = (size_t)snprintf(text, cap, "%s", json);
    free(json);
    for (size_t i = 0; i < run.nhistory; i++) {
        const struct ltk_history_row *h = &run.history[i];
        n += (size_t)snprintf(text + n, cap - n, "\n%lld %s %llu %llu %.17g", (long long)h->ts, h->name,
                              (unsigned long long)h->requests, (unsigned long long)h->failures, h->mean);
        for (size_t k = 0; k < run.history_pct.n; k++)
            n += (size_t)snprintf(text + n, cap - n, " %.17g", h->pct[k]);
        ck_assert_uint_lt(n, cap);
    }
    ltk_run_release(&run);
    return text;
}

static void same_either_way(const char *path, enum ltk_hist_method m, int want_threads)
{
    int one, two;
    char *a = stats_text(path, m, 1, &one), *b = stats_text(path, m, 2, &two);
    ck_assert_int_eq(one, 1);
    ck_assert_msg(two == want_threads, "%s: read by %d thread(s), expected %d", path, two, want_threads);
    size_t i = 0;
    while (a[i] && a[i] == b[i])
        i++;
    size_t from = i > 60 ? i - 60 : 0;
    ck_assert_msg(a[i] == b[i], "%s: one and two threads differ at byte %zu: '%.120s' vs '%.120s'", path, i,
                  a + from, b + from);
    free(a);
    free(b);
}

START_TEST(two_threads_give_what_one_gives_on_every_sample)
{
    static const char *const logs[] = {
        "samples/runs/load/load_requests.csv", "samples/runs/pool/pool_requests.csv",
        "samples/runs/stress/stress_requests.csv", "samples/runs/spike/spike_requests.csv",
        "samples/runs/soak/soak_requests.csv", "samples/runs/ratelimit/ratelimit_requests.csv",
        "samples/runs/smoke/smoke_requests.csv", "samples/runs/custom_pct/custom_pct_requests.csv",
        "tests/data/raw/multiline_requests.csv", "tests/data/raw/jmeter.jtl.csv",
    };
    for (size_t i = 0; i < sizeof logs / sizeof logs[0]; i++)
        for (int m = LTK_HIST_HDR; m <= LTK_HIST_EXACT; m++)
            same_either_way(source_path(logs[i]), (enum ltk_hist_method)m, 2);
    /* gzip cannot be split; k6 pairs rows across lines: one thread */
    same_either_way(source_path("tests/data/raw/smoke_requests.csv.gz"), LTK_HIST_HDR, 1);
    same_either_way(source_path("tests/data/raw/k6.csv"), LTK_HIST_HDR, 1);
}
END_TEST

/* A generated hook log: many failures whose quoted exception holds lines
 * that look like records (no quote, six commas), rows a little out of order. */
static const char *multiline_log(const char *name, size_t rows, bool one_long_field)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs("timestamp,request_type,name,response_time,response_length,success,exception\n", fp);
    uint64_t x = 12345;
    for (size_t i = 0; i < rows; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        double ts = 1795801502.0 + (double)i / 50 + (double)(x >> 60) / 8;
        double ms = (double)((x >> 20) % 400000) / 100;
        const char *names[] = { "/health", "/query", "/retrieval", "/documents/7" };
        fprintf(fp, "%.6f,GET,%s,%.3f,%u,", ts, names[(x >> 8) % 4], ms, (unsigned)((x >> 30) % 900));
        if (one_long_field && i == rows / 4) {
            fputs("0,\"Traceback:\n", fp);
            for (size_t k = 0; k < rows; k++)
                fprintf(fp, "%.6f,GET,/health,5.0,33,1,\n", ts);
            fputs("end\"\n", fp);
        } else if ((x >> 40) % 7 == 0) {
            fprintf(fp, "0,\"Traceback (most recent call last):\n%.6f,GET,/health,5.0,33,1,\nHTTPError: 503\"\n", ts);
        } else {
            fputs("1,\n", fp);
        }
    }
    ck_assert_int_eq(fclose(fp), 0);
    return path;
}

START_TEST(two_threads_give_what_one_gives_with_quoted_newlines)
{
    const char *path = multiline_log("multi.csv", 30000, false);
    for (int m = LTK_HIST_HDR; m <= LTK_HIST_EXACT; m++)
        same_either_way(path, (enum ltk_hist_method)m, 2);
}
END_TEST

/* Two threads over a log whose halves lie days apart (the split falls in
 * the gap, or before it): the same as one thread, and no longer refused. */
START_TEST(two_threads_over_a_gap_give_what_one_gives)
{
    static const double gaps[] = { 12 * 86400.0, 100 * 86400.0, 400.0 };
    static const double at[] = { 0.5, 0.3 };     /* where the gap falls, in the rows */
    for (size_t g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
        for (size_t w = 0; w < sizeof at / sizeof at[0]; w++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/gap%zu_%zu.csv", dir, g, w);
            FILE *fp = fopen(path, "w");
            ck_assert_ptr_nonnull(fp);
            fputs(HOOK_HEADER, fp);
            uint64_t x = 777;
            size_t rows = 20000;
            for (size_t i = 0; i < rows; i++) {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                double ts = 1795801502.0 + (double)i / 50 + (double)(x >> 60) / 8 +
                            ((double)i >= at[w] * (double)rows ? gaps[g] : 0);
                fprintf(fp, "%.6f,GET,/%u,%.3f,%u,1,\n", ts, (unsigned)((x >> 8) % 3),
                        (double)((x >> 20) % 400000) / 100, (unsigned)((x >> 30) % 900));
            }
            ck_assert_int_eq(fclose(fp), 0);
            for (int m = LTK_HIST_HDR; m <= LTK_HIST_EXACT; m++)
                same_either_way(path, (enum ltk_hist_method)m, 2);
        }
    }
}
END_TEST

/* The second part's intervals hold a cell per one of its few names (dense),
 * most of them empty; the first part knows many more names, so the merged
 * interval keeps only the cells with requests: none without. */
START_TEST(two_threads_merge_dense_cells_into_sparse_intervals)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/few_after_many.csv", dir);
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(HOOK_HEADER, fp);
    for (int t = 0; t < 900; t++)                  /* 900 names, one each second */
        fprintf(fp, "%d.25,GET,/many%04d,%d.5,1,1,\n", 1700000000 + t, t, t % 97);
    for (int t = 900; t < 3900; t++)               /* then 10 names, half of them each second */
        for (int k = 0; k < 5; k++)
            fprintf(fp, "%d.25,GET,/few%d,%d.5,1,1,\n", 1700000000 + t, (t + 2 * k) % 10, (t + k) % 89);
    ck_assert_int_eq(fclose(fp), 0);
    for (int m = LTK_HIST_HDR; m <= LTK_HIST_EXACT; m++)
        same_either_way(path, (enum ltk_hist_method)m, 2);
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
        opt.interval_s = 1; /* the 1 s machinery, not the automatic interval */
    opt.threads = 2;
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_rawlog_load(&run, path, &opt, &err), LTK_OK);
    ck_assert_int_eq(run.raw_threads, 2);
    ck_assert_uint_eq(run.nhistory, 900 * 2 + 3000 * 6);
    ltk_run_release(&run);
}
END_TEST

START_TEST(a_split_point_inside_quotes_is_caught_and_one_thread_reads)
{
    /* the middle of the file is inside one quoted field whose lines all look
     * like records: the split point found there is not a record boundary,
     * the first part ends inside quotes, and the file is read again */
    const char *path = multiline_log("long_field.csv", 4000, true);
    same_either_way(path, LTK_HIST_HDR, 1);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("rawlog");
    TCase *t = tcase_create("core");
    tcase_add_checked_fixture(t, setup, NULL);
    tcase_add_loop_test(t, each_format_is_read, 0, sizeof fmt_cases / sizeof fmt_cases[0]);
    tcase_add_test(t, logger_success_needs_a_good_status_and_no_exception);
    tcase_add_test(t, k6_joins_duration_and_failed_rows);
    tcase_add_test(t, k6_failed_rows_without_a_duration_are_reported);
    tcase_add_test(t, columns_name_any_csv);
    tcase_add_test(t, gzip_logs_are_read_whatever_their_name);
    tcase_add_test(t, a_truncated_gzip_is_an_error);
    tcase_add_test(t, names_fold_into_templates);
    tcase_add_test(t, fold_merges_ids);
    tcase_add_test(t, names_past_the_cap_go_to_other_with_a_warning);
    tcase_add_loop_test(t, malformed_rows_name_file_line_and_reason, 0, sizeof bad / sizeof bad[0]);
    tcase_add_test(t, skip_bad_counts_and_reports_the_first);
    tcase_add_test(t, history_has_one_row_per_interval_and_endpoint);
    tcase_add_test(t, rows_far_out_of_order_count_but_leave_the_percentiles);
    tcase_add_test(t, last_interval_rate_counts_its_own_seconds);
    tcase_add_test(t, far_apart_rows_take_memory_by_rows_not_time);
    tcase_add_test(t, short_gaps_keep_every_empty_interval);
    tcase_add_test(t, intervals_keep_only_the_cells_of_their_names);
    tcase_add_test(t, intervals_with_requests_are_counted_to_a_limit);
    tcase_add_test(t, earlier_intervals_are_made_in_any_order);
    tcase_add_test(t, percentile_lists_parse);
    tcase_add_test(t, the_method_decides_the_percentiles);
    tcase_add_test(t, bad_options_are_refused);
    tcase_add_test(t, detect_tells_raw_logs_from_locust_exports);
    tcase_add_test(t, two_threads_give_what_one_gives_on_every_sample);
    tcase_add_test(t, two_threads_give_what_one_gives_with_quoted_newlines);
    tcase_add_test(t, a_split_point_inside_quotes_is_caught_and_one_thread_reads);
    tcase_add_test(t, two_threads_over_a_gap_give_what_one_gives);
    tcase_add_test(t, two_threads_merge_dense_cells_into_sparse_intervals);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return run_suite(suite());
}

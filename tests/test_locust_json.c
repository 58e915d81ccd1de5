/* Check suite for lib/read/locust_json.c: Locust's --json statistics into a
 * summary and a run.  The percentiles are worked out by hand with Locust's
 * own rules (stats.py: calculate_response_time_percentile walks the rounded
 * times from the top; median_from_dict takes the lower middle), and every
 * refusal is checked next to the message it gives. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "ltk/read/locust_json.h"
#include "ltk/read/load.h"
#include "ltk/read/summary_json.h"
#include "ltk/model/summary.h"
#include "testutil.h"

/* Two endpoints.  /a: 5 x 10 ms, 3 x 20, 2 x 150; /b: 10 ms and 1000 ms.
 * /a has 4 requests in second 100 and 6 (2 failed) in 101; /b one in 101
 * and one in 103 (second 102 is empty). */
static const char two[] =
    "[\n"
    "  {\"name\": \"/a\", \"method\": \"GET\", \"last_request_timestamp\": 101.9, \"start_time\": 99.5,\n"
    "   \"num_requests\": 10, \"num_none_requests\": 0, \"num_failures\": 2,\n"
    "   \"total_response_time\": 410.0, \"max_response_time\": 151.0, \"min_response_time\": 9.6,\n"
    "   \"total_content_length\": 1000,\n"
    "   \"response_times\": {\"20\": 3, \"10\": 5, \"150.0\": 2},\n"
    "   \"num_reqs_per_sec\": {\"100\": 4, \"101\": 6}, \"num_fail_per_sec\": {\"101\": 2}},\n"
    "  {\"name\": \"/b\", \"method\": \"POST\", \"last_request_timestamp\": 103.5, \"start_time\": 100.1,\n"
    "   \"num_requests\": 2, \"num_none_requests\": 0, \"num_failures\": 0,\n"
    "   \"total_response_time\": 1030.2, \"max_response_time\": 1020.0, \"min_response_time\": 10.2,\n"
    "   \"total_content_length\": 20,\n"
    "   \"response_times\": {\"1000.0\": 1, \"10\": 1},\n"
    "   \"num_reqs_per_sec\": {\"103\": 1, \"101\": 1}, \"num_fail_per_sec\": {}}\n"
    "]\n";

static size_t pct_index(const struct ltk_run *run, double q)
{
    for (size_t k = 0; k < run->stats_pct.n; k++)
        if (fabs(run->stats_pct.q[k] - q) < 1e-12)
            return k;
    ck_abort_msg("no %g column", q);
    return 0;
}

START_TEST(test_endpoints_total_and_percentiles_as_locust_computes_them)
{
    const char *path = write_file(temp_dir(), "two.json", two);
    ck_assert(ltk_locust_json_sniff(path));
    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_error err;
    ltk_error_clear(&err);
    ck_assert_msg(ltk_run_load(&run, path, &err) == LTK_OK, "%s", err.msg);
    ck_assert_str_eq(run.raw_format, LTK_LOCUST_JSON_FORMAT);
    ck_assert_int_eq(run.raw_method, LTK_HIST_LOCUST);
    ck_assert_uint_eq(run.nendpoints, 2);
    const struct ltk_endpoint *a = &run.endpoints[0], *b = &run.endpoints[1];
    ck_assert_str_eq(a->name, "/a");
    ck_assert_str_eq(a->type, "GET");
    ck_assert_str_eq(b->name, "/b");
    ck_assert_uint_eq(a->requests, 10);
    ck_assert_uint_eq(a->failures, 2);
    ck_assert_double_eq_tol(a->mean, 41.0, 1e-9);
    ck_assert_double_eq(a->min, 9.6);
    ck_assert_double_eq(a->max, 151.0);
    ck_assert_double_eq_tol(a->avg_size, 100.0, 1e-12);
    /* median_from_dict: position 4.5 falls in the 5 x 10 ms; the 50th
     * percentile walks down from the top: 150 (2), 20 (3) leaves 5 <= 5 */
    ck_assert_double_eq(a->median, 10);
    ck_assert_double_eq(a->pct[pct_index(&run, 0.5)], 20);
    ck_assert_double_eq(a->pct[pct_index(&run, 0.95)], 150);
    /* the Aggregated row merges the histograms: 10 x6, 20 x3, 150 x2, 1000 x1 */
    ck_assert(run.has_total);
    ck_assert_uint_eq(run.total.requests, 12);
    ck_assert_uint_eq(run.total.failures, 2);
    ck_assert_double_eq(run.total.pct[pct_index(&run, 0.5)], 20);
    ck_assert_double_eq(run.total.pct[pct_index(&run, 0.9)], 150);
    ck_assert_double_eq(run.total.pct[pct_index(&run, 0.99)], 1000);
    ck_assert_double_eq(run.total.min, 9.6);
    ck_assert_double_eq(run.total.max, 1020);
    /* RPS over the earliest start (99.5) to the latest request (103.5) */
    ck_assert_double_eq_tol(run.total.rps, 12 / 4.0, 1e-12);
    /* one failure group per endpoint with failures, without a text */
    ck_assert_uint_eq(run.nfailures, 1);
    ck_assert_str_eq(run.failures[0].name, "/a");
    ck_assert_uint_eq(run.failures[0].occurrences, 2);
    ck_assert_str_eq(run.failures[0].error, LTK_LOCUST_JSON_NO_ERROR);
    ck_assert_uint_eq(run.nwarnings, 0);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_history_per_second_in_table_order)
{
    const char *path = write_file(temp_dir(), "two.json", two);
    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_error err;
    ck_assert_int_eq(ltk_run_load(&run, path, &err), LTK_OK);
    ck_assert(run.history_full);
    ck_assert_int_eq(run.history_window_s, 1);
    ck_assert_ptr_nonnull(run.source[LTK_SRC_HISTORY]);
    static const struct {
        int64_t ts;
        const char *name;
        double rps, fails;
        uint64_t cum;
    } want[] = {
        { 100, "/a", 4, 0, 4 },  { 100, "Aggregated", 4, 0, 4 }, { 101, "/a", 6, 2, 10 },
        { 101, "/b", 1, 0, 1 },  { 101, "Aggregated", 7, 2, 11 }, { 102, "Aggregated", 0, 0, 11 },
        { 103, "/b", 1, 0, 2 },  { 103, "Aggregated", 1, 0, 12 },
    };
    ck_assert_uint_eq(run.nhistory, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < run.nhistory; i++) {
        const struct ltk_history_row *h = &run.history[i];
        ck_assert_int_eq(h->ts, want[i].ts);
        ck_assert_str_eq(h->name, want[i].name);
        ck_assert_int_eq(h->is_total, strcmp(want[i].name, "Aggregated") == 0);
        ck_assert_double_eq(h->rps, want[i].rps);
        ck_assert_double_eq(h->fail_per_s, want[i].fails);
        ck_assert_uint_eq(h->requests, want[i].cum);
        for (size_t k = 0; k < run.history_pct.n; k++)
            ck_assert(isnan(h->pct[k]));
    }
    ltk_run_release(&run);
}
END_TEST

/* A summary of the file: locust method only, merges exactly with itself,
 * and reads back (no intervals, so no time span). */
START_TEST(test_summary_merges_and_reads_back)
{
    struct ltk_summary s, t;
    ltk_summary_init(&s);
    ltk_summary_init(&t);
    struct ltk_error err;
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    ck_assert_int_eq(ltk_locust_json_parse(&s, NULL, two, sizeof two - 1, "two.json", &opt, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "--method locust"));
    opt.method = LTK_HIST_LOCUST;
    struct ltk_locust_series ts;
    ck_assert_int_eq(ltk_locust_json_parse(&s, &ts, two, sizeof two - 1, "two.json", &opt, &err), LTK_OK);
    ck_assert_uint_eq(ts.n, 4); /* (100,/a) (101,/a) (101,/b) (103,/b) */
    ck_assert_int_eq(ts.ticks[0].t, 100);
    ck_assert_uint_eq(ts.ticks[1].requests, 6);
    ck_assert_uint_eq(ts.ticks[1].failures, 2);
    ck_assert_double_eq(ts.tmin, 99.5);
    ck_assert_double_eq(ts.tmax, 103.5);
    ltk_locust_series_release(&ts);
    ck_assert_uint_eq(s.total.count, 12);
    ck_assert_uint_eq(s.timed, 0);
    ck_assert_uint_eq(s.nintervals, 0);
    ck_assert_int_eq(ltk_locust_json_parse(&t, NULL, two, sizeof two - 1, "two.json", &opt, &err), LTK_OK);
    ck_assert_int_eq(ltk_summary_merge(&s, &t, &err), LTK_OK);
    ck_assert_uint_eq(s.total.count, 24);
    ck_assert_uint_eq(s.total_failures, 4);
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    ck_assert_int_eq(ltk_summary_write(fp, &s), LTK_OK);
    fclose(fp);
    struct ltk_summary back;
    ltk_summary_init(&back);
    ck_assert_msg(ltk_summary_parse(&back, text, len, "m.ltk.json", &err) == LTK_OK, "%s", err.msg);
    ck_assert_str_eq(back.sources[0].format, LTK_LOCUST_JSON_FORMAT);
    ck_assert_uint_eq(back.endpoints[0].hist.count, 20);
    free(text);
    ltk_summary_release(&back);
    ltk_summary_release(&s);
    ltk_summary_release(&t);
}
END_TEST

/* Requests without a response time are counted apart, with a warning. */
START_TEST(test_untimed_requests_are_left_out_with_a_warning)
{
    static const char doc[] =
        "[{\"name\": \"/x\", \"method\": \"GET\", \"last_request_timestamp\": 10.5, \"start_time\": 9,"
        " \"num_requests\": 3, \"num_none_requests\": 1, \"num_failures\": 0, \"total_response_time\": 7,"
        " \"max_response_time\": 4, \"min_response_time\": 3, \"total_content_length\": 0,"
        " \"response_times\": {\"3\": 1, \"4\": 1}, \"num_reqs_per_sec\": {\"10\": 3}, \"num_fail_per_sec\": {}}]";
    const char *path = write_file(temp_dir(), "untimed.json", doc);
    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_error err;
    ck_assert_msg(ltk_run_load(&run, path, &err) == LTK_OK, "%s", err.msg);
    ck_assert_uint_eq(run.total.requests, 2);
    ck_assert_uint_eq(run.nwarnings, 1);
    ck_assert_ptr_nonnull(strstr(run.warnings[0], "1 request(s) without a response time"));
    ltk_run_release(&run);
}
END_TEST

/* An entry; %s are replaced in order: name, response_times, num_reqs_per_sec. */
#define ENTRY(rt, rps)                                                                                  \
    "{\"name\": \"/x\", \"method\": \"GET\", \"last_request_timestamp\": 10.5, \"start_time\": 9,"       \
    " \"num_requests\": 2, \"num_none_requests\": 0, \"num_failures\": 0, \"total_response_time\": 7,"   \
    " \"max_response_time\": 4, \"min_response_time\": 3, \"total_content_length\": 0,"                \
    " \"response_times\": " rt ", \"num_reqs_per_sec\": " rps ", \"num_fail_per_sec\": {}}"
#define GOOD ENTRY("{\"3\": 1, \"4\": 1}", "{\"10\": 2}")

/* Each document with the status and message it gives (one control case
 * that parses). */
static const struct {
    const char *doc;
    int rc;
    const char *msg;
} bad[] = {
    { "{\"a\": 1}", LTK_EFORMAT, "expected an array of endpoints, got an object" },
    { "[]", LTK_EFORMAT, "no requests: an empty array" },
    { "[1]", LTK_EFORMAT, "[0]: expected an object (an endpoint), got a number" },
    { "[" GOOD ", 7]", LTK_EFORMAT, "[1]: expected an object" },
    { "[{\"method\": \"GET\"}]", LTK_EFORMAT, "'name': expected a string, got nothing" },
    { "[{\"name\": \"/x\", \"method\": 3}]", LTK_EFORMAT, "'method': expected a string or null, got a number" },
    { "[{\"name\": \"/x\", \"method\": \"GET\", \"num_requests\": -1}]", LTK_EFORMAT,
      "[0] ('GET' '/x'): 'num_requests': expected a count (a whole number >= 0 below 2^53), got a negative" },
    { "[{\"name\": \"/x\", \"method\": \"GET\", \"num_requests\": 9007199254740992}]", LTK_EFORMAT,
      "got a number from 2^53 on" },
    { "[{\"name\": \"/x\", \"method\": \"GET\", \"num_requests\": 1e400}]", LTK_EFORMAT,
      "beyond the range of a double" },
    { "[" ENTRY("{\"3\": 1, \"12.5\": 1}", "{\"10\": 2}") "]", LTK_EFORMAT,
      "'response_times': '12.5' is not a time Locust's rounding gives" },
    { "[" ENTRY("{\"3\": 1, \"-4\": 1}", "{\"10\": 2}") "]", LTK_EFORMAT, "'-4' is not a time" },
    { "[" ENTRY("{\"3\": 1, \"4\": 1.5}", "{\"10\": 2}") "]", LTK_EFORMAT, "'4': expected a count, got a negative or fractional" },
    { "[" ENTRY("{\"3\": 1}", "{\"10\": 2}") "]", LTK_EFORMAT,
      "'response_times' holds 1 requests, but num_requests - num_none_requests is 2" },
    { "[" ENTRY("{\"3\": 1, \"4\": 1}", "{\"10\": 1}") "]", LTK_EFORMAT,
      "'num_reqs_per_sec' adds up to 1, but the entry has 2 requests" },
    { "[" ENTRY("{\"3\": 1, \"4\": 1}", "{\"ten\": 2}") "]", LTK_EFORMAT,
      "'num_reqs_per_sec': 'ten' is not a Unix second" },
    { "[" ENTRY("{\"3\": 1, \"4\": 1}", "{\"1e16\": 2}") "]", LTK_EFORMAT, "is not a Unix second from 0 to 10^15" },
    { "[" ENTRY("{\"3\": 1, \"4\": 1}", "[2]") "]", LTK_EFORMAT,
      "'num_reqs_per_sec': expected an object of {second: count}, got an array" },
    { "[" GOOD ", " GOOD "]", LTK_EFORMAT, "the endpoint 'GET' '/x' appears twice" },
    /* found by fuzz_locust_json: a summary of it did not read back */
    { "[" ENTRY("{\"4\": 2}", "{\"10\": 2}") "]", LTK_EFORMAT,
      "'min_response_time' 3 and 'max_response_time' 4 do not round to the smallest and the largest key" },
    { "[" ENTRY("{\"3\": 1, \"4\": 1}", "{\"10\": 2}") "]", LTK_OK, "" },
    { "[{\"name\": \"/x\", \"method\": \"GET\", \"last_request_timestamp\": 10.5, \"start_time\": 9,"
      " \"num_requests\": 2, \"num_none_requests\": 0, \"num_failures\": 0, \"total_response_time\": 5.5,"
      " \"max_response_time\": 4, \"min_response_time\": 3, \"total_content_length\": 0,"
      " \"response_times\": {\"3\": 1, \"4\": 1}, \"num_reqs_per_sec\": {\"10\": 2}, \"num_fail_per_sec\": {}}]",
      LTK_EFORMAT, "'total_response_time' 5.5 is not between num_requests x min and x max" },
    /* found by fuzz_locust_json: a sum of 1e100 ms was converted to ns
     * (128 bits) before it was checked: undefined behaviour (UBSan) */
    { "[{\"name\": \"/x\", \"method\": \"GET\", \"last_request_timestamp\": 10.5, \"start_time\": 9,"
      " \"num_requests\": 2, \"num_none_requests\": 0, \"num_failures\": 0, \"total_response_time\": 1e100,"
      " \"max_response_time\": 4, \"min_response_time\": 3, \"total_content_length\": 0,"
      " \"response_times\": {\"3\": 1, \"4\": 1}, \"num_reqs_per_sec\": {\"10\": 2}, \"num_fail_per_sec\": {}}]",
      LTK_EFORMAT, "'total_response_time' 1e+100 is not between" },
    { "[" GOOD, LTK_EFORMAT, "not valid JSON (at byte" },
    { "[" GOOD "] x", LTK_EFORMAT, "text after the document" },
};

START_TEST(test_refusals_name_the_entry_and_what_is_wrong)
{
    struct ltk_summary s;
    ltk_summary_init(&s);
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.method = LTK_HIST_LOCUST;
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = ltk_locust_json_parse(&s, NULL, bad[_i].doc, strlen(bad[_i].doc), "bad.json", &opt, &err);
    ck_assert_msg(rc == bad[_i].rc, "case %d: rc %d (%s)", _i, rc, err.msg);
    if (rc == LTK_OK) {
        ck_assert_uint_eq(s.total.count, 2);
        ltk_summary_release(&s);
        return;
    }
    ck_assert_str_eq(err.file, "bad.json");
    ck_assert_msg(strstr(err.msg, bad[_i].msg), "case %d: '%s' lacks '%s'", _i, err.msg, bad[_i].msg);
    ck_assert_uint_eq(s.nendpoints, 0); /* left empty */
}
END_TEST

START_TEST(test_limits)
{
    struct ltk_summary s;
    ltk_summary_init(&s);
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.method = LTK_HIST_LOCUST;
    opt.max_names = 1;
    static const char two_names[] = "[" GOOD ", " GOOD "]";
    struct ltk_error err;
    ck_assert_int_eq(ltk_locust_json_parse(&s, NULL, two_names, sizeof two_names - 1, "n.json", &opt, &err),
                     LTK_ELIMIT);
    ck_assert_ptr_nonnull(strstr(err.msg, "more than --max-names 1"));
    /* a syntax error names its line */
    static const char broken[] = "[\n{\"name\": \"/x\",\n  \"method\" \"GET\"}]";
    opt.max_names = 10;
    ck_assert_int_eq(ltk_locust_json_parse(&s, NULL, broken, sizeof broken - 1, "n.json", &opt, &err), LTK_EFORMAT);
    ck_assert_int_eq(err.line, 3);
    /* a file cut short says so; Python's NaN is named */
    static const char cut[] = "[" GOOD;
    ck_assert_int_eq(ltk_locust_json_parse(&s, NULL, cut, 40, "n.json", &opt, &err), LTK_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "the file ends inside the document (cut off?)"));
    static const char nan[] = "[{\"name\": NaN}]";
    ck_assert_int_eq(ltk_locust_json_parse(&s, NULL, nan, sizeof nan - 1, "n.json", &opt, &err), LTK_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "NaN and Infinity are not JSON numbers"));
    /* found by fuzz_locust_json: the check for -Infinity read past a buffer
     * that is not NUL-terminated ("-I" as the whole of a heap block) */
    char *tail = malloc(2);
    ck_assert_ptr_nonnull(tail);
    memcpy(tail, "-I", 2);
    ck_assert_int_eq(ltk_locust_json_parse(&s, NULL, tail, 2, "n.json", &opt, &err), LTK_EFORMAT);
    free(tail);
}
END_TEST

/* 100 000 endpoints (the most a summary holds) in falling name order parse
 * in a time that follows their number: the duplicate check sorts once. */
START_TEST(test_many_endpoints_in_any_order)
{
    size_t n = LTK_SUMMARY_MAX_ENDPOINTS;
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(fp);
    fputc('[', fp);
    for (size_t i = 0; i < n; i++)
        fprintf(fp,
                "%s{\"name\": \"/item/%06zu\", \"method\": \"GET\", \"last_request_timestamp\": 10.5,"
                " \"start_time\": 9, \"num_requests\": 1, \"num_failures\": 0, \"total_response_time\": 3,"
                " \"max_response_time\": 3, \"min_response_time\": 3, \"total_content_length\": 0,"
                " \"response_times\": {\"3\": 1}, \"num_reqs_per_sec\": {\"10\": 1}, \"num_fail_per_sec\": {}}",
                i ? "," : "", n - i);
    fputc(']', fp);
    fclose(fp);
    struct ltk_summary s;
    ltk_summary_init(&s);
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.method = LTK_HIST_LOCUST;
    opt.max_names = n;
    struct ltk_error err;
    ck_assert_msg(ltk_locust_json_parse(&s, NULL, text, len, "many.json", &opt, &err) == LTK_OK, "%s", err.msg);
    ck_assert_uint_eq(s.nendpoints, n);
    ck_assert_uint_eq(s.total.count, n);
    ltk_summary_release(&s);
    free(text);
}
END_TEST

/* Only an array is taken for Locust's JSON: ltk's own documents are
 * objects, and a directory or missing file is not sniffed. */
START_TEST(test_sniff)
{
    ck_assert(ltk_locust_json_sniff(write_file(temp_dir(), "a.json", " \n\t[1]")));
    ck_assert(!ltk_locust_json_sniff(write_file(temp_dir(), "o.json", "{\"schema\": 1}")));
    ck_assert(!ltk_locust_json_sniff(write_file(temp_dir(), "e.json", "")));
    ck_assert(!ltk_locust_json_sniff(temp_dir()));
    ck_assert(!ltk_locust_json_sniff("/nonexistent/x.json"));
}
END_TEST

/* Locust's rule for a percentile of a response_times dict (stats.py,
 * calculate_response_time_percentile), worked here on the file's own JSON. */
static double locust_pct(const cJSON *times, uint64_t n, double q)
{
    size_t m = (size_t)cJSON_GetArraySize(times), k = 0;
    double *t = malloc((m ? m : 1) * sizeof *t), *c = malloc((m ? m : 1) * sizeof *c);
    ck_assert(t && c);
    for (const cJSON *x = times ? times->child : NULL; x; x = x->next, k++) {
        t[k] = strtod(x->string, NULL);
        c[k] = x->valuedouble;
    }
    for (size_t i = 1; i < m; i++)   /* by time, highest first */
        for (size_t j = i; j > 0 && t[j - 1] < t[j]; j--) {
            double a = t[j], b = c[j];
            t[j] = t[j - 1], c[j] = c[j - 1];
            t[j - 1] = a, c[j - 1] = b;
        }
    uint64_t want = (uint64_t)((double)n * q), seen = 0;
    double v = 0;
    for (size_t i = 0; i < m; i++) {
        seen += (uint64_t)c[i];
        if (n - seen <= want) {
            v = t[i];
            break;
        }
    }
    free(t);
    free(c);
    return v;
}

/* The module pins Locust 2.31.6: what it printed with --json for the bundled
 * jsonfile run (samples/runs/jsonfile_v2316) reads, and each endpoint's
 * requests, failures, p95 (Locust's rule on the file's histogram) and
 * seconds of history are those of the file, read here with cJSON. */
START_TEST(test_locust_2316_json_printed_by_locust)
{
    const char *path = source_path("samples/runs/jsonfile_v2316/jsonfile_v2316.json");
    ck_assert(ltk_locust_json_sniff(path));
    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_error err;
    ltk_error_clear(&err);
    ck_assert_msg(ltk_run_load(&run, path, &err) == LTK_OK, "%s", err.msg);
    ck_assert_str_eq(run.raw_format, LTK_LOCUST_JSON_FORMAT);
    ck_assert_uint_eq(run.nwarnings, 0);

    FILE *fp = fopen(path, "rb");
    ck_assert_ptr_nonnull(fp);
    char *text = slurp(fp);
    fclose(fp);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    ck_assert(cJSON_IsArray(doc));
    ck_assert_uint_eq(run.nendpoints, (size_t)cJSON_GetArraySize(doc));
    ck_assert_uint_eq(run.nendpoints, 3);
    uint64_t requests = 0, failures = 0;
    size_t seconds_query = 0;
    for (const cJSON *e = doc->child; e; e = e->next) {
        const char *name = cJSON_GetObjectItem(e, "name")->valuestring;
        uint64_t n = (uint64_t)cJSON_GetObjectItem(e, "num_requests")->valuedouble,
                 f = (uint64_t)cJSON_GetObjectItem(e, "num_failures")->valuedouble;
        const struct ltk_endpoint *ep = NULL;
        for (size_t i = 0; i < run.nendpoints; i++)
            if (strcmp(run.endpoints[i].name, name) == 0)
                ep = &run.endpoints[i];
        ck_assert_msg(ep != NULL, "no endpoint %s", name);
        ck_assert_str_eq(ep->type, cJSON_GetObjectItem(e, "method")->valuestring);
        ck_assert_uint_eq(ep->requests, n);
        ck_assert_uint_eq(ep->failures, f);
        ck_assert_double_eq(ep->max, cJSON_GetObjectItem(e, "max_response_time")->valuedouble);
        const cJSON *times = cJSON_GetObjectItem(e, "response_times");
        ck_assert_double_eq(ep->pct[pct_index(&run, 0.95)], locust_pct(times, n, 0.95));
        ck_assert_double_eq(ep->pct[pct_index(&run, 0.5)], locust_pct(times, n, 0.5));
        requests += n;
        failures += f;
        if (strcmp(name, "/query") == 0)
            seconds_query = (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(e, "num_reqs_per_sec"));
    }
    cJSON_Delete(doc);
    /* the numbers of the file, as ltk stats shows them */
    ck_assert_uint_eq(requests, 210);
    ck_assert_uint_eq(failures, 30);
    ck_assert_uint_eq(run.total.requests, requests);
    ck_assert_uint_eq(run.total.failures, failures);
    ck_assert_double_eq(run.total.pct[pct_index(&run, 0.95)], 1700);
    /* the history: one tick a second from the first to the last second of
     * num_reqs_per_sec (1796637783 .. 1796637812, /query in every one) */
    ck_assert_uint_eq(seconds_query, 30);
    ck_assert(run.history_full);
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    uint64_t last_total = 0;
    for (size_t i = 0; i < run.nhistory; i++) {
        lo = run.history[i].ts < lo ? run.history[i].ts : lo;
        hi = run.history[i].ts > hi ? run.history[i].ts : hi;
        if (run.history[i].is_total)
            last_total = run.history[i].requests;
    }
    ck_assert_int_eq(lo, 1796637783);
    ck_assert_int_eq(hi, 1796637812);
    ck_assert_uint_eq(last_total, 210);
    ltk_run_release(&run);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("locust_json");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_endpoints_total_and_percentiles_as_locust_computes_them);
    tcase_add_test(tc, test_history_per_second_in_table_order);
    tcase_add_test(tc, test_summary_merges_and_reads_back);
    tcase_add_test(tc, test_untimed_requests_are_left_out_with_a_warning);
    tcase_add_loop_test(tc, test_refusals_name_the_entry_and_what_is_wrong, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, test_limits);
    tcase_add_test(tc, test_sniff);
    tcase_add_test(tc, test_locust_2316_json_printed_by_locust);
    suite_add_tcase(s, tc);
    TCase *big = tcase_create("big");
    tcase_set_timeout(big, 30);
    tcase_add_test(big, test_many_endpoints_in_any_order);
    suite_add_tcase(s, big);
    return s;
}

int main(void)
{
    return run_suite(suite());
}

/* Check suite for lib/read/locust_csv.c: each Locust file reader on the shapes
 * Locust 2.x writes, and each way such a file can be wrong. */
#include <math.h>

#include "ltk/read/load.h"
#include "ltk/read/locust.h"
#include "testutil.h"

#define STATS_HEADER                                                                                 \
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"              \
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"                \
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\r\n"

static const char stats_real[] =
    STATS_HEADER
    "GET,Aggregated,3,0,2,2.5,1.2706,6.861877441406,12.0,0.2,0.0,2,2,2,2,3,7,7,7,7,7,7\r\n"
    "GET,/health,12,0,2,2.1799999999999997,1.2706,6.86,33.8,0.2547163956116813,0.0,2,2,2,2,3,7,7,7,7,7,7\r\n"
    "POST,/query,151,3,740.0,865.6032828211909,298.8559579999901,4039.273664999996,730.96,2.56,0.05,"
    "740,940,1100,1200,1400,1600,1700,2300,4000,4000,4000\r\n"
    "DELETE,/unused,0,0,0,0.0,0,0,0,0.0,0.0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A\r\n"
    ",Aggregated,166,3,590.0,644.23,1.2706,4039.273664999996,676.9,3.7188593759305473,0.05,"
    "590,750,930,1000,1300,1500,1700,1800,4000,4000,4000\r\n";

static int read_kind(struct ltk_run *run, int kind, const char *data, size_t len, struct ltk_error *err)
{
    FILE *fp = mem_file(data, len);
    int rc = ltk_locust_read(run, kind, fp, "x.csv", err);
    fclose(fp);
    return rc;
}

#define READ(run, kind, lit, err) read_kind((run), (kind), (lit), sizeof(lit) - 1, (err))

START_TEST(test_stats_reads_every_cell)
{
    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_error err;
    ck_assert_int_eq(READ(&run, LTK_SRC_STATS, stats_real, &err), LTK_OK);
    ck_assert_uint_eq(run.stats_pct.n, 11);
    ck_assert_str_eq(run.stats_pct.label[8], "99.9");
    ck_assert(fabs(run.stats_pct.q[8] - 0.999) < 1e-12);
    ck_assert_str_eq(run.stats_pct.label[10], "100");
    /* a request the user named "Aggregated" has a type and stays an endpoint */
    ck_assert_uint_eq(run.nendpoints, 4);
    ck_assert_str_eq(run.endpoints[0].name, "Aggregated");
    ck_assert_str_eq(run.endpoints[0].type, "GET");
    const struct ltk_endpoint *q = &run.endpoints[2];
    ck_assert_str_eq(q->type, "POST");
    ck_assert_str_eq(q->name, "/query");
    ck_assert_uint_eq(q->requests, 151);
    ck_assert_uint_eq(q->failures, 3);
    ck_assert(q->median == 740.0);
    ck_assert(q->mean == 865.6032828211909);
    ck_assert(q->max == 4039.273664999996);
    ck_assert(q->pct[7] == 2300);
    ck_assert(ltk_endpoint_pct(&run, q, 0.99) == 2300);
    ck_assert(isnan(ltk_endpoint_pct(&run, q, 0.42)));
    ck_assert_int_eq(q->line, 4);
    /* N/A percentiles of an endpoint with no requests are unknown, not 0 */
    ck_assert(isnan(run.endpoints[3].pct[0]));
    ck_assert(isnan(ltk_endpoint_fail_ratio(&run.endpoints[3])));
    ck_assert(run.has_total);
    ck_assert_str_eq(run.total.type, "");
    ck_assert_uint_eq(run.total.requests, 166);
    ck_assert(run.total.rps == 3.7188593759305473);
    ck_assert_str_eq(run.source[LTK_SRC_STATS], "x.csv");
    ck_assert_uint_eq(run.nwarnings, 0);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_stats_custom_percentiles_and_bom)
{
    static const char in[] =
        "\xEF\xBB\xBF"
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
        "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,99.5%,100%\r\n"
        "GET,/a,10,0,5,5.5,1,9,10,1.0,0.0,5,9,9\r\n"
        ",Aggregated,10,0,5,5.5,1,9,10,1.0,0.0,5,9,9\r\n";
    struct ltk_run run;
    ltk_run_init(&run);
    ck_assert_int_eq(READ(&run, LTK_SRC_STATS, in, NULL), LTK_OK);
    ck_assert_uint_eq(run.stats_pct.n, 3);
    ck_assert_str_eq(run.stats_pct.label[1], "99.5");
    ck_assert(ltk_endpoint_pct(&run, &run.endpoints[0], 0.995) == 9);
    ck_assert_str_eq(run.endpoints[0].type, "GET");
    ltk_run_release(&run);
}
END_TEST

static const struct {
    const char *in;
    int code;
    long line;
    const char *msg;
} stats_bad[] = {
    { STATS_HEADER "GET,/a,1,0,5,5,5,5,5,1,0\r\n", LTK_EFORMAT, 2, "expected 22 fields, got 11" },
    { STATS_HEADER "GET,/a,abc,0,5,5,5,5,5,1,0,1,1,1,1,1,1,1,1,1,1,1\r\n", LTK_EFORMAT, 2,
      "column 'Request Count': expected a count (a non-negative integer), got 'abc'" },
    { STATS_HEADER "GET,/a,1,0,5,-5,5,5,5,1,0,1,1,1,1,1,1,1,1,1,1,1\r\n", LTK_EFORMAT, 2,
      "column 'Average Response Time': expected a non-negative number, got '-5'" },
    { STATS_HEADER "GET,/a,1,0,5,nan,5,5,5,1,0,1,1,1,1,1,1,1,1,1,1,1\r\n", LTK_EFORMAT, 2,
      "column 'Average Response Time': expected a number, got 'nan'" },
    { STATS_HEADER "GET,/a,1,0,5,5,5,5,5,1,0,1,1,1,1,1,x,1,1,1,1,1\r\n", LTK_EFORMAT, 2,
      "column '95%': expected a response time in ms or N/A, got 'x'" },
    { STATS_HEADER "GET,/a,99999999999999999999,0,5,5,5,5,5,1,0,1,1,1,1,1,1,1,1,1,1,1\r\n", LTK_EFORMAT, 2,
      "expected a count no larger than 2^53" },
    { "Method,Name,Error,Occurrences\r\n", LTK_EFORMAT, 1,
      "not a Locust stats.csv file: the header has no 'Type' column (it starts with 'Method')" },
    { "Type,Name,Type\r\n", LTK_EFORMAT, 1, "column 'Type' appears twice in the header" },
    { "", LTK_EFORMAT, 0, "empty file: no stats.csv header" },
    { STATS_HEADER "GET,\"/a\"b,1\r\n", LTK_EFORMAT, 2, "malformed quoting" },
};

START_TEST(test_stats_errors_name_line_and_problem)
{
    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = read_kind(&run, LTK_SRC_STATS, stats_bad[_i].in, strlen(stats_bad[_i].in), &err);
    ck_assert_int_eq(rc, stats_bad[_i].code);
    ck_assert_int_eq(err.line, stats_bad[_i].line);
    ck_assert_str_eq(err.file, "x.csv");
    ck_assert_msg(strstr(err.msg, stats_bad[_i].msg), "message '%s' lacks '%s'", err.msg, stats_bad[_i].msg);
    ck_assert_ptr_null(run.source[LTK_SRC_STATS]);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_stats_header_only_and_truncated_total_are_incomplete)
{
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    ck_assert_int_eq(READ(&run, LTK_SRC_STATS, STATS_HEADER, &err), LTK_EFORMAT);
    ck_assert_int_eq(err.line, 1);
    ck_assert_ptr_nonnull(strstr(err.msg, "no rows after the header"));
    ck_assert_ptr_null(run.source[LTK_SRC_STATS]);
    ltk_run_release(&run);

    static const char cut[] = STATS_HEADER "GET,/a,10,0,5,5.5,1,9,10,1.0,0.0,5,9,9,9,9,9,9,9,9,9,9\r\n"
                                           ",Aggregated,10,0,5,5.5,1,9";
    ltk_run_init(&run);
    ck_assert_int_eq(READ(&run, LTK_SRC_STATS, cut, &err), LTK_EFORMAT);
    ck_assert_int_eq(err.line, 3);
    ck_assert_ptr_nonnull(strstr(err.msg, "last line is cut off (8 of 22 fields, no line end)"));
    ltk_run_release(&run);

    /* the header itself cut off is not an "empty file" */
    static const char head_cut[] = "Type,Name,Request Co";
    ltk_run_init(&run);
    ck_assert_int_eq(READ(&run, LTK_SRC_STATS, head_cut, &err), LTK_EFORMAT);
    ck_assert_int_eq(err.line, 1);
    ck_assert_ptr_nonnull(strstr(err.msg, "ends inside its first line"));
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_failures_truncated_is_incomplete)
{
    static const char cut[] = "Method,Name,Error,Occurrences\r\nGET,/a,boom,3\r\nGET,/b,bo";
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    ck_assert_int_eq(READ(&run, LTK_SRC_FAILURES, cut, &err), LTK_EFORMAT);
    ck_assert_int_eq(err.line, 3);
    ck_assert_ptr_nonnull(strstr(err.msg, "the file is incomplete"));
    ltk_run_release(&run);
}
END_TEST

#define HIST_HEADER                                                                                  \
    "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,95%,Total Request Count,"             \
    "Total Failure Count,Total Median Response Time,Total Average Response Time,"                   \
    "Total Min Response Time,Total Max Response Time,Total Average Content Size\r\n"

START_TEST(test_history_aggregated_only_is_cumulative)
{
    static const char in[] = HIST_HEADER
        "1700000000,0,,Aggregated,0.000000,0.000000,N/A,N/A,0,0,0,0.0,0,0,0\r\n"
        "1700000001,2,,Aggregated,0.000000,0.000000,600,900,2,0,600.0,650.5,300.1,901.2,700.0\r\n"
        "1700000001,4,,Aggregated,1.500000,0.000000,610,950,5,1,610,640.25,300.1,960.0,701.5\r\n"
        "1700000003,4,,Aggregated,2.000000,0.500000,620,980,9,1,620,641.0,300.1,990.0,702.5\r\n";
    struct ltk_run run;
    ltk_run_init(&run);
    ck_assert_int_eq(READ(&run, LTK_SRC_HISTORY, in, NULL), LTK_OK);
    ck_assert_uint_eq(run.nhistory, 4);
    ck_assert(!run.history_full);
    ck_assert_int_eq(run.history_pct_kind, LTK_HPCT_CUMULATIVE);
    ck_assert(run.history[0].is_total);
    ck_assert(isnan(run.history[0].pct[0]));
    ck_assert_int_eq(run.history[2].ts, 1700000001);  /* repeated second kept */
    ck_assert_int_eq(run.history[3].users, 4);
    ck_assert(run.history[3].rps == 2.0);
    ck_assert_uint_eq(run.history[3].requests, 9);
    ck_assert(run.history[3].pct[1] == 980);
    ck_assert_uint_eq(run.history_resets, 0);
    ck_assert_uint_eq(run.nwarnings, 0);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_history_full_windows_resets_and_truncation)
{
    static const char in[] = HIST_HEADER
        "1700000000,1,,Aggregated,0.000000,0.000000,N/A,N/A,0,0,0,0.0,0,0,0\r\n"
        "1700000001,1,GET,/a,1.000000,0.000000,0,0,3,0,10,10.0,9,11,5\r\n"
        "1700000001,1,,Aggregated,1.000000,0.000000,0,0,3,0,10,10.0,9,11,5\r\n"
        "1700000012,5,GET,/a,1.000000,0.000000,10,11,30,0,10,10.0,9,11,5\r\n"
        "1700000012,5,,Aggregated,1.000000,0.000000,10,11,30,0,10,10.0,9,11,5\r\n"
        "1700000013,5,GET,/a,1.000000,0.000000,10,11,2,0,10,10.0,9,11,5\r\n"
        "1700000013,5,,Aggregated,1.000000,0.000000,10,11,2,0,10,10.0,9,11,5\r\n"
        "1700000014,5,GET,/a,1.0";
    struct ltk_run run;
    ltk_run_init(&run);
    ck_assert_int_eq(READ(&run, LTK_SRC_HISTORY, in, NULL), LTK_OK);
    ck_assert_uint_eq(run.nhistory, 7);
    ck_assert(run.history_full);
    ck_assert_int_eq(run.history_pct_kind, LTK_HPCT_WINDOW);
    ck_assert(!run.history[1].is_total);
    ck_assert_str_eq(run.history[1].type, "GET");
    /* 0 in a windowed percentile means "no window yet" */
    ck_assert(isnan(run.history[1].pct[0]));
    ck_assert(run.history[3].pct[0] == 10);
    ck_assert_uint_eq(run.history_resets, 1);
    ck_assert_uint_eq(run.nwarnings, 2);
    ck_assert_ptr_nonnull(strstr(run.warnings[0], "x.csv:9: last line is cut off (5 of 15 fields"));
    ck_assert_ptr_nonnull(strstr(run.warnings[1], "statistics were reset"));
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_history_bad_timestamp)
{
    static const char in[] = HIST_HEADER "17e8x,0,,Aggregated,0.0,0.0,N/A,N/A,0,0,0,0.0,0,0,0\r\n";
    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_error err;
    ck_assert_int_eq(READ(&run, LTK_SRC_HISTORY, in, &err), LTK_EFORMAT);
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.column, 1);
    ck_assert_ptr_nonnull(strstr(err.msg, "column 'Timestamp'"));
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_failures_four_and_six_columns)
{
    static const char four[] =
        "Method,Name,Error,Occurrences\r\n"
        "POST,/query,\"CatchResponseError('429: {\"\"error\"\":\"\"RateLimitError\"\"}')\",12\r\n"
        "GET,/retrieval,\"ConnectionError(\nmulti-line)\",3\r\n";
    struct ltk_run run;
    ltk_run_init(&run);
    ck_assert_int_eq(READ(&run, LTK_SRC_FAILURES, four, NULL), LTK_OK);
    ck_assert_uint_eq(run.nfailures, 2);
    ck_assert(!run.failures_have_seen);
    ck_assert_str_eq(run.failures[0].error, "CatchResponseError('429: {\"error\":\"RateLimitError\"}')");
    ck_assert_uint_eq(run.failures[0].occurrences, 12);
    ck_assert_str_eq(run.failures[1].error, "ConnectionError(\nmulti-line)");
    ck_assert_ptr_null(run.failures[1].first_seen);
    ck_assert_int_eq(run.failures[1].line, 3);
    ltk_run_release(&run);

    static const char six[] = "Method,Name,Error,Occurrences,First Seen,Last Seen\r\n"
                              "GET,/b,boom,2,1700000001.5,1700000009.25\r\n";
    ltk_run_init(&run);
    ck_assert_int_eq(READ(&run, LTK_SRC_FAILURES, six, NULL), LTK_OK);
    ck_assert(run.failures_have_seen);
    ck_assert_str_eq(run.failures[0].first_seen, "1700000001.5");
    ck_assert_str_eq(run.failures[0].last_seen, "1700000009.25");
    ltk_run_release(&run);

    static const char half[] = "Method,Name,Error,Occurrences,First Seen\r\n";
    ltk_run_init(&run);
    struct ltk_error err;
    ck_assert_int_eq(READ(&run, LTK_SRC_FAILURES, half, &err), LTK_EFORMAT);
    ltk_run_release(&run);

    static const char bad[] = "Method,Name,Error,Occurrences\r\nGET,/b,boom,many\r\n";
    ltk_run_init(&run);
    ck_assert_int_eq(READ(&run, LTK_SRC_FAILURES, bad, &err), LTK_EFORMAT);
    ck_assert_int_eq(err.line, 2);
    ck_assert_ptr_nonnull(strstr(err.msg, "column 'Occurrences'"));
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_exceptions_multiline)
{
    static const char in[] = "Count,Message,Traceback,Nodes\r\n"
                             "4,\"KeyError('answer')\",\"  File \"\"locustfile.py\"\", line 30, in query\r\n"
                             "    data[\"\"answer\"\"]\r\n\",local\r\n";
    struct ltk_run run;
    ltk_run_init(&run);
    ck_assert_int_eq(READ(&run, LTK_SRC_EXCEPTIONS, in, NULL), LTK_OK);
    ck_assert_uint_eq(run.nexceptions, 1);
    ck_assert_uint_eq(run.exceptions[0].count, 4);
    ck_assert_str_eq(run.exceptions[0].message, "KeyError('answer')");
    ck_assert_str_eq(run.exceptions[0].traceback,
                     "  File \"locustfile.py\", line 30, in query\r\n    data[\"answer\"]\r\n");
    ck_assert_str_eq(run.exceptions[0].nodes, "local");
    ltk_run_release(&run);
}
END_TEST

static const struct {
    const char *in;
    int kind;
} sniffs[] = {
    { STATS_HEADER, LTK_SRC_STATS },
    { HIST_HEADER, LTK_SRC_HISTORY },
    { "Method,Name,Error,Occurrences\r\n", LTK_SRC_FAILURES },
    { "Count,Message,Traceback,Nodes\r\n", LTK_SRC_EXCEPTIONS },
    { "timestamp,request_type,name\r\n", LTK_EFORMAT },
    { "", LTK_EFORMAT },
};

START_TEST(test_sniff_kinds)
{
    FILE *fp = mem_file(sniffs[_i].in, strlen(sniffs[_i].in));
    struct ltk_error err;
    ck_assert_int_eq(ltk_locust_sniff(fp, "y.csv", &err), sniffs[_i].kind);
    fclose(fp);
}
END_TEST

/* The module pins Locust 2.31.6: its --csv files of the bundled pool run
 * (samples/runs/pool_v2316, made by samples/locust/locust-from-source.sh)
 * read whole, with the numbers the files hold: stats.csv's counts and
 * percentiles, the full history's rows and user counts, the failures with
 * 2.31's CatchResponseError texts and the multi-line exception. */
static const struct ltk_endpoint *endpoint(const struct ltk_run *run, const char *name)
{
    for (size_t i = 0; i < run->nendpoints; i++)
        if (strcmp(run->endpoints[i].name, name) == 0)
            return &run->endpoints[i];
    ck_abort_msg("no endpoint %s", name);
    return NULL;
}

static size_t pct_col(const struct ltk_pct_columns *c, double q)
{
    for (size_t k = 0; k < c->n; k++)
        if (fabs(c->q[k] - q) < 1e-12)
            return k;
    ck_abort_msg("no %g column", q);
    return 0;
}

START_TEST(test_locust_2316_pool_run)
{
    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_error err;
    ltk_error_clear(&err);
    ck_assert_msg(ltk_run_load(&run, source_path("samples/runs/pool_v2316/pool_v2316"), &err) == LTK_OK, "%s",
                  err.msg);
    ck_assert_uint_eq(run.nwarnings, 0);
    /* stats.csv: 11 percentile columns, 50 % to 100 %, as 2.12 wrote them */
    ck_assert_uint_eq(run.stats_pct.n, 11);
    ck_assert_uint_eq(run.nendpoints, 3);
    /* POST,/query,1349,33,1800.0,1883.8873217754076,216.86728899658192,9101.911243000359,...,4300 (99%) */
    const struct ltk_endpoint *q = endpoint(&run, "/query");
    ck_assert_str_eq(q->type, "POST");
    ck_assert_uint_eq(q->requests, 1349);
    ck_assert_uint_eq(q->failures, 33);
    ck_assert(q->median == 1800);
    ck_assert(q->mean == 1883.8873217754076);
    ck_assert(q->max == 9101.911243000359);
    ck_assert(q->pct[pct_col(&run.stats_pct, 0.95)] == 3400);
    ck_assert(ltk_endpoint_pct(&run, q, 0.99) == 4300);
    const struct ltk_endpoint *r = endpoint(&run, "/retrieval");
    ck_assert_uint_eq(r->requests, 395);
    ck_assert_uint_eq(r->failures, 13);
    ck_assert(ltk_endpoint_pct(&run, r, 0.5) == 940);
    ck_assert_uint_eq(endpoint(&run, "/health")->requests, 157);
    /* ,Aggregated,1901,46,...: the sum of the endpoints */
    ck_assert(run.has_total);
    ck_assert_uint_eq(run.total.requests, 1901);
    ck_assert_uint_eq(run.total.failures, 46);
    ck_assert_uint_eq(run.total.requests, q->requests + r->requests + 157);
    ck_assert(ltk_endpoint_pct(&run, &run.total, 0.95) == 3200);
    ck_assert(run.total.rps == 12.657125058668427);

    /* stats_history.csv: 594 rows with --csv-full-history, windowed percentiles */
    ck_assert_uint_eq(run.nhistory, 594);
    ck_assert(run.history_full);
    ck_assert_int_eq(run.history_pct_kind, LTK_HPCT_WINDOW);
    ck_assert_uint_eq(run.history_resets, 0);
    const struct ltk_history_row *first = &run.history[0], *last = &run.history[run.nhistory - 1];
    ck_assert_int_eq(first->ts, 1796638607);
    ck_assert_int_eq(first->users, 0);
    ck_assert(first->is_total);
    ck_assert(isnan(first->pct[0]));   /* N/A */
    ck_assert_int_eq(run.history[1].users, 5);   /* the shape's first 5 users */
    ck_assert_str_eq(run.history[1].name, "/query");
    /* 1796638757,80,,Aggregated,16.800000,1.200000,2400,...: the ramp's 80 users, and
     * the cumulative counts of the last tick are stats.csv's */
    ck_assert_int_eq(last->ts, 1796638757);
    ck_assert_int_eq(last->users, 80);
    ck_assert(last->is_total);
    ck_assert(last->rps == 16.8);
    ck_assert(last->pct[pct_col(&run.history_pct, 0.5)] == 2400);
    ck_assert_uint_eq(last->requests, run.total.requests);
    ck_assert_uint_eq(last->failures, run.total.failures);
    int64_t most = 0;
    for (size_t i = 0; i < run.nhistory; i++)
        most = run.history[i].users > most ? run.history[i].users : most;
    ck_assert_int_eq(most, 80);

    /* failures.csv: 2.31.6 wraps a failure the locustfile marks in CatchResponseError */
    ck_assert_uint_eq(run.nfailures, 2);
    ck_assert_str_eq(run.failures[0].name, "/query");
    ck_assert_uint_eq(run.failures[0].occurrences, 33);
    ck_assert_str_eq(run.failures[0].error, "CatchResponseError('HTTP 500: QueuePool limit of size 5 overflow 10 "
                                            "reached, connection timed out, timeout 2.00')");
    ck_assert_uint_eq(run.failures[1].occurrences, 13);
    ck_assert_uint_eq(run.failures[0].occurrences + run.failures[1].occurrences, run.total.failures);
    /* exceptions.csv: one multi-line traceback, 15 times */
    ck_assert_uint_eq(run.nexceptions, 1);
    ck_assert_uint_eq(run.exceptions[0].count, 15);
    ck_assert_str_eq(run.exceptions[0].message, "Unterminated string starting at: line 1 column 345 (char 344)");
    ck_assert_ptr_nonnull(strstr(run.exceptions[0].traceback, "locust-2.31.6/lib/locust/user/task.py"));
    ck_assert_ptr_nonnull(strchr(run.exceptions[0].traceback, '\n'));
    ltk_run_release(&run);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("locust_csv");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_stats_reads_every_cell);
    tcase_add_test(tc, test_stats_custom_percentiles_and_bom);
    tcase_add_loop_test(tc, test_stats_errors_name_line_and_problem, 0,
                        (int)(sizeof stats_bad / sizeof stats_bad[0]));
    tcase_add_test(tc, test_stats_header_only_and_truncated_total_are_incomplete);
    tcase_add_test(tc, test_failures_truncated_is_incomplete);
    tcase_add_test(tc, test_history_aggregated_only_is_cumulative);
    tcase_add_test(tc, test_history_full_windows_resets_and_truncation);
    tcase_add_test(tc, test_history_bad_timestamp);
    tcase_add_test(tc, test_failures_four_and_six_columns);
    tcase_add_test(tc, test_exceptions_multiline);
    tcase_add_loop_test(tc, test_sniff_kinds, 0, (int)(sizeof sniffs / sizeof sniffs[0]));
    tcase_add_test(tc, test_locust_2316_pool_run);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

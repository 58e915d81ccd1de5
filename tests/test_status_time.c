/* Check suite for HTTP status codes over time (ltk_run.status_ticks): each
 * interval of a raw log keeps its requests per status class, read from a
 * status column or inferred from a failure's text; the same through a run
 * read directly, a summary, its JSON (the optional "status_classes" of an
 * interval, also written by the streaming writer) and a merge, which adds
 * them; a time window keeps the intervals in it; an endpoint filter drops
 * them (they are of all endpoints together) and says so; a summary whose
 * classes do not fit its requests or its total's codes is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ltk/model/run.h"
#include "ltk/model/select.h"
#include "ltk/model/summary.h"
#include "ltk/read/load.h"
#include "ltk/read/rawlog.h"
#include "ltk/read/summary_json.h"
#include "ltk/read/summary_run.h"
#include "ltk/render/stats_view.h"
#include "testutil.h"

static const char *dir;

static void setup(void)
{
    dir = temp_dir();
}

/* Three seconds of a JTL: second 0: 200, 200, 429; second 1: 200, 503,
 * and a connection failure ("Non HTTP response code": class other);
 * second 2 (after a second with none): 302, 200. */
static const char jtl[] =
    "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,"
    "sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n"
    "1700000000000,40,/a,200,OK,T 1-1,text,true,,10,5,1,1,http://x/a,30,0,5\n"
    "1700000000100,15,/b,200,OK,T 1-1,text,true,,10,5,1,1,http://x/b,10,0,0\n"
    "1700000000200,25,/a,429,Too Many,T 1-1,text,false,,10,5,1,1,http://x/a,20,0,0\n"
    "1700000001000,12,/a,200,OK,T 1-1,text,true,,10,5,1,1,http://x/a,10,0,0\n"
    "1700000001300,30,/b,503,Unavailable,T 1-1,text,false,,10,5,1,1,http://x/b,10,0,0\n"
    "1700000001500,3,/b,Non HTTP response code: java.net.ConnectException,Non HTTP response message: refused,"
    "T 1-1,text,false,,0,0,1,1,http://x/b,0,0,0\n"
    "1700000003000,8,/a,302,Found,T 1-1,text,true,,10,5,1,1,http://x/a,5,0,0\n"
    "1700000003400,9,/b,200,OK,T 1-1,text,true,,10,5,1,1,http://x/b,5,0,0\n";

/* A Locust hook log without a status column: codes only in the failures'
 * texts (inferred), none for the successes. */
static const char hook[] =
    "timestamp,request_type,name,response_time,response_length,success,exception\n"
    "1700000000.1,GET,/a,10,5,1,\n"
    "1700000000.5,GET,/a,11,5,0,HTTPError('500 Server Error: INTERNAL SERVER ERROR for url: /a')\n"
    "1700000002.2,GET,/a,12,5,0,CatchResponseError('HTTP 429: slow down')\n"
    "1700000002.4,GET,/a,13,5,0,ReadTimeout('timed out')\n";

static void want_tick(const struct ltk_status_tick *t, int64_t ts, uint64_t c2, uint64_t c3, uint64_t c4,
                      uint64_t c5, uint64_t other)
{
    ck_assert_int_eq(t->ts, ts);
    ck_assert_uint_eq(t->n[LTK_SC_2XX], c2);
    ck_assert_uint_eq(t->n[LTK_SC_3XX], c3);
    ck_assert_uint_eq(t->n[LTK_SC_4XX], c4);
    ck_assert_uint_eq(t->n[LTK_SC_5XX], c5);
    ck_assert_uint_eq(t->n[LTK_SC_OTHER], other);
}

/* The JTL's three ticks (seconds 0, 1 and 3; none for second 2). */
static void want_jtl_ticks(const struct ltk_run *run, uint64_t times)
{
    ck_assert_uint_eq(run->nstatus_ticks, 3);
    want_tick(&run->status_ticks[0], 1700000000, 2 * times, 0, 1 * times, 0, 0);
    want_tick(&run->status_ticks[1], 1700000001, 1 * times, 0, 0, 1 * times, 1 * times);
    want_tick(&run->status_ticks[2], 1700000003, 1 * times, 1 * times, 0, 0, 0);
    ck_assert(!run->status_ticks_dropped);
}

static void summarize(struct ltk_summary *s, const char *name, const char *text)
{
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    struct ltk_error err;
    ltk_summary_init(s);
    ck_assert_msg(ltk_rawlog_summarize(s, write_file(dir, name, text), &opt, &err) == LTK_OK, "%s", err.msg);
}

START_TEST(a_raw_log_keeps_its_classes_per_interval)
{
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    ck_assert_msg(ltk_run_load(&run, write_file(dir, "a.jtl", jtl), &err) == LTK_OK, "%s", err.msg);
    want_jtl_ticks(&run, 1);
    /* they add up to the run's codes by class */
    for (int k = 0; k < LTK_SC_N; k++) {
        uint64_t sum = 0;
        for (size_t i = 0; i < run.nstatus_ticks; i++)
            sum += run.status_ticks[i].n[k];
        ck_assert_uint_eq(sum, ltk_status_count_of(&run.total.status, k, true));
    }
    ltk_run_release(&run);
}
END_TEST

START_TEST(codes_inferred_from_failures_count_in_their_interval)
{
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    ck_assert_msg(ltk_run_load(&run, write_file(dir, "h.csv", hook), &err) == LTK_OK, "%s", err.msg);
    /* second 0: the 500 (the success has no code); second 2: the 429 and the timeout (no response: other) */
    ck_assert_uint_eq(run.nstatus_ticks, 2);
    want_tick(&run.status_ticks[0], 1700000000, 0, 0, 0, 1, 0);
    want_tick(&run.status_ticks[1], 1700000002, 0, 0, 1, 0, 1);
    ltk_run_release(&run);
}
END_TEST

START_TEST(summary_json_and_merge_keep_and_add_them)
{
    struct ltk_summary s;
    summarize(&s, "b.jtl", jtl);
    ck_assert_uint_eq(s.nintervals, 3);
    ck_assert_uint_eq(s.intervals[1].status[LTK_SC_OTHER], 1);
    /* the streaming writer and the tree print the same, with the member */
    cJSON *doc = ltk_summary_to_json(&s);
    char *tree = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(ltk_summary_write(f, &s), LTK_OK);
    fclose(f);
    ck_assert_uint_eq(len, strlen(tree) + 1);
    ck_assert_int_eq(memcmp(buf, tree, strlen(tree)), 0);
    ck_assert_ptr_nonnull(strstr(tree, "\"status_classes\":[2,0,1,0,0]"));
    ck_assert_ptr_nonnull(strstr(tree, "\"status_classes\":[1,0,0,1,1]"));
    free(tree);
    /* read back into a run: the same ticks as the log read directly */
    const char *path = write_file(dir, "b.ltk.json", buf);
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    ck_assert_msg(ltk_summary_load_run(path, &run, &err) == LTK_OK, "%s", err.msg);
    want_jtl_ticks(&run, 1);
    ltk_run_release(&run);
    /* merged with itself: each interval's classes twice */
    struct ltk_summary m;
    ltk_summary_init(&m);
    ck_assert_msg(ltk_summary_load(&m, path, &err) == LTK_OK, "%s", err.msg);
    ck_assert_msg(ltk_summary_merge(&m, &s, &err) == LTK_OK, "%s", err.msg);
    ltk_run_init(&run);
    ck_assert_msg(ltk_summary_to_run(&m, "merged", &run, &err) == LTK_OK, "%s", err.msg);
    want_jtl_ticks(&run, 2);
    ltk_run_release(&run);
    ltk_summary_release(&m);
    ltk_summary_release(&s);
    free(buf);
}
END_TEST

/* A summary text with one interval's "status_classes" replaced. */
static int parse_with(const char *classes, struct ltk_error *err)
{
    struct ltk_summary s;
    summarize(&s, "c.jtl", jtl);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(ltk_summary_write(f, &s), LTK_OK);
    fclose(f);
    ltk_summary_release(&s);
    const char *old = "\"status_classes\":[2,0,1,0,0]";
    char *at = strstr(buf, old);
    ck_assert_ptr_nonnull(at);
    size_t n = strlen(buf) + strlen(classes) + 1;
    char *text = malloc(n);
    snprintf(text, n, "%.*s%s%s", (int)(at - buf), buf, classes, at + strlen(old));
    struct ltk_summary t;
    ltk_summary_init(&t);
    int rc = ltk_summary_parse(&t, text, strlen(text), "c.ltk.json", err);
    ltk_summary_release(&t);
    free(text);
    free(buf);
    return rc;
}

START_TEST(a_summary_whose_classes_do_not_fit_is_refused)
{
    struct ltk_error err;
    ck_assert_int_eq(parse_with("\"status_classes\":[2,0,1,0,0]", &err), LTK_OK);
    /* more than the interval's 3 requests */
    ck_assert_int_eq(parse_with("\"status_classes\":[3,0,1,0,0]", &err), LTK_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "more than the interval's 3"));
    /* not five counts */
    ck_assert_int_eq(parse_with("\"status_classes\":[2,0,1,0]", &err), LTK_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "expected 5 counts"));
    /* all 0 */
    ck_assert_int_eq(parse_with("\"status_classes\":[0,0,0,0,0]", &err), LTK_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "all 0"));
    /* a 5xx the total's codes do not have (it has one 503) */
    ck_assert_int_eq(parse_with("\"status_classes\":[1,0,1,1,0]", &err), LTK_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "2 5xx requests, the total's status 1"));
    /* a count that is not one */
    ck_assert_int_eq(parse_with("\"status_classes\":[2,0,-1,0,0]", &err), LTK_EFORMAT);
}
END_TEST

static void load_selected(struct ltk_run *run, const char *path, const char *from, const char *only)
{
    struct ltk_select sel;
    struct ltk_error err;
    ltk_select_init(&sel);
    if (from)
        ck_assert_int_eq(ltk_select_set_time(&sel, false, from, &err), LTK_OK);
    if (only)
        ck_assert_int_eq(ltk_select_add_pattern(&sel, false, only, &err), LTK_OK);
    ltk_run_init(run);
    ck_assert_msg(ltk_run_load_select(run, path, NULL, &sel, &err) == LTK_OK, "%s", err.msg);
    ltk_select_release(&sel);
}

START_TEST(a_window_keeps_its_intervals_and_a_filter_drops_them)
{
    const char *path = write_file(dir, "d.jtl", jtl);
    struct ltk_run run;
    /* from 1 s: the intervals of seconds 1 and 3 */
    load_selected(&run, path, "1s", NULL);
    ck_assert_uint_eq(run.nstatus_ticks, 2);
    want_tick(&run.status_ticks[0], 1700000001, 1, 0, 0, 1, 1);
    want_tick(&run.status_ticks[1], 1700000003, 1, 1, 0, 0, 0);
    /* the table of codes is left out by the window; the text gives the window's classes */
    ck_assert_uint_eq(ltk_status_total(&run.total.status), 0);
    char *why = ltk_view_status_missing(&run);
    ck_assert_ptr_nonnull(strstr(why, "left out of the table by the time window"));
    ck_assert_ptr_nonnull(strstr(why, "2xx 2, 3xx 1, 4xx 0, 5xx 1, other 1"));
    free(why);
    ltk_run_release(&run);
    /* an endpoint filter: the classes are of all endpoints together, so none, and said */
    load_selected(&run, path, NULL, "/a");
    ck_assert_uint_eq(run.nstatus_ticks, 0);
    ck_assert(run.status_ticks_dropped);
    ck_assert_uint_eq(ltk_status_count_of(&run.total.status, LTK_SC_4XX, true), 1);
    ltk_run_release(&run);
    /* a filter that keeps every endpoint keeps them */
    load_selected(&run, path, NULL, "/");
    want_jtl_ticks(&run, 1);
    ltk_run_release(&run);
}
END_TEST

START_TEST(locust_csv_has_no_ticks)
{
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    ck_assert_msg(ltk_run_load(&run, source_path("samples/runs/ratelimit/ratelimit"), &err) == LTK_OK, "%s",
                  err.msg);
    ck_assert_uint_gt(ltk_status_total(&run.total.status), 0);   /* inferred from failures.csv */
    ck_assert_uint_eq(run.nstatus_ticks, 0);
    ck_assert(!run.status_ticks_dropped);
    ltk_run_release(&run);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("status_time");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, a_raw_log_keeps_its_classes_per_interval);
    tcase_add_test(tc, codes_inferred_from_failures_count_in_their_interval);
    tcase_add_test(tc, summary_json_and_merge_keep_and_add_them);
    tcase_add_test(tc, a_summary_whose_classes_do_not_fit_is_refused);
    tcase_add_test(tc, a_window_keeps_its_intervals_and_a_filter_drops_them);
    tcase_add_test(tc, locust_csv_has_no_ticks);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

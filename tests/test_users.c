/* Check suite for the load profile of raw logs: users read from the log
 * (a hook log's users column, JMeter's allThreads/grpThreads, k6's vus
 * rows), their precedence over a stats_history.csv beside the log, and
 * users derived from the requests (lib/model/users.c: Little's law per
 * interval, binary segmentation into stretches of constant load), through
 * the run loader and through summaries. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "ltk/model/users.h"
#include "ltk/read/load.h"
#include "ltk/read/rawlog.h"
#include "ltk/read/summary_json.h"
#include "ltk/read/summary_run.h"
#include "testutil.h"

/* Deterministic noise in [-1, 1). */
static double noise(size_t i)
{
    uint64_t x = (uint64_t)i * 0x9E3779B97F4A7C15ULL + 12345;
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 32;
    return (double)(x % 2000000) / 1000000.0 - 1;
}

static size_t segments(const double *x, size_t n, double *level)
{
    struct ltk_level_opts o;
    ltk_level_opts_default(&o, 1);
    return ltk_level_segments(x, n, &o, level);
}

START_TEST(constant_noisy_load_is_one_level)
{
    enum { N = 7200 };
    static double x[N], level[N];
    double sum = 0;
    for (size_t i = 0; i < N; i++)
        sum += x[i] = 27 * (1 + 0.35 * noise(i));
    ck_assert_uint_eq(segments(x, N, level), 1);
    for (size_t i = 0; i < N; i++)
        ck_assert_double_eq_tol(level[i], sum / N, 1e-9);
}
END_TEST

START_TEST(steps_are_found_where_they_are)
{
    enum { N = 900 };
    static double x[N], level[N];
    /* 5, then 15, then 5 again (a spike that comes back), 300 s each */
    for (size_t i = 0; i < N; i++)
        x[i] = (i >= 300 && i < 600 ? 15 : 5) * (1 + 0.3 * noise(i));
    ck_assert_uint_eq(segments(x, N, level), 3);
    ck_assert(fabs(level[10] - 5) < 0.3 && fabs(level[450] - 15) < 0.6 && fabs(level[850] - 5) < 0.3);
    /* the boundaries within a few points of the true ones */
    size_t up = 0, down = 0;
    for (size_t i = 1; i < N; i++) {
        if (level[i] > level[i - 1] + 5)
            up = i;
        if (level[i] < level[i - 1] - 5)
            down = i;
    }
    ck_assert_msg(up >= 297 && up <= 303 && down >= 597 && down <= 603, "up %zu down %zu", up, down);
}
END_TEST

START_TEST(small_changes_and_blips_are_not_levels)
{
    enum { N = 600 };
    static double x[N], level[N];
    /* 10 -> 11: one apart, but under 20 % */
    for (size_t i = 0; i < N; i++)
        x[i] = i < 300 ? 10 : 11;
    ck_assert_uint_eq(segments(x, N, level), 1);
    /* 1 -> 1.5: 50 % apart, but under one in flight */
    for (size_t i = 0; i < N; i++)
        x[i] = i < 300 ? 1 : 1.5;
    ck_assert_uint_eq(segments(x, N, level), 1);
    /* a 10 s blip of 100 in 10: shorter than a stretch (30 s) */
    for (size_t i = 0; i < N; i++)
        x[i] = i >= 200 && i < 210 ? 100 : 10;
    ck_assert_uint_eq(segments(x, N, level), 1);
    /* a clean step is split even without noise (zero variance) */
    for (size_t i = 0; i < N; i++)
        x[i] = i < 300 ? 10 : 20;
    ck_assert_uint_eq(segments(x, N, level), 2);
    ck_assert(level[299] == 10 && level[300] == 20);
    ck_assert_uint_eq(segments(x, 0, level), 0);
}
END_TEST

START_TEST(levels_are_capped)
{
    enum { N = 480 };
    static double x[N], level[N];
    for (size_t i = 0; i < N; i++)
        x[i] = 10 * pow(1.5, (double)(i / 40)); /* 12 steps of 40 s, each 50 % up */
    struct ltk_level_opts o;
    ltk_level_opts_default(&o, 1);
    ck_assert_uint_eq(ltk_level_segments(x, N, &o, level), 12);
    /* steps of 10 from 10 to 500: only those 20 % apart or more stay apart */
    static double y[2000], ly[2000];
    for (size_t i = 0; i < 2000; i++)
        y[i] = (double)(1 + i / 40) * 10;
    size_t n = ltk_level_segments(y, 2000, &o, ly);
    ck_assert_msg(n > 5 && n < 20, "%zu", n);
    for (size_t i = 1; i < 2000; i++)
        if (ly[i] != ly[i - 1])
            ck_assert_msg(fabs(ly[i] - ly[i - 1]) >= 0.2 * fmax(ly[i], ly[i - 1]) - 1e-9, "at %zu", i);
    o.max_levels = 4;
    ck_assert_uint_le(ltk_level_segments(x, N, &o, level), 4);
    /* the stretch length follows the interval: 30 s of 10 s intervals is 3 points */
    ltk_level_opts_default(&o, 10);
    ck_assert_uint_eq(o.min_len, 3);
    ltk_level_opts_default(&o, 7);
    ck_assert_uint_eq(o.min_len, 5);
}
END_TEST

/* ---- through the loader ---------------------------------------------------- */

static void load(struct ltk_run *run, const char *path)
{
    ltk_run_init(run);
    struct ltk_error err;
    ltk_error_clear(&err);
    ck_assert_msg(ltk_run_load(run, path, &err) == LTK_OK, "%s", err.msg);
}

/* The users of the Aggregated row at Unix second ts, -1 when none. */
static int64_t users_at(const struct ltk_run *run, int64_t ts)
{
    for (size_t i = 0; i < run->nhistory; i++)
        if (run->history[i].is_total && run->history[i].ts == ts)
            return run->history[i].users;
    return -1;
}

/* Every row of a tick (endpoints and Aggregated) has the same users. */
static void ticks_agree(const struct ltk_run *run)
{
    for (size_t i = 0; i < run->nhistory; i++)
        ck_assert_int_eq(run->history[i].users, users_at(run, run->history[i].ts));
}

/* A hook log: each second s in [0, secs) has n requests of ms each, users u(s). */
static char *hook_log(int secs, int n, double ms, int (*u)(int), bool users_column)
{
    size_t cap = (size_t)secs * (size_t)n * 80 + 200, len = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    len += (size_t)snprintf(text + len, cap - len, "timestamp,request_type,name,response_time,response_length,"
                                                   "success,exception%s\n", users_column ? ",users" : "");
    for (int s = 0; s < secs; s++)
        for (int k = 0; k < n; k++) {
            len += (size_t)snprintf(text + len, cap - len, "%.3f,GET,/a,%g,10,1,", 1700000000.0 + s + k * 0.9 / n, ms);
            if (users_column)
                len += (size_t)snprintf(text + len, cap - len, ",%d", u(s));
            len += (size_t)snprintf(text + len, cap - len, "\n");
            ck_assert_uint_lt(len, cap);
        }
    return text;
}

static int five_then_fifteen(int s) { return s < 30 ? 5 : 15; }

START_TEST(a_hook_log_says_its_users)
{
    const char *dir = temp_dir();
    char *text = hook_log(60, 4, 100, five_then_fifteen, true);
    char path[1024];
    snprintf(path, sizeof path, "%s", write_file(dir, "users_requests.csv", text));
    free(text);
    struct ltk_run run;
    load(&run, path);
    ck_assert_str_eq(run.users_source, "the log's users column");
    ck_assert(!run.users_derived);
    ck_assert_int_eq(users_at(&run, 1700000000), 5);
    ck_assert_int_eq(users_at(&run, 1700000029), 5);
    ck_assert_int_eq(users_at(&run, 1700000030), 15);
    ck_assert_int_eq(users_at(&run, 1700000059), 15);
    ticks_agree(&run);
    ltk_run_release(&run);

    /* the log's own column wins over a stats_history.csv beside it */
    FILE *in = fopen(source_path("samples/runs/smoke/smoke_stats_history.csv"), "rb");
    ck_assert_ptr_nonnull(in);
    char buf[1 << 16];
    size_t got = fread(buf, 1, sizeof buf - 1, in);
    fclose(in);
    buf[got] = '\0';
    write_file(dir, "users_stats_history.csv", buf);
    load(&run, path);
    ck_assert_str_eq(run.users_source, "the log's users column");
    ck_assert_int_eq(users_at(&run, 1700000030), 15);
    ltk_run_release(&run);

    /* a bad count names the line and column */
    const char *bad = write_file(dir, "bad.csv", "timestamp,request_type,name,response_time,response_length,"
                                                 "success,exception,users\n"
                                                 "1700000000.5,GET,/a,10,1,1,,3\n"
                                                 "1700000001.5,GET,/a,10,1,1,,2.5\n");
    ltk_run_init(&run);
    struct ltk_error err;
    ck_assert_int_eq(ltk_run_load(&run, bad, &err), LTK_EFORMAT);
    ck_assert_int_eq(err.line, 3);
    ck_assert_ptr_nonnull(strstr(err.msg, "user count"));
    ltk_run_release(&run);
}
END_TEST

START_TEST(jmeter_threads_and_k6_vus)
{
    const char *dir = temp_dir();
    /* grpThreads alone, then both (allThreads first) */
    const char *grp = write_file(dir, "grp.jtl",
                                 "timeStamp,elapsed,label,responseCode,success,grpThreads\n"
                                 "1700000000100,250,Login,200,true,2\n"
                                 "1700000001100,230,Login,200,true,3\n"
                                 "1700000001900,230,Login,200,true,4\n");
    struct ltk_run run;
    load(&run, grp);
    ck_assert_str_eq(run.users_source, "the log's grpThreads column");
    ck_assert_int_eq(users_at(&run, 1700000000), 2);
    ck_assert_int_eq(users_at(&run, 1700000001), 4); /* the most a row of the interval said */
    ltk_run_release(&run);
    const char *both = write_file(dir, "both.jtl",
                                  "timeStamp,elapsed,label,responseCode,success,grpThreads,allThreads\n"
                                  "1700000000100,250,Login,200,true,2,7\n");
    load(&run, both);
    ck_assert_str_eq(run.users_source, "the log's allThreads column");
    ck_assert_int_eq(users_at(&run, 1700000000), 7);
    ltk_run_release(&run);

    /* k6: vus rows are no requests; each gives the VUs of its second */
    const char *k6 = write_file(dir, "k6.csv",
                                "metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,"
                                "method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags\n"
                                "vus,1700000000,3.000000,,,,,,,,,,,,,,,\n"
                                "http_req_duration,1700000000,100.5,,,,true,,GET,http://x/a,HTTP/1.1,default,,200,,,"
                                "http://x/a,\n"
                                "vus,1700000001,9.000000,,,,,,,,,,,,,,,\n"
                                "http_req_duration,1700000001,120.0,,,,true,,GET,http://x/a,HTTP/1.1,default,,200,,,"
                                "http://x/a,\n"
                                "http_req_duration,1700000002,120.0,,,,true,,GET,http://x/a,HTTP/1.1,default,,200,,,"
                                "http://x/a,\n");
    load(&run, k6);
    ck_assert_str_eq(run.users_source, "the log's vus metric");
    ck_assert_uint_eq(run.total.requests, 3);
    ck_assert_int_eq(users_at(&run, 1700000000), 3);
    ck_assert_int_eq(users_at(&run, 1700000001), 9);
    ck_assert_int_eq(users_at(&run, 1700000002), 9); /* carried until the log says again */
    ltk_run_release(&run);
    const char *k6bad = write_file(dir, "k6bad.csv",
                                   "metric_name,timestamp,metric_value,method,name,status\n"
                                   "vus,1700000000,-1,,,\n");
    ltk_run_init(&run);
    struct ltk_error err;
    ck_assert_int_eq(ltk_run_load(&run, k6bad, &err), LTK_EFORMAT);
    ck_assert_int_eq(err.line, 2);
    ltk_run_release(&run);
}
END_TEST

static int none(int s)
{
    (void)s;
    return 0;
}

START_TEST(users_are_derived_when_nothing_says)
{
    const char *dir = temp_dir();
    /* 10 requests a second of 500 ms each: 5 in flight, every second */
    char *text = hook_log(120, 10, 500, none, false);
    char path[1024];
    snprintf(path, sizeof path, "%s", write_file(dir, "alone.csv", text));
    free(text);
    struct ltk_run run;
    load(&run, path);
    ck_assert(run.users_derived);
    ck_assert_ptr_nonnull(strstr(run.users_source, "Little's law"));
    for (int64_t t = 1700000000; t < 1700000120; t++)
        ck_assert_int_eq(users_at(&run, t), 5);
    ticks_agree(&run);
    ltk_run_release(&run);

    /* a step of the load: 4 a second for 60 s, then 16 (2 and 8 in flight) */
    size_t cap = 200 * 100 * 60, len = 0;
    text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    len += (size_t)snprintf(text + len, cap - len,
                            "timestamp,request_type,name,response_time,response_length,success,exception\n");
    for (int s = 0; s < 120; s++) {
        int n = s < 60 ? 4 : 16;
        for (int k = 0; k < n; k++)
            len += (size_t)snprintf(text + len, cap - len, "%.3f,POST,/q,%d,10,1,\n",
                                    1700000000.0 + s + k * 0.9 / n, 400 + 200 * (k % 2));
    }
    snprintf(path, sizeof path, "%s", write_file(dir, "step.csv", text));
    free(text);
    load(&run, path);
    ck_assert(run.users_derived);
    ck_assert_int_eq(users_at(&run, 1700000010), 2);
    ck_assert_int_eq(users_at(&run, 1700000059), 2);
    ck_assert_int_eq(users_at(&run, 1700000060), 8);
    ck_assert_int_eq(users_at(&run, 1700000119), 8);

    /* the same through a summary, written and read back */
    struct ltk_summary s;
    ltk_summary_init(&s);
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    struct ltk_error err;
    ck_assert_int_eq(ltk_rawlog_summarize(&s, path, &opt, &err), LTK_OK);
    struct ltk_run from_summary;
    ltk_run_init(&from_summary);
    ck_assert_int_eq(ltk_summary_to_run(&s, path, &from_summary, &err), LTK_OK);
    ck_assert(from_summary.users_derived);
    for (int64_t t = 1700000000; t < 1700000120; t++)
        ck_assert_int_eq(users_at(&from_summary, t), users_at(&run, t));
    ltk_run_release(&from_summary);
    ltk_summary_release(&s);
    ltk_run_release(&run);
}
END_TEST

START_TEST(a_summary_keeps_the_logs_users)
{
    const char *dir = temp_dir();
    char *text = hook_log(60, 4, 100, five_then_fifteen, true);
    char path[1024];
    snprintf(path, sizeof path, "%s", write_file(dir, "u.csv", text));
    free(text);
    struct ltk_summary s;
    ltk_summary_init(&s);
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    struct ltk_error err;
    ck_assert_int_eq(ltk_rawlog_summarize(&s, path, &opt, &err), LTK_OK);
    ck_assert_str_eq(s.sources[0].users_source, "the log's users column");
    char out[1024];
    snprintf(out, sizeof out, "%s/u.ltk.json", dir);
    FILE *fp = fopen(out, "wb");
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(ltk_summary_write(fp, &s), LTK_OK);
    ck_assert_int_eq(fclose(fp), 0);
    ltk_summary_release(&s);
    struct ltk_run run;
    load(&run, out);
    ck_assert(!run.users_derived);
    ck_assert_str_eq(run.users_source, "the log's users column");
    ck_assert_int_eq(users_at(&run, 1700000000), 5);
    ck_assert_int_eq(users_at(&run, 1700000045), 15);
    ltk_run_release(&run);
}
END_TEST

/* ---- the automatic interval of long logs ----------------------------------- */

START_TEST(the_interval_follows_the_span)
{
    static const struct {
        double span;
        int64_t want;
    } cases[] = {
        { 0, 1 }, { 1000, 1 }, { 1000.5, 2 }, { 2000, 2 }, { 2001, 10 }, { 86400, 120 }, { 604800, 1800 },
        { 2592000, 3600 }, { 1e7, 21600 }, { 1e9, 86400 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_msg(ltk_rawlog_interval_for_span(cases[i].span) == cases[i].want, "%g", cases[i].span);
}
END_TEST

/* A hook log of n rows spread over secs seconds; stray: a 1970 row first
 * and one of 2100 last (a clock gone wrong). */
static const char *spread_log(const char *dir, const char *name, int n, double secs, bool stray)
{
    size_t cap = (size_t)n * 48 + 400, len = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    len += (size_t)snprintf(text + len, cap - len,
                            "timestamp,request_type,name,response_time,response_length,success,exception\n");
    if (stray)
        len += (size_t)snprintf(text + len, cap - len, "5.0,GET,/a,1,1,1,\n");
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "%.3f,GET,/%c,%d,1,%d,%s\n", 1700000000.0 + secs * i / n,
                                'a' + i % 3, 10 + i % 97, i % 50 ? 1 : 0, i % 50 ? "" : "boom");
    if (stray)
        len += (size_t)snprintf(text + len, cap - len, "4102444800.0,GET,/a,1,1,1,\n");
    ck_assert_uint_lt(len, cap);
    const char *path = write_file(dir, name, text);
    free(text);
    return path;
}

START_TEST(a_long_log_gets_a_coarser_interval_and_the_same_totals)
{
    const char *dir = temp_dir();
    static const struct {
        int n;
        bool stray;
    } cases[] = { { 3000, false }, { 60000, false }, { 60000, true } };  /* one read, then head and tail */
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char name[32], path[1024];
        snprintf(name, sizeof name, "day%zu.csv", c);
        snprintf(path, sizeof path, "%s", spread_log(dir, name, cases[c].n, 86400, cases[c].stray));
        struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
        double span;
        ck_assert_int_eq(ltk_rawlog_auto_interval(path, &opt, &span), 120);
        ck_assert_msg(span > 86000 && span < 86400, "%zu: span %g", c, span);
        struct ltk_run a, b;
        struct ltk_error err;
        ltk_run_init(&a);
        ltk_run_init(&b);
        ck_assert_int_eq(ltk_run_load_with(&a, path, &opt, &err), LTK_OK);
        opt.interval_s = 1;
        ck_assert_int_eq(ltk_run_load_with(&b, path, &opt, &err), LTK_OK);
        ck_assert_int_eq(a.history_window_s, 120);
        ck_assert_int_eq(b.history_window_s, 1);
        /* whole-run numbers do not depend on the interval */
        ck_assert_uint_eq(a.total.requests, b.total.requests);
        ck_assert_uint_eq(a.total.failures, b.total.failures);
        ck_assert_uint_eq(a.nendpoints, b.nendpoints);
        for (size_t e = 0; e < a.nendpoints; e++)
            for (size_t k = 0; k < a.stats_pct.n; k++)
                ck_assert(a.endpoints[e].pct[k] == b.endpoints[e].pct[k]);
        /* and the history's intervals add up to the same counts */
        uint64_t last_a = 0, last_b = 0;
        size_t ticks = 0;
        for (size_t i = 0; i < a.nhistory; i++)
            if (a.history[i].is_total) {
                last_a = a.history[i].requests;
                ticks++;
            }
        for (size_t i = 0; i < b.nhistory; i++)
            if (b.history[i].is_total)
                last_b = b.history[i].requests;
        ck_assert_uint_eq(last_a, last_b);
        ck_assert_uint_le(ticks, LTK_RAWLOG_AUTO_INTERVALS + 2 * 2); /* and the strays' gap ends */
        ltk_run_release(&a);
        ltk_run_release(&b);
    }
    /* a short log keeps 1 s; an explicit interval is kept */
    const char *shortlog = spread_log(dir, "short.csv", 500, 600, false);
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    double span;
    ck_assert_int_eq(ltk_rawlog_auto_interval(shortlog, &opt, &span), 1);
    ck_assert(span > 590 && span <= 600);
    /* a short gzip log: read once for its times, 1 s */
    ck_assert_int_eq(ltk_rawlog_auto_interval(source_path("tests/data/raw/smoke_requests.csv.gz"), &opt, &span), 1);
    ck_assert(span > 0 && span < 600);
}
END_TEST

/* Copies the file at from into a gzip file at to (zlib), and returns to. */
static const char *gzip_copy(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    gzFile out = gzopen(to, "wb1");
    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        ck_assert_int_eq(gzwrite(out, buf, (unsigned)n), (int)n);
    fclose(in);
    ck_assert_int_eq(gzclose(out), Z_OK);
    return to;
}

/* A gzip log has no end to read first: a first pass through zlib counts
 * its times per second, so it gets the interval of its plain file (the
 * very span when the plain one is read whole too), in time order or not
 * (more distinct seconds out of order than the probe's first array holds:
 * compacted as it fills), strays trimmed. */
START_TEST(a_gzip_log_gets_the_interval_of_its_plain_file)
{
    const char *dir = temp_dir();
    static const struct {
        int n;
        bool stray, shuffled;
        int64_t want;
    } cases[] = { { 3000, false, false, 120 }, { 60000, false, false, 120 }, { 60000, true, false, 120 },
                  { 10000, false, true, 120 }, { 80000, false, true, 120 } };  /* the last: counted per 4 s */
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char name[32], plain[1024], gz[1024];
        snprintf(name, sizeof name, "gzday%zu.csv", c);
        snprintf(plain, sizeof plain, "%s", spread_log(dir, name, cases[c].n, 86400, cases[c].stray));
        if (cases[c].shuffled) {
            /* the rows in two interleaved halves: every row steps 12 h back or forth */
            FILE *fp = fopen(plain, "r");
            ck_assert_ptr_nonnull(fp);
            static char line[256];
            char **rows = calloc((size_t)cases[c].n + 1, sizeof *rows);
            ck_assert_ptr_nonnull(rows);
            size_t nr = 0;
            while (fgets(line, sizeof line, fp))
                rows[nr++] = strdup(line);
            fclose(fp);
            fp = fopen(plain, "w");
            ck_assert_ptr_nonnull(fp);
            fputs(rows[0], fp);
            size_t half = (nr - 1) / 2;
            for (size_t i = 0; i < half; i++) {
                fputs(rows[1 + i], fp);
                fputs(rows[1 + half + i], fp);
            }
            for (size_t i = 1 + 2 * half; i < nr; i++)
                fputs(rows[i], fp);
            ck_assert_int_eq(fclose(fp), 0);
            for (size_t i = 0; i < nr; i++)
                free(rows[i]);
            free(rows);
        }
        snprintf(gz, sizeof gz, "%s/%s.gz", dir, name);
        gzip_copy(plain, gz);
        struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
        double sp, sg;
        ck_assert_int_eq(ltk_rawlog_auto_interval(plain, &opt, &sp), cases[c].want);
        ck_assert_int_eq(ltk_rawlog_auto_interval(gz, &opt, &sg), cases[c].want);
        ck_assert_msg(sg > 86000 && sg < 86500, "%zu: gzip span %g", c, sg);
        if (cases[c].n <= 10000)   /* both read whole, both counted per second */
            ck_assert_msg(sg == sp, "%zu: gzip span %g, plain %g", c, sg, sp);
        else
            ck_assert_msg(fabs(sg - sp) < 60, "%zu: gzip span %g, plain %g", c, sg, sp);
    }
}
END_TEST

/* Summaries of a long log: the automatic interval, exact totals, and the
 * run read back from the summary has the same history as the log's. */
START_TEST(a_long_logs_summary_has_the_same_history)
{
    const char *dir = temp_dir();
    char path[1024];
    snprintf(path, sizeof path, "%s", spread_log(dir, "week.csv", 20000, 604800, false));
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    struct ltk_summary s;
    ltk_summary_init(&s);
    struct ltk_error err;
    ck_assert_int_eq(ltk_rawlog_summarize(&s, path, &opt, &err), LTK_OK);
    ck_assert_int_eq(s.interval_s, 1800);
    ck_assert_uint_eq(s.total.count, 20000);
    struct ltk_run fs, fl;
    ltk_run_init(&fs);
    ltk_run_init(&fl);
    ck_assert_int_eq(ltk_summary_to_run(&s, path, &fs, &err), LTK_OK);
    ck_assert_int_eq(ltk_run_load_with(&fl, path, &opt, &err), LTK_OK);
    ck_assert_uint_eq(fs.nhistory, fl.nhistory);
    for (size_t i = 0; i < fs.nhistory; i++) {
        ck_assert_int_eq(fs.history[i].ts, fl.history[i].ts);
        ck_assert_uint_eq(fs.history[i].requests, fl.history[i].requests);
    }
    ltk_run_release(&fs);
    ltk_run_release(&fl);
    ltk_summary_release(&s);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("users");
    TCase *t = tcase_create("segments");
    tcase_add_test(t, constant_noisy_load_is_one_level);
    tcase_add_test(t, steps_are_found_where_they_are);
    tcase_add_test(t, small_changes_and_blips_are_not_levels);
    tcase_add_test(t, levels_are_capped);
    suite_add_tcase(s, t);
    t = tcase_create("logs");
    tcase_add_test(t, a_hook_log_says_its_users);
    tcase_add_test(t, jmeter_threads_and_k6_vus);
    tcase_add_test(t, users_are_derived_when_nothing_says);
    tcase_add_test(t, a_summary_keeps_the_logs_users);
    suite_add_tcase(s, t);
    t = tcase_create("long");
    tcase_add_test(t, the_interval_follows_the_span);
    tcase_add_test(t, a_long_log_gets_a_coarser_interval_and_the_same_totals);
    tcase_add_test(t, a_gzip_log_gets_the_interval_of_its_plain_file);
    tcase_add_test(t, a_long_logs_summary_has_the_same_history);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return run_suite(suite());
}

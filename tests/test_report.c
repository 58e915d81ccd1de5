/* Check suite for lib/render/report.c: the report tree of real samples holds every
 * section and the library's numbers, charts are drawn (or say why not),
 * and the built-in templates render it with untrusted text escaped. */
#include <gsl/gsl_errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <math.h>

#include "ltk/analyze/latency.h"
#include "ltk/render/report.h"
#include "ltk/read/load.h"
#include "ltk/analyze/latency.h"
#include "ltk/read/rawlog.h"
#include "testutil.h"

static void load(struct ltk_run *run, const char *rel)
{
    struct ltk_error err;
    ltk_run_init(run);
    ck_assert_msg(ltk_run_load(run, source_path(rel), &err) == LTK_OK, "%s", err.msg);
}

static const char *str_at(const cJSON *doc, const char *a, const char *b)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(doc, a);
    const cJSON *v = b ? cJSON_GetObjectItemCaseSensitive(o, b) : o;
    ck_assert_msg(cJSON_IsString(v), "%s.%s is not a string", a, b ? b : "");
    return v->valuestring;
}

static char *render(const struct ltk_report *rep, const char *name, enum ltk_escape esc)
{
    size_t len;
    const char *text = ltk_template_builtin(name, &len);
    struct ltk_template *t;
    struct ltk_error err;
    ck_assert_int_eq(ltk_template_parse(text, len, name, &t, &err), LTK_OK);
    char *out;
    ck_assert_msg(ltk_template_render(t, rep->data, esc, &out, NULL, &err) == LTK_OK, "%s:%ld: %s", err.file,
                  err.line, err.msg);
    ltk_template_free(t);
    return out;
}

START_TEST(test_stress_report_sections_and_charts)
{
    struct ltk_run run;
    load(&run, "samples/runs/stress/stress");
    struct ltk_report_opts o = { .charts = true };
    struct ltk_report rep;
    struct ltk_error err;
    ck_assert_msg(ltk_report_build(&run, &o, &rep, &err) == LTK_OK, "%s", err.msg);
    ck_assert_uint_eq(rep.nwarnings, 0);
    ck_assert(!rep.charts_unavailable);
    const cJSON *d = rep.data;
    ck_assert_str_eq(str_at(d, "schema", NULL), "ltk.report/2");
    ck_assert_str_eq(str_at(d, "verdict", "type"), "stress");
    ck_assert_str_eq(str_at(d, "verdict", "breaking_point"), "80 users");
    ck_assert_str_eq(str_at(d, "total", "requests"), "2101");
    ck_assert_str_eq(str_at(d, "total", "failures"), "395");
    ck_assert_str_eq(str_at(d, "total", "p95"), "5000");
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(d, "capacity"), "available")));
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(d, "trend"), "available")));
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(d, "failures")), 4);
    /* eleven charts, each with an inline SVG and its data for the page's script */
    const char *groups[] = { "time", "distribution", "capacity" };
    int n = 0;
    for (size_t g = 0; g < 3; g++) {
        const cJSON *c;
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(cJSON_GetObjectItem(d, "charts"), groups[g])) {
            const cJSON *svg = cJSON_GetObjectItem(c, "svg");
            ck_assert(cJSON_IsRaw(svg));
            ck_assert_ptr_nonnull(strstr(svg->valuestring, "<path"));
            ck_assert(strncmp(svg->valuestring, "<svg", 4) == 0);
            const cJSON *plot = cJSON_GetObjectItem(c, "plot");
            ck_assert(cJSON_IsRaw(plot));
            cJSON *pd = cJSON_Parse(plot->valuestring);
            ck_assert_ptr_nonnull(pd);
            ck_assert(cJSON_GetArraySize(cJSON_GetObjectItem(pd, "series")) >= 1);
            const cJSON *ax = cJSON_GetObjectItem(pd, "axes");
            ck_assert(cJSON_GetObjectItem(ax, "right")->valuedouble > cJSON_GetObjectItem(ax, "left")->valuedouble);
            ck_assert(cJSON_GetObjectItem(ax, "bottom")->valuedouble > cJSON_GetObjectItem(ax, "top")->valuedouble);
            /* the per-endpoint rates: three endpoints, no "others" */
            if (strcmp(cJSON_GetObjectItem(c, "id")->valuestring, "endpoint_rps_time") == 0) {
                const cJSON *ser = cJSON_GetObjectItem(pd, "series");
                ck_assert_int_eq(cJSON_GetArraySize(ser), 3);
                ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(ser, 0), "title")->valuestring, "POST /query");
            }
            cJSON_Delete(pd);
            n++;
        }
    }
    ck_assert_int_eq(n, 11);
    char *html = render(&rep, "report.html", LTK_ESC_HTML);
    ck_assert_ptr_nonnull(strstr(html, "id=\"c6-gnuplot_canvas\""));
    ck_assert_ptr_null(strstr(html, "<?xml"));
    free(html);
    ltk_report_release(&rep);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_hostile_report_without_gnuplot)
{
    const char *dir = temp_dir();
    char cwd[1024];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    struct ltk_run run;
    load(&run, "tests/data/hostile/hostile");
    ck_assert_int_eq(chdir(dir), 0);
    struct ltk_report_opts o = { .charts = true, .chart = { .gnuplot = "/nonexistent/gnuplot" } };
    struct ltk_report rep;
    struct ltk_error err;
    ck_assert_int_eq(ltk_report_build(&run, &o, &rep, &err), LTK_OK);
    ck_assert(rep.charts_unavailable);
    ck_assert_uint_eq(rep.nwarnings, 1); /* said once, not per chart */
    ck_assert_ptr_nonnull(strstr(rep.warnings[0], "gnuplot"));
    char *html = render(&rep, "report.html", LTK_ESC_HTML);
    ck_assert_ptr_nonnull(strstr(html, "id=\"charts-notice\""));
    ck_assert_ptr_nonnull(strstr(html, "class=\"nochart\""));
    ck_assert_ptr_nonnull(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    ck_assert_ptr_null(strstr(html, "<script>alert"));
    /* no chart drawn: no data blocks and no chart script, script-src 'none' */
    ck_assert_ptr_null(strstr(html, "<script"));
    ck_assert_ptr_null(strstr(html, "<b>bad"));
    ck_assert_ptr_null(strstr(html, "<svg"));
    free(html);
    char *md = render(&rep, "report.md", LTK_ESC_MARKDOWN);
    ck_assert_ptr_null(strstr(md, "<script"));
    ck_assert_ptr_nonnull(strstr(md, "/x\\`touch pwned\\`"));
    free(md);
    ck_assert_int_ne(access("pwned", F_OK), 0);
    ck_assert_int_eq(chdir(cwd), 0);
    ltk_report_release(&rep);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_diagnosis_from_the_run)
{
    /* the rate-limit sample: ltk diagnose's first finding, with its evidence */
    struct ltk_run run;
    load(&run, "samples/runs/ratelimit/ratelimit");
    struct ltk_report_opts o = { .charts = false };
    struct ltk_report rep;
    struct ltk_error err;
    ck_assert_int_eq(ltk_report_build(&run, &o, &rep, &err), LTK_OK);
    const cJSON *dg = cJSON_GetObjectItem(rep.data, "diagnosis");
    const cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(dg, "findings"), 0);
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(cJSON_GetObjectItem(f, "id")->valuestring, "rate_limit");
    ck_assert_str_eq(cJSON_GetObjectItem(f, "confidence")->valuestring, "95 %");
    ck_assert_int_gt(cJSON_GetArraySize(cJSON_GetObjectItem(f, "evidence")), 5);
    ltk_report_release(&rep);
    ltk_run_release(&run);

    /* the healthy load run: healthy, and a stable trend */
    load(&run, "samples/runs/load/load");
    ck_assert_int_eq(ltk_report_build(&run, &o, &rep, &err), LTK_OK);
    dg = cJSON_GetObjectItem(rep.data, "diagnosis");
    f = cJSON_GetArrayItem(cJSON_GetObjectItem(dg, "findings"), 0);
    ck_assert_str_eq(cJSON_GetObjectItem(f, "id")->valuestring, "healthy");
    ck_assert_str_eq(str_at(rep.data, "trend", "verdict"), "stable");
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(rep.data, "trend"), "available")));
    /* no history-less fallbacks here: the load run has its time series */
    ck_assert_str_eq(str_at(rep.data, "verdict", "type"), "load");
    ltk_report_release(&rep);
    ltk_run_release(&run);
}
END_TEST

/* A raw request log: a real histogram and a CDF of every time it holds,
 * instead of the curve through stats.csv's percentile columns. */
START_TEST(test_raw_log_distribution)
{
    struct ltk_run run;
    load(&run, "samples/runs/load/load_requests.csv");
    struct ltk_report_opts o = { .charts = true };
    struct ltk_report rep;
    struct ltk_error err;
    ck_assert_int_eq(ltk_report_build(&run, &o, &rep, &err), LTK_OK);
    char *text = cJSON_PrintUnformatted(rep.data);
    ck_assert_ptr_nonnull(strstr(text, "\"id\":\"latency_histogram\""));
    ck_assert_ptr_nonnull(strstr(text, "Response time distribution (CDF)"));
    ck_assert_ptr_nonnull(strstr(text, "from the raw request log"));
    free(text);
    ltk_report_release(&rep);
    ltk_run_release(&run);
}
END_TEST

/* A log of many endpoints and many distinct times: the distribution chart
 * draws all requests and the TOP 8 endpoints by requests, each thinned to
 * a few hundred true points of its CDF, the first and the last kept. */
START_TEST(test_distribution_of_many_endpoints_is_thinned)
{
    const char *dir = temp_dir();
    char path[1024];
    snprintf(path, sizeof path, "%s/many_requests.csv", dir);
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs("timestamp,request_type,name,response_time,response_length,success,exception\n", fp);
    uint64_t x = 42;
    for (int i = 0; i < 60000; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        int ep = i % 20 < 9 ? i % 20 : 9 + i % 3;   /* /e0../e8 many, /e9../e11 few */
        if (i % 20 >= 9 && i % 7)
            continue;
        double ms = 1 + (double)((x >> 30) % 4000000) / 1000;
        fprintf(fp, "%.3f,GET,/e%d,%.3f,10,1,\n", 1700000000.0 + i / 20.0, ep, ms);
    }
    ck_assert_int_eq(fclose(fp), 0);
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    ck_assert_msg(ltk_run_load(&run, path, &err) == LTK_OK, "%s", err.msg);
    ck_assert_uint_eq(run.nendpoints, 12);
    struct ltk_cdf all;
    ck_assert_int_eq(ltk_endpoint_cdf(&run, &run.total, &all), LTK_OK);
    ck_assert_uint_gt(all.n, 2000);
    struct ltk_report_opts o = { .charts = true };
    struct ltk_report rep;
    ck_assert_msg(ltk_report_build(&run, &o, &rep, &err) == LTK_OK, "%s", err.msg);
    const cJSON *c, *found = NULL;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(cJSON_GetObjectItem(rep.data, "charts"), "distribution"))
        if (strcmp(cJSON_GetObjectItem(c, "id")->valuestring, "latency_distribution") == 0)
            found = c;
    ck_assert_ptr_nonnull(found);
    ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(found, "caption")->valuestring, "endpoints with the most"));
    cJSON *pd = cJSON_Parse(cJSON_GetObjectItem(found, "plot")->valuestring);
    ck_assert_ptr_nonnull(pd);
    const cJSON *ser = cJSON_GetObjectItem(pd, "series");
    ck_assert_int_eq(cJSON_GetArraySize(ser), 9);
    const cJSON *se;
    cJSON_ArrayForEach(se, ser) {
        const char *title = cJSON_GetObjectItem(se, "title")->valuestring;
        ck_assert_msg(strcmp(title, "GET /e9") && strcmp(title, "GET /e10") && strcmp(title, "GET /e11"),
                      "%s is not among the 8 with the most requests", title);
        const cJSON *xs = cJSON_GetObjectItem(se, "x"), *ys = cJSON_GetObjectItem(se, "y");
        int n = cJSON_GetArraySize(xs);
        ck_assert_int_gt(n, 50);
        ck_assert_int_le(n, 700);
        ck_assert(cJSON_GetArrayItem(ys, n - 1)->valuedouble == 100);
        if (strcmp(title, "all requests") == 0) {
            ck_assert(cJSON_GetArrayItem(xs, 0)->valuedouble == all.ms[0]);
            ck_assert(cJSON_GetArrayItem(xs, n - 1)->valuedouble == all.ms[all.n - 1]);
            /* every point drawn is a point of the distribution */
            size_t j = 0;
            for (int k = 0; k < n; k++) {
                double px = cJSON_GetArrayItem(xs, k)->valuedouble, py = cJSON_GetArrayItem(ys, k)->valuedouble;
                while (j < all.n && all.ms[j] != px)
                    j++;
                ck_assert_msg(j < all.n && fabs(all.pct[j] - py) < 1e-9, "point %d (%g, %g) not in the CDF", k,
                              px, py);
            }
        }
    }
    cJSON_Delete(pd);
    /* over time: the 8 busiest endpoints and "the other 4 endpoints", whose
     * requests/s is the Aggregated value less the 8 (at every interval the
     * lines add up to all requests/s); percentiles have no "others" line */
    const cJSON *rps_time = NULL, *p95_time = NULL, *users_rps = NULL;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(cJSON_GetObjectItem(rep.data, "charts"), "time")) {
        const char *id = cJSON_GetObjectItem(c, "id")->valuestring;
        if (strcmp(id, "endpoint_rps_time") == 0)
            rps_time = c;
        else if (strcmp(id, "endpoint_p95_time") == 0)
            p95_time = c;
        else if (strcmp(id, "users_rps") == 0)
            users_rps = c;
    }
    ck_assert(rps_time && p95_time && users_rps);
    cJSON *rd = cJSON_Parse(cJSON_GetObjectItem(rps_time, "plot")->valuestring);
    cJSON *pd95 = cJSON_Parse(cJSON_GetObjectItem(p95_time, "plot")->valuestring);
    cJSON *ud = cJSON_Parse(cJSON_GetObjectItem(users_rps, "plot")->valuestring);
    ck_assert(rd && pd95 && ud);
    const cJSON *rser = cJSON_GetObjectItem(rd, "series");
    ck_assert_int_eq(cJSON_GetArraySize(rser), 9);
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(rser, 8), "title")->valuestring, "the other 4 endpoints");
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(pd95, "series")), 8);
    const cJSON *ally = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(ud, "series"), 0), "y");
    int nt = cJSON_GetArraySize(ally);
    ck_assert_int_gt(nt, 10);
    for (int i = 0; i < nt; i++) {
        double sum = 0;
        cJSON_ArrayForEach(se, rser)
            sum += cJSON_GetArrayItem(cJSON_GetObjectItem(se, "y"), i)->valuedouble;
        ck_assert_msg(fabs(sum - cJSON_GetArrayItem(ally, i)->valuedouble) < 1e-6, "interval %d: %g != %g", i, sum,
                      cJSON_GetArrayItem(ally, i)->valuedouble);
    }
    cJSON_Delete(rd);
    cJSON_Delete(pd95);
    cJSON_Delete(ud);
    ltk_cdf_release(&all);
    ltk_report_release(&rep);
    ltk_run_release(&run);
}
END_TEST

/* The leaking soak run with its metrics file: degradation and the leak. */
START_TEST(test_trend_and_metrics)
{
    struct ltk_run run;
    load(&run, "samples/runs/soak/soak");
    struct ltk_metrics mx;
    ltk_metrics_init(&mx);
    ck_assert_int_eq(ltk_metrics_read(source_path("samples/runs/soak/soak_metrics.csv"), &mx, NULL), LTK_OK);
    struct ltk_report_opts o = { .charts = false, .metrics = &mx };
    struct ltk_report rep;
    struct ltk_error err;
    ck_assert_int_eq(ltk_report_build(&run, &o, &rep, &err), LTK_OK);
    ck_assert_str_eq(str_at(rep.data, "trend", "verdict"), "degrading");
    ck_assert_ptr_nonnull(strstr(str_at(rep.data, "trend", "leak"), "leak signature"));
    const cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(rep.data, "diagnosis"), "findings"), 0);
    ck_assert_str_eq(cJSON_GetObjectItem(f, "id")->valuestring, "degradation");
    ltk_report_release(&rep);
    ltk_metrics_release(&mx);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_hanging_gnuplot_stops_the_charts)
{
    const char *dir = temp_dir();
    const char *fake = hanging_gnuplot(dir, "hangplot");
    struct ltk_run run;
    load(&run, "samples/runs/stress/stress");
    struct ltk_report_opts o = { .charts = true, .chart = { .gnuplot = fake, .timeout_s = 0.3 } };
    struct ltk_report rep;
    struct ltk_error err;
    ck_assert_int_eq(ltk_report_build(&run, &o, &rep, &err), LTK_OK);
    ck_assert_int_eq(hanging_gnuplot_starts(dir), 1);   /* one time limit, not one per chart */
    ck_assert_uint_eq(rep.nwarnings, 1);
    ck_assert_ptr_nonnull(strstr(rep.warnings[0], "did not finish"));
    char *html = render(&rep, "report.html", LTK_ESC_HTML);
    ck_assert_ptr_nonnull(strstr(html, "skipped: gnuplot did not finish an earlier chart in time"));
    ck_assert_ptr_null(strstr(html, "<svg"));
    free(html);
    ltk_report_release(&rep);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_png_dir_must_exist)
{
    struct ltk_run run;
    load(&run, "samples/runs/smoke/smoke");
    struct ltk_report_opts o = { .charts = true, .png_dir = "/nonexistent/dir" };
    struct ltk_report rep;
    struct ltk_error err;
    ck_assert_int_eq(ltk_report_build(&run, &o, &rep, &err), LTK_EIO);
    ck_assert_str_eq(err.file, "/nonexistent/dir");
    ltk_report_release(&rep);
    ltk_run_release(&run);
}
END_TEST

static const cJSON *item(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    ck_assert_msg(v != NULL, "no '%s'", k);
    return v;
}

static const char *text_of(const cJSON *o, const char *k)
{
    const cJSON *v = item(o, k);
    ck_assert_msg(cJSON_IsString(v), "'%s' is not a string", k);
    return v->valuestring;
}

/* The row of name in section sec's rows. */
static const cJSON *row_named(const cJSON *doc, const char *sec, const char *name)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, item(item(doc, sec), "rows"))
        if (strcmp(text_of(r, "name"), name) == 0)
            return r;
    ck_abort_msg("%s: no row %s", sec, name);
    return NULL;
}

/* The status sample's raw log (a status column): codes read, Apdex and
 * ranges counted exactly (the cuts given to the reader, as ltk report
 * does), successful-only percentiles, and any percentile as a column. */
START_TEST(test_status_apdex_ranges_ok_from_a_raw_log)
{
    static const double cuts[] = { 500, 1000, 2000 };
    static const double ranges[] = { 1000, 2000 };
    static const double pct[] = { 0.9, 0.999 };
    static const char *const label[] = { "90", "99.9" };
    struct ltk_rawlog_options ro = LTK_RAWLOG_OPTIONS_DEFAULT;
    ro.cuts = cuts;
    ro.ncuts = 3;
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    ck_assert_msg(ltk_run_load_with(&run, source_path("samples/runs/status/status_requests.csv"), &ro, &err) == LTK_OK,
                  "%s", err.msg);
    struct ltk_report_opts o = { .charts = false, .apdex_t_ms = 500, .ranges = ranges, .nranges = 2, .pct = pct,
                                 .pct_label = label, .npct = 2 };
    struct ltk_report rep;
    ck_assert_int_eq(ltk_report_build(&run, &o, &rep, &err), LTK_OK);
    const cJSON *d = rep.data;
    /* status: as ltk stats --status on the same log */
    const cJSON *st = item(d, "status");
    ck_assert(cJSON_IsTrue(item(st, "available")));
    ck_assert(cJSON_IsFalse(item(st, "inferred")));
    const cJSON *h = row_named(d, "status", "/health");
    ck_assert_str_eq(text_of(h, "c2xx"), "31");
    ck_assert_str_eq(text_of(h, "c5xx"), "7");
    ck_assert_str_eq(text_of(h, "codes"), "200: 31, 503: 7");
    const cJSON *tot = item(st, "total");
    ck_assert_str_eq(text_of(tot, "codes"), "0: 7, 200: 199, 429: 132, 503: 143");
    ck_assert_str_eq(text_of(tot, "c4xx"), "132");
    ck_assert_str_eq(text_of(tot, "other"), "7");
    ck_assert_str_eq(text_of(tot, "none"), "0");
    ck_assert_ptr_nonnull(strstr(text_of(st, "over_time"), "chart of HTTP status classes"));
    /* Apdex: exact (counted), the same as the library's */
    const cJSON *ap = item(d, "apdex");
    ck_assert_str_eq(text_of(ap, "t"), "500 ms");
    ck_assert_str_eq(text_of(ap, "tolerating"), "2000 ms");
    ck_assert_str_eq(text_of(row_named(d, "apdex", "/health"), "value"), "0.447");
    ck_assert_str_eq(text_of(item(ap, "total"), "value"), "0.100");
    ck_assert_ptr_nonnull(strstr(text_of(ap, "note"), "exact: each request compared"));
    struct ltk_share sh = ltk_apdex(&run, &run.total, 500);
    ck_assert(sh.basis == LTK_LE_COUNTED && sh.lo == sh.hi);
    ck_assert_double_eq_tol(sh.lo, 0.100, 0.0005);
    /* ranges: <=1s, 1s-2s, >2s, failed; the shares of a row add up to 100 % */
    const cJSON *rg = item(d, "ranges");
    ck_assert_int_eq(cJSON_GetArraySize(item(rg, "columns")), 4);
    ck_assert_str_eq(text_of(cJSON_GetArrayItem(item(rg, "columns"), 1), "label"), "1s-2s");
    const cJSON *sh_t = item(item(rg, "total"), "shares");
    ck_assert_str_eq(text_of(cJSON_GetArrayItem(sh_t, 0), "value"), "5.0 %");
    ck_assert_str_eq(text_of(cJSON_GetArrayItem(sh_t, 3), "value"), "58.6 %");
    double sum = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, sh_t)
        sum += strtod(text_of(x, "value"), NULL);
    ck_assert_double_eq_tol(sum, 100, 0.25);
    /* successful requests only: fewer than all, from the successes' histogram */
    const cJSON *ok = item(d, "ok");
    ck_assert(cJSON_IsTrue(item(ok, "available")));
    ck_assert_str_eq(text_of(item(ok, "total"), "requests"), "199");
    char want[32];
    snprintf(want, sizeof want, "%.0f", ltk_ok_quantile(&run.total, 0.95));
    ck_assert_str_eq(text_of(item(ok, "total"), "p95"), want);
    /* --percentiles 90,99.9: the columns, from the histograms (no note) */
    ck_assert_int_eq(cJSON_GetArraySize(item(d, "pct_columns")), 2);
    ck_assert_str_eq(text_of(cJSON_GetArrayItem(item(d, "pct_columns"), 1), "label"), "p99.9");
    ck_assert_int_eq(cJSON_GetArraySize(item(d, "pct_notes")), 0);
    snprintf(want, sizeof want, "%.0f", ltk_endpoint_quantile(&run, &run.total, 0.999));
    ck_assert_str_eq(text_of(cJSON_GetArrayItem(item(item(d, "total"), "pct"), 1), "value"), want);
    /* the default columns' keys stay */
    ck_assert_str_eq(text_of(item(d, "total"), "p95"), "3287");
    char *md = render(&rep, "report.md", LTK_ESC_MARKDOWN);
    ck_assert_ptr_nonnull(strstr(md, "| endpoint | requests | errors | p90 ms | p99.9 ms | req/s |"));
    ck_assert_ptr_nonnull(strstr(md, "| **all** | 199 | 0 | 132 | 143 | 7 | 0 | 0: 7, 200: 199, 429: 132, 503: 143 |"));
    free(md);
    char *html = render(&rep, "report.html", LTK_ESC_HTML);
    ck_assert_ptr_nonnull(strstr(html, "<section id=\"apdex\">"));
    ck_assert_ptr_nonnull(strstr(html, "<th class=\"num\">p99.9 ms</th>"));
    free(html);
    ltk_report_release(&rep);
    ltk_run_release(&run);
}
END_TEST

/* Locust's CSV: codes inferred from failures.csv, no time for a chart; a
 * percentile outside its fixed set is n/a and said so; no successful-only
 * percentiles; no Apdex or ranges section unless asked. */
START_TEST(test_status_and_missing_pct_from_locust_csv)
{
    static const double pct[] = { 0.5, 0.97 };
    static const char *const label[] = { "50", "97" };
    struct ltk_run run;
    load(&run, "samples/runs/status/status");
    struct ltk_report_opts o = { .charts = false, .pct = pct, .pct_label = label, .npct = 2 };
    struct ltk_report rep;
    struct ltk_error err;
    ck_assert_int_eq(ltk_report_build(&run, &o, &rep, &err), LTK_OK);
    const cJSON *d = rep.data;
    const cJSON *st = item(d, "status");
    ck_assert(cJSON_IsTrue(item(st, "inferred")));
    ck_assert_str_eq(text_of(row_named(d, "status", "/health"), "codes"), "503: 6*");
    ck_assert_str_eq(text_of(row_named(d, "status", "/health"), "none"), "30");
    ck_assert_ptr_nonnull(strstr(text_of(st, "over_time"), "no time"));
    ck_assert_ptr_nonnull(strstr(text_of(st, "inferred_note"), "inferred"));
    const cJSON *cols = item(d, "pct_columns");
    ck_assert(cJSON_IsFalse(item(cJSON_GetArrayItem(cols, 0), "missing")));
    ck_assert(cJSON_IsTrue(item(cJSON_GetArrayItem(cols, 1), "missing")));
    ck_assert_int_eq(cJSON_GetArraySize(item(d, "pct_notes")), 1);
    ck_assert_ptr_nonnull(strstr(text_of(cJSON_GetArrayItem(item(d, "pct_notes"), 0), "text"), "p97 is not in this input"));
    ck_assert_str_eq(text_of(cJSON_GetArrayItem(item(item(d, "total"), "pct"), 1), "value"), "n/a");
    ck_assert_str_eq(text_of(cJSON_GetArrayItem(item(item(d, "total"), "pct"), 0), "value"), text_of(item(d, "total"), "p50"));
    ck_assert(cJSON_IsFalse(item(item(d, "ok"), "available")));
    ck_assert(cJSON_IsNull(item(d, "apdex")));
    ck_assert(cJSON_IsNull(item(d, "ranges")));
    char *html = render(&rep, "report.html", LTK_ESC_HTML);
    ck_assert_ptr_null(strstr(html, "<section id=\"apdex\">"));
    ck_assert_ptr_nonnull(strstr(html, "503: 6*"));
    free(html);
    ltk_report_release(&rep);
    ltk_run_release(&run);
}
END_TEST

/* p50, p95 and p99 of each endpoint over time: three charts of the same
 * endpoints, the same style, each its own percentile. */
/* A report of Locust's JSON alone says what that input is: no user count
 * (not "peak 0 users"), no users line, and captions that name the JSON's
 * per-second counts and response_times, never stats_history.csv or a raw
 * log. */
/* Per-endpoint charts over time from a summary (p95 per endpoint, from its
 * intervals' histograms) and from Locust's JSON (requests/s per endpoint,
 * from each second's counts; it has no percentiles over time). */
static int numbers_in(const cJSON *chart)
{
    cJSON *pd = cJSON_Parse(cJSON_GetObjectItem(chart, "plot")->valuestring);
    ck_assert_ptr_nonnull(pd);
    int n = 0;
    const cJSON *se, *y;
    cJSON_ArrayForEach(se, cJSON_GetObjectItem(pd, "series"))
        cJSON_ArrayForEach(y, cJSON_GetObjectItem(se, "y"))
            n += cJSON_IsNumber(y) && y->valuedouble > 0;
    cJSON_Delete(pd);
    return n;
}

START_TEST(test_endpoint_charts_of_summaries_and_locust_json)
{
    const struct {
        const char *input, *chart;
    } cases[] = {
        { "tests/data/summary/stress.ltk.json", "endpoint_p95_time" },
        { "tests/data/summary/stress.ltk.json", "endpoint_rps_time" },
        { "samples/runs/jsonfile/jsonfile.json", "endpoint_rps_time" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct ltk_run run;
        load(&run, cases[k].input);
        struct ltk_report_opts o = { .charts = true };
        struct ltk_report rep;
        struct ltk_error err;
        ck_assert_int_eq(ltk_report_build(&run, &o, &rep, &err), LTK_OK);
        const cJSON *c, *found = NULL;
        cJSON_ArrayForEach(c, item(item(rep.data, "charts"), "time"))
            if (strcmp(text_of(c, "id"), cases[k].chart) == 0)
                found = c;
        ck_assert_msg(found != NULL, "%s: no chart %s", cases[k].input, cases[k].chart);
        ck_assert_msg(numbers_in(found) > 10, "%s: %s has too few values", cases[k].input, cases[k].chart);
        ltk_report_release(&rep);
        ltk_run_release(&run);
    }
}
END_TEST

START_TEST(test_locust_json_report_names_its_source)
{
    struct ltk_run run;
    load(&run, "samples/runs/jsonfile/jsonfile.json");
    struct ltk_report_opts o = { .charts = false };
    struct ltk_report rep;
    struct ltk_error err;
    ck_assert_int_eq(ltk_report_build(&run, &o, &rep, &err), LTK_OK);
    ck_assert_ptr_nonnull(strstr(str_at(rep.data, "run", "when"), "users unknown"));
    ck_assert_str_eq(str_at(rep.data, "run", "peak_users"), "unknown");
    int seen = 0;
    const char *groups[] = { "time", "distribution" };
    for (int g = 0; g < 2; g++) {
        const cJSON *c;
        cJSON_ArrayForEach(c, item(item(rep.data, "charts"), groups[g])) {
            const char *id = text_of(c, "id"), *cap = text_of(c, "caption");
            ck_assert_msg(!strstr(cap, "stats_history") && !strstr(cap, "raw log") && !strstr(cap, "Simulated users"),
                          "chart %s: %s", id, cap);
            if (strcmp(id, "users_rps") == 0 || strcmp(id, "latency_histogram") == 0 ||
                strcmp(id, "latency_distribution") == 0 || strcmp(id, "error_rate") == 0) {
                ck_assert_msg(strstr(cap, "Locust's JSON") != NULL, "chart %s: %s", id, cap);
                seen++;
            }
        }
    }
    ck_assert_int_eq(seen, 4);
    ltk_report_release(&rep);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_endpoint_percentiles_over_time)
{
    struct ltk_run run;
    load(&run, "samples/runs/load/load_requests.csv");
    struct ltk_report_opts o = { .charts = true };
    struct ltk_report rep;
    struct ltk_error err;
    ck_assert_int_eq(ltk_report_build(&run, &o, &rep, &err), LTK_OK);
    const char *ids[] = { "endpoint_p50_time", "endpoint_p95_time", "endpoint_p99_time" };
    double last[3] = { 0 };
    for (int w = 0; w < 3; w++) {
        const cJSON *c, *found = NULL;
        cJSON_ArrayForEach(c, item(item(rep.data, "charts"), "time"))
            if (strcmp(text_of(c, "id"), ids[w]) == 0)
                found = c;
        ck_assert_msg(found != NULL, "no chart %s", ids[w]);
        const cJSON *plot = item(found, "plot");
        ck_assert(cJSON_IsRaw(plot));
        cJSON *pd = cJSON_Parse(plot->valuestring);
        ck_assert_ptr_nonnull(pd);
        const cJSON *ser = item(pd, "series");
        ck_assert_int_eq(cJSON_GetArraySize(ser), (int)run.nendpoints);
        ck_assert_str_eq(text_of(cJSON_GetArrayItem(ser, 0), "title"), "POST /query");
        /* the busiest endpoint's largest value grows with the percentile */
        double mx = 0;
        const cJSON *y;
        cJSON_ArrayForEach(y, item(cJSON_GetArrayItem(ser, 0), "y"))
            if (cJSON_IsNumber(y) && y->valuedouble > mx)
                mx = y->valuedouble;
        last[w] = mx;
        cJSON_Delete(pd);
        char want[32];
        snprintf(want, sizeof want, "p%s per endpoint over time", w == 0 ? "50" : w == 1 ? "95" : "99");
        ck_assert_str_eq(text_of(found, "title"), want);
    }
    ck_assert(last[0] > 0 && last[0] <= last[1] && last[1] <= last[2]);
    ltk_report_release(&rep);
    ltk_run_release(&run);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_stress_report_sections_and_charts);
    tcase_add_test(tc, test_hostile_report_without_gnuplot);
    tcase_add_test(tc, test_distribution_of_many_endpoints_is_thinned);
    tcase_add_test(tc, test_diagnosis_from_the_run);
    tcase_add_test(tc, test_trend_and_metrics);
    tcase_add_test(tc, test_raw_log_distribution);
    tcase_add_test(tc, test_hanging_gnuplot_stops_the_charts);
    tcase_add_test(tc, test_png_dir_must_exist);
    tcase_add_test(tc, test_status_apdex_ranges_ok_from_a_raw_log);
    tcase_add_test(tc, test_status_and_missing_pct_from_locust_csv);
    tcase_add_test(tc, test_endpoint_percentiles_over_time);
    tcase_add_test(tc, test_locust_json_report_names_its_source);
    tcase_add_test(tc, test_endpoint_charts_of_summaries_and_locust_json);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    gsl_set_error_handler_off();
    return run_suite(suite());
}

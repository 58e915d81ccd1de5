/* Check suite for lib/render/stats_view.c: the module's brief lines byte for byte,
 * the JSON document, and terminal safety of untrusted names. */
#include <math.h>

#include "ltk/read/load.h"
#include "ltk/read/locust.h"
#include "ltk/read/rawlog.h"
#include "ltk/render/stats_view.h"
#include "base/strutil.h"
#include "testutil.h"

static void load(struct ltk_run *run, const char *csv)
{
    ltk_run_init(run);
    FILE *fp = mem_file(csv, strlen(csv));
    struct ltk_error err;
    ck_assert_int_eq(ltk_locust_read_stats(run, fp, "v_stats.csv", &err), LTK_OK);
    fclose(fp);
}

static char *render(int (*fn)(FILE *, const struct ltk_run *), const struct ltk_run *run)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ck_assert_int_eq(fn(out, run), LTK_OK);
    fclose(out);
    return buf;
}

static int table_plain(FILE *out, const struct ltk_run *run)
{
    struct ltk_view_opts o = { .color = false, .list_failures = true };
    return ltk_stats_write_table(out, run, &o);
}

static int table_color(FILE *out, const struct ltk_run *run)
{
    struct ltk_view_opts o = { .color = true };
    return ltk_stats_write_table(out, run, &o);
}

/* The example CSV of the module (Section 3) and what its Python cell prints. */
static const char module_csv[] =
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
    "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,"
    "99.99%,100%\n"
    "POST,/query,1523,12,780,856,234,3421,1250,12.3,0.1,780,890,1100,1250,1600,1850,2100,2340,3200,3400,3421\n"
    "GET,/retrieval,458,2,210,234,112,890,450,3.7,0.0,210,230,250,270,380,520,620,670,850,880,890\n"
    "GET,/health,152,0,42,45,23,120,50,1.2,0.0,42,45,48,50,65,89,100,110,118,120,120\n";

static const char module_brief[] =
    "/query          | p50:  780ms | p95: 1850ms | p99: 2340ms | RPS: 12.3 | Errors: 0.8%\n"
    "/retrieval      | p50:  210ms | p95:  520ms | p99:  670ms | RPS:  3.7 | Errors: 0.4%\n"
    "/health         | p50:   42ms | p95:   89ms | p99:  110ms | RPS:  1.2 | Errors: 0.0%\n";

/* The table's percentile columns follow the options: the module's CSV has a
 * 90% and a 99.9% column but no 97%, which is said under the table. */
static int table_pct(FILE *out, const struct ltk_run *run)
{
    static const double q[] = { 0.90, 0.97, 0.999 };
    static const char *const label[] = { "90", "97", "99.9" };
    struct ltk_view_opts o = { .pct = q, .pct_label = label, .npct = 3 };
    return ltk_stats_write_table(out, run, &o);
}

START_TEST(test_table_percentile_columns)
{
    struct ltk_run run;
    load(&run, module_csv);
    char *out = render(table_pct, &run);
    ck_assert_ptr_nonnull(strstr(out, "Failures   p90  p97  p99.9  Mean"));
    ck_assert_ptr_nonnull(strstr(out, "1600    -   3200"));     /* /query's 90% and 99.9% */
    ck_assert_ptr_nonnull(strstr(out, "p97: not in this input (it has 50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100)"));
    ck_assert_ptr_null(strstr(out, "p50"));
    free(out);
    out = render(table_plain, &run);   /* default: p50, p95, p99 and no note */
    ck_assert_ptr_nonnull(strstr(out, "p50   p95   p99"));
    ck_assert_ptr_null(strstr(out, "not in this input"));
    free(out);
    ltk_run_release(&run);
}
END_TEST

/* A hook log of GET /a: successes of 10, 20 ... 100 ms and two failures
 * of 5000 ms, read exactly (nearest rank). */
static void load_ok_log(struct ltk_run *run)
{
    const char *dir = temp_dir();
    char text[2048] = "timestamp,request_type,name,response_time,response_length,success,exception\n";
    for (int i = 1; i <= 10; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%d,GET,/a,%d,1,1,\n", 1700000000 + i, 10 * i);
    strcat(text, "1700000011,GET,/a,5000,0,0,ReadTimeout\n1700000012,GET,/a,5000,0,0,ReadTimeout\n");
    const char *path = write_file(dir, "ok_requests.csv", text);
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.method = LTK_HIST_EXACT;
    struct ltk_error err;
    ltk_run_init(run);
    ck_assert_msg(ltk_run_load_with(run, path, &opt, &err) == LTK_OK, "%s", err.msg);
}

/* The section's lines from its title to its footnote. */
static char *ok_section(const struct ltk_run *run, const struct ltk_view_opts *o)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ck_assert_int_eq(ltk_stats_write_table(out, run, o), LTK_OK);
    fclose(out);
    char *start = strstr(buf, "Successful requests only\n");
    ck_assert_ptr_nonnull(start);
    char *end = strstr(start, "the same percentiles");
    ck_assert_ptr_nonnull(end);
    char *s = strndup(start, (size_t)(end - start));
    free(buf);
    return s;
}

/* The successful-only table has the main table's percentile columns:
 * --percentiles' when given (its --json follows them too), else p50, p95,
 * p99; the failures' 5000 ms are in neither. */
START_TEST(test_ok_section_percentile_columns)
{
    struct ltk_run run;
    load_ok_log(&run);
    static const double q[] = { 0.90, 0.50, 0.999 };
    static const char *const label[] = { "90", "50", "99.9" };
    struct ltk_view_opts o = { .ok = true, .pct = q, .pct_label = label, .npct = 3 };
    char *s = ok_section(&run, &o);
    ck_assert_str_eq(s, "Successful requests only\n"
                        "Type  Name        OK  p90  p50  p99.9  Mean  Max\n"
                        "GET   /a          10   90   50    100    55  100\n"
                        "      Aggregated  10   90   50    100    55  100\n");
    free(s);
    struct ltk_view_opts d = { .ok = true };
    s = ok_section(&run, &d);
    ck_assert_str_eq(s, "Successful requests only\n"
                        "Type  Name        OK  p50  p95  p99  Mean  Max\n"
                        "GET   /a          10   50  100  100    55  100\n"
                        "      Aggregated  10   50  100  100    55  100\n");
    free(s);
    /* one column, as the main table */
    static const double q1[] = { 0.75 };
    static const char *const l1[] = { "75" };
    struct ltk_view_opts one = { .ok = true, .pct = q1, .pct_label = l1, .npct = 1 };
    s = ok_section(&run, &one);
    ck_assert_ptr_nonnull(strstr(s, "OK  p75  Mean  Max\n"));
    ck_assert_ptr_nonnull(strstr(s, "10   80    55  100\n"));
    ck_assert_ptr_null(strstr(s, "p50"));
    free(s);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_brief_is_the_module_output)
{
    struct ltk_run run;
    load(&run, module_csv);
    char *out = render(ltk_stats_write_brief, &run);
    ck_assert_str_eq(out, module_brief);
    free(out);
    ltk_run_release(&run);
}
END_TEST

#define HEADER                                                                                       \
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"              \
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,95%,99%,99.9%\r\n"

START_TEST(test_brief_pads_by_characters_and_shows_na)
{
    struct ltk_run run;
    load(&run, HEADER "GET,/café-ü,0,0,0,0.0,0,0,0,0.0,0.0,N/A,N/A,N/A,N/A\r\n"
                      "GET,/a-very-long-endpoint-name,4,1,5,5,5,5,5,0.25,0.0,5,5,5,5\r\n");
    char *out = render(ltk_stats_write_brief, &run);
    ck_assert_str_eq(out, "/café-ü         | p50:  N/Ams | p95:  N/Ams | p99:  N/Ams | RPS:  0.0 | Errors: N/A\n"
                          "/a-very-long-endpoint-name | p50:    5ms | p95:    5ms | p99:    5ms | RPS:  0.2 | Errors: 25.0%\n");
    free(out);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_json_document)
{
    struct ltk_run run;
    load(&run, HEADER "GET,/health,12,0,2,2.1799999999999997,1.2706,6.861877441406,33.8,0.2,0.0,2,7,7,7\r\n"
                      "GET,/none,0,0,0,0.0,0,0,0,0.0,0.0,N/A,N/A,N/A,N/A\r\n"
                      ",Aggregated,12,0,2,2.1799999999999997,1.2706,6.861877441406,33.8,0.2,0.0,2,7,7,7\r\n");
    cJSON *doc = ltk_stats_to_json(&run);
    ck_assert_ptr_nonnull(doc);
    char *text = cJSON_PrintUnformatted(doc);
    ck_assert_ptr_nonnull(strstr(text, "\"schema\":\"ltk.stats/1\",\"method\":\"reported\""));
    ck_assert_ptr_nonnull(strstr(text, "{\"type\":\"GET\",\"name\":\"/health\",\"requests\":12,\"failures\":0,"
                                       "\"rps\":0.2,\"failures_per_s\":0,\"mean\":2.1799999999999997,"
                                       "\"min\":1.2706,\"max\":6.861877441406,\"median\":2,"
                                       "\"avg_content_size\":33.8,"
                                       "\"percentiles\":{\"50\":2,\"95\":7,\"99\":7,\"99.9\":7}}"));
    ck_assert_ptr_nonnull(strstr(text, "\"percentiles\":{\"50\":null,\"95\":null,\"99\":null,\"99.9\":null}"));
    ck_assert_ptr_nonnull(strstr(text, "\"total\":{\"type\":null,\"name\":\"Aggregated\""));
    ck_assert_ptr_nonnull(strstr(text, "\"history\":null"));
    /* the document parses back, and numbers are exact */
    cJSON *back = cJSON_Parse(text);
    ck_assert_ptr_nonnull(back);
    cJSON *eps = cJSON_GetObjectItem(back, "endpoints");
    ck_assert_int_eq(cJSON_GetArraySize(eps), 2);
    ck_assert(cJSON_GetObjectItem(cJSON_GetArrayItem(eps, 0), "mean")->valuedouble == 2.1799999999999997);
    cJSON_Delete(back);
    cJSON_free(text);
    cJSON_Delete(doc);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_json_escapes_hostile_names)
{
    struct ltk_run run;
    load(&run, HEADER "GET,\"<script>\"\"x\"\"\n$(rm)`id`\",1,0,1,1,1,1,1,1,0,1,1,1,1\r\n");
    cJSON *doc = ltk_stats_to_json(&run);
    char *text = cJSON_PrintUnformatted(doc);
    ck_assert_ptr_nonnull(strstr(text, "\"name\":\"<script>\\\"x\\\"\\n$(rm)`id`\""));
    cJSON_free(text);
    cJSON_Delete(doc);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_table_escapes_control_characters)
{
    struct ltk_run run;
    load(&run, HEADER "GET,\"/evil\x1b[2J\nnext\",3,1,1,1,1,1,1,1,0,1,1,1,1\r\n"
                      ",Aggregated,3,1,1,1,1,1,1,1,0,1,1,1,1\r\n");
    FILE *fp = MEM("Method,Name,Error,Occurrences\r\nGET,\"/evil\x1b[2J\nnext\",\"bad\rthing\",1\r\n");
    ck_assert_int_eq(ltk_locust_read_failures(&run, fp, "v_failures.csv", NULL), LTK_OK);
    fclose(fp);
    char *out = render(table_plain, &run);
    ck_assert_ptr_null(strchr(out, '\x1b'));
    ck_assert_ptr_null(strchr(out, '\r'));
    ck_assert_ptr_nonnull(strstr(out, "/evil\\x1b[2J\\nnext"));
    ck_assert_ptr_nonnull(strstr(out, "failures: 1 of 3 requests (33.33%); 1 distinct, most frequent (1): "
                                      "GET /evil\\x1b[2J\\nnext: bad\\rthing\n"));
    ck_assert_ptr_nonnull(strstr(out, "   Count  Failure\n       1  GET /evil"));
    free(out);
    out = render(table_color, &run);
    ck_assert_ptr_nonnull(strstr(out, "\x1b[1m"));  /* colour on request only */
    free(out);
    ltk_run_release(&run);
}
END_TEST

START_TEST(test_table_columns)
{
    struct ltk_run run;
    load(&run, module_csv);
    char *out = render(table_plain, &run);
    ck_assert_ptr_nonnull(strstr(out, "Type  Name        Requests    Failures  p50   p95   p99  Mean   Max    RPS\n"
                                      "POST  /query          1523  12 (0.79%)  780  1850  2340   856  3421  12.30\n"));
    ck_assert_ptr_nonnull(strstr(out, "times in ms;"));
    free(out);
    ltk_run_release(&run);
}
END_TEST

/* One very long name must not widen every other row: the table of a 100 kB
 * name and 200 short ones stays near the input's size (it was 200 x 100 kB). */
START_TEST(test_table_long_name_does_not_pad_every_row)
{
    struct ltk_buf csv;
    ltk_buf_init(&csv);
    ltk_buf_puts(&csv, "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
                       "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
                       "50%,95%,99%\r\nGET,/");
    ltk_buf_pad(&csv, 'x', 100000);
    ltk_buf_puts(&csv, ",1,0,2,2,2,2,10,1.0,0.0,2,2,2\r\n");
    for (int i = 0; i < 200; i++)
        ltk_buf_printf(&csv, "GET,/i%d,1,0,2,2,2,2,10,1.0,0.0,2,2,2\r\n", i);
    ltk_buf_puts(&csv, "VERYLONGMETHODNAME,/m,1,0,2,2,2,2,10,1.0,0.0,2,2,2\r\n");
    ltk_buf_puts(&csv, ",Aggregated,202,0,2,2,2,2,10,1.0,0.0,2,2,2\r\n");
    ck_assert(!csv.failed);
    struct ltk_run run;
    load(&run, csv.data);
    char *out = render(table_plain, &run);
    ck_assert_uint_lt(strlen(out), 100000 + 203 * 140);
    /* short rows are padded to the capped width of 60 and stay aligned */
    ck_assert_ptr_nonnull(strstr(out, "\nGET           /i0                                                                  1"));
    free(out);
    ltk_run_release(&run);
    ltk_buf_release(&csv);
}
END_TEST

START_TEST(test_json_number)
{
    cJSON *n = ltk_json_number(NAN);
    ck_assert(cJSON_IsNull(n));
    cJSON_Delete(n);
    n = ltk_json_number(INFINITY);
    ck_assert(cJSON_IsNull(n));
    cJSON_Delete(n);
    n = ltk_json_number(0.1);
    ck_assert_str_eq(n->valuestring, "0.1");
    cJSON_Delete(n);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("stats_view");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_brief_is_the_module_output);
    tcase_add_test(tc, test_table_percentile_columns);
    tcase_add_test(tc, test_ok_section_percentile_columns);
    tcase_add_test(tc, test_brief_pads_by_characters_and_shows_na);
    tcase_add_test(tc, test_json_document);
    tcase_add_test(tc, test_json_escapes_hostile_names);
    tcase_add_test(tc, test_table_escapes_control_characters);
    tcase_add_test(tc, test_table_columns);
    tcase_add_test(tc, test_table_long_name_does_not_pad_every_row);
    tcase_add_test(tc, test_json_number);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

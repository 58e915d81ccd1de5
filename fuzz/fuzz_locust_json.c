// seeds: samples/runs/jsonfile/jsonfile.json tests/data/bad/locust_*.json
// options: -max_len=4096
/* Locust's --json statistics (lib/read/locust_json.c).  The input is parsed into
 * a summary (a small --max-names and a percentile list for some lengths);
 * one that parses must write an ltk.summary/1 that reads back and writes
 * the same bytes, and must load into a run (the file path, through
 * ltk_run_load's sniffing) whose table, history and JSON view succeed. */
#define _GNU_SOURCE
#include "fuzz.h"

#include "ltk/base/json.h"
#include "ltk/read/summary_json.h"
#include "ltk/read/locust_json.h"
#include "ltk/render/stats_view.h"
#include "ltk/model/summary.h"

static char *summary_text(const struct ltk_summary *s, size_t *len)
{
    char *out = NULL;
    FILE *fp = open_memstream(&out, len);
    if (!fp)
        abort();
    if (ltk_summary_write(fp, s) || fclose(fp))
        abort();
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    opt.method = LTK_HIST_LOCUST;
    unsigned v = (unsigned)(size * 2654435761u) >> 24;
    if (v & 1)
        opt.max_names = 2;
    if (v & 2)
        opt.percentiles = "0,50,99.9,100";

    struct ltk_summary s;
    ltk_summary_init(&s);
    struct ltk_locust_series ts;
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = ltk_locust_json_parse(&s, &ts, (const char *)data, size, "fuzz.json", &opt, &err);
    fuzz_check_error(rc, &err);
    if (rc == LTK_OK) {
        for (size_t i = 1; i < ts.n; i++)
            if (ts.ticks[i - 1].t > ts.ticks[i].t || ts.ticks[i].endpoint >= s.nendpoints)
                abort();
        size_t len, len2;
        char *text = summary_text(&s, &len);
        struct ltk_summary back;
        ltk_summary_init(&back);
        if (ltk_summary_parse(&back, text, len, "fuzz.ltk.json", &err)) {
            fprintf(stderr, "a summary of Locust JSON does not read back: %s\n", err.msg);
            abort();
        }
        char *text2 = summary_text(&back, &len2);
        if (len2 != len || memcmp(text, text2, len))
            abort();
        free(text);
        free(text2);
        ltk_summary_release(&back);
    }
    ltk_locust_series_release(&ts);
    ltk_summary_release(&s);

    /* the same bytes as a file, loaded as ltk stats loads it */
    const char *path = fuzz_file(data, size);
    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_error err2;
    ltk_error_clear(&err2);
    int rc2 = ltk_locust_json_load(&run, path, &opt, &err2);
    fuzz_check_error(rc2, &err2);
    if ((rc == LTK_OK) != (rc2 == LTK_OK) && rc != LTK_ENOMEM && rc2 != LTK_ENOMEM && size) {
        fprintf(stderr, "parse: %d %s\nload: %d %s\n", rc, err.msg, rc2, err2.msg);
        abort();
    }
    if (rc2 == LTK_OK) {
        cJSON *doc = ltk_stats_to_json(&run);
        if (!doc || ltk_json_write(fuzz_sink(), doc, false))
            abort();
        cJSON_Delete(doc);
    }
    ltk_run_release(&run);
    return 0;
}

// seeds: samples/runs/smoke/smoke_requests.csv tests/data/raw/* tests/data/bad/raw_*
// options: -max_len=2048
/* Raw request logs (lib/read/rawlog.c) of every format the header can name:
 * Locust's request hook, CsvRequestLogger, JMeter JTL, k6 CSV, and gzip of
 * any of them; the input is a file (a memfd) because the reader takes a
 * path.  The options come from the input's length, so one corpus covers the
 * percentile methods, a small --max-names (the "(other)" row), --skip-bad,
 * --fold, --columns and one or (for a quarter of the lengths) two threads.  A log that loads must also
 * summarise, and for half of the lengths its summary (ltk.summary/1) must
 * read back and write the same bytes again (the round trip was 60 % of the
 * cost per input; fuzz_summary parses summaries on every input); the run is
 * shown as JSON.  Inputs stop at 2 KiB: a header and a few dozen rows reach
 * every branch of the reader, a gzip input can still unpack to megabytes,
 * and the large-input cases are in the bad-input corpus; at 16 KiB the
 * harness ran 338 inputs a second, at 2 KiB 1071. */
#define _GNU_SOURCE
#include "fuzz.h"

#include "ltk/base/json.h"
#include "ltk/read/summary_json.h"
#include "ltk/read/rawlog.h"
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
    const char *path = fuzz_file(data, size);
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    unsigned v = (unsigned)(size * 2654435761u) >> 24;
    uint32_t h2 = (uint32_t)(size * 2246822519u);
    opt.method = (enum ltk_hist_method)(v % 3);
    opt.interval_s = (v & 4) ? 1 : 10;
    opt.fold = v & 8;
    opt.max_names = (v & 16) ? 2 : LTK_RAWLOG_MAX_NAMES_DEFAULT;
    opt.skip_bad = v & 32;
    opt.threads = (v & 64) && (h2 & (1u << 30)) ? 2 : 1; /* a thread costs ~4 ms under ASan */
    if ((v & 0x83) == 0x83)
        opt.columns = "name=label,time=elapsed,ok=success,ts=timeStamp,error=failureMessage,bytes=bytes";
    if ((v & 0x81) == 0x81)
        opt.percentiles = "50,99.9,100";

    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = ltk_rawlog_load(&run, path, &opt, &err);
    fuzz_check_error(rc, &err);
    if (rc == LTK_OK) {
        cJSON *doc = ltk_stats_to_json(&run);
        if (!doc || ltk_json_write(fuzz_sink(), doc, false))
            abort();
        cJSON_Delete(doc);
    }
    ltk_run_release(&run);

    /* The same log as a summary: it reads the log the same way. */
    struct ltk_summary s;
    ltk_summary_init(&s);
    struct ltk_error err2;
    ltk_error_clear(&err2);
    int rc2 = ltk_rawlog_summarize(&s, path, &opt, &err2);
    fuzz_check_error(rc2, &err2);
    if ((rc == LTK_OK) != (rc2 == LTK_OK) && rc != LTK_ENOMEM && rc2 != LTK_ENOMEM) {
        fprintf(stderr, "load: %d %s\nsummarize: %d %s\n", rc, err.msg, rc2, err2.msg);
        abort();
    }
    bool round_trip = h2 >> 31;
    if (rc2 == LTK_OK && round_trip) {
        size_t len;
        char *text = summary_text(&s, &len);
        struct ltk_summary back;
        ltk_summary_init(&back);
        ltk_error_clear(&err2);
        if (ltk_summary_parse(&back, text, len, "fuzz.ltk.json", &err2)) {
            fprintf(stderr, "a summary ltk wrote does not read back: %s\n", err2.msg);
            abort();
        }
        size_t len2;
        char *text2 = summary_text(&back, &len2);
        if (len2 != len || memcmp(text, text2, len))
            abort();
        free(text2);
        free(text);
        ltk_summary_release(&back);
    }
    ltk_summary_release(&s);
    return 0;
}

// seeds: samples/runs/smoke/smoke_requests.csv tests/data/raw/* tests/data/bad/raw_*
// options: -max_len=2048
/* Raw request logs as summaries: the round trip raw log -> summary
 * (ltk_rawlog_summarize) -> ltk.summary/1 JSON -> parsed back -> written
 * again, which must give the same bytes, on every input.  The same log is
 * also loaded as a run (ltk_rawlog_load, by two threads for a quarter of the
 * lengths: the split read, and the one-thread read it falls back to); load
 * and summary read the log the same way, so they must accept and refuse the
 * same inputs.  The options come from the input's length as in fuzz_rawlog
 * (the two corpora can be swapped), which reads each input once and checks
 * the run; this harness costs two or three reads and the round trip per
 * input.  Inputs stop at 2 KiB, as there. */
#define _GNU_SOURCE
#include "fuzz.h"

#include "ltk/read/rawlog.h"
#include "ltk/read/summary_json.h"
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
    if ((v & 0x83) == 0x83)
        opt.columns = "name=label,time=elapsed,ok=success,ts=timeStamp,error=failureMessage,bytes=bytes";
    if ((v & 0x81) == 0x81)
        opt.percentiles = "50,99.9,100";

    /* the summary (always one thread), and its round trip */
    opt.threads = 1;
    struct ltk_summary s;
    ltk_summary_init(&s);
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = ltk_rawlog_summarize(&s, path, &opt, &err);
    fuzz_check_error(rc, &err);
    if (rc == LTK_OK) {
        size_t len;
        char *text = summary_text(&s, &len);
        struct ltk_summary back;
        ltk_summary_init(&back);
        struct ltk_error e2;
        ltk_error_clear(&e2);
        if (ltk_summary_parse(&back, text, len, "fuzz.ltk.json", &e2)) {
            fprintf(stderr, "a summary ltk wrote does not read back: %s\n", e2.msg);
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

    /* the same log as a run: accepted exactly when the summary was */
    opt.threads = (v & 64) && (h2 & (1u << 30)) ? 2 : 1; /* a thread costs ~4 ms under ASan */
    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_error err2;
    ltk_error_clear(&err2);
    int rc2 = ltk_rawlog_load(&run, path, &opt, &err2);
    fuzz_check_error(rc2, &err2);
    if ((rc == LTK_OK) != (rc2 == LTK_OK) && rc != LTK_ENOMEM && rc2 != LTK_ENOMEM) {
        fprintf(stderr, "summarize: %d %s\nload: %d %s\n", rc, err.msg, rc2, err2.msg);
        abort();
    }
    ltk_run_release(&run);
    return 0;
}

// seeds: samples/runs/smoke/smoke_requests.csv samples/runs/status/status_requests.csv tests/data/raw/* tests/data/bad/raw_*
// options: -max_len=2048
/* Raw request logs (lib/read/rawlog_*.c) of every format the header can name:
 * Locust's request hook, CsvRequestLogger, JMeter JTL, k6 CSV, and gzip of
 * any of them; the input is a file (a memfd) because the reader takes a
 * path.  The options come from the input's length, so one corpus covers the
 * percentile methods, a small --max-names (the "(other)" row), --skip-bad,
 * --fold, --columns and --percentiles.  Each input is read once, by one
 * thread (ltk_rawlog_load); a run it accepts must have rows, a format and
 * its one thread, and show as JSON.  What costs more per input is in
 * fuzz_rawlog_roundtrip: the summary of the same log (it must accept what
 * the loader accepts), its write, read back and write again (same bytes),
 * and two threads.  Inputs stop at 2 KiB: a header and a few dozen rows
 * reach every branch of the reader, a gzip input can still unpack to
 * megabytes, and the large-input cases are in the bad-input corpus. */
#define _GNU_SOURCE
#include "fuzz.h"

#include "ltk/base/json.h"
#include "ltk/read/rawlog.h"
#include "ltk/render/stats_view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    struct ltk_rawlog_options opt = LTK_RAWLOG_OPTIONS_DEFAULT;
    unsigned v = (unsigned)(size * 2654435761u) >> 24;
    opt.method = (enum ltk_hist_method)(v % 3);
    opt.interval_s = (v & 4) ? 1 : 10;
    opt.fold = v & 8;
    opt.max_names = (v & 16) ? 2 : LTK_RAWLOG_MAX_NAMES_DEFAULT;
    opt.skip_bad = v & 32;
    opt.threads = 1; /* one read: two threads may read again (fuzz_rawlog_roundtrip) */
    if ((v & 0x83) == 0x83)
        opt.columns = "name=label,time=elapsed,ok=success,ts=timeStamp,error=failureMessage,bytes=bytes";
    if ((v & 0x81) == 0x81)
        opt.percentiles = "50,99.9,100";
    /* exact counts at the times of Apdex (T, 4T) and the ranges: sometimes */
    static const double cuts[] = { 100, 400, 800, 1200 };
    if (v & 64) {
        opt.cuts = cuts;
        opt.ncuts = 4;
    }

    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = ltk_rawlog_load(&run, path, &opt, &err);
    fuzz_check_error(rc, &err);
    if (rc == LTK_OK) {
        /* a log without a request is an error; the format is one it names */
        if (run.raw_rows == 0 || run.raw_threads != 1 || !run.raw_format || !strcmp(run.raw_format, "none"))
            abort();
        /* with the sections: codes, successes, Apdex (counted or from the histogram), ranges */
        struct ltk_view_opts vo = { .status = true, .ok = true, .apdex_t_ms = (v & 1) ? 100 : 250,
                                    .ranges = cuts + 2, .nranges = 2 };
        cJSON *doc = ltk_stats_to_json_with(&run, &vo);
        if (!doc || ltk_json_write(fuzz_sink(), doc, false) || ltk_stats_write_table(fuzz_sink(), &run, &vo))
            abort();
        cJSON_Delete(doc);
    }
    ltk_run_release(&run);
    return 0;
}

// seeds: samples/runs/*/*_stats_history.csv
// options: -max_len=8192
/* Locust's stats_history.csv reader (ltk_locust_read_history), then the
 * Aggregated time series and its plateaus.  The analyses built on them are
 * fuzzed by fuzz_history_analysis. */
#include "fuzz.h"

#include "ltk/read/locust.h"
#include "ltk/model/series.h"

static void consume(const struct ltk_run *run)
{
    struct ltk_error err;
    struct ltk_series s;
    ltk_error_clear(&err);
    int rc = ltk_series_from_run(run, NULL, NULL, &s, &err);
    fuzz_check_error(rc, &err);
    if (rc == LTK_OK) {
        struct ltk_plateau *pl = NULL;
        size_t npl = 0;
        if (ltk_series_plateaus(&s, 10, 5, &pl, &npl))
            abort();
        free(pl);
        ltk_series_release(&s);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *fp = fuzz_stream(data, size);
    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = ltk_locust_read_history(&run, fp, "fuzz_stats_history.csv", &err);
    fuzz_check_error(rc, &err);
    fclose(fp);
    if (rc == LTK_OK)
        consume(&run);
    ltk_run_release(&run);
    return 0;
}

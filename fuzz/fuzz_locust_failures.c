// seeds: samples/runs/*/*_failures.csv tests/data/bad/*_failures.csv tests/data/hostile/*_failures.csv
/* Locust's failures.csv reader (ltk_locust_read_failures), then the stats
 * table's failure listing and JSON, which print the untrusted error texts. */
#include "fuzz.h"

#include "ltk/read/locust.h"
#include "ltk/render/stats_view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *fp = fuzz_stream(data, size);
    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = ltk_locust_read_failures(&run, fp, "fuzz_failures.csv", &err);
    fuzz_check_error(rc, &err);
    fclose(fp);
    if (rc == LTK_OK) {
        struct ltk_view_opts vo = { .color = size & 1, .list_failures = true };
#define TABLE(fp) ltk_stats_write_table((fp), &run, &vo)
        FUZZ_BOUNDED_WRITE(size, TABLE);
        cJSON *doc = ltk_stats_to_json(&run);
        if (!doc || ltk_json_write(fuzz_sink(), doc, true))
            abort();
        cJSON_Delete(doc);
    }
    ltk_run_release(&run);
    return 0;
}

// seeds: samples/runs/*/*_stats.csv samples/module/*.csv tests/data/bad/*_stats.csv tests/data/hostile/*_stats.csv
/* Locust's stats.csv reader (ltk_locust_read_stats), then everything that
 * shows a stats table: the terminal table, the module's brief lines, JSON.
 * The table must stay proportional to the input: one long name once padded
 * every row to its width (a 1 MB file made a 1 GB table). */
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
    int rc = ltk_locust_read_stats(&run, fp, "fuzz_stats.csv", &err);
    fuzz_check_error(rc, &err);
    fclose(fp);
    if (rc == LTK_OK) {
        struct ltk_view_opts vo = { .color = size & 1, .list_failures = true };
#define TABLE(fp) ltk_stats_write_table((fp), &run, &vo)
#define BRIEF(fp) ltk_stats_write_brief((fp), &run)
        FUZZ_BOUNDED_WRITE(size, TABLE);
        FUZZ_BOUNDED_WRITE(size, BRIEF);
        cJSON *doc = ltk_stats_to_json(&run);
        if (!doc || ltk_json_write(fuzz_sink(), doc, false))
            abort();
        cJSON_Delete(doc);
    }
    ltk_run_release(&run);
    return 0;
}

// seeds: tests/data/capacity/*.csv
/* ltk capacity --table's reader (ltk_capacity_read_table_fp), then the
 * whole analysis of the levels: breaking point, knee, USL fit, report. */
#include "fuzz.h"

#include <gsl/gsl_errno.h>

#include "ltk/analyze/capacity.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    gsl_set_error_handler_off();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *fp = fuzz_stream(data, size);
    struct ltk_capacity_result r;
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = ltk_capacity_read_table_fp(fp, "fuzz.csv", &r, &err);
    fuzz_check_error(rc, &err);
    fclose(fp);
    if (rc == LTK_OK) {
        struct ltk_capacity_options opt;
        ltk_capacity_options_init(&opt);
        opt.think_time = (double)(size % 4);
        ltk_capacity_analyse(&r, &opt);
        cJSON *doc = ltk_capacity_to_json(&r, "fuzz");
        if (!doc)
            abort();
        cJSON_Delete(doc);
        if (ltk_capacity_write_table(fuzz_sink(), &r, "fuzz", false))
            abort();
    }
    ltk_capacity_release(&r);
    return 0;
}

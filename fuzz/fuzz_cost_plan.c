// seeds: tests/golden/cost_plan_*.json
/* ltk cost --plan's JSON reader (ltk_cost_parse_plan), then the checks and
 * the arithmetic on whatever it accepted, the table and the JSON. */
#include "fuzz.h"

#include "ltk/analyze/cost.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ltk_cost_input in;
    ltk_cost_input_init(&in);
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = ltk_cost_parse_plan(&in, (const char *)data, size, "fuzz.json", &err);
    fuzz_check_error(rc, &err);
    if (rc == LTK_OK) {
        ltk_error_clear(&err);
        rc = ltk_cost_validate(&in, &err);
        fuzz_check_error(rc, &err);
    }
    if (rc == LTK_OK) {
        struct ltk_cost_result r;
        ltk_cost_compute(&in, &r);
        if (ltk_cost_write_table(fuzz_sink(), &r, false))
            abort();
        cJSON *doc = ltk_cost_to_json(&r);
        if (!doc)
            abort();
        cJSON_Delete(doc);
    }
    return 0;
}

// seeds: tests/golden/decide_answers_*.json
/* ltk decide --answers's JSON reader (ltk_decide_parse_answers), then the
 * score, the text report and the JSON. */
#include "fuzz.h"

#include "ltk/analyze/decide.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ltk_decide_inputs in;
    memset(&in, 0, sizeof in);
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = ltk_decide_parse_answers((const char *)data, size, "fuzz.json", &in, &err);
    fuzz_check_error(rc, &err);
    if (rc == LTK_OK) {
        struct ltk_decision d;
        ltk_error_clear(&err);
        rc = ltk_decide_score(&in, &d, &err);
        fuzz_check_error(rc, &err);
        if (rc == LTK_OK) {
            if (ltk_decide_write_text(fuzz_sink(), &d))
                abort();
            cJSON *doc = ltk_decide_to_json(&d);
            if (!doc)
                abort();
            cJSON_Delete(doc);
        }
    }
    return 0;
}

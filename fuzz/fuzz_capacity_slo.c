// seeds: fuzz/seeds/capacity_slo/*
/* ltk capacity --slo's parser (ltk_capacity_slo_add, over the criteria
 * language): twice on the same text, so that adding to conditions already
 * held is fuzzed too, and a failed call must leave them as they were. */
#include "fuzz.h"

#include "ltk/analyze/capacity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_string(data, size);
    struct ltk_capacity_slo slo = { 0 };
    for (int round = 0; round < 2; round++) {
        struct ltk_error err;
        ltk_error_clear(&err);
        size_t had = slo.n;
        char before[sizeof slo.text];
        memcpy(before, slo.text, sizeof before);
        int rc = ltk_capacity_slo_add(&slo, text, &err);
        fuzz_check_error(rc, &err);
        if (memchr(slo.text, '\0', sizeof slo.text) == NULL || slo.n > LTK_CAPACITY_SLO_MAX)
            abort();
        if (rc != LTK_OK && (slo.n != had || strcmp(before, slo.text) != 0))
            abort();
        if (rc == LTK_OK && (slo.n <= had || slo.text[0] == '\0'))
            abort();
        for (size_t i = 0; i < slo.n; i++)
            if (slo.cond[i].endpoint || slo.cond[i].window_s || slo.cond[i].has_phase)
                abort();
    }
    ltk_capacity_slo_release(&slo);
    free(text);
    return 0;
}

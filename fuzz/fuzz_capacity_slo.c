// seeds: fuzz/seeds/capacity_slo/*
/* ltk capacity --slo's parser (ltk_capacity_slo_parse). */
#include "fuzz.h"

#include "ltk/analyze/capacity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_string(data, size);
    struct ltk_capacity_slo slo;
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = ltk_capacity_slo_parse(text, &slo, &err);
    fuzz_check_error(rc, &err);
    if (rc == LTK_OK && (slo.n < 1 || slo.n > 4 || memchr(slo.text, '\0', sizeof slo.text) == NULL))
        abort();
    free(text);
    return 0;
}

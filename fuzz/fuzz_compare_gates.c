// seeds: fuzz/seeds/gates/*
/* The gate grammar of ltk compare --gates (ltk_gates_parse): what it accepts
 * has a metric, a finite limit >= 0 (0: no worsening at all) and normalised text; what it refuses
 * has a message and a column the caret can point at. */
#include "fuzz.h"

#include <math.h>

#include "ltk/analyze/compare.h"
#include "ltk/analyze/criteria.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_string(data, size);
    struct ltk_gate *g = NULL;
    size_t n = 0;
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = ltk_gates_parse(text, &g, &n, &err);
    fuzz_check_error(rc, &err);
    if (rc == LTK_OK) {
        for (size_t i = 0; i < n; i++) {
            const struct ltk_cmp_metric *m = &g[i].metric;
            /* a known metric, never "requests"; a percentile in (0, 1]; ok. only on
             * a latency metric, named so; one gate each */
            const char *bare = m->ok ? m->name + 3 : m->name;
            if (m->kind > LTK_CMK_MEAN || m->kind == LTK_CMK_REQUESTS || !m->name[0] ||
                !memchr(m->name, '\0', sizeof m->name) ||
                (m->ok && (strncmp(m->name, "ok.", 3) != 0 || !ltk_cmp_metric_is_latency(m))) ||
                (!m->ok && strncmp(m->name, "ok.", 3) == 0) ||
                (m->kind == LTK_CMK_PCT ? !(m->q > 0 && m->q <= 1) || bare[0] != 'p' : m->q != 0) ||
                !(g[i].limit >= 0) || !isfinite(g[i].limit) || !memchr(g[i].text, '\0', sizeof g[i].text) ||
                !g[i].text[0])
                abort();
            for (size_t j = 0; j < i; j++)
                if (ltk_cmp_metric_same(&g[j].metric, m))
                    abort();
            /* the normalised text parses to the same gate */
            struct ltk_gate *g2 = NULL;
            size_t n2 = 0;
            if (ltk_gates_parse(g[i].text, &g2, &n2, &err) || n2 != 1 || !ltk_cmp_metric_same(&g2[0].metric, m) ||
                strcmp(g2[0].metric.name, m->name) ||
                g2[0].unit != g[i].unit || strcmp(g2[0].text, g[i].text))
                abort();
            free(g2);
        }
    } else if (rc == LTK_EINVAL) {
        if (err.column < 1 || (size_t)err.column > strlen(text) + 1)
            abort();
        char caret[4096];
        ltk_criteria_caret(text, err.column, caret, sizeof caret);
    }
    free(g);
    free(text);
    return 0;
}

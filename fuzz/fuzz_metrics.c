// seeds: samples/runs/*/*_metrics.csv tests/data/metrics/*.csv
// options: -max_len=8192
/* The resource metrics CSV reader (ltk_metrics_read, through a memfd), then
 * the means and summaries the tools take of it: what it accepts must be in
 * time order and finite (a rate from a counter may be NAN: no sample before,
 * or no time passed), and a mean is NAN or finite. */
#define _GNU_SOURCE
#include "fuzz.h"

#include <math.h>
#include <stdbool.h>

#include "ltk/read/metrics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    struct ltk_metrics m;
    ltk_metrics_init(&m);
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = ltk_metrics_read(path, &m, &err);
    fuzz_check_error(rc, &err);
    if (rc == LTK_OK) {
        for (size_t i = 0; i < m.n; i++) {
            if (!isfinite(m.ts[i]) || (i && m.ts[i] < m.ts[i - 1]))
                abort();
            for (int r = 0; r < LTK_RES_COUNT; r++)
                if (m.v[r] && (isinf(m.v[r][i]) || (isnan(m.v[r][i]) && r != LTK_RES_NET_RX && r != LTK_RES_NET_TX)))
                    abort();
        }
        double from = -INFINITY, to = m.n ? m.ts[m.n - 1] : 1;
        for (int r = 0; r < LTK_RES_COUNT; r++) {
            double a = ltk_metrics_mean(&m, (enum ltk_resource)r, from, to);
            double b = ltk_metrics_mean(&m, (enum ltk_resource)r, from, m.n ? m.ts[m.n / 2] : 0);
            bool rate = r == LTK_RES_NET_RX || r == LTK_RES_NET_TX;
            if (isinf(a) || isinf(b) || (m.v[r] && m.n && isnan(a) && !rate))
                abort();
            struct ltk_metrics_summary sm;
            ltk_metrics_summarise(&m, (enum ltk_resource)r, from, to, 30, &sm);
            if (sm.n > m.n || (sm.n && (!(sm.max >= sm.mean - 1e-9 * fabs(sm.mean)) || isinf(sm.window_max))))
                abort();
        }
    } else if (m.n || m.ts) {
        abort(); /* "On error m is left empty" */
    }
    ltk_metrics_release(&m);
    return 0;
}

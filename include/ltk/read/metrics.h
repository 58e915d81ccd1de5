/* Resource samples of the system under test: CPU and memory over time.
 *
 * A CSV with a header, one row per sample, as a sampler script, psrecord or
 * pidstat post-processed to CSV writes it.  Columns are found by name (case
 * and surrounding spaces ignored):
 *
 *   time     timestamp | time | ts | epoch        Unix seconds (fractions allowed)
 *            timestamp_ms | time_ms               Unix milliseconds
 *   cpu      cpu_percent | cpu | cpu_pct | %cpu   percent (of one core: may pass 100)
 *   memory   mem_mb | rss_mb | memory_mb          megabytes
 *            rss_kb | mem_kb                      kilobytes
 *            mem_bytes | rss_bytes                bytes
 *   mem %    mem_percent | mem_pct | %mem | memory_percent
 *
 * The time column and at least one of the others are required; other
 * columns are ignored.  Rows must be in time order.  Every value is checked:
 * an empty or non-numeric cell is an error naming file, line and column.
 *
 *     timestamp,cpu_percent,mem_mb,mem_percent
 *     1795801921.875,1.0,20.8,0.09
 */
#ifndef LTK_METRICS_H
#define LTK_METRICS_H

#include <stddef.h>

#include "ltk/base/error.h"

enum ltk_resource {
    LTK_RES_CPU,       /* cpu percent */
    LTK_RES_MEM_MB,    /* memory in MB */
    LTK_RES_MEM_PCT,   /* memory percent of the machine */
    LTK_RES_COUNT
};

/* "cpu", "mem_mb", "mem_pct". */
const char *ltk_resource_name(enum ltk_resource r);
/* "%", "MB", "%". */
const char *ltk_resource_unit(enum ltk_resource r);

struct ltk_metrics {
    char *source;                   /* path read */
    size_t n;                       /* samples */
    double *ts;                     /* Unix seconds, non-decreasing */
    double *v[LTK_RES_COUNT];       /* per resource, n values; NULL when the file lacks it */
};

void ltk_metrics_init(struct ltk_metrics *m);

/* Frees what m owns and makes it empty.  m may be NULL. */
void ltk_metrics_release(struct ltk_metrics *m);

/* Reads a metrics CSV into m (freshly initialised).  Returns LTK_OK,
 * LTK_EIO, LTK_EFORMAT (bad header, cell or order; err says file:line) or
 * LTK_ENOMEM.  On error m is left empty. */
int ltk_metrics_read(const char *path, struct ltk_metrics *m, struct ltk_error *err);

/* Mean of resource r over the samples with from < ts <= to; NAN when there
 * are none or the file lacks r. */
double ltk_metrics_mean(const struct ltk_metrics *m, enum ltk_resource r, double from, double to);

#endif

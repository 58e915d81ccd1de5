/* Resource samples of the system under test: CPU, memory, connections,
 * queue depth and network traffic over time.
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
 *   conns    connections | conns | open_connections | db_connections | sockets
 *                                                 a count (open at the sample)
 *   queue    queue_depth | queue_length | queue   a count (waiting at the sample)
 *   net in   net_rx_bytes | rx_bytes              bytes received, a counter
 *            net_rx_bytes_per_s                   bytes received per second
 *   net out  net_tx_bytes | tx_bytes              bytes sent, a counter
 *            net_tx_bytes_per_s                   bytes sent per second
 *
 * A counter (the total since some start, as /proc/net/dev and docker stats
 * give it) becomes a rate: (c[i] - c[i-1]) / (t[i] - t[i-1]) at sample i; the
 * first sample, and one at the same time as the one before, have no rate
 * (NAN, skipped by everything that reads the samples).  A counter that goes
 * down is an error (a restart: give rates instead).
 *
 * The time column and at least one of the others are required; other
 * columns are ignored.  Rows must be in time order.  Every value is checked:
 * an empty or non-numeric cell is an error naming file, line and column.
 * samples/metrics/collect.sh writes this format.
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
    LTK_RES_CONNECTIONS, /* open connections, a count */
    LTK_RES_QUEUE,     /* queue depth, a count */
    LTK_RES_NET_RX,    /* bytes received per second */
    LTK_RES_NET_TX,    /* bytes sent per second */
    LTK_RES_COUNT
};

/* "cpu", "mem_mb", "mem_pct", "connections", "queue_depth", "net_rx", "net_tx". */
const char *ltk_resource_name(enum ltk_resource r);
/* "%", "MB", "%", "", "", "B/s", "B/s". */
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
 * are none or the file lacks r.  Samples without a value (NAN) are skipped. */
double ltk_metrics_mean(const struct ltk_metrics *m, enum ltk_resource r, double from, double to);

/* A resource is "sustained" at the highest mean over this many seconds
 * (ltk check's cpu<80%, as ltk diagnose's rule). */
#define LTK_METRICS_SUSTAINED_S 30.0

/* Resource r over the samples with from <= ts <= to (NAN values skipped). */
struct ltk_metrics_summary {
    size_t n;            /* samples with a value */
    double first, last;  /* times of the first and last of them; NAN when n == 0 */
    double mean;         /* of every sample */
    double max;          /* the highest sample */
    double window_max;   /* the highest mean over window_s seconds: for each sample, the
                          * mean of the samples within (ts - window_s, ts], counted once
                          * the samples reach at least window_s - 1 s past the first (one
                          * sample a second: window_s samples).  NAN when they span less. */
    double window_s;
};

/* Summarises r (see above); every field NAN or 0 when the file lacks r or
 * no sample falls inside. */
void ltk_metrics_summarise(const struct ltk_metrics *m, enum ltk_resource r, double from, double to,
                           double window_s, struct ltk_metrics_summary *out);

#endif

/* Readers for the files Locust writes with --csv PREFIX (2.x).
 *
 * Columns are found by their header names, never by position, and the
 * percentile columns are whatever "NN%" headers the file has, so custom
 * percentile sets (e.g. "99.5%") and column reordering are read correctly.
 * Each reader fills its part of a struct ltk_run and records `name` as the
 * source; it returns LTK_OK or an error naming the file, line and problem.
 *
 * Locust rewrites stats.csv, failures.csv and exceptions.csv whole, so a
 * cut-off last line (no line end) there means rows are missing: an error.
 * stats_history.csv is appended to, so a run that was killed leaves a cut
 * last line after rows that are all right: it is dropped with a warning. */
#ifndef LTK_LOCUST_H
#define LTK_LOCUST_H

#include <stdio.h>

#include "ltk/model/run.h"

/* PREFIX_stats.csv: one row per (name, type), the Aggregated total last.
 * A file without any row is an error (Locust always writes the total). */
int ltk_locust_read_stats(struct ltk_run *run, FILE *fp, const char *name, struct ltk_error *err);

/* PREFIX_stats_history.csv: a row per endpoint per second (with
 * --csv-full-history) and an Aggregated row per second.  A truncated last
 * line is dropped with a warning; a drop in the cumulative counts is counted
 * as a stats reset. */
int ltk_locust_read_history(struct ltk_run *run, FILE *fp, const char *name, struct ltk_error *err);

/* PREFIX_failures.csv: Method,Name,Error,Occurrences[,First Seen,Last Seen]. */
int ltk_locust_read_failures(struct ltk_run *run, FILE *fp, const char *name, struct ltk_error *err);

/* PREFIX_exceptions.csv: Count,Message,Traceback,Nodes. */
int ltk_locust_read_exceptions(struct ltk_run *run, FILE *fp, const char *name, struct ltk_error *err);

/* Reads a file of the given kind. */
int ltk_locust_read(struct ltk_run *run, int kind, FILE *fp, const char *name, struct ltk_error *err);

/* Tells which kind of Locust file fp holds from its header line, leaving fp
 * rewound.  fp must be seekable (a pipe gives LTK_EINVAL: copy it first).
 * Returns the kind (enum ltk_source_kind) or a negative status
 * (LTK_EFORMAT when the header is none of Locust's). */
int ltk_locust_sniff(FILE *fp, const char *name, struct ltk_error *err);

#endif

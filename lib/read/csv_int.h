/* The CSV reader's plain-line split (csv_reader.c), private to lib/read/:
 * the raw request logs (rawlog_stream.c) read with it. */
#ifndef LTK_CSV_INT_H
#define LTK_CSV_INT_H

#include <stdbool.h>

#include "ltk/read/csv.h"

/* Like ltk_csv_read_from; with split, a line that starts a record after the
 * header and holds nothing but fields and commas (no quote, CR or NUL, as
 * many fields as the header, each within the limits) is split by the
 * reader itself, without libcsv.  The records, messages and line numbers
 * are the same either way: libcsv reads every other line.  The environment
 * variable LTK_CSV_LIBCSV_ONLY (set, not empty, not "0") turns split off.
 * *nsplit (when given) is how many lines were split without libcsv. */
int ltk_csv_read_split(ltk_csv_source_fn source, void *src, const char *name,
                       const struct ltk_csv_options *opt, bool split, ltk_csv_record_fn fn, void *ctx,
                       struct ltk_csv_info *info, long *nsplit, struct ltk_error *err);

/* True when LTK_CSV_LIBCSV_ONLY asks for libcsv alone. */
bool ltk_csv_libcsv_only(void);

#endif

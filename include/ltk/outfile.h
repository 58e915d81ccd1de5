/* Output files that never end up half-written.
 *
 * ltk_outfile_open gives a FILE* on a temporary file beside the target (or on
 * stdout for NULL or "-"); ltk_outfile_commit flushes, checks every write
 * error, syncs and renames it into place; ltk_outfile_abort removes it.  A
 * reader of the target sees the old file or the whole new one, never a part. */
#ifndef LTK_OUTFILE_H
#define LTK_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "ltk/error.h"

struct ltk_outfile {
    FILE *fp;          /* where to write */
    char *path;        /* target, NULL for stdout */
    char *tmp;         /* temporary file, NULL for stdout */
};

/* Opens path for writing through a temporary file.  Returns LTK_OK or LTK_EIO
 * (the directory is missing or not writable) with err naming path. */
int ltk_outfile_open(struct ltk_outfile *o, const char *path, struct ltk_error *err);

/* Finishes the output: on success the target holds everything written.  On
 * failure (a write error, disk full) the temporary file is removed and the
 * target left as it was.  For stdout, flushes and checks for errors.  The
 * outfile is released either way. */
int ltk_outfile_commit(struct ltk_outfile *o, struct ltk_error *err);

/* Discards the output (removes the temporary file).  o may be unopened. */
void ltk_outfile_abort(struct ltk_outfile *o);

#endif

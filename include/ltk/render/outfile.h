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

#include "ltk/base/error.h"

struct ltk_outfile {
    FILE *fp;          /* where to write */
    char *path;        /* target, NULL for stdout */
    char *tmp;         /* temporary file, NULL for stdout */
    int slot;          /* its place in the ltk_tmp list, -1 none */
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

/* Temporary files and directories in use (an outfile's temporary, a chart's
 * work directory) are listed, so that a program stopped by a signal can
 * remove them before it dies.  ltk_tmp_remove_all is async-signal-safe (it
 * only calls unlink, rmdir and the getdents64 system call, on paths copied
 * when they were listed): call it from a handler of SIGINT, SIGTERM and the
 * like, then let the signal take its default action.  The list is meant
 * for the thread that writes output; it holds up to LTK_TMP_SLOTS paths of
 * up to LTK_TMP_PATH_MAX bytes and does not track more (cleanup is a
 * courtesy: the output itself is never left half-written either way). */
#define LTK_TMP_SLOTS 8
#define LTK_TMP_PATH_MAX 1024

/* Lists path (a file, or a directory whose files are removed too); returns
 * its slot, or -1 when it is not tracked. */
int ltk_tmp_track(const char *path, bool is_dir);

/* Takes slot (from ltk_tmp_track, -1 ignored) off the list. */
void ltk_tmp_untrack(int slot);

/* Removes every listed path (async-signal-safe). */
void ltk_tmp_remove_all(void);

#endif

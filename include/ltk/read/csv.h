/* A streaming CSV reader over libcsv that knows line numbers.
 *
 * Reads RFC 4180 / Python csv "excel" dialect files: CRLF or LF rows, quoted
 * fields with doubled quotes and embedded newlines, an optional UTF-8 BOM.
 * Spaces are kept as data (Python's csv never pads).  Each record is handed to
 * a callback together with the physical line it starts on, so every later
 * message can say "file:line: what".
 *
 *     struct ltk_csv_options opt = LTK_CSV_OPTIONS_DEFAULT;
 *     rc = ltk_csv_read(fp, "x_stats.csv", &opt, on_record, ctx, &info, &err);
 */
#ifndef LTK_CSV_H
#define LTK_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ltk/base/error.h"
#include "ltk/base/input.h"  /* ltk_open_input, which every reader uses */

struct ltk_csv_record {
    size_t nfields;      /* number of fields, >= 1 */
    char **fields;       /* NUL-terminated field texts, valid during the callback only */
    size_t *lens;        /* byte length of each field */
    long line;           /* physical line the record starts on (1-based) */
    long index;          /* 0 for the first record (the header, usually) */
    bool cut_off;        /* the input ends inside this record, without a line
                          * break: the last line of an interrupted writer,
                          * perhaps (delivered unless drop_truncated_last) */
};

/* Called once per record.  Return LTK_OK to go on; any other value stops the
 * read and is returned by ltk_csv_read (fill err to explain it). */
typedef int (*ltk_csv_record_fn)(const struct ltk_csv_record *rec, void *ctx,
                                 struct ltk_error *err);

struct ltk_csv_options {
    size_t max_field;          /* longest field accepted, in bytes */
    size_t max_fields;         /* most fields in one record */
    bool drop_truncated_last;  /* a last record without a line end is reported
                                * in info (not delivered) instead of an error */
    size_t max_record;         /* most bytes in one record's fields together;
                                * 0 means LTK_CSV_MAX_RECORD_DEFAULT */
};

/* The limits hold while a field is being read, not only once it is whole,
 * so memory stays near max_record (plus one 64 KiB read buffer) whatever
 * the input: a 1 GB line without a newline is refused after max_field. */
#define LTK_CSV_MAX_FIELD_DEFAULT ((size_t)1 << 20)
#define LTK_CSV_MAX_RECORD_DEFAULT ((size_t)16 << 20)
#define LTK_CSV_OPTIONS_DEFAULT { LTK_CSV_MAX_FIELD_DEFAULT, 4096, false, LTK_CSV_MAX_RECORD_DEFAULT }

struct ltk_csv_info {
    long records;            /* records delivered */
    long lines;              /* physical lines read */
    bool had_bom;            /* a UTF-8 byte order mark was skipped */
    bool truncated_last;     /* the file ended inside a record (dropped) */
    long truncated_line;     /* line that record started on */
    size_t truncated_fields; /* fields it had */
};

/* Reads every record of fp, calling fn for each.  name is used in messages.
 * info may be NULL.  Returns LTK_OK, or the callback's status, or
 * LTK_EFORMAT (malformed quoting, NUL byte, unterminated quoted field),
 * LTK_ELIMIT (field or record too large), LTK_EIO, LTK_ENOMEM. */
int ltk_csv_read(FILE *fp, const char *name, const struct ltk_csv_options *opt,
                 ltk_csv_record_fn fn, void *ctx, struct ltk_csv_info *info,
                 struct ltk_error *err);

/* A byte source for ltk_csv_read_from: puts up to cap bytes in buf and their
 * number in *got (0 at the end).  Returns LTK_OK or a status with err filled
 * (file and line are filled in by the reader when left empty). */
typedef int (*ltk_csv_source_fn)(void *src, char *buf, size_t cap, size_t *got,
                                 struct ltk_error *err);

/* Like ltk_csv_read over any byte source (a gzip stream, say). */
int ltk_csv_read_from(ltk_csv_source_fn source, void *src, const char *name,
                      const struct ltk_csv_options *opt, ltk_csv_record_fn fn, void *ctx,
                      struct ltk_csv_info *info, struct ltk_error *err);

#endif

/* The ltk.summary/2 JSON format (and /1, read) of a summary (ltk/model/summary.h): the
 * writer and the strict reader, one file owning the schema both ways.  See
 * docs/json.md for the document. */
#ifndef LTK_SUMMARY_JSON_H
#define LTK_SUMMARY_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ltk/base/error.h"
#include "ltk/model/summary.h"

/* The JSON document (schema ltk.summary/2) of s.  NULL on out of memory.
 * Free with cJSON_Delete. */
struct cJSON;
struct cJSON *ltk_summary_to_json(const struct ltk_summary *s);

/* Writes s as compact JSON with a final newline, streaming: the same bytes
 * as cJSON_PrintUnformatted of ltk_summary_to_json, without the tree.
 * Returns LTK_OK, LTK_EIO (a write error; the caller's outfile checks the
 * rest when it commits) or LTK_ENOMEM (an interval's total, made from its
 * cells as it is written). */
int ltk_summary_write(FILE *out, const struct ltk_summary *s);

/* True when the file at path starts like a JSON object (after spaces): the
 * one kind of input of ltk that does.  Errors count as false. */
bool ltk_summary_sniff(const char *path);

/* Reads a summary from text (len bytes, NUL-terminated); name is used in
 * messages.  Every field is checked: the schema and version, types, ranges,
 * that counts add up, keys ascending and valid for the method, that min and
 * max lie in the first and last key.  s must be freshly initialised.
 * Returns LTK_OK, LTK_EFORMAT (err says which field and what is wrong),
 * LTK_ELIMIT (past a cap above) or LTK_ENOMEM. */
int ltk_summary_parse(struct ltk_summary *s, const char *text, size_t len, const char *name,
                      struct ltk_error *err);

/* Reads the summary file at path (see ltk_summary_parse).  LTK_EIO when it
 * cannot be read. */
int ltk_summary_load(struct ltk_summary *s, const char *path, struct ltk_error *err);

/* As ltk_summary_load of path then ltk_summary_merge into dst, but path is
 * read piece by piece, each interval merged as it comes: memory for dst
 * and one interval of path's, not for all of both.  An error of the file
 * comes before one of the merge.  Differing settings are found before dst
 * changes; any other error may leave dst partly merged: throw it away. */
int ltk_summary_load_merge(struct ltk_summary *dst, const char *path, struct ltk_error *err);

/* ltk_summary_parse through one cJSON tree of the whole text (about 20 times
 * its size): the reference the piece-by-piece reader is tested against
 * (same summaries, same errors). */
int ltk_summary_parse_whole(struct ltk_summary *s, const char *text, size_t len, const char *name,
                            struct ltk_error *err);

/* Called with each interval of a summary in time order, s read and checked
 * but for its intervals; last is true for the final one.  iv is freed after
 * the call.  Returns LTK_OK or LTK_ENOMEM. */
typedef int (*ltk_summary_interval_fn)(void *ctx, const struct ltk_summary *s, const struct ltk_summary_interval *iv,
                                       bool last);

/* As ltk_summary_load, but the intervals are handed to fn one at a time and
 * not kept (s->intervals stays empty): memory for one interval, not for all
 * of them nor for cJSON's tree of the text (each interval is parsed on its
 * own).  An error found after some intervals were handed over (the
 * intervals do not add up, ...) is still an error: what fn built from them
 * is then to be thrown away.  fn NULL: ltk_summary_load. */
int ltk_summary_load_each(struct ltk_summary *s, const char *path, ltk_summary_interval_fn fn, void *ctx,
                          struct ltk_error *err);

#endif

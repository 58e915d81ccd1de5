/* Helpers for reading and writing ltk's JSON documents with cJSON.
 *
 * Every document carries "schema": "ltk.<name>/<version>".  Unknown numbers
 * are null, never 0, and numbers use the fewest digits that read back as the
 * same double, so values copied from an input compare equal. */
#ifndef LTK_JSON_H
#define LTK_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ltk/base/error.h"

/* A JSON number with the fewest digits that read back as exactly v (like
 * Python's repr), or null for NAN/infinity.  NULL on out of memory. */
cJSON *ltk_json_number(double v);

/* Writes doc to out (pretty when pretty is true) followed by a newline.
 * Returns LTK_OK, LTK_ENOMEM or LTK_EIO. */
int ltk_json_write(FILE *out, const cJSON *doc, bool pretty);

/* A document builder that remembers failure, so a long run of additions
 * is checked once at the end:
 *
 *     struct ltk_jb b = { false };
 *     ltk_jb_num(&b, doc, "rps", 12.5);
 *     cJSON *o = ltk_jb_obj(&b, doc, "inputs");
 *     ...
 *     if (b.failed) { cJSON_Delete(doc); return NULL; }
 *
 * Each function does nothing useful once a NULL parent is passed (after an
 * earlier failure) and sets failed instead. */
struct ltk_jb {
    bool failed;
};

/* key: a number (ltk_json_number: null for NAN). */
void ltk_jb_num(struct ltk_jb *b, cJSON *obj, const char *key, double v);
/* key: true/false. */
void ltk_jb_bool(struct ltk_jb *b, cJSON *obj, const char *key, bool v);
/* key: a string, or null when v is NULL. */
void ltk_jb_str(struct ltk_jb *b, cJSON *obj, const char *key, const char *v);
/* A new object added to parent under key (or appended when parent is an
 * array); NULL on failure. */
cJSON *ltk_jb_obj(struct ltk_jb *b, cJSON *parent, const char *key);
/* A new array added to parent under key; NULL on failure. */
cJSON *ltk_jb_arr(struct ltk_jb *b, cJSON *parent, const char *key);

/* ---- reading ---- */

/* Reads the whole file at path into *text (malloc'd,
 * NUL-terminated, *len bytes).  A file of more than max bytes is LTK_ELIMIT
 * ("WHAT larger than MAX bytes"), an empty one LTK_EFORMAT ("empty file: not
 * WHAT"), a NUL byte LTK_EFORMAT; also LTK_EIO, LTK_ENOMEM.  what names the
 * document for those messages ("an ltk summary"). */
int ltk_json_read_file(const char *path, size_t max, const char *what, char **text, size_t *len,
                       struct ltk_error *err);

/* The same of fp, already open (path names it in messages); fp stays open. */
int ltk_json_read_fp(FILE *fp, const char *path, size_t max, const char *what, char **text, size_t *len,
                     struct ltk_error *err);

/* Parses one JSON document of len bytes; only blanks may follow it.  On a
 * syntax error: LTK_EFORMAT naming name, the line and the byte offset. */
int ltk_json_parse(const char *text, size_t len, const char *name, cJSON **out, struct ltk_error *err);

/* "nothing" (NULL), "null", "a boolean", "a number", "a string", "an array"
 * or "an object": what a message says was found. */
const char *ltk_json_kind(const cJSON *j);

/* NULL when j is a count (a whole number >= 0 below 2^53, exact in JSON),
 * else why not ("a string", "a negative or fractional number", ...). */
const char *ltk_json_count_problem(const cJSON *j);

/* ---- reading a large document piece by piece ---- */

/* One JSON object read member by member, and the elements of an array
 * member one at a time, so that a document much larger than its pieces
 * costs memory for one piece, not for the whole tree (cJSON's tree of a
 * summary's histograms is about 20 times the text).  cJSON still parses
 * every piece; the stream only finds where each piece ends (strings with
 * their escapes, brackets with their kinds) and checks the commas, colons and
 * braces between pieces as cJSON would.  A syntax error gives the message
 * ltk_json_parse gives for the whole text: the same byte offset and line. */
struct ltk_json_stream {
    FILE *fp;
    const char *name;
    struct ltk_error *err;
    char *buf;
    size_t pos, len, cap;  /* buf[pos..len) is not consumed yet */
    size_t base;           /* offset in the document of buf[0] */
    size_t size;           /* the document's length in bytes */
    long line;             /* line of buf[pos] */
    char last;             /* the last byte consumed */
    bool eof;
    bool nul_is_error;     /* a NUL anywhere is the error (a file) */
    int state;             /* where in the document (json.c) */
};

/* Starts reading fp, a document of size bytes (name for messages): skips a
 * UTF-8 byte-order mark and blanks as cJSON does.  *is_object is false when
 * the document is not an object (nothing is consumed; the caller parses it
 * whole).  nul_is_error: a NUL byte anywhere in fp is the error
 * ("not valid JSON: a NUL byte", as ltk_json_read_file says), before any
 * syntax error, in the one pass that reads it.  Returns LTK_OK or
 * LTK_EIO/LTK_ENOMEM/LTK_EFORMAT with err set. */
int ltk_json_stream_open(struct ltk_json_stream *js, FILE *fp, size_t size, const char *name, bool nul_is_error,
                         bool *is_object, struct ltk_error *err);

/* The next member's key (malloc'd, decoded) in *key, or *key NULL after the
 * closing brace (then only blanks may follow, as for ltk_json_parse). */
int ltk_json_stream_key(struct ltk_json_stream *js, char **key);

/* The value of the member whose key was just read, parsed (*out). */
int ltk_json_stream_value(struct ltk_json_stream *js, cJSON **out);

/* Enters the value of the member just keyed when it is an array (*is_array;
 * otherwise nothing is consumed and ltk_json_stream_value reads it). */
int ltk_json_stream_array(struct ltk_json_stream *js, bool *is_array);

/* The array's next element (*out), or *out NULL after its closing bracket. */
int ltk_json_stream_element(struct ltk_json_stream *js, cJSON **out);

/* For tests: read in blocks of bytes (0: the default, 1 MiB), so that
 * pieces straddle reads. */
void ltk_json_stream_set_block(size_t bytes);

/* Frees the stream's buffer (not fp). */
void ltk_json_stream_release(struct ltk_json_stream *js);

#endif

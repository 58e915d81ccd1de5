/* Helpers for writing ltk's JSON documents with cJSON.
 *
 * Every document carries "schema": "ltk.<name>/<version>".  Unknown numbers
 * are null, never 0, and numbers use the fewest digits that read back as the
 * same double, so values copied from an input compare equal. */
#ifndef LTK_JSON_H
#define LTK_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>

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

#endif

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

#endif

/* The part of a run that was selected (--from/--to, --only/--exclude:
 * ltk/model/select.h), as every tool shows it: a text line and a JSON object
 * ("selection" in each tool's document). */
#ifndef LTK_SELECT_VIEW_H
#define LTK_SELECT_VIEW_H

#include <stdio.h>

#include "ltk/base/json.h"
#include "ltk/model/run.h"

/* True when run holds a part of its input only. */
bool ltk_selection_active(const struct ltk_run *run);

/* "selection: ..." lines: the window kept (seconds since the start, the
 * start's Unix time, as asked), the filters and the endpoints kept, and how
 * the numbers were formed.  Nothing for a whole run.  Returns LTK_OK or
 * LTK_EIO. */
int ltk_selection_write_text(FILE *fp, const struct ltk_run *run);

/* The same as a JSON object (see docs/schemas/ltk.stats-1.json,
 * $defs/selection); NULL when out of memory. */
cJSON *ltk_selection_to_json(const struct ltk_run *run);

#endif

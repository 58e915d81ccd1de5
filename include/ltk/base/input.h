/* Opening an input file: the one place that turns "no such file" and "is a
 * directory" into messages that name the path. */
#ifndef LTK_INPUT_H
#define LTK_INPUT_H

#include <stdio.h>

#include "ltk/base/error.h"

/* Opens path for reading as a regular file (a directory or a missing file
 * gives a clear error naming it).  Close the result with fclose. */
int ltk_open_input(const char *path, FILE **out, struct ltk_error *err);

#endif

/* Opening an input file (see ltk/base/input.h). */
#include "ltk/base/input.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

int ltk_open_input(const char *path, FILE **out, struct ltk_error *err)
{
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return ltk_error_set(err, LTK_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(fp);
        return ltk_error_set(err, LTK_EIO, path, 0, 0, "is a directory, not a file");
    }
    *out = fp;
    return LTK_OK;
}

/* The error record shared by every ltk library function (see ltk/base/error.h). */
#include "ltk/base/error.h"

#include <stdarg.h>
#include <string.h>

void ltk_error_clear(struct ltk_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
}

int ltk_error_set(struct ltk_error *err, int code, const char *file, long line, long column,
                  const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

const char *ltk_strerror(int code)
{
    switch (code) {
    case LTK_OK: return "success";
    case LTK_EIO: return "input/output error";
    case LTK_EFORMAT: return "input format error";
    case LTK_ENOMEM: return "out of memory";
    case LTK_EINVAL: return "invalid argument";
    case LTK_ELIMIT: return "input exceeds a limit";
    case LTK_ENOPROG: return "helper program not installed";
    default: return "unknown error";
    }
}

char *ltk_error_format(const struct ltk_error *err, char *buf, size_t size)
{
    if (!size)
        return buf;
    const char *msg = err->msg[0] ? err->msg : ltk_strerror(err->code);
    if (err->file[0] && err->line > 0)
        snprintf(buf, size, "%s:%ld: %s", err->file, err->line, msg);
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", err->file, msg);
    else
        snprintf(buf, size, "%s", msg);
    return buf;
}

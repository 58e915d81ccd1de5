/* Atomic output files: temporary file, then rename (see ltk/outfile.h). */
#include "ltk/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strutil.h"

int ltk_outfile_open(struct ltk_outfile *o, const char *path, struct ltk_error *err)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->fp = stdout;
        return LTK_OK;
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return ltk_error_set(err, LTK_EIO, path, 0, 0, "cannot write: is a directory");
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device or pipe (/dev/stdout, a FIFO): write to it directly, as
         * renaming over it would replace the node instead of writing to it */
        o->fp = fopen(path, "w");
        if (!o->fp)
            return ltk_error_set(err, LTK_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
        o->path = ltk_strdup(path);
        if (!o->path) {
            ltk_outfile_abort(o);
            return ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
        }
        return LTK_OK;
    }
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    int dirlen = slash ? (int)(slash - path) + 1 : 0;
    o->tmp = ltk_asprintf("%.*s.%s.XXXXXX", dirlen, path, base);
    o->path = ltk_strdup(path);
    if (!o->tmp || !o->path) {
        ltk_outfile_abort(o);
        return ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
    }
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        int e = errno;
        free(o->tmp);
        o->tmp = NULL;
        ltk_outfile_abort(o);
        return ltk_error_set(err, LTK_EIO, path, 0, 0, "cannot write: %s", strerror(e));
    }
    /* mkstemp makes 0600; give the file the permissions a plain fopen would */
    mode_t mask = umask(022);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    o->fp = fdopen(fd, "w");
    if (!o->fp) {
        int e = errno;
        close(fd);
        ltk_outfile_abort(o);
        return ltk_error_set(err, LTK_EIO, path, 0, 0, "cannot write: %s", strerror(e));
    }
    return LTK_OK;
}

void ltk_outfile_abort(struct ltk_outfile *o)
{
    if (o->fp && o->fp != stdout)
        fclose(o->fp);
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
}

int ltk_outfile_commit(struct ltk_outfile *o, struct ltk_error *err)
{
    if (o->fp == stdout) {
        int bad = fflush(stdout) != 0 || ferror(stdout);
        int e = errno;
        memset(o, 0, sizeof *o);
        return bad ? ltk_error_set(err, LTK_EIO, "standard output", 0, 0, "write error: %s", strerror(e))
                   : LTK_OK;
    }
    if (!o->fp)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "output was not opened");
    int e = 0;
    errno = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp))
        e = errno ? errno : EIO;
    else if (o->tmp && fsync(fileno(o->fp)) != 0 && errno != EINVAL && errno != EROFS)
        e = errno;
    if (fclose(o->fp) != 0 && !e)
        e = errno;
    o->fp = NULL;
    if (!e && o->tmp && rename(o->tmp, o->path) != 0)
        e = errno;
    if (e) {
        ltk_error_set(err, LTK_EIO, o->path, 0, 0, "cannot write: %s", strerror(e));
        ltk_outfile_abort(o);
        return LTK_EIO;
    }
    free(o->tmp);
    o->tmp = NULL;
    ltk_outfile_abort(o);
    return LTK_OK;
}

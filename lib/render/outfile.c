/* Atomic output files: temporary file, then rename (see ltk/render/outfile.h). */
#define _DEFAULT_SOURCE      /* syscall(SYS_getdents64): readdir is not async-signal-safe */
#include "ltk/render/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/strutil.h"

/* ---- temporary paths to remove on a signal ---------------------------------- */

/* state: 0 free, 1 being filled or emptied (the handler skips it), 2 listed */
static struct {
    volatile sig_atomic_t state;
    bool is_dir;
    char path[LTK_TMP_PATH_MAX];
} tmp_list[LTK_TMP_SLOTS];

int ltk_tmp_track(const char *path, bool is_dir)
{
    size_t n = strlen(path);
    if (n >= LTK_TMP_PATH_MAX)
        return -1;
    for (int i = 0; i < LTK_TMP_SLOTS; i++) {
        if (tmp_list[i].state != 0)
            continue;
        tmp_list[i].state = 1;
        memcpy(tmp_list[i].path, path, n + 1);
        tmp_list[i].is_dir = is_dir;
        tmp_list[i].state = 2;
        return i;
    }
    return -1;
}

void ltk_tmp_untrack(int slot)
{
    if (slot >= 0 && slot < LTK_TMP_SLOTS)
        tmp_list[slot].state = 0;
}

/* Empties a directory of its plain files (a chart's work directory holds
 * nothing else), reading it with getdents64: opendir may allocate. */
static void empty_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    if (fd < 0)
        return;
    char buf[4096] __attribute__((aligned(8)));
    for (;;) {
        long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (n <= 0)
            break;
        for (long off = 0; off < n;) {
            /* struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, name */
            unsigned short reclen;
            memcpy(&reclen, buf + off + 16, sizeof reclen);
            const char *name = buf + off + 19;
            if (reclen == 0)
                break;
            if (!(name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]))))
                unlinkat(fd, name, 0);
            off += reclen;
        }
    }
    close(fd);
}

void ltk_tmp_remove_all(void)
{
    for (int i = 0; i < LTK_TMP_SLOTS; i++) {
        if (tmp_list[i].state != 2)
            continue;
        if (tmp_list[i].is_dir) {
            empty_dir(tmp_list[i].path);
            rmdir(tmp_list[i].path);
        } else {
            unlink(tmp_list[i].path);
        }
        tmp_list[i].state = 0;
    }
}

/* ---- output files ----------------------------------------------------------- */

int ltk_outfile_open(struct ltk_outfile *o, const char *path, struct ltk_error *err)
{
    memset(o, 0, sizeof *o);
    o->slot = -1;
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
    o->slot = ltk_tmp_track(o->tmp, false);
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
    ltk_tmp_untrack(o->slot);     /* after: a signal before it removes nothing more */
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
    o->slot = -1;
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
    if (!e) {
        ltk_tmp_untrack(o->slot);  /* renamed: nothing to remove on a signal now */
        o->slot = -1;
    }
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

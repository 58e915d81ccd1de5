/* csvwalk: the floor under any libcsv-based reader.  Walks a CSV file with
 * libcsv doing nothing with the fields (callbacks that only count), with
 * the same parser options ltk uses, on one thread or on two halves at once,
 * and prints the rows and the wall time.  Not a CSV tool: the second half
 * starts at the first line break after the middle, and when that lands
 * inside a quoted field the parser is restarted at the next line break
 * after the error (counted as "resyncs"), which is good enough to time
 * libcsv and nothing else.
 *
 * With "memchr" after THREADS it walks the same halves with memchr for
 * line ends alone (no CSV at all): the floor of reading the file and looking
 * at every byte once.
 *
 *   cc -O2 -pthread -o csvwalk csvwalk.c -lcsv
 *   csvwalk FILE [THREADS [memchr]]   (THREADS 1 or 2, default 2)
 */
#include <csv.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct part {
    int fd;
    off_t from, to;
    unsigned long fields, rows, resyncs;
    int failed;
};

static void on_field(void *data, size_t len, void *ctx)
{
    (void)data;
    (void)len;
    ((struct part *)ctx)->fields++;
}

static void on_row(int c, void *ctx)
{
    (void)c;
    ((struct part *)ctx)->rows++;
}

static int memchr_only;

/* The memchr floor: the rows are the line ends. */
static void *scan(struct part *pt)
{
    enum { CHUNK = 1 << 16 };
    char *buf = malloc(CHUNK);
    if (!buf) {
        pt->failed = 1;
        return NULL;
    }
    off_t at = pt->from;
    while (at < pt->to) {
        size_t want = pt->to - at < CHUNK ? (size_t)(pt->to - at) : CHUNK;
        ssize_t n = pread(pt->fd, buf, want, at);
        if (n <= 0) {
            pt->failed = n < 0;
            break;
        }
        for (char *p = buf, *end = buf + n; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
            pt->rows++;
        at += n;
    }
    free(buf);
    return NULL;
}

static void *walk(void *arg)
{
    struct part *pt = arg;
    if (memchr_only)
        return scan(pt);
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        pt->failed = 1;
        return NULL;
    }
    csv_set_blk_size(&p, 1 << 16);
    enum { CHUNK = 1 << 16 };
    char *buf = malloc(CHUNK);
    if (!buf) {
        pt->failed = 1;
        csv_free(&p);
        return NULL;
    }
    off_t at = pt->from;
    while (at < pt->to) {
        size_t want = pt->to - at < CHUNK ? (size_t)(pt->to - at) : CHUNK;
        ssize_t n = pread(pt->fd, buf, want, at);
        if (n <= 0) {
            pt->failed = n < 0;
            break;
        }
        size_t off = 0;
        while (off < (size_t)n) {
            size_t done = csv_parse(&p, buf + off, (size_t)n - off, on_field, on_row, pt);
            off += done;
            if (off < (size_t)n) {          /* a parse error: restart after the next line break */
                pt->resyncs++;
                char *nl = memchr(buf + off, '\n', (size_t)n - off);
                off = nl ? (size_t)(nl - buf) + 1 : (size_t)n;
                csv_free(&p);
                csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
                csv_set_blk_size(&p, 1 << 16);
            }
        }
        at += n;
    }
    csv_fini(&p, on_field, on_row, pt);
    csv_free(&p);
    free(buf);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4 || (argc == 4 && strcmp(argv[3], "memchr") != 0)) {
        fprintf(stderr, "usage: csvwalk FILE [THREADS [memchr]]\n");
        return 2;
    }
    memchr_only = argc == 4;
    int threads = argc >= 3 ? atoi(argv[2]) : 2;
    if (threads != 1 && threads != 2) {
        fprintf(stderr, "csvwalk: THREADS is 1 or 2\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror(argv[1]);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct part parts[2] = { { fd, 0, st.st_size, 0, 0, 0, 0 }, { fd, st.st_size, st.st_size, 0, 0, 0, 0 } };
    if (threads == 2) {
        off_t mid = st.st_size / 2;
        char c;
        while (mid < st.st_size && pread(fd, &c, 1, mid) == 1 && c != '\n')
            mid++;
        parts[0].to = parts[1].from = mid < st.st_size ? mid + 1 : st.st_size;
    }
    pthread_t th;
    if (threads == 2 && pthread_create(&th, NULL, walk, &parts[1]) != 0) {
        fprintf(stderr, "csvwalk: cannot start a thread\n");
        return 2;
    }
    walk(&parts[0]);
    if (threads == 2)
        pthread_join(th, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (parts[0].failed || parts[1].failed) {
        fprintf(stderr, "csvwalk: read or parser error\n");
        return 2;
    }
    printf("%lu rows, %lu fields, %lu resyncs, %d thread(s), %.3f s\n", parts[0].rows + parts[1].rows,
           parts[0].fields + parts[1].fields, parts[0].resyncs + parts[1].resyncs, threads,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    close(fd);
    return 0;
}

/* p95: each endpoint's p95 of a run, through libltk.
 *
 *   cc p95.c $(pkg-config --cflags --libs ltk) -o p95
 *   ./p95 results/load          a Locust --csv prefix, one of its files,
 *                               a raw request log or an ltk.summary/2 file
 */
#include <stdio.h>

#include <ltk/base/error.h>
#include <ltk/model/run.h>
#include <ltk/read/load.h>

static void show(const struct ltk_run *run, const struct ltk_endpoint *e, const char *name)
{
    /* ltk_endpoint_pct is NAN when the run has no 95th percentile */
    printf("%-6s %-24s %8.0f ms  %8llu requests\n", e->type, name, ltk_endpoint_pct(run, e, 0.95),
           (unsigned long long)e->requests);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: p95 RUN\n");
        return 2;
    }
    struct ltk_run run;
    struct ltk_error err;
    ltk_run_init(&run);
    ltk_error_clear(&err);
    if (ltk_run_load(&run, argv[1], &err) != LTK_OK) {
        char msg[1200];
        fprintf(stderr, "p95: %s\n", ltk_error_format(&err, msg, sizeof msg));
        ltk_run_release(&run);
        return 2;
    }
    for (size_t i = 0; i < run.nendpoints; i++)
        show(&run, &run.endpoints[i], run.endpoints[i].name);
    if (run.has_total)
        show(&run, &run.total, "Aggregated");
    ltk_run_release(&run);
    return 0;
}

// seeds: tests/data/summary/*.ltk.json fuzz/seeds/summary/*.ltk.json
// options: -max_len=65536
/* The ltk.summary/1 reader (ltk_summary_load, through a memfd), then what
 * reads a summary it accepted: the run made of it (ltk_summary_to_run, as
 * every tool gets it) shown as JSON, a merge with itself, and writing it
 * back: what ltk reads it must write again, and read that too, to the same
 * bytes.  Seeds: the summaries in tests/data/summary and fuzz/seeds/summary
 * (ltk summarize of sample logs: Locust hook, JMeter, k6; each method). */
#define _GNU_SOURCE
#include "fuzz.h"

#include "ltk/base/json.h"
#include "ltk/read/summary_json.h"
#include "ltk/read/summary_run.h"
#include "ltk/model/run.h"
#include "ltk/render/stats_view.h"
#include "ltk/model/summary.h"

static char *summary_text(const struct ltk_summary *s, size_t *len)
{
    char *out = NULL;
    FILE *fp = open_memstream(&out, len);
    if (!fp)
        abort();
    if (ltk_summary_write(fp, s) || fclose(fp))
        abort();
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The reader takes the file in blocks (1 MiB in the tools): 4 KiB here,
     * and 7 bytes for a quarter of the lengths, so a token, an escape or a
     * number can straddle a block's end, as in a large summary; the 1 MiB
     * buffer of every load was most of this harness's time. */
    ltk_json_stream_set_block(size % 4 == 3 ? 7 : 4096);
    const char *path = fuzz_file(data, size);
    struct ltk_summary s;
    ltk_summary_init(&s);
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = ltk_summary_load(&s, path, &err);
    fuzz_check_error(rc, &err);
    if (rc == LTK_OK) {
        struct ltk_run run;
        ltk_run_init(&run);
        rc = ltk_summary_to_run(&s, "fuzz.ltk.json", &run, &err);
        fuzz_check_error(rc, &err);
        if (rc == LTK_OK) {
            cJSON *doc = ltk_stats_to_json(&run);
            if (!doc || ltk_json_write(fuzz_sink(), doc, false))
                abort();
            cJSON_Delete(doc);
        }
        ltk_run_release(&run);

        size_t len;
        char *text = summary_text(&s, &len);
        struct ltk_summary back;
        ltk_summary_init(&back);
        ltk_error_clear(&err);
        if (ltk_summary_parse(&back, text, len, "fuzz.ltk.json", &err)) {
            fprintf(stderr, "a summary ltk accepted and wrote does not read back: %s\n", err.msg);
            abort();
        }
        size_t len2;
        char *text2 = summary_text(&back, &len2);
        if (len2 != len || memcmp(text, text2, len))
            abort();
        free(text2);
        free(text);

        /* merged with itself: every count doubles, nothing else may fail */
        ltk_error_clear(&err);
        rc = ltk_summary_merge(&s, &back, &err);
        fuzz_check_error(rc, &err);
        if (rc != LTK_OK && rc != LTK_ELIMIT && rc != LTK_ENOMEM)
            abort();
        ltk_summary_release(&back);
    }
    ltk_summary_release(&s);
    return 0;
}

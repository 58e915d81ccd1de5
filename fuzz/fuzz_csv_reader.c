// seeds: samples/runs/*/*_stats.csv samples/runs/*/*_failures.csv samples/runs/*/*_exceptions.csv tests/data/bad/*.csv tests/data/capacity/*.csv tests/data/hostile/*.csv
/* The streaming CSV reader (lib/read/csv_reader.c): quoting, line numbers,
 * limits, BOM, cut-off last records.  The first byte picks the options so
 * the small limits are reached too; the records handed out must be
 * consistent (lengths, line numbers that never go back). */
#include "fuzz.h"

#include "ltk/read/csv.h"

struct seen {
    long last_line;
    long records;
};

static int on_record(const struct ltk_csv_record *rec, void *vctx, struct ltk_error *err)
{
    (void)err;
    struct seen *s = vctx;
    if (rec->nfields < 1 || rec->line < 1 || rec->line < s->last_line || rec->index != s->records)
        abort();
    for (size_t i = 0; i < rec->nfields; i++)
        if (strlen(rec->fields[i]) != rec->lens[i])
            abort();
    s->last_line = rec->line;
    s->records++;
    /* a callback may stop the read with its own status */
    return rec->nfields == 7 && rec->lens[0] == 1 && rec->fields[0][0] == '!' ? 1 : LTK_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct ltk_csv_options opt = LTK_CSV_OPTIONS_DEFAULT;
    opt.drop_truncated_last = data[0] & 1;
    if (data[0] & 2)
        opt.max_field = 16;
    if (data[0] & 4)
        opt.max_fields = 4;
    if (data[0] & 8)
        opt.max_record = 64;
    FILE *fp = fuzz_stream(data + 1, size - 1);
    struct seen s = { 0, 0 };
    struct ltk_csv_info info;
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = ltk_csv_read(fp, "fuzz.csv", &opt, on_record, &s, &info, &err);
    fuzz_check_error(rc, &err);
    if (rc == LTK_OK && info.records != s.records)
        abort();
    fclose(fp);
    return 0;
}

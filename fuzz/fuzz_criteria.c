// seeds: tests/data/check/*.txt
/* The criteria language of ltk check (lib/analyze/criteria.c): the input is read
 * as a criteria file (ltk_criteria_read), and its first line is parsed as
 * one -c expression and pointed at with the caret, as the tool does. */
#include "fuzz.h"

#include "ltk/analyze/criteria.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *fp = fuzz_stream(data, size);
    struct ltk_criterion *c = NULL;
    size_t n = 0;
    char badline[LTK_CRITERION_MAX_LEN + 8];
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = ltk_criteria_read(fp, "fuzz.txt", &c, &n, badline, sizeof badline, &err);
    fuzz_check_error(rc, &err);
    fclose(fp);
    if (rc == LTK_OK) {
        for (size_t i = 0; i < n; i++)
            if (!c[i].text || (c[i].window_s < 0) || !(c[i].limit >= 0))
                abort();
    } else if (rc == LTK_EINVAL && err.column > 0) {
        char caret[4 * LTK_CRITERION_MAX_LEN];
        ltk_criteria_caret(badline, err.column, caret, sizeof caret);
    }
    ltk_criteria_free(c, n);

    char *line = fuzz_string(data, size);
    line[strcspn(line, "\n")] = '\0';
    struct ltk_criterion one;
    ltk_error_clear(&err);
    rc = ltk_criterion_parse(line, &one, &err);
    fuzz_check_error(rc, &err);
    if (rc == LTK_OK) {
        ltk_criterion_release(&one);
    } else {
        char caret[4 * LTK_CRITERION_MAX_LEN];
        ltk_criteria_caret(line, err.column, caret, sizeof caret);
    }
    free(line);
    return 0;
}

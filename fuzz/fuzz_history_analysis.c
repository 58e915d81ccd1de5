// seeds: samples/runs/*/*_stats_history.csv
// options: -max_len=8192
/* What reads a stats_history.csv once ltk_locust_read_history accepted it:
 * the Aggregated time series, its plateaus, test-type detection, capacity
 * levels and their analysis (the USL fit), and ltk check with its built-in
 * profile and with criteria of every kind, with its JUnit and JSON reports.  Slower than the reader's own harness
 * (fuzz_locust_history) because of the fits, so it is kept apart. */
#include "fuzz.h"

#include <gsl/gsl_errno.h>

#include "ltk/analyze/capacity.h"
#include "ltk/analyze/check.h"
#include "ltk/analyze/criteria.h"
#include "ltk/read/locust.h"
#include "ltk/analyze/profile.h"
#include "ltk/model/series.h"

/* Criteria of every kind (windows, phases, endpoints), parsed once. */
static const char *const criteria_text[] = {
    "p95<2s over 10s", "error_rate<1% during spike", "rps>=1 over 5s", "\"GET /a\": p99<1s",
    "max<1s during recovery", "requests>0", "failures==0 over 1m", "mean<1s during steady",
    "median<1s during ramp-up", "p50<=100ms during ramp-down", "min>=0",
};
enum { NCRITERIA = sizeof criteria_text / sizeof criteria_text[0] };
static struct ltk_criterion criteria[NCRITERIA];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    gsl_set_error_handler_off();
    for (size_t i = 0; i < NCRITERIA; i++)
        if (ltk_criterion_parse(criteria_text[i], &criteria[i], NULL))
            abort();
    return 0;
}

static void consume(const struct ltk_run *run)
{
    struct ltk_error err;
    struct ltk_series s;
    ltk_error_clear(&err);
    int rc = ltk_series_from_run(run, NULL, NULL, &s, &err);
    fuzz_check_error(rc, &err);
    if (rc == LTK_OK) {
        struct ltk_plateau *pl = NULL;
        size_t npl = 0;
        if (ltk_series_plateaus(&s, 10, 5, &pl, &npl))
            abort();
        free(pl);
        struct ltk_profile prof;
        ltk_error_clear(&err);
        rc = ltk_profile_detect(&s, NULL, &prof, &err);
        fuzz_check_error(rc, &err);
        if (rc == LTK_OK)
            ltk_profile_release(&prof);
        ltk_series_release(&s);
    }

    struct ltk_capacity_options opt;
    ltk_capacity_options_init(&opt);
    struct ltk_capacity_result cap;
    ltk_error_clear(&err);
    rc = ltk_capacity_levels_from_run(run, &opt, &cap, &err);
    fuzz_check_error(rc, &err);
    if (rc == LTK_OK) {
        ltk_capacity_analyse(&cap, &opt);
        cJSON *doc = ltk_capacity_to_json(&cap, "fuzz");
        if (!doc)
            abort();
        cJSON_Delete(doc);
        if (ltk_capacity_write_table(fuzz_sink(), &cap, "fuzz", false))
            abort();
    }
    ltk_capacity_release(&cap);

    /* the built-in profile, then each criterion on its own (one that cannot
     * be evaluated is an error and would hide the others) */
    for (size_t i = 0; i <= NCRITERIA; i++) {
        struct ltk_check_opts copts = { .type = LTK_TT_UNKNOWN, .skip_s = i % 3 ? 0 : 5 };
        if (i < NCRITERIA) {
            copts.criteria = &criteria[i];
            copts.ncriteria = 1;
        }
        struct ltk_check_report rep;
        ltk_error_clear(&err);
        rc = ltk_check_run(run, &copts, &rep, &err);
        fuzz_check_error(rc, &err);
        if (rc == LTK_OK) {
            if (ltk_check_write_table(fuzz_sink(), &rep, false) || ltk_check_write_junit(fuzz_sink(), &rep))
                abort();
            cJSON *doc = ltk_check_to_json(&rep);
            if (!doc)
                abort();
            cJSON_Delete(doc);
        }
        ltk_check_report_release(&rep);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *fp = fuzz_stream(data, size);
    struct ltk_run run;
    ltk_run_init(&run);
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = ltk_locust_read_history(&run, fp, "fuzz_stats_history.csv", &err);
    fuzz_check_error(rc, &err);
    fclose(fp);
    if (rc == LTK_OK)
        consume(&run);
    ltk_run_release(&run);
    return 0;
}

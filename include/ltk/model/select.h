/* Selecting a part of a run while it is loaded: a time window (--from,
 * --to) and endpoint filters (--only, --exclude), the same for every tool.
 *
 * Times.  A time is either relative, seconds since the run's start ("90",
 * "90s", "10m", "1h": ltk_parse_duration with bare seconds), or absolute:
 * "@1765112700" (Unix seconds) or ISO 8601 UTC or with an offset,
 * "2026-12-07T13:05:00Z", "2026-12-07T14:05:00+01:00" (whole seconds).  The
 * run's start is its first history row (Locust's CSV) or its first
 * timestamp rounded down to a whole second (raw logs and summaries), the
 * same whatever --interval.  From and to may be of different kinds; to must be after
 * from.
 *
 * What is kept.  Of Locust's stats_history.csv, the rows at from <= ts <= to;
 * of a raw log's or a summary's intervals, those lying wholly inside
 * [from, to] (the first interval counting from the run's start).  The whole-run numbers are then formed again from what was
 * kept (ltk_summary_select, ltk_run_select), and the run records in its
 * selection (struct ltk_selection in ltk/model/run.h) which part was kept
 * and what those numbers are made of.
 *
 * Endpoints.  Each --only and --exclude is a POSIX extended regular
 * expression (regcomp with REG_EXTENDED), searched in "METHOD name" (the
 * method, a space and the name, as ltk stats shows them; the "(other)" row
 * of names past --max-names too).  An endpoint is kept when it matches one
 * of the --only expressions (all when there is none) and none of the
 * --exclude ones: several --only are or'ed, and --exclude wins.
 */
#ifndef LTK_SELECT_H
#define LTK_SELECT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ltk/base/error.h"
#include "ltk/model/run.h"
#include "ltk/model/summary.h"

/* One end of a window. */
struct ltk_time_spec {
    bool given;
    bool absolute;        /* value is Unix seconds; else seconds since the start */
    double value;
    char text[64];        /* as typed (cut at 63 bytes) */
};

#define LTK_SELECT_MAX_PATTERNS 32

struct ltk_select {
    struct ltk_time_spec from, to;
    size_t nonly, nexclude;
    char *only[LTK_SELECT_MAX_PATTERNS], *exclude[LTK_SELECT_MAX_PATTERNS];   /* as typed */
    regex_t only_re[LTK_SELECT_MAX_PATTERNS], exclude_re[LTK_SELECT_MAX_PATTERNS];
};

/* Makes sel select everything.  Always call ltk_select_release after. */
void ltk_select_init(struct ltk_select *sel);
void ltk_select_release(struct ltk_select *sel);

/* Parses a time (see above) into out.  Returns LTK_OK or LTK_EINVAL with a
 * message in err saying what was expected. */
int ltk_time_spec_parse(const char *text, struct ltk_time_spec *out, struct ltk_error *err);

/* Sets the window's start (is_to false) or end from text; LTK_EINVAL when
 * text is not a time, or when both ends are now of one kind and the end is
 * not after the start. */
int ltk_select_set_time(struct ltk_select *sel, bool is_to, const char *text, struct ltk_error *err);

/* Adds an --only (exclude false) or --exclude expression.  LTK_EINVAL with
 * regerror's message when it is not a valid extended regular expression,
 * or past LTK_SELECT_MAX_PATTERNS; LTK_ENOMEM. */
int ltk_select_add_pattern(struct ltk_select *sel, bool exclude, const char *pattern, struct ltk_error *err);

/* Whether anything is to be left out: a window, filters, either. */
bool ltk_select_window(const struct ltk_select *sel);
bool ltk_select_filter(const struct ltk_select *sel);
bool ltk_select_active(const struct ltk_select *sel);

/* Whether the endpoint "method name" is kept by the filters. */
bool ltk_select_keeps(const struct ltk_select *sel, const char *method, const char *name);

/* The window [lo, hi] in Unix seconds for a run starting at start (hi
 * INFINITY without --to).  LTK_EINVAL when the end is not after the start
 * (the two were of different kinds, so only the run's start tells). */
int ltk_select_bounds(const struct ltk_select *sel, double start, double *lo, double *hi, struct ltk_error *err);

/* Applies sel to a summary: endpoints not kept are dropped with their
 * intervals' cells and failure groups, and the totals merged again from the
 * kept endpoints' histograms; intervals outside the window are dropped, and
 * each endpoint's histogram, count and failures merged again from the kept
 * intervals.  Of a window, what the intervals do not hold is dropped with a
 * warning in what (response sizes, HTTP codes, the successful requests'
 * histograms, failure texts: a summary has them for the whole run only).
 * what (initialised, empty) records what was kept; its basis says how the
 * numbers were formed.  label names the input in messages.  Returns LTK_OK,
 * LTK_EINVAL (nothing matched, a window without timestamps, a window that
 * holds no interval: the message says which and what the run holds) or
 * LTK_ENOMEM. */
int ltk_summary_select(struct ltk_summary *s, const struct ltk_select *sel, const char *label,
                       struct ltk_selection *what, struct ltk_error *err);

/* Applies sel to a run read from Locust's CSV files or Locust's JSON (not a
 * raw log: select those as summaries).  Filters drop endpoints, their
 * history rows and failure groups; the Aggregated row is formed again from
 * the kept rows (sums, weighted means, min and max; percentiles merged from
 * the endpoints' histograms when the run has them, those of the one kept
 * endpoint, else unknown); the Aggregated history rows likewise.  A window
 * keeps the history rows inside it and forms each endpoint's and the total's
 * numbers from the differences of the cumulative history counts at its two
 * ends (percentiles only for a window from the run's start, as Locust's
 * cumulative ones at its end).  Records what was done in run->selection
 * and warns of what was left out.  Returns LTK_OK, LTK_EINVAL (as above, and
 * a window on a run without history, with resets, or without per-endpoint
 * rows) or LTK_ENOMEM. */
int ltk_run_select(struct ltk_run *run, const struct ltk_select *sel, struct ltk_error *err);

/* Copies the filters and the window as typed into what. */
int ltk_selection_note_request(struct ltk_selection *what, const struct ltk_select *sel);

#endif

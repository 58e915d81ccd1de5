/* Loading a run: what a user typed (a Locust --csv prefix, a directory, one
 * file of any kind ltk reads) is sniffed and handed to the reader of its
 * format.  This is the top of the read layer: the readers below fill the
 * run model (ltk/model/run.h) and never call back up here.
 *
 * Which reader takes a file, in this order:
 *   a JSON array ........ Locust's --json statistics (ltk/read/locust_json.h)
 *   a JSON object ....... an ltk.summary/2 file (ltk/read/summary_json.h)
 *   a raw-log header .... a raw request log (ltk/read/rawlog.h)
 *   anything else ....... one of Locust's CSV files, told by its header
 *                         (ltk/read/locust.h)
 */
#ifndef LTK_LOAD_H
#define LTK_LOAD_H

#include "ltk/base/error.h"
#include "ltk/model/run.h"
#include "ltk/model/select.h"
#include "ltk/model/summary.h"
#include "ltk/read/rawlog.h"

/* Loads a run from what a user typed: a Locust --csv prefix ("results/load",
 * reading whichever of results/load_stats.csv, _stats_history.csv,
 * _failures.csv and _exceptions.csv exist), a directory holding exactly one
 * such prefix, or one of those files alone.  run must be freshly initialised.
 * Returns LTK_OK, LTK_EIO (nothing found, unreadable) or LTK_EFORMAT. */
int ltk_run_load(struct ltk_run *run, const char *input, struct ltk_error *err);

/* Like ltk_run_load; a raw request log (recognised by its header, see
 * ltk/read/rawlog.h) is read with raw (NULL: the defaults). */
int ltk_run_load_with(struct ltk_run *run, const char *input, const struct ltk_rawlog_options *raw,
                      struct ltk_error *err);

/* Like ltk_run_load_with, keeping only the part sel selects (--from, --to,
 * --only, --exclude; ltk/model/select.h; NULL or empty: everything).  A raw
 * log or an ltk.summary file is read as a summary, selected there
 * (ltk_summary_select: totals merged again from the kept histograms) and
 * made a run; Locust's CSV files and JSON are read as a run and selected
 * with ltk_run_select.  run->selection says what was kept and how its
 * numbers were formed.  Errors as ltk_run_load_with, and LTK_EINVAL when
 * the selection cannot be made (the message says why). */
int ltk_run_load_select(struct ltk_run *run, const char *input, const struct ltk_rawlog_options *raw,
                        const struct ltk_select *sel, struct ltk_error *err);

/* When log_path is PREFIX_requests.csv[.gz] and PREFIX_stats_history.csv
 * lies beside it, reads that history into h (freshly initialised) and sets
 * *hpath to its path (malloc'd; free()); else *hpath is NULL and h stays
 * empty.  Returns LTK_OK, or the reading error. */
int ltk_run_sibling_history(const char *log_path, struct ltk_run *h, char **hpath, struct ltk_error *err);
/* Takes the users of each interval from the stats_history.csv beside a log
 * named PREFIX_requests.csv[.gz] (the last Aggregated row at or before the
 * interval), as ltk_run_load_with does for raw logs; nothing when there is none.
 * Records the file in s's last source.  Returns LTK_OK or a read error. */
int ltk_summary_users_from_history(struct ltk_summary *s, const char *log_path, struct ltk_error *err);

#endif

/* A summary (ltk/model/summary.h) as a run (ltk/model/run.h): the one
 * conversion, used for ltk.summary files and Locust's --json statistics. */
#ifndef LTK_SUMMARY_RUN_H
#define LTK_SUMMARY_RUN_H

#include "ltk/base/error.h"
#include "ltk/model/run.h"
#include "ltk/model/summary.h"

/* Fills run (freshly initialised apart from its label) from s as
 * ltk_rawlog_load fills it from the logs: endpoints sorted as Locust sorts
 * them, the total, failures, and a history row per interval and endpoint
 * with that interval's percentiles (and users when the summary has them).
 * path names the summary in run->raw_source and the sources.  Returns
 * LTK_OK or LTK_ENOMEM. */
int ltk_summary_to_run(const struct ltk_summary *s, const char *path, struct ltk_run *run,
                       struct ltk_error *err);

/* Reads the summary at path into run as ltk_summary_load then
 * ltk_summary_to_run would, without holding its intervals: each is read,
 * turned into history rows and freed (ltk_summary_load_each), so memory
 * follows the run built, not the summary's size.  Returns LTK_OK or the
 * error of either step (err set). */
int ltk_summary_load_run(const char *path, struct ltk_run *run, struct ltk_error *err);

#endif

/* Showing a comparison of runs: a terminal table, and the ltk.compare/2
 * document (numbers for machines, display text for templates/compare.*). */
#ifndef LTK_COMPARE_VIEW_H
#define LTK_COMPARE_VIEW_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "ltk/analyze/compare.h"
#include "ltk/render/chart.h"

/* Writes the comparison as a terminal table (untrusted names escaped).
 * Returns LTK_OK or LTK_EIO. */
int ltk_compare_write_table(FILE *out, const struct ltk_compare *c, const struct ltk_run *const *base,
                            const struct ltk_run *cur);

/* The "ltk.compare/2" document: numbers for machines and, beside them,
 * display text for the templates (templates/compare.html, compare.md).
 * With chart non-NULL, a chart of p95 per endpoint (baseline bars, current
 * points) is drawn with gnuplot into "chart" (svg or why it is missing;
 * *chart_warning gets a malloc'd message for stderr when it failed).
 * NULL on out of memory. */
cJSON *ltk_compare_to_json(const struct ltk_compare *c, const struct ltk_run *const *base, const struct ltk_run *cur,
                           const struct ltk_chart_opts *chart, char **chart_warning);

#endif

/* Charts drawn by gnuplot, for the report.
 *
 * ltk writes the data to files in a private temporary directory (mkdtemp),
 * writes a gnuplot script there, and runs gnuplot with posix_spawn and an
 * argument vector: no shell is involved at any point.  gnuplot runs with a
 * minimal environment (its HOME is the temporary directory, so no
 * ~/.gnuplot is read), with a time limit after which it is killed, and the
 * directory is removed afterwards.
 *
 * Untrusted text never enters the script: legend titles and bar labels go
 * into the data files (read with columnheader and xticlabels, enhanced
 * text off), and the few texts that are script text (chart title, axis
 * labels) are refused unless they are made of a small safe alphabet.
 *
 * Series longer than the chart has room for are downsampled for drawing
 * only (the smallest and largest value of each pixel-wide bucket), never
 * for anything computed. */
#ifndef LTK_CHART_H
#define LTK_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "ltk/base/error.h"

enum ltk_chart_style {
    LTK_CHART_LINES,
    LTK_CHART_STEPS,       /* a step function (users over time) */
    LTK_CHART_POINTS,
    LTK_CHART_LINESPOINTS,
    LTK_CHART_BARS,        /* one bar per category: x is ignored, y[i] is
                            * the bar of chart->categories[i] */
};

/* A series' colour from the charts' palette; AUTO: by its position. */
enum ltk_chart_color {
    LTK_CHART_AUTO, LTK_CHART_BLUE, LTK_CHART_RED, LTK_CHART_GREEN, LTK_CHART_ORANGE, LTK_CHART_PURPLE,
    LTK_CHART_BROWN, LTK_CHART_CYAN
};

struct ltk_chart_series {
    const char *title;           /* legend text; any text (goes into a data file) */
    const double *x, *y;         /* n points; a NAN y leaves a gap */
    size_t n;
    enum ltk_chart_style style;
    bool right_axis;             /* drawn against the right-hand axis */
    bool dashed;
    enum ltk_chart_color color;
};

struct ltk_chart {
    const char *title;           /* script text: letters, digits, spaces and . , : ; % / ( ) + - = _ only */
    const char *xlabel, *ylabel, *y2label;  /* ditto; y2label NULL without a right axis */
    const struct ltk_chart_series *series;
    size_t nseries;
    const char *const *categories; /* bar labels, any text (goes into a data file) */
    size_t ncategories;
    bool log_x;
    bool y_from_zero;            /* the left axis starts at 0 */
    int width, height;           /* pixels (0: 800 x 360) */
};

enum ltk_chart_format { LTK_CHART_SVG, LTK_CHART_PNG };

struct ltk_chart_opts {
    const char *gnuplot;         /* program: a path, or a name looked up on PATH; NULL: "gnuplot" */
    double timeout_s;            /* gnuplot is killed after this long; 0: 30 s */
    size_t max_points;           /* per line before downsampling; 0: twice the width */
    bool no_script;              /* the page has no script (--static): no data for one */
};

/* Draws chart as SVG or PNG.  On success *out is malloc'd (free()) and
 * holds *len bytes of the file gnuplot wrote (NUL-terminated for SVG).
 * Returns LTK_OK; LTK_ENOPROG when gnuplot cannot be found or run (the
 * caller says so where the chart would be); LTK_EINVAL for a chart the
 * caller built wrong (unsafe script text, no series, bars without
 * categories); LTK_ELIMIT when gnuplot did not finish within the time
 * limit (it was killed); LTK_EIO when gnuplot fails or writes nothing (err
 * has its last message line); LTK_ENOMEM. */
int ltk_chart_render(const struct ltk_chart *chart, enum ltk_chart_format fmt, const struct ltk_chart_opts *opts,
                     char **out, size_t *len, struct ltk_error *err);

/* Where gnuplot put the plot area of an SVG chart (SVG pixels, y down) and
 * the axis ranges it chose, for a script that maps the pointer to data. */
struct ltk_chart_axes {
    double left, right, top, bottom;   /* the plot area */
    double xmin, xmax, ymin, ymax, y2min, y2max;
    bool log_x;
    bool known;                        /* false: gnuplot did not say */
};

/* ltk_chart_render, and for SVG also fills *axes (may be NULL; known
 * false when gnuplot's report of them could not be read). */
int ltk_chart_render_axes(const struct ltk_chart *chart, enum ltk_chart_format fmt, const struct ltk_chart_opts *opts,
                          char **out, size_t *len, struct ltk_chart_axes *axes, struct ltk_error *err);

/* Most points of a series given to a page's script (more are downsampled
 * as for drawing). */
#define LTK_CHART_PLOT_MAX_POINTS 4000

/* The data of chart and its axes as JSON for a page's script, safe to
 * put between <script type="application/json"> and </script>: every <, >
 * and & and the line separators U+2028/U+2029 are written as \u escapes,
 * so no endpoint name can end the element.  Unknown values are null.
 * {"axes": {"left", "right", "top", "bottom", "xmin", "xmax", "ymin",
 * "ymax", "y2min", "y2max", "logx"}, "xlabel", "ylabel", "y2label", "bars",
 * "categories": [...], "series": [{"title", "right", "steps", "x": [...], "y": [...]}]}
 * ("steps": a step function, LTK_CHART_STEPS: its value at x is the y of
 * its last point at or before x).
 * Returns a malloc'd string, or NULL on out of memory or unknown axes. */
char *ltk_chart_plot_json(const struct ltk_chart *chart, const struct ltk_chart_axes *axes);

/* Makes gnuplot's SVG fit for inlining in an HTML page: drops what comes
 * before <svg (XML prolog, DOCTYPE), the namespace declarations and
 * gnuplot's own <title>/<desc>, and puts prefix before every id and every
 * reference to one, so several charts on one page keep distinct ids.
 * prefix is letters, digits and '-' only.  Returns a malloc'd string
 * (free()), or NULL when svg holds no <svg element or on out of memory. */
char *ltk_chart_svg_inline(const char *svg, const char *prefix);

/* Downsamples n points to at most about 2 * buckets for drawing: for each
 * of buckets equal x ranges, the points with the smallest and largest y
 * (in x order; a bucket of only NANs keeps one NAN, for a gap).  x must be
 * ascending.  Writes into ox/oy (room for 2 * buckets + 2 points each) and
 * returns the count.  When n <= 2 * buckets the points are copied. */
size_t ltk_chart_downsample(const double *x, const double *y, size_t n, size_t buckets, double *ox, double *oy);

#endif

/* Helpers shared by every ltk tool: exit codes, diagnostics, colour, option
 * parsing (the shared options, numbers, durations) and the output: one
 * writer for -o/--json/--pretty/--no-color, closing standard output with its
 * errors checked. */
#ifndef LTK_CLI_H
#define LTK_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include "ltk/analyze/check.h"
#include "ltk/analyze/criteria.h"
#include "ltk/analyze/profile.h"
#include "ltk/base/error.h"
#include "ltk/base/json.h"
#include "ltk/model/hist.h"
#include "ltk/model/run.h"
#include "ltk/model/select.h"

struct ltk_rawlog_options;
struct ltk_summary;
struct ltk_template;

/* Exit statuses, the same for every tool. */
enum {
    LTK_EXIT_OK = 0,       /* success */
    LTK_EXIT_FINDING = 1,  /* a check failed or a problem was found */
    LTK_EXIT_USAGE = 2,    /* bad usage or bad input */
};

/* "prog: file:line: message" on stderr. */
void ltk_cli_error(const char *prog, const struct ltk_error *err);

/* A bad expression of the criteria language (err from its parser, text
 * the expression or line): "prog: what, column N: message" and text with a
 * caret under the column ("prog: FILE:LINE: column N: ..." when err names a
 * file); without a column, "prog: what: message". */
void ltk_cli_bad_expression(const char *prog, const char *what, const struct ltk_error *err, const char *text);

/* "prog: message" on stderr. */
void ltk_cli_fail(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints the run's warnings on stderr as "prog: warning: ...". */
void ltk_cli_print_warnings(const char *prog, const struct ltk_run *run);

/* Loads path into run (initialised by the caller) with the tool's one
 * selection (ltk_cli_selection) and raw (NULL: the defaults), then prints
 * the run's warnings.  On failure prints the error (file, line, what) and
 * returns false; the caller exits with LTK_EXIT_USAGE. */
bool ltk_cli_load(const char *prog, struct ltk_run *run, const char *path, const struct ltk_rawlog_options *raw);

/* True when colour should be used for fd: a terminal, no NO_COLOR in the
 * environment and no --no-color (no_color false). */
bool ltk_cli_color(int fd, bool no_color);

/* Closes stdout and reports a write error (a full disk is not a success).
 * Returns the exit status to use: status, or LTK_EXIT_USAGE on error. */
int ltk_cli_finish(const char *prog, int status);

/* Parses an option's number strictly (see ltk/base/num.h); on failure prints
 * "prog: --opt: expected a number, got 'x'" and returns false. */
bool ltk_cli_number(const char *prog, const char *opt, const char *text, double *out);

/* Writes one output through fn: to path atomically (a temporary file renamed
 * into place, see ltk/render/outfile.h), or to standard output when path is NULL.
 * fn returns LTK_OK or an error status (filling err when it can say more).
 * On failure prints why and returns false, leaving no partial file. */
typedef int (*ltk_cli_writer)(FILE *fp, void *ctx, struct ltk_error *err);
bool ltk_cli_write(const char *prog, const char *path, ltk_cli_writer fn, void *ctx);

/* Parses a history interval: "10", "10s", "2m", "1h" into whole seconds
 * >= 1.  On failure prints "prog: opt: expected whole seconds such as 1s,
 * 10s or 1m, got 'x'" and returns false. */
bool ltk_cli_interval(const char *prog, const char *opt, const char *text, int64_t *out);

/* ---- option parsing ------------------------------------------------------ */

/* getopt_long, except that a long option must be written in full: where
 * getopt_long would take "--skip" for --skip-bad (or call "--min" ambiguous),
 * this prints "prog: unrecognized option '--skip' (long options must be
 * written in full): did you mean '--skip-bad'?" and returns '?', as for any
 * unknown option (the caller shows its usage and exits with LTK_EXIT_USAGE).
 * Options and the argument of one (optarg) are as getopt_long leaves them. */
int ltk_cli_getopt(const char *prog, int argc, char **argv, const char *shortopts, const struct option *longopts);

/* The close spellings ltk_cli_getopt offers, for a front end that reads its
 * options by hand (tools/ltk.c): when arg is a long option ("--name" or
 * "--name=value") that names none of longopts in full but begins some of
 * them (an abbreviation) or, beginning none, is within a typo of some (one
 * edit for names of up to 4 characters, two beyond; swapping two adjacent
 * characters is one), prints "prog: unrecognized option '--name' ...: did
 * you mean '--a' or '--b'?" on stderr and returns true.  Otherwise (not a
 * long option, one named in full, or near none) prints nothing and returns
 * false. */
bool ltk_cli_near_options(const char *prog, const char *arg, const struct option *longopts);

/* The hidden option "--list-options", alone after the program name
 * ("ltk-stats --list-options"), is not in any table nor --help: on it
 * ltk_cli_getopt prints the tool's own options with ltk_cli_list_options
 * and returns LTK_OPT_LISTED, which ltk_cli_std_option turns into exit
 * status 0.  The shell completions are generated from that list
 * (tools/completions.sh), so they cannot drift from the tables. */
#define LTK_CLI_LIST_OPTIONS "--list-options"

/* Writes one line per option of the tables to fp: "--name" for each long
 * option, then "-c" for each short one (shortopts' leading '+', '-' or ':'
 * skipped), each followed by "=" when it takes a value ("--output=", "-o=")
 * and "[=]" when the value is optional.  Returns LTK_OK or LTK_EIO. */
int ltk_cli_list_options(FILE *fp, const char *shortopts, const struct option *longopts);

/* The codes of the shared long options, above any tool's own (which count
 * from 256). */
enum { LTK_OPT_JSON = 0x4000, LTK_OPT_PRETTY, LTK_OPT_NO_COLOR, LTK_OPT_LISTED };

/* Rows of a tool's option table: the shared output options, and --help,
 * --version and the end of the table (last). */
#define LTK_CLI_OPTION_JSON { "json", no_argument, NULL, LTK_OPT_JSON }
#define LTK_CLI_OPTION_PRETTY { "pretty", no_argument, NULL, LTK_OPT_PRETTY }
#define LTK_CLI_OPTION_OUTPUT { "output", required_argument, NULL, 'o' }
#define LTK_CLI_OPTION_NO_COLOR { "no-color", no_argument, NULL, LTK_OPT_NO_COLOR }
#define LTK_CLI_OPTIONS_OUTPUT LTK_CLI_OPTION_JSON, LTK_CLI_OPTION_PRETTY, LTK_CLI_OPTION_OUTPUT, LTK_CLI_OPTION_NO_COLOR
#define LTK_CLI_OPTIONS_END { "help", no_argument, NULL, 'h' }, { "version", no_argument, NULL, 'V' }, { NULL, 0, NULL, 0 }

/* The lines of --help for the options every tool spells alike, in this
 * order: --pretty, -o/--output, --no-color, then -h/--help and -V/--version
 * (which: LTK_HELP_ bits).  column is where the tool's descriptions start;
 * --pretty is indented as a long option beside "-o, " with
 * LTK_HELP_PRETTY_LONG_INDENT (--no-color always is).  The text is kept
 * once, here, and each tool's help stays aligned in its own columns. */
enum {
    LTK_HELP_PRETTY = 1u << 0,
    LTK_HELP_OUTPUT = 1u << 1,
    LTK_HELP_NO_COLOR = 1u << 2,
    LTK_HELP_STD = 1u << 3,
    LTK_HELP_PRETTY_LONG_INDENT = 1u << 4,
};
void ltk_cli_help_common(FILE *out, int column, unsigned which);

/* The options of raw request logs (ltk stats, summarize, compare), their
 * codes and rows. */
enum { LTK_OPT_METHOD = 0x4100, LTK_OPT_PERCENTILES, LTK_OPT_INTERVAL, LTK_OPT_FOLD, LTK_OPT_MAX_NAMES,
       LTK_OPT_SKIP_BAD, LTK_OPT_COLUMNS };
#define LTK_CLI_OPTION_METHOD { "method", required_argument, NULL, LTK_OPT_METHOD }
#define LTK_CLI_OPTION_FOLD { "fold", no_argument, NULL, LTK_OPT_FOLD }
#define LTK_CLI_OPTIONS_RAW                                                                                      \
    LTK_CLI_OPTION_METHOD, { "percentiles", required_argument, NULL, LTK_OPT_PERCENTILES },                      \
        { "interval", required_argument, NULL, LTK_OPT_INTERVAL }, LTK_CLI_OPTION_FOLD,                          \
        { "max-names", required_argument, NULL, LTK_OPT_MAX_NAMES },                                             \
        { "skip-bad", no_argument, NULL, LTK_OPT_SKIP_BAD }, { "columns", required_argument, NULL, LTK_OPT_COLUMNS }
/* The --help lines of --columns: every role (mancheck compares them with
 * the man page), at the 19th column. */
#define LTK_CLI_HELP_COLUMNS                                                                                     \
    "  --columns SPEC   name the columns: name=COL,time=COL[,ok=COL][,ts=COL]\n"                               \
    "                   [,method=COL][,error=COL][,bytes=COL][,users=COL]\n"                                   \
    "                   [,status=COL][,latency=COL][,connect=COL][,tls=COL]\n"

/* Times a tool asks a raw log to count successes at (Apdex, ranges). */
#define LTK_CLI_MAX_CUTS 64

/* --apdex-t T: a time above 0 ("500ms", "0.5s", a bare number is ms) into
 * *ms; false after printing why. */
bool ltk_cli_apdex_t(const char *prog, const char *arg, double *ms);

/* The options of the latency sections (ltk stats, ltk report): --apdex-t T
 * and --ranges L, their codes and rows, and what they asked for. */
enum { LTK_OPT_APDEX_T = 0x4400, LTK_OPT_RANGES };
#define LTK_CLI_OPTIONS_LATENCY                                                                                  \
    { "apdex-t", required_argument, NULL, LTK_OPT_APDEX_T }, { "ranges", required_argument, NULL, LTK_OPT_RANGES }
struct ltk_cli_latency {
    double apdex_t_ms;                     /* 0: no --apdex-t */
    double ranges[LTK_CLI_MAX_CUTS / 2];   /* --ranges' cuts, ms ascending */
    size_t nranges;
    double cuts[LTK_CLI_MAX_CUTS];         /* the times a raw log counts at */
    size_t ncuts;
};

/* Takes c when it is --apdex-t or --ranges (arg its value): returns true,
 * with *ok false after a message when the value is bad.  Returns false for
 * any other c. */
bool ltk_cli_latency_option(const char *prog, int c, const char *arg, struct ltk_cli_latency *l, bool *ok);

/* Points raw's cuts at the times a raw log is to count successes at
 * exactly while read: the ranges' cuts, T and 4T of --apdex-t, and those
 * of check's criteria (check may be NULL). */
void ltk_cli_latency_cuts(struct ltk_cli_latency *l, const struct ltk_check_opts *check,
                          struct ltk_rawlog_options *raw);

/* A table's percentile columns from --percentiles ("90,99.9"). */
struct ltk_cli_pct {
    double *q;        /* fractions */
    char **label;     /* "90", "99.9" */
    size_t n;
};

/* Parses spec into p (empty first); false after printing why. */
bool ltk_cli_pct_parse(const char *prog, const char *spec, struct ltk_cli_pct *p);
void ltk_cli_pct_release(struct ltk_cli_pct *p);

/* The options that choose the criteria of a check (ltk check, and the
 * verdict of ltk report): -t/--type, -c/--criterion (repeatable),
 * --criteria FILE and --skip D, their codes and rows. */
enum { LTK_OPT_CRITERIA = 0x4200, LTK_OPT_SKIP };
#define LTK_CLI_OPTIONS_CRITERIA                                                                                 \
    { "type", required_argument, NULL, 't' }, { "criterion", required_argument, NULL, 'c' },                     \
        { "criteria", required_argument, NULL, LTK_OPT_CRITERIA }, { "skip", required_argument, NULL, LTK_OPT_SKIP }

/* What those options asked for.  Start with LTK_CLI_CRITERIA_INIT; after
 * the options, ltk_cli_criteria_finish reads the --criteria file and points
 * check.criteria at all of them (none: the type's built-in profile);
 * ltk_cli_criteria_release frees them. */
struct ltk_cli_criteria {
    struct ltk_check_opts check;
    struct ltk_criterion *crit;  /* -c's, then the file's */
    size_t ncrit;
    const char *file;            /* --criteria */
};
#define LTK_CLI_CRITERIA_INIT { .check = { .type = LTK_TT_UNKNOWN } }

/* Takes c when it is one of the criteria options (arg its value): returns
 * true, with *ok false after a message (a bad type, a bad expression with a
 * caret under its column, a bad duration).  Returns false for any other c. */
bool ltk_cli_criteria_option(const char *prog, int c, const char *arg, struct ltk_cli_criteria *cc, bool *ok);

/* Reads the --criteria file, if one was given, and sets cc->check's
 * criteria.  On failure prints why (the file's line and column) and returns
 * false. */
bool ltk_cli_criteria_finish(const char *prog, struct ltk_cli_criteria *cc);

void ltk_cli_criteria_release(struct ltk_cli_criteria *cc);

/* The options that select a part of each run while it is loaded (every tool
 * that reads runs): --from T, --to T, --only RE, --exclude RE (the last two
 * repeatable), their codes, rows and lines of --help (ltk/model/select.h
 * says what they mean). */
enum { LTK_OPT_FROM = 0x4300, LTK_OPT_TO, LTK_OPT_ONLY, LTK_OPT_EXCLUDE };
#define LTK_CLI_OPTIONS_SELECT                                                                                   \
    { "from", required_argument, NULL, LTK_OPT_FROM }, { "to", required_argument, NULL, LTK_OPT_TO },           \
        { "only", required_argument, NULL, LTK_OPT_ONLY }, { "exclude", required_argument, NULL, LTK_OPT_EXCLUDE }
#define LTK_CLI_HELP_SELECT                                                                                      \
    "part of the run (see docs/window-and-filters.md):\n"                                                        \
    "  --from T         leave out what came before T: 90s or 10m since the run's\n"                             \
    "                   start, @UNIX seconds, or 2026-12-07T13:05:00Z\n"                                         \
    "  --to T           leave out what came after T (the same forms)\n"                                         \
    "  --only RE        keep the endpoints whose \"METHOD name\" matches RE (POSIX\n"                            \
    "                   extended regex; repeatable: any of them)\n"                                             \
    "  --exclude RE     leave out the endpoints that match RE (repeatable; wins)\n"

/* Takes c when it is one of the selection options (arg its value), into
 * the tool's one selection (ltk_cli_selection): returns true, with *ok false
 * after a message (a bad time, --to not after --from, a bad regular
 * expression with regerror's words).  Returns false for any other c. */
bool ltk_cli_select_option(const char *prog, int c, const char *arg, bool *ok);

/* What the selection options asked for: one per process (a tool selects
 * every run it reads alike), released when the process exits. */
const struct ltk_select *ltk_cli_selection(void);

/* Takes c when it is an option of raw request logs (arg its value, up to
 * max_names for --max-names), setting raw: returns true, with *ok false
 * after a message when the value is bad.  Returns false for any other c. */
bool ltk_cli_raw_option(const char *prog, int c, const char *arg, struct ltk_rawlog_options *raw, uint64_t max_names,
                        bool *ok);

/* What ltk_cli_getopt returned for the options every tool has, -h, -V and
 * an unknown one ('?'): shows the help (usage(stdout)) or the version and
 * returns the status to exit with, LTK_EXIT_OK; or shows usage(stderr) and
 * returns LTK_EXIT_USAGE.  LTK_OPT_LISTED (the options are already listed)
 * returns LTK_EXIT_OK, or LTK_EXIT_USAGE when standard output failed. */
int ltk_cli_std_option(const char *prog, int c, void (*usage)(FILE *out));

/* Strict option values.  Each prints "prog: opt: expected ..., got 'text'"
 * and returns false when text is not one. */

/* A whole number from lo to hi (hi UINT64_MAX: no upper limit). */
bool ltk_cli_count(const char *prog, const char *opt, const char *text, uint64_t lo, uint64_t hi, uint64_t *out);

/* A whole number of seconds from lo to 1e9: "30s", "2m", "1h", or plain
 * seconds. */
bool ltk_cli_seconds(const char *prog, const char *opt, const char *text, int64_t lo, int64_t *out);

/* A duration with a unit ("2s", "500ms"), in seconds. */
bool ltk_cli_duration(const char *prog, const char *opt, const char *text, double *out);

/* --type: smoke, load, stress, spike or soak. */
bool ltk_cli_test_type(const char *prog, const char *text, enum ltk_test_type *out);

/* --method: hdr, locust or exact. */
bool ltk_cli_hist_method(const char *prog, const char *text, enum ltk_hist_method *out);

/* For a tool that reads one RUN: true when nargs (the arguments left after
 * the options) is 1, else says there is none or more than one. */
bool ltk_cli_one_run(const char *prog, int nargs);

/* ---- output -------------------------------------------------------------- */

/* The forms of output.  LTK_FMT_TEXT is the terminal table (--format table). */
enum ltk_cli_format { LTK_FMT_TEXT, LTK_FMT_JSON, LTK_FMT_HTML, LTK_FMT_MD };

/* What the shared output options asked for. */
struct ltk_cli_out {
    enum ltk_cli_format format; /* --json: LTK_FMT_JSON; --format where a tool has it */
    bool pretty;                /* --pretty: indent the JSON */
    bool no_color;              /* --no-color */
    const char *path;           /* -o F; NULL: standard output */
    /* The runs whose selection (--from/--to/--only/--exclude) the output
     * states: ltk_cli_show writes it above the text and adds "selection" to
     * the JSON (see ltk_cli_selection_json).  NULL: none. */
    const struct ltk_run *runs;
    size_t nruns;
};

/* The "selection" of a tool's JSON document for runs[0..n) (NULL when none
 * of them was selected, or out of memory: *oom then true): the one run's
 * object, or an array of one object per run. */
cJSON *ltk_cli_selection_json(const struct ltk_run *runs, size_t n, bool *oom);

/* Adds "selection" to doc (an object; or to each of the n objects of an
 * array of n documents, one per run).  Returns false when out of memory. */
bool ltk_cli_add_selection(cJSON *doc, const struct ltk_run *runs, size_t n);

/* Writes the selection lines of each selected run (prefixed by its label
 * when there are several).  Returns LTK_OK or LTK_EIO. */
int ltk_cli_selection_text(FILE *fp, const struct ltk_run *runs, size_t n);

/* Takes c when it is a shared output option (--json, --pretty, --no-color,
 * -o with arg): returns true, having set o. */
bool ltk_cli_out_option(struct ltk_cli_out *o, int c, const char *arg);

/* --format: text is one of the n formats in allowed ("table", "json",
 * "html", "md" or "markdown"); on failure prints "prog: --format: expected
 * html, md or json, got 'x'" (the allowed ones in their order). */
bool ltk_cli_format(const char *prog, const char *text, const enum ltk_cli_format *allowed, size_t n,
                    struct ltk_cli_out *o);

/* True when text for o is to be coloured: standard output, a terminal, no
 * --no-color nor NO_COLOR. */
bool ltk_cli_out_color(const struct ltk_cli_out *o);

/* What a rendering of a result is given: the result, the name of its input
 * where the output shows one (else NULL), and whether text is coloured. */
struct ltk_cli_view {
    const void *data;
    const char *label;
    bool color;
};

/* A result's two renderings: text, and a new JSON document (NULL when out
 * of memory). */
typedef int (*ltk_cli_text_fn)(FILE *fp, const struct ltk_cli_view *v);
typedef cJSON *(*ltk_cli_json_fn)(const struct ltk_cli_view *v);

/* Writes data to o->path (atomically, see ltk_cli_write) or standard output:
 * the document of json when o->format is LTK_FMT_JSON (indented with
 * --pretty), else the text.  On failure prints why and returns false,
 * leaving no partial file. */
bool ltk_cli_show(const char *prog, const struct ltk_cli_out *o, ltk_cli_text_fn text, ltk_cli_json_fn json,
                  const void *data, const char *label);

/* Writes summary as ltk.summary/2 to path (NULL: standard output) as
 * ltk_cli_write does. */
bool ltk_cli_write_summary(const char *prog, const char *path, const struct ltk_summary *summary);

/* The template name ("report.html"): DIR/name when dir is given and not
 * empty, else the built-in one. */
int ltk_cli_template(const char *dir, const char *name, struct ltk_template **t, struct ltk_error *err);

/* Prints "prog (ltk) VERSION (commit C)", C what "git describe --always
 * --dirty" said at build time, or "unknown" outside a git checkout. */
void ltk_cli_version(const char *prog);

#endif

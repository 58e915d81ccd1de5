/* Shared CLI helpers (see cli.h). */
#include "cli.h"

#include "ltk/render/outfile.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ltk/analyze/criteria.h"
#include "ltk/analyze/latency.h"
#include "ltk/base/input.h"
#include "ltk/base/num.h"
#include "ltk/read/load.h"
#include "ltk/read/rawlog.h"
#include "ltk/read/summary_json.h"
#include "ltk/render/select_view.h"
#include "ltk/render/template.h"
#include "ltk/version.h"
#include "ltk_commit.h"

/* A tool stopped by a signal (Ctrl-C, kill, a closed terminal or pipe)
 * removes its temporary files before it dies, then dies of the signal as
 * it would have (the exit status says which).  Installed before main in
 * every tool; a signal the caller ignores (nohup) stays ignored. */
static void on_stop_signal(int sig)
{
    ltk_tmp_remove_all();
    signal(sig, SIG_DFL);
    raise(sig);
}

__attribute__((constructor)) static void install_stop_handlers(void)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_stop_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

void ltk_cli_error(const char *prog, const struct ltk_error *err)
{
    char buf[1200];
    fprintf(stderr, "%s: %s\n", prog, ltk_error_format(err, buf, sizeof buf));
}

void ltk_cli_bad_expression(const char *prog, const char *what, const struct ltk_error *err, const char *text)
{
    if (!err->column) {
        fprintf(stderr, "%s: %s: %s\n", prog, what, err->msg);
        return;
    }
    char caret[2 * LTK_CRITERION_MAX_LEN + 64];
    ltk_criteria_caret(text, err->column, caret, sizeof caret);
    if (err->file[0])
        fprintf(stderr, "%s: %s:%ld: column %ld: %s\n%s\n", prog, err->file, err->line, err->column, err->msg, caret);
    else
        fprintf(stderr, "%s: %s, column %ld: %s\n%s\n", prog, what, err->column, err->msg, caret);
}

void ltk_cli_fail(const char *prog, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void ltk_cli_print_warnings(const char *prog, const struct ltk_run *run)
{
    for (size_t i = 0; i < run->nwarnings; i++)
        fprintf(stderr, "%s: warning: %s\n", prog, run->warnings[i]);
}

bool ltk_cli_load(const char *prog, struct ltk_run *run, const char *path, const struct ltk_rawlog_options *raw)
{
    struct ltk_error err;
    ltk_error_clear(&err);
    if (ltk_run_load_select(run, path, raw, ltk_cli_selection(), &err)) {
        ltk_cli_error(prog, &err);
        return false;
    }
    ltk_cli_print_warnings(prog, run);
    return true;
}

bool ltk_cli_color(int fd, bool no_color)
{
    const char *nc = getenv("NO_COLOR");
    if (no_color || (nc && *nc))
        return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fd) == 1;
}

int ltk_cli_finish(const char *prog, int status)
{
    int bad = fflush(stdout) != 0 || ferror(stdout);
    int e = errno;
    if (fclose(stdout) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        fprintf(stderr, "%s: cannot write to standard output: %s\n", prog, strerror(e));
        return LTK_EXIT_USAGE;
    }
    return status;
}

bool ltk_cli_write(const char *prog, const char *path, ltk_cli_writer fn, void *ctx)
{
    struct ltk_error err;
    ltk_error_clear(&err);
    struct ltk_outfile out;
    if (ltk_outfile_open(&out, path, &err)) {
        ltk_cli_error(prog, &err);
        return false;
    }
    int rc = fn(out.fp, ctx, &err);
    if (rc) {
        ltk_outfile_abort(&out);
        if (err.msg[0])
            ltk_cli_error(prog, &err);
        else
            ltk_cli_fail(prog, "cannot write %s: %s", path ? path : "standard output", ltk_strerror(rc));
        return false;
    }
    if (ltk_outfile_commit(&out, &err)) {
        ltk_cli_error(prog, &err);
        return false;
    }
    return true;
}

void ltk_cli_version(const char *prog)
{
    printf("%s (ltk) %s (commit %s)\n", prog, LTK_VERSION, LTK_COMMIT);
}

bool ltk_cli_number(const char *prog, const char *opt, const char *text, double *out)
{
    const char *why = ltk_parse_real(text, out);
    if (why) {
        fprintf(stderr, "%s: %s: expected %s, got '%s'\n", prog, opt, why, text);
        return false;
    }
    return true;
}

bool ltk_cli_interval(const char *prog, const char *opt, const char *text, int64_t *out)
{
    char num[32];
    size_t n = strlen(text);
    int64_t mult = 1;
    if (n && (text[n - 1] == 's' || text[n - 1] == 'm' || text[n - 1] == 'h')) {
        mult = text[n - 1] == 's' ? 1 : text[n - 1] == 'm' ? 60 : 3600;
        n--;
    }
    int64_t v;
    if (n > 0 && n < sizeof num) {
        memcpy(num, text, n);
        num[n] = '\0';
        if (!ltk_parse_int(num, &v) && v >= 1 && v <= (int64_t)1 << 40) {
            *out = v * mult;
            return true;
        }
    }
    ltk_cli_fail(prog, "%s: expected whole seconds such as 1s, 10s or 1m, got '%s'", opt, text);
    return false;
}

/* ---- option parsing ---- */

/* The element of argv getopt_long takes up next (it skips what is not an
 * option, unless it keeps the order), or NULL when the options end. */
static const char *next_option(int argc, char **argv, const char *shortopts, int *at)
{
    bool in_order = shortopts[0] == '+' || shortopts[0] == '-' || getenv("POSIXLY_CORRECT");
    for (int i = optind > 0 ? optind : 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1]) {
            *at = i;
            return strcmp(a, "--") == 0 ? NULL : a;
        }
        if (in_order)
            return NULL;
    }
    return NULL;
}

int ltk_cli_list_options(FILE *fp, const char *shortopts, const struct option *longopts)
{
    static const char *const takes[] = { [no_argument] = "", [required_argument] = "=",
                                         [optional_argument] = "[=]" };
    for (const struct option *o = longopts; o->name; o++)
        fprintf(fp, "--%s%s\n", o->name, o->has_arg >= 0 && o->has_arg <= 2 ? takes[o->has_arg] : "");
    const char *p = shortopts + strspn(shortopts, "+-:");
    for (; *p; p++) {
        if (*p == ':')
            continue;
        int arg = p[1] != ':' ? no_argument : p[2] != ':' ? required_argument : optional_argument;
        fprintf(fp, "-%c%s\n", *p, takes[arg]);
    }
    return ferror(fp) ? LTK_EIO : LTK_OK;
}

/* Optimal string alignment distance (Damerau-Levenshtein with adjacent
 * transpositions) between a[0..n) and b, capped: anything above 3 is 3. */
static size_t typo_distance(const char *a, size_t n, const char *b)
{
    size_t m = strlen(b);
    if (n > 40 || m > 40)
        return 3;
    size_t d[41][41];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[n][m] > 3 ? 3 : d[n][m];
}

/* A typo's allowance: one edit for names of up to 4 characters, two beyond. */
static size_t typo_allowed(size_t len)
{
    return len <= 4 ? 1 : 2;
}

/* Whether longopts' option o is near the n characters of name: one it
 * begins (prefix), else one within a typo of it. */
static bool near_option(const struct option *o, const char *name, size_t n, bool prefix)
{
    return prefix ? strncmp(o->name, name, n) == 0 : typo_distance(name, n, o->name) <= typo_allowed(n);
}

bool ltk_cli_near_options(const char *prog, const char *arg, const struct option *longopts)
{
    if (!arg || arg[0] != '-' || arg[1] != '-')
        return false;
    const char *name = arg + 2;
    size_t len = strcspn(name, "=");  /* "--name=value": the name */
    if (!len)
        return false;
    size_t nprefix = 0, ntypo = 0;
    for (const struct option *o = longopts; o->name; o++) {
        if (strncmp(o->name, name, len) == 0) {
            if (o->name[len] == '\0')
                return false;  /* named in full */
            nprefix++;
        }
        ntypo += near_option(o, name, len, false);
    }
    bool prefix = nprefix > 0;
    size_t n = prefix ? nprefix : ntypo;
    if (!n)
        return false;
    fprintf(stderr, "%s: unrecognized option '--%.*s'%s: did you mean ", prog, (int)len, name,
            prefix ? " (long options must be written in full)" : "");
    size_t i = 0;
    for (const struct option *o = longopts; o->name; o++) {
        if (!near_option(o, name, len, prefix))
            continue;
        i++;
        fprintf(stderr, "%s'--%s'", i == 1 ? "" : i == n ? " or " : ", ", o->name);
    }
    fputs("?\n", stderr);
    return true;
}

int ltk_cli_getopt(const char *prog, int argc, char **argv, const char *shortopts, const struct option *longopts)
{
    if (optind <= 1 && argc == 2 && strcmp(argv[1], LTK_CLI_LIST_OPTIONS) == 0) {
        ltk_cli_list_options(stdout, shortopts, longopts);
        optind = 2;
        return LTK_OPT_LISTED;
    }
    int at = 0;
    const char *a = next_option(argc, argv, shortopts, &at);
    if (a && ltk_cli_near_options(prog, a, longopts)) {
        optind = at + 1;
        optopt = 0;
        return '?';
    }
    return getopt_long(argc, argv, shortopts, longopts, NULL);  /* unknown and near none: its own message */
}

void ltk_cli_help_common(FILE *out, int column, unsigned which)
{
    static const struct {
        unsigned bit;
        const char *name, *text;
    } lines[] = {
        { LTK_HELP_PRETTY, "  --pretty", "indent the JSON" },
        { LTK_HELP_OUTPUT, "  -o, --output F", "write to F (atomically) instead of standard output" },
        { LTK_HELP_NO_COLOR, "      --no-color", "no colours (also when NO_COLOR is set)" },
        { LTK_HELP_STD, "  -h, --help", "show this help" },
        { LTK_HELP_STD, "  -V, --version", "show the version" },
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        if (!(which & lines[i].bit))
            continue;
        const char *indent = lines[i].bit == LTK_HELP_PRETTY && (which & LTK_HELP_PRETTY_LONG_INDENT) ? "    " : "";
        int pad = column - (int)(strlen(indent) + strlen(lines[i].name));
        fprintf(out, "%s%s%*s%s\n", indent, lines[i].name, pad > 1 ? pad : 1, "", lines[i].text);
    }
}

int ltk_cli_std_option(const char *prog, int c, void (*usage)(FILE *out))
{
    if (c == 'h') {
        usage(stdout);
        return ltk_cli_finish(prog, LTK_EXIT_OK);
    }
    if (c == 'V') {
        ltk_cli_version(prog);
        return ltk_cli_finish(prog, LTK_EXIT_OK);
    }
    if (c == LTK_OPT_LISTED)
        return ltk_cli_finish(prog, LTK_EXIT_OK);
    usage(stderr);
    return LTK_EXIT_USAGE;
}

bool ltk_cli_count(const char *prog, const char *opt, const char *text, uint64_t lo, uint64_t hi, uint64_t *out)
{
    uint64_t v;
    if (ltk_parse_count(text, &v) == NULL && v >= lo && v <= hi) {
        *out = v;
        return true;
    }
    if (hi == UINT64_MAX)
        ltk_cli_fail(prog, "%s: expected a whole number >= %llu, got '%s'", opt, (unsigned long long)lo, text);
    else
        ltk_cli_fail(prog, "%s: expected a whole number from %llu to %llu, got '%s'", opt, (unsigned long long)lo,
                     (unsigned long long)hi, text);
    return false;
}

bool ltk_cli_seconds(const char *prog, const char *opt, const char *text, int64_t lo, int64_t *out)
{
    double v;
    if (ltk_parse_duration(text, 1, &v) || v != floor(v) || v < (double)lo || v > 1e9) {
        ltk_cli_fail(prog, "%s: expected a whole number of seconds%s (30s, 2m), got '%s'", opt,
                     lo > 0 ? " above 0" : "", text);
        return false;
    }
    *out = (int64_t)v;
    return true;
}

bool ltk_cli_duration(const char *prog, const char *opt, const char *text, double *out)
{
    const char *why = ltk_parse_duration(text, 0, out);
    if (why)
        ltk_cli_fail(prog, "%s: expected %s, got '%s'", opt, why, text);
    return !why;
}

bool ltk_cli_test_type(const char *prog, const char *text, enum ltk_test_type *out)
{
    if (ltk_test_type_parse(text, out) == LTK_OK)
        return true;
    ltk_cli_fail(prog, "--type: expected smoke, load, stress, spike or soak, got '%s'", text);
    return false;
}

bool ltk_cli_hist_method(const char *prog, const char *text, enum ltk_hist_method *out)
{
    if (ltk_hist_method_parse(text, out) == LTK_OK)
        return true;
    ltk_cli_fail(prog, "--method: expected hdr, locust or exact, got '%s'", text);
    return false;
}

static int add_criteria(struct ltk_cli_criteria *cc, struct ltk_criterion *more, size_t nmore)
{
    struct ltk_criterion *p = realloc(cc->crit, (cc->ncrit + nmore + 1) * sizeof *p);
    if (!p)
        return LTK_ENOMEM;
    memcpy(p + cc->ncrit, more, nmore * sizeof *more);
    cc->crit = p;
    cc->ncrit += nmore;
    return LTK_OK;
}

bool ltk_cli_apdex_t(const char *prog, const char *arg, double *ms)
{
    char why[160];
    if (ltk_parse_cuts(arg, ms, 1, why, sizeof why) != 1) {
        ltk_cli_fail(prog, "--apdex-t: %s", why);
        return false;
    }
    return true;
}

bool ltk_cli_latency_option(const char *prog, int c, const char *arg, struct ltk_cli_latency *l, bool *ok)
{
    *ok = true;
    switch (c) {
    case LTK_OPT_APDEX_T: *ok = ltk_cli_apdex_t(prog, arg, &l->apdex_t_ms); return true;
    case LTK_OPT_RANGES: {
        char why[160];
        int n = ltk_parse_cuts(arg, l->ranges, sizeof l->ranges / sizeof l->ranges[0], why, sizeof why);
        if (n < 0) {
            ltk_cli_fail(prog, "--ranges: %s", why);
            *ok = false;
        } else {
            l->nranges = (size_t)n;
        }
        return true;
    }
    default: return false;
    }
}

void ltk_cli_latency_cuts(struct ltk_cli_latency *l, const struct ltk_check_opts *check,
                          struct ltk_rawlog_options *raw)
{
    l->ncuts = 0;
    if (check)
        (void)ltk_check_cuts(check, l->cuts, &l->ncuts, LTK_CLI_MAX_CUTS);
    for (size_t k = 0; k < l->nranges; k++)
        ltk_cuts_add(l->cuts, &l->ncuts, LTK_CLI_MAX_CUTS, l->ranges[k]);
    if (l->apdex_t_ms > 0) {
        ltk_cuts_add(l->cuts, &l->ncuts, LTK_CLI_MAX_CUTS, l->apdex_t_ms);
        ltk_cuts_add(l->cuts, &l->ncuts, LTK_CLI_MAX_CUTS, LTK_APDEX_TOLERATING * l->apdex_t_ms);
    }
    raw->cuts = l->cuts;
    raw->ncuts = l->ncuts;
}

bool ltk_cli_pct_parse(const char *prog, const char *spec, struct ltk_cli_pct *p)
{
    struct ltk_error err;
    ltk_error_clear(&err);
    if (ltk_rawlog_parse_percentiles(spec, &p->q, &p->label, &p->n, &err)) {
        ltk_cli_error(prog, &err);
        return false;
    }
    return true;
}

void ltk_cli_pct_release(struct ltk_cli_pct *p)
{
    for (size_t k = 0; p->label && k < p->n; k++)
        free(p->label[k]);
    free(p->label);
    free(p->q);
    memset(p, 0, sizeof *p);
}

bool ltk_cli_criteria_option(const char *prog, int c, const char *arg, struct ltk_cli_criteria *cc, bool *ok)
{
    *ok = true;
    switch (c) {
    case 't': *ok = ltk_cli_test_type(prog, arg, &cc->check.type); return true;
    case 'c': {
        struct ltk_criterion one;
        struct ltk_error err;
        ltk_error_clear(&err);
        int rc = ltk_criterion_parse(arg, &one, &err);
        if (rc == LTK_EINVAL) {
            ltk_cli_bad_expression(prog, "bad criterion", &err, arg);
            *ok = false;
        } else if (rc) {
            ltk_cli_error(prog, &err);
            *ok = false;
        } else if (add_criteria(cc, &one, 1)) {
            ltk_criterion_release(&one);
            ltk_cli_fail(prog, "out of memory");
            *ok = false;
        }
        return true;
    }
    case LTK_OPT_CRITERIA: cc->file = arg; return true;
    case LTK_OPT_SKIP: *ok = ltk_cli_seconds(prog, "--skip", arg, 0, &cc->check.skip_s); return true;
    default: return false;
    }
}

bool ltk_cli_criteria_finish(const char *prog, struct ltk_cli_criteria *cc)
{
    if (cc->file) {
        FILE *fp;
        struct ltk_error err;
        ltk_error_clear(&err);
        if (ltk_open_input(cc->file, &fp, &err)) {  /* a directory is named as one */
            ltk_cli_error(prog, &err);
            return false;
        }
        struct ltk_criterion *more;
        size_t nmore;
        char badline[LTK_CRITERION_MAX_LEN + 2];
        ltk_error_clear(&err);
        int rc = ltk_criteria_read(fp, cc->file, &more, &nmore, badline, sizeof badline, &err);
        fclose(fp);
        if (rc == LTK_EINVAL && err.column) {
            ltk_cli_bad_expression(prog, "bad criterion", &err, badline);
        } else if (rc) {
            ltk_cli_error(prog, &err);
        } else if (!nmore) {
            ltk_cli_fail(prog, "%s: no criteria in the file", cc->file);
            rc = LTK_EINVAL;
        } else if (add_criteria(cc, more, nmore)) {
            ltk_criteria_free(more, nmore);
            ltk_cli_fail(prog, "out of memory");
            rc = LTK_ENOMEM;
        } else {
            free(more);
        }
        if (rc)
            return false;
    }
    cc->check.criteria = cc->crit;
    cc->check.ncriteria = cc->ncrit;
    return true;
}

void ltk_cli_criteria_release(struct ltk_cli_criteria *cc)
{
    ltk_criteria_free(cc->crit, cc->ncrit);
    cc->crit = NULL;
    cc->ncrit = 0;
    cc->check.criteria = NULL;
    cc->check.ncriteria = 0;
}

bool ltk_cli_raw_option(const char *prog, int c, const char *arg, struct ltk_rawlog_options *raw, uint64_t max_names,
                        bool *ok)
{
    uint64_t n;
    *ok = true;
    switch (c) {
    case LTK_OPT_METHOD: *ok = ltk_cli_hist_method(prog, arg, &raw->method); return true;
    case LTK_OPT_PERCENTILES: raw->percentiles = arg; return true;
    case LTK_OPT_INTERVAL: *ok = ltk_cli_interval(prog, "--interval", arg, &raw->interval_s); return true;
    case LTK_OPT_FOLD: raw->fold = true; return true;
    case LTK_OPT_MAX_NAMES:
        *ok = ltk_cli_count(prog, "--max-names", arg, 1, max_names, &n);
        if (*ok)
            raw->max_names = (size_t)n;
        return true;
    case LTK_OPT_SKIP_BAD: raw->skip_bad = true; return true;
    case LTK_OPT_COLUMNS: raw->columns = arg; return true;
    default: return false;
    }
}

static struct ltk_select the_selection;
static bool selection_made;

static void release_selection(void)
{
    ltk_select_release(&the_selection);
}

static struct ltk_select *selection(void)
{
    if (!selection_made) {
        ltk_select_init(&the_selection);
        atexit(release_selection);
        selection_made = true;
    }
    return &the_selection;
}

const struct ltk_select *ltk_cli_selection(void)
{
    return selection();
}

bool ltk_cli_select_option(const char *prog, int c, const char *arg, bool *ok)
{
    struct ltk_select *sel = selection();
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc;
    switch (c) {
    case LTK_OPT_FROM:
    case LTK_OPT_TO: rc = ltk_select_set_time(sel, c == LTK_OPT_TO, arg, &err); break;
    case LTK_OPT_ONLY:
    case LTK_OPT_EXCLUDE: rc = ltk_select_add_pattern(sel, c == LTK_OPT_EXCLUDE, arg, &err); break;
    default: return false;
    }
    *ok = rc == LTK_OK;
    if (!*ok) {
        if ((c == LTK_OPT_FROM || c == LTK_OPT_TO) && strncmp(err.msg, "--", 2) != 0)
            ltk_cli_fail(prog, "%s: %s", c == LTK_OPT_FROM ? "--from" : "--to", err.msg);
        else
            ltk_cli_fail(prog, "%s", err.msg);
    }
    return true;
}

cJSON *ltk_cli_selection_json(const struct ltk_run *runs, size_t n, bool *oom)
{
    *oom = false;
    bool any = false;
    for (size_t i = 0; i < n; i++)
        any = any || ltk_selection_active(&runs[i]);
    if (!any)
        return NULL;
    if (n == 1) {
        cJSON *one = ltk_selection_to_json(&runs[0]);
        *oom = !one;
        return one;
    }
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < n; i++) {
        cJSON *one = ltk_selection_to_json(&runs[i]);
        if (!one || !cJSON_AddItemToArray(a, one)) {
            cJSON_Delete(one);
            cJSON_Delete(a);
            a = NULL;
        }
    }
    *oom = !a;
    return a;
}

bool ltk_cli_add_selection(cJSON *doc, const struct ltk_run *runs, size_t n)
{
    if (!doc || !runs)
        return true;
    bool per_run = cJSON_IsArray(doc) && (size_t)cJSON_GetArraySize(doc) == n;
    for (size_t i = 0; i < (per_run ? n : 1); i++) {
        cJSON *target = per_run ? cJSON_GetArrayItem(doc, (int)i) : doc;
        bool oom;
        cJSON *sel = ltk_cli_selection_json(per_run ? &runs[i] : runs, per_run ? 1 : n, &oom);
        if (oom)
            return false;
        if (sel && (!cJSON_IsObject(target) || !cJSON_AddItemToObject(target, "selection", sel))) {
            cJSON_Delete(sel);
            return false;
        }
    }
    return true;
}

int ltk_cli_selection_text(FILE *fp, const struct ltk_run *runs, size_t n)
{
    for (size_t i = 0; runs && i < n; i++) {
        if (!ltk_selection_active(&runs[i]))
            continue;
        if (n > 1 && fprintf(fp, "%s:\n", runs[i].label) < 0)
            return LTK_EIO;
        int rc = ltk_selection_write_text(fp, &runs[i]);
        if (rc)
            return rc;
    }
    return LTK_OK;
}

bool ltk_cli_one_run(const char *prog, int nargs)
{
    if (nargs == 1)
        return true;
    ltk_cli_fail(prog, nargs < 1 ? "no input: give a Locust --csv prefix or file (see --help)"
                                 : "one run at a time (see --help)");
    return false;
}

/* ---- output ---- */

bool ltk_cli_out_option(struct ltk_cli_out *o, int c, const char *arg)
{
    switch (c) {
    case LTK_OPT_JSON: o->format = LTK_FMT_JSON; return true;
    case LTK_OPT_PRETTY: o->pretty = true; return true;
    case LTK_OPT_NO_COLOR: o->no_color = true; return true;
    case 'o': o->path = arg; return true;
    default: return false;
    }
}

static const char *const format_names[] = { "table", "json", "html", "md" };

bool ltk_cli_format(const char *prog, const char *text, const enum ltk_cli_format *allowed, size_t n,
                    struct ltk_cli_out *o)
{
    const char *name = strcmp(text, "markdown") == 0 ? "md" : text;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(name, format_names[allowed[i]]) == 0) {
            o->format = allowed[i];
            return true;
        }
    }
    fprintf(stderr, "%s: --format: expected ", prog);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", format_names[allowed[i]]);
    fprintf(stderr, ", got '%s'\n", text);
    return false;
}

bool ltk_cli_out_color(const struct ltk_cli_out *o)
{
    return !o->path && ltk_cli_color(STDOUT_FILENO, o->no_color);
}

struct show_ctx {
    const struct ltk_cli_out *o;
    ltk_cli_text_fn text;
    ltk_cli_json_fn json;
    struct ltk_cli_view view;
};

static int show(FILE *fp, void *ctx, struct ltk_error *err)
{
    (void)err;
    const struct show_ctx *s = ctx;
    if (s->o->format != LTK_FMT_JSON) {
        int rc = ltk_cli_selection_text(fp, s->o->runs, s->o->nruns);
        return rc ? rc : s->text(fp, &s->view);
    }
    cJSON *doc = s->json(&s->view);
    if (doc && !ltk_cli_add_selection(doc, s->o->runs, s->o->nruns)) {
        cJSON_Delete(doc);
        doc = NULL;
    }
    int rc = doc ? ltk_json_write(fp, doc, s->o->pretty) : LTK_ENOMEM;
    cJSON_Delete(doc);
    return rc;
}

bool ltk_cli_show(const char *prog, const struct ltk_cli_out *o, ltk_cli_text_fn text, ltk_cli_json_fn json,
                  const void *data, const char *label)
{
    struct show_ctx s = { o, text, json, { data, label, ltk_cli_out_color(o) } };
    return ltk_cli_write(prog, o->path, show, &s);
}

static int write_summary(FILE *fp, void *ctx, struct ltk_error *err)
{
    (void)err;
    return ltk_summary_write(fp, ctx);
}

bool ltk_cli_write_summary(const char *prog, const char *path, const struct ltk_summary *summary)
{
    return ltk_cli_write(prog, path, write_summary, (void *)summary);
}

int ltk_cli_template(const char *dir, const char *name, struct ltk_template **t, struct ltk_error *err)
{
    if (dir && *dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        return ltk_template_load(path, t, err);
    }
    size_t len;
    const char *text = ltk_template_builtin(name, &len);
    if (!text)
        return ltk_error_set(err, LTK_EINVAL, name, 0, 0, "no built-in template");
    char label[64];
    snprintf(label, sizeof label, "(built-in) %s", name);
    return ltk_template_parse(text, len, label, t, err);
}

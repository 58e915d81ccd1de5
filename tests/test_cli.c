/* Tests of tools/cli.c's option parsing: ltk_cli_getopt takes a long option
 * only when it is written in full (issue 20, item 8), offers the close
 * spellings of an abbreviated, ambiguous or misspelt one, and leaves short
 * options, option arguments and what follows "--" alone; ltk_cli_near_options
 * is the same suggestion for the ltk front end.  What they print on standard
 * error is captured (standard error pointed at a temporary file) and
 * compared. */
#include <unistd.h>

#include "cli.h"
#include "testutil.h"

/* A tool's table: one long option that begins another (--skip, --skip-bad),
 * two that share a beginning (--min-segment, --min-change), one with an
 * optional value. */
enum { O_SKIP = 256, O_SKIP_BAD, O_MIN_SEGMENT, O_MIN_CHANGE, O_CRITERIA, O_COLOR };
static const struct option opts[] = {
    { "skip", required_argument, NULL, O_SKIP },
    { "skip-bad", no_argument, NULL, O_SKIP_BAD },
    { "min-segment", required_argument, NULL, O_MIN_SEGMENT },
    { "min-change", required_argument, NULL, O_MIN_CHANGE },
    { "criteria", required_argument, NULL, O_CRITERIA },
    { "criterion", required_argument, NULL, 'c' },
    { "color", optional_argument, NULL, O_COLOR },
    LTK_CLI_OPTIONS_OUTPUT,
    LTK_CLI_OPTIONS_END,
};
/* a table where --skip is not itself an option */
static const struct option no_skip[] = {
    { "skip-bad", no_argument, NULL, O_SKIP_BAD },
    LTK_CLI_OPTION_JSON,
    LTK_CLI_OPTIONS_END,
};
static const char shortopts[] = "c:o:hVq";

/* Standard error into a temporary file while a parse runs. */
struct capture {
    FILE *tmp;
    int saved;
};

static void capture_begin(struct capture *c)
{
    fflush(stderr);
    c->tmp = tmpfile();
    ck_assert_ptr_nonnull(c->tmp);
    c->saved = dup(STDERR_FILENO);
    ck_assert_int_ge(c->saved, 0);
    ck_assert_int_eq(dup2(fileno(c->tmp), STDERR_FILENO), STDERR_FILENO);
}

/* What was written, malloc'd. */
static char *capture_end(struct capture *c)
{
    fflush(stderr);
    ck_assert_int_eq(dup2(c->saved, STDERR_FILENO), STDERR_FILENO);
    close(c->saved);
    rewind(c->tmp);
    char *s = slurp(c->tmp);
    fclose(c->tmp);
    return s;
}

/* Every return of ltk_cli_getopt over args (NULL-terminated, args[0] the
 * program), with the optarg of each, and what went to stderr. */
struct parse {
    int code[16];
    char arg[16][64];
    size_t n;
    int optind_after;      /* optind once the options end (-1) or at the first '?' */
    char *argv[16];        /* argv after the parse (getopt_long permutes it) */
    char *err;
};

static void parse_with(struct parse *p, const struct option *longopts, const char *const *args)
{
    static char store[16][64];
    memset(p, 0, sizeof *p);
    int argc = 0;
    for (; args[argc]; argc++) {
        snprintf(store[argc], sizeof store[argc], "%s", args[argc]);
        p->argv[argc] = store[argc];
    }
    p->argv[argc] = NULL;
    optind = 0;  /* glibc: start afresh */
    struct capture cap;
    capture_begin(&cap);
    int c;
    while (p->n < 16 && (c = ltk_cli_getopt("ltk-test", argc, p->argv, shortopts, longopts)) != -1) {
        p->code[p->n] = c;
        snprintf(p->arg[p->n], sizeof p->arg[p->n], "%s", optarg ? optarg : "");
        p->n++;
        if (c == '?' || c == LTK_OPT_LISTED)
            break;
    }
    p->optind_after = optind;
    p->err = capture_end(&cap);
}

#define PARSE(p, ...) parse_with((p), opts, (const char *const[]){ "ltk-test", __VA_ARGS__, NULL })

START_TEST(test_exact_long_options_taken)
{
    struct parse p;
    PARSE(&p, "--skip", "30s", "--skip-bad", "--json", "run");
    ck_assert_uint_eq(p.n, 3);
    ck_assert_int_eq(p.code[0], O_SKIP);
    ck_assert_str_eq(p.arg[0], "30s");
    ck_assert_int_eq(p.code[1], O_SKIP_BAD);
    ck_assert_int_eq(p.code[2], LTK_OPT_JSON);
    ck_assert_str_eq(p.err, "");
    ck_assert_int_eq(p.optind_after, 5);
    ck_assert_str_eq(p.argv[p.optind_after], "run");
    free(p.err);

    /* the other options of the shared rows, and both that begin "min-" */
    PARSE(&p, "--min-segment", "60s", "--min-change=5%", "--no-color", "--pretty", "--help", "--version");
    ck_assert_uint_eq(p.n, 6);
    ck_assert_int_eq(p.code[0], O_MIN_SEGMENT);
    ck_assert_int_eq(p.code[1], O_MIN_CHANGE);
    ck_assert_str_eq(p.arg[1], "5%");
    ck_assert_int_eq(p.code[2], LTK_OPT_NO_COLOR);
    ck_assert_int_eq(p.code[3], LTK_OPT_PRETTY);
    ck_assert_int_eq(p.code[4], 'h');
    ck_assert_int_eq(p.code[5], 'V');
    ck_assert_str_eq(p.err, "");
    free(p.err);
}
END_TEST

/* "--opt=value" and "--opt value" give the same, for a required value; an
 * optional one only takes the "=" form. */
START_TEST(test_value_forms)
{
    struct parse p;
    PARSE(&p, "--output=a.txt", "--output", "b.txt", "--criterion=p95<2s", "--criterion", "p99<3s");
    ck_assert_uint_eq(p.n, 4);
    ck_assert_int_eq(p.code[0], 'o');
    ck_assert_str_eq(p.arg[0], "a.txt");
    ck_assert_int_eq(p.code[1], 'o');
    ck_assert_str_eq(p.arg[1], "b.txt");
    ck_assert_int_eq(p.code[2], 'c');
    ck_assert_str_eq(p.arg[2], "p95<2s");
    ck_assert_str_eq(p.arg[3], "p99<3s");
    ck_assert_str_eq(p.err, "");
    free(p.err);

    /* an empty value, a value with '=' in it, a value that looks like an option */
    PARSE(&p, "--output=", "--criterion=x=1", "--skip", "--skip-bad");
    ck_assert_uint_eq(p.n, 3);
    ck_assert_str_eq(p.arg[0], "");
    ck_assert_str_eq(p.arg[1], "x=1");
    ck_assert_int_eq(p.code[2], O_SKIP);
    ck_assert_str_eq(p.arg[2], "--skip-bad");
    ck_assert_str_eq(p.err, "");
    free(p.err);

    PARSE(&p, "--color=always", "--color", "run");
    ck_assert_uint_eq(p.n, 2);
    ck_assert_str_eq(p.arg[0], "always");
    ck_assert_int_eq(p.code[1], O_COLOR);
    ck_assert_str_eq(p.arg[1], "");  /* "run" stays an argument */
    free(p.err);
}
END_TEST

/* getopt_long alone takes a unique abbreviation: "--skip 30s" was
 * --skip-bad with a file named 30s. */
START_TEST(test_unique_abbreviation_refused)
{
    struct parse p;
    parse_with(&p, no_skip, (const char *const[]){ "ltk-test", "--skip", "30s", "run", NULL });
    ck_assert_uint_eq(p.n, 1);
    ck_assert_int_eq(p.code[0], '?');
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--skip' (long options must be written in full): "
                            "did you mean '--skip-bad'?\n");
    ck_assert_int_eq(p.optind_after, 2);  /* past the option, as for any unknown one */
    ck_assert_int_eq(optopt, 0);
    free(p.err);

    /* with "=value" the message names the option alone */
    parse_with(&p, no_skip, (const char *const[]){ "ltk-test", "--js=1", NULL });
    ck_assert_int_eq(p.code[0], '?');
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--js' (long options must be written in full): "
                            "did you mean '--json'?\n");
    free(p.err);

    /* a shared row, --help and --version, abbreviated */
    PARSE(&p, "--he");
    ck_assert_int_eq(p.code[0], '?');
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--he' (long options must be written in full): "
                            "did you mean '--help'?\n");
    free(p.err);
    PARSE(&p, "--outp", "x");
    ck_assert_int_eq(p.code[0], '?');
    ck_assert_ptr_nonnull(strstr(p.err, "did you mean '--output'?\n"));
    free(p.err);

    /* one written in full before, then the abbreviation: the first is taken */
    PARSE(&p, "--json", "--pre");
    ck_assert_uint_eq(p.n, 2);
    ck_assert_int_eq(p.code[0], LTK_OPT_JSON);
    ck_assert_int_eq(p.code[1], '?');
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--pre' (long options must be written in full): "
                            "did you mean '--pretty'?\n");
    free(p.err);
}
END_TEST

START_TEST(test_ambiguous_lists_all)
{
    struct parse p;
    PARSE(&p, "--min", "30s", "run");
    ck_assert_int_eq(p.code[0], '?');
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--min' (long options must be written in full): "
                            "did you mean '--min-segment' or '--min-change'?\n");
    free(p.err);
    /* in the table's order: "a, b or c" */
    PARSE(&p, "--c");
    ck_assert_int_eq(p.code[0], '?');
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--c' (long options must be written in full): "
                            "did you mean '--criteria', '--criterion' or '--color'?\n");
    free(p.err);
    PARSE(&p, "--cr=x");
    ck_assert_int_eq(p.code[0], '?');
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--cr' (long options must be written in full): "
                            "did you mean '--criteria' or '--criterion'?\n");
    free(p.err);
    PARSE(&p, "--s");
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--s' (long options must be written in full): "
                            "did you mean '--skip' or '--skip-bad'?\n");
    free(p.err);
    PARSE(&p, "--p");
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--p' (long options must be written in full): "
                            "did you mean '--pretty'?\n");
    free(p.err);
    PARSE(&p, "--o");
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--o' (long options must be written in full): "
                            "did you mean '--output'?\n");
    free(p.err);
}
END_TEST

/* An option that begins none: the ones within a typo (one edit up to four
 * characters, two beyond; a swap of neighbours is one). */
START_TEST(test_misspelt_close_spellings)
{
    struct parse p;
    PARSE(&p, "--jsno", "run");
    ck_assert_int_eq(p.code[0], '?');
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--jsno': did you mean '--json'?\n");
    free(p.err);
    PARSE(&p, "--critreia=x.txt", "run");
    ck_assert_int_eq(p.code[0], '?');
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--critreia': did you mean '--criteria'?\n");
    free(p.err);
    PARSE(&p, "--hlep");
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--hlep': did you mean '--help'?\n");
    free(p.err);
    PARSE(&p, "--verison");
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--verison': did you mean '--version'?\n");
    free(p.err);
    PARSE(&p, "--skp-bad");
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--skp-bad': did you mean '--skip-bad'?\n");
    free(p.err);
    /* one edit for a name of up to four characters, two beyond */
    PARSE(&p, "--jsn");
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--jsn': did you mean '--json'?\n");
    free(p.err);
    PARSE(&p, "--jn");
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--jn'\n");
    free(p.err);
    PARSE(&p, "--otpt=x");  /* two from output */
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--otpt=x'\n");
    free(p.err);
    PARSE(&p, "--otptu=x");  /* two from output, five characters: near */
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--otptu': did you mean '--output'?\n");
    free(p.err);
}
END_TEST

/* Near none: getopt_long's own message, no suggestion. */
START_TEST(test_unknown_far_from_all)
{
    struct parse p;
    PARSE(&p, "--xyz", "run");
    ck_assert_uint_eq(p.n, 1);
    ck_assert_int_eq(p.code[0], '?');
    ck_assert_str_eq(p.err, "ltk-test: unrecognized option '--xyz'\n");
    ck_assert_ptr_null(strstr(p.err, "did you mean"));
    free(p.err);
    PARSE(&p, "--frobnicate=1");
    ck_assert_int_eq(p.code[0], '?');
    ck_assert_ptr_null(strstr(p.err, "did you mean"));
    ck_assert_ptr_nonnull(strstr(p.err, "unrecognized option '--frobnicate=1'"));
    free(p.err);
}
END_TEST

/* Short options are getopt's: clusters, attached and separate values, and
 * a value that looks like an abbreviated long option. */
START_TEST(test_short_options_unaffected)
{
    struct parse p;
    PARSE(&p, "-q", "-oout.txt", "-c", "--skip", "-qc", "p95<2s", "-h", "run");
    ck_assert_uint_eq(p.n, 6);
    ck_assert_int_eq(p.code[0], 'q');
    ck_assert_int_eq(p.code[1], 'o');
    ck_assert_str_eq(p.arg[1], "out.txt");
    ck_assert_int_eq(p.code[2], 'c');
    ck_assert_str_eq(p.arg[2], "--skip");
    ck_assert_int_eq(p.code[3], 'q');
    ck_assert_int_eq(p.code[4], 'c');
    ck_assert_str_eq(p.arg[4], "p95<2s");
    ck_assert_int_eq(p.code[5], 'h');
    ck_assert_str_eq(p.err, "");
    free(p.err);
    /* an unknown short option: getopt's message */
    PARSE(&p, "-z");
    ck_assert_int_eq(p.code[0], '?');
    ck_assert_int_eq(optopt, 'z');
    ck_assert_str_eq(p.err, "ltk-test: invalid option -- 'z'\n");
    free(p.err);
}
END_TEST

/* After "--" nothing is an option; arguments before options are passed
 * over (getopt_long permutes them to the end). */
START_TEST(test_double_dash_and_arguments)
{
    struct parse p;
    PARSE(&p, "run", "--json", "--", "--skip", "--min");
    ck_assert_uint_eq(p.n, 1);
    ck_assert_int_eq(p.code[0], LTK_OPT_JSON);
    ck_assert_str_eq(p.err, "");
    ck_assert_int_eq(p.optind_after, 3);
    ck_assert_str_eq(p.argv[3], "run");
    ck_assert_str_eq(p.argv[4], "--skip");
    ck_assert_str_eq(p.argv[5], "--min");
    free(p.err);
}
END_TEST

/* The hidden --list-options, alone: the table, for the completions. */
START_TEST(test_list_options)
{
    fflush(stdout);
    FILE *tmp = tmpfile();
    ck_assert_ptr_nonnull(tmp);
    int saved = dup(STDOUT_FILENO);
    ck_assert_int_eq(dup2(fileno(tmp), STDOUT_FILENO), STDOUT_FILENO);
    struct parse p;
    parse_with(&p, no_skip, (const char *const[]){ "ltk-test", "--list-options", NULL });
    fflush(stdout);
    ck_assert_int_eq(dup2(saved, STDOUT_FILENO), STDOUT_FILENO);
    close(saved);
    rewind(tmp);
    char *out = slurp(tmp);
    fclose(tmp);
    ck_assert_int_eq(p.code[0], LTK_OPT_LISTED);
    ck_assert_str_eq(out, "--skip-bad\n--json\n--help\n--version\n-c=\n-o=\n-h\n-V\n-q\n");
    free(out);
    free(p.err);
    /* not alone: an unknown option like any */
    PARSE(&p, "--list-options", "run");
    ck_assert_int_eq(p.code[0], '?');
    free(p.err);
}
END_TEST

/* ltk_cli_help_common: the shared lines in their order, aligned at the
 * tool's column, --pretty indented as a long option only when asked, and
 * only the lines asked for. */
START_TEST(test_help_common)
{
    FILE *tmp = tmpfile();
    ck_assert_ptr_nonnull(tmp);
    ltk_cli_help_common(tmp, 19, LTK_HELP_PRETTY | LTK_HELP_OUTPUT | LTK_HELP_NO_COLOR | LTK_HELP_STD);
    ltk_cli_help_common(tmp, 23, LTK_HELP_PRETTY | LTK_HELP_PRETTY_LONG_INDENT);
    ltk_cli_help_common(tmp, 17, LTK_HELP_OUTPUT);
    rewind(tmp);
    char *out = slurp(tmp);
    fclose(tmp);
    ck_assert_str_eq(out, "  --pretty         indent the JSON\n"
                          "  -o, --output F   write to F (atomically) instead of standard output\n"
                          "      --no-color   no colours (also when NO_COLOR is set)\n"
                          "  -h, --help       show this help\n"
                          "  -V, --version    show the version\n"
                          "      --pretty         indent the JSON\n"
                          "  -o, --output F write to F (atomically) instead of standard output\n");
    free(out);
}
END_TEST

/* ltk_cli_near_options alone (the ltk front end's options: --help and
 * --version): true and the message for an abbreviation or a typo, false
 * and silence otherwise. */
START_TEST(test_near_options)
{
    static const struct option front[] = { LTK_CLI_OPTIONS_END };
    static const struct {
        const char *arg;
        const char *err;  /* NULL: false, nothing printed */
    } cases[] = {
        { "--versio", "ltk: unrecognized option '--versio' (long options must be written in full): did you mean "
                      "'--version'?\n" },
        { "--hlep", "ltk: unrecognized option '--hlep': did you mean '--help'?\n" },
        { "--hel=1", "ltk: unrecognized option '--hel' (long options must be written in full): did you mean "
                     "'--help'?\n" },
        { "--vresion", "ltk: unrecognized option '--vresion': did you mean '--version'?\n" },
        { "--help", NULL },
        { "--version", NULL },
        { "--help=1", NULL },  /* named in full: getopt's to judge */
        { "--xyz", NULL },
        { "-h", NULL },
        { "-x", NULL },
        { "--", NULL },
        { "--=x", NULL },
        { "stats", NULL },
        { NULL, NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct capture cap;
        capture_begin(&cap);
        bool near = ltk_cli_near_options("ltk", cases[i].arg, front);
        char *err = capture_end(&cap);
        ck_assert_msg(near == (cases[i].err != NULL), "%s: %d", cases[i].arg ? cases[i].arg : "NULL", near);
        ck_assert_str_eq(err, cases[i].err ? cases[i].err : "");
        free(err);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("getopt");
    tcase_add_test(tc, test_exact_long_options_taken);
    tcase_add_test(tc, test_value_forms);
    tcase_add_test(tc, test_unique_abbreviation_refused);
    tcase_add_test(tc, test_ambiguous_lists_all);
    tcase_add_test(tc, test_misspelt_close_spellings);
    tcase_add_test(tc, test_unknown_far_from_all);
    tcase_add_test(tc, test_short_options_unaffected);
    tcase_add_test(tc, test_double_dash_and_arguments);
    tcase_add_test(tc, test_list_options);
    tcase_add_test(tc, test_near_options);
    tcase_add_test(tc, test_help_common);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

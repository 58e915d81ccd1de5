/* Check suite for lib/render/template.c: values, sections, escaping for HTML and
 * Markdown, raw insertion only of raw values, standalone tag lines, and
 * errors with line and column. */
#include <cjson/cJSON.h>

#include "ltk/render/template.h"
#include "testutil.h"

static const char *const data_json =
    "{\"title\":\"<b>T&C</b>\",\"n\":3,\"half\":0.5,\"none\":null,\"yes\":true,\"no\":false,\"empty\":\"\","
    "\"list\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"words\":[\"x\",\"y\"],\"nothing\":[],"
    "\"obj\":{\"k\":\"v\",\"deep\":{\"z\":\"zz\"}},\"hostile\":\"<script>alert(1)</script> '\\\"` $(x) |*_[a](b)\\n#h\"}";

/* Renders tpl over data_json (plus a raw value "svg") and returns the text
 * (malloc'd), or NULL with err filled. */
static char *render(const char *tpl, enum ltk_escape esc, struct ltk_error *err)
{
    cJSON *data = cJSON_Parse(data_json);
    ck_assert_ptr_nonnull(data);
    cJSON_AddItemToObject(data, "svg", cJSON_CreateRaw("<svg><path d='M0 0'/></svg>"));
    struct ltk_template *t = NULL;
    ltk_error_clear(err);
    char *out = NULL;
    if (ltk_template_parse(tpl, strlen(tpl), "t.html", &t, err) == LTK_OK) {
        size_t len = 0;
        if (ltk_template_render(t, data, esc, &out, &len, err) == LTK_OK)
            ck_assert_uint_eq(len, strlen(out));
    }
    ltk_template_free(t);
    cJSON_Delete(data);
    return out;
}

static const struct {
    const char *tpl;
    const char *want;
} html_cases[] = {
    { "plain text", "plain text" },
    { "", "" },
    { "{{title}}", "&lt;b&gt;T&amp;C&lt;/b&gt;" },
    { "{{ n }} {{half}}", "3 0.5" },
    { "[{{none}}]", "[]" },
    { "{{yes}}/{{no}}", "true/false" },
    { "{{obj.k}}{{obj.deep.z}}", "vzz" },
    { "{{#list}}<{{name}}>{{/list}}", "<a><b>" },
    { "{{#words}}{{.}},{{/words}}", "x,y," },
    { "{{#nothing}}x{{/nothing}}{{^nothing}}none{{/nothing}}", "none" },
    { "{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}!N{{/no}}{{#none}}?{{/none}}{{#empty}}E{{/empty}}", "Y!N" },
    { "{{#obj}}{{k}}{{n}}{{/obj}}", "v3" },              /* outer names seen from inside */
    { "{{#list}}{{#obj}}{{name}}{{k}}{{/obj}}{{/list}}", "avbv" },
    { "{{#list.0}}first={{name}}{{/list.0}}{{#nothing.0}}x{{/nothing.0}}", "first=a" },
    { "{{list.1.name}}", "b" },
    { "{{{svg}}}", "<svg><path d='M0 0'/></svg>" },
    { "{{svg}}", "&lt;svg&gt;&lt;path d=&#39;M0 0&#39;/&gt;&lt;/svg&gt;" },
    { "{{{n}}}", "3" },
    { "a{{! a comment }}b", "ab" },
    { "{{hostile}}", "&lt;script&gt;alert(1)&lt;/script&gt; &#39;&quot;` $(x) |*_[a](b)\n#h" },
    /* standalone section lines leave no blank line */
    { "<ul>\n  {{#words}}\n  <li>{{.}}</li>\n  {{/words}}\n</ul>\n", "<ul>\n  <li>x</li>\n  <li>y</li>\n</ul>\n" },
    { "a\n{{! note }}\nb", "a\nb" },
    { "x {{#yes}}\ny{{/yes}} z", "x \ny z" },
};

START_TEST(test_html_rendering)
{
    struct ltk_error err;
    char *out = render(html_cases[_i].tpl, LTK_ESC_HTML, &err);
    ck_assert_msg(out != NULL, "case %d: %s", _i, err.msg);
    ck_assert_str_eq(out, html_cases[_i].want);
    free(out);
}
END_TEST

START_TEST(test_markdown_escaping)
{
    struct ltk_error err;
    char *out = render("| {{hostile}} |", LTK_ESC_MARKDOWN, &err);
    ck_assert_ptr_nonnull(out);
    ck_assert_str_eq(out, "| &lt;script&gt;alert(1)&lt;/script&gt; '\"\\` \\$(x) \\|\\*\\_\\[a\\](b) \\#h |");
    free(out);
    out = render("{{title}}", LTK_ESC_MARKDOWN, &err);
    ck_assert_str_eq(out, "&lt;b&gt;T&amp;C&lt;/b&gt;");
    free(out);
    /* a name never pings a person or links an issue in a PR comment */
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "s", "@alice #123 a@b.c # x @ ");
    struct ltk_template *t;
    ck_assert_int_eq(ltk_template_parse("{{s}}", 5, "t", &t, &err), LTK_OK);
    ck_assert_int_eq(ltk_template_render(t, data, LTK_ESC_MARKDOWN, &out, NULL, &err), LTK_OK);
    ck_assert_str_eq(out, "@\xE2\x80\x8B" "alice \\#\xE2\x80\x8B" "123 a@\xE2\x80\x8B" "b.c \\# x @ ");
    free(out);
    ltk_template_free(t);
    cJSON_Delete(data);
}
END_TEST

START_TEST(test_html_replaces_control_bytes_and_bad_utf8)
{
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "s", "a\x01" "b\x1b[31m\xff\xc3\xa9\t.");
    struct ltk_template *t;
    struct ltk_error err;
    ck_assert_int_eq(ltk_template_parse("{{s}}", 5, "t", &t, &err), LTK_OK);
    char *out;
    ck_assert_int_eq(ltk_template_render(t, data, LTK_ESC_HTML, &out, NULL, &err), LTK_OK);
    ck_assert_str_eq(out, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD[31m\xEF\xBF\xBD\xc3\xa9\t.");
    free(out);
    ck_assert_int_eq(ltk_template_render(t, data, LTK_ESC_MARKDOWN, &out, NULL, &err), LTK_OK);
    ck_assert_str_eq(out, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\\[31m\xEF\xBF\xBD\xc3\xa9 .");
    free(out);
    ltk_template_free(t);
    cJSON_Delete(data);
}
END_TEST

/* parse errors: template, line, column, words of the message */
static const struct {
    const char *tpl;
    long line, column;
    const char *msg;
} parse_errors[] = {
    { "abc {{name", 1, 5, "'{{' without its '}}'" },
    { "a\nb {{{raw}}", 2, 3, "'{{{' without its '}}}'" },
    { "{{#a}}\nx\n", 1, 1, "section 'a' is never closed" },
    { "{{#a}}x\n  {{/b}}", 2, 3, "section 'a' (line 1) closed by 'b'" },
    { "x\n\n   {{/a}}", 3, 4, "close tag without an open section: 'a'" },
    { "{{a b}}", 1, 3, "bad name in tag: 'a b'" },
    { "{{}}", 1, 3, "bad name in tag" },
    { "{{a..b}}", 1, 3, "bad name" },
    { "\xc3\xa9\xc3\xa9{{#x\n}}", 1, 6, "bad name in tag: 'x\\n'" },
};

START_TEST(test_parse_errors_have_line_and_column)
{
    struct ltk_template *t = (struct ltk_template *)1;
    struct ltk_error err;
    ltk_error_clear(&err);
    const char *tpl = parse_errors[_i].tpl;
    ck_assert_int_eq(ltk_template_parse(tpl, strlen(tpl), "templates/x.html", &t, &err), LTK_EFORMAT);
    ck_assert_ptr_null(t);
    ck_assert_str_eq(err.file, "templates/x.html");
    ck_assert_msg(err.line == parse_errors[_i].line && err.column == parse_errors[_i].column,
                  "case %d: got %ld:%ld (%s)", _i, err.line, err.column, err.msg);
    ck_assert_msg(strstr(err.msg, parse_errors[_i].msg) != NULL, "case %d: %s", _i, err.msg);
}
END_TEST

static const struct {
    const char *tpl;
    long line, column;
    const char *msg;
} render_errors[] = {
    { "ok\n  {{missing}}", 2, 3, "'missing': no such value" },
    { "{{obj}}", 1, 1, "a list or object where a value is expected" },
    { "{{#list}}{{nope}}{{/list}}", 1, 10, "'nope': no such value" },
    { "{{{title}}}", 1, 1, "only values the program marked raw" },  /* a string never goes in raw */
    { "{{#missing}}x{{/missing}}", 1, 1, "no such value" },
    { "{{obj.k.z}}", 1, 1, "no such value" },
};

START_TEST(test_render_errors_have_line_and_column)
{
    struct ltk_error err;
    char *out = render(render_errors[_i].tpl, LTK_ESC_HTML, &err);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(err.code, LTK_EFORMAT);
    ck_assert_msg(err.line == render_errors[_i].line && err.column == render_errors[_i].column,
                  "case %d: got %ld:%ld (%s)", _i, err.line, err.column, err.msg);
    ck_assert_msg(strstr(err.msg, render_errors[_i].msg) != NULL, "case %d: %s", _i, err.msg);
}
END_TEST

START_TEST(test_load_and_limits)
{
    const char *dir = temp_dir();
    char path[256];
    snprintf(path, sizeof path, "%s/r.html", dir);
    write_file(dir, "r.html", "<p>{{n}}</p>\n{{#x}}");
    struct ltk_template *t;
    struct ltk_error err;
    ltk_error_clear(&err);
    ck_assert_int_eq(ltk_template_load(path, &t, &err), LTK_EFORMAT);
    ck_assert_str_eq(err.file, path);
    ck_assert_int_eq(err.line, 2);
    snprintf(path, sizeof path, "%s/none.html", dir);
    ck_assert_int_eq(ltk_template_load(path, &t, &err), LTK_EIO);
    ck_assert_int_eq(ltk_template_parse("a\0b", 3, "t", &t, &err), LTK_EFORMAT);
    /* nesting beyond the limit */
    char deep[64 * 8 + 64] = "";
    for (int i = 0; i < 65; i++)
        strcat(deep, "{{#a}}");
    ck_assert_int_eq(ltk_template_parse(deep, strlen(deep), "t", &t, &err), LTK_ELIMIT);
}
END_TEST

/* fuzz_template: a section over a list nested in itself renders 3^depth
 * times (depth 20: 3.5 GB and minutes); it stops at the render budget, while
 * a template that follows its data (a list in each item of a list) renders. */
START_TEST(test_render_budget)
{
    cJSON *d = cJSON_CreateObject();
    cJSON *e = cJSON_AddArrayToObject(d, "e");
    for (int i = 0; i < 3; i++) {
        cJSON *item = cJSON_CreateObject();
        cJSON *m = cJSON_AddArrayToObject(item, "m");
        for (int k = 0; k < 1000; k++)
            cJSON_AddItemToArray(m, cJSON_CreateNumber(k));
        cJSON_AddItemToArray(e, item);
    }
    char text[64 * 12 + 8] = "";
    for (int i = 0; i < 20; i++)
        strcat(text, "{{#e}}");
    strcat(text, "x");
    for (int i = 0; i < 20; i++)
        strcat(text, "{{/e}}");
    struct ltk_template *t;
    struct ltk_error err;
    ck_assert_int_eq(ltk_template_parse(text, strlen(text), "nest.html", &t, &err), LTK_OK);
    char *out = NULL;
    size_t len;
    ltk_error_clear(&err);
    ck_assert_int_eq(ltk_template_render(t, d, LTK_ESC_HTML, &out, &len, &err), LTK_ELIMIT);
    ck_assert_ptr_null(out);
    ck_assert_str_eq(err.file, "nest.html");
    ck_assert_ptr_nonnull(strstr(err.msg, "nested in itself"));
    ltk_template_free(t);

    /* every (item, value) pair once, and the outer list inside the inner */
    const char *follow = "{{#e}}{{#m}}{{.}},{{#e}}.{{/e}}{{/m}}{{/e}}";
    ck_assert_int_eq(ltk_template_parse(follow, strlen(follow), "follow.html", &t, &err), LTK_OK);
    ck_assert_int_eq(ltk_template_render(t, d, LTK_ESC_HTML, &out, &len, &err), LTK_OK);
    ck_assert_uint_gt(len, 3 * 1000 * 4);
    free(out);
    ltk_template_free(t);
    cJSON_Delete(d);
}
END_TEST

/* The budget counts every text, value and section rendered: "a{{x}}b" is
 * three nodes, so three steps render it and two stop it, naming where the
 * text that did not fit starts; the default is
 * 16 x (nodes + 1) x (values + 1) + 4096. */
START_TEST(test_render_budget_is_counted_per_node)
{
    cJSON *d = cJSON_CreateObject();
    cJSON_AddNumberToObject(d, "x", 7);
    struct ltk_template *t;
    struct ltk_error err;
    ck_assert_int_eq(ltk_template_parse("a{{x}}b", 7, "b.html", &t, &err), LTK_OK);
    ck_assert_uint_eq(ltk_template_budget(t, d), 16 * (3 + 1) * (2 + 1) + 4096);
    char *out = NULL;
    size_t len = 0;
    ck_assert_int_eq(ltk_template_render_budget(t, d, LTK_ESC_HTML, 3, &out, &len, &err), LTK_OK);
    ck_assert_str_eq(out, "a7b");
    free(out);
    ltk_error_clear(&err);
    ck_assert_int_eq(ltk_template_render_budget(t, d, LTK_ESC_HTML, 2, &out, &len, &err), LTK_ELIMIT);
    ck_assert_ptr_null(out);
    ck_assert_str_eq(err.file, "b.html");
    ck_assert_int_eq(err.line, 1); /* at the text "b": line 1, column 7 */
    ck_assert_ptr_nonnull(strstr(err.msg, "column 7: the template renders more than 2 values, sections and texts"));
    ltk_template_free(t);

    /* a section over a two-item list, nested 12 deep, in data of 3 values:
     * 2^12 = 4096 texts; the default budget (16 x 26 x 4 + 4096) stops it */
    cJSON_AddItemToObject(d, "l", cJSON_CreateIntArray((const int[]){ 1, 2 }, 2));
    char text[12 * 12 + 8] = "";
    for (int i = 0; i < 12; i++)
        strcat(text, "{{#l}}");
    strcat(text, "x");
    for (int i = 0; i < 12; i++)
        strcat(text, "{{/l}}");
    ck_assert_int_eq(ltk_template_parse(text, strlen(text), "n.html", &t, &err), LTK_OK);
    ltk_error_clear(&err);
    ck_assert_int_eq(ltk_template_render(t, d, LTK_ESC_HTML, &out, &len, &err), LTK_ELIMIT);
    ck_assert_ptr_nonnull(strstr(err.msg, "nested in itself"));
    /* the same with room for every node: 2 + 4 + ... + 2^12 sections and 2^12 texts */
    ck_assert_int_eq(ltk_template_render_budget(t, d, LTK_ESC_HTML, 2 * 8190 + 4096, &out, &len, &err), LTK_OK);
    ck_assert_uint_eq(len, 4096);
    free(out);
    ltk_template_free(t);
    cJSON_Delete(d);
}
END_TEST

/* A parse counts lines and columns once: 150 000 tags in 900 KB (each
 * counted from the start, that was 7 * 10^10 steps, minutes under ASan),
 * and the last one's line and column are right. */
START_TEST(test_parse_is_linear_in_the_template)
{
    static const char last[] = "  \xc3\xa9{{missing}}";
    size_t n = 150000, len = n * 6 + sizeof last;
    char *text = malloc(len);
    ck_assert_ptr_nonnull(text);
    for (size_t i = 0; i < n; i++)
        memcpy(text + 6 * i, "{{n}}\n", 6);
    memcpy(text + 6 * n, last, sizeof last);
    struct ltk_error err;
    char *out = render(text, LTK_ESC_HTML, &err);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(err.code, LTK_EFORMAT);
    ck_assert_int_eq(err.line, (long)n + 1);
    ck_assert_int_eq(err.column, 4);             /* "  é" is three code points */
    ck_assert_ptr_nonnull(strstr(err.msg, "'missing': no such value"));
    free(text);
}
END_TEST

START_TEST(test_builtin_templates_parse)
{
    const char *names[] = { "report.html", "report.md" };
    for (size_t i = 0; i < 2; i++) {
        size_t len = 0;
        const char *text = ltk_template_builtin(names[i], &len);
        ck_assert_ptr_nonnull(text);
        ck_assert_uint_gt(len, 100);
        ck_assert_uint_eq(strlen(text), len);
        /* the same bytes as the source file */
        FILE *fp = fopen(source_path(i ? "templates/report.md" : "templates/report.html"), "rb");
        ck_assert_ptr_nonnull(fp);
        char *src = slurp(fp);
        fclose(fp);
        ck_assert_str_eq(text, src);
        free(src);
        struct ltk_template *t;
        struct ltk_error err;
        ck_assert_int_eq(ltk_template_parse(text, len, names[i], &t, &err), LTK_OK);
        ltk_template_free(t);
    }
    size_t len;
    ck_assert_ptr_null(ltk_template_builtin("nope.html", &len));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("template");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_html_rendering, 0, (int)(sizeof html_cases / sizeof html_cases[0]));
    tcase_add_test(tc, test_markdown_escaping);
    tcase_add_test(tc, test_html_replaces_control_bytes_and_bad_utf8);
    tcase_add_loop_test(tc, test_parse_errors_have_line_and_column, 0,
                        (int)(sizeof parse_errors / sizeof parse_errors[0]));
    tcase_add_loop_test(tc, test_render_errors_have_line_and_column, 0,
                        (int)(sizeof render_errors / sizeof render_errors[0]));
    tcase_add_test(tc, test_load_and_limits);
    tcase_add_test(tc, test_builtin_templates_parse);
    tcase_add_test(tc, test_render_budget);
    tcase_add_test(tc, test_render_budget_is_counted_per_node);
    suite_add_tcase(s, tc);
    /* well within 10 s when linear (0.2 s; about 1 s under ASan), 30 s when not */
    TCase *lin = tcase_create("linear");
    tcase_set_timeout(lin, 10);
    tcase_add_test(lin, test_parse_is_linear_in_the_template);
    suite_add_tcase(s, lin);
    return s;
}

int main(void)
{
    return run_suite(suite());
}

// seeds: templates/*.html templates/*.md fuzz/seeds/template/*
// options: -max_len=4096
/* The template engine (lib/render/template.c): the input (up to 4 KiB: at 16 KiB
 * the corpus drifted to large templates and 2500 inputs a second) is parsed
 * as a template and rendered with a small data tree, escaped for HTML and
 * for Markdown.  The data holds hostile text; whatever the template, escaped
 * output may never contain it raw (no more "<script>" than the template
 * gives over harmless data).  A
 * section over a list nested in itself multiplies (3^depth): rendering must
 * stop at its budget (LTK_ELIMIT), never run for minutes or pass
 * LTK_TEMPLATE_MAX_OUTPUT.  The budget given (fuzz_budget) follows the
 * template's size, so the fuzzer's time goes to templates, not to rendering
 * megabytes of output. */
#define _GNU_SOURCE /* memmem */
#include "fuzz.h"

#include "ltk/render/template.h"

static cJSON *data;

/* The nodes a template may render here: ltk_template_budget's (16 x nodes x
 * values: 2 million for a 10 KB template over this data, 0.1 s under ASan),
 * but at most 4 per byte of the template (at least 1024), and at most so many
 * that the output stays under 16 bytes per byte of the template plus 16 KiB
 * (at least 128 nodes), counting each node as the widest a node can be: the
 * longest text between two tags, or the longest value escaped (6 bytes a
 * character).  The fixed cap of 2^14 nodes this replaces let a 3 KB text in
 * ten nested sections over a list render 49 MB per input (0.47 s under
 * ASan; now 3 ms), and long runs' corpora drift towards templates that
 * render much.  The budget's arithmetic is unit-tested; here it only has to
 * stop nesting early. */
#define FUZZ_STEPS_PER_BYTE 4
#define FUZZ_MIN_STEPS 1024
#define FUZZ_OUT_PER_BYTE 16
#define FUZZ_OUT_FLOOR ((uint64_t)16 << 10)
#define FUZZ_MIN_OUT_STEPS 128

static size_t widest_value; /* longest string or raw value in data, escaped */

static void measure_values(const cJSON *v)
{
    for (const cJSON *c = v->child; c; c = c->next) {
        if ((cJSON_IsString(c) || cJSON_IsRaw(c)) && 6 * strlen(c->valuestring) > widest_value)
            widest_value = 6 * strlen(c->valuestring);
        measure_values(c);
    }
}

/* The longest text between two "{{" (a text node is at most that). */
static size_t longest_text(const uint8_t *buf, size_t size)
{
    size_t best = 0, from = 0;
    for (;;) {
        const uint8_t *hit = memmem(buf + from, size - from, "{{", 2);
        size_t to = hit ? (size_t)(hit - buf) : size;
        if (to - from > best)
            best = to - from;
        if (!hit)
            return best;
        from = to + 2;
    }
}

static uint64_t fuzz_budget(const struct ltk_template *t, const uint8_t *buf, size_t size)
{
    uint64_t budget = ltk_template_budget(t, data);
    uint64_t by_size = (uint64_t)FUZZ_STEPS_PER_BYTE * size;
    if (by_size < FUZZ_MIN_STEPS)
        by_size = FUZZ_MIN_STEPS;
    size_t widest = longest_text(buf, size);
    if (widest < widest_value)
        widest = widest_value;
    uint64_t by_out = ((uint64_t)FUZZ_OUT_PER_BYTE * size + FUZZ_OUT_FLOOR) / (widest ? widest : 1);
    if (by_out < FUZZ_MIN_OUT_STEPS)
        by_out = FUZZ_MIN_OUT_STEPS;
    if (budget > by_size)
        budget = by_size;
    if (budget > by_out)
        budget = by_out;
    return budget;
}

#define HOSTILE "<script>alert(1)</script>`$(touch pwned)`"

/* data with every non-empty string "x": the same sections, no markup */
static cJSON *benign;

static void blank_strings(cJSON *v)
{
    for (cJSON *c = v->child; c; c = c->next) {
        if (cJSON_IsString(c) && c->valuestring[0])
            cJSON_SetValuestring(c, "x");
        blank_strings(c);
    }
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "title", "A & B <" "\"q\" 'x'");
    cJSON_AddStringToObject(data, "hostile", HOSTILE "\n| a | b |\n*x* _y_ [l](u) @macro");
    cJSON_AddNumberToObject(data, "n", 1.5);
    cJSON_AddTrueToObject(data, "yes");
    cJSON_AddFalseToObject(data, "no");
    cJSON_AddNullToObject(data, "nil");
    cJSON_AddStringToObject(data, "empty", "");
    cJSON_AddItemToObject(data, "svg", cJSON_CreateRaw("<svg></svg>"));
    cJSON *eps = cJSON_AddArrayToObject(data, "endpoints");
    for (int i = 0; i < 3; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "name", i == 1 ? HOSTILE : "GET /a");
        cJSON_AddNumberToObject(e, "p95", 10.0 * i);
        cJSON_AddItemToObject(e, "raw", cJSON_CreateRaw("12.5"));
        cJSON *tags = cJSON_AddArrayToObject(e, "tags");
        cJSON_AddItemToArray(tags, cJSON_CreateString("t<1>"));
        cJSON_AddItemToArray(tags, cJSON_CreateString("t2"));
        cJSON_AddItemToArray(eps, e);
    }
    cJSON_AddArrayToObject(data, "none");
    cJSON *o = cJSON_AddObjectToObject(data, "a");
    cJSON_AddObjectToObject(o, "b");
    cJSON_AddStringToObject(cJSON_GetObjectItem(o, "b"), "c", "deep");
    if (!cJSON_GetObjectItem(data, "a"))
        abort();
    benign = cJSON_Duplicate(data, 1);
    if (!benign)
        abort();
    blank_strings(benign);
    measure_values(data);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t size)
{
    struct ltk_template *t = NULL;
    struct ltk_error err;
    ltk_error_clear(&err);
    int rc = ltk_template_parse((const char *)buf, size, "fuzz.tmpl", &t, &err);
    fuzz_check_error(rc, &err);
    if (rc == LTK_OK) {
        uint64_t budget = fuzz_budget(t, buf, size);
        for (int esc = LTK_ESC_HTML; esc <= LTK_ESC_MARKDOWN; esc++) {
            char *out = NULL;
            size_t len = 0;
            ltk_error_clear(&err);
            rc = ltk_template_render_budget(t, data, (enum ltk_escape)esc, budget, &out, &len, &err);
            fuzz_check_error(rc, &err);
            if (rc == LTK_OK) {
                if (!out || strlen(out) != len)
                    abort();
                /* the hostile text never comes out raw: the template's own
                 * text may spell "<script>" (even split by a comment, as
                 * "<scr{{!}}ipt>" does), so the output is compared with the
                 * same template over data whose strings are all "x": more
                 * "<script>" with the real data means a value came out raw.
                 * The output stops near its limit (checked before each
                 * node: one node more). */
                if (strstr(out, "<script>")) {
                    char *plain = NULL;
                    size_t plen = 0;
                    struct ltk_error e2;
                    ltk_error_clear(&e2);
                    if (ltk_template_render_budget(t, benign, (enum ltk_escape)esc, budget, &plain, &plen, &e2) ==
                            LTK_OK &&
                        count(out, "<script>") > count(plain, "<script>"))
                        abort();
                    free(plain);
                }
                if (len > (size_t)LTK_TEMPLATE_MAX_OUTPUT + size + 4096)
                    abort();
            }
            free(out);
        }
    }
    ltk_template_free(t);
    return 0;
}

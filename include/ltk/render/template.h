/* A small logic-less template engine for ltk's reports.
 *
 * A template is text with tags; the data is a cJSON tree (the same kind of
 * tree the tools print as JSON), so nothing is computed in a template:
 *
 *     <h1>{{title}}</h1>
 *     {{#endpoints}}<tr><td>{{name}}</td><td>{{p95}}</td></tr>{{/endpoints}}
 *     {{^endpoints}}<p>no endpoints</p>{{/endpoints}}
 *     {{{chart.svg}}}
 *
 *   {{a.b}}     the value at a.b, escaped for the output format
 *   {{.}}       the current value (inside a section over a list of strings)
 *   {{a.0}}     the first element of list a; null past the end, so
 *               {{#a.0}}..{{/a.0}} renders once when a is not empty
 *   {{{a.b}}}   the value inserted as it is; only values the program built
 *               with cJSON_CreateRaw are accepted (the SVG ltk made, numbers
 *               from ltk_json_number), never a string: untrusted text can
 *               never be inserted unescaped, even by a template mistake
 *   {{#a}}..{{/a}}  a section: once per element of a list, once with the
 *               value as context for an object or another true value, not
 *               at all for false, null, "", 0 or an empty list
 *   {{^a}}..{{/a}}  an inverted section: once when {{#a}} would not render
 *   {{! text }} a comment
 *
 * A name is looked up in the current context, then in the enclosing ones
 * (the first path segment only).  A name that is found nowhere is an error
 * when rendering (a misspelt name never renders as nothing silently); null
 * renders as "".  A tag alone on its line (section, inverted, close,
 * comment) takes its line with it, so sections do not leave blank lines in
 * Markdown tables.
 *
 * Errors carry the template's name, line and column. */
#ifndef LTK_TEMPLATE_H
#define LTK_TEMPLATE_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "ltk/base/error.h"

/* How {{name}} escapes a value. */
enum ltk_escape {
    LTK_ESC_HTML,      /* & < > " ' as entities; control characters and
                        * invalid UTF-8 replaced by U+FFFD */
    LTK_ESC_MARKDOWN,  /* characters that would become Markdown or HTML
                        * markup backslash-escaped or as entities; line
                        * breaks and tabs become spaces (tables stay whole) */
};

/* A parsed template (opaque). */
struct ltk_template;

/* Largest template accepted, bytes. */
#define LTK_TEMPLATE_MAX_SIZE (1L << 20)

/* Largest output rendered, bytes. */
#define LTK_TEMPLATE_MAX_OUTPUT (256L << 20)

/* Parses text (len bytes; it need not be NUL-terminated) into *out.  name
 * labels errors ("templates/report.html").  Returns LTK_OK, LTK_EFORMAT
 * (err has name, line, column and what is wrong: an unclosed tag or
 * section, a close tag that does not match, a bad name), LTK_ELIMIT or
 * LTK_ENOMEM.  Free *out with ltk_template_free. */
int ltk_template_parse(const char *text, size_t len, const char *name, struct ltk_template **out,
                       struct ltk_error *err);

/* Reads and parses the file at path (errors name path).  Also LTK_EIO. */
int ltk_template_load(const char *path, struct ltk_template **out, struct ltk_error *err);

/* Renders t with data as the outermost context.  On success *out is a
 * malloc'd NUL-terminated string (free()) of *outlen bytes (outlen may be
 * NULL).  Returns LTK_OK, LTK_EFORMAT (a name not found, a list or object
 * where a value is expected, a string in a raw tag: err has the template's
 * name, line and column), LTK_ELIMIT (the output would pass
 * LTK_TEMPLATE_MAX_OUTPUT, or the template renders more than 16 x (its nodes + 1)
 * x (the data's values + 1) + 4096 nodes: only a section over a list nested in
 * itself does, 3 items 20 deep being 3^20) or LTK_ENOMEM. */
int ltk_template_render(const struct ltk_template *t, const cJSON *data, enum ltk_escape esc, char **out,
                        size_t *outlen, struct ltk_error *err);

/* The budget ltk_template_render gives t over data: 16 x (t's nodes + 1) x
 * (data's values + 1) + 4096 nodes rendered. */
uint64_t ltk_template_budget(const struct ltk_template *t, const cJSON *data);

/* ltk_template_render with a budget of max_steps nodes rendered instead
 * (a caller that embeds the engine may want less; the fuzzer does). */
int ltk_template_render_budget(const struct ltk_template *t, const cJSON *data, enum ltk_escape esc,
                               uint64_t max_steps, char **out, size_t *outlen, struct ltk_error *err);

/* Frees t.  t may be NULL. */
void ltk_template_free(struct ltk_template *t);

/* The templates built into the library from templates/ at build time
 * ("report.html", "report.md"), so a copied binary needs no data files.
 * Returns the text (static storage, *len bytes) or NULL for an unknown
 * name. */
const char *ltk_template_builtin(const char *name, size_t *len);

#endif

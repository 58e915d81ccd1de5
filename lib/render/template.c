/* The report template engine (see ltk/render/template.h).
 *
 * Parsing turns the text into a flat list of nodes: text slices, value
 * tags, and sections whose children are the nodes up to their end index.
 * Rendering walks that list with a stack of cJSON contexts. */
#include "ltk/render/template.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/base/num.h"
#include "base/strutil.h"

/* Sections nest at most this deep (a safety limit for parse and render). */
#define MAX_DEPTH 64

enum node_kind { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED };

struct node {
    enum node_kind kind;
    size_t off, len;     /* N_TEXT: slice of the template text */
    char *path;          /* tags: the name, "a.b" or "." */
    long line, column;   /* where the tag starts */
    size_t end;          /* sections: index of the first node after them */
};

struct ltk_template {
    char *name;
    char *text;
    struct node *nodes;
    size_t n, cap;
};

void ltk_template_free(struct ltk_template *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->nodes[i].path);
    free(t->nodes);
    free(t->text);
    free(t->name);
    free(t);
}

/* Where the parse has counted lines and columns up to. */
struct cursor {
    size_t pos;
    long line, column;
};

/* Line and column of text[pos], counted on from c (pos >= c->pos), which
 * moves there: the tags are met in order, so the whole text is counted once
 * (counting each from the start made a parse quadratic in the template's
 * size: 14 ms for report.html under ASan, found by profiling
 * fuzz_template). */
static void advance(const char *text, struct cursor *c, size_t pos, long *line, long *column)
{
    for (; c->pos < pos; c->pos++) {
        if (text[c->pos] == '\n') {
            c->line++;
            c->column = 1;
        } else if (((unsigned char)text[c->pos] & 0xC0) != 0x80) {
            c->column++; /* columns count code points */
        }
    }
    *line = c->line;
    *column = c->column;
}

static void position(const char *text, size_t pos, long *line, long *column)
{
    struct cursor c = { 0, 1, 1 };
    advance(text, &c, pos, line, column);
}

static int parse_error(struct ltk_error *err, const struct ltk_template *t, size_t pos, const char *what,
                       const char *name)
{
    long line, column;
    position(t->text, pos, &line, &column);
    if (name)
        return ltk_error_set(err, LTK_EFORMAT, t->name, line, column, "column %ld: %s '%s'", column, what, name);
    return ltk_error_set(err, LTK_EFORMAT, t->name, line, column, "column %ld: %s", column, what);
}

static struct node *add_node(struct ltk_template *t, enum node_kind kind)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        struct node *p = realloc(t->nodes, cap * sizeof *p);
        if (!p)
            return NULL;
        t->nodes = p;
        t->cap = cap;
    }
    struct node *nd = &t->nodes[t->n++];
    memset(nd, 0, sizeof *nd);
    nd->kind = kind;
    return nd;
}

/* A text node from..to; cur (at or before from) gives its line and column,
 * which a render error at the text names. */
static bool add_text(struct ltk_template *t, struct cursor *cur, size_t from, size_t to)
{
    if (to <= from)
        return true;
    struct node *nd = add_node(t, N_TEXT);
    if (!nd)
        return false;
    advance(t->text, cur, from, &nd->line, &nd->column);
    nd->off = from;
    nd->len = to - from;
    return true;
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* "." or segments of name characters joined by single dots. */
static bool valid_name(const char *s, size_t n)
{
    if (n == 1 && s[0] == '.')
        return true;
    if (n == 0 || s[0] == '.' || s[n - 1] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (s[i - 1] == '.')
                return false;
        } else if (!name_char(s[i])) {
            return false;
        }
    }
    return true;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* When the tag [start, stop) stands alone on its line, widens it to the
 * whole line (indent and line end included) and returns true. */
static bool standalone(const char *text, size_t len, size_t *start, size_t *stop)
{
    size_t a = *start;
    while (a > 0 && is_blank(text[a - 1]))
        a--;
    if (a > 0 && text[a - 1] != '\n')
        return false;
    size_t b = *stop;
    while (b < len && is_blank(text[b]))
        b++;
    if (b < len && text[b] == '\r' && b + 1 < len && text[b + 1] == '\n')
        b++;
    if (b < len && text[b] != '\n')
        return false;
    *start = a;
    *stop = b < len ? b + 1 : b;
    return true;
}

/* The first pat (plen bytes) in s[from, len), or NULL.  Not strstr: under
 * ASan, its check measures the whole rest of the text at each call, which
 * made a parse quadratic in the number of tags (memchr's checks only what
 * it read). */
static const char *find(const char *s, size_t from, size_t len, const char *pat, size_t plen)
{
    while (from < len && len - from >= plen) {
        const char *p = memchr(s + from, pat[0], len - from - plen + 1);
        if (!p)
            return NULL;
        if (memcmp(p + 1, pat + 1, plen - 1) == 0)
            return p;
        from = (size_t)(p - s) + 1;
    }
    return NULL;
}

static int parse(struct ltk_template *t, struct ltk_error *err)
{
    const char *s = t->text;
    size_t len = strlen(s);
    size_t open[MAX_DEPTH];
    size_t depth = 0;
    size_t pos = 0;
    struct cursor cur = { 0, 1, 1 };
    while (pos < len) {
        const char *hit = find(s, pos, len, "{{", 2);
        if (!hit) {
            if (!add_text(t, &cur, pos, len))
                return ltk_error_set(err, LTK_ENOMEM, t->name, 0, 0, "out of memory");
            break;
        }
        size_t tag = (size_t)(hit - s);
        bool triple = s[tag + 2] == '{';
        size_t inner = tag + (triple ? 3 : 2);
        const char *close = find(s, inner, len, triple ? "}}}" : "}}", triple ? 3 : 2);
        if (!close)
            return parse_error(err, t, tag, triple ? "'{{{' without its '}}}'" : "'{{' without its '}}'", NULL);
        size_t stop = (size_t)(close - s) + (triple ? 3 : 2);
        char sigil = triple ? 0 : s[inner];
        if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!')
            inner++;
        else
            sigil = 0;
        size_t a = inner, b = (size_t)(close - s);
        if (sigil != '!') {
            while (a < b && is_blank(s[a]))
                a++;
            while (b > a && is_blank(s[b - 1]))
                b--;
            if (memchr(s + a, '\n', b - a) || !valid_name(s + a, b - a)) {
                char raw[64], shown[100], what[120];
                snprintf(raw, sizeof raw, "%.*s", (int)(b - a > 60 ? 60 : b - a), s + a);
                ltk_quote_text(raw, shown, sizeof shown);
                snprintf(what, sizeof what, "bad name in tag: %s", shown);
                return parse_error(err, t, a, what, NULL);
            }
        }
        size_t text_end = tag, next = stop;
        if (sigil && !triple)
            standalone(s, len, &text_end, &next);
        if (!add_text(t, &cur, pos, text_end))
            return ltk_error_set(err, LTK_ENOMEM, t->name, 0, 0, "out of memory");
        pos = next;
        if (sigil == '!')
            continue;
        char *name = ltk_strndup(s + a, b - a);
        if (!name)
            return ltk_error_set(err, LTK_ENOMEM, t->name, 0, 0, "out of memory");
        if (sigil == '/') {
            if (depth == 0) {
                int rc = parse_error(err, t, tag, "close tag without an open section:", name);
                free(name);
                return rc;
            }
            struct node *o = &t->nodes[open[depth - 1]];
            if (strcmp(o->path, name) != 0) {
                char what[160];
                snprintf(what, sizeof what, "section '%.60s' (line %ld) closed by", o->path, o->line);
                int rc = parse_error(err, t, tag, what, name);
                free(name);
                return rc;
            }
            free(name);
            o->end = t->n;
            depth--;
            continue;
        }
        enum node_kind kind = triple ? N_RAW : sigil == '#' ? N_SECTION : sigil == '^' ? N_INVERTED : N_VAR;
        if ((kind == N_SECTION || kind == N_INVERTED) && depth == MAX_DEPTH) {
            free(name);
            long line, column;
            advance(s, &cur, tag, &line, &column);
            return ltk_error_set(err, LTK_ELIMIT, t->name, line, column, "column %ld: sections nested more than %d deep",
                                 column, MAX_DEPTH);
        }
        struct node *nd = add_node(t, kind);
        if (!nd) {
            free(name);
            return ltk_error_set(err, LTK_ENOMEM, t->name, 0, 0, "out of memory");
        }
        nd->path = name;
        advance(s, &cur, tag, &nd->line, &nd->column);
        if (kind == N_SECTION || kind == N_INVERTED)
            open[depth++] = t->n - 1;
    }
    if (depth) {
        const struct node *o = &t->nodes[open[depth - 1]];
        return ltk_error_set(err, LTK_EFORMAT, t->name, o->line, o->column, "column %ld: section '%s' is never closed",
                             o->column, o->path);
    }
    return LTK_OK;
}

int ltk_template_parse(const char *text, size_t len, const char *name, struct ltk_template **out,
                       struct ltk_error *err)
{
    *out = NULL;
    if (!name)
        name = "template";
    if (len > (size_t)LTK_TEMPLATE_MAX_SIZE)
        return ltk_error_set(err, LTK_ELIMIT, name, 0, 0, "larger than %ld bytes", LTK_TEMPLATE_MAX_SIZE);
    if (memchr(text, '\0', len))
        return ltk_error_set(err, LTK_EFORMAT, name, 0, 0, "contains a NUL byte: not a text template");
    struct ltk_template *t = calloc(1, sizeof *t);
    if (!t || !(t->name = ltk_strdup(name)) || !(t->text = ltk_strndup(text, len))) {
        ltk_template_free(t);
        return ltk_error_set(err, LTK_ENOMEM, name, 0, 0, "out of memory");
    }
    int rc = parse(t, err);
    if (rc) {
        ltk_template_free(t);
        return rc;
    }
    *out = t;
    return LTK_OK;
}

int ltk_template_load(const char *path, struct ltk_template **out, struct ltk_error *err)
{
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return ltk_error_set(err, LTK_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    struct ltk_buf b;
    ltk_buf_init(&b);
    char chunk[8192];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        ltk_buf_append(&b, chunk, k);
        if (b.len > (size_t)LTK_TEMPLATE_MAX_SIZE)
            break;
    }
    bool bad = ferror(fp);
    fclose(fp);
    if (bad) {
        ltk_buf_release(&b);
        return ltk_error_set(err, LTK_EIO, path, 0, 0, "read error");
    }
    if (b.failed) {
        ltk_buf_release(&b);
        return ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
    }
    int rc = ltk_template_parse(b.data ? b.data : "", b.len, path, out, err);
    ltk_buf_release(&b);
    return rc;
}

/* ---- rendering ----------------------------------------------------------- */

struct render {
    const struct ltk_template *t;
    enum ltk_escape esc;
    const cJSON *ctx[MAX_DEPTH + 1];
    size_t depth;
    struct ltk_buf out;
    struct ltk_error *err;
    uint64_t steps, max_steps;   /* nodes rendered, and the budget */
};

/* Values in a data tree (for the render budget). */
static uint64_t count_values(const cJSON *v)
{
    uint64_t n = 1;
    for (const cJSON *c = v ? v->child : NULL; c; c = c->next)
        n += count_values(c);
    return n;
}

static int render_error(struct render *r, const struct node *nd, const char *what)
{
    return ltk_error_set(r->err, LTK_EFORMAT, r->t->name, nd->line, nd->column, "column %ld: '%s': %s",
                         nd->column, nd->path, what);
}

static const cJSON null_value = { .type = cJSON_NULL };

/* The value a tag names, or NULL when it is nowhere. */
static const cJSON *lookup(const struct render *r, const char *path)
{
    if (strcmp(path, ".") == 0)
        return r->ctx[r->depth - 1];
    const char *dot = strchr(path, '.');
    size_t n = dot ? (size_t)(dot - path) : strlen(path);
    char seg[128];
    if (n >= sizeof seg)
        return NULL;
    memcpy(seg, path, n);
    seg[n] = '\0';
    const cJSON *v = NULL;
    for (size_t i = r->depth; i-- > 0 && !v;)
        if (cJSON_IsObject(r->ctx[i]))
            v = cJSON_GetObjectItemCaseSensitive(r->ctx[i], seg);
    while (v && dot) {
        path = dot + 1;
        dot = strchr(path, '.');
        n = dot ? (size_t)(dot - path) : strlen(path);
        if (n >= sizeof seg)
            return NULL;
        memcpy(seg, path, n);
        seg[n] = '\0';
        if (cJSON_IsArray(v) && n > 0 && n < 7 && strspn(seg, "0123456789") == n) {
            /* "list.0": an element, null past the end (so {{#list.0}}
             * means "when the list is not empty") */
            const cJSON *item = cJSON_GetArrayItem(v, (int)strtol(seg, NULL, 10));
            v = item ? item : &null_value;
        } else if (cJSON_IsObject(v)) {
            v = cJSON_GetObjectItemCaseSensitive(v, seg);
        } else {
            return NULL;
        }
    }
    return v;
}

static bool truthy(const cJSON *v)
{
    if (cJSON_IsFalse(v) || cJSON_IsNull(v))
        return false;
    if (cJSON_IsNumber(v))
        return v->valuedouble != 0;
    if (cJSON_IsString(v) || cJSON_IsRaw(v))
        return v->valuestring && v->valuestring[0];
    if (cJSON_IsArray(v))
        return cJSON_GetArraySize(v) > 0;
    return true;
}

static const char *const replacement = "\xEF\xBF\xBD"; /* U+FFFD */

static void put_html(struct ltk_buf *b, const char *s)
{
    while (*s) {
        unsigned char c = (unsigned char)*s;
        size_t n = ltk_utf8_seq(s);
        switch (c) {
        case '&': ltk_buf_puts(b, "&amp;"); break;
        case '<': ltk_buf_puts(b, "&lt;"); break;
        case '>': ltk_buf_puts(b, "&gt;"); break;
        case '"': ltk_buf_puts(b, "&quot;"); break;
        case '\'': ltk_buf_puts(b, "&#39;"); break;
        case '\n':
        case '\t': ltk_buf_putc(b, (char)c); break;
        default:
            if (n == 0 || c < 0x20 || c == 0x7F)
                ltk_buf_puts(b, replacement);
            else
                ltk_buf_append(b, s, n);
        }
        s += n ? n : 1;
    }
}

static void put_markdown(struct ltk_buf *b, const char *s)
{
    while (*s) {
        unsigned char c = (unsigned char)*s;
        size_t n = ltk_utf8_seq(s);
        switch (c) {
        case '&': ltk_buf_puts(b, "&amp;"); break;
        case '<': ltk_buf_puts(b, "&lt;"); break;
        case '>': ltk_buf_puts(b, "&gt;"); break;
        case '\n':
        case '\r':
        case '\t': ltk_buf_putc(b, ' '); break;
        case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '#':
        case '~': case '$':
            ltk_buf_putc(b, '\\');
            ltk_buf_putc(b, (char)c);
            break;
        default:
            if (n == 0 || c < 0x20 || c == 0x7F)
                ltk_buf_puts(b, replacement);
            else
                ltk_buf_append(b, s, n);
        }
        /* GitHub and GitLab link @name to a person and #123 to an issue even
         * after a backslash escape: a zero-width space after the sign keeps
         * the text as it reads and stops the link (and the notification). */
        if ((c == '@' && isalnum((unsigned char)s[1])) || (c == '#' && isdigit((unsigned char)s[1])))
            ltk_buf_puts(b, "\xE2\x80\x8B");
        s += n ? n : 1;
    }
}

/* The text of a scalar value; NULL for a list or an object. */
static const char *scalar_text(const cJSON *v, char num[32])
{
    if (cJSON_IsString(v) || cJSON_IsRaw(v))
        return v->valuestring ? v->valuestring : "";
    if (cJSON_IsNumber(v))
        return isfinite(v->valuedouble) ? ltk_format_double(v->valuedouble, num) : "";
    if (cJSON_IsTrue(v))
        return "true";
    if (cJSON_IsFalse(v))
        return "false";
    if (cJSON_IsNull(v))
        return "";
    return NULL;
}

static int render_range(struct render *r, size_t from, size_t to);

static int render_section(struct render *r, const struct node *nd, size_t first, size_t end)
{
    const cJSON *v = lookup(r, nd->path);
    if (!v)
        return render_error(r, nd, "no such value");
    bool on = truthy(v);
    if (nd->kind == N_INVERTED)
        return on ? LTK_OK : render_range(r, first, end);
    if (!on)
        return LTK_OK;
    if (r->depth == MAX_DEPTH + 1)
        return render_error(r, nd, "data nested too deep");
    if (cJSON_IsArray(v)) {
        const cJSON *item;
        cJSON_ArrayForEach(item, v) {
            r->ctx[r->depth++] = item;
            int rc = render_range(r, first, end);
            r->depth--;
            if (rc)
                return rc;
        }
        return LTK_OK;
    }
    r->ctx[r->depth++] = v;
    int rc = render_range(r, first, end);
    r->depth--;
    return rc;
}

static int render_range(struct render *r, size_t from, size_t to)
{
    const struct ltk_template *t = r->t;
    size_t i = from;
    while (i < to) {
        const struct node *nd = &t->nodes[i];
        /* A template that follows its data renders each node at most once
         * per value of the data; one that nests a list's section in itself
         * multiplies (3 items nested 20 deep: 3^20 renders), so it stops. */
        if (++r->steps > r->max_steps)
            return ltk_error_set(r->err, LTK_ELIMIT, t->name, nd->line, nd->column,
                                 "column %ld: the template renders more than %llu values, sections and texts for "
                                 "this data (a section over a list nested in itself?)",
                                 nd->column, (unsigned long long)r->max_steps);
        if (r->out.len > (size_t)LTK_TEMPLATE_MAX_OUTPUT)
            return ltk_error_set(r->err, LTK_ELIMIT, t->name, nd->line, nd->column,
                                 "column %ld: the output is larger than %ld bytes", nd->column,
                                 LTK_TEMPLATE_MAX_OUTPUT);
        switch (nd->kind) {
        case N_TEXT:
            ltk_buf_append(&r->out, t->text + nd->off, nd->len);
            i++;
            break;
        case N_VAR:
        case N_RAW: {
            const cJSON *v = lookup(r, nd->path);
            if (!v)
                return render_error(r, nd, "no such value");
            char num[32];
            const char *text = scalar_text(v, num);
            if (!text)
                return render_error(r, nd, "a list or object where a value is expected");
            if (nd->kind == N_RAW) {
                if (!cJSON_IsRaw(v) && !cJSON_IsNumber(v) && !cJSON_IsNull(v))
                    return render_error(r, nd, "only values the program marked raw can be inserted unescaped");
                ltk_buf_puts(&r->out, text);
            } else if (r->esc == LTK_ESC_MARKDOWN) {
                put_markdown(&r->out, text);
            } else {
                put_html(&r->out, text);
            }
            i++;
            break;
        }
        case N_SECTION:
        case N_INVERTED: {
            int rc = render_section(r, nd, i + 1, nd->end);
            if (rc)
                return rc;
            i = nd->end;
            break;
        }
        }
        if (r->out.failed)
            return ltk_error_set(r->err, LTK_ENOMEM, t->name, 0, 0, "out of memory");
    }
    return LTK_OK;
}

uint64_t ltk_template_budget(const struct ltk_template *t, const cJSON *data)
{
    return 16 * ((uint64_t)t->n + 1) * (count_values(data) + 1) + ((uint64_t)1 << 12);
}

int ltk_template_render(const struct ltk_template *t, const cJSON *data, enum ltk_escape esc, char **out,
                        size_t *outlen, struct ltk_error *err)
{
    return ltk_template_render_budget(t, data, esc, ltk_template_budget(t, data), out, outlen, err);
}

int ltk_template_render_budget(const struct ltk_template *t, const cJSON *data, enum ltk_escape esc,
                               uint64_t max_steps, char **out, size_t *outlen, struct ltk_error *err)
{
    *out = NULL;
    struct render r = { .t = t, .esc = esc, .err = err };
    r.max_steps = max_steps;
    ltk_buf_init(&r.out);
    r.ctx[r.depth++] = data;
    int rc = render_range(&r, 0, t->n);
    if (!rc && r.out.failed)
        rc = ltk_error_set(err, LTK_ENOMEM, t->name, 0, 0, "out of memory");
    if (rc) {
        ltk_buf_release(&r.out);
        return rc;
    }
    if (!r.out.data) {
        ltk_buf_putc(&r.out, 'x');
        ltk_buf_reset(&r.out);
        if (r.out.failed)
            return ltk_error_set(err, LTK_ENOMEM, t->name, 0, 0, "out of memory");
    }
    if (outlen)
        *outlen = r.out.len;
    *out = r.out.data;
    return LTK_OK;
}

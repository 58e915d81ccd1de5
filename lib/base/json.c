/* JSON helpers shared by every ltk.* document and JSON input (see
 * ltk/base/json.h). */
#include "ltk/base/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/base/input.h"
#include "ltk/base/error.h"
#include "ltk/base/num.h"
#include "base/strutil.h"

cJSON *ltk_json_number(double v)
{
    if (!isfinite(v))
        return cJSON_CreateNull();
    char buf[32];
    return cJSON_CreateRaw(ltk_format_double(v, buf));
}

int ltk_json_write(FILE *out, const cJSON *doc, bool pretty)
{
    char *text = pretty ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc);
    if (!text)
        return LTK_ENOMEM;
    size_t n = strlen(text);
    int rc = (fwrite(text, 1, n, out) == n && fputc('\n', out) != EOF) ? LTK_OK : LTK_EIO;
    cJSON_free(text);
    return rc;
}

void ltk_jb_num(struct ltk_jb *b, cJSON *obj, const char *key, double v)
{
    cJSON *n = obj ? ltk_json_number(v) : NULL;
    if (!n || !cJSON_AddItemToObject(obj, key, n)) {
        cJSON_Delete(n);
        b->failed = true;
    }
}

void ltk_jb_bool(struct ltk_jb *b, cJSON *obj, const char *key, bool v)
{
    if (!obj || !cJSON_AddBoolToObject(obj, key, v))
        b->failed = true;
}

void ltk_jb_str(struct ltk_jb *b, cJSON *obj, const char *key, const char *v)
{
    if (!obj || !(v ? cJSON_AddStringToObject(obj, key, v) : cJSON_AddNullToObject(obj, key)))
        b->failed = true;
}

cJSON *ltk_jb_obj(struct ltk_jb *b, cJSON *parent, const char *key)
{
    cJSON *o = parent ? cJSON_CreateObject() : NULL;
    if (!o || !(cJSON_IsArray(parent) ? cJSON_AddItemToArray(parent, o) : cJSON_AddItemToObject(parent, key, o))) {
        cJSON_Delete(o);
        b->failed = true;
        return NULL;
    }
    return o;
}

cJSON *ltk_jb_arr(struct ltk_jb *b, cJSON *parent, const char *key)
{
    cJSON *a = parent ? cJSON_AddArrayToObject(parent, key) : NULL;
    if (!a)
        b->failed = true;
    return a;
}

/* ---- reading ------------------------------------------------------------- */

int ltk_json_read_fp(FILE *fp, const char *path, size_t max, const char *what, char **text, size_t *len,
                     struct ltk_error *err)
{
    *text = NULL;
    *len = 0;
    struct ltk_buf b;
    ltk_buf_init(&b);
    char chunk[1 << 16];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (b.len + got > max) {
            ltk_buf_release(&b);
            return ltk_error_set(err, LTK_ELIMIT, path, 0, 0, "%s larger than %zu bytes", what, max);
        }
        ltk_buf_append(&b, chunk, got);
    }
    if (ferror(fp) || b.failed) {
        bool rerr = ferror(fp);
        ltk_buf_release(&b);
        return rerr ? ltk_error_set(err, LTK_EIO, path, 0, 0, "read error")
                    : ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
    }
    if (!b.data) {
        ltk_buf_release(&b);
        return ltk_error_set(err, LTK_EFORMAT, path, 0, 0, "empty file: not %s", what);
    }
    if (memchr(b.data, '\0', b.len)) {
        ltk_buf_release(&b);
        return ltk_error_set(err, LTK_EFORMAT, path, 0, 0, "not valid JSON: a NUL byte");
    }
    *text = b.data;
    *len = b.len;
    return LTK_OK;
}

int ltk_json_read_file(const char *path, size_t max, const char *what, char **text, size_t *len,
                       struct ltk_error *err)
{
    *text = NULL;
    *len = 0;
    FILE *fp;
    int rc = ltk_open_input(path, &fp, err);
    if (rc)
        return rc;
    rc = ltk_json_read_fp(fp, path, max, what, text, len, err);
    fclose(fp);
    return rc;
}

/* True when word starts at text[off] (text has len bytes, no NUL needed). */
static bool at(const char *text, size_t len, size_t off, const char *word)
{
    size_t n = strlen(word);
    return off <= len && len - off >= n && memcmp(text + off, word, n) == 0;
}

/* True when the error at off is in the last 64 bytes and the text ends
 * inside a string or with an array or object still open: a file cut short
 * (cJSON points at the start of the last token, not at the end).  depth:
 * the brackets open before text (0 for a whole document). */
static bool cut_off(const char *text, size_t len, size_t off, size_t depth)
{
    if (off + 64 < len)
        return false;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if ((c == ']' || c == '}') && depth) {
            depth--;
        }
    }
    return in_string || depth > 0;
}

/* "not valid JSON (at byte OFF)" with why when it can tell: cut (the text
 * ends inside the document), or NaN/Infinity at the offset (word is the text
 * there: wlen bytes from wat). */
static int syntax_error(struct ltk_error *err, const char *name, long line, size_t off, bool cut, const char *word,
                        size_t wlen, size_t wat)
{
    const char *why = cut ? ": the file ends inside the document (cut off?)"
                      : (at(word, wlen, wat, "NaN") || at(word, wlen, wat, "Infinity") ||
                         at(word, wlen, wat, "-Infinity"))
                          ? ": NaN and Infinity are not JSON numbers"
                          : "";
    return ltk_error_set(err, LTK_EFORMAT, name, line, 0, "not valid JSON (at byte %zu)%s", off, why);
}

/* Only blanks (and NULs) after a document, as cJSON leaves them. */
static bool trailing_blank(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\0';
}

int ltk_json_parse(const char *text, size_t len, const char *name, cJSON **out, struct ltk_error *err)
{
    const char *end = NULL;
    *out = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!doc) {
        size_t off = end && end >= text ? (size_t)(end - text) : 0;
        long line = 1;
        for (size_t i = 0; i < off && i < len; i++)
            line += text[i] == '\n';
        return syntax_error(err, name, line, off, cut_off(text, len, off, 0), text, len, off);
    }
    for (const char *p = end; p && p < text + len; p++)
        if (!trailing_blank(*p)) {
            cJSON_Delete(doc);
            return ltk_error_set(err, LTK_EFORMAT, name, 0, 0, "not valid JSON: text after the document");
        }
    *out = doc;
    return LTK_OK;
}

const char *ltk_json_kind(const cJSON *j)
{
    if (!j)
        return "nothing";
    if (cJSON_IsNull(j))
        return "null";
    if (cJSON_IsBool(j))
        return "a boolean";
    if (cJSON_IsNumber(j))
        return "a number";
    if (cJSON_IsString(j))
        return "a string";
    if (cJSON_IsArray(j))
        return "an array";
    return "an object";
}

const char *ltk_json_count_problem(const cJSON *j)
{
    if (!cJSON_IsNumber(j))
        return ltk_json_kind(j);
    double v = j->valuedouble;
    if (!isfinite(v))
        return "a number beyond the range of a double";
    if (v < 0 || v != floor(v))
        return "a negative or fractional number";
    if (v >= (double)LTK_MAX_EXACT_INT)
        return "a number from 2^53 on (not exact in JSON)";
    return NULL;
}

/* ---- a large object piece by piece ---------------------------------------- */

enum {
    JS_OBJECT_FIRST,   /* after '{': a key or '}' */
    JS_OBJECT_NEXT,    /* after a member: ',' or '}' */
    JS_VALUE,          /* after a key and its ':' */
    JS_ARRAY_FIRST,    /* after '[': an element or ']' */
    JS_ARRAY_NEXT,     /* after an element: ',' or ']' */
    JS_DONE,
};

static size_t js_block = (size_t)1 << 20;

void ltk_json_stream_set_block(size_t bytes)
{
    js_block = bytes ? bytes : (size_t)1 << 20;
}
#define JS_MAX_NEST 1000   /* cJSON's own limit: deeper, let cJSON fail */

static int js_nul(struct ltk_json_stream *js)
{
    return ltk_error_set(js->err, LTK_EFORMAT, js->name, 0, 0, "not valid JSON: a NUL byte");
}

/* Reads more of the file into the buffer (moving the unconsumed bytes to its
 * front).  1: more bytes, 0: end of file, or an error code. */
static int js_more(struct ltk_json_stream *js)
{
    if (js->eof)
        return 0;
    if (js->pos) {
        memmove(js->buf, js->buf + js->pos, js->len - js->pos);
        js->base += js->pos;
        js->len -= js->pos;
        js->pos = 0;
    }
    if (js->cap - js->len < js_block) {
        size_t cap = js->cap ? js->cap * 2 : js_block;
        while (cap - js->len < js_block)
            cap *= 2;
        char *b = realloc(js->buf, cap);
        if (!b)
            return ltk_error_set(js->err, LTK_ENOMEM, js->name, 0, 0, "out of memory");
        js->buf = b;
        js->cap = cap;
    }
    size_t got = fread(js->buf + js->len, 1, js_block, js->fp);
    if (got == 0) {
        if (ferror(js->fp))
            return ltk_error_set(js->err, LTK_EIO, js->name, 0, 0, "read error");
        js->eof = true;
        return 0;
    }
    if (js->nul_is_error && memchr(js->buf + js->len, '\0', got))
        return js_nul(js);
    js->len += got;
    return 1;
}

/* The rest of the file, not kept: LTK_OK, or the error of a NUL in it (a NUL
 * anywhere is the file's error, before any other). */
static int js_nul_ahead(struct ltk_json_stream *js)
{
    char chunk[1 << 16];
    size_t got;
    while (js->nul_is_error && !js->eof && (got = fread(chunk, 1, sizeof chunk, js->fp)) > 0)
        if (memchr(chunk, '\0', got))
            return js_nul(js);
    return LTK_OK;
}

/* Consumes n bytes, counting their lines. */
static void js_take(struct ltk_json_stream *js, size_t n)
{
    const char *p = js->buf + js->pos, *end = p + n;
    if (n)
        js->last = end[-1];
    while ((p = memchr(p, '\n', (size_t)(end - p)))) {
        js->line++;
        p++;
    }
    js->pos += n;
}

/* Skips blanks as cJSON does (every byte up to 32).  1: at a byte, 0: end of
 * file, or an error code. */
static int js_skip(struct ltk_json_stream *js)
{
    for (;;) {
        while (js->pos < js->len && (unsigned char)js->buf[js->pos] <= 32)
            js_take(js, 1);
        if (js->pos < js->len)
            return 1;
        int m = js_more(js);
        if (m <= 0)
            return m;
    }
}

/* The syntax error at document offset off (at or after buf[pos]). */
static int js_error(struct ltk_json_stream *js, size_t off)
{
    if (off >= js->size && js->size)
        off = js->size - 1;   /* as cJSON clamps it */
    if (off < js->base + js->pos) {
        /* the last byte, already consumed as a blank (the end of the file) */
        long line = js->line - (js->last == '\n');
        int rc = js_nul_ahead(js);
        return rc ? rc : syntax_error(js->err, js->name, line, off, true, "", 0, 0);
    }
    size_t rel = off - js->base - js->pos;
    long line = js->line;
    for (size_t i = js->pos; i < js->pos + rel && i < js->len; i++)
        line += js->buf[i] == '\n';
    /* cut off: the rest of the text, read with the brackets open here */
    bool cut = false;
    if (off + 64 >= js->size) {
        int m;
        while ((m = js_more(js)) > 0)
            ;
        if (m < 0)
            return m;
        size_t depth = js->state == JS_ARRAY_FIRST || js->state == JS_ARRAY_NEXT ? 2 : 1;
        cut = cut_off(js->buf + js->pos, js->len - js->pos, rel, depth);
    }
    int rc = js_nul_ahead(js);   /* a NUL further on is the file's error */
    return rc ? rc : syntax_error(js->err, js->name, line, off, cut, js->buf + js->pos, js->len - js->pos, rel);
}

/* An error at the end of the file: cJSON points at its last byte. */
static int js_error_end(struct ltk_json_stream *js)
{
    return js_error(js, js->size ? js->size - 1 : 0);
}

/* Skips blanks to the next byte, which must be there (the document goes on). */
static int js_at(struct ltk_json_stream *js)
{
    int s = js_skip(js);
    return s < 0 ? s : s == 0 ? js_error_end(js) : LTK_OK;
}

/* The length of the value starting at buf[pos] (not a blank): a string to
 * its closing quote, an array or object to its closing bracket (or the first
 * bracket of the wrong kind), anything else to the next blank, comma or
 * closing bracket.  At the end of the file, what there is. */
static int js_extent(struct ltk_json_stream *js, size_t *n)
{
    char stack[JS_MAX_NEST];
    size_t depth = 0, i = 0;
    bool in_string = false, scalar = false;
    char c0 = js->buf[js->pos];
    if (c0 != '"' && c0 != '{' && c0 != '[')
        scalar = true;
    for (;;) {
        while (js->pos + i >= js->len) {
            int m = js_more(js);
            if (m < 0)
                return m;
            if (m == 0) {
                *n = js->len - js->pos;
                return LTK_OK;
            }
        }
        char c = js->buf[js->pos + i];
        if (scalar) {
            if ((unsigned char)c <= 32 || c == ',' || c == ']' || c == '}') {
                *n = i;
                return LTK_OK;
            }
            i++;
        } else if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"') {
                in_string = false;
                if (!depth) {
                    *n = i + 1;
                    return LTK_OK;
                }
            }
            i++;
        } else if (c == '"') {
            in_string = true;
            i++;
        } else if (c == '{' || c == '[') {
            if (depth == JS_MAX_NEST) {
                *n = i + 1;   /* cJSON refuses it here */
                return LTK_OK;
            }
            stack[depth++] = c;
            i++;
        } else if (c == '}' || c == ']') {
            i++;
            if (stack[--depth] != (c == '}' ? '{' : '[')) {
                *n = i;       /* cJSON refuses it here */
                return LTK_OK;
            }
            if (!depth) {
                *n = i;
                return LTK_OK;
            }
        } else {
            i++;
        }
    }
}

/* Parses the value at buf[pos] with cJSON and consumes it. */
static int js_parse(struct ltk_json_stream *js, cJSON **out)
{
    *out = NULL;
    int rc = js_at(js);
    if (rc)
        return rc;
    size_t n;
    if ((rc = js_extent(js, &n)))
        return rc;
    size_t at0 = js->base + js->pos;
    if (n == 0)
        return js_error(js, at0);
    /* cJSON is given the byte after the value too: it may point one byte
     * past where it stopped (a key that is not a string), and past the end
     * of what it is given it points at the last byte instead */
    while (js->pos + n + 1 > js->len) {
        int m = js_more(js);
        if (m < 0)
            return m;
        if (m == 0)
            break;
    }
    size_t give = js->pos + n + 1 <= js->len ? n + 1 : n;
    const char *chunk = js->buf + js->pos, *end = NULL;
    cJSON *v = cJSON_ParseWithLengthOpts(chunk, give, &end, false);
    size_t stop = end && end >= chunk ? (size_t)(end - chunk) : 0;
    if (!v || stop != n) {
        cJSON_Delete(v);
        return js_error(js, at0 + stop);
    }
    js_take(js, n);
    *out = v;
    return LTK_OK;
}

int ltk_json_stream_open(struct ltk_json_stream *js, FILE *fp, size_t size, const char *name, bool nul_is_error,
                         bool *is_object, struct ltk_error *err)
{
    *js = (struct ltk_json_stream){ .fp = fp, .name = name, .err = err, .size = size, .line = 1,
                                    .state = JS_OBJECT_FIRST, .nul_is_error = nul_is_error };
    *is_object = false;
    int m = 1;
    while (js->len < 3 && (m = js_more(js)) > 0)
        ;
    if (m < 0)
        return m;
    if (js->len >= 3 && memcmp(js->buf, "\xEF\xBB\xBF", 3) == 0)
        js->pos = 3;
    int s = js_skip(js);
    if (s < 0)
        return s;
    if (s == 1 && js->buf[js->pos] == '{') {
        js_take(js, 1);
        *is_object = true;
    }
    return LTK_OK;
}

/* Before a member or an element: the comma after the one before (none
 * before the first), or the closing bracket close (*closed, consumed). */
static int js_next(struct ltk_json_stream *js, bool first, char close, bool *closed)
{
    int rc = js_at(js);
    if (rc)
        return rc;
    char c = js->buf[js->pos];
    *closed = c == close;
    if (first && !*closed)
        return LTK_OK;
    if (!*closed && c != ',')
        return js_error(js, js->base + js->pos);
    js_take(js, 1);
    return LTK_OK;
}

int ltk_json_stream_key(struct ltk_json_stream *js, char **key)
{
    *key = NULL;
    bool closed;
    int rc = js_next(js, js->state != JS_OBJECT_NEXT, '}', &closed);
    if (rc)
        return rc;
    if (closed) {
        /* the end of the document: blanks may follow */
        js->state = JS_DONE;
        for (;;) {
            for (; js->pos < js->len; js->pos++)
                if (!trailing_blank(js->buf[js->pos])) {
                    int rc2 = js_nul_ahead(js);
                    return rc2 ? rc2
                               : ltk_error_set(js->err, LTK_EFORMAT, js->name, 0, 0,
                                               "not valid JSON: text after the document");
                }
            int m = js_more(js);
            if (m <= 0)
                return m;
        }
    }
    if ((rc = js_at(js)))
        return rc;
    if (js->buf[js->pos] != '"')
        return js_error(js, js->base + js->pos + 1);   /* where cJSON points */
    cJSON *k;
    if ((rc = js_parse(js, &k)))
        return rc;
    *key = ltk_strdup(k->valuestring);
    cJSON_Delete(k);
    if (!*key)
        return ltk_error_set(js->err, LTK_ENOMEM, js->name, 0, 0, "out of memory");
    if ((rc = js_at(js)) || (js->buf[js->pos] != ':' && (rc = js_error(js, js->base + js->pos)))) {
        free(*key);
        *key = NULL;
        return rc;
    }
    js_take(js, 1);
    js->state = JS_VALUE;
    return LTK_OK;
}

int ltk_json_stream_value(struct ltk_json_stream *js, cJSON **out)
{
    int rc = js_parse(js, out);
    if (rc == LTK_OK)
        js->state = JS_OBJECT_NEXT;
    return rc;
}

int ltk_json_stream_array(struct ltk_json_stream *js, bool *is_array)
{
    *is_array = false;
    int s = js_skip(js);
    if (s < 0)
        return s;
    if (s == 1 && js->buf[js->pos] == '[') {
        js_take(js, 1);
        js->state = JS_ARRAY_FIRST;
        *is_array = true;
    }
    return LTK_OK;
}

int ltk_json_stream_element(struct ltk_json_stream *js, cJSON **out)
{
    *out = NULL;
    bool closed;
    int rc = js_next(js, js->state != JS_ARRAY_NEXT, ']', &closed);
    if (rc)
        return rc;
    if (closed) {
        js->state = JS_OBJECT_NEXT;
        return LTK_OK;
    }
    if ((rc = js_parse(js, out)))
        return rc;
    js->state = JS_ARRAY_NEXT;
    return LTK_OK;
}

void ltk_json_stream_release(struct ltk_json_stream *js)
{
    free(js->buf);
    js->buf = NULL;
    js->pos = js->len = js->cap = 0;
}

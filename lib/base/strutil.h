/* Small string helpers private to lib/: copies, a growable buffer, and
 * escaping of untrusted text for messages and terminals. */
#ifndef LTK_STRUTIL_H
#define LTK_STRUTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* malloc'd copies; NULL on out of memory.  Free with free(). */
char *ltk_strdup(const char *s);
char *ltk_strndup(const char *s, size_t n);
char *ltk_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *ltk_vasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* snprintf into a fixed buffer that says when it had to cut: the text then
 * ends in "...".  Returns true when everything fitted. */
bool ltk_fit_printf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Writes s into out as a quoted, single-line, printable string for a
 * message: 'abc', control bytes as \n \r \t \xNN, cut with "..." to fit. */
void ltk_quote_text(const char *s, char *out, size_t size);

/* True when needle occurs in hay, ASCII letters compared without case. */
bool ltk_contains_nocase(const char *hay, const char *needle);

/* A growable NUL-terminated byte buffer.  On allocation failure it sets
 * failed and ignores further appends, so callers check once at the end. */
struct ltk_buf {
    char *data;
    size_t len, cap;
    bool failed;
};

void ltk_buf_init(struct ltk_buf *b);
void ltk_buf_release(struct ltk_buf *b);
void ltk_buf_reset(struct ltk_buf *b);
void ltk_buf_append(struct ltk_buf *b, const char *s, size_t n);
void ltk_buf_puts(struct ltk_buf *b, const char *s);
void ltk_buf_putc(struct ltk_buf *b, char c);
void ltk_buf_printf(struct ltk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ltk_buf_pad(struct ltk_buf *b, char c, size_t n);

/* Writes the buffer to out and releases it.  Returns LTK_OK, LTK_ENOMEM (an
 * append had failed) or LTK_EIO. */
int ltk_buf_flush(FILE *out, struct ltk_buf *b);

/* Appends s made safe for a terminal: control characters (including ESC and
 * newlines) become \n, \x1b, ...; valid UTF-8 is kept, invalid bytes escaped. */
void ltk_buf_put_terminal(struct ltk_buf *b, const char *s);

/* The first byte of the regular file at path that is not a space, tab or
 * line end; EOF when there is none, the file is not regular or cannot be
 * read.  For telling JSON documents by their first character. */
int ltk_file_first_char(const char *path);

/* Length (1-4) of the valid UTF-8 sequence at s, 0 when the bytes there
 * are not valid UTF-8 or encode a C1 control (U+0080..U+009F).  s must be
 * NUL-terminated (a NUL ends any sequence). */
size_t ltk_utf8_seq(const char *s);

/* Code points in the first len bytes of s (fewer at a NUL): bytes that are
 * not UTF-8 continuation bytes.  Columns of an expression count these. */
size_t ltk_utf8_count(const char *s, size_t len);

/* Display width of s as ltk_buf_put_terminal would write it, counting one
 * column per code point (as Python's str.format does). */
size_t ltk_terminal_width(const char *s);

#endif

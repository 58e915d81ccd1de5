/* The Content-Security-Policy of ltk's HTML pages.
 *
 * A page's template holds a meta tag such as
 *     <meta http-equiv="Content-Security-Policy" content="default-src 'none';
 *       style-src 'ltk-style-hash'; script-src 'ltk-script-hash'; img-src data:">
 * and ltk_page_fill_csp puts in place of 'ltk-style-hash' and
 * 'ltk-script-hash' the sha256 source ('sha256-BASE64') of the page's first
 * <style> element and of its first <script> element without attributes
 * (the page's own script; <script type="application/json"> data blocks are
 * never run), or 'none' when the page has no such element.  The hashes are
 * computed from the rendered page, so an edited template (--templates)
 * stays allowed, and nothing else (no inline handler, no style attribute,
 * no other script) is.  Only the first occurrence of each placeholder is
 * replaced: templates put the meta tag before any text from the input. */
#ifndef LTK_PAGE_H
#define LTK_PAGE_H

#include <stddef.h>
#include <stdint.h>

/* SHA-256 of len bytes into out (FIPS 180-4). */
void ltk_sha256(const void *data, size_t len, uint8_t out[32]);

/* Puts the built-in templates/charts.js in place of the comment
 * "ltk:charts.js" of the page's first <script> element (marked exactly
 * <script>/\* ltk:charts.js *\/</script>), then fills the CSP as below.
 * Returns LTK_OK or LTK_ENOMEM. */
int ltk_page_finish(char **text, size_t *len);

/* Replaces the placeholders of *text (*len bytes, NUL-terminated, malloc'd)
 * as above; *text may be reallocated.  Returns LTK_OK or LTK_ENOMEM (text
 * unchanged). */
int ltk_page_fill_csp(char **text, size_t *len);

#endif

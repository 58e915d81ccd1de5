/* HTTP status codes of a run: per endpoint, how many requests got each code,
 * and whether the code was read from the input or inferred from a failure's
 * text.
 *
 * Read: a column of the input holds the code (JMeter JTL responseCode, k6's
 * status tag, the status column of ltk's Locust request hook, Locust 2.44's
 * CsvRequestLogger status_code).  Code 0 stands for "no HTTP response" (k6's
 * status 0, JMeter's "Non HTTP response code: ..."): class other.
 * Inferred: a failed request without a read code whose error text names one
 * (ltk_status_from_text), as Locust's failures carry it:
 * "HTTPError('500 Server Error: ...')", "CatchResponseError('HTTP 429: ...')".
 * A request with neither has no code (it counts in "none"). */
#ifndef LTK_STATUS_H
#define LTK_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest code kept; larger numbers are not HTTP status codes. */
#define LTK_STATUS_MAX 999

struct ltk_status_count {
    int code;             /* 0 (no HTTP response) or 100..999 */
    uint64_t read;        /* requests whose input said this code */
    uint64_t inferred;    /* failed requests whose error text named it */
};

/* Codes ascending, each once, read + inferred > 0. */
struct ltk_status_list {
    struct ltk_status_count *v;
    size_t n, cap;
};

/* The classes of ltk stats --status: 2xx, 3xx, 4xx, 5xx, other (0 for no
 * response, 1xx, 600-999). */
enum ltk_status_class { LTK_SC_2XX, LTK_SC_3XX, LTK_SC_4XX, LTK_SC_5XX, LTK_SC_OTHER, LTK_SC_N };

/* "2xx", ..., "other". */
const char *ltk_status_class_name(enum ltk_status_class c);
enum ltk_status_class ltk_status_class_of(int code);

void ltk_status_release(struct ltk_status_list *l);

/* Adds read and inferred requests of code (0..LTK_STATUS_MAX).  Returns 0
 * or -1 (out of memory, or a code out of range: l is unchanged). */
int ltk_status_add(struct ltk_status_list *l, int code, uint64_t read, uint64_t inferred);

/* Adds every count of src into dst.  Returns 0 or -1 (out of memory: dst
 * partly merged). */
int ltk_status_merge(struct ltk_status_list *dst, const struct ltk_status_list *src);

/* Requests with any code (read + inferred), and the inferred ones alone. */
uint64_t ltk_status_total(const struct ltk_status_list *l);
uint64_t ltk_status_total_inferred(const struct ltk_status_list *l);

/* Requests (read + inferred) with code, or in class (code 0..LTK_SC_N-1 of
 * enum ltk_status_class) when by_class. */
uint64_t ltk_status_count_of(const struct ltk_status_list *l, int code, bool by_class);

/* True when a and b hold the same counts. */
bool ltk_status_equal(const struct ltk_status_list *a, const struct ltk_status_list *b);

/* The HTTP status a failure's error text names, or -1 when it names none.
 * Recognised (anywhere in the text, the first that matches):
 *   "HTTPError('NNN "     requests' raise_for_status, as Locust reports it
 *   "HTTP NNN" then ':' or ' ' or the end   ("HTTP 429: ...", k6's and ltk's
 *                          "HTTP 503" for failures without a text)
 *   "status code NNN", "status_code=NNN", "status=NNN"
 *   the whole text NNN (a bare code)
 * with NNN three digits from 100 to 599.  Other numbers (ports, timeouts,
 * "Limit: 500 requests per minute") are not codes.  A text that starts with
 * a transport error of Python or requests (ReadTimeout(, ConnectTimeout(,
 * ConnectionError(, ConnectionRefusedError(, ConnectionResetError(,
 * RemoteDisconnected(, NewConnectionError(, Timeout() is 0: no response. */
int ltk_status_from_text(const char *text);

#endif

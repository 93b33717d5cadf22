/*
 * A growing text (domain layer, libc and domain/heap.h only), for what is written piece by piece:
 * the metrics page, the approval page, an e-mail. After a failed allocation every further append
 * does nothing and strbuf_take gives NULL, so a writer checks once, at the end.
 */
#ifndef OFICINA_DOMAIN_STRBUF_H
#define OFICINA_DOMAIN_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *s;     /* NUL-terminated once anything was added; NULL before */
	size_t len;  /* bytes in s, without the NUL */
	size_t cap;  /* bytes allocated */
	bool failed; /* an allocation failed: s was released and appends are ignored */
};

/* Appends n bytes of s. */
void strbuf_add(struct strbuf *b, const char *s, size_t n);

/* Appends the string s. */
void strbuf_puts(struct strbuf *b, const char *s);

/* Appends what printf would write. */
void strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * The text, which the caller frees with heap_free ("" when nothing was added), or NULL when an
 * allocation failed. b is empty again.
 */
char *strbuf_take(struct strbuf *b);

/*
 * One Prometheus family of one unlabelled sample: its HELP and TYPE lines, then the value (what
 * promtool asks of every family). For the server's /metrics and the background processes'.
 */
void strbuf_metric_counter(struct strbuf *b, const char *name, const char *help, double value);
void strbuf_metric_gauge(struct strbuf *b, const char *name, const char *help, double value);

/* Frees what b holds; b is empty again. */
void strbuf_cleanup(struct strbuf *b);

#endif

/* A growing text (domain layer; strbuf.h). */
#include "domain/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "domain/heap.h"

#define FIRST_CAP 1024

static void fail(struct strbuf *b)
{
	heap_free(b->s);
	*b = (struct strbuf){.failed = true};
}

/* Room for n more bytes and the NUL; false (b failed) when it cannot be had. */
static bool reserve(struct strbuf *b, size_t n)
{
	if (b->failed)
		return false;
	if (b->len + n + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : FIRST_CAP;
	while (cap < b->len + n + 1)
		cap *= 2;
	char *s = heap_realloc(b->s, cap);
	if (!s) {
		fail(b);
		return false;
	}
	b->s = s;
	b->cap = cap;
	return true;
}

void strbuf_add(struct strbuf *b, const char *s, size_t n)
{
	if (!reserve(b, n))
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void strbuf_puts(struct strbuf *b, const char *s)
{
	strbuf_add(b, s, strlen(s));
}

void strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;

	if (b->failed)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fail(b);
		return;
	}
	if (b->s && (size_t)n < b->cap - b->len) {
		b->len += (size_t)n;
		return;
	}
	/* It did not fit: make room and write it again. */
	if (!reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *strbuf_take(struct strbuf *b)
{
	if (b->failed) {
		*b = (struct strbuf){0};
		return NULL;
	}
	if (!b->s && !reserve(b, 0)) {
		*b = (struct strbuf){0};
		return NULL;
	}
	if (b->len == 0)
		b->s[0] = '\0';
	char *s = b->s;
	*b = (struct strbuf){0};
	return s;
}

void strbuf_cleanup(struct strbuf *b)
{
	heap_free(b->s);
	*b = (struct strbuf){0};
}

static void metric(struct strbuf *b, const char *name, const char *type, const char *help,
                   double value)
{
	strbuf_printf(b, "# HELP %s %s\n# TYPE %s %s\n%s %.17g\n", name, help, name, type, name,
	              value);
}

void strbuf_metric_counter(struct strbuf *b, const char *name, const char *help, double value)
{
	metric(b, name, "counter", help, value);
}

void strbuf_metric_gauge(struct strbuf *b, const char *name, const char *help, double value)
{
	metric(b, name, "gauge", help, value);
}

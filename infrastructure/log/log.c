/* JSON log lines on stdout (infrastructure layer). */
#include "infrastructure/log/log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/errors.h"
#include "domain/heap.h"

static enum log_level min_level = LOG_LEVEL_INFO;
static char env_name[32] = "development";

static const char *level_name(enum log_level l)
{
	static const char *const names[] = {"debug", "info", "warn", "error"};
	return (unsigned)l < 4 ? names[l] : "info";
}

void log_configure(enum log_level level, const char *env)
{
	min_level = level;
	snprintf(env_name, sizeof env_name, "%s", env ? env : "development");
}

int log_level_parse(const char *s, enum log_level *out)
{
	static const struct {
		const char *name;
		enum log_level level;
	} table[] = {{"debug", LOG_LEVEL_DEBUG},
	             {"info", LOG_LEVEL_INFO},
	             {"warn", LOG_LEVEL_WARN},
	             {"warning", LOG_LEVEL_WARN},
	             {"error", LOG_LEVEL_ERROR}};
	for (size_t i = 0; s && i < sizeof table / sizeof table[0]; i++) {
		if (strcasecmp(s, table[i].name) == 0) {
			*out = table[i].level;
			return 0;
		}
	}
	return APP_EINVALID;
}

/*
 * RFC 3339 UTC with milliseconds. gmtime_r takes glibc's time-zone lock, so each thread formats
 * the date part once per second and only appends the milliseconds otherwise.
 */
static void timestamp(char out[64])
{
	static __thread time_t cached_sec = -1;
	static __thread char cached[48];
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != cached_sec) {
		struct tm tm;
		gmtime_r(&ts.tv_sec, &tm);
		snprintf(cached, sizeof cached, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
		         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		cached_sec = ts.tv_sec;
	}
	snprintf(out, 64, "%s.%03ldZ", cached, ts.tv_nsec / 1000000);
}

/*
 * A log line being built in a fixed buffer. Text that does not fit is cut on a whole character
 * and its string still closed; a field that has no room at all is left out. The line always ends
 * as valid JSON.
 */
struct line {
	char buf[4096];
	size_t len;
};

#define LINE_RESERVE 4 /* the closing quote, the brace and the NUL always fit */

static bool fits(const struct line *l, size_t n)
{
	return l->len + n + LINE_RESERVE <= sizeof l->buf;
}

static void put_raw(struct line *l, const char *s, size_t n)
{
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

/* Bytes of the UTF-8 sequence that starts with lead (1 for anything unexpected). */
static size_t utf8_seq_len(unsigned char lead)
{
	return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

/* Appends s as a JSON string literal (escapes, control characters as \u00XX), cut to fit. */
static void put_string(struct line *l, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	put_raw(l, "\"", 1); /* callers checked the room for the quotes */
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		char esc[6];
		size_t n;
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			n = 2;
		} else if (*p < 0x20 || *p == 0x7f) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 15];
			n = 6;
		} else {
			n = utf8_seq_len(*p);
			if (strnlen((const char *)p, n) < n)
				break; /* a sequence cut short by the end of the string */
			if (!fits(l, n))
				break;
			put_raw(l, (const char *)p, n);
			p += n;
			continue;
		}
		if (!fits(l, n))
			break;
		put_raw(l, esc, n);
		p++;
	}
	l->buf[l->len++] = '"'; /* room kept by LINE_RESERVE */
}

/* Whether a field with this key and a short value still fits; the caller skips it if not. */
static bool put_key(struct line *l, const char *key)
{
	size_t n = strlen(key);
	if (!fits(l, n + 24))
		return false;
	put_raw(l, ",\"", 2);
	put_raw(l, key, n); /* our own field names: nothing to escape */
	put_raw(l, "\":", 2);
	return true;
}

static void put_text_field(struct line *l, const char *key, const char *value)
{
	if (put_key(l, key))
		put_string(l, value);
}

static void put_number_field(struct line *l, const char *key, double v)
{
	char num[40];
	int n;
	if (!put_key(l, key))
		return;
	if (v == (double)(long long)v)
		n = snprintf(num, sizeof num, "%lld", (long long)v);
	else
		n = snprintf(num, sizeof num, "%.3f", v);
	if (n > 0 && fits(l, (size_t)n))
		put_raw(l, num, (size_t)n);
	else
		put_raw(l, "0", 1);
}

/* Opens a line with the fields every line has. */
static void line_begin(struct line *l, enum log_level level, const char *correlation_id)
{
	char ts[64];
	timestamp(ts);
	l->len = 0;
	put_raw(l, "{\"timestamp\":", 13);
	put_string(l, ts);
	put_text_field(l, "level", level_name(level));
	put_text_field(l, "service", "oficina");
	put_text_field(l, "env", env_name);
	if (correlation_id)
		put_text_field(l, "correlation_id", correlation_id);
}

static void line_end(struct line *l)
{
	l->buf[l->len++] = '}';
	l->buf[l->len] = '\0';
	log_write_line(l->buf);
}

/* A line object with the fields every line has (for event lines, whose data is JSON). */
static json_t *line_new(enum log_level level, const char *correlation_id)
{
	char ts[64];
	timestamp(ts);
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "timestamp", json_string(ts));
	json_object_set_new(o, "level", json_string(level_name(level)));
	json_object_set_new(o, "service", json_string("oficina"));
	json_object_set_new(o, "env", json_string(env_name));
	if (correlation_id)
		json_object_set_new(o, "correlation_id", json_string(correlation_id));
	return o;
}

void log_write_line(const char *line)
{
	size_t len = strlen(line);
	char stackbuf[2048];
	char *buf = len + 1 <= sizeof stackbuf ? stackbuf : heap_alloc(len + 1);
	if (!buf)
		return;
	memcpy(buf, line, len);
	buf[len] = '\n';
	size_t off = 0;
	while (off < len + 1) {
		ssize_t w = write(STDOUT_FILENO, buf + off, len + 1 - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (buf != stackbuf)
		heap_free(buf);
}

void log_msg(enum log_level level, const char *correlation_id, const char *fmt, ...)
{
	char msg[1024];
	struct line l;
	va_list ap;

	if (level < min_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	line_begin(&l, level, correlation_id);
	put_text_field(&l, "message", msg);
	line_end(&l);
}

char *log_event_line(const char *event_type, const char *correlation_id, json_t *data)
{
	json_t *o = line_new(LOG_LEVEL_INFO, correlation_id);
	char *s;
	if (!o)
		return NULL;
	json_object_set_new(o, "event_type", json_string(event_type));
	json_object_set(o, "data", data);
	s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(o);
	return s;
}

static void port_write(void *self, enum log_level level, const char *correlation_id,
                       const char *message, const struct log_field *fields, size_t n)
{
	struct line l;
	(void)self;
	if (level < min_level)
		return;
	line_begin(&l, level, correlation_id);
	put_text_field(&l, "message", message);
	for (size_t i = 0; i < n; i++) {
		if (fields[i].str)
			put_text_field(&l, fields[i].key, fields[i].str);
		else
			put_number_field(&l, fields[i].key, fields[i].num);
	}
	line_end(&l);
}

static int port_enabled(void *self, enum log_level level)
{
	(void)self;
	return level >= min_level;
}

static const struct logger_ops logger_ops = {
    .write = port_write,
    .enabled = port_enabled,
};

void log_logger_init(struct logger *l)
{
	l->ops = &logger_ops;
	l->self = NULL;
}

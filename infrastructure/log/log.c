/* JSON log lines on stdout (infrastructure layer). */
#include "infrastructure/log/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/errors.h"

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
	} table[] = {{"debug", LOG_LEVEL_DEBUG}, {"info", LOG_LEVEL_INFO},
		     {"warn", LOG_LEVEL_WARN},	 {"warning", LOG_LEVEL_WARN},
		     {"error", LOG_LEVEL_ERROR}};
	for (size_t i = 0; s && i < sizeof table / sizeof table[0]; i++) {
		if (strcasecmp(s, table[i].name) == 0) {
			*out = table[i].level;
			return 0;
		}
	}
	return APP_EINVALID;
}

static void timestamp(char out[64])
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
}

/* A line object with the fields every line has. */
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
	char *buf = len + 1 <= sizeof stackbuf ? stackbuf : malloc(len + 1);
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
		free(buf);
}

static void emit(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(6));
	if (s) {
		log_write_line(s);
		free(s);
	}
	json_decref(o);
}

void log_msg(enum log_level level, const char *correlation_id, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (level < min_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	json_t *o = line_new(level, correlation_id);
	if (!o)
		return;
	json_object_set_new(o, "message", json_string(msg));
	emit(o);
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
	(void)self;
	if (level < min_level)
		return;
	json_t *o = line_new(level, correlation_id);
	if (!o)
		return;
	json_object_set_new(o, "message", json_string(message));
	for (size_t i = 0; i < n; i++) {
		if (fields[i].str)
			json_object_set_new(o, fields[i].key, json_string(fields[i].str));
		else if (fields[i].num == (double)(long long)fields[i].num)
			json_object_set_new(o, fields[i].key,
					    json_integer((json_int_t)fields[i].num));
		else
			json_object_set_new(o, fields[i].key, json_real(fields[i].num));
	}
	emit(o);
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

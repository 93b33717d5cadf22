/*
 * Port: structured logging (application layer). The adapter (infrastructure/log/log.c) writes one
 * JSON line per call on stdout, with timestamp, level, message, correlation_id and the extra
 * fields; the presentation layer uses it for the access line of every request.
 */
#ifndef OFICINA_APPLICATION_PORTS_LOGGER_H
#define OFICINA_APPLICATION_PORTS_LOGGER_H

#include <stddef.h>

enum log_level {
	LOG_LEVEL_DEBUG = 0,
	LOG_LEVEL_INFO = 1,
	LOG_LEVEL_WARN = 2,
	LOG_LEVEL_ERROR = 3,
};

/* An extra field of a log line: a string, or a number when str is NULL. */
struct log_field {
	const char *key;
	const char *str; /* string value, or NULL to use num */
	double num;      /* number value */
};

struct logger_ops {
	/* Writes one line when level is at least the configured level. Thread-safe. */
	void (*write)(void *self, enum log_level level, const char *correlation_id,
	              const char *message, const struct log_field *fields, size_t n);
	/* Whether a line of this level would be written (to skip building it). */
	int (*enabled)(void *self, enum log_level level);
};

struct logger {
	const struct logger_ops *ops; /* static const table */
	void *self;                   /* adapter state */
};

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline void logger_write(const struct logger *port, enum log_level level,
                                const char *correlation_id, const char *message,
                                const struct log_field *fields, size_t n)
{
	port->ops->write(port->self, level, correlation_id, message, fields, n);
}

static inline int logger_enabled(const struct logger *port, enum log_level level)
{
	return port->ops->enabled(port->self, level);
}

#endif

/*
 * JSON log lines on stdout (infrastructure layer, SPEC §6): every line carries timestamp (RFC 3339
 * UTC with milliseconds), level, message or event_type, service "oficina", env, and the
 * correlation_id when there is a request. Each line goes out in one write(2), so lines from many
 * threads never interleave and no lock is taken.
 */
#ifndef OFICINA_INFRASTRUCTURE_LOG_LOG_H
#define OFICINA_INFRASTRUCTURE_LOG_LOG_H

#include <jansson.h>

#include "application/ports/logger.h"

/* Sets the minimum level and the env name written on every line (copied). Call once at start. */
void log_configure(enum log_level min_level, const char *env);

/* Parses "debug", "info", "warn"/"warning", "error". 0 or APP_EINVALID. */
int log_level_parse(const char *s, enum log_level *out);

/* A plain message line, printf-style. */
void log_msg(enum log_level level, const char *correlation_id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Builds the line of a business event {"timestamp","level":"info","event_type","correlation_id",
 * "service","env","data"}; data is borrowed. Returns a malloc'd string (free it), or NULL.
 */
char *log_event_line(const char *event_type, const char *correlation_id, json_t *data);

/* Writes line and a newline to stdout in one write(2). */
void log_write_line(const char *line);

/* The logger port over this module. */
void log_logger_init(struct logger *l);

#endif

/*
 * How the migrations code speaks to its caller (infrastructure layer, no library but libc): one
 * error line written into a buffer the caller owns, and progress lines written to a stream the
 * caller chooses. The directory reader (migration_dir.h), the runner
 * (infrastructure/postgres/migrator.h) and `oficina migrate create` all report this way, so that
 * every function of theirs takes the same (FILE *out, char *err, size_t errlen) arguments.
 */
#ifndef OFICINA_INFRASTRUCTURE_MIGRATIONS_MIGRATION_REPORT_H
#define OFICINA_INFRASTRUCTURE_MIGRATIONS_MIGRATION_REPORT_H

#include <stddef.h>
#include <stdio.h>

/*
 * Formats one message into err (at most errlen bytes, always NUL-terminated, cut when longer).
 * Does nothing when err is NULL or errlen is 0, so that callers may pass no buffer.
 */
void migration_report_error(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Writes a progress message to out and flushes it, so that a log collector reading a pipe sees
 * each line as it happens. Does nothing when out is NULL (silent runs).
 */
void migration_report_progress(FILE *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif

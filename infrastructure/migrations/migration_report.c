/*
 * Error and progress reporting of the migrations code (infrastructure layer). The contract is in
 * migration_report.h.
 */
#include "infrastructure/migrations/migration_report.h"

#include <stdarg.h>

void migration_report_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void migration_report_progress(FILE *out, const char *fmt, ...)
{
	va_list ap;

	if (out == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fflush(out);
}

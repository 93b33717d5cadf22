/* Correlation id and traceparent of a request, from their header values (presentation layer). */
#include "presentation/http/request_ids.h"

#include <string.h>

bool correlation_id_sane(const char *v)
{
	size_t n = 0;
	if (!v)
		return false;
	for (; v[n]; n++) {
		char c = v[n];
		if (n >= CORRELATION_ID_MAX ||
		    !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return n > 0;
}

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* W3C traceparent "00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>": keep the trace id. */
bool traceparent_trace_id(const char *tp, char out[TRACE_ID_HEX + 1])
{
	if (!tp || strlen(tp) < 55 || tp[2] != '-' || tp[35] != '-' || !is_hex(tp + 3, 32))
		return false;
	memcpy(out, tp + 3, TRACE_ID_HEX);
	out[TRACE_ID_HEX] = '\0';
	return true;
}

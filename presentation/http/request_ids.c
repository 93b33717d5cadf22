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

static bool all_zeros(const char *s, size_t n)
{
	return strspn(s, "0") >= n;
}

/*
 * W3C Trace Context: "<version>-<trace id>-<parent id>-<flags>", 2, 32, 16 and 2 lower-case hex
 * digits. Version ff is invalid, and so are an all-zero trace id or parent id; version 00 is
 * exactly 55 characters, while a later version may carry more fields after a '-' (which we
 * ignore). A header that is not that is ignored as a whole, as the recommendation requires,
 * rather than mined for 32 hex digits.
 */
bool traceparent_trace_id(const char *tp, char out[TRACE_ID_HEX + 1])
{
	size_t n = tp ? strlen(tp) : 0;

	if (n < 55 || !is_hex(tp, 2) || strncmp(tp, "ff", 2) == 0 || tp[2] != '-' ||
	    tp[35] != '-' || tp[52] != '-')
		return false;
	if (!is_hex(tp + 3, 32) || all_zeros(tp + 3, 32) || !is_hex(tp + 36, 16) ||
	    all_zeros(tp + 36, 16) || !is_hex(tp + 53, 2))
		return false;
	if (strncmp(tp, "00", 2) == 0 ? n != 55 : n > 55 && tp[55] != '-')
		return false;
	memcpy(out, tp + 3, TRACE_ID_HEX);
	out[TRACE_ID_HEX] = '\0';
	return true;
}

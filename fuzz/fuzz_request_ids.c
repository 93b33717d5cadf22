/*
 * Fuzz target: the request's identifiers from its headers (presentation/http/request_ids.c): the
 * correlation id we repeat in X-Correlation-Id and in every log line, and the trace id of a W3C
 * traceparent. Input: the correlation id's value, then the traceparent's value on the next line.
 * Properties: a correlation id is repeated only when it is 1..CORRELATION_ID_MAX characters of
 * [A-Za-z0-9._-] (so it can break neither a header nor a log line); a trace id is taken exactly
 * when the value is a traceparent by W3C Trace Context (version: two lower-case hex digits, not
 * ff; trace id 32 and parent id 16 of them, neither all zeros; flags two; version 00 is exactly
 * 55 characters, a later version may go on after a '-'), as this oracle reads it, and it is
 * the 32 digits of the value.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "presentation/http/request_ids.h"

static bool hex_minusculo(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static bool zeros(const char *s, size_t n)
{
	return strspn(s, "0") >= n;
}

/* The oracle, field by field: version-traceid-parentid-flags. */
static bool traceparent_w3c(const char *tp)
{
	size_t n = strlen(tp);

	if (n < 55 || !hex_minusculo(tp, 2) || strncmp(tp, "ff", 2) == 0)
		return false;
	if (tp[2] != '-' || tp[35] != '-' || tp[52] != '-')
		return false;
	if (!hex_minusculo(tp + 3, 32) || zeros(tp + 3, 32))
		return false;
	if (!hex_minusculo(tp + 36, 16) || zeros(tp + 36, 16))
		return false;
	if (!hex_minusculo(tp + 53, 2))
		return false;
	if (strncmp(tp, "00", 2) == 0)
		return n == 55;
	return n == 55 || tp[55] == '-';
}

static bool correlation_oracle(const char *v)
{
	size_t n = strlen(v);

	return n >= 1 && n <= CORRELATION_ID_MAX &&
	       strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *cid, *tp, trace[TRACE_ID_HEX + 1] = "unchanged";

	fuzz_split2(data, size, &cid, &tp);
	FUZZ_CHECK(correlation_id_sane(cid) == correlation_oracle(cid));
	if (tp) {
		bool ok = traceparent_trace_id(tp, trace);
		FUZZ_CHECK(ok == traceparent_w3c(tp));
		if (ok)
			FUZZ_CHECK(strlen(trace) == TRACE_ID_HEX &&
			           strncmp(trace, tp + 3, TRACE_ID_HEX) == 0);
		else
			FUZZ_CHECK(strcmp(trace, "unchanged") == 0);
	} else {
		FUZZ_CHECK(!traceparent_trace_id(NULL, trace));
	}
	FUZZ_CHECK(!correlation_id_sane(NULL));
	free(cid);
	free(tp);
	return 0;
}

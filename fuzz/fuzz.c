/* The helpers of the fuzz targets (fuzz.h). Test code only. */
#include "fuzz/fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "\nPROPERTY FAILED: %s (%s:%d)\n", what, file, line);
	abort();
}

char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		fuzz_fail("malloc", __FILE__, __LINE__);
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

void fuzz_split2(const uint8_t *data, size_t size, char **a, char **b)
{
	const uint8_t *nl = memchr(data, '\n', size);

	if (!nl) {
		*a = fuzz_text(data, size);
		*b = NULL;
		return;
	}
	*a = fuzz_text(data, (size_t)(nl - data));
	*b = fuzz_text(nl + 1, size - (size_t)(nl - data) - 1);
}

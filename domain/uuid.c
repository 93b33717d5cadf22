/* UUID parsing and comparison on the canonical text form (domain layer, value object, libc only).
 */
#include "domain/uuid.h"

#include <string.h>

#include "domain/errors.h"

static int is_hyphen_position(size_t i)
{
	return i == 8 || i == 13 || i == 18 || i == 23;
}

int uuid_parse(const char *in, struct uuid *out)
{
	char buf[UUID_LEN + 1];

	if (!in)
		goto invalid;
	/* Each character is checked before the next is read, so a short string ends the loop at its
	 * NUL. */
	for (size_t i = 0; i < UUID_LEN; i++) {
		char c = in[i];

		if (is_hyphen_position(i)) {
			if (c != '-')
				goto invalid;
		} else if (c >= 'A' && c <= 'F') {
			c = (char)(c - 'A' + 'a');
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
			goto invalid;
		}
		buf[i] = c;
	}
	if (in[UUID_LEN] != '\0')
		goto invalid;
	buf[UUID_LEN] = '\0';
	memcpy(out->str, buf, sizeof buf);
	return 0;

invalid:
	out->str[0] = '\0';
	return APP_EINVALID;
}

int uuid_equal(const struct uuid *a, const struct uuid *b)
{
	return strcmp(a->str, b->str) == 0;
}

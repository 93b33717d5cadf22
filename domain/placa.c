/*
 * Licence-plate normalisation (domain layer, value object, libc only). Only ASCII is accepted, so
 * the character tests are written out rather than taken from the locale-dependent <ctype.h>.
 */
#include "domain/placa.h"

#include <string.h>

#include "domain/errors.h"

#define PLACA_LEN (PLACA_MAX - 1)

static int is_ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Whether the 7 characters are AAA9999 or AAA9A99; the fifth character is what tells them apart. */
static int formato_valido(const char *p)
{
	for (int i = 0; i < 3; i++)
		if (!is_upper(p[i]))
			return 0;
	return is_digit(p[3]) && (is_digit(p[4]) || is_upper(p[4])) && is_digit(p[5]) &&
	       is_digit(p[6]);
}

int placa_normalizar(const char *in, char out[PLACA_MAX])
{
	char buf[PLACA_MAX];
	const char *end;
	size_t n = 0;

	if (!in)
		goto invalid;
	while (is_ascii_space(*in))
		in++;
	end = in + strlen(in);
	while (end > in && is_ascii_space(end[-1]))
		end--;

	for (const char *p = in; p < end; p++) {
		char c = *p;

		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!is_upper(c) && !is_digit(c))
			goto invalid;
		if (n == PLACA_LEN)
			goto invalid;
		buf[n++] = c;
	}
	if (n != PLACA_LEN || !formato_valido(buf))
		goto invalid;
	memcpy(out, buf, PLACA_LEN);
	out[PLACA_LEN] = '\0';
	return 0;

invalid:
	out[0] = '\0';
	return APP_EINVALID;
}

/*
 * Text rules shared by entities (domain layer, libc only). Only ASCII classes matter here, so the
 * tests are written out instead of using <ctype.h>, whose answers depend on the locale and which
 * misbehaves on negative char values.
 */
#include "domain/texto.h"

#include <string.h>

static int is_ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int is_ascii_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static int is_continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Narrows [*b, *e) to leave out leading and trailing whitespace. */
static void trim_range(const unsigned char **b, const unsigned char **e)
{
	while (*b < *e && is_ascii_space(**b))
		(*b)++;
	while (*e > *b && is_ascii_space((*e)[-1]))
		(*e)--;
}

/*
 * Length in bytes of the well-formed UTF-8 sequence at p (which ends before end), or 0 when the
 * bytes there are not one. Follows the table of the Unicode Standard, §3.9, D92.
 */
static size_t utf8_sequence(const unsigned char *p, const unsigned char *end)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		if (p[0] == 0xe0)
			lo = 0xa0; /* overlong below */
		else if (p[0] == 0xed)
			hi = 0x9f; /* surrogates above */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		if (p[0] == 0xf0)
			lo = 0x90; /* overlong below */
		else if (p[0] == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else {
		return 0; /* a continuation byte, C0, C1 or F5..FF */
	}
	if ((size_t)(end - p) < len)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (!is_continuation(p[i]))
			return 0;
	return len;
}

static int utf8_valid_range(const unsigned char *p, const unsigned char *end)
{
	while (p < end) {
		size_t n = utf8_sequence(p, end);

		if (n == 0)
			return 0;
		p += n;
	}
	return 1;
}

static size_t utf8_count_range(const unsigned char *p, const unsigned char *end)
{
	size_t n = 0;

	for (; p < end; p++)
		if (!is_continuation(*p))
			n++;
	return n;
}

size_t utf8_length(const char *s)
{
	if (!s)
		return 0;
	const unsigned char *p = (const unsigned char *)s;
	return utf8_count_range(p, p + strlen(s));
}

int utf8_valido(const char *s)
{
	if (!s)
		return 0;
	const unsigned char *p = (const unsigned char *)s;
	return utf8_valid_range(p, p + strlen(s));
}

int texto_tamanho_valido(const char *s, size_t min, size_t max)
{
	if (!s)
		return 0;
	const unsigned char *b = (const unsigned char *)s;
	const unsigned char *e = b + strlen(s);

	trim_range(&b, &e);
	for (const unsigned char *p = b; p < e; p++)
		if (is_ascii_control(*p))
			return 0;
	if (!utf8_valid_range(b, e))
		return 0;
	size_t n = utf8_count_range(b, e);
	return n >= min && n <= max;
}

int email_valido(const char *s)
{
	const char *at = NULL;
	size_t len = 0;

	if (!s)
		return 0;
	/* Bounded scan: a very long string is refused without being read to its end. */
	for (const char *p = s; *p; p++, len++) {
		unsigned char c = (unsigned char)*p;

		if (len == EMAIL_MAX || c == ' ' || is_ascii_control(c))
			return 0;
		if (c == '@') {
			if (at)
				return 0;
			at = p;
		}
	}
	if (!at)
		return 0;

	size_t local_len = (size_t)(at - s);
	const char *dom = at + 1;
	size_t dom_len = len - local_len - 1;

	if (local_len == 0 || local_len > EMAIL_LOCAL_MAX)
		return 0;
	if (dom_len == 0 || dom[0] == '.' || dom[dom_len - 1] == '.')
		return 0;
	if (!memchr(dom, '.', dom_len) || strstr(dom, ".."))
		return 0;
	return utf8_valido(s);
}

int telefone_valido(const char *s)
{
	size_t len = 0, digits = 0;

	if (!s)
		return 0;
	for (const char *p = s; *p; p++, len++) {
		char c = *p;

		if (len == TELEFONE_MAX)
			return 0;
		if (c >= '0' && c <= '9')
			digits++;
		else if (c == '+' && p != s)
			return 0;
		else if (c != '+' && c != ' ' && c != '(' && c != ')' && c != '-')
			return 0;
	}
	return digits >= 8 && digits <= 15;
}

void texto_trim(const char *in, char *out, size_t out_size)
{
	if (out_size == 0)
		return;
	if (!in) {
		out[0] = '\0';
		return;
	}
	const unsigned char *b = (const unsigned char *)in;
	const unsigned char *e = b + strlen(in);

	trim_range(&b, &e);
	if ((size_t)(e - b) >= out_size) {
		/* Cut before the character that straddles the limit, then drop whitespace left at
		 * the end. */
		e = b + (out_size - 1);
		while (e > b && is_continuation(*e))
			e--;
		trim_range(&b, &e);
	}
	/* memmove: out may be in itself, and the result then starts at or before b. */
	size_t n = (size_t)(e - b);
	memmove(out, b, n);
	out[n] = '\0';
}

int texto_vazio(const char *s)
{
	if (!s)
		return 1;
	while (is_ascii_space((unsigned char)*s))
		s++;
	return *s == '\0';
}

const char *texto_nome(const char *const *nomes, size_t n, int i)
{
	return i >= 0 && (size_t)i < n && nomes[i] ? nomes[i] : "";
}

int texto_nome_indice(const char *const *nomes, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (nomes[i] && strcmp(s, nomes[i]) == 0)
			return (int)i;
	return -1;
}

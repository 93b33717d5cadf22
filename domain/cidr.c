/* Address ranges in CIDR notation (domain layer; cidr.h). */
#include "domain/cidr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

int cidr_address_parse(const char *s, size_t n, unsigned char bytes[16])
{
	char text[INET6_ADDRSTRLEN];

	/* A NUL inside the n bytes would end the text early: "1.2.3.4\0junk" is not an address. */
	if (n == 0 || n >= sizeof text || memchr(s, '\0', n))
		return 0;
	memcpy(text, s, n);
	text[n] = '\0';
	if (inet_pton(AF_INET, text, bytes) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, text, bytes) == 1)
		return AF_INET6;
	return 0;
}

/* Parses one "address[/prefix]" of n bytes into *c. */
static bool parse_one(const char *s, size_t n, struct cidr *c)
{
	const char *slash = memchr(s, '/', n);
	size_t addr_len = slash ? (size_t)(slash - s) : n;

	memset(c, 0, sizeof *c);
	if (!(c->family = cidr_address_parse(s, addr_len, c->addr)))
		return false;
	unsigned bits = c->family == AF_INET ? 32 : 128;
	c->prefix = bits;
	if (slash) {
		unsigned long prefix = 0;
		size_t digits = n - addr_len - 1;
		if (digits == 0 || digits > 3)
			return false;
		for (size_t i = 1; i <= digits; i++) {
			if (slash[i] < '0' || slash[i] > '9')
				return false;
			prefix = prefix * 10 + (unsigned long)(slash[i] - '0');
		}
		if (prefix > bits)
			return false;
		c->prefix = (unsigned)prefix;
	}
	return true;
}

int cidr_list_parse(const char *text, struct cidr_list *out, char *err, size_t errlen)
{
	out->n = 0;
	for (const char *p = text ? text : ""; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *e = p;
		while (*e && *e != ',' && *e != ' ')
			e++;
		if (e == p)
			break;
		if (out->n == CIDR_LIST_MAX) {
			snprintf(err, errlen, "more than %d ranges", CIDR_LIST_MAX);
			return -1;
		}
		if (!parse_one(p, (size_t)(e - p), &out->items[out->n])) {
			snprintf(err, errlen, "'%.*s' is not an address or a CIDR range",
			         (int)(e - p), p);
			return -1;
		}
		out->n++;
		p = e;
	}
	return 0;
}

static bool in_range(const struct cidr *c, const unsigned char *addr)
{
	unsigned whole = c->prefix / 8, rest = c->prefix % 8;

	if (memcmp(c->addr, addr, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	unsigned char mask = (unsigned char)(0xFFu << (8 - rest));
	return (c->addr[whole] & mask) == (addr[whole] & mask);
}

bool cidr_list_contains(const struct cidr_list *l, int family, const void *addr)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
	const unsigned char *a = addr;
	const unsigned char *v4 = family == AF_INET ? a : NULL;

	/*
	 * ::ffff:a.b.c.d is the IPv4 address a.b.c.d (a dual-stack socket's view of it): it is in
	 * an IPv4 range that holds a.b.c.d, and still in an IPv6 range that holds it as written
	 * (a range given as ::ffff:a.b.c.d/n would otherwise hold nothing at all).
	 */
	if (family == AF_INET6 && memcmp(a, mapped, sizeof mapped) == 0)
		v4 = a + sizeof mapped;
	for (size_t i = 0; i < l->n; i++) {
		const struct cidr *c = &l->items[i];
		if (c->family == AF_INET ? v4 && in_range(c, v4)
		                         : family == AF_INET6 && in_range(c, a))
			return true;
	}
	return false;
}

bool cidr_list_contains_text(const struct cidr_list *l, const char *addr)
{
	unsigned char bytes[16];
	int family = cidr_address_parse(addr, strlen(addr), bytes);
	return family && cidr_list_contains(l, family, bytes);
}

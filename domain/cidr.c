/* Address ranges in CIDR notation (domain layer; cidr.h). */
#include "domain/cidr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Parses one "address[/prefix]" of n bytes into *c. */
static bool parse_one(const char *s, size_t n, struct cidr *c)
{
	char text[INET6_ADDRSTRLEN + 8];
	char *slash, *end;
	unsigned long prefix;

	if (n == 0 || n >= sizeof text)
		return false;
	memcpy(text, s, n);
	text[n] = '\0';
	slash = strchr(text, '/');
	if (slash)
		*slash = '\0';
	memset(c, 0, sizeof *c);
	if (inet_pton(AF_INET, text, c->addr) == 1)
		c->family = AF_INET;
	else if (inet_pton(AF_INET6, text, c->addr) == 1)
		c->family = AF_INET6;
	else
		return false;
	unsigned bits = c->family == AF_INET ? 32 : 128;
	c->prefix = bits;
	if (slash) {
		if (slash[1] < '0' || slash[1] > '9')
			return false;
		prefix = strtoul(slash + 1, &end, 10);
		if (*end != '\0' || prefix > bits)
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

	/* ::ffff:a.b.c.d is the IPv4 address a.b.c.d (a dual-stack socket's view of it). */
	if (family == AF_INET6 && memcmp(a, mapped, sizeof mapped) == 0) {
		family = AF_INET;
		a += sizeof mapped;
	}
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].family == family && in_range(&l->items[i], a))
			return true;
	return false;
}

bool cidr_list_contains_text(const struct cidr_list *l, const char *addr)
{
	unsigned char bytes[16];

	if (inet_pton(AF_INET, addr, bytes) == 1)
		return cidr_list_contains(l, AF_INET, bytes);
	if (inet_pton(AF_INET6, addr, bytes) == 1)
		return cidr_list_contains(l, AF_INET6, bytes);
	return false;
}

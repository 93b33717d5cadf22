/*
 * Address ranges in CIDR notation (domain layer, libc only), for TRUSTED_PROXIES: which TCP
 * peers may tell the client's address in X-Forwarded-For. IPv4 and IPv6; an IPv4-mapped IPv6
 * address (::ffff:a.b.c.d) matches the IPv4 ranges.
 */
#ifndef OFICINA_DOMAIN_CIDR_H
#define OFICINA_DOMAIN_CIDR_H

#include <stdbool.h>
#include <stddef.h>

#define CIDR_LIST_MAX 32

struct cidr {
	int family;             /* AF_INET or AF_INET6 */
	unsigned char addr[16]; /* network address, 4 or 16 bytes */
	unsigned prefix;        /* leading bits that must match */
};

struct cidr_list {
	size_t n;
	struct cidr items[CIDR_LIST_MAX];
};

/*
 * Parses a comma-separated list ("10.0.0.0/8, fd00::/8, 192.0.2.7"; a bare address is one host;
 * blank: no range). 0, or -1 with the first bad entry named in err (these are not secrets).
 */
int cidr_list_parse(const char *text, struct cidr_list *out, char *err, size_t errlen);

/*
 * Whether addr (family AF_INET: 4 bytes, AF_INET6: 16 bytes) is in one of the ranges. An
 * IPv4-mapped IPv6 address (::ffff:a.b.c.d) is in the IPv4 ranges that hold a.b.c.d and in the
 * IPv6 ranges that hold it as written.
 */
bool cidr_list_contains(const struct cidr_list *l, int family, const void *addr);

/*
 * Parses the IPv4 or IPv6 address in the n bytes of s (no NUL needed) into bytes (4 or 16 of
 * them): its family, AF_INET or AF_INET6, or 0 for anything that is not an address.
 */
int cidr_address_parse(const char *s, size_t n, unsigned char bytes[16]);

/* cidr_list_contains for an address written as text; false for text that is not an address. */
bool cidr_list_contains_text(const struct cidr_list *l, const char *addr);

#endif

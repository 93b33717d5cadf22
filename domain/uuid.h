/*
 * Identifiers of every entity (domain layer, value object, libc only). A UUID is kept as its
 * canonical 36-character text, lower-case, rather than as 16 bytes: libpq passes parameters and
 * results as text and the JSON API carries the text form, so keeping the text avoids a conversion
 * at each boundary and makes the struct printable as is.
 */
#ifndef OFICINA_DOMAIN_UUID_H
#define OFICINA_DOMAIN_UUID_H

#define UUID_LEN 36 /* 8-4-4-4-12 hex digits and hyphens */

struct uuid {
	char str[UUID_LEN + 1]; /* canonical lower-case text, or "" when unset */
};

/*
 * Parses the canonical form: exactly 8-4-4-4-12 hex digits (either case) separated by '-', with
 * nothing before or after (no braces, no whitespace, no "urn:uuid:"). Any version and variant is
 * accepted, as PostgreSQL's uuid type does. On success out->str holds the lower-case text.
 * Returns 0, or APP_EINVALID (also for in == NULL), in which case out->str is set to "".
 */
int uuid_parse(const char *in, struct uuid *out);

/* 1 when a and b hold the same text (two unset UUIDs are equal), else 0. Neither may be NULL. */
int uuid_equal(const struct uuid *a, const struct uuid *b);

#endif

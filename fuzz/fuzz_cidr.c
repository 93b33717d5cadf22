/*
 * Fuzz target: addresses and CIDR ranges (domain/cidr.c): cidr_address_parse, which reads each
 * X-Forwarded-For entry and each range's address, and cidr_list_parse, which reads
 * TRUSTED_PROXIES. The input is handed to cidr_address_parse as it is, n bytes with no NUL after
 * them (AddressSanitizer catches a read past the end), and to the list parser as text.
 * Properties: an address accepted is shorter than INET6_ADDRSTRLEN (the pipeline copies a hop
 * into a buffer of that size on the strength of it), has no NUL inside its n bytes, and is what
 * inet_pton makes of the same text; its inet_ntop text parses to the same bytes. A list accepted
 * holds at most CIDR_LIST_MAX ranges, each of a known family with a prefix within its bits, each
 * containing its own address, and a second parse gives the same list; a refusal explains itself
 * in err.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "domain/cidr.h"
#include "fuzz/fuzz.h"

static void checar_endereco(const uint8_t *data, size_t size)
{
	unsigned char bytes[16], de_novo[16], pton[16];
	char texto[INET6_ADDRSTRLEN];
	int family = cidr_address_parse((const char *)data, size, bytes);

	if (family == 0)
		return;
	FUZZ_CHECK(family == AF_INET || family == AF_INET6);
	FUZZ_CHECK(size < INET6_ADDRSTRLEN);
	FUZZ_CHECK(memchr(data, '\0', size) == NULL);
	memcpy(texto, data, size);
	texto[size] = '\0';
	FUZZ_CHECK(inet_pton(family, texto, pton) == 1);
	FUZZ_CHECK(memcmp(pton, bytes, family == AF_INET ? 4 : 16) == 0);
	FUZZ_CHECK(inet_ntop(family, bytes, texto, sizeof texto) != NULL);
	FUZZ_CHECK(cidr_address_parse(texto, strlen(texto), de_novo) == family);
	FUZZ_CHECK(memcmp(de_novo, bytes, family == AF_INET ? 4 : 16) == 0);
}

static void checar_lista(const char *text)
{
	struct cidr_list l, de_novo;
	char err[160] = "";

	if (cidr_list_parse(text, &l, err, sizeof err) != 0) {
		FUZZ_CHECK(err[0] != '\0' && memchr(err, '\0', sizeof err) != NULL);
		return;
	}
	FUZZ_CHECK(l.n <= CIDR_LIST_MAX);
	for (size_t i = 0; i < l.n; i++) {
		const struct cidr *c = &l.items[i];
		FUZZ_CHECK(c->family == AF_INET || c->family == AF_INET6);
		FUZZ_CHECK(c->prefix <= (c->family == AF_INET ? 32u : 128u));
		FUZZ_CHECK(cidr_list_contains(&l, c->family, c->addr));
	}
	FUZZ_CHECK(cidr_list_parse(text, &de_novo, err, sizeof err) == 0);
	FUZZ_CHECK(de_novo.n == l.n &&
	           memcmp(de_novo.items, l.items, l.n * sizeof l.items[0]) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes, so that reading one more is a heap overflow. */
	uint8_t *exato = malloc(size ? size : 1);
	char *text = fuzz_text(data, size);

	FUZZ_CHECK(exato != NULL);
	memcpy(exato, data, size);
	checar_endereco(exato, size);
	checar_lista(text);
	if (size > 0) /* the same address as cidr_list_contains_text reads it */
		(void)cidr_list_contains_text(&(struct cidr_list){0}, text);
	free(exato);
	free(text);
	return 0;
}

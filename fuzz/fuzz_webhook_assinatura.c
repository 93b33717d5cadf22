/*
 * Fuzz target: the budget webhook's signature check (infrastructure/auth/hmac_assinatura.c), the
 * X-Signature header against the raw body. Input: the header's value, then the body after the
 * first '\n' (any bytes, NUL included: the check takes a length). Properties: the header passes
 * exactly when it is "sha256=" and the 64 hex digits, in either case, of the HMAC-SHA256 of the
 * body under the secret (the hex computed here by hmac_assinatura_assinar, whose own output must
 * pass, upper-cased too); a port with no secret passes nothing; nor does one with another secret.
 */
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz/fuzz.h"
#include "infrastructure/auth/hmac_assinatura.h"

static struct hmac_assinatura chave, outra, desligada;
static struct assinatura porta, porta_outra, porta_desligada;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0 || hmac_assinatura_init(&chave, "segredo-do-webhook-de-teste") != 0 ||
	    hmac_assinatura_init(&outra, "outro-segredo") != 0 ||
	    hmac_assinatura_init(&desligada, "") != 0)
		abort();
	hmac_assinatura_port(&chave, &porta);
	hmac_assinatura_port(&outra, &porta_outra);
	hmac_assinatura_port(&desligada, &porta_desligada);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t hlen = nl ? (size_t)(nl - data) : size;
	const uint8_t *body = nl ? nl + 1 : data + size;
	size_t blen = nl ? size - hlen - 1 : 0;
	char *header = fuzz_text(data, hlen), certa[72], maiuscula[72];

	hmac_assinatura_assinar(&chave, body, blen, certa);
	FUZZ_CHECK(strlen(certa) == 7 + 64 && strncmp(certa, "sha256=", 7) == 0);
	bool igual = strlen(header) == strlen(certa) && strncmp(header, "sha256=", 7) == 0 &&
	             strcasecmp(header + 7, certa + 7) == 0;

	FUZZ_CHECK((assinatura_verify(&porta, body, blen, header) == 0) == igual);
	FUZZ_CHECK(assinatura_verify(&porta_desligada, body, blen, header) != 0);
	FUZZ_CHECK(assinatura_verify(&porta, body, blen, certa) == 0);
	memcpy(maiuscula, certa, sizeof certa);
	for (char *p = maiuscula + 7; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	FUZZ_CHECK(assinatura_verify(&porta, body, blen, maiuscula) == 0);
	FUZZ_CHECK(assinatura_verify(&porta_outra, body, blen, certa) != 0);
	FUZZ_CHECK(assinatura_verify(&porta, body, blen, NULL) != 0);
	free(header);
	return 0;
}

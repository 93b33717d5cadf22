/*
 * Fuzz target: the signed token of a budget's e-mail link (infrastructure/auth/orcamento_link.c
 * and the port of hmac_orcamento_link.c), the {token} of /orcamentos/{token}. Two uses of each
 * input. As a token: it is worth something (OK or EXPIRADO) only when it is exactly the token
 * orcamento_link_assinar makes for the order and expiry it names (so one order and expiry have
 * one token text and nothing else passes), OK only before its expiry and then naming that order,
 * never under another key, and the port agrees with the function. As material: its first bytes
 * make an order and an expiry, whose token must pass, and the same token with one character
 * changed (where and to what also taken from the input) must not.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "infrastructure/auth/hmac_orcamento_link.h"

#define SEGREDO "segredo-dos-links-de-orcamento-de-teste"
#define OUTRO   "um-outro-segredo-de-links-com-32-bytes"
#define AGORA   INT64_C(1796000000) /* a fixed now: the corpus's tokens expire either side */

static struct hmac_orcamento_link chave;
static struct orcamento_link porta;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0 || hmac_orcamento_link_init(&chave, SEGREDO) != 0)
		abort();
	hmac_orcamento_link_port(&chave, &porta);
	return 0;
}

static enum orcamento_link_resultado verificar(const char *token, int64_t agora, struct uuid *o)
{
	return orcamento_link_verificar(SEGREDO, strlen(SEGREDO), token, agora, o);
}

/* The token as given. */
static void como_token(const char *token)
{
	struct uuid ordem, pela_porta;
	enum orcamento_link_resultado r = verificar(token, AGORA, &ordem);
	enum orcamento_link_veredito v = orcamento_link_verify(&porta, token, AGORA, &pela_porta);

	FUZZ_CHECK(v == (r == ORCAMENTO_LINK_OK         ? LINK_VALIDO
	                 : r == ORCAMENTO_LINK_EXPIRADO ? LINK_EXPIRADO
	                                                : LINK_INVALIDO));
	FUZZ_CHECK(strcmp(ordem.str, pela_porta.str) == 0);
	FUZZ_CHECK(orcamento_link_verificar(OUTRO, strlen(OUTRO), token, AGORA, &ordem) ==
	           ORCAMENTO_LINK_INVALIDO);
	r = verificar(token, AGORA, &ordem);
	if (r == ORCAMENTO_LINK_INVALIDO) {
		FUZZ_CHECK(ordem.str[0] == '\0');
		return;
	}
	/* Worth something: then it is the one token of its order and expiry. */
	struct uuid nomeada;
	char esperado[ORCAMENTO_LINK_TOKEN_MAX];
	int64_t expira = 0;
	memcpy(nomeada.str, token, UUID_LEN);
	nomeada.str[UUID_LEN] = '\0';
	FUZZ_CHECK(sscanf(token + UUID_LEN + 1, "%" SCNd64, &expira) == 1);
	orcamento_link_assinar(SEGREDO, strlen(SEGREDO), &nomeada, expira, esperado);
	FUZZ_CHECK(strcmp(esperado, token) == 0);
	FUZZ_CHECK((r == ORCAMENTO_LINK_OK) == (AGORA < expira));
	if (r == ORCAMENTO_LINK_OK)
		FUZZ_CHECK(strcmp(ordem.str, nomeada.str) == 0);
	else
		FUZZ_CHECK(ordem.str[0] == '\0');
}

/* A token made from the input's bytes, and one character of it changed. */
static void como_material(const uint8_t *data, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	struct uuid ordem, lida;
	char token[ORCAMENTO_LINK_TOKEN_MAX];
	int64_t expira;

	if (size < 16 + 8 + 2)
		return;
	for (size_t i = 0, j = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			ordem.str[j++] = '-';
		ordem.str[j++] = hex[data[i] >> 4];
		ordem.str[j++] = hex[data[i] & 15];
	}
	ordem.str[UUID_LEN] = '\0';
	memcpy(&expira, data + 16, sizeof expira);
	orcamento_link_assinar(SEGREDO, strlen(SEGREDO), &ordem, expira, token);
	FUZZ_CHECK(token[0] != '\0');
	int64_t efetiva = expira < 0 ? 0 : expira;
	enum orcamento_link_resultado r = verificar(token, AGORA, &lida);
	FUZZ_CHECK(r == (AGORA < efetiva ? ORCAMENTO_LINK_OK : ORCAMENTO_LINK_EXPIRADO));
	FUZZ_CHECK(r != ORCAMENTO_LINK_OK || strcmp(lida.str, ordem.str) == 0);
	/* Valid at any time before the expiry, expired from it on. */
	FUZZ_CHECK(verificar(token, efetiva - 1, &lida) == ORCAMENTO_LINK_OK || efetiva == 0);
	FUZZ_CHECK(verificar(token, efetiva, &lida) == ORCAMENTO_LINK_EXPIRADO);

	size_t pos = data[24] % strlen(token);
	char troca = (char)data[25];
	if (troca == token[pos] || troca == '\0')
		return;
	token[pos] = troca;
	FUZZ_CHECK(verificar(token, AGORA, &lida) == ORCAMENTO_LINK_INVALIDO);
	FUZZ_CHECK(lida.str[0] == '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *token = fuzz_text(data, size);

	como_token(token);
	como_material(data, size);
	free(token);
	return 0;
}

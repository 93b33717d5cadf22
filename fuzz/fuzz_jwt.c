/*
 * Fuzz target: JWT verification (infrastructure/auth/jwt_token.c jwt_token_verify), the bearer
 * token of every authenticated request and of the Lambda authorizer. The first byte picks what
 * the rest of the input is:
 *   0  a token as a client sends it. Accepted only when it is a token made with the key: its
 *      third part is exactly the base64url HMAC-SHA256 (computed here with libsodium's one-shot
 *      call) of the first two, and what they say passes the oracle below. The fuzzer cannot forge
 *      a MAC, so this is what catches a verifier that takes an unsigned, "none", re-encoded or
 *      truncated token.
 *   1  a header and a claims set, as JSON on two lines, signed here with the key: the parsers
 *      behind the MAC (the header's and the claims' checks, libjwt's second opinion) on anything.
 *      Accepted only when the oracle agrees, and then *out is what the claims say.
 *   2  the same signed with another key: never accepted.
 *   3  a sub, a role and a time, for jwt_token_issue: its token is accepted at that time with
 *      those claims, refused from its expiry on, and refused with any one character changed.
 *      The same through the token_service port, whose per-thread cache of verified tokens must
 *      serve a token again and never serve it for a token one character away.
 * The oracle (RFC 7519 and jwt_token.h): header alg "HS256", typ absent or "JWT", no crit; exp
 * and iat integers, exp after now, iat not after exp nor more than JWT_CLOCK_SKEW ahead; nbf
 * absent or an integer not more than JWT_CLOCK_SKEW ahead; iss ours; aud ours or an array with
 * ours; sub 1..63 bytes without a control character; role a role; jti absent or like sub.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/usuario.h"
#include "fuzz/fuzz.h"
#include "infrastructure/auth/jwt_token.h"

#define SEGREDO   "segredo-jwt-de-teste-com-mais-de-32-bytes"
#define OUTRO     "outro-segredo-jwt-tambem-com-32-bytes-ou-mais"
#define EMISSOR   "oficina"
#define PUBLICO   "oficina-api"
#define AGORA     1796000000L
#define TTL       3600L
#define TOKEN_CAP (JWT_TOKEN_MAX_IN + 64)

static struct jwt_config cfg;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (jwt_config_init(&cfg, SEGREDO, EMISSOR, PUBLICO, TTL) != 0)
		abort();
	return 0;
}

/* 1..cap-1 bytes, no control character and no NUL inside (json_string_length tells). */
static bool texto_ok(const json_t *v, size_t cap)
{
	if (!json_is_string(v))
		return false;
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (n == 0 || n >= cap || strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static bool aud_ok(const json_t *aud)
{
	size_t i;
	const json_t *v;

	if (json_is_string(aud))
		return strcmp(json_string_value(aud), PUBLICO) == 0;
	json_array_foreach(aud, i, v)
	{
		if (json_is_string(v) && strcmp(json_string_value(v), PUBLICO) == 0)
			return true;
	}
	return false;
}

/* The oracle of the comment at the top, on the parsed header and claims. */
static bool oracle(const json_t *h, const json_t *c)
{
	const json_t *alg = json_object_get(h, "alg"), *typ = json_object_get(h, "typ");
	const json_t *exp = json_object_get(c, "exp"), *iat = json_object_get(c, "iat");
	const json_t *nbf = json_object_get(c, "nbf"), *iss = json_object_get(c, "iss");
	const json_t *role = json_object_get(c, "role"), *jti = json_object_get(c, "jti");

	if (!json_is_object(h) || !json_is_object(c))
		return false;
	if (!json_is_string(alg) || strcmp(json_string_value(alg), "HS256") != 0)
		return false;
	if (typ && !(json_is_string(typ) && strcasecmp(json_string_value(typ), "JWT") == 0))
		return false;
	if (json_object_get(h, "crit"))
		return false;
	if (!json_is_integer(exp) || !json_is_integer(iat))
		return false;
	json_int_t e = json_integer_value(exp), i = json_integer_value(iat);
	if (e <= AGORA || i > e || i > AGORA + JWT_CLOCK_SKEW)
		return false;
	if (nbf && !(json_is_integer(nbf) && json_integer_value(nbf) <= AGORA + JWT_CLOCK_SKEW))
		return false;
	if (!json_is_string(iss) || strcmp(json_string_value(iss), EMISSOR) != 0)
		return false;
	if (!aud_ok(json_object_get(c, "aud")))
		return false;
	if (!texto_ok(json_object_get(c, "sub"), 64) || !texto_ok(role, 16) ||
	    perfil_parse(json_string_value(role)) == PERFIL_NENHUM)
		return false;
	return !jti || texto_ok(jti, 64);
}

/* What verify wrote must be what the claims say. */
static void checar_saida(const json_t *c, const struct token_claims *out)
{
	const json_t *jti = json_object_get(c, "jti");

	FUZZ_CHECK(strcmp(out->sub, json_string_value(json_object_get(c, "sub"))) == 0);
	FUZZ_CHECK(out->perfil == perfil_parse(json_string_value(json_object_get(c, "role"))));
	FUZZ_CHECK(out->exp == json_integer_value(json_object_get(c, "exp")));
	FUZZ_CHECK(out->iat == json_integer_value(json_object_get(c, "iat")));
	FUZZ_CHECK(jti ? strcmp(out->jti, json_string_value(jti)) == 0 : out->jti[0] == '\0');
}

static json_t *json_de_b64(const char *s, size_t n)
{
	unsigned char buf[TOKEN_CAP];
	size_t len;

	if (sodium_base642bin(buf, sizeof buf, s, n, NULL, &len, NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return NULL;
	return json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, NULL);
}

/* header.claims signed with key into token (TOKEN_CAP bytes); false when it does not fit. */
static bool assinar(const char *key, const char *h, size_t hn, const char *c, size_t cn,
                    char *token)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	size_t b64h = sodium_base64_ENCODED_LEN(hn, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	size_t b64c = sodium_base64_ENCODED_LEN(cn, sodium_base64_VARIANT_URLSAFE_NO_PADDING);

	if (b64h + b64c + 64 > TOKEN_CAP)
		return false;
	sodium_bin2base64(token, b64h, (const unsigned char *)h, hn,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	size_t n = strlen(token);
	token[n++] = '.';
	sodium_bin2base64(token + n, b64c, (const unsigned char *)c, cn,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	n += strlen(token + n);
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)token, n);
	crypto_auth_hmacsha256_final(&st, mac);
	token[n++] = '.';
	sodium_bin2base64(token + n, TOKEN_CAP - n, mac, sizeof mac,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return true;
}

/* Mode 0: any text. */
static void token_do_cliente(const char *token)
{
	struct token_claims out;

	if (jwt_token_verify(&cfg, token, AGORA, &out) != 0) {
		FUZZ_CHECK(out.sub[0] == '\0' && out.exp == 0);
		return;
	}
	const char *d1 = strchr(token, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	FUZZ_CHECK(d1 && d2 && !strchr(d2 + 1, '.'));
	char refeito[TOKEN_CAP];
	json_t *h = json_de_b64(token, (size_t)(d1 - token));
	json_t *c = json_de_b64(d1 + 1, (size_t)(d2 - d1 - 1));
	/* Signed with the key: re-signing the same two parts gives the same text. */
	unsigned char hb[TOKEN_CAP], cb[TOKEN_CAP];
	size_t hn, cn;
	FUZZ_CHECK(sodium_base642bin(hb, sizeof hb, token, (size_t)(d1 - token), NULL, &hn, NULL,
	                             sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0);
	FUZZ_CHECK(sodium_base642bin(cb, sizeof cb, d1 + 1, (size_t)(d2 - d1 - 1), NULL, &cn, NULL,
	                             sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0);
	FUZZ_CHECK(assinar(SEGREDO, (const char *)hb, hn, (const char *)cb, cn, refeito));
	FUZZ_CHECK(strcmp(refeito, token) == 0);
	FUZZ_CHECK(oracle(h, c));
	checar_saida(c, &out);
	json_decref(h);
	json_decref(c);
}

/* Modes 1 and 2: header and claims as given, signed here. */
static void assinado_aqui(const uint8_t *data, size_t size, bool com_a_chave)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t hn = nl ? (size_t)(nl - data) : size;
	const char *c = nl ? (const char *)nl + 1 : "";
	size_t cn = nl ? size - hn - 1 : 0;
	char token[TOKEN_CAP];
	struct token_claims out;

	if (!assinar(com_a_chave ? SEGREDO : OUTRO, (const char *)data, hn, c, cn, token))
		return;
	int rc = jwt_token_verify(&cfg, token, AGORA, &out);
	if (!com_a_chave) {
		FUZZ_CHECK(rc != 0);
		return;
	}
	if (rc != 0)
		return;
	json_t *hj = json_loadb((const char *)data, hn, JSON_REJECT_DUPLICATES, NULL);
	json_t *cj = json_loadb(c, cn, JSON_REJECT_DUPLICATES, NULL);
	FUZZ_CHECK(oracle(hj, cj));
	checar_saida(cj, &out);
	json_decref(hj);
	json_decref(cj);
}

/* Mode 3: our own tokens. */
static void emitido(const uint8_t *data, size_t size)
{
	static const char *const perfis[] = {"admin", "atendente", "mecanico", "cliente"};
	char token[TOKEN_MAX], sub[80];
	struct token_claims out;
	long expira;

	if (size < 3)
		return;
	const char *perfil = perfis[data[0] % 4];
	long agora = AGORA + (long)data[1] * 1000;
	size_t n = size - 2 < sizeof sub - 1 ? size - 2 : sizeof sub - 1;
	memcpy(sub, data + 2, n);
	sub[n] = '\0';
	if (jwt_token_issue(&cfg, sub, perfil, agora, token, &expira) != 0) {
		FUZZ_CHECK(token[0] == '\0');
		return;
	}
	FUZZ_CHECK(expira == TTL);
	FUZZ_CHECK(jwt_token_verify(&cfg, token, agora, &out) == 0);
	FUZZ_CHECK(strcmp(out.sub, sub) == 0 && out.perfil == perfil_parse(perfil));
	FUZZ_CHECK(out.iat == agora && out.exp == agora + TTL && strlen(out.jti) == 32);
	FUZZ_CHECK(jwt_token_verify(&cfg, token, agora + TTL, &out) != 0);
	size_t pos = (size_t)data[1] % strlen(token);
	token[pos] = token[pos] == 'A' ? 'B' : 'A';
	FUZZ_CHECK(jwt_token_verify(&cfg, token, agora, &out) != 0);

	/* The port, at the real time: verified, then from the cache, then a neighbour refused. */
	struct token_service svc;
	jwt_token_service_init(&svc, &cfg);
	FUZZ_CHECK(token_service_issue(&svc, sub, perfil, token, &expira) == 0);
	FUZZ_CHECK(token_service_verify(&svc, token, &out) == 0 && strcmp(out.sub, sub) == 0);
	FUZZ_CHECK(token_service_verify(&svc, token, &out) == 0 && strcmp(out.sub, sub) == 0);
	pos = (size_t)data[1] % strlen(token);
	token[pos] = token[pos] == 'A' ? 'B' : 'A';
	FUZZ_CHECK(token_service_verify(&svc, token, &out) != 0 && out.sub[0] == '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const uint8_t modo = data[0] % 4;
	data++;
	size--;
	if (modo == 0) {
		char *token = fuzz_text(data, size);
		token_do_cliente(token);
		free(token);
	} else if (modo == 1 || modo == 2) {
		assinado_aqui(data, size, modo == 1);
	} else {
		emitido(data, size);
	}
	return 0;
}

/*
 * Unit tests of the HS256 JWT adapter (infrastructure/auth/jwt_token.c): issuing, verifying, and
 * refusing every kind of bad token, including the ones libjwt 1.10 lets through on its own
 * (another HMAC algorithm with the right secret, "alg": "none", no exp/iss/aud checks). Forged
 * tokens are built by hand here: base64url of header and payload, HMAC with libsodium.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "application/ports/token_service.h"
#include "domain/errors.h"
#include "infrastructure/auth/jwt_token.h"

#define SECRET   "0123456789abcdef0123456789abcdef-test-secret"
#define ISSUER   "oficina"
#define AUDIENCE "oficina-api"
#define NOW      1790000000L
#define TTL      3600L
#define SUB      "6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"
#define BIG      16384

enum forge_alg { FORGE_NONE, FORGE_HS256, FORGE_HS512 };

static struct jwt_config cfg;

static int setup(void **state)
{
	(void)state;
	assert_int_equal(jwt_config_init(&cfg, SECRET, ISSUER, AUDIENCE, TTL), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	jwt_config_cleanup(&cfg);
	return 0;
}

static void b64url(const void *data, size_t len, char *out, size_t cap)
{
	assert_true(sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING) <=
	            cap);
	sodium_bin2base64(out, cap, data, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/*
 * Builds header.payload.signature into out (BIG bytes) from JSON texts, signed with key (any
 * length) by alg; FORGE_NONE leaves the signature empty.
 */
static void forge(const char *header, const char *payload, const char *key, enum forge_alg alg,
                  char *out)
{
	unsigned char mac[crypto_auth_hmacsha512_BYTES];
	size_t mac_len = 0, n;

	b64url(header, strlen(header), out, BIG);
	n = strlen(out);
	out[n++] = '.';
	b64url(payload, strlen(payload), out + n, BIG - n);
	n = strlen(out);
	if (alg == FORGE_HS256) {
		crypto_auth_hmacsha256_state st;
		crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)out, n);
		crypto_auth_hmacsha256_final(&st, mac);
		mac_len = crypto_auth_hmacsha256_BYTES;
	} else if (alg == FORGE_HS512) {
		crypto_auth_hmacsha512_state st;
		crypto_auth_hmacsha512_init(&st, (const unsigned char *)key, strlen(key));
		crypto_auth_hmacsha512_update(&st, (const unsigned char *)out, n);
		crypto_auth_hmacsha512_final(&st, mac);
		mac_len = crypto_auth_hmacsha512_BYTES;
	}
	out[n++] = '.';
	out[n] = '\0';
	if (mac_len > 0)
		b64url(mac, mac_len, out + n, BIG - n);
}

/* A payload with the usual claims; extra (may be "") is spliced in before the closing brace. */
static void payload_std(char *out, size_t cap, const char *extra)
{
	snprintf(out, cap,
	         "{\"sub\":\"" SUB "\",\"role\":\"mecanico\",\"iss\":\"" ISSUER
	         "\",\"aud\":\"" AUDIENCE "\",\"iat\":%ld,\"exp\":%ld,\"jti\":\"abc\"%s}",
	         NOW, NOW + TTL, extra);
}

static const char *hs256_header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

static int verify(const char *token, long now)
{
	struct token_claims c;
	int rc = jwt_token_verify(&cfg, token, now, &c);

	if (rc != 0) {
		/* On failure *out is zeroed. */
		static const struct token_claims zero;
		assert_memory_equal(&c, &zero, sizeof(c));
	}
	return rc;
}

static void verify_forged(const char *header, const char *payload, const char *key,
                          enum forge_alg alg, int want)
{
	static char tok[BIG];

	forge(header, payload, key, alg, tok);
	assert_int_equal(verify(tok, NOW + 10), want);
}

static void test_jwt__issue_then_verify__ok(void **state)
{
	char tok[TOKEN_MAX], tok2[TOKEN_MAX];
	struct token_claims c;
	long expires_in = 0;
	(void)state;

	assert_int_equal(jwt_token_issue(&cfg, SUB, "atendente", NOW, tok, &expires_in), 0);
	assert_int_equal(expires_in, TTL);
	assert_int_equal(jwt_token_verify(&cfg, tok, NOW + 1, &c), 0);
	assert_string_equal(c.sub, SUB);
	assert_int_equal(c.perfil, PERFIL_ATENDENTE);
	assert_int_equal(c.iat, NOW);
	assert_int_equal(c.exp, NOW + TTL);
	assert_int_equal(strlen(c.jti), 32);
	assert_true(strspn(c.jti, "0123456789abcdef") == 32);

	/* Every token gets its own jti. */
	assert_int_equal(jwt_token_issue(&cfg, SUB, "atendente", NOW, tok2, NULL), 0);
	assert_string_not_equal(tok, tok2);
}

static void test_jwt__every_role__ok(void **state)
{
	static const char *const roles[] = {"admin", "atendente", "mecanico", "cliente"};
	char tok[TOKEN_MAX];
	struct token_claims c;
	(void)state;

	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(jwt_token_issue(&cfg, SUB, roles[i], NOW, tok, NULL), 0);
		assert_int_equal(jwt_token_verify(&cfg, tok, NOW, &c), 0);
		assert_string_equal(perfil_nome(c.perfil), roles[i]);
	}
}

static void test_jwt__forged_by_hand_with_right_secret__ok(void **state)
{
	char payload[512];
	(void)state;

	/* Proves the forging helper right, so that the refusals below mean something. */
	payload_std(payload, sizeof(payload), "");
	verify_forged(hs256_header, payload, SECRET, FORGE_HS256, 0);
	verify_forged("{\"alg\":\"HS256\"}", payload, SECRET, FORGE_HS256, 0);
}

static void test_jwt__expired__unauthorized(void **state)
{
	char tok[TOKEN_MAX];
	(void)state;

	assert_int_equal(jwt_token_issue(&cfg, SUB, "admin", NOW - 2 * TTL, tok, NULL), 0);
	assert_int_equal(verify(tok, NOW), APP_EUNAUTHORIZED);
	/* exp itself is already too late; one second before is fine. */
	assert_int_equal(jwt_token_issue(&cfg, SUB, "admin", NOW, tok, NULL), 0);
	assert_int_equal(verify(tok, NOW + TTL), APP_EUNAUTHORIZED);
	assert_int_equal(verify(tok, NOW + TTL - 1), 0);
}

static void test_jwt__wrong_issuer__unauthorized(void **state)
{
	struct jwt_config other;
	char tok[TOKEN_MAX], payload[512];
	(void)state;

	assert_int_equal(jwt_config_init(&other, SECRET, "outro", AUDIENCE, TTL), 0);
	assert_int_equal(jwt_token_issue(&other, SUB, "admin", NOW, tok, NULL), 0);
	assert_int_equal(verify(tok, NOW), APP_EUNAUTHORIZED);
	jwt_config_cleanup(&other);

	snprintf(payload, sizeof(payload),
	         "{\"sub\":\"" SUB "\",\"role\":\"admin\",\"aud\":\"" AUDIENCE
	         "\",\"iat\":%ld,\"exp\":%ld}",
	         NOW, NOW + TTL);
	verify_forged(hs256_header, payload, SECRET, FORGE_HS256, APP_EUNAUTHORIZED); /* no iss */
}

static void test_jwt__wrong_audience__unauthorized(void **state)
{
	struct jwt_config other;
	char tok[TOKEN_MAX], payload[512];
	(void)state;

	assert_int_equal(jwt_config_init(&other, SECRET, ISSUER, "outra-api", TTL), 0);
	assert_int_equal(jwt_token_issue(&other, SUB, "admin", NOW, tok, NULL), 0);
	assert_int_equal(verify(tok, NOW), APP_EUNAUTHORIZED);
	jwt_config_cleanup(&other);

	snprintf(payload, sizeof(payload),
	         "{\"sub\":\"" SUB "\",\"role\":\"admin\",\"iss\":\"" ISSUER
	         "\",\"iat\":%ld,\"exp\":%ld}",
	         NOW, NOW + TTL);
	verify_forged(hs256_header, payload, SECRET, FORGE_HS256, APP_EUNAUTHORIZED); /* no aud */
	snprintf(payload, sizeof(payload),
	         "{\"sub\":\"" SUB "\",\"role\":\"admin\",\"iss\":\"" ISSUER
	         "\",\"aud\":7,\"iat\":%ld,\"exp\":%ld}",
	         NOW, NOW + TTL);
	verify_forged(hs256_header, payload, SECRET, FORGE_HS256, APP_EUNAUTHORIZED);
}

static void test_jwt__aud_array__ok_when_it_holds_ours(void **state)
{
	char payload[512];
	(void)state;

	snprintf(payload, sizeof(payload),
	         "{\"sub\":\"" SUB "\",\"role\":\"cliente\",\"iss\":\"" ISSUER
	         "\",\"aud\":[\"x\",\"" AUDIENCE "\"],\"iat\":%ld,\"exp\":%ld}",
	         NOW, NOW + TTL);
	verify_forged(hs256_header, payload, SECRET, FORGE_HS256, 0);
	snprintf(payload, sizeof(payload),
	         "{\"sub\":\"" SUB "\",\"role\":\"cliente\",\"iss\":\"" ISSUER
	         "\",\"aud\":[\"x\",\"y\"],\"iat\":%ld,\"exp\":%ld}",
	         NOW, NOW + TTL);
	verify_forged(hs256_header, payload, SECRET, FORGE_HS256, APP_EUNAUTHORIZED);
	snprintf(payload, sizeof(payload),
	         "{\"sub\":\"" SUB "\",\"role\":\"cliente\",\"iss\":\"" ISSUER
	         "\",\"aud\":[],\"iat\":%ld,\"exp\":%ld}",
	         NOW, NOW + TTL);
	verify_forged(hs256_header, payload, SECRET, FORGE_HS256, APP_EUNAUTHORIZED);
}

static void test_jwt__hs512_with_right_secret__unauthorized(void **state)
{
	char payload[512];
	(void)state;

	payload_std(payload, sizeof(payload), "");
	verify_forged("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", payload, SECRET, FORGE_HS512,
	              APP_EUNAUTHORIZED);
	/* A HS256 MAC under a header that claims HS384 is refused too. */
	verify_forged("{\"alg\":\"HS384\",\"typ\":\"JWT\"}", payload, SECRET, FORGE_HS256,
	              APP_EUNAUTHORIZED);
}

static void test_jwt__alg_none__unauthorized(void **state)
{
	char payload[512], tok[BIG];
	(void)state;

	payload_std(payload, sizeof(payload), "");
	verify_forged("{\"alg\":\"none\"}", payload, SECRET, FORGE_NONE, APP_EUNAUTHORIZED);
	verify_forged("{\"alg\":\"none\",\"typ\":\"JWT\"}", payload, SECRET, FORGE_HS256,
	              APP_EUNAUTHORIZED);
	verify_forged("{\"alg\":\"None\"}", payload, SECRET, FORGE_NONE, APP_EUNAUTHORIZED);
	verify_forged("{\"typ\":\"JWT\"}", payload, SECRET, FORGE_HS256, APP_EUNAUTHORIZED);
	/* A good HS256 token with its signature cut off. */
	forge(hs256_header, payload, SECRET, FORGE_HS256, tok);
	*(strrchr(tok, '.') + 1) = '\0';
	assert_int_equal(verify(tok, NOW), APP_EUNAUTHORIZED);
}

static void test_jwt__wrong_secret__unauthorized(void **state)
{
	struct jwt_config other;
	char tok[TOKEN_MAX], payload[512];
	(void)state;

	assert_int_equal(
	    jwt_config_init(&other, "another-secret-another-secret-another", ISSUER, AUDIENCE, TTL),
	    0);
	assert_int_equal(jwt_token_issue(&other, SUB, "admin", NOW, tok, NULL), 0);
	assert_int_equal(verify(tok, NOW), APP_EUNAUTHORIZED);
	jwt_config_cleanup(&other);

	payload_std(payload, sizeof(payload), "");
	verify_forged(hs256_header, payload, "", FORGE_HS256, APP_EUNAUTHORIZED);
	verify_forged(hs256_header, payload, SECRET "x", FORGE_HS256, APP_EUNAUTHORIZED);
}

static void test_jwt__payload_tampered__unauthorized(void **state)
{
	char tok[TOKEN_MAX], forged[BIG], payload[512], b64[1024];
	const char *dot1, *dot2;
	(void)state;

	assert_int_equal(jwt_token_issue(&cfg, SUB, "cliente", NOW, tok, NULL), 0);
	dot1 = strchr(tok, '.');
	dot2 = strchr(dot1 + 1, '.');
	snprintf(payload, sizeof(payload),
	         "{\"sub\":\"" SUB "\",\"role\":\"admin\",\"iss\":\"" ISSUER
	         "\",\"aud\":\"" AUDIENCE "\",\"iat\":%ld,\"exp\":%ld}",
	         NOW, NOW + TTL);
	b64url(payload, strlen(payload), b64, sizeof(b64));
	snprintf(forged, sizeof(forged), "%.*s.%s%s", (int)(dot1 - tok), tok, b64, dot2);
	assert_int_equal(verify(forged, NOW), APP_EUNAUTHORIZED);

	/* One flipped character in the signature. */
	strcpy(forged, tok);
	forged[strlen(forged) - 3] = forged[strlen(forged) - 3] == 'A' ? 'B' : 'A';
	assert_int_equal(verify(forged, NOW), APP_EUNAUTHORIZED);

	/* The signature's two spare bits changed: same bytes, non-canonical text. */
	strcpy(forged, tok);
	{
		char *last = forged + strlen(forged) - 1;
		static const char alpha[] =
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		size_t v = (size_t)(strchr(alpha, *last) - alpha);
		*last = alpha[v ^ 1];
	}
	assert_int_equal(verify(forged, NOW), APP_EUNAUTHORIZED);
	assert_int_equal(verify(tok, NOW), 0);
}

static void test_jwt__garbage__unauthorized(void **state)
{
	static const char *const bad[] = {
	    "garbage",
	    "a.b.c",
	    "...",
	    "a..c",
	    ".b.c",
	    "a.b.",
	    "a.b.c.d",
	    "eyJhbGciOiJIUzI1NiJ9",
	    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0",
	    "eyJhbGciOiJIUzI1NiJ9.e30.AAAA",
	    "bm90IGpzb24.bm90IGpzb24.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    "W10.W10.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    "eyJhbGciOiJIUzI1NiJ9 .e30.AAAA",
	    "eyJhbGciOiJIUzI1NiJ9.e30=.AAAA",
	    "Bearer x.y.z",
	};
	char junk[600];
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(verify(bad[i], NOW), APP_EUNAUTHORIZED);
	for (int round = 0; round < 200; round++) {
		size_t n = 1 + randombytes_uniform(sizeof(junk) - 1);
		randombytes_buf(junk, n);
		for (size_t k = 0; k < n; k++)
			if (junk[k] == '\0')
				junk[k] = '.';
		junk[n] = '\0';
		assert_int_equal(verify(junk, NOW), APP_EUNAUTHORIZED);
	}
}

static void test_jwt__empty_or_null__unauthorized(void **state)
{
	(void)state;
	assert_int_equal(verify("", NOW), APP_EUNAUTHORIZED);
	assert_int_equal(verify(NULL, NOW), APP_EUNAUTHORIZED);
}

static void test_jwt__too_long__unauthorized(void **state)
{
	static char payload[BIG], pad[BIG / 2];
	(void)state;

	/* Correctly signed, but longer than 4 KiB once encoded. */
	memset(pad, 'x', 3200);
	pad[3200] = '\0';
	snprintf(payload, sizeof(payload),
	         "{\"sub\":\"" SUB "\",\"role\":\"admin\",\"iss\":\"" ISSUER
	         "\",\"aud\":\"" AUDIENCE "\",\"iat\":%ld,\"exp\":%ld,\"pad\":\"%s\"}",
	         NOW, NOW + TTL, pad);
	verify_forged(hs256_header, payload, SECRET, FORGE_HS256, APP_EUNAUTHORIZED);
	/* Just under the limit still passes. */
	pad[2600] = '\0';
	snprintf(payload, sizeof(payload),
	         "{\"sub\":\"" SUB "\",\"role\":\"admin\",\"iss\":\"" ISSUER
	         "\",\"aud\":\"" AUDIENCE "\",\"iat\":%ld,\"exp\":%ld,\"pad\":\"%s\"}",
	         NOW, NOW + TTL, pad);
	verify_forged(hs256_header, payload, SECRET, FORGE_HS256, 0);
}

static void with_claims(const char *sub_role, int want)
{
	char payload[512];

	snprintf(payload, sizeof(payload),
	         "{%s\"iss\":\"" ISSUER "\",\"aud\":\"" AUDIENCE "\",\"iat\":%ld,\"exp\":%ld}",
	         sub_role, NOW, NOW + TTL);
	verify_forged(hs256_header, payload, SECRET, FORGE_HS256, want);
}

static void test_jwt__missing_sub_or_role__unauthorized(void **state)
{
	(void)state;
	with_claims("\"sub\":\"" SUB "\",\"role\":\"admin\",", 0);
	with_claims("\"role\":\"admin\",", APP_EUNAUTHORIZED);
	with_claims("\"sub\":\"" SUB "\",", APP_EUNAUTHORIZED);
	with_claims("\"sub\":\"\",\"role\":\"admin\",", APP_EUNAUTHORIZED);
	with_claims("\"sub\":42,\"role\":\"admin\",", APP_EUNAUTHORIZED);
	with_claims("\"sub\":\"" SUB "\",\"role\":null,", APP_EUNAUTHORIZED);
	with_claims("\"sub\":\"a\\u0000b\",\"role\":\"admin\",", APP_EUNAUTHORIZED);
	with_claims("\"sub\":\"a\\nb\",\"role\":\"admin\",", APP_EUNAUTHORIZED);
	with_claims("\"sub\":\"0123456789012345678901234567890123456789012345678901234567890123\","
	            "\"role\":\"admin\",",
	            APP_EUNAUTHORIZED); /* 64 bytes: does not fit struct token_claims */
}

static void test_jwt__bad_role__unauthorized(void **state)
{
	(void)state;
	with_claims("\"sub\":\"" SUB "\",\"role\":\"root\",", APP_EUNAUTHORIZED);
	with_claims("\"sub\":\"" SUB "\",\"role\":\"Admin\",", APP_EUNAUTHORIZED);
	with_claims("\"sub\":\"" SUB "\",\"role\":\"admin \",", APP_EUNAUTHORIZED);
	with_claims("\"sub\":\"" SUB "\",\"role\":[\"admin\"],", APP_EUNAUTHORIZED);
}

static void test_jwt__bad_times__unauthorized(void **state)
{
	char payload[512];
	(void)state;

	/* iat missing. */
	snprintf(payload, sizeof(payload),
	         "{\"sub\":\"" SUB "\",\"role\":\"admin\",\"iss\":\"" ISSUER
	         "\",\"aud\":\"" AUDIENCE "\",\"exp\":%ld}",
	         NOW + TTL);
	verify_forged(hs256_header, payload, SECRET, FORGE_HS256, APP_EUNAUTHORIZED);
	/* exp missing. */
	snprintf(payload, sizeof(payload),
	         "{\"sub\":\"" SUB "\",\"role\":\"admin\",\"iss\":\"" ISSUER
	         "\",\"aud\":\"" AUDIENCE "\",\"iat\":%ld}",
	         NOW);
	verify_forged(hs256_header, payload, SECRET, FORGE_HS256, APP_EUNAUTHORIZED);
	/* exp as a string. */
	snprintf(payload, sizeof(payload),
	         "{\"sub\":\"" SUB "\",\"role\":\"admin\",\"iss\":\"" ISSUER
	         "\",\"aud\":\"" AUDIENCE "\",\"iat\":%ld,\"exp\":\"%ld\"}",
	         NOW, NOW + TTL);
	verify_forged(hs256_header, payload, SECRET, FORGE_HS256, APP_EUNAUTHORIZED);
	/* Issued an hour in the future. */
	snprintf(payload, sizeof(payload),
	         "{\"sub\":\"" SUB "\",\"role\":\"admin\",\"iss\":\"" ISSUER
	         "\",\"aud\":\"" AUDIENCE "\",\"iat\":%ld,\"exp\":%ld}",
	         NOW + 3600, NOW + 7200);
	verify_forged(hs256_header, payload, SECRET, FORGE_HS256, APP_EUNAUTHORIZED);
	/* Not valid before a time still to come. */
	payload_std(payload, sizeof(payload), ",\"nbf\":1890000000");
	verify_forged(hs256_header, payload, SECRET, FORGE_HS256, APP_EUNAUTHORIZED);
	payload_std(payload, sizeof(payload), ",\"nbf\":1780000000");
	verify_forged(hs256_header, payload, SECRET, FORGE_HS256, 0);
}

static void test_jwt__odd_headers_and_duplicates__unauthorized(void **state)
{
	char payload[512];
	(void)state;

	payload_std(payload, sizeof(payload), "");
	verify_forged("{\"alg\":\"HS256\",\"crit\":[\"exp\"]}", payload, SECRET, FORGE_HS256,
	              APP_EUNAUTHORIZED);
	verify_forged("{\"alg\":\"HS256\",\"typ\":\"JOSE+JSON\"}", payload, SECRET, FORGE_HS256,
	              APP_EUNAUTHORIZED);
	verify_forged("{\"alg\":\"HS256\",\"alg\":\"HS256\"}", payload, SECRET, FORGE_HS256,
	              APP_EUNAUTHORIZED);
	verify_forged("[\"HS256\"]", payload, SECRET, FORGE_HS256, APP_EUNAUTHORIZED);
	/* A second role claim: parsers disagree on which wins, so the token is refused. */
	payload_std(payload, sizeof(payload), ",\"role\":\"admin\"");
	verify_forged(hs256_header, payload, SECRET, FORGE_HS256, APP_EUNAUTHORIZED);
	verify_forged(hs256_header, "[1]", SECRET, FORGE_HS256, APP_EUNAUTHORIZED);
}

static void test_jwt__config_refuses_bad_values(void **state)
{
	struct jwt_config c;
	static const struct jwt_config zero;
	char tok[TOKEN_MAX];
	struct token_claims claims;
	char long_secret[JWT_SECRET_MAX + 2];
	(void)state;

	assert_int_equal(jwt_config_init(&c, "", ISSUER, AUDIENCE, TTL), APP_EINVALID);
	assert_memory_equal(&c, &zero, sizeof(c));
	assert_int_equal(jwt_config_init(&c, NULL, ISSUER, AUDIENCE, TTL), APP_EINVALID);
	assert_int_equal(
	    jwt_config_init(&c, "0123456789abcdef0123456789abcde", ISSUER, AUDIENCE, TTL),
	    APP_EINVALID); /* 31 bytes */
	memset(long_secret, 's', sizeof(long_secret) - 1);
	long_secret[sizeof(long_secret) - 1] = '\0';
	assert_int_equal(jwt_config_init(&c, long_secret, ISSUER, AUDIENCE, TTL), APP_EINVALID);
	assert_int_equal(jwt_config_init(&c, SECRET, "", AUDIENCE, TTL), APP_EINVALID);
	assert_int_equal(jwt_config_init(&c, SECRET, ISSUER, "", TTL), APP_EINVALID);
	assert_int_equal(jwt_config_init(&c, SECRET, NULL, AUDIENCE, TTL), APP_EINVALID);
	assert_int_equal(jwt_config_init(&c, SECRET, ISSUER, AUDIENCE, 0), APP_EINVALID);
	assert_int_equal(jwt_config_init(&c, SECRET, ISSUER, AUDIENCE, -5), APP_EINVALID);
	assert_int_equal(
	    jwt_config_init(&c, "0123456789abcdef0123456789abcdef", ISSUER, AUDIENCE, TTL),
	    0); /* 32 bytes */
	jwt_config_cleanup(&c);
	assert_memory_equal(&c, &zero, sizeof(c));
	jwt_config_cleanup(NULL);

	/* A zeroed (empty-key) config neither issues nor verifies anything. */
	assert_int_equal(jwt_token_issue(&zero, SUB, "admin", NOW, tok, NULL), APP_EINVALID);
	assert_string_equal(tok, "");
	assert_int_equal(jwt_token_issue(&cfg, SUB, "admin", NOW, tok, NULL), 0);
	assert_int_equal(jwt_token_verify(&zero, tok, NOW, &claims), APP_EINVALID);
}

static void test_jwt__issue_refuses_bad_sub_or_role(void **state)
{
	char tok[TOKEN_MAX];
	long expires_in = 99;
	(void)state;

	assert_int_equal(jwt_token_issue(&cfg, "", "admin", NOW, tok, &expires_in), APP_EINVALID);
	assert_int_equal(expires_in, 0);
	assert_string_equal(tok, "");
	assert_int_equal(jwt_token_issue(&cfg, NULL, "admin", NOW, tok, NULL), APP_EINVALID);
	assert_int_equal(jwt_token_issue(&cfg, SUB, "root", NOW, tok, NULL), APP_EINVALID);
	assert_int_equal(jwt_token_issue(&cfg, SUB, NULL, NOW, tok, NULL), APP_EINVALID);
	assert_int_equal(jwt_token_issue(&cfg, "a\nb", "admin", NOW, tok, NULL), APP_EINVALID);
}

static void test_jwt__port__issue_then_verify(void **state)
{
	struct token_service svc;
	struct token_claims c;
	char tok[TOKEN_MAX];
	long expires_in = 0;
	(void)state;

	jwt_token_service_init(&svc, &cfg);
	assert_int_equal(token_service_issue(&svc, SUB, "cliente", tok, &expires_in), 0);
	assert_int_equal(expires_in, TTL);
	assert_int_equal(token_service_verify(&svc, tok, &c), 0);
	assert_string_equal(c.sub, SUB);
	assert_int_equal(c.perfil, PERFIL_CLIENTE);
	assert_int_equal(c.exp - c.iat, TTL);
	assert_int_equal(token_service_verify(&svc, "x.y.z", &c), APP_EUNAUTHORIZED);
	assert_int_equal(token_service_issue(&svc, SUB, "root", tok, &expires_in), APP_EINTERNAL);
}

static void *worker(void *arg)
{
	char tok[TOKEN_MAX];
	struct token_claims c;
	long bad = 0;

	(void)arg;
	for (int i = 0; i < 300; i++) {
		if (jwt_token_issue(&cfg, SUB, "mecanico", NOW + i, tok, NULL) != 0 ||
		    jwt_token_verify(&cfg, tok, NOW + i, &c) != 0 || c.iat != NOW + i) {
			bad++;
			continue;
		}
		tok[strlen(tok) - 2] ^= 1;
		if (jwt_token_verify(&cfg, tok, NOW + i, &c) != APP_EUNAUTHORIZED)
			bad++;
	}
	return (void *)(intptr_t)bad;
}

static void test_jwt__many_threads__consistent(void **state)
{
	pthread_t t[6];
	void *bad;
	(void)state;

	for (size_t i = 0; i < 6; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker, NULL), 0);
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(pthread_join(t[i], &bad), 0);
		assert_int_equal((intptr_t)bad, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_jwt__issue_then_verify__ok),
	    cmocka_unit_test(test_jwt__every_role__ok),
	    cmocka_unit_test(test_jwt__forged_by_hand_with_right_secret__ok),
	    cmocka_unit_test(test_jwt__expired__unauthorized),
	    cmocka_unit_test(test_jwt__wrong_issuer__unauthorized),
	    cmocka_unit_test(test_jwt__wrong_audience__unauthorized),
	    cmocka_unit_test(test_jwt__aud_array__ok_when_it_holds_ours),
	    cmocka_unit_test(test_jwt__hs512_with_right_secret__unauthorized),
	    cmocka_unit_test(test_jwt__alg_none__unauthorized),
	    cmocka_unit_test(test_jwt__wrong_secret__unauthorized),
	    cmocka_unit_test(test_jwt__payload_tampered__unauthorized),
	    cmocka_unit_test(test_jwt__garbage__unauthorized),
	    cmocka_unit_test(test_jwt__empty_or_null__unauthorized),
	    cmocka_unit_test(test_jwt__too_long__unauthorized),
	    cmocka_unit_test(test_jwt__missing_sub_or_role__unauthorized),
	    cmocka_unit_test(test_jwt__bad_role__unauthorized),
	    cmocka_unit_test(test_jwt__bad_times__unauthorized),
	    cmocka_unit_test(test_jwt__odd_headers_and_duplicates__unauthorized),
	    cmocka_unit_test(test_jwt__config_refuses_bad_values),
	    cmocka_unit_test(test_jwt__issue_refuses_bad_sub_or_role),
	    cmocka_unit_test(test_jwt__port__issue_then_verify),
	    cmocka_unit_test(test_jwt__many_threads__consistent),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

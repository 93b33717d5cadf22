/*
 * HS256 JSON Web Tokens on libjwt 1.10 and libsodium (infrastructure layer). See jwt_token.h for
 * why verification does its own checks around libjwt: the header is read and the signature checked
 * (in constant time) before libjwt sees the token, and every claim is checked afterwards.
 */
#include "infrastructure/auth/jwt_token.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>
#include <pthread.h>
#include <jwt.h>
#include <sodium.h>

#include "domain/errors.h"
#include "domain/heap.h"

#define JTI_BYTES 16
/* Largest decoded part of a token of JWT_TOKEN_MAX_IN characters. */
#define PART_MAX (JWT_TOKEN_MAX_IN / 4 * 3 + 3)

static const char *const roles[] = {"admin", "atendente", "mecanico", "cliente"};

int jwt_perfil_valid(const char *perfil)
{
	if (perfil == NULL)
		return 0;
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(perfil, roles[i]) == 0)
			return 1;
	return 0;
}

/* 1 when s is 1..cap-1 bytes long and holds no control characters. */
static int text_ok(const char *s, size_t cap)
{
	size_t n;

	if (s == NULL)
		return 0;
	n = strnlen(s, cap);
	if (n == 0 || n >= cap)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return 0;
	}
	return 1;
}

static int config_usable(const struct jwt_config *cfg)
{
	return cfg != NULL && cfg->secret_len >= JWT_SECRET_MIN &&
	       cfg->secret_len <= JWT_SECRET_MAX && cfg->issuer[0] != '\0' &&
	       cfg->audience[0] != '\0' && cfg->ttl_seconds > 0 && cfg->ttl_seconds <= JWT_TTL_MAX;
}

int jwt_config_init(struct jwt_config *cfg, const char *secret, const char *issuer,
                    const char *audience, long ttl_seconds)
{
	size_t slen;

	sodium_memzero(cfg, sizeof(*cfg));
	/* Idempotent and thread-safe; needed before randombytes_buf in jwt_token_issue. */
	if (sodium_init() < 0)
		return APP_EINTERNAL;
	if (secret == NULL || !text_ok(issuer, sizeof(cfg->issuer)) ||
	    !text_ok(audience, sizeof(cfg->audience)) || ttl_seconds <= 0 ||
	    ttl_seconds > JWT_TTL_MAX)
		return APP_EINVALID;
	slen = strnlen(secret, JWT_SECRET_MAX + 1);
	if (slen < JWT_SECRET_MIN || slen > JWT_SECRET_MAX)
		return APP_EINVALID;
	memcpy(cfg->secret, secret, slen);
	cfg->secret_len = slen;
	memcpy(cfg->issuer, issuer, strlen(issuer) + 1);
	memcpy(cfg->audience, audience, strlen(audience) + 1);
	cfg->ttl_seconds = ttl_seconds;
	return 0;
}

void jwt_config_cleanup(struct jwt_config *cfg)
{
	if (cfg != NULL)
		sodium_memzero(cfg, sizeof(*cfg));
}

int jwt_token_issue(const struct jwt_config *cfg, const char *sub, const char *perfil, long now,
                    char out[TOKEN_MAX], long *expires_in)
{
	unsigned char jti_raw[JTI_BYTES];
	char jti[JTI_BYTES * 2 + 1];
	jwt_t *jwt = NULL;
	char *enc = NULL;
	size_t len;
	int rc = APP_EINTERNAL;

	out[0] = '\0';
	if (expires_in != NULL)
		*expires_in = 0;
	if (!config_usable(cfg))
		return APP_EINVALID;
	if (!text_ok(sub, sizeof(((struct token_claims *)0)->sub)) || !jwt_perfil_valid(perfil) ||
	    now < 0 || now > LONG_MAX - cfg->ttl_seconds)
		return APP_EINVALID;

	randombytes_buf(jti_raw, sizeof(jti_raw));
	sodium_bin2hex(jti, sizeof(jti), jti_raw, sizeof(jti_raw));

	if (jwt_new(&jwt) != 0) {
		rc = APP_ENOMEM;
		goto out;
	}
	if (jwt_set_alg(jwt, JWT_ALG_HS256, cfg->secret, (int)cfg->secret_len) != 0 ||
	    jwt_add_grant(jwt, "sub", sub) != 0 || jwt_add_grant(jwt, "role", perfil) != 0 ||
	    jwt_add_grant(jwt, "iss", cfg->issuer) != 0 ||
	    jwt_add_grant(jwt, "aud", cfg->audience) != 0 ||
	    jwt_add_grant_int(jwt, "iat", now) != 0 ||
	    jwt_add_grant_int(jwt, "exp", now + cfg->ttl_seconds) != 0 ||
	    jwt_add_grant(jwt, "jti", jti) != 0)
		goto out;
	enc = jwt_encode_str(jwt);
	if (enc == NULL) {
		rc = errno == ENOMEM ? APP_ENOMEM : APP_EINTERNAL;
		goto out;
	}
	len = strlen(enc);
	if (len >= TOKEN_MAX)
		goto out;
	memcpy(out, enc, len + 1);
	if (expires_in != NULL)
		*expires_in = cfg->ttl_seconds;
	rc = 0;
out:
	heap_free(enc);
	jwt_free(jwt); /* also wipes its copy of the key */
	return rc;
}

/* Decodes one unpadded base64url part strictly (no stray characters, canonical trailing bits). */
static int b64url_decode(const char *s, size_t len, unsigned char *buf, size_t cap, size_t *n)
{
	if (len == 0)
		return -1;
	return sodium_base642bin(buf, cap, s, len, NULL, n, NULL,
	                         sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Decodes a part that must hold a JSON object; duplicate keys are refused (no parser games). */
static json_t *decode_json_part(const char *s, size_t len)
{
	unsigned char buf[PART_MAX];
	size_t n;
	json_t *js;

	if (b64url_decode(s, len, buf, sizeof(buf), &n) != 0)
		return NULL;
	js = json_loadb((const char *)buf, n, JSON_REJECT_DUPLICATES, NULL);
	if (js != NULL && !json_is_object(js)) {
		json_decref(js);
		js = NULL;
	}
	return js;
}

static int header_ok(const json_t *hdr)
{
	const json_t *alg = json_object_get(hdr, "alg");
	const json_t *typ = json_object_get(hdr, "typ");

	if (!json_is_string(alg) || strcmp(json_string_value(alg), "HS256") != 0)
		return 0;
	if (typ != NULL && (!json_is_string(typ) || strcasecmp(json_string_value(typ), "JWT") != 0))
		return 0;
	/* We understand no extension, so a token that demands one is refused (RFC 7515 §4.1.11). */
	return json_object_get(hdr, "crit") == NULL;
}

static int signature_ok(const struct jwt_config *cfg, const char *token, size_t signed_len,
                        const char *sig, size_t sig_len)
{
	unsigned char want[crypto_auth_hmacsha256_BYTES];
	unsigned char got[crypto_auth_hmacsha256_BYTES + 1];
	crypto_auth_hmacsha256_state st;
	size_t n;
	int ok;

	if (b64url_decode(sig, sig_len, got, sizeof(got), &n) != 0 || n != sizeof(want))
		return 0;
	crypto_auth_hmacsha256_init(&st, cfg->secret, cfg->secret_len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)token, signed_len);
	crypto_auth_hmacsha256_final(&st, want);
	ok = sodium_memcmp(want, got, sizeof(want)) == 0;
	sodium_memzero(&st, sizeof(st));
	return ok;
}

/* Copies the string claim name into dst (cap bytes); 1 when present, a string, and it fits. */
static int claim_text(const json_t *claims, const char *name, char *dst, size_t cap)
{
	const json_t *v = json_object_get(claims, name);
	const char *s;

	if (!json_is_string(v))
		return 0;
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v) || !text_ok(s, cap))
		return 0; /* embedded NUL, empty, too long or control characters */
	memcpy(dst, s, strlen(s) + 1);
	return 1;
}

static int audience_ok(const json_t *aud, const char *want)
{
	size_t i;
	const json_t *v;

	if (json_is_string(aud))
		return strcmp(json_string_value(aud), want) == 0;
	if (!json_is_array(aud))
		return 0;
	json_array_foreach(aud, i, v)
	{
		if (json_is_string(v) && strcmp(json_string_value(v), want) == 0)
			return 1;
	}
	return 0;
}

static int claims_ok(const struct jwt_config *cfg, const json_t *claims, long now,
                     struct token_claims *out)
{
	const json_t *exp = json_object_get(claims, "exp");
	const json_t *iat = json_object_get(claims, "iat");
	const json_t *nbf = json_object_get(claims, "nbf");
	const json_t *iss = json_object_get(claims, "iss");
	const json_t *jti = json_object_get(claims, "jti");
	json_int_t e, i;

	/* RFC 7519 allows fractional NumericDates; ours are integers, and nothing else is taken. */
	if (!json_is_integer(exp) || !json_is_integer(iat))
		return 0;
	e = json_integer_value(exp);
	i = json_integer_value(iat);
	if (e <= now || i > e || i > now + JWT_CLOCK_SKEW)
		return 0;
	if (nbf != NULL &&
	    (!json_is_integer(nbf) || json_integer_value(nbf) > now + JWT_CLOCK_SKEW))
		return 0;
	if (!json_is_string(iss) || strcmp(json_string_value(iss), cfg->issuer) != 0)
		return 0;
	if (!audience_ok(json_object_get(claims, "aud"), cfg->audience))
		return 0;
	char perfil[16];
	if (!claim_text(claims, "sub", out->sub, sizeof(out->sub)) ||
	    !claim_text(claims, "role", perfil, sizeof(perfil)) || !jwt_perfil_valid(perfil))
		return 0;
	out->perfil = perfil_parse(perfil);
	if (jti != NULL && !claim_text(claims, "jti", out->jti, sizeof(out->jti)))
		return 0;
	out->iat = (long)i;
	out->exp = (long)e;
	return 1;
}

/* 1 when c belongs to the base64url alphabet. */
static int b64url_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

int jwt_token_verify(const struct jwt_config *cfg, const char *token, long now,
                     struct token_claims *out)
{
	const char *dot1 = NULL, *dot2 = NULL;
	json_t *hdr = NULL, *claims = NULL;
	jwt_t *jwt = NULL;
	const char *alg;
	size_t len;
	int rc = APP_EUNAUTHORIZED;

	memset(out, 0, sizeof(*out));
	if (!config_usable(cfg))
		return APP_EINVALID;
	if (token == NULL)
		return APP_EUNAUTHORIZED;
	if (now < 0 || now > LONG_MAX - JWT_CLOCK_SKEW)
		return APP_EUNAUTHORIZED;
	len = strnlen(token, JWT_TOKEN_MAX_IN + 1);
	if (len == 0 || len > JWT_TOKEN_MAX_IN)
		return APP_EUNAUTHORIZED;

	/* Shape: exactly three non-empty base64url parts. */
	for (size_t k = 0; k < len; k++) {
		if (token[k] == '.') {
			if (dot1 == NULL)
				dot1 = token + k;
			else if (dot2 == NULL)
				dot2 = token + k;
			else
				return APP_EUNAUTHORIZED;
		} else if (!b64url_char((unsigned char)token[k])) {
			return APP_EUNAUTHORIZED;
		}
	}
	if (dot2 == NULL || dot1 == token || dot2 == dot1 + 1 || dot2 + 1 == token + len)
		return APP_EUNAUTHORIZED;

	/* Nothing from the token is trusted before the header says HS256 and the MAC matches. */
	hdr = decode_json_part(token, (size_t)(dot1 - token));
	if (hdr == NULL || !header_ok(hdr))
		goto out;
	if (!signature_ok(cfg, token, (size_t)(dot2 - token), dot2 + 1,
	                  (size_t)(token + len - (dot2 + 1))))
		goto out;
	claims = decode_json_part(dot1 + 1, (size_t)(dot2 - dot1 - 1));
	if (claims == NULL)
		goto out;

	/* libjwt, with the key, as a second opinion on the signature and the algorithm. */
	if (jwt_decode(&jwt, token, cfg->secret, (int)cfg->secret_len) != 0 || jwt == NULL ||
	    jwt_get_alg(jwt) != JWT_ALG_HS256)
		goto out;
	alg = jwt_get_header(jwt, "alg");
	if (alg == NULL || strcmp(alg, "HS256") != 0)
		goto out;

	if (claims_ok(cfg, claims, now, out))
		rc = 0;
out:
	if (rc != 0)
		memset(out, 0, sizeof(*out));
	jwt_free(jwt);
	json_decref(claims);
	json_decref(hdr);
	return rc;
}

static int svc_issue(void *self, const char *sub, const char *perfil, char out[TOKEN_MAX],
                     long *expires_in)
{
	int rc = jwt_token_issue(self, sub, perfil, (long)time(NULL), out, expires_in);

	/* The port knows no APP_EINVALID here: a bad sub or perfil from our own data is a bug. */
	return rc == APP_EINVALID ? APP_EINTERNAL : rc;
}

/*
 * A client sends the same token with every request; verifying it costs two JSON parses and an
 * HMAC. Each thread keeps the last tokens it verified, keyed by a SipHash under a random key
 * (so a client cannot aim at a slot) and compared in constant time. Expiry is checked again on
 * every hit; nothing is shared between threads, so there is no lock.
 */
#define VERIFIED_SLOTS 16

struct verified_token {
	const struct jwt_config *cfg; /* the configuration it was verified with */
	size_t len;                   /* strlen(token); 0 = empty slot */
	char token[TOKEN_MAX];        /* the token as sent */
	struct token_claims claims;   /* what it says */
};

static __thread struct verified_token verified[VERIFIED_SLOTS];
static unsigned char slot_key[crypto_shorthash_KEYBYTES];
static pthread_once_t slot_key_once = PTHREAD_ONCE_INIT;

static void make_slot_key(void)
{
	randombytes_buf(slot_key, sizeof slot_key);
}

static struct verified_token *verified_slot(const char *token, size_t len)
{
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v;

	pthread_once(&slot_key_once, make_slot_key);
	crypto_shorthash(h, (const unsigned char *)token, len, slot_key);
	memcpy(&v, h, sizeof v);
	return &verified[v % VERIFIED_SLOTS];
}

static int svc_verify(void *self, const char *token, struct token_claims *out)
{
	const struct jwt_config *cfg = self;
	long now = (long)time(NULL);
	size_t len = token ? strnlen(token, TOKEN_MAX) : 0;
	struct verified_token *slot = len > 0 && len < TOKEN_MAX ? verified_slot(token, len) : NULL;
	int rc;

	if (slot && slot->cfg == cfg && slot->len == len &&
	    sodium_memcmp(slot->token, token, len) == 0 && now < slot->claims.exp) {
		*out = slot->claims;
		return 0;
	}
	rc = jwt_token_verify(cfg, token, now, out);
	if (rc == 0 && slot) {
		slot->cfg = cfg;
		slot->len = len;
		memcpy(slot->token, token, len);
		slot->claims = *out;
	}
	/* The port promises APP_EUNAUTHORIZED for any bad token; an unusable config is a bug. */
	return rc == APP_EINVALID ? APP_EINTERNAL : rc;
}

static const struct token_service_ops jwt_token_service_ops = {
    .issue = svc_issue,
    .verify = svc_verify,
};

void jwt_token_service_init(struct token_service *svc, const struct jwt_config *cfg)
{
	svc->ops = &jwt_token_service_ops;
	/* The port's self is not const; the adapter only ever reads it. */
	svc->self = (void *)(uintptr_t)cfg;
}

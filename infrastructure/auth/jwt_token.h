/*
 * HS256 JSON Web Tokens (infrastructure layer): the adapter behind
 * application/ports/token_service.h, also used by the Lambda authorizer (cmd/oficina-authorizer).
 *
 * Tokens are signed and read with libjwt 1.10, which on its own accepts any token when given an
 * empty key, does not pin the algorithm (HS512 or "none" may pass) and never looks at exp, iss or
 * aud. jwt_token_verify is therefore the one place that checks a token: it reads the header itself,
 * checks the HMAC-SHA256 signature in constant time with libsodium, lets libjwt decode the token
 * with the key as a second opinion, and then checks every claim.
 *
 * Nothing here holds mutable state: a struct jwt_config is read-only once initialised and may be
 * shared by any number of threads.
 */
#ifndef OFICINA_INFRASTRUCTURE_AUTH_JWT_TOKEN_H
#define OFICINA_INFRASTRUCTURE_AUTH_JWT_TOKEN_H

#include <stddef.h>

#include "application/ports/token_service.h"

#define JWT_SECRET_MIN   32                 /* bytes; shorter secrets are refused */
#define JWT_SECRET_MAX   256                /* bytes; longer secrets are refused */
#define JWT_TOKEN_MAX_IN 4096               /* longer tokens are rejected before any decoding */
#define JWT_TTL_MAX      (366L * 24 * 3600) /* seconds; longest lifetime of an issued token */
#define JWT_CLOCK_SKEW   60 /* seconds an iat or nbf may lie in the future (other pods' clocks) */

struct jwt_config {
	unsigned char secret[JWT_SECRET_MAX]; /* HMAC key, not NUL-terminated */
	size_t secret_len;                    /* JWT_SECRET_MIN..JWT_SECRET_MAX */
	char issuer[128];                     /* iss written and required */
	char audience[128];                   /* aud written and required */
	long ttl_seconds;                     /* lifetime of issued tokens, 1..JWT_TTL_MAX */
};

/*
 * Fills *cfg from the NUL-terminated secret, issuer and audience (all copied). 0, or APP_EINVALID
 * when secret is NULL or shorter than JWT_SECRET_MIN / longer than JWT_SECRET_MAX bytes, when
 * issuer or audience is NULL, empty, too long or holds control characters, or when ttl_seconds is
 * not in 1..JWT_TTL_MAX; APP_EINTERNAL when libsodium cannot initialise (this calls sodium_init()).
 * *cfg is zeroed on failure. Release with jwt_config_cleanup.
 */
int jwt_config_init(struct jwt_config *cfg, const char *secret, const char *issuer,
                    const char *audience, long ttl_seconds);

/* Wipes the secret and the rest of *cfg. Accepts NULL. */
void jwt_config_cleanup(struct jwt_config *cfg);

/*
 * Issues a token for sub with perfil, issued at now (seconds since the epoch), with the claims sub,
 * role (the perfil's name), iss, aud, iat, exp (= now + ttl) and jti (16 random bytes in hex), into
 * out (NUL-terminated). *expires_in (may be NULL) gets the lifetime in seconds. 0; APP_EINVALID
 * when sub is empty, longer than 63 bytes or holds control characters, or perfil is not admin |
 * atendente | mecanico | cliente; APP_ENOMEM; APP_EINTERNAL (libjwt failed, or the token would not
 * fit in TOKEN_MAX). On failure out is the empty string.
 */
int jwt_token_issue(const struct jwt_config *cfg, const char *sub, const char *perfil, long now,
                    char out[TOKEN_MAX], long *expires_in);

/*
 * Verifies token at time now: at most JWT_TOKEN_MAX_IN bytes, three base64url parts, header alg
 * exactly HS256 (typ JWT if present, no crit), a valid HMAC-SHA256 signature with cfg's secret,
 * exp an integer > now, iat an integer not after exp nor more than JWT_CLOCK_SKEW in the future,
 * nbf (if present) reached, iss equal to cfg's issuer, aud equal to cfg's audience or an array
 * holding it, sub a non-empty string, role one of admin | atendente | mecanico | cliente, jti (if
 * present) a string. Fills *out and answers 0, or answers APP_EUNAUTHORIZED for any token that is
 * not good (and APP_EINVALID for an unusable cfg); *out is zeroed on failure.
 */
int jwt_token_verify(const struct jwt_config *cfg, const char *token, long now,
                     struct token_claims *out);

/*
 * Fills *svc with the token_service port backed by cfg, which the caller keeps alive and unchanged
 * for as long as svc is used. The port's functions take the time from time(NULL).
 */
void jwt_token_service_init(struct token_service *svc, const struct jwt_config *cfg);

/* 1 when perfil is admin | atendente | mecanico | cliente, else 0. perfil may be NULL. */
int jwt_perfil_valid(const char *perfil);

#endif

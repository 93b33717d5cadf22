/*
 * Port: issuing and verifying access tokens (application layer). The adapter is
 * infrastructure/auth/jwt_token.c (HS256 JWT via libjwt, with the checks libjwt 1.10 lacks).
 */
#ifndef OFICINA_APPLICATION_PORTS_TOKEN_SERVICE_H
#define OFICINA_APPLICATION_PORTS_TOKEN_SERVICE_H

#include <stddef.h>

#include "domain/usuario.h"

#define TOKEN_MAX 1024 /* room for an encoded token, NUL included */
/* The longest a token may live: JWT_TTL_SECONDS' maximum, and how long a revocation matters. */
#define TOKEN_TTL_MAX_SECONDS 86400

struct token_claims {
	char sub[64]; /* user or customer uuid */
	enum perfil
	    perfil;   /* the "role" claim, parsed once: admin, atendente, mecanico or cliente */
	char jti[64]; /* unique token id */
	long iat;     /* issued at, seconds since the epoch */
	long exp;     /* expires at, seconds since the epoch */
};

struct token_service_ops {
	/*
	 * Issues a signed token for sub with perfil into out; *expires_in gets its lifetime in
	 * seconds. 0, or APP_EINTERNAL / APP_ENOMEM.
	 */
	int (*issue)(void *self, const char *sub, const char *perfil, char out[TOKEN_MAX],
	             long *expires_in);
	/*
	 * Verifies token (signature with HS256 only, exp, iss, aud, presence of sub and perfil) and
	 * fills *out. 0, or APP_EUNAUTHORIZED for any token that is not good; *out is zeroed then.
	 */
	int (*verify)(void *self, const char *token, struct token_claims *out);
};

struct token_service {
	const struct token_service_ops *ops; /* static const table */
	void *self;                          /* adapter state */
};

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline int token_service_issue(const struct token_service *port, const char *sub,
                                      const char *perfil, char out[TOKEN_MAX], long *expires_in)
{
	return port->ops->issue(port->self, sub, perfil, out, expires_in);
}

static inline int token_service_verify(const struct token_service *port, const char *token,
                                       struct token_claims *out)
{
	return port->ops->verify(port->self, token, out);
}

#endif

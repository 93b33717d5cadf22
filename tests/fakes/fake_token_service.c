/* Readable tokens for unit tests (tests/fakes). */
#include "tests/fakes/fake_token_service.h"

#include <stdio.h>
#include <string.h>

#define PREFIXO "tok:"

void fake_token_service_init(struct fake_token_service *t, time_t (*agora)(void))
{
	memset(t, 0, sizeof *t);
	t->agora = agora;
	t->ttl = FAKE_TOKEN_TTL;
}

static int issue(void *self, const char *sub, const char *perfil, char out[TOKEN_MAX],
                 long *expires_in)
{
	struct fake_token_service *t = self;
	int rc, len;

	t->issued++;
	if ((rc = fake_fault_hit(&t->fault)) != 0)
		return rc;
	if (!sub || !perfil)
		return APP_EINTERNAL;
	len = snprintf(out, TOKEN_MAX, PREFIXO "%s:%s", sub, perfil);
	if (len < 0 || len >= TOKEN_MAX) {
		out[0] = '\0';
		return APP_EINTERNAL;
	}
	*expires_in = t->ttl;
	return 0;
}

/* Copies [s, s + n) into out of size bytes when it fits and is a non-empty part. */
static int copy_part(const char *s, size_t n, char *out, size_t size)
{
	if (n == 0 || n >= size)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

static int verify(void *self, const char *token, struct token_claims *out)
{
	struct fake_token_service *t = self;
	const char *sub, *sep, *perfil;
	int rc;

	t->verified++;
	memset(out, 0, sizeof *out);
	if ((rc = fake_fault_hit(&t->fault)) != 0)
		return rc;
	if (!token || strncmp(token, PREFIXO, sizeof PREFIXO - 1) != 0)
		return APP_EUNAUTHORIZED;
	sub = token + sizeof PREFIXO - 1;
	if (!(sep = strchr(sub, ':')))
		return APP_EUNAUTHORIZED;
	perfil = sep + 1;
	if (strchr(perfil, ':') || copy_part(sub, (size_t)(sep - sub), out->sub, sizeof out->sub) ||
	    (out->perfil = perfil_parse(perfil)) == PERFIL_NENHUM) {
		memset(out, 0, sizeof *out);
		return APP_EUNAUTHORIZED;
	}
	snprintf(out->jti, sizeof out->jti, "fake-jti");
	out->iat = (long)t->agora();
	out->exp = out->iat + t->ttl;
	return 0;
}

static const struct token_service_ops ops = {
    .issue = issue,
    .verify = verify,
};

void fake_token_service_port(struct fake_token_service *t, struct token_service *port)
{
	port->ops = &ops;
	port->self = t;
}

/*
 * oficina-authorizer (cmd layer): the AWS Lambda authorizer of the API gateway, built from the
 * server's own token code (SPEC §4). It wires the configuration from the environment to the
 * decision (authorizer.c) and runs in one of two modes:
 *
 *   - command line: one API Gateway event on stdin, its answer on stdout (for a refused REST
 *     request, the error document Lambda would return) and the decision's log line on stderr,
 *     exit 0; exit 2 with one line on stderr when the configuration is bad or the input is not an
 *     authorizer event;
 *   - Lambda custom runtime (as "bootstrap"), when AWS_LAMBDA_RUNTIME_API is set: the Runtime API
 *     loop of runtime.c.
 *
 * Environment: JWT_SECRET (required, 32..256 bytes), JWT_ISSUER (default "oficina"), JWT_AUDIENCE
 * (default "oficina-api"). Neither the secret nor any token is ever written anywhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/oficina-authorizer/authorizer.h"
#include "cmd/oficina-authorizer/runtime.h"
#include "domain/errors.h"
#include "infrastructure/auth/jwt_token.h"

#define DEFAULT_ISSUER   "oficina"
#define DEFAULT_AUDIENCE "oficina-api"
#define EXIT_BAD_INPUT   2

/* The value of an environment variable, or fallback when it is unset or empty. */
static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : fallback;
}

/* Fills *cfg from the environment. NULL, or a one-line message naming the bad variable. */
static const char *config_from_env(struct jwt_config *cfg)
{
	const char *secret = getenv("JWT_SECRET");
	const char *issuer = env_or("JWT_ISSUER", DEFAULT_ISSUER);
	const char *audience = env_or("JWT_AUDIENCE", DEFAULT_AUDIENCE);
	size_t n;

	if (secret == NULL || secret[0] == '\0')
		return "JWT_SECRET is required";
	n = strlen(secret);
	if (n < JWT_SECRET_MIN || n > JWT_SECRET_MAX)
		return "JWT_SECRET must hold 32 to 256 bytes";
	if (strlen(issuer) >= sizeof(cfg->issuer))
		return "JWT_ISSUER is too long (at most 127 bytes)";
	if (strlen(audience) >= sizeof(cfg->audience))
		return "JWT_AUDIENCE is too long (at most 127 bytes)";
	/* The lifetime is only used to issue tokens, which the authorizer never does. */
	if (jwt_config_init(cfg, secret, issuer, audience, 3600) != 0)
		return "JWT_ISSUER or JWT_AUDIENCE holds control characters";
	return NULL;
}

/* Reads all of stdin (at most AUTHORIZER_EVENT_MAX bytes) into *buf (malloc'd). */
static const char *read_stdin(char **buf, size_t *len)
{
	size_t cap = 64 * 1024, n = 0, got;
	char *p = malloc(cap), *q;

	*buf = NULL;
	*len = 0;
	if (p == NULL)
		return "out of memory";
	for (;;) {
		if (n == cap) {
			if (cap > AUTHORIZER_EVENT_MAX) {
				free(p);
				return "the event is larger than 6 MiB";
			}
			q = realloc(p, cap * 2);
			if (q == NULL) {
				free(p);
				return "out of memory";
			}
			p = q;
			cap *= 2;
		}
		got = fread(p + n, 1, cap - n, stdin);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(stdin)) {
		free(p);
		return "cannot read stdin";
	}
	if (n > AUTHORIZER_EVENT_MAX) {
		free(p);
		return "the event is larger than 6 MiB";
	}
	*buf = p;
	*len = n;
	return NULL;
}

static int run_cli(const struct jwt_config *cfg)
{
	struct authorizer_decision d;
	char *event = NULL, *answer = NULL, *log = NULL;
	const char *why;
	size_t len;
	int rc = EXIT_BAD_INPUT;
	long now = (long)time(NULL);

	why = read_stdin(&event, &len);
	if (why != NULL)
		goto out;
	if (authorizer_answer(cfg, event, len, now, &answer, &d, &why) != 0)
		goto out;
	log = authorizer_log_line(&d, NULL, now);
	if (log)
		fprintf(stderr, "%s\n", log);
	if (puts(answer) == EOF || fflush(stdout) != 0) {
		why = "cannot write stdout";
		rc = 1;
		goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "oficina-authorizer: %s\n", why);
	free(log);
	free(answer);
	free(event);
	return rc;
}

int main(void)
{
	struct jwt_config cfg;
	const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
	const char *bad;
	int rc;

	bad = config_from_env(&cfg);
	if (bad != NULL) {
		fprintf(stderr, "oficina-authorizer: %s\n", bad);
		if (api != NULL && api[0] != '\0')
			runtime_report_init_error(api, bad);
		jwt_config_cleanup(&cfg);
		return EXIT_BAD_INPUT;
	}
	if (api != NULL && api[0] != '\0')
		rc = runtime_run(api, &cfg);
	else
		rc = run_cli(&cfg);
	jwt_config_cleanup(&cfg);
	return rc;
}

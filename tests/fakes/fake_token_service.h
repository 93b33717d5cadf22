/*
 * A token service for unit tests (tests/fakes): readable tokens instead of signed JWTs.
 * issue(sub, perfil) gives "tok:<sub>:<perfil>"; verify accepts exactly that form (sub and perfil
 * non-empty, without ':') and answers APP_EUNAUTHORIZED for anything else.
 */
#ifndef OFICINA_TESTS_FAKES_FAKE_TOKEN_SERVICE_H
#define OFICINA_TESTS_FAKES_FAKE_TOKEN_SERVICE_H

#include <time.h>

#include "application/ports/token_service.h"
#include "tests/fakes/fake_fault.h"

#define FAKE_TOKEN_TTL 3600 /* expires_in of issued tokens, seconds */

struct fake_token_service {
	time_t (*agora)(void);   /* clock for iat and exp */
	long ttl;                /* lifetime of issued tokens, seconds */
	struct fake_fault fault; /* arms a failing issue or verify */
	long issued;             /* calls of issue */
	long verified;           /* calls of verify */
};

/* ttl FAKE_TOKEN_TTL, counters at zero, times from agora. Nothing to release. */
void fake_token_service_init(struct fake_token_service *t, time_t (*agora)(void));

/* Points port at t; t must outlive the port. */
void fake_token_service_port(struct fake_token_service *t, struct token_service *port);

#endif

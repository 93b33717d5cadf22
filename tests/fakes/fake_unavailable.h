/*
 * The ports that have no in-memory version (tests/fakes): the idempotency store, the reports and
 * the webhook's signature. Every call answers APP_EUNAVAILABLE (the signature: never valid), so a
 * unit test that reaches one sees a clear failure instead of a NULL dereference; their behaviour
 * is tested against PostgreSQL (tests/integration) and end to end.
 */
#ifndef OFICINA_TESTS_FAKES_FAKE_UNAVAILABLE_H
#define OFICINA_TESTS_FAKES_FAKE_UNAVAILABLE_H

#include "application/app.h"

/* Points app->idempotencia, app->relatorios and app->webhook at the unavailable adapters. */
void fake_unavailable_ports(struct app *app);

#endif

/*
 * The ports that have no in-memory version (tests/fakes): the idempotency store, the reports, the
 * webhook's signature and the budget links. Every call answers APP_EUNAVAILABLE (the signature:
 * never valid; a link: LINK_DESATIVADO, as without ORCAMENTO_LINK_SECRET), so a unit test that
 * reaches one sees a clear failure instead of a NULL dereference; their behaviour is tested
 * against PostgreSQL (tests/integration), by their own unit tests and end to end.
 */
#ifndef OFICINA_TESTS_FAKES_FAKE_UNAVAILABLE_H
#define OFICINA_TESTS_FAKES_FAKE_UNAVAILABLE_H

#include "application/app.h"

/*
 * Points app->idempotencia, app->relatorios, app->webhook and app->orcamento_link at the
 * unavailable adapters.
 */
void fake_unavailable_ports(struct app *app);

#endif

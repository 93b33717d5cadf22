/*
 * Unit tests of which endpoints honour Idempotency-Key: the route the router finds for a method
 * and path, and that route's idempotent field in the route table (presentation layer; cmocka).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "presentation/http/router.h"

#define U "0b1e4c1a-7d2f-4a8e-9c3b-5e6f7a8b9c0d"

/* Whether method path reaches a route that honours Idempotency-Key. */
static bool idempotency_applies(const char *method, const char *path)
{
	static struct request req; /* the router writes the path's ids into it */
	const struct route *r;
	char allow[96];

	if (!method || !path)
		return false;
	memset(&req, 0, sizeof req);
	return router_match(method, path, &req, &r, allow, sizeof allow) == ROUTER_FOUND &&
	       r->idempotent;
}

static void test_idempotency_applies__endpoints_da_spec__sim(void **state)
{
	static const char *const sim[] = {
	    "/api/clientes",
	    "/api/ordens",
	    "/api/pecas/" U "/movimentos",
	    "/api/ordens/" U "/diagnostico",
	    "/api/ordens/" U "/orcamento",
	    "/api/ordens/" U "/aprovacao",
	    "/api/ordens/" U "/reprovacao",
	    "/api/ordens/" U "/finalizacao",
	    "/api/ordens/" U "/entrega",
	    "/api/ordens/" U "/cancelamento",
	    "/api/ordens/" U "/servicos",
	    "/api/ordens/" U "/pecas",
	};
	(void)state;
	for (size_t i = 0; i < sizeof sim / sizeof sim[0]; i++)
		if (!idempotency_applies("POST", sim[i]))
			fail_msg("POST %s should honour Idempotency-Key", sim[i]);
	assert_true(idempotency_applies("PATCH", "/api/ordens/" U "/status"));
}

static void test_idempotency_applies__outros__nao(void **state)
{
	static const struct {
		const char *method, *path;
	} nao[] = {
	    {"GET", "/api/clientes"},
	    {"PUT", "/api/clientes"},
	    {"POST", "/api/clientes/"},
	    {"POST", "/api/clientes/" U},
	    {"POST", "/api/veiculos"},
	    {"POST", "/api/usuarios"},
	    {"POST", "/api/auth/login"},
	    {"POST", "/api/auth/cpf"},
	    {"POST", "/api/webhooks/orcamento"},
	    {"POST", "/api/pecas"},
	    {"POST", "/api/pecas//movimentos"},
	    {"POST", "/api/pecas/" U "/movimentos/x"},
	    {"POST", "/api/ordens/" U},
	    {"POST", "/api/ordens/" U "/status"},
	    {"PATCH", "/api/ordens/" U "/entrega"},
	    {"DELETE", "/api/ordens/" U "/pecas"},
	    {"DELETE", "/api/ordens/" U "/pecas/" U},
	    {"POST", "/api/ordens/a/b/entrega"},
	    /* No route: an identifier that is not a UUID is a 404 before any handler runs. */
	    {"POST", "/api/ordens/nao-e-uuid/entrega"},
	    {"POST", "/api/ordensx"},
	    {"POST", ""},
	};
	(void)state;
	for (size_t i = 0; i < sizeof nao / sizeof nao[0]; i++)
		if (idempotency_applies(nao[i].method, nao[i].path))
			fail_msg("%s %s should not honour Idempotency-Key", nao[i].method,
			         nao[i].path);
	assert_false(idempotency_applies(NULL, "/api/clientes"));
	assert_false(idempotency_applies("POST", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_idempotency_applies__endpoints_da_spec__sim),
	    cmocka_unit_test(test_idempotency_applies__outros__nao),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * A struct app wired with the in-memory adapters and fakes (tests/fakes): what cmd/ does with the
 * PostgreSQL adapters, for the application layer's unit tests. One struct mem_transaction covers
 * every store (customers, vehicles, users, the catalogue and stock, orders, the outbox); the ports
 * with no in-memory version fail every call (fake_unavailable.h); the clock is pinned at
 * FAKE_CLOCK_PADRAO (2026-11-23T12:00:00Z); customers log in with CPF and plate, with the
 * default lockout (CLIENTE_LOGIN_*_PADRAO). Tests reach each fake through its member to arm faults
 * and read counters.
 */
#ifndef OFICINA_TESTS_FAKES_FAKE_APP_H
#define OFICINA_TESTS_FAKES_FAKE_APP_H

#include "application/app.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_password_hasher.h"
#include "tests/fakes/fake_token_service.h"
#include "tests/fakes/mem_catalogo.h"
#include "tests/fakes/mem_cliente_repo.h"
#include "tests/fakes/mem_event_outbox.h"
#include "tests/fakes/mem_login_tentativas.h"
#include "tests/fakes/mem_ordem_repo.h"
#include "tests/fakes/mem_transaction.h"
#include "tests/fakes/mem_usuario_repo.h"
#include "tests/fakes/mem_veiculo_repo.h"

struct fake_app {
	struct app app;                               /* what handlers are given */
	struct mem_transaction tx;                    /* one unit of work over the stores below */
	struct mem_cliente_repo clientes;             /* customers */
	struct mem_veiculo_repo veiculos;             /* vehicles, foreign key to clientes */
	struct mem_usuario_repo usuarios;             /* staff users */
	struct mem_event_outbox eventos;              /* recorded events */
	struct mem_catalogo catalogo;                 /* services, parts and the stock ledger */
	struct mem_ordem_repo ordens;                 /* service orders and their read model */
	struct fake_password_hasher senhas;           /* "fake$" + senha */
	struct fake_token_service tokens;             /* "tok:<sub>:<role>" */
	struct mem_login_tentativas login_tentativas; /* customers' login attempts per CPF */
};

/*
 * Builds f->app from empty stores and pins the clock at FAKE_CLOCK_PADRAO. f must not move
 * while f->app is in use (the ports point into it). Release with fake_app_cleanup.
 */
void fake_app_init(struct fake_app *f);

/* Frees every store. Accepts NULL. */
void fake_app_cleanup(struct fake_app *f);

/*
 * A cmocka fixture of one fake_app per test: *state gets a new one, built by fake_app_init
 * (setup: 0, or -1 without memory); teardown releases it.
 */
int fake_app_setup(void **state);
int fake_app_teardown(void **state);

#endif

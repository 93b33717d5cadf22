/* Per-worker wiring of the PostgreSQL adapters into struct app (cmd layer). */
#include "cmd/oficina/worker.h"

#include <pthread.h>
#include <stdlib.h>

#include "domain/heap.h"
#include "infrastructure/postgres/pg_repos.h"

struct worker {
	struct pg_session session;      /* this thread's connection */
	struct app app;                 /* adapters over session */
	struct pg_session read_session; /* its connection to the replica, when there is one */
	struct app read_app;            /* adapters over read_session */
};

static struct worker_settings shared;
static pthread_key_t worker_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void worker_free(void *p)
{
	struct worker *w = p;
	if (!w)
		return;
	pg_session_cleanup(&w->session);
	pg_session_cleanup(&w->read_session);
	heap_free(w);
}

static void make_key(void)
{
	pthread_key_create(&worker_key, worker_free);
}

static time_t clock_now(void)
{
	return time(NULL);
}

void workers_configure(const struct worker_settings *settings)
{
	pthread_once(&key_once, make_key);
	shared = *settings;
}

/* The PostgreSQL adapters over session, with what every worker shares. */
static void wire(struct app *app, struct pg_session *session)
{
	pg_transaction_init(&app->tx, session);
	pg_cliente_repo_init(&app->clientes, session);
	pg_veiculo_repo_init(&app->veiculos, session);
	pg_usuario_repo_init(&app->usuarios, session);
	pg_event_outbox_init(&app->eventos, session);
	pg_servico_repo_init(&app->servicos, session);
	pg_peca_repo_init(&app->pecas, session);
	pg_estoque_repo_init(&app->estoque, session);
	pg_ordem_repo_init(&app->ordens, session);
	pg_ordem_consultas_init(&app->ordens_leitura, session);
	app->webhook = shared.webhook;
	app->orcamento_link = shared.orcamento_link;
	pg_idempotency_store_init(&app->idempotencia, session);
	pg_relatorios_init(&app->relatorios, session);
	pg_login_tentativas_init(&app->login_tentativas, session);
	app->cliente_login = shared.cliente_login;
	app->senhas = shared.senhas;
	app->tokens = shared.tokens;
	app->agora = clock_now;
}

const struct app *worker_app(void)
{
	struct worker *w = pthread_getspecific(worker_key);
	if (w)
		return &w->app;
	if (!(w = heap_calloc(1, sizeof *w)))
		return NULL;
	pg_session_init(&w->session, shared.pg);
	wire(&w->app, &w->session);
	/*
	 * The replica's session connects on its first query: password workers never make one, and
	 * a worker that never serves a query costs the replica no connection.
	 */
	pg_session_init(&w->read_session, shared.replica ? shared.replica : shared.pg);
	wire(&w->read_app, &w->read_session);
	if (pthread_setspecific(worker_key, w) != 0) {
		worker_free(w);
		return NULL;
	}
	return &w->app;
}

const struct app *worker_app_connected(void)
{
	const struct app *app = worker_app();
	struct worker *w = pthread_getspecific(worker_key);

	/* A failure is fine: the session connects again on first use (through the breaker). */
	if (w)
		(void)pg_session_ping(&w->session, WORKER_CONNECT_TIMEOUT_MS);
	return app;
}

const struct app *worker_app_for_queries(void)
{
	struct worker *w;

	if (!shared.replica || !shared.replica_usable() || !worker_app())
		return NULL;
	w = pthread_getspecific(worker_key);
	return &w->read_app;
}

void worker_release(void)
{
	struct worker *w = pthread_getspecific(worker_key);
	pthread_setspecific(worker_key, NULL);
	worker_free(w);
}

/* Per-worker wiring of the PostgreSQL adapters into struct app (cmd layer). */
#include "cmd/oficina/worker.h"

#include <pthread.h>
#include <stdlib.h>

#include "infrastructure/postgres/pg_repos.h"

struct worker {
	struct pg_session session; /* this thread's connection */
	struct app app;            /* adapters over session */
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
	free(w);
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

const struct app *worker_app(void)
{
	struct worker *w = pthread_getspecific(worker_key);
	if (w)
		return &w->app;
	if (!(w = calloc(1, sizeof *w)))
		return NULL;
	pg_session_init(&w->session, shared.pg);
	pg_transaction_init(&w->app.tx, &w->session);
	pg_cliente_repo_init(&w->app.clientes, &w->session);
	pg_veiculo_repo_init(&w->app.veiculos, &w->session);
	pg_usuario_repo_init(&w->app.usuarios, &w->session);
	pg_event_outbox_init(&w->app.eventos, &w->session);
	pg_servico_repo_init(&w->app.servicos, &w->session);
	pg_peca_repo_init(&w->app.pecas, &w->session);
	pg_estoque_repo_init(&w->app.estoque, &w->session);
	pg_ordem_repo_init(&w->app.ordens, &w->session);
	pg_ordem_consultas_init(&w->app.ordens_leitura, &w->session);
	w->app.webhook = shared.webhook;
	pg_idempotency_store_init(&w->app.idempotencia, &w->session);
	pg_relatorios_init(&w->app.relatorios, &w->session);
	w->app.senhas = shared.senhas;
	w->app.tokens = shared.tokens;
	w->app.agora = clock_now;
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

void worker_release(void)
{
	struct worker *w = pthread_getspecific(worker_key);
	pthread_setspecific(worker_key, NULL);
	worker_free(w);
}

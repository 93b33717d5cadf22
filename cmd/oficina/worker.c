/* Per-thread wiring of the PostgreSQL adapters into struct app (cmd layer). */
#include "cmd/oficina/worker.h"

#include <pthread.h>
#include <stdlib.h>

#include "infrastructure/postgres/pg_repos.h"

struct worker {
	struct pg_session session; /* this thread's connection */
	struct app app;            /* adapters over session */
};

static const struct pg_config *shared_pg;
static struct token_service shared_tokens;
static struct password_hasher shared_senhas;
static struct assinatura shared_webhook; /* @ordens: read-only, shared */
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

void workers_configure(const struct pg_config *pg, const struct token_service *tokens,
                       const struct password_hasher *senhas)
{
	pthread_once(&key_once, make_key);
	shared_pg = pg;
	shared_tokens = *tokens;
	shared_senhas = *senhas;
}

/* @ordens */
void workers_configure_webhook(const struct assinatura *webhook)
{
	shared_webhook = *webhook;
}

const struct app *worker_app(void)
{
	struct worker *w = pthread_getspecific(worker_key);
	if (w)
		return &w->app;
	if (!(w = calloc(1, sizeof *w)))
		return NULL;
	pg_session_init(&w->session, shared_pg);
	pg_transaction_init(&w->app.tx, &w->session);
	pg_cliente_repo_init(&w->app.clientes, &w->session);
	pg_veiculo_repo_init(&w->app.veiculos, &w->session);
	pg_usuario_repo_init(&w->app.usuarios, &w->session);
	pg_event_outbox_init(&w->app.eventos, &w->session);
	pg_health_probe_init(&w->app.banco, &w->session);
	/* @catalogo-estoque: adapters of the catalogue and the stock ledger */
	pg_servico_repo_init(&w->app.servicos, &w->session);
	pg_peca_repo_init(&w->app.pecas, &w->session);
	pg_estoque_repo_init(&w->app.estoque, &w->session);
	/* @ordens: adapters of the service orders */
	pg_ordem_repo_init(&w->app.ordens, &w->session);
	pg_ordem_consultas_init(&w->app.ordens_leitura, &w->session);
	w->app.webhook = shared_webhook;
	/* @acesso: adapters of customer access, idempotency and reports */
	pg_idempotency_store_init(&w->app.idempotencia, &w->session);
	pg_relatorios_init(&w->app.relatorios, &w->session);
	w->app.senhas = shared_senhas;
	w->app.tokens = shared_tokens;
	w->app.agora = clock_now;
	if (pthread_setspecific(worker_key, w) != 0) {
		worker_free(w);
		return NULL;
	}
	return &w->app;
}

void worker_release(void)
{
	struct worker *w = pthread_getspecific(worker_key);
	pthread_setspecific(worker_key, NULL);
	worker_free(w);
}

/*
 * `oficina relay` (cmd layer): moves the events of the outbox table to RabbitMQ. README "Events".
 *
 * One relay leads (pg_leader.h: an advisory lock), any other waits as a standby, so events are
 * published by one process in the order they were written. The leader reads the oldest
 * unpublished events, publishes each (persistent, message_id = the event's uuid), waits for the
 * broker's confirms, and only then marks them published: a crash in between publishes them again
 * (at least once), never loses one. The notifier drops the duplicates by message_id.
 *
 * The broker down: the batch stays unpublished; connection attempts go through a circuit breaker
 * with exponential back-off and jitter, and the backlog drains when it returns.
 */
#include "cmd/oficina/cli_relay.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#include "cmd/oficina/processo.h"
#include "domain/monotonic.h"
#include "infrastructure/amqp/amqp_client.h"
#include "infrastructure/amqp/topologia.h"
#include "infrastructure/log/log.h"
#include "infrastructure/resilience/circuit_breaker.h"
#include "infrastructure/postgres/pg_leader.h"
#include "infrastructure/postgres/pg_outbox_relay.h"
#include "infrastructure/telemetry/process_http.h"

#define LIDER_CHAVE         INT64_C(0x6f6669636e61) /* "oficna": the relay's advisory lock */
#define CANAL_NOVOS         "eventos_novos"         /* NOTIFY of the eventos trigger */
#define PRAZO_LOTE_MS       15000                   /* read, publish, confirm and mark one batch */
#define PRAZO_CONFIRMS_MS   10000
#define ESPERA_OCIOSO_MS    1000 /* idle: wake up this often anyway (heartbeats, leadership) */
#define BACKLOG_A_CADA_MS   2000
#define LIDERANCA_A_CADA_MS 5000

struct relay {
	const char *amqp_url;
	int lote;
	struct circuit_breaker broker; /* the broker's circuit breaker */
	struct pg_leader lider;
	struct pg_session db;
	struct amqp_client mq;
	/* Metrics (read by the HTTP thread). */
	atomic_int lidera;
	atomic_int broker_conectado;
	atomic_ulong publicados;
	atomic_ulong falhas;
	atomic_ulong duplicaveis; /* published but not marked: they will be published again */
	atomic_long pendentes;
	_Atomic double idade_s;
	_Atomic double atraso_s; /* write to confirmed, of the last batch's oldest event */
};

static void metricas(void *arg, struct strbuf *out)
{
	struct relay *r = arg;

	strbuf_metric_gauge(out, "oficina_relay_lider",
	                    "1 while this relay holds the leadership and publishes.",
	                    atomic_load(&r->lidera));
	strbuf_metric_gauge(out, "oficina_relay_broker_conectado", "1 while connected to RabbitMQ.",
	                    atomic_load(&r->broker_conectado));
	strbuf_metric_gauge(out, "oficina_relay_broker_breaker_estado",
	                    "Broker circuit breaker: 0 closed, 1 open, 2 half-open.",
	                    (double)circuit_breaker_state(&r->broker));
	strbuf_metric_counter(out, "oficina_relay_eventos_publicados_total",
	                      "Events confirmed by the broker and marked published.",
	                      (double)atomic_load(&r->publicados));
	strbuf_metric_counter(out, "oficina_relay_publicacoes_falhas_total",
	                      "Events whose publishing failed (retried).",
	                      (double)atomic_load(&r->falhas));
	strbuf_metric_counter(out, "oficina_relay_marcacoes_falhas_total",
	                      "Events confirmed but not marked published (published again later).",
	                      (double)atomic_load(&r->duplicaveis));
	strbuf_metric_gauge(out, "oficina_outbox_pendentes",
	                    "Unpublished events (read by the leader).",
	                    (double)atomic_load(&r->pendentes));
	strbuf_metric_gauge(out, "oficina_outbox_mais_antigo_seconds",
	                    "Age of the oldest unpublished event.", atomic_load(&r->idade_s));
	strbuf_metric_gauge(
	    out, "oficina_relay_atraso_seconds",
	    "From an event's write to its confirmation by the broker, for the oldest "
	    "event of the last batch.",
	    atomic_load(&r->atraso_s));
}

/* Ready: leading with the broker connected, or a standby (it is doing its job: waiting). */
static bool pronto(void *arg, const char **why)
{
	struct relay *r = arg;
	if (!atomic_load(&r->lidera)) {
		*why = "standby";
		return true;
	}
	*why = atomic_load(&r->broker_conectado) ? "publicando" : "broker_indisponivel";
	return atomic_load(&r->broker_conectado) != 0;
}

static const struct process_http_ops http_ops = {.metrics = metricas, .ready = pronto};

/* Connects to the broker when the breaker allows: 0 connected, -1 not now. */
static int conectar_broker(struct relay *r)
{
	if (amqp_client_is_open(&r->mq))
		return 0;
	if (!circuit_breaker_allow(&r->broker))
		return -1;
	/*
	 * The notifier's queues too, not only the exchange: an event published before its queue is
	 * bound would be routed nowhere, so neither process may depend on which starts first (a
	 * GitOps apply starts them together). The declarations are the same constants: idempotent.
	 */
	if (amqp_client_connect(&r->mq, r->amqp_url, 5000, true) != 0 ||
	    topologia_declarar_notificacoes(&r->mq) != 0) {
		log_msg(LOG_LEVEL_WARN, NULL, "relay: RabbitMQ indisponível: %s", r->mq.erro);
		amqp_client_close(&r->mq);
		circuit_breaker_failure(&r->broker);
		return -1;
	}
	circuit_breaker_success(&r->broker);
	atomic_store(&r->broker_conectado, 1);
	log_msg(LOG_LEVEL_INFO, NULL, "relay: conectado ao RabbitMQ");
	return 0;
}

static void broker_caiu(struct relay *r, size_t n)
{
	log_msg(LOG_LEVEL_WARN, NULL, "relay: publicação falhou (%zu eventos ficam pendentes): %s",
	        n, r->mq.erro);
	atomic_fetch_add(&r->falhas, n);
	atomic_store(&r->broker_conectado, 0);
	amqp_client_close(&r->mq);
	circuit_breaker_failure(&r->broker);
}

/* Publishes every event of the batch and waits for the broker's confirms: 0, or -1 (broker). */
static int publicar(struct relay *r, const struct outbox_lote *lote)
{
	for (size_t i = 0; i < lote->n; i++) {
		const struct evento_publicavel *e = &lote->itens[i];
		const struct amqp_propriedades p = {.message_id = e->uuid,
		                                    .correlation_id = e->correlation_id,
		                                    .type = e->tipo,
		                                    .timestamp = e->criado_em,
		                                    .tentativas = -1};
		if (amqp_client_publish(&r->mq, EXCHANGE_EVENTOS, e->tipo, &p, e->corpo,
		                        e->corpo_len) != 0)
			return -1;
	}
	return lote->n > 0 ? amqp_client_confirm(&r->mq, PRAZO_CONFIRMS_MS) : 0;
}

/* Publishes one batch: the number of events published (>= 0), or -1 on a failure. */
static int publicar_lote(struct relay *r)
{
	struct timespec prazo = monotonic_in_ms(PRAZO_LOTE_MS);
	struct outbox_lote lote;
	int rc, n = -1;

	pg_session_serve(&r->db, NULL, &prazo);
	if ((rc = pg_outbox_ler(&r->db, r->lote, &lote)) != 0) {
		log_msg(LOG_LEVEL_WARN, NULL, "relay: leitura do outbox falhou (%d)", rc);
	} else if (publicar(r, &lote) != 0) {
		broker_caiu(r, lote.n);
	} else if (lote.n == 0) {
		n = 0;
	} else {
		atomic_store(&r->atraso_s, (double)(time(NULL) - lote.itens[0].criado_em));
		if ((rc = pg_outbox_marcar(&r->db, &lote)) != 0) {
			/* Confirmed but not marked: published again by the next batch (at least
			 * once). */
			log_msg(
			    LOG_LEVEL_WARN, NULL,
			    "relay: %zu eventos publicados sem marcação (%d); serão republicados",
			    lote.n, rc);
			atomic_fetch_add(&r->duplicaveis, (unsigned long)lote.n);
		} else {
			atomic_fetch_add(&r->publicados, (unsigned long)lote.n);
			n = (int)lote.n;
		}
	}
	outbox_lote_cleanup(&lote); /* empty after a failed read */
	pg_session_serve(&r->db, NULL, NULL);
	return n;
}

static void medir_backlog(struct relay *r)
{
	struct timespec prazo = monotonic_in_ms(2000);
	long pendentes;
	double idade;

	pg_session_serve(&r->db, NULL, &prazo);
	if (pg_outbox_backlog(&r->db, &pendentes, &idade) == 0) {
		atomic_store(&r->pendentes, pendentes);
		atomic_store(&r->idade_s, idade);
	}
	pg_session_serve(&r->db, NULL, NULL);
}

/* The leader's work until it stops leading or the process stops. */
static void liderar(struct relay *r)
{
	struct timespec backlog_em = monotonic_now(),
	                lideranca_em = monotonic_in_ms(LIDERANCA_A_CADA_MS);
	unsigned falhas_db = 0;

	while (!processo_parando()) {
		if (monotonic_ms_until(&lideranca_em) <= 0) {
			if (pg_leader_check(&r->lider, 2000) != 0)
				break;
			lideranca_em = monotonic_in_ms(LIDERANCA_A_CADA_MS);
		}
		if (monotonic_ms_until(&backlog_em) <= 0) {
			medir_backlog(r);
			backlog_em = monotonic_in_ms(BACKLOG_A_CADA_MS);
		}
		if (conectar_broker(r) != 0) {
			/* The breaker is open or the attempt failed: keep the leadership, wait. */
			if (pg_leader_wait(&r->lider, 500) < 0)
				break;
			continue;
		}
		int n = publicar_lote(r);
		if (n < 0 && amqp_client_is_open(&r->mq)) {
			/* The database failed, not the broker. */
			processo_dormir_ms(processo_backoff_ms(++falhas_db, 200, 10000));
			continue;
		}
		falhas_db = 0;
		if (n == r->lote)
			continue; /* more waiting */
		if (amqp_client_is_open(&r->mq) && amqp_client_poll(&r->mq) != 0)
			broker_caiu(r, 0);
		if (pg_leader_wait(&r->lider, ESPERA_OCIOSO_MS) < 0)
			break;
	}
}

int cli_relay(void)
{
	static struct relay r; /* zero, and reachable from the HTTP thread */
	struct circuit_breaker db_breaker;
	bool ok = true;

	if (!processo_log())
		return 2;
	r.amqp_url = processo_amqp_url(&ok);
	r.lote = (int)processo_env_long("RELAY_LOTE", 200, 1, 2000, &ok);
	long porta = processo_env_long("METRICS_PORT", 9091, 0, 65535, &ok);
	const struct pg_config pgc = processo_pg_config("oficina-relay", 10000, &db_breaker, &ok);
	if (!ok)
		return 2;
	processo_sinais();
	processo_breaker_init(&db_breaker);
	processo_breaker_init(&r.broker);
	pg_session_init(&r.db, &pgc);
	pg_leader_init(&r.lider, pgc.url, "oficina-relay-lider", LIDER_CHAVE, CANAL_NOVOS);
	struct process_http *http;
	if (!processo_metricas("oficina relay", porta, &http_ops, &r, &http)) {
		pg_session_cleanup(&r.db);
		return 2;
	}
	log_msg(LOG_LEVEL_INFO, NULL, "relay: iniciado (lote %d, métricas na porta %ld)", r.lote,
	        porta);

	unsigned falhas = 0;
	while (!processo_parando()) {
		int lider = pg_leader_acquire(&r.lider, 5000);
		if (lider < 0) {
			log_msg(LOG_LEVEL_WARN, NULL, "relay: PostgreSQL indisponível: %s",
			        r.lider.erro);
			processo_dormir_ms(processo_backoff_ms(++falhas, 500, 10000));
			continue;
		}
		falhas = 0;
		if (lider == 0) {
			processo_dormir_ms(1000); /* standby: another relay leads */
			continue;
		}
		atomic_store(&r.lidera, 1);
		log_msg(LOG_LEVEL_INFO, NULL, "relay: liderando");
		liderar(&r);
		atomic_store(&r.lidera, 0);
		atomic_store(&r.broker_conectado, 0);
		amqp_client_close(&r.mq);
		if (!processo_parando())
			log_msg(LOG_LEVEL_WARN, NULL, "relay: liderança perdida: %s", r.lider.erro);
		pg_leader_release(&r.lider);
	}
	log_msg(LOG_LEVEL_INFO, NULL, "relay: parado");
	pg_leader_release(&r.lider);
	amqp_client_close(&r.mq);
	pg_session_cleanup(&r.db);
	process_http_stop(http);
	return 0;
}

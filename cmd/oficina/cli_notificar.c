/*
 * `oficina notificar` (cmd layer): consumes oficina.notificacoes and e-mails the customer.
 * README "Events".
 *
 * Each message is handled in one PostgreSQL transaction that first records its message_id
 * (pg_notificacoes.h): a message delivered twice — the relay publishes at least once — finds
 * it recorded and sends nothing. The e-mail goes out inside that transaction, and the message is
 * acknowledged after the commit. A crash after the send and before the commit sends that e-mail
 * again on redelivery: SMTP cannot join the transaction, and one e-mail too many is better than
 * one too few.
 *
 * A failure (SMTP down, database down) sends the message to the retry queue, whose expiry
 * brings it back after NOTIFICAR_ESPERA_MS; after NOTIFICAR_MAX_TENTATIVAS attempts it goes to
 * the dead-letter queue, where `oficina eventos` shows it and `oficina eventos reenviar` brings
 * it back after a fix. A message that can never succeed (not JSON, no valid message_id) goes to
 * the dead letters at once.
 *
 * One message at a time (prefetch 1): the republish to the retry queue waits for the broker's
 * confirm on the same channel, where no other delivery can then arrive. Throughput comes from
 * replicas (KEDA scales them on the queue's length).
 */
#include "cmd/oficina/cli_notificar.h"

#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/oficina/notificar_textos.h"
#include "cmd/oficina/processo.h"
#include "domain/errors.h"
#include "domain/heap.h"
#include "domain/monotonic.h"
#include "domain/uuid.h"
#include "infrastructure/amqp/amqp_client.h"
#include "infrastructure/amqp/topologia.h"
#include "infrastructure/auth/orcamento_link.h"
#include "infrastructure/config/config.h"
#include "infrastructure/email/email.h"
#include "infrastructure/log/log.h"
#include "infrastructure/resilience/circuit_breaker.h"
#include "infrastructure/postgres/pg_notificacoes.h"
#include "infrastructure/telemetry/process_http.h"

#define CONSUMIDOR      "notificador" /* its name in mensagens_processadas */
#define PRAZO_MENSAGEM  60000         /* one message: database, SMTP, commit */
#define SMTP_PRAZO_MS   20000
#define LINK_SECRET_DEV "oficina-desenvolvimento-orcamento-link-secreto"

struct notificador {
	const char *amqp_url, *smtp_url, *smtp_from, *mail_dir, *base_url;
	const char *link_secret;
	int link_horas, max_tentativas;
	long espera_ms;
	struct pg_session db;
	struct amqp_client mq;
	atomic_int conectado;
	atomic_ulong entregas, duplicadas, ignoradas, enviados, falhas_email, sem_email, retries,
	    dead_letters;
};

static void metricas(void *arg, struct strbuf *out)
{
	struct notificador *n = arg;

	strbuf_metric_gauge(out, "oficina_notificador_conectado",
	                    "1 while consuming from RabbitMQ.", atomic_load(&n->conectado));
	strbuf_metric_counter(out, "oficina_notificador_entregas_total",
	                      "Messages received (redeliveries included).",
	                      (double)atomic_load(&n->entregas));
	strbuf_metric_counter(out, "oficina_notificador_duplicadas_total",
	                      "Messages already handled (sent nothing).",
	                      (double)atomic_load(&n->duplicadas));
	strbuf_metric_counter(out, "oficina_notificador_ignoradas_total",
	                      "Events that call for no e-mail.",
	                      (double)atomic_load(&n->ignoradas));
	strbuf_metric_counter(out, "oficina_notificador_emails_enviados_total",
	                      "E-mails sent (or written as .eml).",
	                      (double)atomic_load(&n->enviados));
	strbuf_metric_counter(out, "oficina_notificador_emails_falhas_total",
	                      "E-mails that failed (retried).",
	                      (double)atomic_load(&n->falhas_email));
	strbuf_metric_counter(out, "oficina_notificador_sem_email_total",
	                      "Notifications skipped: the customer has no e-mail.",
	                      (double)atomic_load(&n->sem_email));
	strbuf_metric_counter(out, "oficina_notificador_retries_total",
	                      "Messages sent to the retry queue.",
	                      (double)atomic_load(&n->retries));
	strbuf_metric_counter(out, "oficina_notificador_dead_letters_total",
	                      "Messages sent to the dead-letter queue.",
	                      (double)atomic_load(&n->dead_letters));
}

static bool pronto(void *arg, const char **why)
{
	struct notificador *n = arg;
	*why = atomic_load(&n->conectado) ? "consumindo" : "broker_indisponivel";
	return atomic_load(&n->conectado) != 0;
}

static const struct process_http_ops http_ops = {.metrics = metricas, .ready = pronto};

/* The outcome of one message. */
enum desfecho {
	FEITO = 0,      /* handled (sent, skipped or a duplicate): acknowledge */
	TENTAR_DE_NOVO, /* a transient failure: retry queue */
	SEM_CONSERTO,   /* can never succeed: dead letters */
};

/* The links' origin: at most this long, so that every link fits enviar's buffer whole. */
#define BASE_URL_MAX 256
#define LINK_MAX     512
_Static_assert(BASE_URL_MAX + sizeof "/orcamentos/" + ORCAMENTO_LINK_TOKEN_MAX <= LINK_MAX,
               "a link of the longest base URL fits");

/*
 * PUBLIC_BASE_URL as the links need it: http:// or https://, without the trailing slash that
 * would make ".../orcamentos" a "//orcamentos" no route matches, short enough for the link.
 */
static bool base_url_valida(const char *url)
{
	size_t n = strlen(url);

	return (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0) &&
	       n <= BASE_URL_MAX && url[n - 1] != '/' && !strpbrk(url, " \t\r\n");
}

/* Builds and sends (or writes) the e-mail; 0 or -1 with the reason in erro. */
static int enviar(struct notificador *n, enum notificacao tipo, const char *message_id,
                  const char *ordem, const char *numero, PGresult *r, char *erro, size_t nerro)
{
	char link[LINK_MAX] = "", token[ORCAMENTO_LINK_TOKEN_MAX], caminho[1024];
	char *assunto = NULL, *texto = NULL, *mensagem = NULL;
	json_t *itens = json_loads(PQgetvalue(r, 0, NOTIF_COL_ITENS), 0, NULL);
	struct uuid id;
	int rc = -1;

	if (tipo == NOTIFICACAO_ORCAMENTO && uuid_parse(ordem, &id) == 0) {
		orcamento_link_assinar(n->link_secret, strlen(n->link_secret), &id,
		                       (int64_t)time(NULL) + (int64_t)n->link_horas * 3600, token);
		snprintf(link, sizeof link, "%s/orcamentos/%s", n->base_url, token);
	}
	const struct notificacao_conteudo c = {
	    .nome = PQgetvalue(r, 0, NOTIF_COL_NOME),
	    .numero = numero,
	    .veiculo = PQgetvalue(r, 0, NOTIF_COL_VEICULO),
	    .itens = itens,
	    .total_centavos = strtoll(PQgetvalue(r, 0, NOTIF_COL_TOTAL_CENTAVOS), NULL, 10),
	    .link = link,
	    .link_horas = n->link_horas,
	};
	if (notificacao_compor(tipo, &c, &assunto, &texto) != 0) {
		snprintf(erro, nerro, "sem memória");
		goto fim;
	}
	const struct email e = {.de = n->smtp_from,
	                        .para = PQgetvalue(r, 0, NOTIF_COL_EMAIL),
	                        .para_nome = c.nome,
	                        .assunto = assunto,
	                        .texto = texto,
	                        .message_id = message_id};
	if (!(mensagem = email_mensagem(&e, time(NULL)))) {
		snprintf(erro, nerro, "e-mail inválido (endereço ou assunto)");
		goto fim;
	}
	if (n->smtp_url) {
		rc = email_enviar_smtp(n->smtp_url, &e, mensagem, SMTP_PRAZO_MS, erro, nerro);
	} else if ((rc = email_gravar_eml(n->mail_dir, &e, mensagem, caminho, sizeof caminho)) ==
	           0) {
		log_msg(LOG_LEVEL_INFO, NULL, "notificador: e-mail gravado em %s", caminho);
	} else {
		snprintf(erro, nerro, "não foi possível gravar em %s", n->mail_dir);
	}
fim:
	json_decref(itens);
	heap_free(assunto);
	heap_free(texto);
	heap_free(mensagem);
	return rc;
}

/* Handles one event in one transaction (see the top of the file). */
static enum desfecho tratar(struct notificador *n, const struct amqp_entrega *m, char *erro,
                            size_t nerro)
{
	json_error_t jerr;
	json_t *corpo = json_loads(m->body, 0, &jerr);
	json_t *dados = json_object_get(corpo, "dados");
	const char *tipo = json_string_value(json_object_get(corpo, "tipo"));
	struct timespec prazo = monotonic_in_ms(PRAZO_MENSAGEM);
	enum desfecho d = TENTAR_DE_NOVO;
	struct uuid mid;
	PGresult *r = NULL;
	bool nova = false;
	int rc;

	if (!corpo || !tipo || !json_is_object(dados) || uuid_parse(m->message_id, &mid) != 0) {
		snprintf(erro, nerro, "mensagem malformada (JSON, tipo, dados ou message_id)");
		json_decref(corpo);
		return SEM_CONSERTO;
	}
	enum notificacao qual = notificacao_do_evento(tipo, dados);
	if (qual == NOTIFICACAO_NENHUMA) {
		atomic_fetch_add(&n->ignoradas, 1);
		json_decref(corpo);
		return FEITO;
	}
	const char *ordem = json_string_value(json_object_get(dados, "uuid"));
	const char *numero = json_string_value(json_object_get(dados, "numero"));
	if (!ordem || !numero) {
		snprintf(erro, nerro, "evento sem uuid ou numero da ordem");
		json_decref(corpo);
		return SEM_CONSERTO;
	}
	pg_session_serve(&n->db, m->correlation_id, &prazo);
	if ((rc = pg_session_begin(&n->db)) == 0)
		rc = pg_notificacao_registrar(&n->db, CONSUMIDOR, mid.str, &nova);
	if (rc == 0 && !nova) {
		atomic_fetch_add(&n->duplicadas, 1);
		d = FEITO;
	} else if (rc == 0 && (rc = pg_notificacao_dados(&n->db, ordem, &r)) == APP_ENOTFOUND) {
		snprintf(erro, nerro, "ordem %s inexistente", ordem);
		d = SEM_CONSERTO;
	} else if (rc == 0 && PQgetvalue(r, 0, NOTIF_COL_EMAIL)[0] == '\0') {
		atomic_fetch_add(&n->sem_email, 1);
		rc = pg_notificacao_resultado(&n->db, CONSUMIDOR, mid.str, "sem_email");
		d = rc == 0 ? FEITO : TENTAR_DE_NOVO;
	} else if (rc == 0) {
		if (enviar(n, qual, mid.str, ordem, numero, r, erro, nerro) != 0) {
			atomic_fetch_add(&n->falhas_email, 1);
			rc = -1;
		} else {
			atomic_fetch_add(&n->enviados, 1);
			rc = pg_notificacao_resultado(&n->db, CONSUMIDOR, mid.str, "enviado");
			d = rc == 0 ? FEITO : TENTAR_DE_NOVO;
		}
	}
	if (rc != 0 && !erro[0])
		snprintf(erro, nerro, "PostgreSQL: erro %d", rc);
	if (d == FEITO && pg_session_commit(&n->db) != 0) {
		snprintf(erro, nerro, "PostgreSQL: commit falhou");
		d = TENTAR_DE_NOVO;
	} else if (d != FEITO) {
		pg_session_rollback(&n->db);
	}
	pg_session_serve(&n->db, NULL, NULL);
	PQclear(r);
	json_decref(corpo);
	return d;
}

/* Sends m to the retry queue or the dead letters, then acknowledges it. 0 or -1 (broker). */
static int desviar(struct notificador *n, const struct amqp_entrega *m, enum desfecho d,
                   const char *erro)
{
	int tentativas = m->tentativas + 1;
	bool morta = d == SEM_CONSERTO || tentativas >= n->max_tentativas;
	char espera[24];

	snprintf(espera, sizeof espera, "%ld", n->espera_ms);
	const struct amqp_propriedades p = {.message_id = m->message_id,
	                                    .correlation_id = m->correlation_id,
	                                    .type = m->type[0] ? m->type : m->routing_key,
	                                    .timestamp = m->timestamp,
	                                    .tentativas = tentativas,
	                                    .motivo = erro,
	                                    .expiration = morta ? NULL : espera};
	log_msg(morta ? LOG_LEVEL_ERROR : LOG_LEVEL_WARN, m->correlation_id,
	        "notificador: mensagem %s (%s) falhou na tentativa %d: %s; %s", m->message_id,
	        p.type, tentativas, erro,
	        morta ? "vai para " FILA_NOTIFICACOES_DLQ : "nova tentativa adiante");
	if (amqp_client_publish(&n->mq, "", morta ? FILA_NOTIFICACOES_DLQ : FILA_NOTIFICACOES_RETRY,
	                        &p, m->body, m->len) != 0 ||
	    amqp_client_confirm(&n->mq, 10000) != 0)
		return -1;
	atomic_fetch_add(morta ? &n->dead_letters : &n->retries, 1);
	return amqp_client_ack(&n->mq, m->tag);
}

static int conectar(struct notificador *n)
{
	if (amqp_client_connect(&n->mq, n->amqp_url, 5000, true) != 0 ||
	    topologia_declarar_notificacoes(&n->mq) != 0 ||
	    amqp_client_consume(&n->mq, FILA_NOTIFICACOES, 1) != 0) {
		log_msg(LOG_LEVEL_WARN, NULL, "notificador: RabbitMQ indisponível: %s", n->mq.erro);
		amqp_client_close(&n->mq);
		return -1;
	}
	atomic_store(&n->conectado, 1);
	log_msg(LOG_LEVEL_INFO, NULL, "notificador: consumindo " FILA_NOTIFICACOES);
	return 0;
}

static bool configurar(struct notificador *n)
{
	bool ok = true;
	bool dev = strcmp(processo_env("APP_ENV", "production"), "development") == 0;

	n->amqp_url = processo_amqp_url(&ok);
	n->smtp_url = processo_env("SMTP_URL", NULL);
	n->smtp_from = processo_env("SMTP_FROM", "Oficina <oficina@localhost>");
	n->mail_dir = processo_env("MAIL_DIR", ".data/mail");
	n->base_url = processo_env("PUBLIC_BASE_URL", dev ? "http://127.0.0.1:8080" : NULL);
	n->link_secret =
	    processo_env("ORCAMENTO_LINK_SECRET", dev ? CONFIG_ORCAMENTO_LINK_SECRET_DEV : NULL);
	n->link_horas = (int)processo_env_long("ORCAMENTO_LINK_TTL_HOURS", 72, 1, 720, &ok);
	n->max_tentativas = (int)processo_env_long("NOTIFICAR_MAX_TENTATIVAS", 5, 1, 100, &ok);
	n->espera_ms = processo_env_long("NOTIFICAR_ESPERA_MS", 10000, 10, 3600000, &ok);
	/* Without it every budget e-mail would carry a link to the notifier's own localhost. */
	if (!n->base_url) {
		fprintf(stderr, "PUBLIC_BASE_URL is required (the API's public https URL, for the "
		                "links in the e-mails) when APP_ENV is not development\n");
		ok = false;
	} else if (!base_url_valida(n->base_url)) {
		fprintf(stderr,
		        "PUBLIC_BASE_URL must be an http:// or https:// URL without a trailing "
		        "slash, at most %d bytes\n",
		        BASE_URL_MAX);
		ok = false;
	}
	if (!n->link_secret || strlen(n->link_secret) < ORCAMENTO_LINK_SECRET_MIN) {
		fprintf(stderr,
		        "ORCAMENTO_LINK_SECRET is required (at least 32 bytes) when APP_ENV is "
		        "not development\n");
		ok = false;
	}
	char endereco[320];
	if (email_endereco(n->smtp_from, endereco, sizeof endereco) != 0) {
		fprintf(stderr, "SMTP_FROM must be an address or \"Name <address>\"\n");
		ok = false;
	}
	if (n->smtp_url && !email_smtp_url_valida(n->smtp_url)) {
		fprintf(stderr,
		        "SMTP_URL must be an smtp:// or smtps:// URL (value not shown: it may "
		        "hold a password)\n");
		ok = false;
	}
	if (!n->smtp_url && !dev) {
		fprintf(stderr, "SMTP_URL is required when APP_ENV is not development\n");
		ok = false;
	}
	return ok;
}

int cli_notificar(void)
{
	static struct notificador n; /* zero, and reachable from the HTTP thread */
	struct circuit_breaker db_breaker;
	bool ok = true;

	if (!processo_log() || !configurar(&n))
		return 2;
	long porta = processo_env_long("METRICS_PORT", 9092, 0, 65535, &ok);
	const struct pg_config pgc =
	    processo_pg_config("oficina-notificador", 10000, &db_breaker, &ok);
	if (!ok)
		return 2;
	processo_sinais();
	processo_breaker_init(&db_breaker);
	pg_session_init(&n.db, &pgc);
	struct process_http *http;
	if (!processo_metricas("oficina notificar", porta, &http_ops, &n, &http)) {
		pg_session_cleanup(&n.db);
		return 2;
	}
	log_msg(LOG_LEVEL_INFO, NULL, "notificador: iniciado (%s)",
	        n.smtp_url ? "SMTP" : "e-mails gravados em MAIL_DIR");

	unsigned falhas = 0;
	while (!processo_parando()) {
		struct amqp_entrega m;
		char erro[AMQP_ERRO_MAX] = "";

		if (!amqp_client_is_open(&n.mq) && conectar(&n) != 0) {
			processo_dormir_ms(processo_backoff_ms(++falhas, 500, 30000));
			continue;
		}
		falhas = 0;
		int got = amqp_client_next(&n.mq, 1000, &m);
		if (got == 0)
			continue;
		if (got < 0) {
			log_msg(LOG_LEVEL_WARN, NULL, "notificador: conexão perdida: %s",
			        n.mq.erro);
			atomic_store(&n.conectado, 0);
			continue;
		}
		atomic_fetch_add(&n.entregas, 1);
		enum desfecho d = tratar(&n, &m, erro, sizeof erro);
		int rc = d == FEITO ? amqp_client_ack(&n.mq, m.tag) : desviar(&n, &m, d, erro);
		if (rc != 0) {
			/* Unacknowledged: the broker delivers it again once the connection is back.
			 */
			log_msg(LOG_LEVEL_WARN, NULL, "notificador: conexão perdida: %s",
			        n.mq.erro);
			atomic_store(&n.conectado, 0);
		}
		amqp_entrega_cleanup(&m);
	}
	log_msg(LOG_LEVEL_INFO, NULL, "notificador: parado");
	amqp_client_close(&n.mq);
	pg_session_cleanup(&n.db);
	process_http_stop(http);
	return 0;
}

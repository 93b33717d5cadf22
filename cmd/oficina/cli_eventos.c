/*
 * Operating the event path (cmd layer). README "Events".
 *
 *   oficina eventos              the outbox backlog (unpublished events, the oldest's age) and
 *                                the dead letters of the notifier (up to 20 listed)
 *   oficina eventos reenviar [N] moves the dead letters (at most N) back to the notifier's
 *                                queue with their attempts reset, after the cause is fixed
 *   oficina manutencao           retention: deletes published events and processed-message
 *                                records older than EVENTOS_RETENCAO_DIAS (30) and expired
 *                                idempotency keys (a Kubernetes CronJob runs it nightly)
 */
#include "cmd/oficina/cli_eventos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/oficina/processo.h"
#include "domain/monotonic.h"
#include "infrastructure/amqp/amqp_client.h"
#include "infrastructure/amqp/topologia.h"
#include "infrastructure/postgres/pg_manutencao.h"
#include "infrastructure/postgres/pg_outbox_relay.h"

#define PROG       "oficina eventos"
#define LISTAR_MAX 20
#define PRAZO_MS   30000

/* Help asked for goes to stdout with status 0; a usage error, to stderr with 2. */
static int usage(FILE *f, int status)
{
	fprintf(f, "usage: oficina eventos [reenviar [N]]\n");
	return status;
}

static int backlog(void)
{
	bool ok = true;
	const struct pg_config cfg = processo_pg_config("oficina-cli", PRAZO_MS, NULL, &ok);
	struct pg_session s;
	struct timespec prazo = monotonic_in_ms(PRAZO_MS);
	long pendentes = 0;
	double idade = 0;

	if (!ok)
		return 2;
	pg_session_init(&s, &cfg);
	pg_session_serve(&s, NULL, &prazo);
	int rc = pg_outbox_backlog(&s, &pendentes, &idade);
	pg_session_cleanup(&s);
	if (rc != 0) {
		fprintf(stderr, PROG ": PostgreSQL indisponível (DATABASE_URL)\n");
		return 1;
	}
	printf("outbox: %ld eventos não publicados; o mais antigo há %.1f s\n", pendentes, idade);
	return 0;
}

/*
 * Lists the dead letters: each is taken without acknowledgement, so closing the connection puts
 * them all back in the queue.
 */
static int listar(struct amqp_client *c)
{
	long n = amqp_client_queue_count(c, FILA_NOTIFICACOES_DLQ);
	if (n < 0)
		return -1;
	printf("dead letters (" FILA_NOTIFICACOES_DLQ "): %ld\n", n);
	for (long i = 0; i < n && i < LISTAR_MAX; i++) {
		struct amqp_entrega m;
		int got = amqp_client_get(c, FILA_NOTIFICACOES_DLQ, &m);
		if (got <= 0)
			return got;
		printf("  %s  %-22s tentativas=%d  %s\n", m.message_id, m.type, m.tentativas,
		       m.motivo);
		amqp_entrega_cleanup(&m);
	}
	if (n > LISTAR_MAX)
		printf("  … e mais %ld\n", n - LISTAR_MAX);
	return 0;
}

/* Moves up to max dead letters back to the notifier's queue; each is acknowledged only after
 * the broker confirmed its copy. */
static int reenviar(struct amqp_client *c, long max)
{
	long feitos = 0;
	for (; feitos < max; feitos++) {
		struct amqp_entrega m;
		int got = amqp_client_get(c, FILA_NOTIFICACOES_DLQ, &m);
		if (got < 0)
			return -1;
		if (got == 0)
			break;
		const struct amqp_propriedades p = {.message_id = m.message_id,
		                                    .correlation_id = m.correlation_id,
		                                    .type = m.type,
		                                    .timestamp = m.timestamp,
		                                    .tentativas = 0};
		int rc = amqp_client_publish(c, "", FILA_NOTIFICACOES, &p, m.body, m.len);
		if (rc == 0)
			rc = amqp_client_confirm(c, PRAZO_MS);
		if (rc == 0)
			rc = amqp_client_ack(c, m.tag);
		amqp_entrega_cleanup(&m);
		if (rc != 0)
			return -1;
	}
	printf("reenviadas: %ld\n", feitos);
	return 0;
}

int cli_eventos(int argc, char **argv)
{
	struct amqp_client c = {0};
	long max = 1000000;
	char *end;
	int rc;

	if (argc == 2 && processo_ajuda(argv[1]))
		return usage(stdout, 0);
	if (argc > 3 || (argc >= 2 && strcmp(argv[1], "reenviar") != 0))
		return usage(stderr, 2);
	if (argc == 3 && ((max = strtol(argv[2], &end, 10)) < 1 || *end))
		return usage(stderr, 2);
	bool ok = true;
	const char *amqp_url = processo_amqp_url(&ok);
	if (!ok)
		return 2;
	if (argc == 1 && backlog() != 0)
		return 1;
	if (amqp_client_connect(&c, amqp_url, PRAZO_MS, true) != 0 ||
	    topologia_declarar_notificacoes(&c) != 0) {
		fprintf(stderr, PROG ": RabbitMQ: %s\n", c.erro);
		amqp_client_close(&c);
		return 1;
	}
	rc = argc == 1 ? listar(&c) : reenviar(&c, max);
	if (rc != 0)
		fprintf(stderr, PROG ": RabbitMQ: %s\n", c.erro);
	amqp_client_close(&c);
	return rc == 0 ? 0 : 1;
}

int cli_manutencao(void)
{
	bool ok = true;
	const struct pg_config cfg = processo_pg_config("oficina-cli", PRAZO_MS, NULL, &ok);
	struct pg_session s;
	struct manutencao_resultado r;
	struct timespec prazo = monotonic_in_ms(30 * 60 * 1000);
	int dias = (int)processo_env_long("EVENTOS_RETENCAO_DIAS", 30, 1, 3650, &ok);

	if (!ok)
		return 2;
	pg_session_init(&s, &cfg);
	pg_session_serve(&s, NULL, &prazo);
	int rc = pg_manutencao_executar(&s, dias, &r);
	pg_session_cleanup(&s);
	if (rc != 0) {
		fprintf(stderr, "oficina manutencao: falhou (%d)\n", rc);
		return 1;
	}
	printf("removidos: %ld eventos publicados há mais de %d dias, %ld mensagens processadas, "
	       "%ld chaves de idempotência expiradas, %ld contagens de login expiradas\n",
	       r.eventos, dias, r.mensagens_processadas, r.idempotency_keys, r.login_tentativas);
	return 0;
}

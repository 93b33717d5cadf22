/*
 * The relay's side of the outbox table (infrastructure layer): the oldest unpublished events in
 * the order they were written, marking them published, and the backlog for metrics.
 *
 * Events of one order are written in the order of their transactions (each locks the order's
 * row), so their ids grow in that order and a reader in id order sees them in it.
 */
#ifndef OFICINA_INFRASTRUCTURE_POSTGRES_PG_OUTBOX_RELAY_H
#define OFICINA_INFRASTRUCTURE_POSTGRES_PG_OUTBOX_RELAY_H

#include <stddef.h>
#include <stdint.h>

#include "infrastructure/postgres/pg_session.h"

/* Message schema version: README "Events" documents each version. */
#define EVENTO_VERSAO 1

/* One event ready to publish; the strings live as long as its batch. */
struct evento_publicavel {
	const char *id;             /* bigint as text, for marking */
	const char *uuid;           /* message_id */
	const char *tipo;           /* routing key */
	const char *correlation_id; /* "" when none */
	int64_t criado_em;          /* seconds since the epoch */
	const char *corpo;          /* the message body: JSON (README "Events") */
	size_t corpo_len;
};

struct outbox_lote {
	PGresult *r;
	size_t n;
	struct evento_publicavel *itens;
};

/* Up to limite unpublished events, oldest first. 0 (possibly n == 0) or an APP_E* code. */
int pg_outbox_ler(struct pg_session *s, int limite, struct outbox_lote *out);

/* Sets publicado_em on every event of the batch. 0 or an APP_E* code. */
int pg_outbox_marcar(struct pg_session *s, const struct outbox_lote *lote);

void outbox_lote_cleanup(struct outbox_lote *lote);

/* Unpublished events and the age of the oldest, in seconds (0 when none). */
int pg_outbox_backlog(struct pg_session *s, long *pendentes, double *idade_s);

#endif

/*
 * The RabbitMQ topology (infrastructure layer): names, and the declarations each process makes
 * at start for what it owns (all idempotent). README "Events" draws it.
 *
 *   relay ──> exchange oficina.eventos (topic, routing key = event type)
 *                └─> queue oficina.notificacoes (bound to the types the notifier handles)
 *                       notifier fails ──> queue oficina.notificacoes.retry (each message
 *                       expires after the retry delay and is dead-lettered back to
 *                       oficina.notificacoes) ──> after N attempts: oficina.notificacoes.dlq
 *
 * Retries and dead letters are published through the default exchange (routing key = queue).
 */
#ifndef OFICINA_INFRASTRUCTURE_AMQP_TOPOLOGIA_H
#define OFICINA_INFRASTRUCTURE_AMQP_TOPOLOGIA_H

#include "infrastructure/amqp/amqp_client.h"

#define EXCHANGE_EVENTOS        "oficina.eventos"
#define FILA_NOTIFICACOES       "oficina.notificacoes"
#define FILA_NOTIFICACOES_RETRY "oficina.notificacoes.retry"
#define FILA_NOTIFICACOES_DLQ   "oficina.notificacoes.dlq"

/* The relay's: the events exchange. 0 or -1 (c->erro). */
int topologia_declarar_eventos(struct amqp_client *c);

/* The notifier's: its queue bound to the events it handles, the retry queue, the dead letters. */
int topologia_declarar_notificacoes(struct amqp_client *c);

#endif

/*
 * The RabbitMQ topology (infrastructure layer): names, and the declarations the processes make at
 * start (all idempotent). README "Events" draws it.
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

/* The events exchange. 0 or -1 (c->erro). */
int topologia_declarar_eventos(struct amqp_client *c);

/*
 * The exchange, the notifier's queue bound to the events it handles, the retry queue and the dead
 * letters. Both the relay and the notifier declare all of it at start, so that no event is
 * published before its queue exists, whichever starts first.
 */
int topologia_declarar_notificacoes(struct amqp_client *c);

#endif

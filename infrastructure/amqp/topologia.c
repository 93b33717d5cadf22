/* The RabbitMQ topology (infrastructure layer; topologia.h). */
#include "infrastructure/amqp/topologia.h"

#include <stddef.h>

/* The event types the notifier handles (README "Events"). */
static const char *const tipos_notificados[] = {
    "orcamento.gerado",
    "orcamento.aprovado",
    "orcamento.reprovado",
    "ordem.status_alterado",
};

int topologia_declarar_eventos(struct amqp_client *c)
{
	return amqp_client_declare_exchange(c, EXCHANGE_EVENTOS, "topic");
}

int topologia_declarar_notificacoes(struct amqp_client *c)
{
	const struct amqp_fila fila = {.nome = FILA_NOTIFICACOES};
	const struct amqp_fila retry = {.nome = FILA_NOTIFICACOES_RETRY,
	                                .dead_letter_exchange = "",
	                                .dead_letter_routing_key = FILA_NOTIFICACOES};
	const struct amqp_fila dlq = {.nome = FILA_NOTIFICACOES_DLQ};

	if (topologia_declarar_eventos(c) != 0 || amqp_client_declare_queue(c, &fila) != 0 ||
	    amqp_client_declare_queue(c, &retry) != 0 || amqp_client_declare_queue(c, &dlq) != 0)
		return -1;
	for (size_t i = 0; i < sizeof tipos_notificados / sizeof *tipos_notificados; i++)
		if (amqp_client_bind(c, FILA_NOTIFICACOES, EXCHANGE_EVENTOS,
		                     tipos_notificados[i]) != 0)
			return -1;
	return 0;
}

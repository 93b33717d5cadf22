/* Building an outbox event (application layer). */
#include "application/commands/evento.h"

void evento_init(struct evento *ev, const char *tipo, const char *agregado_uuid,
                 const struct app_caller *who)
{
	ev->tipo = tipo;
	ev->agregado_uuid = agregado_uuid;
	ev->correlation_id = who ? who->correlation_id : NULL;
	ev->n = 0;
}

static void add(struct evento *ev, const char *chave, const char *valor, bool is_number)
{
	if (ev->n >= EVENTO_CAMPOS_MAX)
		return;
	ev->campos[ev->n].chave = chave;
	ev->campos[ev->n].valor = valor;
	ev->campos[ev->n].is_number = is_number;
	ev->n++;
}

void evento_texto(struct evento *ev, const char *chave, const char *valor)
{
	add(ev, chave, valor, false);
}

void evento_numero(struct evento *ev, const char *chave, const char *numero)
{
	add(ev, chave, numero, true);
}

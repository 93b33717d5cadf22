/* Commands that change customers (application layer). */
#include "application/commands/comandos_clientes.h"

#include <string.h>

#include "application/commands/evento.h"
#include "application/commands/unit_of_work.h"
#include "domain/errors.h"

static void conflito_documento(int rc, struct field_errors *fe)
{
	if (rc == APP_ECONFLICT)
		field_errors_add(fe, "documento", "já existe um cliente com este documento");
}

int criar_cliente(const struct app *app, const struct app_caller *who,
                  const struct cliente_campos *in, struct field_errors *fe, struct uuid *out_id)
{
	struct cliente c = {0};
	struct evento ev;
	int rc;

	if (cliente_aplicar(&c, in, CAMPOS_CRIAR, fe) != 0)
		return APP_EINVALID;
	if ((rc = transaction_begin(&app->tx)) != 0)
		return rc;
	rc = cliente_repo_insert(&app->clientes, &c);
	conflito_documento(rc, fe);
	if (rc == 0) {
		evento_init(&ev, "cliente.criado", c.uuid.str, who);
		evento_texto(&ev, "uuid", c.uuid.str);
		evento_texto(&ev, "tipo_documento", tipo_documento_nome(c.tipo_documento));
		rc = event_outbox_append(&app->eventos, &ev);
	}
	return uow_finish_criado(app, rc, &c.uuid, out_id);
}

/* A customer with an open order stays active (SPEC §5). */
static int recusar_com_ordem_aberta(const struct app *app, const struct uuid *id,
                                    struct field_errors *fe)
{
	bool aberta = false;
	int rc = cliente_repo_has_ordem_aberta(&app->clientes, id, &aberta);
	if (rc == 0 && aberta) {
		field_errors_add(fe, "ativo", "o cliente tem ordem de serviço em aberto");
		rc = APP_ECONFLICT;
	}
	return rc;
}

int alterar_cliente(const struct app *app, const struct app_caller *who, const struct uuid *id,
                    const struct cliente_campos *in, enum campos_modo modo, struct field_errors *fe)
{
	struct cliente c = {0}, antes;
	int rc;

	(void)who;
	if ((rc = transaction_begin(&app->tx)) != 0)
		return rc;
	rc = cliente_repo_find_by_uuid(&app->clientes, id, true, &c);
	memcpy(&antes, &c, sizeof c);
	if (rc == 0 && cliente_aplicar(&c, in, modo, fe) != 0)
		rc = APP_EINVALID;
	/* "ativo": false is a deactivation: the same rule as DELETE. */
	if (rc == 0 && antes.ativo && !c.ativo)
		rc = recusar_com_ordem_aberta(app, id, fe);
	/* A change that changes nothing writes nothing (atualizado_em stays). */
	if (rc == 0 && memcmp(&antes, &c, sizeof c) != 0) {
		rc = cliente_repo_update(&app->clientes, &c);
		conflito_documento(rc, fe);
	}
	/* A deactivation ends the customer's sessions for good: a reactivation does not revive
	 * them. */
	if (rc == 0 && antes.ativo && !c.ativo)
		rc = cliente_repo_encerrar_sessoes(&app->clientes, id);
	return uow_finish(app, rc);
}

int desativar_cliente(const struct app *app, const struct app_caller *who, const struct uuid *id,
                      struct field_errors *fe)
{
	struct cliente c;
	int rc;

	(void)who;
	if ((rc = transaction_begin(&app->tx)) != 0)
		return rc;
	rc = cliente_repo_find_by_uuid(&app->clientes, id, true, &c);
	if (rc == 0 && c.ativo)
		rc = recusar_com_ordem_aberta(app, id, fe);
	if (rc == 0 && c.ativo) {
		c.ativo = false;
		rc = cliente_repo_update(&app->clientes, &c);
		if (rc == 0)
			rc = cliente_repo_encerrar_sessoes(&app->clientes, id);
	}
	return uow_finish(app, rc);
}

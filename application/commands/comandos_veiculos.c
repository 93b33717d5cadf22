/* Commands that change vehicles (application layer). */
#include "application/commands/comandos_veiculos.h"

#include <stdio.h>
#include <string.h>

#include "application/commands/evento.h"
#include "application/commands/unit_of_work.h"
#include "domain/errors.h"

/* The owner must exist and be active; otherwise the request is invalid (422), not "not found". */
static int exigir_cliente_ativo(const struct app *app, const struct uuid *cliente_uuid,
                                struct field_errors *fe)
{
	struct cliente c;
	/* Locked, so the owner cannot be deactivated between this check and the insert. */
	int rc = cliente_repo_find_by_uuid(&app->clientes, cliente_uuid, true, &c);

	if (rc == APP_ENOTFOUND) {
		field_errors_add(fe, "cliente_uuid", "cliente não encontrado");
		return APP_EINVALID;
	}
	if (rc == 0 && !c.ativo) {
		field_errors_add(fe, "cliente_uuid", "cliente inativo");
		return APP_EINVALID;
	}
	return rc;
}

static void conflito_placa(int rc, struct field_errors *fe)
{
	if (rc == APP_ECONFLICT)
		field_errors_add(fe, "placa", "já existe um veículo com esta placa");
}

/*
 * A vehicle in the shop stays with the owner its order was opened for, who approves the budget
 * and hears of its progress: it changes owner, or is deactivated, only once no order of it is open
 * (409, as a customer's deactivation).
 */
static int recusar_com_ordem_aberta(const struct app *app, const struct uuid *id, const char *campo,
                                    struct field_errors *fe)
{
	bool aberta = false;
	int rc = veiculo_repo_has_ordem_aberta(&app->veiculos, id, &aberta);
	if (rc == 0 && aberta) {
		field_errors_add(fe, campo, "o veículo tem ordem de serviço em aberto");
		rc = APP_ECONFLICT;
	}
	return rc;
}

int criar_veiculo(const struct app *app, const struct app_caller *who,
                  const struct veiculo_campos *in, struct field_errors *fe, struct uuid *out_id)
{
	struct veiculo v = {0};
	struct evento ev;
	char ano[16];
	int rc;

	if (veiculo_aplicar(&v, in, CAMPOS_CRIAR, app_ano_atual(app), fe) != 0)
		return APP_EINVALID;
	if ((rc = transaction_begin(&app->tx)) != 0)
		return rc;
	rc = exigir_cliente_ativo(app, &v.cliente_uuid, fe);
	if (rc == 0) {
		rc = veiculo_repo_insert(&app->veiculos, &v);
		conflito_placa(rc, fe);
	}
	if (rc == 0) {
		snprintf(ano, sizeof ano, "%d", v.ano);
		evento_init(&ev, "veiculo.criado", v.uuid.str, who);
		evento_texto(&ev, "uuid", v.uuid.str);
		evento_texto(&ev, "cliente_uuid", v.cliente_uuid.str);
		evento_texto(&ev, "placa", v.placa);
		evento_numero(&ev, "ano", ano);
		rc = event_outbox_append(&app->eventos, &ev);
	}
	return uow_finish_criado(app, rc, &v.uuid, out_id);
}

int alterar_veiculo(const struct app *app, const struct app_caller *who, const struct uuid *id,
                    const struct veiculo_campos *in, enum campos_modo modo, struct field_errors *fe)
{
	struct veiculo v = {0}, antes;
	int rc;

	(void)who;
	if ((rc = transaction_begin(&app->tx)) != 0)
		return rc;
	rc = veiculo_repo_find_by_uuid(&app->veiculos, id, true, &v);
	memcpy(&antes, &v, sizeof v);
	if (rc == 0 && veiculo_aplicar(&v, in, modo, app_ano_atual(app), fe) != 0)
		rc = APP_EINVALID;
	/* Moving a vehicle to another owner (a sale) needs that owner to exist and be active. */
	if (rc == 0 && !uuid_equal(&antes.cliente_uuid, &v.cliente_uuid)) {
		rc = recusar_com_ordem_aberta(app, id, "cliente_uuid", fe);
		if (rc == 0)
			rc = exigir_cliente_ativo(app, &v.cliente_uuid, fe);
	}
	if (rc == 0 && antes.ativo && !v.ativo)
		rc = recusar_com_ordem_aberta(app, id, "ativo", fe);
	/* A change that changes nothing writes nothing (atualizado_em stays). */
	if (rc == 0 && memcmp(&antes, &v, sizeof v) != 0) {
		rc = veiculo_repo_update(&app->veiculos, &v);
		conflito_placa(rc, fe);
	}
	return uow_finish(app, rc);
}

/* Deactivation is the change of ativo to false, as PATCH {"ativo": false}. */
int desativar_veiculo(const struct app *app, const struct app_caller *who, const struct uuid *id,
                      struct field_errors *fe)
{
	const struct veiculo_campos desativado = {.ativo = 0};

	return alterar_veiculo(app, who, id, &desativado, CAMPOS_ALTERAR, fe);
}

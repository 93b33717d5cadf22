/* Commands that change the service catalogue and the parts (application layer). */
#include "application/commands/comandos_catalogo.h"

#include <string.h>

#include "application/commands/comandos_estoque.h"
#include "application/commands/unit_of_work.h"
#include "domain/errors.h"

#define MOTIVO_ESTOQUE_INICIAL "estoque inicial"

int criar_servico(const struct app *app, const struct app_caller *who,
                  const struct servico_campos *in, struct field_errors *fe, struct uuid *out_id)
{
	struct servico s;
	int rc;

	(void)who;
	memset(&s, 0, sizeof s);
	if (servico_aplicar(&s, in, CAMPOS_CRIAR, fe) != 0)
		return APP_EINVALID;
	if ((rc = transaction_begin(&app->tx)) != 0)
		return rc;
	rc = servico_repo_insert(&app->servicos, &s);
	return uow_finish_criado(app, rc, &s.uuid, out_id);
}

int alterar_servico(const struct app *app, const struct app_caller *who, const struct uuid *id,
                    const struct servico_campos *in, enum campos_modo modo, struct field_errors *fe)
{
	struct servico s = {0}, antes;
	int rc;

	(void)who;
	if ((rc = transaction_begin(&app->tx)) != 0)
		return rc;
	rc = servico_repo_find_by_uuid(&app->servicos, id, true, &s);
	memcpy(&antes, &s, sizeof s);
	if (rc == 0 && servico_aplicar(&s, in, modo, fe) != 0)
		rc = APP_EINVALID;
	/* A change that changes nothing writes nothing (atualizado_em stays). */
	if (rc == 0 && memcmp(&antes, &s, sizeof s) != 0)
		rc = servico_repo_update(&app->servicos, &s);
	return uow_finish(app, rc);
}

/* Deactivation is the change of ativo to false, as PATCH {"ativo": false}. */
int desativar_servico(const struct app *app, const struct app_caller *who, const struct uuid *id,
                      struct field_errors *fe)
{
	const struct servico_campos desativado = {.ativo = 0};

	return alterar_servico(app, who, id, &desativado, CAMPOS_ALTERAR, fe);
}

static void conflito_codigo(int rc, struct field_errors *fe)
{
	if (rc == APP_ECONFLICT)
		field_errors_add(fe, "codigo", "já existe uma peça com este código");
}

int criar_peca(const struct app *app, const struct app_caller *who, const struct peca_campos *in,
               struct field_errors *fe, struct uuid *out_id)
{
	struct peca p;
	struct movimento m;
	int inicial, rc;

	memset(&p, 0, sizeof p);
	if (peca_aplicar(&p, in, CAMPOS_CRIAR, fe) != 0)
		return APP_EINVALID;
	inicial = p.quantidade_estoque;
	if ((rc = transaction_begin(&app->tx)) != 0)
		return rc;
	rc = peca_repo_insert(&app->pecas, &p); /* at zero */
	conflito_codigo(rc, fe);
	if (rc == 0 && inicial > 0) {
		memset(&m, 0, sizeof m);
		m.peca_uuid = p.uuid;
		m.quantidade = inicial;
		memcpy(m.motivo, MOTIVO_ESTOQUE_INICIAL, sizeof MOTIVO_ESTOQUE_INICIAL);
		rc = movimentar_estoque_na_transacao(app, who, &m);
	}
	return uow_finish_criado(app, rc, &p.uuid, out_id);
}

int alterar_peca(const struct app *app, const struct app_caller *who, const struct uuid *id,
                 const struct peca_campos *in, enum campos_modo modo, struct field_errors *fe)
{
	struct peca p = {0}, antes;
	int rc;

	(void)who;
	if ((rc = transaction_begin(&app->tx)) != 0)
		return rc;
	rc = peca_repo_find_by_uuid(&app->pecas, id, true, &p);
	memcpy(&antes, &p, sizeof p);
	if (rc == 0 && peca_aplicar(&p, in, modo, fe) != 0)
		rc = APP_EINVALID;
	if (rc == 0 && memcmp(&antes, &p, sizeof p) != 0) {
		rc = peca_repo_update(&app->pecas, &p);
		conflito_codigo(rc, fe);
	}
	return uow_finish(app, rc);
}

/* Deactivation is the change of ativo to false, as PATCH {"ativo": false}. */
int desativar_peca(const struct app *app, const struct app_caller *who, const struct uuid *id,
                   struct field_errors *fe)
{
	const struct peca_campos desativada = {.ativo = 0};

	return alterar_peca(app, who, id, &desativada, CAMPOS_ALTERAR, fe);
}

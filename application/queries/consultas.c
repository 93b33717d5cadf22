/* Queries over customers, vehicles and staff users (application layer). */
#include "application/queries/consultas.h"

#include <stdlib.h>
#include <string.h>

#include "domain/errors.h"

int obter_cliente(const struct app *app, const struct app_caller *who, const struct uuid *id,
                  struct cliente *out)
{
	struct uuid buf;
	const struct uuid *dono = app_caller_dono(who, &buf);

	if (dono && !uuid_equal(dono, id))
		return APP_ENOTFOUND;
	return cliente_repo_find_by_uuid(&app->clientes, id, false, out);
}

int listar_clientes(const struct app *app, const struct cliente_filtro *f,
                    const struct pagina *page, struct lista *out)
{
	int rc;

	if ((rc = lista_alloc(out, page, sizeof(struct cliente))) != 0)
		return rc;
	rc = cliente_repo_list(&app->clientes, f, page, out->itens, &out->n, &out->total);
	return lista_concluir(out, rc);
}

int obter_veiculo(const struct app *app, const struct app_caller *who, const struct uuid *id,
                  struct veiculo *out)
{
	struct uuid buf;
	const struct uuid *dono = app_caller_dono(who, &buf);
	int rc = veiculo_repo_find_by_uuid(&app->veiculos, id, false, out);

	if (rc == 0 && dono && !uuid_equal(dono, &out->cliente_uuid)) {
		memset(out, 0, sizeof *out);
		rc = APP_ENOTFOUND;
	}
	return rc;
}

int listar_veiculos(const struct app *app, const struct app_caller *who,
                    const struct veiculo_filtro *f, const struct pagina *page, struct lista *out)
{
	struct uuid buf;
	const struct uuid *dono = app_caller_dono(who, &buf);
	struct veiculo_filtro proprios = *f;
	int rc;

	if ((rc = lista_alloc(out, page, sizeof(struct veiculo))) != 0)
		return rc;
	/* A customer lists only their own vehicles; a filter on another's finds none. */
	if (dono && (!dono->str[0] || (f->cliente_uuid && !uuid_equal(f->cliente_uuid, dono))))
		return 0;
	if (dono)
		proprios.cliente_uuid = dono;
	rc = veiculo_repo_list(&app->veiculos, &proprios, page, out->itens, &out->n, &out->total);
	return lista_concluir(out, rc);
}

int listar_veiculos_do_cliente(const struct app *app, const struct app_caller *who,
                               const struct uuid *cliente_uuid, const struct pagina *page,
                               struct lista *out)
{
	struct cliente c;
	struct veiculo_filtro f = {.cliente_uuid = cliente_uuid};
	int rc = obter_cliente(app, who, cliente_uuid, &c);

	if (rc != 0) {
		lista_init(out);
		return rc;
	}
	return listar_veiculos(app, who, &f, page, out);
}

int obter_usuario(const struct app *app, const struct uuid *id, struct usuario *out)
{
	return usuario_repo_find_by_uuid(&app->usuarios, id, false, out);
}

int listar_usuarios(const struct app *app, const struct pagina *page, struct lista *out)
{
	int rc;

	if ((rc = lista_alloc(out, page, sizeof(struct usuario))) != 0)
		return rc;
	rc = usuario_repo_list(&app->usuarios, page, out->itens, &out->n, &out->total);
	return lista_concluir(out, rc);
}

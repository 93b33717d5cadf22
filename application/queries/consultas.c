/* Queries over customers, vehicles and staff users (application layer). */
#include "application/queries/consultas.h"

#include <stdlib.h>
#include <string.h>

#include "domain/errors.h"

/* Allocates room for one page; the adapters write at most por_pagina rows. */
static void *alocar_pagina(const struct pagina *page, size_t item_size)
{
	return calloc((size_t)page->por_pagina, item_size);
}

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
                    const struct pagina *page, struct cliente_lista *out)
{
	int rc;

	out->n = 0;
	out->total = 0;
	if (!(out->itens = alocar_pagina(page, sizeof *out->itens)))
		return APP_ENOMEM;
	rc = cliente_repo_list(&app->clientes, f, page, out->itens, &out->n, &out->total);
	if (rc != 0)
		cliente_lista_cleanup(out);
	return rc;
}

void cliente_lista_cleanup(struct cliente_lista *l)
{
	free(l->itens);
	l->itens = NULL;
	l->n = 0;
	l->total = 0;
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
                    const struct veiculo_filtro *f, const struct pagina *page,
                    struct veiculo_lista *out)
{
	struct uuid buf;
	const struct uuid *dono = app_caller_dono(who, &buf);
	struct veiculo_filtro proprios = *f;
	int rc;

	out->n = 0;
	out->total = 0;
	if (!(out->itens = alocar_pagina(page, sizeof *out->itens)))
		return APP_ENOMEM;
	/* A customer lists only their own vehicles; a filter on another's finds none. */
	if (dono && (!dono->str[0] || (f->cliente_uuid && !uuid_equal(f->cliente_uuid, dono))))
		return 0;
	if (dono)
		proprios.cliente_uuid = dono;
	rc = veiculo_repo_list(&app->veiculos, &proprios, page, out->itens, &out->n, &out->total);
	if (rc != 0)
		veiculo_lista_cleanup(out);
	return rc;
}

void veiculo_lista_cleanup(struct veiculo_lista *l)
{
	free(l->itens);
	l->itens = NULL;
	l->n = 0;
	l->total = 0;
}

int listar_veiculos_do_cliente(const struct app *app, const struct app_caller *who,
                               const struct uuid *cliente_uuid, const struct pagina *page,
                               struct veiculo_lista *out)
{
	struct cliente c;
	struct veiculo_filtro f = {.cliente_uuid = cliente_uuid};
	int rc = obter_cliente(app, who, cliente_uuid, &c);

	if (rc != 0) {
		out->itens = NULL;
		out->n = 0;
		out->total = 0;
		return rc;
	}
	return listar_veiculos(app, who, &f, page, out);
}

int obter_usuario(const struct app *app, const struct uuid *id, struct usuario *out)
{
	return usuario_repo_find_by_uuid(&app->usuarios, id, false, out);
}

int listar_usuarios(const struct app *app, const struct pagina *page, struct usuario_lista *out)
{
	int rc;

	out->n = 0;
	out->total = 0;
	if (!(out->itens = alocar_pagina(page, sizeof *out->itens)))
		return APP_ENOMEM;
	rc = usuario_repo_list(&app->usuarios, page, out->itens, &out->n, &out->total);
	if (rc != 0)
		usuario_lista_cleanup(out);
	return rc;
}

void usuario_lista_cleanup(struct usuario_lista *l)
{
	free(l->itens);
	l->itens = NULL;
	l->n = 0;
	l->total = 0;
}

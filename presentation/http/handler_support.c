/*
 * What every resource handler shares (presentation layer): query and paging parameters, and the
 * write and deactivation sequences of a resource.
 */
#include "presentation/http/handler_support.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/texto.h"
#include "presentation/http/metrics.h"
#include "presentation/http/response.h"

bool request_content_type_is(const struct request *req, const char *media)
{
	const char *type = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Content-Type");
	size_t n = strlen(media);

	if (!type)
		return false;
	while (*type == ' ')
		type++;
	if (strncasecmp(type, media, n) != 0)
		return false;
	type += n;
	while (*type == ' ')
		type++;
	return *type == '\0' || *type == ';';
}

const char *query_param(const struct request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

/*
 * A whole number in [min, max] written in decimal digits alone, or -1. The first character must be
 * a digit: strtol would skip any leading whitespace (a tab, a newline) and take a sign.
 */
static long parse_bounded(const char *s, long min, long max)
{
	char *end;
	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	return v;
}

bool query_pagina(struct request *req, struct response *res, struct pagina *out)
{
	struct field_errors fe;
	const char *p = query_param(req, "pagina"), *pp = query_param(req, "por_pagina");

	field_errors_init(&fe);
	out->pagina = 1;
	out->por_pagina = POR_PAGINA_PADRAO;
	/* The page number is bounded so that the offset cannot overflow. */
	if (p && (out->pagina = parse_bounded(p, 1, 10000000)) < 0)
		field_errors_add(&fe, "pagina", "deve ser um número inteiro a partir de 1");
	if (pp && (out->por_pagina = parse_bounded(pp, 1, POR_PAGINA_MAX)) < 0)
		field_errors_add(&fe, "por_pagina", "deve ser um número inteiro de 1 a 100");
	if (fe.count == 0)
		return true;
	response_problem(res, req, 400, "parâmetros de paginação inválidos", &fe);
	return false;
}

const char *query_busca(const struct request *req, const char *name, struct field_errors *fe)
{
	const char *q = query_param(req, name);
	if (q && (q[0] == '\0' || utf8_length(q) > 120 || !utf8_valido(q))) {
		field_errors_add(fe, name, "deve ter de 1 a 120 caracteres");
		return NULL;
	}
	return q;
}

const char *query_placa(const struct request *req, const char *name, char buf[PLACA_MAX],
                        struct field_errors *fe)
{
	const char *p = query_param(req, name);
	if (!p)
		return NULL;
	if (placa_normalizar(p, buf) != 0) {
		field_errors_add(fe, name, PLACA_INVALIDA);
		return NULL;
	}
	return buf;
}

const struct uuid *query_uuid(const struct request *req, const char *name, struct uuid *out,
                              struct field_errors *fe)
{
	const char *v = query_param(req, name);
	if (!v)
		return NULL;
	if (uuid_parse(v, out) != 0) {
		field_errors_add(fe, name, "deve ser um UUID");
		return NULL;
	}
	return out;
}

void handle_desativacao(struct request *req, struct response *res, desativar_fn desativar)
{
	struct field_errors fe;
	int rc;

	field_errors_init(&fe);
	if ((rc = desativar(req->app, &req->caller, &req->ids[0], &fe)) != 0)
		response_error(res, req, rc, &fe);
	else
		response_no_content(res);
}

enum campos_modo campos_modo_do_metodo(const struct request *req)
{
	if (strcmp(req->method, "POST") == 0)
		return CAMPOS_CRIAR;
	return strcmp(req->method, "PUT") == 0 ? CAMPOS_SUBSTITUIR : CAMPOS_ALTERAR;
}

void handle_gravacao(struct request *req, struct response *res, gravar_fn gravar,
                     route_handler obter, int criados)
{
	enum campos_modo modo = campos_modo_do_metodo(req);
	struct field_errors fe;
	struct uuid id = {0};
	int rc;

	if (modo != CAMPOS_CRIAR)
		id = req->ids[0];
	field_errors_init(&fe);
	if ((rc = gravar(req, modo, &fe, &id)) != 0) {
		response_error(res, req, rc, &fe);
		return;
	}
	if (modo == CAMPOS_CRIAR && criados != SEM_CONTADOR)
		metrics_count((enum business_counter)criados);
	req->ids[0] = id;
	obter(req, res);
	/* A POST to a collection: its path is the route's literal segments, the collection. */
	if (modo == CAMPOS_CRIAR)
		response_as_created(res, req->path, id.str);
}

bool query_sem_erros(struct request *req, struct response *res, const struct field_errors *fe)
{
	if (fe->count == 0)
		return true;
	response_problem(res, req, 400, "parâmetros de consulta inválidos", fe);
	return false;
}

/*
 * Fuzz target: query parameters and the request line's other texts, read by the real
 * presentation/http/handler_support.c: ?pagina= and ?por_pagina= (query_pagina), the search text
 * ?q= (query_busca), the Content-Type check (request_content_type_is), and the problem answer a
 * refusal builds from the client's path (response_problem, rendered by response_finalize); with
 * them the domain parsers the list handlers apply to ?cliente_uuid= (uuid_parse) and ?placa=.
 * Input: the path, the Content-Type on the next line, then the query string ("a=1&b=2", already
 * decoded, as libmicrohttpd hands values over; the first of a repeated name counts, as there).
 *
 * libmicrohttpd cannot make a connection without a daemon, so this target is a link seam: it
 * defines MHD_lookup_connection_value itself, and the linker takes this definition for the whole
 * binary (an object's definition comes before the shared library's). req->conn points at the
 * parsed input, which only this function reads.
 *
 * Properties: a page and a page size are accepted exactly when they are decimal digits and
 * nothing else, 1..10000000 and 1..POR_PAGINA_MAX (absent: 1 and POR_PAGINA_PADRAO), else the
 * answer is a 400 naming the bad parameter; a search text is kept exactly when it is 1..120
 * characters of valid UTF-8, else the field is named; Content-Type is application/json (any case)
 * with nothing but spaces and parameters after it; a problem answer is JSON whose instance is the
 * path when that is valid UTF-8 and "/" otherwise; a UUID parameter is taken exactly when it is
 * 8-4-4-4-12 hex digits, and then in lower case.
 */
#include <microhttpd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/errors.h"
#include "domain/placa.h"
#include "domain/texto.h"
#include "fuzz/fuzz.h"
#include "presentation/http/handler_support.h"
#include "presentation/http/response.h"

#define PARAMS_MAX 16

struct entrada {
	const char *content_type;
	size_t n;
	char *nome[PARAMS_MAX];
	char *valor[PARAMS_MAX];
};

const char *MHD_lookup_connection_value(struct MHD_Connection *connection, enum MHD_ValueKind kind,
                                        const char *key)
{
	const struct entrada *e = (const struct entrada *)(void *)connection;

	if (kind == MHD_HEADER_KIND)
		return strcasecmp(key, "Content-Type") == 0 ? e->content_type : NULL;
	if (kind != MHD_GET_ARGUMENT_KIND)
		return NULL;
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->nome[i], key) == 0)
			return e->valor[i];
	return NULL;
}

/* Splits query (modified in place) at '&' and each pair at its first '='; no '=': value "". */
static void ler_query(char *query, struct entrada *e)
{
	for (char *p = query; p && e->n < PARAMS_MAX;) {
		char *fim = strchr(p, '&');
		if (fim)
			*fim++ = '\0';
		char *igual = strchr(p, '=');
		if (igual)
			*igual++ = '\0';
		e->nome[e->n] = p;
		e->valor[e->n] = igual ? igual : p + strlen(p);
		e->n++;
		p = fim;
	}
}

/* The oracle of a page parameter: digits only, their value in 1..max; -1 otherwise. */
static long inteiro_simples(const char *s, long max)
{
	size_t n = strlen(s);
	long v = 0;

	if (n == 0 || strspn(s, "0123456789") != n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		v = v * 10 + (s[i] - '0');
		if (v > max)
			return -1;
	}
	return v >= 1 ? v : -1;
}

static bool tem_erro(const struct response *res, const char *campo)
{
	json_t *errors = json_object_get(res->body, "errors");
	size_t i;
	json_t *v;

	json_array_foreach(errors, i, v)
	{
		if (strcmp(json_string_value(json_object_get(v, "campo")), campo) == 0)
			return true;
	}
	return false;
}

static void checar_pagina(struct request *req)
{
	struct response res = {0};
	struct pagina page;
	const char *p = query_param(req, "pagina"), *pp = query_param(req, "por_pagina");
	long esperada = p ? inteiro_simples(p, 10000000) : 1;
	long esperado = pp ? inteiro_simples(pp, POR_PAGINA_MAX) : POR_PAGINA_PADRAO;
	bool ok = query_pagina(req, &res, &page);

	FUZZ_CHECK(ok == (esperada > 0 && esperado > 0));
	if (ok) {
		FUZZ_CHECK(page.pagina == esperada && page.por_pagina == esperado);
		FUZZ_CHECK(res.body == NULL);
	} else {
		FUZZ_CHECK(res.status == 400 && res.problem);
		FUZZ_CHECK(esperada > 0 || tem_erro(&res, "pagina"));
		FUZZ_CHECK(esperado > 0 || tem_erro(&res, "por_pagina"));
		/* The problem carries the client's path: it must still render, as JSON. */
		FUZZ_CHECK(response_finalize(&res, req) && res.raw != NULL);
		json_t *doc = json_loads(res.raw, 0, NULL);
		FUZZ_CHECK(doc != NULL);
		const char *instance = json_string_value(json_object_get(doc, "instance"));
		FUZZ_CHECK(instance &&
		           strcmp(instance, utf8_valido(req->path) ? req->path : "/") == 0);
		json_decref(doc);
	}
	response_cleanup(&res);
}

static void checar_busca(struct request *req)
{
	struct field_errors fe;
	const char *q = query_param(req, "q");

	field_errors_init(&fe);
	const char *busca = query_busca(req, "q", &fe);
	bool boa = q && q[0] && utf8_valido(q) && utf8_length(q) <= 120;
	FUZZ_CHECK(busca == (boa ? q : NULL));
	FUZZ_CHECK(field_errors_has(&fe, "q") == (q && !boa));
}

static void checar_content_type(const struct request *req, const char *ct)
{
	const char *media = "application/json";
	size_t i = strspn(ct, " ");
	bool esperado = strncasecmp(ct + i, media, strlen(media)) == 0;

	if (esperado) {
		i += strlen(media);
		i += strspn(ct + i, " ");
		esperado = ct[i] == '\0' || ct[i] == ';';
	}
	FUZZ_CHECK(request_content_type_is(req, media) == esperado);
}

static void checar_uuid_e_placa(const struct request *req)
{
	const char *c = query_param(req, "cliente_uuid"), *p = query_param(req, "placa");
	struct uuid id;
	char placa[PLACA_MAX], de_novo[PLACA_MAX];

	if (c) {
		bool forma = strlen(c) == UUID_LEN;
		for (size_t i = 0; forma && i < UUID_LEN; i++)
			forma = (i == 8 || i == 13 || i == 18 || i == 23)
			            ? c[i] == '-'
			            : strchr("0123456789abcdefABCDEF", c[i]) != NULL;
		FUZZ_CHECK((uuid_parse(c, &id) == 0) == forma);
		FUZZ_CHECK(!forma || strcasecmp(id.str, c) == 0);
		for (size_t i = 0; forma && i < UUID_LEN; i++)
			FUZZ_CHECK(!(id.str[i] >= 'A' && id.str[i] <= 'F'));
	}
	if (p && placa_normalizar(p, placa) == 0)
		FUZZ_CHECK(placa_normalizar(placa, de_novo) == 0 && strcmp(placa, de_novo) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct request req;
	struct entrada e = {0};
	char *path, *resto, *ct = NULL, *query = NULL;

	fuzz_split2(data, size, &path, &resto);
	if (resto) {
		fuzz_split2((const uint8_t *)resto, strlen(resto), &ct, &query);
		free(resto);
	}
	e.content_type = ct;
	ler_query(query, &e);
	memset(&req, 0, sizeof req);
	req.conn = (struct MHD_Connection *)(void *)&e;
	req.method = "GET";
	req.path = path;
	strcpy(req.correlation_id, "fuzz-query");

	checar_pagina(&req);
	checar_busca(&req);
	if (ct)
		checar_content_type(&req, ct);
	else
		FUZZ_CHECK(!request_content_type_is(&req, "application/json"));
	checar_uuid_e_placa(&req);
	free(path);
	free(ct);
	free(query);
	return 0;
}

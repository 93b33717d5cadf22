/*
 * /api/relatorios: the reports over HTTP (presentation layer). A bad period is a malformed query
 * parameter, hence 400 with one errors entry per bad parameter. Hours are JSON numbers with at
 * most two decimals, or null when no order counted.
 */
#include <stdlib.h>

#include "application/queries/consultas_relatorios.h"
#include "domain/errors.h"
#include "presentation/http/handler_support.h"
#include "presentation/http/handlers.h"
#include "presentation/http/response.h"
#include "presentation/http/views.h"

/*
 * jansson writes reals with 17 significant digits (2.33 becomes 2.3300000000000001); 15 digits
 * give back exactly the two decimals the store rounded to.
 */
#define REAL_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

static json_t *horas(const struct horas *h)
{
	return h->definido ? json_real(h->valor) : json_null();
}

/* {"data": data} written with REAL_FLAGS; data is stolen. */
static void responder(struct response *res, json_t *data)
{
	json_t *o = json_pack("{s:o}", "data", data);
	char *text = o ? json_dumps(o, REAL_FLAGS) : NULL;

	json_decref(o);
	if (text)
		response_text(res, 200, text, "application/json");
}

/* The result of a report query: 400 for a bad period, the usual table otherwise. */
static void erro(struct request *req, struct response *res, int rc, const struct field_errors *fe)
{
	if (rc == APP_EINVALID)
		response_problem(res, req, 400, "período inválido", fe);
	else
		response_error(res, req, rc, NULL);
}

void handle_relatorios_tempo_medio(struct request *req, struct response *res)
{
	struct relatorio_tempo_medio t;
	struct field_errors fe;
	int rc;

	field_errors_init(&fe);
	rc = relatorio_tempo_medio(req->app, query_param(req, "de"), query_param(req, "ate"), &fe,
	                           &t);
	if (rc != 0) {
		erro(req, res, rc, &fe);
		return;
	}
	json_t *por_status = json_object();
	/* A stage that could not be added fails the whole report (out of memory), never drops. */
	for (int i = 0; i < ETAPAS && por_status; i++)
		if (json_object_set_new(por_status, ordem_status_nome((enum ordem_status)i),
		                        horas(&t.por_status[i])) != 0) {
			json_decref(por_status);
			por_status = NULL;
		}
	responder(res, json_pack("{s:I, s:o, s:o, s:o}", "ordens_consideradas",
	                         (json_int_t)t.ordens_consideradas, "tempo_medio_execucao_horas",
	                         horas(&t.execucao), "tempo_medio_total_horas", horas(&t.total),
	                         "por_status", por_status));
}

void handle_relatorios_volume_diario(struct request *req, struct response *res)
{
	struct volume_diario v;
	struct field_errors fe;
	int rc;

	field_errors_init(&fe);
	rc = relatorio_volume_diario(req->app, query_param(req, "de"), query_param(req, "ate"), &fe,
	                             &v);
	if (rc != 0) {
		erro(req, res, rc, &fe);
		return;
	}
	json_t *dias = json_array();
	for (size_t i = 0; i < v.n && dias; i++)
		view_append(&dias, json_pack("{s:s, s:I, s:I, s:I}", "dia", v.dias[i].dia,
		                             "abertas", (json_int_t)v.dias[i].abertas,
		                             "finalizadas", (json_int_t)v.dias[i].finalizadas,
		                             "entregues", (json_int_t)v.dias[i].entregues));
	volume_diario_cleanup(&v);
	responder(res, dias);
}

/*
 * The read model of service orders in PostgreSQL: the ordem_consultas port (infrastructure
 * layer). SQL shaped for each answer: the queue sorts by a fixed state order with
 * array_position, and the detail is ONE round trip: the order joined with its customer and
 * vehicle, and its services, parts and history aggregated into JSON arrays by subqueries, which
 * this adapter decodes with jansson. No query per item, ever.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/errors.h"
#include "application/ports/ordem_consultas.h"
#include "domain/heap.h"
#include "infrastructure/postgres/pg_ordem_rows.h"
#include "infrastructure/postgres/pg_query.h"
#include "infrastructure/postgres/pg_repos.h"

/* The queue's state order; states outside the filter never show. */
#define ORDEM_FILA                                                                                 \
	"'{EM_EXECUCAO,AGUARDANDO_APROVACAO,EM_DIAGNOSTICO,RECEBIDA,FINALIZADA,ENTREGUE,"          \
	"CANCELADA}'::text[]"

/* Only the orders table: the plate filter is a lookup of the (unique) plate, not a join. */
#define LIST_WHERE                                                                                 \
	"WHERE o.status = ANY ($1::text[]) AND ($2::uuid IS NULL OR o.cliente_uuid = $2) "         \
	"AND ($3::text IS NULL OR o.veiculo_uuid = (SELECT uuid FROM veiculos WHERE placa = $3)) " \
	"AND ($4::uuid IS NULL OR o.cliente_uuid = $4) "

/*
 * The page is chosen on the narrow order rows first (a top-N sort), and only its 20 rows are
 * joined and formatted; the total is one count over the same filter. A window count over the
 * joined rows would format every open order to show twenty (measured: 30x slower on 3000).
 * An empty page past the end still needs contar_sql for the total.
 */
/* clang-format off */
static const struct pg_statement listar_sql = {
	"ordem_listar",
	"WITH pagina AS (SELECT o.uuid FROM ordens o " LIST_WHERE
	"ORDER BY array_position(" ORDEM_FILA ", o.status), o.criada_em, o.uuid "
	"LIMIT $5 OFFSET $6) "
	"SELECT o.uuid, o.numero, o.status, o.cliente_uuid, c.nome, o.veiculo_uuid, v.placa, "
	"o.valor_total_centavos, " PG_RFC3339("o.criada_em") ", " PG_RFC3339("o.atualizada_em") ", "
	"(SELECT count(*) FROM ordens o " LIST_WHERE ") "
	"FROM pagina p "
	"JOIN ordens o ON o.uuid = p.uuid "
	"JOIN clientes c ON c.uuid = o.cliente_uuid "
	"JOIN veiculos v ON v.uuid = o.veiculo_uuid "
	"ORDER BY array_position(" ORDEM_FILA ", o.status), o.criada_em, o.uuid",
	6};
/* clang-format on */
static const struct pg_statement contar_sql = {"ordem_contar",
                                               "SELECT count(*) FROM ordens o " LIST_WHERE, 4};

#define ITENS_JSON(tabela, ref)                                                                    \
	"(SELECT coalesce(json_agg(json_build_array(i.uuid, i." ref ", i.nome, i.quantidade, "     \
	"i.valor_unitario_centavos) ORDER BY i.criado_em, i.uuid), '[]') FROM " tabela " i "       \
	"WHERE i.ordem_uuid = o.uuid)"

/* clang-format off */
static const struct pg_statement detalhe_sql = {
	"ordem_detalhe",
	"SELECT " PG_ORDEM_COLS("o.") ", c.nome, c.documento, v.placa, v.marca, v.modelo, v.ano, "
	ITENS_JSON("ordem_servicos", "servico_uuid") ", "
	ITENS_JSON("ordem_pecas", "peca_uuid") ", "
	"(SELECT coalesce(json_agg(json_build_array(h.status, " PG_RFC3339("h.em") ", h.por) "
	"ORDER BY h.id), '[]') FROM ordem_historico h WHERE h.ordem_uuid = o.uuid) "
	"FROM ordens o "
	"JOIN clientes c ON c.uuid = o.cliente_uuid "
	"JOIN veiculos v ON v.uuid = o.veiculo_uuid "
	"WHERE o.uuid = $1 AND ($2::uuid IS NULL OR o.cliente_uuid = $2)",
	2};
/* clang-format on */
/* SQL reads best one clause per line, and clang-format cannot keep it so. */
/* clang-format off */
static const struct pg_statement status_sql = {
    "ordem_status",
    "SELECT uuid, numero, status, " PG_RFC3339("atualizada_em") " FROM ordens "
    "WHERE uuid = $1 AND ($2::uuid IS NULL OR cliente_uuid = $2)",
    2};
/* One row with a NULL status for an order without history; none for an unknown order. */
static const struct pg_statement historico_sql = {
    "ordem_historico_listar",
    "SELECT h.status, " PG_RFC3339("h.em") ", h.por FROM ordens o "
    "LEFT JOIN ordem_historico h ON h.ordem_uuid = o.uuid "
    "WHERE o.uuid = $1 AND ($2::uuid IS NULL OR o.cliente_uuid = $2) ORDER BY h.id",
    2};
/* clang-format on */

static const char *uuid_or_null(const struct uuid *u)
{
	return u ? pg_text_or_null(u->str) : NULL;
}

/* "{A,B}" of the states in mask (0: the four open ones) into out. */
static void status_array(unsigned mask, char *out, size_t n)
{
	size_t len = 0;

	if (mask == 0)
		for (int s = 0; s < ORDEM_STATUS_COUNT; s++)
			if (ordem_aberta((enum ordem_status)s))
				mask |= 1u << s;
	out[len++] = '{';
	for (int s = 0; s < ORDEM_STATUS_COUNT && len + 32 < n; s++)
		if (mask & (1u << s))
			len += (size_t)snprintf(out + len, n - len, "%s%s", len > 1 ? "," : "",
			                        ordem_status_nome((enum ordem_status)s));
	snprintf(out + len, n - len, "}");
}

static void row_to_resumo(const PGresult *r, int i, void *out)
{
	struct ordem_resumo *o = out;

	pg_copy(o->uuid.str, sizeof o->uuid.str, r, i, 0);
	pg_copy(o->numero, sizeof o->numero, r, i, 1);
	o->status = pg_ordem_status(r, i, 2);
	pg_copy(o->cliente_uuid.str, sizeof o->cliente_uuid.str, r, i, 3);
	pg_copy(o->cliente_nome, sizeof o->cliente_nome, r, i, 4);
	pg_copy(o->veiculo_uuid.str, sizeof o->veiculo_uuid.str, r, i, 5);
	pg_copy(o->placa, sizeof o->placa, r, i, 6);
	o->tem_orcamento = !PQgetisnull(r, i, 7);
	o->valor_total = pg_ordem_int64(r, i, 7);
	pg_copy(o->criada_em, sizeof o->criada_em, r, i, 8);
	pg_copy(o->atualizada_em, sizeof o->atualizada_em, r, i, 9);
}

static int list(void *self, const struct ordem_filtro *f, const struct pagina *page,
                struct ordem_resumo *out, size_t *n, long *total)
{
	char estados[160];

	status_array(f->status_mask, estados, sizeof estados);
	const char *filtros[] = {estados, uuid_or_null(f->cliente_uuid), f->placa,
	                         uuid_or_null(f->dono)};
	return pg_query_page(self, &listar_sql, &contar_sql, filtros, 4, page, row_to_resumo, out,
	                     sizeof *out, n, total);
}

/*
 * Decodes text, a JSON array of rows, into a new array of zeroed elements of size bytes, one per
 * row, each filled by map; *items gets the array (NULL for no row, heap_free to release) and *n
 * its length. 0, APP_EINTERNAL when text is not an array, or APP_ENOMEM (then *items is NULL).
 */
static int json_rows(const char *text, size_t size, void (*map)(json_t *row, void *item),
                     void **items, size_t *n)
{
	json_t *arr = json_loads(text, 0, NULL), *row;
	size_t i;

	*items = NULL;
	*n = 0;
	if (!json_is_array(arr)) {
		json_decref(arr);
		return APP_EINTERNAL;
	}
	if (json_array_size(arr) > 0 && !(*items = heap_calloc(json_array_size(arr), size))) {
		json_decref(arr);
		return APP_ENOMEM;
	}
	json_array_foreach(arr, i, row)
	{
		map(row, (char *)*items + i * size);
	}
	*n = json_array_size(arr);
	json_decref(arr);
	return 0;
}

/* One item of [[uuid, ref, nome, quantidade, valor], ...]. */
static void json_to_item(json_t *v, void *out)
{
	struct ordem_item *it = out;
	const char *uuid = json_string_value(json_array_get(v, 0));
	const char *ref = json_string_value(json_array_get(v, 1));
	const char *nome = json_string_value(json_array_get(v, 2));

	snprintf(it->uuid.str, sizeof it->uuid.str, "%s", uuid ? uuid : "");
	snprintf(it->ref_uuid.str, sizeof it->ref_uuid.str, "%s", ref ? ref : "");
	snprintf(it->nome, sizeof it->nome, "%s", nome ? nome : "");
	it->quantidade = (int)json_integer_value(json_array_get(v, 3));
	it->valor_unitario = (int64_t)json_integer_value(json_array_get(v, 4));
	it->estoque = -1;
}

/* One entry of [[status, em, por], ...]. */
static void json_to_historico(json_t *v, void *out)
{
	struct ordem_historico_item *h = out;
	const char *em = json_string_value(json_array_get(v, 1));
	const char *por = json_string_value(json_array_get(v, 2));

	h->status = ordem_status_parse(json_string_value(json_array_get(v, 0)));
	snprintf(h->em, sizeof h->em, "%s", em ? em : "");
	snprintf(h->por, sizeof h->por, "%s", por ? por : "");
}

static int itens_json(const char *text, struct ordem_itens *out)
{
	void *itens;
	int rc = json_rows(text, sizeof *out->itens, json_to_item, &itens, &out->n);
	out->itens = itens;
	return rc;
}

static int historico_json(const char *text, struct ordem_detalhe *d)
{
	void *historico;
	int rc =
	    json_rows(text, sizeof *d->historico, json_to_historico, &historico, &d->n_historico);
	d->historico = historico;
	return rc;
}

static int detalhe(void *self, const struct uuid *id, const struct uuid *dono,
                   struct ordem_detalhe *out)
{
	const char *p[] = {id->str, uuid_or_null(dono)};
	const int c = PG_ORDEM_NCOLS;
	PGresult *r;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = pg_session_exec(self, &detalhe_sql, p, &r)) != 0)
		return rc;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return APP_ENOTFOUND;
	}
	pg_ordem_row(r, 0, 0, &out->ordem);
	pg_copy(out->cliente_nome, sizeof out->cliente_nome, r, 0, c);
	pg_copy(out->cliente_documento, sizeof out->cliente_documento, r, 0, c + 1);
	pg_copy(out->placa, sizeof out->placa, r, 0, c + 2);
	pg_copy(out->marca, sizeof out->marca, r, 0, c + 3);
	pg_copy(out->modelo, sizeof out->modelo, r, 0, c + 4);
	out->ano = (int)pg_long(r, 0, c + 5);
	rc = itens_json(PQgetvalue(r, 0, c + 6), &out->servicos);
	if (rc == 0)
		rc = itens_json(PQgetvalue(r, 0, c + 7), &out->pecas);
	if (rc == 0)
		rc = historico_json(PQgetvalue(r, 0, c + 8), out);
	PQclear(r);
	if (rc != 0)
		ordem_detalhe_cleanup(out);
	return rc;
}

static void row_to_status(const PGresult *r, int row, void *out)
{
	struct ordem_status_atual *s = out;

	pg_copy(s->uuid.str, sizeof s->uuid.str, r, row, 0);
	pg_copy(s->numero, sizeof s->numero, r, row, 1);
	s->status = pg_ordem_status(r, row, 2);
	pg_copy(s->atualizada_em, sizeof s->atualizada_em, r, row, 3);
}

static int status(void *self, const struct uuid *id, const struct uuid *dono,
                  struct ordem_status_atual *out)
{
	const char *p[] = {id->str, uuid_or_null(dono)};
	return pg_query_one(self, &status_sql, p, row_to_status, out);
}

static int historico(void *self, const struct uuid *id, const struct uuid *dono,
                     struct ordem_historico_lista *out)
{
	const char *p[] = {id->str, uuid_or_null(dono)};
	PGresult *r;
	int rc, n;

	out->itens = NULL;
	out->n = 0;
	if ((rc = pg_session_exec(self, &historico_sql, p, &r)) != 0)
		return rc;
	if ((n = PQntuples(r)) == 0) {
		PQclear(r);
		return APP_ENOTFOUND;
	}
	if (!(out->itens = heap_calloc((size_t)n, sizeof *out->itens))) {
		PQclear(r);
		return APP_ENOMEM;
	}
	for (int i = 0; i < n; i++) {
		if (PQgetisnull(r, i, 0))
			continue; /* the order exists, without history */
		struct ordem_historico_item *h = &out->itens[out->n++];
		h->status = pg_ordem_status(r, i, 0);
		pg_copy(h->em, sizeof h->em, r, i, 1);
		pg_copy(h->por, sizeof h->por, r, i, 2);
	}
	PQclear(r);
	return 0;
}

static const struct ordem_consultas_ops ops = {
    .list = list,
    .find_detalhe = detalhe,
    .find_status = status,
    .list_historico = historico,
};

void pg_ordem_consultas_init(struct ordem_consultas *c, struct pg_session *s)
{
	c->ops = &ops;
	c->self = s;
}

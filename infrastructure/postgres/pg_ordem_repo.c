/*
 * Service orders in PostgreSQL, the command side: the ordem_repo port (infrastructure layer).
 * Items copy the catalogue's name and price in SQL (INSERT ... SELECT), so the command side needs
 * no catalogue port; adding an entry the order already has grows its line (ON CONFLICT).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/errors.h"
#include "application/ports/ordem_repo.h"
#include "domain/heap.h"
#include "infrastructure/postgres/pg_ordem_rows.h"
#include "infrastructure/postgres/pg_query.h"
#include "infrastructure/postgres/pg_repos.h"

#define COLS PG_ORDEM_COLS("")

/* The year in UTC and at least six digits of the sequence: OS-2026-000123. */
static const struct pg_statement abrir_sql = {
    "ordem_abrir",
    "INSERT INTO ordens (numero, cliente_uuid, veiculo_uuid, status, descricao) "
    "SELECT 'OS-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || "
    "lpad(n::text, greatest(6, length(n::text)), '0'), $1, $2, 'RECEBIDA', $3 "
    "FROM nextval('ordens_numero_seq') AS n RETURNING " COLS,
    3};
static const struct pg_statement find_lock_sql = {
    "ordem_find_lock", "SELECT " COLS " FROM ordens WHERE uuid = $1 FOR UPDATE", 1};
static const struct pg_statement set_status_sql = {
    "ordem_set_status", "UPDATE ordens SET status = $2, atualizada_em = now() WHERE uuid = $1", 2};
static const struct pg_statement congelar_sql = {
    "ordem_congelar",
    "UPDATE ordens SET valor_servicos_centavos = $2, valor_pecas_centavos = $3, "
    "valor_total_centavos = $4, orcamento_gerado_em = now(), orcamento_decidido_em = NULL, "
    "orcamento_decisao = NULL, atualizada_em = now() WHERE uuid = $1",
    4};
static const struct pg_statement decidir_sql = {
    "ordem_decidir",
    "UPDATE ordens SET orcamento_decisao = $2, orcamento_decidido_em = now(), "
    "atualizada_em = now() WHERE uuid = $1",
    2};

/*
 * Adds a line, or grows the one of the same catalogue entry while it stays within the limit.
 * Answers (entry found, line uuid or NULL when the limit refused it). The order's atualizada_em
 * moves with its items.
 */
#define ADD_ITEM_SQL(tabela, catalogo, ref)                                                        \
	"WITH cat AS (SELECT nome, valor_centavos FROM " catalogo " WHERE uuid = $2 AND ativo), "  \
	"ins AS (INSERT INTO " tabela " (ordem_uuid, " ref ", nome, quantidade, "                  \
	"valor_unitario_centavos) SELECT $1, $2, nome, $3, valor_centavos FROM cat "               \
	"ON CONFLICT (ordem_uuid, " ref ") DO UPDATE SET quantidade = " tabela                     \
	".quantidade + EXCLUDED.quantidade WHERE " tabela ".quantidade + EXCLUDED.quantidade <= "  \
	"10000 RETURNING uuid), "                                                                  \
	"toque AS (UPDATE ordens SET atualizada_em = now() WHERE uuid = $1 "                       \
	"AND EXISTS (SELECT 1 FROM ins)) "                                                         \
	"SELECT EXISTS (SELECT 1 FROM cat), (SELECT uuid FROM ins)"

static const struct pg_statement add_servico_sql = {
    "ordem_add_servico", ADD_ITEM_SQL("ordem_servicos", "servicos", "servico_uuid"), 3};
static const struct pg_statement add_peca_sql = {
    "ordem_add_peca", ADD_ITEM_SQL("ordem_pecas", "pecas", "peca_uuid"), 3};

#define REMOVE_ITEM_SQL(tabela)                                                                    \
	"WITH del AS (DELETE FROM " tabela " WHERE ordem_uuid = $1 AND uuid = $2 RETURNING 1), "   \
	"toque AS (UPDATE ordens SET atualizada_em = now() WHERE uuid = $1 "                       \
	"AND EXISTS (SELECT 1 FROM del)) SELECT count(*) FROM del"

static const struct pg_statement remove_servico_sql = {"ordem_remove_servico",
                                                       REMOVE_ITEM_SQL("ordem_servicos"), 2};
static const struct pg_statement remove_peca_sql = {"ordem_remove_peca",
                                                    REMOVE_ITEM_SQL("ordem_pecas"), 2};

static const struct pg_statement servicos_sql = {
    "ordem_servicos_listar",
    "SELECT uuid, servico_uuid, nome, quantidade, valor_unitario_centavos, -1 "
    "FROM ordem_servicos WHERE ordem_uuid = $1 ORDER BY criado_em, uuid",
    1};
static const struct pg_statement pecas_sql = {
    "ordem_pecas_listar",
    "SELECT i.uuid, i.peca_uuid, i.nome, i.quantidade, i.valor_unitario_centavos, "
    "p.quantidade_estoque FROM ordem_pecas i JOIN pecas p ON p.uuid = i.peca_uuid "
    "WHERE i.ordem_uuid = $1 ORDER BY i.criado_em, i.uuid",
    1};
static const struct pg_statement historico_sql = {
    "ordem_historico_insert",
    "INSERT INTO ordem_historico (ordem_uuid, status, por, perfil, correlation_id) "
    "VALUES ($1, $2, $3, $4, $5)",
    5};

int64_t pg_ordem_int64(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

enum ordem_status pg_ordem_status(const PGresult *r, int row, int col)
{
	char status[32];

	pg_copy(status, sizeof status, r, row, col);
	return ordem_status_parse(status);
}

void pg_ordem_row(const PGresult *r, int row, int col, struct ordem *o)
{
	char decisao[16];

	pg_copy(o->uuid.str, sizeof o->uuid.str, r, row, col + 0);
	pg_copy(o->numero, sizeof o->numero, r, row, col + 1);
	pg_copy(o->cliente_uuid.str, sizeof o->cliente_uuid.str, r, row, col + 2);
	pg_copy(o->veiculo_uuid.str, sizeof o->veiculo_uuid.str, r, row, col + 3);
	o->status = pg_ordem_status(r, row, col + 4);
	pg_copy(o->descricao, sizeof o->descricao, r, row, col + 5);
	o->tem_orcamento = !PQgetisnull(r, row, col + 8);
	o->orcamento.valor_servicos = pg_ordem_int64(r, row, col + 6);
	o->orcamento.valor_pecas = pg_ordem_int64(r, row, col + 7);
	o->orcamento.valor_total = pg_ordem_int64(r, row, col + 8);
	pg_copy(o->orcamento_gerado_em, sizeof o->orcamento_gerado_em, r, row, col + 9);
	pg_copy(o->orcamento_decidido_em, sizeof o->orcamento_decidido_em, r, row, col + 10);
	pg_copy(decisao, sizeof decisao, r, row, col + 11);
	o->decisao = orcamento_decisao_parse(decisao);
	pg_copy(o->criada_em, sizeof o->criada_em, r, row, col + 12);
	pg_copy(o->atualizada_em, sizeof o->atualizada_em, r, row, col + 13);
}

static void row_to_ordem(const PGresult *r, int row, void *out)
{
	pg_ordem_row(r, row, 0, out);
}

static int insert(void *self, struct ordem *o)
{
	const char *p[] = {o->cliente_uuid.str, o->veiculo_uuid.str, pg_text_or_null(o->descricao)};
	return pg_query_one(self, &abrir_sql, p, row_to_ordem, o);
}

static int find_for_update(void *self, const struct uuid *id, struct ordem *out)
{
	const char *p[] = {id->str};
	return pg_query_one(self, &find_lock_sql, p, row_to_ordem, out);
}

static int set_status(void *self, const struct uuid *id, enum ordem_status status)
{
	const char *p[] = {id->str, ordem_status_nome(status)};
	if (status < 0 || status >= ORDEM_STATUS_COUNT)
		return APP_EINVALID;
	return pg_query_change_one(self, &set_status_sql, p);
}

static int save_orcamento(void *self, const struct uuid *id, const struct orcamento *orc)
{
	char vs[24], vp[24], vt[24];
	snprintf(vs, sizeof vs, "%" PRId64, orc->valor_servicos);
	snprintf(vp, sizeof vp, "%" PRId64, orc->valor_pecas);
	snprintf(vt, sizeof vt, "%" PRId64, orc->valor_total);
	const char *p[] = {id->str, vs, vp, vt};
	return pg_query_change_one(self, &congelar_sql, p);
}

static int save_decisao(void *self, const struct uuid *id, enum orcamento_decisao d)
{
	const char *p[] = {id->str, orcamento_decisao_nome(d)};
	if (d != DECISAO_APROVADO && d != DECISAO_REPROVADO)
		return APP_EINVALID;
	return pg_query_change_one(self, &decidir_sql, p);
}

static int add_item(void *self, const struct uuid *ordem, enum ordem_item_tipo tipo,
                    const struct uuid *ref_uuid, int quantidade, struct uuid *item_out)
{
	char q[16];
	PGresult *r;
	int rc;

	snprintf(q, sizeof q, "%d", quantidade);
	const char *p[] = {ordem->str, ref_uuid->str, q};
	rc = pg_session_exec(self, tipo == ITEM_SERVICO ? &add_servico_sql : &add_peca_sql, p, &r);
	if (rc != 0)
		return rc;
	if (PQntuples(r) != 1 || !pg_bool(r, 0, 0))
		rc = APP_ENOTFOUND;
	else if (PQgetisnull(r, 0, 1))
		rc = APP_EINVALID;
	else
		pg_copy(item_out->str, sizeof item_out->str, r, 0, 1);
	PQclear(r);
	return rc;
}

static int remove_item(void *self, const struct uuid *ordem, enum ordem_item_tipo tipo,
                       const struct uuid *item)
{
	const char *p[] = {ordem->str, item->str};
	PGresult *r;
	int rc = pg_session_exec(
	    self, tipo == ITEM_SERVICO ? &remove_servico_sql : &remove_peca_sql, p, &r);
	if (rc != 0)
		return rc;
	if (pg_long(r, 0, 0) != 1)
		rc = APP_ENOTFOUND;
	PQclear(r);
	return rc;
}

int pg_ordem_itens(const PGresult *r, struct ordem_itens *out)
{
	int n = PQntuples(r);

	out->itens = NULL;
	out->n = 0;
	if (n == 0)
		return 0;
	if (!(out->itens = heap_calloc((size_t)n, sizeof *out->itens)))
		return APP_ENOMEM;
	for (int i = 0; i < n; i++) {
		struct ordem_item *it = &out->itens[i];
		pg_copy(it->uuid.str, sizeof it->uuid.str, r, i, 0);
		pg_copy(it->ref_uuid.str, sizeof it->ref_uuid.str, r, i, 1);
		pg_copy(it->nome, sizeof it->nome, r, i, 2);
		it->quantidade = (int)pg_long(r, i, 3);
		it->valor_unitario = pg_ordem_int64(r, i, 4);
		it->estoque = (int)pg_long(r, i, 5);
	}
	out->n = (size_t)n;
	return 0;
}

static int list_itens(void *self, const struct uuid *ordem, enum ordem_item_tipo tipo,
                      struct ordem_itens *out)
{
	const char *p[] = {ordem->str};
	PGresult *r;
	int rc;

	out->itens = NULL;
	out->n = 0;
	if ((rc = pg_session_exec(self, tipo == ITEM_SERVICO ? &servicos_sql : &pecas_sql, p,
	                          &r)) != 0)
		return rc;
	rc = pg_ordem_itens(r, out);
	PQclear(r);
	return rc;
}

static int append_historico(void *self, const struct uuid *ordem, enum ordem_status status,
                            const char *por, const char *perfil, const char *correlation_id)
{
	const char *p[] = {ordem->str, ordem_status_nome(status), pg_text_or_null(por),
	                   pg_text_or_null(perfil), pg_text_or_null(correlation_id)};
	return pg_query_run(self, &historico_sql, p);
}

static const struct ordem_repo_ops ops = {
    .insert = insert,
    .find_for_update = find_for_update,
    .set_status = set_status,
    .save_orcamento = save_orcamento,
    .save_decisao = save_decisao,
    .add_item = add_item,
    .remove_item = remove_item,
    .list_itens = list_itens,
    .append_historico = append_historico,
};

void pg_ordem_repo_init(struct ordem_repo *repo, struct pg_session *s)
{
	repo->ops = &ops;
	repo->self = s;
}

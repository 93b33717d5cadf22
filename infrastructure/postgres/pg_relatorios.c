/*
 * The reports' read models in PostgreSQL: the relatorios port (infrastructure layer). Each report
 * is one statement shaped for its answer; the figures come from the status history
 * (ordem_historico), whose rows say when an order entered each state. A period is whole UTC days:
 * [de 00:00Z, ate + 1 day 00:00Z).
 */
#include <stdlib.h>
#include <string.h>

#include "domain/errors.h"
#include "infrastructure/postgres/pg_query.h"
#include "infrastructure/postgres/pg_repos.h"

#define DESDE    "(($1::date)::timestamp AT TIME ZONE 'UTC')"
#define ATE      "((($2::date) + 1)::timestamp AT TIME ZONE 'UTC')"
#define HORAS(x) "round((" x ") / 3600.0, 2)::text"

/*
 * fin: the orders that reached FINALIZADA in the period (the first time, should a history hold
 * two). linhas: their history up to that moment; an order without a RECEBIDA row gets one at
 * its creation. passos: the seconds spent in each state, from one row to the next (LEAD).
 * por_ordem: per order, the total (creation -> FINALIZADA), the execution (last entry into
 * EM_EXECUCAO -> FINALIZADA) and the time in each waiting state (summed when it was entered more
 * than once). The means ignore orders that never were in a state; all are NULL without orders.
 */
/* clang-format off */
static const struct pg_statement tempo_medio_sql = {
	"relatorio_tempo_medio",
	"WITH fin AS ("
	" SELECT h.ordem_uuid, min(h.em) AS fim FROM ordem_historico h"
	" WHERE h.status = 'FINALIZADA' AND h.em >= " DESDE " AND h.em < " ATE
	" GROUP BY h.ordem_uuid),"
	" linhas AS ("
	" SELECT h.ordem_uuid, h.status, h.em, h.id FROM ordem_historico h"
	" JOIN fin ON fin.ordem_uuid = h.ordem_uuid WHERE h.em <= fin.fim"
	" UNION ALL"
	" SELECT o.uuid, 'RECEBIDA', o.criada_em, 0 FROM ordens o"
	" JOIN fin ON fin.ordem_uuid = o.uuid"
	" WHERE NOT EXISTS (SELECT 1 FROM ordem_historico r"
	" WHERE r.ordem_uuid = o.uuid AND r.status = 'RECEBIDA')),"
	" passos AS ("
	" SELECT ordem_uuid, status, em, extract(epoch FROM lead(em) OVER"
	" (PARTITION BY ordem_uuid ORDER BY em, id) - em) AS s FROM linhas),"
	" por_ordem AS ("
	" SELECT extract(epoch FROM fin.fim - o.criada_em) AS total_s,"
	" extract(epoch FROM fin.fim - max(p.em) FILTER (WHERE p.status = 'EM_EXECUCAO'))"
	" AS exec_s,"
	" sum(p.s) FILTER (WHERE p.status = 'RECEBIDA') AS recebida_s,"
	" sum(p.s) FILTER (WHERE p.status = 'EM_DIAGNOSTICO') AS diagnostico_s,"
	" sum(p.s) FILTER (WHERE p.status = 'AGUARDANDO_APROVACAO') AS aguardando_s,"
	" sum(p.s) FILTER (WHERE p.status = 'EM_EXECUCAO') AS execucao_s"
	" FROM fin JOIN ordens o ON o.uuid = fin.ordem_uuid"
	" LEFT JOIN passos p ON p.ordem_uuid = fin.ordem_uuid"
	" GROUP BY fin.ordem_uuid, fin.fim, o.criada_em)"
	" SELECT count(*),"
	" " HORAS("avg(exec_s)") ","
	" " HORAS("avg(total_s)") ","
	" " HORAS("avg(recebida_s)") ","
	" " HORAS("avg(diagnostico_s)") ","
	" " HORAS("avg(aguardando_s)") ","
	" " HORAS("avg(execucao_s)")
	" FROM por_ordem",
	2};
/* clang-format on */

/*
 * Every day of the period (generate_series), with the orders created that day and the orders
 * that entered FINALIZADA and ENTREGUE that day (each order once per day and state).
 */
static const struct pg_statement volume_diario_sql = {
    "relatorio_volume_diario",
    "WITH dias AS ("
    " SELECT d::date AS dia FROM generate_series($1::date, $2::date, interval '1 day') AS d),"
    " abertas AS ("
    " SELECT (criada_em AT TIME ZONE 'UTC')::date AS dia, count(*) AS n FROM ordens"
    " WHERE criada_em >= " DESDE " AND criada_em < " ATE " GROUP BY 1),"
    " marcos AS ("
    " SELECT (em AT TIME ZONE 'UTC')::date AS dia,"
    " count(DISTINCT ordem_uuid) FILTER (WHERE status = 'FINALIZADA') AS finalizadas,"
    " count(DISTINCT ordem_uuid) FILTER (WHERE status = 'ENTREGUE') AS entregues"
    " FROM ordem_historico WHERE status IN ('FINALIZADA', 'ENTREGUE')"
    " AND em >= " DESDE " AND em < " ATE " GROUP BY 1)"
    " SELECT to_char(d.dia, 'YYYY-MM-DD'), coalesce(a.n, 0), coalesce(m.finalizadas, 0),"
    " coalesce(m.entregues, 0) FROM dias d LEFT JOIN abertas a ON a.dia = d.dia"
    " LEFT JOIN marcos m ON m.dia = d.dia ORDER BY d.dia",
    2};

static void horas(const PGresult *r, int row, int col, struct horas *out)
{
	out->definido = !PQgetisnull(r, row, col);
	out->valor = out->definido ? strtod(PQgetvalue(r, row, col), NULL) : 0.0;
}

static void row_to_tempo_medio(const PGresult *r, int row, void *out)
{
	struct relatorio_tempo_medio *t = out;

	t->ordens_consideradas = pg_long(r, row, 0);
	horas(r, row, 1, &t->execucao);
	horas(r, row, 2, &t->total);
	for (int i = 0; i < ETAPAS; i++)
		horas(r, row, 3 + i, &t->por_status[i]);
}

static int tempo_medio(void *self, const struct periodo *p, struct relatorio_tempo_medio *out)
{
	const char *params[] = {p->de, p->ate};
	int rc;

	memset(out, 0, sizeof *out);
	rc = pg_query_one(self, &tempo_medio_sql, params, row_to_tempo_medio, out);
	return rc == APP_ENOTFOUND ? APP_EINTERNAL : rc; /* an aggregate answers its one row */
}

static int volume_diario(void *self, const struct periodo *p, struct volume_dia *out, size_t max,
                         size_t *n)
{
	const char *params[] = {p->de, p->ate};
	PGresult *r;
	int rc;

	*n = 0;
	if ((rc = pg_session_exec(self, &volume_diario_sql, params, &r)) != 0)
		return rc;
	for (int i = 0; i < PQntuples(r) && *n < max; i++) {
		struct volume_dia *d = &out[(*n)++];
		pg_copy(d->dia, sizeof d->dia, r, i, 0);
		d->abertas = pg_long(r, i, 1);
		d->finalizadas = pg_long(r, i, 2);
		d->entregues = pg_long(r, i, 3);
	}
	PQclear(r);
	return 0;
}

static const struct relatorios_ops ops = {
    .tempo_medio = tempo_medio,
    .volume_diario = volume_diario,
};

void pg_relatorios_init(struct relatorios *rel, struct pg_session *s)
{
	rel->ops = &ops;
	rel->self = s;
}

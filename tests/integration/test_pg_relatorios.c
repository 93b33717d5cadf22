/*
 * Integration tests of infrastructure/postgres/pg_relatorios.c against a real database: orders and
 * status history rows are written with SQL at known instants, and the reports must give exactly
 * the figures that history implies. The binary creates one fresh database of the
 * TEST_DATABASE_URL cluster (the reports read every order, so a shared database would mix in
 * other tests' orders), applies every .up.sql of migrations/, and drops it at the end. Run from the
 * repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "domain/errors.h"
#include "infrastructure/postgres/pg_repos.h"
#include "infrastructure/postgres/pg_session.h"
#include "tests/support/pg_test.h"

struct fx {
	struct pg_session s;   /* the session under test */
	struct relatorios rel; /* the adapter over s */
	PGconn *admin;         /* plain connection for the fixtures */
	char cliente[40];      /* owner of every order */
	char veiculo[40];      /* vehicle of every order */
	int serial;            /* numero of the next order */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	assert_non_null(f);
	f->admin = pg_test_connect(pg_test_db.name);
	pg_test_exec(f->admin, "SET client_min_messages = warning", 0, NULL); /* CASCADE notes */
	pg_test_exec(f->admin, "TRUNCATE ordem_historico, ordens, veiculos, clientes CASCADE", 0,
	             NULL);
	pg_test_query_text(f->admin,
	                   "INSERT INTO clientes (nome, documento, tipo_documento) "
	                   "VALUES ('Cliente Relatório', '52998224725', 'CPF') RETURNING uuid",
	                   0, NULL, f->cliente, sizeof f->cliente);
	const char *p[] = {f->cliente};
	pg_test_query_text(f->admin,
	                   "INSERT INTO veiculos (cliente_uuid, placa, marca, modelo, ano) "
	                   "VALUES ($1, 'ABC1D23', 'Fiat', 'Uno', 2010) RETURNING uuid",
	                   1, p, f->veiculo, sizeof f->veiculo);
	pg_session_init(&f->s, &pg_test_db.cfg);
	pg_relatorios_init(&f->rel, &f->s);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	pg_session_cleanup(&f->s);
	PQfinish(f->admin);
	free(f);
	return 0;
}

/* An order created at criada_em (any timestamptz text), in status; its uuid into out. */
static void ordem(struct fx *f, const char *criada_em, const char *status, char out[40])
{
	char numero[32];
	snprintf(numero, sizeof numero, "OS-2026-%06d", ++f->serial);
	const char *p[] = {numero, f->cliente, f->veiculo, status, criada_em};
	pg_test_query_text(
	    f->admin,
	    "INSERT INTO ordens (numero, cliente_uuid, veiculo_uuid, status, criada_em) "
	    "VALUES ($1, $2, $3, $4, $5) RETURNING uuid",
	    5, p, out, 40);
}

/* A history row: the order entered status at em. */
static void entrou(struct fx *f, const char *ordem_uuid, const char *status, const char *em)
{
	const char *p[] = {ordem_uuid, status, em};
	pg_test_exec(f->admin,
	             "INSERT INTO ordem_historico (ordem_uuid, status, em, por, perfil) "
	             "VALUES ($1, $2, $3, 'teste', 'admin')",
	             3, p);
}

static struct periodo periodo(const char *de, const char *ate, int dias)
{
	struct periodo p = {.dias = dias};
	snprintf(p.de, sizeof p.de, "%s", de);
	snprintf(p.ate, sizeof p.ate, "%s", ate);
	return p;
}

static void assert_horas(const struct horas *h, double esperado)
{
	if (!h->definido)
		fail_msg("esperava %.2f h, veio null", esperado);
	if (h->valor != esperado)
		fail_msg("esperava %.2f h, veio %.17g", esperado, h->valor);
}

/*
 * A: created 2026-03-10 08:00Z, diagnosis 09:00, budget 10:30, execution 12:00, finished 16:00,
 * delivered the next day. B: created 10:00 without a RECEBIDA row (its creation stands for it),
 * diagnosis 10:30, budget 11:00, execution 11:20, finished 2026-03-11 09:20. C: open, created
 * 2026-03-10 20:00-03 (23:00Z). D: open, created 2026-03-10 22:30-03, which is 2026-03-11 in UTC.
 */
static void historia(struct fx *f)
{
	char a[40], b[40], c[40], d[40];

	ordem(f, "2026-03-10 08:00:00+00", "ENTREGUE", a);
	entrou(f, a, "RECEBIDA", "2026-03-10 08:00:00+00");
	entrou(f, a, "EM_DIAGNOSTICO", "2026-03-10 09:00:00+00");
	entrou(f, a, "AGUARDANDO_APROVACAO", "2026-03-10 10:30:00+00");
	entrou(f, a, "EM_EXECUCAO", "2026-03-10 12:00:00+00");
	entrou(f, a, "FINALIZADA", "2026-03-10 16:00:00+00");
	entrou(f, a, "ENTREGUE", "2026-03-11 10:00:00+00");

	ordem(f, "2026-03-10 10:00:00+00", "FINALIZADA", b);
	entrou(f, b, "EM_DIAGNOSTICO", "2026-03-10 10:30:00+00");
	entrou(f, b, "AGUARDANDO_APROVACAO", "2026-03-10 11:00:00+00");
	entrou(f, b, "EM_EXECUCAO", "2026-03-10 11:20:00+00");
	entrou(f, b, "FINALIZADA", "2026-03-11 09:20:00+00");

	ordem(f, "2026-03-10 20:00:00-03", "EM_EXECUCAO", c);
	entrou(f, c, "RECEBIDA", "2026-03-10 23:00:00+00");
	entrou(f, c, "EM_DIAGNOSTICO", "2026-03-11 01:00:00+00");
	entrou(f, c, "AGUARDANDO_APROVACAO", "2026-03-11 02:00:00+00");
	entrou(f, c, "EM_EXECUCAO", "2026-03-11 03:00:00+00");

	ordem(f, "2026-03-10 22:30:00-03", "RECEBIDA", d);
	entrou(f, d, "RECEBIDA", "2026-03-11 01:30:00+00");
}

static void test_tempo_medio__uma_ordem__horas_exatas_do_historico(void **state)
{
	struct fx *f = *state;
	struct relatorio_tempo_medio t;
	struct periodo p = periodo("2026-03-10", "2026-03-10", 1);

	historia(f);
	assert_int_equal(relatorios_tempo_medio(&f->rel, &p, &t), 0);
	assert_int_equal(t.ordens_consideradas, 1); /* A only: B finished the next day */
	assert_horas(&t.execucao, 4.0);
	assert_horas(&t.total, 8.0);
	assert_horas(&t.por_status[ORDEM_RECEBIDA], 1.0);
	assert_horas(&t.por_status[ORDEM_EM_DIAGNOSTICO], 1.5);
	assert_horas(&t.por_status[ORDEM_AGUARDANDO_APROVACAO], 1.5);
	assert_horas(&t.por_status[ORDEM_EM_EXECUCAO], 4.0);
}

static void test_tempo_medio__duas_ordens__medias_arredondadas_a_2_casas(void **state)
{
	struct fx *f = *state;
	struct relatorio_tempo_medio t;
	struct periodo p = periodo("2026-03-10", "2026-03-11", 2);

	historia(f);
	assert_int_equal(relatorios_tempo_medio(&f->rel, &p, &t), 0);
	assert_int_equal(t.ordens_consideradas, 2);
	assert_horas(&t.execucao, 13.0);                               /* (4 + 22) / 2 */
	assert_horas(&t.total, 15.67);                                 /* (8 + 23h20) / 2 */
	assert_horas(&t.por_status[ORDEM_RECEBIDA], 0.75);             /* (1 + 0.5) / 2 */
	assert_horas(&t.por_status[ORDEM_EM_DIAGNOSTICO], 1.0);        /* (1.5 + 0.5) / 2 */
	assert_horas(&t.por_status[ORDEM_AGUARDANDO_APROVACAO], 0.92); /* (1.5 + 1/3) / 2 */
	assert_horas(&t.por_status[ORDEM_EM_EXECUCAO], 13.0);
}

static void test_tempo_medio__ordem_sem_linha_recebida__conta_desde_a_criacao(void **state)
{
	struct fx *f = *state;
	struct relatorio_tempo_medio t;
	struct periodo p = periodo("2026-03-11", "2026-03-11", 1);

	historia(f);
	assert_int_equal(relatorios_tempo_medio(&f->rel, &p, &t), 0);
	assert_int_equal(t.ordens_consideradas, 1); /* B */
	assert_horas(&t.execucao, 22.0);
	assert_horas(&t.total, 23.33);
	assert_horas(&t.por_status[ORDEM_RECEBIDA], 0.5);
	assert_horas(&t.por_status[ORDEM_EM_DIAGNOSTICO], 0.5);
	assert_horas(&t.por_status[ORDEM_AGUARDANDO_APROVACAO], 0.33);
	assert_horas(&t.por_status[ORDEM_EM_EXECUCAO], 22.0);
}

static void test_tempo_medio__sem_ordens_finalizadas__zero_e_nulls(void **state)
{
	struct fx *f = *state;
	struct relatorio_tempo_medio t;
	struct periodo p = periodo("2026-03-12", "2026-04-30", 50);

	historia(f);
	assert_int_equal(relatorios_tempo_medio(&f->rel, &p, &t), 0);
	assert_int_equal(t.ordens_consideradas, 0);
	assert_false(t.execucao.definido);
	assert_false(t.total.definido);
	for (int i = 0; i < ETAPAS; i++)
		assert_false(t.por_status[i].definido);
}

static void test_tempo_medio__limites_do_periodo_em_utc(void **state)
{
	struct fx *f = *state;
	struct relatorio_tempo_medio t;
	struct periodo p = periodo("2026-03-12", "2026-03-12", 1);
	char dentro[40], fora[40];

	ordem(f, "2026-03-12 20:00:00+00", "FINALIZADA", dentro);
	entrou(f, dentro, "RECEBIDA", "2026-03-12 20:00:00+00");
	entrou(f, dentro, "EM_DIAGNOSTICO", "2026-03-12 21:00:00+00");
	entrou(f, dentro, "AGUARDANDO_APROVACAO", "2026-03-12 22:00:00+00");
	entrou(f, dentro, "EM_EXECUCAO", "2026-03-12 23:00:00+00");
	entrou(f, dentro, "FINALIZADA", "2026-03-12 23:59:59+00");
	ordem(f, "2026-03-12 20:00:00+00", "FINALIZADA", fora);
	entrou(f, fora, "EM_EXECUCAO", "2026-03-12 23:00:00+00");
	entrou(f, fora, "FINALIZADA", "2026-03-13 00:00:00+00");

	assert_int_equal(relatorios_tempo_medio(&f->rel, &p, &t), 0);
	assert_int_equal(t.ordens_consideradas, 1);
	assert_horas(&t.total, 4.0); /* 3 h 59 min 59 s */
}

static void test_volume_diario__todos_os_dias_com_zeros(void **state)
{
	static const struct volume_dia esperado[] = {
	    {"2026-03-09", 0, 0, 0},
	    {"2026-03-10", 3, 1, 0}, /* A, B, C opened; A finished */
	    {"2026-03-11", 1, 1, 1}, /* D opened (UTC); B finished; A delivered */
	    {"2026-03-12", 0, 0, 0},
	};
	struct fx *f = *state;
	struct volume_dia dias[4];
	struct periodo p = periodo("2026-03-09", "2026-03-12", 4);
	size_t n = 99;

	historia(f);
	assert_int_equal(relatorios_volume_diario(&f->rel, &p, dias, 4, &n), 0);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(dias[i].dia, esperado[i].dia);
		assert_int_equal(dias[i].abertas, esperado[i].abertas);
		assert_int_equal(dias[i].finalizadas, esperado[i].finalizadas);
		assert_int_equal(dias[i].entregues, esperado[i].entregues);
	}
}

static void test_volume_diario__um_dia_e_ano_inteiro(void **state)
{
	struct fx *f = *state;
	struct periodo um = periodo("2026-03-11", "2026-03-11", 1);
	struct periodo ano = periodo("2024-01-01", "2024-12-31", 366);
	struct volume_dia *dias = calloc(366, sizeof *dias);
	size_t n = 0;

	assert_non_null(dias);
	historia(f);
	assert_int_equal(relatorios_volume_diario(&f->rel, &um, dias, 1, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(dias[0].dia, "2026-03-11");
	assert_int_equal(dias[0].abertas, 1);
	assert_int_equal(relatorios_volume_diario(&f->rel, &ano, dias, 366, &n), 0);
	assert_int_equal(n, 366);
	assert_string_equal(dias[0].dia, "2024-01-01");
	assert_string_equal(dias[59].dia, "2024-02-29");
	assert_string_equal(dias[365].dia, "2024-12-31");
	for (size_t i = 0; i < n; i++)
		assert_int_equal(dias[i].abertas + dias[i].finalizadas + dias[i].entregues, 0);
	free(dias);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_tempo_medio__uma_ordem__horas_exatas_do_historico),
	    T(test_tempo_medio__duas_ordens__medias_arredondadas_a_2_casas),
	    T(test_tempo_medio__ordem_sem_linha_recebida__conta_desde_a_criacao),
	    T(test_tempo_medio__sem_ordens_finalizadas__zero_e_nulls),
	    T(test_tempo_medio__limites_do_periodo_em_utc),
	    T(test_volume_diario__todos_os_dias_com_zeros),
	    T(test_volume_diario__um_dia_e_ano_inteiro),
	};
#undef T
	return cmocka_run_group_tests(tests, pg_test_group_migrated, pg_test_group_drop);
}

/*
 * Integration tests of the catalogue, parts and stock ledger adapters
 * (infrastructure/postgres/pg_servico_repo.c, pg_peca_repo.c, pg_estoque_repo.c) and of the
 * stock commands running on them, against a real database: the balance is always the sum of the
 * movements, never goes below zero, also when ten transactions race for five units, and the
 * estoque.* events land in the outbox with the change or not at all. The binary creates one fresh
 * database of the TEST_DATABASE_URL cluster, applies every .up.sql of migrations/, and drops it at
 * the end.
 * Run from the repository root (scripts/test.sh does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "application/app.h"
#include "application/commands/comandos_catalogo.h"
#include "application/commands/comandos_estoque.h"
#include "domain/dinheiro.h"
#include "domain/errors.h"
#include "infrastructure/postgres/pg_repos.h"
#include "infrastructure/postgres/pg_session.h"
#include "tests/support/pg_test.h"

#define UUID_ZERO       "00000000-0000-4000-8000-000000000000"
#define CORRIDA         10 /* racing transactions */
#define ESTOQUE_CORRIDA 5  /* units they race for */

/* What one test works with: a session, every adapter over it, and a struct app. */
struct fx {
	struct pg_session s;
	struct app app;
	PGconn *admin; /* a second, plain connection to the same database */
};

/* ---- helpers ---- */

static long saldo_de(PGconn *c, const struct uuid *id)
{
	const char *p[] = {id->str};
	return pg_test_query_long(c, "SELECT quantidade_estoque FROM pecas WHERE uuid = $1", 1, p);
}

static long soma_movimentos(PGconn *c, const struct uuid *id)
{
	const char *p[] = {id->str};
	return pg_test_query_long(c,
	                          "SELECT coalesce(sum(quantidade), 0) FROM movimentos_estoque "
	                          "WHERE peca_uuid = $1",
	                          1, p);
}

static long n_movimentos(PGconn *c, const struct uuid *id)
{
	const char *p[] = {id->str};
	return pg_test_query_long(c, "SELECT count(*) FROM movimentos_estoque WHERE peca_uuid = $1",
	                          1, p);
}

static long n_eventos(PGconn *c, const char *tipo, const struct uuid *id)
{
	const char *p[] = {tipo, id->str};
	return pg_test_query_long(
	    c, "SELECT count(*) FROM eventos WHERE tipo = $1 AND agregado_uuid = $2", 2, p);
}

static void wire(struct app *app, struct pg_session *s)
{
	memset(app, 0, sizeof *app);
	pg_transaction_init(&app->tx, s);
	pg_event_outbox_init(&app->eventos, s);
	pg_servico_repo_init(&app->servicos, s);
	pg_peca_repo_init(&app->pecas, s);
	pg_estoque_repo_init(&app->estoque, s);
}

/* Inserts a part through the repository (balance 0) and adds saldo with one movement. */
static void peca_com_saldo(struct fx *f, struct peca *p, const char *codigo, int saldo, int minimo)
{
	int min_out;

	memset(p, 0, sizeof *p);
	snprintf(p->nome, sizeof p->nome, "Peça %s", codigo);
	snprintf(p->codigo, sizeof p->codigo, "%s", codigo);
	p->tipo = TIPO_PECA_PECA;
	p->valor_centavos = 1990;
	p->estoque_minimo = minimo;
	p->ativo = true;
	assert_int_equal(peca_repo_insert(&f->app.pecas, p), 0);
	if (saldo > 0) {
		struct movimento m = {0};
		m.peca_uuid = p->uuid;
		m.quantidade = saldo;
		strcpy(m.motivo, "estoque inicial");
		assert_int_equal(estoque_repo_apply_movimento(&f->app.estoque, &m, NULL, &min_out),
		                 0);
		p->quantidade_estoque = m.saldo;
	}
}

/* ---- fixtures ---- */

/* pg_test_group_migrated, with 10 s for a statement. */
static int group_setup(void **state)
{
	int rc = pg_test_group_migrated(state);

	pg_test_db.cfg.statement_timeout_ms = 10000;
	return rc;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	assert_non_null(f);
	f->admin = pg_test_connect(pg_test_db.name);
	pg_test_exec(f->admin, "SET client_min_messages = warning", 0, NULL);
	pg_test_exec(f->admin, "TRUNCATE eventos, movimentos_estoque, pecas, servicos CASCADE", 0,
	             NULL);
	pg_session_init(&f->s, &pg_test_db.cfg);
	wire(&f->app, &f->s);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	transaction_rollback(&f->app.tx);
	pg_session_cleanup(&f->s);
	PQfinish(f->admin);
	free(f);
	return 0;
}

/* ---- servicos ---- */

static void test_servico__insert_find_update_list(void **state)
{
	struct fx *f = *state;
	struct servico s = {0}, got;
	struct servico out[5];
	struct servico_filtro filtro = {.nome_parte = "ÓLEO"};
	struct pagina page = {1, 5};
	size_t n;
	long total;

	strcpy(s.nome, "Troca de óleo");
	s.valor_centavos = 15050;
	s.ativo = true;
	assert_int_equal(servico_repo_insert(&f->app.servicos, &s), 0);
	assert_int_equal(strlen(s.uuid.str), UUID_LEN);
	assert_int_equal(servico_repo_find_by_uuid(&f->app.servicos, &s.uuid, false, &got), 0);
	assert_string_equal(got.nome, "Troca de óleo");
	assert_string_equal(got.descricao, "");
	assert_int_equal(got.valor_centavos, 15050);
	assert_int_equal(got.tempo_estimado_minutos, 0);

	strcpy(got.descricao, "Com filtro");
	got.tempo_estimado_minutos = 40;
	got.valor_centavos = DINHEIRO_MAX_CENTAVOS;
	assert_int_equal(servico_repo_update(&f->app.servicos, &got), 0);
	assert_int_equal(servico_repo_find_by_uuid(&f->app.servicos, &s.uuid, false, &got), 0);
	assert_string_equal(got.descricao, "Com filtro");
	assert_int_equal(got.tempo_estimado_minutos, 40);
	assert_int_equal(got.valor_centavos, DINHEIRO_MAX_CENTAVOS);

	/* lower() of PostgreSQL folds the accented capital too (UTF-8 database). */
	filtro.nome_parte = "óleo";
	assert_int_equal(servico_repo_list(&f->app.servicos, &filtro, &page, out, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, 1);

	struct uuid zero;
	uuid_parse(UUID_ZERO, &zero);
	assert_int_equal(servico_repo_find_by_uuid(&f->app.servicos, &zero, false, &got),
	                 APP_ENOTFOUND);
}

/* ---- pecas ---- */

static void test_peca__insert_comeca_em_zero_e_update_nao_mexe_no_saldo(void **state)
{
	struct fx *f = *state;
	struct peca p = {0}, got;

	strcpy(p.nome, "Vela de ignição");
	p.tipo = TIPO_PECA_PECA;
	p.quantidade_estoque = 99; /* ignored: stock comes in by movements */
	p.valor_centavos = 100;
	p.ativo = true;
	assert_int_equal(peca_repo_insert(&f->app.pecas, &p), 0);
	assert_int_equal(p.quantidade_estoque, 0);
	assert_int_equal(saldo_de(f->admin, &p.uuid), 0);

	peca_com_saldo(f, &got, "V-2", 4, 0);
	got.quantidade_estoque = 1000; /* an update must not store this */
	strcpy(got.nome, "Vela nova");
	assert_int_equal(peca_repo_update(&f->app.pecas, &got), 0);
	assert_int_equal(got.quantidade_estoque, 4); /* reloaded */
	assert_int_equal(saldo_de(f->admin, &got.uuid), 4);
}

static void test_peca__codigo_unico_sem_caixa(void **state)
{
	struct fx *f = *state;
	struct peca a, b = {0}, c = {0};

	peca_com_saldo(f, &a, "ABC-1", 0, 0);
	strcpy(b.nome, "Outra");
	strcpy(b.codigo, "abc-1");
	b.ativo = true;
	assert_int_equal(peca_repo_insert(&f->app.pecas, &b), APP_ECONFLICT);
	/* Parts without code do not collide. */
	strcpy(c.nome, "Sem código 1");
	assert_int_equal(peca_repo_insert(&f->app.pecas, &c), 0);
	memset(&c.uuid, 0, sizeof c.uuid);
	strcpy(c.nome, "Sem código 2");
	assert_int_equal(peca_repo_insert(&f->app.pecas, &c), 0);
}

static void test_peca__lista_abaixo_do_minimo(void **state)
{
	struct fx *f = *state;
	struct peca a, b, c, out[10];
	struct pagina page = {1, 10};
	struct peca_filtro filtro = {.abaixo_do_minimo = 1, .tipo = -1};
	size_t n;
	long total;

	peca_com_saldo(f, &a, "BX-1", 1, 3); /* below */
	peca_com_saldo(f, &b, "BX-2", 3, 3); /* at the minimum: not below */
	peca_com_saldo(f, &c, "BX-3", 0, 0);
	assert_int_equal(peca_repo_list(&f->app.pecas, &filtro, &page, out, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, 1);
	assert_string_equal(out[0].uuid.str, a.uuid.str);

	filtro.abaixo_do_minimo = 0;
	assert_int_equal(peca_repo_list(&f->app.pecas, &filtro, &page, out, &n, &total), 0);
	assert_int_equal(n, 2);

	filtro.abaixo_do_minimo = -1;
	filtro.tipo = TIPO_PECA_INSUMO;
	assert_int_equal(peca_repo_list(&f->app.pecas, &filtro, &page, out, &n, &total), 0);
	assert_int_equal(n, 0);
	assert_int_equal(total, 0);
}

/* ---- movimentos ---- */

static void test_movimentar__entrada_saida_saldo_e_lista(void **state)
{
	struct fx *f = *state;
	struct peca p;
	struct movimento m = {0}, lista[10], um;
	struct pagina page = {1, 2};
	int minimo = -1;
	size_t n;
	long total;

	peca_com_saldo(f, &p, "MV-1", 10, 4);
	m.peca_uuid = p.uuid;
	m.quantidade = -3;
	strcpy(m.motivo, "uso");
	assert_int_equal(estoque_repo_apply_movimento(&f->app.estoque, &m, "corr-1", &minimo), 0);
	assert_int_equal(m.saldo, 7);
	assert_int_equal(minimo, 4);
	assert_int_equal(strlen(m.uuid.str), UUID_LEN);
	assert_int_equal(strlen(m.criado_em), 20);

	memset(&m.uuid, 0, sizeof m.uuid);
	m.quantidade = 5;
	assert_int_equal(estoque_repo_apply_movimento(&f->app.estoque, &m, NULL, &minimo), 0);
	assert_int_equal(m.saldo, 12);
	assert_int_equal(saldo_de(f->admin, &p.uuid), 12);
	assert_int_equal(soma_movimentos(f->admin, &p.uuid), 12);

	/* newest first, two per page, three in all */
	assert_int_equal(estoque_repo_list(&f->app.estoque, &p.uuid, &page, lista, &n, &total), 0);
	assert_int_equal(n, 2);
	assert_int_equal(total, 3);
	assert_int_equal(lista[0].quantidade, 5);
	assert_int_equal(lista[0].saldo, 12);
	assert_int_equal(lista[1].quantidade, -3);
	assert_string_equal(lista[1].motivo, "uso");
	assert_string_equal(lista[1].ordem_uuid.str, "");
	page.pagina = 2;
	assert_int_equal(estoque_repo_list(&f->app.estoque, &p.uuid, &page, lista, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(lista[0].quantidade, 10);
	page.pagina = 3;
	assert_int_equal(estoque_repo_list(&f->app.estoque, &p.uuid, &page, lista, &n, &total), 0);
	assert_int_equal(n, 0);
	assert_int_equal(total, 3);

	assert_int_equal(estoque_repo_find_by_uuid(&f->app.estoque, &p.uuid, &m.uuid, &um), 0);
	assert_int_equal(um.quantidade, 5);
	struct uuid zero;
	uuid_parse(UUID_ZERO, &zero);
	assert_int_equal(estoque_repo_find_by_uuid(&f->app.estoque, &zero, &m.uuid, &um),
	                 APP_ENOTFOUND);
}

static void test_movimentar__falta__conflito_nada_muda_e_transacao_segue(void **state)
{
	struct fx *f = *state;
	struct peca p;
	struct movimento m = {0};
	int minimo;

	peca_com_saldo(f, &p, "MV-2", 2, 0);
	assert_int_equal(transaction_begin(&f->app.tx), 0);
	m.peca_uuid = p.uuid;
	m.quantidade = -3;
	strcpy(m.motivo, "demais");
	assert_int_equal(estoque_repo_apply_movimento(&f->app.estoque, &m, NULL, &minimo),
	                 APP_ECONFLICT);
	/* The transaction is still usable: a smaller withdrawal works and commits. */
	m.quantidade = -2;
	assert_int_equal(estoque_repo_apply_movimento(&f->app.estoque, &m, NULL, &minimo), 0);
	assert_int_equal(m.saldo, 0);
	assert_int_equal(transaction_commit(&f->app.tx), 0);
	assert_int_equal(saldo_de(f->admin, &p.uuid), 0);
	assert_int_equal(n_movimentos(f->admin, &p.uuid), 2);
	assert_int_equal(soma_movimentos(f->admin, &p.uuid), 0);

	/* An entry past INT_MAX is a conflict too, not an overflow error. */
	m.quantidade = 2147483647;
	assert_int_equal(estoque_repo_apply_movimento(&f->app.estoque, &m, NULL, &minimo), 0);
	m.quantidade = 1;
	assert_int_equal(estoque_repo_apply_movimento(&f->app.estoque, &m, NULL, &minimo),
	                 APP_ECONFLICT);
	assert_int_equal(saldo_de(f->admin, &p.uuid), 2147483647);
}

static void test_movimentar__peca_desconhecida__notfound(void **state)
{
	struct fx *f = *state;
	struct movimento m = {0};
	int minimo;

	uuid_parse(UUID_ZERO, &m.peca_uuid);
	m.quantidade = 1;
	strcpy(m.motivo, "x");
	assert_int_equal(estoque_repo_apply_movimento(&f->app.estoque, &m, NULL, &minimo),
	                 APP_ENOTFOUND);
}

/* One racing transaction: its own session, a withdrawal of one unit, the row held a while. */
struct corredor {
	const struct uuid *peca;
	pthread_barrier_t *largada;
	int rc;
};

static void *correr(void *arg)
{
	struct corredor *c = arg;
	struct pg_session s;
	struct transaction tx;
	struct estoque_repo estoque;
	struct movimento m = {0};
	int minimo;

	pg_session_init(&s, &pg_test_db.cfg);
	pg_transaction_init(&tx, &s);
	pg_estoque_repo_init(&estoque, &s);
	m.peca_uuid = *c->peca;
	m.quantidade = -1;
	strcpy(m.motivo, "corrida");
	c->rc = pg_session_ping(&s, 5000); /* connect before the start */
	pthread_barrier_wait(c->largada);
	if (c->rc == 0)
		c->rc = transaction_begin(&tx);
	if (c->rc == 0) {
		c->rc = estoque_repo_apply_movimento(&estoque, &m, NULL, &minimo);
		usleep(20000); /* keep the row locked: the others must queue behind it */
		if (c->rc == 0)
			c->rc = transaction_commit(&tx);
		else
			transaction_rollback(&tx);
	}
	pg_session_cleanup(&s);
	return NULL;
}

static void test_corrida__dez_retiradas_de_cinco__cinco_ok_cinco_conflito(void **state)
{
	struct fx *f = *state;
	struct peca p;
	pthread_t th[CORRIDA];
	struct corredor cs[CORRIDA];
	pthread_barrier_t largada;
	int ok = 0, conflito = 0;

	peca_com_saldo(f, &p, "CORRIDA", ESTOQUE_CORRIDA, 0);
	pthread_barrier_init(&largada, NULL, CORRIDA);
	for (int i = 0; i < CORRIDA; i++) {
		cs[i] = (struct corredor){.peca = &p.uuid, .largada = &largada, .rc = -100};
		assert_int_equal(pthread_create(&th[i], NULL, correr, &cs[i]), 0);
	}
	for (int i = 0; i < CORRIDA; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&largada);
	for (int i = 0; i < CORRIDA; i++) {
		if (cs[i].rc == 0)
			ok++;
		else if (cs[i].rc == APP_ECONFLICT)
			conflito++;
		else
			fail_msg("racer %d: unexpected %d", i, cs[i].rc);
	}
	assert_int_equal(ok, ESTOQUE_CORRIDA);
	assert_int_equal(conflito, CORRIDA - ESTOQUE_CORRIDA);
	assert_int_equal(saldo_de(f->admin, &p.uuid), 0);
	assert_int_equal(n_movimentos(f->admin, &p.uuid), ESTOQUE_CORRIDA + 1);
	assert_int_equal(soma_movimentos(f->admin, &p.uuid), saldo_de(f->admin, &p.uuid));
	const char *prm[] = {p.uuid.str};
	assert_int_equal(
	    pg_test_query_long(f->admin,
	                       "SELECT count(*) FROM movimentos_estoque WHERE peca_uuid = $1 "
	                       "AND saldo < 0",
	                       1, prm),
	    0);
	/* Each withdrawal saw the balance the previous one left: saldos 4, 3, 2, 1, 0. */
	assert_int_equal(pg_test_query_long(f->admin,
	                                    "SELECT count(DISTINCT saldo) FROM movimentos_estoque "
	                                    "WHERE peca_uuid = $1 AND quantidade = -1",
	                                    1, prm),
	                 ESTOQUE_CORRIDA);
}

/* ---- commands on the real adapters ---- */

static void test_comandos__criar_peca_registra_estoque_inicial_e_evento(void **state)
{
	struct fx *f = *state;
	struct app_caller who = {
	    .correlation_id = "corr-criar", .sub = NULL, .perfil = PERFIL_ADMIN};
	struct peca_campos in = {.nome = "Óleo 5W30",
	                         .tipo = "INSUMO",
	                         .valor = "39.90",
	                         .quantidade_given = true,
	                         .quantidade_estoque = 12,
	                         .ativo = -1};
	struct field_errors fe;
	struct uuid id;

	field_errors_init(&fe);
	assert_int_equal(criar_peca(&f->app, &who, &in, &fe, &id), 0);
	assert_int_equal(saldo_de(f->admin, &id), 12);
	assert_int_equal(n_movimentos(f->admin, &id), 1);
	assert_int_equal(soma_movimentos(f->admin, &id), 12);
	assert_int_equal(n_eventos(f->admin, "estoque.movimentado", &id), 1);
	const char *prm[] = {id.str};
	assert_int_equal(
	    pg_test_query_long(f->admin,
	                       "SELECT count(*) FROM movimentos_estoque WHERE peca_uuid = $1 "
	                       "AND motivo = 'estoque inicial' AND correlation_id = 'corr-criar'",
	                       1, prm),
	    1);

	/* Zero: no movement at all. */
	in.quantidade_estoque = 0;
	in.nome = "Graxa";
	assert_int_equal(criar_peca(&f->app, &who, &in, &fe, &id), 0);
	assert_int_equal(n_movimentos(f->admin, &id), 0);
}

static void test_comandos__abaixo_do_minimo_so_ao_cruzar(void **state)
{
	struct fx *f = *state;
	struct app_caller who = {.correlation_id = "corr-min"};
	struct peca p;
	struct movimento m;
	struct field_errors fe;

	peca_com_saldo(f, &p, "MIN-1", 5, 3);
	field_errors_init(&fe);
	assert_int_equal(movimentar_estoque(&f->app, &who, &p.uuid, true, -2, "uso", &fe, &m), 0);
	assert_int_equal(m.saldo, 3); /* at the minimum: not below */
	assert_int_equal(n_eventos(f->admin, "estoque.abaixo_do_minimo", &p.uuid), 0);
	assert_int_equal(movimentar_estoque(&f->app, &who, &p.uuid, true, -1, "uso", &fe, &m), 0);
	assert_int_equal(m.saldo, 2);
	assert_int_equal(n_eventos(f->admin, "estoque.abaixo_do_minimo", &p.uuid), 1);
	assert_int_equal(movimentar_estoque(&f->app, &who, &p.uuid, true, -1, "uso", &fe, &m), 0);
	assert_int_equal(n_eventos(f->admin, "estoque.abaixo_do_minimo", &p.uuid), 1); /* still */
	assert_int_equal(movimentar_estoque(&f->app, &who, &p.uuid, true, 10, "compra", &fe, &m),
	                 0);
	assert_int_equal(movimentar_estoque(&f->app, &who, &p.uuid, true, -10, "uso", &fe, &m), 0);
	assert_int_equal(n_eventos(f->admin, "estoque.abaixo_do_minimo", &p.uuid), 2); /* again */
	assert_int_equal(n_eventos(f->admin, "estoque.movimentado", &p.uuid), 5);

	const char *prm[] = {p.uuid.str};
	PGresult *r =
	    pg_test_query(f->admin,
	                  "SELECT dados->>'peca_uuid', dados->>'saldo', dados->>'estoque_minimo', "
	                  "correlation_id FROM eventos WHERE tipo = 'estoque.abaixo_do_minimo' "
	                  "AND agregado_uuid = $1 ORDER BY criado_em LIMIT 1",
	                  1, prm);
	assert_string_equal(PQgetvalue(r, 0, 0), p.uuid.str);
	assert_string_equal(PQgetvalue(r, 0, 1), "2");
	assert_string_equal(PQgetvalue(r, 0, 2), "3");
	assert_string_equal(PQgetvalue(r, 0, 3), "corr-min");
	PQclear(r);
}

static void test_comandos__movimentar_sem_saldo__409_nomeia_a_peca_nada_muda(void **state)
{
	struct fx *f = *state;
	struct peca p;
	struct movimento m;
	struct field_errors fe;

	peca_com_saldo(f, &p, "FALTA-1", 1, 0);
	field_errors_init(&fe);
	assert_int_equal(movimentar_estoque(&f->app, NULL, &p.uuid, true, -2, "uso", &fe, &m),
	                 APP_ECONFLICT);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "quantidade");
	assert_non_null(strstr(fe.items[0].mensagem, "Peça FALTA-1"));
	assert_int_equal(saldo_de(f->admin, &p.uuid), 1);
	assert_int_equal(n_movimentos(f->admin, &p.uuid), 1);
	assert_int_equal(n_eventos(f->admin, "estoque.movimentado", &p.uuid), 0);

	struct uuid zero;
	uuid_parse(UUID_ZERO, &zero);
	field_errors_init(&fe);
	assert_int_equal(movimentar_estoque(&f->app, NULL, &zero, true, 1, "x", &fe, &m),
	                 APP_ENOTFOUND);
	assert_int_equal(movimentar_estoque(&f->app, NULL, &p.uuid, true, 0, "", &fe, &m),
	                 APP_EINVALID);
}

static void test_retirar_em_transacao__do_chamador_rollback_desfaz_tudo(void **state)
{
	struct fx *f = *state;
	struct app_caller who = {.correlation_id = "corr-ordem"};
	struct peca a, b;
	struct movimento m;

	peca_com_saldo(f, &a, "ORD-A", 5, 0);
	peca_com_saldo(f, &b, "ORD-B", 1, 0);
	assert_int_equal(transaction_begin(&f->app.tx), 0);
	assert_int_equal(retirar_estoque_na_transacao(&f->app, &who, &a.uuid, 2, NULL, NULL, &m),
	                 0);
	assert_int_equal(m.saldo, 3);
	assert_int_equal(m.quantidade, -2);
	assert_string_equal(m.motivo, "retirada para a ordem de serviço");
	assert_int_equal(retirar_estoque_na_transacao(&f->app, &who, &b.uuid, 2, NULL, "OS x", &m),
	                 APP_ECONFLICT);
	/* Still in the caller's transaction: the caller decides, and rolls back. */
	assert_int_equal(saldo_de(f->admin, &a.uuid), 5); /* not committed: invisible */
	transaction_rollback(&f->app.tx);
	assert_int_equal(saldo_de(f->admin, &a.uuid), 5);
	assert_int_equal(saldo_de(f->admin, &b.uuid), 1);
	assert_int_equal(n_movimentos(f->admin, &a.uuid), 1);
	assert_int_equal(n_eventos(f->admin, "estoque.movimentado", &a.uuid), 0);

	assert_int_equal(retirar_estoque_na_transacao(&f->app, &who, &a.uuid, 0, NULL, NULL, &m),
	                 APP_EINVALID);
	assert_int_equal(retirar_estoque_na_transacao(&f->app, &who, &a.uuid, -1, NULL, NULL, &m),
	                 APP_EINVALID);

	/* And when the caller commits, everything lands together. */
	assert_int_equal(transaction_begin(&f->app.tx), 0);
	assert_int_equal(retirar_estoque_na_transacao(&f->app, &who, &a.uuid, 5, NULL, NULL, NULL),
	                 0);
	assert_int_equal(retirar_estoque_na_transacao(&f->app, &who, &b.uuid, 1, NULL, NULL, NULL),
	                 0);
	assert_int_equal(transaction_commit(&f->app.tx), 0);
	assert_int_equal(saldo_de(f->admin, &a.uuid), 0);
	assert_int_equal(saldo_de(f->admin, &b.uuid), 0);
	assert_int_equal(n_eventos(f->admin, "estoque.movimentado", &a.uuid), 1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_servico__insert_find_update_list),
	    T(test_peca__insert_comeca_em_zero_e_update_nao_mexe_no_saldo),
	    T(test_peca__codigo_unico_sem_caixa),
	    T(test_peca__lista_abaixo_do_minimo),
	    T(test_movimentar__entrada_saida_saldo_e_lista),
	    T(test_movimentar__falta__conflito_nada_muda_e_transacao_segue),
	    T(test_movimentar__peca_desconhecida__notfound),
	    T(test_corrida__dez_retiradas_de_cinco__cinco_ok_cinco_conflito),
	    T(test_comandos__criar_peca_registra_estoque_inicial_e_evento),
	    T(test_comandos__abaixo_do_minimo_so_ao_cruzar),
	    T(test_comandos__movimentar_sem_saldo__409_nomeia_a_peca_nada_muda),
	    T(test_retirar_em_transacao__do_chamador_rollback_desfaz_tudo),
	};
#undef T
	return cmocka_run_group_tests(tests, group_setup, pg_test_group_drop);
}

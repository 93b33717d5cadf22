/*
 * Integration tests of the PostgreSQL adapters of service orders (infrastructure/postgres/
 * pg_ordem_repo.c and pg_ordem_consultas.c) against a real database: numbering, locking reads,
 * items copied from the catalogue and grown by a second add, the budget and decision columns,
 * history, the queue's state order with filters and paging, the ownership filter, and the detail
 * read in ONE round trip whatever the number of items (counted on the wire with PQtrace). The
 * binary creates a fresh database, applies the migrations, and drops it at the end. Run from
 * the repository root (scripts/test.sh does).
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

#include "application/ports/ordem_consultas.h"
#include "application/ports/ordem_repo.h"
#include "domain/errors.h"
#include "infrastructure/postgres/pg_repos.h"
#include "infrastructure/postgres/pg_session.h"
#include "tests/support/pg_test.h"

struct fx {
	struct pg_session s;
	struct ordem_repo repo;
	struct ordem_consultas leitura;
	struct transaction tx;
	PGconn *admin;
	char cliente[UUID_LEN + 1], cliente2[UUID_LEN + 1];
	char veiculo[UUID_LEN + 1], veiculo2[UUID_LEN + 1];
	char servico[UUID_LEN + 1], peca[UUID_LEN + 1], inativa[UUID_LEN + 1];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->admin = pg_test_connect(pg_test_db.name);
	pg_test_exec(f->admin,
	             "TRUNCATE ordem_historico, ordem_servicos, ordem_pecas, movimentos_estoque, "
	             "ordens, veiculos, clientes, servicos, pecas CASCADE",
	             0, NULL);
	pg_test_query_text(
	    f->admin,
	    "INSERT INTO clientes (nome, documento, tipo_documento) VALUES ('Ana Lima', "
	    "'52998224725', 'CPF') RETURNING uuid",
	    0, NULL, f->cliente, sizeof f->cliente);
	pg_test_query_text(
	    f->admin,
	    "INSERT INTO clientes (nome, documento, tipo_documento) VALUES ('Bruno Reis', "
	    "'11144477735', 'CPF') RETURNING uuid",
	    0, NULL, f->cliente2, sizeof f->cliente2);
	const char *p1[] = {f->cliente}, *p2[] = {f->cliente2};
	pg_test_query_text(
	    f->admin,
	    "INSERT INTO veiculos (cliente_uuid, placa, marca, modelo, ano) VALUES ($1, "
	    "'ABC1D23', 'VW', 'Gol', 2020) RETURNING uuid",
	    1, p1, f->veiculo, sizeof f->veiculo);
	pg_test_query_text(
	    f->admin,
	    "INSERT INTO veiculos (cliente_uuid, placa, marca, modelo, ano) VALUES ($1, "
	    "'XYZ9876', 'Fiat', 'Uno', 2012) RETURNING uuid",
	    1, p2, f->veiculo2, sizeof f->veiculo2);
	pg_test_query_text(
	    f->admin,
	    "INSERT INTO servicos (nome, valor_centavos) VALUES ('Revisão', 15000) RETURNING "
	    "uuid",
	    0, NULL, f->servico, sizeof f->servico);
	pg_test_query_text(
	    f->admin,
	    "INSERT INTO pecas (nome, tipo, valor_centavos, quantidade_estoque) VALUES "
	    "('Filtro', 'PECA', 3550, 7) RETURNING uuid",
	    0, NULL, f->peca, sizeof f->peca);
	pg_test_query_text(
	    f->admin,
	    "INSERT INTO pecas (nome, tipo, valor_centavos, ativo) VALUES ('Velha', 'PECA', 1, "
	    "false) RETURNING uuid",
	    0, NULL, f->inativa, sizeof f->inativa);
	pg_session_init(&f->s, &pg_test_db.cfg);
	pg_ordem_repo_init(&f->repo, &f->s);
	pg_ordem_consultas_init(&f->leitura, &f->s);
	pg_transaction_init(&f->tx, &f->s);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	transaction_rollback(&f->tx);
	pg_session_cleanup(&f->s);
	PQfinish(f->admin);
	free(f);
	return 0;
}

static void abrir(struct fx *f, const char *cliente, const char *veiculo, struct ordem *o)
{
	memset(o, 0, sizeof *o);
	assert_int_equal(uuid_parse(cliente, &o->cliente_uuid), 0);
	assert_int_equal(uuid_parse(veiculo, &o->veiculo_uuid), 0);
	assert_int_equal(ordem_repo_insert(&f->repo, o), 0);
}

static struct uuid U(const char *s) {
	struct uuid u;
	assert_int_equal(uuid_parse(s, &u), 0);
	return u;
}

/* Moves an order to s directly (the state machine is the application's, not the adapter's). */
static void
set(struct fx *f, const struct ordem *o, enum ordem_status s)
{
	assert_int_equal(ordem_repo_set_status(&f->repo, &o->uuid, s), 0);
}

static void test_abrir__numero_sequencial_e_estado_recebida(void **state)
{
	struct fx *f = *state;
	struct ordem a, b, lida;

	abrir(f, f->cliente, f->veiculo, &a);
	abrir(f, f->cliente, f->veiculo, &b);
	assert_int_equal(strlen(a.numero), 14);
	assert_int_equal(strncmp(a.numero, "OS-", 3), 0);
	assert_int_equal(strtol(b.numero + 8, NULL, 10), strtol(a.numero + 8, NULL, 10) + 1);
	assert_int_equal(a.status, ORDEM_RECEBIDA);
	assert_false(a.tem_orcamento);
	assert_int_equal(a.decisao, DECISAO_NENHUMA);

	assert_int_equal(transaction_begin(&f->tx), 0);
	assert_int_equal(ordem_repo_find_for_update(&f->repo, &a.uuid, &lida), 0);
	assert_string_equal(lida.numero, a.numero);
	transaction_rollback(&f->tx);
	struct uuid nada = U("00000000-0000-4000-8000-000000000000");
	assert_int_equal(ordem_repo_find_for_update(&f->repo, &nada, &lida), APP_ENOTFOUND);
}

static void test_itens__copia_catalogo_soma_linha_inativa_e_limite(void **state)
{
	struct fx *f = *state;
	struct ordem o;
	struct uuid item, item2, peca = U(f->peca), inativa = U(f->inativa), srvc = U(f->servico);
	struct ordem_itens l;

	abrir(f, f->cliente, f->veiculo, &o);
	assert_int_equal(ordem_repo_add_item(&f->repo, &o.uuid, ITEM_PECA, &peca, 2, &item), 0);
	/* The catalogue price changes; the line keeps the price it was added with. */
	pg_test_exec(f->admin, "UPDATE pecas SET valor_centavos = 9999", 0, NULL);
	assert_int_equal(ordem_repo_add_item(&f->repo, &o.uuid, ITEM_PECA, &peca, 3, &item2), 0);
	assert_string_equal(item.str, item2.str);
	assert_int_equal(ordem_repo_list_itens(&f->repo, &o.uuid, ITEM_PECA, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.itens[0].quantidade, 5);
	assert_int_equal(l.itens[0].valor_unitario, 3550);
	assert_int_equal(l.itens[0].estoque, 7);
	assert_string_equal(l.itens[0].nome, "Filtro");
	ordem_itens_cleanup(&l);

	assert_int_equal(ordem_repo_add_item(&f->repo, &o.uuid, ITEM_PECA, &inativa, 1, &item2),
	                 APP_ENOTFOUND);
	assert_int_equal(ordem_repo_add_item(&f->repo, &o.uuid, ITEM_SERVICO, &peca, 1, &item2),
	                 APP_ENOTFOUND); /* a part is not a service */
	assert_int_equal(ordem_repo_add_item(&f->repo, &o.uuid, ITEM_PECA, &peca, 9996, &item2),
	                 APP_EINVALID); /* 5 + 9996 > 10000 */
	assert_int_equal(ordem_repo_add_item(&f->repo, &o.uuid, ITEM_SERVICO, &srvc, 1, &item2), 0);
	assert_int_equal(ordem_repo_remove_item(&f->repo, &o.uuid, ITEM_PECA, &item2),
	                 APP_ENOTFOUND); /* a service line is not a part line */
	assert_int_equal(ordem_repo_remove_item(&f->repo, &o.uuid, ITEM_SERVICO, &item2), 0);
	assert_int_equal(ordem_repo_list_itens(&f->repo, &o.uuid, ITEM_SERVICO, &l), 0);
	assert_int_equal(l.n, 0);
	ordem_itens_cleanup(&l);
}

static void test_orcamento_decisao_e_historico(void **state)
{
	struct fx *f = *state;
	struct ordem o, lida;
	struct orcamento orc = {15000, 7100, 22100};
	struct ordem_detalhe d;

	abrir(f, f->cliente, f->veiculo, &o);
	assert_int_equal(ordem_repo_append_historico(&f->repo, &o.uuid, ORDEM_RECEBIDA, f->cliente,
	                                             "cliente", "corr-1"),
	                 0);
	assert_int_equal(ordem_repo_save_orcamento(&f->repo, &o.uuid, &orc), 0);
	assert_int_equal(ordem_repo_save_decisao(&f->repo, &o.uuid, DECISAO_APROVADO), 0);
	assert_int_equal(transaction_begin(&f->tx), 0);
	assert_int_equal(ordem_repo_find_for_update(&f->repo, &o.uuid, &lida), 0);
	transaction_rollback(&f->tx);
	assert_true(lida.tem_orcamento);
	assert_int_equal(lida.orcamento.valor_total, 22100);
	assert_int_equal(lida.decisao, DECISAO_APROVADO);
	assert_int_equal(strlen(lida.orcamento_gerado_em), 20);
	assert_int_equal(strlen(lida.orcamento_decidido_em), 20);

	assert_int_equal(ordem_consultas_find_detalhe(&f->leitura, &o.uuid, NULL, &d), 0);
	assert_int_equal(d.n_historico, 1);
	assert_int_equal(d.historico[0].status, ORDEM_RECEBIDA);
	assert_string_equal(d.historico[0].por, f->cliente);
	ordem_detalhe_cleanup(&d);
	char corr[32];
	const char *p[] = {o.uuid.str};
	pg_test_query_text(
	    f->admin, "SELECT correlation_id || perfil FROM ordem_historico WHERE ordem_uuid = $1",
	    1, p, corr, sizeof corr);
	assert_string_equal(corr, "corr-1cliente");
}

static void test_listar__fila_na_ordem_dos_estados_e_filtros(void **state)
{
	struct fx *f = *state;
	struct ordem o[7];
	/* Created oldest first; states chosen so that the queue order differs from creation. */
	const enum ordem_status st[7] = {
	    ORDEM_RECEBIDA,       ORDEM_EM_EXECUCAO,          ORDEM_CANCELADA,
	    ORDEM_EM_DIAGNOSTICO, ORDEM_AGUARDANDO_APROVACAO, ORDEM_EM_EXECUCAO,
	    ORDEM_ENTREGUE};
	for (int i = 0; i < 7; i++) {
		abrir(f, i == 6 ? f->cliente2 : f->cliente, i == 6 ? f->veiculo2 : f->veiculo,
		      &o[i]);
		if (st[i] != ORDEM_RECEBIDA)
			set(f, &o[i], st[i]);
	}
	struct ordem_resumo out[10];
	struct pagina page = {1, 10};
	struct ordem_filtro fl = {0};
	size_t n;
	long total;

	assert_int_equal(ordem_consultas_list(&f->leitura, &fl, &page, out, &n, &total), 0);
	const int fila[] = {1, 5, 4, 3, 0};
	assert_int_equal(n, 5);
	assert_int_equal(total, 5);
	for (int i = 0; i < 5; i++)
		assert_string_equal(out[i].uuid.str, o[fila[i]].uuid.str);
	assert_string_equal(out[0].cliente_nome, "Ana Lima");
	assert_string_equal(out[0].placa, "ABC1D23");

	/* Paging: second page of two. */
	struct pagina p2 = {2, 2};
	assert_int_equal(ordem_consultas_list(&f->leitura, &fl, &p2, out, &n, &total), 0);
	assert_int_equal(n, 2);
	assert_int_equal(total, 5);
	assert_string_equal(out[0].uuid.str, o[4].uuid.str);
	struct pagina p9 = {9, 2};
	assert_int_equal(ordem_consultas_list(&f->leitura, &fl, &p9, out, &n, &total), 0);
	assert_int_equal(n, 0);
	assert_int_equal(total, 5);

	/* Any states, terminal ones included. */
	fl.status_mask = 1u << ORDEM_ENTREGUE | 1u << ORDEM_CANCELADA;
	assert_int_equal(ordem_consultas_list(&f->leitura, &fl, &page, out, &n, &total), 0);
	assert_int_equal(n, 2);
	assert_string_equal(out[0].uuid.str, o[6].uuid.str); /* ENTREGUE before CANCELADA */
	assert_string_equal(out[1].uuid.str, o[2].uuid.str);

	/* Customer, plate and owner filters. */
	struct uuid c2 = U(f->cliente2), c1 = U(f->cliente);
	fl.cliente_uuid = &c2;
	assert_int_equal(ordem_consultas_list(&f->leitura, &fl, &page, out, &n, &total), 0);
	assert_int_equal(n, 1);
	fl.dono = &c1; /* a customer asking for another's orders sees none */
	assert_int_equal(ordem_consultas_list(&f->leitura, &fl, &page, out, &n, &total), 0);
	assert_int_equal(n, 0);
	fl = (struct ordem_filtro){.placa = "XYZ9876", .status_mask = 1u << ORDEM_ENTREGUE};
	assert_int_equal(ordem_consultas_list(&f->leitura, &fl, &page, out, &n, &total), 0);
	assert_int_equal(n, 1);

	/* Ownership on single reads. */
	struct ordem_status_atual sa;
	struct ordem_historico_lista h;
	struct ordem_detalhe d;
	assert_int_equal(ordem_consultas_find_status(&f->leitura, &o[6].uuid, &c1, &sa),
	                 APP_ENOTFOUND);
	assert_int_equal(ordem_consultas_find_status(&f->leitura, &o[6].uuid, &c2, &sa), 0);
	assert_int_equal(sa.status, ORDEM_ENTREGUE);
	assert_int_equal(ordem_consultas_find_detalhe(&f->leitura, &o[6].uuid, &c1, &d),
	                 APP_ENOTFOUND);
	assert_int_equal(ordem_consultas_list_historico(&f->leitura, &o[6].uuid, &c1, &h),
	                 APP_ENOTFOUND);
	assert_int_equal(ordem_consultas_list_historico(&f->leitura, &o[6].uuid, NULL, &h), 0);
	assert_int_equal(h.n, 0); /* exists, without history rows */
	ordem_historico_lista_cleanup(&h);
}

/* Statements sent (Bind messages) while detalhe runs once, counted with PQtrace. */
static int binds_do_detalhe(struct fx *f, const struct uuid *id)
{
	struct ordem_detalhe d;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int binds = 0;

	assert_non_null(fp);
	assert_non_null(f->s.conn);
	PQtrace(f->s.conn, fp);
	PQsetTraceFlags(f->s.conn, PQTRACE_SUPPRESS_TIMESTAMPS);
	assert_int_equal(ordem_consultas_find_detalhe(&f->leitura, id, NULL, &d), 0);
	PQuntrace(f->s.conn);
	fclose(fp);
	for (char *p = buf; (p = strstr(p, "F\t")) != NULL; p += 2)
		if (strncmp(strchr(p + 2, '\t') ? strchr(p + 2, '\t') + 1 : "", "Bind", 4) == 0)
			binds++;
	free(buf);
	ordem_detalhe_cleanup(&d);
	return binds;
}

static void test_detalhe__uma_ida_ao_banco_qualquer_que_seja_o_numero_de_itens(void **state)
{
	struct fx *f = *state;
	struct ordem pequena, grande;
	struct uuid item, peca = U(f->peca), srvc = U(f->servico);
	struct ordem_detalhe d;

	abrir(f, f->cliente, f->veiculo, &pequena);
	abrir(f, f->cliente, f->veiculo, &grande);
	assert_int_equal(ordem_repo_add_item(&f->repo, &pequena.uuid, ITEM_PECA, &peca, 1, &item),
	                 0);
	assert_int_equal(ordem_repo_add_item(&f->repo, &grande.uuid, ITEM_SERVICO, &srvc, 2, &item),
	                 0);
	for (int i = 0; i < 30; i++) {
		char nome[32], uuid[UUID_LEN + 1];
		snprintf(nome, sizeof nome, "Peça %02d", i);
		const char *p[] = {nome};
		pg_test_query_text(
		    f->admin,
		    "INSERT INTO pecas (nome, tipo, valor_centavos) VALUES ($1, 'INSUMO', 100) "
		    "RETURNING uuid",
		    1, p, uuid, sizeof uuid);
		struct uuid u = U(uuid);
		assert_int_equal(
		    ordem_repo_add_item(&f->repo, &grande.uuid, ITEM_PECA, &u, 1, &item), 0);
		assert_int_equal(ordem_repo_append_historico(&f->repo, &grande.uuid, ORDEM_RECEBIDA,
		                                             NULL, NULL, NULL),
		                 0);
	}

	/* The whole answer is there... */
	assert_int_equal(ordem_consultas_find_detalhe(&f->leitura, &grande.uuid, NULL, &d), 0);
	assert_int_equal(d.servicos.n, 1);
	assert_int_equal(d.servicos.itens[0].quantidade, 2);
	assert_int_equal(d.servicos.itens[0].valor_unitario, 15000);
	assert_int_equal(d.pecas.n, 30);
	assert_string_equal(d.pecas.itens[29].nome, "Peça 29");
	assert_int_equal(d.n_historico, 30);
	assert_string_equal(d.cliente_nome, "Ana Lima");
	assert_string_equal(d.cliente_documento, "52998224725");
	assert_string_equal(d.placa, "ABC1D23");
	assert_int_equal(d.ano, 2020);
	assert_false(d.ordem.tem_orcamento);
	ordem_detalhe_cleanup(&d);

	/* ...in one statement, for one item as for thirty. */
	assert_int_equal(binds_do_detalhe(f, &pequena.uuid), 1);
	assert_int_equal(binds_do_detalhe(f, &grande.uuid), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_abrir__numero_sequencial_e_estado_recebida, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_itens__copia_catalogo_soma_linha_inativa_e_limite,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_orcamento_decisao_e_historico, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_listar__fila_na_ordem_dos_estados_e_filtros, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_detalhe__uma_ida_ao_banco_qualquer_que_seja_o_numero_de_itens, setup,
	        teardown),
	};
	return cmocka_run_group_tests(tests, pg_test_group_migrated, pg_test_group_drop);
}

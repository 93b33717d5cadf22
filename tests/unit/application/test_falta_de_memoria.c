/*
 * Unit tests of the application's answers when an allocation fails (application layer; cmocka,
 * tests/fakes, domain/heap.h), as libuv's test-loop-oom.c does: each operation runs once per
 * allocation it makes, with exactly that allocation failing, and must answer APP_ENOMEM with
 * nothing half done (no order stored, no event, no transaction left open, an empty list); run
 * after the last allocation, it succeeds. Under the sanitizers LeakSanitizer checks that no
 * failure path leaks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "application/commands/comandos_clientes.h"
#include "application/commands/comandos_ordens.h"
#include "application/commands/comandos_veiculos.h"
#include "application/queries/consultas.h"
#include "application/queries/consultas_catalogo.h"
#include "application/queries/consultas_ordens.h"
#include "domain/errors.h"
#include "domain/heap.h"
#include "tests/fakes/fake_app.h"

#define ATTEMPTS_MAX 64 /* more allocations than any operation here makes */

static const struct app_caller quem = {.correlation_id = "corr-oom-1", .perfil = PERFIL_ATENDENTE};

struct fx {
	struct fake_app f;
	struct uuid cliente, veiculo, servico, peca;
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);
	struct cliente_campos c = {
	    .nome = "Maria da Silva", .documento = "52998224725", .ativo = -1};
	struct field_errors fe;
	struct servico s = {.valor_centavos = 15000, .ativo = true};
	struct peca p = {.valor_centavos = 3550, .ativo = true};
	struct movimento m = {.quantidade = 10};
	int minimo;

	if (!x)
		return -1;
	fake_app_init(&x->f);
	field_errors_init(&fe);
	assert_int_equal(criar_cliente(&x->f.app, &quem, &c, &fe, &x->cliente), 0);
	struct veiculo_campos v = {.cliente_uuid = x->cliente.str,
	                           .placa = "ABC1D23",
	                           .marca = "Fiat",
	                           .modelo = "Uno",
	                           .ano_given = true,
	                           .ano = 2015,
	                           .ativo = -1};
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &v, &fe, &x->veiculo), 0);
	snprintf(s.nome, sizeof s.nome, "Troca de óleo");
	assert_int_equal(servico_repo_insert(&x->f.app.servicos, &s), 0);
	x->servico = s.uuid;
	snprintf(p.nome, sizeof p.nome, "Filtro de óleo");
	assert_int_equal(peca_repo_insert(&x->f.app.pecas, &p), 0);
	x->peca = p.uuid;
	m.peca_uuid = p.uuid;
	snprintf(m.motivo, sizeof m.motivo, "estoque inicial");
	assert_int_equal(estoque_repo_apply_movimento(&x->f.app.estoque, &m, NULL, &minimo), 0);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;
	heap_fail_at(0);
	fake_app_cleanup(&x->f);
	free(x);
	return 0;
}

static void test_abrir_ordem__cada_alocacao_falhando__enomem_sem_nada_pela_metade(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos servicos[] = {{.ref_uuid = x->servico.str}};
	struct ordem_item_campos pecas[] = {
	    {.ref_uuid = x->peca.str, .quantidade_given = true, .quantidade = 2}};
	struct ordem_campos in = {.cliente_uuid = x->cliente.str,
	                          .veiculo_uuid = x->veiculo.str,
	                          .servicos = servicos,
	                          .n_servicos = 1,
	                          .pecas = pecas,
	                          .n_pecas = 1};
	size_t eventos = x->f.eventos.n;
	struct field_errors fe;
	struct uuid id;
	unsigned long n;
	int rc;

	for (n = 1; n <= ATTEMPTS_MAX; n++) {
		field_errors_init(&fe);
		heap_fail_at(n);
		rc = abrir_ordem(&x->f.app, &quem, &in, &fe, &id);
		unsigned long made = heap_attempts();
		heap_fail_at(0);
		if (made < n) /* no allocation failed: it ran through */
			break;
		if (rc != APP_ENOMEM)
			fail_msg("allocation %lu failing: abrir_ordem answered %d, not APP_ENOMEM",
			         n, rc);
		assert_int_equal(x->f.ordens.ordens.n, 0);
		assert_int_equal(x->f.eventos.n, eventos);
		assert_false(x->f.tx.open);
	}
	assert_true(n > 1); /* it allocates: the failures above were really run */
	assert_int_equal(rc, 0);
	assert_int_equal(x->f.ordens.ordens.n, 1);
}

/* Runs one list query with each of its allocations failing, then with none. */
static void lista_sem_memoria(struct fx *x, int (*consulta)(struct fx *, struct lista *))
{
	struct lista l;
	unsigned long n;
	int rc;

	for (n = 1; n <= ATTEMPTS_MAX; n++) {
		heap_fail_at(n);
		rc = consulta(x, &l);
		unsigned long made = heap_attempts();
		heap_fail_at(0);
		if (made < n)
			break;
		assert_int_equal(rc, APP_ENOMEM);
		assert_null(l.itens);
		assert_int_equal(l.n, 0);
		assert_int_equal(l.total, 0);
		lista_cleanup(&l); /* harmless on an emptied list */
	}
	assert_true(n > 1);
	assert_int_equal(rc, 0);
	assert_true(l.total > 0);
	lista_cleanup(&l);
}

static const struct pagina pagina = {.pagina = 1, .por_pagina = 20};

static int clientes(struct fx *x, struct lista *l)
{
	struct cliente_filtro f = {0};
	return listar_clientes(&x->f.app, &f, &pagina, l);
}

static int veiculos(struct fx *x, struct lista *l)
{
	struct veiculo_filtro f = {0};
	return listar_veiculos(&x->f.app, &quem, &f, &pagina, l);
}

static int veiculos_do_cliente(struct fx *x, struct lista *l)
{
	return listar_veiculos_do_cliente(&x->f.app, &quem, &x->cliente, &pagina, l);
}

static int servicos(struct fx *x, struct lista *l)
{
	struct servico_filtro f = {0};
	return listar_servicos(&x->f.app, &f, &pagina, l);
}

static int pecas(struct fx *x, struct lista *l)
{
	struct peca_filtro f = {0};
	return listar_pecas(&x->f.app, &f, &pagina, l);
}

static int movimentos(struct fx *x, struct lista *l)
{
	return listar_movimentos(&x->f.app, &x->peca, &pagina, l);
}

static int ordens(struct fx *x, struct lista *l)
{
	struct ordem_filtro f = {0};
	return listar_ordens(&x->f.app, &quem, &f, &pagina, l);
}

static void test_listas__cada_alocacao_falhando__enomem_e_lista_vazia(void **state)
{
	struct fx *x = *state;
	struct ordem_campos in = {.cliente_uuid = x->cliente.str, .veiculo_uuid = x->veiculo.str};
	struct field_errors fe;
	struct uuid id;

	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &quem, &in, &fe, &id), 0);
	lista_sem_memoria(x, clientes);
	lista_sem_memoria(x, veiculos);
	lista_sem_memoria(x, veiculos_do_cliente);
	lista_sem_memoria(x, servicos);
	lista_sem_memoria(x, pecas);
	lista_sem_memoria(x, movimentos);
	lista_sem_memoria(x, ordens);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        test_abrir_ordem__cada_alocacao_falhando__enomem_sem_nada_pela_metade, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(
	        test_listas__cada_alocacao_falhando__enomem_e_lista_vazia, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

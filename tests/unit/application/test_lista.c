/*
 * Unit tests of application/queries/lista: one page of a list query — allocated for a page,
 * kept by the caller when the adapter answered, emptied when it failed (application layer;
 * cmocka).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "application/queries/lista.h"
#include "domain/errors.h"

static void assert_vazia(const struct lista *l)
{
	assert_null(l->itens);
	assert_int_equal(l->n, 0);
	assert_int_equal(l->total, 0);
}

static void test_lista_init__vazia(void **state)
{
	struct lista l = {.itens = &l, .n = 3, .total = 7}; /* garbage, as a caller's stack holds */
	(void)state;

	lista_init(&l);
	assert_vazia(&l);
	lista_cleanup(&l); /* nothing to free */
	assert_vazia(&l);
}

static void test_lista_concluir__sucesso__pagina_fica_com_o_chamador(void **state)
{
	struct pagina page = {.pagina = 1, .por_pagina = 4};
	struct lista l;
	(void)state;

	assert_int_equal(lista_alloc(&l, &page, sizeof(int)), 0);
	LISTA_ITENS(&l, int)[0] = 42;
	l.n = 1;
	l.total = 9;
	assert_int_equal(lista_concluir(&l, 0), 0);
	assert_non_null(l.itens);
	assert_int_equal(LISTA_ITENS(&l, int)[0], 42);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.total, 9);
	lista_cleanup(&l);
	assert_vazia(&l);
}

static void test_lista_concluir__erro__pagina_liberada_e_codigo_devolvido(void **state)
{
	struct pagina page = {.pagina = 1, .por_pagina = 4};
	struct lista l;
	(void)state;

	assert_int_equal(lista_alloc(&l, &page, sizeof(int)), 0);
	l.n = 2; /* an adapter that wrote part of a page, then failed */
	l.total = 5;
	assert_int_equal(lista_concluir(&l, APP_EUNAVAILABLE), APP_EUNAVAILABLE);
	assert_vazia(&l);
	lista_cleanup(&l); /* released twice: still fine */
	assert_vazia(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lista_init__vazia),
	    cmocka_unit_test(test_lista_concluir__sucesso__pagina_fica_com_o_chamador),
	    cmocka_unit_test(test_lista_concluir__erro__pagina_liberada_e_codigo_devolvido),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

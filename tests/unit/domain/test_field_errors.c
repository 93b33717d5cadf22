/*
 * Unit tests of domain/field_errors: one entry per field, the first FIELD_ERRORS_MAX of them (the
 * README's promise for a problem's "errors"), and a NULL list that takes nothing (domain layer;
 * cmocka, no fakes needed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "domain/field_errors.h"

static void test_field_errors_add__mesmo_campo_duas_vezes__fica_a_primeira(void **state)
{
	struct field_errors fe;
	(void)state;

	field_errors_init(&fe);
	field_errors_add(&fe, "nome", "primeira");
	field_errors_add(&fe, "nome", "segunda");
	field_errors_missing(&fe, "nome");
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].mensagem, "primeira");
}

static void test_field_errors_add__alem_do_maximo__ficam_os_primeiros(void **state)
{
	struct field_errors fe;
	char campo[24]; /* "campo" and any int */
	(void)state;

	field_errors_init(&fe);
	for (int i = 0; i < FIELD_ERRORS_MAX + 4; i++) {
		snprintf(campo, sizeof campo, "campo%d", i);
		field_errors_add(&fe, campo, "inválido");
	}
	assert_int_equal(FIELD_ERRORS_MAX, 16); /* the README and OpenAPI say 16 */
	assert_int_equal(fe.count, FIELD_ERRORS_MAX);
	assert_string_equal(fe.items[0].campo, "campo0");
	assert_string_equal(fe.items[FIELD_ERRORS_MAX - 1].campo, "campo15");
	assert_false(field_errors_has(&fe, "campo16"));
}

static void test_field_errors_add__lista_null__ignorado(void **state)
{
	(void)state;
	field_errors_add(NULL, "nome", "inválido");
	field_errors_missing(NULL, "nome");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_field_errors_add__mesmo_campo_duas_vezes__fica_a_primeira),
	    cmocka_unit_test(test_field_errors_add__alem_do_maximo__ficam_os_primeiros),
	    cmocka_unit_test(test_field_errors_add__lista_null__ignorado),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

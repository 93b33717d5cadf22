/* Unit tests of the growing text (domain/strbuf.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/heap.h"
#include "domain/strbuf.h"

static void test_strbuf__pecas_somadas_na_ordem(void **state)
{
	struct strbuf b = {0};
	(void)state;

	strbuf_puts(&b, "R$ ");
	strbuf_add(&b, "1.234,56xyz", 8);
	strbuf_printf(&b, " (%d itens, %s)", 3, "ok");
	char *s = strbuf_take(&b);
	assert_string_equal(s, "R$ 1.234,56 (3 itens, ok)");
	assert_null(b.s);
	heap_free(s);
}

static void test_strbuf__familia_prometheus_com_help_e_type(void **state)
{
	struct strbuf b = {0};
	(void)state;

	strbuf_metric_counter(&b, "a_total", "As contadas.", 3);
	strbuf_metric_gauge(&b, "b_bytes", "Bytes agora.", 1.5);
	char *s = strbuf_take(&b);
	assert_string_equal(s, "# HELP a_total As contadas.\n# TYPE a_total counter\na_total 3\n"
	                       "# HELP b_bytes Bytes agora.\n# TYPE b_bytes gauge\nb_bytes 1.5\n");
	heap_free(s);
}

static void test_strbuf__cresce_alem_da_primeira_reserva(void **state)
{
	struct strbuf b = {0};
	char linha[100];
	(void)state;

	memset(linha, 'a', sizeof linha - 1);
	linha[sizeof linha - 1] = '\0';
	for (int i = 0; i < 500; i++)
		strbuf_printf(&b, "%03d %s\n", i, linha);
	strbuf_puts(&b, "fim");
	char *s = strbuf_take(&b);
	assert_non_null(s);
	assert_int_equal(strlen(s), 500 * (4 + 99 + 1) + 3);
	assert_memory_equal(s + 499 * 104, "499 aaa", 7);
	assert_string_equal(s + 500 * 104, "fim");
	heap_free(s);
}

static void test_strbuf__vazio_da_texto_vazio(void **state)
{
	struct strbuf b = {0};
	(void)state;

	char *s = strbuf_take(&b);
	assert_string_equal(s, "");
	heap_free(s);
}

static void test_strbuf__sem_memoria_da_null_e_nada_retido(void **state)
{
	(void)state;
	for (unsigned long nth = 1; nth <= 4; nth++) {
		struct strbuf b = {0};
		char linha[600];
		memset(linha, 'b', sizeof linha - 1);
		linha[sizeof linha - 1] = '\0';
		heap_fail_at(nth);
		for (int i = 0; i < 8; i++)
			strbuf_puts(&b, linha);
		strbuf_printf(&b, "%s", "depois da falha");
		char *s = strbuf_take(&b);
		heap_fail_at(0);
		assert_null(s); /* 4 815 bytes take 4 allocations: any one failing loses the text */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_strbuf__pecas_somadas_na_ordem),
	    cmocka_unit_test(test_strbuf__familia_prometheus_com_help_e_type),
	    cmocka_unit_test(test_strbuf__cresce_alem_da_primeira_reserva),
	    cmocka_unit_test(test_strbuf__vazio_da_texto_vazio),
	    cmocka_unit_test(test_strbuf__sem_memoria_da_null_e_nada_retido),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

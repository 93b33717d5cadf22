/*
 * Unit tests of presentation/http/request_ids: which X-Correlation-Id values are repeated, and
 * which traceparent values give a trace id (W3C Trace Context: a header that is not a valid
 * traceparent is ignored whole). The traceparent cases the fuzz target fuzz_request_ids found
 * accepted before: version ff, an all-zero trace or parent id, a non-hex parent id or flags, and
 * version 00 with more after it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "presentation/http/request_ids.h"

#define TRACE  "4bf92f3577b34da6a3ce929d0e0e4736"
#define PARENT "00f067aa0ba902b7"

static void test_correlation_id__repetido_so_quando_sao(void **state)
{
	char longo[CORRELATION_ID_MAX + 2];
	(void)state;

	assert_true(correlation_id_sane("req-123_abc.DEF"));
	assert_false(correlation_id_sane(NULL));
	assert_false(correlation_id_sane(""));
	assert_false(correlation_id_sane("com espaço"));
	assert_false(correlation_id_sane("quebra\r\nde-linha"));
	memset(longo, 'a', sizeof longo - 1);
	longo[CORRELATION_ID_MAX] = '\0';
	assert_true(correlation_id_sane(longo));
	longo[CORRELATION_ID_MAX] = 'a';
	longo[CORRELATION_ID_MAX + 1] = '\0';
	assert_false(correlation_id_sane(longo));
}

static void test_traceparent__valido__trace_id(void **state)
{
	char out[TRACE_ID_HEX + 1] = "";
	(void)state;

	assert_true(traceparent_trace_id("00-" TRACE "-" PARENT "-01", out));
	assert_string_equal(out, TRACE);
	/* A later version may carry more fields after a '-'. */
	assert_true(traceparent_trace_id("01-" TRACE "-" PARENT "-00-mais-coisas", out));
	assert_string_equal(out, TRACE);
}

static void test_traceparent__invalido__ignorado_inteiro(void **state)
{
	static const char *const ruins[] = {
	    "ff-" TRACE "-" PARENT "-01",                        /* version ff */
	    "00-00000000000000000000000000000000-" PARENT "-01", /* trace id all zeros */
	    "00-" TRACE "-0000000000000000-01",                  /* parent id all zeros */
	    "00-" TRACE "-00f067aa0ba902bX-01",                  /* parent id not hex */
	    "00-" TRACE "-" PARENT "-0g",                        /* flags not hex */
	    "00-" TRACE "-" PARENT "-01-mais",                   /* version 00 is 55 long */
	    "01-" TRACE "-" PARENT "-01x",                       /* later version: '-' next */
	    "0X-" TRACE "-" PARENT "-01",                        /* version not hex */
	    "00-4BF92F3577B34DA6A3CE929D0E0E4736-" PARENT "-01", /* upper case */
	    "00-" TRACE "_" PARENT "-01",                        /* separator */
	    "00-" TRACE "-" PARENT,                              /* short */
	    "",
	};
	char out[TRACE_ID_HEX + 1] = "intocado";
	(void)state;

	for (size_t i = 0; i < sizeof ruins / sizeof ruins[0]; i++) {
		assert_false(traceparent_trace_id(ruins[i], out));
		assert_string_equal(out, "intocado");
	}
	assert_false(traceparent_trace_id(NULL, out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_correlation_id__repetido_so_quando_sao),
	    cmocka_unit_test(test_traceparent__valido__trace_id),
	    cmocka_unit_test(test_traceparent__invalido__ignorado_inteiro),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

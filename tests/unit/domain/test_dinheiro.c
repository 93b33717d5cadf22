/*
 * Unit tests of domain/dinheiro: money text to whole centavos and back (domain layer; cmocka, no
 * fakes needed). The text is what a client typed in a JSON string or as a JSON number literal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/dinheiro.h"
#include "domain/errors.h"

static void parse_ok(const char *text, int64_t want)
{
	int64_t got = -12345;
	if (dinheiro_parse(text, &got) != 0)
		fail_msg("\"%s\" should be valid", text);
	if (got != want)
		fail_msg("\"%s\": got %lld centavos, want %lld", text, (long long)got,
		         (long long)want);
}

static void parse_invalid(const char *text)
{
	int64_t got = -12345;
	if (dinheiro_parse(text, &got) != APP_EINVALID)
		fail_msg("\"%s\" should be invalid", text ? text : "(null)");
	assert_int_equal(got, -12345); /* untouched on failure */
}

static void test_dinheiro_parse__inteiro__centavos(void **state)
{
	(void)state;
	parse_ok("150", 15000);
	parse_ok("0", 0);
	parse_ok("1", 100);
	parse_ok("007", 700);
}

static void test_dinheiro_parse__uma_casa__dezenas_de_centavos(void **state)
{
	(void)state;
	parse_ok("150.5", 15050);
	parse_ok("0.1", 10);
	parse_ok("0.0", 0);
}

static void test_dinheiro_parse__duas_casas__exato(void **state)
{
	(void)state;
	parse_ok("150.55", 15055);
	parse_ok("150.00", 15000);
	parse_ok("0.01", 1);
	parse_ok("0.29", 29); /* 0.29 is not exact in binary; here it is */
	parse_ok("1234567.89", 123456789);
}

static void test_dinheiro_parse__tres_casas__invalido(void **state)
{
	(void)state;
	parse_invalid("150.555");
	parse_invalid("0.001");
	parse_invalid("1.000");
}

static void test_dinheiro_parse__sinal__invalido(void **state)
{
	(void)state;
	parse_invalid("-1");
	parse_invalid("-0.01");
	parse_invalid("+1");
	parse_invalid("-0");
}

static void test_dinheiro_parse__expoente__invalido(void **state)
{
	(void)state;
	parse_invalid("1e2");
	parse_invalid("1E2");
	parse_invalid("1.5e+02");
	parse_invalid("1e-2");
}

static void test_dinheiro_parse__espacos_e_separadores__invalido(void **state)
{
	(void)state;
	parse_invalid(" 1");
	parse_invalid("1 ");
	parse_invalid("1,50");
	parse_invalid("1.000,00");
	parse_invalid("1_000");
	parse_invalid("R$ 10");
}

static void test_dinheiro_parse__formas_incompletas__invalido(void **state)
{
	(void)state;
	parse_invalid("");
	parse_invalid(".");
	parse_invalid(".5");
	parse_invalid("5.");
	parse_invalid("1.2.3");
	parse_invalid("abc");
	parse_invalid("NaN");
	parse_invalid("Infinity");
	parse_invalid("0x10");
	parse_invalid(NULL);
}

static void test_dinheiro_parse__limite_maximo(void **state)
{
	(void)state;
	parse_ok("999999999.99", DINHEIRO_MAX_CENTAVOS);
	parse_invalid("1000000000");
	parse_invalid("1000000000.00");
	parse_invalid("999999999999");
	parse_invalid("99999999999999999999999999"); /* would overflow int64 */
	parse_invalid("0000000000000001"); /* more than 12 integer digits, even if small */
}

static void format_is(int64_t centavos, const char *want)
{
	char out[DINHEIRO_TEXTO_MAX];
	dinheiro_format(centavos, out);
	assert_string_equal(out, want);
}

static void test_dinheiro_format__sempre_duas_casas(void **state)
{
	(void)state;
	format_is(0, "0.00");
	format_is(1, "0.01");
	format_is(10, "0.10");
	format_is(15000, "150.00");
	format_is(15050, "150.50");
	format_is(15055, "150.55");
	format_is(DINHEIRO_MAX_CENTAVOS, "999999999.99");
	format_is(-150, "-1.50");
	format_is(INT64_MIN, "-92233720368547758.08");
}

static void reais_is(int64_t centavos, const char *want)
{
	char out[DINHEIRO_REAIS_MAX];
	dinheiro_reais(centavos, out);
	assert_string_equal(out, want);
}

static void test_dinheiro_reais__milhar_com_ponto_decimais_com_virgula(void **state)
{
	(void)state;
	reais_is(0, "0,00");
	reais_is(5, "0,05");
	reais_is(24100, "241,00");
	reais_is(123456, "1.234,56");
	reais_is(100000000, "1.000.000,00");
	reais_is(DINHEIRO_MAX_CENTAVOS, "999.999.999,99");
	reais_is(-150, "-1,50");
	reais_is(INT64_MIN, "-92.233.720.368.547.758,08");
}

static void test_dinheiro__ida_e_volta(void **state)
{
	char out[DINHEIRO_TEXTO_MAX];
	int64_t got;
	(void)state;
	for (int64_t c = 0; c < 100000; c += 7) {
		dinheiro_format(c, out);
		assert_int_equal(dinheiro_parse(out, &got), 0);
		assert_int_equal(got, c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dinheiro_parse__inteiro__centavos),
	    cmocka_unit_test(test_dinheiro_parse__uma_casa__dezenas_de_centavos),
	    cmocka_unit_test(test_dinheiro_parse__duas_casas__exato),
	    cmocka_unit_test(test_dinheiro_parse__tres_casas__invalido),
	    cmocka_unit_test(test_dinheiro_parse__sinal__invalido),
	    cmocka_unit_test(test_dinheiro_parse__expoente__invalido),
	    cmocka_unit_test(test_dinheiro_parse__espacos_e_separadores__invalido),
	    cmocka_unit_test(test_dinheiro_parse__formas_incompletas__invalido),
	    cmocka_unit_test(test_dinheiro_parse__limite_maximo),
	    cmocka_unit_test(test_dinheiro_format__sempre_duas_casas),
	    cmocka_unit_test(test_dinheiro_reais__milhar_com_ponto_decimais_com_virgula),
	    cmocka_unit_test(test_dinheiro__ida_e_volta),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

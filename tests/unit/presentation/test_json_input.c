/*
 * Unit tests of presentation/http/json_input: money fields given as a JSON string or number
 * (SPEC §3: a string with two decimals, or a number with at most two decimals; anything else is a
 * field error), and nullable integers (presentation layer; cmocka and jansson, no server).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "presentation/http/json_input.h"

/* Parses {"valor": <literal>} and reads the money field. */
static bool ler(const char *literal, char out[DINHEIRO_TEXTO_MAX], bool *given,
                struct field_errors *fe)
{
	char doc[256];
	json_error_t err;

	snprintf(doc, sizeof doc, "{\"valor\": %s}", literal);
	json_t *o = json_loads(doc, JSON_ALLOW_NUL, &err);
	if (!o)
		fail_msg("bad test JSON %s: %s", doc, err.text);
	field_errors_init(fe);
	bool ok = json_input_dinheiro(o, "valor", out, given, fe);
	json_decref(o);
	return ok;
}

static void aceita(const char *literal, const char *canonico)
{
	char out[DINHEIRO_TEXTO_MAX];
	bool given = false;
	struct field_errors fe;

	if (!ler(literal, out, &given, &fe))
		fail_msg("%s should be accepted (%s)", literal,
		         fe.count ? fe.items[0].mensagem : "no error");
	assert_true(given);
	assert_int_equal(fe.count, 0);
	if (strcmp(out, canonico) != 0)
		fail_msg("%s: got \"%s\", want \"%s\"", literal, out, canonico);
}

static void recusa(const char *literal)
{
	char out[DINHEIRO_TEXTO_MAX];
	bool given = true;
	struct field_errors fe;

	if (ler(literal, out, &given, &fe))
		fail_msg("%s should be refused, got \"%s\"", literal, out);
	assert_false(given);
	assert_string_equal(out, "");
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "valor");
}

static void test_dinheiro__texto__aceito_e_normalizado(void **state)
{
	(void)state;
	aceita("\"150.00\"", "150.00");
	aceita("\"150\"", "150.00");
	aceita("\"150.5\"", "150.50");
	aceita("\"0.1\"", "0.10");
	aceita("\"0\"", "0.00");
	aceita("\"999999999.99\"", "999999999.99");
}

static void test_dinheiro__texto_invalido__erro(void **state)
{
	(void)state;
	recusa("\"150.555\"");
	recusa("\"-1\"");
	recusa("\"1e2\"");
	recusa("\" 1\"");
	recusa("\"\"");
	recusa("\"1,50\"");
	recusa("\"NaN\"");
	recusa("\"1000000000.00\"");
	recusa("\"1\\u00002\""); /* an embedded NUL must not cut the text to "1" */
}

static void test_dinheiro__inteiro_json(void **state)
{
	(void)state;
	aceita("150", "150.00");
	aceita("0", "0.00");
	aceita("-0", "0.00"); /* jansson reads -0 as the integer 0 */
	aceita("999999999", "999999999.00");
	recusa("-1");
	recusa("1000000000");
	recusa("9223372036854775807");
}

static void test_dinheiro__real_json_ate_duas_casas(void **state)
{
	(void)state;
	aceita("150.5", "150.50");
	aceita("150.55", "150.55");
	aceita("150.0", "150.00");
	aceita("150.50", "150.50");
	aceita("0.1", "0.10");
	aceita("0.29", "0.29");
	aceita("0.01", "0.01");
	aceita("1.1", "1.10");
	aceita("999999999.99", "999999999.99");
	aceita("123456789.12", "123456789.12");
	aceita("0.0", "0.00");
	/* An exponent is gone once jansson has parsed the number: judged by value. */
	aceita("1e2", "100.00");
	aceita("1.5E1", "15.00");
}

static void test_dinheiro__real_json_invalido(void **state)
{
	(void)state;
	recusa("150.555");
	recusa("0.001");
	recusa("1.005");
	recusa("-1.5");
	recusa("-0.0");
	recusa("1e-3");
	recusa("1000000000.0");
	recusa("1e300");
	recusa("0.30000000000000004");
}

static void test_dinheiro__outros_tipos(void **state)
{
	(void)state;
	recusa("null");
	recusa("true");
	recusa("[]");
	recusa("{}");
	recusa("[150]");
}

static void test_dinheiro__ausente__sem_erro(void **state)
{
	char out[DINHEIRO_TEXTO_MAX] = "x";
	bool given = true;
	struct field_errors fe;
	json_t *o = json_object();
	(void)state;

	field_errors_init(&fe);
	assert_false(json_input_dinheiro(o, "valor", out, &given, &fe));
	assert_false(given);
	assert_string_equal(out, "");
	assert_int_equal(fe.count, 0);
	json_decref(o);
}

static void test_integer_nullable(void **state)
{
	struct field_errors fe;
	long v = -7;
	bool nulo = true;
	json_t *o = json_pack("{s:i, s:n, s:s}", "a", 30, "b", "c", "x");
	(void)state;

	field_errors_init(&fe);
	assert_true(json_input_integer_nullable(o, "a", &v, &nulo, &fe));
	assert_false(nulo);
	assert_int_equal(v, 30);
	assert_true(json_input_integer_nullable(o, "b", &v, &nulo, &fe));
	assert_true(nulo);
	assert_false(json_input_integer_nullable(o, "ausente", &v, &nulo, &fe));
	assert_false(nulo);
	assert_int_equal(fe.count, 0);
	assert_false(json_input_integer_nullable(o, "c", &v, &nulo, &fe));
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "c");
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dinheiro__texto__aceito_e_normalizado),
	    cmocka_unit_test(test_dinheiro__texto_invalido__erro),
	    cmocka_unit_test(test_dinheiro__inteiro_json),
	    cmocka_unit_test(test_dinheiro__real_json_ate_duas_casas),
	    cmocka_unit_test(test_dinheiro__real_json_invalido),
	    cmocka_unit_test(test_dinheiro__outros_tipos),
	    cmocka_unit_test(test_dinheiro__ausente__sem_erro),
	    cmocka_unit_test(test_integer_nullable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

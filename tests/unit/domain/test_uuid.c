/*
 * Unit tests of domain/uuid: the canonical 8-4-4-4-12 text form, case folding, and equality
 * (domain layer; cmocka, no fakes needed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/errors.h"
#include "domain/uuid.h"

#define VALIDO "3f2504e0-4f89-41d3-9a0c-0305e82c3301"

static void assert_uuid(const char *in, int rc_esperado, const char *esperado)
{
	struct uuid out;

	memset(out.str, 'X', sizeof out.str - 1);
	out.str[sizeof out.str - 1] = '\0';
	int rc = uuid_parse(in, &out);
	if (rc != rc_esperado || strcmp(out.str, esperado) != 0)
		fail_msg("uuid_parse(\"%s\") = %d \"%s\", esperado %d \"%s\"", in ? in : "(null)",
		         rc, out.str, rc_esperado, esperado);
}

static void test_uuid_parse__minusculo__igual(void **state)
{
	(void)state;
	assert_uuid(VALIDO, 0, VALIDO);
	assert_uuid("00000000-0000-0000-0000-000000000000", 0,
	            "00000000-0000-0000-0000-000000000000");
	assert_uuid("ffffffff-ffff-ffff-ffff-ffffffffffff", 0,
	            "ffffffff-ffff-ffff-ffff-ffffffffffff");
}

static void test_uuid_parse__maiusculo_ou_misto__minusculo(void **state)
{
	(void)state;
	assert_uuid("3F2504E0-4F89-41D3-9A0C-0305E82C3301", 0, VALIDO);
	assert_uuid("3f2504E0-4F89-41d3-9A0c-0305e82C3301", 0, VALIDO);
	assert_uuid("ABCDEFAB-CDEF-ABCD-EFAB-CDEFABCDEFAB", 0,
	            "abcdefab-cdef-abcd-efab-cdefabcdefab");
}

static void test_uuid_parse__qualquer_versao__aceito(void **state)
{
	(void)state;
	/* v1 and v7 identifiers are as good as v4 ones, as in PostgreSQL. */
	assert_uuid("c232ab00-9414-11ec-b3c8-9f6bdeced846", 0,
	            "c232ab00-9414-11ec-b3c8-9f6bdeced846");
	assert_uuid("017f22e2-79b0-7cc3-98c4-dc0c0c07398f", 0,
	            "017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
}

static void test_uuid_parse__curto__invalido(void **state)
{
	(void)state;
	assert_uuid("3f2504e0-4f89-41d3-9a0c-0305e82c330", APP_EINVALID, "");
	assert_uuid("3f2504e0-4f89-41d3-9a0c", APP_EINVALID, "");
	assert_uuid("3f2504e0", APP_EINVALID, "");
	assert_uuid("-", APP_EINVALID, "");
}

static void test_uuid_parse__longo__invalido(void **state)
{
	(void)state;
	assert_uuid(VALIDO "0", APP_EINVALID, "");
	assert_uuid(VALIDO "-", APP_EINVALID, "");
	assert_uuid(VALIDO VALIDO, APP_EINVALID, "");
}

static void test_uuid_parse__sem_hifens__invalido(void **state)
{
	(void)state;
	assert_uuid("3f2504e04f8941d39a0c0305e82c3301", APP_EINVALID, "");
}

static void test_uuid_parse__hifen_fora_do_lugar__invalido(void **state)
{
	(void)state;
	assert_uuid("3f2504e-04f89-41d3-9a0c-0305e82c3301", APP_EINVALID, "");
	assert_uuid("3f2504e0-4f8-941d3-9a0c-0305e82c3301", APP_EINVALID, "");
	assert_uuid("3f2504e0-4f89-41d-39a0c-0305e82c3301", APP_EINVALID, "");
	assert_uuid("3f2504e0-4f89-41d3-9a0c0-305e82c3301", APP_EINVALID, "");
	assert_uuid("3f2504e0-4f89-41d3-9a0c-0305e82c330-", APP_EINVALID, "");
	assert_uuid("3f2504e0:4f89:41d3:9a0c:0305e82c3301", APP_EINVALID, "");
	assert_uuid("------------------------------------", APP_EINVALID, "");
}

static void test_uuid_parse__caractere_nao_hexadecimal__invalido(void **state)
{
	(void)state;
	assert_uuid("3f2504g0-4f89-41d3-9a0c-0305e82c3301", APP_EINVALID, "");
	assert_uuid("3f2504e0-4f89-41d3-9a0c-0305e82c330G", APP_EINVALID, "");
	assert_uuid("3f2504e0-4f89-41d3-9a0c-0305e82c33 1", APP_EINVALID, "");
	assert_uuid("3f2504e0-4f89-41d3-9a0c-0305e82c33é", APP_EINVALID, "");
	assert_uuid("zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", APP_EINVALID, "");
}

static void test_uuid_parse__chaves_espacos_ou_urn__invalido(void **state)
{
	(void)state;
	assert_uuid("{" VALIDO "}", APP_EINVALID, "");
	assert_uuid(" " VALIDO, APP_EINVALID, "");
	assert_uuid(VALIDO " ", APP_EINVALID, "");
	assert_uuid(VALIDO "\n", APP_EINVALID, "");
	assert_uuid("urn:uuid:" VALIDO, APP_EINVALID, "");
}

static void test_uuid_parse__nulo_ou_vazio__invalido(void **state)
{
	(void)state;
	assert_uuid(NULL, APP_EINVALID, "");
	assert_uuid("", APP_EINVALID, "");
}

static void test_uuid_parse__entrada_justa_no_heap__nao_le_alem_do_fim(void **state)
{
	(void)state;
	/* Every prefix of a valid UUID, each in a block of exactly its size. */
	for (size_t len = 0; len <= strlen(VALIDO); len++) {
		char *in = malloc(len + 1);
		struct uuid out;

		assert_non_null(in);
		memcpy(in, VALIDO, len);
		in[len] = '\0';
		assert_int_equal(uuid_parse(in, &out), len == strlen(VALIDO) ? 0 : APP_EINVALID);
		free(in);
	}
}

static void test_uuid_equal__mesma_uuid_em_caixas_diferentes__igual(void **state)
{
	(void)state;
	struct uuid a, b;

	assert_int_equal(uuid_parse(VALIDO, &a), 0);
	assert_int_equal(uuid_parse("3F2504E0-4F89-41D3-9A0C-0305E82C3301", &b), 0);
	assert_true(uuid_equal(&a, &b));
	assert_true(uuid_equal(&a, &a));
}

static void test_uuid_equal__uuids_diferentes__diferente(void **state)
{
	(void)state;
	struct uuid a, b;

	assert_int_equal(uuid_parse(VALIDO, &a), 0);
	assert_int_equal(uuid_parse("3f2504e0-4f89-41d3-9a0c-0305e82c3302", &b), 0);
	assert_false(uuid_equal(&a, &b));
	assert_int_equal(uuid_parse("x", &b), APP_EINVALID);
	assert_false(uuid_equal(&a, &b));
}

static void test_uuid_equal__duas_vazias__igual(void **state)
{
	(void)state;
	struct uuid a = {.str = ""}, b = {.str = ""};

	assert_true(uuid_equal(&a, &b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_uuid_parse__minusculo__igual),
	    cmocka_unit_test(test_uuid_parse__maiusculo_ou_misto__minusculo),
	    cmocka_unit_test(test_uuid_parse__qualquer_versao__aceito),
	    cmocka_unit_test(test_uuid_parse__curto__invalido),
	    cmocka_unit_test(test_uuid_parse__longo__invalido),
	    cmocka_unit_test(test_uuid_parse__sem_hifens__invalido),
	    cmocka_unit_test(test_uuid_parse__hifen_fora_do_lugar__invalido),
	    cmocka_unit_test(test_uuid_parse__caractere_nao_hexadecimal__invalido),
	    cmocka_unit_test(test_uuid_parse__chaves_espacos_ou_urn__invalido),
	    cmocka_unit_test(test_uuid_parse__nulo_ou_vazio__invalido),
	    cmocka_unit_test(test_uuid_parse__entrada_justa_no_heap__nao_le_alem_do_fim),
	    cmocka_unit_test(test_uuid_equal__mesma_uuid_em_caixas_diferentes__igual),
	    cmocka_unit_test(test_uuid_equal__uuids_diferentes__diferente),
	    cmocka_unit_test(test_uuid_equal__duas_vazias__igual),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

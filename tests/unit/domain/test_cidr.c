/* Unit tests of the CIDR ranges of TRUSTED_PROXIES (domain/cidr.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "domain/cidr.h"

static struct cidr_list lista(const char *text)
{
	struct cidr_list l;
	char err[128];

	if (cidr_list_parse(text, &l, err, sizeof err) != 0)
		fail_msg("%s: %s", text, err);
	return l;
}

static void test_cidr__ipv4_faixa_e_endereco_solto(void **state)
{
	struct cidr_list l = lista("10.0.0.0/8, 192.0.2.7,172.16.0.0/12");
	(void)state;

	assert_int_equal(l.n, 3);
	assert_true(cidr_list_contains_text(&l, "10.1.2.3"));
	assert_true(cidr_list_contains_text(&l, "192.0.2.7"));
	assert_false(cidr_list_contains_text(&l, "192.0.2.8"));
	assert_true(cidr_list_contains_text(&l, "172.31.255.255"));
	assert_false(cidr_list_contains_text(&l, "172.32.0.0"));
	assert_false(cidr_list_contains_text(&l, "11.0.0.1"));
}

static void test_cidr__ipv6_e_ipv4_mapeado(void **state)
{
	struct cidr_list l = lista("fd00::/8,127.0.0.1/32");
	(void)state;

	assert_true(cidr_list_contains_text(&l, "fd12:3456::1"));
	assert_false(cidr_list_contains_text(&l, "fe80::1"));
	assert_true(cidr_list_contains_text(&l, "::ffff:127.0.0.1"));
	assert_false(cidr_list_contains_text(&l, "::1"));
}

/*
 * A range written as an IPv4-mapped IPv6 address held nothing, not even its own address: every
 * mapped address was looked up among the IPv4 ranges only (found by the fuzz target fuzz_cidr).
 */
static void test_cidr__faixa_ipv4_mapeada_contem_seus_enderecos(void **state)
{
	struct cidr_list l = lista("::ffff:10.0.0.0/104, ::ffff:192.0.2.7");
	(void)state;

	assert_true(cidr_list_contains_text(&l, "::ffff:10.1.2.3"));
	assert_true(cidr_list_contains_text(&l, "::ffff:192.0.2.7"));
	assert_false(cidr_list_contains_text(&l, "::ffff:11.0.0.1"));
	assert_false(cidr_list_contains_text(&l, "::ffff:192.0.2.8"));
	for (size_t i = 0; i < l.n; i++)
		assert_true(cidr_list_contains(&l, l.items[i].family, l.items[i].addr));
}

/* The n bytes are the address: a NUL among them is not its end (found by fuzz_cidr). */
static void test_cidr__endereco_com_nul_no_meio__recusado(void **state)
{
	static const char texto[] = "::ffff:127.0.0.1\0\0\0";
	unsigned char bytes[16];
	(void)state;

	assert_int_equal(cidr_address_parse(texto, 16, bytes), AF_INET6);
	assert_int_equal(cidr_address_parse(texto, sizeof texto - 1, bytes), 0);
	assert_int_equal(cidr_address_parse("1.2.3.4\0junk", 12, bytes), 0);
}

static void test_cidr__prefixo_zero_e_fora_de_byte(void **state)
{
	struct cidr_list todos = lista("0.0.0.0/0"), meio = lista("198.51.100.128/25");
	(void)state;

	assert_true(cidr_list_contains_text(&todos, "203.0.113.9"));
	assert_false(cidr_list_contains_text(&todos, "2001:db8::1"));
	assert_true(cidr_list_contains_text(&meio, "198.51.100.200"));
	assert_false(cidr_list_contains_text(&meio, "198.51.100.127"));
}

static void test_cidr__vazio_nao_confia_em_ninguem(void **state)
{
	struct cidr_list l = lista("");
	(void)state;

	assert_int_equal(l.n, 0);
	assert_false(cidr_list_contains_text(&l, "127.0.0.1"));
	assert_false(cidr_list_contains_text(&l, "nao-e-endereco"));
}

static void test_cidr__entradas_ruins_recusadas_com_o_nome(void **state)
{
	static const char *const ruins[] = {"10.0.0.0/33", "10.0.0.0/",   "10.0.0/8",
	                                    "::1/129",     "exemplo.com", "10.0.0.0/8x",
	                                    "1.2.3.4/-1",  "10.0.0.0/08a"};
	struct cidr_list l;
	char err[128];
	(void)state;

	for (size_t i = 0; i < sizeof ruins / sizeof ruins[0]; i++) {
		assert_int_equal(cidr_list_parse(ruins[i], &l, err, sizeof err), -1);
		assert_non_null(strstr(err, "not an address"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cidr__ipv4_faixa_e_endereco_solto),
	    cmocka_unit_test(test_cidr__ipv6_e_ipv4_mapeado),
	    cmocka_unit_test(test_cidr__faixa_ipv4_mapeada_contem_seus_enderecos),
	    cmocka_unit_test(test_cidr__endereco_com_nul_no_meio__recusado),
	    cmocka_unit_test(test_cidr__prefixo_zero_e_fora_de_byte),
	    cmocka_unit_test(test_cidr__vazio_nao_confia_em_ninguem),
	    cmocka_unit_test(test_cidr__entradas_ruins_recusadas_com_o_nome),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

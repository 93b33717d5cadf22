/*
 * Unit tests of the budget link's token (infrastructure/auth/orcamento_link.c) and of its port
 * adapter (hmac_orcamento_link.c): a round trip and a known vector (the notifier signs what the
 * server checks), then every kind of bad token — tampered uuid, expiry or MAC, another key,
 * another order, expired, non-canonical forms that carry a correct MAC (upper-case uuid, leading
 * zeros), garbage, overlong input, a JWT — and secrets that must never verify anything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "infrastructure/auth/hmac_orcamento_link.h"
#include "infrastructure/auth/orcamento_link.h"

#define SECRET  "0123456789abcdef0123456789abcdef-link-test"
#define OUTRO   "outra-chave-de-link-0123456789abcdef-0123"
#define ORDEM   "6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"
#define ORDEM_B "0b1e4c1a-7d2f-4a8e-9c3b-5e6f7a8b9c0d"
#define EXPIRA  1790000000
/* HMAC-SHA256(SECRET, "oficina.orcamento-link.v1|" ORDEM "|1790000000"), computed elsewhere. */
#define VETOR ORDEM ".1790000000.rlFSMPfwWqy2flP-jANAmZ-UuM5YsOqjpqwZEb477S8"

static int setup(void **state)
{
	(void)state;
	assert_true(sodium_init() >= 0);
	return 0;
}

static struct uuid uuid_de(const char *s)
{
	struct uuid u;
	assert_int_equal(uuid_parse(s, &u), 0);
	return u;
}

static void assinar(const char *secret, const char *ordem, int64_t expira,
                    char out[ORCAMENTO_LINK_TOKEN_MAX])
{
	struct uuid u = uuid_de(ordem);
	orcamento_link_assinar(secret, strlen(secret), &u, expira, out);
}

static enum orcamento_link_resultado verificar(const char *secret, const char *token, int64_t agora,
                                               struct uuid *ordem)
{
	return orcamento_link_verificar(secret, strlen(secret), token, agora, ordem);
}

/* Asserts INVALIDO for token with SECRET, well before its expiry, and that *ordem is unset. */
static void assert_invalido(const char *token)
{
	struct uuid u;
	memcpy(u.str, ORDEM, sizeof u.str);
	assert_int_equal(verificar(SECRET, token, EXPIRA - 1000, &u), ORCAMENTO_LINK_INVALIDO);
	assert_string_equal(u.str, "");
}

/* "<uuid>.<expira>.<mac>" for any texts, with a correct MAC under SECRET over exactly them. */
static void forjar(const char *uuid, const char *expira, char *out, size_t n)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char msg[256], b64[64];

	snprintf(msg, sizeof msg, "oficina.orcamento-link.v1|%s|%s", uuid, expira);
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)SECRET, strlen(SECRET));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, strlen(msg));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2base64(b64, sizeof b64, mac, sizeof mac,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(out, n, "%s.%s.%s", uuid, expira, b64);
}

static void test_ida_e_volta__ok_com_a_ordem(void **state)
{
	char t[ORCAMENTO_LINK_TOKEN_MAX];
	struct uuid u;
	(void)state;

	assinar(SECRET, ORDEM, EXPIRA, t);
	assert_int_equal(strlen(t), 36 + 1 + 10 + 1 + 43);
	assert_int_equal(verificar(SECRET, t, EXPIRA - 1, &u), ORCAMENTO_LINK_OK);
	assert_string_equal(u.str, ORDEM);
	/* Only the URL-safe alphabet: the token goes in a path segment as it is. */
	assert_int_equal(
	    strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"),
	    strlen(t));
}

static void test_vetor_conhecido__formato_fixo(void **state)
{
	char t[ORCAMENTO_LINK_TOKEN_MAX];
	struct uuid u;
	(void)state;

	assinar(SECRET, ORDEM, EXPIRA, t);
	assert_string_equal(t, VETOR);
	assert_int_equal(verificar(SECRET, VETOR, 1700000000, &u), ORCAMENTO_LINK_OK);
	assert_string_equal(u.str, ORDEM);
}

static void test_expirado__no_instante_e_depois(void **state)
{
	char t[ORCAMENTO_LINK_TOKEN_MAX];
	struct uuid u;
	(void)state;

	assinar(SECRET, ORDEM, EXPIRA, t);
	assert_int_equal(verificar(SECRET, t, EXPIRA - 1, &u), ORCAMENTO_LINK_OK);
	assert_int_equal(verificar(SECRET, t, EXPIRA, &u), ORCAMENTO_LINK_EXPIRADO);
	assert_string_equal(u.str, "");
	assert_int_equal(verificar(SECRET, t, EXPIRA + 86400, &u), ORCAMENTO_LINK_EXPIRADO);
	/* Expired and signed with another key: invalid (the MAC is checked first). */
	assert_int_equal(verificar(OUTRO, t, EXPIRA + 86400, &u), ORCAMENTO_LINK_INVALIDO);
	/* A negative expiry signs as 0: expired at once. */
	assinar(SECRET, ORDEM, -5, t);
	assert_non_null(strstr(t, ".0."));
	assert_int_equal(verificar(SECRET, t, 1, &u), ORCAMENTO_LINK_EXPIRADO);
	/* The largest expiry round-trips. */
	assinar(SECRET, ORDEM, INT64_MAX, t);
	assert_int_equal(verificar(SECRET, t, EXPIRA, &u), ORCAMENTO_LINK_OK);
}

static void test_adulterado__uuid_expiracao_ou_mac(void **state)
{
	char t[ORCAMENTO_LINK_TOKEN_MAX], x[ORCAMENTO_LINK_TOKEN_MAX];
	(void)state;

	assinar(SECRET, ORDEM, EXPIRA, t);
	/* Every single character changed, anywhere, is refused. */
	for (size_t i = 0; i < strlen(t); i++) {
		memcpy(x, t, sizeof x);
		x[i] = x[i] == 'a' ? 'b' : (x[i] == '0' ? '1' : 'a');
		assert_invalido(x);
	}
	/* A later expiry, as a customer would try. */
	memcpy(x, t, sizeof x);
	x[37] = '9';
	assert_invalido(x);
	/* The MAC's last character differs only in the 2 bits base64 leaves unused. */
	memcpy(x, t, sizeof x);
	char *last = &x[strlen(x) - 1];
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t v = (size_t)(strchr(b64, *last) - b64);
	*last = b64[v ^ 1];
	assert_invalido(x);
}

static void test_outra_chave_e_outra_ordem__invalido(void **state)
{
	char t[ORCAMENTO_LINK_TOKEN_MAX], b[ORCAMENTO_LINK_TOKEN_MAX], x[ORCAMENTO_LINK_TOKEN_MAX];
	struct uuid u;
	(void)state;

	assinar(OUTRO, ORDEM, EXPIRA, t);
	assert_invalido(t);
	assert_int_equal(verificar(OUTRO, t, EXPIRA - 1, &u), ORCAMENTO_LINK_OK);

	/* Order B's uuid with order A's expiry and MAC. */
	assinar(SECRET, ORDEM, EXPIRA, t);
	assinar(SECRET, ORDEM_B, EXPIRA, b);
	memcpy(x, t, sizeof x);
	memcpy(x, ORDEM_B, 36);
	assert_invalido(x);
	/* B's own token names B, never A. */
	assert_int_equal(verificar(SECRET, b, EXPIRA - 1, &u), ORCAMENTO_LINK_OK);
	assert_string_equal(u.str, ORDEM_B);
	assert_string_not_equal(t + 48, b + 48);
}

static void test_forma_nao_canonica_com_mac_certo__invalido(void **state)
{
	char t[ORCAMENTO_LINK_TOKEN_MAX * 2];
	(void)state;

	forjar(ORDEM, "1790000000", t, sizeof t);
	assert_string_equal(t, VETOR); /* the forger is right... */
	forjar("6F1C2D3E-4B5A-4C6D-8E7F-0A1B2C3D4E5F", "1790000000", t, sizeof t);
	assert_invalido(t); /* ...but only the canonical uuid is read */
	forjar("{6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f}", "1790000000", t, sizeof t);
	assert_invalido(t);
	forjar("6f1c2d3e4b5a4c6d8e7f0a1b2c3d4e5f", "1790000000", t, sizeof t);
	assert_invalido(t);
	forjar(ORDEM, "01790000000", t, sizeof t);
	assert_invalido(t);
	forjar(ORDEM, "+1790000000", t, sizeof t);
	assert_invalido(t);
	forjar(ORDEM, "-1", t, sizeof t);
	assert_invalido(t);
	forjar(ORDEM, "", t, sizeof t);
	assert_invalido(t);
	forjar(ORDEM, "99999999999999999999", t, sizeof t); /* 20 digits */
	assert_invalido(t);
	forjar(ORDEM, "9223372036854775808", t, sizeof t); /* INT64_MAX + 1 */
	assert_invalido(t);
	forjar(ORDEM, "1790000000 ", t, sizeof t);
	assert_invalido(t);
}

/*
 * A byte from 0x80 up in the MAC: libsodium 1.0.18 decodes each of them as '_', so a MAC with a
 * '_' passed written with any of them (found by the fuzz target fuzz_orcamento_link). The expiry
 * is moved until the MAC has a '_', then every such byte in every place of the MAC is refused.
 */
static void test_mac_com_bytes_altos__invalido(void **state)
{
	char t[ORCAMENTO_LINK_TOKEN_MAX];
	const char *mac = NULL;
	int64_t expira = EXPIRA;
	(void)state;

	for (; !mac || !strchr(mac, '_'); expira++) {
		assinar(SECRET, ORDEM, expira, t);
		mac = strrchr(t, '.') + 1;
	}
	for (size_t i = 0; mac[i]; i++) {
		char antes = mac[i];
		for (int c = 0x80; c <= 0xff; c++) {
			t[mac - t + (ptrdiff_t)i] = (char)c;
			assert_invalido(t);
		}
		t[mac - t + (ptrdiff_t)i] = antes;
	}
	struct uuid u;
	assert_int_equal(verificar(SECRET, t, EXPIRA - 1000, &u), ORCAMENTO_LINK_OK);
}

static void test_lixo_e_texto_longo__invalido(void **state)
{
	char longo[600], t[ORCAMENTO_LINK_TOKEN_MAX + 8];
	struct uuid u;
	(void)state;

	assert_int_equal(orcamento_link_verificar(SECRET, strlen(SECRET), NULL, 0, &u),
	                 ORCAMENTO_LINK_INVALIDO);
	const char *lixo[] = {
	    "",
	    ".",
	    "..",
	    "abc",
	    ORDEM,
	    ORDEM ".",
	    ORDEM ".1790000000",
	    ORDEM ".1790000000.",
	    ORDEM "..rlFSMPfwWqy2flP-jANAmZ-UuM5YsOqjpqwZEb477S8",
	    ORDEM ".1790000000.rlFSMPfwWqy2flP-jANAmZ-UuM5YsOqjpqwZEb477S",
	    ORDEM ".1790000000.rlFSMPfwWqy2flP-jANAmZ-UuM5YsOqjpqwZEb477S8=",
	    ORDEM ".1790000000.rlFSMPfwWqy2flP+jANAmZ+UuM5YsOqjpqwZEb477S8",
	    ORDEM ".1790000000.rlFSMPfwWqy2flP-jANAmZ-UuM5YsOqjpqwZEb477S8\n",
	    " " VETOR,
	    VETOR ".",
	    VETOR "A",
	    ORDEM ".1790000000.rlFSMPfwWqy2flP-jANAmZ-UuM5YsOqjpqwZEb477S8.extra",
	    /* a JWT (HS256, {"sub": ..., "role": "cliente"}) */
	    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI2ZjFjMmQzZS00YjVhLTRjNmQtOGU3Zi0w"
	    "YTFiMmMzZDRlNWYiLCJyb2xlIjoiY2xpZW50ZSJ9.rlFSMPfwWqy2flP-jANAmZ-UuM5YsOqjpqwZEb477S8",
	};
	for (size_t i = 0; i < sizeof lixo / sizeof lixo[0]; i++)
		assert_invalido(lixo[i]);

	/* Overlong: ORCAMENTO_LINK_TOKEN_MAX characters or more, and a long run of anything. */
	memset(t, 'a', sizeof t - 1);
	t[sizeof t - 1] = '\0';
	assert_invalido(t);
	memset(longo, 'x', sizeof longo - 1);
	longo[sizeof longo - 1] = '\0';
	memcpy(longo, VETOR, strlen(VETOR));
	assert_invalido(longo);
}

static void test_segredo_vazio_ou_curto__nada_assina_nada_verifica(void **state)
{
	char t[ORCAMENTO_LINK_TOKEN_MAX], curto[ORCAMENTO_LINK_SECRET_MIN];
	struct uuid u = uuid_de(ORDEM);
	(void)state;

	orcamento_link_assinar("", 0, &u, EXPIRA, t);
	assert_string_equal(t, "");
	orcamento_link_assinar(NULL, 0, &u, EXPIRA, t);
	assert_string_equal(t, "");
	assert_int_equal(orcamento_link_verificar("", 0, VETOR, 0, &u), ORCAMENTO_LINK_INVALIDO);
	assert_int_equal(orcamento_link_verificar(NULL, 0, VETOR, 0, &u), ORCAMENTO_LINK_INVALIDO);
	/* A MAC under the empty key, as a forger would make it, is no better. */
	assert_int_equal(orcamento_link_verificar("", 0, "", 0, &u), ORCAMENTO_LINK_INVALIDO);

	memset(curto, 'k', sizeof curto - 1); /* 31 bytes */
	orcamento_link_assinar(curto, sizeof curto - 1, &u, EXPIRA, t);
	assert_string_equal(t, "");
	/* The prefix of SECRET with the right MAC for the whole key: still refused. */
	assert_int_equal(orcamento_link_verificar(SECRET, 31, VETOR, 0, &u),
	                 ORCAMENTO_LINK_INVALIDO);
	struct uuid vazio = {""};
	orcamento_link_assinar(SECRET, strlen(SECRET), &vazio, EXPIRA, t);
	assert_string_equal(t, "");
}

static void test_adaptador__mapeia_e_desativa_sem_segredo(void **state)
{
	struct hmac_orcamento_link h, sem;
	struct orcamento_link port, off;
	char t[ORCAMENTO_LINK_TOKEN_MAX];
	struct uuid u;
	(void)state;

	assert_int_equal(hmac_orcamento_link_init(&h, SECRET), 0);
	hmac_orcamento_link_port(&h, &port);
	assinar(SECRET, ORDEM, EXPIRA, t);
	assert_int_equal(orcamento_link_verify(&port, t, EXPIRA - 1, &u), LINK_VALIDO);
	assert_string_equal(u.str, ORDEM);
	assert_int_equal(orcamento_link_verify(&port, t, EXPIRA, &u), LINK_EXPIRADO);
	assert_int_equal(orcamento_link_verify(&port, "lixo", EXPIRA, &u), LINK_INVALIDO);
	assert_int_equal(orcamento_link_verify(&port, NULL, EXPIRA, &u), LINK_INVALIDO);

	assert_int_equal(hmac_orcamento_link_init(&sem, ""), 0);
	hmac_orcamento_link_port(&sem, &off);
	assert_int_equal(orcamento_link_verify(&off, t, EXPIRA - 1, &u), LINK_DESATIVADO);
	assert_string_equal(u.str, "");
	assert_int_equal(hmac_orcamento_link_init(&sem, NULL), 0);
	assert_int_equal(orcamento_link_verify(&off, t, EXPIRA - 1, &u), LINK_DESATIVADO);

	/* Too short or too long: refused, and the adapter stays off. */
	assert_int_equal(hmac_orcamento_link_init(&sem, "curta-demais"), -1);
	assert_int_equal(orcamento_link_verify(&off, t, EXPIRA - 1, &u), LINK_DESATIVADO);
	char longa[HMAC_ORCAMENTO_LINK_SECRET_MAX + 2];
	memset(longa, 'k', sizeof longa - 1);
	longa[sizeof longa - 1] = '\0';
	assert_int_equal(hmac_orcamento_link_init(&sem, longa), -1);
	assert_int_equal(orcamento_link_verify(&off, t, EXPIRA - 1, &u), LINK_DESATIVADO);

	hmac_orcamento_link_cleanup(&h);
	assert_int_equal(h.key_len, 0);
	hmac_orcamento_link_cleanup(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ida_e_volta__ok_com_a_ordem),
	    cmocka_unit_test(test_vetor_conhecido__formato_fixo),
	    cmocka_unit_test(test_expirado__no_instante_e_depois),
	    cmocka_unit_test(test_adulterado__uuid_expiracao_ou_mac),
	    cmocka_unit_test(test_outra_chave_e_outra_ordem__invalido),
	    cmocka_unit_test(test_forma_nao_canonica_com_mac_certo__invalido),
	    cmocka_unit_test(test_mac_com_bytes_altos__invalido),
	    cmocka_unit_test(test_lixo_e_texto_longo__invalido),
	    cmocka_unit_test(test_segredo_vazio_ou_curto__nada_assina_nada_verifica),
	    cmocka_unit_test(test_adaptador__mapeia_e_desativa_sem_segredo),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}

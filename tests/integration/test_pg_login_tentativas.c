/*
 * Integration tests of infrastructure/postgres/pg_login_tentativas.c against a real database: the
 * count of a CPF's attempts in its window, the window's end and restart, clear, the SHA-256 kept
 * instead of the digits, and eight threads counting one CPF at the same moment (each gets a count
 * of its own), and `oficina manutencao` deleting the counts whose window has ended. The binary
 * works in a fresh migrated database of the TEST_DATABASE_URL cluster (pg_test_group_migrated),
 * dropped at the end; each test uses CPFs of its own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "domain/errors.h"
#include "infrastructure/postgres/pg_manutencao.h"
#include "infrastructure/postgres/pg_repos.h"
#include "infrastructure/postgres/pg_session.h"
#include "tests/support/pg_test.h"

#define THREADS 8
#define JANELA  900

struct fx {
	struct pg_session s;          /* the session under test */
	struct login_tentativas port; /* the adapter over s */
	PGconn *admin;                /* plain connection for checks and time travel */
	char cpf[12];                 /* 11 random digits, unique to this test */
};

static int group_setup(void **state)
{
	if (sodium_init() < 0)
		return -1;
	return pg_test_group_migrated(state);
}

/* 11 random digits (the adapter stores what it is given; validity is the application's). */
static void cpf_aleatorio(char out[12])
{
	for (int i = 0; i < 11; i++)
		out[i] = (char)('0' + randombytes_uniform(10));
	out[11] = '\0';
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	assert_non_null(f);
	f->admin = pg_test_connect(pg_test_db.name);
	cpf_aleatorio(f->cpf);
	pg_session_init(&f->s, &pg_test_db.cfg);
	pg_login_tentativas_init(&f->port, &f->s);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	pg_test_exec(f->admin, "DELETE FROM login_cliente_tentativas", 0, NULL);
	pg_session_cleanup(&f->s);
	PQfinish(f->admin);
	free(f);
	return 0;
}

/* record for cpf with the test window; asserts 0 and returns the answer. */
static struct login_tentativa conta(struct fx *f, const char *cpf)
{
	struct login_tentativa t;

	assert_int_equal(login_tentativas_record(&f->port, cpf, JANELA, &t), 0);
	return t;
}

static long linhas(struct fx *f, const char *cpf)
{
	const char *p[] = {cpf};
	return pg_test_query_long(f->admin,
	                          "SELECT count(*) FROM login_cliente_tentativas "
	                          "WHERE cpf_hash = sha256(convert_to($1, 'UTF8'))",
	                          1, p);
}

/* Ends the window of cpf segundos ago (time travel). */
static void termina_janela(struct fx *f, const char *cpf, const char *segundos)
{
	const char *p[] = {cpf, segundos};
	pg_test_exec(f->admin,
	             "UPDATE login_cliente_tentativas SET janela_fim = now() - $2::int * interval "
	             "'1 second' WHERE cpf_hash = sha256(convert_to($1, 'UTF8'))",
	             2, p);
}

static void test_record__primeira__um_e_a_janela_inteira(void **state)
{
	struct fx *f = *state;
	struct login_tentativa t = conta(f, f->cpf);

	assert_int_equal(t.tentativas, 1);
	assert_in_range(t.restante_s, JANELA - 1, JANELA);
	assert_int_equal(linhas(f, f->cpf), 1);
}

static void test_record__guarda_o_sha256_dos_digitos_e_nunca_os_digitos(void **state)
{
	struct fx *f = *state;
	unsigned char digest[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1], guardado[80];

	conta(f, f->cpf);
	crypto_hash_sha256(digest, (const unsigned char *)f->cpf, strlen(f->cpf));
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	pg_test_query_text(f->admin,
	                   "SELECT string_agg(encode(cpf_hash, 'hex'), ',') FROM "
	                   "login_cliente_tentativas",
	                   0, NULL, guardado, sizeof guardado);
	assert_string_equal(guardado, hex);
	/* Nothing of the row reads as the digits. */
	const char *p[] = {f->cpf};
	assert_int_equal(pg_test_query_long(f->admin,
	                                    "SELECT count(*) FROM login_cliente_tentativas t "
	                                    "WHERE position($1 in t::text) > 0",
	                                    1, p),
	                 0);
}

static void test_record__conta_na_mesma_janela_e_por_cpf(void **state)
{
	struct fx *f = *state;
	char outro[12];

	for (long i = 1; i <= 7; i++) {
		struct login_tentativa t = conta(f, f->cpf);
		assert_int_equal(t.tentativas, i);
		assert_in_range(t.restante_s, 1, JANELA);
	}
	do
		cpf_aleatorio(outro);
	while (strcmp(outro, f->cpf) == 0);
	assert_int_equal(conta(f, outro).tentativas, 1);
	assert_int_equal(linhas(f, f->cpf), 1);
}

static void test_record__restante_conta_da_primeira_e_arredonda_para_cima(void **state)
{
	struct fx *f = *state;
	const char *p[] = {f->cpf};

	conta(f, f->cpf);
	pg_test_exec(f->admin,
	             "UPDATE login_cliente_tentativas SET janela_fim = now() + interval '10.5 "
	             "seconds' WHERE cpf_hash = sha256(convert_to($1, 'UTF8'))",
	             1, p);
	struct login_tentativa t = conta(f, f->cpf);
	assert_int_equal(t.tentativas, 2);
	assert_in_range(t.restante_s, 10, 11); /* 11 unless half a second passed since */
	pg_test_exec(f->admin,
	             "UPDATE login_cliente_tentativas SET janela_fim = now() + interval '0.01 "
	             "seconds' WHERE cpf_hash = sha256(convert_to($1, 'UTF8'))",
	             1, p);
	t = conta(f, f->cpf);
	/* The window may have ended between the UPDATE and the record: a new one, or 1 s left. */
	if (t.tentativas == 3)
		assert_int_equal(t.restante_s, 1);
	else
		assert_int_equal(t.tentativas, 1);
}

static void test_record__janela_terminada__recomeca_em_um(void **state)
{
	struct fx *f = *state;

	for (int i = 0; i < 6; i++)
		conta(f, f->cpf);
	termina_janela(f, f->cpf, "1");
	struct login_tentativa t = conta(f, f->cpf);
	assert_int_equal(t.tentativas, 1);
	assert_in_range(t.restante_s, JANELA - 1, JANELA);
	assert_int_equal(conta(f, f->cpf).tentativas, 2);
}

static void test_clear__esquece_e_a_proxima_e_a_primeira(void **state)
{
	struct fx *f = *state;

	conta(f, f->cpf);
	conta(f, f->cpf);
	assert_int_equal(login_tentativas_clear(&f->port, f->cpf), 0);
	assert_int_equal(linhas(f, f->cpf), 0);
	assert_int_equal(conta(f, f->cpf).tentativas, 1);
	/* Nothing to forget is no error. */
	assert_int_equal(login_tentativas_clear(&f->port, "00000000000"), 0);
}

static void test_manutencao__apaga_so_as_janelas_terminadas(void **state)
{
	struct fx *f = *state;
	struct manutencao_resultado r;
	char velho[12];

	do
		cpf_aleatorio(velho);
	while (strcmp(velho, f->cpf) == 0);
	conta(f, f->cpf);
	conta(f, velho);
	termina_janela(f, velho, "1");
	assert_int_equal(pg_manutencao_executar(&f->s, 3650, &r), 0);
	assert_int_equal(r.login_tentativas, 1);
	assert_int_equal(linhas(f, velho), 0);
	assert_int_equal(linhas(f, f->cpf), 1);
	assert_int_equal(conta(f, f->cpf).tentativas, 2); /* the live window is untouched */
}

struct corrida {
	const char *cpf;
	pthread_barrier_t *largada;
	int rc;
	struct login_tentativa t;
};

static void *corredor(void *arg)
{
	struct corrida *c = arg;
	struct pg_session s;
	struct login_tentativas port;

	pg_session_init(&s, &pg_test_db.cfg);
	pg_login_tentativas_init(&port, &s);
	c->rc = pg_session_ping(&s, 5000); /* connected before the start */
	pthread_barrier_wait(c->largada);
	if (c->rc == 0)
		c->rc = login_tentativas_record(&port, c->cpf, JANELA, &c->t);
	pg_session_cleanup(&s);
	return NULL;
}

static void test_oito_threads_ao_mesmo_tempo__cada_uma_com_sua_contagem(void **state)
{
	struct fx *f = *state;
	pthread_t t[THREADS];
	struct corrida c[THREADS];
	pthread_barrier_t largada;

	for (int rodada = 0; rodada < 5; rodada++) {
		bool visto[THREADS + 1] = {false};

		assert_int_equal(login_tentativas_clear(&f->port, f->cpf), 0);
		pthread_barrier_init(&largada, NULL, THREADS);
		for (int i = 0; i < THREADS; i++) {
			c[i] = (struct corrida){.cpf = f->cpf, .largada = &largada};
			assert_int_equal(pthread_create(&t[i], NULL, corredor, &c[i]), 0);
		}
		for (int i = 0; i < THREADS; i++) {
			pthread_join(t[i], NULL);
			assert_int_equal(c[i].rc, 0);
			assert_in_range(c[i].t.tentativas, 1, THREADS);
			assert_false(visto[c[i].t.tentativas]); /* no two got the same count */
			visto[c[i].t.tentativas] = true;
		}
		pthread_barrier_destroy(&largada);
		assert_int_equal(linhas(f, f->cpf), 1);
		assert_int_equal(conta(f, f->cpf).tentativas, THREADS + 1);
	}
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_record__primeira__um_e_a_janela_inteira),
	    T(test_record__guarda_o_sha256_dos_digitos_e_nunca_os_digitos),
	    T(test_record__conta_na_mesma_janela_e_por_cpf),
	    T(test_record__restante_conta_da_primeira_e_arredonda_para_cima),
	    T(test_record__janela_terminada__recomeca_em_um),
	    T(test_clear__esquece_e_a_proxima_e_a_primeira),
	    T(test_oito_threads_ao_mesmo_tempo__cada_uma_com_sua_contagem),
	    T(test_manutencao__apaga_so_as_janelas_terminadas),
	};
	return cmocka_run_group_tests(tests, group_setup, pg_test_group_drop);
}

/*
 * Unit tests of the Argon2id password adapter (infrastructure/auth/password.c): a hash verifies
 * its own password and nothing else, a missing or malformed hash never verifies, new hashes carry
 * the OWASP parameters while older ones still verify and ask for a rehash, and the gate bounds
 * the runs in flight by their memory (infrastructure layer; cmocka, threads for the gate).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <pthread.h>
#include <sodium.h>
#include <time.h>
#include <unistd.h>

#include "domain/monotonic.h"
#include "application/ports/password_hasher.h"
#include "domain/errors.h"
#include "infrastructure/auth/password.h"

static struct password_hasher h;

static int setup(void **state)
{
	(void)state;
	password_hasher_init(&h, NULL);
	assert_non_null(h.ops);
	return 0;
}

static void test_password__hash_then_verify__ok(void **state)
{
	char hash[PASSWORD_HASH_MAX], again[PASSWORD_HASH_MAX];
	(void)state;

	assert_int_equal(password_hasher_hash(&h, "s3nha-b0a", hash), 0);
	assert_int_equal(strncmp(hash, "$argon2id$", 10), 0);
	assert_true(strlen(hash) < PASSWORD_HASH_MAX);
	assert_int_equal(password_hasher_verify(&h, hash, "s3nha-b0a"), 0);
	/* A fresh salt every time. */
	assert_int_equal(password_hasher_hash(&h, "s3nha-b0a", again), 0);
	assert_string_not_equal(hash, again);
	assert_int_equal(password_hasher_verify(&h, again, "s3nha-b0a"), 0);
}

static void test_password__wrong_password__unauthorized(void **state)
{
	char hash[PASSWORD_HASH_MAX];
	(void)state;

	assert_int_equal(password_hasher_hash(&h, "correta", hash), 0);
	assert_int_equal(password_hasher_verify(&h, hash, "errada"), APP_EUNAUTHORIZED);
	assert_int_equal(password_hasher_verify(&h, hash, "Correta"), APP_EUNAUTHORIZED);
	assert_int_equal(password_hasher_verify(&h, hash, ""), APP_EUNAUTHORIZED);
	assert_int_equal(password_hasher_verify(&h, hash, NULL), APP_EUNAUTHORIZED);
}

static void test_password__null_hash__unauthorized(void **state)
{
	(void)state;
	/* Runs against the dummy hash; twice, so the second call uses the one computed first. */
	assert_int_equal(password_hasher_verify(&h, NULL, "qualquer"), APP_EUNAUTHORIZED);
	assert_int_equal(password_hasher_verify(&h, NULL, ""), APP_EUNAUTHORIZED);
}

static void test_password__garbage_hash__unauthorized(void **state)
{
	char hash[PASSWORD_HASH_MAX], cut[PASSWORD_HASH_MAX], big[300];
	(void)state;

	assert_int_equal(password_hasher_verify(&h, "", "senha"), APP_EUNAUTHORIZED);
	assert_int_equal(password_hasher_verify(&h, "senha", "senha"), APP_EUNAUTHORIZED);
	assert_int_equal(password_hasher_verify(&h, "$argon2id$garbage", "senha"),
	                 APP_EUNAUTHORIZED);
	assert_int_equal(password_hasher_verify(&h, "$2y$10$abcdefghijklmnopqrstuu", "senha"),
	                 APP_EUNAUTHORIZED);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(password_hasher_verify(&h, big, "senha"), APP_EUNAUTHORIZED);

	/* A real hash cut short, and one with its digest changed. */
	assert_int_equal(password_hasher_hash(&h, "senha", hash), 0);
	memcpy(cut, hash, strlen(hash) - 5);
	cut[strlen(hash) - 5] = '\0';
	assert_int_equal(password_hasher_verify(&h, cut, "senha"), APP_EUNAUTHORIZED);
	strcpy(cut, hash);
	cut[strlen(cut) - 2] = cut[strlen(cut) - 2] == 'A' ? 'B' : 'A';
	assert_int_equal(password_hasher_verify(&h, cut, "senha"), APP_EUNAUTHORIZED);
}

static void test_password__hash_null__invalid(void **state)
{
	char hash[PASSWORD_HASH_MAX];
	(void)state;

	assert_int_equal(password_hasher_hash(&h, NULL, hash), APP_EINVALID);
	assert_string_equal(hash, "");
}

/* ---- parameters and rehash ---------------------------------------------------------- */

/* Reads m= (KiB) and t= of an encoded hash; fails the test when it has neither. */
static void parametros(const char *hash, unsigned long *m, unsigned long *t)
{
	const char *p = strstr(hash, "$m=");

	assert_non_null(p);
	assert_int_equal(sscanf(p, "$m=%lu,t=%lu,p=1$", m, t), 2);
}

/* What the hashes of the previous version carry: libsodium's INTERACTIVE limits (64 MiB). */
static void hash_legado(const char *senha, char out[PASSWORD_HASH_MAX])
{
	assert_int_equal(crypto_pwhash_str(out, senha, strlen(senha),
	                                   crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                                   crypto_pwhash_MEMLIMIT_INTERACTIVE),
	                 0);
}

static void test_password__hash_novo__parametros_owasp(void **state)
{
	char hash[PASSWORD_HASH_MAX];
	unsigned long m, t;
	(void)state;

	assert_int_equal(PASSWORD_MEMLIMIT, 19456 * 1024);
	assert_int_equal(PASSWORD_OPSLIMIT, 2);
	assert_int_equal(password_hasher_hash(&h, "s3nha-b0a", hash), 0);
	assert_int_equal(strncmp(hash, "$argon2id$v=19$", 15), 0);
	parametros(hash, &m, &t);
	assert_int_equal(m, 19456);
	assert_int_equal(t, 2);
	assert_non_null(strstr(hash, ",p=1$"));
	assert_false(password_hasher_needs_rehash(&h, hash));
}

static void test_password__hash_legado__verifica_e_pede_rehash(void **state)
{
	char antigo[PASSWORD_HASH_MAX], novo[PASSWORD_HASH_MAX];
	unsigned long m, t;
	(void)state;

	hash_legado("s3nha-antiga", antigo);
	parametros(antigo, &m, &t);
	assert_int_equal(m, 65536);
	assert_int_equal(password_hasher_verify(&h, antigo, "s3nha-antiga"), 0);
	assert_int_equal(password_hasher_verify(&h, antigo, "s3nha-errada"), APP_EUNAUTHORIZED);
	assert_true(password_hasher_needs_rehash(&h, antigo));

	assert_int_equal(password_hasher_hash(&h, "s3nha-antiga", novo), 0);
	assert_false(password_hasher_needs_rehash(&h, novo));
	assert_int_equal(password_hasher_verify(&h, novo, "s3nha-antiga"), 0);
}

static void test_password__needs_rehash__outros_casos(void **state)
{
	char big[300];
	(void)state;

	assert_false(password_hasher_needs_rehash(&h, NULL));
	assert_true(password_hasher_needs_rehash(&h, ""));
	assert_true(password_hasher_needs_rehash(&h, "$2y$10$abcdefghijklmnopqrstuu"));
	/* Same m, other t: still not the current parameters. */
	assert_true(password_hasher_needs_rehash(&h,
	                                         "$argon2id$v=19$m=19456,t=3,p=1$"
	                                         "c29tZXNhbHRzb21lc2FsdA$"
	                                         "3Hx0Gk1bXBdCkzI0b9B7mZlEq5l0yF2oD4n8QqkTzVQ"));
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_true(password_hasher_needs_rehash(&h, big));
}

/* ---- the gate's arithmetic ------------------------------------------------------------ */

static void test_password_gate__init__limites(void **state)
{
	struct password_gate g;
	(void)state;

	assert_int_equal(password_gate_init(&g, 0, 2000), APP_EINVALID);
	assert_int_equal(password_gate_init(&g, PASSWORD_GATE_CONCURRENCY_MAX + 1, 2000),
	                 APP_EINVALID);
	assert_int_equal(password_gate_init(&g, 2, -1), APP_EINVALID);
	assert_int_equal(password_gate_init(&g, 2, PASSWORD_GATE_WAIT_MS_DEFAULT), 0);
	password_gate_cleanup(&g);
	password_gate_cleanup(NULL);
}

static void test_password_gate__unidades_pela_memoria_do_hash(void **state)
{
	struct password_gate g4, g2;
	char novo[PASSWORD_HASH_MAX], antigo[PASSWORD_HASH_MAX];
	(void)state;

	assert_int_equal(password_gate_init(&g4, 4, 2000), 0);
	assert_int_equal(password_gate_init(&g2, 2, 2000), 0);
	assert_int_equal(password_hasher_hash(&h, "x", novo), 0);
	hash_legado("x", antigo);

	assert_int_equal(password_gate_units_for(&g4, novo), 1);
	assert_int_equal(password_gate_units_for(&g4, NULL), 1);   /* the dummy */
	assert_int_equal(password_gate_units_for(&g4, antigo), 4); /* ceil(65536 / 19456) */
	assert_int_equal(password_gate_units_for(&g2, antigo), 2); /* all there are */
	assert_int_equal(password_gate_units_for(&g4, "$argon2id$v=19$m=19457,t=2,p=1$a$b"), 2);
	assert_int_equal(password_gate_units_for(&g4, "$argon2id$v=19$m=8192,t=2,p=1$a$b"), 1);
	assert_int_equal(password_gate_units_for(&g4, "$argon2id$v=19$m=999999,t=2,p=1$a$b"), 4);

	/* Malformed: 1 unit (the verification fails before Argon2 allocates). */
	assert_int_equal(password_gate_units_for(&g4, ""), 1);
	assert_int_equal(password_gate_units_for(&g4, "senha"), 1);
	assert_int_equal(password_gate_units_for(&g4, "$argon2id$garbage"), 1);
	assert_int_equal(password_gate_units_for(&g4, "$argon2id$v=19$m=,t=2,p=1$a$b"), 1);
	assert_int_equal(password_gate_units_for(&g4, "$argon2id$v=19$m=65536"), 1);
	assert_int_equal(password_gate_units_for(&g4, "$argon2id$v=19$m=-65536,t=2$a$b"), 1);
	assert_int_equal(password_gate_units_for(&g4, "$argon2id$v=19$m=99999999999999999999,t=2"),
	                 1);
	assert_int_equal(password_gate_units_for(&g4, "$2y$10$m=65536,abcdefghijklmnopqrstuu"), 1);

	password_gate_cleanup(&g2);
	password_gate_cleanup(&g4);
}

/* ---- the gate under threads ------------------------------------------------------------ */

static void dorme_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&t, NULL);
}

/* Waits (up to 5 s) until `waiting` callers are queued in g. */
static void espera_fila(struct password_gate *g, unsigned waiting)
{
	unsigned in_use, w = 0;

	for (int i = 0; i < 5000; i++) {
		password_gate_stats(g, &in_use, &w);
		if (w == waiting)
			return;
		dorme_ms(1);
	}
	fail_msg("the gate never had %u waiters (it has %u)", waiting, w);
}

/* What one thread does with the gate, and what it saw. */
struct corredor {
	struct password_gate *g;
	unsigned units;      /* asked for */
	int voltas;          /* acquire/release rounds */
	long segura_ms;      /* how long each round holds the units */
	int rc;              /* the last acquire's answer */
	int ordem;           /* when it got in (see `chegada`), 0 if it never did */
	pthread_mutex_t *mu; /* guards the counters below, shared by the threads of a test */
	unsigned *dentro;    /* units held by the test's threads now */
	unsigned *pico;      /* the most ever held at once */
	int *chegada;        /* order of entry */
};

static void *corre(void *arg)
{
	struct corredor *c = arg;

	for (int i = 0; i < c->voltas; i++) {
		if ((c->rc = password_gate_acquire(c->g, c->units)) != 0)
			return NULL;
		pthread_mutex_lock(c->mu);
		*c->dentro += c->units;
		if (*c->dentro > *c->pico)
			*c->pico = *c->dentro;
		c->ordem = ++*c->chegada;
		pthread_mutex_unlock(c->mu);
		dorme_ms(c->segura_ms);
		pthread_mutex_lock(c->mu);
		*c->dentro -= c->units;
		pthread_mutex_unlock(c->mu);
		password_gate_release(c->g, c->units);
	}
	return NULL;
}

/* c->ordem while c's thread may still run. */
static int ordem_de(struct corredor *c)
{
	int ordem;

	pthread_mutex_lock(c->mu);
	ordem = c->ordem;
	pthread_mutex_unlock(c->mu);
	return ordem;
}

static void test_password_gate__concorrencia_2__no_maximo_2_de_cada_vez(void **state)
{
	struct password_gate g;
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	unsigned dentro = 0, pico = 0;
	int chegada = 0;
	struct corredor c[4]; /* 2 running + 2 waiting fits the bound of 2 x 2 waiters */
	pthread_t t[4];
	(void)state;

	assert_int_equal(password_gate_init(&g, 2, 10000), 0);
	for (int i = 0; i < 4; i++) {
		c[i] = (struct corredor){&g, 1, 5, 10, -1, 0, &mu, &dentro, &pico, &chegada};
		assert_int_equal(pthread_create(&t[i], NULL, corre, &c[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(c[i].rc, 0);
	}
	assert_int_equal(chegada, 20);
	assert_true(pico <= 2);
	assert_int_equal(dentro, 0);
	password_gate_cleanup(&g);
}

static void test_password_gate__duas_entram_a_terceira_espera_e_desiste(void **state)
{
	struct password_gate g;
	unsigned in_use, waiting;
	long t0, gasto;
	(void)state;

	assert_int_equal(password_gate_init(&g, 2, 300), 0);
	t0 = (long)(monotonic_ns() / 1000000);
	assert_int_equal(password_gate_acquire(&g, 1), 0);
	assert_int_equal(password_gate_acquire(&g, 1), 0);
	assert_true((long)(monotonic_ns() / 1000000) - t0 < 250); /* neither waited */
	password_gate_stats(&g, &in_use, &waiting);
	assert_int_equal(in_use, 2);
	assert_int_equal(waiting, 0);

	t0 = (long)(monotonic_ns() / 1000000);
	assert_int_equal(password_gate_acquire(&g, 1), APP_EBUSY);
	gasto = (long)(monotonic_ns() / 1000000) - t0;
	assert_true(gasto >= 300 - 50);
	assert_true(gasto < 300 + 1000);
	password_gate_stats(&g, &in_use, &waiting);
	assert_int_equal(in_use, 2); /* the one that gave up took nothing */
	assert_int_equal(waiting, 0);

	password_gate_release(&g, 1);
	assert_int_equal(password_gate_acquire(&g, 1), 0);
	password_gate_release(&g, 1);
	password_gate_release(&g, 1);
	password_gate_cleanup(&g);
}

static void test_password_gate__sem_espera__ocupado_na_hora(void **state)
{
	struct password_gate g;
	long t0;
	(void)state;

	assert_int_equal(password_gate_init(&g, 1, 0), 0);
	assert_int_equal(password_gate_acquire(&g, 1), 0);
	t0 = (long)(monotonic_ns() / 1000000);
	assert_int_equal(password_gate_acquire(&g, 1), APP_EBUSY);
	assert_true((long)(monotonic_ns() / 1000000) - t0 < 200);
	password_gate_release(&g, 1);
	password_gate_cleanup(&g);
}

static void test_password_gate__quatro_unidades__corre_sozinho(void **state)
{
	struct password_gate g;
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	unsigned dentro = 0, pico = 0, in_use, waiting;
	int chegada = 0;
	struct corredor grande;
	pthread_t t;
	(void)state;

	assert_int_equal(password_gate_init(&g, 4, 5000), 0);
	/* While a 1-unit run holds, the 4-unit caller waits. */
	assert_int_equal(password_gate_acquire(&g, 1), 0);
	grande = (struct corredor){&g, 4, 1, 300, -1, 0, &mu, &dentro, &pico, &chegada};
	assert_int_equal(pthread_create(&t, NULL, corre, &grande), 0);
	espera_fila(&g, 1);
	password_gate_stats(&g, &in_use, &waiting);
	assert_int_equal(in_use, 1);
	password_gate_release(&g, 1);

	/* Once it is in, it holds everything: nobody else gets a unit. */
	for (int i = 0; i < 5000 && ordem_de(&grande) == 0; i++)
		dorme_ms(1);
	assert_int_equal(ordem_de(&grande), 1);
	password_gate_stats(&g, &in_use, &waiting);
	assert_int_equal(in_use, 4);
	/* A 1-unit caller now gets in only once the big run has left. */
	assert_int_equal(password_gate_acquire(&g, 1), 0);
	pthread_mutex_lock(&mu);
	assert_int_equal(dentro, 0);
	pthread_mutex_unlock(&mu);
	password_gate_release(&g, 1);
	pthread_join(t, NULL);
	assert_int_equal(grande.rc, 0);
	assert_int_equal(pico, 4);
	password_gate_stats(&g, &in_use, &waiting);
	assert_int_equal(in_use, 0);
	password_gate_cleanup(&g);
}

static void test_password_gate__quem_precisa_de_mais__barra_os_que_chegam_depois(void **state)
{
	struct password_gate g;
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	unsigned dentro = 0, pico = 0, in_use, waiting;
	int chegada = 0;
	struct corredor grande, pequeno;
	pthread_t tg, tp;
	(void)state;

	assert_int_equal(password_gate_init(&g, 4, 5000), 0);
	assert_int_equal(password_gate_acquire(&g, 1), 0); /* 3 units stay free */
	grande = (struct corredor){&g, 4, 1, 20, -1, 0, &mu, &dentro, &pico, &chegada};
	pequeno = (struct corredor){&g, 1, 1, 20, -1, 0, &mu, &dentro, &pico, &chegada};
	assert_int_equal(pthread_create(&tg, NULL, corre, &grande), 0);
	espera_fila(&g, 1);
	assert_int_equal(pthread_create(&tp, NULL, corre, &pequeno), 0);
	/* The 1-unit newcomer queues behind the 4-unit waiter although 3 units are free. */
	espera_fila(&g, 2);
	dorme_ms(50);
	password_gate_stats(&g, &in_use, &waiting);
	assert_int_equal(in_use, 1);
	assert_int_equal(waiting, 2);
	assert_int_equal(ordem_de(&pequeno), 0);

	password_gate_release(&g, 1);
	pthread_join(tg, NULL);
	pthread_join(tp, NULL);
	assert_int_equal(grande.rc, 0);
	assert_int_equal(pequeno.rc, 0);
	assert_int_equal(grande.ordem, 1);
	assert_int_equal(pequeno.ordem, 2);
	assert_int_equal(pico, 4);
	password_gate_cleanup(&g);
}

static void test_password_gate__quem_desiste_a_frente__deixa_passar_o_seguinte(void **state)
{
	struct password_gate g;
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	unsigned dentro = 0, pico = 0;
	int chegada = 0;
	struct corredor grande, pequeno;
	pthread_t tg, tp;
	long t0;
	(void)state;

	/* The 4-unit head gives up after 400 ms; the 1-unit caller behind it then fits. */
	assert_int_equal(password_gate_init(&g, 4, 400), 0);
	assert_int_equal(password_gate_acquire(&g, 1), 0);
	grande = (struct corredor){&g, 4, 1, 0, -1, 0, &mu, &dentro, &pico, &chegada};
	pequeno = (struct corredor){&g, 1, 1, 0, -1, 0, &mu, &dentro, &pico, &chegada};
	t0 = (long)(monotonic_ns() / 1000000);
	assert_int_equal(pthread_create(&tg, NULL, corre, &grande), 0);
	espera_fila(&g, 1);
	dorme_ms(150); /* so the small one's own deadline is well after the head's */
	assert_int_equal(pthread_create(&tp, NULL, corre, &pequeno), 0);
	pthread_join(tg, NULL);
	pthread_join(tp, NULL);
	assert_int_equal(grande.rc, APP_EBUSY);
	assert_int_equal(pequeno.rc, 0);
	assert_int_equal(pequeno.ordem, 1);
	assert_true((long)(monotonic_ns() / 1000000) - t0 < 400 + 150 + 1000);
	password_gate_release(&g, 1);
	password_gate_cleanup(&g);
}

static void test_password_gate__fila_cheia__ocupado_na_hora(void **state)
{
	struct password_gate g;
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	unsigned dentro = 0, pico = 0;
	int chegada = 0;
	struct corredor c[2];
	pthread_t t[2];
	long t0;
	(void)state;

	/* Concurrency 1: one holder, and at most 2 x 1 waiters. */
	assert_int_equal(password_gate_init(&g, 1, 2000), 0);
	assert_int_equal(password_gate_acquire(&g, 1), 0);
	for (int i = 0; i < 2; i++) {
		c[i] = (struct corredor){&g, 1, 1, 0, -1, 0, &mu, &dentro, &pico, &chegada};
		assert_int_equal(pthread_create(&t[i], NULL, corre, &c[i]), 0);
	}
	espera_fila(&g, 2);
	t0 = (long)(monotonic_ns() / 1000000);
	assert_int_equal(password_gate_acquire(&g, 1), APP_EBUSY);
	assert_true((long)(monotonic_ns() / 1000000) - t0 < 200); /* at once, not after wait_ms */

	password_gate_release(&g, 1);
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(c[i].rc, 0);
	}
	assert_int_equal(chegada, 2);
	password_gate_cleanup(&g);
}

/* ---- the hasher behind a gate ----------------------------------------------------------- */

static void test_password__com_gate_saturado__hash_e_verify_ocupados(void **state)
{
	struct password_gate g;
	struct password_hasher gh;
	char hash[PASSWORD_HASH_MAX], antigo[PASSWORD_HASH_MAX];
	unsigned in_use, waiting;
	(void)state;

	assert_int_equal(password_gate_init(&g, 1, 50), 0);
	password_hasher_init(&gh, &g);
	assert_ptr_equal(gh.self, &g);
	assert_int_equal(password_hasher_hash(&gh, "segredo", hash), 0);
	hash_legado("segredo", antigo);

	assert_int_equal(password_gate_acquire(&g, 1), 0); /* someone else's run */
	assert_int_equal(password_hasher_hash(&gh, "segredo", hash), APP_EBUSY);
	assert_string_equal(hash, "");
	assert_int_equal(password_hasher_verify(&gh, antigo, "segredo"), APP_EBUSY);
	assert_int_equal(password_hasher_verify(&gh, antigo, "errada"), APP_EBUSY);
	/* An unknown e-mail (the dummy) gets the same answer as a known one. */
	assert_int_equal(password_hasher_verify(&gh, NULL, "segredo"), APP_EBUSY);
	assert_int_equal(password_hasher_verify(&gh, "", "segredo"), APP_EBUSY);
	password_gate_release(&g, 1);

	/* Free again: everything works, and every unit came back. */
	assert_int_equal(password_hasher_hash(&gh, "segredo", hash), 0);
	assert_int_equal(password_hasher_verify(&gh, hash, "segredo"), 0);
	assert_int_equal(password_hasher_verify(&gh, antigo, "segredo"), 0);
	assert_int_equal(password_hasher_verify(&gh, antigo, "errada"), APP_EUNAUTHORIZED);
	assert_int_equal(password_hasher_verify(&gh, NULL, "segredo"), APP_EUNAUTHORIZED);
	assert_int_equal(password_hasher_verify(&gh, "$argon2id$garbage", "segredo"),
	                 APP_EUNAUTHORIZED);
	password_gate_stats(&g, &in_use, &waiting);
	assert_int_equal(in_use, 0);
	assert_int_equal(waiting, 0);
	password_gate_cleanup(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_password__hash_then_verify__ok),
	    cmocka_unit_test(test_password__wrong_password__unauthorized),
	    cmocka_unit_test(test_password__null_hash__unauthorized),
	    cmocka_unit_test(test_password__garbage_hash__unauthorized),
	    cmocka_unit_test(test_password__hash_null__invalid),
	    cmocka_unit_test(test_password__hash_novo__parametros_owasp),
	    cmocka_unit_test(test_password__hash_legado__verifica_e_pede_rehash),
	    cmocka_unit_test(test_password__needs_rehash__outros_casos),
	    cmocka_unit_test(test_password_gate__init__limites),
	    cmocka_unit_test(test_password_gate__unidades_pela_memoria_do_hash),
	    cmocka_unit_test(test_password_gate__concorrencia_2__no_maximo_2_de_cada_vez),
	    cmocka_unit_test(test_password_gate__duas_entram_a_terceira_espera_e_desiste),
	    cmocka_unit_test(test_password_gate__sem_espera__ocupado_na_hora),
	    cmocka_unit_test(test_password_gate__quatro_unidades__corre_sozinho),
	    cmocka_unit_test(test_password_gate__quem_precisa_de_mais__barra_os_que_chegam_depois),
	    cmocka_unit_test(test_password_gate__quem_desiste_a_frente__deixa_passar_o_seguinte),
	    cmocka_unit_test(test_password_gate__fila_cheia__ocupado_na_hora),
	    cmocka_unit_test(test_password__com_gate_saturado__hash_e_verify_ocupados),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}

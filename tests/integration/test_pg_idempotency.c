/*
 * Integration tests of infrastructure/postgres/pg_idempotency_store.c against a real database:
 * claim, complete, replay, another body, release, expiry after 24 hours, take-over of an abandoned
 * claim, and eight threads claiming one key at the same moment (exactly one wins). Uses the
 * idempotency_keys table of the TEST_DATABASE_URL database (migrated by scripts/test.sh) with
 * scopes unique to each run, so it never collides with other tests.
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
#include "infrastructure/postgres/pg_repos.h"
#include "infrastructure/postgres/pg_session.h"
#include "tests/support/pg_test.h"

#define THREADS 8

static struct pg_config cfg;

struct fx {
	struct pg_session s;            /* the session under test */
	struct idempotency_store store; /* the adapter over s */
	PGconn *admin;                  /* plain connection for checks and time travel */
	char escopo[96];                /* unique to this test */
};

static int group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	cfg.url = pg_test_base_url();
	cfg.statement_timeout_ms = 5000;
	cfg.connect_timeout_s = 5;
	return 0;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	unsigned char rnd[8];
	char hex[17];

	assert_non_null(f);
	f->admin = pg_test_connect(NULL);
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	snprintf(f->escopo, sizeof f->escopo, "teste-%s POST /api/clientes", hex);
	pg_session_init(&f->s, &cfg);
	pg_idempotency_store_init(&f->store, &f->s);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	const char *p[] = {f->escopo};
	pg_test_exec(f->admin, "DELETE FROM idempotency_keys WHERE escopo = $1", 1, p);
	pg_session_cleanup(&f->s);
	PQfinish(f->admin);
	free(f);
	return 0;
}

/* claim of (escopo, chave, body) must answer 0 with state esperado; returns the answer. */
static struct idempotency_answer reivindica(struct fx *f, const char *escopo, const char *chave,
                                            const char *body, enum idempotency_state esperado)
{
	struct idempotency_answer ans;
	enum idempotency_state st = 0;
	size_t len = body ? strlen(body) : 0;

	assert_int_equal(idempotency_store_claim(&f->store, escopo, chave, body, len, &st, &ans),
	                 0);
	assert_int_equal(st, esperado);
	if (esperado != IDEMPOTENCY_DONE)
		assert_null(ans.body);
	return ans;
}

static long linhas(struct fx *f, const char *chave)
{
	const char *p[] = {f->escopo, chave};
	return pg_test_query_long(
	    f->admin, "SELECT count(*) FROM idempotency_keys WHERE escopo = $1 AND chave = $2", 2,
	    p);
}

/* Moves the key's creation back by the given interval text ("25 hours"). */
static void envelhece(struct fx *f, const char *chave, const char *quanto)
{
	const char *p[] = {f->escopo, chave, quanto};
	pg_test_exec(f->admin,
	             "UPDATE idempotency_keys SET criado_em = criado_em - $3::interval "
	             "WHERE escopo = $1 AND chave = $2",
	             3, p);
}

static void test_claim__chave_nova__reivindicada_e_hash_sha256_do_corpo(void **state)
{
	struct fx *f = *state;
	char hash[80];
	const char *p[] = {f->escopo};

	reivindica(f, f->escopo, "k1", "abc", IDEMPOTENCY_CLAIMED);
	assert_int_equal(linhas(f, "k1"), 1);
	PGresult *r = pg_test_query(f->admin,
	                            "SELECT request_hash, status IS NULL FROM idempotency_keys "
	                            "WHERE escopo = $1",
	                            1, p);
	snprintf(hash, sizeof hash, "%s", PQgetvalue(r, 0, 0));
	assert_string_equal(PQgetvalue(r, 0, 1), "t"); /* in progress */
	PQclear(r);
	assert_string_equal(hash,
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_claim__em_andamento__mesmo_corpo_espera_outro_corpo_conflita(void **state)
{
	struct fx *f = *state;
	struct idempotency_answer ans;
	enum idempotency_state st;

	reivindica(f, f->escopo, "k1", "{\"a\":1}", IDEMPOTENCY_CLAIMED);
	reivindica(f, f->escopo, "k1", "{\"a\":1}", IDEMPOTENCY_IN_PROGRESS);
	reivindica(f, f->escopo, "k1", "{\"a\":2}", IDEMPOTENCY_MISMATCH);
	assert_int_equal(
	    idempotency_store_find(&f->store, f->escopo, "k1", "{\"a\":1}", 7, &st, &ans), 0);
	assert_int_equal(st, IDEMPOTENCY_IN_PROGRESS);
	assert_int_equal(linhas(f, "k1"), 1);
}

static void test_complete__repete_a_resposta_com_status_corpo_e_location(void **state)
{
	struct fx *f = *state;
	struct idempotency_answer ans;
	enum idempotency_state st;

	reivindica(f, f->escopo, "k1", "corpo", IDEMPOTENCY_CLAIMED);
	assert_int_equal(idempotency_store_complete(&f->store, f->escopo, "k1", 201,
	                                            "{\"data\":{\"uuid\":\"x\"}}",
	                                            "/api/clientes/x"),
	                 0);
	ans = reivindica(f, f->escopo, "k1", "corpo", IDEMPOTENCY_DONE);
	assert_int_equal(ans.status, 201);
	assert_string_equal(ans.body, "{\"data\":{\"uuid\":\"x\"}}");
	assert_string_equal(ans.location, "/api/clientes/x");
	idempotency_answer_cleanup(&ans);
	assert_null(ans.body);

	assert_int_equal(idempotency_store_find(&f->store, f->escopo, "k1", "corpo", 5, &st, &ans),
	                 0);
	assert_int_equal(st, IDEMPOTENCY_DONE);
	assert_int_equal(ans.status, 201);
	idempotency_answer_cleanup(&ans);

	reivindica(f, f->escopo, "k1", "outro corpo", IDEMPOTENCY_MISMATCH);
	assert_int_equal(linhas(f, "k1"), 1);
}

static void test_complete__resposta_sem_corpo_nem_location(void **state)
{
	struct fx *f = *state;
	struct idempotency_answer ans;

	reivindica(f, f->escopo, "k204", NULL, IDEMPOTENCY_CLAIMED);
	assert_int_equal(idempotency_store_complete(&f->store, f->escopo, "k204", 204, NULL, NULL),
	                 0);
	ans = reivindica(f, f->escopo, "k204", "", IDEMPOTENCY_DONE); /* "" is the empty body */
	assert_int_equal(ans.status, 204);
	assert_null(ans.body);
	assert_string_equal(ans.location, "");
}

static void test_complete__chave_nao_reivindicada__nao_encontrada(void **state)
{
	struct fx *f = *state;

	assert_int_equal(idempotency_store_complete(&f->store, f->escopo, "nunca", 201, "{}", NULL),
	                 APP_ENOTFOUND);
	reivindica(f, f->escopo, "k1", "x", IDEMPOTENCY_CLAIMED);
	assert_int_equal(idempotency_store_complete(&f->store, f->escopo, "k1", 200, "{}", NULL),
	                 0);
	/* A second complete does not overwrite the first answer. */
	assert_int_equal(idempotency_store_complete(&f->store, f->escopo, "k1", 500, "{}", NULL),
	                 APP_ENOTFOUND);
}

static void test_escopos_diferentes__chaves_independentes(void **state)
{
	struct fx *f = *state;
	char outro[128];

	snprintf(outro, sizeof outro, "%s/outro", f->escopo);
	reivindica(f, f->escopo, "k1", "x", IDEMPOTENCY_CLAIMED);
	reivindica(f, outro, "k1", "y", IDEMPOTENCY_CLAIMED);
	assert_int_equal(idempotency_store_release(&f->store, outro, "k1"), 0);
}

static void test_release__libera_a_chave_para_nova_tentativa(void **state)
{
	struct fx *f = *state;
	struct idempotency_answer ans;
	enum idempotency_state st;

	reivindica(f, f->escopo, "k1", "x", IDEMPOTENCY_CLAIMED);
	assert_int_equal(idempotency_store_release(&f->store, f->escopo, "k1"), 0);
	assert_int_equal(linhas(f, "k1"), 0);
	assert_int_equal(idempotency_store_find(&f->store, f->escopo, "k1", "x", 1, &st, &ans),
	                 APP_ENOTFOUND);
	reivindica(f, f->escopo, "k1", "x", IDEMPOTENCY_CLAIMED);
	/* Releasing what is not held is harmless. */
	assert_int_equal(idempotency_store_release(&f->store, f->escopo, "nunca"), 0);
}

static void test_release__depois_de_completa__nao_apaga_a_resposta(void **state)
{
	struct fx *f = *state;
	struct idempotency_answer ans;

	reivindica(f, f->escopo, "k1", "x", IDEMPOTENCY_CLAIMED);
	assert_int_equal(idempotency_store_complete(&f->store, f->escopo, "k1", 409, "{}", NULL),
	                 0);
	assert_int_equal(idempotency_store_release(&f->store, f->escopo, "k1"), 0);
	ans = reivindica(f, f->escopo, "k1", "x", IDEMPOTENCY_DONE);
	assert_int_equal(ans.status, 409);
	idempotency_answer_cleanup(&ans);
}

static void test_expiracao__apos_24h_a_chave_e_ignorada_e_substituida(void **state)
{
	struct fx *f = *state;
	struct idempotency_answer ans;
	enum idempotency_state st;

	reivindica(f, f->escopo, "k1", "primeiro", IDEMPOTENCY_CLAIMED);
	assert_int_equal(idempotency_store_complete(&f->store, f->escopo, "k1", 201, "{}", NULL),
	                 0);
	envelhece(f, "k1", "23 hours 59 minutes");
	ans = reivindica(f, f->escopo, "k1", "primeiro", IDEMPOTENCY_DONE); /* still alive */
	idempotency_answer_cleanup(&ans);
	envelhece(f, "k1", "2 minutes");
	assert_int_equal(
	    idempotency_store_find(&f->store, f->escopo, "k1", "primeiro", 8, &st, &ans),
	    APP_ENOTFOUND);
	reivindica(f, f->escopo, "k1", "segundo", IDEMPOTENCY_CLAIMED); /* another body is fine */
	assert_int_equal(linhas(f, "k1"), 1);
	reivindica(f, f->escopo, "k1", "segundo", IDEMPOTENCY_IN_PROGRESS);
}

static void test_reivindicacao_abandonada__retomada_pelo_mesmo_corpo_apenas(void **state)
{
	struct fx *f = *state;

	reivindica(f, f->escopo, "k1", "x", IDEMPOTENCY_CLAIMED);
	envelhece(f, "k1", "30 seconds");
	reivindica(f, f->escopo, "k1", "x", IDEMPOTENCY_IN_PROGRESS); /* within the lease */
	envelhece(f, "k1", "31 seconds");
	reivindica(f, f->escopo, "k1", "y", IDEMPOTENCY_MISMATCH);
	reivindica(f, f->escopo, "k1", "x", IDEMPOTENCY_CLAIMED); /* the lease has passed */
	reivindica(f, f->escopo, "k1", "x", IDEMPOTENCY_IN_PROGRESS);
}

struct corrida {
	const char *escopo;
	pthread_barrier_t *largada;
	int rc;
	enum idempotency_state st;
};

static void *corredor(void *arg)
{
	struct corrida *c = arg;
	struct pg_session s;
	struct idempotency_store store;
	struct idempotency_answer ans;

	pg_session_init(&s, &cfg);
	pg_idempotency_store_init(&store, &s);
	c->rc = pg_session_ping(&s, 5000); /* connected before the start */
	pthread_barrier_wait(c->largada);
	if (c->rc == 0)
		c->rc =
		    idempotency_store_claim(&store, c->escopo, "corrida", "{}", 2, &c->st, &ans);
	idempotency_answer_cleanup(&ans);
	pg_session_cleanup(&s);
	return NULL;
}

static void test_oito_threads_ao_mesmo_tempo__exatamente_uma_reivindica(void **state)
{
	struct fx *f = *state;
	pthread_t t[THREADS];
	struct corrida c[THREADS];
	pthread_barrier_t largada;
	int ganhos = 0, esperas = 0;

	for (int rodada = 0; rodada < 5; rodada++) {
		const char *p[] = {f->escopo};
		pg_test_exec(f->admin, "DELETE FROM idempotency_keys WHERE escopo = $1", 1, p);
		pthread_barrier_init(&largada, NULL, THREADS);
		for (int i = 0; i < THREADS; i++) {
			c[i] = (struct corrida){.escopo = f->escopo, .largada = &largada};
			assert_int_equal(pthread_create(&t[i], NULL, corredor, &c[i]), 0);
		}
		ganhos = esperas = 0;
		for (int i = 0; i < THREADS; i++) {
			pthread_join(t[i], NULL);
			assert_int_equal(c[i].rc, 0);
			ganhos += c[i].st == IDEMPOTENCY_CLAIMED;
			esperas += c[i].st == IDEMPOTENCY_IN_PROGRESS;
		}
		pthread_barrier_destroy(&largada);
		assert_int_equal(ganhos, 1);
		assert_int_equal(esperas, THREADS - 1);
		assert_int_equal(linhas(f, "corrida"), 1);
	}
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_claim__chave_nova__reivindicada_e_hash_sha256_do_corpo),
	    T(test_claim__em_andamento__mesmo_corpo_espera_outro_corpo_conflita),
	    T(test_complete__repete_a_resposta_com_status_corpo_e_location),
	    T(test_complete__resposta_sem_corpo_nem_location),
	    T(test_complete__chave_nao_reivindicada__nao_encontrada),
	    T(test_escopos_diferentes__chaves_independentes),
	    T(test_release__libera_a_chave_para_nova_tentativa),
	    T(test_release__depois_de_completa__nao_apaga_a_resposta),
	    T(test_expiracao__apos_24h_a_chave_e_ignorada_e_substituida),
	    T(test_reivindicacao_abandonada__retomada_pelo_mesmo_corpo_apenas),
	    T(test_oito_threads_ao_mesmo_tempo__exatamente_uma_reivindica),
	};
#undef T
	return cmocka_run_group_tests(tests, group_setup, NULL);
}

/*
 * Unit tests of infrastructure/postgres/circuit_breaker: the circuit breaker in front of the
 * database (infrastructure layer; cmocka). Pure logic over atomics and CLOCK_MONOTONIC, no
 * database: the tests report connection outcomes and read the state, the gate (allow, rejecting),
 * the openings counter and the end of the open period, with periods of tens of milliseconds. They
 * check the threshold, the single half-open probe (also with eight threads racing at the end of
 * the period) and the exponential back-off with equal jitter, bounded by max_ms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

#include "domain/monotonic.h"
#include "infrastructure/resilience/circuit_breaker.h"

#define MS     ((int64_t)1000000)
#define LONGO  60000 /* ms: a period that cannot end during a test */
#define BASE   50
#define MAXIMO 200
#define FOLGA  (500 * MS) /* how late the end of a period may be noticed on a busy machine */

static void pausa_ms(int ms)
{
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

static int64_t fim_do_periodo(struct circuit_breaker *b)
{
	return atomic_load(&b->open_until_ns);
}

/* Reports n failed connects. */
static void falhas(struct circuit_breaker *b, unsigned n)
{
	while (n-- > 0)
		circuit_breaker_failure(b);
}

/*
 * Opens b (threshold failures while closed, or a failed probe) by calling abre, and checks the
 * period it chose: at least half of periodo_ms, less than periodo_ms (equal jitter), never more
 * than max_ms. Returns the end of the period.
 */
static int64_t confere_abertura(struct circuit_breaker *b, void (*abre)(struct circuit_breaker *),
                                int64_t periodo_ms, unsigned long aberturas)
{
	int64_t antes = monotonic_ns();
	abre(b);
	int64_t depois = monotonic_ns();
	int64_t fim = fim_do_periodo(b);

	assert_int_equal(circuit_breaker_state(b), CIRCUIT_BREAKER_OPEN);
	assert_int_equal(atomic_load(&b->openings), aberturas);
	if (fim - antes < periodo_ms * MS / 2 || fim - depois >= periodo_ms * MS)
		fail_msg("open for %lld..%lld us; expected [%lld, %lld) ms",
		         (long long)((fim - depois) / 1000), (long long)((fim - antes) / 1000),
		         (long long)(periodo_ms / 2), (long long)periodo_ms);
	if (fim - depois >= (int64_t)b->max_ms * MS)
		fail_msg("open for more than max_ms (%d ms)", b->max_ms);
	/*
	 * While the period lasts requests are refused at once. Checked only when the call really
	 * ran within the period: a thread descheduled past its end proves nothing either way.
	 * (allow is not called here: past the end it would take the probe. The threshold test
	 * and the eight threads test check that it answers false within the period.)
	 */
	bool rejeita = circuit_breaker_rejecting(b);
	if (monotonic_ns() < fim)
		assert_true(rejeita);
	assert_int_equal(circuit_breaker_state(b), CIRCUIT_BREAKER_OPEN);
	return fim;
}

static void ate_o_limiar(struct circuit_breaker *b)
{
	falhas(b, b->threshold);
}

/* Waits until rejecting turns false, which must be at the end of the period (fim). */
static void espera_o_fim(struct circuit_breaker *b, int64_t fim)
{
	int64_t limite = fim + FOLGA;

	while (circuit_breaker_rejecting(b)) {
		if (monotonic_ns() > limite)
			fail_msg("still rejecting %lld ms after the end of its period",
			         (long long)((monotonic_ns() - fim) / MS));
		pausa_ms(1);
	}
	assert_true(monotonic_ns() >= fim);
}

static void test_circuit_breaker__fechado__permite_todos(void **state)
{
	struct circuit_breaker b;

	(void)state;
	circuit_breaker_init(&b, 3, LONGO, LONGO);
	for (int i = 0; i < 100; i++)
		assert_true(circuit_breaker_allow(&b));
	assert_int_equal(circuit_breaker_state(&b), CIRCUIT_BREAKER_CLOSED);
	assert_false(circuit_breaker_rejecting(&b));
	assert_int_equal(atomic_load(&b.openings), 0);
}

static void test_circuit_breaker__falhas_abaixo_do_limiar__continua_fechado(void **state)
{
	struct circuit_breaker b;

	(void)state;
	circuit_breaker_init(&b, 3, LONGO, LONGO);
	falhas(&b, 2);
	assert_int_equal(circuit_breaker_state(&b), CIRCUIT_BREAKER_CLOSED);
	assert_false(circuit_breaker_rejecting(&b));
	assert_true(circuit_breaker_allow(&b));
	assert_true(circuit_breaker_allow(&b));
	assert_int_equal(atomic_load(&b.openings), 0);
}

static void test_circuit_breaker__falha_no_limiar__abre_e_recusa(void **state)
{
	struct circuit_breaker b;

	(void)state;
	circuit_breaker_init(&b, 3, LONGO, LONGO);
	falhas(&b, 2);
	circuit_breaker_failure(&b);
	assert_int_equal(circuit_breaker_state(&b), CIRCUIT_BREAKER_OPEN);
	assert_true(circuit_breaker_rejecting(&b));
	for (int i = 0; i < 100; i++)
		assert_false(circuit_breaker_allow(&b));
	assert_int_equal(atomic_load(&b.openings), 1);
	/* More failures while open neither count nor reopen. */
	falhas(&b, 10);
	assert_int_equal(atomic_load(&b.openings), 1);
	assert_true(circuit_breaker_rejecting(&b));
}

static void test_circuit_breaker__limiar_1__primeira_falha_abre(void **state)
{
	struct circuit_breaker b;

	(void)state;
	circuit_breaker_init(&b, 1, LONGO, LONGO);
	circuit_breaker_failure(&b);
	assert_int_equal(circuit_breaker_state(&b), CIRCUIT_BREAKER_OPEN);
	assert_true(circuit_breaker_rejecting(&b));
	assert_false(circuit_breaker_allow(&b));
	assert_int_equal(atomic_load(&b.openings), 1);
}

static void test_circuit_breaker__sucesso_fechado__zera_as_falhas(void **state)
{
	struct circuit_breaker b;

	(void)state;
	circuit_breaker_init(&b, 3, LONGO, LONGO);
	falhas(&b, 2);
	circuit_breaker_success(&b);
	falhas(&b, 2); /* 2 in a row, not 4 */
	assert_int_equal(circuit_breaker_state(&b), CIRCUIT_BREAKER_CLOSED);
	assert_true(circuit_breaker_allow(&b));
	assert_int_equal(atomic_load(&b.openings), 0);
	circuit_breaker_failure(&b); /* the third in a row */
	assert_int_equal(circuit_breaker_state(&b), CIRCUIT_BREAKER_OPEN);
	assert_int_equal(atomic_load(&b.openings), 1);
}

static void test_circuit_breaker__fim_do_periodo__um_unico_probe_half_open(void **state)
{
	struct circuit_breaker b;

	(void)state;
	circuit_breaker_init(&b, 3, BASE, MAXIMO);
	int64_t fim = confere_abertura(&b, ate_o_limiar, BASE, 1);
	espera_o_fim(&b, fim);

	assert_false(circuit_breaker_rejecting(&b));
	assert_true(circuit_breaker_allow(&b)); /* the probe */
	assert_int_equal(circuit_breaker_state(&b), CIRCUIT_BREAKER_HALF_OPEN);
	for (int i = 0; i < 100; i++)
		assert_false(circuit_breaker_allow(&b)); /* everyone else while the probe runs */
	assert_int_equal(circuit_breaker_state(&b), CIRCUIT_BREAKER_HALF_OPEN);
	assert_false(circuit_breaker_rejecting(&b)); /* half-open is not "open within its period" */
	assert_int_equal(atomic_load(&b.openings), 1);
}

/*
 * A probe that ends without news (its caller's deadline passed first) gives the probe back: the
 * next caller probes at once, no new opening is counted. Closed, it changes nothing.
 */
static void test_circuit_breaker__probe_inconclusivo__proximo_caller_e_o_probe(void **state)
{
	struct circuit_breaker b;

	(void)state;
	circuit_breaker_init(&b, 3, BASE, MAXIMO);
	circuit_breaker_inconclusive(&b);
	assert_int_equal(circuit_breaker_state(&b), CIRCUIT_BREAKER_CLOSED);
	assert_true(circuit_breaker_allow(&b));

	espera_o_fim(&b, confere_abertura(&b, ate_o_limiar, BASE, 1));
	assert_true(circuit_breaker_allow(&b)); /* the probe... */
	circuit_breaker_inconclusive(&b);       /* ...ran out of its caller's time */
	assert_int_equal(circuit_breaker_state(&b), CIRCUIT_BREAKER_OPEN);
	assert_false(circuit_breaker_rejecting(&b));
	assert_true(circuit_breaker_allow(&b)); /* the next probe, at once */
	assert_int_equal(circuit_breaker_state(&b), CIRCUIT_BREAKER_HALF_OPEN);
	assert_false(circuit_breaker_allow(&b));
	assert_int_equal(atomic_load(&b.openings), 1);
	circuit_breaker_success(&b);
	assert_int_equal(circuit_breaker_state(&b), CIRCUIT_BREAKER_CLOSED);
}

static void test_circuit_breaker__jitter__periodos_variam_entre_metade_e_base(void **state)
{
	struct circuit_breaker b;
	int64_t menor = INT64_MAX, maior = 0;

	(void)state;
	/* A long base, so that the spread of the random half is far above the clock's noise. */
	circuit_breaker_init(&b, 1, LONGO, LONGO);
	for (int i = 0; i < 20; i++) {
		int64_t depois;

		circuit_breaker_success(&b);
		circuit_breaker_failure(&b);
		depois = monotonic_ns();
		int64_t p = fim_do_periodo(&b) - depois;
		if (p >= LONGO * MS || p < LONGO * MS / 2 - 1000 * MS)
			fail_msg("opened for %lld ms; expected [%d, %d) ms", (long long)(p / MS),
			         LONGO / 2, LONGO);
		menor = p < menor ? p : menor;
		maior = p > maior ? p : maior;
	}
	/* Twenty draws from [base/2, base) spread over more than a tenth of it: not a constant. */
	if (maior - menor < LONGO * MS / 20)
		fail_msg("20 periods between %lld and %lld ms: no jitter", (long long)(menor / MS),
		         (long long)(maior / MS));
	assert_int_equal(atomic_load(&b.openings), 20);
}

/* ---- eight threads at the end of the period ---- */

#define CORREDORES 8

struct corrida {
	struct circuit_breaker *b;
	pthread_barrier_t largada;
	int64_t ate_ns;       /* the threads call allow until then */
	atomic_int sim;       /* allow answered true */
	atomic_long chamadas; /* allow calls */
};

static void *corre(void *arg)
{
	struct corrida *c = arg;

	pthread_barrier_wait(&c->largada);
	do {
		if (circuit_breaker_allow(c->b))
			atomic_fetch_add(&c->sim, 1);
		atomic_fetch_add(&c->chamadas, 1);
	} while (monotonic_ns() < c->ate_ns);
	return NULL;
}

static void test_circuit_breaker__8_threads_no_fim_do_periodo__um_unico_allow(void **state)
{
	struct circuit_breaker b;

	(void)state;
	circuit_breaker_init(&b, 3, BASE, MAXIMO);
	for (int rodada = 0; rodada < 10; rodada++) {
		struct corrida c = {.b = &b};
		pthread_t th[CORREDORES];

		circuit_breaker_success(
		    &b); /* closed, so that the next opening is for BASE again */
		falhas(&b, 3);
		assert_int_equal(circuit_breaker_state(&b), CIRCUIT_BREAKER_OPEN);
		/* They start calling before the end and go on for a while after it. */
		c.ate_ns = fim_do_periodo(&b) + 30 * MS;
		assert_int_equal(pthread_barrier_init(&c.largada, NULL, CORREDORES), 0);
		for (int i = 0; i < CORREDORES; i++)
			assert_int_equal(pthread_create(&th[i], NULL, corre, &c), 0);
		for (int i = 0; i < CORREDORES; i++)
			pthread_join(th[i], NULL);
		pthread_barrier_destroy(&c.largada);

		if (atomic_load(&c.sim) != 1)
			fail_msg("round %d: allow answered true %d times in %ld calls", rodada,
			         atomic_load(&c.sim), atomic_load(&c.chamadas));
		assert_int_equal(circuit_breaker_state(&b), CIRCUIT_BREAKER_HALF_OPEN);
	}
	assert_int_equal(atomic_load(&b.openings), 10);
}

static void test_circuit_breaker__sucesso_do_probe__fecha(void **state)
{
	struct circuit_breaker b;

	(void)state;
	circuit_breaker_init(&b, 3, BASE, MAXIMO);
	espera_o_fim(&b, confere_abertura(&b, ate_o_limiar, BASE, 1));
	assert_true(circuit_breaker_allow(&b));
	circuit_breaker_success(&b);

	assert_int_equal(circuit_breaker_state(&b), CIRCUIT_BREAKER_CLOSED);
	assert_false(circuit_breaker_rejecting(&b));
	for (int i = 0; i < 10; i++)
		assert_true(circuit_breaker_allow(&b));
	/* Closed afresh: the failures start from zero and the next period from base_ms. */
	falhas(&b, 2);
	assert_int_equal(circuit_breaker_state(&b), CIRCUIT_BREAKER_CLOSED);
	confere_abertura(&b, circuit_breaker_failure, BASE, 2);
}

static void probe_falha(struct circuit_breaker *b)
{
	circuit_breaker_failure(b);
}

/* Opens b, then makes each probe fail; periodos_ms are the un-jittered periods expected. */
static void confere_backoff(int base_ms, int max_ms, const int64_t *periodos_ms, size_t n)
{
	struct circuit_breaker b;
	int64_t fim;

	circuit_breaker_init(&b, 2, base_ms, max_ms);
	fim = confere_abertura(&b, ate_o_limiar, periodos_ms[0], 1);
	for (size_t i = 1; i < n; i++) {
		espera_o_fim(&b, fim);
		assert_true(circuit_breaker_allow(&b)); /* the probe... */
		assert_int_equal(circuit_breaker_state(&b), CIRCUIT_BREAKER_HALF_OPEN);
		fim = confere_abertura(&b, probe_falha, periodos_ms[i], i + 1); /* ...fails */
	}
}

static void test_circuit_breaker__probe_falha__reabre_pelo_dobro_ate_max_ms(void **state)
{
	/* 50, 100, 200, then 200 again: each with equal jitter, [P/2, P). */
	static const int64_t periodos[] = {BASE, 2 * BASE, MAXIMO, MAXIMO, MAXIMO};

	(void)state;
	confere_backoff(BASE, MAXIMO, periodos, sizeof periodos / sizeof periodos[0]);
}

static void test_circuit_breaker__max_ms_fora_da_serie__periodo_cortado_em_max_ms(void **state)
{
	/* 50, 100, then 120 (not 200): max_ms cuts the doubling. */
	static const int64_t periodos[] = {BASE, 2 * BASE, 120, 120};

	(void)state;
	confere_backoff(BASE, 120, periodos, sizeof periodos / sizeof periodos[0]);
}

static void test_circuit_breaker__probe_falha_depois_sucesso__volta_ao_base(void **state)
{
	struct circuit_breaker b;

	(void)state;
	circuit_breaker_init(&b, 1, BASE, MAXIMO);
	espera_o_fim(&b, confere_abertura(&b, ate_o_limiar, BASE, 1));
	assert_true(circuit_breaker_allow(&b));
	espera_o_fim(&b, confere_abertura(&b, probe_falha, 2 * BASE, 2));
	assert_true(circuit_breaker_allow(&b));
	circuit_breaker_success(&b);
	assert_int_equal(circuit_breaker_state(&b), CIRCUIT_BREAKER_CLOSED);
	/* The back-off exponent was forgotten with the close. */
	confere_abertura(&b, circuit_breaker_failure, BASE, 3);
}

/* ---- a probe is never let in during an open period (regression) ---- */

static struct circuit_breaker race_breaker;
static atomic_long race_violations, race_probes;
static _Atomic int64_t race_last_end; /* end of the latest period a failed probe opened */
static atomic_bool race_stop;

static void *race_caller(void *arg)
{
	(void)arg;
	while (!atomic_load(&race_stop)) {
		if (!circuit_breaker_allow(&race_breaker))
			continue;
		/* This probe was let in: no period opened before it may still be running. */
		if (monotonic_ns() < atomic_load(&race_last_end))
			atomic_fetch_add(&race_violations, 1);
		atomic_fetch_add(&race_probes, 1);
		circuit_breaker_failure(&race_breaker); /* it fails at once: a new period */
		int64_t end = atomic_load(&race_breaker.open_until_ns), seen = 0;
		/*
		 * INT64_MAX is no period: another probe was let in since (the claim parks that
		 * value while it runs). Publishing it would make every later probe look like a
		 * violation.
		 */
		if (end == INT64_MAX)
			continue;
		while ((seen = atomic_load(&race_last_end)) < end &&
		       !atomic_compare_exchange_weak(&race_last_end, &seen, end))
			;
	}
	return NULL;
}

/*
 * A caller that read an expired period and was then descheduled must not win the claim of the
 * next period, opened meanwhile by a failed probe (it could when the claim was on the state
 * alone). Eight threads hammer a 1 ms breaker whose every probe fails at once.
 */
static void test_circuit_breaker__corrida_de_probes__nenhum_entra_num_periodo_aberto(void **state)
{
	pthread_t t[8];
	struct timespec run = {2, 0};
	(void)state;

	circuit_breaker_init(&race_breaker, 1, 1, 1);
	circuit_breaker_failure(&race_breaker);
	atomic_store(&race_last_end, atomic_load(&race_breaker.open_until_ns));
	for (int i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&t[i], NULL, race_caller, NULL), 0);
	nanosleep(&run, NULL);
	atomic_store(&race_stop, true);
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	assert_true(atomic_load(&race_probes) > 100); /* the race was really run */
	assert_int_equal(atomic_load(&race_violations), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_circuit_breaker__fechado__permite_todos),
	    cmocka_unit_test(test_circuit_breaker__falhas_abaixo_do_limiar__continua_fechado),
	    cmocka_unit_test(test_circuit_breaker__falha_no_limiar__abre_e_recusa),
	    cmocka_unit_test(test_circuit_breaker__limiar_1__primeira_falha_abre),
	    cmocka_unit_test(test_circuit_breaker__sucesso_fechado__zera_as_falhas),
	    cmocka_unit_test(test_circuit_breaker__fim_do_periodo__um_unico_probe_half_open),
	    cmocka_unit_test(test_circuit_breaker__jitter__periodos_variam_entre_metade_e_base),
	    cmocka_unit_test(test_circuit_breaker__8_threads_no_fim_do_periodo__um_unico_allow),
	    cmocka_unit_test(test_circuit_breaker__sucesso_do_probe__fecha),
	    cmocka_unit_test(test_circuit_breaker__probe_inconclusivo__proximo_caller_e_o_probe),
	    cmocka_unit_test(test_circuit_breaker__probe_falha__reabre_pelo_dobro_ate_max_ms),
	    cmocka_unit_test(test_circuit_breaker__max_ms_fora_da_serie__periodo_cortado_em_max_ms),
	    cmocka_unit_test(test_circuit_breaker__probe_falha_depois_sucesso__volta_ao_base),
	    cmocka_unit_test(
	        test_circuit_breaker__corrida_de_probes__nenhum_entra_num_periodo_aberto),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests of the ticking thread (domain/periodic.c; cmocka). Real threads on the real clock:
 * the waits of the tests have generous deadlines (a failure, not a hang), and the timing
 * assertions are one-sided (never sooner than the period; a stop well within a period).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

#include "domain/monotonic.h"
#include "domain/errors.h"
#include "domain/periodic.h"

#define ESPERA_MAX_MS 10000 /* how long a test waits for what must happen */
#define TICKS_MAX     16

struct contador {
	atomic_int ticks;                                /* ticks begun */
	atomic_int fins;                                 /* ticks ended */
	long demora_ms;                                  /* how long each tick takes */
	int64_t inicio_ns[TICKS_MAX], fim_ns[TICKS_MAX]; /* of the first ticks (the thread's) */
};

static void dormir_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&t, &t) != 0)
		;
}

static void tick(void *arg)
{
	struct contador *c = arg;
	int i = atomic_load(&c->ticks);

	if (i < TICKS_MAX)
		c->inicio_ns[i] = monotonic_ns();
	atomic_fetch_add(&c->ticks, 1);
	if (c->demora_ms)
		dormir_ms(c->demora_ms);
	if (i < TICKS_MAX)
		c->fim_ns[i] = monotonic_ns();
	atomic_fetch_add(&c->fins, 1);
}

/* Waits until c has seen n ticks end; false when it did not happen within ESPERA_MAX_MS. */
static bool esperar_fins(struct contador *c, int n)
{
	struct timespec prazo = monotonic_in_ms(ESPERA_MAX_MS);
	while (atomic_load(&c->fins) < n) {
		if (monotonic_ms_until(&prazo) <= 0)
			return false;
		dormir_ms(1);
	}
	return true;
}

static void test_periodic__tica_a_cada_periodo_ate_parar(void **state)
{
	struct periodic p = {0};
	struct contador c = {0};
	(void)state;

	assert_int_equal(periodic_start(&p, 10, tick, &c), 0);
	assert_true(esperar_fins(&c, 3));
	periodic_stop(&p);
	int vistos = atomic_load(&c.ticks);
	assert_int_equal(atomic_load(&c.fins), vistos);
	dormir_ms(50); /* five periods: a thread still running would tick again */
	assert_int_equal(atomic_load(&c.ticks), vistos);
}

static void test_periodic__periodo_conta_do_fim_de_um_tick_ao_inicio_do_seguinte(void **state)
{
	struct periodic p = {0};
	struct contador c = {.demora_ms = 5};
	const long periodo_ms = 20;
	(void)state;

	int64_t antes = monotonic_ns();
	assert_int_equal(periodic_start(&p, periodo_ms, tick, &c), 0);
	assert_true(esperar_fins(&c, 4));
	periodic_stop(&p);
	assert_true(c.inicio_ns[0] - antes >= periodo_ms * 1000000);
	for (int i = 1; i < 4; i++)
		assert_true(c.inicio_ns[i] - c.fim_ns[i - 1] >= periodo_ms * 1000000);
}

static void test_periodic__stop_acorda_a_thread_na_hora(void **state)
{
	struct periodic p = {0};
	struct contador c = {0};
	(void)state;

	assert_int_equal(periodic_start(&p, 60000, tick, &c), 0);
	dormir_ms(20); /* let the thread reach its wait */
	struct timespec t0 = monotonic_now();
	periodic_stop(&p);
	assert_true(monotonic_ms_since(&t0) <
	            1000); /* a minute's period: only a wake-up is this quick */
	assert_int_equal(atomic_load(&c.ticks), 0);
}

static void test_periodic__stop_espera_o_tick_em_curso(void **state)
{
	struct periodic p = {0};
	struct contador c = {.demora_ms = 100};
	struct timespec prazo = monotonic_in_ms(ESPERA_MAX_MS);
	(void)state;

	assert_int_equal(periodic_start(&p, 1, tick, &c), 0);
	while (atomic_load(&c.ticks) == 0 && monotonic_ms_until(&prazo) > 0)
		dormir_ms(1);
	assert_int_equal(atomic_load(&c.ticks), 1);
	periodic_stop(&p); /* the tick has about 100 ms to go */
	assert_int_equal(atomic_load(&c.fins), 1);
	assert_int_equal(atomic_load(&c.ticks), 1);
}

static void test_periodic__stop_sem_start_e_stop_duas_vezes_nada_fazem(void **state)
{
	struct periodic nunca = {0};
	struct periodic p = {0};
	struct contador c = {0};
	(void)state;

	periodic_stop(&nunca);
	periodic_stop(&nunca);
	assert_int_equal(periodic_start(&p, 5, tick, &c), 0);
	periodic_stop(&p);
	periodic_stop(&p);
	/* Stopped, it may start again. */
	int antes = atomic_load(&c.fins);
	assert_int_equal(periodic_start(&p, 5, tick, &c), 0);
	assert_true(esperar_fins(&c, antes + 1));
	periodic_stop(&p);
}

static void test_periodic__periodo_abaixo_de_1_ms__recusado_e_parado(void **state)
{
	struct periodic p = {0};
	struct contador c = {0};
	(void)state;

	assert_int_equal(periodic_start(&p, 0, tick, &c), APP_EINVALID);
	assert_int_equal(periodic_start(&p, -5, tick, &c), APP_EINVALID);
	periodic_stop(&p); /* left as if stopped: nothing to do */
	assert_int_equal(atomic_load(&c.ticks), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_periodic__tica_a_cada_periodo_ate_parar),
	    cmocka_unit_test(test_periodic__periodo_conta_do_fim_de_um_tick_ao_inicio_do_seguinte),
	    cmocka_unit_test(test_periodic__stop_acorda_a_thread_na_hora),
	    cmocka_unit_test(test_periodic__stop_espera_o_tick_em_curso),
	    cmocka_unit_test(test_periodic__stop_sem_start_e_stop_duas_vezes_nada_fazem),
	    cmocka_unit_test(test_periodic__periodo_abaixo_de_1_ms__recusado_e_parado),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

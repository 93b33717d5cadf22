/*
 * Unit tests of the adaptive running limit (presentation/http/concurrency_limit.c) and of parking
 * in the worker pool (presentation layer; cmocka): the limit grows while service times stay near
 * their class's best, shrinks when they stretch, holds in between (with jobs queued, only in the
 * band's upper half) and never leaves its bounds;
 * a slot handed back goes to a parked caller before anyone else; a pool whose limit is one runs a
 * second job while the first is parked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "presentation/http/concurrency_limit.h"
#include "presentation/http/worker_pool.h"

#define MS 1000000LL

/* One window of samples of class 0 taking t_ns each (the first sets the best when none). */
static void window_of(struct concurrency_limit *cl, int64_t t_ns, bool queued)
{
	for (int i = 0; i < CLIMIT_WINDOW; i++)
		climit_sample(cl, 0, t_ns, queued);
}

/* A window with nothing waiting in the queue. */
static void window(struct concurrency_limit *cl, int64_t t_ns)
{
	window_of(cl, t_ns, false);
}

/* Holds n slots (as running jobs would), so the limit counts as in use. */
static void hold(struct concurrency_limit *cl, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		climit_acquire(cl);
}

static void give_back(struct concurrency_limit *cl, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		climit_release(cl);
}

static void test_climit__init__limites_validos(void **state)
{
	struct concurrency_limit cl;
	(void)state;
	assert_int_not_equal(climit_init(&cl, 0, 1, 4), 0);
	assert_int_not_equal(climit_init(&cl, 2, 1, 4), 0);
	assert_int_not_equal(climit_init(&cl, 2, 5, 4), 0);
	assert_int_equal(climit_init(&cl, 2, 3, 4), 0);
	assert_int_equal(climit_current(&cl), 3);
	climit_cleanup(&cl);
}

static void test_climit__tempos_no_melhor__cresce_ate_o_maximo(void **state)
{
	struct concurrency_limit cl;
	(void)state;
	assert_int_equal(climit_init(&cl, 1, 2, 6), 0);
	window(&cl, 1 * MS); /* the best is 1 ms */
	for (int i = 0; i < 40; i++) {
		unsigned limit = climit_current(&cl);
		hold(&cl, limit); /* fully in use */
		window(&cl, 1 * MS);
		give_back(&cl, limit);
		assert_true(climit_current(&cl) <= 6);
	}
	assert_int_equal(climit_current(&cl), 6);
	climit_cleanup(&cl);
}

static void test_climit__ocioso__nao_cresce(void **state)
{
	struct concurrency_limit cl;
	(void)state;
	assert_int_equal(climit_init(&cl, 1, 4, 16), 0);
	for (int i = 0; i < 20; i++)
		window(&cl, 1 * MS); /* fast, but nothing in use: nothing learnt */
	assert_int_equal(climit_current(&cl), 4);
	climit_cleanup(&cl);
}

static void test_climit__tempos_esticados__encolhe_ate_o_minimo(void **state)
{
	struct concurrency_limit cl;
	(void)state;
	assert_int_equal(climit_init(&cl, 2, 8, 8), 0);
	window(&cl, 1 * MS);
	for (int i = 0; i < 40; i++)
		window(&cl, 4 * MS); /* four times the best: contention */
	assert_int_equal(climit_current(&cl), 2);
	/* The slots taken away are really gone: only two can be held. */
	hold(&cl, 2);
	int free_slots = -1;
	sem_getvalue(&cl.slots, &free_slots);
	assert_true(free_slots <= 0);
	give_back(&cl, 2);
	climit_cleanup(&cl);
}

/*
 * The limit after `rounds` windows of t_ns each (queued: jobs waited for a slot through them),
 * the best being 1 ms and every slot held meanwhile, as under load.
 */
static unsigned limit_after(unsigned min, unsigned initial, unsigned max, int rounds, int64_t t_ns,
                            bool queued)
{
	struct concurrency_limit cl;
	assert_int_equal(climit_init(&cl, min, initial, max), 0);
	window(&cl, 1 * MS);
	for (int i = 0; i < rounds; i++) {
		unsigned limit = climit_current(&cl);
		hold(&cl, limit);
		window_of(&cl, t_ns, queued);
		give_back(&cl, limit);
	}
	unsigned after = climit_current(&cl);
	climit_cleanup(&cl);
	return after;
}

static void test_climit__dentro_da_faixa__mantem(void **state)
{
	(void)state;
	/* 2.3 × the best: inside the band. */
	assert_int_equal(limit_after(1, 5, 10, 20, 2300 * 1000, false), 5);
}

static void test_climit__metade_baixa_da_faixa_com_fila__cresce_ate_o_maximo(void **state)
{
	(void)state;
	/* The band's lower half, and jobs wait for a slot. */
	assert_int_equal(limit_after(1, 5, 10, 40, 2100 * 1000, true), 10);
}

static void test_climit__metade_alta_da_faixa_com_fila__mantem(void **state)
{
	(void)state;
	/* 2.5 × the best: more running jobs would stretch them beyond the band. */
	assert_int_equal(limit_after(1, 5, 10, 20, 2500 * 1000, true), 5);
}

static void test_climit__acima_da_faixa_com_fila__encolhe(void **state)
{
	(void)state;
	/* A queue, but three times the best: more running jobs only stretch them. */
	assert_int_equal(limit_after(2, 8, 8, 40, 3 * MS, true), 2);
}

static void test_climit__limite_fixo__nunca_muda(void **state)
{
	struct concurrency_limit cl;
	(void)state;
	assert_int_equal(climit_init(&cl, 3, 3, 3), 0);
	window(&cl, 1 * MS);
	for (int i = 0; i < 10; i++)
		window(&cl, 10 * MS);
	assert_int_equal(climit_current(&cl), 3);
	climit_cleanup(&cl);
}

/* ---- a parked caller resumes before new work starts ---- */

struct returner {
	struct concurrency_limit *cl;
	atomic_bool back;
};

static void *come_back(void *arg)
{
	struct returner *r = arg;
	climit_return(r->cl, NULL, NULL);
	atomic_store(&r->back, true);
	return NULL;
}

static void test_climit__slot_devolvido__vai_primeiro_a_quem_volta(void **state)
{
	struct concurrency_limit cl;
	struct returner r = {.cl = &cl};
	pthread_t t;
	struct timespec pause = {0, 20 * MS};
	(void)state;

	assert_int_equal(climit_init(&cl, 1, 1, 1), 0);
	climit_acquire(&cl); /* the only slot is held */
	assert_false(climit_yield_due(&cl));
	assert_int_equal(pthread_create(&t, NULL, come_back, &r), 0);
	while (!climit_yield_due(&cl)) /* the holder is told to yield */
		nanosleep(&pause, NULL);
	assert_false(atomic_load(&r.back));
	climit_release(&cl);
	pthread_join(t, NULL);
	assert_true(atomic_load(&r.back));
	/* It went to the returner: none is left for a newcomer. */
	int free_slots = -1;
	sem_getvalue(&cl.slots, &free_slots);
	assert_int_equal(free_slots, 0);
	climit_release(&cl);
	climit_cleanup(&cl);
}

/* ---- parking in the pool ---- */

struct bench_park {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int started, parked_running, second_ran, done;
	bool release_first;
};

static struct bench_park bp = {
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, false};

/* Job 1 parks and waits until job 2 has run; job 2 just runs. With a limit of one running job,
 * job 2 can only run because job 1 gave its slot back. */
static unsigned park_run(void *cls, void *job, void *ctx, int64_t waited_ns)
{
	intptr_t which = (intptr_t)job;
	struct timespec limit;
	(void)cls;
	(void)ctx;
	(void)waited_ns;

	clock_gettime(CLOCK_REALTIME, &limit);
	limit.tv_sec += 5;
	pthread_mutex_lock(&bp.mu);
	if (which == 1) {
		pthread_mutex_unlock(&bp.mu);
		worker_pool_park();
		pthread_mutex_lock(&bp.mu);
		bp.parked_running = 1;
		pthread_cond_broadcast(&bp.cv);
		while (!bp.second_ran && pthread_cond_timedwait(&bp.cv, &bp.mu, &limit) == 0)
			;
		pthread_mutex_unlock(&bp.mu);
		worker_pool_unpark();
		pthread_mutex_lock(&bp.mu);
	} else {
		bp.second_ran = 1;
		pthread_cond_broadcast(&bp.cv);
	}
	bp.done++;
	pthread_cond_broadcast(&bp.cv);
	pthread_mutex_unlock(&bp.mu);
	return 0;
}

static void park_expire(void *cls, void *job, enum worker_pool_refusal why)
{
	(void)cls;
	(void)job;
	(void)why;
	fail_msg("no job should expire");
}

static void test_worker_pool__job_estacionado__outro_roda_no_seu_lugar(void **state)
{
	struct worker_pool_config cfg = {
	    .name = "park",
	    .workers = 2,
	    .min_running = 1, /* a limit of one running job (the floor and the start) */
	    .max_queued = 4,
	    .queue_timeout_ms = 5000,
	    .run = park_run,
	    .expire = park_expire,
	};
	char err[128];
	struct timespec limit;
	(void)state;

	struct worker_pool *p = worker_pool_start(&cfg, err, sizeof err);
	assert_non_null(p);
	assert_int_equal(worker_pool_running_limit(p), 1);
	assert_true(worker_pool_submit(p, (void *)(intptr_t)1));
	pthread_mutex_lock(&bp.mu);
	clock_gettime(CLOCK_REALTIME, &limit);
	limit.tv_sec += 5;
	while (!bp.parked_running && pthread_cond_timedwait(&bp.cv, &bp.mu, &limit) == 0)
		;
	pthread_mutex_unlock(&bp.mu);
	assert_true(worker_pool_submit(p, (void *)(intptr_t)2));
	pthread_mutex_lock(&bp.mu);
	clock_gettime(CLOCK_REALTIME, &limit);
	limit.tv_sec += 5;
	while (bp.done < 2 && pthread_cond_timedwait(&bp.cv, &bp.mu, &limit) == 0)
		;
	int done = bp.done, second = bp.second_ran;
	pthread_mutex_unlock(&bp.mu);
	worker_pool_free(p);
	assert_int_equal(second, 1);
	assert_int_equal(done, 2);
}

/* A slot lying free is taken at once: nobody has to hand it over (one worker alone). */
static void test_climit__retorno_com_slot_livre__pega_na_hora(void **state)
{
	struct concurrency_limit cl;
	(void)state;
	assert_int_equal(climit_init(&cl, 1, 1, 1), 0);
	climit_acquire(&cl);
	climit_release(&cl); /* parked: the slot is free, nobody waits for it */
	climit_return(&cl, NULL, NULL);
	assert_int_equal(atomic_load(&cl.returning), 0);
	int free_slots = -1;
	sem_getvalue(&cl.slots, &free_slots);
	assert_int_equal(free_slots, 0);
	climit_release(&cl);
	climit_cleanup(&cl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_climit__init__limites_validos),
	    cmocka_unit_test(test_climit__tempos_no_melhor__cresce_ate_o_maximo),
	    cmocka_unit_test(test_climit__ocioso__nao_cresce),
	    cmocka_unit_test(test_climit__tempos_esticados__encolhe_ate_o_minimo),
	    cmocka_unit_test(test_climit__dentro_da_faixa__mantem),
	    cmocka_unit_test(test_climit__metade_baixa_da_faixa_com_fila__cresce_ate_o_maximo),
	    cmocka_unit_test(test_climit__metade_alta_da_faixa_com_fila__mantem),
	    cmocka_unit_test(test_climit__acima_da_faixa_com_fila__encolhe),
	    cmocka_unit_test(test_climit__limite_fixo__nunca_muda),
	    cmocka_unit_test(test_climit__slot_devolvido__vai_primeiro_a_quem_volta),
	    cmocka_unit_test(test_climit__retorno_com_slot_livre__pega_na_hora),
	    cmocka_unit_test(test_worker_pool__job_estacionado__outro_roda_no_seu_lugar),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

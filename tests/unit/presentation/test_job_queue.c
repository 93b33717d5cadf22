/*
 * Unit tests of presentation/http/job_queue: the bounded lock-free MPMC ring between the I/O
 * threads and the handler workers (presentation layer; cmocka). They check first-in first-out
 * order, that max is a hard bound even when it is not a power of two, that pop_older takes only
 * a head pushed before the cut-off, the depth, and under four producers and four consumers that
 * every item comes out exactly once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "domain/monotonic.h"
#include "presentation/http/job_queue.h"

/* Jobs are opaque pointers: small integers stand for them (never 0, which is "no job"). */
#define J(n) ((void *)(uintptr_t)(n))
#define N(p) ((uintptr_t)(p))

static struct job_queue *nova_fila(size_t max)
{
	struct job_queue *q = malloc(sizeof *q);

	assert_non_null(q);
	assert_int_equal(job_queue_init(q, max), 0);
	return q;
}

static void libera_fila(struct job_queue *q)
{
	job_queue_cleanup(q);
	free(q);
}

static void test_job_queue__push_e_pop__ordem_fifo(void **state)
{
	struct job_queue *q = nova_fila(8);
	int64_t t;

	(void)state;
	for (uintptr_t i = 1; i <= 8; i++)
		assert_true(job_queue_push(q, J(i), 1000 + (int64_t)i));
	for (uintptr_t i = 1; i <= 8; i++) {
		t = -1;
		assert_int_equal(N(job_queue_pop(q, &t)), i);
		assert_int_equal(t, 1000 + (int64_t)i);
	}
	assert_null(job_queue_pop(q, &t));
	libera_fila(q);
}

static void test_job_queue__pop__fila_vazia__null(void **state)
{
	struct job_queue *q = nova_fila(4);

	(void)state;
	assert_null(job_queue_pop(q, NULL));
	assert_null(job_queue_pop_older(q, INT64_MAX, NULL));
	assert_true(job_queue_push(q, J(1), 5));
	assert_int_equal(N(job_queue_pop(q, NULL)), 1); /* queued_ns may be NULL */
	assert_null(job_queue_pop(q, NULL));
	libera_fila(q);
}

/*
 * Fills a queue of max jobs, checks the next push is refused and nothing was queued by it, then
 * one pop lets exactly one push in again. Repeated past several turns of the ring (cells are
 * the next power of two), so the bound holds whatever position the ring is at.
 */
static void confere_limite(size_t max)
{
	struct job_queue *q = nova_fila(max);
	uintptr_t proximo = 1, esperado = 1;

	for (size_t i = 0; i < max; i++)
		assert_true(job_queue_push(q, J(proximo++), 0));
	assert_int_equal(job_queue_depth(q), max);
	for (int volta = 0; volta < 40; volta++) {
		assert_false(job_queue_push(q, J(9999), 0));
		assert_false(job_queue_push(q, J(9999), 0));
		assert_int_equal(job_queue_depth(q), max);
		assert_int_equal(N(job_queue_pop(q, NULL)), esperado++);
		assert_int_equal(job_queue_depth(q), max - 1);
		assert_true(job_queue_push(q, J(proximo++), 0));
		assert_false(job_queue_push(q, J(9999), 0));
	}
	/* What remains is the last max jobs, in order, and never a refused one. */
	for (size_t i = 0; i < max; i++)
		assert_int_equal(N(job_queue_pop(q, NULL)), esperado++);
	assert_null(job_queue_pop(q, NULL));
	assert_int_equal(esperado, proximo);
	libera_fila(q);
}

static void test_job_queue__max_3_cheio__push_recusado_ate_um_pop(void **state)
{
	(void)state;
	confere_limite(3);
}

static void test_job_queue__max_5_cheio__push_recusado_ate_um_pop(void **state)
{
	(void)state;
	confere_limite(5);
}

static void test_job_queue__max_1__um_job_por_vez(void **state)
{
	(void)state;
	confere_limite(1);
}

static void test_job_queue__pop_older_cabeca_antiga__retira_a_cabeca(void **state)
{
	struct job_queue *q = nova_fila(5);
	int64_t t = -1;

	(void)state;
	assert_true(job_queue_push(q, J(1), 100));
	assert_true(job_queue_push(q, J(2), 200));
	assert_true(job_queue_push(q, J(3), 300));
	assert_int_equal(N(job_queue_pop_older(q, 101, &t)), 1);
	assert_int_equal(t, 100);
	assert_int_equal(job_queue_depth(q), 2);
	assert_int_equal(N(job_queue_pop(q, NULL)), 2);
	assert_int_equal(N(job_queue_pop(q, NULL)), 3);
	libera_fila(q);
}

static void test_job_queue__pop_older_cabeca_recente__fica_e_ordem_mantida(void **state)
{
	struct job_queue *q = nova_fila(5);
	int64_t t = -1;

	(void)state;
	assert_true(job_queue_push(q, J(1), 200));
	assert_true(job_queue_push(q, J(2), 100)); /* older than the head, but not the head */
	assert_true(job_queue_push(q, J(3), 300));
	/* Pushed at 200: not before 200, nor before 150. */
	assert_null(job_queue_pop_older(q, 200, &t));
	assert_null(job_queue_pop_older(q, 150, &t));
	assert_int_equal(t, -1);
	assert_int_equal(job_queue_depth(q), 3);
	assert_int_equal(N(job_queue_pop(q, &t)), 1);
	assert_int_equal(t, 200);
	/* Now the head (2, pushed at 100) is old enough; 3 (at 300) is not. */
	assert_int_equal(N(job_queue_pop_older(q, 250, &t)), 2);
	assert_int_equal(t, 100);
	assert_null(job_queue_pop_older(q, 250, &t));
	assert_int_equal(N(job_queue_pop(q, &t)), 3);
	assert_int_equal(t, 300);
	assert_null(job_queue_pop_older(q, INT64_MAX, &t));
	libera_fila(q);
}

static void test_job_queue__depth__conta_os_jobs_que_esperam(void **state)
{
	struct job_queue *q = nova_fila(5);

	(void)state;
	assert_int_equal(job_queue_depth(q), 0);
	for (uintptr_t i = 1; i <= 5; i++) {
		assert_true(job_queue_push(q, J(i), 10));
		assert_int_equal(job_queue_depth(q), i);
	}
	assert_false(job_queue_push(q, J(6), 10));
	assert_int_equal(job_queue_depth(q), 5); /* a refused push leaves no trace */
	assert_null(job_queue_pop_older(q, 10, NULL));
	assert_int_equal(job_queue_depth(q), 5); /* nor does a pop_older that takes nothing */
	assert_non_null(job_queue_pop_older(q, 11, NULL));
	assert_int_equal(job_queue_depth(q), 4);
	for (size_t i = 4; i > 0; i--) {
		assert_non_null(job_queue_pop(q, NULL));
		assert_int_equal(job_queue_depth(q), i - 1);
	}
	assert_null(job_queue_pop(q, NULL));
	assert_int_equal(job_queue_depth(q), 0);
	libera_fila(q);
}

/* ---- four producers, four consumers and one pop_older that must take nothing ---- */

#define PRODUTORES   4
#define CONSUMIDORES 4
#define ITENS        50000 /* per producer */
#define TOTAL        (PRODUTORES * ITENS)
#define PRAZO_NS     (30 * (int64_t)1000000000) /* a lost item fails the test, not hangs it */

struct estresse {
	struct job_queue q;
	pthread_barrier_t largada;        /* every thread starts together */
	int64_t antes_de_tudo_ns;         /* earlier than every push */
	int64_t prazo_ns;                 /* give up (and fail) after this */
	atomic_bool esgotado;             /* someone gave up waiting */
	atomic_bool parar;                /* give up: time is out, or an item came out twice */
	atomic_uchar vezes[TOTAL];        /* times each item was taken */
	atomic_ulong consumidos;          /* items taken by the consumers */
	atomic_ulong fora_de_ordem;       /* a consumer saw a producer's items out of order */
	atomic_ulong invalidos;           /* a job that no producer pushed */
	atomic_ulong tomados_pelo_antigo; /* taken by pop_older with a cut-off in the past */
	atomic_ulong tentativas_antigo;   /* calls of pop_older */
	atomic_bool fim;                  /* the consumers are done */
};

struct produtor {
	struct estresse *e;
	unsigned id;
};

static void *produz(void *arg)
{
	struct produtor *p = arg;
	struct estresse *e = p->e;

	pthread_barrier_wait(&e->largada);
	for (uintptr_t i = 0; i < ITENS; i++) {
		/* Item k = id * ITENS + i, pushed as k + 1 (never NULL). */
		void *job = J(p->id * ITENS + i + 1);
		while (!job_queue_push(&e->q, job, monotonic_ns())) {
			if (atomic_load(&e->parar))
				return NULL;
			if (monotonic_ns() > e->prazo_ns) {
				atomic_store(&e->esgotado, true);
				atomic_store(&e->parar, true);
				return NULL;
			}
			sched_yield(); /* full: retry */
		}
	}
	return NULL;
}

static void *consome(void *arg)
{
	struct estresse *e = arg;
	uintptr_t ultimo[PRODUTORES]; /* last index seen from each producer, + 1 */

	for (size_t i = 0; i < PRODUTORES; i++)
		ultimo[i] = 0;
	pthread_barrier_wait(&e->largada);
	while (atomic_load(&e->consumidos) < TOTAL) {
		int64_t t;
		void *job = job_queue_pop(&e->q, &t);
		if (!job) {
			if (atomic_load(&e->parar))
				return NULL;
			if (monotonic_ns() > e->prazo_ns) {
				atomic_store(&e->esgotado, true);
				atomic_store(&e->parar, true);
				return NULL;
			}
			sched_yield();
			continue;
		}
		uintptr_t k = N(job) - 1;
		if (k >= TOTAL) {
			atomic_fetch_add(&e->invalidos, 1);
			atomic_fetch_add(&e->consumidos, 1);
			continue;
		}
		/* One consumer takes positions in increasing order, so a producer's items too. */
		uintptr_t prod = k / ITENS, idx = k % ITENS;
		if (idx + 1 <= ultimo[prod])
			atomic_fetch_add(&e->fora_de_ordem, 1);
		ultimo[prod] = idx + 1;
		if (t < e->antes_de_tudo_ns)
			atomic_fetch_add(&e->invalidos, 1); /* not the time of its push */
		if (atomic_fetch_add(&e->vezes[k], 1) != 0)
			atomic_store(&e->parar,
			             true); /* a duplicate: fail now, not at the deadline */
		atomic_fetch_add(&e->consumidos, 1);
	}
	return NULL;
}

static void *consome_so_antigos(void *arg)
{
	struct estresse *e = arg;

	pthread_barrier_wait(&e->largada);
	while (!atomic_load(&e->fim)) {
		void *job = job_queue_pop_older(&e->q, e->antes_de_tudo_ns, NULL);
		atomic_fetch_add(&e->tentativas_antigo, 1);
		if (job) {
			atomic_fetch_add(&e->tomados_pelo_antigo, 1);
			uintptr_t k = N(job) - 1;
			if (k < TOTAL)
				atomic_fetch_add(&e->vezes[k], 1); /* so the count shows it too */
			atomic_fetch_add(&e->consumidos, 1);
		}
	}
	return NULL;
}

static void test_job_queue__mpmc_4x4_com_pop_older_no_passado__cada_item_uma_vez(void **state)
{
	struct estresse *e = calloc(1, sizeof *e);
	pthread_t prod[PRODUTORES], cons[CONSUMIDORES], antigo;
	struct produtor args[PRODUTORES];

	(void)state;
	assert_non_null(e);
	assert_int_equal(job_queue_init(&e->q, 64), 0);
	assert_int_equal(pthread_barrier_init(&e->largada, NULL, PRODUTORES + CONSUMIDORES + 1), 0);
	e->antes_de_tudo_ns = monotonic_ns() - 1;
	e->prazo_ns = e->antes_de_tudo_ns + PRAZO_NS;
	for (size_t i = 0; i < TOTAL; i++)
		atomic_init(&e->vezes[i], 0);

	for (unsigned i = 0; i < CONSUMIDORES; i++)
		assert_int_equal(pthread_create(&cons[i], NULL, consome, e), 0);
	assert_int_equal(pthread_create(&antigo, NULL, consome_so_antigos, e), 0);
	for (unsigned i = 0; i < PRODUTORES; i++) {
		args[i] = (struct produtor){.e = e, .id = i};
		assert_int_equal(pthread_create(&prod[i], NULL, produz, &args[i]), 0);
	}
	for (unsigned i = 0; i < PRODUTORES; i++)
		pthread_join(prod[i], NULL);
	for (unsigned i = 0; i < CONSUMIDORES; i++)
		pthread_join(cons[i], NULL);
	atomic_store(&e->fim, true);
	pthread_join(antigo, NULL);

	for (size_t k = 0; k < TOTAL; k++)
		if (atomic_load(&e->vezes[k]) > 1)
			fail_msg("item %zu (producer %zu, #%zu) taken %u times", k, k / ITENS,
			         k % ITENS, (unsigned)atomic_load(&e->vezes[k]));
	assert_int_equal(atomic_load(&e->invalidos), 0);
	assert_int_equal(atomic_load(&e->tomados_pelo_antigo), 0);
	assert_true(atomic_load(&e->tentativas_antigo) > 0);
	assert_false(atomic_load(&e->esgotado)); /* an item was lost: nobody could take it */
	for (size_t k = 0; k < TOTAL; k++)
		if (atomic_load(&e->vezes[k]) != 1)
			fail_msg("item %zu (producer %zu, #%zu) taken %u times", k, k / ITENS,
			         k % ITENS, (unsigned)atomic_load(&e->vezes[k]));
	assert_int_equal(atomic_load(&e->consumidos), TOTAL);
	assert_int_equal(atomic_load(&e->fora_de_ordem), 0);
	assert_int_equal(job_queue_depth(&e->q), 0);
	assert_null(job_queue_pop(&e->q, NULL));

	pthread_barrier_destroy(&e->largada);
	job_queue_cleanup(&e->q);
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_job_queue__push_e_pop__ordem_fifo),
	    cmocka_unit_test(test_job_queue__pop__fila_vazia__null),
	    cmocka_unit_test(test_job_queue__max_3_cheio__push_recusado_ate_um_pop),
	    cmocka_unit_test(test_job_queue__max_5_cheio__push_recusado_ate_um_pop),
	    cmocka_unit_test(test_job_queue__max_1__um_job_por_vez),
	    cmocka_unit_test(test_job_queue__pop_older_cabeca_antiga__retira_a_cabeca),
	    cmocka_unit_test(test_job_queue__pop_older_cabeca_recente__fica_e_ordem_mantida),
	    cmocka_unit_test(test_job_queue__depth__conta_os_jobs_que_esperam),
	    cmocka_unit_test(test_job_queue__mpmc_4x4_com_pop_older_no_passado__cada_item_uma_vez),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests of presentation/http/worker_pool: the handler workers fed by a bounded queue
 * (presentation layer; cmocka). Real threads run real jobs; a job can hold its worker on a gate
 * or meet the test thread at a rendezvous, so the tests know what every worker is doing without
 * sleeping for it. They check that N workers run N jobs at once, the per-thread context, a full
 * queue, the queue timeout enforced by the timer thread, the time a job waited, closing, the
 * gauges, and that under submissions racing a close every accepted job ends exactly once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/monotonic.h"
#include "presentation/http/worker_pool.h"

/* ESPERA_MAX_MS: how long the test waits for what must happen (a failure, not a hang). */
#define MS            ((int64_t)1000000)
#define ESPERA_MAX_MS 10000
#define MAX_TAREFAS   16
#define MAX_WORKERS   8

/* One job of the tests. The fields written by a callback are read after it signalled. */
struct tarefa {
	bool bloqueia;           /* run waits until the gate opens */
	bool encontro;           /* run waits at the rendezvous until the test thread releases it */
	atomic_int runs;         /* calls of run with it */
	atomic_int expires;      /* calls of expire with it */
	int why;                 /* the refusal expire got */
	int64_t waited_ns;       /* what run got */
	int64_t run_at_ns;       /* when run began */
	int64_t expired_at_ns;   /* when expire was called */
	pthread_t run_thread;    /* where run ran */
	pthread_t expire_thread; /* where expire ran */
	void *ctx;               /* the context run got */
	unsigned long fim_seq;   /* the event number of the end of run */
};

/* What thread_start gave a worker. */
struct contexto {
	pthread_t thread;    /* where thread_start ran */
	int ends;            /* calls of thread_end with it */
	bool end_na_propria; /* thread_end ran on that same thread */
};

struct bancada {
	struct worker_pool *pool;
	pthread_mutex_t mu;
	pthread_cond_t cv;      /* signalled on every change below */
	bool portao_aberto;     /* the gate: jobs that bloqueia wait for it */
	bool encontro_liberado; /* the test thread arrived at the rendezvous */
	int no_encontro;        /* jobs waiting at the rendezvous */
	int iniciados;          /* runs begun */
	int terminados;         /* runs ended */
	int expirados;          /* expire calls */
	int esperas_esgotadas;  /* a job gave up waiting on the gate (a failure) */
	struct contexto ctxs[MAX_WORKERS];
	int starts;            /* calls of thread_start */
	int ends;              /* calls of thread_end */
	pthread_t test_thread; /* the thread of the test */
	atomic_ulong seq;      /* event numbers */
	struct tarefa tarefas[MAX_TAREFAS];
	struct tarefa sondas[1024]; /* probes submitted while a close starts */
};

static struct timespec prazo_em(int ms)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

static void pausa_ms(int ms)
{
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

/* Waits (b->mu held) until *flag or the deadline; false when the deadline passed first. */
static bool espera_flag(struct bancada *b, const bool *flag, const struct timespec *ate)
{
	while (!*flag)
		if (pthread_cond_timedwait(&b->cv, &b->mu, ate) != 0 && !*flag)
			return false;
	return true;
}

/* Waits until *contador (under b->mu) reaches n, at most ms. False on time-out. */
static bool espera_contador(struct bancada *b, const int *contador, int n, int ms)
{
	struct timespec ate = prazo_em(ms);
	bool ok = true;

	pthread_mutex_lock(&b->mu);
	while (*contador < n)
		if (pthread_cond_timedwait(&b->cv, &b->mu, &ate) != 0 && *contador < n) {
			ok = false;
			break;
		}
	pthread_mutex_unlock(&b->mu);
	return ok;
}

static int ler(struct bancada *b, const int *contador)
{
	pthread_mutex_lock(&b->mu);
	int v = *contador;
	pthread_mutex_unlock(&b->mu);
	return v;
}

static void liga(struct bancada *b, bool *flag)
{
	pthread_mutex_lock(&b->mu);
	*flag = true;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

/* ---- the callbacks ---- */

static void *inicia_thread(void *cls)
{
	struct bancada *b = cls;
	struct contexto *c = NULL;

	pthread_mutex_lock(&b->mu);
	if (b->starts < MAX_WORKERS) {
		c = &b->ctxs[b->starts];
		c->thread = pthread_self();
	}
	b->starts++;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
	return c;
}

static void termina_thread(void *cls, void *ctx)
{
	struct bancada *b = cls;
	struct contexto *c = ctx;

	pthread_mutex_lock(&b->mu);
	if (c) {
		c->ends++;
		c->end_na_propria = pthread_equal(c->thread, pthread_self());
	}
	b->ends++;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

static unsigned executa(void *cls, void *job, void *ctx, int64_t waited_ns)
{
	struct bancada *b = cls;
	struct tarefa *t = job;
	struct timespec ate = prazo_em(ESPERA_MAX_MS);

	t->run_at_ns = monotonic_ns();
	t->waited_ns = waited_ns;
	t->run_thread = pthread_self();
	t->ctx = ctx;
	pthread_mutex_lock(&b->mu);
	b->iniciados++;
	if (t->encontro)
		b->no_encontro++;
	pthread_cond_broadcast(&b->cv);
	if (t->encontro && !espera_flag(b, &b->encontro_liberado, &ate))
		b->esperas_esgotadas++;
	if (t->bloqueia && !espera_flag(b, &b->portao_aberto, &ate))
		b->esperas_esgotadas++;
	t->fim_seq = atomic_fetch_add(&b->seq, 1) + 1;
	atomic_fetch_add(&t->runs, 1);
	b->terminados++;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
	return 0;
}

static void expira(void *cls, void *job, enum worker_pool_refusal why)
{
	struct bancada *b = cls;
	struct tarefa *t = job;

	pthread_mutex_lock(&b->mu);
	t->expired_at_ns = monotonic_ns();
	t->expire_thread = pthread_self();
	t->why = (int)why;
	atomic_fetch_add(&t->expires, 1);
	b->expirados++;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

/* ---- set-up ---- */

static int setup(void **state)
{
	struct bancada *b = calloc(1, sizeof *b);
	pthread_condattr_t ca;

	if (!b)
		return -1;
	pthread_mutex_init(&b->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&b->cv, &ca);
	pthread_condattr_destroy(&ca);
	b->test_thread = pthread_self();
	*state = b;
	return 0;
}

/* Lets every held job go (also after a failed assertion) and frees the pool. */
static int teardown(void **state)
{
	struct bancada *b = *state;

	liga(b, &b->portao_aberto);
	liga(b, &b->encontro_liberado);
	worker_pool_free(b->pool);
	pthread_cond_destroy(&b->cv);
	pthread_mutex_destroy(&b->mu);
	free(b);
	return 0;
}

static void inicia_pool(struct bancada *b, unsigned workers, size_t max_queued, int timeout_ms)
{
	struct worker_pool_config cfg = {
	    .name = "teste",
	    .workers = workers,
	    .max_queued = max_queued,
	    .queue_timeout_ms = timeout_ms,
	    .cls = b,
	    .thread_start = inicia_thread,
	    .thread_end = termina_thread,
	    .run = executa,
	    .expire = expira,
	};
	char err[128] = "";

	b->pool = worker_pool_start(&cfg, err, sizeof err);
	if (!b->pool)
		fail_msg("worker_pool_start: %s", err);
}

/* ---- the tests ---- */

static void test_worker_pool__4_workers__4_jobs_ao_mesmo_tempo(void **state)
{
	struct bancada *b = *state;

	inicia_pool(b, 4, 8, 10000);
	for (int i = 0; i < 4; i++) {
		b->tarefas[i].encontro = true;
		assert_true(worker_pool_submit(b->pool, &b->tarefas[i]));
	}
	/* The fifth party of the rendezvous: only four jobs running at once can all arrive. */
	assert_true(espera_contador(b, &b->no_encontro, 4, ESPERA_MAX_MS));
	assert_int_equal(worker_pool_busy(b->pool), 4);
	assert_int_equal(worker_pool_queued(b->pool), 0);
	for (int i = 0; i < 4; i++)
		for (int k = i + 1; k < 4; k++)
			assert_false(
			    pthread_equal(b->tarefas[i].run_thread, b->tarefas[k].run_thread));
	liga(b, &b->encontro_liberado);
	assert_true(espera_contador(b, &b->terminados, 4, ESPERA_MAX_MS));
	assert_int_equal(ler(b, &b->esperas_esgotadas), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(atomic_load(&b->tarefas[i].runs), 1);
		assert_int_equal(atomic_load(&b->tarefas[i].expires), 0);
	}
}

static void
test_worker_pool__thread_start__contexto_do_proprio_worker_ate_o_thread_end(void **state)
{
	struct bancada *b = *state;
	enum { N = 3 };

	inicia_pool(b, N, 8, 10000);
	/* N jobs that wait for each other: each worker runs exactly one of them. */
	for (int i = 0; i < N; i++) {
		b->tarefas[i].encontro = true;
		assert_true(worker_pool_submit(b->pool, &b->tarefas[i]));
	}
	assert_true(espera_contador(b, &b->no_encontro, N, ESPERA_MAX_MS));
	assert_int_equal(ler(b, &b->starts), N);
	for (int i = 0; i < N; i++) {
		assert_false(pthread_equal(b->ctxs[i].thread, b->test_thread));
		for (int k = i + 1; k < N; k++)
			assert_false(pthread_equal(b->ctxs[i].thread, b->ctxs[k].thread));
	}
	/* Each job got the context its own thread's thread_start returned, each one once. */
	for (int i = 0; i < N; i++) {
		struct contexto *c = b->tarefas[i].ctx;
		assert_non_null(c);
		assert_true(c >= &b->ctxs[0] && c < &b->ctxs[N]);
		assert_true(pthread_equal(c->thread, b->tarefas[i].run_thread));
		for (int k = i + 1; k < N; k++)
			assert_ptr_not_equal(b->tarefas[i].ctx, b->tarefas[k].ctx);
	}
	liga(b, &b->encontro_liberado);
	assert_true(espera_contador(b, &b->terminados, N, ESPERA_MAX_MS));
	assert_int_equal(ler(b, &b->ends), 0);

	worker_pool_close(b->pool);
	assert_int_equal(b->starts, N); /* once per worker, not per job */
	assert_int_equal(b->ends, N);
	for (int i = 0; i < N; i++) {
		assert_int_equal(b->ctxs[i].ends, 1);
		assert_true(b->ctxs[i].end_na_propria);
	}
}

static void test_worker_pool__fila_cheia__submit_recusado(void **state)
{
	struct bancada *b = *state;
	struct tarefa *t = b->tarefas;

	inicia_pool(b, 1, 2, 10000);
	t[0].bloqueia = true;
	assert_true(worker_pool_submit(b->pool, &t[0]));
	assert_true(espera_contador(b, &b->iniciados, 1, ESPERA_MAX_MS)); /* the worker holds it */
	assert_true(worker_pool_submit(b->pool, &t[1]));
	assert_true(worker_pool_submit(b->pool, &t[2]));
	assert_false(worker_pool_submit(b->pool, &t[3]));
	assert_int_equal(worker_pool_queued(b->pool), 2);
	assert_int_equal(worker_pool_busy(b->pool), 1);

	liga(b, &b->portao_aberto);
	assert_true(espera_contador(b, &b->terminados, 3, ESPERA_MAX_MS));
	worker_pool_close(b->pool);
	for (int i = 0; i < 3; i++)
		assert_int_equal(atomic_load(&t[i].runs), 1);
	/* The refused job was not taken: nobody called anything with it. */
	assert_int_equal(atomic_load(&t[3].runs), 0);
	assert_int_equal(atomic_load(&t[3].expires), 0);
}

static void
test_worker_pool__job_parado_na_fila__expirado_pelo_timer_com_worker_ocupado(void **state)
{
	struct bancada *b = *state;
	struct tarefa *t = b->tarefas;

	inicia_pool(b, 1, 4, 200);
	t[0].bloqueia = true;
	assert_true(worker_pool_submit(b->pool, &t[0]));
	assert_true(espera_contador(b, &b->iniciados, 1, ESPERA_MAX_MS));
	int64_t t0 = monotonic_ns();
	assert_true(worker_pool_submit(b->pool, &t[1]));

	assert_true(espera_contador(b, &b->expirados, 1, 5000));
	assert_int_equal(atomic_load(&t[1].expires), 1);
	assert_int_equal(t[1].why, POOL_QUEUE_TIMEOUT);
	int64_t depois = t[1].expired_at_ns - t0;
	if (depois < 180 * MS || depois >= 1500 * MS)
		fail_msg("expired %lld ms after its submission (queue timeout 200 ms)",
		         (long long)(depois / MS));
	/* The worker is still held by the first job: the timer thread did it. */
	assert_int_equal(atomic_load(&t[0].runs), 0);
	assert_int_equal(worker_pool_busy(b->pool), 1);
	assert_false(pthread_equal(t[1].expire_thread, t[0].run_thread));
	assert_false(pthread_equal(t[1].expire_thread, b->test_thread));
	assert_int_equal(worker_pool_queued(b->pool), 0);

	liga(b, &b->portao_aberto);
	assert_true(espera_contador(b, &b->terminados, 1, ESPERA_MAX_MS));
	worker_pool_close(b->pool);
	assert_int_equal(atomic_load(&t[1].runs), 0);
	assert_int_equal(atomic_load(&t[1].expires), 1);
	assert_int_equal(atomic_load(&t[0].runs), 1);
	assert_int_equal(atomic_load(&t[0].expires), 0);
}

static void test_worker_pool__run__waited_ns_e_o_tempo_na_fila(void **state)
{
	struct bancada *b = *state;
	struct tarefa *t = b->tarefas;

	inicia_pool(b, 1, 4, 10000);
	int64_t antes0 = monotonic_ns();
	t[0].bloqueia = true;
	assert_true(worker_pool_submit(b->pool, &t[0]));
	assert_true(espera_contador(b, &b->iniciados, 1, ESPERA_MAX_MS));
	int64_t antes1 = monotonic_ns();
	assert_true(worker_pool_submit(b->pool, &t[1]));
	pausa_ms(150); /* time passes while the job waits */
	liga(b, &b->portao_aberto);
	assert_true(espera_contador(b, &b->terminados, 2, ESPERA_MAX_MS));

	/* An idle pool takes a job at once. */
	assert_true(t[0].waited_ns >= 0);
	assert_true(t[0].waited_ns <= t[0].run_at_ns - antes0);
	assert_true(t[0].waited_ns < 500 * MS);
	/* Queued before the 150 ms pause began, taken after the gate opened at its end. */
	if (t[1].waited_ns < 150 * MS || t[1].waited_ns > t[1].run_at_ns - antes1)
		fail_msg("waited_ns %lld ms; it waited between 150 and %lld ms",
		         (long long)(t[1].waited_ns / MS),
		         (long long)((t[1].run_at_ns - antes1) / MS));
}

/* Closes the pool on another thread and notes the event number when close returned. */
struct fechador {
	struct bancada *b;
	atomic_bool voltou;
	unsigned long seq_volta;
};

static void *fecha(void *arg)
{
	struct fechador *f = arg;

	worker_pool_close(f->b->pool);
	f->seq_volta = atomic_fetch_add(&f->b->seq, 1) + 1;
	atomic_store(&f->voltou, true);
	return NULL;
}

static void test_worker_pool__close__termina_os_em_curso_e_expira_os_na_fila(void **state)
{
	struct bancada *b = *state;
	struct tarefa *t = b->tarefas;
	struct fechador f = {.b = b};
	pthread_t th;
	size_t n_sondas = 0;

	inicia_pool(b, 2, 1000, 10000);
	t[0].bloqueia = t[1].bloqueia = true;
	assert_true(worker_pool_submit(b->pool, &t[0]));
	assert_true(worker_pool_submit(b->pool, &t[1]));
	assert_true(espera_contador(b, &b->iniciados, 2, ESPERA_MAX_MS));
	for (int i = 2; i < 5; i++)
		assert_true(worker_pool_submit(b->pool, &t[i]));
	assert_int_equal(worker_pool_queued(b->pool), 3);

	atomic_init(&f.voltou, false);
	assert_int_equal(pthread_create(&th, NULL, fecha, &f), 0);
	/*
	 * close refuses submissions first: probe until one is refused. The queue is far from full
	 * (nobody else submits and both workers are held), so a refusal means it is stopping.
	 */
	for (;;) {
		assert_true(n_sondas < sizeof b->sondas / sizeof b->sondas[0]);
		if (!worker_pool_submit(b->pool, &b->sondas[n_sondas]))
			break;
		n_sondas++;
		pausa_ms(1);
	}
	assert_true(worker_pool_queued(b->pool) < 1000);

	/* Both jobs are still in hand: close waits for them. */
	pausa_ms(100);
	assert_false(atomic_load(&f.voltou));
	assert_int_equal(atomic_load(&t[0].runs), 0);
	assert_int_equal(atomic_load(&t[1].runs), 0);
	assert_int_equal(worker_pool_busy(b->pool), 2);

	liga(b, &b->portao_aberto);
	pthread_join(th, NULL);
	assert_true(atomic_load(&f.voltou));
	assert_int_equal(ler(b, &b->esperas_esgotadas), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(atomic_load(&t[i].runs), 1);
		assert_int_equal(atomic_load(&t[i].expires), 0);
		assert_true(t[i].fim_seq <
		            f.seq_volta); /* their run completed before close returned */
	}
	for (int i = 2; i < 5; i++) {
		assert_int_equal(atomic_load(&t[i].runs), 0);
		assert_int_equal(atomic_load(&t[i].expires), 1);
		assert_int_equal(t[i].why, POOL_STOPPING);
	}
	for (size_t i = 0; i < n_sondas; i++) {
		assert_int_equal(atomic_load(&b->sondas[i].runs), 0);
		assert_int_equal(atomic_load(&b->sondas[i].expires), 1);
		assert_int_equal(b->sondas[i].why, POOL_STOPPING);
	}
	assert_int_equal(worker_pool_queued(b->pool), 0);
	assert_int_equal(worker_pool_busy(b->pool), 0);

	assert_false(worker_pool_submit(b->pool, &t[5]));
	worker_pool_close(b->pool); /* idempotent */
	assert_int_equal(atomic_load(&t[5].runs), 0);
	assert_int_equal(atomic_load(&t[5].expires), 0);
}

static void test_worker_pool__busy_e_queued__o_que_acontece_agora(void **state)
{
	struct bancada *b = *state;
	struct tarefa *t = b->tarefas;

	inicia_pool(b, 2, 8, 10000);
	assert_int_equal(worker_pool_busy(b->pool), 0);
	assert_int_equal(worker_pool_queued(b->pool), 0);
	t[0].bloqueia = t[1].bloqueia = true;
	assert_true(worker_pool_submit(b->pool, &t[0]));
	assert_true(worker_pool_submit(b->pool, &t[1]));
	assert_true(espera_contador(b, &b->iniciados, 2, ESPERA_MAX_MS));
	assert_int_equal(worker_pool_busy(b->pool), 2);
	assert_int_equal(worker_pool_queued(b->pool), 0);
	for (int i = 2; i < 5; i++) {
		assert_true(worker_pool_submit(b->pool, &t[i]));
		assert_int_equal(worker_pool_queued(b->pool), (size_t)(i - 1));
	}
	assert_int_equal(worker_pool_busy(b->pool), 2);

	liga(b, &b->portao_aberto);
	assert_true(espera_contador(b, &b->terminados, 5, ESPERA_MAX_MS));
	assert_int_equal(worker_pool_queued(b->pool), 0);
	/* A worker counts itself idle just after its run returns: give it that moment. */
	int64_t ate = monotonic_ns() + 2000 * MS;
	while (worker_pool_busy(b->pool) != 0 && monotonic_ns() < ate)
		pausa_ms(1);
	assert_int_equal(worker_pool_busy(b->pool), 0);
}

/* ---- submissions racing a close ---- */

#define SUBMISSORES   4
#define POR_SUBMISSOR 20000
#define RODADAS       10

struct job_corrida {
	atomic_int runs;
	atomic_int expires;
	bool aceito; /* worker_pool_submit said true */
};

struct corrida {
	struct worker_pool *pool;
	pthread_barrier_t largada;
	struct job_corrida *jobs;              /* SUBMISSORES * POR_SUBMISSOR */
	unsigned long aceitos_antes_de_fechar; /* the close starts after so many */
	atomic_ulong aceitos;
	atomic_bool fechando;              /* close is about to be called */
	atomic_bool fechado;               /* close returned */
	atomic_ulong durante;              /* submissions that began after fechando */
	atomic_ulong aceitos_apos_fechado; /* accepted though begun after close returned (a bug) */
	atomic_ulong motivo_invalido;      /* expire with another reason than the two */
};

struct submissor {
	struct corrida *c;
	unsigned id;
};

static unsigned executa_corrida(void *cls, void *job, void *ctx, int64_t waited_ns)
{
	struct job_corrida *j = job;

	(void)cls;
	(void)ctx;
	(void)waited_ns;
	atomic_fetch_add(&j->runs, 1);
	/* A little work, so that the queue fills and jobs expire in it (timeout or stopping). */
	struct timespec trabalho = {0, 20000};
	nanosleep(&trabalho, NULL);
	return 0;
}

static void expira_corrida(void *cls, void *job, enum worker_pool_refusal why)
{
	struct corrida *c = cls;
	struct job_corrida *j = job;

	if (why != POOL_QUEUE_TIMEOUT && why != POOL_STOPPING)
		atomic_fetch_add(&c->motivo_invalido, 1);
	atomic_fetch_add(&j->expires, 1);
}

static void *submete(void *arg)
{
	struct submissor *s = arg;
	struct corrida *c = s->c;

	pthread_barrier_wait(&c->largada);
	for (size_t i = 0; i < POR_SUBMISSOR; i++) {
		struct job_corrida *j = &c->jobs[s->id * POR_SUBMISSOR + i];
		for (;;) {
			bool fechando = atomic_load(&c->fechando);
			bool fechado = atomic_load(&c->fechado);
			if (fechando)
				atomic_fetch_add(&c->durante, 1);
			if (worker_pool_submit(c->pool, j)) {
				j->aceito = true;
				atomic_fetch_add(&c->aceitos, 1);
				if (fechado)
					atomic_fetch_add(&c->aceitos_apos_fechado, 1);
				break;
			}
			if (fechando)
				break; /* refused while closing: try the next one, once */
			sched_yield(); /* full: retry */
		}
		if (atomic_load(&c->fechado) && i + 1 < POR_SUBMISSOR) {
			/* One more after close returned: it must be refused. */
			struct job_corrida *k = &c->jobs[s->id * POR_SUBMISSOR + i + 1];
			if (worker_pool_submit(c->pool, k)) {
				k->aceito = true;
				atomic_fetch_add(&c->aceitos, 1);
				atomic_fetch_add(&c->aceitos_apos_fechado, 1);
			}
			break;
		}
	}
	return NULL;
}

static void *fecha_corrida(void *arg)
{
	struct corrida *c = arg;
	int64_t ate;

	pthread_barrier_wait(&c->largada);
	ate = monotonic_ns() + 30000 * MS;
	while (atomic_load(&c->aceitos) < c->aceitos_antes_de_fechar && monotonic_ns() < ate)
		sched_yield();
	atomic_store(&c->fechando, true);
	worker_pool_close(c->pool);
	atomic_store(&c->fechado, true);
	return NULL;
}

static void
test_worker_pool__submits_durante_close__cada_aceito_roda_ou_expira_uma_vez(void **state)
{
	(void)state;
	for (int rodada = 0; rodada < RODADAS; rodada++) {
		struct corrida c = {.aceitos_antes_de_fechar = 200 + 400 * (unsigned long)rodada};
		struct submissor s[SUBMISSORES];
		pthread_t subs[SUBMISSORES], fechador;
		struct worker_pool_config cfg = {
		    .name = "corrida",
		    .workers = 2,
		    .max_queued = 64,
		    .queue_timeout_ms = 2, /* the timer and the workers expire jobs too */
		    .cls = &c,
		    .run = executa_corrida,
		    .expire = expira_corrida,
		};
		char err[128] = "";
		unsigned long aceitos = 0, finais = 0;

		c.jobs = calloc(SUBMISSORES * POR_SUBMISSOR, sizeof *c.jobs);
		assert_non_null(c.jobs);
		c.pool = worker_pool_start(&cfg, err, sizeof err);
		if (!c.pool)
			fail_msg("worker_pool_start: %s", err);
		assert_int_equal(pthread_barrier_init(&c.largada, NULL, SUBMISSORES + 1), 0);
		for (unsigned i = 0; i < SUBMISSORES; i++) {
			s[i] = (struct submissor){.c = &c, .id = i};
			assert_int_equal(pthread_create(&subs[i], NULL, submete, &s[i]), 0);
		}
		assert_int_equal(pthread_create(&fechador, NULL, fecha_corrida, &c), 0);
		for (unsigned i = 0; i < SUBMISSORES; i++)
			pthread_join(subs[i], NULL);
		pthread_join(fechador, NULL);

		assert_int_equal(atomic_load(&c.aceitos_apos_fechado), 0);
		assert_int_equal(atomic_load(&c.motivo_invalido), 0);
		for (size_t i = 0; i < SUBMISSORES * POR_SUBMISSOR; i++) {
			struct job_corrida *j = &c.jobs[i];
			int runs = atomic_load(&j->runs), expires = atomic_load(&j->expires);
			if (j->aceito && runs + expires != 1)
				fail_msg("round %d: accepted job %zu run %d and expired %d times",
				         rodada, i, runs, expires);
			if (!j->aceito && runs + expires != 0)
				fail_msg("round %d: refused job %zu run %d and expired %d times",
				         rodada, i, runs, expires);
			aceitos += j->aceito;
			finais += (unsigned long)(runs + expires);
		}
		assert_int_equal(aceitos, atomic_load(&c.aceitos));
		assert_int_equal(finais, aceitos);
		assert_true(aceitos >= c.aceitos_antes_de_fechar);
		/* The close really raced submissions. */
		assert_true(atomic_load(&c.durante) > 0);
		assert_false(worker_pool_submit(c.pool, &c.jobs[0]));

		pthread_barrier_destroy(&c.largada);
		worker_pool_free(c.pool);
		free(c.jobs);
	}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_worker_pool__4_workers__4_jobs_ao_mesmo_tempo),
	    T(test_worker_pool__thread_start__contexto_do_proprio_worker_ate_o_thread_end),
	    T(test_worker_pool__fila_cheia__submit_recusado),
	    T(test_worker_pool__job_parado_na_fila__expirado_pelo_timer_com_worker_ocupado),
	    T(test_worker_pool__run__waited_ns_e_o_tempo_na_fila),
	    T(test_worker_pool__close__termina_os_em_curso_e_expira_os_na_fila),
	    T(test_worker_pool__busy_e_queued__o_que_acontece_agora),
	    cmocka_unit_test(
	        test_worker_pool__submits_durante_close__cada_aceito_roda_ou_expira_uma_vez),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}

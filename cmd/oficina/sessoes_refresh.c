/* The session registry's refresher (cmd layer; sessoes_refresh.h). */
#include "cmd/oficina/sessoes_refresh.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "domain/heap.h"
#include "domain/monotonic.h"
#include "infrastructure/log/log.h"
#include "infrastructure/postgres/pg_sessao_estados.h"

/* One load may take this long before it is given up (the next period tries again). */
#define LOAD_TIMEOUT_MS 2000

struct sessoes_refresh {
	struct pg_config pg; /* the server's, under its own application_name */
	struct pg_session session;
	struct sessao_estados estados;
	struct sessoes *reg;
	int period_ms;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* signalled by stop; waits on CLOCK_MONOTONIC */
	bool stopping;
	bool failing; /* the last load failed: say so once, and once when it recovers */
};

static void load(struct sessoes_refresh *r)
{
	struct timespec deadline = monotonic_in_ms(LOAD_TIMEOUT_MS);
	struct sessao_estado *e;
	size_t n;

	pg_session_serve(&r->session, NULL, &deadline);
	int rc = sessao_estados_carregar(&r->estados, &e, &n);
	pg_session_serve(&r->session, NULL, NULL);
	if (rc == 0)
		rc = sessoes_publicar(r->reg, e, n);
	if (rc != 0 && !r->failing)
		log_msg(LOG_LEVEL_WARN, NULL,
		        "sessions: cannot read the accounts' states; logouts, demotions and "
		        "deactivations wait for the database");
	else if (rc == 0 && r->failing)
		log_msg(LOG_LEVEL_INFO, NULL, "sessions: the accounts' states are current again");
	r->failing = rc != 0;
}

static void *run(void *arg)
{
	struct sessoes_refresh *r = arg;

	pthread_mutex_lock(&r->mu);
	while (!r->stopping) {
		struct timespec until =
		    monotonic_in_ms(r->period_ms); /* cv waits on CLOCK_MONOTONIC */
		while (!r->stopping && pthread_cond_timedwait(&r->cv, &r->mu, &until) != ETIMEDOUT)
			;
		if (r->stopping)
			break;
		pthread_mutex_unlock(&r->mu);
		load(r);
		pthread_mutex_lock(&r->mu);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

struct sessoes_refresh *sessoes_refresh_start(const struct pg_config *pg, struct sessoes *reg,
                                              int period_ms)
{
	struct sessoes_refresh *r = heap_calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->reg = reg;
	r->period_ms = period_ms;
	/* Told apart in pg_stat_activity and the server's log from the handler workers. */
	r->pg = *pg;
	r->pg.application_name = "oficina-sessoes";
	r->pg.park = r->pg.unpark = NULL; /* the refresher's thread is no worker */
	/* A clock jump must not delay or hurry a refresh: the waits count on the monotonic clock.
	 */
	pthread_condattr_t attr;
	bool cv_ready = pthread_condattr_init(&attr) == 0;
	if (cv_ready) {
		cv_ready = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
		           pthread_cond_init(&r->cv, &attr) == 0;
		pthread_condattr_destroy(&attr);
	}
	if (!cv_ready) {
		heap_free(r);
		return NULL;
	}
	pthread_mutex_init(&r->mu, NULL);
	pg_session_init(&r->session, &r->pg);
	pg_sessao_estados_init(&r->estados, &r->session);
	load(r);
	if (pthread_create(&r->thread, NULL, run, r) != 0) {
		pg_session_cleanup(&r->session);
		pthread_cond_destroy(&r->cv);
		pthread_mutex_destroy(&r->mu);
		heap_free(r);
		return NULL;
	}
	return r;
}

void sessoes_refresh_stop(struct sessoes_refresh *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->mu);
	r->stopping = true;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	pg_session_cleanup(&r->session);
	pthread_cond_destroy(&r->cv);
	pthread_mutex_destroy(&r->mu);
	heap_free(r);
}

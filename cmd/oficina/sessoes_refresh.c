/* The session registry's refresher (cmd layer; sessoes_refresh.h). */
#include "cmd/oficina/sessoes_refresh.h"

#include <stdbool.h>
#include <time.h>

#include "domain/heap.h"
#include "domain/monotonic.h"
#include "domain/periodic.h"
#include "infrastructure/log/log.h"
#include "infrastructure/postgres/pg_sessao_estados.h"

/* One load may take this long before it is given up (the next period tries again). */
#define LOAD_TIMEOUT_MS 2000

struct sessoes_refresh {
	struct pg_config pg; /* the server's, under its own application_name */
	struct pg_session session;
	struct sessao_estados estados;
	struct sessoes *reg;
	struct periodic refresher; /* calls load every period_ms */
	bool failing; /* the last load failed: say so once, and once when it recovers */
};

static void load(void *arg)
{
	struct sessoes_refresh *r = arg;
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

struct sessoes_refresh *sessoes_refresh_start(const struct pg_config *pg, struct sessoes *reg,
                                              int period_ms)
{
	struct sessoes_refresh *r = heap_calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->reg = reg;
	/* Told apart in pg_stat_activity and the server's log from the handler workers. */
	r->pg = *pg;
	r->pg.application_name = "oficina-sessoes";
	r->pg.park = r->pg.unpark = NULL; /* the refresher's thread is no worker */
	pg_session_init(&r->session, &r->pg);
	pg_sessao_estados_init(&r->estados, &r->session);
	load(r);
	if (periodic_start(&r->refresher, period_ms, load, r) != 0) {
		sessoes_refresh_stop(r); /* no thread to stop: releases the rest */
		return NULL;
	}
	return r;
}

void sessoes_refresh_stop(struct sessoes_refresh *r)
{
	if (!r)
		return;
	periodic_stop(&r->refresher);
	pg_session_cleanup(&r->session);
	heap_free(r);
}

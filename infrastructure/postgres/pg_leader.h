/*
 * Leadership among the replicas of one process kind, through a PostgreSQL advisory lock
 * (infrastructure layer). The relay runs two replicas so that one takes over at once when the
 * other dies, but only one may publish: events of one order must reach the broker in the order
 * they were written.
 *
 * The lock lives as long as this session: a leader that crashes or loses its connection releases
 * it (the server ends the session; TCP keepalives bound how long a silent peer holds it). The same
 * session LISTENs on a channel, so the leader sleeps until there is work instead of polling.
 * Every call is bounded by a deadline; a failure closes the session, and with it the leadership.
 */
#ifndef OFICINA_INFRASTRUCTURE_POSTGRES_PG_LEADER_H
#define OFICINA_INFRASTRUCTURE_POSTGRES_PG_LEADER_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

struct pg_leader {
	const char *url;     /* outlives l */
	const char *name;    /* application_name, shown in pg_stat_activity */
	int64_t key;         /* the advisory lock */
	const char *channel; /* LISTEN channel */
	PGconn *conn;        /* NULL while disconnected */
	bool leading;        /* this session holds the lock */
	char erro[256];      /* why the last call failed (no secret: never the URL) */
};

void pg_leader_init(struct pg_leader *l, const char *url, const char *name, int64_t key,
                    const char *channel);

/* Tries to lead: 1 leads (now or already), 0 another session leads, -1 on failure. */
int pg_leader_acquire(struct pg_leader *l, int timeout_ms);

/*
 * Waits up to timeout_ms for a notification on the channel: 1 one came (all pending are
 * consumed), 0 none, -1 the session is lost (and the leadership with it).
 */
int pg_leader_wait(struct pg_leader *l, int timeout_ms);

/* A round trip proving the session, and so the lock, is still there: 0 or -1. */
int pg_leader_check(struct pg_leader *l, int timeout_ms);

/* Closes the session: the lock is released. */
void pg_leader_release(struct pg_leader *l);

#endif

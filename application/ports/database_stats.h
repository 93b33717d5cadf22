/*
 * What the database adapter reports about itself for /metrics (application layer): plain data,
 * filled by the adapter (infrastructure/postgres/pg_session.c) and rendered by the presentation
 * layer. The counters only grow; the gauges are a snapshot.
 */
#ifndef OFICINA_APPLICATION_PORTS_DATABASE_STATS_H
#define OFICINA_APPLICATION_PORTS_DATABASE_STATS_H

#include <stdbool.h>

/* Upper bounds (seconds) of the statement round-trip histogram; a last bucket is +Inf. */
#define DATABASE_STATEMENT_BUCKETS                                                                 \
	{                                                                                          \
		0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1                 \
	}
#define DATABASE_STATEMENT_BOUNDS 11

/* The circuit breaker's state, as its gauge reports it. */
enum database_breaker {
	DATABASE_BREAKER_CLOSED = 0,
	DATABASE_BREAKER_OPEN = 1,
	DATABASE_BREAKER_HALF_OPEN = 2,
};

struct database_stats {
	int connections;               /* open now */
	unsigned long connects_failed; /* connection attempts that failed */
	unsigned long statements;      /* round trips (successful or not) */
	unsigned long
	    statement_buckets[DATABASE_STATEMENT_BOUNDS + 1]; /* by duration, not cumulative */
	double statement_seconds;                             /* their total time */
	unsigned long timeouts;                               /* statements stopped by a deadline */
	unsigned long transient_failures; /* serialisation failures and deadlocks */
	enum database_breaker breaker;    /* circuit breaker state now */
	unsigned long breaker_openings;   /* times it opened */
	bool replica;                     /* a read replica is configured (DATABASE_READ_URL) */
	bool replica_usable;              /* queries go to it now */
	long replica_lag_ms;              /* its lag by the last probe; -1: unknown */
};

#endif

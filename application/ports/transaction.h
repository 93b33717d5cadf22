/*
 * Port: a unit of work (application layer). Commands run their repository calls and outbox
 * appends between begin and commit so that a change and its events land together or not at all.
 */
#ifndef OFICINA_APPLICATION_PORTS_TRANSACTION_H
#define OFICINA_APPLICATION_PORTS_TRANSACTION_H

#include <stdbool.h>
#include <time.h>

struct transaction_ops {
	int (*begin)(void *self);     /* 0, APP_EUNAVAILABLE */
	int (*commit)(void *self);    /* 0, APP_EUNAVAILABLE, APP_ECONFLICT */
	void (*rollback)(void *self); /* safe to call when nothing is open */
	/*
	 * How many transactions have committed on this unit of work so far. The HTTP layer compares
	 * it around a handler to know whether a change was made even when the answer is an error.
	 */
	unsigned long (*committed)(void *self);
	/*
	 * The request this unit of work serves from now on: its correlation id (the database sees
	 * it, and so do the adapter's log lines) and its deadline (CLOCK_MONOTONIC; NULL: none).
	 * Work past the deadline fails with APP_ETIMEDOUT and nothing of it commits. Called with
	 * NULL, NULL once the request is done. Also clears the retryable flag.
	 */
	void (*serve)(void *self, const char *correlation_id, const struct timespec *deadline);
	/*
	 * Whether the last failure was transient (a serialisation failure or a deadlock): the
	 * transaction was rolled back and the whole command may run again.
	 */
	bool (*retryable)(void *self);
};

struct transaction {
	const struct transaction_ops *ops; /* static const table */
	void *self;                        /* adapter state */
};

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline int transaction_begin(const struct transaction *port)
{
	return port->ops->begin(port->self);
}

static inline int transaction_commit(const struct transaction *port)
{
	return port->ops->commit(port->self);
}

static inline void transaction_rollback(const struct transaction *port)
{
	port->ops->rollback(port->self);
}

static inline unsigned long transaction_committed(const struct transaction *port)
{
	return port->ops->committed(port->self);
}

static inline void transaction_serve(const struct transaction *port, const char *correlation_id,
                                     const struct timespec *deadline)
{
	port->ops->serve(port->self, correlation_id, deadline);
}

static inline bool transaction_retryable(const struct transaction *port)
{
	return port->ops->retryable(port->self);
}

#endif

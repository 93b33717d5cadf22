/*
 * The unit of work in PostgreSQL (infrastructure layer): the transaction port over a worker's
 * session, whose BEGIN travels with the first statement (pg_session.h).
 */
#include "infrastructure/postgres/pg_repos.h"

static int tx_begin(void *self)
{
	return pg_session_begin(self);
}

static int tx_commit(void *self)
{
	return pg_session_commit(self);
}

static void tx_rollback(void *self)
{
	pg_session_rollback(self);
}

static unsigned long tx_committed(void *self)
{
	return ((struct pg_session *)self)->committed;
}

static void tx_serve(void *self, const char *correlation_id, const struct timespec *deadline)
{
	pg_session_serve(self, correlation_id, deadline);
}

static bool tx_retryable(void *self)
{
	return pg_session_retryable(self);
}

static const struct transaction_ops tx_ops = {
    .committed = tx_committed,
    .begin = tx_begin,
    .commit = tx_commit,
    .rollback = tx_rollback,
    .serve = tx_serve,
    .retryable = tx_retryable,
};

void pg_transaction_init(struct transaction *tx, struct pg_session *s)
{
	tx->ops = &tx_ops;
	tx->self = s;
}

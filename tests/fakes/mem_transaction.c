/* In-memory unit of work over the in-memory stores (tests/fakes). */
#include "tests/fakes/mem_transaction.h"

#include <assert.h>
#include <string.h>

void mem_transaction_init(struct mem_transaction *tx)
{
	memset(tx, 0, sizeof *tx);
}

void mem_transaction_reset_counters(struct mem_transaction *tx)
{
	tx->begins = 0;
	tx->commits = 0;
	tx->rollbacks = 0;
	tx->undone = 0;
	fake_fault_arm(&tx->begin_fault, 0, 0);
	fake_fault_arm(&tx->commit_fault, 0, 0);
}

void mem_transaction_enlist(struct mem_transaction *tx, const struct mem_tx_member *m)
{
	assert(tx->n_members < MEM_TX_MEMBERS_MAX);
	tx->members[tx->n_members++] = *m;
}

static void restore_all(struct mem_transaction *tx)
{
	for (size_t i = 0; i < tx->n_members; i++)
		tx->members[i].restore(tx->members[i].self);
	tx->open = false;
	tx->undone++;
}

static int begin(void *self)
{
	struct mem_transaction *tx = self;
	int rc;

	tx->begins++;
	if ((rc = fake_fault_hit(&tx->begin_fault)) != 0)
		return rc;
	if (tx->open)
		return APP_EINTERNAL;
	for (size_t i = 0; i < tx->n_members; i++) {
		if ((rc = tx->members[i].snapshot(tx->members[i].self)) != 0) {
			while (i-- > 0)
				tx->members[i].release(tx->members[i].self);
			return rc;
		}
	}
	tx->open = true;
	return 0;
}

static int commit(void *self)
{
	struct mem_transaction *tx = self;
	int rc;

	tx->commits++;
	if (!tx->open)
		return APP_EINTERNAL;
	if ((rc = fake_fault_hit(&tx->commit_fault)) != 0) {
		restore_all(tx);
		return rc;
	}
	for (size_t i = 0; i < tx->n_members; i++)
		tx->members[i].release(tx->members[i].self);
	tx->open = false;
	tx->committed++;
	return 0;
}

static unsigned long committed(void *self)
{
	return ((struct mem_transaction *)self)->committed;
}

static void rollback(void *self)
{
	struct mem_transaction *tx = self;

	tx->rollbacks++;
	if (tx->open)
		restore_all(tx);
}

static void serve(void *self, const char *correlation_id, const struct timespec *deadline)
{
	struct mem_transaction *tx = self;

	(void)correlation_id;
	(void)deadline;
	tx->serves++;
	tx->retryable = false;
}

static bool retryable(void *self)
{
	return ((struct mem_transaction *)self)->retryable;
}

static const struct transaction_ops ops = {
    .begin = begin,
    .commit = commit,
    .rollback = rollback,
    .committed = committed,
    .serve = serve,
    .retryable = retryable,
};

void mem_transaction_port(struct mem_transaction *tx, struct transaction *port)
{
	port->ops = &ops;
	port->self = tx;
}

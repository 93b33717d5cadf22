/*
 * Port: a unit of work (application layer). Commands run their repository calls and outbox
 * appends between begin and commit so that a change and its events land together or not at all.
 */
#ifndef OFICINA_APPLICATION_PORTS_TRANSACTION_H
#define OFICINA_APPLICATION_PORTS_TRANSACTION_H

struct transaction_ops {
	int (*begin)(void *self);     /* 0, APP_EUNAVAILABLE */
	int (*commit)(void *self);    /* 0, APP_EUNAVAILABLE, APP_ECONFLICT */
	void (*rollback)(void *self); /* safe to call when nothing is open */
	/*
	 * How many transactions have committed on this unit of work so far. The HTTP layer compares
	 * it around a handler to know whether a change was made even when the answer is an error.
	 */
	unsigned long (*committed)(void *self);
};

struct transaction {
	const struct transaction_ops *ops; /* static const table */
	void *self;                        /* adapter state */
};

#endif

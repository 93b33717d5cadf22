/*
 * A thread that runs a tick every period until it is stopped (domain layer: the lowest, so every
 * layer may use it; libc only, POSIX threads being part of glibc). For the background chores of
 * the server: rereading the accounts' states, probing the database, closing slow clients,
 * expiring jobs that waited too long.
 *
 * The period counts from the end of one tick to the start of the next, on the monotonic clock (a
 * clock jump neither delays nor hurries a tick), and every wait has that deadline. The thread
 * sleeps on a condition variable in between: periodic_stop wakes it at once, so stopping costs at
 * most the tick in progress, never a period, and an idle thread costs no wake-ups.
 */
#ifndef OFICINA_DOMAIN_PERIODIC_H
#define OFICINA_DOMAIN_PERIODIC_H

#include <pthread.h>
#include <stdbool.h>

/* The caller's storage; its fields belong to periodic.c. */
struct periodic {
	void (*tick)(void *arg); /* runs on the thread, with no lock of periodic.c held */
	void *arg;               /* tick's */
	long period_ms;          /* from the end of a tick to the start of the next */
	pthread_t thread;
	pthread_mutex_t lock; /* stopping */
	pthread_cond_t wake;  /* signalled by periodic_stop; waits on CLOCK_MONOTONIC */
	bool stopping;        /* under lock: the thread leaves at its next look */
	bool running;         /* started and not yet stopped (the owner's thread only) */
};

/*
 * Starts the thread: tick(arg) period_ms from now, then period_ms after each tick returns, until
 * periodic_stop. p must be zeroed (heap_calloc, = {0}) or stopped, and stay where it is until
 * periodic_stop; arg must outlive the thread. 0; APP_EINVALID for a period_ms under 1; or
 * APP_ENOMEM when no thread (or no condition variable for it) can be had. On failure p is left as
 * if stopped.
 */
int periodic_start(struct periodic *p, long period_ms, void (*tick)(void *arg), void *arg);

/*
 * Wakes the thread, waits for the tick in progress (if any) to return, joins the thread and
 * releases what periodic_start made. Does nothing on a zeroed p that was never started, after a
 * failed start, or a second time. Never from tick itself.
 */
void periodic_stop(struct periodic *p);

#endif

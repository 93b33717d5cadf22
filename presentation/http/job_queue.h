/*
 * A bounded first-in first-out queue of jobs shared by the I/O threads (producers) and the
 * handler workers (consumers), without a lock (presentation layer). It is Dmitry Vyukov's bounded
 * MPMC ring: each cell carries a sequence number that tells producers and consumers whose turn it
 * is, so a push or a pop is one compare-and-swap on a position counter in the common case.
 *
 * Each job remembers when it was queued, so that the oldest one can be taken out when it has
 * waited too long (job_queue_pop_older) while the others keep their place.
 */
#ifndef OFICINA_PRESENTATION_HTTP_JOB_QUEUE_H
#define OFICINA_PRESENTATION_HTTP_JOB_QUEUE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct job_queue_cell {
	atomic_size_t seq;         /* whose turn: position (free) or position + 1 (holds a job) */
	_Atomic(void *) job;       /* the job while the cell holds one */
	_Atomic int64_t queued_ns; /* monotonic time of the push */
};

struct job_queue {
	struct job_queue_cell *cells;           /* a power of two of them */
	size_t mask;                            /* cells - 1 */
	size_t max;                             /* jobs waiting at most (<= cells) */
	_Alignas(64) atomic_size_t count;       /* jobs waiting now */
	_Alignas(64) atomic_size_t enqueue_pos; /* next position to fill */
	_Alignas(64) atomic_size_t dequeue_pos; /* next position to take */
};

/* Prepares q for at most max jobs (max >= 1). 0, or APP_ENOMEM. */
int job_queue_init(struct job_queue *q, size_t max);

/* Frees the cells (the jobs still queued are not touched). Accepts NULL. */
void job_queue_cleanup(struct job_queue *q);

/* Queues job (not NULL) at time now_ns. False when max jobs already wait: nothing is queued. */
bool job_queue_push(struct job_queue *q, void *job, int64_t now_ns);

/* Takes the oldest job, or NULL when none waits; *queued_ns gets its push time. */
void *job_queue_pop(struct job_queue *q, int64_t *queued_ns);

/*
 * Takes the oldest job only if it was pushed before before_ns; NULL otherwise (and when none
 * waits). *queued_ns gets its push time.
 */
void *job_queue_pop_older(struct job_queue *q, int64_t before_ns, int64_t *queued_ns);

/* Jobs waiting now (a snapshot). */
size_t job_queue_depth(struct job_queue *q);

#endif

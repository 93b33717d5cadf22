/* Bounded lock-free MPMC queue of jobs (presentation layer); see job_queue.h. */
#include "presentation/http/job_queue.h"

#include <stdlib.h>

#include "domain/errors.h"
#include "domain/heap.h"

int job_queue_init(struct job_queue *q, size_t max)
{
	size_t cells = 1;

	while (cells < max)
		cells <<= 1;
	q->cells = heap_calloc(cells, sizeof *q->cells);
	if (!q->cells)
		return APP_ENOMEM;
	for (size_t i = 0; i < cells; i++) {
		atomic_init(&q->cells[i].seq, i);
		atomic_init(&q->cells[i].job, NULL);
		atomic_init(&q->cells[i].queued_ns, 0);
	}
	q->mask = cells - 1;
	q->max = max;
	atomic_init(&q->count, 0);
	atomic_init(&q->enqueue_pos, 0);
	atomic_init(&q->dequeue_pos, 0);
	return 0;
}

void job_queue_cleanup(struct job_queue *q)
{
	if (!q)
		return;
	heap_free(q->cells);
	q->cells = NULL;
}

bool job_queue_push(struct job_queue *q, void *job, int64_t now_ns)
{
	struct job_queue_cell *cell;
	size_t pos;

	/*
	 * The count is taken before a cell and given back only after a consumer has freed its
	 * cell, so at most max cells are ever in use and the ring (>= max cells) cannot be full.
	 */
	if (atomic_fetch_add_explicit(&q->count, 1, memory_order_relaxed) >= q->max) {
		atomic_fetch_sub_explicit(&q->count, 1, memory_order_relaxed);
		return false;
	}
	pos = atomic_load_explicit(&q->enqueue_pos, memory_order_relaxed);
	for (;;) {
		cell = &q->cells[pos & q->mask];
		size_t seq = atomic_load_explicit(&cell->seq, memory_order_acquire);
		intptr_t dif = (intptr_t)seq - (intptr_t)pos;
		if (dif == 0) {
			if (atomic_compare_exchange_weak_explicit(&q->enqueue_pos, &pos, pos + 1,
			                                          memory_order_relaxed,
			                                          memory_order_relaxed))
				break;
		} else if (dif < 0) {
			/* Unreachable by the count above; refuse rather than overwrite. */
			atomic_fetch_sub_explicit(&q->count, 1, memory_order_relaxed);
			return false;
		} else {
			pos = atomic_load_explicit(&q->enqueue_pos, memory_order_relaxed);
		}
	}
	atomic_store_explicit(&cell->job, job, memory_order_relaxed);
	atomic_store_explicit(&cell->queued_ns, now_ns, memory_order_relaxed);
	atomic_store_explicit(&cell->seq, pos + 1, memory_order_release);
	return true;
}

/*
 * Takes the job at the head when it was pushed before before_ns. The job and its time are read
 * before the compare-and-swap: when it succeeds nobody else took that position, so the cell
 * still holds what was read (its producer published it, and no later producer may reuse it
 * until this consumer frees it).
 */
static void *pop_before(struct job_queue *q, int64_t before_ns, int64_t *queued_ns)
{
	size_t pos = atomic_load_explicit(&q->dequeue_pos, memory_order_relaxed);

	for (;;) {
		struct job_queue_cell *cell = &q->cells[pos & q->mask];
		size_t seq = atomic_load_explicit(&cell->seq, memory_order_acquire);
		intptr_t dif = (intptr_t)seq - (intptr_t)(pos + 1);
		if (dif == 0) {
			int64_t t = atomic_load_explicit(&cell->queued_ns, memory_order_relaxed);
			void *job = atomic_load_explicit(&cell->job, memory_order_relaxed);
			if (t >= before_ns)
				return NULL;
			if (atomic_compare_exchange_weak_explicit(&q->dequeue_pos, &pos, pos + 1,
			                                          memory_order_relaxed,
			                                          memory_order_relaxed)) {
				atomic_store_explicit(&cell->seq, pos + q->mask + 1,
				                      memory_order_release);
				atomic_fetch_sub_explicit(&q->count, 1, memory_order_relaxed);
				if (queued_ns)
					*queued_ns = t;
				return job;
			}
		} else if (dif < 0) {
			return NULL; /* empty */
		} else {
			pos = atomic_load_explicit(&q->dequeue_pos, memory_order_relaxed);
		}
	}
}

void *job_queue_pop(struct job_queue *q, int64_t *queued_ns)
{
	return pop_before(q, INT64_MAX, queued_ns);
}

void *job_queue_pop_older(struct job_queue *q, int64_t before_ns, int64_t *queued_ns)
{
	return pop_before(q, before_ns, queued_ns);
}

size_t job_queue_depth(struct job_queue *q)
{
	return atomic_load_explicit(&q->count, memory_order_relaxed);
}

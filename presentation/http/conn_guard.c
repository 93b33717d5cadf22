/* Read deadlines for slow clients (presentation layer); see conn_guard.h. */
#include "presentation/http/conn_guard.h"
#include "domain/heap.h"
#include "domain/monotonic.h"
#include "domain/periodic.h"

#include <linux/tcp.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

#define SWEEP_PERIOD_MS 250

enum phase { PHASE_IDLE, PHASE_READING, PHASE_HANDLING };

struct conn_list;

struct guarded_conn {
	int fd;                           /* the socket (open until conn_guard_closed returns) */
	struct conn_list *list;           /* of the I/O thread that owns the connection */
	struct guarded_conn *prev, *next; /* in list, under its lock */
	atomic_int phase;                 /* enum phase */
	atomic_uint generation;           /* bumped at each phase change */
	_Atomic int64_t since_ns;         /* when the phase began */
	/* The sweeper's own notes about the current idle period (sweeper thread only). */
	unsigned seen_generation;  /* the period they are about */
	bool have_baseline;        /* baseline_bytes is set */
	uint64_t baseline_bytes;   /* bytes received when the period was first seen */
	int64_t dripping_since_ns; /* when new bytes were first seen, or 0 */
};

/* The connections of one I/O thread. */
struct conn_list {
	pthread_mutex_t lock;      /* that thread (open/close) and the sweeper */
	struct guarded_conn *head; /* its connections */
	struct conn_list *next;    /* in the guard */
};

struct conn_guard {
	int read_timeout_ms;        /* to receive a whole request */
	pthread_mutex_t lists_lock; /* adding a thread's list (once per I/O thread) */
	struct conn_list *lists;    /* one per I/O thread */
	struct periodic sweeper;    /* calls sweep every SWEEP_PERIOD_MS */
	atomic_ulong closed_slow;   /* connections shut down by the sweeper */
};

/* This thread's list (an I/O thread serves one daemon, so one guard). */
static _Thread_local struct {
	struct conn_guard *guard;
	struct conn_list *list;
} mine;

static void set_phase(struct guarded_conn *c, enum phase p)
{
	if (!c)
		return;
	atomic_store_explicit(&c->since_ns, monotonic_ns(), memory_order_relaxed);
	atomic_store_explicit(&c->phase, p, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->generation, 1, memory_order_release);
}

void conn_guard_reading(struct guarded_conn *c)
{
	set_phase(c, PHASE_READING);
}

void conn_guard_handling(struct guarded_conn *c)
{
	set_phase(c, PHASE_HANDLING);
}

void conn_guard_idle(struct guarded_conn *c)
{
	set_phase(c, PHASE_IDLE);
}

static struct conn_list *my_list(struct conn_guard *g)
{
	struct conn_list *l;

	if (mine.guard == g)
		return mine.list;
	if (!(l = heap_calloc(1, sizeof *l)))
		return NULL;
	pthread_mutex_init(&l->lock, NULL);
	pthread_mutex_lock(&g->lists_lock);
	l->next = g->lists;
	g->lists = l;
	pthread_mutex_unlock(&g->lists_lock);
	mine.guard = g;
	mine.list = l;
	return l;
}

struct guarded_conn *conn_guard_opened(struct conn_guard *g, int fd)
{
	struct conn_list *l = g ? my_list(g) : NULL;
	struct guarded_conn *c = l ? heap_calloc(1, sizeof *c) : NULL;

	if (!c)
		return NULL;
	c->fd = fd;
	c->list = l;
	atomic_init(&c->phase, PHASE_IDLE);
	atomic_init(&c->generation, 0);
	atomic_init(&c->since_ns, monotonic_ns());
	c->seen_generation = (unsigned)-1;
	pthread_mutex_lock(&l->lock);
	c->next = l->head;
	if (l->head)
		l->head->prev = c;
	l->head = c;
	pthread_mutex_unlock(&l->lock);
	return c;
}

void conn_guard_closed(struct guarded_conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->list->lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		c->list->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&c->list->lock);
	heap_free(c);
}

/* Bytes the kernel has received on the socket so far; false when it cannot tell. */
static bool bytes_received(int fd, uint64_t *out)
{
	struct tcp_info ti;
	socklen_t len = sizeof ti;

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 ||
	    len < offsetof(struct tcp_info, tcpi_bytes_received) + sizeof ti.tcpi_bytes_received)
		return false;
	*out = ti.tcpi_bytes_received;
	return true;
}

/* Whether c has been receiving one request for too long. Under its list's lock. */
static bool too_slow(struct conn_guard *g, struct guarded_conn *c, int64_t now)
{
	int64_t limit = (int64_t)g->read_timeout_ms * 1000000;
	unsigned generation = atomic_load_explicit(&c->generation, memory_order_acquire);
	int phase = atomic_load_explicit(&c->phase, memory_order_relaxed);
	uint64_t bytes;

	if (generation != c->seen_generation) {
		c->seen_generation = generation;
		c->have_baseline = false;
		c->dripping_since_ns = 0;
	}
	if (phase == PHASE_READING)
		return now - atomic_load_explicit(&c->since_ns, memory_order_relaxed) > limit;
	if (phase != PHASE_IDLE || !bytes_received(c->fd, &bytes))
		return false;
	if (!c->have_baseline) {
		c->have_baseline = true;
		c->baseline_bytes = bytes;
	} else if (bytes != c->baseline_bytes && !c->dripping_since_ns) {
		c->dripping_since_ns = now; /* a request line is arriving, slowly */
	}
	return c->dripping_since_ns && now - c->dripping_since_ns > limit;
}

/* One pass over every connection: shuts down those too slow (the sweeper's tick). */
static void sweep(void *arg)
{
	struct conn_guard *g = arg;

	pthread_mutex_lock(&g->lists_lock);
	struct conn_list *lists = g->lists;
	pthread_mutex_unlock(&g->lists_lock);
	int64_t now = monotonic_ns();
	for (struct conn_list *l = lists; l; l = l->next) {
		pthread_mutex_lock(&l->lock);
		for (struct guarded_conn *c = l->head; c; c = c->next) {
			/*
			 * The fd stays open while c is listed (libmicrohttpd closes it after the
			 * CLOSED notification, which unlists c under this lock), so this never
			 * touches a reused descriptor.
			 */
			if (too_slow(g, c, now) && shutdown(c->fd, SHUT_RDWR) == 0) {
				atomic_fetch_add(&g->closed_slow, 1);
				c->seen_generation = (unsigned)-1; /* count it once */
				atomic_store(&c->phase, PHASE_HANDLING);
			}
		}
		pthread_mutex_unlock(&l->lock);
	}
}

struct conn_guard *conn_guard_start(int read_timeout_ms)
{
	struct conn_guard *g = heap_calloc(1, sizeof *g);

	if (!g)
		return NULL;
	g->read_timeout_ms = read_timeout_ms;
	pthread_mutex_init(&g->lists_lock, NULL);
	atomic_init(&g->closed_slow, 0);
	if (periodic_start(&g->sweeper, SWEEP_PERIOD_MS, sweep, g) != 0) {
		conn_guard_stop(g); /* no thread to stop: releases the rest */
		return NULL;
	}
	return g;
}

void conn_guard_stop(struct conn_guard *g)
{
	if (!g)
		return;
	periodic_stop(&g->sweeper);
	while (g->lists) {
		struct conn_list *l = g->lists;
		g->lists = l->next;
		pthread_mutex_destroy(&l->lock);
		heap_free(l);
	}
	pthread_mutex_destroy(&g->lists_lock);
	heap_free(g);
}

unsigned long conn_guard_closed_slow(struct conn_guard *g)
{
	return g ? atomic_load(&g->closed_slow) : 0;
}

/*
 * A circuit breaker in front of one dependency — a database, the broker —, shared by everything
 * that connects to it (infrastructure layer). Lock-free: a few atomics.
 *
 * Closed: callers connect when they need to. After `threshold` connection attempts in a row
 * fail, it opens: for a back-off period nobody tries (callers answer 503 at once, spending no
 * thread time on a database that is down). When the period ends, one caller becomes the probe
 * (half-open) while everyone else is still refused; the probe's success closes the breaker, its
 * failure opens it again for twice as long (exponential, with jitter, up to max_ms).
 */
#ifndef OFICINA_INFRASTRUCTURE_RESILIENCE_CIRCUIT_BREAKER_H
#define OFICINA_INFRASTRUCTURE_RESILIENCE_CIRCUIT_BREAKER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

enum circuit_breaker_state {
	CIRCUIT_BREAKER_CLOSED = 0,
	CIRCUIT_BREAKER_OPEN = 1,
	CIRCUIT_BREAKER_HALF_OPEN = 2,
};

struct circuit_breaker {
	unsigned threshold;          /* consecutive failed connects that open it */
	int base_ms;                 /* first open period */
	int max_ms;                  /* longest open period */
	atomic_int state;            /* enum circuit_breaker_state */
	atomic_uint failures;        /* consecutive failed connects while closed */
	atomic_uint opened_in_a_row; /* openings since it was last closed (the back-off exponent) */
	_Atomic int64_t open_until_ns; /* monotonic end of the current open period */
	atomic_ulong openings;         /* times it opened, for metrics */
};

/* A closed breaker; threshold >= 1, 1 <= base_ms <= max_ms. */
void circuit_breaker_init(struct circuit_breaker *b, unsigned threshold, int base_ms, int max_ms);

/*
 * Whether the caller may try to connect now. Closed: yes. Open: no, until the period ends; then
 * yes for exactly one caller, which becomes the half-open probe and must report its outcome
 * with circuit_breaker_success, circuit_breaker_failure or circuit_breaker_inconclusive.
 * Half-open: no.
 */
bool circuit_breaker_allow(struct circuit_breaker *b);

/* A connection attempt succeeded: closes the breaker and forgets the failures. */
void circuit_breaker_success(struct circuit_breaker *b);

/* A connection attempt failed (the server refused, or did not answer in time). */
void circuit_breaker_failure(struct circuit_breaker *b);

/*
 * A connection attempt ended without news of the server: the caller's own deadline passed
 * first. A half-open breaker opens again with its period already over, so that the next caller
 * is the probe (unreported, the probe would keep it half-open, refusing every connection, for
 * good). Otherwise nothing changes.
 */
void circuit_breaker_inconclusive(struct circuit_breaker *b);

/* Whether requests should be refused at once: open and within its period. */
bool circuit_breaker_rejecting(struct circuit_breaker *b);

/* The state now (for metrics). */
enum circuit_breaker_state circuit_breaker_state(struct circuit_breaker *b);

#endif

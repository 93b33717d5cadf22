/* The circuit breaker in front of a database (infrastructure layer); see circuit_breaker.h. */
#include "infrastructure/resilience/circuit_breaker.h"

#include "domain/monotonic.h"

void circuit_breaker_init(struct circuit_breaker *b, unsigned threshold, int base_ms, int max_ms)
{
	b->threshold = threshold ? threshold : 1;
	b->base_ms = base_ms > 0 ? base_ms : 1;
	b->max_ms = max_ms >= b->base_ms ? max_ms : b->base_ms;
	atomic_init(&b->state, CIRCUIT_BREAKER_CLOSED);
	atomic_init(&b->failures, 0);
	atomic_init(&b->opened_in_a_row, 0);
	atomic_init(&b->open_until_ns, 0);
	atomic_init(&b->openings, 0);
}

/*
 * Opens for base_ms << (openings in a row), at most max_ms, with "equal jitter": half of the
 * period fixed, the other half random, so that many pods do not probe in step.
 */
static void open_now(struct circuit_breaker *b)
{
	unsigned n = atomic_fetch_add(&b->opened_in_a_row, 1);
	int64_t period = b->base_ms;
	while (n-- > 0 && period < b->max_ms)
		period *= 2;
	if (period > b->max_ms)
		period = b->max_ms;
	/* The end first: a caller that sees the state open must see this period. */
	atomic_store(&b->open_until_ns, monotonic_ns() + monotonic_equal_jitter(period * 1000000));
	atomic_fetch_add(&b->openings, 1);
	atomic_store(&b->state, CIRCUIT_BREAKER_OPEN);
}

bool circuit_breaker_allow(struct circuit_breaker *b)
{
	int state = atomic_load(&b->state);

	if (state == CIRCUIT_BREAKER_CLOSED)
		return true;
	if (state == CIRCUIT_BREAKER_HALF_OPEN)
		return false;
	int64_t until = atomic_load(&b->open_until_ns);
	if (monotonic_ns() < until)
		return false;
	/*
	 * The period is over: the one caller that claims it is the probe. The claim is on the
	 * period's end, not on the state: every opening writes a new end, so a caller that read
	 * an old period cannot win the claim of a newer one (the state alone would let it).
	 */
	if (!atomic_compare_exchange_strong(&b->open_until_ns, &until, INT64_MAX))
		return false;
	int open = CIRCUIT_BREAKER_OPEN;
	atomic_compare_exchange_strong(&b->state, &open, CIRCUIT_BREAKER_HALF_OPEN);
	return true; /* (closed by a success meanwhile: it stays closed, and allows anyway) */
}

/* Any success closes it, the probe's or a connection attempt let in before it opened. */
void circuit_breaker_success(struct circuit_breaker *b)
{
	atomic_store(&b->failures, 0);
	atomic_store(&b->opened_in_a_row, 0);
	atomic_store(&b->state, CIRCUIT_BREAKER_CLOSED);
}

void circuit_breaker_failure(struct circuit_breaker *b)
{
	int state = atomic_load(&b->state);

	if (state == CIRCUIT_BREAKER_HALF_OPEN) {
		/* The probe failed (or an attempt let in before it opened: the same news). */
		open_now(b);
	} else if (state == CIRCUIT_BREAKER_CLOSED &&
	           atomic_fetch_add(&b->failures, 1) + 1 == b->threshold) {
		/* Exactly one caller reaches the threshold: it opens the breaker. */
		open_now(b);
		atomic_store(&b->failures, 0);
	}
}

void circuit_breaker_inconclusive(struct circuit_breaker *b)
{
	/*
	 * Half-open, the period's end is INT64_MAX (the probe's claim). Only that claim is given
	 * back: a failure that opened a new period meanwhile wrote a new end, which stays.
	 */
	int64_t claimed = INT64_MAX;
	if (atomic_load(&b->state) != CIRCUIT_BREAKER_HALF_OPEN ||
	    !atomic_compare_exchange_strong(&b->open_until_ns, &claimed, monotonic_ns()))
		return;
	int half_open = CIRCUIT_BREAKER_HALF_OPEN;
	atomic_compare_exchange_strong(&b->state, &half_open, CIRCUIT_BREAKER_OPEN);
}

bool circuit_breaker_rejecting(struct circuit_breaker *b)
{
	return atomic_load(&b->state) == CIRCUIT_BREAKER_OPEN &&
	       monotonic_ns() < atomic_load(&b->open_until_ns);
}

enum circuit_breaker_state circuit_breaker_state(struct circuit_breaker *b)
{
	return (enum circuit_breaker_state)atomic_load(&b->state);
}

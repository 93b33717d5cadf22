/*
 * The monotonic clock, as every deadline and duration of the server reads it (domain layer: the
 * lowest, so every layer may use it; libc only). Deadlines are struct timespec (what poll
 * arithmetic and the ports carry), instants for arithmetic are nanoseconds.
 */
#ifndef OFICINA_DOMAIN_MONOTONIC_H
#define OFICINA_DOMAIN_MONOTONIC_H

#include <stdint.h>
#include <time.h>

/* Now. */
struct timespec monotonic_now(void);

/* Now, in nanoseconds. */
int64_t monotonic_ns(void);

/* t in nanoseconds, and back. */
int64_t monotonic_to_ns(const struct timespec *t);
struct timespec monotonic_from_ns(int64_t ns);

/* t plus ms milliseconds. */
struct timespec monotonic_add_ms(struct timespec t, long ms);

/* Now plus ms milliseconds: a deadline. */
struct timespec monotonic_in_ms(long ms);

/* Milliseconds left until t: zero or negative once it has passed. */
long monotonic_ms_until(const struct timespec *t);

/* Milliseconds since t. */
long monotonic_ms_since(const struct timespec *t);

/* Seconds since t. */
double monotonic_seconds_since(const struct timespec *t);

/*
 * "Equal jitter" of a span (in any unit): half of it fixed, the other half random, from a
 * per-thread generator (no shared state, no lock), so that clients that failed together do not
 * try again together. span / 2 plus a value in [0, span / 2).
 */
int64_t monotonic_equal_jitter(int64_t span);

#endif

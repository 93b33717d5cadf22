/*
 * A clock that tests set by hand (tests/fakes). struct app takes its clock as a plain function
 * pointer with no state, so the pinned time is process-wide: fake_app_init sets it to
 * FAKE_CLOCK_PADRAO, and a test may move it with fake_clock_set or fake_clock_advance.
 */
#ifndef OFICINA_TESTS_FAKES_FAKE_CLOCK_H
#define OFICINA_TESTS_FAKES_FAKE_CLOCK_H

#include <time.h>

#include "domain/cliente.h"

#define FAKE_CLOCK_PADRAO ((time_t)1795435200) /* 2026-11-23T12:00:00Z */

/* Pins the clock at t (seconds since the epoch). */
void fake_clock_set(time_t t);

/* Moves the pinned clock by secs (may be negative). */
void fake_clock_advance(long secs);

/* The pinned time; this is what goes into struct app's agora. */
time_t fake_clock_now(void);

/* Writes t as RFC 3339 in UTC ("2026-11-23T12:00:00Z") into out (caller-owned). */
void fake_rfc3339(time_t t, char out[TIMESTAMP_BYTES]);

#endif

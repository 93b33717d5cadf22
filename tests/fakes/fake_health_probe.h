/*
 * A database readiness probe for unit tests (tests/fakes): answers 0 unless the test marked the
 * database down (every ping fails) or armed a fault (the next ping fails).
 */
#ifndef OFICINA_TESTS_FAKES_FAKE_HEALTH_PROBE_H
#define OFICINA_TESTS_FAKES_FAKE_HEALTH_PROBE_H

#include <stdbool.h>

#include "application/ports/health_probe.h"
#include "tests/fakes/fake_fault.h"

struct fake_health_probe {
	bool down;               /* every ping answers APP_EUNAVAILABLE */
	struct fake_fault fault; /* arms one failing ping */
	long pings;              /* calls of ping */
};

/* Up, counters at zero. Nothing to release. */
void fake_health_probe_init(struct fake_health_probe *p);

/* Points port at p; p must outlive the port. */
void fake_health_probe_port(struct fake_health_probe *p, struct health_probe *port);

#endif

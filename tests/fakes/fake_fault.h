/*
 * Failure injection shared by every fake and in-memory adapter (tests/fakes, unit tests only).
 * A test arms a fault on one fake; the adapter consults it at the start of each call, so the
 * armed call answers the chosen code without doing anything, the way a dropped connection would.
 * Header only: the helpers are tiny and every fake uses them.
 */
#ifndef OFICINA_TESTS_FAKES_FAKE_FAULT_H
#define OFICINA_TESTS_FAKES_FAKE_FAULT_H

#include "domain/errors.h"

struct fake_fault {
	int code; /* what the failing call answers; 0 when disarmed */
	int skip; /* calls that still succeed before the failing one */
};

/* Makes the call after `skip` successful ones answer code (a negative enum app_err), once. */
static inline void fake_fault_arm(struct fake_fault *f, int skip, int code)
{
	f->skip = skip;
	f->code = code;
}

/* The next call answers APP_EUNAVAILABLE, as if the database had gone away. */
static inline void fake_fault_next(struct fake_fault *f)
{
	fake_fault_arm(f, 0, APP_EUNAVAILABLE);
}

/* Called by an adapter at the start of each call: 0 to go on, or the code to answer now. */
static inline int fake_fault_hit(struct fake_fault *f)
{
	int code;

	if (f->code == 0)
		return 0;
	if (f->skip > 0) {
		f->skip--;
		return 0;
	}
	code = f->code;
	f->code = 0;
	return code;
}

#endif

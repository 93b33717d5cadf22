/* A clock that tests set by hand (tests/fakes). */
#include "tests/fakes/fake_clock.h"

static time_t pinned = FAKE_CLOCK_PADRAO;

void fake_clock_set(time_t t)
{
	pinned = t;
}

void fake_clock_advance(long secs)
{
	pinned += secs;
}

time_t fake_clock_now(void)
{
	return pinned;
}

void fake_rfc3339(time_t t, char out[TIMESTAMP_BYTES])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, TIMESTAMP_BYTES, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

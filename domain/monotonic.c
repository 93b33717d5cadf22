/* The monotonic clock and jitter (domain layer). */
#include "domain/monotonic.h"

struct timespec monotonic_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t;
}

int64_t monotonic_to_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

struct timespec monotonic_from_ns(int64_t ns)
{
	return (struct timespec){(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
}

int64_t monotonic_ns(void)
{
	struct timespec t = monotonic_now();
	return monotonic_to_ns(&t);
}

struct timespec monotonic_add_ms(struct timespec t, long ms)
{
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

struct timespec monotonic_in_ms(long ms)
{
	return monotonic_add_ms(monotonic_now(), ms);
}

long monotonic_ms_until(const struct timespec *t)
{
	struct timespec now = monotonic_now();
	return (long)(t->tv_sec - now.tv_sec) * 1000 + (t->tv_nsec - now.tv_nsec) / 1000000;
}

long monotonic_ms_since(const struct timespec *t)
{
	return -monotonic_ms_until(t);
}

double monotonic_seconds_since(const struct timespec *t)
{
	struct timespec now = monotonic_now();
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* A per-thread xorshift generator. */
static uint64_t next_random(void)
{
	static _Thread_local uint64_t x;
	if (!x)
		x = (uint64_t)monotonic_ns() ^ (uint64_t)(uintptr_t)&x ^ 0x9e3779b97f4a7c15u;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

int64_t monotonic_equal_jitter(int64_t span)
{
	int64_t half = span / 2;
	return half + (half > 0 ? (int64_t)(next_random() % (uint64_t)half) : 0);
}

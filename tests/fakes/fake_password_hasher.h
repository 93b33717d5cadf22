/*
 * A password hasher for unit tests (tests/fakes): instant and deterministic instead of Argon2id,
 * so tests can predict the stored hash. hash("segredo123") is "fake$segredo123"; a password too
 * long for that form is stored as "fake#<FNV-1a 64 in hex>$<length>". A hash "made with older
 * parameters" is "fake-old$" + senha (fake_password_legacy_hash_of): it verifies, and
 * needs_rehash says true for it (and for anything that is not a current fake hash). Calls are
 * counted so that a test can check, say, that an unknown e-mail still costs one verification.
 */
#ifndef OFICINA_TESTS_FAKES_FAKE_PASSWORD_HASHER_H
#define OFICINA_TESTS_FAKES_FAKE_PASSWORD_HASHER_H

#include <stdbool.h>

#include "application/ports/password_hasher.h"
#include "tests/fakes/fake_fault.h"

struct fake_password_hasher {
	struct fake_fault fault; /* arms a failing hash or verify */
	long hashes;             /* calls of hash */
	long verifies;           /* calls of verify, the dummy ones included */
	long dummy_verifies;     /* calls of verify with hash == NULL */
	long rehash_checks;      /* calls of needs_rehash */
	bool busy;               /* every hash and verify answers APP_EBUSY (a saturated gate) */
};

/* Zeroes the counters, disarms the fault and clears busy. Nothing to release. */
void fake_password_hasher_init(struct fake_password_hasher *h);

/* Points port at h; h must outlive the port. */
void fake_password_hasher_port(struct fake_password_hasher *h, struct password_hasher *port);

/* Writes what hash(senha) produces into out, without counting a call; for assertions. */
void fake_password_hash_of(const char *senha, char out[PASSWORD_HASH_MAX]);

/*
 * Writes a legacy hash of senha ("fake-old$" + senha) into out: what an older hasher would have
 * stored. senha must be short enough for that form (fewer than PASSWORD_HASH_MAX - 10 bytes).
 */
void fake_password_legacy_hash_of(const char *senha, char out[PASSWORD_HASH_MAX]);

#endif

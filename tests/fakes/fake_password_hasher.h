/*
 * A password hasher for unit tests (tests/fakes): instant and deterministic instead of Argon2id,
 * so tests can predict the stored hash. hash("segredo123") is "fake$segredo123"; a password too
 * long for that form is stored as "fake#<FNV-1a 64 in hex>$<length>". Calls are counted so that a
 * test can check, say, that an unknown e-mail still costs one verification.
 */
#ifndef OFICINA_TESTS_FAKES_FAKE_PASSWORD_HASHER_H
#define OFICINA_TESTS_FAKES_FAKE_PASSWORD_HASHER_H

#include "application/ports/password_hasher.h"
#include "tests/fakes/fake_fault.h"

struct fake_password_hasher {
	struct fake_fault fault; /* arms a failing hash or verify */
	long hashes;             /* calls of hash */
	long verifies;           /* calls of verify, the dummy ones included */
	long dummy_verifies;     /* calls of verify with hash == NULL */
};

/* Zeroes the counters and disarms the fault. Nothing to release. */
void fake_password_hasher_init(struct fake_password_hasher *h);

/* Points port at h; h must outlive the port. */
void fake_password_hasher_port(struct fake_password_hasher *h, struct password_hasher *port);

/* Writes what hash(senha) produces into out, without counting a call; for assertions. */
void fake_password_hash_of(const char *senha, char out[PASSWORD_HASH_MAX]);

#endif

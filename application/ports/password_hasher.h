/*
 * Port: password hashing (application layer). The adapter is infrastructure/auth/password.c
 * (libsodium Argon2id); unit tests use tests/fakes/fake_password_hasher.c.
 */
#ifndef OFICINA_APPLICATION_PORTS_PASSWORD_HASHER_H
#define OFICINA_APPLICATION_PORTS_PASSWORD_HASHER_H

#include <stddef.h>

#define PASSWORD_HASH_MAX 128 /* room for an encoded hash string, NUL included */

struct password_hasher_ops {
	/* Hashes senha into out (a NUL-terminated encoded string). 0, APP_ENOMEM or APP_EINTERNAL.
	 */
	int (*hash)(void *self, const char *senha, char out[PASSWORD_HASH_MAX]);
	/*
	 * 0 when senha matches hash, APP_EUNAUTHORIZED otherwise. hash == NULL runs a verification
	 * against a dummy hash and answers APP_EUNAUTHORIZED, so that an unknown e-mail costs the
	 * same time as a wrong password.
	 */
	int (*verify)(void *self, const char *hash, const char *senha);
};

struct password_hasher {
	const struct password_hasher_ops *ops; /* static const table */
	void *self;                            /* adapter state */
};

#endif

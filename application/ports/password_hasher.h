/*
 * Port: password hashing (application layer). The adapter is infrastructure/auth/password.c
 * (libsodium Argon2id); unit tests use tests/fakes/fake_password_hasher.c.
 */
#ifndef OFICINA_APPLICATION_PORTS_PASSWORD_HASHER_H
#define OFICINA_APPLICATION_PORTS_PASSWORD_HASHER_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_HASH_MAX 128 /* room for an encoded hash string, NUL included */

struct password_hasher_ops {
	/*
	 * Hashes senha into out (a NUL-terminated encoded string) with the current parameters.
	 * 0, APP_ENOMEM, APP_EINTERNAL, or APP_EBUSY when too many hashes already run (try again
	 * shortly).
	 */
	int (*hash)(void *self, const char *senha, char out[PASSWORD_HASH_MAX]);
	/*
	 * 0 when senha matches hash, APP_EBUSY when too many hashes already run (nothing was
	 * checked), APP_EUNAUTHORIZED otherwise. hash == NULL runs a verification against a dummy
	 * hash and answers APP_EUNAUTHORIZED (or APP_EBUSY, exactly as a real hash would), so that
	 * an unknown e-mail costs the same time, and gets the same answer, as a wrong password.
	 */
	int (*verify)(void *self, const char *hash, const char *senha);
	/*
	 * Whether hash was made with parameters other than the current ones, so that it should be
	 * replaced by a new hash of the same password (which only a successful login knows).
	 */
	bool (*needs_rehash)(void *self, const char *hash);
};

struct password_hasher {
	const struct password_hasher_ops *ops; /* static const table */
	void *self;                            /* adapter state */
};

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline int password_hasher_hash(const struct password_hasher *port, const char *senha,
                                       char out[PASSWORD_HASH_MAX])
{
	return port->ops->hash(port->self, senha, out);
}

static inline int password_hasher_verify(const struct password_hasher *port, const char *hash,
                                         const char *senha)
{
	return port->ops->verify(port->self, hash, senha);
}

static inline bool password_hasher_needs_rehash(const struct password_hasher *port,
                                                const char *hash)
{
	return port->ops->needs_rehash(port->self, hash);
}

#endif

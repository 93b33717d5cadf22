/*
 * Password hashing with Argon2id (infrastructure layer): the libsodium adapter behind
 * application/ports/password_hasher.h. Hashes are crypto_pwhash_str strings with the INTERACTIVE
 * limits; verification against a missing hash costs as much as against a real one, so that an
 * unknown e-mail cannot be told from a wrong password by timing. Thread-safe, no per-call state.
 */
#ifndef OFICINA_INFRASTRUCTURE_AUTH_PASSWORD_H
#define OFICINA_INFRASTRUCTURE_AUTH_PASSWORD_H

#include "application/ports/password_hasher.h"

/*
 * Fills *h with the Argon2id port (self is NULL; there is nothing to release). Calls sodium_init(),
 * which is idempotent and thread-safe. The port's functions:
 *   hash:   0; APP_EINVALID when senha is NULL; APP_ENOMEM when Argon2id cannot get its memory;
 *           APP_EINTERNAL when libsodium cannot initialise.
 *   verify: 0 when senha matches hash, else APP_EUNAUTHORIZED (also for a NULL or malformed hash
 *           and a NULL senha). hash == NULL verifies against a dummy hash computed once.
 */
void password_hasher_init(struct password_hasher *h);

#endif

/*
 * Argon2id password hashing with libsodium (infrastructure layer). The dummy hash used when there
 * is no user to compare against is computed once, on first need, under pthread_once.
 */
#include "infrastructure/auth/password.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "domain/errors.h"

#define OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE

_Static_assert(PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES, "PASSWORD_HASH_MAX too small");

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES]; /* written once under dummy_once, then read-only */

/* sodium_init is idempotent and thread-safe; after the first call it only takes a short lock. */
static int sodium_ready(void)
{
	return sodium_init() >= 0;
}

static void dummy_init(void)
{
	unsigned char pw[32];

	/* A password nobody knows, so the dummy can never match. */
	randombytes_buf(pw, sizeof(pw));
	if (crypto_pwhash_str(dummy_hash, (const char *)pw, sizeof(pw), OPSLIMIT, MEMLIMIT) != 0)
		dummy_hash[0] = '\0';
	sodium_memzero(pw, sizeof(pw));
}

static int argon_hash(void *self, const char *senha, char out[PASSWORD_HASH_MAX])
{
	(void)self;
	out[0] = '\0';
	if (senha == NULL)
		return APP_EINVALID;
	if (!sodium_ready())
		return APP_EINTERNAL;
	/* crypto_pwhash_str fails only when it cannot allocate MEMLIMIT bytes. */
	if (crypto_pwhash_str(out, senha, strlen(senha), OPSLIMIT, MEMLIMIT) != 0) {
		out[0] = '\0';
		return APP_ENOMEM;
	}
	return 0;
}

static int argon_verify(void *self, const char *hash, const char *senha)
{
	const char *against = hash;
	(void)self;

	if (!sodium_ready())
		return APP_EUNAUTHORIZED;
	if (hash == NULL) {
		pthread_once(&dummy_once, dummy_init);
		against = dummy_hash;
	}
	if (senha == NULL)
		senha = "";
	/* An encoded hash always fits in crypto_pwhash_STRBYTES; anything longer is not one. */
	if (against[0] == '\0' ||
	    strnlen(against, crypto_pwhash_STRBYTES) == crypto_pwhash_STRBYTES)
		return APP_EUNAUTHORIZED;
	if (crypto_pwhash_str_verify(against, senha, strlen(senha)) != 0 || hash == NULL)
		return APP_EUNAUTHORIZED;
	return 0;
}

static const struct password_hasher_ops argon_ops = {
    .hash = argon_hash,
    .verify = argon_verify,
};

void password_hasher_init(struct password_hasher *h)
{
	/* The server also calls sodium_init at start; a failure here is seen again by hash/verify.
	 */
	(void)sodium_ready();
	h->ops = &argon_ops;
	h->self = NULL;
}

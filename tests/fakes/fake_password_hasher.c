/* A deterministic password hasher for unit tests (tests/fakes). */
#include "tests/fakes/fake_password_hasher.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define PREFIXO        "fake$"
#define PREFIXO_LONGO  "fake#"
#define PREFIXO_ANTIGO "fake-old$"

void fake_password_hasher_init(struct fake_password_hasher *h)
{
	memset(h, 0, sizeof *h);
}

void fake_password_hash_of(const char *senha, char out[PASSWORD_HASH_MAX])
{
	size_t len = strlen(senha);
	uint64_t fnv = 14695981039346656037ULL;

	if (sizeof PREFIXO - 1 + len < PASSWORD_HASH_MAX) {
		snprintf(out, PASSWORD_HASH_MAX, PREFIXO "%s", senha);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		fnv ^= (unsigned char)senha[i];
		fnv *= 1099511628211ULL;
	}
	snprintf(out, PASSWORD_HASH_MAX, PREFIXO_LONGO "%016llx$%zu", (unsigned long long)fnv, len);
}

void fake_password_legacy_hash_of(const char *senha, char out[PASSWORD_HASH_MAX])
{
	snprintf(out, PASSWORD_HASH_MAX, PREFIXO_ANTIGO "%s", senha);
}

static int hash(void *self, const char *senha, char out[PASSWORD_HASH_MAX])
{
	struct fake_password_hasher *h = self;
	int rc;

	h->hashes++;
	if (h->busy)
		return APP_EBUSY;
	if ((rc = fake_fault_hit(&h->fault)) != 0)
		return rc;
	if (!senha)
		return APP_EINTERNAL;
	fake_password_hash_of(senha, out);
	return 0;
}

static int verify(void *self, const char *stored, const char *senha)
{
	struct fake_password_hasher *h = self;
	char esperado[PASSWORD_HASH_MAX];
	int rc;

	h->verifies++;
	if (!stored)
		h->dummy_verifies++;
	if (h->busy)
		return APP_EBUSY;
	if ((rc = fake_fault_hit(&h->fault)) != 0)
		return rc;
	if (!stored || !senha)
		return APP_EUNAUTHORIZED;
	if (strncmp(stored, PREFIXO_ANTIGO, sizeof PREFIXO_ANTIGO - 1) == 0)
		fake_password_legacy_hash_of(senha, esperado);
	else
		fake_password_hash_of(senha, esperado);
	return strcmp(stored, esperado) == 0 ? 0 : APP_EUNAUTHORIZED;
}

/* Like libsodium: anything that is not a current hash (older form or garbage) needs one. */
static bool needs_rehash(void *self, const char *stored)
{
	struct fake_password_hasher *h = self;

	h->rehash_checks++;
	if (!stored)
		return false;
	return strncmp(stored, PREFIXO, sizeof PREFIXO - 1) != 0 &&
	       strncmp(stored, PREFIXO_LONGO, sizeof PREFIXO_LONGO - 1) != 0;
}

static const struct password_hasher_ops ops = {
    .hash = hash,
    .verify = verify,
    .needs_rehash = needs_rehash,
};

void fake_password_hasher_port(struct fake_password_hasher *h, struct password_hasher *port)
{
	port->ops = &ops;
	port->self = h;
}

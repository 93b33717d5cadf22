/*
 * Idempotency keys in PostgreSQL: the idempotency_store port (infrastructure layer). Every call is
 * one statement outside any transaction, so that a claim is visible to the other pods at once and
 * is not undone when the request's own transaction rolls back. The body is identified by its
 * SHA-256 (libsodium), kept as 64 hex digits in request_hash.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/errors.h"
#include "domain/heap.h"
#include "infrastructure/postgres/pg_query.h"
#include "infrastructure/postgres/pg_repos.h"

#define TTL            "interval '" PG_STR(IDEMPOTENCY_TTL_SECONDS) " seconds'"
#define LEASE          "interval '" PG_STR(IDEMPOTENCY_LEASE_SECONDS) " seconds'"
#define CLAIM_ATTEMPTS 3 /* a row that vanishes between claim and read is claimed again */

/*
 * One statement claims: a new key is inserted; an expired row, or an abandoned claim of the same
 * body, is taken over; any other existing row is left alone and nothing is returned. Concurrent
 * claims of one key serialise on the primary key, so exactly one of them gets a row back.
 */
static const struct pg_statement claim_sql = {
    "idempotency_claim",
    "INSERT INTO idempotency_keys AS k (escopo, chave, request_hash) VALUES ($1, $2, $3) "
    "ON CONFLICT (escopo, chave) DO UPDATE SET request_hash = EXCLUDED.request_hash, "
    "status = NULL, resposta = NULL, location = NULL, criado_em = now() "
    "WHERE k.criado_em < now() - " TTL " OR (k.status IS NULL AND k.request_hash = "
    "EXCLUDED.request_hash AND k.criado_em < now() - " LEASE ") RETURNING 1",
    3};
static const struct pg_statement find_sql = {
    "idempotency_find",
    "SELECT request_hash, status, resposta, location FROM idempotency_keys "
    "WHERE escopo = $1 AND chave = $2 AND criado_em >= now() - " TTL,
    2};
static const struct pg_statement complete_sql = {
    "idempotency_complete",
    "UPDATE idempotency_keys SET status = $3, resposta = $4, location = $5 "
    "WHERE escopo = $1 AND chave = $2 AND status IS NULL",
    5};
static const struct pg_statement release_sql = {
    "idempotency_release",
    "DELETE FROM idempotency_keys WHERE escopo = $1 AND chave = $2 AND status IS NULL", 2};

/* SHA-256 of the body as 64 lower-case hex digits. */
static void body_hash(const void *body, size_t len, char hex[crypto_hash_sha256_BYTES * 2 + 1])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	static const unsigned char empty = 0;

	crypto_hash_sha256(digest, len ? body : &empty, (unsigned long long)len);
	sodium_bin2hex(hex, crypto_hash_sha256_BYTES * 2 + 1, digest, sizeof digest);
}

static void answer_reset(struct idempotency_answer *ans)
{
	ans->status = 0;
	ans->body = NULL;
	ans->location[0] = '\0';
}

/* Reads the live row of the key into *state (and *ans when answered). APP_ENOTFOUND: none. */
static int read_row(struct pg_session *s, const char *escopo, const char *chave, const char *hash,
                    enum idempotency_state *state, struct idempotency_answer *ans)
{
	const char *p[] = {escopo, chave};
	PGresult *r;
	int rc;

	if ((rc = pg_session_exec(s, &find_sql, p, &r)) != 0)
		return rc;
	if (PQntuples(r) != 1) {
		rc = APP_ENOTFOUND;
	} else if (strcmp(PQgetvalue(r, 0, 0), hash) != 0) {
		*state = IDEMPOTENCY_MISMATCH;
	} else if (PQgetisnull(r, 0, 1)) {
		*state = IDEMPOTENCY_IN_PROGRESS;
	} else {
		ans->status = (int)pg_long(r, 0, 1);
		if (!PQgetisnull(r, 0, 2) && !(ans->body = heap_strdup(PQgetvalue(r, 0, 2))))
			rc = APP_ENOMEM;
		pg_copy(ans->location, sizeof ans->location, r, 0, 3);
		*state = IDEMPOTENCY_DONE;
	}
	PQclear(r);
	return rc;
}

static int find(void *self, const char *escopo, const char *chave, const void *body, size_t len,
                enum idempotency_state *state, struct idempotency_answer *ans)
{
	char hash[crypto_hash_sha256_BYTES * 2 + 1];

	answer_reset(ans);
	body_hash(body, len, hash);
	return read_row(self, escopo, chave, hash, state, ans);
}

static int claim(void *self, const char *escopo, const char *chave, const void *body, size_t len,
                 enum idempotency_state *state, struct idempotency_answer *ans)
{
	char hash[crypto_hash_sha256_BYTES * 2 + 1];
	const char *p[] = {escopo, chave, hash};
	PGresult *r;
	int rc = APP_EUNAVAILABLE;

	answer_reset(ans);
	body_hash(body, len, hash);
	for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
		if ((rc = pg_session_exec(self, &claim_sql, p, &r)) != 0)
			return rc;
		bool claimed = PQntuples(r) == 1;
		PQclear(r);
		if (claimed) {
			*state = IDEMPOTENCY_CLAIMED;
			return 0;
		}
		rc = read_row(self, escopo, chave, hash, state, ans);
		if (rc != APP_ENOTFOUND)
			return rc;
		/* Released or expired between the two statements: try to claim it again. */
	}
	return APP_EUNAVAILABLE;
}

static int complete(void *self, const char *escopo, const char *chave, int status, const char *body,
                    const char *location)
{
	char status_text[16];
	const char *p[5];

	snprintf(status_text, sizeof status_text, "%d", status);
	p[0] = escopo;
	p[1] = chave;
	p[2] = status_text;
	p[3] = body;
	p[4] = pg_text_or_null(location);
	return pg_query_change_one(self, &complete_sql, p);
}

static int release(void *self, const char *escopo, const char *chave)
{
	const char *p[] = {escopo, chave};
	return pg_query_run(self, &release_sql, p);
}

static const struct idempotency_store_ops ops = {
    .claim = claim,
    .find = find,
    .complete = complete,
    .release = release,
};

void pg_idempotency_store_init(struct idempotency_store *store, struct pg_session *s)
{
	store->ops = &ops;
	store->self = s;
}

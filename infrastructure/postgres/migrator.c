/*
 * Schema migrations runner (infrastructure layer, PostgreSQL): compares the migrations directory
 * (read by infrastructure/migrations/migration_dir.c) with the schema_migrations table, and
 * applies or reverts files one transaction each under a session advisory lock. The contract is in
 * migrator.h.
 *
 * A run works on a "plan": the files of the directory sorted by version, the rows of
 * schema_migrations, and their union by version (the entries). Every check and every command
 * walks the entries, so status, up and down agree on what is applied, pending or wrong.
 */
#include "infrastructure/postgres/migrator.h"

#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/errors.h"
#include "domain/monotonic.h"
#include "domain/heap.h"
#include "infrastructure/migrations/migration_dir.h"
#include "infrastructure/migrations/migration_report.h"

#define ROW_TEXT_MAX 128 /* a text column of schema_migrations, as kept (longer is cut) */
#define BIGINT_TEXT  24  /* a bigint in decimal, with its sign and NUL */
#define PG_MSG_MAX   512 /* one PostgreSQL message, put on one line */
/*
 * How long a file's statement waits for a lock. An ALTER TABLE queued behind a long transaction
 * makes every later query of that table queue behind it, the API's included: a migration that
 * cannot have its lock soon fails (and is rolled back, to run again later) rather than stop the
 * service for as long as that transaction lasts. A file that must wait longer says so itself
 * (SET LOCAL lock_timeout), in its own transaction.
 */
#define MIGRATION_LOCK_TIMEOUT "5s"

struct mig_applied {
	long long version;             /* schema_migrations.version */
	char name[ROW_TEXT_MAX];       /* schema_migrations.name */
	char checksum[ROW_TEXT_MAX];   /* schema_migrations.checksum */
	char applied_em[ROW_TEXT_MAX]; /* applied_em, RFC 3339 in UTC */
};

struct mig_entry {
	long long version;                 /* of the file, of the row, or of both */
	const struct migration_file *file; /* NULL: applied, but its files are gone */
	const struct mig_applied *applied; /* NULL: pending */
};

/* Whether this run holds the migration lock, so that every way out of up and down releases it. */
enum lock_state {
	LOCK_NOT_HELD,
	LOCK_HELD,
};

/* What a run does to the database before it reads the rows. */
enum plan_access {
	PLAN_READ_ONLY, /* status: no lock, schema_migrations only looked for */
	PLAN_EXCLUSIVE, /* up, down: the lock taken, schema_migrations created when missing */
};

/* Whether schema_migrations exists: status only looks, it never creates the table. */
enum table_presence {
	TABLE_MISSING,
	TABLE_PRESENT,
};

struct mig_plan {
	struct migration_dir dir;    /* the files, sorted by version */
	struct mig_applied *applied; /* sorted by version */
	size_t napplied;
	struct mig_entry *entries; /* union of files and rows, sorted by version */
	size_t nentries;
	long long max_applied; /* highest applied version, 0 when none */
	enum lock_state lock;  /* up and down hold it until the end of the run */
	long lock_wait_ms;     /* how long up and down wait for it when another run holds it */
};

/* Copies src into dst on one line: newlines and tabs become spaces, runs collapse, ends trimmed. */
static void copy_one_line(char *dst, size_t n, const char *src)
{
	size_t j = 0;
	bool space = false;

	if (n == 0)
		return;
	for (; src != NULL && *src != '\0' && j + 1 < n; src++) {
		if (*src == '\n' || *src == '\t' || *src == '\r' || *src == ' ') {
			space = j > 0;
			continue;
		}
		if (space && j + 2 < n)
			dst[j++] = ' ';
		space = false;
		dst[j++] = *src;
	}
	dst[j] = '\0';
}

/*
 * Turns a failed libpq call into err ("what: primary message") and a code: APP_EUNAVAILABLE when
 * the connection is gone, APP_EINTERNAL otherwise.
 */
static int pg_failure(PGconn *conn, const PGresult *res, const char *what, char *err, size_t errlen)
{
	char msg[PG_MSG_MAX];
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	copy_one_line(msg, sizeof msg, primary ? primary : PQerrorMessage(conn));
	if (msg[0] == '\0' && res != NULL)
		snprintf(msg, sizeof msg, "unexpected result %s", PQresStatus(PQresultStatus(res)));
	migration_report_error(err, errlen, "%s: %s", what, msg[0] ? msg : "unknown error");
	return PQstatus(conn) == CONNECTION_BAD ? APP_EUNAVAILABLE : APP_EINTERNAL;
}

/* Runs one statement without parameters (constant text only). */
static int exec_simple(PGconn *conn, const char *sql, const char *what, char *err, size_t errlen)
{
	PGresult *res = PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, 0);
	int rc = 0;

	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = pg_failure(conn, res, what, err, errlen);
	PQclear(res);
	return rc;
}

/* Ends a transaction that failed or that is being abandoned, if one is still open. */
static void rollback_quietly(PGconn *conn)
{
	if (PQtransactionStatus(conn) == PQTRANS_IDLE)
		return;
	PQclear(PQexecParams(conn, "ROLLBACK", 0, NULL, NULL, NULL, NULL, 0));
}

static int conn_check(PGconn *conn, char *err, size_t errlen)
{
	char msg[PG_MSG_MAX];

	if (conn == NULL) {
		migration_report_error(err, errlen, "no database connection");
		return APP_EUNAVAILABLE;
	}
	if (PQstatus(conn) != CONNECTION_OK) {
		copy_one_line(msg, sizeof msg, PQerrorMessage(conn));
		migration_report_error(err, errlen, "not connected to the database: %s", msg);
		return APP_EUNAVAILABLE;
	}
	if (PQtransactionStatus(conn) != PQTRANS_IDLE) {
		migration_report_error(err, errlen,
		                       "the connection is inside a transaction; migrations need an "
		                       "idle connection");
		return APP_EINVALID;
	}
	return 0;
}

static void lock_key_text(char key[BIGINT_TEXT])
{
	snprintf(key, BIGINT_TEXT, "%" PRId64, MIGRATOR_LOCK_KEY);
}

/*
 * Waits for the session advisory lock at most wait_ms (lock_timeout, local to a transaction).
 * *lock becomes LOCK_HELD as soon as it is granted: a session lock outlives its transaction, even
 * one whose COMMIT then fails, so the caller must still release it.
 */
static int lock_wait(PGconn *conn, long wait_ms, enum lock_state *lock, char *err, size_t errlen)
{
	char key[BIGINT_TEXT], ms[BIGINT_TEXT];
	const char *params[1] = {ms};
	PGresult *res;
	int rc;

	lock_key_text(key);
	snprintf(ms, sizeof ms, "%ld", wait_ms);
	rc = exec_simple(conn, "BEGIN", "waiting for the migration lock", err, errlen);
	if (rc != 0)
		return rc;
	res = PQexecParams(conn, "SELECT set_config('lock_timeout', $1, true)", 1, NULL, params,
	                   NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK) {
		PQclear(res);
		params[0] = key;
		res = PQexecParams(conn, "SELECT pg_advisory_lock($1::bigint)", 1, NULL, params,
		                   NULL, NULL, 0);
	}
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (state && strcmp(state, "55P03") == 0) {
			migration_report_error(err, errlen,
			                       "gave up after %g s waiting for the migration lock: "
			                       "another migration run still holds it",
			                       (double)wait_ms / 1000);
			rc = APP_EUNAVAILABLE;
		} else {
			rc = pg_failure(conn, res, "waiting for the migration lock", err, errlen);
		}
		PQclear(res);
		rollback_quietly(conn);
		return rc;
	}
	PQclear(res);
	*lock = LOCK_HELD;
	/* lock_timeout ends with the transaction; the lock does not. */
	return exec_simple(conn, "COMMIT", "waiting for the migration lock", err, errlen);
}

/*
 * Takes the session advisory lock, saying so when another process holds it and this one waits
 * (at most wait_ms: then APP_EUNAVAILABLE). *lock becomes LOCK_HELD once it is held.
 */
static int lock_acquire(PGconn *conn, FILE *out, long wait_ms, enum lock_state *lock, char *err,
                        size_t errlen)
{
	char key[BIGINT_TEXT];
	const char *params[1] = {key};
	PGresult *res;
	int rc = 0;

	lock_key_text(key);
	res = PQexecParams(conn, "SELECT pg_try_advisory_lock($1::bigint)", 1, NULL, params, NULL,
	                   NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = pg_failure(conn, res, "taking the migration lock", err, errlen);
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
		*lock = LOCK_HELD;
		goto out;
	}
	migration_report_progress(out, "waiting for the migration lock: another migration run "
	                               "holds it on this database\n");
	rc = lock_wait(conn, wait_ms, lock, err, errlen);
out:
	PQclear(res);
	return rc;
}

/* Releases the lock when *lock says it is held. */
static void lock_release(PGconn *conn, enum lock_state *lock)
{
	char key[BIGINT_TEXT];
	const char *params[1] = {key};

	if (*lock != LOCK_HELD)
		return;
	lock_key_text(key);
	PQclear(PQexecParams(conn, "SELECT pg_advisory_unlock($1::bigint)", 1, NULL, params, NULL,
	                     NULL, 0));
	*lock = LOCK_NOT_HELD;
}

/* Whether schema_migrations is visible on the search path. */
static int table_look_up(PGconn *conn, enum table_presence *presence, char *err, size_t errlen)
{
	PGresult *res;
	int rc = 0;

	res = PQexecParams(conn, "SELECT to_regclass('schema_migrations') IS NOT NULL", 0, NULL,
	                   NULL, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = pg_failure(conn, res, "looking for schema_migrations", err, errlen);
	else
		*presence = strcmp(PQgetvalue(res, 0, 0), "t") == 0 ? TABLE_PRESENT : TABLE_MISSING;
	PQclear(res);
	return rc;
}

/*
 * Creates schema_migrations when missing. Only called under the lock, so two runners never race
 * on it; checking first keeps the "already exists, skipping" NOTICE out of every run.
 */
static int table_ensure(PGconn *conn, char *err, size_t errlen)
{
	enum table_presence presence = TABLE_MISSING;
	int rc = table_look_up(conn, &presence, err, errlen);

	if (rc != 0 || presence == TABLE_PRESENT)
		return rc;
	return exec_simple(conn,
	                   "CREATE TABLE IF NOT EXISTS schema_migrations ("
	                   "version bigint PRIMARY KEY, "
	                   "name text NOT NULL, "
	                   "checksum text NOT NULL, "
	                   "applied_em timestamptz NOT NULL DEFAULT now())",
	                   "creating schema_migrations", err, errlen);
}

static void plan_init(struct mig_plan *p, const char *dir)
{
	memset(p, 0, sizeof *p);
	migration_dir_init(&p->dir, dir);
	p->lock = LOCK_NOT_HELD;
}

/* Frees the plan; the lock, if held, is released by the caller, who owns the connection. */
static void plan_cleanup(struct mig_plan *p)
{
	migration_dir_cleanup(&p->dir);
	heap_free(p->applied);
	heap_free(p->entries);
	memset(p, 0, sizeof *p);
}

static int plan_load_applied(struct mig_plan *p, PGconn *conn, char *err, size_t errlen)
{
	PGresult *res;
	int rc = 0, n;

	res =
	    PQexecParams(conn,
	                 "SELECT version, name, checksum, "
	                 "to_char(applied_em AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
	                 "FROM schema_migrations ORDER BY version",
	                 0, NULL, NULL, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = pg_failure(conn, res, "reading schema_migrations", err, errlen);
		goto out;
	}
	n = PQntuples(res);
	if (n == 0)
		goto out;
	p->applied = heap_calloc((size_t)n, sizeof *p->applied);
	if (p->applied == NULL) {
		migration_report_error(err, errlen, "out of memory");
		rc = APP_ENOMEM;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		struct mig_applied *a = &p->applied[i];

		a->version = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		snprintf(a->name, sizeof a->name, "%s", PQgetvalue(res, i, 1));
		snprintf(a->checksum, sizeof a->checksum, "%s", PQgetvalue(res, i, 2));
		snprintf(a->applied_em, sizeof a->applied_em, "%s", PQgetvalue(res, i, 3));
		if (a->version > p->max_applied)
			p->max_applied = a->version;
	}
	p->napplied = (size_t)n;
out:
	PQclear(res);
	return rc;
}

/* Merges files and rows (both sorted by version) into p->entries. */
static int plan_build_entries(struct mig_plan *p, char *err, size_t errlen)
{
	const struct migration_file *files = p->dir.files;
	size_t nfiles = p->dir.nfiles, i = 0, j = 0;

	if (nfiles + p->napplied == 0)
		return 0;
	p->entries = heap_calloc(nfiles + p->napplied, sizeof *p->entries);
	if (p->entries == NULL) {
		migration_report_error(err, errlen, "out of memory");
		return APP_ENOMEM;
	}
	while (i < nfiles || j < p->napplied) {
		struct mig_entry *e = &p->entries[p->nentries++];

		if (j == p->napplied || (i < nfiles && files[i].version < p->applied[j].version)) {
			e->file = &files[i++];
			e->version = e->file->version;
		} else if (i == nfiles || p->applied[j].version < files[i].version) {
			e->applied = &p->applied[j++];
			e->version = e->applied->version;
		} else {
			e->file = &files[i++];
			e->applied = &p->applied[j++];
			e->version = e->file->version;
		}
	}
	return 0;
}

/*
 * Everything before the checks: the directory first (a bad one fails before the database is
 * touched), then the connection. up and down (PLAN_EXCLUSIVE) take the lock and create the
 * table; status only looks whether the table exists. Then the rows and the entries.
 */
static int plan_load(struct mig_plan *p, PGconn *conn, enum plan_access access, FILE *out,
                     char *err, size_t errlen)
{
	enum table_presence presence = TABLE_PRESENT;
	int rc;

	rc = migration_dir_load(&p->dir, err, errlen);
	if (rc != 0)
		return rc;
	rc = conn_check(conn, err, errlen);
	if (rc != 0)
		return rc;
	if (access == PLAN_EXCLUSIVE) {
		rc = lock_acquire(conn, out, p->lock_wait_ms, &p->lock, err, errlen);
		if (rc == 0)
			rc = table_ensure(conn, err, errlen);
	} else {
		rc = table_look_up(conn, &presence, err, errlen);
	}
	if (rc == 0 && presence == TABLE_PRESENT)
		rc = plan_load_applied(p, conn, err, errlen);
	if (rc == 0)
		rc = plan_build_entries(p, err, errlen);
	return rc;
}

/*
 * The problem of one entry, if any: 0, or a code with msg set. Reads the .up.sql of every applied
 * version to compare its checksum.
 */
static int entry_problem(const struct mig_plan *p, const struct mig_entry *e, char *msg,
                         size_t msglen)
{
	const char *dir = p->dir.path;
	char sum[MIGRATION_CHECKSUM_HEX];
	int rc;

	if (e->applied != NULL && e->file == NULL) {
		migration_report_error(msg, msglen,
		                       "version %lld (%s) is applied but its file "
		                       "%04lld_%s" MIGRATION_UP_SUFFIX " is missing from %s",
		                       e->version, e->applied->name, e->version, e->applied->name,
		                       dir);
		return APP_ECONFLICT;
	}
	if (e->applied == NULL) {
		if (e->version < p->max_applied) {
			migration_report_error(msg, msglen,
			                       "%s/%s" MIGRATION_UP_SUFFIX
			                       " is pending but a later "
			                       "version (%lld) is already applied; renumber it "
			                       "above %lld",
			                       dir, e->file->base, p->max_applied, p->max_applied);
			return APP_ECONFLICT;
		}
		return 0;
	}
	if (strcmp(e->applied->name, e->file->name) != 0) {
		migration_report_error(msg, msglen,
		                       "version %lld was applied as \"%s\" but its file is now "
		                       "%s/%s" MIGRATION_UP_SUFFIX,
		                       e->version, e->applied->name, dir, e->file->base);
		return APP_ECONFLICT;
	}
	rc = migration_file_checksum(&p->dir, e->file, sum, msg, msglen);
	if (rc != 0)
		return rc;
	if (strcmp(sum, e->applied->checksum) != 0) {
		migration_report_error(
		    msg, msglen,
		    "%s/%s" MIGRATION_UP_SUFFIX " was edited after it was applied "
		    "(recorded checksum %.12s..., file now %.12s...); restore it "
		    "and put the change in a new migration",
		    dir, e->file->base, e->applied->checksum, sum);
		return APP_ECONFLICT;
	}
	return 0;
}

/* Refuses to go on when any entry has a problem: err gets the first one and how many more. */
static int plan_verify(const struct mig_plan *p, char *err, size_t errlen)
{
	char msg[MIGRATOR_ERROR_MAX], first[MIGRATOR_ERROR_MAX] = "";
	int first_rc = 0, problems = 0;

	for (size_t i = 0; i < p->nentries; i++) {
		int rc = entry_problem(p, &p->entries[i], msg, sizeof msg);

		if (rc == 0)
			continue;
		if (problems++ == 0) {
			first_rc = rc;
			snprintf(first, sizeof first, "%s", msg);
		}
	}
	if (problems == 1)
		migration_report_error(err, errlen, "%s", first);
	else if (problems > 1)
		migration_report_error(err, errlen, "%s (and %d more problems; see status)", first,
		                       problems - 1);
	return first_rc;
}

/*
 * The plan of up and down: loaded under the lock, and refused when the directory and the
 * database disagree, before anything changes.
 */
static int plan_load_for_change(struct mig_plan *p, PGconn *conn, FILE *out, char *err,
                                size_t errlen)
{
	int rc = plan_load(p, conn, PLAN_EXCLUSIVE, out, err, errlen);

	if (rc == 0)
		rc = plan_verify(p, err, errlen);
	return rc;
}

/* Line (from 1) of the 1-based character position pos in text, 0 when unknown. */
static int line_of_position(const char *text, const char *pos)
{
	long want = pos ? strtol(pos, NULL, 10) : 0, chars = 0;
	int line = 1;

	if (want < 1)
		return 0;
	for (const unsigned char *s = (const unsigned char *)text; *s != '\0'; s++) {
		/* PostgreSQL counts characters: skip UTF-8 continuation bytes. */
		if ((*s & 0xC0) != 0x80 && ++chars == want)
			return line;
		if (*s == '\n')
			line++;
	}
	return 0;
}

/* Reads what is left of a COPY the file started, so that the connection can be used again. */
static void abandon_copy(PGconn *conn, const PGresult *res)
{
	PGresult *r;

	if (PQresultStatus(res) == PGRES_COPY_IN) {
		PQputCopyEnd(conn, "COPY FROM STDIN is not supported in migration files");
	} else if (PQresultStatus(res) == PGRES_COPY_OUT) {
		char *buf = NULL;

		while (PQgetCopyData(conn, &buf, 0) > 0)
			PQfreemem(buf);
	}
	while ((r = PQgetResult(conn)) != NULL)
		PQclear(r);
}

/* err for a file whose SQL failed: PostgreSQL's message, with the line of the file when known. */
static int file_failure(PGconn *conn, const PGresult *res, const struct migration_file *f,
                        const struct migration_sql *sql, char *err, size_t errlen)
{
	char msg[PG_MSG_MAX];
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	int line =
	    res ? line_of_position(sql->text, PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION))
	        : 0;

	copy_one_line(msg, sizeof msg, primary ? primary : PQerrorMessage(conn));
	if (line > 0)
		migration_report_error(err, errlen,
		                       "migration version %lld failed and was rolled back: %s line "
		                       "%d: %s",
		                       f->version, sql->path, line, msg);
	else
		migration_report_error(err, errlen,
		                       "migration version %lld failed and was rolled back: %s: %s",
		                       f->version, sql->path, msg);
	return PQstatus(conn) == CONNECTION_BAD ? APP_EUNAVAILABLE : APP_EINTERNAL;
}

/*
 * Runs the text of the file inside the open transaction. Our own trusted file, several
 * statements: the simple protocol is the one that takes them. A COPY to or from the client is
 * refused, since there is no client side to feed or drain it.
 */
static int exec_file_text(PGconn *conn, const struct migration_file *f,
                          const struct migration_sql *sql, char *err, size_t errlen)
{
	PGresult *res = PQexec(conn, sql->text);
	ExecStatusType st = PQresultStatus(res);
	int rc = 0;

	if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) {
		abandon_copy(conn, res);
		migration_report_error(
		    err, errlen,
		    "migration version %lld failed and was rolled back: %s: COPY "
		    "to or from the client is not supported in migration files",
		    f->version, sql->path);
		rc = APP_EINVALID;
	} else if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
		rc = file_failure(conn, res, f, sql, err, errlen);
	}
	PQclear(res);
	return rc;
}

/*
 * A file that ran COMMIT or ROLLBACK itself left its changes (some of them, perhaps) outside the
 * transaction that records it: refuse to record it.
 */
static int expect_transaction_open(PGconn *conn, const struct migration_file *f,
                                   const struct migration_sql *sql, char *err, size_t errlen)
{
	if (PQtransactionStatus(conn) == PQTRANS_INTRANS)
		return 0;
	migration_report_error(err, errlen,
	                       "migration version %lld: %s ended the transaction itself (COMMIT or "
	                       "ROLLBACK in the file?); it was not recorded and may be partly "
	                       "applied",
	                       f->version, sql->path);
	return APP_EINVALID;
}

/* err for a failed statement that records the file in schema_migrations. */
static int recording_failure(PGconn *conn, const PGresult *res, const struct migration_file *f,
                             const struct migration_sql *sql, char *err, size_t errlen)
{
	char what[PATH_MAX + 64];

	snprintf(what, sizeof what, "migration version %lld (%s), recording it", f->version,
	         sql->path);
	return pg_failure(conn, res, what, err, errlen);
}

/* Inserts the row of f, with the checksum of the .up.sql text that has just run. */
static int record_applied(PGconn *conn, const struct migration_file *f,
                          const struct migration_sql *sql, char *err, size_t errlen)
{
	char version[BIGINT_TEXT], sum[MIGRATION_CHECKSUM_HEX];
	const char *params[3] = {version, f->name, sum};
	PGresult *res;
	int rc;

	rc = migration_checksum(sql, sum, err, errlen);
	if (rc != 0)
		return rc;
	snprintf(version, sizeof version, "%lld", f->version);
	res = PQexecParams(conn,
	                   "INSERT INTO schema_migrations (version, name, checksum) "
	                   "VALUES ($1::bigint, $2, $3)",
	                   3, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = recording_failure(conn, res, f, sql, err, errlen);
	PQclear(res);
	return rc;
}

/*
 * Deletes the row of f. Under the lock nothing else runs migrations, so a row already gone was
 * deleted by hand: an error, since the database may not be what the file undoes.
 */
static int record_reverted(PGconn *conn, const struct migration_file *f,
                           const struct migration_sql *sql, char *err, size_t errlen)
{
	char version[BIGINT_TEXT];
	const char *params[1] = {version};
	PGresult *res;
	int rc = 0;

	snprintf(version, sizeof version, "%lld", f->version);
	res = PQexecParams(conn, "DELETE FROM schema_migrations WHERE version = $1::bigint", 1,
	                   NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = recording_failure(conn, res, f, sql, err, errlen);
	} else if (strcmp(PQcmdTuples(res), "1") != 0) {
		migration_report_error(
		    err, errlen, "migration version %lld was not in schema_migrations", f->version);
		rc = APP_EINTERNAL;
	}
	PQclear(res);
	return rc;
}

/* Commits the file and its row. A failed COMMIT ends the transaction too: nothing to roll back. */
static int commit_file(PGconn *conn, const struct migration_file *f,
                       const struct migration_sql *sql, char *err, size_t errlen)
{
	PGresult *res = PQexecParams(conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0);
	int rc = 0;

	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		char what[PATH_MAX + 64];

		snprintf(what, sizeof what, "migration version %lld failed at COMMIT: %s",
		         f->version, sql->path);
		rc = pg_failure(conn, res, what, err, errlen);
	}
	PQclear(res);
	return rc;
}

/*
 * Runs the part (.up.sql or .down.sql) of f in one transaction with the insertion (up) or deletion
 * (down) of its schema_migrations row; rolls everything back on any error before COMMIT.
 */
static int run_file(PGconn *conn, const struct mig_plan *p, const struct migration_file *f,
                    enum migration_part part, FILE *out, char *err, size_t errlen)
{
	struct migration_sql sql;
	struct timespec t0 = monotonic_now();
	int rc;

	rc = migration_sql_read(&sql, &p->dir, f, part, err, errlen);
	if (rc == 0)
		rc = exec_simple(conn, "BEGIN", "starting a transaction", err, errlen);
	if (rc != 0)
		goto out;
	rc = exec_simple(conn, "SET LOCAL lock_timeout = '" MIGRATION_LOCK_TIMEOUT "'",
	                 "setting lock_timeout", err, errlen);
	if (rc != 0) {
		rollback_quietly(conn);
		goto out;
	}
	rc = exec_file_text(conn, f, &sql, err, errlen);
	if (rc == 0)
		rc = expect_transaction_open(conn, f, &sql, err, errlen);
	if (rc == 0)
		rc = part == MIGRATION_UP ? record_applied(conn, f, &sql, err, errlen)
		                          : record_reverted(conn, f, &sql, err, errlen);
	if (rc != 0) {
		rollback_quietly(conn);
		goto out;
	}
	rc = commit_file(conn, f, &sql, err, errlen);
	if (rc == 0)
		migration_report_progress(out, "%s %s (%lld ms)\n",
		                          part == MIGRATION_UP ? "applied " : "reverted", f->base,
		                          (long long)monotonic_ms_since(&t0));
out:
	migration_sql_cleanup(&sql);
	return rc;
}

int migrator_up(PGconn *conn, const char *dir, int limit, long lock_wait_ms, FILE *out, char *err,
                size_t errlen)
{
	struct mig_plan p;
	int rc, done = 0;
	size_t pending = 0;

	migration_report_error(err, errlen, "%s", "");
	if (dir == NULL || limit < 0 || lock_wait_ms < 1) {
		migration_report_error(err, errlen, "migrate up: bad arguments");
		return APP_EINVALID;
	}
	plan_init(&p, dir);
	p.lock_wait_ms = lock_wait_ms;
	rc = plan_load_for_change(&p, conn, out, err, errlen);
	if (rc != 0)
		goto out;
	for (size_t i = 0; i < p.nentries; i++) {
		const struct mig_entry *e = &p.entries[i];

		if (e->applied != NULL)
			continue;
		if (limit > 0 && done == limit) {
			pending++;
			continue;
		}
		rc = run_file(conn, &p, e->file, MIGRATION_UP, out, err, errlen);
		if (rc != 0)
			goto out;
		done++;
	}
	if (done == 0)
		migration_report_progress(
		    out, "nothing to apply: %zu migration(s) applied, none pending\n", p.napplied);
	else if (pending == 0)
		migration_report_progress(
		    out, "applied %d migration(s); the database is up to date\n", done);
	else
		migration_report_progress(out, "applied %d migration(s); %zu still pending\n", done,
		                          pending);
out:
	lock_release(conn, &p.lock);
	plan_cleanup(&p);
	return rc;
}

/*
 * How many of the count newest applied versions down will revert (*wanted), after checking that
 * every .down.sql they need is there, so that a missing one stops the run before the first runs.
 */
static int check_down_files(const struct mig_plan *p, int count, int *wanted, char *err,
                            size_t errlen)
{
	*wanted = 0;
	for (size_t i = p->nentries; i-- > 0 && *wanted < count;) {
		const struct mig_entry *e = &p->entries[i];

		if (e->applied == NULL)
			continue;
		if ((e->file->parts & MIGRATION_DOWN) == 0) {
			migration_report_error(
			    err, errlen,
			    "cannot revert version %lld: %s/%s" MIGRATION_DOWN_SUFFIX
			    " is missing; nothing was reverted",
			    e->version, p->dir.path, e->file->base);
			return APP_EINVALID;
		}
		(*wanted)++;
	}
	return 0;
}

int migrator_down(PGconn *conn, const char *dir, int count, long lock_wait_ms, FILE *out, char *err,
                  size_t errlen)
{
	struct mig_plan p;
	int rc, done = 0, wanted = 0;

	migration_report_error(err, errlen, "%s", "");
	if (dir == NULL || count < 1 || lock_wait_ms < 1) {
		migration_report_error(err, errlen, "migrate down: bad arguments");
		return APP_EINVALID;
	}
	plan_init(&p, dir);
	p.lock_wait_ms = lock_wait_ms;
	rc = plan_load_for_change(&p, conn, out, err, errlen);
	if (rc == 0)
		rc = check_down_files(&p, count, &wanted, err, errlen);
	if (rc != 0)
		goto out;
	for (size_t i = p.nentries; i-- > 0 && done < wanted;) {
		const struct mig_entry *e = &p.entries[i];

		if (e->applied == NULL)
			continue;
		rc = run_file(conn, &p, e->file, MIGRATION_DOWN, out, err, errlen);
		if (rc != 0)
			goto out;
		done++;
	}
	if (done == 0)
		migration_report_progress(out, "nothing to revert: no migration is applied\n");
	else
		migration_report_progress(out, "reverted %d migration(s); %zu still applied\n",
		                          done, p.napplied - (size_t)done);
out:
	lock_release(conn, &p.lock);
	plan_cleanup(&p);
	return rc;
}

/*
 * Writes "NNNN_name" of an entry like snprintf: its file's, or for an applied version whose files
 * are gone, the one its row recorded.
 */
static int entry_base(const struct mig_entry *e, char *buf, size_t n)
{
	if (e->file != NULL)
		return snprintf(buf, n, "%s", e->file->base);
	return migration_base_name(buf, n, e->version, e->applied->name);
}

/* The width of the name column of status: the longest entry name, at least 4. */
static int status_width(const struct mig_plan *p)
{
	int width = 4;

	for (size_t i = 0; i < p->nentries; i++) {
		int w = entry_base(&p->entries[i], NULL, 0);

		if (w > width)
			width = w;
	}
	return width;
}

/* Prints the status line of e; returns its problem (0 or a code, with msg set). */
static int status_line(FILE *out, const struct mig_plan *p, const struct mig_entry *e, int width,
                       char *msg, size_t msglen)
{
	char base[MIGRATION_BASE_MAX + ROW_TEXT_MAX], state[ROW_TEXT_MAX + 16];
	int rc = entry_problem(p, e, msg, msglen);

	entry_base(e, base, sizeof base);
	if (e->applied != NULL)
		snprintf(state, sizeof state, "applied %s", e->applied->applied_em);
	else
		snprintf(state, sizeof state, "pending");
	if (rc == 0)
		migration_report_progress(out, "%-*s  %s\n", width, base, state);
	else
		migration_report_progress(out, "%-*s  %-28s  ERROR: %s\n", width, base, state, msg);
	return rc;
}

int migrator_status(PGconn *conn, const char *dir, FILE *out, char *err, size_t errlen)
{
	struct mig_plan p;
	char msg[MIGRATOR_ERROR_MAX], first[MIGRATOR_ERROR_MAX] = "";
	int rc, first_rc = 0, problems = 0, width;
	size_t pending = 0;

	migration_report_error(err, errlen, "%s", "");
	if (dir == NULL) {
		migration_report_error(err, errlen, "migrate status: bad arguments");
		return APP_EINVALID;
	}
	plan_init(&p, dir);
	rc = plan_load(&p, conn, PLAN_READ_ONLY, out, err, errlen);
	if (rc != 0)
		goto out;
	width = status_width(&p);
	if (p.nentries == 0)
		migration_report_progress(out, "no migrations in %s\n", dir);
	for (size_t i = 0; i < p.nentries; i++) {
		const struct mig_entry *e = &p.entries[i];
		int prc = status_line(out, &p, e, width, msg, sizeof msg);

		if (e->applied == NULL)
			pending++;
		if (prc != 0 && problems++ == 0) {
			first_rc = prc;
			snprintf(first, sizeof first, "%s", msg);
		}
	}
	migration_report_progress(out, "%zu applied, %zu pending, %d problem(s)\n", p.napplied,
	                          pending, problems);
	if (problems == 1)
		migration_report_error(err, errlen, "%s", first);
	else if (problems > 1)
		migration_report_error(err, errlen, "%s (and %d more problems)", first,
		                       problems - 1);
	rc = first_rc;
out:
	plan_cleanup(&p);
	return rc;
}

/*
 * Integration tests of the migrations runner (infrastructure/postgres/migrator.c) and of the
 * `oficina migrate` command line, against a real PostgreSQL: every test gets a fresh database of
 * the TEST_DATABASE_URL cluster and its own temporary migrations directory. Run from the
 * repository root (scripts/test.sh does), which the test of the real migrations/ directory needs.
 * The command-line test runs $OFICINA_BIN (default build/oficina) and fails when it is missing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "domain/errors.h"
#include "cmd/oficina/cli_migrate_create.h"
#include "infrastructure/postgres/migrator.h"
#include "tests/support/pg_test.h"

#define REPO_MIGRATIONS "migrations"
#define RACERS          4
#define LOCK_WAIT_MS    60000 /* the racers wait for each other well within it */

struct fixture {
	char db[PG_TEST_DBNAME_MAX];  /* the fresh database of this test */
	PGconn *conn;                 /* connection to it */
	char dir[64];                 /* temporary migrations directory */
	char err[MIGRATOR_ERROR_MAX]; /* error of the last migrator call */
	char *out;                    /* output of the last migrator call (malloc'd) */
	size_t outlen;
};

/* Three small migrations: a, b (with rows), c (with an index). */
static const char *const three[][2] = {
    {"0001_a.up.sql", "CREATE TABLE a (id int PRIMARY KEY);\n"},
    {"0001_a.down.sql", "DROP TABLE a;\n"},
    {"0002_b.up.sql", "CREATE TABLE b (id int PRIMARY KEY);\nINSERT INTO b VALUES (1), (2);\n"},
    {"0002_b.down.sql", "DROP TABLE b;\n"},
    {"0003_c.up.sql",
     "-- a comment first\nCREATE TABLE c (id int);\nCREATE INDEX c_id ON c (id);\n"},
    {"0003_c.down.sql", "DROP TABLE c;\n"},
};

/* ---- helpers ---- */

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void remove_file(const char *dir, const char *name)
{
	char path[256];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	assert_int_equal(unlink(path), 0);
}

static int file_exists(const char *dir, const char *name)
{
	char path[256];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static void write_three(const char *dir)
{
	for (size_t i = 0; i < sizeof three / sizeof three[0]; i++)
		write_file(dir, three[i][0], three[i][1]);
}

/* Removes a flat directory and what it holds. */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[512];

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	assert_non_null(f);
	assert_int_equal(pg_test_create_database(f->db, sizeof f->db), 0);
	f->conn = pg_test_connect(f->db);
	snprintf(f->dir, sizeof f->dir, "/tmp/oficina-migtest-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int rc;

	PQfinish(f->conn);
	rc = pg_test_drop_database(f->db);
	remove_dir(f->dir);
	free(f->out);
	free(f);
	return rc;
}

/* Runs up (cmd 'u'), down ('d') or status ('s') on the fixture, keeping output and error. */
static int run(struct fixture *f, char cmd, const char *dir, int n)
{
	FILE *out;
	int rc;

	free(f->out);
	f->out = NULL;
	out = open_memstream(&f->out, &f->outlen);
	assert_non_null(out);
	if (cmd == 'u')
		rc = migrator_up(f->conn, dir, n, LOCK_WAIT_MS, out, f->err, sizeof f->err);
	else if (cmd == 'd')
		rc = migrator_down(f->conn, dir, n, LOCK_WAIT_MS, out, f->err, sizeof f->err);
	else
		rc = migrator_status(f->conn, dir, out, f->err, sizeof f->err);
	assert_int_equal(fclose(out), 0);
	return rc;
}

/* The single value of a query, as a long. */
static long query_long(PGconn *conn, const char *sql)
{
	return pg_test_query_long(conn, sql, 0, NULL);
}

static int table_exists(PGconn *conn, const char *name)
{
	const char *params[1] = {name};
	char yes[8];

	pg_test_query_text(conn, "SELECT to_regclass($1) IS NOT NULL", 1, params, yes, sizeof yes);
	return strcmp(yes, "t") == 0;
}

/* The versions recorded in schema_migrations, as "1,2,3" ("" when none). */
static void applied_versions(PGconn *conn, char *buf, size_t n)
{
	pg_test_query_text(conn,
	                   "SELECT coalesce(string_agg(version::text, ',' ORDER BY version), '') "
	                   "FROM schema_migrations",
	                   0, NULL, buf, n);
}

static void assert_applied(struct fixture *f, const char *want)
{
	char got[256];

	applied_versions(f->conn, got, sizeof got);
	assert_string_equal(got, want);
}

/* No session holds the migration lock any more. */
static void assert_lock_released(struct fixture *f)
{
	assert_int_equal(query_long(f->conn, "SELECT count(*) FROM pg_locks WHERE locktype = "
	                                     "'advisory' AND granted"),
	                 0);
}

static void assert_contains(const char *haystack, const char *needle)
{
	if (haystack == NULL || strstr(haystack, needle) == NULL)
		fail_msg("expected to find \"%s\" in:\n%s", needle, haystack ? haystack : "(null)");
}

static void assert_not_contains(const char *haystack, const char *needle)
{
	if (haystack != NULL && strstr(haystack, needle) != NULL)
		fail_msg("did not expect \"%s\" in:\n%s", needle, haystack);
}

/* ---- up ---- */

static void test_up__all__applies_every_file_with_its_checksum(void **state)
{
	struct fixture *f = *state;
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[sizeof h * 2 + 1], sql[256];

	write_three(f->dir);
	assert_int_equal(run(f, 'u', f->dir, 0), 0);
	assert_applied(f, "1,2,3");
	assert_true(table_exists(f->conn, "a"));
	assert_int_equal(query_long(f->conn, "SELECT count(*) FROM b"), 2);
	assert_true(table_exists(f->conn, "c_id"));
	assert_contains(f->out, "applied  0001_a");
	assert_contains(f->out, "applied  0003_c");
	assert_contains(f->out, "up to date");

	/* The recorded checksum is the hex SHA-256 of the .up.sql. */
	assert_int_equal(sodium_init() >= 0, 1);
	crypto_hash_sha256(h, (const unsigned char *)three[2][1], strlen(three[2][1]));
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM schema_migrations WHERE version = 2 AND name = 'b' AND "
	         "checksum = '%s' AND applied_em <= now()",
	         hex);
	assert_int_equal(query_long(f->conn, sql), 1);
}

static void test_up__twice__second_run_does_nothing(void **state)
{
	struct fixture *f = *state;
	char before[64], after[64];

	write_three(f->dir);
	assert_int_equal(run(f, 'u', f->dir, 0), 0);
	pg_test_query_text(f->conn, "SELECT max(applied_em)::text FROM schema_migrations", 0, NULL,
	                   before, sizeof before);

	assert_int_equal(run(f, 'u', f->dir, 0), 0);
	assert_contains(f->out, "nothing to apply");
	assert_not_contains(f->out, "applied  ");
	assert_applied(f, "1,2,3");
	assert_int_equal(query_long(f->conn, "SELECT count(*) FROM b"), 2);
	pg_test_query_text(f->conn, "SELECT max(applied_em)::text FROM schema_migrations", 0, NULL,
	                   after, sizeof after);
	assert_string_equal(after, before);
}

static void test_up__n__applies_at_most_n(void **state)
{
	struct fixture *f = *state;

	write_three(f->dir);
	assert_int_equal(run(f, 'u', f->dir, 2), 0);
	assert_applied(f, "1,2");
	assert_false(table_exists(f->conn, "c"));
	assert_contains(f->out, "1 still pending");

	assert_int_equal(run(f, 'u', f->dir, 1), 0);
	assert_applied(f, "1,2,3");
	assert_int_equal(run(f, 'u', f->dir, 5), 0);
	assert_contains(f->out, "nothing to apply");
	assert_applied(f, "1,2,3");

	assert_int_equal(run(f, 'u', f->dir, -1), APP_EINVALID);
}

static void test_up__empty_directory__creates_the_table_only(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(run(f, 'u', f->dir, 0), 0);
	assert_true(table_exists(f->conn, "schema_migrations"));
	assert_applied(f, "");
}

static void test_up__failing_file__rolls_back_only_that_file(void **state)
{
	struct fixture *f = *state;

	write_file(f->dir, "0001_ok.up.sql", "CREATE TABLE ok1 (id int);\n");
	write_file(f->dir, "0002_bad.up.sql",
	           "CREATE TABLE half (id int);\n"
	           "INSERT INTO half VALUES (1);\n"
	           "SELECT * FROM\n"
	           "  nope;\n");
	write_file(f->dir, "0003_later.up.sql", "CREATE TABLE later (id int);\n");

	assert_int_equal(run(f, 'u', f->dir, 0), APP_EINTERNAL);
	assert_contains(f->err, "version 2");
	assert_contains(f->err, "0002_bad.up.sql");
	assert_contains(f->err, "relation \"nope\" does not exist");
	assert_contains(f->err, "line 4");
	assert_contains(f->err, "rolled back");
	assert_contains(f->out, "applied  0001_ok");

	assert_true(table_exists(f->conn, "ok1"));
	assert_false(table_exists(f->conn, "half"));
	assert_false(table_exists(f->conn, "later"));
	assert_applied(f, "1");
	assert_int_equal(PQtransactionStatus(f->conn), PQTRANS_IDLE);
	assert_lock_released(f);

	/* Once the file is fixed, the run goes on from there. */
	write_file(f->dir, "0002_bad.up.sql", "CREATE TABLE half (id int);\n");
	assert_int_equal(run(f, 'u', f->dir, 0), 0);
	assert_applied(f, "1,2,3");
	assert_lock_released(f);
}

struct holder {
	PGconn *conn; /* holds a lock on table t in an open transaction */
	int ms;       /* then commits after this long */
};

static void *release_later(void *arg)
{
	struct holder *h = arg;
	struct timespec ts = {h->ms / 1000, (long)(h->ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
	PQclear(PQexec(h->conn, "COMMIT"));
	return NULL;
}

/*
 * A file whose ALTER TABLE waits behind a long transaction (a report, a stuck session) fails
 * after the migration's lock_timeout and is rolled back, instead of waiting as long as that
 * transaction lasts while every query of the table queues behind it.
 */
static void test_up__lock_held_elsewhere__fails_at_lock_timeout_and_rolls_back(void **state)
{
	struct fixture *f = *state;
	struct holder h = {pg_test_connect(f->db), 12000};
	struct timespec t0, t1;
	pthread_t t;

	write_file(f->dir, "0001_t.up.sql", "CREATE TABLE t (id int);\n");
	assert_int_equal(run(f, 'u', f->dir, 0), 0);
	PQclear(PQexec(h.conn, "BEGIN"));
	PGresult *r = PQexec(h.conn, "SELECT count(*) FROM t"); /* ACCESS SHARE until COMMIT */
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	PQclear(r);
	assert_int_equal(pthread_create(&t, NULL, release_later, &h), 0);

	write_file(f->dir, "0002_x.up.sql", "ALTER TABLE t ADD COLUMN x int;\n");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = run(f, 'u', f->dir, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_join(t, NULL);
	PQfinish(h.conn);

	assert_int_not_equal(rc, 0);
	assert_contains(f->err, "0002_x.up.sql");
	assert_contains(f->err, "lock timeout");
	assert_contains(f->err, "rolled back");
	assert_true(t1.tv_sec - t0.tv_sec < 10);
	assert_applied(f, "1");
	assert_lock_released(f);
	/* With the table free, the same run applies it. */
	assert_int_equal(run(f, 'u', f->dir, 0), 0);
	assert_applied(f, "1,2");
}

/* Takes the migration lock on conn, as another run of up would. */
static void hold_migration_lock(PGconn *conn)
{
	char key[32];
	const char *params[1] = {key};

	snprintf(key, sizeof key, "%lld", (long long)MIGRATOR_LOCK_KEY);
	PGresult *r = PQexecParams(conn, "SELECT pg_advisory_lock($1::bigint)", 1, NULL, params,
	                           NULL, NULL, 0);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	PQclear(r);
}

/*
 * A run that waits on another one's lock gives up at its lock_wait_ms, having changed nothing,
 * with its connection idle and its session's lock_timeout untouched; once the lock is free, the
 * same run applies the files.
 */
static void test_up__migration_lock_held_elsewhere__gives_up_at_lock_wait(void **state)
{
	struct fixture *f = *state;
	PGconn *other = pg_test_connect(f->db);
	struct timespec t0, t1;
	FILE *out;

	write_three(f->dir);
	hold_migration_lock(other);
	out = open_memstream(&f->out, &f->outlen);
	assert_non_null(out);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = migrator_up(f->conn, f->dir, 0, 700, out, f->err, sizeof f->err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(fclose(out), 0);
	long elapsed_ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;

	assert_int_equal(rc, APP_EUNAVAILABLE);
	assert_contains(f->out, "waiting for the migration lock");
	assert_contains(f->err, "gave up after 0.7 s waiting for the migration lock");
	assert_true(elapsed_ms >= 650 && elapsed_ms < 5000);
	assert_false(table_exists(f->conn, "schema_migrations"));
	assert_int_equal(PQtransactionStatus(f->conn), PQTRANS_IDLE);
	assert_int_equal(query_long(f->conn, "SELECT setting::bigint FROM pg_settings WHERE name = "
	                                     "'lock_timeout'"),
	                 0);
	PQfinish(other); /* its session ends: the lock goes with it */
	assert_int_equal(run(f, 'u', f->dir, 0), 0);
	assert_applied(f, "1,2,3");
	assert_lock_released(f);
	assert_int_equal(migrator_up(f->conn, f->dir, 0, 0, NULL, f->err, sizeof f->err),
	                 APP_EINVALID);
}

static void test_up__file_that_commits_itself__is_refused(void **state)
{
	struct fixture *f = *state;

	write_file(f->dir, "0001_commits.up.sql", "CREATE TABLE t1 (id int);\nCOMMIT;\n");
	assert_int_equal(run(f, 'u', f->dir, 0), APP_EINVALID);
	assert_contains(f->err, "ended the transaction itself");
	assert_applied(f, "");
	assert_int_equal(PQtransactionStatus(f->conn), PQTRANS_IDLE);
}

static void test_up__copy_from_stdin__is_refused_and_rolled_back(void **state)
{
	struct fixture *f = *state;

	write_file(f->dir, "0001_copy.up.sql",
	           "CREATE TABLE t1 (id int);\nCOPY t1 FROM STDIN;\nCREATE TABLE t2 (id int);\n");
	assert_int_equal(run(f, 'u', f->dir, 0), APP_EINVALID);
	assert_contains(f->err, "COPY");
	assert_false(table_exists(f->conn, "t1"));
	assert_applied(f, "");
	assert_int_equal(PQtransactionStatus(f->conn), PQTRANS_IDLE);
}

static void test_up__comment_only_file__is_applied(void **state)
{
	struct fixture *f = *state;

	write_file(f->dir, "0001_nothing.up.sql", "-- nothing to do yet\n");
	assert_int_equal(run(f, 'u', f->dir, 0), 0);
	assert_applied(f, "1");
}

/* ---- down ---- */

static void test_down__n__reverts_the_last_n(void **state)
{
	struct fixture *f = *state;

	write_three(f->dir);
	assert_int_equal(run(f, 'u', f->dir, 0), 0);

	assert_int_equal(run(f, 'd', f->dir, 2), 0);
	assert_applied(f, "1");
	assert_true(table_exists(f->conn, "a"));
	assert_false(table_exists(f->conn, "b"));
	assert_false(table_exists(f->conn, "c"));
	assert_contains(f->out, "reverted 0003_c");
	assert_contains(f->out, "reverted 0002_b");
	assert_true(strstr(f->out, "0003_c") < strstr(f->out, "0002_b"));

	assert_int_equal(run(f, 'd', f->dir, 1), 0);
	assert_applied(f, "");
	assert_false(table_exists(f->conn, "a"));

	assert_int_equal(run(f, 'd', f->dir, 1), 0);
	assert_contains(f->out, "nothing to revert");

	/* More than applied: reverts what there is. */
	assert_int_equal(run(f, 'u', f->dir, 0), 0);
	assert_int_equal(run(f, 'd', f->dir, 10), 0);
	assert_applied(f, "");

	assert_int_equal(run(f, 'd', f->dir, 0), APP_EINVALID);
}

static void test_down__missing_down_file__reverts_nothing(void **state)
{
	struct fixture *f = *state;

	write_three(f->dir);
	remove_file(f->dir, "0002_b.down.sql");
	assert_int_equal(run(f, 'u', f->dir, 0), 0);

	assert_int_equal(run(f, 'd', f->dir, 2), APP_EINVALID);
	assert_contains(f->err, "0002_b.down.sql");
	assert_contains(f->err, "missing");
	assert_applied(f, "1,2,3");
	assert_true(table_exists(f->conn, "c"));

	/* Reverting only what has a .down.sql still works. */
	assert_int_equal(run(f, 'd', f->dir, 1), 0);
	assert_applied(f, "1,2");
}

static void test_down__failing_file__rolls_back_and_keeps_the_row(void **state)
{
	struct fixture *f = *state;

	write_three(f->dir);
	write_file(f->dir, "0003_c.down.sql", "DROP TABLE c;\nDROP TABLE not_there;\n");
	assert_int_equal(run(f, 'u', f->dir, 0), 0);
	assert_int_equal(run(f, 'd', f->dir, 1), APP_EINTERNAL);
	assert_contains(f->err, "0003_c.down.sql");
	assert_contains(f->err, "not_there");
	assert_true(table_exists(f->conn, "c"));
	assert_applied(f, "1,2,3");
}

/* ---- status ---- */

static void test_status__lists_applied_with_date_and_pending(void **state)
{
	struct fixture *f = *state;

	write_three(f->dir);
	/* Before anything: read-only, the table is not created. */
	assert_int_equal(run(f, 's', f->dir, 0), 0);
	assert_false(table_exists(f->conn, "schema_migrations"));
	assert_contains(f->out, "0001_a  pending");
	assert_contains(f->out, "0 applied, 3 pending, 0 problem(s)");

	assert_int_equal(run(f, 'u', f->dir, 2), 0);
	assert_int_equal(run(f, 's', f->dir, 0), 0);
	assert_contains(f->out, "0001_a  applied 20");
	assert_contains(f->out, "0002_b  applied 20");
	assert_contains(f->out, "0003_c  pending");
	assert_contains(f->out, "2 applied, 1 pending, 0 problem(s)");
	/* The date is RFC 3339 in UTC. */
	{
		const char *d = strstr(f->out, "applied 20") + strlen("applied ");

		assert_int_equal(strlen(d) > 20, 1);
		assert_int_equal(d[4], '-');
		assert_int_equal(d[10], 'T');
		assert_int_equal(d[19], 'Z');
	}
}

static void test_status__reports_every_problem(void **state)
{
	struct fixture *f = *state;

	write_three(f->dir);
	assert_int_equal(run(f, 'u', f->dir, 0), 0);
	write_file(f->dir, "0001_a.up.sql", "CREATE TABLE a (id bigint PRIMARY KEY);\n");
	remove_file(f->dir, "0003_c.up.sql");
	remove_file(f->dir, "0003_c.down.sql");

	assert_int_equal(run(f, 's', f->dir, 0), APP_ECONFLICT);
	assert_contains(f->out, "0001_a.up.sql was edited after it was applied");
	assert_contains(f->out, "0003_c");
	assert_contains(f->out, "version 3 (c) is applied but its file 0003_c.up.sql is missing");
	assert_contains(f->out, "3 applied, 0 pending, 2 problem(s)");
	assert_contains(f->err, "edited after it was applied");
	assert_contains(f->err, "1 more");
}

/* ---- the directory and the database must agree ---- */

static void test_checksum__edited_applied_file__is_refused(void **state)
{
	struct fixture *f = *state;

	write_three(f->dir);
	assert_int_equal(run(f, 'u', f->dir, 2), 0);
	write_file(f->dir, "0002_b.up.sql", "CREATE TABLE b (id int PRIMARY KEY);\n-- edited\n");

	assert_int_equal(run(f, 'u', f->dir, 0), APP_ECONFLICT);
	assert_contains(f->err, "0002_b.up.sql was edited after it was applied");
	assert_false(table_exists(f->conn, "c")); /* nothing ran */
	assert_applied(f, "1,2");

	assert_int_equal(run(f, 'd', f->dir, 1), APP_ECONFLICT);
	assert_contains(f->err, "0002_b.up.sql was edited after it was applied");
	assert_applied(f, "1,2");

	/* Restoring the file makes everything work again. */
	write_file(f->dir, "0002_b.up.sql", three[2][1]);
	assert_int_equal(run(f, 'u', f->dir, 0), 0);
	assert_applied(f, "1,2,3");
}

static void test_applied_version_without_file__is_refused(void **state)
{
	struct fixture *f = *state;

	write_three(f->dir);
	assert_int_equal(run(f, 'u', f->dir, 0), 0);
	remove_file(f->dir, "0003_c.up.sql");
	remove_file(f->dir, "0003_c.down.sql");
	write_file(f->dir, "0004_d.up.sql", "CREATE TABLE d (id int);\n");

	assert_int_equal(run(f, 'u', f->dir, 0), APP_ECONFLICT);
	assert_contains(f->err, "version 3 (c) is applied but its file 0003_c.up.sql is missing");
	assert_false(table_exists(f->conn, "d"));
}

static void test_renamed_applied_file__is_refused(void **state)
{
	struct fixture *f = *state;

	write_three(f->dir);
	assert_int_equal(run(f, 'u', f->dir, 0), 0);
	remove_file(f->dir, "0002_b.up.sql");
	remove_file(f->dir, "0002_b.down.sql");
	write_file(f->dir, "0002_bee.up.sql", three[2][1]);

	assert_int_equal(run(f, 'u', f->dir, 0), APP_ECONFLICT);
	assert_contains(f->err, "version 2 was applied as \"b\"");
	assert_contains(f->err, "0002_bee.up.sql");
}

static void test_pending_below_an_applied_version__is_refused(void **state)
{
	struct fixture *f = *state;

	write_file(f->dir, "0001_a.up.sql", three[0][1]);
	write_file(f->dir, "0003_c.up.sql", three[4][1]);
	assert_int_equal(run(f, 'u', f->dir, 0), 0);
	write_file(f->dir, "0002_b.up.sql", three[2][1]);

	assert_int_equal(run(f, 'u', f->dir, 0), APP_ECONFLICT);
	assert_contains(f->err,
	                "0002_b.up.sql is pending but a later version (3) is already applied");
	assert_false(table_exists(f->conn, "b"));
}

static void test_bad_directory__is_refused_before_touching_the_database(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {
	    "0002_B.up.sql",     "002_b.up.sql",     "0002-b.up.sql", "0002_b.sql",
	    "0002_b.UP.sql",     "0000_zero.up.sql", "0002_.up.sql",  "0002_b.c.up.sql",
	    "0002_b.up.sql.sql", "abcd_b.up.sql",
	};

	write_three(f->dir);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		write_file(f->dir, bad[i], "SELECT 1;\n");
		assert_int_equal(run(f, 'u', f->dir, 0), APP_EINVALID);
		assert_contains(f->err, "bad migration file name");
		assert_contains(f->err, bad[i]);
		remove_file(f->dir, bad[i]);
	}
	assert_false(table_exists(f->conn, "schema_migrations"));

	/* Files that are not .sql, and hidden files, are ignored. */
	write_file(f->dir, "README.md", "notes\n");
	write_file(f->dir, ".0002_hidden.sql", "garbage\n");

	write_file(f->dir, "0002_other.up.sql", "SELECT 1;\n");
	assert_int_equal(run(f, 'u', f->dir, 0), APP_EINVALID);
	assert_contains(f->err, "duplicate migration version 2");
	remove_file(f->dir, "0002_other.up.sql");

	write_file(f->dir, "00002_b.down.sql", "SELECT 1;\n");
	assert_int_equal(run(f, 'u', f->dir, 0), APP_EINVALID);
	assert_contains(f->err, "duplicate migration version 2");
	remove_file(f->dir, "00002_b.down.sql");

	write_file(f->dir, "0009_orphan.down.sql", "SELECT 1;\n");
	assert_int_equal(run(f, 'u', f->dir, 0), APP_EINVALID);
	assert_contains(f->err, "0009_orphan.down.sql has no 0009_orphan.up.sql");
	remove_file(f->dir, "0009_orphan.down.sql");

	assert_int_equal(run(f, 'u', "/nonexistent/oficina/migrations", 0), APP_EINVALID);
	assert_contains(f->err, "cannot open the migrations directory");
	assert_false(table_exists(f->conn, "schema_migrations"));

	assert_int_equal(run(f, 'u', f->dir, 0), 0);
	assert_applied(f, "1,2,3");
}

static void test_file_too_large__is_refused(void **state)
{
	struct fixture *f = *state;
	char path[256];
	FILE *fp;

	snprintf(path, sizeof path, "%s/0001_big.up.sql", f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, MIGRATOR_FILE_MAX, SEEK_SET), 0);
	assert_int_equal(fputs("-- too far\n", fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);

	assert_int_equal(run(f, 'u', f->dir, 0), APP_EINVALID);
	assert_contains(f->err, "0001_big.up.sql is larger than");
	assert_applied(f, "");
}

static void test_connection__broken_or_busy__is_reported(void **state)
{
	struct fixture *f = *state;
	PGresult *res;

	write_three(f->dir);
	res = PQexec(f->conn, "BEGIN");
	PQclear(res);
	assert_int_equal(run(f, 'u', f->dir, 0), APP_EINVALID);
	assert_contains(f->err, "inside a transaction");
	PQclear(PQexec(f->conn, "ROLLBACK"));

	assert_int_equal(migrator_up(NULL, f->dir, 0, LOCK_WAIT_MS, NULL, f->err, sizeof f->err),
	                 APP_EUNAVAILABLE);
	/* A connection that never came up. */
	{
		PGconn *bad = PQconnectdb("host=127.0.0.1 port=1 connect_timeout=2");

		assert_int_equal(
		    migrator_up(bad, f->dir, 0, LOCK_WAIT_MS, NULL, f->err, sizeof f->err),
		    APP_EUNAVAILABLE);
		assert_contains(f->err, "not connected");
		PQfinish(bad);
	}
}

/* ---- create ---- */

static void test_create__numbers_after_the_highest_and_validates_the_name(void **state)
{
	struct fixture *f = *state;
	char err[MIGRATOR_ERROR_MAX], name65[66], path[128], *out = NULL;
	size_t outlen = 0;
	FILE *o;
	static const char *const invalid[] = {"", "Bad", "a-b", "a/b", "a.b", "../x", "ç", "a b"};

	o = open_memstream(&out, &outlen);
	assert_non_null(o);
	assert_int_equal(cli_migrate_create(f->dir, "first", o, err, sizeof err), 0);
	fflush(o);
	assert_true(file_exists(f->dir, "0001_first.up.sql"));
	assert_true(file_exists(f->dir, "0001_first.down.sql"));
	assert_contains(out, "created ");
	assert_contains(out, "/0001_first.up.sql\n");
	assert_contains(out, "/0001_first.down.sql\n");

	assert_int_equal(cli_migrate_create(f->dir, "second_2", o, err, sizeof err), 0);
	assert_true(file_exists(f->dir, "0002_second_2.up.sql"));
	assert_true(file_exists(f->dir, "0002_second_2.down.sql"));

	write_file(f->dir, "0041_jump.up.sql", "SELECT 1;\n");
	assert_int_equal(cli_migrate_create(f->dir, "after_jump", o, err, sizeof err), 0);
	assert_true(file_exists(f->dir, "0042_after_jump.up.sql"));
	assert_int_equal(fclose(o), 0);
	free(out);

	/* 64 characters is the longest name; 65 is too long. */
	memset(name65, 'x', 64);
	name65[64] = '\0';
	assert_int_equal(cli_migrate_create(f->dir, name65, NULL, err, sizeof err), 0);
	snprintf(path, sizeof path, "0043_%s.up.sql", name65);
	assert_true(file_exists(f->dir, path));
	memset(name65, 'y', 65);
	name65[65] = '\0';
	assert_int_equal(cli_migrate_create(f->dir, name65, NULL, err, sizeof err), APP_EINVALID);
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
		assert_int_equal(cli_migrate_create(f->dir, invalid[i], NULL, err, sizeof err),
		                 APP_EINVALID);
		assert_contains(err, "invalid migration name");
	}
	assert_int_equal(cli_migrate_create(f->dir, NULL, NULL, err, sizeof err), APP_EINVALID);
	assert_false(file_exists(f->dir, "0044_Bad.up.sql"));
	assert_int_equal(cli_migrate_create("/nonexistent/oficina", "x", NULL, err, sizeof err),
	                 APP_EINVALID);
	assert_contains(err, "cannot open the migrations directory");

	/* What create writes is a valid migration: comments only, applied and reverted. */
	remove_file(f->dir, "0041_jump.up.sql");
	assert_int_equal(cli_migrate_create(f->dir, "z", NULL, err, sizeof err), 0);
	assert_true(file_exists(f->dir, "0044_z.up.sql"));
	assert_int_equal(run(f, 'u', f->dir, 0), 0);
	assert_applied(f, "1,2,42,43,44");
	assert_int_equal(run(f, 'd', f->dir, 5), 0);
	assert_applied(f, "");
}

/* ---- many processes at once ---- */

/*
 * A racer: connects, tells the parent it is ready, waits for the start signal (the parent closing
 * the pipe), runs up. Exit 0: applied something; 3: found nothing to do; 1: failed.
 */
static void racer(const char *url, const char *dir, int ready_fd, int go_fd)
{
	PGconn *conn = PQconnectdb(url);
	char err[MIGRATOR_ERROR_MAX], c = 'r', *out = NULL;
	size_t outlen = 0;
	FILE *o = open_memstream(&out, &outlen);
	int rc, code;

	if (PQstatus(conn) != CONNECTION_OK || o == NULL) {
		fprintf(stderr, "racer: %s", PQerrorMessage(conn));
		_exit(1);
	}
	if (write(ready_fd, &c, 1) != 1)
		_exit(1);
	while (read(go_fd, &c, 1) < 0 && errno == EINTR)
		;
	rc = migrator_up(conn, dir, 0, LOCK_WAIT_MS, o, err, sizeof err);
	fclose(o);
	if (rc != 0) {
		fprintf(stderr, "racer: %s\n", err);
		code = 1;
	} else {
		code = strstr(out, "applied  0001_a") != NULL ? 0 : 3;
	}
	free(out);
	PQfinish(conn);
	/* _exit: the inherited test connection and cmocka state belong to the parent. */
	_exit(code);
}

static void test_up__four_processes_at_once__each_file_applied_once(void **state)
{
	struct fixture *f = *state;
	int ready[2], go[2], applied = 0, idle = 0;
	pid_t pids[RACERS];
	char *url = pg_test_url_for(f->db);
	char c;

	assert_non_null(url);
	write_three(f->dir);
	/* Long enough that the others surely arrive while the first one holds the lock. */
	write_file(f->dir, "0002_b.up.sql",
	           "CREATE TABLE b (id int PRIMARY KEY);\nINSERT INTO b VALUES (1), (2);\n"
	           "SELECT pg_sleep(0.3);\n");
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	fflush(NULL);
	for (int i = 0; i < RACERS; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			close(ready[0]);
			close(go[1]);
			racer(url, f->dir, ready[1], go[0]);
		}
	}
	close(ready[1]);
	close(go[0]);
	for (int i = 0; i < RACERS; i++)
		assert_int_equal(read(ready[0], &c, 1), 1);
	close(go[1]); /* every racer's read returns now */
	close(ready[0]);
	for (int i = 0; i < RACERS; i++) {
		int st;

		assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
		assert_true(WIFEXITED(st));
		if (WEXITSTATUS(st) == 0)
			applied++;
		else if (WEXITSTATUS(st) == 3)
			idle++;
		else
			fail_msg("racer %d failed with exit status %d", i, WEXITSTATUS(st));
	}
	free(url);
	assert_int_equal(applied, 1);
	assert_int_equal(idle, RACERS - 1);
	assert_applied(f, "1,2,3");
	assert_int_equal(query_long(f->conn, "SELECT count(*) FROM b"), 2);
	assert_int_equal(query_long(f->conn, "SELECT count(*) FROM schema_migrations"), 3);
}

/* ---- the repository's own migrations ---- */

static int count_up_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		fail_msg("cannot open %s: run the test from the repository root", dir);
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] != '.' && len > 7 && strcmp(de->d_name + len - 7, ".up.sql") == 0)
			n++;
	}
	closedir(d);
	return n;
}

/* Objects of the public schema a migration made: relations, types and functions of no extension. */
static long leftover_objects(PGconn *conn)
{
	return query_long(
	    conn, "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
	          "c.relnamespace WHERE n.nspname = 'public' AND c.relname NOT IN "
	          "('schema_migrations', 'schema_migrations_pkey') AND NOT EXISTS (SELECT 1 FROM "
	          "pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND "
	          "d.deptype = 'e')) + (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON "
	          "n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', "
	          "'r', 'm') AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = "
	          "'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')) + (SELECT "
	          "count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE "
	          "n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid "
	          "= 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'))");
}

static void test_repo_migrations__up_down_all_up_again(void **state)
{
	struct fixture *f = *state;
	int n = count_up_files(REPO_MIGRATIONS);

	assert_true(n >= 1);
	assert_int_equal(run(f, 'u', REPO_MIGRATIONS, 0), 0);
	assert_int_equal(query_long(f->conn, "SELECT count(*) FROM schema_migrations"), n);
	assert_int_equal(run(f, 's', REPO_MIGRATIONS, 0), 0);

	assert_int_equal(run(f, 'd', REPO_MIGRATIONS, n), 0);
	assert_int_equal(query_long(f->conn, "SELECT count(*) FROM schema_migrations"), 0);
	assert_int_equal(leftover_objects(f->conn), 0);

	assert_int_equal(run(f, 'u', REPO_MIGRATIONS, 0), 0);
	assert_int_equal(query_long(f->conn, "SELECT count(*) FROM schema_migrations"), n);
	assert_int_equal(run(f, 'u', REPO_MIGRATIONS, 0), 0);
	assert_contains(f->out, "nothing to apply");
}

/* ---- the command line, as a child process ---- */

struct cli_result {
	int status; /* exit code, or 128 + signal */
	char out[8192];
	char err[4096];
};

static const char *oficina_bin(void)
{
	const char *bin = getenv("OFICINA_BIN");

	if (bin == NULL || bin[0] == '\0')
		bin = "build/oficina";
	if (access(bin, X_OK) != 0)
		fail_msg(
		    "the oficina binary %s is missing (%s): build it (make) or point OFICINA_BIN "
		    "at it; this test does not skip",
		    bin, strerror(errno));
	return bin;
}

static void slurp_fd(int fd, char *buf, size_t n)
{
	ssize_t r;
	size_t used = 0;

	lseek(fd, 0, SEEK_SET);
	while (used + 1 < n && (r = read(fd, buf + used, n - 1 - used)) > 0)
		used += (size_t)r;
	buf[used] = '\0';
}

/* Runs $OFICINA_BIN migrate args... with DATABASE_URL=url (NULL: unset) and MIGRATIONS_DIR=dir. */
static void run_cli(struct cli_result *r, const char *url, const char *dir, const char *a1,
                    const char *a2, const char *a3)
{
	const char *bin = oficina_bin();
	char out_path[] = "/tmp/oficina-cli-out-XXXXXX", err_path[] = "/tmp/oficina-cli-err-XXXXXX";
	int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path), st;
	pid_t pid;

	assert_true(out_fd >= 0 && err_fd >= 0);
	unlink(out_path);
	unlink(err_path);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *argv[6] = {NULL};
		int i = 0;

		argv[i++] = (char *)"oficina";
		argv[i++] = (char *)"migrate";
		if (a1 != NULL)
			argv[i++] = strdup(a1); /* the child execs or exits */
		if (a1 != NULL && a2 != NULL)
			argv[i++] = strdup(a2); /* the child execs or exits */
		if (a1 != NULL && a2 != NULL && a3 != NULL)
			argv[i++] = strdup(a3); /* the child execs or exits */
		if (url != NULL)
			setenv("DATABASE_URL", url, 1);
		else
			unsetenv("DATABASE_URL");
		setenv("MIGRATIONS_DIR", dir, 1);
		dup2(out_fd, 1);
		dup2(err_fd, 2);
		execv(bin, argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	slurp_fd(out_fd, r->out, sizeof r->out);
	slurp_fd(err_fd, r->err, sizeof r->err);
	close(out_fd);
	close(err_fd);
}

static void assert_exit(const struct cli_result *r, int want)
{
	if (r->status != want)
		fail_msg("exit status %d, expected %d\nstdout:\n%s\nstderr:\n%s", r->status, want,
		         r->out, r->err);
}

/* stderr is exactly one line starting "oficina migrate: ". */
static void assert_one_error_line(const struct cli_result *r)
{
	const char *nl = strchr(r->err, '\n');

	assert_contains(r->err, "oficina migrate: ");
	assert_true(strncmp(r->err, "oficina migrate: ", 17) == 0);
	assert_non_null(nl);
	assert_true(nl[1] == '\0');
}

static void test_cli__end_to_end(void **state)
{
	struct fixture *f = *state;
	struct cli_result *r = calloc(1, sizeof *r);
	char *url = pg_test_url_for(f->db);

	assert_non_null(r);
	assert_non_null(url);
	write_three(f->dir);

	run_cli(r, url, f->dir, "status", NULL, NULL);
	assert_exit(r, 0);
	assert_contains(r->out, "0 applied, 3 pending");

	run_cli(r, url, f->dir, "up", "2", NULL);
	assert_exit(r, 0);
	assert_contains(r->out, "applied  0002_b");
	assert_applied(f, "1,2");

	run_cli(r, url, f->dir, "up", NULL, NULL);
	assert_exit(r, 0);
	assert_applied(f, "1,2,3");

	run_cli(r, url, f->dir, "status", NULL, NULL);
	assert_exit(r, 0);
	assert_contains(r->out, "0003_c  applied 20");

	run_cli(r, url, f->dir, "down", NULL, NULL);
	assert_exit(r, 0);
	assert_applied(f, "1,2");
	run_cli(r, url, f->dir, "down", "2", NULL);
	assert_exit(r, 0);
	assert_applied(f, "");

	/* Usage errors: exit 2, nothing done. */
	static const char *const usage_cases[][3] = {
	    {NULL, NULL, NULL},   {"up", "0", NULL},      {"up", "-1", NULL},
	    {"up", "abc", NULL},  {"up", "2x", NULL},     {"up", "99999999999", NULL},
	    {"down", "0", NULL},  {"up", "1", "2"},       {"status", "x", NULL},
	    {"frob", NULL, NULL}, {"create", NULL, NULL}, {"create", "Bad-Name", NULL},
	};
	for (size_t i = 0; i < sizeof usage_cases / sizeof usage_cases[0]; i++) {
		run_cli(r, url, f->dir, usage_cases[i][0], usage_cases[i][1], usage_cases[i][2]);
		assert_exit(r, 2);
		assert_contains(r->err, "oficina migrate: ");
		assert_contains(r->err, "usage: oficina migrate");
	}
	assert_applied(f, "");

	/* create: no database needed. */
	run_cli(r, "postgresql://nobody@127.0.0.1:1/none", f->dir, "create", "add_x", NULL);
	assert_exit(r, 0);
	assert_contains(r->out, "0004_add_x.up.sql");
	assert_true(file_exists(f->dir, "0004_add_x.up.sql"));
	assert_true(file_exists(f->dir, "0004_add_x.down.sql"));

	/* A failing migration: exit 1, one line naming the file and PostgreSQL's message. */
	write_file(f->dir, "0005_bad.up.sql", "SELECT * FROM nope;\n");
	run_cli(r, url, f->dir, "up", NULL, NULL);
	assert_exit(r, 1);
	assert_one_error_line(r);
	assert_contains(r->err, "0005_bad.up.sql");
	assert_contains(r->err, "relation \"nope\" does not exist");
	assert_applied(f, "1,2,3,4");
	remove_file(f->dir, "0005_bad.up.sql");

	/* An edited file: exit 1 for up and for status. */
	write_file(f->dir, "0001_a.up.sql", "CREATE TABLE a (id int);\n");
	run_cli(r, url, f->dir, "up", NULL, NULL);
	assert_exit(r, 1);
	assert_one_error_line(r);
	assert_contains(r->err, "edited after it was applied");
	run_cli(r, url, f->dir, "status", NULL, NULL);
	assert_exit(r, 1);
	assert_contains(r->out, "ERROR: ");

	/* Unreachable database: exit 1, one line, no password. */
	run_cli(r, "postgresql://someone:s3cr%65tpw@127.0.0.1:1/x", f->dir, "up", NULL, NULL);
	assert_exit(r, 1);
	assert_one_error_line(r);
	assert_contains(r->err, "cannot connect");
	assert_not_contains(r->err, "s3cr");
	assert_not_contains(r->err, "etpw");
	/* A malformed URL whose password libpq would echo. */
	run_cli(r, "postgresql://someone:pa%zzss@127.0.0.1:1/x", f->dir, "status", NULL, NULL);
	assert_exit(r, 1);
	assert_one_error_line(r);
	assert_not_contains(r->err, "pa%zzss");
	run_cli(r, "host=127.0.0.1 port=1 password=hunter22 dbname", f->dir, "status", NULL, NULL);
	assert_exit(r, 1);
	assert_one_error_line(r);
	assert_not_contains(r->err, "hunter22");

	/* Another run holds the lock past MIGRATE_LOCK_WAIT_SECONDS: exit 1, one line. */
	PGconn *other = pg_test_connect(f->db);
	hold_migration_lock(other);
	setenv("MIGRATE_LOCK_WAIT_SECONDS", "1", 1);
	run_cli(r, url, f->dir, "down", NULL, NULL);
	assert_exit(r, 1);
	assert_one_error_line(r);
	assert_contains(r->err, "gave up after 1 s waiting for the migration lock");
	PQfinish(other);
	assert_applied(f, "1,2,3,4");
	setenv("MIGRATE_LOCK_WAIT_SECONDS", "0", 1);
	run_cli(r, url, f->dir, "up", NULL, NULL);
	assert_exit(r, 1);
	assert_one_error_line(r);
	assert_contains(r->err, "MIGRATE_LOCK_WAIT_SECONDS");
	/* status takes no lock: the setting is not read, and it reports as ever (the edited file
	 * above is still its problem). */
	run_cli(r, url, f->dir, "status", NULL, NULL);
	assert_contains(r->out, "4 applied, 0 pending");
	assert_not_contains(r->err, "MIGRATE_LOCK_WAIT_SECONDS");
	unsetenv("MIGRATE_LOCK_WAIT_SECONDS");

	/* Help goes to stdout with status 0. */
	run_cli(r, url, f->dir, "help", NULL, NULL);
	assert_exit(r, 0);
	assert_contains(r->out, "usage: oficina migrate");

	free(url);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	    T(test_up__all__applies_every_file_with_its_checksum),
	    T(test_up__twice__second_run_does_nothing),
	    T(test_up__n__applies_at_most_n),
	    T(test_up__empty_directory__creates_the_table_only),
	    T(test_up__failing_file__rolls_back_only_that_file),
	    T(test_up__lock_held_elsewhere__fails_at_lock_timeout_and_rolls_back),
	    T(test_up__migration_lock_held_elsewhere__gives_up_at_lock_wait),
	    T(test_up__file_that_commits_itself__is_refused),
	    T(test_up__copy_from_stdin__is_refused_and_rolled_back),
	    T(test_up__comment_only_file__is_applied),
	    T(test_down__n__reverts_the_last_n),
	    T(test_down__missing_down_file__reverts_nothing),
	    T(test_down__failing_file__rolls_back_and_keeps_the_row),
	    T(test_status__lists_applied_with_date_and_pending),
	    T(test_status__reports_every_problem),
	    T(test_checksum__edited_applied_file__is_refused),
	    T(test_applied_version_without_file__is_refused),
	    T(test_renamed_applied_file__is_refused),
	    T(test_pending_below_an_applied_version__is_refused),
	    T(test_bad_directory__is_refused_before_touching_the_database),
	    T(test_file_too_large__is_refused),
	    T(test_connection__broken_or_busy__is_reported),
	    T(test_create__numbers_after_the_highest_and_validates_the_name),
	    T(test_up__four_processes_at_once__each_file_applied_once),
	    T(test_repo_migrations__up_down_all_up_again),
	    T(test_cli__end_to_end),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

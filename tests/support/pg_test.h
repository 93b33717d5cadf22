/*
 * PostgreSQL helpers for the integration and end-to-end tests (test support, linked into every
 * tests/integration and tests/e2e binary). The cluster comes from TEST_DATABASE_URL, which
 * scripts/test.sh sets to a throw-away cluster where the user is a superuser with trust
 * authentication; each test may create its own fresh database there and drop it afterwards.
 * Statements a test runs to arrange or check rows go through pg_test_query and its siblings,
 * which fail the running cmocka test when the server refuses them.
 */
#ifndef OFICINA_TESTS_SUPPORT_PG_TEST_H
#define OFICINA_TESTS_SUPPORT_PG_TEST_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "infrastructure/postgres/pg_session.h"

#define PG_TEST_DBNAME_MAX 64 /* room for a name made by pg_test_create_database, NUL included */

/*
 * TEST_DATABASE_URL. Fails the running cmocka test with a message saying how to set it when it is
 * unset or empty (so a test never passes by skipping). The string belongs to the environment.
 */
const char *pg_test_base_url(void);

/*
 * Connects to the database dbname of the TEST_DATABASE_URL cluster (NULL: the database of the URL
 * itself). Never returns NULL: fails the running test with libpq's message instead. The caller
 * releases the connection with PQfinish.
 */
PGconn *pg_test_connect(const char *dbname);

/*
 * Creates an empty database with a fresh random name ("oficina_t_" and 16 hex digits, from
 * template0) and writes the name into name_out (n >= PG_TEST_DBNAME_MAX). The name needs no quoting
 * in a URL or in SQL. 0, or -1 with the reason on stderr. Drop it with pg_test_drop_database.
 */
int pg_test_create_database(char *name_out, size_t n);

/*
 * Drops the database name if it exists, ending the sessions still connected to it (WITH FORCE).
 * 0, or -1 with the reason on stderr. NULL or "" is a no-op.
 */
int pg_test_drop_database(const char *name);

/*
 * The URL of the same cluster as TEST_DATABASE_URL (same user, host, port and parameters) with
 * dbname as its database: the path of a postgres[ql]:// URL is replaced, a key=value string gets
 * dbname appended. malloc'd; the caller frees it. NULL only when out of memory.
 */
char *pg_test_url_for(const char *dbname);

/* The fresh database of one test binary and how its sessions reach it. */
struct pg_test_database {
	char name[PG_TEST_DBNAME_MAX]; /* made by pg_test_create_database */
	char *url;                     /* its URL (pg_test_url_for), malloc'd */
	struct pg_config cfg;          /* url, a 5 s statement timeout, 5 s to connect */
};

/* The database of a binary that works in one of its own, made by its group setup below. */
extern struct pg_test_database pg_test_db;

/*
 * cmocka group fixtures over pg_test_db. pg_test_group_migrated creates a fresh database with
 * every .up.sql file of migrations/ applied in version order (the tests run from the repository
 * root), pg_test_group_empty an empty one; 0, or -1 with the reason on stderr and no database left
 * behind. A binary's own group setup may call one of them, then change pg_test_db.cfg.
 * pg_test_group_drop frees the URL and drops the database; 0 or -1.
 */
int pg_test_group_migrated(void **state);
int pg_test_group_empty(void **state);
int pg_test_group_drop(void **state);

/*
 * Runs sql with the n text parameters params on conn and fails the running test with the server's
 * message unless it returns rows or completes a command. The caller PQclears the result.
 */
PGresult *pg_test_query(PGconn *conn, const char *sql, int n, const char *const *params);

/* pg_test_query for a statement whose result is not needed. */
void pg_test_exec(PGconn *conn, const char *sql, int n, const char *const *params);

/* The first column of the one row sql must return, as a long (0 for NULL). */
long pg_test_query_long(PGconn *conn, const char *sql, int n, const char *const *params);

/* The first column of the one row sql must return, as text into dst (size len); "" for NULL. */
void pg_test_query_text(PGconn *conn, const char *sql, int n, const char *const *params, char *dst,
                        size_t len);

#endif

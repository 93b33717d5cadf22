/*
 * PostgreSQL helpers for the integration and end-to-end tests (test support, linked into every
 * tests/integration and tests/e2e binary). The cluster comes from TEST_DATABASE_URL, which
 * scripts/test.sh sets to a throw-away cluster where the user is a superuser with trust
 * authentication; each test may create its own fresh database there and drop it afterwards.
 */
#ifndef OFICINA_TESTS_SUPPORT_PG_TEST_H
#define OFICINA_TESTS_SUPPORT_PG_TEST_H

#include <libpq-fe.h>
#include <stddef.h>

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

#endif

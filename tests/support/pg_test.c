/*
 * PostgreSQL helpers for the integration and end-to-end tests (test support): connections to the
 * TEST_DATABASE_URL cluster, fresh randomly named databases, and URLs that point at them.
 */
#include "tests/support/pg_test.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#define DBNAME_PREFIX "oficina_t_"

const char *pg_test_base_url(void)
{
	const char *url = getenv("TEST_DATABASE_URL");

	if (url == NULL || url[0] == '\0')
		fail_msg(
		    "TEST_DATABASE_URL is not set: run the tests with scripts/test.sh (make test), "
		    "or start a cluster with scripts/pg.sh start DIR PORT and export the URL it "
		    "prints");
	return url;
}

PGconn *pg_test_connect(const char *dbname)
{
	/* Only the first dbname is expanded as a URL; the second one, when given, overrides it. */
	const char *const keywords[] = {"connect_timeout", "dbname", "dbname", NULL};
	const char *const values[] = {"10", pg_test_base_url(), dbname, NULL};
	PGconn *conn = PQconnectdbParams(keywords, values, 1);
	char msg[512];

	if (conn == NULL)
		fail_msg("pg_test_connect: out of memory");
	if (PQstatus(conn) != CONNECTION_OK) {
		snprintf(msg, sizeof msg, "%s", PQerrorMessage(conn));
		PQfinish(conn);
		fail_msg("cannot connect to database %s of TEST_DATABASE_URL: %s",
		         dbname ? dbname : "(default)", msg);
	}
	return conn;
}

/* Runs one utility statement on the default database: 0 or -1 with the reason on stderr. */
static int exec_on_default_db(const char *verb, const char *name, const char *tail)
{
	PGconn *conn = pg_test_connect(NULL);
	char *quoted = NULL, *sql = NULL;
	PGresult *res = NULL;
	size_t len;
	int rc = -1;

	quoted = PQescapeIdentifier(conn, name, strlen(name));
	if (quoted == NULL) {
		fprintf(stderr, "pg_test: cannot quote %s: %s", name, PQerrorMessage(conn));
		goto out;
	}
	len = strlen(verb) + strlen(quoted) + strlen(tail) + 3;
	sql = malloc(len);
	if (sql == NULL) {
		fprintf(stderr, "pg_test: out of memory\n");
		goto out;
	}
	snprintf(sql, len, "%s %s %s", verb, quoted, tail);
	/* Utility statements take no parameters; the identifier is quoted by libpq. */
	res = PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "pg_test: %s failed: %s", sql, PQerrorMessage(conn));
		goto out;
	}
	rc = 0;
out:
	PQclear(res);
	free(sql);
	PQfreemem(quoted);
	PQfinish(conn);
	return rc;
}

int pg_test_create_database(char *name_out, size_t n)
{
	unsigned char rnd[8];
	char hex[sizeof rnd * 2 + 1];
	char name[PG_TEST_DBNAME_MAX];

	if (name_out == NULL || n < PG_TEST_DBNAME_MAX) {
		fprintf(stderr, "pg_test_create_database: the name buffer is too small\n");
		return -1;
	}
	name_out[0] = '\0';
	if (sodium_init() < 0) {
		fprintf(stderr, "pg_test_create_database: libsodium failed to initialise\n");
		return -1;
	}
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	snprintf(name, sizeof name, DBNAME_PREFIX "%s", hex);
	if (exec_on_default_db("CREATE DATABASE", name, "TEMPLATE template0") != 0)
		return -1;
	snprintf(name_out, n, "%s", name);
	return 0;
}

int pg_test_drop_database(const char *name)
{
	if (name == NULL || name[0] == '\0')
		return 0;
	return exec_on_default_db("DROP DATABASE IF EXISTS", name, "WITH (FORCE)");
}

/* Appends src to dst (of size n, with *used bytes used); percent-encodes when encode is set. */
static void append(char *dst, size_t n, size_t *used, const char *src, size_t len, int encode)
{
	static const char hexdig[] = "0123456789ABCDEF";

	for (size_t i = 0; i < len && *used + 4 < n; i++) {
		unsigned char c = (unsigned char)src[i];

		if (!encode || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
			dst[(*used)++] = (char)c;
		} else {
			dst[(*used)++] = '%';
			dst[(*used)++] = hexdig[c >> 4];
			dst[(*used)++] = hexdig[c & 15];
		}
	}
	dst[*used] = '\0';
}

char *pg_test_url_for(const char *dbname)
{
	const char *base = pg_test_base_url();
	size_t n = strlen(base) + strlen(dbname) * 3 + 32, used = 0;
	char *url = malloc(n);
	const char *scheme_end = strstr(base, "://");

	if (url == NULL)
		return NULL;
	url[0] = '\0';
	if (strncmp(base, "postgresql://", 13) == 0 || strncmp(base, "postgres://", 11) == 0) {
		const char *auth = scheme_end + 3;
		const char *path = auth + strcspn(auth, "/?#");
		const char *query = path + strcspn(path, "?#");

		append(url, n, &used, base, (size_t)(path - base), 0);
		append(url, n, &used, "/", 1, 0);
		append(url, n, &used, dbname, strlen(dbname), 1);
		append(url, n, &used, query, strlen(query), 0);
	} else {
		/* key=value form: a later dbname overrides an earlier one. */
		append(url, n, &used, base, strlen(base), 0);
		append(url, n, &used, " dbname='", 9, 0);
		for (const char *c = dbname; *c != '\0'; c++) {
			if (*c == '\'' || *c == '\\')
				append(url, n, &used, "\\", 1, 0);
			append(url, n, &used, c, 1, 0);
		}
		append(url, n, &used, "'", 1, 0);
	}
	return url;
}

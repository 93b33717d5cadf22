/*
 * PostgreSQL helpers for the integration and end-to-end tests (test support): connections to the
 * TEST_DATABASE_URL cluster, fresh randomly named databases, URLs that point at them, the
 * migrations applied to them, and statements that fail the running test when refused.
 */
#include "tests/support/pg_test.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#define DBNAME_PREFIX   "oficina_t_"
#define MIGRATIONS_GLOB "migrations/*.up.sql"

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

/*
 * Applies every .up.sql file of migrations/ (the tests run from the repository root) to conn in
 * version order, each file as one script. 0, or -1 with the reason on stderr.
 */
static int apply_migrations(PGconn *conn)
{
	glob_t gl;
	int rc = -1;

	if (glob(MIGRATIONS_GLOB, 0, NULL, &gl) != 0) {
		fprintf(stderr, "no %s (run from the repository root)\n", MIGRATIONS_GLOB);
		return -1;
	}
	for (size_t i = 0; i < gl.gl_pathc; i++) { /* glob sorts: version order */
		FILE *fp = fopen(gl.gl_pathv[i], "r");
		char *text = NULL;
		size_t len = 0;
		PGresult *r;

		if (!fp || getdelim(&text, &len, '\0', fp) < 0) {
			fprintf(stderr, "cannot read %s\n", gl.gl_pathv[i]);
			free(text);
			if (fp)
				fclose(fp);
			goto out;
		}
		fclose(fp);
		/* The file's own text: a trusted script of several statements. */
		r = PQexec(conn, text);
		free(text);
		if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
			fprintf(stderr, "%s: %s", gl.gl_pathv[i], PQerrorMessage(conn));
			PQclear(r);
			goto out;
		}
		PQclear(r);
	}
	rc = gl.gl_pathc > 0 ? 0 : -1;
out:
	globfree(&gl);
	return rc;
}

struct pg_test_database pg_test_db;

/* Makes pg_test_db a fresh database, migrated when migrate is set; 0 or -1, nothing left behind. */
static int group_create(bool migrate)
{
	struct pg_test_database *db = &pg_test_db;
	PGconn *conn;
	int rc = 0;

	memset(db, 0, sizeof *db);
	if (pg_test_create_database(db->name, sizeof db->name) != 0)
		return -1;
	if (!(db->url = pg_test_url_for(db->name))) {
		fprintf(stderr, "pg_test: out of memory\n");
		pg_test_drop_database(db->name);
		return -1;
	}
	if (migrate) {
		conn = pg_test_connect(db->name);
		rc = apply_migrations(conn);
		PQfinish(conn);
	}
	if (rc != 0) { /* leave nothing behind on the cluster */
		pg_test_group_drop(NULL);
		return -1;
	}
	db->cfg.url = db->url;
	db->cfg.statement_timeout_ms = 5000;
	db->cfg.connect_timeout_s = 5;
	return 0;
}

int pg_test_group_migrated(void **state)
{
	(void)state;
	return group_create(true);
}

int pg_test_group_empty(void **state)
{
	(void)state;
	return group_create(false);
}

int pg_test_group_drop(void **state)
{
	int rc;

	(void)state;
	free(pg_test_db.url);
	pg_test_db.url = NULL;
	pg_test_db.cfg.url = NULL;
	rc = pg_test_drop_database(pg_test_db.name);
	/* A second call (cmocka's group teardown after a failed setup) is then a no-op. */
	pg_test_db.name[0] = '\0';
	return rc;
}

PGresult *pg_test_query(PGconn *conn, const char *sql, int n, const char *const *params)
{
	PGresult *r = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(conn));
	return r;
}

void pg_test_exec(PGconn *conn, const char *sql, int n, const char *const *params)
{
	PQclear(pg_test_query(conn, sql, n, params));
}

long pg_test_query_long(PGconn *conn, const char *sql, int n, const char *const *params)
{
	PGresult *r = pg_test_query(conn, sql, n, params);
	long v;

	assert_int_equal(PQntuples(r), 1);
	v = PQgetisnull(r, 0, 0) ? 0 : strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

void pg_test_query_text(PGconn *conn, const char *sql, int n, const char *const *params, char *dst,
                        size_t len)
{
	PGresult *r = pg_test_query(conn, sql, n, params);

	assert_int_equal(PQntuples(r), 1);
	snprintf(dst, len, "%s", PQgetisnull(r, 0, 0) ? "" : PQgetvalue(r, 0, 0));
	PQclear(r);
}

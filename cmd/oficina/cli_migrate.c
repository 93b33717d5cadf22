/*
 * `oficina migrate` (cmd layer): argument parsing, environment, connection and error reporting
 * around the migrations runner (infrastructure/postgres/migrator.c), which does the work, and
 * around `create` (cli_migrate_create.c), which needs no database.
 *
 * DATABASE_URL may hold a password. It is never printed: every message that reaches stderr is
 * first scrubbed of the password, both as written in the URL (libpq echoes raw pieces of a
 * malformed URL) and as libpq decodes it.
 */
#include "cmd/oficina/cli_migrate.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "cmd/oficina/cli_migrate_create.h"
#include "cmd/oficina/processo.h"
#include "infrastructure/config/config.h"
#include "infrastructure/migrations/migration_dir.h"
#include "infrastructure/postgres/migrator.h"

#define EXIT_USAGE   2
#define SECRETS_MAX  4
#define PROG         "oficina migrate"
#define USAGE_LINE   "usage: oficina migrate up [N] | down [N] | status | create NAME"
#define CONN_TIMEOUT "5"

/* Passwords to keep out of every message (malloc'd, NULL when unused). */
struct secrets {
	char *items[SECRETS_MAX];
};

static void usage(FILE *f)
{
	fputs(USAGE_LINE
	      "\n"
	      "  up [N]       apply the pending migrations, in version order (at most N)\n"
	      "  down [N]     revert the last N applied migrations (default 1)\n"
	      "  status       list every version: applied (with its date) or pending, and "
	      "problems\n"
	      "  create NAME  write the next NNNN_NAME.up.sql and .down.sql (NAME: a-z, 0-9, "
	      "_)\n"
	      "environment:\n"
	      "  DATABASE_URL    default " CONFIG_DEFAULT_DATABASE_URL "\n"
	      "  MIGRATIONS_DIR  default " CLI_MIGRATE_DEFAULT_DIR "\n"
	      "  MIGRATE_LOCK_WAIT_SECONDS  how long up and down wait for another run's lock "
	      "(default 600)\n",
	      f);
}

static int usage_error(const char *what, const char *arg)
{
	if (arg != NULL)
		fprintf(stderr, PROG ": %s \"%.80s\"\n" USAGE_LINE "\n", what, arg);
	else
		fprintf(stderr, PROG ": %s\n" USAGE_LINE "\n", what);
	return EXIT_USAGE;
}

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : fallback;
}

/* A positive decimal integer that fits an int, digits only: 0 and *n, or -1. */
static int parse_count(const char *s, int *n)
{
	long long v = 0;

	if (s == NULL || *s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > INT_MAX)
			return -1;
	}
	if (v < 1)
		return -1;
	*n = (int)v;
	return 0;
}

static void secrets_add(struct secrets *s, const char *start, size_t len)
{
	for (size_t i = 0; i < SECRETS_MAX && len > 0; i++) {
		if (s->items[i] == NULL) {
			s->items[i] = strndup(start, len);
			return;
		}
	}
}

static void secrets_free(struct secrets *s)
{
	for (size_t i = 0; i < SECRETS_MAX; i++) {
		free(s->items[i]);
		s->items[i] = NULL;
	}
}

/*
 * Finds the password of url as written (the user-info of a postgres[ql]:// URL, or a password=
 * parameter or keyword) and as libpq decodes it.
 */
static void secrets_find(struct secrets *s, const char *url)
{
	PQconninfoOption *opts;
	const char *p;

	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
		const char *auth = strstr(url, "://") + 3;
		size_t alen = strcspn(auth, "/?#");
		const char *at = NULL, *colon;

		for (const char *c = auth; c < auth + alen; c++)
			if (*c == '@')
				at = c;
		colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
		if (colon != NULL)
			secrets_add(s, colon + 1, (size_t)(at - colon - 1));
	}
	for (p = strstr(url, "password"); p != NULL; p = strstr(p, "password")) {
		p += strlen("password");
		p += strspn(p, " \t");
		if (*p != '=')
			continue;
		p++;
		p += strspn(p, " \t");
		if (*p == '\'')
			p++;
		secrets_add(s, p, strcspn(p, "&#' \t"));
	}
	opts = PQconninfoParse(url, NULL);
	for (PQconninfoOption *o = opts; o != NULL && o->keyword != NULL; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL)
			secrets_add(s, o->val, strlen(o->val));
	PQconninfoFree(opts);
}

/* Length of the secret that starts at c, 0 when none does. */
static size_t secret_at(const struct secrets *s, const char *c)
{
	for (size_t i = 0; s != NULL && i < SECRETS_MAX; i++) {
		size_t len = s->items[i] ? strlen(s->items[i]) : 0;

		if (len > 0 && strncmp(c, s->items[i], len) == 0)
			return len;
	}
	return 0;
}

/*
 * Prints "oficina migrate: <what><msg>" on one line of stderr: every secret becomes ***, and the
 * newlines and tabs of libpq messages become single spaces. A long message is cut, never a secret
 * half shown: secrets are matched on the whole input.
 */
static void report(const struct secrets *s, const char *what, const char *msg)
{
	const char *parts[2] = {what, msg};
	char line[2048];
	size_t j = 0;
	int space = 0;

	for (size_t k = 0; k < 2; k++) {
		const char *c = parts[k];

		while (c != NULL && *c != '\0' && j + 5 < sizeof line) {
			size_t skip = secret_at(s, c);

			if (skip == 0 && (*c == '\n' || *c == '\t' || *c == '\r' || *c == ' ')) {
				space = j > 0;
				c++;
				continue;
			}
			if (space)
				line[j++] = ' ';
			space = 0;
			if (skip > 0) {
				memcpy(line + j, "***", 3);
				j += 3;
				c += skip;
			} else {
				line[j++] = *c++;
			}
		}
	}
	line[j] = '\0';
	fprintf(stderr, PROG ": %s\n", line);
}

/*
 * Connects to url; connect_timeout and application_name come before dbname so that the URL can
 * override them. NULL after reporting the failure.
 */
static PGconn *connect_db(const char *url, const struct secrets *s)
{
	const char *const keywords[] = {"connect_timeout", "application_name", "dbname", NULL};
	const char *const values[] = {CONN_TIMEOUT, "oficina-migrate", url, NULL};
	PGconn *conn = PQconnectdbParams(keywords, values, 1);

	if (conn == NULL) {
		report(s, "cannot connect to the database: ", "out of memory");
		return NULL;
	}
	if (PQstatus(conn) != CONNECTION_OK) {
		report(s, "cannot connect to the database of DATABASE_URL: ", PQerrorMessage(conn));
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

int cli_migrate(int argc, char **argv)
{
	struct secrets secrets = {{NULL}};
	char err[MIGRATOR_ERROR_MAX] = "";
	const char *cmd, *dir, *url;
	PGconn *conn = NULL;
	long lock_wait_s = 0;
	int n = 0, rc, code = 1;

	if (argc < 2 || argv[1] == NULL)
		return usage_error("missing sub-command", NULL);
	cmd = argv[1];
	if (processo_ajuda(cmd)) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "up") == 0 || strcmp(cmd, "down") == 0) {
		if (argc > 3)
			return usage_error("too many arguments after", cmd);
		if (argc == 3 && parse_count(argv[2], &n) != 0)
			return usage_error("N must be a positive integer, not", argv[2]);
		if (argc == 2 && strcmp(cmd, "down") == 0)
			n = 1;
	} else if (strcmp(cmd, "status") == 0) {
		if (argc > 2)
			return usage_error("status takes no argument, got", argv[2]);
	} else if (strcmp(cmd, "create") == 0) {
		if (argc != 3)
			return usage_error("create takes exactly one NAME", NULL);
		if (!migration_name_valid(argv[2]))
			return usage_error("NAME must be 1 to 64 characters of a-z, 0-9 and _, not",
			                   argv[2]);
	} else {
		return usage_error("unknown sub-command", cmd);
	}

	dir = env_or("MIGRATIONS_DIR", CLI_MIGRATE_DEFAULT_DIR);
	if (strcmp(cmd, "create") == 0) {
		rc = cli_migrate_create(dir, argv[2], stdout, err, sizeof err);
		if (rc != 0)
			report(NULL, "", err);
		return rc == 0 ? 0 : 1;
	}

	/* Every wait has a deadline: a run stuck elsewhere fails this one (and its pod) visibly.
	 * status takes no lock, so it reads no such setting. */
	if (strcmp(cmd, "status") != 0 && !config_number("MIGRATE_LOCK_WAIT_SECONDS", 600, 1, 86400,
	                                                 &lock_wait_s, err, sizeof err)) {
		report(NULL, "", err);
		return 1;
	}
	url = env_or("DATABASE_URL", CONFIG_DEFAULT_DATABASE_URL);
	secrets_find(&secrets, url);
	conn = connect_db(url, &secrets);
	if (conn == NULL)
		goto out;
	if (strcmp(cmd, "up") == 0)
		rc = migrator_up(conn, dir, n, lock_wait_s * 1000, stdout, err, sizeof err);
	else if (strcmp(cmd, "down") == 0)
		rc = migrator_down(conn, dir, n, lock_wait_s * 1000, stdout, err, sizeof err);
	else
		rc = migrator_status(conn, dir, stdout, err, sizeof err);
	if (rc != 0) {
		report(&secrets, "", err);
		goto out;
	}
	code = 0;
out:
	PQfinish(conn);
	secrets_free(&secrets);
	return code;
}

/*
 * Schema migrations runner (infrastructure layer, PostgreSQL): reads a directory of
 * NNNN_name.up.sql / NNNN_name.down.sql files, compares it with the schema_migrations table, and
 * applies or reverts files one transaction each under a session advisory lock. The contract is in
 * migrator.h.
 *
 * A run works on a "plan": the files of the directory sorted by version, the rows of
 * schema_migrations, and their union by version (the entries). Every check and every command
 * walks the entries, so status, up and down agree on what is applied, pending or wrong.
 */
#include "infrastructure/postgres/migrator.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "domain/errors.h"

#define NAME_CHARS   "abcdefghijklmnopqrstuvwxyz0123456789_"
#define DIGITS_MIN   4
#define DIGITS_MAX   18 /* keeps every version inside a bigint */
#define BASE_MAX     (DIGITS_MAX + 1 + MIGRATOR_NAME_MAX + 1)
#define CHECKSUM_HEX (crypto_hash_sha256_BYTES * 2 + 1)
#define ROW_TEXT_MAX 128
#define VERSION_MAX  999999999999999999LL
#define UP_SUFFIX    ".up.sql"
#define DOWN_SUFFIX  ".down.sql"

struct mig_file {
	long long version;                /* the number of the file name */
	char base[BASE_MAX];              /* the file name without its suffix: "0002_ordens" */
	char name[MIGRATOR_NAME_MAX + 1]; /* the part after '_': "ordens" */
	int has_up;                       /* NNNN_name.up.sql exists */
	int has_down;                     /* NNNN_name.down.sql exists */
};

struct mig_applied {
	long long version;             /* schema_migrations.version */
	char name[ROW_TEXT_MAX];       /* schema_migrations.name */
	char checksum[ROW_TEXT_MAX];   /* schema_migrations.checksum */
	char applied_em[ROW_TEXT_MAX]; /* applied_em, RFC 3339 in UTC */
};

struct mig_entry {
	long long version;                 /* of the file, of the row, or of both */
	const struct mig_file *file;       /* NULL: applied, but its files are gone */
	const struct mig_applied *applied; /* NULL: pending */
};

struct mig_plan {
	const char *dir;        /* the caller's directory */
	struct mig_file *files; /* sorted by version */
	size_t nfiles;
	struct mig_applied *applied; /* sorted by version */
	size_t napplied;
	struct mig_entry *entries; /* union of files and rows, sorted by version */
	size_t nentries;
	long long max_applied; /* highest applied version, 0 when none */
};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Progress output: nothing when out is NULL, flushed so that a log collector sees each line. */
static void say(FILE *out, const char *fmt, ...)
{
	va_list ap;

	if (out == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fflush(out);
}

/* Copies src into dst on one line: newlines and tabs become spaces, runs collapse, ends trimmed. */
static void copy_one_line(char *dst, size_t n, const char *src)
{
	size_t j = 0;
	int space = 0;

	if (n == 0)
		return;
	for (; src != NULL && *src != '\0' && j + 1 < n; src++) {
		if (*src == '\n' || *src == '\t' || *src == '\r' || *src == ' ') {
			space = j > 0;
			continue;
		}
		if (space && j + 2 < n)
			dst[j++] = ' ';
		space = 0;
		dst[j++] = *src;
	}
	dst[j] = '\0';
}

static long long elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long long)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

int migrator_name_valid(const char *name)
{
	size_t len;

	if (name == NULL)
		return 0;
	len = strlen(name);
	return len >= 1 && len <= MIGRATOR_NAME_MAX && strspn(name, NAME_CHARS) == len;
}

/* Builds dir/base+suffix; APP_EINVALID when it does not fit. */
static int path_of(char *path, size_t n, const char *dir, const char *base, const char *suffix,
                   char *err, size_t errlen)
{
	size_t dlen = strlen(dir);
	const char *sep = dlen > 0 && dir[dlen - 1] == '/' ? "" : "/";
	int len = snprintf(path, n, "%s%s%s%s", dir, sep, base, suffix);

	if (len < 0 || (size_t)len >= n) {
		set_err(err, errlen, "path too long: %s%s%s%s", dir, sep, base, suffix);
		return APP_EINVALID;
	}
	return 0;
}

/*
 * Parses NNNN_name.up.sql / NNNN_name.down.sql. 0 and the parts, or -1 when fn is not such a name.
 */
static int parse_file_name(const char *fn, struct mig_file *f, int *is_up)
{
	size_t ndigits = strspn(fn, "0123456789");
	const char *name = fn + ndigits + 1;
	size_t nlen;

	if (ndigits < DIGITS_MIN || ndigits > DIGITS_MAX || fn[ndigits] != '_')
		return -1;
	nlen = strspn(name, NAME_CHARS);
	if (nlen < 1 || nlen > MIGRATOR_NAME_MAX)
		return -1;
	if (strcmp(name + nlen, UP_SUFFIX) == 0)
		*is_up = 1;
	else if (strcmp(name + nlen, DOWN_SUFFIX) == 0)
		*is_up = 0;
	else
		return -1;
	f->version = strtoll(fn, NULL, 10);
	if (f->version < 1)
		return -1;
	memcpy(f->base, fn, ndigits + 1 + nlen);
	f->base[ndigits + 1 + nlen] = '\0';
	memcpy(f->name, name, nlen);
	f->name[nlen] = '\0';
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

static int cmp_file(const void *a, const void *b)
{
	const struct mig_file *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

static void plan_init(struct mig_plan *p, const char *dir)
{
	memset(p, 0, sizeof *p);
	p->dir = dir;
}

static void plan_cleanup(struct mig_plan *p)
{
	free(p->files);
	free(p->applied);
	free(p->entries);
	memset(p, 0, sizeof *p);
}

static struct mig_file *plan_find_file(struct mig_plan *p, long long version)
{
	for (size_t i = 0; i < p->nfiles; i++)
		if (p->files[i].version == version)
			return &p->files[i];
	return NULL;
}

/* Reads the directory into p->files, sorted by version, refusing bad and duplicate names. */
static int plan_load_files(struct mig_plan *p, char *err, size_t errlen)
{
	DIR *d;
	struct dirent *de;
	size_t cap = 0;
	int rc = 0;

	d = opendir(p->dir);
	if (d == NULL) {
		set_err(err, errlen, "cannot open the migrations directory %s: %s", p->dir,
		        strerror(errno));
		return APP_EINVALID;
	}
	for (;;) {
		struct mig_file parsed, *f;
		int is_up;

		errno = 0;
		de = readdir(d);
		if (de == NULL) {
			if (errno != 0) {
				set_err(err, errlen, "cannot read the migrations directory %s: %s",
				        p->dir, strerror(errno));
				rc = APP_EINVALID;
				goto out;
			}
			break;
		}
		if (de->d_name[0] == '.' || !ends_with(de->d_name, ".sql"))
			continue;
		memset(&parsed, 0, sizeof parsed);
		if (parse_file_name(de->d_name, &parsed, &is_up) != 0) {
			set_err(err, errlen,
			        "bad migration file name %s/%s: expected NNNN_name.up.sql or "
			        "NNNN_name.down.sql (4 to 18 digits, at least 1; name of 1 to 64 "
			        "characters of a-z, 0-9 and _)",
			        p->dir, de->d_name);
			rc = APP_EINVALID;
			goto out;
		}
		f = plan_find_file(p, parsed.version);
		if (f != NULL && strcmp(f->base, parsed.base) != 0) {
			set_err(err, errlen, "duplicate migration version %lld in %s: %s%s and %s",
			        parsed.version, p->dir, f->base,
			        f->has_up ? UP_SUFFIX : DOWN_SUFFIX, de->d_name);
			rc = APP_EINVALID;
			goto out;
		}
		if (f == NULL) {
			if (p->nfiles == cap) {
				size_t ncap = cap ? cap * 2 : 32;
				struct mig_file *nf = realloc(p->files, ncap * sizeof *nf);

				if (nf == NULL) {
					set_err(err, errlen, "out of memory");
					rc = APP_ENOMEM;
					goto out;
				}
				p->files = nf;
				cap = ncap;
			}
			f = &p->files[p->nfiles++];
			*f = parsed;
		}
		if (is_up)
			f->has_up = 1;
		else
			f->has_down = 1;
	}
	if (p->nfiles > 1)
		qsort(p->files, p->nfiles, sizeof *p->files, cmp_file);
	for (size_t i = 0; i < p->nfiles; i++) {
		if (!p->files[i].has_up) {
			set_err(err, errlen, "%s/%s%s has no %s%s", p->dir, p->files[i].base,
			        DOWN_SUFFIX, p->files[i].base, UP_SUFFIX);
			rc = APP_EINVALID;
			goto out;
		}
	}
out:
	closedir(d);
	return rc;
}

/*
 * Reads a whole .sql file (at most MIGRATOR_FILE_MAX bytes) into a malloc'd NUL-terminated buffer
 * that the caller frees. A NUL byte inside is refused: libpq would silently cut the text there.
 */
static int read_sql(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	size_t used = 0;
	int fd, rc = 0;

	*text = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		set_err(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return APP_EINVALID;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		set_err(err, errlen, "%s is not a regular file", path);
		rc = APP_EINVALID;
		goto out;
	}
	if (st.st_size > MIGRATOR_FILE_MAX) {
		set_err(err, errlen, "%s is larger than %d bytes", path, MIGRATOR_FILE_MAX);
		rc = APP_EINVALID;
		goto out;
	}
	/* One byte more than the limit, so that a file that grew since fstat is caught too. */
	buf = malloc((size_t)MIGRATOR_FILE_MAX + 2);
	if (buf == NULL) {
		set_err(err, errlen, "out of memory reading %s", path);
		rc = APP_ENOMEM;
		goto out;
	}
	for (;;) {
		ssize_t r = read(fd, buf + used, (size_t)MIGRATOR_FILE_MAX + 1 - used);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			set_err(err, errlen, "cannot read %s: %s", path, strerror(errno));
			rc = APP_EINVALID;
			goto out;
		}
		if (r == 0)
			break;
		used += (size_t)r;
		if (used > MIGRATOR_FILE_MAX) {
			set_err(err, errlen, "%s is larger than %d bytes", path, MIGRATOR_FILE_MAX);
			rc = APP_EINVALID;
			goto out;
		}
	}
	if (memchr(buf, '\0', used) != NULL) {
		set_err(err, errlen, "%s contains a NUL byte", path);
		rc = APP_EINVALID;
		goto out;
	}
	buf[used] = '\0';
	*text = buf;
	*len = used;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return rc;
}

static void checksum_hex(const char *data, size_t len, char hex[CHECKSUM_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)data, len);
	sodium_bin2hex(hex, CHECKSUM_HEX, h, sizeof h);
}

/* Hex SHA-256 of the .up.sql of f. */
static int file_checksum(const struct mig_plan *p, const struct mig_file *f, char hex[CHECKSUM_HEX],
                         char *err, size_t errlen)
{
	char path[PATH_MAX];
	char *text = NULL;
	size_t len;
	int rc;

	rc = path_of(path, sizeof path, p->dir, f->base, UP_SUFFIX, err, errlen);
	if (rc == 0)
		rc = read_sql(path, &text, &len, err, errlen);
	if (rc == 0)
		checksum_hex(text, len, hex);
	free(text);
	return rc;
}

/*
 * Turns a failed libpq call into err ("what: primary message") and a code: APP_EUNAVAILABLE when
 * the connection is gone, APP_EINTERNAL otherwise.
 */
static int pg_failure(PGconn *conn, const PGresult *res, const char *what, char *err, size_t errlen)
{
	char msg[512];
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	copy_one_line(msg, sizeof msg, primary ? primary : PQerrorMessage(conn));
	if (msg[0] == '\0' && res != NULL)
		snprintf(msg, sizeof msg, "unexpected result %s", PQresStatus(PQresultStatus(res)));
	set_err(err, errlen, "%s: %s", what, msg[0] ? msg : "unknown error");
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
	char msg[512];

	if (conn == NULL) {
		set_err(err, errlen, "no database connection");
		return APP_EUNAVAILABLE;
	}
	if (PQstatus(conn) != CONNECTION_OK) {
		copy_one_line(msg, sizeof msg, PQerrorMessage(conn));
		set_err(err, errlen, "not connected to the database: %s", msg);
		return APP_EUNAVAILABLE;
	}
	if (PQtransactionStatus(conn) != PQTRANS_IDLE) {
		set_err(err, errlen,
		        "the connection is inside a transaction; migrations need an "
		        "idle connection");
		return APP_EINVALID;
	}
	return 0;
}

/*
 * Takes the session advisory lock, saying so when another process holds it and this one waits.
 * *locked is set once it is held.
 */
static int lock_acquire(PGconn *conn, FILE *out, int *locked, char *err, size_t errlen)
{
	char key[24];
	const char *params[1] = {key};
	PGresult *res;
	int rc = 0;

	snprintf(key, sizeof key, "%" PRId64, MIGRATOR_LOCK_KEY);
	res = PQexecParams(conn, "SELECT pg_try_advisory_lock($1::bigint)", 1, NULL, params, NULL,
	                   NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = pg_failure(conn, res, "taking the migration lock", err, errlen);
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
		*locked = 1;
		goto out;
	}
	PQclear(res);
	say(out, "waiting for the migration lock: another migration run holds it on this "
	         "database\n");
	res = PQexecParams(conn, "SELECT pg_advisory_lock($1::bigint)", 1, NULL, params, NULL, NULL,
	                   0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = pg_failure(conn, res, "waiting for the migration lock", err, errlen);
		goto out;
	}
	*locked = 1;
out:
	PQclear(res);
	return rc;
}

static void lock_release(PGconn *conn)
{
	char key[24];
	const char *params[1] = {key};

	snprintf(key, sizeof key, "%" PRId64, MIGRATOR_LOCK_KEY);
	PQclear(PQexecParams(conn, "SELECT pg_advisory_unlock($1::bigint)", 1, NULL, params, NULL,
	                     NULL, 0));
}

/* Whether schema_migrations is visible on the search path: *exists is 1 or 0. */
static int table_exists(PGconn *conn, int *exists, char *err, size_t errlen)
{
	PGresult *res;
	int rc = 0;

	res = PQexecParams(conn, "SELECT to_regclass('schema_migrations') IS NOT NULL", 0, NULL,
	                   NULL, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = pg_failure(conn, res, "looking for schema_migrations", err, errlen);
	else
		*exists = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return rc;
}

/*
 * Creates schema_migrations when missing. Only called under the lock, so two runners never race
 * on it; checking first keeps the "already exists, skipping" NOTICE out of every run.
 */
static int table_ensure(PGconn *conn, char *err, size_t errlen)
{
	int exists = 0;
	int rc = table_exists(conn, &exists, err, errlen);

	if (rc != 0 || exists)
		return rc;
	return exec_simple(conn,
	                   "CREATE TABLE IF NOT EXISTS schema_migrations ("
	                   "version bigint PRIMARY KEY, "
	                   "name text NOT NULL, "
	                   "checksum text NOT NULL, "
	                   "applied_em timestamptz NOT NULL DEFAULT now())",
	                   "creating schema_migrations", err, errlen);
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
	p->applied = calloc((size_t)n, sizeof *p->applied);
	if (p->applied == NULL) {
		set_err(err, errlen, "out of memory");
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
	size_t i = 0, j = 0;

	if (p->nfiles + p->napplied == 0)
		return 0;
	p->entries = calloc(p->nfiles + p->napplied, sizeof *p->entries);
	if (p->entries == NULL) {
		set_err(err, errlen, "out of memory");
		return APP_ENOMEM;
	}
	while (i < p->nfiles || j < p->napplied) {
		struct mig_entry *e = &p->entries[p->nentries++];

		if (j == p->napplied ||
		    (i < p->nfiles && p->files[i].version < p->applied[j].version)) {
			e->file = &p->files[i++];
			e->version = e->file->version;
		} else if (i == p->nfiles || p->applied[j].version < p->files[i].version) {
			e->applied = &p->applied[j++];
			e->version = e->applied->version;
		} else {
			e->file = &p->files[i++];
			e->applied = &p->applied[j++];
			e->version = e->file->version;
		}
	}
	return 0;
}

/*
 * Everything before the checks: the directory first (a bad one fails before the database is
 * touched), then the connection. up and down (lock set) take the lock and create the table;
 * status only looks whether the table exists. Then the rows and the entries.
 */
static int plan_load(struct mig_plan *p, PGconn *conn, int lock, FILE *out, int *locked, char *err,
                     size_t errlen)
{
	int rc, exists = 1;

	if (sodium_init() < 0) {
		set_err(err, errlen, "libsodium failed to initialise");
		return APP_EINTERNAL;
	}
	rc = plan_load_files(p, err, errlen);
	if (rc != 0)
		return rc;
	rc = conn_check(conn, err, errlen);
	if (rc != 0)
		return rc;
	if (lock) {
		rc = lock_acquire(conn, out, locked, err, errlen);
		if (rc == 0)
			rc = table_ensure(conn, err, errlen);
	} else {
		rc = table_exists(conn, &exists, err, errlen);
	}
	if (rc == 0 && exists)
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
	char sum[CHECKSUM_HEX];
	int rc;

	if (e->applied != NULL && e->file == NULL) {
		set_err(msg, msglen,
		        "version %lld (%s) is applied but its file %04lld_%s%s is missing from %s",
		        e->version, e->applied->name, e->version, e->applied->name, UP_SUFFIX,
		        p->dir);
		return APP_ECONFLICT;
	}
	if (e->applied == NULL) {
		if (e->version < p->max_applied) {
			set_err(msg, msglen,
			        "%s/%s%s is pending but a later version (%lld) is already "
			        "applied; renumber it above %lld",
			        p->dir, e->file->base, UP_SUFFIX, p->max_applied, p->max_applied);
			return APP_ECONFLICT;
		}
		return 0;
	}
	if (strcmp(e->applied->name, e->file->name) != 0) {
		set_err(msg, msglen,
		        "version %lld was applied as \"%s\" but its file is now %s/%s%s",
		        e->version, e->applied->name, p->dir, e->file->base, UP_SUFFIX);
		return APP_ECONFLICT;
	}
	rc = file_checksum(p, e->file, sum, msg, msglen);
	if (rc != 0)
		return rc;
	if (strcmp(sum, e->applied->checksum) != 0) {
		set_err(msg, msglen,
		        "%s/%s%s was edited after it was applied (recorded checksum %.12s..., "
		        "file now %.12s...); restore it and put the change in a new migration",
		        p->dir, e->file->base, UP_SUFFIX, e->applied->checksum, sum);
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
		set_err(err, errlen, "%s", first);
	else if (problems > 1)
		set_err(err, errlen, "%s (and %d more problems; see status)", first, problems - 1);
	return first_rc;
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

/*
 * Runs the .up.sql (up) or .down.sql of f in one transaction with the insertion (up) or deletion
 * of its schema_migrations row; rolls everything back on any error.
 */
static int run_file(PGconn *conn, const struct mig_plan *p, const struct mig_file *f, int up,
                    FILE *out, char *err, size_t errlen)
{
	char path[PATH_MAX], version[24], sum[CHECKSUM_HEX] = "";
	char *text = NULL;
	size_t len = 0;
	PGresult *res = NULL;
	struct timespec t0;
	int rc, in_tx = 0;
	ExecStatusType st;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = path_of(path, sizeof path, p->dir, f->base, up ? UP_SUFFIX : DOWN_SUFFIX, err, errlen);
	if (rc == 0)
		rc = read_sql(path, &text, &len, err, errlen);
	if (rc != 0)
		goto out;
	if (up)
		checksum_hex(text, len, sum);
	snprintf(version, sizeof version, "%lld", f->version);

	rc = exec_simple(conn, "BEGIN", "starting a transaction", err, errlen);
	if (rc != 0)
		goto out;
	in_tx = 1;

	/* Our own trusted file, several statements: the simple protocol is the one that takes them.
	 */
	res = PQexec(conn, text);
	st = PQresultStatus(res);
	if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) {
		abandon_copy(conn, res);
		set_err(
		    err, errlen,
		    "migration version %lld failed and was rolled back: %s: COPY to or from the "
		    "client is not supported in migration files",
		    f->version, path);
		rc = APP_EINVALID;
		goto out;
	}
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
		char msg[512];
		const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
		int line = res ? line_of_position(
		                     text, PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION))
		               : 0;

		copy_one_line(msg, sizeof msg, primary ? primary : PQerrorMessage(conn));
		if (line > 0)
			set_err(err, errlen,
			        "migration version %lld failed and was rolled back: %s line %d: %s",
			        f->version, path, line, msg);
		else
			set_err(err, errlen,
			        "migration version %lld failed and was rolled back: %s: %s",
			        f->version, path, msg);
		rc = PQstatus(conn) == CONNECTION_BAD ? APP_EUNAVAILABLE : APP_EINTERNAL;
		goto out;
	}
	PQclear(res);
	res = NULL;
	if (PQtransactionStatus(conn) != PQTRANS_INTRANS) {
		set_err(
		    err, errlen,
		    "migration version %lld: %s ended the transaction itself (COMMIT or ROLLBACK "
		    "in the file?); it was not recorded and may be partly applied",
		    f->version, path);
		rc = APP_EINVALID;
		goto out;
	}

	if (up) {
		const char *params[3] = {version, f->name, sum};

		res = PQexecParams(conn,
		                   "INSERT INTO schema_migrations (version, name, checksum) "
		                   "VALUES ($1::bigint, $2, $3)",
		                   3, NULL, params, NULL, NULL, 0);
	} else {
		const char *params[1] = {version};

		res = PQexecParams(conn, "DELETE FROM schema_migrations WHERE version = $1::bigint",
		                   1, NULL, params, NULL, NULL, 0);
	}
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		char what[PATH_MAX + 64];

		snprintf(what, sizeof what, "migration version %lld (%s), recording it", f->version,
		         path);
		rc = pg_failure(conn, res, what, err, errlen);
		goto out;
	}
	if (!up && strcmp(PQcmdTuples(res), "1") != 0) {
		set_err(err, errlen, "migration version %lld was not in schema_migrations",
		        f->version);
		rc = APP_EINTERNAL;
		goto out;
	}
	PQclear(res);
	res = NULL;

	/* A failed COMMIT ends the transaction too: nothing is left to roll back. */
	in_tx = 0;
	res = PQexecParams(conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		char what[PATH_MAX + 64];

		snprintf(what, sizeof what, "migration version %lld failed at COMMIT: %s",
		         f->version, path);
		rc = pg_failure(conn, res, what, err, errlen);
		goto out;
	}
	say(out, "%s %s (%lld ms)\n", up ? "applied " : "reverted", f->base, elapsed_ms(&t0));
out:
	PQclear(res);
	if (in_tx)
		rollback_quietly(conn);
	free(text);
	return rc;
}

int migrator_up(PGconn *conn, const char *dir, int limit, FILE *out, char *err, size_t errlen)
{
	struct mig_plan p;
	int rc, locked = 0, done = 0;
	size_t pending = 0;

	set_err(err, errlen, "%s", "");
	if (dir == NULL || limit < 0) {
		set_err(err, errlen, "migrate up: bad arguments");
		return APP_EINVALID;
	}
	plan_init(&p, dir);
	rc = plan_load(&p, conn, 1, out, &locked, err, errlen);
	if (rc == 0)
		rc = plan_verify(&p, err, errlen);
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
		rc = run_file(conn, &p, e->file, 1, out, err, errlen);
		if (rc != 0)
			goto out;
		done++;
	}
	if (done == 0)
		say(out, "nothing to apply: %zu migration(s) applied, none pending\n", p.napplied);
	else if (pending == 0)
		say(out, "applied %d migration(s); the database is up to date\n", done);
	else
		say(out, "applied %d migration(s); %zu still pending\n", done, pending);
out:
	if (locked)
		lock_release(conn);
	plan_cleanup(&p);
	return rc;
}

int migrator_down(PGconn *conn, const char *dir, int count, FILE *out, char *err, size_t errlen)
{
	struct mig_plan p;
	int rc, locked = 0, done = 0, wanted = 0;
	size_t i;

	set_err(err, errlen, "%s", "");
	if (dir == NULL || count < 1) {
		set_err(err, errlen, "migrate down: the count must be at least 1");
		return APP_EINVALID;
	}
	plan_init(&p, dir);
	rc = plan_load(&p, conn, 1, out, &locked, err, errlen);
	if (rc == 0)
		rc = plan_verify(&p, err, errlen);
	if (rc != 0)
		goto out;

	/* Every .down.sql needed must be there before the first one runs. */
	for (i = p.nentries; i-- > 0 && wanted < count;) {
		const struct mig_entry *e = &p.entries[i];

		if (e->applied == NULL)
			continue;
		if (!e->file->has_down) {
			set_err(err, errlen,
			        "cannot revert version %lld: %s/%s%s is missing; nothing was "
			        "reverted",
			        e->version, p.dir, e->file->base, DOWN_SUFFIX);
			rc = APP_EINVALID;
			goto out;
		}
		wanted++;
	}
	for (i = p.nentries; i-- > 0 && done < wanted;) {
		const struct mig_entry *e = &p.entries[i];

		if (e->applied == NULL)
			continue;
		rc = run_file(conn, &p, e->file, 0, out, err, errlen);
		if (rc != 0)
			goto out;
		done++;
	}
	if (done == 0)
		say(out, "nothing to revert: no migration is applied\n");
	else
		say(out, "reverted %d migration(s); %zu still applied\n", done,
		    p.napplied - (size_t)done);
out:
	if (locked)
		lock_release(conn);
	plan_cleanup(&p);
	return rc;
}

int migrator_status(PGconn *conn, const char *dir, FILE *out, char *err, size_t errlen)
{
	struct mig_plan p;
	char msg[MIGRATOR_ERROR_MAX], first[MIGRATOR_ERROR_MAX] = "";
	int rc, first_rc = 0, problems = 0, width = 4, locked = 0;
	size_t pending = 0;

	set_err(err, errlen, "%s", "");
	if (dir == NULL) {
		set_err(err, errlen, "migrate status: bad arguments");
		return APP_EINVALID;
	}
	plan_init(&p, dir);
	rc = plan_load(&p, conn, 0, out, &locked, err, errlen);
	if (rc != 0)
		goto out;
	for (size_t i = 0; i < p.nentries; i++) {
		const struct mig_entry *e = &p.entries[i];
		int w = e->file ? (int)strlen(e->file->base)
		                : snprintf(NULL, 0, "%04lld_%s", e->version, e->applied->name);

		if (w > width)
			width = w;
	}
	if (p.nentries == 0)
		say(out, "no migrations in %s\n", p.dir);
	for (size_t i = 0; i < p.nentries; i++) {
		const struct mig_entry *e = &p.entries[i];
		char base[BASE_MAX + ROW_TEXT_MAX], state[ROW_TEXT_MAX + 16];
		int prc = entry_problem(&p, e, msg, sizeof msg);

		if (e->file != NULL)
			snprintf(base, sizeof base, "%s", e->file->base);
		else
			snprintf(base, sizeof base, "%04lld_%s", e->version, e->applied->name);
		if (e->applied != NULL)
			snprintf(state, sizeof state, "applied %s", e->applied->applied_em);
		else
			snprintf(state, sizeof state, "pending");
		if (e->applied == NULL)
			pending++;
		if (prc == 0) {
			say(out, "%-*s  %s\n", width, base, state);
			continue;
		}
		say(out, "%-*s  %-28s  ERROR: %s\n", width, base, state, msg);
		if (problems++ == 0) {
			first_rc = prc;
			snprintf(first, sizeof first, "%s", msg);
		}
	}
	say(out, "%zu applied, %zu pending, %d problem(s)\n", p.napplied, pending, problems);
	if (problems == 1)
		set_err(err, errlen, "%s", first);
	else if (problems > 1)
		set_err(err, errlen, "%s (and %d more problems)", first, problems - 1);
	rc = first_rc;
out:
	plan_cleanup(&p);
	return rc;
}

/* Creates path (never overwriting) with the header of the up or down file of base. */
static int write_new_file(const char *path, const char *base, int up, char *err, size_t errlen)
{
	FILE *f = fopen(path, "wx");
	int bad;

	if (f == NULL) {
		set_err(err, errlen, "cannot create %s: %s", path, strerror(errno));
		return APP_EINVALID;
	}
	if (up)
		fprintf(
		    f,
		    "-- %s (up): describe the change here.\n"
		    "--\n"
		    "-- `oficina migrate up` runs this file in one transaction together with its\n"
		    "-- schema_migrations row: no BEGIN/COMMIT here, nor statements that cannot "
		    "run\n"
		    "-- in a transaction block (CREATE INDEX CONCURRENTLY, VACUUM). Once applied,\n"
		    "-- never edit this file (its checksum is recorded): add a new migration.\n\n",
		    base);
	else
		fprintf(f,
		        "-- %s (down): undo exactly what %s%s does, in reverse order.\n"
		        "--\n"
		        "-- `oficina migrate down` runs this file in one transaction together with "
		        "the\n"
		        "-- deletion of its schema_migrations row.\n\n",
		        base, base, UP_SUFFIX);
	bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		set_err(err, errlen, "cannot write %s", path);
		unlink(path);
		return APP_EINVALID;
	}
	return 0;
}

int migrator_create(const char *dir, const char *name, FILE *out, char *err, size_t errlen)
{
	struct mig_plan p;
	char base[BASE_MAX], up_path[PATH_MAX], down_path[PATH_MAX];
	long long next = 1;
	int rc;

	set_err(err, errlen, "%s", "");
	if (dir == NULL || !migrator_name_valid(name)) {
		set_err(
		    err, errlen,
		    "invalid migration name \"%.80s\": use 1 to %d characters of a-z, 0-9 and _",
		    name ? name : "", MIGRATOR_NAME_MAX);
		return APP_EINVALID;
	}
	plan_init(&p, dir);
	rc = plan_load_files(&p, err, errlen);
	if (rc != 0)
		goto out;
	if (p.nfiles > 0)
		next = p.files[p.nfiles - 1].version + 1;
	if (next > VERSION_MAX) {
		set_err(err, errlen, "no version left after %lld", next - 1);
		rc = APP_EINVALID;
		goto out;
	}
	snprintf(base, sizeof base, "%04lld_%s", next, name);
	rc = path_of(up_path, sizeof up_path, dir, base, UP_SUFFIX, err, errlen);
	if (rc == 0)
		rc = path_of(down_path, sizeof down_path, dir, base, DOWN_SUFFIX, err, errlen);
	if (rc == 0)
		rc = write_new_file(up_path, base, 1, err, errlen);
	if (rc != 0)
		goto out;
	rc = write_new_file(down_path, base, 0, err, errlen);
	if (rc != 0) {
		unlink(up_path);
		goto out;
	}
	say(out, "created %s\ncreated %s\n", up_path, down_path);
out:
	plan_cleanup(&p);
	return rc;
}

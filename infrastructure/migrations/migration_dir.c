/*
 * The migrations directory (infrastructure layer): file names parsed and checked, the listing
 * sorted by version, .sql files read whole and hashed. The contract is in migration_dir.h.
 */
#include "infrastructure/migrations/migration_dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "domain/errors.h"
#include "domain/heap.h"
#include "infrastructure/migrations/migration_report.h"

#define NAME_CHARS "abcdefghijklmnopqrstuvwxyz0123456789_"
#define DIGITS_MIN 4
#define SQL_SUFFIX ".sql"

_Static_assert(MIGRATION_CHECKSUM_HEX == crypto_hash_sha256_BYTES * 2 + 1,
               "MIGRATION_CHECKSUM_HEX holds a hex SHA-256");

bool migration_name_valid(const char *name)
{
	size_t len;

	if (name == NULL)
		return false;
	len = strlen(name);
	return len >= 1 && len <= MIGRATION_NAME_MAX && strspn(name, NAME_CHARS) == len;
}

const char *migration_part_suffix(enum migration_part part)
{
	return part == MIGRATION_UP ? MIGRATION_UP_SUFFIX : MIGRATION_DOWN_SUFFIX;
}

int migration_base_name(char *buf, size_t n, long long version, const char *name)
{
	return snprintf(buf, n, "%04lld_%s", version, name);
}

int migration_path(char *path, size_t n, const char *dir, const char *base,
                   enum migration_part part, char *err, size_t errlen)
{
	size_t dlen = strlen(dir);
	const char *sep = dlen > 0 && dir[dlen - 1] == '/' ? "" : "/";
	const char *suffix = migration_part_suffix(part);
	int len = snprintf(path, n, "%s%s%s%s", dir, sep, base, suffix);

	if (len < 0 || (size_t)len >= n) {
		migration_report_error(err, errlen, "path too long: %s%s%s%s", dir, sep, base,
		                       suffix);
		return APP_EINVALID;
	}
	return 0;
}

bool migration_file_name_parse(const char *fn, struct migration_file *f, enum migration_part *part)
{
	size_t ndigits = strspn(fn, "0123456789");
	const char *name = fn + ndigits + 1;
	size_t nlen;

	if (ndigits < DIGITS_MIN || ndigits > MIGRATION_DIGITS_MAX || fn[ndigits] != '_')
		return false;
	nlen = strspn(name, NAME_CHARS);
	if (nlen < 1 || nlen > MIGRATION_NAME_MAX)
		return false;
	if (strcmp(name + nlen, MIGRATION_UP_SUFFIX) == 0)
		*part = MIGRATION_UP;
	else if (strcmp(name + nlen, MIGRATION_DOWN_SUFFIX) == 0)
		*part = MIGRATION_DOWN;
	else
		return false;
	f->version = strtoll(fn, NULL, 10);
	if (f->version < 1)
		return false;
	memcpy(f->base, fn, ndigits + 1 + nlen);
	f->base[ndigits + 1 + nlen] = '\0';
	memcpy(f->name, name, nlen);
	f->name[nlen] = '\0';
	return true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

static int cmp_version(const void *a, const void *b)
{
	const struct migration_file *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

static struct migration_file *find_version(struct migration_dir *d, long long version)
{
	for (size_t i = 0; i < d->nfiles; i++)
		if (d->files[i].version == version)
			return &d->files[i];
	return NULL;
}

/* Appends a copy of parsed to d->files, doubling the array (of *cap entries) when it is full. */
static struct migration_file *append_file(struct migration_dir *d, size_t *cap,
                                          const struct migration_file *parsed)
{
	if (d->nfiles == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		struct migration_file *nf = heap_realloc(d->files, ncap * sizeof *nf);

		if (nf == NULL)
			return NULL;
		d->files = nf;
		*cap = ncap;
	}
	d->files[d->nfiles] = *parsed;
	return &d->files[d->nfiles++];
}

/*
 * Takes one name of the directory: ignores it when it is hidden or not a .sql file, else records
 * the part it is of its version (adding the version when new).
 */
static int take_name(struct migration_dir *d, size_t *cap, const char *fn, char *err, size_t errlen)
{
	struct migration_file parsed, *f;
	enum migration_part part;

	if (fn[0] == '.' || !ends_with(fn, SQL_SUFFIX))
		return 0;
	memset(&parsed, 0, sizeof parsed);
	if (!migration_file_name_parse(fn, &parsed, &part)) {
		migration_report_error(
		    err, errlen,
		    "bad migration file name %s/%s: expected NNNN_name.up.sql or "
		    "NNNN_name.down.sql (4 to 18 digits, at least 1; name of 1 to "
		    "64 characters of a-z, 0-9 and _)",
		    d->path, fn);
		return APP_EINVALID;
	}
	f = find_version(d, parsed.version);
	if (f != NULL && strcmp(f->base, parsed.base) != 0) {
		enum migration_part seen =
		    (f->parts & MIGRATION_UP) ? MIGRATION_UP : MIGRATION_DOWN;

		migration_report_error(
		    err, errlen, "duplicate migration version %lld in %s: %s%s and %s",
		    parsed.version, d->path, f->base, migration_part_suffix(seen), fn);
		return APP_EINVALID;
	}
	if (f == NULL)
		f = append_file(d, cap, &parsed);
	if (f == NULL) {
		migration_report_error(err, errlen, "out of memory");
		return APP_ENOMEM;
	}
	f->parts |= part;
	return 0;
}

/* Every version needs its .up.sql: a .down.sql alone is a file left behind or misnamed. */
static int check_every_up_present(const struct migration_dir *d, char *err, size_t errlen)
{
	for (size_t i = 0; i < d->nfiles; i++) {
		const struct migration_file *f = &d->files[i];

		if ((f->parts & MIGRATION_UP) == 0) {
			migration_report_error(err, errlen,
			                       "%s/%s" MIGRATION_DOWN_SUFFIX
			                       " has no %s" MIGRATION_UP_SUFFIX,
			                       d->path, f->base, f->base);
			return APP_EINVALID;
		}
	}
	return 0;
}

void migration_dir_init(struct migration_dir *d, const char *path)
{
	memset(d, 0, sizeof *d);
	d->path = path;
}

void migration_dir_cleanup(struct migration_dir *d)
{
	heap_free(d->files);
	d->files = NULL;
	d->nfiles = 0;
}

int migration_dir_load(struct migration_dir *d, char *err, size_t errlen)
{
	DIR *dir;
	size_t cap = 0; /* entries allocated in d->files */
	int rc = 0;

	migration_dir_cleanup(d);
	dir = opendir(d->path);
	if (dir == NULL) {
		migration_report_error(err, errlen, "cannot open the migrations directory %s: %s",
		                       d->path, strerror(errno));
		return APP_EINVALID;
	}
	for (;;) {
		struct dirent *de;

		errno = 0;
		de = readdir(dir);
		if (de == NULL && errno != 0) {
			migration_report_error(err, errlen,
			                       "cannot read the migrations directory %s: %s",
			                       d->path, strerror(errno));
			rc = APP_EINVALID;
		}
		if (de == NULL)
			break;
		rc = take_name(d, &cap, de->d_name, err, errlen);
		if (rc != 0)
			break;
	}
	closedir(dir);
	if (rc != 0)
		return rc;
	if (d->nfiles > 1)
		qsort(d->files, d->nfiles, sizeof *d->files, cmp_version);
	return check_every_up_present(d, err, errlen);
}

int migration_dir_next_version(const struct migration_dir *d, long long *next, char *err,
                               size_t errlen)
{
	long long highest = d->nfiles > 0 ? d->files[d->nfiles - 1].version : 0;

	if (highest >= MIGRATION_VERSION_MAX) {
		migration_report_error(err, errlen, "no version left after %lld", highest);
		return APP_EINVALID;
	}
	*next = highest + 1;
	return 0;
}

/* Opens path for reading, refusing what is not a regular file or is larger than the limit. */
static int open_sql(const char *path, int *fd, char *err, size_t errlen)
{
	struct stat st;

	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		migration_report_error(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return APP_EINVALID;
	}
	if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		migration_report_error(err, errlen, "%s is not a regular file", path);
		goto fail;
	}
	if (st.st_size > MIGRATION_FILE_MAX) {
		migration_report_error(err, errlen, "%s is larger than %d bytes", path,
		                       MIGRATION_FILE_MAX);
		goto fail;
	}
	return 0;
fail:
	close(*fd);
	*fd = -1;
	return APP_EINVALID;
}

/*
 * Reads fd to its end into buf, which has room for MIGRATION_FILE_MAX + 1 bytes: asking for one
 * byte more than the limit catches a file that grew after open_sql looked at its size.
 */
static int read_to_end(int fd, const char *path, char *buf, size_t *used, char *err, size_t errlen)
{
	*used = 0;
	for (;;) {
		ssize_t r = read(fd, buf + *used, (size_t)MIGRATION_FILE_MAX + 1 - *used);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			migration_report_error(err, errlen, "cannot read %s: %s", path,
			                       strerror(errno));
			return APP_EINVALID;
		}
		if (r == 0)
			return 0;
		*used += (size_t)r;
		if (*used > MIGRATION_FILE_MAX) {
			migration_report_error(err, errlen, "%s is larger than %d bytes", path,
			                       MIGRATION_FILE_MAX);
			return APP_EINVALID;
		}
	}
}

int migration_sql_read(struct migration_sql *sql, const struct migration_dir *d,
                       const struct migration_file *f, enum migration_part part, char *err,
                       size_t errlen)
{
	char *buf = NULL;
	size_t used = 0;
	int fd = -1, rc;

	memset(sql, 0, sizeof *sql);
	rc = migration_path(sql->path, sizeof sql->path, d->path, f->base, part, err, errlen);
	if (rc == 0)
		rc = open_sql(sql->path, &fd, err, errlen);
	if (rc != 0)
		return rc;
	/* The limit, the byte that shows a file grew past it, and the final NUL. */
	buf = heap_alloc((size_t)MIGRATION_FILE_MAX + 2);
	if (buf == NULL) {
		migration_report_error(err, errlen, "out of memory reading %s", sql->path);
		rc = APP_ENOMEM;
		goto out;
	}
	rc = read_to_end(fd, sql->path, buf, &used, err, errlen);
	if (rc != 0)
		goto out;
	if (memchr(buf, '\0', used) != NULL) {
		migration_report_error(err, errlen, "%s contains a NUL byte", sql->path);
		rc = APP_EINVALID;
		goto out;
	}
	buf[used] = '\0';
	sql->text = buf;
	sql->len = used;
	buf = NULL;
out:
	heap_free(buf);
	close(fd);
	return rc;
}

void migration_sql_cleanup(struct migration_sql *sql)
{
	heap_free(sql->text);
	sql->text = NULL;
	sql->len = 0;
}

int migration_checksum(const struct migration_sql *sql, char hex[MIGRATION_CHECKSUM_HEX], char *err,
                       size_t errlen)
{
	unsigned char h[crypto_hash_sha256_BYTES];

	if (sodium_init() < 0) {
		migration_report_error(err, errlen, "libsodium failed to initialise");
		return APP_EINTERNAL;
	}
	crypto_hash_sha256(h, (const unsigned char *)sql->text, sql->len);
	sodium_bin2hex(hex, MIGRATION_CHECKSUM_HEX, h, sizeof h);
	return 0;
}

int migration_file_checksum(const struct migration_dir *d, const struct migration_file *f,
                            char hex[MIGRATION_CHECKSUM_HEX], char *err, size_t errlen)
{
	struct migration_sql sql;
	int rc = migration_sql_read(&sql, d, f, MIGRATION_UP, err, errlen);

	if (rc == 0)
		rc = migration_checksum(&sql, hex, err, errlen);
	migration_sql_cleanup(&sql);
	return rc;
}

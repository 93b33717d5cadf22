/*
 * The migrations directory (infrastructure layer; libc and libsodium, no database): which files it
 * holds, what they are named, in which order they run, and the checksum that pins an applied file.
 * The runner (infrastructure/postgres/migrator.h) and `oficina migrate create`
 * (cmd/oficina/cli_migrate_create.h) build on it.
 *
 * Files are named NNNN_name.up.sql and NNNN_name.down.sql: a version of 4 to 18 digits (at least
 * 1), '_', a name of 1 to MIGRATION_NAME_MAX characters of [a-z0-9_]. Every other file whose name
 * ends in ".sql" is an error; files not ending in ".sql" (README, .gitkeep) and hidden files are
 * ignored. A .down.sql needs its .up.sql; an .up.sql without a .down.sql can be applied but not
 * reverted.
 *
 * Functions that can fail return 0 or a negative code of domain/errors.h and write one line saying
 * what went wrong, naming the directory or the file, into err (see migration_report.h):
 *   APP_EINVALID  unreadable directory or file, bad or duplicate file name, missing .up.sql, a path
 *                 too long, a file too large or holding a NUL byte, no version left
 *   APP_ENOMEM    allocation failed
 *   APP_EINTERNAL libsodium could not be initialised
 */
#ifndef OFICINA_INFRASTRUCTURE_MIGRATIONS_MIGRATION_DIR_H
#define OFICINA_INFRASTRUCTURE_MIGRATIONS_MIGRATION_DIR_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define MIGRATION_NAME_MAX     64                   /* longest NAME of NNNN_NAME.up.sql */
#define MIGRATION_DIGITS_MAX   18                   /* keeps every version inside a bigint */
#define MIGRATION_VERSION_MAX  999999999999999999LL /* the highest version of 18 digits */
#define MIGRATION_FILE_MAX     (8 * 1024 * 1024)    /* largest .sql file read, in bytes */
#define MIGRATION_CHECKSUM_HEX (32 * 2 + 1)         /* hex SHA-256 and its NUL */
#define MIGRATION_UP_SUFFIX    ".up.sql"
#define MIGRATION_DOWN_SUFFIX  ".down.sql"
/* The longest "NNNN_name" and its NUL. */
#define MIGRATION_BASE_MAX (MIGRATION_DIGITS_MAX + 1 + MIGRATION_NAME_MAX + 1)

/*
 * The two files of a migration. The values are bits, so that struct migration_file can say which
 * of them exist in one field.
 */
enum migration_part {
	MIGRATION_UP = 1 << 0,   /* NNNN_name.up.sql: makes the change */
	MIGRATION_DOWN = 1 << 1, /* NNNN_name.down.sql: undoes it */
};

/* One version of the directory: its .up.sql, and its .down.sql when there is one. */
struct migration_file {
	long long version;                 /* the number of the file name */
	char base[MIGRATION_BASE_MAX];     /* the file name without its suffix: "0002_ordens" */
	char name[MIGRATION_NAME_MAX + 1]; /* the part after '_': "ordens" */
	unsigned parts;                    /* the enum migration_part bits of the files present */
};

/* A directory, read by migration_dir_load. */
struct migration_dir {
	const char *path;             /* the caller's string, not copied: it must outlive d */
	struct migration_file *files; /* sorted by version, distinct versions; owned */
	size_t nfiles;
};

/* The text of one .sql file, read by migration_sql_read. */
struct migration_sql {
	char path[PATH_MAX]; /* dir/NNNN_name.up.sql, for messages */
	char *text;          /* the whole file, NUL-terminated, no NUL inside; owned */
	size_t len;          /* bytes of text, without the final NUL */
};

/* Whether name is 1 to MIGRATION_NAME_MAX characters of [a-z0-9_]. NULL is not. */
bool migration_name_valid(const char *name);

/*
 * Parses the file name fn, NNNN_name.up.sql or NNNN_name.down.sql, into the version, base and name
 * of f (its parts are left alone) and the part the file is. False when fn is not such a name; f and
 * *part are then unspecified. migration_dir_load reads every .sql name of a directory with it.
 */
bool migration_file_name_parse(const char *fn, struct migration_file *f, enum migration_part *part);

/* MIGRATION_UP_SUFFIX or MIGRATION_DOWN_SUFFIX. */
const char *migration_part_suffix(enum migration_part part);

/*
 * Writes "NNNN_name" (the version on at least 4 digits) into buf like snprintf: returns the length
 * the whole name needs, so a result >= n means it was cut.
 */
int migration_base_name(char *buf, size_t n, long long version, const char *name);

/*
 * Writes dir/base followed by the suffix of part into path (n bytes), adding no second '/' when
 * dir ends with one. APP_EINVALID ("path too long: ...") when it does not fit.
 */
int migration_path(char *path, size_t n, const char *dir, const char *base,
                   enum migration_part part, char *err, size_t errlen);

/* Makes d an empty directory listing of path (not read yet). */
void migration_dir_init(struct migration_dir *d, const char *path);

/*
 * Reads the directory of d->path into d->files, sorted by version. Refuses a bad file name, two
 * names for one version, and a .down.sql without its .up.sql; the files' contents are not read.
 * What an earlier load read is freed first. On failure d->files may hold part of the directory;
 * migration_dir_cleanup releases it anyway.
 */
int migration_dir_load(struct migration_dir *d, char *err, size_t errlen);

/* Frees what migration_dir_load allocated and empties d. Accepts a d that was only initialised. */
void migration_dir_cleanup(struct migration_dir *d);

/*
 * The version a new migration of the loaded directory d gets: one above the highest, 1 when d is
 * empty. APP_EINVALID ("no version left after ...") past MIGRATION_VERSION_MAX.
 */
int migration_dir_next_version(const struct migration_dir *d, long long *next, char *err,
                               size_t errlen);

/*
 * Reads the part file of f, a file of the loaded directory d, into sql (at most MIGRATION_FILE_MAX
 * bytes). A NUL byte inside is refused: PostgreSQL would silently cut the text there. On success
 * sql owns a buffer that migration_sql_cleanup frees; on failure sql holds no buffer, though
 * sql->path may be set. migration_sql_cleanup may be called either way.
 */
int migration_sql_read(struct migration_sql *sql, const struct migration_dir *d,
                       const struct migration_file *f, enum migration_part part, char *err,
                       size_t errlen);

/* Frees the text of sql and empties it. */
void migration_sql_cleanup(struct migration_sql *sql);

/*
 * The hex SHA-256 of the text of sql, what schema_migrations.checksum records for an .up.sql.
 * APP_EINTERNAL when libsodium cannot be initialised.
 */
int migration_checksum(const struct migration_sql *sql, char hex[MIGRATION_CHECKSUM_HEX], char *err,
                       size_t errlen);

/* Reads the .up.sql of f, a file of the loaded directory d, and writes its checksum into hex. */
int migration_file_checksum(const struct migration_dir *d, const struct migration_file *f,
                            char hex[MIGRATION_CHECKSUM_HEX], char *err, size_t errlen);

#endif

/*
 * Schema migrations runner (infrastructure layer, PostgreSQL). It applies and reverts the versioned
 * SQL files of one directory on a connection the caller owns, and records every applied version in
 * the table schema_migrations (version, name, checksum, applied_em) with the hex SHA-256 of its
 * .up.sql, so that a file edited after it was applied is refused. `oficina migrate`
 * (cmd/oficina/cli_migrate.c) and the integration tests are its callers.
 *
 * The directory, its file names (NNNN_name.up.sql / NNNN_name.down.sql), their order and their
 * checksums are read by infrastructure/migrations/migration_dir.h, whose rules apply here.
 *
 * Each file runs in its own transaction together with the insertion (or deletion) of its
 * schema_migrations row, so a file must not contain BEGIN/COMMIT/ROLLBACK nor statements that
 * cannot run in a transaction block (CREATE INDEX CONCURRENTLY, VACUUM); COPY ... STDIN is refused.
 * up and down hold a session advisory lock (MIGRATOR_LOCK_KEY) for the whole run, so that many
 * processes may run them on the same database at once: the others wait, then find nothing to do.
 * They wait at most lock_wait_ms (>= 1): past it, APP_EUNAVAILABLE and nothing ran, so that a run
 * stuck elsewhere fails the starting pods visibly instead of holding them for good.
 *
 * Before up or down change anything, the directory and the database must agree: an applied version
 * whose file is missing, was renamed or was edited, and a pending file numbered below an applied
 * version (out of order), are errors (APP_ECONFLICT) and nothing runs. status prints them all.
 *
 * Common to every function: out receives the progress lines (NULL: silent; flushed line by line);
 * on failure err receives one line saying what went wrong, naming the file, the version and the
 * PostgreSQL message when there is one (err may be NULL when errlen is 0). Return codes:
 *   0                 success
 *   APP_EINVALID      bad argument, unreadable directory or file, bad or duplicate file name,
 *                     missing .down.sql, a file that ended the transaction itself
 *   APP_ECONFLICT     the database and the directory disagree (see above)
 *   APP_EUNAVAILABLE  the connection is not usable or was lost, or the lock wait ran out
 *   APP_EINTERNAL     an SQL error (the failing file was rolled back)
 *   APP_ENOMEM        allocation failed
 * The connection must be idle (not inside a transaction) and is left idle; its session settings
 * and notice processor are not touched, so NOTICEs of the files go where the caller sends them.
 */
#ifndef OFICINA_INFRASTRUCTURE_POSTGRES_MIGRATOR_H
#define OFICINA_INFRASTRUCTURE_POSTGRES_MIGRATOR_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "infrastructure/migrations/migration_dir.h"

/* Key of the session advisory lock that serialises up and down: "OFICMIGR" in ASCII. */
#define MIGRATOR_LOCK_KEY INT64_C(0x4f4649434d494752)

#define MIGRATOR_FILE_MAX  MIGRATION_FILE_MAX /* a larger .sql file is APP_EINVALID */
#define MIGRATOR_ERROR_MAX 1024               /* an err buffer of this size never truncates much */

/*
 * Applies the pending migrations of dir in version order, each in its own transaction with its
 * schema_migrations row; limit > 0 applies at most limit of them, limit == 0 all of them. Creates
 * schema_migrations when missing. The first failing file is rolled back and stops the run; the
 * files before it stay applied. Codes above (limit < 0 is APP_EINVALID).
 */
int migrator_up(PGconn *conn, const char *dir, int limit, long lock_wait_ms, FILE *out, char *err,
                size_t errlen);

/*
 * Reverts the count (>= 1) most recent applied versions, newest first, each in its own transaction
 * with its .down.sql and the deletion of its row. Fewer than count applied: reverts them all. Every
 * .down.sql needed is checked to exist before the first one runs. Codes above.
 */
int migrator_down(PGconn *conn, const char *dir, int count, long lock_wait_ms, FILE *out, char *err,
                  size_t errlen);

/*
 * Prints one line per known version (files and schema_migrations rows): applied with its date
 * (RFC 3339, UTC) or pending, and the problem of that version if it has one; then a summary line.
 * Read-only: takes no lock and does not create schema_migrations. Returns the code of the first
 * problem (APP_ECONFLICT usually, with err set) when there is one, after printing everything.
 */
int migrator_status(PGconn *conn, const char *dir, FILE *out, char *err, size_t errlen);

#endif

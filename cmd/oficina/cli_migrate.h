/*
 * `oficina migrate up [N] | down [N] | status | create NAME` (cmd layer): the command line of the
 * migrations runner (infrastructure/postgres/migrator.h). It reads DATABASE_URL and MIGRATIONS_DIR
 * from the environment, connects, runs one sub-command, and reports on stdout (progress) and
 * stderr (one line per error, starting "oficina migrate: ", never showing the password).
 */
#ifndef OFICINA_CMD_OFICINA_CLI_MIGRATE_H
#define OFICINA_CMD_OFICINA_CLI_MIGRATE_H

#define CLI_MIGRATE_DEFAULT_DIR "migrations"

/*
 * Runs `oficina migrate`: argv[0] is "migrate", argv[1] the sub-command (up, down, status, create,
 * or help). N is a positive decimal integer: up applies at most N pending migrations (all without
 * N), down reverts the last N applied (1 without N). create writes the next NNNN_NAME.up.sql and
 * .down.sql in MIGRATIONS_DIR without touching the database.
 *
 * Environment: DATABASE_URL (a libpq URL or key=value string; unset or empty means
 * CONFIG_DEFAULT_DATABASE_URL, the same as oficina serve), MIGRATIONS_DIR (unset or empty:
 * CLI_MIGRATE_DEFAULT_DIR). The connection uses connect_timeout=5 unless the URL sets its own.
 *
 * Returns the process exit code: 0 success, 1 failure (database, files, checksums), 2 usage error.
 * Reads argv only; owns nothing after it returns.
 */
int cli_migrate(int argc, char **argv);

#endif

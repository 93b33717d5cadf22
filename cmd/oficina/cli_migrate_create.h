/*
 * `oficina migrate create NAME` (cmd layer): writes the next pair of empty migration files, each
 * with a header that tells its author the rules `oficina migrate up` and `down` hold it to. No
 * database is involved; the directory is read with infrastructure/migrations/migration_dir.h.
 */
#ifndef OFICINA_CMD_OFICINA_CLI_MIGRATE_CREATE_H
#define OFICINA_CMD_OFICINA_CLI_MIGRATE_CREATE_H

#include <stddef.h>
#include <stdio.h>

/*
 * Writes dir/NNNN_name.up.sql and dir/NNNN_name.down.sql, NNNN being the next version after the
 * highest one in dir (0001 in an empty directory), and prints their paths on out (NULL: silent).
 * Never overwrites a file, and leaves neither file behind when the second cannot be written.
 * Returns 0, APP_EINVALID for a bad name, a bad directory or a file that cannot be written, or
 * APP_ENOMEM; err receives one line saying why (see infrastructure/migrations/migration_report.h).
 */
int cli_migrate_create(const char *dir, const char *name, FILE *out, char *err, size_t errlen);

#endif

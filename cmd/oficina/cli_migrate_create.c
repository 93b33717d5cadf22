/*
 * `oficina migrate create` (cmd layer): the next version number comes from the migrations
 * directory, the files' headers from here. The contract is in cli_migrate_create.h.
 */
#include "cmd/oficina/cli_migrate_create.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "domain/errors.h"
#include "infrastructure/migrations/migration_dir.h"
#include "infrastructure/migrations/migration_report.h"

/* The header of a new file: what the runner will do with it, so its author knows the rules. */
static void write_header(FILE *f, const char *base, enum migration_part part)
{
	if (part == MIGRATION_UP)
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
		        "-- %s (down): undo exactly what %s" MIGRATION_UP_SUFFIX
		        " does, in reverse order.\n"
		        "--\n"
		        "-- `oficina migrate down` runs this file in one transaction together with "
		        "the\n"
		        "-- deletion of its schema_migrations row.\n\n",
		        base, base);
}

/* Creates path, never overwriting it, with the header of the part of base; removed on failure. */
static int create_new_file(const char *path, const char *base, enum migration_part part, char *err,
                           size_t errlen)
{
	FILE *f = fopen(path, "wx");
	int failed;

	if (f == NULL) {
		migration_report_error(err, errlen, "cannot create %s: %s", path, strerror(errno));
		return APP_EINVALID;
	}
	write_header(f, base, part);
	failed = ferror(f);
	if (fclose(f) != 0 || failed) {
		migration_report_error(err, errlen, "cannot write %s", path);
		unlink(path);
		return APP_EINVALID;
	}
	return 0;
}

int cli_migrate_create(const char *dir, const char *name, FILE *out, char *err, size_t errlen)
{
	struct migration_dir d;
	char base[MIGRATION_BASE_MAX], up_path[PATH_MAX], down_path[PATH_MAX];
	long long next;
	int rc;

	migration_report_error(err, errlen, "%s", "");
	if (dir == NULL || !migration_name_valid(name)) {
		migration_report_error(
		    err, errlen,
		    "invalid migration name \"%.80s\": use 1 to %d characters of a-z, 0-9 and _",
		    name ? name : "", MIGRATION_NAME_MAX);
		return APP_EINVALID;
	}
	migration_dir_init(&d, dir);
	rc = migration_dir_load(&d, err, errlen);
	if (rc == 0)
		rc = migration_dir_next_version(&d, &next, err, errlen);
	if (rc != 0)
		goto out;
	migration_base_name(base, sizeof base, next, name);
	rc = migration_path(up_path, sizeof up_path, dir, base, MIGRATION_UP, err, errlen);
	if (rc == 0)
		rc = migration_path(down_path, sizeof down_path, dir, base, MIGRATION_DOWN, err,
		                    errlen);
	if (rc == 0)
		rc = create_new_file(up_path, base, MIGRATION_UP, err, errlen);
	if (rc != 0)
		goto out;
	rc = create_new_file(down_path, base, MIGRATION_DOWN, err, errlen);
	if (rc != 0) {
		unlink(up_path);
		goto out;
	}
	migration_report_progress(out, "created %s\ncreated %s\n", up_path, down_path);
out:
	migration_dir_cleanup(&d);
	return rc;
}

/*
 * Unit tests of infrastructure/migrations/migration_dir: the migrations directory without any
 * database (infrastructure layer; cmocka). Each test gets its own temporary directory, writes the
 * files it needs and checks what the reader makes of them: the order by version, which names it
 * accepts, ignores or refuses (with the exact message), the pairing of .up.sql and .down.sql, the
 * reading of a file whole and within the size limit, the next version, and a checksum that follows
 * the .up.sql's bytes and nothing else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/errors.h"
#include "infrastructure/migrations/migration_dir.h"

#define ERR_MAX 1024
/* SHA-256 of "abc", from FIPS 180-2, appendix B.1. */
#define SHA256_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

struct fixture {
	char dir[64];           /* the temporary migrations directory */
	struct migration_dir d; /* the listing under test, loaded or not */
	char err[ERR_MAX];      /* error of the last call */
};

/* ---- helpers ---- */

/* dir/name in the fixture's directory. */
static const char *path_in(const struct fixture *f, const char *name, char path[PATH_MAX])
{
	int len = snprintf(path, PATH_MAX, "%s/%s", f->dir, name);

	assert_true(len > 0 && len < PATH_MAX);
	return path;
}

static void write_bytes(const struct fixture *f, const char *name, const void *bytes, size_t len)
{
	char path[PATH_MAX];
	FILE *fp = fopen(path_in(f, name, path), "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(bytes, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static void write_text(const struct fixture *f, const char *name, const char *text)
{
	write_bytes(f, name, text, strlen(text));
}

static void remove_name(const struct fixture *f, const char *name)
{
	char path[PATH_MAX];

	assert_int_equal(remove(path_in(f, name, path)), 0);
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/oficina-migdir-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	migration_dir_init(&f->d, f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	/* Depth first, so that a directory is emptied before it is removed. */
	int rc = nftw(f->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);

	migration_dir_cleanup(&f->d);
	free(f);
	return rc;
}

/* Loads the fixture's directory afresh; returns the code. */
static int load(struct fixture *f)
{
	migration_dir_cleanup(&f->d);
	migration_dir_init(&f->d, f->dir);
	f->err[0] = '\0';
	return migration_dir_load(&f->d, f->err, sizeof f->err);
}

static void assert_contains(const char *haystack, const char *needle)
{
	if (strstr(haystack, needle) == NULL)
		fail_msg("expected to find \"%s\" in \"%s\"", needle, haystack);
}

/* The error of the last call is exactly before, the fixture's directory, then after. */
static void assert_err_is(const struct fixture *f, const char *before, const char *after)
{
	char want[ERR_MAX];

	snprintf(want, sizeof want, "%s%s%s", before, f->dir, after);
	assert_string_equal(f->err, want);
}

/* Loads the directory and reads the part of its first version into sql; returns the code. */
static int read_first(struct fixture *f, enum migration_part part, struct migration_sql *sql)
{
	assert_int_equal(load(f), 0);
	assert_true(f->d.nfiles >= 1);
	return migration_sql_read(sql, &f->d, &f->d.files[0], part, f->err, sizeof f->err);
}

/* Reading the part of the first version fails with "<before><dir><after>" and holds no text. */
static void assert_read_refused(struct fixture *f, enum migration_part part, const char *before,
                                const char *after)
{
	struct migration_sql sql;

	assert_int_equal(read_first(f, part, &sql), APP_EINVALID);
	assert_err_is(f, before, after);
	assert_null(sql.text);
	migration_sql_cleanup(&sql);
}

/* The checksum of the loaded version at index i. */
static void checksum_of(struct fixture *f, size_t i, char hex[MIGRATION_CHECKSUM_HEX])
{
	assert_true(i < f->d.nfiles);
	assert_int_equal(migration_file_checksum(&f->d, &f->d.files[i], hex, f->err, sizeof f->err),
	                 0);
}

/* ---- names ---- */

static void test_name_valid__1_to_64_of_a_z_0_9_underscore(void **state)
{
	static const char *const invalid[] = {"", "Bad", "a-b", "a/b", "a.b", "../x", "ç", "a b"};
	char name[MIGRATION_NAME_MAX + 2];

	(void)state;
	assert_true(migration_name_valid("a"));
	assert_true(migration_name_valid("add_ordens_2"));
	assert_true(migration_name_valid("_"));
	memset(name, 'x', MIGRATION_NAME_MAX);
	name[MIGRATION_NAME_MAX] = '\0';
	assert_true(migration_name_valid(name));
	name[MIGRATION_NAME_MAX] = 'x';
	name[MIGRATION_NAME_MAX + 1] = '\0';
	assert_false(migration_name_valid(name));
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
		if (migration_name_valid(invalid[i]))
			fail_msg("\"%s\" was accepted", invalid[i]);
	assert_false(migration_name_valid(NULL));
}

static void test_part_suffix__up_and_down(void **state)
{
	(void)state;
	assert_string_equal(migration_part_suffix(MIGRATION_UP), ".up.sql");
	assert_string_equal(migration_part_suffix(MIGRATION_DOWN), ".down.sql");
}

static void test_base_name__version_on_at_least_four_digits(void **state)
{
	char buf[MIGRATION_BASE_MAX];

	(void)state;
	assert_int_equal(migration_base_name(buf, sizeof buf, 7, "x"), 6);
	assert_string_equal(buf, "0007_x");
	assert_int_equal(migration_base_name(buf, sizeof buf, 12345, "ordens"), 12);
	assert_string_equal(buf, "12345_ordens");
	/* Like snprintf: the length it needs, even when cut. */
	assert_int_equal(migration_base_name(buf, 4, 1, "abc"), 8);
	assert_string_equal(buf, "000");
	assert_int_equal(migration_base_name(NULL, 0, 42, "z"), 6);
}

static void test_path__one_slash_between_dir_and_file(void **state)
{
	char path[64], err[ERR_MAX] = "";

	(void)state;
	assert_int_equal(
	    migration_path(path, sizeof path, "db", "0001_a", MIGRATION_UP, err, sizeof err), 0);
	assert_string_equal(path, "db/0001_a.up.sql");
	assert_int_equal(
	    migration_path(path, sizeof path, "db/", "0001_a", MIGRATION_DOWN, err, sizeof err), 0);
	assert_string_equal(path, "db/0001_a.down.sql");
	assert_string_equal(err, "");
}

static void test_path__too_long__refused(void **state)
{
	char path[16], err[ERR_MAX] = "";

	(void)state;
	assert_int_equal(migration_path(path, sizeof path, "/srv/migrations", "0001_a",
	                                MIGRATION_DOWN, err, sizeof err),
	                 APP_EINVALID);
	assert_string_equal(err, "path too long: /srv/migrations/0001_a.down.sql");
	/* No err buffer at all is allowed. */
	assert_int_equal(
	    migration_path(path, sizeof path, "/srv/migrations", "0001_a", MIGRATION_UP, NULL, 0),
	    APP_EINVALID);
}

/* ---- loading the directory ---- */

static void test_load__empty_directory__no_files(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f), 0);
	assert_int_equal(f->d.nfiles, 0);
	assert_string_equal(f->err, "");
}

static void test_load__files_in_any_order__sorted_by_version(void **state)
{
	struct fixture *f = *state;
	static const struct {
		long long version;
		const char *base, *name;
		unsigned parts;
	} want[] = {
	    {1, "0001_a", "a", MIGRATION_UP | MIGRATION_DOWN},
	    {2, "0002_b", "b", MIGRATION_UP | MIGRATION_DOWN},
	    {3, "00003_five_digits", "five_digits", MIGRATION_UP},
	    {10, "0010_j", "j", MIGRATION_UP},
	    {100, "0100_k", "k", MIGRATION_UP | MIGRATION_DOWN},
	    {MIGRATION_VERSION_MAX, "999999999999999999_last", "last", MIGRATION_UP},
	};

	/* Created out of order, so that an order the file system happens to keep proves nothing. */
	write_text(f, "0100_k.down.sql", "DROP TABLE k;\n");
	write_text(f, "999999999999999999_last.up.sql", "SELECT 1;\n");
	write_text(f, "0010_j.up.sql", "CREATE TABLE j (id int);\n");
	write_text(f, "0002_b.down.sql", "DROP TABLE b;\n");
	write_text(f, "0001_a.up.sql", "CREATE TABLE a (id int);\n");
	write_text(f, "00003_five_digits.up.sql", "SELECT 3;\n");
	write_text(f, "0100_k.up.sql", "CREATE TABLE k (id int);\n");
	write_text(f, "0002_b.up.sql", "CREATE TABLE b (id int);\n");
	write_text(f, "0001_a.down.sql", "DROP TABLE a;\n");

	assert_int_equal(load(f), 0);
	assert_int_equal(f->d.nfiles, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < f->d.nfiles; i++) {
		const struct migration_file *m = &f->d.files[i];

		assert_true(m->version == want[i].version);
		assert_string_equal(m->base, want[i].base);
		assert_string_equal(m->name, want[i].name);
		assert_int_equal(m->parts, want[i].parts);
	}
}

static void test_load__more_versions_than_the_first_allocation__all_sorted(void **state)
{
	struct fixture *f = *state;
	char name[64];

	for (int v = 200; v >= 1; v--) {
		snprintf(name, sizeof name, "%04d_m%d.up.sql", v, v);
		write_text(f, name, "SELECT 1;\n");
	}
	assert_int_equal(load(f), 0);
	assert_int_equal(f->d.nfiles, 200);
	for (size_t i = 0; i < f->d.nfiles; i++)
		assert_true(f->d.files[i].version == (long long)i + 1);
}

static void test_load__hidden_and_non_sql_files__ignored(void **state)
{
	struct fixture *f = *state;

	write_text(f, "README.md", "notes\n");
	write_text(f, ".gitkeep", "");
	write_text(f, ".0002_hidden.sql", "garbage\n");
	write_text(f, "0003_c.up.sql.orig", "garbage\n");
	write_text(f, "notes.txt", "garbage\n");
	write_text(f, "0001_a.up.sql", "SELECT 1;\n");

	assert_int_equal(load(f), 0);
	assert_int_equal(f->d.nfiles, 1);
	assert_string_equal(f->d.files[0].base, "0001_a");
}

/* Writes a file named bad into the directory and checks that the whole directory is refused. */
static void assert_bad_name_refused(struct fixture *f, const char *bad)
{
	char want[ERR_MAX];

	write_text(f, bad, "SELECT 1;\n");
	assert_int_equal(load(f), APP_EINVALID);
	snprintf(want, sizeof want,
	         "bad migration file name %s/%s: expected NNNN_name.up.sql or NNNN_name.down.sql "
	         "(4 to 18 digits, at least 1; name of 1 to 64 characters of a-z, 0-9 and _)",
	         f->dir, bad);
	assert_string_equal(f->err, want);
	remove_name(f, bad);
}

static void test_load__bad_file_names__refused_with_the_expected_form(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {
	    "0002_B.up.sql", "002_b.up.sql",    "0002-b.up.sql",
	    "0002_b.sql",    "0002_b.UP.sql",   "0000_zero.up.sql",
	    "0002_.up.sql",  "0002_b.c.up.sql", "0002_b.up.sql.sql",
	    "abcd_b.up.sql", "_b.up.sql",       "0002_b.sideways.sql",
	    "0002_b up.sql", "x.sql",           "0002_b.down.SQL.sql",
	};
	char digits19[64], name65[128];

	write_text(f, "0001_a.up.sql", "SELECT 1;\n");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_bad_name_refused(f, bad[i]);

	/* 19 digits: more than a bigint always holds, even when the value would fit. */
	snprintf(digits19, sizeof digits19, "%019d_nineteen.up.sql", 5);
	assert_bad_name_refused(f, digits19);
	/* A name one character longer than MIGRATION_NAME_MAX. */
	memcpy(name65, "0005_", 5);
	memset(name65 + 5, 'x', MIGRATION_NAME_MAX + 1);
	strcpy(name65 + 5 + MIGRATION_NAME_MAX + 1, ".up.sql");
	assert_bad_name_refused(f, name65);

	assert_int_equal(load(f), 0);
	assert_int_equal(f->d.nfiles, 1);
}

static void test_load__longest_name_and_version__accepted(void **state)
{
	struct fixture *f = *state;
	char name[MIGRATION_NAME_MAX + 1], file[128];

	memset(name, 'x', MIGRATION_NAME_MAX);
	name[MIGRATION_NAME_MAX] = '\0';
	snprintf(file, sizeof file, "999999999999999999_%s.up.sql", name);
	write_text(f, file, "SELECT 1;\n");

	assert_int_equal(load(f), 0);
	assert_int_equal(f->d.nfiles, 1);
	assert_true(f->d.files[0].version == MIGRATION_VERSION_MAX);
	assert_string_equal(f->d.files[0].name, name);
	assert_int_equal(strlen(f->d.files[0].base), MIGRATION_BASE_MAX - 1);
}

static void test_load__two_names_for_one_version__refused(void **state)
{
	struct fixture *f = *state;

	write_text(f, "0002_b.up.sql", "SELECT 1;\n");
	write_text(f, "0002_other.up.sql", "SELECT 1;\n");
	assert_int_equal(load(f), APP_EINVALID);
	/* Which of the two is named first depends on readdir's order. */
	assert_contains(f->err, "duplicate migration version 2 in ");
	assert_contains(f->err, f->dir);
	assert_contains(f->err, "0002_b.up.sql");
	assert_contains(f->err, "0002_other.up.sql");
	remove_name(f, "0002_other.up.sql");

	/* Another spelling of the same number is another name too. */
	write_text(f, "00002_b.down.sql", "SELECT 1;\n");
	assert_int_equal(load(f), APP_EINVALID);
	assert_contains(f->err, "duplicate migration version 2 in ");
	assert_contains(f->err, "0002_b.up.sql");
	assert_contains(f->err, "00002_b.down.sql");
}

static void test_load__duplicate_of_a_down_file__named_by_its_suffix(void **state)
{
	struct fixture *f = *state;
	char first[ERR_MAX], second[ERR_MAX];

	write_text(f, "0004_x.down.sql", "SELECT 1;\n");
	write_text(f, "0004_y.down.sql", "SELECT 1;\n");
	assert_int_equal(load(f), APP_EINVALID);
	/* Either order, as readdir gives them; the one seen first is named by its only part. */
	snprintf(first, sizeof first,
	         "duplicate migration version 4 in %s: 0004_x.down.sql and 0004_y.down.sql",
	         f->dir);
	snprintf(second, sizeof second,
	         "duplicate migration version 4 in %s: 0004_y.down.sql and 0004_x.down.sql",
	         f->dir);
	if (strcmp(f->err, first) != 0 && strcmp(f->err, second) != 0)
		fail_msg("unexpected error \"%s\"", f->err);
}

static void test_load__down_without_up__refused(void **state)
{
	struct fixture *f = *state;

	write_text(f, "0001_a.up.sql", "SELECT 1;\n");
	write_text(f, "0009_orphan.down.sql", "SELECT 1;\n");
	assert_int_equal(load(f), APP_EINVALID);
	assert_err_is(f, "", "/0009_orphan.down.sql has no 0009_orphan.up.sql");
}

static void test_load__up_without_down__accepted(void **state)
{
	struct fixture *f = *state;

	write_text(f, "0001_a.up.sql", "SELECT 1;\n");
	assert_int_equal(load(f), 0);
	assert_int_equal(f->d.nfiles, 1);
	assert_int_equal(f->d.files[0].parts, MIGRATION_UP);
}

static void test_load__missing_directory__refused(void **state)
{
	struct fixture *f = *state;
	struct migration_dir d;

	migration_dir_init(&d, "/nonexistent/oficina/migrations");
	assert_int_equal(migration_dir_load(&d, f->err, sizeof f->err), APP_EINVALID);
	assert_string_equal(f->err, "cannot open the migrations directory "
	                            "/nonexistent/oficina/migrations: No such file or directory");
	assert_int_equal(d.nfiles, 0);
	migration_dir_cleanup(&d);
}

static void test_cleanup__twice_or_never_loaded__harmless(void **state)
{
	struct migration_dir d;

	(void)state;
	migration_dir_init(&d, "anywhere");
	migration_dir_cleanup(&d);
	migration_dir_cleanup(&d);
	assert_null(d.files);
	assert_int_equal(d.nfiles, 0);
}

/* ---- the next version ---- */

static void test_next_version__one_above_the_highest(void **state)
{
	struct fixture *f = *state;
	long long next = 0;

	assert_int_equal(load(f), 0);
	assert_int_equal(migration_dir_next_version(&f->d, &next, f->err, sizeof f->err), 0);
	assert_true(next == 1);

	write_text(f, "0001_a.up.sql", "SELECT 1;\n");
	write_text(f, "0041_jump.up.sql", "SELECT 1;\n");
	write_text(f, "0007_b.up.sql", "SELECT 1;\n");
	assert_int_equal(load(f), 0);
	assert_int_equal(migration_dir_next_version(&f->d, &next, f->err, sizeof f->err), 0);
	assert_true(next == 42);
}

static void test_next_version__after_the_last_possible__refused(void **state)
{
	struct fixture *f = *state;
	long long next = 0;

	write_text(f, "999999999999999999_last.up.sql", "SELECT 1;\n");
	assert_int_equal(load(f), 0);
	assert_int_equal(migration_dir_next_version(&f->d, &next, f->err, sizeof f->err),
	                 APP_EINVALID);
	assert_string_equal(f->err, "no version left after 999999999999999999");
	assert_true(next == 0);
}

/* ---- reading a file ---- */

static void test_sql_read__whole_text_and_its_path(void **state)
{
	struct fixture *f = *state;
	struct migration_sql sql;
	char want[PATH_MAX];
	static const char text[] = "-- ação\nCREATE TABLE a (id int);\n";

	write_text(f, "0001_a.up.sql", text);
	write_text(f, "0001_a.down.sql", "DROP TABLE a;\n");

	assert_int_equal(read_first(f, MIGRATION_UP, &sql), 0);
	assert_string_equal(sql.text, text);
	assert_int_equal(sql.len, strlen(text));
	assert_string_equal(sql.path, path_in(f, "0001_a.up.sql", want));
	migration_sql_cleanup(&sql);
	assert_null(sql.text);

	assert_int_equal(read_first(f, MIGRATION_DOWN, &sql), 0);
	assert_string_equal(sql.text, "DROP TABLE a;\n");
	assert_string_equal(sql.path, path_in(f, "0001_a.down.sql", want));
	migration_sql_cleanup(&sql);
}

static void test_sql_read__empty_file__empty_text(void **state)
{
	struct fixture *f = *state;
	struct migration_sql sql;

	write_text(f, "0001_a.up.sql", "");
	assert_int_equal(read_first(f, MIGRATION_UP, &sql), 0);
	assert_string_equal(sql.text, "");
	assert_int_equal(sql.len, 0);
	migration_sql_cleanup(&sql);
}

static void test_sql_read__missing_part__refused(void **state)
{
	struct fixture *f = *state;

	write_text(f, "0001_a.up.sql", "SELECT 1;\n");
	assert_read_refused(f, MIGRATION_DOWN, "cannot open ",
	                    "/0001_a.down.sql: No such file or directory");
}

static void test_sql_read__exactly_the_limit__read(void **state)
{
	struct fixture *f = *state;
	struct migration_sql sql;
	char *big = malloc(MIGRATION_FILE_MAX);

	assert_non_null(big);
	memset(big, '-', MIGRATION_FILE_MAX);
	write_bytes(f, "0001_big.up.sql", big, MIGRATION_FILE_MAX);
	free(big);
	assert_int_equal(read_first(f, MIGRATION_UP, &sql), 0);
	assert_int_equal(sql.len, MIGRATION_FILE_MAX);
	assert_int_equal(sql.text[MIGRATION_FILE_MAX], '\0');
	migration_sql_cleanup(&sql);
}

static void test_sql_read__one_byte_over_the_limit__refused(void **state)
{
	struct fixture *f = *state;
	char path[PATH_MAX];

	/* A sparse file: its size is what counts, and it is refused before it is read. */
	assert_int_equal(close(open(path_in(f, "0001_big.up.sql", path), O_CREAT | O_WRONLY, 0600)),
	                 0);
	assert_int_equal(truncate(path, MIGRATION_FILE_MAX + 1), 0);
	assert_read_refused(f, MIGRATION_UP, "", "/0001_big.up.sql is larger than 8388608 bytes");
}

static void test_sql_read__nul_byte__refused(void **state)
{
	struct fixture *f = *state;
	static const char text[] = "SELECT 1;\0DROP TABLE x;\n";

	/* PostgreSQL would run "SELECT 1;" alone, and the file would count as applied. */
	write_bytes(f, "0001_nul.up.sql", text, sizeof text - 1);
	assert_read_refused(f, MIGRATION_UP, "", "/0001_nul.up.sql contains a NUL byte");
}

static void test_sql_read__directory_with_a_migration_name__refused(void **state)
{
	struct fixture *f = *state;
	char path[PATH_MAX];

	assert_int_equal(mkdir(path_in(f, "0001_dir.up.sql", path), 0700), 0);
	assert_read_refused(f, MIGRATION_UP, "", "/0001_dir.up.sql is not a regular file");
}

/* ---- checksums ---- */

static void test_checksum__hex_sha256_of_the_text(void **state)
{
	struct fixture *f = *state;
	char hex[MIGRATION_CHECKSUM_HEX], abc[] = "abc";
	struct migration_sql sql = {.text = abc, .len = 3};

	assert_int_equal(migration_checksum(&sql, hex, f->err, sizeof f->err), 0);
	assert_string_equal(hex, SHA256_ABC);

	write_text(f, "0001_abc.up.sql", "abc");
	assert_int_equal(load(f), 0);
	checksum_of(f, 0, hex);
	assert_string_equal(hex, SHA256_ABC);
}

static void test_checksum__same_bytes__same_checksum(void **state)
{
	struct fixture *f = *state;
	char before[MIGRATION_CHECKSUM_HEX], after[MIGRATION_CHECKSUM_HEX];

	write_text(f, "0001_a.up.sql", "CREATE TABLE a (id int);\n");
	write_text(f, "0001_a.down.sql", "DROP TABLE a;\n");
	assert_int_equal(load(f), 0);
	checksum_of(f, 0, before);
	checksum_of(f, 0, after);
	assert_string_equal(before, after);

	/* Written again with the same bytes, and its .down.sql changed: still the same. */
	write_text(f, "0001_a.up.sql", "CREATE TABLE a (id int);\n");
	write_text(f, "0001_a.down.sql", "DROP TABLE IF EXISTS a;\n");
	assert_int_equal(load(f), 0);
	checksum_of(f, 0, after);
	assert_string_equal(before, after);
}

static void test_checksum__any_change_to_the_up_file__another_checksum(void **state)
{
	struct fixture *f = *state;
	static const char *const edits[] = {
	    "CREATE TABLE a (id int);\n\n",  /* a blank line more */
	    "CREATE TABLE a (id int);",      /* the final newline gone */
	    "CREATE TABLE a (id bigint);\n", /* another type */
	    "create table a (id int);\n",    /* another case */
	    "CREATE TABLE a (id int);\r\n",  /* another line ending */
	};
	char original[MIGRATION_CHECKSUM_HEX], edited[MIGRATION_CHECKSUM_HEX];

	write_text(f, "0001_a.up.sql", "CREATE TABLE a (id int);\n");
	assert_int_equal(load(f), 0);
	checksum_of(f, 0, original);
	assert_int_equal(strlen(original), MIGRATION_CHECKSUM_HEX - 1);
	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		write_text(f, "0001_a.up.sql", edits[i]);
		checksum_of(f, 0, edited);
		if (strcmp(original, edited) == 0)
			fail_msg("edit %zu kept the checksum %s", i, edited);
	}
}

static void test_checksum__unreadable_up_file__reported(void **state)
{
	struct fixture *f = *state;
	char hex[MIGRATION_CHECKSUM_HEX];

	write_text(f, "0001_a.up.sql", "SELECT 1;\n");
	assert_int_equal(load(f), 0);
	remove_name(f, "0001_a.up.sql");
	assert_int_equal(migration_file_checksum(&f->d, &f->d.files[0], hex, f->err, sizeof f->err),
	                 APP_EINVALID);
	assert_err_is(f, "cannot open ", "/0001_a.up.sql: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	    T(test_name_valid__1_to_64_of_a_z_0_9_underscore),
	    T(test_part_suffix__up_and_down),
	    T(test_base_name__version_on_at_least_four_digits),
	    T(test_path__one_slash_between_dir_and_file),
	    T(test_path__too_long__refused),
	    T(test_load__empty_directory__no_files),
	    T(test_load__files_in_any_order__sorted_by_version),
	    T(test_load__more_versions_than_the_first_allocation__all_sorted),
	    T(test_load__hidden_and_non_sql_files__ignored),
	    T(test_load__bad_file_names__refused_with_the_expected_form),
	    T(test_load__longest_name_and_version__accepted),
	    T(test_load__two_names_for_one_version__refused),
	    T(test_load__duplicate_of_a_down_file__named_by_its_suffix),
	    T(test_load__down_without_up__refused),
	    T(test_load__up_without_down__accepted),
	    T(test_load__missing_directory__refused),
	    T(test_cleanup__twice_or_never_loaded__harmless),
	    T(test_next_version__one_above_the_highest),
	    T(test_next_version__after_the_last_possible__refused),
	    T(test_sql_read__whole_text_and_its_path),
	    T(test_sql_read__empty_file__empty_text),
	    T(test_sql_read__missing_part__refused),
	    T(test_sql_read__exactly_the_limit__read),
	    T(test_sql_read__one_byte_over_the_limit__refused),
	    T(test_sql_read__nul_byte__refused),
	    T(test_sql_read__directory_with_a_migration_name__refused),
	    T(test_checksum__hex_sha256_of_the_text),
	    T(test_checksum__same_bytes__same_checksum),
	    T(test_checksum__any_change_to_the_up_file__another_checksum),
	    T(test_checksum__unreadable_up_file__reported),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

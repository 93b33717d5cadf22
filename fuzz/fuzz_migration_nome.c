/*
 * Fuzz target: migration file names (infrastructure/migrations/migration_dir.c), the names
 * migration_dir_load reads from the migrations directory. Properties: a name accepted is exactly
 * base + ".up.sql" or base + ".down.sql", base being 4 to 18 digits, '_' and a name that
 * migration_name_valid accepts; the version is the digits' value (computed here), 1 to
 * MIGRATION_VERSION_MAX; migration_base_name writes base back when the digits have no more
 * leading zeros than its four-digit padding; migration_path ends with the file name. A name
 * refused is one that is not of that shape (checked the other way round as well).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "infrastructure/migrations/migration_dir.h"

/* The oracle: NNNN_name.up.sql / .down.sql by plain string work; *versao the digits' value. */
static bool forma_valida(const char *fn, long long *versao)
{
	size_t n = strlen(fn), d = strspn(fn, "0123456789");
	const char *sufixo = NULL;
	long long v = 0;

	if (n > 7 && strcmp(fn + n - 7, ".up.sql") == 0)
		sufixo = fn + n - 7;
	if (n > 9 && strcmp(fn + n - 9, ".down.sql") == 0)
		sufixo = fn + n - 9;
	if (!sufixo || d < 4 || d > 18 || fn[d] != '_')
		return false;
	size_t nome = (size_t)(sufixo - fn) - d - 1;
	if (sufixo < fn + d + 1 || nome < 1 || nome > MIGRATION_NAME_MAX)
		return false;
	for (size_t i = d + 1; i < (size_t)(sufixo - fn); i++)
		if (!((fn[i] >= 'a' && fn[i] <= 'z') || (fn[i] >= '0' && fn[i] <= '9') ||
		      fn[i] == '_'))
			return false;
	for (size_t i = 0; i < d; i++)
		v = v * 10 + (fn[i] - '0');
	*versao = v;
	return v >= 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *fn = fuzz_text(data, size);
	struct migration_file f;
	enum migration_part part = 0;
	long long versao = 0;
	bool ok;

	memset(&f, 0, sizeof f);
	ok = migration_file_name_parse(fn, &f, &part);
	FUZZ_CHECK(ok == forma_valida(fn, &versao));
	if (ok) {
		char nome[2 * MIGRATION_BASE_MAX + 16], path[4096], err[256];
		const char *sufixo = migration_part_suffix(part);
		size_t digitos = strspn(fn, "0123456789");

		FUZZ_CHECK(part == MIGRATION_UP || part == MIGRATION_DOWN);
		FUZZ_CHECK(f.version == versao && f.version >= 1 &&
		           f.version <= MIGRATION_VERSION_MAX);
		FUZZ_CHECK(migration_name_valid(f.name));
		FUZZ_CHECK(strlen(f.base) == digitos + 1 + strlen(f.name));
		FUZZ_CHECK(strncmp(f.base, fn, digitos + 1) == 0);
		FUZZ_CHECK(strcmp(f.base + digitos + 1, f.name) == 0);
		FUZZ_CHECK(strlen(fn) == strlen(f.base) + strlen(sufixo));
		FUZZ_CHECK(strncmp(fn, f.base, strlen(f.base)) == 0);
		FUZZ_CHECK(strcmp(fn + strlen(f.base), sufixo) == 0);
		/* Digits beyond the four of the padding, with a leading zero, cannot be rewritten.
		 */
		int n = migration_base_name(nome, sizeof nome, f.version, f.name);
		FUZZ_CHECK(n > 0 && (size_t)n < sizeof nome);
		if (digitos == 4 || fn[0] != '0')
			FUZZ_CHECK(strcmp(nome, f.base) == 0);
		FUZZ_CHECK(migration_path(path, sizeof path, "migrations", f.base, part, err,
		                          sizeof err) == 0);
		FUZZ_CHECK(strcmp(path + strlen("migrations/"), fn) == 0);
	}
	free(fn);
	return 0;
}

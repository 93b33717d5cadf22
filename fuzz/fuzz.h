/*
 * What the fuzz targets of fuzz/ share (fuzz/README.md): libFuzzer's entry points, declared here so
 * that -Wmissing-prototypes holds for them too, the property check that turns a broken promise into
 * a crash libFuzzer keeps, and the splitting of one input into the NUL-terminated texts a parser
 * takes. Test code only: nothing here is linked into the server.
 */
#ifndef OFICINA_FUZZ_FUZZ_H
#define OFICINA_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer calls this once per input; 0 always (a broken property aborts instead). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer calls this once before the first input, when a target defines it. */
int LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * Aborts, naming the property and where it is checked, when cond is false: libFuzzer then saves
 * the input as a crash. Not assert(): a property must hold in every build, NDEBUG or not.
 */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			fuzz_fail(#cond, __FILE__, __LINE__);                                      \
	} while (0)

_Noreturn void fuzz_fail(const char *what, const char *file, int line);

/*
 * A NUL-terminated copy of data[0..size) (malloc'd; free it). A NUL byte inside ends the text
 * there, as it would for a C string from a header or a JSON value. Aborts when out of memory.
 */
char *fuzz_text(const uint8_t *data, size_t size);

/*
 * Splits data at its first '\n' into two NUL-terminated copies (malloc'd; free both): *a gets
 * what is before it, *b what follows; with no '\n' *b is NULL and *a is the whole input. Seed
 * files are then plain text, one value per line.
 */
void fuzz_split2(const uint8_t *data, size_t size, char **a, char **b);

#endif

/* Field-level validation detail (domain layer, no I/O). */
#include "domain/field_errors.h"

#include "domain/texto.h"

#include <stdio.h>
#include <string.h>

void field_errors_init(struct field_errors *fe)
{
	fe->count = 0;
}

int field_errors_has(const struct field_errors *fe, const char *campo)
{
	for (size_t i = 0; fe && i < fe->count; i++)
		if (strcmp(fe->items[i].campo, campo) == 0)
			return 1;
	return 0;
}

void field_errors_add(struct field_errors *fe, const char *campo, const char *mensagem)
{
	if (!fe || fe->count >= FIELD_ERRORS_MAX || field_errors_has(fe, campo))
		return;
	struct field_error *e = &fe->items[fe->count++];
	/* Cut on a character: half a UTF-8 sequence would make the answer's JSON invalid. */
	texto_trim(campo, e->campo, sizeof e->campo);
	texto_trim(mensagem, e->mensagem, sizeof e->mensagem);
}

void field_errors_missing(struct field_errors *fe, const char *campo)
{
	field_errors_add(fe, campo, "campo obrigatório");
}

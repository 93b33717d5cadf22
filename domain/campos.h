/*
 * What every entity shares (domain layer, no I/O): the sizes of a person's or company's name, an
 * e-mail address and a timestamp, and how typed fields apply (create, replace, change). The
 * helpers below hold the rules every *_aplicar of the domain follows, so that each rule has one
 * place: which fields a mode requires or clears, how an entity's "ativo" starts, and how a typed
 * text field is checked, trimmed and stored.
 */
#ifndef OFICINA_DOMAIN_CAMPOS_H
#define OFICINA_DOMAIN_CAMPOS_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/field_errors.h"

#define NOME_MIN        3
#define NOME_MAX        120 /* code points */
#define NOME_BYTES      (NOME_MAX * 4 + 1)
#define EMAIL_BYTES     255
#define TIMESTAMP_BYTES 32 /* RFC 3339 UTC, e.g. 2026-11-23T14:30:00Z */

/* How the fields a user typed apply to an entity (every *_aplicar of the domain). */
enum campos_modo {
	CAMPOS_CRIAR,      /* every required field must be given; optional ones default to empty */
	CAMPOS_SUBSTITUIR, /* PUT: like CRIAR, and a missing optional field is cleared */
	CAMPOS_ALTERAR,    /* PATCH: only the given fields change */
};

/*
 * Whether a required field was given (dado), so that the caller applies it. When it was not,
 * records campo as missing in fe, except under CAMPOS_ALTERAR, where any field may be left out.
 */
bool campo_exigido(bool dado, enum campos_modo modo, const char *campo, struct field_errors *fe);

/*
 * Whether an optional field is to be applied: when it was given (a value or an explicit null),
 * and under CAMPOS_CRIAR and CAMPOS_SUBSTITUIR also when it was not, to take its empty value.
 */
bool campo_opcional(bool dado, enum campos_modo modo);

/*
 * The "ativo" flag every entity has: valor is what was typed (-1 not given, 0 or 1). Not given,
 * a new entity (CAMPOS_CRIAR) starts active and an existing one keeps *ativo.
 */
void campo_ativo_aplicar(bool *ativo, int valor, enum campos_modo modo);

/*
 * A text field with a length rule: valor (not NULL), ignoring surrounding whitespace, must be
 * valid UTF-8 without control characters and have min to max characters (texto_tamanho_valido);
 * out (out_size bytes) then gets it trimmed. Otherwise fe gets one entry for campo ("deve ter de
 * min a max caracteres", or "no máximo max" when min is 0) and out is left as it was. 0 or
 * APP_EINVALID.
 */
int campo_texto_aplicar(const char *valor, size_t min, size_t max, char *out, size_t out_size,
                        const char *campo, struct field_errors *fe);

/*
 * A whole-number field given as valor: it must lie in min..max, and *out then gets it. Otherwise
 * fe gets the entry (campo, mensagem) and *out is left as it was. 0 or APP_EINVALID.
 */
int campo_inteiro_aplicar(long valor, long min, long max, int *out, const char *campo,
                          const char *mensagem, struct field_errors *fe);

/*
 * The same for an optional one: vazio (not given, or given as null) sets *out to 0 instead. 0 or
 * APP_EINVALID.
 */
int campo_inteiro_opcional(bool vazio, long valor, long min, long max, int *out, const char *campo,
                           const char *mensagem, struct field_errors *fe);

/*
 * A text field with a shape rule (email_valido, telefone_valido): valor trimmed must satisfy
 * valido and fit out (out_size bytes, at most CAMPO_FORMATO_BYTES); out then gets it. Otherwise
 * fe gets the entry (campo, mensagem) and out is left as it was. NULL or blank fails like "" does.
 * 0 or APP_EINVALID.
 */
/* The longest shaped field, with room to see that a value was cut. */
#define CAMPO_FORMATO_BYTES (EMAIL_BYTES + 8)
int campo_formato_aplicar(const char *valor, int (*valido)(const char *), const char *mensagem,
                          char *out, size_t out_size, const char *campo, struct field_errors *fe);

/*
 * The same for an optional field: NULL (an explicit null) or blank clears out ("") instead of
 * failing. 0 or APP_EINVALID.
 */
int campo_formato_opcional(const char *valor, int (*valido)(const char *), const char *mensagem,
                           char *out, size_t out_size, const char *campo, struct field_errors *fe);

#endif

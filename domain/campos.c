/* The rules every entity's field application follows (domain layer, no I/O); see campos.h. */
#include "domain/campos.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "domain/errors.h"
#include "domain/texto.h"

bool campo_exigido(bool dado, enum campos_modo modo, const char *campo, struct field_errors *fe)
{
	if (!dado && modo != CAMPOS_ALTERAR)
		field_errors_missing(fe, campo);
	return dado;
}

bool campo_opcional(bool dado, enum campos_modo modo)
{
	return dado || modo != CAMPOS_ALTERAR;
}

void campo_ativo_aplicar(bool *ativo, int valor, enum campos_modo modo)
{
	if (valor >= 0)
		*ativo = valor != 0;
	else if (modo == CAMPOS_CRIAR)
		*ativo = true;
}

int campo_texto_aplicar(const char *valor, size_t min, size_t max, char *out, size_t out_size,
                        const char *campo, struct field_errors *fe)
{
	char msg[64];

	if (!texto_tamanho_valido(valor, min, max)) {
		if (min == 0)
			snprintf(msg, sizeof msg, "deve ter no máximo %zu caracteres", max);
		else
			snprintf(msg, sizeof msg, "deve ter de %zu a %zu caracteres", min, max);
		field_errors_add(fe, campo, msg);
		return APP_EINVALID;
	}
	texto_trim(valor, out, out_size);
	return 0;
}

int campo_inteiro_aplicar(long valor, long min, long max, int *out, const char *campo,
                          const char *mensagem, struct field_errors *fe)
{
	if (valor < min || valor > max) {
		field_errors_add(fe, campo, mensagem);
		return APP_EINVALID;
	}
	*out = (int)valor;
	return 0;
}

int campo_inteiro_opcional(bool vazio, long valor, long min, long max, int *out, const char *campo,
                           const char *mensagem, struct field_errors *fe)
{
	if (vazio) {
		*out = 0;
		return 0;
	}
	return campo_inteiro_aplicar(valor, min, max, out, campo, mensagem, fe);
}

int campo_formato_aplicar(const char *valor, int (*valido)(const char *), const char *mensagem,
                          char *out, size_t out_size, const char *campo, struct field_errors *fe)
{
	/*
	 * Trimmed into a buffer larger than any out, so that a text too long for out is seen to be
	 * too long (every shape rule bounds the length well below this) rather than cut to fit.
	 */
	char trimmed[CAMPO_FORMATO_BYTES];
	size_t n;

	assert(out_size <= sizeof trimmed);
	texto_trim(valor, trimmed, sizeof trimmed);
	n = strlen(trimmed);
	if (!valido(trimmed) || n >= out_size) {
		field_errors_add(fe, campo, mensagem);
		return APP_EINVALID;
	}
	memcpy(out, trimmed, n + 1);
	return 0;
}

int campo_formato_opcional(const char *valor, int (*valido)(const char *), const char *mensagem,
                           char *out, size_t out_size, const char *campo, struct field_errors *fe)
{
	if (texto_vazio(valor)) {
		out[0] = '\0';
		return 0;
	}
	return campo_formato_aplicar(valor, valido, mensagem, out, out_size, campo, fe);
}

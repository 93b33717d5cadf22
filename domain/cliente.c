/* Cliente validation and field application (domain layer, no I/O). */
#include "domain/cliente.h"

#include <stdio.h>
#include <string.h>

#include "domain/errors.h"
#include "domain/texto.h"

static void aplicar_nome(struct cliente *c, const char *nome, struct field_errors *fe)
{
	if (!texto_tamanho_valido(nome, NOME_MIN, NOME_MAX)) {
		field_errors_add(fe, "nome", "deve ter de 3 a 120 caracteres");
		return;
	}
	texto_trim(nome, c->nome, sizeof c->nome);
}

static void aplicar_documento(struct cliente *c, const char *documento, struct field_errors *fe)
{
	if (documento_parse(documento, c->documento, &c->tipo_documento) != 0)
		field_errors_add(fe, "documento", "CPF ou CNPJ inválido");
}

static void aplicar_email(struct cliente *c, const char *email, struct field_errors *fe)
{
	char trimmed[EMAIL_BYTES + 8];

	if (!email) {
		c->email[0] = '\0';
		return;
	}
	texto_trim(email, trimmed, sizeof trimmed);
	if (trimmed[0] == '\0') {
		c->email[0] = '\0';
		return;
	}
	if (!email_valido(trimmed) || strlen(trimmed) >= sizeof c->email) {
		field_errors_add(fe, "email", "e-mail inválido");
		return;
	}
	memcpy(c->email, trimmed, strlen(trimmed) + 1);
}

static void aplicar_telefone(struct cliente *c, const char *telefone, struct field_errors *fe)
{
	char trimmed[TELEFONE_BYTES + 8];

	if (!telefone) {
		c->telefone[0] = '\0';
		return;
	}
	texto_trim(telefone, trimmed, sizeof trimmed);
	if (trimmed[0] == '\0') {
		c->telefone[0] = '\0';
		return;
	}
	if (!telefone_valido(trimmed) || strlen(trimmed) >= sizeof c->telefone) {
		field_errors_add(fe, "telefone", "telefone inválido");
		return;
	}
	memcpy(c->telefone, trimmed, strlen(trimmed) + 1);
}

int cliente_aplicar(struct cliente *c, const struct cliente_campos *in, enum campos_modo modo,
                    struct field_errors *fe)
{
	bool parcial = modo == CAMPOS_ALTERAR;

	if (in->nome)
		aplicar_nome(c, in->nome, fe);
	else if (!parcial)
		field_errors_missing(fe, "nome");

	if (in->documento)
		aplicar_documento(c, in->documento, fe);
	else if (!parcial)
		field_errors_missing(fe, "documento");

	if (in->email_given || !parcial)
		aplicar_email(c, in->email_given ? in->email : NULL, fe);
	if (in->telefone_given || !parcial)
		aplicar_telefone(c, in->telefone_given ? in->telefone : NULL, fe);

	if (in->ativo >= 0)
		c->ativo = in->ativo != 0;
	else if (modo == CAMPOS_CRIAR)
		c->ativo = true;

	return fe->count > 0 ? APP_EINVALID : 0;
}

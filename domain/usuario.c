/* Usuário validation and the role names (domain layer, no I/O). */
#include "domain/usuario.h"

#include <stdio.h>
#include <string.h>

#include "domain/errors.h"
#include "domain/texto.h"

const char *perfil_nome(enum perfil p)
{
	switch (p) {
	case PERFIL_ADMIN:
		return "admin";
	case PERFIL_ATENDENTE:
		return "atendente";
	case PERFIL_MECANICO:
		return "mecanico";
	case PERFIL_CLIENTE:
		return "cliente";
	case PERFIL_WEBHOOK:
		return "webhook";
	case PERFIL_LINK:
		return "link";
	default:
		return "";
	}
}

enum perfil perfil_parse(const char *s)
{
	static const enum perfil todos[] = {PERFIL_ADMIN, PERFIL_ATENDENTE, PERFIL_MECANICO,
	                                    PERFIL_CLIENTE};
	for (size_t i = 0; s && i < sizeof todos / sizeof todos[0]; i++)
		if (strcmp(s, perfil_nome(todos[i])) == 0)
			return todos[i];
	return PERFIL_NENHUM;
}

int usuario_aplicar(struct usuario *u, const struct usuario_campos *in, enum campos_modo modo,
                    struct field_errors *fe)
{
	if (campo_exigido(in->nome != NULL, modo, "nome", fe))
		campo_texto_aplicar(in->nome, NOME_MIN, NOME_MAX, u->nome, sizeof u->nome, "nome",
		                    fe);

	if (campo_exigido(in->email != NULL, modo, "email", fe))
		campo_formato_aplicar(in->email, email_valido, EMAIL_INVALIDO, u->email,
		                      sizeof u->email, "email", fe);

	/* Required on creation only: a change keeps the password unless a new one is given. */
	if (in->senha) {
		size_t n = utf8_length(in->senha);
		if (n < SENHA_MIN || n > SENHA_MAX)
			field_errors_add(fe, "senha", "deve ter de 8 a 256 caracteres");
	} else if (modo == CAMPOS_CRIAR) {
		field_errors_missing(fe, "senha");
	}

	if (campo_exigido(in->perfil != NULL, modo, "perfil", fe)) {
		enum perfil p = perfil_parse(in->perfil);
		if (p == PERFIL_ADMIN || p == PERFIL_ATENDENTE || p == PERFIL_MECANICO)
			u->perfil = p;
		else
			field_errors_add(fe, "perfil", "deve ser admin, atendente ou mecanico");
	}

	campo_ativo_aplicar(&u->ativo, in->ativo, modo);

	return fe->count > 0 ? APP_EINVALID : 0;
}

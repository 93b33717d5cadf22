/* Cliente validation and field application (domain layer, no I/O). */
#include "domain/cliente.h"

#include "domain/errors.h"
#include "domain/texto.h"

int cliente_aplicar(struct cliente *c, const struct cliente_campos *in, enum campos_modo modo,
                    struct field_errors *fe)
{
	if (campo_exigido(in->nome != NULL, modo, "nome", fe))
		campo_texto_aplicar(in->nome, NOME_MIN, NOME_MAX, c->nome, sizeof c->nome, "nome",
		                    fe);

	if (campo_exigido(in->documento != NULL, modo, "documento", fe) &&
	    documento_parse(in->documento, c->documento, &c->tipo_documento) != 0)
		field_errors_add(fe, "documento", "CPF ou CNPJ inválido");

	if (campo_opcional(in->email_given, modo))
		campo_formato_opcional(in->email_given ? in->email : NULL, email_valido,
		                       EMAIL_INVALIDO, c->email, sizeof c->email, "email", fe);
	if (campo_opcional(in->telefone_given, modo))
		campo_formato_opcional(in->telefone_given ? in->telefone : NULL, telefone_valido,
		                       "telefone inválido", c->telefone, sizeof c->telefone,
		                       "telefone", fe);

	campo_ativo_aplicar(&c->ativo, in->ativo, modo);

	return fe->count > 0 ? APP_EINVALID : 0;
}

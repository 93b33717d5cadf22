/* Veículo validation and field application (domain layer, no I/O). */
#include "domain/veiculo.h"

#include <stdio.h>

#include "domain/errors.h"
#include "domain/texto.h"
#include "domain/veiculo_ano.h"

int veiculo_aplicar(struct veiculo *v, const struct veiculo_campos *in, enum campos_modo modo,
                    int ano_atual, struct field_errors *fe)
{
	if (campo_exigido(in->cliente_uuid != NULL, modo, "cliente_uuid", fe) &&
	    uuid_parse(in->cliente_uuid, &v->cliente_uuid) != 0)
		field_errors_add(fe, "cliente_uuid", "cliente não encontrado");

	if (campo_exigido(in->placa != NULL, modo, "placa", fe) &&
	    placa_normalizar(in->placa, v->placa) != 0)
		field_errors_add(fe, "placa", PLACA_INVALIDA);

	if (campo_exigido(in->marca != NULL, modo, "marca", fe))
		campo_texto_aplicar(in->marca, 1, VEICULO_TEXTO_MAX, v->marca, sizeof v->marca,
		                    "marca", fe);

	if (campo_exigido(in->modelo != NULL, modo, "modelo", fe))
		campo_texto_aplicar(in->modelo, 1, VEICULO_TEXTO_MAX, v->modelo, sizeof v->modelo,
		                    "modelo", fe);

	if (campo_exigido(in->ano_given, modo, "ano", fe)) {
		if (veiculo_ano_valido(in->ano, ano_atual)) {
			v->ano = (int)in->ano;
		} else {
			char msg[80];
			snprintf(msg, sizeof msg, "deve estar entre 1886 e %d", ano_atual + 1);
			field_errors_add(fe, "ano", msg);
		}
	}

	if (campo_opcional(in->cor_given, modo)) {
		const char *cor = in->cor_given ? in->cor : NULL;
		if (texto_vazio(cor)) /* an explicit null or blank: no colour */
			v->cor[0] = '\0';
		else
			campo_texto_aplicar(cor, 1, VEICULO_TEXTO_MAX, v->cor, sizeof v->cor, "cor",
			                    fe);
	}

	campo_ativo_aplicar(&v->ativo, in->ativo, modo);

	return fe->count > 0 ? APP_EINVALID : 0;
}

/* Veículo validation and field application (domain layer, no I/O). */
#include "domain/veiculo.h"

#include <stdio.h>

#include "domain/errors.h"
#include "domain/texto.h"
#include "domain/veiculo_ano.h"

static void aplicar_texto(char *dest, size_t size, const char *valor, const char *campo,
                          struct field_errors *fe)
{
	if (!texto_tamanho_valido(valor, 1, VEICULO_TEXTO_MAX)) {
		field_errors_add(fe, campo, "deve ter de 1 a 60 caracteres");
		return;
	}
	texto_trim(valor, dest, size);
}

int veiculo_aplicar(struct veiculo *v, const struct veiculo_campos *in, enum campos_modo modo,
                    int ano_atual, struct field_errors *fe)
{
	bool parcial = modo == CAMPOS_ALTERAR;

	if (in->cliente_uuid) {
		if (uuid_parse(in->cliente_uuid, &v->cliente_uuid) != 0)
			field_errors_add(fe, "cliente_uuid", "cliente não encontrado");
	} else if (!parcial) {
		field_errors_missing(fe, "cliente_uuid");
	}

	if (in->placa) {
		if (placa_normalizar(in->placa, v->placa) != 0)
			field_errors_add(fe, "placa", "placa inválida: use AAA9999 ou AAA9A99");
	} else if (!parcial) {
		field_errors_missing(fe, "placa");
	}

	if (in->marca)
		aplicar_texto(v->marca, sizeof v->marca, in->marca, "marca", fe);
	else if (!parcial)
		field_errors_missing(fe, "marca");

	if (in->modelo)
		aplicar_texto(v->modelo, sizeof v->modelo, in->modelo, "modelo", fe);
	else if (!parcial)
		field_errors_missing(fe, "modelo");

	if (in->ano_given) {
		if (veiculo_ano_valido(in->ano, ano_atual)) {
			v->ano = (int)in->ano;
		} else {
			char msg[80];
			snprintf(msg, sizeof msg, "deve estar entre 1886 e %d", ano_atual + 1);
			field_errors_add(fe, "ano", msg);
		}
	} else if (!parcial) {
		field_errors_missing(fe, "ano");
	}

	if (in->cor_given && in->cor) {
		char trimmed[VEICULO_TEXTO_BYTES + 8];
		texto_trim(in->cor, trimmed, sizeof trimmed);
		if (trimmed[0] == '\0')
			v->cor[0] = '\0';
		else
			aplicar_texto(v->cor, sizeof v->cor, in->cor, "cor", fe);
	} else if (in->cor_given || !parcial) {
		v->cor[0] = '\0';
	}

	if (in->ativo >= 0)
		v->ativo = in->ativo != 0;
	else if (modo == CAMPOS_CRIAR)
		v->ativo = true;

	return fe->count > 0 ? APP_EINVALID : 0;
}

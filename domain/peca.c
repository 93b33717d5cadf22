/* Peça validation, field application and movement validation (domain layer, no I/O). */
#include "domain/peca.h"

#include <stdio.h>
#include <string.h>

#include "domain/errors.h"
#include "domain/servico.h"
#include "domain/texto.h"

static const char *const tipo_nomes[] = {
    [TIPO_PECA_PECA] = "PECA",
    [TIPO_PECA_INSUMO] = "INSUMO",
};
#define TIPOS (sizeof tipo_nomes / sizeof tipo_nomes[0])

const char *tipo_peca_nome(enum tipo_peca t)
{
	return texto_nome(tipo_nomes, TIPOS, (int)t);
}

int tipo_peca_parse(const char *s, enum tipo_peca *out)
{
	int i = texto_nome_indice(tipo_nomes, TIPOS, s);
	if (i < 0)
		return APP_EINVALID;
	*out = (enum tipo_peca)i;
	return 0;
}

static void aplicar_codigo(struct peca *p, const char *codigo, struct field_errors *fe)
{
	if (!codigo)
		p->codigo[0] = '\0';
	else /* "" (only spaces) is no code */
		campo_texto_aplicar(codigo, 0, PECA_CODIGO_MAX, p->codigo, sizeof p->codigo,
		                    "codigo", fe);
}

static void aplicar_tipo(struct peca *p, const char *tipo, struct field_errors *fe)
{
	if (tipo_peca_parse(tipo, &p->tipo) != 0)
		field_errors_add(fe, "tipo", "deve ser PECA ou INSUMO");
}

/* A balance, a minimum: whole units, never negative. */
static const char quantidade_invalida[] = "deve ser um número inteiro de 0 a 1000000000";

static void aplicar_quantidade(struct peca *p, const struct peca_campos *in, enum campos_modo modo,
                               struct field_errors *fe)
{
	char msg[160];

	if (modo == CAMPOS_CRIAR) {
		if (campo_exigido(in->quantidade_given, modo, "quantidade_estoque", fe))
			campo_inteiro_aplicar(in->quantidade_estoque, 0, PECA_QUANTIDADE_MAX,
			                      &p->quantidade_estoque, "quantidade_estoque",
			                      quantidade_invalida, fe);
		return;
	}
	/* The balance changes only through movements; repeating the current one is harmless. */
	if (in->quantidade_given && in->quantidade_estoque != p->quantidade_estoque) {
		snprintf(msg, sizeof msg,
		         "o estoque só muda por movimentos (POST /api/pecas/%s/movimentos); "
		         "saldo atual: %d",
		         p->uuid.str, p->quantidade_estoque);
		field_errors_add(fe, "quantidade_estoque", msg);
	}
}

int peca_aplicar(struct peca *p, const struct peca_campos *in, enum campos_modo modo,
                 struct field_errors *fe)
{
	if (campo_exigido(in->nome != NULL, modo, "nome", fe))
		campo_texto_aplicar(in->nome, PECA_NOME_MIN, PECA_NOME_MAX, p->nome, sizeof p->nome,
		                    "nome", fe);

	if (campo_opcional(in->codigo_given, modo))
		aplicar_codigo(p, in->codigo_given ? in->codigo : NULL, fe);

	if (campo_exigido(in->tipo != NULL, modo, "tipo", fe))
		aplicar_tipo(p, in->tipo, fe);

	if (campo_exigido(in->valor != NULL, modo, "valor", fe))
		valor_aplicar(in->valor, "valor", &p->valor_centavos, fe);

	aplicar_quantidade(p, in, modo, fe);

	if (campo_opcional(in->estoque_minimo_given, modo))
		campo_inteiro_opcional(!in->estoque_minimo_given || in->estoque_minimo_nulo,
		                       in->estoque_minimo, 0, PECA_QUANTIDADE_MAX,
		                       &p->estoque_minimo, "estoque_minimo", quantidade_invalida,
		                       fe);

	campo_ativo_aplicar(&p->ativo, in->ativo, modo);

	return fe->count > 0 ? APP_EINVALID : 0;
}

int movimento_validar(bool quantidade_given, long quantidade, const char *motivo, char *motivo_out,
                      size_t motivo_size, struct field_errors *fe)
{
	int rc = 0;

	if (!quantidade_given) {
		field_errors_missing(fe, "quantidade");
		rc = APP_EINVALID;
	} else if (quantidade == 0 || quantidade > PECA_QUANTIDADE_MAX ||
	           quantidade < -PECA_QUANTIDADE_MAX) {
		field_errors_add(fe, "quantidade",
		                 "deve ser um número inteiro diferente de zero (negativo para "
		                 "retirada), de -1000000000 a 1000000000");
		rc = APP_EINVALID;
	}
	if (!motivo) {
		field_errors_missing(fe, "motivo");
		rc = APP_EINVALID;
	} else if (campo_texto_aplicar(motivo, 1, MOTIVO_MAX, motivo_out, motivo_size, "motivo",
	                               fe) != 0) {
		rc = APP_EINVALID;
	}
	return rc;
}

/* Serviço validation and field application (domain layer, no I/O). */
#include "domain/servico.h"

#include <string.h>

#include "domain/dinheiro.h"
#include "domain/errors.h"
#include "domain/texto.h"

int valor_aplicar(const char *valor, const char *campo, int64_t *centavos, struct field_errors *fe)
{
	int64_t v;

	if (dinheiro_parse(valor, &v) != 0) {
		field_errors_add(fe, campo,
		                 "deve ser um valor em reais, não negativo, com no máximo duas "
		                 "casas decimais (ex.: \"150.00\")");
		return APP_EINVALID;
	}
	*centavos = v;
	return 0;
}

static void aplicar_descricao(struct servico *s, const char *descricao, struct field_errors *fe)
{
	if (!descricao) {
		s->descricao[0] = '\0';
		return;
	}
	/* Line breaks are welcome in a description; other control characters are not. */
	for (const char *p = descricao; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f) {
			field_errors_add(fe, "descricao", "contém caracteres de controle");
			return;
		}
	}
	if (!utf8_valido(descricao) || utf8_length(descricao) > SERVICO_DESCRICAO_MAX) {
		field_errors_add(fe, "descricao", "deve ter no máximo 2000 caracteres");
		return;
	}
	texto_trim(descricao, s->descricao, sizeof s->descricao);
}

int servico_aplicar(struct servico *s, const struct servico_campos *in, enum campos_modo modo,
                    struct field_errors *fe)
{
	if (campo_exigido(in->nome != NULL, modo, "nome", fe))
		campo_texto_aplicar(in->nome, SERVICO_NOME_MIN, SERVICO_NOME_MAX, s->nome,
		                    sizeof s->nome, "nome", fe);

	if (campo_opcional(in->descricao_given, modo))
		aplicar_descricao(s, in->descricao_given ? in->descricao : NULL, fe);

	if (campo_exigido(in->valor != NULL, modo, "valor", fe))
		valor_aplicar(in->valor, "valor", &s->valor_centavos, fe);

	if (campo_opcional(in->tempo_given, modo))
		campo_inteiro_opcional(!in->tempo_given || in->tempo_nulo,
		                       in->tempo_estimado_minutos, SERVICO_TEMPO_MIN,
		                       SERVICO_TEMPO_MAX, &s->tempo_estimado_minutos,
		                       "tempo_estimado_minutos",
		                       "deve ser um número inteiro de 1 a 100000 minutos", fe);

	campo_ativo_aplicar(&s->ativo, in->ativo, modo);

	return fe->count > 0 ? APP_EINVALID : 0;
}

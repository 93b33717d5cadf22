/*
 * Fuzz target: the JSON body reader and the field validators behind it. The input is a request
 * body: json_input_parse reads it as the pipeline does; an object is then read field by field
 * with the json_input_* functions, as the handlers of customers, vehicles, services, parts, users
 * and stock movements read theirs, and handed to the domain's *_aplicar (create, replace and
 * change) and movimento_validar. Properties:
 *   - every string read is a C string with nothing cut off (no NUL inside);
 *   - an integer read is the JSON integer, within int; a boolean is -1, 0 or 1;
 *   - money read is the canonical "N.NN" of the amount sent: the integer times 100, the string as
 *     dinheiro_parse reads it, or for a real the very double (strtod of the text gives it back);
 *     refused money leaves "" and names the field in fe (absence alone does not);
 *   - a validator succeeds exactly when fe is empty, and what it accepted keeps the domain's
 *     promises: trimmed names within their lengths, a CPF or CNPJ that parses again as itself, a
 *     plate in canonical form, a model year not after next year, e-mail and telephone shapes,
 *     money and quantities in range, staff roles only.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "domain/cliente.h"
#include "domain/dinheiro.h"
#include "domain/errors.h"
#include "domain/peca.h"
#include "domain/servico.h"
#include "domain/texto.h"
#include "domain/usuario.h"
#include "domain/veiculo.h"
#include "domain/veiculo_ano.h"
#include "fuzz/fuzz.h"
#include "presentation/http/json_input.h"

#define ANO_ATUAL 2026

static const enum campos_modo modos[] = {CAMPOS_CRIAR, CAMPOS_SUBSTITUIR, CAMPOS_ALTERAR};

static bool aparado(const char *s)
{
	size_t n = strlen(s);
	return n == 0 || (!strchr(" \t\n\v\f\r", s[0]) && !strchr(" \t\n\v\f\r", s[n - 1]));
}

static void checar_validador(int rc, const struct field_errors *fe)
{
	FUZZ_CHECK(rc == 0 || rc == APP_EINVALID);
	FUZZ_CHECK((rc == 0) == (fe->count == 0));
}

/* json_input_text, and that nothing of the string was cut. */
static const char *texto(json_t *o, const char *campo, bool nullable, bool *given,
                         struct field_errors *fe)
{
	bool g = false;
	const char *s = json_input_text(o, campo, nullable, &g, fe);
	json_t *v = json_object_get(o, campo);

	if (s)
		FUZZ_CHECK(g && json_is_string(v) && strlen(s) == json_string_length(v));
	else
		FUZZ_CHECK(!g || json_is_null(v));
	if (v && !json_is_string(v) && !(nullable && json_is_null(v)))
		FUZZ_CHECK(field_errors_has(fe, campo));
	if (given)
		*given = g;
	return s;
}

static bool inteiro(json_t *o, const char *campo, long *out, struct field_errors *fe)
{
	long v = LONG_MIN;
	bool ok = json_input_integer(o, campo, &v, fe);
	json_t *j = json_object_get(o, campo);

	if (ok)
		FUZZ_CHECK(json_is_integer(j) && v == json_integer_value(j) && v >= INT_MIN &&
		           v <= INT_MAX);
	else if (j)
		FUZZ_CHECK(field_errors_has(fe, campo));
	if (ok)
		*out = v;
	return ok;
}

static int booleano(json_t *o, const char *campo, struct field_errors *fe)
{
	int b = json_input_bool(o, campo, fe);
	json_t *j = json_object_get(o, campo);

	FUZZ_CHECK(b >= -1 && b <= 1);
	FUZZ_CHECK(b == -1 ? !j || field_errors_has(fe, campo) : json_is_boolean(j));
	return b;
}

/* json_input_dinheiro against the value sent. */
static const char *dinheiro(json_t *o, const char *campo, char out[DINHEIRO_TEXTO_MAX],
                            struct field_errors *fe)
{
	bool given = true;
	bool ok = json_input_dinheiro(o, campo, out, &given, fe);
	json_t *v = json_object_get(o, campo);
	int64_t centavos = -1, volta = -1;
	char formato[DINHEIRO_TEXTO_MAX];

	FUZZ_CHECK(ok == given);
	if (!ok) {
		FUZZ_CHECK(out[0] == '\0');
		FUZZ_CHECK(!v || field_errors_has(fe, campo));
		return NULL;
	}
	FUZZ_CHECK(dinheiro_parse(out, &centavos) == 0);
	dinheiro_format(centavos, formato);
	FUZZ_CHECK(strcmp(formato, out) == 0);
	if (json_is_integer(v)) {
		FUZZ_CHECK(centavos == json_integer_value(v) * 100);
	} else if (json_is_string(v)) {
		FUZZ_CHECK(dinheiro_parse(json_string_value(v), &volta) == 0 && volta == centavos);
	} else {
		FUZZ_CHECK(json_is_real(v) && strtod(out, NULL) == json_real_value(v));
	}
	return out;
}

static void cliente(json_t *o)
{
	for (size_t m = 0; m < 3; m++) {
		struct field_errors fe;
		struct cliente_campos in;
		struct cliente c = {.nome = "Cliente Antigo",
		                    .documento = "52998224725",
		                    .tipo_documento = TIPO_DOCUMENTO_CPF,
		                    .ativo = true};
		char doc[DOCUMENTO_MAX];
		enum tipo_documento tipo;

		field_errors_init(&fe);
		in.nome = texto(o, "nome", false, NULL, &fe);
		in.documento = texto(o, "documento", false, NULL, &fe);
		in.email = texto(o, "email", true, &in.email_given, &fe);
		in.telefone = texto(o, "telefone", true, &in.telefone_given, &fe);
		in.ativo = booleano(o, "ativo", &fe);
		int rc = cliente_aplicar(&c, &in, modos[m], &fe);
		checar_validador(rc, &fe);
		if (rc != 0)
			continue;
		FUZZ_CHECK(texto_tamanho_valido(c.nome, NOME_MIN, NOME_MAX) && aparado(c.nome));
		FUZZ_CHECK(documento_parse(c.documento, doc, &tipo) == 0);
		FUZZ_CHECK(strcmp(doc, c.documento) == 0 && tipo == c.tipo_documento);
		FUZZ_CHECK(c.email[0] == '\0' || email_valido(c.email));
		FUZZ_CHECK(c.telefone[0] == '\0' || telefone_valido(c.telefone));
	}
}

static void veiculo(json_t *o)
{
	for (size_t m = 0; m < 3; m++) {
		struct field_errors fe;
		struct veiculo_campos in;
		struct veiculo v = {.placa = "ABC1D23",
		                    .marca = "Fiat",
		                    .modelo = "Uno",
		                    .ano = 2010,
		                    .ativo = true};
		char placa[PLACA_MAX];

		strcpy(v.cliente_uuid.str, "0b0f9a4e-64a0-4b8e-9b39-9f6c3a7e2d10");
		field_errors_init(&fe);
		in.cliente_uuid = texto(o, "cliente_uuid", false, NULL, &fe);
		in.placa = texto(o, "placa", false, NULL, &fe);
		in.marca = texto(o, "marca", false, NULL, &fe);
		in.modelo = texto(o, "modelo", false, NULL, &fe);
		in.ano_given = inteiro(o, "ano", &in.ano, &fe);
		in.cor = texto(o, "cor", true, &in.cor_given, &fe);
		in.ativo = booleano(o, "ativo", &fe);
		int rc = veiculo_aplicar(&v, &in, modos[m], ANO_ATUAL, &fe);
		checar_validador(rc, &fe);
		if (rc != 0)
			continue;
		FUZZ_CHECK(placa_normalizar(v.placa, placa) == 0 && strcmp(placa, v.placa) == 0);
		FUZZ_CHECK(veiculo_ano_valido(v.ano, ANO_ATUAL));
		FUZZ_CHECK(texto_tamanho_valido(v.marca, 1, VEICULO_TEXTO_MAX) && aparado(v.marca));
		FUZZ_CHECK(texto_tamanho_valido(v.modelo, 1, VEICULO_TEXTO_MAX) &&
		           aparado(v.modelo));
		FUZZ_CHECK(texto_tamanho_valido(v.cor, 0, VEICULO_TEXTO_MAX) && aparado(v.cor));
	}
}

static void servico(json_t *o)
{
	for (size_t m = 0; m < 3; m++) {
		struct field_errors fe;
		struct servico_campos in;
		struct servico s = {
		    .nome = "Troca de óleo", .valor_centavos = 15000, .ativo = true};
		char valor[DINHEIRO_TEXTO_MAX];

		field_errors_init(&fe);
		in.nome = texto(o, "nome", false, NULL, &fe);
		in.descricao = texto(o, "descricao", true, &in.descricao_given, &fe);
		in.valor = dinheiro(o, "valor", valor, &fe);
		in.tempo_given = json_input_integer_nullable(
		    o, "tempo_estimado_minutos", &in.tempo_estimado_minutos, &in.tempo_nulo, &fe);
		in.ativo = booleano(o, "ativo", &fe);
		int rc = servico_aplicar(&s, &in, modos[m], &fe);
		checar_validador(rc, &fe);
		if (rc != 0)
			continue;
		FUZZ_CHECK(texto_tamanho_valido(s.nome, SERVICO_NOME_MIN, SERVICO_NOME_MAX));
		FUZZ_CHECK(aparado(s.nome) && aparado(s.descricao));
		FUZZ_CHECK(s.valor_centavos >= 0 && s.valor_centavos <= DINHEIRO_MAX_CENTAVOS);
		FUZZ_CHECK(s.tempo_estimado_minutos == 0 ||
		           (s.tempo_estimado_minutos >= SERVICO_TEMPO_MIN &&
		            s.tempo_estimado_minutos <= SERVICO_TEMPO_MAX));
	}
}

static void peca(json_t *o)
{
	for (size_t m = 0; m < 3; m++) {
		struct field_errors fe;
		struct peca_campos in;
		struct peca p = {.nome = "Filtro de óleo",
		                 .tipo = TIPO_PECA_PECA,
		                 .valor_centavos = 3990,
		                 .quantidade_estoque = 7,
		                 .ativo = true};
		char valor[DINHEIRO_TEXTO_MAX];

		field_errors_init(&fe);
		in.nome = texto(o, "nome", false, NULL, &fe);
		in.codigo = texto(o, "codigo", true, &in.codigo_given, &fe);
		in.tipo = texto(o, "tipo", false, NULL, &fe);
		in.valor = dinheiro(o, "valor", valor, &fe);
		in.quantidade_given = inteiro(o, "quantidade_estoque", &in.quantidade_estoque, &fe);
		in.estoque_minimo_given = json_input_integer_nullable(
		    o, "estoque_minimo", &in.estoque_minimo, &in.estoque_minimo_nulo, &fe);
		in.ativo = booleano(o, "ativo", &fe);
		int rc = peca_aplicar(&p, &in, modos[m], &fe);
		checar_validador(rc, &fe);
		if (rc != 0)
			continue;
		FUZZ_CHECK(texto_tamanho_valido(p.nome, PECA_NOME_MIN, PECA_NOME_MAX));
		FUZZ_CHECK(p.tipo == TIPO_PECA_PECA || p.tipo == TIPO_PECA_INSUMO);
		FUZZ_CHECK(p.valor_centavos >= 0 && p.valor_centavos <= DINHEIRO_MAX_CENTAVOS);
		FUZZ_CHECK(p.quantidade_estoque >= 0 &&
		           p.quantidade_estoque <= PECA_QUANTIDADE_MAX);
		FUZZ_CHECK(p.estoque_minimo >= 0 && p.estoque_minimo <= PECA_QUANTIDADE_MAX);
		FUZZ_CHECK(modos[m] == CAMPOS_CRIAR || p.quantidade_estoque == 7);
	}
}

static void usuario(json_t *o)
{
	for (size_t m = 0; m < 3; m++) {
		struct field_errors fe;
		struct usuario_campos in;
		struct usuario u = {.nome = "Usuária Antiga",
		                    .email = "antiga@oficina.example",
		                    .perfil = PERFIL_ATENDENTE,
		                    .ativo = true};

		field_errors_init(&fe);
		in.nome = texto(o, "nome", false, NULL, &fe);
		in.email = texto(o, "email", false, NULL, &fe);
		in.senha = texto(o, "senha", false, NULL, &fe);
		in.perfil = texto(o, "perfil", false, NULL, &fe);
		in.ativo = booleano(o, "ativo", &fe);
		int rc = usuario_aplicar(&u, &in, modos[m], &fe);
		checar_validador(rc, &fe);
		if (rc != 0)
			continue;
		FUZZ_CHECK(texto_tamanho_valido(u.nome, NOME_MIN, NOME_MAX) && aparado(u.nome));
		FUZZ_CHECK(email_valido(u.email));
		FUZZ_CHECK(u.perfil == PERFIL_ADMIN || u.perfil == PERFIL_ATENDENTE ||
		           u.perfil == PERFIL_MECANICO);
		FUZZ_CHECK(!in.senha || (utf8_length(in.senha) >= SENHA_MIN &&
		                         utf8_length(in.senha) <= SENHA_MAX));
	}
}

static void movimento(json_t *o)
{
	struct field_errors fe;
	char motivo[MOTIVO_MAX * 4 + 1];
	long q = 0;

	field_errors_init(&fe);
	bool given = inteiro(o, "quantidade", &q, &fe);
	const char *m = texto(o, "motivo", false, NULL, &fe);
	int rc = movimento_validar(given, q, m, motivo, sizeof motivo, &fe);
	checar_validador(rc, &fe);
	if (rc == 0) {
		FUZZ_CHECK(q != 0 && q >= -PECA_QUANTIDADE_MAX && q <= PECA_QUANTIDADE_MAX);
		FUZZ_CHECK(texto_tamanho_valido(motivo, 1, MOTIVO_MAX) && aparado(motivo));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t err;
	json_t *o = json_input_parse((const char *)data, size, &err);

	if (!o) {
		FUZZ_CHECK(memchr(err.text, '\0', sizeof err.text) != NULL);
		return 0;
	}
	if (json_is_object(o)) {
		cliente(o);
		veiculo(o);
		servico(o);
		peca(o);
		usuario(o);
		movimento(o);
	}
	json_decref(o);
	return 0;
}

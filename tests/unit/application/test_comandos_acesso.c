/*
 * Unit tests of application/commands/comandos_acesso: a customer's login by CPF over the in-memory
 * customers and the readable fake tokens ("tok:<sub>:<role>") (application layer; cmocka,
 * tests/fakes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "application/commands/comandos_acesso.h"
#include "domain/errors.h"
#include "tests/fakes/fake_app.h"

#define CPF_ATIVO        "52998224725"
#define CPF_ATIVO_FORMAT "529.982.247-25"
#define CPF_INATIVO      "11144477735"
#define CPF_DESCONHECIDO "39053344705"
#define CNPJ_VALIDO      "11222333000181"

struct fx {
	struct fake_app f;
	struct uuid ativo;   /* customer with CPF_ATIVO */
	struct uuid inativo; /* deactivated customer with CPF_INATIVO */
};

static struct uuid inserir(struct fake_app *f, const char *nome, const char *cpf, bool ativo)
{
	struct cliente c = {0};

	snprintf(c.nome, sizeof c.nome, "%s", nome);
	snprintf(c.documento, sizeof c.documento, "%s", cpf);
	c.tipo_documento = TIPO_DOCUMENTO_CPF;
	c.ativo = ativo;
	assert_int_equal(cliente_repo_insert(&f->app.clientes, &c), 0);
	return c.uuid;
}

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);

	if (!x)
		return -1;
	fake_app_init(&x->f);
	x->ativo = inserir(&x->f, "Maria Cliente", CPF_ATIVO, true);
	x->inativo = inserir(&x->f, "João Inativo", CPF_INATIVO, false);
	x->f.clientes.calls = 0;
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;
	fake_app_cleanup(&x->f);
	free(x);
	return 0;
}

static bool zerado(const struct login_cliente *out)
{
	static const struct login_cliente zero;
	return memcmp(out, &zero, sizeof zero) == 0;
}

static void test_autenticar_cliente__cpf_de_cliente_ativo__token_de_cliente(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;
	struct field_errors fe;
	char esperado[128];

	field_errors_init(&fe);
	assert_int_equal(autenticar_cliente(&x->f.app, CPF_ATIVO, &fe, &out), 0);
	assert_int_equal(fe.count, 0);
	snprintf(esperado, sizeof esperado, "tok:%s:cliente", x->ativo.str);
	assert_string_equal(out.token, esperado);
	assert_int_equal(out.expires_in, FAKE_TOKEN_TTL);
	assert_string_equal(out.cliente.uuid.str, x->ativo.str);
	assert_string_equal(out.cliente.nome, "Maria Cliente");
	assert_int_equal(x->f.tokens.issued, 1);
}

static void test_autenticar_cliente__cpf_formatado_e_com_espacos__aceito(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(autenticar_cliente(&x->f.app, "  " CPF_ATIVO_FORMAT " ", &fe, &out), 0);
	assert_string_equal(out.cliente.uuid.str, x->ativo.str);
}

static void test_autenticar_cliente__cpf_desconhecido__nao_autorizado(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;
	struct field_errors fe;

	field_errors_init(&fe);
	memset(&out, 0x5a, sizeof out);
	assert_int_equal(autenticar_cliente(&x->f.app, CPF_DESCONHECIDO, &fe, &out),
	                 APP_EUNAUTHORIZED);
	assert_int_equal(fe.count, 0);
	assert_true(zerado(&out));
	assert_int_equal(x->f.tokens.issued, 0);
}

static void test_autenticar_cliente__cliente_inativo__mesma_resposta_e_mesmo_trabalho(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;
	struct field_errors fe;
	long calls;

	field_errors_init(&fe);
	assert_int_equal(autenticar_cliente(&x->f.app, CPF_DESCONHECIDO, &fe, &out),
	                 APP_EUNAUTHORIZED);
	calls = x->f.clientes.calls;
	assert_int_equal(calls, 1);
	assert_int_equal(autenticar_cliente(&x->f.app, CPF_INATIVO, &fe, &out), APP_EUNAUTHORIZED);
	assert_int_equal(x->f.clientes.calls - calls, calls); /* one lookup each */
	assert_int_equal(fe.count, 0);
	assert_true(zerado(&out)); /* nothing of the inactive customer leaks out */
	assert_int_equal(x->f.tokens.issued, 0);
}

static void test_autenticar_cliente__cpf_invalido__invalido_sem_consulta(void **state)
{
	static const char *const ruins[] = {"52998224724",   "11111111111", "5299822472",
	                                    "529982247250",  "52998224a25", "",
	                                    "529 982 247 25"};
	struct fx *x = *state;

	for (size_t i = 0; i < sizeof ruins / sizeof ruins[0]; i++) {
		struct login_cliente out;
		struct field_errors fe;

		field_errors_init(&fe);
		assert_int_equal(autenticar_cliente(&x->f.app, ruins[i], &fe, &out), APP_EINVALID);
		assert_int_equal(fe.count, 1);
		assert_string_equal(fe.items[0].campo, "cpf");
		assert_true(zerado(&out));
	}
	assert_int_equal(x->f.clientes.calls, 0);
	assert_int_equal(x->f.tokens.issued, 0);
}

static void test_autenticar_cliente__cnpj__invalido(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(autenticar_cliente(&x->f.app, CNPJ_VALIDO, &fe, &out), APP_EINVALID);
	assert_true(field_errors_has(&fe, "cpf"));
	assert_int_equal(x->f.clientes.calls, 0);
}

static void test_autenticar_cliente__cpf_ausente__campo_obrigatorio(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(autenticar_cliente(&x->f.app, NULL, &fe, &out), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "cpf");
}

static void test_autenticar_cliente__erro_de_tipo_ja_registrado__uma_entrada(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;
	struct field_errors fe;

	field_errors_init(&fe);
	field_errors_add(&fe, "cpf", "deve ser um texto"); /* what json_input records for 123 */
	assert_int_equal(autenticar_cliente(&x->f.app, NULL, &fe, &out), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].mensagem, "deve ser um texto");
}

static void test_autenticar_cliente__repositorio_indisponivel__indisponivel(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;
	struct field_errors fe;

	field_errors_init(&fe);
	fake_fault_next(&x->f.clientes.fault);
	assert_int_equal(autenticar_cliente(&x->f.app, CPF_ATIVO, &fe, &out), APP_EUNAVAILABLE);
	assert_true(zerado(&out));
	assert_int_equal(x->f.tokens.issued, 0);
}

static void test_autenticar_cliente__emissao_do_token_falha__erro_e_saida_zerada(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;
	struct field_errors fe;

	field_errors_init(&fe);
	fake_fault_arm(&x->f.tokens.fault, 0, APP_EINTERNAL);
	assert_int_equal(autenticar_cliente(&x->f.app, CPF_ATIVO, &fe, &out), APP_EINTERNAL);
	assert_true(zerado(&out));
}

static void test_autenticar_cliente__token_emitido__verificavel_com_papel_cliente(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;
	struct token_claims claims;
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(autenticar_cliente(&x->f.app, CPF_ATIVO_FORMAT, &fe, &out), 0);
	assert_int_equal(token_service_verify(&x->f.app.tokens, out.token, &claims), 0);
	assert_string_equal(claims.sub, x->ativo.str);
	assert_int_equal(claims.perfil, PERFIL_CLIENTE);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

/* ---- encerrar_sessoes (logout) ----------------------------------------------------------- */

static void test_encerrar_sessoes__cliente__no_repositorio_de_clientes(void **state)
{
	struct fx *x = *state;
	struct app_caller quem = {.sub = x->ativo.str, .perfil = PERFIL_CLIENTE};

	assert_int_equal(encerrar_sessoes(&x->f.app, &quem), 0);
	assert_int_equal(x->f.clientes.sessoes_encerradas, 1);
	assert_int_equal(x->f.usuarios.sessoes_encerradas, 0);
}

static void test_encerrar_sessoes__equipe__no_repositorio_de_usuarios(void **state)
{
	struct fx *x = *state;
	struct usuario u = {.perfil = PERFIL_ATENDENTE, .ativo = true};
	snprintf(u.nome, sizeof u.nome, "Ana");
	snprintf(u.email, sizeof u.email, "ana@oficina.com.br");
	assert_int_equal(usuario_repo_insert(&x->f.app.usuarios, &u), 0);
	struct app_caller quem = {.sub = u.uuid.str, .perfil = PERFIL_ATENDENTE};

	assert_int_equal(encerrar_sessoes(&x->f.app, &quem), 0);
	assert_int_equal(x->f.usuarios.sessoes_encerradas, 1);
	assert_int_equal(x->f.clientes.sessoes_encerradas, 0);
}

static void test_encerrar_sessoes__conta_que_nao_existe_mais__nada_a_encerrar(void **state)
{
	struct fx *x = *state;
	struct app_caller quem = {.sub = "00000000-0000-4000-8000-000000000000",
	                          .perfil = PERFIL_ADMIN};

	assert_int_equal(encerrar_sessoes(&x->f.app, &quem), 0);
	assert_int_equal(x->f.usuarios.sessoes_encerradas, 0);
}

static void test_encerrar_sessoes__sem_sub_ou_sub_invalido__nao_autorizado(void **state)
{
	struct fx *x = *state;
	struct app_caller sem = {.perfil = PERFIL_ADMIN},
	                  ruim = {.sub = "x", .perfil = PERFIL_ADMIN};

	assert_int_equal(encerrar_sessoes(&x->f.app, &sem), APP_EUNAUTHORIZED);
	assert_int_equal(encerrar_sessoes(&x->f.app, &ruim), APP_EUNAUTHORIZED);
}

static void test_encerrar_sessoes__repositorio_indisponivel__indisponivel(void **state)
{
	struct fx *x = *state;
	struct app_caller quem = {.sub = x->ativo.str, .perfil = PERFIL_CLIENTE};

	fake_fault_next(&x->f.clientes.fault);
	assert_int_equal(encerrar_sessoes(&x->f.app, &quem), APP_EUNAVAILABLE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_autenticar_cliente__cpf_de_cliente_ativo__token_de_cliente),
	    T(test_autenticar_cliente__cpf_formatado_e_com_espacos__aceito),
	    T(test_autenticar_cliente__cpf_desconhecido__nao_autorizado),
	    T(test_autenticar_cliente__cliente_inativo__mesma_resposta_e_mesmo_trabalho),
	    T(test_autenticar_cliente__cpf_invalido__invalido_sem_consulta),
	    T(test_autenticar_cliente__cnpj__invalido),
	    T(test_autenticar_cliente__cpf_ausente__campo_obrigatorio),
	    T(test_autenticar_cliente__erro_de_tipo_ja_registrado__uma_entrada),
	    T(test_autenticar_cliente__repositorio_indisponivel__indisponivel),
	    T(test_autenticar_cliente__emissao_do_token_falha__erro_e_saida_zerada),
	    T(test_autenticar_cliente__token_emitido__verificavel_com_papel_cliente),
	    T(test_encerrar_sessoes__cliente__no_repositorio_de_clientes),
	    T(test_encerrar_sessoes__equipe__no_repositorio_de_usuarios),
	    T(test_encerrar_sessoes__conta_que_nao_existe_mais__nada_a_encerrar),
	    T(test_encerrar_sessoes__sem_sub_ou_sub_invalido__nao_autorizado),
	    T(test_encerrar_sessoes__repositorio_indisponivel__indisponivel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests of application/commands/comandos_acesso: a customer's login by CPF and plate (and by
 * CPF alone in the legacy mode), with its per-CPF lockout, over the in-memory customers, vehicles
 * and login attempts and the readable fake tokens ("tok:<sub>:<role>") (application layer;
 * cmocka, tests/fakes).
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
#define CPF_OUTRO        "86288366757"
#define CPF_DESCONHECIDO "39053344705"
#define CNPJ_VALIDO      "11222333000181"
#define PLACA_ATIVO      "ABC1D23" /* Maria's (Mercosul) */
#define PLACA_ATIVO_2    "XYZ9876" /* also Maria's (old format) */
#define PLACA_VENDIDA    "DEF4G56" /* Maria's, deactivated */
#define PLACA_INATIVO    "GHI7890" /* João's (deactivated customer) */
#define PLACA_OUTRO      "JKL1M23" /* Pedro's */
#define MAX_FALHAS       CLIENTE_LOGIN_MAX_FALHAS_PADRAO
#define BLOQUEIO_S       CLIENTE_LOGIN_BLOQUEIO_S_PADRAO

struct fx {
	struct fake_app f;
	struct uuid ativo;   /* customer with CPF_ATIVO */
	struct uuid inativo; /* deactivated customer with CPF_INATIVO */
	struct uuid outro;   /* another customer, CPF_OUTRO */
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

static void inserir_veiculo(struct fake_app *f, const struct uuid *dono, const char *placa,
                            bool ativo)
{
	struct veiculo v = {.cliente_uuid = *dono, .ano = 2020, .ativo = ativo};

	snprintf(v.placa, sizeof v.placa, "%s", placa);
	snprintf(v.marca, sizeof v.marca, "Fiat");
	snprintf(v.modelo, sizeof v.modelo, "Argo");
	assert_int_equal(veiculo_repo_insert(&f->app.veiculos, &v), 0);
}

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);

	if (!x)
		return -1;
	fake_app_init(&x->f);
	x->ativo = inserir(&x->f, "Maria Cliente", CPF_ATIVO, true);
	x->inativo = inserir(&x->f, "João Inativo", CPF_INATIVO, false);
	x->outro = inserir(&x->f, "Pedro Outro", CPF_OUTRO, true);
	inserir_veiculo(&x->f, &x->ativo, PLACA_ATIVO, true);
	inserir_veiculo(&x->f, &x->ativo, PLACA_ATIVO_2, true);
	inserir_veiculo(&x->f, &x->ativo, PLACA_VENDIDA, false);
	inserir_veiculo(&x->f, &x->inativo, PLACA_INATIVO, true);
	inserir_veiculo(&x->f, &x->outro, PLACA_OUTRO, true);
	x->f.clientes.calls = 0;
	x->f.veiculos.calls = 0;
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

/* autenticar_cliente with a fresh fe and out; the code it answered. */
static int entra(struct fx *x, const char *cpf, const char *placa, struct login_cliente *out)
{
	struct field_errors fe;

	field_errors_init(&fe);
	return autenticar_cliente(&x->f.app, cpf, placa, &fe, out);
}

/* n failed attempts for cpf (a plate that is not theirs), each answering 401. */
static void falhas(struct fx *x, const char *cpf, int n)
{
	struct login_cliente out;

	for (int i = 0; i < n; i++)
		assert_int_equal(entra(x, cpf, PLACA_OUTRO, &out), APP_EUNAUTHORIZED);
}

static void test_autenticar_cliente__cpf_e_placa_do_cliente__token_de_cliente(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;
	struct field_errors fe;
	char esperado[128];

	field_errors_init(&fe);
	assert_int_equal(autenticar_cliente(&x->f.app, CPF_ATIVO, PLACA_ATIVO, &fe, &out), 0);
	assert_int_equal(fe.count, 0);
	snprintf(esperado, sizeof esperado, "tok:%s:cliente", x->ativo.str);
	assert_string_equal(out.token, esperado);
	assert_int_equal(out.expires_in, FAKE_TOKEN_TTL);
	assert_int_equal(out.bloqueado_s, 0);
	assert_string_equal(out.cliente.uuid.str, x->ativo.str);
	assert_string_equal(out.cliente.nome, "Maria Cliente");
	assert_int_equal(x->f.tokens.issued, 1);
	/* The attempt was counted, then forgotten with the success. */
	assert_int_equal(x->f.login_tentativas.records, 1);
	assert_int_equal(x->f.login_tentativas.clears, 1);
	assert_int_equal(mem_login_tentativas_count(&x->f.login_tentativas, CPF_ATIVO), 0);
}

static void test_autenticar_cliente__qualquer_veiculo_ativo_e_qualquer_grafia__aceito(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;

	assert_int_equal(entra(x, "  " CPF_ATIVO_FORMAT " ", " abc-1d23 ", &out), 0);
	assert_string_equal(out.cliente.uuid.str, x->ativo.str);
	assert_int_equal(entra(x, CPF_ATIVO, "xyz 9876", &out), 0);
	assert_string_equal(out.cliente.uuid.str, x->ativo.str);
}

static void test_autenticar_cliente__placa_de_outro_cliente__nao_autorizado(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;

	memset(&out, 0x5a, sizeof out);
	assert_int_equal(entra(x, CPF_ATIVO, PLACA_OUTRO, &out), APP_EUNAUTHORIZED);
	assert_true(zerado(&out));
	assert_int_equal(x->f.tokens.issued, 0);
	assert_int_equal(mem_login_tentativas_count(&x->f.login_tentativas, CPF_ATIVO), 1);
	/* A plate nobody has, the same. */
	assert_int_equal(entra(x, CPF_ATIVO, "ZZZ0000", &out), APP_EUNAUTHORIZED);
	assert_int_equal(mem_login_tentativas_count(&x->f.login_tentativas, CPF_ATIVO), 2);
}

static void test_autenticar_cliente__veiculo_desativado__nao_autorizado(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;

	assert_int_equal(entra(x, CPF_ATIVO, PLACA_VENDIDA, &out), APP_EUNAUTHORIZED);
	assert_true(zerado(&out));
	assert_int_equal(x->f.tokens.issued, 0);
}

static void test_autenticar_cliente__cpf_desconhecido__nao_autorizado(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;
	struct field_errors fe;

	field_errors_init(&fe);
	memset(&out, 0x5a, sizeof out);
	assert_int_equal(autenticar_cliente(&x->f.app, CPF_DESCONHECIDO, PLACA_ATIVO, &fe, &out),
	                 APP_EUNAUTHORIZED);
	assert_int_equal(fe.count, 0);
	assert_true(zerado(&out));
	assert_int_equal(x->f.tokens.issued, 0);
	assert_int_equal(mem_login_tentativas_count(&x->f.login_tentativas, CPF_DESCONHECIDO), 1);
}

/*
 * Unknown CPF, inactive customer (with their own plate) and another's plate: the same code after
 * the same work, one lookup of the customer and one of the vehicle each.
 */
static void
test_autenticar_cliente__desconhecido_inativo_placa_alheia__mesma_resposta_e_trabalho(void **state)
{
	static const char *const casos[][2] = {
	    {CPF_DESCONHECIDO, PLACA_ATIVO},
	    {CPF_INATIVO, PLACA_INATIVO},
	    {CPF_ATIVO, PLACA_OUTRO},
	};
	struct fx *x = *state;

	for (size_t i = 0; i < sizeof casos / sizeof casos[0]; i++) {
		struct login_cliente out;
		long clientes = x->f.clientes.calls, veiculos = x->f.veiculos.calls;

		assert_int_equal(entra(x, casos[i][0], casos[i][1], &out), APP_EUNAUTHORIZED);
		assert_int_equal(x->f.clientes.calls - clientes, 1);
		assert_int_equal(x->f.veiculos.calls - veiculos, 1);
		assert_true(zerado(&out)); /* nothing of the customer leaks out */
	}
	assert_int_equal(x->f.login_tentativas.records, 3);
	assert_int_equal(x->f.login_tentativas.clears, 0);
	assert_int_equal(x->f.tokens.issued, 0);
}

static void test_autenticar_cliente__placa_ausente__campo_obrigatorio_sem_contar(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(autenticar_cliente(&x->f.app, CPF_ATIVO, NULL, &fe, &out), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "placa");
	assert_true(zerado(&out));
	assert_int_equal(x->f.login_tentativas.records, 0);
	assert_int_equal(x->f.clientes.calls, 0);
	assert_int_equal(x->f.tokens.issued, 0);
}

static void test_autenticar_cliente__placa_invalida__invalido_sem_contar(void **state)
{
	static const char *const ruins[] = {"",        "ABC123",  "ABC12345", "1BC1234",
	                                    "ABC1DD3", "ABÇ1234", "ABC.1234", "AB 1234"};
	struct fx *x = *state;

	for (size_t i = 0; i < sizeof ruins / sizeof ruins[0]; i++) {
		struct login_cliente out;
		struct field_errors fe;

		field_errors_init(&fe);
		assert_int_equal(autenticar_cliente(&x->f.app, CPF_ATIVO, ruins[i], &fe, &out),
		                 APP_EINVALID);
		assert_int_equal(fe.count, 1);
		assert_string_equal(fe.items[0].campo, "placa");
		assert_true(zerado(&out));
	}
	assert_int_equal(x->f.login_tentativas.records, 0);
	assert_int_equal(x->f.clientes.calls, 0);
}

static void test_autenticar_cliente__cpf_e_placa_ausentes__um_erro_para_cada(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(autenticar_cliente(&x->f.app, NULL, NULL, &fe, &out), APP_EINVALID);
	assert_int_equal(fe.count, 2);
	assert_true(field_errors_has(&fe, "cpf"));
	assert_true(field_errors_has(&fe, "placa"));
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
		assert_int_equal(autenticar_cliente(&x->f.app, ruins[i], PLACA_ATIVO, &fe, &out),
		                 APP_EINVALID);
		assert_int_equal(fe.count, 1);
		assert_string_equal(fe.items[0].campo, "cpf");
		assert_true(zerado(&out));
	}
	assert_int_equal(x->f.login_tentativas.records, 0);
	assert_int_equal(x->f.clientes.calls, 0);
	assert_int_equal(x->f.tokens.issued, 0);
}

static void test_autenticar_cliente__cnpj__invalido(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(autenticar_cliente(&x->f.app, CNPJ_VALIDO, PLACA_ATIVO, &fe, &out),
	                 APP_EINVALID);
	assert_true(field_errors_has(&fe, "cpf"));
	assert_int_equal(x->f.clientes.calls, 0);
}

static void test_autenticar_cliente__cpf_ausente__campo_obrigatorio(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(autenticar_cliente(&x->f.app, NULL, PLACA_ATIVO, &fe, &out), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "cpf");
}

static void test_autenticar_cliente__erro_de_tipo_ja_registrado__uma_entrada(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;
	struct field_errors fe;

	field_errors_init(&fe);
	field_errors_add(&fe, "cpf", "deve ser um texto");   /* what json_input records for 123 */
	field_errors_add(&fe, "placa", "deve ser um texto"); /* and for placa: 123 */
	assert_int_equal(autenticar_cliente(&x->f.app, NULL, NULL, &fe, &out), APP_EINVALID);
	assert_int_equal(fe.count, 2);
	assert_string_equal(fe.items[0].mensagem, "deve ser um texto");
	assert_string_equal(fe.items[1].mensagem, "deve ser um texto");
}

/* ---- the per-CPF lockout ------------------------------------------------------------------ */

static void test_bloqueio__apos_max_falhas__bloqueado_mesmo_com_a_placa_certa(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;

	falhas(x, CPF_ATIVO, MAX_FALHAS);
	long clientes = x->f.clientes.calls, veiculos = x->f.veiculos.calls;
	memset(&out, 0x5a, sizeof out);
	assert_int_equal(entra(x, CPF_ATIVO, PLACA_ATIVO, &out), APP_ELOCKED);
	assert_int_equal(out.bloqueado_s, BLOQUEIO_S); /* the clock has not moved */
	out.bloqueado_s = 0;
	assert_true(zerado(&out)); /* no token, no customer */
	assert_int_equal(x->f.tokens.issued, 0);
	/* Refused before any lookup: a locked CPF costs one statement. */
	assert_int_equal(x->f.clientes.calls, clientes);
	assert_int_equal(x->f.veiculos.calls, veiculos);
}

static void test_bloqueio__cpf_de_ninguem__bloqueado_igual(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;

	falhas(x, CPF_DESCONHECIDO, MAX_FALHAS);
	assert_int_equal(entra(x, CPF_DESCONHECIDO, PLACA_ATIVO, &out), APP_ELOCKED);
	assert_int_equal(out.bloqueado_s, BLOQUEIO_S);
}

static void test_bloqueio__ate_o_fim_da_janela__que_conta_da_primeira_falha(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;

	falhas(x, CPF_ATIVO, 1);
	fake_clock_advance(100);
	falhas(x, CPF_ATIVO, MAX_FALHAS - 1);
	fake_clock_advance(10);
	assert_int_equal(entra(x, CPF_ATIVO, PLACA_ATIVO, &out), APP_ELOCKED);
	assert_int_equal(out.bloqueado_s, BLOQUEIO_S - 110);
	fake_clock_advance(BLOQUEIO_S - 111);
	assert_int_equal(entra(x, CPF_ATIVO, PLACA_ATIVO, &out), APP_ELOCKED);
	assert_int_equal(out.bloqueado_s, 1);
	/* The window is over: the right plate gets in, a new window begins. */
	fake_clock_advance(1);
	assert_int_equal(entra(x, CPF_ATIVO, PLACA_ATIVO, &out), 0);
	assert_int_equal(mem_login_tentativas_count(&x->f.login_tentativas, CPF_ATIVO), 0);
}

static void test_bloqueio__falhas_espalhadas_em_janelas__nunca_bloqueia(void **state)
{
	struct fx *x = *state;

	for (int janela = 0; janela < 3; janela++) {
		falhas(x, CPF_ATIVO, MAX_FALHAS);
		fake_clock_advance(BLOQUEIO_S);
	}
	assert_int_equal(x->f.tokens.issued, 0);
}

static void test_bloqueio__sucesso_zera_a_contagem(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;

	falhas(x, CPF_ATIVO, MAX_FALHAS - 1);
	assert_int_equal(entra(x, CPF_ATIVO, PLACA_ATIVO, &out), 0);
	assert_int_equal(mem_login_tentativas_count(&x->f.login_tentativas, CPF_ATIVO), 0);
	/* A whole new allowance: MAX_FALHAS more failures before the lockout. */
	falhas(x, CPF_ATIVO, MAX_FALHAS);
	assert_int_equal(entra(x, CPF_ATIVO, PLACA_ATIVO, &out), APP_ELOCKED);
}

static void test_bloqueio__por_cpf__os_outros_entram(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;

	falhas(x, CPF_ATIVO, MAX_FALHAS);
	assert_int_equal(entra(x, CPF_ATIVO, PLACA_ATIVO, &out), APP_ELOCKED);
	assert_int_equal(entra(x, CPF_OUTRO, PLACA_OUTRO, &out), 0);
	assert_string_equal(out.cliente.uuid.str, x->outro.str);
}

static void test_bloqueio__max_falhas_configuravel(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;

	x->f.app.cliente_login.max_falhas = 1;
	x->f.app.cliente_login.bloqueio_s = 60;
	falhas(x, CPF_ATIVO, 1);
	assert_int_equal(entra(x, CPF_ATIVO, PLACA_ATIVO, &out), APP_ELOCKED);
	assert_int_equal(out.bloqueado_s, 60);
}

static void test_bloqueio__contagem_indisponivel__indisponivel_sem_consulta(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;

	fake_fault_next(&x->f.login_tentativas.fault);
	assert_int_equal(entra(x, CPF_ATIVO, PLACA_ATIVO, &out), APP_EUNAVAILABLE);
	assert_true(zerado(&out));
	assert_int_equal(x->f.clientes.calls, 0);
	assert_int_equal(x->f.tokens.issued, 0);
}

static void test_bloqueio__limpeza_falha__sem_token(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;

	fake_fault_arm(&x->f.login_tentativas.fault, 1,
	               APP_EUNAVAILABLE); /* record ok, clear not */
	assert_int_equal(entra(x, CPF_ATIVO, PLACA_ATIVO, &out), APP_EUNAVAILABLE);
	assert_true(zerado(&out));
	assert_int_equal(x->f.tokens.issued, 0);
}

/* ---- CLIENTE_LOGIN=cpf (legacy) ----------------------------------------------------------- */

static void test_modo_cpf__cpf_sozinho__token_sem_contagem(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;

	x->f.app.cliente_login.modo = CLIENTE_LOGIN_CPF;
	assert_int_equal(entra(x, CPF_ATIVO, NULL, &out), 0);
	assert_string_equal(out.cliente.uuid.str, x->ativo.str);
	assert_int_equal(x->f.clientes.calls, 1);
	assert_int_equal(x->f.veiculos.calls, 0);
	assert_int_equal(x->f.login_tentativas.records, 0);
}

static void test_modo_cpf__placa_ignorada(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;

	x->f.app.cliente_login.modo = CLIENTE_LOGIN_CPF;
	assert_int_equal(entra(x, CPF_ATIVO, "nada disso", &out), 0);
	assert_int_equal(entra(x, CPF_ATIVO, PLACA_OUTRO, &out), 0);
	assert_string_equal(out.cliente.uuid.str, x->ativo.str);
}

static void test_modo_cpf__desconhecido_e_inativo__nao_autorizado_sem_bloqueio(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;

	x->f.app.cliente_login.modo = CLIENTE_LOGIN_CPF;
	for (int i = 0; i < MAX_FALHAS + 2; i++) {
		assert_int_equal(entra(x, CPF_DESCONHECIDO, NULL, &out), APP_EUNAUTHORIZED);
		assert_int_equal(entra(x, CPF_INATIVO, NULL, &out), APP_EUNAUTHORIZED);
		assert_true(zerado(&out));
	}
	assert_int_equal(x->f.clientes.calls, 2 * (MAX_FALHAS + 2)); /* one lookup each */
	assert_int_equal(x->f.login_tentativas.records, 0);
}

static void test_modo_cpf__cpf_invalido__so_o_erro_do_cpf(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;
	struct field_errors fe;

	x->f.app.cliente_login.modo = CLIENTE_LOGIN_CPF;
	field_errors_init(&fe);
	assert_int_equal(autenticar_cliente(&x->f.app, "123", NULL, &fe, &out), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "cpf");
}

/* ---- failures of the other ports ---------------------------------------------------------- */

static void test_autenticar_cliente__repositorio_indisponivel__indisponivel(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;

	fake_fault_next(&x->f.clientes.fault);
	assert_int_equal(entra(x, CPF_ATIVO, PLACA_ATIVO, &out), APP_EUNAVAILABLE);
	assert_true(zerado(&out));
	assert_int_equal(x->f.tokens.issued, 0);
	fake_fault_next(&x->f.veiculos.fault);
	assert_int_equal(entra(x, CPF_ATIVO, PLACA_ATIVO, &out), APP_EUNAVAILABLE);
	assert_true(zerado(&out));
	assert_int_equal(x->f.tokens.issued, 0);
}

static void test_autenticar_cliente__emissao_do_token_falha__erro_e_saida_zerada(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;

	fake_fault_arm(&x->f.tokens.fault, 0, APP_EINTERNAL);
	assert_int_equal(entra(x, CPF_ATIVO, PLACA_ATIVO, &out), APP_EINTERNAL);
	assert_true(zerado(&out));
}

static void test_autenticar_cliente__token_emitido__verificavel_com_papel_cliente(void **state)
{
	struct fx *x = *state;
	struct login_cliente out;
	struct token_claims claims;

	assert_int_equal(entra(x, CPF_ATIVO_FORMAT, PLACA_ATIVO, &out), 0);
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
	    T(test_autenticar_cliente__cpf_e_placa_do_cliente__token_de_cliente),
	    T(test_autenticar_cliente__qualquer_veiculo_ativo_e_qualquer_grafia__aceito),
	    T(test_autenticar_cliente__placa_de_outro_cliente__nao_autorizado),
	    T(test_autenticar_cliente__veiculo_desativado__nao_autorizado),
	    T(test_autenticar_cliente__cpf_desconhecido__nao_autorizado),
	    T(test_autenticar_cliente__desconhecido_inativo_placa_alheia__mesma_resposta_e_trabalho),
	    T(test_autenticar_cliente__placa_ausente__campo_obrigatorio_sem_contar),
	    T(test_autenticar_cliente__placa_invalida__invalido_sem_contar),
	    T(test_autenticar_cliente__cpf_e_placa_ausentes__um_erro_para_cada),
	    T(test_autenticar_cliente__cpf_invalido__invalido_sem_consulta),
	    T(test_autenticar_cliente__cnpj__invalido),
	    T(test_autenticar_cliente__cpf_ausente__campo_obrigatorio),
	    T(test_autenticar_cliente__erro_de_tipo_ja_registrado__uma_entrada),
	    T(test_bloqueio__apos_max_falhas__bloqueado_mesmo_com_a_placa_certa),
	    T(test_bloqueio__cpf_de_ninguem__bloqueado_igual),
	    T(test_bloqueio__ate_o_fim_da_janela__que_conta_da_primeira_falha),
	    T(test_bloqueio__falhas_espalhadas_em_janelas__nunca_bloqueia),
	    T(test_bloqueio__sucesso_zera_a_contagem),
	    T(test_bloqueio__por_cpf__os_outros_entram),
	    T(test_bloqueio__max_falhas_configuravel),
	    T(test_bloqueio__contagem_indisponivel__indisponivel_sem_consulta),
	    T(test_bloqueio__limpeza_falha__sem_token),
	    T(test_modo_cpf__cpf_sozinho__token_sem_contagem),
	    T(test_modo_cpf__placa_ignorada),
	    T(test_modo_cpf__desconhecido_e_inativo__nao_autorizado_sem_bloqueio),
	    T(test_modo_cpf__cpf_invalido__so_o_erro_do_cpf),
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

/*
 * Unit tests of application/commands/comandos_clientes: creating, changing and deactivating
 * customers over the in-memory adapters (application layer; cmocka, tests/fakes). They check the
 * answer, the stored row, the events in the outbox and how the transaction ended.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "application/commands/comandos_clientes.h"
#include "domain/errors.h"
#include "tests/fakes/fake_app.h"

#define CPF_1       "529.982.247-25"
#define CPF_1_DIGIT "52998224725"
#define CPF_2       "111.444.777-35"
#define CNPJ_1      "11.222.333/0001-81"
#define AGORA       "2026-11-23T12:00:00Z"

static const struct app_caller quem = {
    .correlation_id = "corr-clientes-1",
    .sub = "00000003-0000-4000-8000-000000000001",
    .perfil = PERFIL_ADMIN,
};

static struct cliente_campos campos_completos(const char *documento)
{
	return (struct cliente_campos){
	    .nome = "  Maria da Silva ",
	    .documento = documento,
	    .email = "maria@example.com",
	    .email_given = true,
	    .telefone = "(11) 98765-4321",
	    .telefone_given = true,
	    .ativo = -1,
	};
}

static struct cliente_campos campos_vazios(void)
{
	return (struct cliente_campos){.ativo = -1};
}

/* Creates a customer that the test needs as a starting point. */
static struct uuid criar_ok(struct fake_app *f, const char *documento)
{
	struct cliente_campos in = campos_completos(documento);
	struct field_errors fe;
	struct uuid id = {""};

	field_errors_init(&fe);
	assert_int_equal(criar_cliente(&f->app, &quem, &in, &fe, &id), 0);
	assert_int_equal(fe.count, 0);
	return id;
}

static const struct cliente *guardado(const struct fake_app *f, const struct uuid *id)
{
	const struct cliente *c = mem_cliente_repo_get(&f->clientes, id->str);

	assert_non_null(c);
	return c;
}

static void assert_campo_evento(const struct mem_evento *ev, const char *chave, const char *valor)
{
	const struct mem_evento_campo *c = mem_evento_campo(ev, chave);

	assert_non_null(c);
	assert_string_equal(c->valor, valor);
	assert_int_equal(c->is_number, 0);
}

static void assert_erro(const struct field_errors *fe, size_t i, const char *campo)
{
	assert_true(i < fe->count);
	assert_string_equal(fe->items[i].campo, campo);
	assert_true(fe->items[i].mensagem[0] != '\0');
}

/* ---- criar_cliente ---------------------------------------------------------------------- */

static void test_criar_cliente__campos_validos__grava_emite_evento_e_confirma(void **state)
{
	struct fake_app *f = *state;
	struct cliente_campos in = campos_completos(CPF_1);
	struct field_errors fe;
	struct uuid id = {""};

	field_errors_init(&fe);
	assert_int_equal(criar_cliente(&f->app, &quem, &in, &fe, &id), 0);
	assert_int_equal(fe.count, 0);
	assert_string_equal(id.str, "00000001-0000-4000-8000-000000000001");

	const struct cliente *c = guardado(f, &id);
	assert_string_equal(c->nome, "Maria da Silva");
	assert_string_equal(c->documento, CPF_1_DIGIT);
	assert_int_equal(c->tipo_documento, TIPO_DOCUMENTO_CPF);
	assert_string_equal(c->email, "maria@example.com");
	assert_string_equal(c->telefone, "(11) 98765-4321");
	assert_true(c->ativo);
	assert_string_equal(c->criado_em, AGORA);
	assert_string_equal(c->atualizado_em, AGORA);

	assert_int_equal(mem_event_outbox_count(&f->eventos, NULL), 1);
	const struct mem_evento *ev = mem_event_outbox_last(&f->eventos, "cliente.criado");
	assert_non_null(ev);
	assert_string_equal(ev->agregado_uuid, id.str);
	assert_string_equal(ev->correlation_id, "corr-clientes-1");
	assert_int_equal(ev->n, 2);
	assert_campo_evento(ev, "uuid", id.str);
	assert_campo_evento(ev, "tipo_documento", "CPF");

	assert_int_equal(f->tx.begins, 1);
	assert_int_equal(f->tx.commits, 1);
	assert_int_equal(f->tx.rollbacks, 0);
	assert_false(f->tx.open);
	assert_int_equal(f->clientes.writes_outside_tx, 0);
	assert_int_equal(f->eventos.writes_outside_tx, 0);
}

static void test_criar_cliente__cnpj_sem_opcionais__evento_cnpj_e_opcionais_vazios(void **state)
{
	struct fake_app *f = *state;
	struct cliente_campos in = {
	    .nome = "Oficina Irmãos Ltda", .documento = CNPJ_1, .ativo = -1};
	struct field_errors fe;
	struct uuid id = {""};

	field_errors_init(&fe);
	assert_int_equal(criar_cliente(&f->app, &quem, &in, &fe, &id), 0);
	const struct cliente *c = guardado(f, &id);
	assert_string_equal(c->documento, "11222333000181");
	assert_int_equal(c->tipo_documento, TIPO_DOCUMENTO_CNPJ);
	assert_string_equal(c->email, "");
	assert_string_equal(c->telefone, "");
	assert_campo_evento(mem_event_outbox_last(&f->eventos, "cliente.criado"), "tipo_documento",
	                    "CNPJ");
}

static void test_criar_cliente__sem_caller__evento_sem_correlation_id(void **state)
{
	struct fake_app *f = *state;
	struct cliente_campos in = campos_completos(CPF_1);
	struct field_errors fe;
	struct uuid id;

	field_errors_init(&fe);
	assert_int_equal(criar_cliente(&f->app, NULL, &in, &fe, &id), 0);
	assert_null(mem_event_outbox_last(&f->eventos, "cliente.criado")->correlation_id);
}

static void test_criar_cliente__campos_invalidos__um_erro_por_campo_sem_transacao(void **state)
{
	struct fake_app *f = *state;
	struct cliente_campos in = {
	    .nome = "Jo",
	    .documento = "123.456.789-00",
	    .email = "maria@",
	    .email_given = true,
	    .telefone = "abc",
	    .telefone_given = true,
	    .ativo = -1,
	};
	struct field_errors fe;
	struct uuid id = {"intocado"};

	field_errors_init(&fe);
	assert_int_equal(criar_cliente(&f->app, &quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 4);
	assert_erro(&fe, 0, "nome");
	assert_erro(&fe, 1, "documento");
	assert_erro(&fe, 2, "email");
	assert_erro(&fe, 3, "telefone");
	assert_string_equal(id.str, "intocado");
	assert_int_equal(f->tx.begins, 0);
	assert_int_equal(f->clientes.calls, 0);
	assert_int_equal(mem_event_outbox_count(&f->eventos, NULL), 0);
}

static void test_criar_cliente__obrigatorios_ausentes__campo_obrigatorio(void **state)
{
	struct fake_app *f = *state;
	struct cliente_campos in = campos_vazios();
	struct field_errors fe;
	struct uuid id;

	field_errors_init(&fe);
	assert_int_equal(criar_cliente(&f->app, &quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 2);
	assert_erro(&fe, 0, "nome");
	assert_string_equal(fe.items[0].mensagem, "campo obrigatório");
	assert_erro(&fe, 1, "documento");
	assert_int_equal(f->tx.begins, 0);
}

static void test_criar_cliente__erro_de_tipo_ja_registrado__mantido_e_invalido(void **state)
{
	struct fake_app *f = *state;
	struct cliente_campos in = campos_completos(CPF_1);
	struct field_errors fe;
	struct uuid id;

	/* The request reader saw "email": 42 and "nome": true; neither reached the command. */
	in.email = NULL;
	in.email_given = false;
	in.nome = NULL;
	field_errors_init(&fe);
	field_errors_add(&fe, "email", "deve ser texto");
	field_errors_add(&fe, "nome", "deve ser texto");

	assert_int_equal(criar_cliente(&f->app, &quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 2);
	assert_string_equal(fe.items[0].campo, "email");
	assert_string_equal(fe.items[0].mensagem, "deve ser texto");
	assert_string_equal(fe.items[1].campo, "nome");
	assert_string_equal(fe.items[1].mensagem, "deve ser texto");
	assert_int_equal(f->tx.begins, 0);
	assert_int_equal(f->clientes.rows.n, 0);
}

static void test_criar_cliente__documento_duplicado__conflito(void **state)
{
	struct fake_app *f = *state;
	struct uuid primeiro = criar_ok(f, CPF_1);
	struct cliente_campos in = campos_completos(CPF_1_DIGIT); /* same digits, typed bare */
	struct field_errors fe;
	struct uuid id = {"intocado"};

	in.nome = "Outra Pessoa";
	field_errors_init(&fe);
	assert_int_equal(criar_cliente(&f->app, &quem, &in, &fe, &id), APP_ECONFLICT);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "documento");
	assert_string_equal(id.str, "intocado");

	assert_int_equal(f->clientes.rows.n, 1);
	assert_string_equal(guardado(f, &primeiro)->nome, "Maria da Silva");
	assert_int_equal(mem_event_outbox_count(&f->eventos, "cliente.criado"), 1);
	assert_int_equal(f->tx.begins, 2);
	assert_int_equal(f->tx.commits, 1);
	assert_int_equal(f->tx.rollbacks, 1);
	assert_false(f->tx.open);
}

static void test_criar_cliente__repositorio_indisponivel__rollback(void **state)
{
	struct fake_app *f = *state;
	struct cliente_campos in = campos_completos(CPF_1);
	struct field_errors fe;
	struct uuid id = {"intocado"};

	fake_fault_next(&f->clientes.fault);
	field_errors_init(&fe);
	assert_int_equal(criar_cliente(&f->app, &quem, &in, &fe, &id), APP_EUNAVAILABLE);
	assert_int_equal(fe.count, 0);
	assert_string_equal(id.str, "intocado");
	assert_int_equal(f->tx.commits, 0);
	assert_int_equal(f->tx.rollbacks, 1);
	assert_int_equal(f->clientes.rows.n, 0);
	assert_int_equal(mem_event_outbox_count(&f->eventos, NULL), 0);
}

static void test_criar_cliente__outbox_indisponivel__rollback_desfaz_o_cliente(void **state)
{
	struct fake_app *f = *state;
	struct cliente_campos in = campos_completos(CPF_1);
	struct field_errors fe;
	struct uuid id = {"intocado"};

	fake_fault_next(&f->eventos.fault);
	field_errors_init(&fe);
	assert_int_equal(criar_cliente(&f->app, &quem, &in, &fe, &id), APP_EUNAVAILABLE);
	assert_string_equal(id.str, "intocado");
	assert_int_equal(f->clientes.calls, 1);  /* the insert happened... */
	assert_int_equal(f->clientes.rows.n, 0); /* ...and was undone */
	assert_int_equal(f->tx.rollbacks, 1);
	assert_int_equal(f->tx.undone, 1);
	assert_int_equal(mem_event_outbox_count(&f->eventos, NULL), 0);

	/* The same documento can be used afterwards: nothing of the failed attempt is left. */
	criar_ok(f, CPF_1);
}

static void test_criar_cliente__begin_indisponivel__nada_acontece(void **state)
{
	struct fake_app *f = *state;
	struct cliente_campos in = campos_completos(CPF_1);
	struct field_errors fe;
	struct uuid id = {"intocado"};

	fake_fault_next(&f->tx.begin_fault);
	field_errors_init(&fe);
	assert_int_equal(criar_cliente(&f->app, &quem, &in, &fe, &id), APP_EUNAVAILABLE);
	assert_string_equal(id.str, "intocado");
	assert_int_equal(f->clientes.calls, 0);
	assert_int_equal(f->tx.commits, 0);
	assert_false(f->tx.open);
}

static void test_criar_cliente__commit_falha__nada_persiste(void **state)
{
	struct fake_app *f = *state;
	struct cliente_campos in = campos_completos(CPF_1);
	struct field_errors fe;
	struct uuid id = {"intocado"};

	fake_fault_next(&f->tx.commit_fault);
	field_errors_init(&fe);
	assert_int_equal(criar_cliente(&f->app, &quem, &in, &fe, &id), APP_EUNAVAILABLE);
	assert_string_equal(id.str, "intocado");
	assert_int_equal(f->clientes.rows.n, 0);
	assert_int_equal(mem_event_outbox_count(&f->eventos, NULL), 0);
	assert_false(f->tx.open);
}

/* ---- alterar_cliente -------------------------------------------------------------------- */

static void test_alterar_cliente__put_sem_opcionais__limpa_email_e_telefone(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, CPF_1);
	struct cliente_campos in = {.nome = "Maria Souza", .documento = CPF_1, .ativo = -1};
	struct field_errors fe;

	fake_clock_advance(3600);
	field_errors_init(&fe);
	assert_int_equal(alterar_cliente(&f->app, &quem, &id, &in, CAMPOS_SUBSTITUIR, &fe), 0);
	const struct cliente *c = guardado(f, &id);
	assert_string_equal(c->nome, "Maria Souza");
	assert_string_equal(c->email, "");
	assert_string_equal(c->telefone, "");
	assert_true(c->ativo);
	assert_string_equal(c->criado_em, AGORA);
	assert_string_equal(c->atualizado_em, "2026-11-23T13:00:00Z");
	assert_int_equal(f->clientes.locks, 1);
	assert_int_equal(f->tx.commits, 2);
	assert_int_equal(f->tx.rollbacks, 0);
	assert_int_equal(mem_event_outbox_count(&f->eventos, NULL), 1); /* only cliente.criado */
}

static void test_alterar_cliente__put_sem_obrigatorios__invalido_e_inalterado(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, CPF_1);
	struct cliente_campos in = {.nome = "Maria Souza", .ativo = -1};
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(alterar_cliente(&f->app, &quem, &id, &in, CAMPOS_SUBSTITUIR, &fe),
	                 APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "documento");
	assert_string_equal(guardado(f, &id)->nome, "Maria da Silva");
	assert_string_equal(guardado(f, &id)->email, "maria@example.com");
	assert_int_equal(f->tx.rollbacks, 1);
}

static void test_alterar_cliente__patch_so_nome__mantem_os_demais(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, CPF_1);
	struct cliente_campos in = {.nome = "Maria S. Souza", .ativo = -1};
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(alterar_cliente(&f->app, &quem, &id, &in, CAMPOS_ALTERAR, &fe), 0);
	const struct cliente *c = guardado(f, &id);
	assert_string_equal(c->nome, "Maria S. Souza");
	assert_string_equal(c->documento, CPF_1_DIGIT);
	assert_string_equal(c->email, "maria@example.com");
	assert_string_equal(c->telefone, "(11) 98765-4321");
	assert_true(c->ativo);
}

static void test_alterar_cliente__patch_email_null__limpa_so_o_email(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, CPF_1);
	struct cliente_campos in = {.email = NULL, .email_given = true, .ativo = -1};
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(alterar_cliente(&f->app, &quem, &id, &in, CAMPOS_ALTERAR, &fe), 0);
	assert_string_equal(guardado(f, &id)->email, "");
	assert_string_equal(guardado(f, &id)->telefone, "(11) 98765-4321");
	assert_string_equal(guardado(f, &id)->nome, "Maria da Silva");
}

static void test_alterar_cliente__patch_documento_proprio_formatado__aceito(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, CPF_1);
	struct cliente_campos in = {.documento = CPF_1_DIGIT, .ativo = -1};
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(alterar_cliente(&f->app, &quem, &id, &in, CAMPOS_ALTERAR, &fe), 0);
	assert_string_equal(guardado(f, &id)->documento, CPF_1_DIGIT);
}

static void test_alterar_cliente__patch_ativo_falso__desativa(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, CPF_1);
	struct cliente_campos in = {.ativo = 0};
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(alterar_cliente(&f->app, &quem, &id, &in, CAMPOS_ALTERAR, &fe), 0);
	assert_false(guardado(f, &id)->ativo);
	assert_int_equal(f->clientes.sessoes_encerradas,
	                 1); /* a reactivation will not revive them */
}

static void test_alterar_cliente__id_desconhecido__nao_encontrado(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = {"00000001-0000-4000-8000-0000000000ff"};
	struct cliente_campos in = {.nome = "Maria Souza", .ativo = -1};
	struct field_errors fe;

	criar_ok(f, CPF_1);
	field_errors_init(&fe);
	assert_int_equal(alterar_cliente(&f->app, &quem, &id, &in, CAMPOS_ALTERAR, &fe),
	                 APP_ENOTFOUND);
	assert_int_equal(fe.count, 0);
	assert_int_equal(f->tx.rollbacks, 1);
	assert_false(f->tx.open);
}

static void test_alterar_cliente__patch_invalido__erros_e_rollback(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, CPF_1);
	struct cliente_campos in = {
	    .nome = "X", .telefone = "12", .telefone_given = true, .ativo = -1};
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(alterar_cliente(&f->app, &quem, &id, &in, CAMPOS_ALTERAR, &fe),
	                 APP_EINVALID);
	assert_int_equal(fe.count, 2);
	assert_erro(&fe, 0, "nome");
	assert_erro(&fe, 1, "telefone");
	assert_string_equal(guardado(f, &id)->nome, "Maria da Silva");
	assert_string_equal(guardado(f, &id)->telefone, "(11) 98765-4321");
	assert_int_equal(f->tx.rollbacks, 1);
}

static void test_alterar_cliente__documento_de_outro__conflito(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, CPF_1);
	struct cliente_campos in = {.documento = CPF_2, .nome = "Mudaria o nome", .ativo = -1};
	struct field_errors fe;

	criar_ok(f, CPF_2);
	field_errors_init(&fe);
	assert_int_equal(alterar_cliente(&f->app, &quem, &id, &in, CAMPOS_ALTERAR, &fe),
	                 APP_ECONFLICT);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "documento");
	assert_string_equal(guardado(f, &id)->documento, CPF_1_DIGIT);
	assert_string_equal(guardado(f, &id)->nome, "Maria da Silva");
	assert_int_equal(f->tx.rollbacks, 1);
}

static void test_alterar_cliente__update_indisponivel__rollback(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, CPF_1);
	struct cliente_campos in = {.nome = "Maria Souza", .ativo = -1};
	struct field_errors fe;

	fake_fault_arm(&f->clientes.fault, 1, APP_EUNAVAILABLE); /* find works, update fails */
	field_errors_init(&fe);
	assert_int_equal(alterar_cliente(&f->app, &quem, &id, &in, CAMPOS_ALTERAR, &fe),
	                 APP_EUNAVAILABLE);
	assert_int_equal(fe.count, 0);
	assert_string_equal(guardado(f, &id)->nome, "Maria da Silva");
	assert_int_equal(f->tx.rollbacks, 1);
}

static void test_alterar_cliente__begin_indisponivel__nada_lido(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, CPF_1);
	struct cliente_campos in = {.nome = "Maria Souza", .ativo = -1};
	struct field_errors fe;
	long calls = f->clientes.calls;

	fake_fault_next(&f->tx.begin_fault);
	field_errors_init(&fe);
	assert_int_equal(alterar_cliente(&f->app, &quem, &id, &in, CAMPOS_ALTERAR, &fe),
	                 APP_EUNAVAILABLE);
	assert_int_equal(f->clientes.calls, calls);
	assert_string_equal(guardado(f, &id)->nome, "Maria da Silva");
}

/* ---- desativar_cliente ------------------------------------------------------------------ */

static void test_desativar_cliente__ativo__fica_inativo(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, CPF_1);

	fake_clock_advance(60);
	assert_int_equal(desativar_cliente(&f->app, &quem, &id, NULL), 0);
	const struct cliente *c = guardado(f, &id);
	assert_false(c->ativo);
	assert_string_equal(c->nome, "Maria da Silva");
	assert_string_equal(c->atualizado_em, "2026-11-23T12:01:00Z");
	assert_int_equal(f->clientes.locks, 1);
	assert_int_equal(f->tx.commits, 2);
	assert_int_equal(f->clientes.sessoes_encerradas,
	                 1); /* a reactivation will not revive them */
}

static void test_desativar_cliente__com_ordem_aberta__conflito_e_continua_ativo(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, CPF_1);
	struct field_errors fe;

	field_errors_init(&fe);
	snprintf(f->clientes.ordem_aberta_de, sizeof f->clientes.ordem_aberta_de, "%s", id.str);
	assert_int_equal(desativar_cliente(&f->app, &quem, &id, &fe), APP_ECONFLICT);
	assert_true(field_errors_has(&fe, "ativo"));
	assert_true(guardado(f, &id)->ativo);
	assert_int_equal(f->tx.rollbacks, 1);
}

static void test_alterar_cliente__ativo_false_com_ordem_aberta__conflito(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, CPF_1);
	struct cliente_campos in = {.ativo = 0};
	struct field_errors fe;

	field_errors_init(&fe);
	snprintf(f->clientes.ordem_aberta_de, sizeof f->clientes.ordem_aberta_de, "%s", id.str);
	assert_int_equal(alterar_cliente(&f->app, &quem, &id, &in, CAMPOS_ALTERAR, &fe),
	                 APP_ECONFLICT);
	assert_true(field_errors_has(&fe, "ativo"));
	assert_true(guardado(f, &id)->ativo);
}

static void test_desativar_cliente__ja_inativo__ok_sem_gravar(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, CPF_1);
	long calls;

	assert_int_equal(desativar_cliente(&f->app, &quem, &id, NULL), 0);
	calls = f->clientes.calls;
	fake_clock_advance(60);
	assert_int_equal(desativar_cliente(&f->app, &quem, &id, NULL), 0);
	assert_int_equal(f->clientes.calls, calls + 1); /* the find only */
	assert_string_equal(guardado(f, &id)->atualizado_em, AGORA);
	assert_false(guardado(f, &id)->ativo);
	assert_int_equal(f->tx.commits, 3);
}

/* The same values again, by PUT or PATCH: nothing is written and atualizado_em stays. */
static void test_alterar_cliente__nada_muda__nada_gravado(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, CPF_1);
	struct cliente_campos put = campos_completos(CPF_1);
	struct cliente_campos patch = campos_vazios();
	struct field_errors fe;
	long calls;

	patch.nome = "Maria da Silva";
	fake_clock_advance(60);
	field_errors_init(&fe);
	calls = f->clientes.calls;
	assert_int_equal(alterar_cliente(&f->app, &quem, &id, &put, CAMPOS_SUBSTITUIR, &fe), 0);
	assert_int_equal(alterar_cliente(&f->app, &quem, &id, &patch, CAMPOS_ALTERAR, &fe), 0);
	assert_int_equal(f->clientes.calls, calls + 2); /* the two finds only */
	assert_string_equal(guardado(f, &id)->atualizado_em, AGORA);

	patch.nome = "Maria de Souza"; /* a real change is written */
	assert_int_equal(alterar_cliente(&f->app, &quem, &id, &patch, CAMPOS_ALTERAR, &fe), 0);
	assert_int_equal(f->clientes.calls, calls + 4);
	assert_string_equal(guardado(f, &id)->nome, "Maria de Souza");
	assert_string_not_equal(guardado(f, &id)->atualizado_em, AGORA);
}

static void test_desativar_cliente__id_desconhecido__nao_encontrado(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = {"00000001-0000-4000-8000-0000000000ff"};

	assert_int_equal(desativar_cliente(&f->app, &quem, &id, NULL), APP_ENOTFOUND);
	assert_int_equal(f->tx.rollbacks, 1);
	assert_int_equal(f->tx.commits, 0);
}

static void test_desativar_cliente__update_indisponivel__continua_ativo(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, CPF_1);

	fake_fault_arm(&f->clientes.fault, 1, APP_EUNAVAILABLE);
	assert_int_equal(desativar_cliente(&f->app, &quem, &id, NULL), APP_EUNAVAILABLE);
	assert_true(guardado(f, &id)->ativo);
	assert_int_equal(f->tx.rollbacks, 1);
}

static void test_desativar_cliente__begin_indisponivel__continua_ativo(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, CPF_1);

	fake_fault_next(&f->tx.begin_fault);
	assert_int_equal(desativar_cliente(&f->app, &quem, &id, NULL), APP_EUNAVAILABLE);
	assert_true(guardado(f, &id)->ativo);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fake_app_setup, fake_app_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_criar_cliente__campos_validos__grava_emite_evento_e_confirma),
	    T(test_criar_cliente__cnpj_sem_opcionais__evento_cnpj_e_opcionais_vazios),
	    T(test_criar_cliente__sem_caller__evento_sem_correlation_id),
	    T(test_criar_cliente__campos_invalidos__um_erro_por_campo_sem_transacao),
	    T(test_criar_cliente__obrigatorios_ausentes__campo_obrigatorio),
	    T(test_criar_cliente__erro_de_tipo_ja_registrado__mantido_e_invalido),
	    T(test_criar_cliente__documento_duplicado__conflito),
	    T(test_criar_cliente__repositorio_indisponivel__rollback),
	    T(test_criar_cliente__outbox_indisponivel__rollback_desfaz_o_cliente),
	    T(test_criar_cliente__begin_indisponivel__nada_acontece),
	    T(test_criar_cliente__commit_falha__nada_persiste),
	    T(test_alterar_cliente__put_sem_opcionais__limpa_email_e_telefone),
	    T(test_alterar_cliente__put_sem_obrigatorios__invalido_e_inalterado),
	    T(test_alterar_cliente__patch_so_nome__mantem_os_demais),
	    T(test_alterar_cliente__patch_email_null__limpa_so_o_email),
	    T(test_alterar_cliente__patch_documento_proprio_formatado__aceito),
	    T(test_alterar_cliente__patch_ativo_falso__desativa),
	    T(test_alterar_cliente__id_desconhecido__nao_encontrado),
	    T(test_alterar_cliente__patch_invalido__erros_e_rollback),
	    T(test_alterar_cliente__documento_de_outro__conflito),
	    T(test_alterar_cliente__update_indisponivel__rollback),
	    T(test_alterar_cliente__begin_indisponivel__nada_lido),
	    T(test_desativar_cliente__ativo__fica_inativo),
	    T(test_desativar_cliente__com_ordem_aberta__conflito_e_continua_ativo),
	    T(test_alterar_cliente__ativo_false_com_ordem_aberta__conflito),
	    T(test_desativar_cliente__ja_inativo__ok_sem_gravar),
	    T(test_desativar_cliente__id_desconhecido__nao_encontrado),
	    T(test_alterar_cliente__nada_muda__nada_gravado),
	    T(test_desativar_cliente__update_indisponivel__continua_ativo),
	    T(test_desativar_cliente__begin_indisponivel__continua_ativo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

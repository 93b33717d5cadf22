/*
 * Unit tests of application/commands/comandos_usuarios: staff users and staff login over the
 * in-memory adapters, with the deterministic fake hasher ("fake$" + senha) and readable tokens
 * ("tok:<sub>:<role>") (application layer; cmocka, tests/fakes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "application/commands/comandos_usuarios.h"
#include "domain/errors.h"
#include "tests/fakes/fake_app.h"

#define AGORA       "2026-11-23T12:00:00Z"
#define SEM_USUARIO "00000003-0000-4000-8000-0000000000ff"

static const struct app_caller quem = {
    .correlation_id = "corr-usuarios-1",
    .sub = "00000003-0000-4000-8000-000000000001",
    .perfil = PERFIL_ADMIN,
};

static struct usuario_campos campos(const char *email, const char *senha, const char *perfil)
{
	return (struct usuario_campos){
	    .nome = " Ana Atendente ",
	    .email = email,
	    .senha = senha,
	    .perfil = perfil,
	    .ativo = -1,
	};
}

static struct uuid criar_ok(struct fake_app *f, const char *email, const char *senha,
                            const char *perfil)
{
	struct usuario_campos in = campos(email, senha, perfil);
	struct field_errors fe;
	struct uuid id = {""};

	field_errors_init(&fe);
	assert_int_equal(criar_usuario(&f->app, &quem, &in, &fe, &id), 0);
	assert_int_equal(fe.count, 0);
	return id;
}

static const struct usuario *guardado(const struct fake_app *f, const struct uuid *id)
{
	const struct usuario *u = mem_usuario_repo_get(&f->usuarios, id->str);

	assert_non_null(u);
	return u;
}

static void assert_erro(const struct field_errors *fe, size_t i, const char *campo)
{
	assert_true(i < fe->count);
	assert_string_equal(fe->items[i].campo, campo);
	assert_true(fe->items[i].mensagem[0] != '\0');
}

/* ---- criar_usuario ---------------------------------------------------------------------- */

static void test_criar_usuario__campos_validos__grava_com_hash_da_senha(void **state)
{
	struct fake_app *f = *state;
	struct usuario_campos in = campos(" ana@oficina.com.br ", "segredo123", "atendente");
	struct field_errors fe;
	struct uuid id = {""};

	field_errors_init(&fe);
	assert_int_equal(criar_usuario(&f->app, &quem, &in, &fe, &id), 0);
	assert_string_equal(id.str, "00000003-0000-4000-8000-000000000001");
	const struct usuario *u = guardado(f, &id);
	assert_string_equal(u->nome, "Ana Atendente");
	assert_string_equal(u->email, "ana@oficina.com.br");
	assert_string_equal(u->senha_hash, "fake$segredo123");
	assert_int_equal(u->perfil, PERFIL_ATENDENTE);
	assert_true(u->ativo);
	assert_string_equal(u->criado_em, AGORA);
	assert_int_equal(f->senhas.hashes, 1);
	assert_int_equal(f->tx.begins, 1);
	assert_int_equal(f->tx.commits, 1);
	assert_int_equal(f->tx.rollbacks, 0);
	assert_int_equal(f->usuarios.writes_outside_tx, 0);
}

static void test_criar_usuario__email_duplicado_outra_caixa__conflito(void **state)
{
	struct fake_app *f = *state;
	struct usuario_campos in = campos("ANA@Oficina.COM.br", "outrasenha", "mecanico");
	struct field_errors fe;
	struct uuid id = {"intocado"};

	criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	field_errors_init(&fe);
	assert_int_equal(criar_usuario(&f->app, &quem, &in, &fe, &id), APP_ECONFLICT);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "email");
	assert_string_equal(id.str, "intocado");
	assert_int_equal(f->usuarios.rows.n, 1);
	assert_int_equal(f->tx.commits, 1);
	assert_int_equal(f->tx.rollbacks, 1);
	assert_false(f->tx.open);
}

static void test_criar_usuario__senha_curta__invalido_sem_hash(void **state)
{
	struct fake_app *f = *state;
	struct usuario_campos in = campos("ana@oficina.com.br", "1234567", "admin");
	struct field_errors fe;
	struct uuid id;

	field_errors_init(&fe);
	assert_int_equal(criar_usuario(&f->app, &quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "senha");
	assert_int_equal(f->senhas.hashes, 0);
	assert_int_equal(f->tx.begins, 0);
}

static void test_criar_usuario__senha_de_8_caracteres_acentuados__aceita(void **state)
{
	struct fake_app *f = *state;
	struct usuario_campos in = campos("ana@oficina.com.br", "áéíóúãõç", "admin");
	struct field_errors fe;
	struct uuid id;

	field_errors_init(&fe);
	assert_int_equal(criar_usuario(&f->app, &quem, &in, &fe, &id), 0);
	assert_string_equal(guardado(f, &id)->senha_hash, "fake$áéíóúãõç");
}

static void test_criar_usuario__perfil_cliente__recusado(void **state)
{
	struct fake_app *f = *state;
	struct usuario_campos in = campos("ana@oficina.com.br", "segredo123", "cliente");
	struct field_errors fe;
	struct uuid id;

	field_errors_init(&fe);
	assert_int_equal(criar_usuario(&f->app, &quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "perfil");
	assert_int_equal(f->tx.begins, 0);
}

static void test_criar_usuario__obrigatorios_ausentes__um_erro_por_campo(void **state)
{
	struct fake_app *f = *state;
	struct usuario_campos in = {.ativo = -1};
	struct field_errors fe;
	struct uuid id;

	field_errors_init(&fe);
	assert_int_equal(criar_usuario(&f->app, &quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 4);
	assert_erro(&fe, 0, "nome");
	assert_erro(&fe, 1, "email");
	assert_erro(&fe, 2, "senha");
	assert_erro(&fe, 3, "perfil");
	assert_int_equal(f->senhas.hashes, 0);
	assert_int_equal(f->tx.begins, 0);
}

static void test_criar_usuario__email_invalido__invalido(void **state)
{
	struct fake_app *f = *state;
	struct usuario_campos in = campos("ana.oficina.com.br", "segredo123", "admin");
	struct field_errors fe;
	struct uuid id;

	field_errors_init(&fe);
	assert_int_equal(criar_usuario(&f->app, &quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "email");
}

static void test_criar_usuario__hash_falha__erro_sem_transacao(void **state)
{
	struct fake_app *f = *state;
	struct usuario_campos in = campos("ana@oficina.com.br", "segredo123", "admin");
	struct field_errors fe;
	struct uuid id = {"intocado"};

	fake_fault_arm(&f->senhas.fault, 0, APP_ENOMEM);
	field_errors_init(&fe);
	assert_int_equal(criar_usuario(&f->app, &quem, &in, &fe, &id), APP_ENOMEM);
	assert_string_equal(id.str, "intocado");
	assert_int_equal(f->tx.begins, 0);
	assert_int_equal(f->usuarios.rows.n, 0);
}

static void test_criar_usuario__hasher_ocupado__ocupado_sem_transacao(void **state)
{
	struct fake_app *f = *state;
	struct usuario_campos in = campos("ana@oficina.com.br", "segredo123", "admin");
	struct field_errors fe;
	struct uuid id = {"intocado"};

	f->senhas.busy = true;
	field_errors_init(&fe);
	assert_int_equal(criar_usuario(&f->app, &quem, &in, &fe, &id), APP_EBUSY);
	assert_int_equal(fe.count, 0);
	assert_string_equal(id.str, "intocado");
	assert_int_equal(f->tx.begins, 0);
	assert_int_equal(f->usuarios.rows.n, 0);
}

static void test_criar_usuario__repositorio_indisponivel__rollback(void **state)
{
	struct fake_app *f = *state;
	struct usuario_campos in = campos("ana@oficina.com.br", "segredo123", "admin");
	struct field_errors fe;
	struct uuid id = {"intocado"};

	fake_fault_next(&f->usuarios.fault);
	field_errors_init(&fe);
	assert_int_equal(criar_usuario(&f->app, &quem, &in, &fe, &id), APP_EUNAVAILABLE);
	assert_int_equal(fe.count, 0);
	assert_string_equal(id.str, "intocado");
	assert_int_equal(f->tx.rollbacks, 1);
	assert_int_equal(f->tx.commits, 0);
}

static void test_criar_usuario__begin_indisponivel__erro(void **state)
{
	struct fake_app *f = *state;
	struct usuario_campos in = campos("ana@oficina.com.br", "segredo123", "admin");
	struct field_errors fe;
	struct uuid id = {"intocado"};

	fake_fault_next(&f->tx.begin_fault);
	field_errors_init(&fe);
	assert_int_equal(criar_usuario(&f->app, &quem, &in, &fe, &id), APP_EUNAVAILABLE);
	assert_string_equal(id.str, "intocado");
	assert_int_equal(f->usuarios.calls, 0);
}

static void test_criar_usuario__commit_falha__nada_persiste(void **state)
{
	struct fake_app *f = *state;
	struct usuario_campos in = campos("ana@oficina.com.br", "segredo123", "admin");
	struct field_errors fe;
	struct uuid id = {"intocado"};

	fake_fault_next(&f->tx.commit_fault);
	field_errors_init(&fe);
	assert_int_equal(criar_usuario(&f->app, &quem, &in, &fe, &id), APP_EUNAVAILABLE);
	assert_string_equal(id.str, "intocado");
	assert_int_equal(f->usuarios.rows.n, 0);
}

/* ---- alterar_usuario -------------------------------------------------------------------- */

static void test_alterar_usuario__nova_senha__refaz_o_hash_e_encerra_sessoes(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	struct usuario_campos in = {.senha = "novasenha456", .ativo = -1};
	struct field_errors fe;

	fake_clock_advance(30);
	field_errors_init(&fe);
	assert_int_equal(alterar_usuario(&f->app, &quem, &id, &in, &fe), 0);
	const struct usuario *u = guardado(f, &id);
	assert_string_equal(u->senha_hash, "fake$novasenha456");
	assert_string_equal(u->email, "ana@oficina.com.br");
	assert_string_equal(u->nome, "Ana Atendente");
	assert_int_equal(u->perfil, PERFIL_ATENDENTE);
	assert_string_equal(u->criado_em, AGORA);
	assert_string_equal(u->atualizado_em, "2026-11-23T12:00:30Z");
	assert_int_equal(f->senhas.hashes, 2);
	assert_int_equal(f->usuarios.locks, 1);
	assert_int_equal(f->tx.commits, 2);
	assert_int_equal(f->usuarios.sessoes_encerradas, 1); /* the old password's tokens go */
}

static void test_alterar_usuario__sem_senha__mantem_o_hash(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	struct usuario_campos in = {.nome = "Ana Maria", .perfil = "mecanico", .ativo = -1};
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(alterar_usuario(&f->app, &quem, &id, &in, &fe), 0);
	const struct usuario *u = guardado(f, &id);
	assert_string_equal(u->senha_hash, "fake$segredo123");
	assert_string_equal(u->nome, "Ana Maria");
	assert_int_equal(u->perfil, PERFIL_MECANICO);
	assert_int_equal(f->senhas.hashes, 1);
}

static void test_alterar_usuario__senha_curta__invalido_sem_hash_nem_transacao(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	struct usuario_campos in = {.senha = "curta", .ativo = -1};
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(alterar_usuario(&f->app, &quem, &id, &in, &fe), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "senha");
	assert_int_equal(f->senhas.hashes, 1);
	assert_int_equal(f->tx.begins, 1);
	assert_string_equal(guardado(f, &id)->senha_hash, "fake$segredo123");
}

static void test_alterar_usuario__perfil_cliente__recusado(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	struct usuario_campos in = {.perfil = "cliente", .ativo = -1};
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(alterar_usuario(&f->app, &quem, &id, &in, &fe), APP_EINVALID);
	assert_erro(&fe, 0, "perfil");
	assert_int_equal(guardado(f, &id)->perfil, PERFIL_ATENDENTE);
}

static void test_alterar_usuario__email_de_outro_outra_caixa__conflito(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	struct usuario_campos in = {.email = "BETO@oficina.com.br", .ativo = -1};
	struct field_errors fe;

	criar_ok(f, "beto@oficina.com.br", "segredo123", "mecanico");
	field_errors_init(&fe);
	assert_int_equal(alterar_usuario(&f->app, &quem, &id, &in, &fe), APP_ECONFLICT);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "email");
	assert_string_equal(guardado(f, &id)->email, "ana@oficina.com.br");
	assert_int_equal(f->tx.rollbacks, 1);
}

static void test_alterar_usuario__proprio_email_outra_caixa__aceito(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	struct usuario_campos in = {.email = "Ana@Oficina.com.br", .ativo = -1};
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(alterar_usuario(&f->app, &quem, &id, &in, &fe), 0);
	assert_string_equal(guardado(f, &id)->email, "Ana@Oficina.com.br");
}

static void test_alterar_usuario__id_desconhecido__nao_encontrado(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = {SEM_USUARIO};
	struct usuario_campos in = {.nome = "Ninguém Mesmo", .ativo = -1};
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(alterar_usuario(&f->app, &quem, &id, &in, &fe), APP_ENOTFOUND);
	assert_int_equal(fe.count, 0);
	assert_int_equal(f->tx.rollbacks, 1);
}

static void test_alterar_usuario__hash_falha__erro_sem_transacao(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	struct usuario_campos in = {.senha = "novasenha456", .ativo = -1};
	struct field_errors fe;

	fake_fault_arm(&f->senhas.fault, 0, APP_EINTERNAL);
	field_errors_init(&fe);
	assert_int_equal(alterar_usuario(&f->app, &quem, &id, &in, &fe), APP_EINTERNAL);
	assert_int_equal(f->tx.begins, 1);
	assert_string_equal(guardado(f, &id)->senha_hash, "fake$segredo123");
}

static void test_alterar_usuario__hasher_ocupado__ocupado_sem_gravar(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	struct usuario_campos in = {.senha = "novasenha456", .ativo = -1};
	struct field_errors fe;

	f->senhas.busy = true;
	field_errors_init(&fe);
	assert_int_equal(alterar_usuario(&f->app, &quem, &id, &in, &fe), APP_EBUSY);
	assert_int_equal(f->tx.begins, 1); /* only criar_ok's */
	assert_string_equal(guardado(f, &id)->senha_hash, "fake$segredo123");
}

static void test_alterar_usuario__update_indisponivel__rollback(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	struct usuario_campos in = {.senha = "novasenha456", .ativo = -1};
	struct field_errors fe;

	fake_fault_arm(&f->usuarios.fault, 1, APP_EUNAVAILABLE);
	field_errors_init(&fe);
	assert_int_equal(alterar_usuario(&f->app, &quem, &id, &in, &fe), APP_EUNAVAILABLE);
	assert_string_equal(guardado(f, &id)->senha_hash, "fake$segredo123");
	assert_int_equal(f->tx.rollbacks, 1);
}

static void test_alterar_usuario__begin_indisponivel__erro(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	struct usuario_campos in = {.nome = "Ana Maria", .ativo = -1};
	struct field_errors fe;

	fake_fault_next(&f->tx.begin_fault);
	field_errors_init(&fe);
	assert_int_equal(alterar_usuario(&f->app, &quem, &id, &in, &fe), APP_EUNAVAILABLE);
	assert_string_equal(guardado(f, &id)->nome, "Ana Atendente");
}

/* ---- desativar_usuario ------------------------------------------------------------------ */

static int desativar(struct fake_app *f, const struct uuid *id)
{
	struct field_errors fe;

	field_errors_init(&fe);
	return desativar_usuario(&f->app, &quem, id, &fe);
}

static void test_desativar_usuario__ativo__fica_inativo(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");

	assert_int_equal(desativar(f, &id), 0);
	assert_false(guardado(f, &id)->ativo);
	assert_string_equal(guardado(f, &id)->senha_hash, "fake$segredo123");
	assert_int_equal(f->tx.commits, 2);
	assert_int_equal(f->usuarios.sessoes_encerradas,
	                 1); /* a reactivation will not revive them */
}

static void test_desativar_usuario__ja_inativo__ok_sem_gravar(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	long calls;

	assert_int_equal(desativar(f, &id), 0);
	calls = f->usuarios.calls;
	assert_int_equal(desativar(f, &id), 0);
	assert_int_equal(f->usuarios.calls,
	                 calls + 2); /* the admins' lock and the read, no write */
}

static void test_desativar_usuario__id_desconhecido__nao_encontrado(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = {SEM_USUARIO};

	assert_int_equal(desativar(f, &id), APP_ENOTFOUND);
	assert_int_equal(f->tx.rollbacks, 1);
}

static void test_desativar_usuario__update_indisponivel__continua_ativo(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");

	fake_fault_arm(&f->usuarios.fault, 1, APP_EUNAVAILABLE);
	assert_int_equal(desativar(f, &id), APP_EUNAVAILABLE);
	assert_true(guardado(f, &id)->ativo);
}

static void test_desativar_usuario__begin_indisponivel__continua_ativo(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");

	fake_fault_next(&f->tx.begin_fault);
	assert_int_equal(desativar(f, &id), APP_EUNAVAILABLE);
	assert_true(guardado(f, &id)->ativo);
}

/* ---- the last active admin ------------------------------------------------------------- */

static void test_alterar_usuario__ultimo_admin_rebaixado__conflito_nada_gravado(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "admin");
	struct usuario_campos in = {.perfil = "mecanico", .ativo = -1};
	struct field_errors fe;

	criar_ok(f, "bia@oficina.com.br", "segredo123", "atendente");
	field_errors_init(&fe);
	assert_int_equal(alterar_usuario(&f->app, &quem, &id, &in, &fe), APP_ECONFLICT);
	assert_erro(&fe, 0, "perfil");
	assert_int_equal(guardado(f, &id)->perfil, PERFIL_ADMIN);
	assert_int_equal(f->tx.rollbacks, 1);
}

static void test_alterar_usuario__ultimo_admin_inativado__conflito_no_ativo(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "admin");
	struct usuario_campos in = {.ativo = 0};
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(alterar_usuario(&f->app, &quem, &id, &in, &fe), APP_ECONFLICT);
	assert_erro(&fe, 0, "ativo");
	assert_true(guardado(f, &id)->ativo);
}

static void test_alterar_usuario__outro_admin_ativo__rebaixa(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "admin");
	struct usuario_campos in = {.perfil = "mecanico", .ativo = -1};
	struct field_errors fe;

	criar_ok(f, "bia@oficina.com.br", "segredo123", "admin");
	field_errors_init(&fe);
	assert_int_equal(alterar_usuario(&f->app, &quem, &id, &in, &fe), 0);
	assert_int_equal(guardado(f, &id)->perfil, PERFIL_MECANICO);
	assert_int_equal(f->usuarios.sessoes_encerradas,
	                 1); /* giving admin back will not revive them */
}

static void test_alterar_usuario__ultimo_admin_muda_o_nome__ok(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "admin");
	struct usuario_campos in = {.nome = "Ana Souza", .ativo = -1};
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(alterar_usuario(&f->app, &quem, &id, &in, &fe), 0);
	assert_string_equal(guardado(f, &id)->nome, "Ana Souza");
	assert_int_equal(f->usuarios.sessoes_encerradas, 0); /* a new name keeps the sessions */
}

static void test_desativar_usuario__ultimo_admin__conflito(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "admin");
	struct uuid outro = criar_ok(f, "bia@oficina.com.br", "segredo123", "admin");
	struct field_errors fe;

	assert_int_equal(desativar(f, &outro), 0); /* two admins: one may go */
	field_errors_init(&fe);
	assert_int_equal(desativar_usuario(&f->app, &quem, &id, &fe), APP_ECONFLICT);
	assert_erro(&fe, 0, "ativo");
	assert_true(guardado(f, &id)->ativo);
}

/* ---- autenticar_usuario ----------------------------------------------------------------- */

static void test_autenticar_usuario__credenciais_certas__token_e_usuario(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	struct field_errors fe;
	struct login_resultado out;
	char esperado[TOKEN_MAX];

	field_errors_init(&fe);
	assert_int_equal(autenticar_usuario(&f->app, "ana@oficina.com.br", "segredo123", &fe, &out),
	                 0);
	snprintf(esperado, sizeof esperado, "tok:%s:atendente", id.str);
	assert_string_equal(out.token, esperado);
	assert_int_equal(out.expires_in, FAKE_TOKEN_TTL);
	assert_string_equal(out.usuario.uuid.str, id.str);
	assert_string_equal(out.usuario.email, "ana@oficina.com.br");
	assert_int_equal(out.usuario.perfil, PERFIL_ATENDENTE);
	assert_int_equal(f->senhas.verifies, 1);
	assert_int_equal(f->senhas.dummy_verifies, 0);
	assert_int_equal(f->tokens.issued, 1);
	assert_int_equal(fe.count, 0);
}

static void test_autenticar_usuario__email_em_outra_caixa__aceito(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "admin");
	struct field_errors fe;
	struct login_resultado out;

	field_errors_init(&fe);
	assert_int_equal(autenticar_usuario(&f->app, "ANA@OFICINA.COM.BR", "segredo123", &fe, &out),
	                 0);
	assert_string_equal(out.usuario.uuid.str, id.str);
}

static void test_autenticar_usuario__senha_errada__nao_autorizado(void **state)
{
	struct fake_app *f = *state;
	struct field_errors fe;
	struct login_resultado out;

	criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	field_errors_init(&fe);
	assert_int_equal(autenticar_usuario(&f->app, "ana@oficina.com.br", "segredo124", &fe, &out),
	                 APP_EUNAUTHORIZED);
	assert_int_equal(fe.count, 0);
	assert_int_equal(f->senhas.verifies, 1);
	assert_int_equal(f->tokens.issued, 0);
}

static void
test_autenticar_usuario__email_desconhecido__nao_autorizado_com_uma_verificacao(void **state)
{
	struct fake_app *f = *state;
	struct field_errors fe;
	struct login_resultado out;

	criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	field_errors_init(&fe);
	assert_int_equal(
	    autenticar_usuario(&f->app, "beto@oficina.com.br", "segredo123", &fe, &out),
	    APP_EUNAUTHORIZED);
	assert_int_equal(fe.count, 0);
	assert_int_equal(f->senhas.verifies, 1);
	assert_int_equal(f->senhas.dummy_verifies, 1);
	assert_int_equal(f->tokens.issued, 0);
}

static void test_autenticar_usuario__usuario_inativo__nao_autorizado(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	struct field_errors fe;
	struct login_resultado out;

	assert_int_equal(desativar(f, &id), 0);
	field_errors_init(&fe);
	assert_int_equal(autenticar_usuario(&f->app, "ana@oficina.com.br", "segredo123", &fe, &out),
	                 APP_EUNAUTHORIZED);
	assert_int_equal(f->senhas.verifies, 1); /* the same work as a wrong password */
	assert_int_equal(f->tokens.issued, 0);
}

static void test_autenticar_usuario__campos_ausentes__invalido(void **state)
{
	struct fake_app *f = *state;
	struct field_errors fe;
	struct login_resultado out;

	field_errors_init(&fe);
	assert_int_equal(autenticar_usuario(&f->app, NULL, NULL, &fe, &out), APP_EINVALID);
	assert_int_equal(fe.count, 2);
	assert_erro(&fe, 0, "email");
	assert_erro(&fe, 1, "senha");
	assert_int_equal(f->usuarios.calls, 0);
	assert_int_equal(f->senhas.verifies, 0);
}

static void test_autenticar_usuario__so_senha_ausente__invalido(void **state)
{
	struct fake_app *f = *state;
	struct field_errors fe;
	struct login_resultado out;

	field_errors_init(&fe);
	assert_int_equal(autenticar_usuario(&f->app, "ana@oficina.com.br", NULL, &fe, &out),
	                 APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "senha");
}

static void test_autenticar_usuario__repositorio_indisponivel__indisponivel(void **state)
{
	struct fake_app *f = *state;
	struct field_errors fe;
	struct login_resultado out;

	criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	fake_fault_next(&f->usuarios.fault);
	field_errors_init(&fe);
	assert_int_equal(autenticar_usuario(&f->app, "ana@oficina.com.br", "segredo123", &fe, &out),
	                 APP_EUNAVAILABLE);
	assert_int_equal(f->tokens.issued, 0);
}

static void test_autenticar_usuario__emissao_do_token_falha__erro(void **state)
{
	struct fake_app *f = *state;
	struct field_errors fe;
	struct login_resultado out;

	criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	fake_fault_arm(&f->tokens.fault, 0, APP_EINTERNAL);
	field_errors_init(&fe);
	assert_int_equal(autenticar_usuario(&f->app, "ana@oficina.com.br", "segredo123", &fe, &out),
	                 APP_EINTERNAL);
}

static void test_autenticar_usuario__token_emitido__verificavel(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "mecanico");
	struct field_errors fe;
	struct login_resultado out;
	struct token_claims claims;

	field_errors_init(&fe);
	assert_int_equal(autenticar_usuario(&f->app, "ana@oficina.com.br", "segredo123", &fe, &out),
	                 0);
	assert_int_equal(token_service_verify(&f->app.tokens, out.token, &claims), 0);
	assert_string_equal(claims.sub, id.str);
	assert_int_equal(claims.perfil, PERFIL_MECANICO);
	assert_int_equal(token_service_verify(&f->app.tokens, "tok:x", &claims), APP_EUNAUTHORIZED);
	assert_string_equal(claims.sub, "");
}

/* Stores a hash "made with older parameters" for id, as a previous version would have. */
static void hash_antigo(struct fake_app *f, const struct uuid *id, const char *senha)
{
	for (size_t i = 0; i < f->usuarios.rows.n; i++) {
		struct usuario *u = mem_table_at(&f->usuarios.rows, i);

		if (strcmp(u->uuid.str, id->str) == 0) {
			fake_password_legacy_hash_of(senha, u->senha_hash);
			return;
		}
	}
	fail_msg("no user %s", id->str);
}

static void
test_autenticar_usuario__hash_antigo__refaz_e_guarda_sem_mexer_em_atualizado_em(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	struct field_errors fe;
	struct login_resultado out;
	char antigo[PASSWORD_HASH_MAX];

	hash_antigo(f, &id, "segredo123");
	fake_password_legacy_hash_of("segredo123", antigo);
	fake_clock_advance(30);
	field_errors_init(&fe);
	assert_int_equal(autenticar_usuario(&f->app, "ana@oficina.com.br", "segredo123", &fe, &out),
	                 0);
	const struct usuario *u = guardado(f, &id);
	assert_string_not_equal(u->senha_hash, antigo);
	assert_string_equal(u->senha_hash, "fake$segredo123"); /* current parameters */
	assert_string_equal(u->atualizado_em, AGORA);          /* a login is not an edit */
	assert_string_equal(out.usuario.senha_hash, "fake$segredo123");
	assert_int_equal(f->senhas.rehash_checks, 1);
	assert_int_equal(f->senhas.hashes, 2); /* criar_ok's and the rehash */
	assert_int_equal(f->usuarios.senha_hash_updates, 1);
	assert_int_equal(f->tokens.issued, 1);

	/* The next login finds a current hash: nothing more to do. */
	assert_int_equal(autenticar_usuario(&f->app, "ana@oficina.com.br", "segredo123", &fe, &out),
	                 0);
	assert_int_equal(f->senhas.hashes, 2);
	assert_int_equal(f->usuarios.senha_hash_updates, 1);
}

static void test_autenticar_usuario__hash_atual__nao_refaz(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	struct field_errors fe;
	struct login_resultado out;

	field_errors_init(&fe);
	assert_int_equal(autenticar_usuario(&f->app, "ana@oficina.com.br", "segredo123", &fe, &out),
	                 0);
	assert_string_equal(guardado(f, &id)->senha_hash, "fake$segredo123");
	assert_int_equal(f->senhas.rehash_checks, 1);
	assert_int_equal(f->senhas.hashes, 1); /* criar_ok's only */
	assert_int_equal(f->usuarios.senha_hash_updates, 0);
}

static void test_autenticar_usuario__hash_antigo_senha_errada__nao_refaz(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	struct field_errors fe;
	struct login_resultado out;
	char antigo[PASSWORD_HASH_MAX];

	hash_antigo(f, &id, "segredo123");
	fake_password_legacy_hash_of("segredo123", antigo);
	field_errors_init(&fe);
	assert_int_equal(autenticar_usuario(&f->app, "ana@oficina.com.br", "segredo124", &fe, &out),
	                 APP_EUNAUTHORIZED);
	assert_string_equal(guardado(f, &id)->senha_hash, antigo);
	assert_int_equal(f->senhas.hashes, 1);
	assert_int_equal(f->usuarios.senha_hash_updates, 0);
}

static void test_autenticar_usuario__hash_antigo_usuario_inativo__nao_refaz(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	struct field_errors fe;
	struct login_resultado out;

	assert_int_equal(desativar(f, &id), 0);
	hash_antigo(f, &id, "segredo123");
	field_errors_init(&fe);
	assert_int_equal(autenticar_usuario(&f->app, "ana@oficina.com.br", "segredo123", &fe, &out),
	                 APP_EUNAUTHORIZED);
	assert_int_equal(f->usuarios.senha_hash_updates, 0);
	assert_int_equal(f->senhas.hashes, 1);
}

static void test_autenticar_usuario__rehash_ocupado__login_ok_com_hash_antigo(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	struct field_errors fe;
	struct login_resultado out;
	char antigo[PASSWORD_HASH_MAX];

	hash_antigo(f, &id, "segredo123");
	fake_password_legacy_hash_of("segredo123", antigo);
	fake_fault_arm(&f->senhas.fault, 1, APP_EBUSY); /* the verify passes, the rehash does not */
	field_errors_init(&fe);
	assert_int_equal(autenticar_usuario(&f->app, "ana@oficina.com.br", "segredo123", &fe, &out),
	                 0);
	assert_int_equal(f->tokens.issued, 1);
	assert_string_equal(guardado(f, &id)->senha_hash, antigo);
	assert_int_equal(f->usuarios.senha_hash_updates, 0);
}

static void test_autenticar_usuario__guardar_rehash_falha__login_ok_com_hash_antigo(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	struct field_errors fe;
	struct login_resultado out;
	char antigo[PASSWORD_HASH_MAX];

	hash_antigo(f, &id, "segredo123");
	fake_password_legacy_hash_of("segredo123", antigo);
	fake_fault_arm(&f->usuarios.fault, 1, APP_EUNAVAILABLE); /* find ok, update fails */
	field_errors_init(&fe);
	assert_int_equal(autenticar_usuario(&f->app, "ana@oficina.com.br", "segredo123", &fe, &out),
	                 0);
	assert_int_equal(f->tokens.issued, 1);
	assert_string_equal(out.usuario.senha_hash, antigo);
	assert_string_equal(guardado(f, &id)->senha_hash, antigo);
	assert_int_equal(f->usuarios.senha_hash_updates, 1);
}

static void test_autenticar_usuario__hasher_ocupado__ocupado_para_email_conhecido(void **state)
{
	struct fake_app *f = *state;
	struct field_errors fe;
	struct login_resultado out;

	criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	f->senhas.busy = true;
	field_errors_init(&fe);
	/* Right and wrong passwords alike: nothing was checked. */
	assert_int_equal(autenticar_usuario(&f->app, "ana@oficina.com.br", "segredo123", &fe, &out),
	                 APP_EBUSY);
	assert_string_equal(out.token, "");
	assert_string_equal(out.usuario.uuid.str, "");
	assert_int_equal(autenticar_usuario(&f->app, "ana@oficina.com.br", "segredo124", &fe, &out),
	                 APP_EBUSY);
	assert_int_equal(fe.count, 0);
	assert_int_equal(f->senhas.verifies, 2);
	assert_int_equal(f->tokens.issued, 0);
	assert_int_equal(f->usuarios.senha_hash_updates, 0);
}

static void test_autenticar_usuario__hasher_ocupado__ocupado_para_email_desconhecido(void **state)
{
	struct fake_app *f = *state;
	struct field_errors fe;
	struct login_resultado out;

	criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	f->senhas.busy = true;
	field_errors_init(&fe);
	/* The same answer as for a known e-mail, or the status would tell which e-mails exist. */
	assert_int_equal(
	    autenticar_usuario(&f->app, "beto@oficina.com.br", "segredo123", &fe, &out), APP_EBUSY);
	assert_int_equal(fe.count, 0);
	assert_int_equal(f->senhas.verifies, 1);
	assert_int_equal(f->senhas.dummy_verifies, 1);
	assert_int_equal(f->tokens.issued, 0);
	assert_string_equal(out.token, "");
}

static void test_autenticar_usuario__hasher_ocupado_usuario_inativo__ocupado(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	struct field_errors fe;
	struct login_resultado out;

	assert_int_equal(desativar(f, &id), 0);
	f->senhas.busy = true;
	field_errors_init(&fe);
	assert_int_equal(autenticar_usuario(&f->app, "ana@oficina.com.br", "segredo123", &fe, &out),
	                 APP_EBUSY);
}

static void test_autenticar_usuario__verify_com_outra_falha__nao_autorizado(void **state)
{
	struct fake_app *f = *state;
	struct field_errors fe;
	struct login_resultado out;

	criar_ok(f, "ana@oficina.com.br", "segredo123", "atendente");
	fake_fault_arm(&f->senhas.fault, 0, APP_EINTERNAL);
	field_errors_init(&fe);
	assert_int_equal(autenticar_usuario(&f->app, "ana@oficina.com.br", "segredo123", &fe, &out),
	                 APP_EUNAUTHORIZED);
	fake_fault_arm(&f->senhas.fault, 0, APP_EINTERNAL);
	assert_int_equal(
	    autenticar_usuario(&f->app, "beto@oficina.com.br", "segredo123", &fe, &out),
	    APP_EUNAUTHORIZED);
	assert_int_equal(f->tokens.issued, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fake_app_setup, fake_app_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_criar_usuario__campos_validos__grava_com_hash_da_senha),
	    T(test_criar_usuario__email_duplicado_outra_caixa__conflito),
	    T(test_criar_usuario__senha_curta__invalido_sem_hash),
	    T(test_criar_usuario__senha_de_8_caracteres_acentuados__aceita),
	    T(test_criar_usuario__perfil_cliente__recusado),
	    T(test_criar_usuario__obrigatorios_ausentes__um_erro_por_campo),
	    T(test_criar_usuario__email_invalido__invalido),
	    T(test_criar_usuario__hash_falha__erro_sem_transacao),
	    T(test_criar_usuario__hasher_ocupado__ocupado_sem_transacao),
	    T(test_criar_usuario__repositorio_indisponivel__rollback),
	    T(test_criar_usuario__begin_indisponivel__erro),
	    T(test_criar_usuario__commit_falha__nada_persiste),
	    T(test_alterar_usuario__ultimo_admin_rebaixado__conflito_nada_gravado),
	    T(test_alterar_usuario__ultimo_admin_inativado__conflito_no_ativo),
	    T(test_alterar_usuario__outro_admin_ativo__rebaixa),
	    T(test_alterar_usuario__ultimo_admin_muda_o_nome__ok),
	    T(test_desativar_usuario__ultimo_admin__conflito),
	    T(test_alterar_usuario__nova_senha__refaz_o_hash_e_encerra_sessoes),
	    T(test_alterar_usuario__sem_senha__mantem_o_hash),
	    T(test_alterar_usuario__senha_curta__invalido_sem_hash_nem_transacao),
	    T(test_alterar_usuario__perfil_cliente__recusado),
	    T(test_alterar_usuario__email_de_outro_outra_caixa__conflito),
	    T(test_alterar_usuario__proprio_email_outra_caixa__aceito),
	    T(test_alterar_usuario__id_desconhecido__nao_encontrado),
	    T(test_alterar_usuario__hash_falha__erro_sem_transacao),
	    T(test_alterar_usuario__hasher_ocupado__ocupado_sem_gravar),
	    T(test_alterar_usuario__update_indisponivel__rollback),
	    T(test_alterar_usuario__begin_indisponivel__erro),
	    T(test_desativar_usuario__ativo__fica_inativo),
	    T(test_desativar_usuario__ja_inativo__ok_sem_gravar),
	    T(test_desativar_usuario__id_desconhecido__nao_encontrado),
	    T(test_desativar_usuario__update_indisponivel__continua_ativo),
	    T(test_desativar_usuario__begin_indisponivel__continua_ativo),
	    T(test_autenticar_usuario__credenciais_certas__token_e_usuario),
	    T(test_autenticar_usuario__email_em_outra_caixa__aceito),
	    T(test_autenticar_usuario__senha_errada__nao_autorizado),
	    T(test_autenticar_usuario__email_desconhecido__nao_autorizado_com_uma_verificacao),
	    T(test_autenticar_usuario__usuario_inativo__nao_autorizado),
	    T(test_autenticar_usuario__campos_ausentes__invalido),
	    T(test_autenticar_usuario__so_senha_ausente__invalido),
	    T(test_autenticar_usuario__repositorio_indisponivel__indisponivel),
	    T(test_autenticar_usuario__emissao_do_token_falha__erro),
	    T(test_autenticar_usuario__token_emitido__verificavel),
	    T(test_autenticar_usuario__hash_antigo__refaz_e_guarda_sem_mexer_em_atualizado_em),
	    T(test_autenticar_usuario__hash_atual__nao_refaz),
	    T(test_autenticar_usuario__hash_antigo_senha_errada__nao_refaz),
	    T(test_autenticar_usuario__hash_antigo_usuario_inativo__nao_refaz),
	    T(test_autenticar_usuario__rehash_ocupado__login_ok_com_hash_antigo),
	    T(test_autenticar_usuario__guardar_rehash_falha__login_ok_com_hash_antigo),
	    T(test_autenticar_usuario__hasher_ocupado__ocupado_para_email_conhecido),
	    T(test_autenticar_usuario__hasher_ocupado__ocupado_para_email_desconhecido),
	    T(test_autenticar_usuario__hasher_ocupado_usuario_inativo__ocupado),
	    T(test_autenticar_usuario__verify_com_outra_falha__nao_autorizado),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

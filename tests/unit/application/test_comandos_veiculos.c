/*
 * Unit tests of application/commands/comandos_veiculos: creating, changing and deactivating
 * vehicles over the in-memory adapters, with the clock pinned at 2026-11-23 so that the model year
 * rule (1886 to next year) is exact (application layer; cmocka, tests/fakes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "application/commands/comandos_clientes.h"
#include "application/commands/comandos_veiculos.h"
#include "domain/errors.h"
#include "tests/fakes/fake_app.h"

#define CPF_1       "529.982.247-25"
#define CPF_2       "111.444.777-35"
#define AGORA       "2026-11-23T12:00:00Z"
#define SEM_CLIENTE "00000001-0000-4000-8000-0000000000ff" /* well formed, nobody's */

static const struct app_caller quem = {
    .correlation_id = "corr-veiculos-1",
    .sub = "00000003-0000-4000-8000-000000000001",
    .perfil = PERFIL_ATENDENTE,
};

struct fixture {
	struct fake_app f;
	struct uuid dono;  /* an active customer */
	struct uuid outro; /* another active customer */
};

static struct uuid novo_cliente(struct fake_app *f, const char *nome, const char *documento)
{
	struct cliente_campos in = {.nome = nome, .documento = documento, .ativo = -1};
	struct field_errors fe;
	struct uuid id = {""};

	field_errors_init(&fe);
	assert_int_equal(criar_cliente(&f->app, &quem, &in, &fe, &id), 0);
	return id;
}

static int setup(void **state)
{
	struct fixture *x = malloc(sizeof *x);

	if (!x)
		return -1;
	fake_app_init(&x->f);
	x->dono = novo_cliente(&x->f, "Maria da Silva", CPF_1);
	x->outro = novo_cliente(&x->f, "João Pereira", CPF_2);
	/* Start every test from clean counters: the customers above are scenery. */
	mem_transaction_reset_counters(&x->f.tx);
	x->f.clientes.calls = 0;
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *x = *state;

	fake_app_cleanup(&x->f);
	free(x);
	return 0;
}

static struct veiculo_campos campos_completos(const struct uuid *dono, const char *placa)
{
	return (struct veiculo_campos){
	    .cliente_uuid = dono->str,
	    .placa = placa,
	    .marca = " Volkswagen ",
	    .modelo = "Gol",
	    .ano_given = true,
	    .ano = 2020,
	    .cor = "Prata",
	    .cor_given = true,
	    .ativo = -1,
	};
}

static struct uuid criar_ok(struct fixture *x, const char *placa)
{
	struct veiculo_campos in = campos_completos(&x->dono, placa);
	struct field_errors fe;
	struct uuid id = {""};

	field_errors_init(&fe);
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &in, &fe, &id), 0);
	assert_int_equal(fe.count, 0);
	return id;
}

static const struct veiculo *guardado(const struct fixture *x, const struct uuid *id)
{
	const struct veiculo *v = mem_veiculo_repo_get(&x->f.veiculos, id->str);

	assert_non_null(v);
	return v;
}

static void assert_erro(const struct field_errors *fe, size_t i, const char *campo)
{
	assert_true(i < fe->count);
	assert_string_equal(fe->items[i].campo, campo);
	assert_true(fe->items[i].mensagem[0] != '\0');
}

static void desativar_dono(struct fixture *x, const struct uuid *id)
{
	assert_int_equal(desativar_cliente(&x->f.app, &quem, id, NULL), 0);
}

/* The vehicle id has an order not yet closed (the fake's stand-in for the ordens table). */
static void com_ordem_aberta(struct fixture *x, const struct uuid *id)
{
	snprintf(x->f.veiculos.ordem_aberta_de, sizeof x->f.veiculos.ordem_aberta_de, "%s",
	         id->str);
}

/* ---- criar_veiculo ---------------------------------------------------------------------- */

static void test_criar_veiculo__campos_validos__grava_emite_evento_e_confirma(void **state)
{
	struct fixture *x = *state;
	struct veiculo_campos in = campos_completos(&x->dono, "abc-1234");
	struct field_errors fe;
	struct uuid id = {""};

	field_errors_init(&fe);
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &in, &fe, &id), 0);
	assert_string_equal(id.str, "00000002-0000-4000-8000-000000000001");

	const struct veiculo *v = guardado(x, &id);
	assert_string_equal(v->cliente_uuid.str, x->dono.str);
	assert_string_equal(v->placa, "ABC1234");
	assert_string_equal(v->marca, "Volkswagen");
	assert_string_equal(v->modelo, "Gol");
	assert_int_equal(v->ano, 2020);
	assert_string_equal(v->cor, "Prata");
	assert_true(v->ativo);
	assert_string_equal(v->criado_em, AGORA);

	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "veiculo.criado"), 1);
	const struct mem_evento *ev = mem_event_outbox_last(&x->f.eventos, "veiculo.criado");
	assert_string_equal(ev->agregado_uuid, id.str);
	assert_string_equal(ev->correlation_id, "corr-veiculos-1");
	assert_int_equal(ev->n, 4);
	const struct mem_evento_campo *c = mem_evento_campo(ev, "uuid");
	assert_string_equal(c->valor, id.str);
	assert_int_equal(c->is_number, 0);
	c = mem_evento_campo(ev, "cliente_uuid");
	assert_string_equal(c->valor, x->dono.str);
	assert_int_equal(c->is_number, 0);
	c = mem_evento_campo(ev, "placa");
	assert_string_equal(c->valor, "ABC1234");
	assert_int_equal(c->is_number, 0);
	c = mem_evento_campo(ev, "ano");
	assert_string_equal(c->valor, "2020");
	assert_int_equal(c->is_number, 1);

	assert_int_equal(x->f.tx.begins, 1);
	assert_int_equal(x->f.tx.commits, 1);
	assert_int_equal(x->f.tx.rollbacks, 0);
	assert_int_equal(x->f.veiculos.writes_outside_tx, 0);
}

static void test_criar_veiculo__sem_cor__cor_vazia(void **state)
{
	struct fixture *x = *state;
	struct veiculo_campos in = campos_completos(&x->dono, "BRA2E19");
	struct field_errors fe;
	struct uuid id;

	in.cor = NULL;
	in.cor_given = false;
	field_errors_init(&fe);
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &in, &fe, &id), 0);
	assert_string_equal(guardado(x, &id)->cor, "");
	assert_string_equal(guardado(x, &id)->placa, "BRA2E19");
}

static void test_criar_veiculo__cliente_desconhecido__invalido_cliente_uuid(void **state)
{
	struct fixture *x = *state;
	struct uuid ninguem = {SEM_CLIENTE};
	struct veiculo_campos in = campos_completos(&ninguem, "ABC1234");
	struct field_errors fe;
	struct uuid id = {"intocado"};

	field_errors_init(&fe);
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "cliente_uuid");
	assert_string_equal(id.str, "intocado");
	assert_int_equal(x->f.veiculos.rows.n, 0);
	assert_int_equal(x->f.veiculos.calls, 0);
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "veiculo.criado"), 0);
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_criar_veiculo__cliente_uuid_malformado__invalido_sem_transacao(void **state)
{
	struct fixture *x = *state;
	struct veiculo_campos in = campos_completos(&x->dono, "ABC1234");
	struct field_errors fe;
	struct uuid id;

	in.cliente_uuid = "not-a-uuid";
	field_errors_init(&fe);
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "cliente_uuid");
	assert_int_equal(x->f.tx.begins, 0);
}

static void test_criar_veiculo__cliente_inativo__invalido_cliente_uuid(void **state)
{
	struct fixture *x = *state;
	struct veiculo_campos in = campos_completos(&x->dono, "ABC1234");
	struct field_errors fe;
	struct uuid id;

	desativar_dono(x, &x->dono);
	field_errors_init(&fe);
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "cliente_uuid");
	assert_string_equal(fe.items[0].mensagem, "cliente inativo");
	assert_int_equal(x->f.veiculos.rows.n, 0);
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_criar_veiculo__placa_duplicada_digitada_diferente__conflito(void **state)
{
	struct fixture *x = *state;
	struct uuid primeiro = criar_ok(x, "ABC1234");
	struct veiculo_campos in = campos_completos(&x->outro, " abc - 1234 ");
	struct field_errors fe;
	struct uuid id = {"intocado"};

	field_errors_init(&fe);
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &in, &fe, &id), APP_ECONFLICT);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "placa");
	assert_string_equal(id.str, "intocado");
	assert_int_equal(x->f.veiculos.rows.n, 1);
	assert_string_equal(guardado(x, &primeiro)->cliente_uuid.str, x->dono.str);
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "veiculo.criado"), 1);
	assert_int_equal(x->f.tx.commits, 1);
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_criar_veiculo__ano_seguinte_2027__aceito(void **state)
{
	struct fixture *x = *state;
	struct veiculo_campos in = campos_completos(&x->dono, "ABC1234");
	struct field_errors fe;
	struct uuid id;

	in.ano = 2027;
	field_errors_init(&fe);
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &in, &fe, &id), 0);
	assert_int_equal(guardado(x, &id)->ano, 2027);
}

static void test_criar_veiculo__ano_1886__aceito(void **state)
{
	struct fixture *x = *state;
	struct veiculo_campos in = campos_completos(&x->dono, "ABC1234");
	struct field_errors fe;
	struct uuid id;

	in.ano = 1886;
	field_errors_init(&fe);
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &in, &fe, &id), 0);
	assert_int_equal(guardado(x, &id)->ano, 1886);
}

static void test_criar_veiculo__ano_2028__invalido(void **state)
{
	struct fixture *x = *state;
	struct veiculo_campos in = campos_completos(&x->dono, "ABC1234");
	struct field_errors fe;
	struct uuid id;

	in.ano = 2028;
	field_errors_init(&fe);
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "ano");
	assert_string_equal(fe.items[0].mensagem, "deve estar entre 1886 e 2027");
	assert_int_equal(x->f.tx.begins, 0);
}

static void test_criar_veiculo__ano_1885__invalido(void **state)
{
	struct fixture *x = *state;
	struct veiculo_campos in = campos_completos(&x->dono, "ABC1234");
	struct field_errors fe;
	struct uuid id;

	in.ano = 1885;
	field_errors_init(&fe);
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "ano");
	assert_int_equal(x->f.tx.begins, 0);
}

static void test_criar_veiculo__relogio_no_ano_seguinte__2028_aceito(void **state)
{
	struct fixture *x = *state;
	struct veiculo_campos in = campos_completos(&x->dono, "ABC1234");
	struct field_errors fe;
	struct uuid id;

	fake_clock_set(FAKE_CLOCK_PADRAO + 40L * 24 * 3600); /* 2027-01-02 */
	in.ano = 2028;
	field_errors_init(&fe);
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &in, &fe, &id), 0);
	assert_int_equal(guardado(x, &id)->ano, 2028);
}

static void test_criar_veiculo__obrigatorios_ausentes__um_erro_por_campo(void **state)
{
	struct fixture *x = *state;
	struct veiculo_campos in = {.ativo = -1};
	struct field_errors fe;
	struct uuid id;

	field_errors_init(&fe);
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 5);
	assert_erro(&fe, 0, "cliente_uuid");
	assert_erro(&fe, 1, "placa");
	assert_erro(&fe, 2, "marca");
	assert_erro(&fe, 3, "modelo");
	assert_erro(&fe, 4, "ano");
	assert_int_equal(x->f.tx.begins, 0);
}

static void test_criar_veiculo__placa_e_cor_invalidas__um_erro_por_campo(void **state)
{
	struct fixture *x = *state;
	struct veiculo_campos in = campos_completos(&x->dono, "AB12345");
	struct field_errors fe;
	struct uuid id;

	in.cor = "Azul-petróleo metálico com detalhes em preto fosco e dourado!!";
	field_errors_init(&fe);
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 2);
	assert_erro(&fe, 0, "placa");
	assert_erro(&fe, 1, "cor");
}

static void test_criar_veiculo__erro_de_tipo_ja_registrado__mantido_e_invalido(void **state)
{
	struct fixture *x = *state;
	struct veiculo_campos in = campos_completos(&x->dono, "ABC1234");
	struct field_errors fe;
	struct uuid id;

	in.ano_given = false; /* "ano": "dois mil" was refused by the reader */
	field_errors_init(&fe);
	field_errors_add(&fe, "ano", "deve ser um número inteiro");
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].mensagem, "deve ser um número inteiro");
	assert_int_equal(x->f.tx.begins, 0);
}

static void test_criar_veiculo__busca_do_cliente_indisponivel__rollback(void **state)
{
	struct fixture *x = *state;
	struct veiculo_campos in = campos_completos(&x->dono, "ABC1234");
	struct field_errors fe;
	struct uuid id = {"intocado"};

	fake_fault_next(&x->f.clientes.fault);
	field_errors_init(&fe);
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &in, &fe, &id), APP_EUNAVAILABLE);
	assert_int_equal(fe.count, 0);
	assert_string_equal(id.str, "intocado");
	assert_int_equal(x->f.veiculos.calls, 0);
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_criar_veiculo__repositorio_indisponivel__rollback(void **state)
{
	struct fixture *x = *state;
	struct veiculo_campos in = campos_completos(&x->dono, "ABC1234");
	struct field_errors fe;
	struct uuid id = {"intocado"};

	fake_fault_next(&x->f.veiculos.fault);
	field_errors_init(&fe);
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &in, &fe, &id), APP_EUNAVAILABLE);
	assert_int_equal(fe.count, 0);
	assert_int_equal(x->f.veiculos.rows.n, 0);
	assert_int_equal(x->f.tx.commits, 0);
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_criar_veiculo__outbox_indisponivel__rollback_desfaz_o_veiculo(void **state)
{
	struct fixture *x = *state;
	struct veiculo_campos in = campos_completos(&x->dono, "ABC1234");
	struct field_errors fe;
	struct uuid id = {"intocado"};

	fake_fault_next(&x->f.eventos.fault);
	field_errors_init(&fe);
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &in, &fe, &id), APP_EUNAVAILABLE);
	assert_string_equal(id.str, "intocado");
	assert_int_equal(x->f.veiculos.rows.n, 0);
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "veiculo.criado"), 0);
	assert_int_equal(x->f.tx.undone, 1);
	criar_ok(x, "ABC1234"); /* the plate is free again */
}

static void test_criar_veiculo__begin_indisponivel__nada_acontece(void **state)
{
	struct fixture *x = *state;
	struct veiculo_campos in = campos_completos(&x->dono, "ABC1234");
	struct field_errors fe;
	struct uuid id;

	fake_fault_next(&x->f.tx.begin_fault);
	field_errors_init(&fe);
	assert_int_equal(criar_veiculo(&x->f.app, &quem, &in, &fe, &id), APP_EUNAVAILABLE);
	assert_int_equal(x->f.veiculos.calls, 0);
	assert_int_equal(x->f.clientes.calls, 0);
}

/* ---- alterar_veiculo -------------------------------------------------------------------- */

static void test_alterar_veiculo__patch_para_outro_dono_ativo__transferido(void **state)
{
	struct fixture *x = *state;
	struct uuid id = criar_ok(x, "ABC1234");
	struct veiculo_campos in = {.cliente_uuid = x->outro.str, .ativo = -1};
	struct field_errors fe;

	fake_clock_advance(120);
	field_errors_init(&fe);
	assert_int_equal(alterar_veiculo(&x->f.app, &quem, &id, &in, CAMPOS_ALTERAR, &fe), 0);
	const struct veiculo *v = guardado(x, &id);
	assert_string_equal(v->cliente_uuid.str, x->outro.str);
	assert_string_equal(v->placa, "ABC1234");
	assert_string_equal(v->cor, "Prata");
	assert_string_equal(v->criado_em, AGORA);
	assert_string_equal(v->atualizado_em, "2026-11-23T12:02:00Z");
	assert_int_equal(x->f.veiculos.locks, 1);
	assert_int_equal(x->f.tx.commits, 2);
}

static void test_alterar_veiculo__outro_dono_com_ordem_aberta__conflito_e_dono_mantido(void **state)
{
	struct fixture *x = *state;
	struct uuid id = criar_ok(x, "ABC1234");
	struct veiculo_campos in = {.cliente_uuid = x->outro.str, .ativo = -1};
	struct field_errors fe;

	com_ordem_aberta(x, &id);
	field_errors_init(&fe);
	assert_int_equal(alterar_veiculo(&x->f.app, &quem, &id, &in, CAMPOS_ALTERAR, &fe),
	                 APP_ECONFLICT);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "cliente_uuid");
	assert_string_equal(guardado(x, &id)->cliente_uuid.str, x->dono.str);
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_alterar_veiculo__com_ordem_aberta_mesmo_dono__alterado(void **state)
{
	struct fixture *x = *state;
	struct uuid id = criar_ok(x, "ABC1234");
	struct veiculo_campos in = {.cor = "Azul", .cor_given = true, .ativo = -1};
	struct field_errors fe;

	com_ordem_aberta(x, &id);
	field_errors_init(&fe);
	assert_int_equal(alterar_veiculo(&x->f.app, &quem, &id, &in, CAMPOS_ALTERAR, &fe), 0);
	assert_string_equal(guardado(x, &id)->cor, "Azul");
	assert_string_equal(guardado(x, &id)->cliente_uuid.str, x->dono.str);
}

static void test_alterar_veiculo__patch_para_dono_desconhecido__invalido(void **state)
{
	struct fixture *x = *state;
	struct uuid id = criar_ok(x, "ABC1234");
	struct veiculo_campos in = {.cliente_uuid = SEM_CLIENTE, .ativo = -1};
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(alterar_veiculo(&x->f.app, &quem, &id, &in, CAMPOS_ALTERAR, &fe),
	                 APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "cliente_uuid");
	assert_string_equal(guardado(x, &id)->cliente_uuid.str, x->dono.str);
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_alterar_veiculo__patch_para_dono_inativo__invalido(void **state)
{
	struct fixture *x = *state;
	struct uuid id = criar_ok(x, "ABC1234");
	struct veiculo_campos in = {.cliente_uuid = x->outro.str, .ativo = -1};
	struct field_errors fe;

	desativar_dono(x, &x->outro);
	field_errors_init(&fe);
	assert_int_equal(alterar_veiculo(&x->f.app, &quem, &id, &in, CAMPOS_ALTERAR, &fe),
	                 APP_EINVALID);
	assert_erro(&fe, 0, "cliente_uuid");
	assert_string_equal(guardado(x, &id)->cliente_uuid.str, x->dono.str);
}

static void test_alterar_veiculo__mesmo_dono_inativo__nao_reverificado(void **state)
{
	struct fixture *x = *state;
	struct uuid id = criar_ok(x, "ABC1234");
	struct veiculo_campos in = {.cor = "Preto", .cor_given = true, .ativo = -1};
	struct field_errors fe;
	long calls;

	desativar_dono(x, &x->dono);
	calls = x->f.clientes.calls;
	field_errors_init(&fe);
	assert_int_equal(alterar_veiculo(&x->f.app, &quem, &id, &in, CAMPOS_ALTERAR, &fe), 0);
	assert_string_equal(guardado(x, &id)->cor, "Preto");
	assert_int_equal(x->f.clientes.calls,
	                 calls); /* the owner is only checked when it changes */
}

static void test_alterar_veiculo__put_sem_cor__limpa_a_cor(void **state)
{
	struct fixture *x = *state;
	struct uuid id = criar_ok(x, "ABC1234");
	struct veiculo_campos in = campos_completos(&x->dono, "ABC1234");
	struct field_errors fe;

	in.cor = NULL;
	in.cor_given = false;
	in.modelo = "Gol G5";
	field_errors_init(&fe);
	assert_int_equal(alterar_veiculo(&x->f.app, &quem, &id, &in, CAMPOS_SUBSTITUIR, &fe), 0);
	assert_string_equal(guardado(x, &id)->cor, "");
	assert_string_equal(guardado(x, &id)->modelo, "Gol G5");
}

static void test_alterar_veiculo__put_sem_obrigatorios__invalido(void **state)
{
	struct fixture *x = *state;
	struct uuid id = criar_ok(x, "ABC1234");
	struct veiculo_campos in = {.modelo = "Gol G5", .ativo = -1};
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(alterar_veiculo(&x->f.app, &quem, &id, &in, CAMPOS_SUBSTITUIR, &fe),
	                 APP_EINVALID);
	assert_int_equal(fe.count, 4);
	assert_erro(&fe, 0, "cliente_uuid");
	assert_erro(&fe, 1, "placa");
	assert_erro(&fe, 2, "marca");
	assert_erro(&fe, 3, "ano");
	assert_string_equal(guardado(x, &id)->modelo, "Gol");
}

static void test_alterar_veiculo__patch_sem_cor__mantem_e_cor_null_limpa(void **state)
{
	struct fixture *x = *state;
	struct uuid id = criar_ok(x, "ABC1234");
	struct veiculo_campos marca = {.marca = "VW", .ativo = -1};
	struct veiculo_campos cor_null = {.cor = NULL, .cor_given = true, .ativo = -1};
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(alterar_veiculo(&x->f.app, &quem, &id, &marca, CAMPOS_ALTERAR, &fe), 0);
	assert_string_equal(guardado(x, &id)->marca, "VW");
	assert_string_equal(guardado(x, &id)->cor, "Prata");
	assert_int_equal(alterar_veiculo(&x->f.app, &quem, &id, &cor_null, CAMPOS_ALTERAR, &fe), 0);
	assert_string_equal(guardado(x, &id)->cor, "");
	assert_string_equal(guardado(x, &id)->marca, "VW");
}

static void test_alterar_veiculo__placa_de_outro__conflito(void **state)
{
	struct fixture *x = *state;
	struct uuid id = criar_ok(x, "ABC1234");
	struct veiculo_campos in = {.placa = "bra-2e19", .ativo = -1};
	struct field_errors fe;

	criar_ok(x, "BRA2E19");
	field_errors_init(&fe);
	assert_int_equal(alterar_veiculo(&x->f.app, &quem, &id, &in, CAMPOS_ALTERAR, &fe),
	                 APP_ECONFLICT);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "placa");
	assert_string_equal(guardado(x, &id)->placa, "ABC1234");
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_alterar_veiculo__ano_invalido__invalido(void **state)
{
	struct fixture *x = *state;
	struct uuid id = criar_ok(x, "ABC1234");
	struct veiculo_campos in = {.ano_given = true, .ano = 2028, .ativo = -1};
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(alterar_veiculo(&x->f.app, &quem, &id, &in, CAMPOS_ALTERAR, &fe),
	                 APP_EINVALID);
	assert_erro(&fe, 0, "ano");
	assert_int_equal(guardado(x, &id)->ano, 2020);
}

static void test_alterar_veiculo__id_desconhecido__nao_encontrado(void **state)
{
	struct fixture *x = *state;
	struct uuid id = {"00000002-0000-4000-8000-0000000000ff"};
	struct veiculo_campos in = {.cor = "Preto", .cor_given = true, .ativo = -1};
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(alterar_veiculo(&x->f.app, &quem, &id, &in, CAMPOS_ALTERAR, &fe),
	                 APP_ENOTFOUND);
	assert_int_equal(fe.count, 0);
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_alterar_veiculo__update_indisponivel__rollback(void **state)
{
	struct fixture *x = *state;
	struct uuid id = criar_ok(x, "ABC1234");
	struct veiculo_campos in = {.cliente_uuid = x->outro.str, .ativo = -1};
	struct field_errors fe;

	long calls = x->f.veiculos.calls;

	/* find_by_uuid, has_ordem_aberta, then update: the third call fails. */
	fake_fault_arm(&x->f.veiculos.fault, 2, APP_EUNAVAILABLE);
	field_errors_init(&fe);
	assert_int_equal(alterar_veiculo(&x->f.app, &quem, &id, &in, CAMPOS_ALTERAR, &fe),
	                 APP_EUNAVAILABLE);
	assert_int_equal(x->f.veiculos.calls, calls + 3);
	assert_string_equal(guardado(x, &id)->cliente_uuid.str, x->dono.str);
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_alterar_veiculo__busca_de_ordem_aberta_indisponivel__rollback(void **state)
{
	struct fixture *x = *state;
	struct uuid id = criar_ok(x, "ABC1234");
	struct veiculo_campos in = {.cliente_uuid = x->outro.str, .ativo = -1};
	struct field_errors fe;
	long calls = x->f.veiculos.calls;

	fake_fault_arm(&x->f.veiculos.fault, 1, APP_EUNAVAILABLE); /* has_ordem_aberta */
	field_errors_init(&fe);
	assert_int_equal(alterar_veiculo(&x->f.app, &quem, &id, &in, CAMPOS_ALTERAR, &fe),
	                 APP_EUNAVAILABLE);
	assert_int_equal(x->f.veiculos.calls, calls + 2);
	assert_int_equal(fe.count, 0);
	assert_string_equal(guardado(x, &id)->cliente_uuid.str, x->dono.str);
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_alterar_veiculo__begin_indisponivel__nada_lido(void **state)
{
	struct fixture *x = *state;
	struct uuid id = criar_ok(x, "ABC1234");
	struct veiculo_campos in = {.cor = "Preto", .cor_given = true, .ativo = -1};
	struct field_errors fe;
	long calls = x->f.veiculos.calls;

	fake_fault_next(&x->f.tx.begin_fault);
	field_errors_init(&fe);
	assert_int_equal(alterar_veiculo(&x->f.app, &quem, &id, &in, CAMPOS_ALTERAR, &fe),
	                 APP_EUNAVAILABLE);
	assert_int_equal(x->f.veiculos.calls, calls);
}

/* ---- desativar_veiculo ------------------------------------------------------------------ */

/* desativar_veiculo with a sink of its own for the field errors. */
static int desativar(struct fixture *x, const struct uuid *id)
{
	struct field_errors fe;

	field_errors_init(&fe);
	return desativar_veiculo(&x->f.app, &quem, id, &fe);
}

static void test_desativar_veiculo__ativo__fica_inativo(void **state)
{
	struct fixture *x = *state;
	struct uuid id = criar_ok(x, "ABC1234");

	assert_int_equal(desativar(x, &id), 0);
	assert_false(guardado(x, &id)->ativo);
	assert_string_equal(guardado(x, &id)->placa, "ABC1234");
	assert_int_equal(x->f.veiculos.locks, 1);
	assert_int_equal(x->f.tx.commits, 2);
}

static void test_desativar_veiculo__com_ordem_aberta__conflito_e_continua_ativo(void **state)
{
	struct fixture *x = *state;
	struct uuid id = criar_ok(x, "ABC1234");
	struct field_errors fe;

	com_ordem_aberta(x, &id);
	field_errors_init(&fe);
	assert_int_equal(desativar_veiculo(&x->f.app, &quem, &id, &fe), APP_ECONFLICT);
	assert_int_equal(fe.count, 1);
	assert_erro(&fe, 0, "ativo");
	assert_true(guardado(x, &id)->ativo);
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_desativar_veiculo__ja_inativo__ok_sem_gravar(void **state)
{
	struct fixture *x = *state;
	struct uuid id = criar_ok(x, "ABC1234");
	long calls;

	assert_int_equal(desativar(x, &id), 0);
	calls = x->f.veiculos.calls;
	assert_int_equal(desativar(x, &id), 0);
	assert_int_equal(x->f.veiculos.calls, calls + 1);
	assert_false(guardado(x, &id)->ativo);
}

static void test_desativar_veiculo__id_desconhecido__nao_encontrado(void **state)
{
	struct fixture *x = *state;
	struct uuid id = {"00000002-0000-4000-8000-0000000000ff"};

	assert_int_equal(desativar(x, &id), APP_ENOTFOUND);
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_desativar_veiculo__update_indisponivel__continua_ativo(void **state)
{
	struct fixture *x = *state;
	struct uuid id = criar_ok(x, "ABC1234");

	long calls = x->f.veiculos.calls;

	/* find_by_uuid, has_ordem_aberta, then update: the third call fails. */
	fake_fault_arm(&x->f.veiculos.fault, 2, APP_EUNAVAILABLE);
	assert_int_equal(desativar(x, &id), APP_EUNAVAILABLE);
	assert_int_equal(x->f.veiculos.calls, calls + 3);
	assert_true(guardado(x, &id)->ativo);
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_desativar_veiculo__begin_indisponivel__continua_ativo(void **state)
{
	struct fixture *x = *state;
	struct uuid id = criar_ok(x, "ABC1234");

	fake_fault_next(&x->f.tx.begin_fault);
	assert_int_equal(desativar(x, &id), APP_EUNAVAILABLE);
	assert_true(guardado(x, &id)->ativo);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_criar_veiculo__campos_validos__grava_emite_evento_e_confirma),
	    T(test_criar_veiculo__sem_cor__cor_vazia),
	    T(test_criar_veiculo__cliente_desconhecido__invalido_cliente_uuid),
	    T(test_criar_veiculo__cliente_uuid_malformado__invalido_sem_transacao),
	    T(test_criar_veiculo__cliente_inativo__invalido_cliente_uuid),
	    T(test_criar_veiculo__placa_duplicada_digitada_diferente__conflito),
	    T(test_criar_veiculo__ano_seguinte_2027__aceito),
	    T(test_criar_veiculo__ano_1886__aceito),
	    T(test_criar_veiculo__ano_2028__invalido),
	    T(test_criar_veiculo__ano_1885__invalido),
	    T(test_criar_veiculo__relogio_no_ano_seguinte__2028_aceito),
	    T(test_criar_veiculo__obrigatorios_ausentes__um_erro_por_campo),
	    T(test_criar_veiculo__placa_e_cor_invalidas__um_erro_por_campo),
	    T(test_criar_veiculo__erro_de_tipo_ja_registrado__mantido_e_invalido),
	    T(test_criar_veiculo__busca_do_cliente_indisponivel__rollback),
	    T(test_criar_veiculo__repositorio_indisponivel__rollback),
	    T(test_criar_veiculo__outbox_indisponivel__rollback_desfaz_o_veiculo),
	    T(test_criar_veiculo__begin_indisponivel__nada_acontece),
	    T(test_alterar_veiculo__patch_para_outro_dono_ativo__transferido),
	    T(test_alterar_veiculo__outro_dono_com_ordem_aberta__conflito_e_dono_mantido),
	    T(test_alterar_veiculo__com_ordem_aberta_mesmo_dono__alterado),
	    T(test_alterar_veiculo__patch_para_dono_desconhecido__invalido),
	    T(test_alterar_veiculo__patch_para_dono_inativo__invalido),
	    T(test_alterar_veiculo__mesmo_dono_inativo__nao_reverificado),
	    T(test_alterar_veiculo__put_sem_cor__limpa_a_cor),
	    T(test_alterar_veiculo__put_sem_obrigatorios__invalido),
	    T(test_alterar_veiculo__patch_sem_cor__mantem_e_cor_null_limpa),
	    T(test_alterar_veiculo__placa_de_outro__conflito),
	    T(test_alterar_veiculo__ano_invalido__invalido),
	    T(test_alterar_veiculo__id_desconhecido__nao_encontrado),
	    T(test_alterar_veiculo__update_indisponivel__rollback),
	    T(test_alterar_veiculo__busca_de_ordem_aberta_indisponivel__rollback),
	    T(test_alterar_veiculo__begin_indisponivel__nada_lido),
	    T(test_desativar_veiculo__ativo__fica_inativo),
	    T(test_desativar_veiculo__com_ordem_aberta__conflito_e_continua_ativo),
	    T(test_desativar_veiculo__ja_inativo__ok_sem_gravar),
	    T(test_desativar_veiculo__id_desconhecido__nao_encontrado),
	    T(test_desativar_veiculo__update_indisponivel__continua_ativo),
	    T(test_desativar_veiculo__begin_indisponivel__continua_ativo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

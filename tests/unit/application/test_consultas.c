/*
 * Unit tests of application/queries/consultas: reading one customer, vehicle or staff user and
 * listing them page by page with filters, and a customer caller seeing only their own, over the
 * in-memory adapters (application layer; cmocka, tests/fakes). The data are made through the
 * commands, as a request would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "application/commands/comandos_clientes.h"
#include "application/commands/comandos_usuarios.h"
#include "application/commands/comandos_veiculos.h"
#include "application/queries/consultas.h"
#include "domain/errors.h"
#include "tests/fakes/fake_app.h"

#define N_CLIENTES 5

static const char *const nomes[N_CLIENTES] = {
    "Maria da Silva", "João Pereira", "Ana SILVA Costa", "Oficina Irmãos", "Carlos Souza",
};
static const char *const documentos[N_CLIENTES] = {
    "529.982.247-25", "111.444.777-35", "123.456.789-09", "11.222.333/0001-81", "98765432100",
};

static const struct app_caller quem = {.correlation_id = "corr-consultas-1"};

struct fixture {
	struct fake_app f;
	struct uuid clientes[N_CLIENTES]; /* in creation order */
	struct uuid veiculos[3];          /* ABC1234, BRA2E19 of cliente 0; XYZ9876 of cliente 1 */
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

static struct uuid novo_veiculo(struct fake_app *f, const struct uuid *dono, const char *placa)
{
	struct veiculo_campos in = {
	    .cliente_uuid = dono->str,
	    .placa = placa,
	    .marca = "Fiat",
	    .modelo = "Uno",
	    .ano_given = true,
	    .ano = 2010,
	    .ativo = -1,
	};
	struct field_errors fe;
	struct uuid id = {""};

	field_errors_init(&fe);
	assert_int_equal(criar_veiculo(&f->app, &quem, &in, &fe, &id), 0);
	return id;
}

static int setup(void **state)
{
	struct fixture *x = malloc(sizeof *x);

	if (!x)
		return -1;
	fake_app_init(&x->f);
	for (size_t i = 0; i < N_CLIENTES; i++) {
		x->clientes[i] = novo_cliente(&x->f, nomes[i], documentos[i]);
		fake_clock_advance(60);
	}
	x->veiculos[0] = novo_veiculo(&x->f, &x->clientes[0], "ABC1234");
	x->veiculos[1] = novo_veiculo(&x->f, &x->clientes[0], "BRA2E19");
	x->veiculos[2] = novo_veiculo(&x->f, &x->clientes[1], "XYZ9876");
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

static struct pagina pagina(long n, long por)
{
	return (struct pagina){.pagina = n, .por_pagina = por};
}

/* ---- clientes --------------------------------------------------------------------------- */

static void test_obter_cliente__existente__preenche(void **state)
{
	struct fixture *x = *state;
	struct cliente c;
	long locks = x->f.clientes.locks; /* the fixture's vehicle creations lock their owners */

	assert_int_equal(obter_cliente(&x->f.app, NULL, &x->clientes[1], &c), 0);
	assert_string_equal(c.uuid.str, x->clientes[1].str);
	assert_string_equal(c.nome, "João Pereira");
	assert_string_equal(c.documento, "11144477735");
	assert_string_equal(c.criado_em, "2026-11-23T12:01:00Z");
	assert_int_equal(x->f.clientes.locks, locks); /* a read never locks */
}

static void test_obter_cliente__desconhecido__nao_encontrado(void **state)
{
	struct fixture *x = *state;
	struct uuid id = {"00000001-0000-4000-8000-0000000000ff"};
	struct cliente c;

	assert_int_equal(obter_cliente(&x->f.app, NULL, &id, &c), APP_ENOTFOUND);
}

static void test_obter_cliente__repositorio_indisponivel__indisponivel(void **state)
{
	struct fixture *x = *state;
	struct cliente c;

	fake_fault_next(&x->f.clientes.fault);
	assert_int_equal(obter_cliente(&x->f.app, NULL, &x->clientes[0], &c), APP_EUNAVAILABLE);
}

static void test_listar_clientes__paginas_de_2__total_e_ordem_de_criacao(void **state)
{
	struct fixture *x = *state;
	struct cliente_filtro f = {0};
	struct pagina p1 = pagina(1, 2), p3 = pagina(3, 2), p4 = pagina(4, 2);
	struct lista l;

	assert_int_equal(listar_clientes(&x->f.app, &f, &p1, &l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.total, N_CLIENTES);
	assert_string_equal(LISTA_ITENS(&l, struct cliente)[0].uuid.str, x->clientes[0].str);
	assert_string_equal(LISTA_ITENS(&l, struct cliente)[1].uuid.str, x->clientes[1].str);
	lista_cleanup(&l);
	assert_null(l.itens);

	assert_int_equal(listar_clientes(&x->f.app, &f, &p3, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.total, N_CLIENTES);
	assert_string_equal(LISTA_ITENS(&l, struct cliente)[0].uuid.str, x->clientes[4].str);
	lista_cleanup(&l);

	assert_int_equal(listar_clientes(&x->f.app, &f, &p4, &l), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.total, N_CLIENTES);
	lista_cleanup(&l);
}

static void test_listar_clientes__pagina_padrao__todos(void **state)
{
	struct fixture *x = *state;
	struct cliente_filtro f = {0};
	struct pagina p = pagina(1, POR_PAGINA_PADRAO);
	struct lista l;

	assert_int_equal(listar_clientes(&x->f.app, &f, &p, &l), 0);
	assert_int_equal(l.n, N_CLIENTES);
	assert_int_equal(l.total, N_CLIENTES);
	for (size_t i = 0; i < N_CLIENTES; i++)
		assert_string_equal(LISTA_ITENS(&l, struct cliente)[i].uuid.str,
		                    x->clientes[i].str);
	lista_cleanup(&l);
}

static void test_listar_clientes__filtro_documento__so_ele(void **state)
{
	struct fixture *x = *state;
	struct cliente_filtro f = {.documento = "11222333000181"};
	struct pagina p = pagina(1, 20);
	struct lista l;

	assert_int_equal(listar_clientes(&x->f.app, &f, &p, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.total, 1);
	assert_string_equal(LISTA_ITENS(&l, struct cliente)[0].uuid.str, x->clientes[3].str);
	assert_int_equal(LISTA_ITENS(&l, struct cliente)[0].tipo_documento, TIPO_DOCUMENTO_CNPJ);
	lista_cleanup(&l);
}

static void test_listar_clientes__filtro_nome_qualquer_caixa__os_que_contem(void **state)
{
	struct fixture *x = *state;
	struct cliente_filtro f = {.nome_parte = "silva"};
	struct pagina p = pagina(1, 20);
	struct lista l;

	assert_int_equal(listar_clientes(&x->f.app, &f, &p, &l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.total, 2);
	assert_string_equal(LISTA_ITENS(&l, struct cliente)[0].nome, "Maria da Silva");
	assert_string_equal(LISTA_ITENS(&l, struct cliente)[1].nome, "Ana SILVA Costa");
	lista_cleanup(&l);
}

static void test_listar_clientes__filtros_combinados_sem_resultado__vazio(void **state)
{
	struct fixture *x = *state;
	struct cliente_filtro f = {.documento = "52998224725", .nome_parte = "Costa"};
	struct pagina p = pagina(1, 20);
	struct lista l;

	assert_int_equal(listar_clientes(&x->f.app, &f, &p, &l), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.total, 0);
	lista_cleanup(&l);
}

static void test_listar_clientes__repositorio_indisponivel__lista_vazia(void **state)
{
	struct fixture *x = *state;
	struct cliente_filtro f = {0};
	struct pagina p = pagina(1, 20);
	struct lista l;

	fake_fault_next(&x->f.clientes.fault);
	assert_int_equal(listar_clientes(&x->f.app, &f, &p, &l), APP_EUNAVAILABLE);
	assert_null(l.itens);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.total, 0);
	lista_cleanup(&l); /* harmless on an empty list */
}

/* ---- veiculos --------------------------------------------------------------------------- */

static void test_obter_veiculo__existente__preenche(void **state)
{
	struct fixture *x = *state;
	struct veiculo v;

	assert_int_equal(obter_veiculo(&x->f.app, NULL, &x->veiculos[2], &v), 0);
	assert_string_equal(v.placa, "XYZ9876");
	assert_string_equal(v.cliente_uuid.str, x->clientes[1].str);
	assert_int_equal(v.ano, 2010);
}

static void test_obter_veiculo__desconhecido__nao_encontrado(void **state)
{
	struct fixture *x = *state;
	struct veiculo v;

	/* A customer's uuid is no vehicle's. */
	assert_int_equal(obter_veiculo(&x->f.app, NULL, &x->clientes[0], &v), APP_ENOTFOUND);
}

static void test_listar_veiculos__sem_filtro_paginas_de_2__total(void **state)
{
	struct fixture *x = *state;
	struct veiculo_filtro f = {0};
	struct pagina p1 = pagina(1, 2), p2 = pagina(2, 2);
	struct lista l;

	assert_int_equal(listar_veiculos(&x->f.app, NULL, &f, &p1, &l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.total, 3);
	assert_string_equal(LISTA_ITENS(&l, struct veiculo)[0].placa, "ABC1234");
	assert_string_equal(LISTA_ITENS(&l, struct veiculo)[1].placa, "BRA2E19");
	lista_cleanup(&l);

	assert_int_equal(listar_veiculos(&x->f.app, NULL, &f, &p2, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.total, 3);
	assert_string_equal(LISTA_ITENS(&l, struct veiculo)[0].placa, "XYZ9876");
	lista_cleanup(&l);
}

static void test_listar_veiculos__filtro_placa__so_ela(void **state)
{
	struct fixture *x = *state;
	struct veiculo_filtro f = {.placa = "BRA2E19"};
	struct pagina p = pagina(1, 20);
	struct lista l;

	assert_int_equal(listar_veiculos(&x->f.app, NULL, &f, &p, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.total, 1);
	assert_string_equal(LISTA_ITENS(&l, struct veiculo)[0].uuid.str, x->veiculos[1].str);
	lista_cleanup(&l);
}

static void test_listar_veiculos__filtro_cliente__so_os_dele(void **state)
{
	struct fixture *x = *state;
	struct veiculo_filtro f = {.cliente_uuid = &x->clientes[1]};
	struct pagina p = pagina(1, 20);
	struct lista l;

	assert_int_equal(listar_veiculos(&x->f.app, NULL, &f, &p, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.total, 1);
	assert_string_equal(LISTA_ITENS(&l, struct veiculo)[0].placa, "XYZ9876");
	lista_cleanup(&l);
}

static void test_listar_veiculos__repositorio_indisponivel__lista_vazia(void **state)
{
	struct fixture *x = *state;
	struct veiculo_filtro f = {0};
	struct pagina p = pagina(1, 20);
	struct lista l;

	fake_fault_next(&x->f.veiculos.fault);
	assert_int_equal(listar_veiculos(&x->f.app, NULL, &f, &p, &l), APP_EUNAVAILABLE);
	assert_null(l.itens);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.total, 0);
}

static void test_listar_veiculos_do_cliente__com_veiculos__so_os_dele(void **state)
{
	struct fixture *x = *state;
	struct pagina p1 = pagina(1, 1), p2 = pagina(2, 1);
	struct lista l;

	assert_int_equal(listar_veiculos_do_cliente(&x->f.app, NULL, &x->clientes[0], &p1, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.total, 2);
	assert_string_equal(LISTA_ITENS(&l, struct veiculo)[0].placa, "ABC1234");
	lista_cleanup(&l);

	assert_int_equal(listar_veiculos_do_cliente(&x->f.app, NULL, &x->clientes[0], &p2, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.total, 2);
	assert_string_equal(LISTA_ITENS(&l, struct veiculo)[0].placa, "BRA2E19");
	lista_cleanup(&l);
}

static void test_listar_veiculos_do_cliente__sem_veiculos__vazia(void **state)
{
	struct fixture *x = *state;
	struct pagina p = pagina(1, 20);
	struct lista l;

	assert_int_equal(listar_veiculos_do_cliente(&x->f.app, NULL, &x->clientes[4], &p, &l), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.total, 0);
	lista_cleanup(&l);
}

static void test_listar_veiculos_do_cliente__cliente_desconhecido__nao_encontrado(void **state)
{
	struct fixture *x = *state;
	struct uuid id = {"00000001-0000-4000-8000-0000000000ff"};
	struct pagina p = pagina(1, 20);
	struct lista l;
	long calls = x->f.veiculos.calls;

	assert_int_equal(listar_veiculos_do_cliente(&x->f.app, NULL, &id, &p, &l), APP_ENOTFOUND);
	assert_null(l.itens);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.total, 0);
	assert_int_equal(x->f.veiculos.calls, calls); /* the vehicles are not even asked */
}

static void test_listar_veiculos_do_cliente__repositorio_indisponivel__indisponivel(void **state)
{
	struct fixture *x = *state;
	struct pagina p = pagina(1, 20);
	struct lista l;

	fake_fault_next(&x->f.clientes.fault);
	assert_int_equal(listar_veiculos_do_cliente(&x->f.app, NULL, &x->clientes[0], &p, &l),
	                 APP_EUNAVAILABLE);
	assert_null(l.itens);
}

/* ---- usuarios --------------------------------------------------------------------------- */

static struct uuid novo_usuario(struct fake_app *f, const char *email)
{
	struct usuario_campos in = {
	    .nome = "Pessoa da Oficina",
	    .email = email,
	    .senha = "segredo123",
	    .perfil = "mecanico",
	    .ativo = -1,
	};
	struct field_errors fe;
	struct uuid id = {""};

	field_errors_init(&fe);
	assert_int_equal(criar_usuario(&f->app, &quem, &in, &fe, &id), 0);
	return id;
}

static void test_obter_usuario__existente__preenche(void **state)
{
	struct fixture *x = *state;
	struct uuid id = novo_usuario(&x->f, "ana@oficina.com.br");
	struct usuario u;

	assert_int_equal(obter_usuario(&x->f.app, &id, &u), 0);
	assert_string_equal(u.email, "ana@oficina.com.br");
	assert_int_equal(u.perfil, PERFIL_MECANICO);
}

static void test_obter_usuario__desconhecido__nao_encontrado(void **state)
{
	struct fixture *x = *state;
	struct uuid id = {"00000003-0000-4000-8000-0000000000ff"};
	struct usuario u;

	assert_int_equal(obter_usuario(&x->f.app, &id, &u), APP_ENOTFOUND);
}

static void test_listar_usuarios__paginas_de_2__total_e_ordem(void **state)
{
	struct fixture *x = *state;
	struct uuid a = novo_usuario(&x->f, "a@oficina.com.br");
	struct uuid b = novo_usuario(&x->f, "b@oficina.com.br");
	struct uuid c = novo_usuario(&x->f, "c@oficina.com.br");
	struct pagina p1 = pagina(1, 2), p2 = pagina(2, 2);
	struct lista l;

	assert_int_equal(listar_usuarios(&x->f.app, &p1, &l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.total, 3);
	assert_string_equal(LISTA_ITENS(&l, struct usuario)[0].uuid.str, a.str);
	assert_string_equal(LISTA_ITENS(&l, struct usuario)[1].uuid.str, b.str);
	lista_cleanup(&l);

	assert_int_equal(listar_usuarios(&x->f.app, &p2, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.total, 3);
	assert_string_equal(LISTA_ITENS(&l, struct usuario)[0].uuid.str, c.str);
	lista_cleanup(&l);
}

static void test_listar_usuarios__nenhum__vazia(void **state)
{
	struct fixture *x = *state;
	struct pagina p = pagina(1, 20);
	struct lista l;

	assert_int_equal(listar_usuarios(&x->f.app, &p, &l), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.total, 0);
	lista_cleanup(&l);
}

static void test_listar_usuarios__repositorio_indisponivel__lista_vazia(void **state)
{
	struct fixture *x = *state;
	struct pagina p = pagina(1, 20);
	struct lista l;

	fake_fault_next(&x->f.usuarios.fault);
	assert_int_equal(listar_usuarios(&x->f.app, &p, &l), APP_EUNAVAILABLE);
	assert_null(l.itens);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.total, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

/* ---- a customer sees only their own ---- */

static void test_cliente_chamando__so_ve_o_proprio_cadastro_e_veiculos(void **state)
{
	struct fixture *x = *state;
	struct app_caller maria = {.sub = x->clientes[0].str, .perfil = PERFIL_CLIENTE};
	struct veiculo_filtro f = {0}, alheio = {.cliente_uuid = &x->clientes[1]};
	struct pagina p = pagina(1, 20);
	struct lista l;
	struct cliente c;
	struct veiculo v;

	assert_int_equal(obter_cliente(&x->f.app, &maria, &x->clientes[0], &c), 0);
	assert_int_equal(obter_cliente(&x->f.app, &maria, &x->clientes[1], &c), APP_ENOTFOUND);
	assert_int_equal(obter_veiculo(&x->f.app, &maria, &x->veiculos[0], &v), 0);
	assert_int_equal(obter_veiculo(&x->f.app, &maria, &x->veiculos[2], &v), APP_ENOTFOUND);
	assert_string_equal(v.uuid.str, ""); /* nothing of the other's is left in out */

	/* Without a filter: her two vehicles; filtering on another customer: none. */
	assert_int_equal(listar_veiculos(&x->f.app, &maria, &f, &p, &l), 0);
	assert_int_equal(l.total, 2);
	assert_string_equal(LISTA_ITENS(&l, struct veiculo)[0].cliente_uuid.str,
	                    x->clientes[0].str);
	assert_string_equal(LISTA_ITENS(&l, struct veiculo)[1].cliente_uuid.str,
	                    x->clientes[0].str);
	lista_cleanup(&l);
	assert_int_equal(listar_veiculos(&x->f.app, &maria, &alheio, &p, &l), 0);
	assert_int_equal(l.total, 0);
	lista_cleanup(&l);

	assert_int_equal(listar_veiculos_do_cliente(&x->f.app, &maria, &x->clientes[1], &p, &l),
	                 APP_ENOTFOUND);
	assert_int_equal(listar_veiculos_do_cliente(&x->f.app, &maria, &x->clientes[0], &p, &l), 0);
	assert_int_equal(l.total, 2);
	lista_cleanup(&l);
}

static void test_cliente_com_sub_que_nao_e_uuid__nao_ve_nada(void **state)
{
	struct fixture *x = *state;
	struct app_caller estranho = {.sub = "nao-e-uuid", .perfil = PERFIL_CLIENTE};
	struct veiculo_filtro f = {0};
	struct pagina p = pagina(1, 20);
	struct lista l;
	struct cliente c;

	assert_int_equal(obter_cliente(&x->f.app, &estranho, &x->clientes[0], &c), APP_ENOTFOUND);
	assert_int_equal(listar_veiculos(&x->f.app, &estranho, &f, &p, &l), 0);
	assert_int_equal(l.total, 0);
	lista_cleanup(&l);
}

static void test_equipe_chamando__ve_todos(void **state)
{
	struct fixture *x = *state;
	struct app_caller atendente = {.sub = x->clientes[0].str, .perfil = PERFIL_ATENDENTE};
	struct veiculo_filtro f = {0};
	struct pagina p = pagina(1, 20);
	struct lista l;
	struct veiculo v;

	assert_int_equal(obter_veiculo(&x->f.app, &atendente, &x->veiculos[2], &v), 0);
	assert_int_equal(listar_veiculos(&x->f.app, &atendente, &f, &p, &l), 0);
	assert_int_equal(l.total, 3);
	lista_cleanup(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_obter_cliente__existente__preenche),
	    T(test_obter_cliente__desconhecido__nao_encontrado),
	    T(test_obter_cliente__repositorio_indisponivel__indisponivel),
	    T(test_listar_clientes__paginas_de_2__total_e_ordem_de_criacao),
	    T(test_listar_clientes__pagina_padrao__todos),
	    T(test_listar_clientes__filtro_documento__so_ele),
	    T(test_listar_clientes__filtro_nome_qualquer_caixa__os_que_contem),
	    T(test_listar_clientes__filtros_combinados_sem_resultado__vazio),
	    T(test_listar_clientes__repositorio_indisponivel__lista_vazia),
	    T(test_obter_veiculo__existente__preenche),
	    T(test_obter_veiculo__desconhecido__nao_encontrado),
	    T(test_listar_veiculos__sem_filtro_paginas_de_2__total),
	    T(test_listar_veiculos__filtro_placa__so_ela),
	    T(test_listar_veiculos__filtro_cliente__so_os_dele),
	    T(test_listar_veiculos__repositorio_indisponivel__lista_vazia),
	    T(test_listar_veiculos_do_cliente__com_veiculos__so_os_dele),
	    T(test_listar_veiculos_do_cliente__sem_veiculos__vazia),
	    T(test_listar_veiculos_do_cliente__cliente_desconhecido__nao_encontrado),
	    T(test_listar_veiculos_do_cliente__repositorio_indisponivel__indisponivel),
	    T(test_obter_usuario__existente__preenche),
	    T(test_obter_usuario__desconhecido__nao_encontrado),
	    T(test_listar_usuarios__paginas_de_2__total_e_ordem),
	    T(test_listar_usuarios__nenhum__vazia),
	    T(test_listar_usuarios__repositorio_indisponivel__lista_vazia),
	    T(test_cliente_chamando__so_ve_o_proprio_cadastro_e_veiculos),
	    T(test_cliente_com_sub_que_nao_e_uuid__nao_ve_nada),
	    T(test_equipe_chamando__ve_todos),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

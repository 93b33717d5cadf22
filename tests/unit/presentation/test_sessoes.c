/* Unit tests of the session registry (presentation/http/sessoes.c). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/heap.h"
#include "presentation/http/sessoes.h"

#define ANA "11111111-1111-4111-8111-111111111111"
#define BIA "22222222-2222-4222-8222-222222222222"
#define CLI "33333333-3333-4333-8333-333333333333"

static struct token_claims token(const char *sub, enum perfil p, long iat)
{
	struct token_claims c = {.perfil = p, .iat = iat};
	strcpy(c.sub, sub);
	return c;
}

static struct sessao_estado estado(const char *uuid, bool cliente, bool ativo, enum perfil p,
                                   long desde)
{
	struct sessao_estado e = {
	    .cliente = cliente, .ativo = ativo, .perfil = p, .sessoes_desde = desde};
	strcpy(e.uuid, uuid);
	return e;
}

/* Publishes n states copied into a malloc'd array (the registry takes it over). */
static void publicar(struct sessoes *r, const struct sessao_estado *e, size_t n)
{
	struct sessao_estado *copia = heap_alloc((n ? n : 1) * sizeof *copia);
	assert_non_null(copia);
	memcpy(copia, e, n * sizeof *copia);
	assert_int_equal(sessoes_publicar(r, copia, n), 0);
}

static void test_sessoes__antes_da_primeira_carga__todos_passam(void **state)
{
	(void)state;
	struct sessoes *r = sessoes_new();
	struct token_claims c = token(ANA, PERFIL_ADMIN, 100);
	assert_true(sessoes_valida(r, &c));
	sessoes_free(r);
}

static void test_sessoes__equipe_ativa_inativa_rebaixada_e_nova(void **state)
{
	(void)state;
	struct sessoes *r = sessoes_new();
	const struct sessao_estado e[] = {estado(BIA, false, false, PERFIL_ATENDENTE, 0),
	                                  estado(ANA, false, true, PERFIL_ADMIN, 0)};
	publicar(r, e, 2);
	struct token_claims ana = token(ANA, PERFIL_ADMIN, 100);
	struct token_claims ana_mecanico = token(ANA, PERFIL_MECANICO, 100);
	struct token_claims bia = token(BIA, PERFIL_ATENDENTE, 100);
	struct token_claims ninguem = token(CLI, PERFIL_ADMIN, 100);
	assert_true(sessoes_valida(r, &ana));
	assert_false(sessoes_valida(r, &ana_mecanico)); /* the role changed since the token */
	assert_false(sessoes_valida(r, &bia));          /* deactivated */
	assert_true(sessoes_valida(r, &ninguem));       /* created since the last refresh */
	sessoes_free(r);
}

static void test_sessoes__logout_recusa_tokens_mais_velhos(void **state)
{
	(void)state;
	struct sessoes *r = sessoes_new();
	const struct sessao_estado e[] = {estado(ANA, false, true, PERFIL_ADMIN, 1000),
	                                  estado(CLI, true, true, PERFIL_CLIENTE, 2000)};
	publicar(r, e, 2);
	struct token_claims velho = token(ANA, PERFIL_ADMIN, 999),
	                    novo = token(ANA, PERFIL_ADMIN, 1000);
	struct token_claims cli_velho = token(CLI, PERFIL_CLIENTE, 1999);
	struct token_claims cli_novo = token(CLI, PERFIL_CLIENTE, 2001);
	assert_false(sessoes_valida(r, &velho));
	assert_true(sessoes_valida(r, &novo));
	assert_false(sessoes_valida(r, &cli_velho));
	assert_true(sessoes_valida(r, &cli_novo));
	sessoes_free(r);
}

static void test_sessoes__clientes_so_os_listados_sao_recusados(void **state)
{
	(void)state;
	struct sessoes *r = sessoes_new();
	const struct sessao_estado e[] = {estado(CLI, true, false, PERFIL_CLIENTE, 0),
	                                  estado(ANA, false, true, PERFIL_ADMIN, 0)};
	publicar(r, e, 2);
	struct token_claims inativo = token(CLI, PERFIL_CLIENTE, 100);
	struct token_claims outro = token(BIA, PERFIL_CLIENTE, 100);
	/* A staff uuid in a customer's token is not that staff user's entry. */
	struct token_claims ana_cliente = token(ANA, PERFIL_CLIENTE, 100);
	assert_false(sessoes_valida(r, &inativo));
	assert_true(sessoes_valida(r, &outro));
	assert_true(sessoes_valida(r, &ana_cliente));
	sessoes_free(r);
}

/* Readers on four threads while a writer republishes: no read of a freed snapshot (ASan). */
struct leitor {
	struct sessoes *r;
	atomic_bool *parar;
	long recusas;
};

static void *ler(void *arg)
{
	struct leitor *l = arg;
	struct token_claims ana = token(ANA, PERFIL_ADMIN, 100);
	while (!atomic_load(l->parar))
		l->recusas += !sessoes_valida(l->r, &ana);
	return NULL;
}

static void test_sessoes__leitores_e_publicacoes_ao_mesmo_tempo(void **state)
{
	(void)state;
	struct sessoes *r = sessoes_new();
	atomic_bool parar = false;
	struct leitor l[4];
	pthread_t t[4];
	const struct sessao_estado e[] = {estado(ANA, false, true, PERFIL_ADMIN, 0),
	                                  estado(BIA, false, true, PERFIL_MECANICO, 0)};
	publicar(r, e, 2);
	for (int i = 0; i < 4; i++) {
		l[i] = (struct leitor){.r = r, .parar = &parar};
		assert_int_equal(pthread_create(&t[i], NULL, ler, &l[i]), 0);
	}
	for (int k = 0; k < 2000; k++)
		publicar(r, e, 2);
	atomic_store(&parar, true);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(l[i].recusas, 0);
	}
	sessoes_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sessoes__antes_da_primeira_carga__todos_passam),
	    cmocka_unit_test(test_sessoes__equipe_ativa_inativa_rebaixada_e_nova),
	    cmocka_unit_test(test_sessoes__logout_recusa_tokens_mais_velhos),
	    cmocka_unit_test(test_sessoes__clientes_so_os_listados_sao_recusados),
	    cmocka_unit_test(test_sessoes__leitores_e_publicacoes_ao_mesmo_tempo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

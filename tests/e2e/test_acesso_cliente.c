/*
 * End-to-end tests of a customer's own access on the real server (SPEC §4, with the deviation of
 * README "Customers: login by CPF and plate"): login by CPF and the plate of one of their vehicles
 * (200; the CPF alone 422 — it was 200, and a CPF is no secret; 401 alike for an unknown CPF, an
 * inactive customer and another's plate; 422 per bad field), the per-CPF lockout (429 with
 * Retry-After after CLIENTE_LOGIN_MAX_FALHAS failures, whatever the address or the server they
 * came through, for a CPF of nobody's too; a success starts the count again), the legacy
 * CLIENTE_LOGIN=cpf, and with the customer token only their own record and vehicles (another
 * customer's answer 404, like a record that does not exist), every write 403.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ctype.h>

#include "tests/support/api.h"
#include "tests/support/http_client.h"
#include "tests/support/server.h"

#define SENHA "senha-acesso-cliente-1"

struct pessoa {
	char cpf[CPF_MAX];        /* formatted */
	char uuid[UUID_MAX];      /* customer */
	char carros[2][UUID_MAX]; /* vehicles */
	char placas[2][PLACA_MAX];
};

static struct test_server srv;
static struct test_server proxy;  /* behind a trusted proxy, with a per-address login limit */
static struct test_server legado; /* CLIENTE_LOGIN=cpf */
static char *admin, *atendente;
/* ana: 2 vehicles; beto: 1; inativo: deactivated, with 1; the rest for the lockout tests */
static struct pessoa ana, beto, inativo, carla, davi;

static void novo_cliente(struct pessoa *p, const char *nome, int carros)
{
	struct http_response r;

	random_cpf(p->cpf, true);
	json_t *b = json_pack("{s:s, s:s}", "nome", nome, "documento", p->cpf);
	api_call_json(&srv, "POST", "/api/clientes", admin, b, &r);
	json_decref(b);
	assert_status(&r, 201);
	snprintf(p->uuid, UUID_MAX, "%s", json_str(data_object(&r), "uuid"));
	http_response_cleanup(&r);
	for (int i = 0; i < carros; i++) {
		random_placa(p->placas[i], i % 2);
		b = json_pack("{s:s, s:s, s:s, s:s, s:i}", "cliente_uuid", p->uuid, "placa",
		              p->placas[i], "marca", "Fiat", "modelo", "Argo", "ano", 2022);
		api_call_json(&srv, "POST", "/api/veiculos", admin, b, &r);
		json_decref(b);
		assert_status(&r, 201);
		snprintf(p->carros[i], UUID_MAX, "%s", json_str(data_object(&r), "uuid"));
		http_response_cleanup(&r);
	}
}

/* {"cpf": cpf, "placa": placa} (placa NULL: no placa) into a static buffer. */
static const char *corpo(const char *cpf, const char *placa)
{
	static char body[160];

	if (placa)
		snprintf(body, sizeof body, "{\"cpf\": \"%s\", \"placa\": \"%s\"}", cpf, placa);
	else
		snprintf(body, sizeof body, "{\"cpf\": \"%s\"}", cpf);
	return body;
}

/* POST /api/auth/cpf on s with body and extra headers (NULL: none); the caller cleans r up. */
static void login_em(const struct test_server *s, const char *body, const char *const headers[],
                     struct http_response *r)
{
	api_call(s, "POST", "/api/auth/cpf", NULL, body, headers, r);
}

/* POST /api/auth/cpf on the default server. */
static void login_cpf(const char *body, struct http_response *r)
{
	login_em(&srv, body, NULL, r);
}

/* Logs in with CPF and first plate, asserting 200; returns the token (malloc'd). */
static char *token_de(const struct pessoa *p)
{
	struct http_response r;

	login_cpf(corpo(p->cpf, p->placas[0]), &r);
	assert_status(&r, 200);
	char *t = strdup(json_str(data_object(&r), "token"));
	http_response_cleanup(&r);
	assert_non_null(t);
	return t;
}

static int group_setup(void **state)
{
	struct http_response r;
	(void)state;

	test_server_start(&srv, NULL);
	admin = staff_token(&srv, "admin", SENHA, NULL, NULL);
	atendente = staff_token(&srv, "atendente", SENHA, NULL, NULL);
	novo_cliente(&ana, "Ana Cliente", 2);
	novo_cliente(&beto, "Beto Cliente", 1);
	novo_cliente(&inativo, "Ivo Inativo", 1);
	novo_cliente(&carla, "Carla Bloqueada", 1);
	novo_cliente(&davi, "Davi Distraído", 1);
	api_call(&srv, "DELETE", pathf("/api/clientes/%s", inativo.uuid), admin, NULL, NULL, &r);
	assert_status(&r, 204);
	http_response_cleanup(&r);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	test_server_stop_all();
	free(admin);
	free(atendente);
	return 0;
}

static void test_login__cpf_e_placa_do_cliente__200_token_de_cliente(void **state)
{
	struct http_response r, me;
	char digitos[16], placa[16];
	(void)state;

	login_cpf(corpo(ana.cpf, ana.placas[0]), &r);
	assert_status(&r, 200);
	json_t *d = data_object(&r);
	assert_string_equal(json_str(d, "token_type"), "Bearer");
	assert_true(json_integer_value(json_object_get(d, "expires_in")) > 0);
	json_t *c = json_object_get(d, "cliente");
	assert_true(json_is_object(c));
	assert_string_equal(json_str(c, "uuid"), ana.uuid);
	assert_string_equal(json_str(c, "nome"), "Ana Cliente");
	assert_int_equal(json_object_size(c), 2); /* no documento or contact data in the answer */

	/* The token works, with the customer's own data. */
	api_call(&srv, "GET", pathf("/api/clientes/%s", ana.uuid), json_str(d, "token"), NULL, NULL,
	         &me);
	assert_status(&me, 200);
	http_response_cleanup(&me);
	http_response_cleanup(&r);

	/* Digits only, the other vehicle, the plate in lower case with a hyphen: all the same. */
	only_digits(ana.cpf, digitos, sizeof digitos);
	snprintf(placa, sizeof placa, "%.3s-%s", ana.placas[1], ana.placas[1] + 3);
	for (char *q = placa; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	login_cpf(corpo(digitos, placa), &r);
	assert_status(&r, 200);
	assert_string_equal(json_str(json_object_get(data_object(&r), "cliente"), "uuid"),
	                    ana.uuid);
	http_response_cleanup(&r);
}

/* The finding of issue 10: with the CPF alone, anyone who knows it got the customer's token. */
static void test_login__cpf_sozinho__422_no_campo_placa(void **state)
{
	struct http_response r;
	char body[128];
	(void)state;

	login_cpf(corpo(ana.cpf, NULL), &r);
	assert_invalid_field(&r, "placa");
	assert_null(strstr(r.body, "token"));
	http_response_cleanup(&r);
	snprintf(body, sizeof body, "{\"cpf\": \"%s\", \"placa\": null}", ana.cpf);
	login_cpf(body, &r);
	assert_invalid_field(&r, "placa");
	http_response_cleanup(&r);
}

static void test_login__placa_invalida__422_no_campo_placa(void **state)
{
	static const char *const placas[] = {"", "ABC123", "ABC12345", "AB-1234", "ABÇ1234"};
	struct http_response r;
	char body[128];
	(void)state;

	for (size_t i = 0; i < sizeof placas / sizeof placas[0]; i++) {
		login_cpf(corpo(ana.cpf, placas[i]), &r);
		assert_invalid_field(&r, "placa");
		http_response_cleanup(&r);
	}
	snprintf(body, sizeof body, "{\"cpf\": \"%s\", \"placa\": 1234567}", ana.cpf);
	login_cpf(body, &r);
	assert_invalid_field(&r, "placa");
	http_response_cleanup(&r);
	/* Both bad: one entry each. */
	login_cpf("{}", &r);
	json_t *p = assert_problem(&r, 422);
	assert_int_equal(problem_campo_count(p, "cpf"), 1);
	assert_int_equal(problem_campo_count(p, "placa"), 1);
	http_response_cleanup(&r);
}

static void test_login__desconhecido_inativo_e_placa_de_outro__o_mesmo_401(void **state)
{
	struct http_response r[3];
	char cpf[CPF_MAX];
	(void)state;

	random_cpf(cpf, false);
	login_cpf(corpo(cpf, ana.placas[0]), &r[0]);             /* nobody's CPF */
	login_cpf(corpo(inativo.cpf, inativo.placas[0]), &r[1]); /* inactive, own plate */
	login_cpf(corpo(ana.cpf, beto.placas[0]), &r[2]);        /* another customer's plate */
	json_t *p0 = assert_problem(&r[0], 401);
	for (int i = 0; i < 3; i++) {
		json_t *p = assert_problem(&r[i], 401);
		assert_string_equal(json_str(p, "detail"), json_str(p0, "detail"));
		assert_string_equal(json_str(p, "title"), json_str(p0, "title"));
		assert_string_equal(json_str(p, "type"), json_str(p0, "type"));
		assert_null(json_object_get(p, "errors"));
		assert_string_equal(http_response_header(&r[i], "WWW-Authenticate"), "Bearer");
		assert_int_equal(r[i].body_len, r[0].body_len); /* they differ only in the id */
	}
	for (int i = 0; i < 3; i++)
		http_response_cleanup(&r[i]);
}

static void test_login__cpf_invalido__422_no_campo_cpf(void **state)
{
	static const char *const cpfs[] = {
	    "\"123.456.789-00\"",     /* wrong check digits */
	    "\"111.111.111-11\"",     /* all equal */
	    "\"1234567890\"",         /* 10 digits */
	    "\"11.222.333/0001-81\"", /* a CNPJ */
	    "52998224725",            /* not a string */
	    "null",
	};
	struct http_response r;
	char body[160];
	(void)state;

	for (size_t i = 0; i < sizeof cpfs / sizeof cpfs[0]; i++) {
		snprintf(body, sizeof body, "{\"cpf\": %s, \"placa\": \"%s\"}", cpfs[i],
		         ana.placas[0]);
		login_cpf(body, &r);
		assert_invalid_field(&r, "cpf");
		json_t *p = assert_problem(&r, 422);
		assert_int_equal(problem_campo_count(p, "placa"), 0);
		http_response_cleanup(&r);
	}
	snprintf(body, sizeof body, "{\"placa\": \"%s\"}", ana.placas[0]);
	login_cpf(body, &r);
	assert_invalid_field(&r, "cpf");
	http_response_cleanup(&r);
}

static void test_login__corpo_nao_json__400(void **state)
{
	struct http_response r;
	(void)state;

	login_cpf("cpf=52998224725&placa=ABC1234", &r);
	assert_problem(&r, 400);
	http_response_cleanup(&r);
}

/* X-Forwarded-For: a new client address each time (the proxy server trusts 127.0.0.1). */
static const char *const *endereco(int i)
{
	static char xff[64];
	static const char *h[] = {xff, NULL};

	snprintf(xff, sizeof xff, "X-Forwarded-For: 203.0.113.%d", i + 1);
	return h;
}

/* A 429 of the lockout: its problem and a Retry-After of whole seconds within the window. */
static void assert_bloqueado(const struct http_response *r)
{
	json_t *p = assert_problem(r, 429);
	const char *ra = http_response_header(r, "Retry-After");

	assert_non_null(strstr(json_str(p, "detail"), "CPF"));
	assert_null(strstr(r->body, "token"));
	assert_non_null(ra);
	long secs = strtol(ra, NULL, 10);
	if (secs < 800 || secs > 900) /* 15 minutes from the first failure, a few seconds ago */
		fail_msg("Retry-After \"%s\" is not what is left of a 900 s window", ra);
}

/*
 * CLIENTE_LOGIN_MAX_FALHAS (5) failures from five addresses, through a server whose per-address
 * login limit (2 a minute) they all escape: the sixth attempt is refused with 429 even with the
 * right plate, on that server and on another one (another pod); other customers still get in.
 * A CPF of nobody's is locked out the same way.
 */
static void test_login__bloqueio_por_cpf__429_de_qualquer_endereco_e_servidor(void **state)
{
	const char *const env[] = {"TRUSTED_PROXIES=127.0.0.1/32", "AUTH_RATE_LIMIT_PER_MINUTE=2",
	                           NULL};
	struct http_response r, n;
	char ninguem[CPF_MAX];
	(void)state;

	test_server_start(&proxy, env);
	for (int i = 0; i < 5; i++) {
		login_em(&proxy, corpo(carla.cpf, beto.placas[0]), endereco(i), &r);
		assert_problem(&r, 401);
		http_response_cleanup(&r);
	}
	login_em(&proxy, corpo(carla.cpf, carla.placas[0]), endereco(5), &r);
	assert_bloqueado(&r);
	http_response_cleanup(&r);
	login_cpf(corpo(carla.cpf, carla.placas[0]), &r); /* another server, the same database */
	assert_bloqueado(&r);
	http_response_cleanup(&r);
	/* Nobody else is locked out. */
	login_em(&proxy, corpo(ana.cpf, ana.placas[0]), endereco(6), &r);
	assert_status(&r, 200);
	http_response_cleanup(&r);

	/* A CPF of nobody's: the same five 401 and the same 429, so neither tells who is a client.
	 */
	random_cpf(ninguem, true);
	for (int i = 0; i < 5; i++) {
		login_em(&proxy, corpo(ninguem, ana.placas[0]), endereco(10 + i), &n);
		assert_problem(&n, 401);
		http_response_cleanup(&n);
	}
	login_em(&proxy, corpo(ninguem, ana.placas[0]), endereco(15), &n);
	assert_bloqueado(&n);
	login_em(&proxy, corpo(carla.cpf, carla.placas[0]), endereco(16), &r);
	assert_string_equal(json_str(assert_problem(&r, 429), "detail"),
	                    json_str(assert_problem(&n, 429), "detail"));
	http_response_cleanup(&r);
	http_response_cleanup(&n);

	/* Counted, under a family with HELP and TYPE. */
	assert_true(metric_value(&proxy, "oficina_logins_cliente_total{resultado=\"bloqueado\"}") >=
	            3);
	assert_metrics_pass_promtool(&proxy);
}

/* Four failures, then the right plate: the count starts again, and four more fail with 401. */
static void test_login__sucesso_zera_a_contagem(void **state)
{
	struct http_response r;
	(void)state;

	for (int rodada = 0; rodada < 2; rodada++) {
		for (int i = 0; i < 4; i++) {
			login_cpf(corpo(davi.cpf, ana.placas[1]), &r);
			assert_problem(&r, 401);
			http_response_cleanup(&r);
		}
		login_cpf(corpo(davi.cpf, davi.placas[0]), &r);
		assert_status(&r, 200); /* without the reset the 6th attempt would be a 429 */
		http_response_cleanup(&r);
	}
}

/* CLIENTE_LOGIN=cpf: SPEC §4's CPF-only login, for gateways that still send only the CPF. */
static void test_login_legado__cpf_sozinho__200_e_placa_ignorada(void **state)
{
	const char *const env[] = {"CLIENTE_LOGIN=cpf", NULL};
	struct http_response r;
	char cpf[CPF_MAX];
	(void)state;

	test_server_start(&legado, env);
	login_em(&legado, corpo(beto.cpf, NULL), NULL, &r);
	assert_status(&r, 200);
	assert_string_equal(json_str(json_object_get(data_object(&r), "cliente"), "uuid"),
	                    beto.uuid);
	http_response_cleanup(&r);
	/* Whatever placa is sent, it is not read. */
	login_em(&legado, corpo(beto.cpf, "não é placa"), NULL, &r);
	assert_status(&r, 200);
	http_response_cleanup(&r);
	login_em(&legado, "{\"cpf\": \"123\", \"placa\": 5}", NULL, &r);
	assert_invalid_field(&r, "cpf");
	assert_int_equal(problem_campo_count(assert_problem(&r, 422), "placa"), 0);
	http_response_cleanup(&r);
	/* Unknown and inactive: the same 401 as ever. */
	random_cpf(cpf, false);
	login_em(&legado, corpo(cpf, NULL), NULL, &r);
	assert_string_equal(json_str(assert_problem(&r, 401), "detail"), "CPF não autorizado");
	http_response_cleanup(&r);
	login_em(&legado, corpo(inativo.cpf, NULL), NULL, &r);
	assert_problem(&r, 401);
	http_response_cleanup(&r);
}

/* A CLIENTE_LOGIN the server does not know, or a lockout out of range, stops it at start. */
static void test_cliente_login__configuracao_ruim_recusada_na_partida(void **state)
{
	static const char *const ambientes[][2] = {
	    {"CLIENTE_LOGIN=cpf_e_placa", "CLIENTE_LOGIN"},
	    {"CLIENTE_LOGIN=CPF", "CLIENTE_LOGIN"},
	    {"CLIENTE_LOGIN_MAX_FALHAS=0", "CLIENTE_LOGIN_MAX_FALHAS"},
	    {"CLIENTE_LOGIN_BLOQUEIO_S=dez", "CLIENTE_LOGIN_BLOQUEIO_S"},
	};
	(void)state;

	for (size_t i = 0; i < sizeof ambientes / sizeof ambientes[0]; i++)
		test_serve_refuses(ambientes[i][0], ambientes[i][1]);
}

static void test_cliente__lista_so_os_proprios_veiculos(void **state)
{
	struct http_response r;
	char *tok = token_de(&ana);
	(void)state;

	api_call(&srv, "GET", "/api/veiculos", tok, NULL, NULL, &r);
	assert_list(&r, 1, 20, 2);
	json_t *items = data_array(&r);
	for (size_t i = 0; i < json_array_size(items); i++)
		assert_string_equal(json_str(json_array_get(items, i), "cliente_uuid"), ana.uuid);
	http_response_cleanup(&r);

	/* Filters cannot reach another customer's vehicles. */
	api_call(&srv, "GET", pathf("/api/veiculos?cliente_uuid=%s", beto.uuid), tok, NULL, NULL,
	         &r);
	assert_list(&r, 1, 20, 0);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/veiculos?placa=%s", beto.placas[0]), tok, NULL, NULL, &r);
	assert_list(&r, 1, 20, 0);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/veiculos?placa=%s", ana.placas[1]), tok, NULL, NULL, &r);
	assert_list(&r, 1, 20, 1);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/veiculos?cliente_uuid=%s", ana.uuid), tok, NULL, NULL,
	         &r);
	assert_list(&r, 1, 20, 2);
	http_response_cleanup(&r);

	api_call(&srv, "GET", pathf("/api/clientes/%s/veiculos", ana.uuid), tok, NULL, NULL, &r);
	assert_list(&r, 1, 20, 2);
	http_response_cleanup(&r);
	free(tok);
}

static void test_cliente__proprio_registro_e_veiculo__200(void **state)
{
	struct http_response r;
	char *tok = token_de(&ana);
	(void)state;

	api_call(&srv, "GET", pathf("/api/clientes/%s", ana.uuid), tok, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_string_equal(json_str(data_object(&r), "uuid"), ana.uuid);
	http_response_cleanup(&r);
	for (int i = 0; i < 2; i++) {
		api_call(&srv, "GET", pathf("/api/veiculos/%s", ana.carros[i]), tok, NULL, NULL,
		         &r);
		assert_status(&r, 200);
		assert_string_equal(json_str(data_object(&r), "cliente_uuid"), ana.uuid);
		http_response_cleanup(&r);
	}
	free(tok);
}

/* The problem of a missing resource and the one of another customer's must look alike. */
static void assert_404_como_inexistente(const char *tok, const char *path, const char *path_nada)
{
	struct http_response r, n;

	api_call(&srv, "GET", path, tok, NULL, NULL, &r);
	api_call(&srv, "GET", path_nada, tok, NULL, NULL, &n);
	json_t *pr = assert_problem(&r, 404), *pn = assert_problem(&n, 404);
	assert_string_equal(json_str(pr, "detail"), json_str(pn, "detail"));
	assert_string_equal(json_str(pr, "type"), json_str(pn, "type"));
	http_response_cleanup(&r);
	http_response_cleanup(&n);
}

static void test_cliente__dados_de_outro_cliente__404(void **state)
{
	char *tok = token_de(&ana), nada[UUID_MAX], path_nada[128];
	(void)state;

	random_uuid_v4(nada);
	snprintf(path_nada, sizeof path_nada, "/api/veiculos/%s", nada);
	assert_404_como_inexistente(tok, pathf("/api/veiculos/%s", beto.carros[0]), path_nada);
	snprintf(path_nada, sizeof path_nada, "/api/clientes/%s", nada);
	assert_404_como_inexistente(tok, pathf("/api/clientes/%s", beto.uuid), path_nada);
	snprintf(path_nada, sizeof path_nada, "/api/clientes/%s/veiculos", nada);
	assert_404_como_inexistente(tok, pathf("/api/clientes/%s/veiculos", beto.uuid), path_nada);
	free(tok);
}

static void test_cliente__escritas_e_listas_da_equipe__403(void **state)
{
	struct {
		const char *method;
		char path[128];
		const char *body;
	} casos[] = {
	    {"POST", "/api/clientes", "{\"nome\": \"Novo Nome\", \"documento\": \"52998224725\"}"},
	    {"PUT", "", "{\"nome\": \"Ana Mudada\", \"documento\": \"52998224725\"}"},
	    {"PATCH", "", "{\"nome\": \"Ana Mudada\"}"},
	    {"DELETE", "", NULL},
	    {"POST", "/api/veiculos", "{\"placa\": \"ABC1234\"}"},
	    {"PUT", "", "{\"placa\": \"ABC1234\"}"},
	    {"PATCH", "", "{\"cor\": \"Azul\"}"},
	    {"DELETE", "", NULL},
	    {"GET", "/api/clientes", NULL},
	    {"GET", "/api/usuarios", NULL},
	    {"GET", "/api/relatorios/tempo-medio?de=2026-01-01&ate=2026-01-31", NULL},
	    {"GET", "/api/relatorios/volume-diario?de=2026-01-01&ate=2026-01-31", NULL},
	};
	char *tok = token_de(&ana);
	struct http_response r;
	(void)state;

	for (int i = 1; i <= 3; i++)
		snprintf(casos[i].path, sizeof casos[i].path, "/api/clientes/%s", ana.uuid);
	for (int i = 5; i <= 7; i++)
		snprintf(casos[i].path, sizeof casos[i].path, "/api/veiculos/%s", ana.carros[0]);
	for (size_t i = 0; i < sizeof casos / sizeof casos[0]; i++) {
		api_call(&srv, casos[i].method, casos[i].path, tok, casos[i].body, NULL, &r);
		if (r.status != 403)
			fail_msg("%s %s: %ld %s", casos[i].method, casos[i].path, r.status, r.body);
		assert_problem(&r, 403);
		http_response_cleanup(&r);
	}
	/* Nothing changed. */
	api_call(&srv, "GET", pathf("/api/clientes/%s", ana.uuid), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_string_equal(json_str(data_object(&r), "nome"), "Ana Cliente");
	assert_true(json_is_true(json_object_get(data_object(&r), "ativo")));
	http_response_cleanup(&r);
	free(tok);
}

static void test_equipe__continua_vendo_tudo(void **state)
{
	struct http_response r;
	(void)state;

	api_call(&srv, "GET", pathf("/api/veiculos/%s", beto.carros[0]), atendente, NULL, NULL, &r);
	assert_status(&r, 200);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/veiculos?cliente_uuid=%s", ana.uuid), atendente, NULL,
	         NULL, &r);
	assert_list(&r, 1, 20, 2);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/clientes/%s/veiculos", beto.uuid), admin, NULL, NULL, &r);
	assert_list(&r, 1, 20, 1);
	http_response_cleanup(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_login__cpf_e_placa_do_cliente__200_token_de_cliente),
	    cmocka_unit_test(test_login__cpf_sozinho__422_no_campo_placa),
	    cmocka_unit_test(test_login__placa_invalida__422_no_campo_placa),
	    cmocka_unit_test(test_login__desconhecido_inativo_e_placa_de_outro__o_mesmo_401),
	    cmocka_unit_test(test_login__cpf_invalido__422_no_campo_cpf),
	    cmocka_unit_test(test_login__corpo_nao_json__400),
	    cmocka_unit_test(test_login__bloqueio_por_cpf__429_de_qualquer_endereco_e_servidor),
	    cmocka_unit_test(test_login__sucesso_zera_a_contagem),
	    cmocka_unit_test(test_login_legado__cpf_sozinho__200_e_placa_ignorada),
	    cmocka_unit_test(test_cliente_login__configuracao_ruim_recusada_na_partida),
	    cmocka_unit_test(test_cliente__lista_so_os_proprios_veiculos),
	    cmocka_unit_test(test_cliente__proprio_registro_e_veiculo__200),
	    cmocka_unit_test(test_cliente__dados_de_outro_cliente__404),
	    cmocka_unit_test(test_cliente__escritas_e_listas_da_equipe__403),
	    cmocka_unit_test(test_equipe__continua_vendo_tudo),
	};
	return test_server_finish(cmocka_run_group_tests(tests, group_setup, group_teardown));
}

/*
 * End-to-end tests of the documentation the server serves (issue 9): /openapi.yaml and
 * /openapi.json are the same document at the binary's version, and /docs is Swagger UI, embedded
 * in the binary, rendering every operation in a real headless Chromium without a console error
 * (the CSP allows what it needs), with "Try it out" calling this server, a bearer token given
 * through "Authorize" included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "tests/support/api.h"
#include "tests/support/http_client.h"
#include "tests/support/server.h"
#include "tests/support/webdriver.h"

#define SENHA     "senha-da-documentacao-1"
#define ESPERA_MS 30000

static struct test_server srv;

/* The operations of a parsed OpenAPI document (methods under every path). */
static int operacoes(json_t *doc)
{
	static const char *const metodos[] = {"get", "put", "post", "delete", "patch"};
	const char *path;
	json_t *item;
	int n = 0;

	json_object_foreach(json_object_get(doc, "paths"), path, item)
	{
		for (size_t i = 0; i < sizeof metodos / sizeof metodos[0]; i++)
			n += json_object_get(item, metodos[i]) != NULL;
	}
	return n;
}

static json_t *openapi_json(void)
{
	struct http_response r;
	json_error_t err;

	api_call(&srv, "GET", "/openapi.json", NULL, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_string_equal(http_response_header(&r, "Content-Type"), "application/json");
	json_t *doc = json_loads(r.body, 0, &err);
	if (!doc)
		fail_msg("/openapi.json is not JSON: %s", err.text);
	http_response_cleanup(&r);
	return doc;
}

static void test_openapi__yaml_e_json_sao_o_documento_da_versao(void **state)
{
	struct http_response r;
	(void)state;

	api_call(&srv, "GET", "/openapi.yaml", NULL, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_non_null(strstr(http_response_header(&r, "Content-Type"), "application/yaml"));
	assert_true(strncmp(r.body, "openapi: ", 9) == 0);
	assert_non_null(strstr(r.body, "\n  version: " OFICINA_VERSION "\n"));
	assert_non_null(strstr(r.body, "\n  /api/clientes/{uuid}:\n"));
	http_response_cleanup(&r);

	json_t *doc = openapi_json();
	assert_string_equal(json_str(json_object_get(doc, "info"), "version"), OFICINA_VERSION);
	assert_non_null(json_object_get(json_object_get(doc, "paths"), "/api/clientes/{uuid}"));
	assert_true(operacoes(doc) > 60);
	json_decref(doc);
}

static void test_docs__arquivos_com_tipo_e_cache_e_desconhecido_404(void **state)
{
	struct http_response r;
	(void)state;

	api_call(&srv, "GET", "/docs", NULL, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_string_equal(http_response_header(&r, "Content-Type"), "text/html; charset=utf-8");
	assert_non_null(
	    strstr(http_response_header(&r, "Content-Security-Policy"), "script-src 'self';"));
	assert_non_null(strstr(r.body, "/docs/swagger-ui-bundle.js"));
	http_response_cleanup(&r);
	api_call(&srv, "GET", "/docs/swagger-ui-bundle.js", NULL, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_string_equal(http_response_header(&r, "Content-Type"),
	                    "text/javascript; charset=utf-8");
	assert_string_equal(http_response_header(&r, "Cache-Control"), "public, max-age=86400");
	assert_true(strlen(r.body) > 500000);
	http_response_cleanup(&r);
	api_call(&srv, "GET", "/docs/swagger-ui.css", NULL, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_string_equal(http_response_header(&r, "Content-Type"), "text/css; charset=utf-8");
	http_response_cleanup(&r);
	api_call(&srv, "GET", "/docs/nao-existe.js", NULL, NULL, NULL, &r);
	assert_problem(&r, 404);
	http_response_cleanup(&r);
}

/* Opens /docs and waits for Swagger UI to render the operations. */
static struct webdriver *abrir_docs(void)
{
	char url[256];
	struct webdriver *wd = webdriver_start();

	assert_non_null(wd);
	if (webdriver_open(wd, test_server_url(&srv, "/docs", url, sizeof url)) != 0 ||
	    webdriver_wait(wd, ".opblock", ESPERA_MS) != 0)
		fail_msg("Swagger UI did not render: %s", webdriver_error(wd));
	return wd;
}

/* Expands the operation whose block has id op_id, presses Try it out and Execute. */
static void executar(struct webdriver *wd, const char *op_id)
{
	char css[160];

	snprintf(css, sizeof css, "#%s .opblock-summary", op_id);
	assert_int_equal(webdriver_click(wd, css), 0);
	snprintf(css, sizeof css, "#%s .try-out__btn", op_id);
	assert_int_equal(webdriver_wait(wd, css, ESPERA_MS), 0);
	assert_int_equal(webdriver_click(wd, css), 0);
	snprintf(css, sizeof css, "#%s .execute", op_id);
	assert_int_equal(webdriver_wait(wd, css, ESPERA_MS), 0);
	assert_int_equal(webdriver_click(wd, css), 0);
}

/* The status Swagger UI shows for the operation's live answer, or NULL (malloc'd). */
static char *status_mostrado(struct webdriver *wd, const char *op_id)
{
	char css[160];

	snprintf(css, sizeof css, "#%s .live-responses-table .response .response-col_status",
	         op_id);
	if (webdriver_wait(wd, css, ESPERA_MS) != 0)
		return NULL;
	return webdriver_text(wd, css);
}

static void test_docs__swagger_ui_mostra_todas_as_operacoes_sem_erro(void **state)
{
	(void)state;
	json_t *doc = openapi_json();
	int esperadas = operacoes(doc);
	json_decref(doc);

	struct webdriver *wd = abrir_docs();
	assert_int_equal(webdriver_count(wd, ".opblock"), esperadas);
	char *titulo = webdriver_text(wd, ".info .title");
	assert_non_null(titulo);
	assert_non_null(strstr(titulo, "Oficina API"));
	free(titulo);
	char *erros = webdriver_console_errors(wd);
	assert_non_null(erros);
	assert_string_equal(erros, "");
	free(erros);
	webdriver_stop(wd);
}

static void test_docs__try_it_out_com_token_chama_este_servidor(void **state)
{
	(void)state;
	char *token = staff_token(&srv, "atendente", SENHA, NULL, NULL);
	struct webdriver *wd = abrir_docs();

	/* Without a token: the server's 401 shows up in the page. */
	executar(wd, "operations-clientes-listarClientes");
	char *status = status_mostrado(wd, "operations-clientes-listarClientes");
	assert_non_null(status);
	assert_string_equal(status, "401");
	free(status);

	/* Authorize with the bearer token, then the same call answers 200. */
	assert_int_equal(webdriver_click(wd, ".auth-wrapper .authorize"), 0);
	assert_int_equal(webdriver_wait(wd, ".modal-ux .auth-container input", ESPERA_MS), 0);
	assert_int_equal(webdriver_type(wd, ".modal-ux .auth-container input", token), 0);
	assert_int_equal(webdriver_click(wd, ".modal-ux .auth-btn-wrapper .authorize"), 0);
	assert_int_equal(webdriver_click(wd, ".modal-ux .btn-done"), 0);
	assert_int_equal(webdriver_click(wd, "#operations-clientes-listarClientes .execute"), 0);
	long ate = mono_ms() + ESPERA_MS;
	while ((status = status_mostrado(wd, "operations-clientes-listarClientes")) &&
	       strcmp(status, "200") != 0 && mono_ms() < ate) {
		free(status);
		sleep_ms_(200);
	}
	assert_non_null(status);
	assert_string_equal(status, "200");
	free(status);
	webdriver_stop(wd);
	free(token);
}

static int setup(void **state)
{
	(void)state;
	test_server_start(&srv, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_server_stop(&srv);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_openapi__yaml_e_json_sao_o_documento_da_versao),
	    cmocka_unit_test(test_docs__arquivos_com_tipo_e_cache_e_desconhecido_404),
	    cmocka_unit_test(test_docs__swagger_ui_mostra_todas_as_operacoes_sem_erro),
	    cmocka_unit_test(test_docs__try_it_out_com_token_chama_este_servidor),
	};
	http_global_init();
	return test_server_finish(cmocka_run_group_tests(tests, setup, teardown));
}

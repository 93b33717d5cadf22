/*
 * The API's contract, checked end to end (issue 9): the Postman collection of docs/postman/ runs
 * with newman against the real server (gateway key on, webhook signed), through prism as a
 * validating proxy (--errors): a request or an answer that breaks docs/openapi.yaml comes back as
 * a 500 "VIOLATIONS" problem and fails the run. A second test shows the validator can fail: the
 * same server behind a document that asks for a field the server does not send.
 *
 * newman and prism come from node_modules (package-lock.json; make runs npm ci); the tests run
 * from the repository's root (scripts/test.sh).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/support/api.h"
#include "tests/support/http_client.h"
#include "tests/support/server.h"

#define PRISM        "node_modules/.bin/prism"
#define NEWMAN       "node_modules/.bin/newman"
#define COLECAO      "docs/postman/oficina.postman_collection.json"
#define AMBIENTE     "docs/postman/oficina.postman_environment.json"
#define API_KEY      "chave-do-gateway-dos-testes-de-contrato"
#define WEBHOOK      "segredo-do-webhook-dos-testes-de-contrato-0123"
#define SENHA        "senha-do-contrato-123"
#define PRISM_ESPERA 60000

static struct test_server srv;
static pid_t prism_pid = -1;
static int prism_port;
static char prism_log[64];

/* Starts prism proxy over spec in front of the server, in its own process group; waits for it. */
static void prism_start(const char *spec)
{
	char porta[16], url[128];
	struct http_response r;

	if (access(PRISM, X_OK) != 0 || access(NEWMAN, X_OK) != 0)
		fail_msg("%s or %s missing: run npm ci (make does)", PRISM, NEWMAN);
	prism_port = test_free_port();
	snprintf(porta, sizeof porta, "%d", prism_port);
	snprintf(prism_log, sizeof prism_log, "/tmp/oficina-prism-%d.log", (int)getpid());
	prism_pid = fork();
	assert_true(prism_pid >= 0);
	if (prism_pid == 0) {
		int fd = open(prism_log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		setpgid(0, 0);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execl(PRISM, PRISM, "proxy", spec, srv.base_url, "--errors", "--port", porta, "-h",
		      "127.0.0.1", (char *)NULL);
		_exit(127);
	}
	snprintf(url, sizeof url, "http://127.0.0.1:%d/api/ping", prism_port);
	for (long ate = mono_ms() + PRISM_ESPERA; mono_ms() < ate; sleep_ms_(200)) {
		/* Any answer will do: prism is up (the server may want a gateway key for it). */
		int ok = http_request("GET", url, NULL, NULL, 0, &r) == 0 && r.status > 0;
		http_response_cleanup(&r);
		if (ok)
			return;
	}
	fail_msg("prism did not answer on port %d within %d ms (log: %s)", prism_port, PRISM_ESPERA,
	         prism_log);
}

static void prism_stop(void)
{
	if (prism_pid <= 0)
		return;
	kill(-prism_pid, SIGTERM);
	while (waitpid(prism_pid, NULL, 0) < 0 && errno == EINTR)
		;
	prism_pid = -1;
	unlink(prism_log);
}

static void test_postman__colecao_inteira_pelo_prism_sem_violacao(void **state)
{
	char email[EMAIL_MAX], base[64], v_base[96], v_email[EMAIL_MAX + 16], v_senha[64];
	(void)state;

	random_email(email, "contrato");
	assert_int_equal(cli_usuario_criar("Equipe do Contrato", email, "admin", SENHA, NULL, 0),
	                 0);
	prism_start("docs/openapi.yaml");
	snprintf(base, sizeof base, "http://127.0.0.1:%d", prism_port);
	snprintf(v_base, sizeof v_base, "baseUrl=%s", base);
	snprintf(v_email, sizeof v_email, "email=%s", email);
	snprintf(v_senha, sizeof v_senha, "senha=%s", SENHA);
	const char *argv[] = {NEWMAN,
	                      "run",
	                      COLECAO,
	                      "-e",
	                      AMBIENTE,
	                      "--env-var",
	                      v_base,
	                      "--env-var",
	                      v_email,
	                      "--env-var",
	                      v_senha,
	                      "--env-var",
	                      "apiKey=" API_KEY,
	                      "--env-var",
	                      "webhookSecret=" WEBHOOK,
	                      "--bail",
	                      "--color",
	                      "off",
	                      NULL};
	int rc = run_command(argv);
	prism_stop();
	assert_int_equal(rc, 0);
}

static void test_prism__resposta_fora_do_documento_falha(void **state)
{
	char path[] = "/tmp/oficina-openapi-XXXXXX", url[160];
	struct http_response r;
	(void)state;

	/* The document with one more required field of Cliente than the server sends. */
	FILE *in = fopen("docs/openapi.yaml", "r");
	assert_non_null(in);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *out = fdopen(fd, "w");
	char linha[4096];
	int trocadas = 0;
	while (fgets(linha, sizeof linha, in)) {
		const char *alvo = "      required: [uuid, nome, documento, tipo_documento, email, "
		                   "telefone, ativo, criado_em, atualizado_em]\n";
		if (strcmp(linha, alvo) == 0) {
			fputs(
			    "      required: [uuid, nome, documento, tipo_documento, email, telefone, "
			    "ativo, criado_em, atualizado_em, campo_que_nao_existe]\n",
			    out);
			trocadas++;
		} else {
			fputs(linha, out);
		}
	}
	fclose(in);
	fclose(out);
	assert_int_equal(trocadas, 1);

	char *token = staff_token(&srv, "atendente", SENHA, NULL, NULL);
	prism_start(path);
	json_t *cliente = NULL;
	char cpf[CPF_MAX], body[256];
	random_cpf(cpf, false);
	snprintf(body, sizeof body, "{\"nome\":\"Cliente do Contrato\",\"documento\":\"%s\"}", cpf);
	api_call(&srv, "POST", "/api/clientes", token, body, NULL, &r);
	assert_status(&r, 201);
	cliente = data_object(&r);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/api/clientes/%s", prism_port,
	         json_str(cliente, "uuid"));
	http_response_cleanup(&r);

	char auth[1024];
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
	const char *headers[] = {auth, NULL};
	assert_int_equal(http_request("GET", url, headers, NULL, 0, &r), 0);
	prism_stop();
	unlink(path);
	assert_int_equal(r.status, 500);
	assert_non_null(strstr(r.body, "VIOLATIONS"));
	assert_non_null(strstr(r.body, "campo_que_nao_existe"));
	http_response_cleanup(&r);
	free(token);
}

/* The server as a gateway deployment runs it: x-api-key required, the webhook on. */
static int setup_gateway(void **state)
{
	(void)state;
	const char *env[] = {"GATEWAY_API_KEY=" API_KEY, "WEBHOOK_SECRET=" WEBHOOK, NULL};
	test_server_start(&srv, env);
	return 0;
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
	prism_stop();
	test_server_stop(&srv);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_postman__colecao_inteira_pelo_prism_sem_violacao,
	                                    setup_gateway, teardown),
	    cmocka_unit_test_setup_teardown(test_prism__resposta_fora_do_documento_falha, setup,
	                                    teardown),
	};
	http_global_init();
	return test_server_finish(cmocka_run_group_tests(tests, NULL, NULL));
}

/*
 * End-to-end tests of the real server's shutdown (SPEC §7): SIGTERM ends the process with status 0
 * within 15 seconds, an idle keep-alive connection does not hold it up, a request in flight when
 * the signal arrives still gets its answer, and readiness is never 200 once draining has begun.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <signal.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/support/api.h"
#include "tests/support/http_client.h"
#include "tests/support/server.h"

#define SENHA "senha-lifecycle-1"

static struct test_server srv;

static int teardown(void **state)
{
	(void)state;
	test_server_stop_all();
	return 0;
}

static void test_sigterm__ocioso__sai_com_0_em_15s(void **state)
{
	struct http_response r;
	(void)state;

	test_server_start(&srv, NULL);
	api_call(&srv, "GET", "/api/ping", NULL, NULL, NULL, &r);
	assert_status(&r, 200);
	http_response_cleanup(&r);
	long t0 = mono_ms();
	int st = test_server_stop_timeout(&srv, 15000);
	long ms = mono_ms() - t0;
	if (st != 0)
		fail_msg("SIGTERM: exit status %d after %ld ms (expected 0 within 15 s)", st, ms);
}

static void test_sigterm__conexao_keep_alive_ociosa_nao_segura(void **state)
{
	struct http_client c;
	struct http_response r;
	char url[128];
	(void)state;

	test_server_start(&srv, NULL);
	assert_int_equal(http_client_init(&c), 0);
	test_server_url(&srv, "/api/ping", url, sizeof url);
	assert_int_equal(http_client_send(&c, "GET", url, NULL, NULL, 0, NULL, &r), 0);
	assert_status(&r, 200);
	http_response_cleanup(&r);
	/* The connection stays open in c's cache while the server is told to stop. */
	long t0 = mono_ms();
	int st = test_server_stop_timeout(&srv, 15000);
	long ms = mono_ms() - t0;
	http_client_cleanup(&c);
	if (st != 0)
		fail_msg("SIGTERM with an idle keep-alive connection: exit status %d after %ld ms",
		         st, ms);
}

static void test_sigterm__requisicao_em_andamento_termina(void **state)
{
	char cpf[CPF_MAX], body[256], head[4096], url[128];
	struct http_response r;
	long status = 0;
	(void)state;

	test_server_start(&srv, NULL);
	char *admin = staff_token(&srv, "admin", SENHA, NULL, NULL);
	random_cpf(cpf, true);
	int blen = snprintf(body, sizeof body,
	                    "{\"nome\":\"Cliente em Andamento\",\"documento\":\"%s\"}", cpf);
	snprintf(head, sizeof head,
	         "POST /api/clientes HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
	         "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
	         "Content-Length: %d\r\nConnection: close\r\n\r\n",
	         srv.port, admin, blen);

	/* Headers and half the body now: the request is in flight. */
	int fd = tcp_connect(srv.port);
	assert_true(fd >= 0);
	assert_int_equal(tcp_send_all(fd, head, strlen(head)), 0);
	assert_int_equal(tcp_send_all(fd, body, (size_t)blen / 2), 0);
	sleep_ms_(300);

	assert_int_equal(kill(srv.pid, SIGTERM), 0);
	sleep_ms_(300);

	/* Draining: readiness is 503, or nobody accepts new connections any more. */
	test_server_url(&srv, "/health/ready", url, sizeof url);
	if (http_request("GET", url, NULL, NULL, 0, &r) == 0) {
		if (r.status != 503)
			fail_msg("/health/ready answered %ld while draining", r.status);
		http_response_cleanup(&r);
	} else {
		http_response_cleanup(&r);
	}
	assert_true(test_server_alive(&srv));

	/* The rest of the body: the in-flight request completes normally. */
	assert_int_equal(tcp_send_all(fd, body + blen / 2, (size_t)(blen - blen / 2)), 0);
	char *answer = tcp_read_response(fd, 10000, &status);
	close(fd);
	if (status != 201)
		fail_msg("the request in flight at SIGTERM got %ld instead of 201: %.300s", status,
		         answer ? answer : "(nothing)");
	free(answer);
	free(admin);

	long t0 = mono_ms();
	int st = test_server_wait_exit(&srv, 15000);
	if (st != 0)
		fail_msg("exit status %d after %ld ms (expected 0 within 15 s)", st,
		         mono_ms() - t0);
}

static void test_sigterm__prontidao_nunca_200_depois(void **state)
{
	struct http_response r;
	char url[128];
	(void)state;

	test_server_start(&srv, NULL);
	/* An idle, half-sent request keeps the server draining for a moment. */
	int fd = tcp_connect(srv.port);
	assert_true(fd >= 0);
	const char *part = "GET /api/ping HTTP/1.1\r\nHost: x\r\n";
	assert_int_equal(tcp_send_all(fd, part, strlen(part)), 0);
	sleep_ms_(100);
	assert_int_equal(kill(srv.pid, SIGTERM), 0);
	test_server_url(&srv, "/health/ready", url, sizeof url);
	long deadline = mono_ms() + 2000;
	sleep_ms_(100);
	while (mono_ms() < deadline && test_server_alive(&srv)) {
		if (http_request("GET", url, NULL, NULL, 0, &r) == 0 && r.status != 503)
			fail_msg("/health/ready answered %ld after SIGTERM", r.status);
		http_response_cleanup(&r);
		sleep_ms_(100);
	}
	close(fd);
	int st = test_server_wait_exit(&srv, 15000);
	assert_int_equal(st, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_sigterm__ocioso__sai_com_0_em_15s, teardown),
	    cmocka_unit_test_teardown(test_sigterm__conexao_keep_alive_ociosa_nao_segura, teardown),
	    cmocka_unit_test_teardown(test_sigterm__requisicao_em_andamento_termina, teardown),
	    cmocka_unit_test_teardown(test_sigterm__prontidao_nunca_200_depois, teardown),
	};
	return test_server_finish(cmocka_run_group_tests(tests, NULL, NULL));
}

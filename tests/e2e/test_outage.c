/*
 * End-to-end test of a database outage (SPEC §7): with PostgreSQL stopped the real server answers
 * 503 problems with Retry-After quickly, its circuit breaker opens (then 503 comes without even
 * trying to connect), readiness turns 503 while liveness stays 200, and once PostgreSQL is back
 * the same server process serves again without a restart and the breaker closes. The cluster is the
 * shared test cluster named by TEST_PGDIR and TEST_PGPORT; the teardown always starts it again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "tests/support/api.h"
#include "tests/support/http_client.h"
#include "tests/support/server.h"

#define SENHA "senha-outage-123"

static struct test_server srv;
static bool pg_down; /* we stopped the cluster and have not started it again */

static int pg_start(void)
{
	const char *argv[] = {"scripts/pg.sh", "start", getenv("TEST_PGDIR"), getenv("TEST_PGPORT"),
	                      NULL};
	int rc = run_command(argv);
	if (rc == 0)
		pg_down = false;
	return rc;
}

/*
 * Last resort when scripts/pg.sh cannot restart the cluster: as root pg.sh adds o+x to the data
 * directory itself, which PostgreSQL refuses (it wants 0700 or 0750), so the directory is put
 * back to 0700 and the cluster started with pg_ctl directly, with the options pg.sh uses.
 */
static const char restart_script[] =
    "bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1); chmod 0700 \"$1\"; "
    "opts=\"-p $2 -c listen_addresses=127.0.0.1 -c unix_socket_directories='$1' "
    "-c max_connections=200 -c fsync=off -c log_line_prefix='%m [%p] %a '\"; "
    "if [ \"$(id -u)\" -eq 0 ]; then runuser -u postgres -- \"$bin/pg_ctl\" -D \"$1\" -w "
    "-l \"$1/server.log\" -o \"$opts\" start; else \"$bin/pg_ctl\" -D \"$1\" -w "
    "-l \"$1/server.log\" -o \"$opts\" start; fi";

/*
 * Starts the cluster again whatever happened in the test, so that the test binaries after this
 * one still have their database (the test has failed already when this is needed).
 */
static int teardown(void **state)
{
	(void)state;
	if (pg_down && pg_start() != 0) {
		const char *argv[] = {
		    "sh", "-c", restart_script, "sh", getenv("TEST_PGDIR"), getenv("TEST_PGPORT"),
		    NULL};
		fprintf(stderr, "test_outage: scripts/pg.sh start failed; starting the cluster "
		                "directly\n");
		if (run_command(argv) == 0)
			pg_down = false;
		else
			fprintf(stderr, "test_outage: could not start PostgreSQL again in %s\n",
			        getenv("TEST_PGDIR"));
	}
	test_server_stop_all();
	return 0;
}

/* A request answering within 3 seconds with 503, a problem and Retry-After. */
static void assert_unavailable(const char *method, const char *path, const char *token,
                               const char *body)
{
	struct http_response r;
	long t0 = mono_ms();

	api_call(&srv, method, path, token, body, NULL, &r);
	long ms = mono_ms() - t0;
	if (r.status != 503)
		fail_msg("%s %s with the database down: expected 503, got %ld: %.300s", method,
		         path, r.status, r.body);
	assert_problem(&r, 503);
	const char *ra = http_response_header(&r, "Retry-After");
	if (!ra || strtol(ra, NULL, 10) < 1)
		fail_msg("%s %s: 503 without a Retry-After in seconds (%s)", method, path,
		         ra ? ra : "none");
	if (ms > 3000)
		fail_msg("%s %s took %ld ms to answer 503 (at most 3000)", method, path, ms);
	assert_null(strcasestr(r.body, "postgres"));
	assert_null(strcasestr(r.body, "connection"));
	assert_null(strcasestr(r.body, "SQL"));
	http_response_cleanup(&r);
}

static void test_banco_cai_e_volta__503_depois_200_sem_reiniciar(void **state)
{
	char cpf[CPF_MAX], email[EMAIL_MAX];
	struct http_response r;
	(void)state;

	test_require_env("TEST_PGDIR");
	test_require_env("TEST_PGPORT");
	const char *const env[] = {"HTTP_THREADS=4", NULL};
	test_server_start(&srv, env);
	char *admin = staff_token(&srv, "admin", SENHA, email, NULL);

	/* Touch every worker's connection while the database is up. */
	for (int i = 0; i < 8; i++) {
		api_call(&srv, "GET", "/api/clientes", admin, NULL, NULL, &r);
		assert_status(&r, 200);
		http_response_cleanup(&r);
	}

	const char *stop[] = {"scripts/pg.sh", "stop", getenv("TEST_PGDIR"), NULL};
	pg_down = true;
	assert_int_equal(run_command(stop), 0);

	for (int i = 0; i < 8; i++)
		assert_unavailable("GET", "/api/clientes", admin, NULL);
	random_cpf(cpf, false);
	char body[256];
	snprintf(body, sizeof body, "{\"nome\":\"Durante a Queda\",\"documento\":\"%s\"}", cpf);
	assert_unavailable("POST", "/api/clientes", admin, body);
	snprintf(body, sizeof body, "{\"email\":\"%s\",\"senha\":\"%s\"}", email, SENHA);
	assert_unavailable("POST", "/api/auth/login", NULL, body);

	/* Failed connection attempts opened the circuit breaker: 503 at once, no attempt made. */
	assert_true(metric_value(&srv, "db_circuit_breaker_openings_total") >= 1);
	assert_true(metric_value(&srv, "db_circuit_breaker_state") >= 1); /* open or probing */
	double failed = metric_value(&srv, "db_connect_failures_total");
	long fast = mono_ms();
	assert_unavailable("GET", "/api/clientes", admin, NULL);
	assert_true(mono_ms() - fast < 500);
	assert_true(metric_value(&srv, "http_requests_shed_total{reason=\"database_down\"}") >= 1 ||
	            metric_value(&srv, "db_connect_failures_total") > failed);

	long t0 = mono_ms();
	api_call(&srv, "GET", "/health/ready", NULL, NULL, NULL, &r);
	assert_problem(&r, 503);
	if (mono_ms() - t0 > 3000)
		fail_msg("/health/ready took %ld ms with the database down", mono_ms() - t0);
	http_response_cleanup(&r);
	api_call(&srv, "GET", "/health/live", NULL, NULL, NULL, &r);
	assert_status(&r, 200);
	http_response_cleanup(&r);
	api_call(&srv, "GET", "/api/ping", NULL, NULL, NULL, &r);
	assert_status(&r, 200);
	http_response_cleanup(&r);
	assert_true(test_server_alive(&srv));

	assert_int_equal(pg_start(), 0);

	/* Within a few seconds the same process serves again. */
	long deadline = mono_ms() + 10000, last = 0;
	for (;;) {
		api_call(&srv, "GET", "/api/clientes", admin, NULL, NULL, &r);
		last = r.status;
		http_response_cleanup(&r);
		if (last == 200 || mono_ms() > deadline)
			break;
		sleep_ms_(200);
	}
	if (last != 200)
		fail_msg("10 s after PostgreSQL came back GET /api/clientes still answers %ld",
		         last);
	/* Every worker, reads and writes alike. */
	for (int i = 0; i < 8; i++) {
		api_call(&srv, "GET", "/api/clientes", admin, NULL, NULL, &r);
		assert_status(&r, 200);
		http_response_cleanup(&r);
	}
	random_cpf(cpf, true);
	snprintf(body, sizeof body, "{\"nome\":\"Depois da Queda\",\"documento\":\"%s\"}", cpf);
	api_call(&srv, "POST", "/api/clientes", admin, body, NULL, &r);
	assert_status(&r, 201);
	http_response_cleanup(&r);
	/*
	 * Readiness is the health monitor's last probe (every 250 ms), not the requests above: it
	 * may still hold the failure it saw just before traffic closed the breaker. It must turn
	 * within a few probes.
	 */
	deadline = mono_ms() + 3000;
	for (;;) {
		api_call(&srv, "GET", "/health/ready", NULL, NULL, NULL, &r);
		if (r.status == 200 || mono_ms() > deadline)
			break;
		http_response_cleanup(&r);
		sleep_ms_(100);
	}
	assert_status(&r, 200);
	http_response_cleanup(&r);
	assert_int_equal(metric_value(&srv, "db_circuit_breaker_state"), 0); /* closed again */
	free(admin);
	assert_int_equal(test_server_stop(&srv), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_banco_cai_e_volta__503_depois_200_sem_reiniciar,
	                              teardown),
	};
	return test_server_finish(cmocka_run_group_tests(tests, NULL, NULL));
}

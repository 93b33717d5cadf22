/*
 * End-to-end test of the read replica (DATABASE_READ_URL): a real streaming replica of the shared
 * test cluster (scripts/pg.sh replica: pg_basebackup -R, hot standby) and the real server with
 * queries sent there. With the replica's replay paused, a customer just created is not found by a
 * GET (the query went to the replica) while commands still work (they go to the primary); once the
 * replica is further behind than DATABASE_READ_MAX_LAG_MS, queries go to the primary, and so
 * they do when the primary stops sending WAL (the lag is measured against the primary); with the
 * replica stopped every query is still answered, and when it is back queries return to it; with
 * the replica's backends frozen a query is answered by the primary within its deadline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/types.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "tests/support/api.h"
#include "tests/support/http_client.h"
#include "tests/support/pg_test.h"
#include "tests/support/server.h"

#define SENHA "senha-replica-123"

static struct test_server srv;
static char replica_dir[512];
static char replica_port[16];
static char replica_url[256];
static char read_url_env[300];

/* The first line that command prints, into out; 0 when it ran and succeeded. */
static int first_line_of(const char *command, char *out, size_t n)
{
	FILE *f = popen(command, "r");
	if (!f)
		return -1;
	if (!fgets(out, (int)n, f))
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	return pclose(f) == 0 && out[0] ? 0 : -1;
}

static int replica_start(void)
{
	char command[1024];
	snprintf(command, sizeof command, "scripts/pg.sh replica '%s' '%s' '%s'",
	         getenv("TEST_PGPORT"), replica_dir, replica_port);
	return first_line_of(command, replica_url, sizeof replica_url);
}

static void replica_stop(void)
{
	const char *argv[] = {"scripts/pg.sh", "stop", replica_dir, NULL};
	assert_int_equal(run_command(argv), 0);
}

/* A replica of the shared cluster, made once for the whole file (it takes about a second). */
static int group_setup(void **state)
{
	(void)state;
	const char *pgdir = getenv("TEST_PGDIR");
	if (!pgdir || !getenv("TEST_PGPORT")) {
		fprintf(stderr, "test_replica: TEST_PGDIR and TEST_PGPORT must be set\n");
		return -1;
	}
	snprintf(replica_dir, sizeof replica_dir, "%s.replica", pgdir);
	for (int tries = 0; tries < 3; tries++) /* a port can be taken between check and bind */
		if (first_line_of("scripts/pg.sh free-port", replica_port, sizeof replica_port) ==
		        0 &&
		    replica_start() == 0) {
			snprintf(read_url_env, sizeof read_url_env, "DATABASE_READ_URL=%s",
			         replica_url);
			return 0;
		}
	fprintf(stderr, "test_replica: the replica did not start\n");
	return -1;
}

static int group_teardown(void **state)
{
	(void)state;
	const char *stop[] = {"scripts/pg.sh", "stop", replica_dir, NULL};
	const char *rm[] = {"rm", "-rf", replica_dir, NULL};
	char log[600];
	snprintf(log, sizeof log, "%s.basebackup.log", replica_dir);
	const char *rm_log[] = {"rm", "-f", log, NULL};
	run_command(stop);
	run_command(rm);
	run_command(rm_log);
	return 0;
}

/* Runs sql on the replica; false (with the reason on stderr) when it could not. */
static bool try_on_replica(const char *sql)
{
	PGconn *c = PQconnectdb(replica_url);
	PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
	bool ok =
	    r && (PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK);
	if (!ok)
		fprintf(stderr, "%s on the replica: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	return ok;
}

/* Processes a test stopped with SIGSTOP, to let go again whatever happens. */
static pid_t stopped[64];
static size_t n_stopped;

/* SIGSTOPs the processes whose pids sql lists, on the cluster at url; how many. */
static size_t stop_pids(const char *url, const char *sql)
{
	PGconn *c = PQconnectdb(url);
	PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
	size_t n = 0;

	for (int i = 0; r && PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++) {
		pid_t pid = (pid_t)atol(PQgetvalue(r, i, 0));
		if (n_stopped < sizeof stopped / sizeof stopped[0] && pid > 0 &&
		    kill(pid, SIGSTOP) == 0) {
			stopped[n_stopped++] = pid;
			n++;
		}
	}
	PQclear(r);
	PQfinish(c);
	return n;
}

static void continue_stopped(void)
{
	for (size_t i = 0; i < n_stopped; i++)
		kill(stopped[i], SIGCONT);
	n_stopped = 0;
}

/* Whatever a failed test left, the next one finds the replica replaying. */
static int teardown(void **state)
{
	(void)state;
	continue_stopped();
	test_server_stop_all();
	if (!try_on_replica("SELECT 1"))
		(void)replica_start();
	(void)try_on_replica("SELECT pg_wal_replay_resume()");
	return 0;
}

/* Runs sql on the replica (as the cluster's superuser), asserting it succeeds. */
static void on_replica(const char *sql)
{
	assert_true(try_on_replica(sql));
}

/* Waits up to timeout_ms for the metric sample to equal value. */
static void wait_metric(const char *sample, double value, long timeout_ms)
{
	long t0 = mono_ms();
	double v;
	while ((v = metric_value(&srv, sample)) != value) {
		if (mono_ms() - t0 > timeout_ms)
			fail_msg("%s is %g after %ld ms, expected %g", sample, v, timeout_ms,
			         value);
		sleep_ms_(50);
	}
}

static void start_server_with(const char *max_lag_ms, const char *extra)
{
	char lag_env[64];
	snprintf(lag_env, sizeof lag_env, "DATABASE_READ_MAX_LAG_MS=%s", max_lag_ms);
	const char *const env[] = {read_url_env, lag_env, extra, NULL};
	test_server_start(&srv, env);
	wait_metric("db_replica_usable", 1, 5000);
}

static void start_server(const char *max_lag_ms)
{
	start_server_with(max_lag_ms, NULL);
}

static void test_replica_pausada__consulta_na_replica_e_comando_no_primario(void **state)
{
	char id[UUID_MAX];
	struct http_response r;
	(void)state;

	start_server("60000");
	char *token = staff_token(&srv, "admin", SENHA, NULL, NULL);
	double reads = metric_value(&srv, "db_replica_reads_total");

	on_replica("SELECT pg_wal_replay_pause()");
	api_create_cliente(&srv, token, "Cliente da Réplica", id, NULL);
	/* The replica has not replayed the INSERT: the query ran there. */
	assert_int_equal(api_get_status(&srv, pathf("/api/clientes/%s", id), token), 404);
	assert_true(metric_value(&srv, "db_replica_reads_total") > reads);
	/* A command reads and writes on the primary, where the customer is. */
	api_call(&srv, "PATCH", pathf("/api/clientes/%s", id), token,
	         "{\"telefone\":\"11987654321\"}", NULL, &r);
	assert_status(&r, 200);
	assert_string_equal(json_str(data_object(&r), "telefone"), "11987654321");
	http_response_cleanup(&r);

	/* Replayed in order: first the INSERT shows, then the UPDATE. */
	on_replica("SELECT pg_wal_replay_resume()");
	long t0 = mono_ms();
	for (bool seen = false; !seen; sleep_ms_(50)) {
		api_call(&srv, "GET", pathf("/api/clientes/%s", id), token, NULL, NULL, &r);
		const json_t *data = r.status == 200 ? json_object_get(r.json, "data") : NULL;
		const json_t *tel = data ? json_object_get(data, "telefone") : NULL;
		seen = json_is_string(tel) && strcmp(json_string_value(tel), "11987654321") == 0;
		http_response_cleanup(&r);
		if (!seen && mono_ms() - t0 > 5000)
			fail_msg("the replica did not show the change within 5 s of resuming");
	}
	free(token);
}

static void test_replica_atrasada_alem_do_limite__consultas_no_primario(void **state)
{
	char id[UUID_MAX];
	(void)state;

	start_server("1000");
	char *token = staff_token(&srv, "admin", SENHA, NULL, NULL);

	on_replica("SELECT pg_wal_replay_pause()");
	api_create_cliente(&srv, token, "Cliente da Réplica", id, NULL);
	/* Lag counts from the newest transaction replayed: past 1 s within 1 s + a probe. */
	wait_metric("db_replica_usable", 0, 5000);
	assert_true(metric_value(&srv, "db_replica_lag_seconds") >= 1.0);
	double reads = metric_value(&srv, "db_replica_reads_total");
	assert_int_equal(api_get_status(&srv, pathf("/api/clientes/%s", id), token), 200);
	assert_true(metric_value(&srv, "db_replica_reads_total") == reads);

	on_replica("SELECT pg_wal_replay_resume()");
	wait_metric("db_replica_usable", 1, 5000);
	assert_int_equal(api_get_status(&srv, pathf("/api/clientes/%s", id), token), 200);
	assert_true(metric_value(&srv, "db_replica_reads_total") > reads);
	free(token);
}

static void test_replica_parada__consultas_respondidas_e_voltam_a_ela(void **state)
{
	char id[UUID_MAX];
	(void)state;

	start_server("60000");
	char *token = staff_token(&srv, "admin", SENHA, NULL, NULL);
	api_create_cliente(&srv, token, "Cliente da Réplica", id, NULL);
	/* Every worker's replica connection is open and used. */
	for (int i = 0; i < 40; i++)
		api_get_status(&srv, "/api/clientes?por_pagina=1", token);

	replica_stop();
	/* At once and later: whether a query still tried the replica or not, it is answered. */
	for (int i = 0; i < 20; i++) {
		long status = api_get_status(&srv, pathf("/api/clientes/%s", id), token);
		if (status != 200)
			fail_msg("GET %d after the replica stopped: %ld", i, status);
		sleep_ms_(50);
	}
	wait_metric("db_replica_usable", 0, 3000);
	assert_true(metric_value(&srv, "db_replica_lag_seconds") == -1);
	assert_int_equal(api_get_status(&srv, pathf("/api/clientes/%s", id), token), 200);

	assert_int_equal(replica_start(), 0);
	/* The replica's breaker waits up to 5 s between attempts. */
	wait_metric("db_replica_usable", 1, 15000);
	double reads = metric_value(&srv, "db_replica_reads_total");
	assert_int_equal(api_get_status(&srv, pathf("/api/clientes/%s", id), token), 200);
	assert_true(metric_value(&srv, "db_replica_reads_total") > reads);
	free(token);
}

static void test_fluxo_parado__o_atraso_cresce_e_consultas_vao_ao_primario(void **state)
{
	char id[UUID_MAX];
	(void)state;

	start_server("1000");
	char *token = staff_token(&srv, "admin", SENHA, NULL, NULL);
	/*
	 * The primary stops sending WAL (its walsender frozen, as a link that hangs): the replica
	 * still believes it has replayed all it received. The lag is measured against the primary,
	 * so it grows past the limit and queries leave the replica.
	 */
	assert_true(stop_pids(pg_test_base_url(), "SELECT pid FROM pg_stat_replication") > 0);
	api_create_cliente(&srv, token, "Cliente da Réplica", id, NULL);
	wait_metric("db_replica_usable", 0, 5000);
	assert_true(metric_value(&srv, "db_replica_lag_seconds") >= 1.0);
	assert_int_equal(api_get_status(&srv, pathf("/api/clientes/%s", id), token), 200);

	continue_stopped();
	wait_metric("db_replica_usable", 1, 15000);
	assert_int_equal(api_get_status(&srv, pathf("/api/clientes/%s", id), token), 200);
	free(token);
}

static void test_replica_travada__o_primario_responde_dentro_do_prazo(void **state)
{
	char id[UUID_MAX];
	(void)state;

	start_server_with("60000", "REQUEST_TIMEOUT_MS=2000");
	char *token = staff_token(&srv, "admin", SENHA, NULL, NULL);
	api_create_cliente(&srv, token, "Cliente da Réplica", id, NULL);
	for (int i = 0; i < 40; i++) /* the workers' replica connections are open */
		api_get_status(&srv, "/api/clientes?por_pagina=1", token);
	/* Their backends stop answering (the monitor's does not: the replica stays in use). */
	assert_true(stop_pids(replica_url, "SELECT pid FROM pg_stat_activity WHERE "
	                                   "application_name LIKE 'oficina%' AND "
	                                   "application_name <> 'oficina-replica-health'") > 0);
	double fallbacks = metric_value(&srv, "db_replica_fallbacks_total");
	for (int i = 0; i < 8 && metric_value(&srv, "db_replica_fallbacks_total") == fallbacks;
	     i++) {
		long t0 = mono_ms();
		long status = api_get_status(&srv, pathf("/api/clientes/%s", id), token);
		long took = mono_ms() - t0;
		/* The replica gets half of the 2 s, the primary answers in the rest. */
		if (status != 200 || took > 2500)
			fail_msg("GET %d with the replica frozen: %ld after %ld ms", i, status,
			         took);
	}
	assert_true(metric_value(&srv, "db_replica_fallbacks_total") > fallbacks);
	continue_stopped();
	free(token);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(
	        test_replica_pausada__consulta_na_replica_e_comando_no_primario, teardown),
	    cmocka_unit_test_teardown(test_replica_atrasada_alem_do_limite__consultas_no_primario,
	                              teardown),
	    cmocka_unit_test_teardown(test_replica_parada__consultas_respondidas_e_voltam_a_ela,
	                              teardown),
	    cmocka_unit_test_teardown(
	        test_fluxo_parado__o_atraso_cresce_e_consultas_vao_ao_primario, teardown),
	    cmocka_unit_test_teardown(test_replica_travada__o_primario_responde_dentro_do_prazo,
	                              teardown),
	};
	int failures = cmocka_run_group_tests(tests, group_setup, group_teardown);
	return test_server_finish(failures);
}

/*
 * End-to-end tests of request execution (issue 6), on the real server and PostgreSQL: a row lock
 * held by another session while ping, liveness and unrelated reads keep answering; the queue
 * full or waited on too long → 503 + Retry-After at once; a statement held past
 * REQUEST_TIMEOUT_MS → 503 timeout problem and nothing of it in the database; a frozen backend
 * (SIGSTOP) answered within the deadline; a deadlock retried by the server; a login flood that
 * does not slow ping; the correlation id in pg_stat_activity during a lock wait and on
 * PostgreSQL's error line; refused bodies never buffered and the cap on buffered bodies; slow
 * clients closed by the read deadline; the per-address connection limit.
 *
 * Each test starts its own server with the settings it needs. Bounds are generous (seconds): the
 * tight figures belong to make bench.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "tests/support/api.h"
#include "tests/support/http_client.h"
#include "tests/support/pg_test.h"
#include "tests/support/server.h"

#define SENHA "senha-execucao-123"

static struct test_server srv;
static char *admin;
static pid_t frozen; /* a backend this file stopped with SIGSTOP, until it is continued */

/* ---- helpers ---- */

static void start(const char *const env[])
{
	test_server_start(&srv, env);
	admin = staff_token(&srv, "admin", SENHA, NULL, NULL);
}

static int teardown(void **state)
{
	(void)state;
	/* A failed test must not leave a backend stopped: the cluster could not shut down. */
	if (frozen)
		kill(frozen, SIGCONT);
	frozen = 0;
	test_server_stop_all();
	free(admin);
	admin = NULL;
	return 0;
}

static void nova_peca(const char *nome, int estoque, char uuid[UUID_MAX])
{
	json_t *b = json_pack("{s:s, s:s, s:s, s:i}", "nome", nome, "tipo", "PECA", "valor",
	                      "10.00", "quantidade_estoque", estoque);
	api_post_ok(&srv, "/api/pecas", admin, b, 201, uuid);
	json_decref(b);
}

static PGresult *sql(PGconn *c, const char *q, int n, const char *const *p)
{
	PGresult *r = PQexecParams(c, q, n, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", q, PQerrorMessage(c));
	return r;
}

/* Locks one row of table in a transaction of a connection of the test's own. */
static PGconn *lock_row(const char *table, const char *uuid)
{
	char q[128];
	const char *p[] = {uuid};
	PGconn *c = pg_test_connect(NULL);

	PQclear(sql(c, "BEGIN", 0, NULL));
	snprintf(q, sizeof q, "SELECT 1 FROM %s WHERE uuid = $1 FOR UPDATE", table);
	PQclear(sql(c, q, 1, p));
	return c;
}

static void unlock(PGconn *c)
{
	PQclear(sql(c, "ROLLBACK", 0, NULL));
	PQfinish(c);
}

static long count_sql(PGconn *c, const char *q)
{
	PGresult *r = sql(c, q, 0, NULL);
	long n = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return n;
}

/* Waits (up to 10 s) until at least n of the server's backends wait on a lock. */
static void wait_lock_waiters(long n)
{
	PGconn *c = pg_test_connect(NULL);
	long seen = 0;
	for (int i = 0; i < 1000 && seen < n; i++) {
		seen = count_sql(c, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = "
		                    "'Lock' AND application_name LIKE 'oficina:%'");
		if (seen < n)
			sleep_ms_(10);
	}
	PQfinish(c);
	if (seen < n)
		fail_msg("expected %ld requests waiting on a lock, saw %ld", n, seen);
}

/* One HTTP request on its own thread. */
struct async_call {
	pthread_t thread;
	char url[256];
	char headers[4][1100];
	const char *method;
	char body[512];
	long status;
	char answer[4096];
	long ms;
};

static void *async_main(void *arg)
{
	struct async_call *a = arg;
	const char *h[5] = {NULL};
	struct http_response r;
	long t0 = mono_ms();

	for (int i = 0, k = 0; i < 4; i++)
		if (a->headers[i][0])
			h[k++] = a->headers[i];
	http_request(a->method, a->url, h, a->body[0] ? a->body : NULL, strlen(a->body), &r);
	a->ms = mono_ms() - t0;
	a->status = r.status;
	snprintf(a->answer, sizeof a->answer, "%s", r.body ? r.body : r.error);
	http_response_cleanup(&r);
	return NULL;
}

/* Starts method path (body: JSON or NULL) as admin, with an optional X-Correlation-Id. */
static void async_start(struct async_call *a, const char *method, const char *path,
                        const char *body, const char *cid)
{
	memset(a, 0, sizeof *a);
	a->method = method;
	test_server_url(&srv, path, a->url, sizeof a->url);
	snprintf(a->headers[0], sizeof a->headers[0], "Authorization: Bearer %s", admin);
	if (body) {
		snprintf(a->headers[1], sizeof a->headers[1], "Content-Type: application/json");
		snprintf(a->body, sizeof a->body, "%s", body);
	}
	if (cid)
		snprintf(a->headers[2], sizeof a->headers[2], "X-Correlation-Id: %s", cid);
	assert_int_equal(pthread_create(&a->thread, NULL, async_main, a), 0);
}

static void async_join(struct async_call *a)
{
	pthread_join(a->thread, NULL);
}

/* GET path (token may be NULL), asserting the status and that it took less than max_ms. */
static long timed_get(const char *path, const char *token, long status, long max_ms)
{
	struct http_response r;
	long t0 = mono_ms();
	api_call(&srv, "GET", path, token, NULL, NULL, &r);
	long ms = mono_ms() - t0;
	assert_status(&r, status);
	http_response_cleanup(&r);
	if (ms > max_ms)
		fail_msg("GET %s took %ld ms (at most %ld while the lock is held)", path, ms,
		         max_ms);
	return ms;
}

static void assert_shed(const struct http_response *r, const char *detail_part)
{
	json_t *p = assert_problem(r, 503);
	const char *ra = http_response_header(r, "Retry-After");
	if (!ra || strtol(ra, NULL, 10) < 1)
		fail_msg("503 without Retry-After: %s", r->body);
	if (!strstr(json_str(p, "detail"), detail_part))
		fail_msg("503 detail without \"%s\": %s", detail_part, json_str(p, "detail"));
}

/* ---- a slow wait stalls only itself ---- */

static void test_lock__ping_live_e_leituras_seguem_respondendo(void **state)
{
	static const char *const env[] = {"DB_POOL_SIZE=4", NULL};
	struct async_call mov[3];
	char peca[UUID_MAX], cli[UUID_MAX];
	(void)state;

	start(env);
	nova_peca("Pastilha travada", 100, peca);
	api_create_cliente(&srv, admin, "Cliente da Execução", cli, NULL);
	PGconn *lock = lock_row("pecas", peca);
	for (int i = 0; i < 3; i++)
		async_start(&mov[i], "POST", pathf("/api/pecas/%s/movimentos", peca),
		            "{\"quantidade\":-1,\"motivo\":\"travada\"}", NULL);
	wait_lock_waiters(3); /* three of the four workers are stuck */

	for (int i = 0; i < 20; i++) {
		timed_get("/api/ping", NULL, 200, 1000);
		timed_get("/health/live", NULL, 200, 1000);
		timed_get(pathf("/api/clientes/%s", cli), admin, 200, 1000);
	}
	timed_get("/health/ready", NULL, 200, 1000);
	timed_get("/metrics", NULL, 200, 1000);
	assert_int_equal(metric_value(&srv, "http_workers_busy{pool=\"handlers\"}"), 3);

	unlock(lock);
	for (int i = 0; i < 3; i++) {
		async_join(&mov[i]);
		if (mov[i].status != 201)
			fail_msg("movement %d: %ld %s", i, mov[i].status, mov[i].answer);
	}
}

/* ---- load shedding ---- */

/*
 * Starts a server with env (one handler worker) and keeps that worker busy: a stock movement
 * waits on the part's row, locked by the returned connection. cli gets a customer to read.
 */
static PGconn *stuck_worker(const char *const env[], struct async_call *mov, char cli[UUID_MAX])
{
	char peca[UUID_MAX];

	start(env);
	nova_peca("Peça presa", 10, peca);
	api_create_cliente(&srv, admin, "Cliente da Execução", cli, NULL);
	PGconn *lock = lock_row("pecas", peca);
	async_start(mov, "POST", pathf("/api/pecas/%s/movimentos", peca),
	            "{\"quantidade\":1,\"motivo\":\"presa\"}", NULL);
	wait_lock_waiters(1); /* the only worker is stuck */
	return lock;
}

static void test_fila_cheia__503_com_retry_after_na_hora(void **state)
{
	static const char *const env[] = {"DB_POOL_SIZE=1", "MAX_QUEUED_REQUESTS=1",
	                                  "QUEUE_TIMEOUT_MS=20000", NULL};
	struct async_call mov, fila;
	struct http_response r;
	char cli[UUID_MAX];
	(void)state;

	PGconn *lock = stuck_worker(env, &mov, cli);
	async_start(&fila, "GET", pathf("/api/clientes/%s", cli), NULL, NULL);
	for (int i = 0; i < 500 && metric_value(&srv, "http_queue_depth{pool=\"handlers\"}") < 1;
	     i++)
		sleep_ms_(10);
	assert_int_equal(metric_value(&srv, "http_queue_depth{pool=\"handlers\"}"), 1);

	long t0 = mono_ms();
	api_call(&srv, "GET", pathf("/api/clientes/%s", cli), admin, NULL, NULL, &r);
	long ms = mono_ms() - t0;
	assert_shed(&r, "sobrecarregado");
	http_response_cleanup(&r);
	if (ms > 1000)
		fail_msg("a full queue answered after %ld ms (at once expected)", ms);
	assert_true(metric_value(&srv, "http_requests_shed_total{reason=\"queue_full\"}") >= 1);

	unlock(lock);
	async_join(&mov);
	async_join(&fila);
	assert_int_equal(mov.status, 201);
	assert_int_equal(fila.status, 200); /* the queued one was served once the worker was free */
}

static void test_fila__espera_alem_do_queue_timeout__503(void **state)
{
	static const char *const env[] = {"DB_POOL_SIZE=1", "QUEUE_TIMEOUT_MS=500", NULL};
	struct async_call mov;
	struct http_response r;
	char cli[UUID_MAX];
	(void)state;

	PGconn *lock = stuck_worker(env, &mov, cli);
	long t0 = mono_ms();
	api_call(&srv, "GET", pathf("/api/clientes/%s", cli), admin, NULL, NULL, &r);
	long ms = mono_ms() - t0;
	assert_shed(&r, "worker");
	http_response_cleanup(&r);
	if (ms < 400 || ms > 3000)
		fail_msg("the queued request was answered after %ld ms (QUEUE_TIMEOUT_MS=500)", ms);
	assert_true(metric_value(&srv, "http_requests_shed_total{reason=\"queue_timeout\"}") >= 1);

	unlock(lock);
	async_join(&mov);
	assert_int_equal(mov.status, 201);
}

/* ---- deadlines ---- */

static void test_prazo__statement_preso_alem_do_request_timeout__503_e_nada_gravado(void **state)
{
	static const char *const env[] = {"REQUEST_TIMEOUT_MS=1500", NULL};
	struct http_response r;
	char peca[UUID_MAX];
	(void)state;

	start(env);
	nova_peca("Amortecedor com prazo", 40, peca);
	PGconn *lock = lock_row("pecas", peca);
	long t0 = mono_ms();
	api_call(&srv, "POST", pathf("/api/pecas/%s/movimentos", peca), admin,
	         "{\"quantidade\":-7,\"motivo\":\"nunca gravado\"}", NULL, &r);
	long ms = mono_ms() - t0;
	json_t *p = assert_problem(&r, 503);
	if (!strstr(json_str(p, "detail"), "tempo limite"))
		fail_msg("the timeout problem does not say so: %s", r.body);
	assert_non_null(http_response_header(&r, "Retry-After"));
	http_response_cleanup(&r);
	if (ms < 1300 || ms > 4000)
		fail_msg("answered after %ld ms (REQUEST_TIMEOUT_MS=1500)", ms);
	unlock(lock);

	/* The change it was making is not in the database. */
	api_call(&srv, "GET", pathf("/api/pecas/%s", peca), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_int_equal(json_integer_value(json_object_get(data_object(&r), "quantidade_estoque")),
	                 40);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/pecas/%s/movimentos", peca), admin, NULL, NULL, &r);
	assert_list(&r, 1, 20, 1); /* the initial stock only */
	assert_null(strstr(r.body, "nunca gravado"));
	http_response_cleanup(&r);
	assert_true(metric_value(&srv, "http_request_deadline_expired_total") >= 1);
	assert_true(metric_value(&srv, "db_statement_timeouts_total") >= 1);
}

static void test_prazo__backend_congelado__respondido_no_prazo(void **state)
{
	static const char *const env[] = {"DB_POOL_SIZE=1", "REQUEST_TIMEOUT_MS=1500", NULL};
	struct http_response r;
	char cli[UUID_MAX], url[256], auth[1100];
	(void)state;

	/* The backends already there belong to others (earlier servers, the test's own). */
	PGconn *c = pg_test_connect(NULL);
	PQclear(sql(c, "CREATE TEMP TABLE antes AS SELECT pid FROM pg_stat_activity", 0, NULL));
	start(env);
	api_create_cliente(&srv, admin, "Cliente da Execução", cli, NULL);
	timed_get(pathf("/api/clientes/%s", cli), admin, 200, 5000);
	/* The only handler worker's backend: new, and its last statement read a customer. */
	PGresult *res = sql(c,
	                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
	                    "AND application_name = 'oficina' AND query LIKE '%FROM clientes%' "
	                    "AND pid NOT IN (SELECT pid FROM antes)",
	                    0, NULL);
	assert_int_equal(PQntuples(res), 1);
	pid_t backend = (pid_t)strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	PQfinish(c);

	test_server_url(&srv, pathf("/api/clientes/%s", cli), url, sizeof url);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", admin);
	const char *h[] = {auth, NULL};
	assert_int_equal(kill(backend, SIGSTOP), 0);
	frozen = backend;
	long t0 = mono_ms();
	http_request("GET", url, h, NULL, 0, &r);
	long ms = mono_ms() - t0;
	kill(backend, SIGCONT);
	frozen = 0;
	json_t *p = assert_problem(&r, 503);
	if (!strstr(json_str(p, "detail"), "tempo limite"))
		fail_msg("a frozen backend is a timeout: %s", r.body);
	http_response_cleanup(&r);
	if (ms > 1500 + 1000)
		fail_msg("a frozen backend held the request %ld ms (REQUEST_TIMEOUT_MS=1500 + 1 s)",
		         ms);
	/* The dropped connection is replaced: the next request is served. */
	timed_get(pathf("/api/clientes/%s", cli), admin, 200, 5000);
}

/* ---- transient failures ---- */

static void test_retry__deadlock_na_aprovacao__refeito_e_aprovado(void **state)
{
	char cli[UUID_MAX], vei[UUID_MAX], a[UUID_MAX], b[UUID_MAX], os[UUID_MAX], placa[PLACA_MAX];
	struct async_call aprova;
	(void)state;

	start(NULL);
	api_create_cliente(&srv, admin, "Cliente da Execução", cli, NULL);
	random_placa(placa, true);
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:i}", "cliente_uuid", cli, "placa", placa,
	                      "marca", "Fiat", "modelo", "Argo", "ano", 2021);
	api_post_ok(&srv, "/api/veiculos", admin, j, 201, vei);
	json_decref(j);
	nova_peca("Vela A", 5, a);
	nova_peca("Vela B", 5, b);
	const char *primeira = strcmp(a, b) < 0 ? a : b, *segunda = primeira == a ? b : a;
	j = json_pack("{s:s, s:s, s:[{s:s, s:i}, {s:s, s:i}]}", "cliente_uuid", cli, "veiculo_uuid",
	              vei, "pecas", "peca_uuid", a, "quantidade", 1, "peca_uuid", b, "quantidade",
	              1);
	api_post_ok(&srv, "/api/ordens", admin, j, 201, os);
	json_decref(j);
	api_post_ok(&srv, pathf("/api/ordens/%s/diagnostico", os), admin, NULL, 200, NULL);
	api_post_ok(&srv, pathf("/api/ordens/%s/orcamento", os), admin, NULL, 200, NULL);
	double before = metric_value(&srv, "http_request_retries_total");

	/*
	 * Approval takes its parts in uuid order. This session holds the second part; the approval
	 * takes the first and waits for the second; then this session asks for the first: a
	 * deadlock, which PostgreSQL breaks by failing the approval's backend (its deadlock_timeout
	 * is the default 1 s, this session's is longer). The server runs the approval again.
	 */
	PGconn *c = pg_test_connect(NULL);
	const char *p1[] = {primeira}, *p2[] = {segunda};
	PQclear(sql(c, "SET deadlock_timeout = '20s'", 0, NULL));
	PQclear(sql(c, "BEGIN", 0, NULL));
	PQclear(sql(c, "SELECT 1 FROM pecas WHERE uuid = $1 FOR UPDATE", 1, p2));
	async_start(&aprova, "POST", pathf("/api/ordens/%s/aprovacao", os), NULL, NULL);
	wait_lock_waiters(1);
	PQclear(sql(c, "SELECT 1 FROM pecas WHERE uuid = $1 FOR UPDATE", 1, p1)); /* the cycle */
	sleep_ms_(200);
	PQclear(sql(c, "ROLLBACK", 0, NULL));
	PQfinish(c);

	async_join(&aprova);
	if (aprova.status != 200)
		fail_msg("the approval was not retried: %ld %s", aprova.status, aprova.answer);
	assert_non_null(strstr(aprova.answer, "EM_EXECUCAO"));
	assert_true(metric_value(&srv, "http_request_retries_total") >= before + 1);
	assert_true(metric_value(&srv, "db_transient_failures_total") >= 1);
}

/* ---- password hashing ---- */

struct login_flood {
	pthread_t thread;
	char url[256];
	long statuses[3];
};

static void *login_main(void *arg)
{
	struct login_flood *f = arg;
	const char *h[] = {"Content-Type: application/json", NULL};
	static const char body[] = "{\"email\":\"ninguem@example.com\",\"senha\":\"errada-123\"}";

	for (int i = 0; i < 3; i++) {
		struct http_response r;
		http_request("POST", f->url, h, body, strlen(body), &r);
		f->statuses[i] = r.status;
		http_response_cleanup(&r);
	}
	return NULL;
}

static void test_login_flood__ping_segue_rapido(void **state)
{
	static const char *const env[] = {"PASSWORD_HASH_CONCURRENCY=2", NULL};
	struct login_flood f[20];
	long worst = 0;
	(void)state;

	start(env);
	for (int i = 0; i < 20; i++) {
		test_server_url(&srv, "/api/auth/login", f[i].url, sizeof f[i].url);
		assert_int_equal(pthread_create(&f[i].thread, NULL, login_main, &f[i]), 0);
	}
	for (int i = 0; i < 100; i++) {
		long ms = timed_get("/api/ping", NULL, 200, 1000);
		worst = ms > worst ? ms : worst;
		sleep_ms_(10);
	}
	for (int i = 0; i < 20; i++) {
		pthread_join(f[i].thread, NULL);
		for (int k = 0; k < 3; k++)
			if (f[i].statuses[k] != 401 && f[i].statuses[k] != 503)
				fail_msg("a login of the flood answered %ld", f[i].statuses[k]);
	}
	assert_int_equal(metric_value(&srv, "http_workers{pool=\"passwords\"}"), 2);
	print_message("login flood: worst /api/ping %ld ms\n", worst);
}

/* ---- the correlation id reaches PostgreSQL ---- */

static void test_correlation__pg_stat_activity_na_espera_e_linha_de_erro_do_postgres(void **state)
{
	char peca[UUID_MAX], cli[UUID_MAX], cpf[CPF_MAX], cid[64], hex[17], q[256];
	struct async_call mov;
	struct http_response r;
	(void)state;

	start(NULL);
	nova_peca("Radiador observado", 10, peca);
	random_hex(hex, 16);
	snprintf(cid, sizeof cid, "e2e-lock-%s", hex);
	PGconn *lock = lock_row("pecas", peca);
	async_start(&mov, "POST", pathf("/api/pecas/%s/movimentos", peca),
	            "{\"quantidade\":1,\"motivo\":\"observado\"}", cid);
	PGconn *c = pg_test_connect(NULL);
	snprintf(q, sizeof q,
	         "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'oficina:%s' "
	         "AND wait_event_type = 'Lock'",
	         cid);
	long seen = 0;
	for (int i = 0; i < 500 && !seen; i++) {
		seen = count_sql(c, q);
		if (!seen)
			sleep_ms_(10);
	}
	PQfinish(c);
	unlock(lock);
	async_join(&mov);
	if (!seen)
		fail_msg("pg_stat_activity never showed the waiting request as oficina:%s", cid);
	assert_int_equal(mov.status, 201);

	/* A PostgreSQL error (a duplicate documento) is logged by the server with the id. */
	api_create_cliente(&srv, admin, "Cliente da Execução", cli, cpf);
	random_hex(hex, 16);
	snprintf(cid, sizeof cid, "e2e-pgerr-%s", hex);
	char body[128], header[96];
	snprintf(body, sizeof body, "{\"nome\":\"Duplicado\",\"documento\":\"%s\"}", cpf);
	snprintf(header, sizeof header, "X-Correlation-Id: %s", cid);
	const char *extra[] = {header, NULL};
	api_call(&srv, "POST", "/api/clientes", admin, body, extra, &r);
	assert_status(&r, 409);
	http_response_cleanup(&r);
	char log_path[512];
	snprintf(log_path, sizeof log_path, "%s/server.log", test_require_env("TEST_PGDIR"));
	bool found = false;
	for (int i = 0; i < 100 && !found; i++) {
		FILE *f = fopen(log_path, "r");
		char line[2048];
		assert_non_null(f);
		while (!found && fgets(line, sizeof line, f))
			found = strstr(line, cid) && strstr(line, "ERROR");
		fclose(f);
		if (!found)
			sleep_ms_(20);
	}
	if (!found)
		fail_msg("no ERROR line with %s in %s", cid, log_path);
}

/* ---- greedy and slow clients ---- */

/* Sends a request's head and most of a body, leaving the connection open. */
static int partial_post(const char *token, size_t length, size_t sent)
{
	char head[2048];
	int fd = tcp_connect(srv.port);
	assert_true(fd >= 0);
	snprintf(head, sizeof head,
	         "POST /api/clientes HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
	         "%s%s%sContent-Length: %zu\r\n\r\n",
	         token ? "Authorization: Bearer " : "", token ? token : "", token ? "\r\n" : "",
	         length);
	assert_int_equal(tcp_send_all(fd, head, strlen(head)), 0);
	char *filler = malloc(sent);
	memset(filler, 'x', sent);
	assert_int_equal(tcp_send_all(fd, filler, sent), 0);
	free(filler);
	return fd;
}

/* Sends the rest of the body and returns the answer's status. */
static long finish_post(int fd, size_t rest)
{
	long status = 0;
	char *filler = malloc(rest);
	memset(filler, 'x', rest);
	assert_int_equal(tcp_send_all(fd, filler, rest), 0);
	free(filler);
	free(tcp_read_response(fd, 5000, &status));
	close(fd);
	return status;
}

static void test_corpo__recusado_nao_e_guardado_e_o_total_guardado_tem_limite(void **state)
{
	static const char *const env[] = {"MAX_BODY_BYTES=65536", "MAX_BODY_BUFFER_BYTES=100000",
	                                  NULL};
	int anon[3], a, b;
	struct http_response r;
	char cpf[CPF_MAX], body[128];
	(void)state;

	start(env);
	/* Three bodies without a token: refused on their headers, read and dropped. */
	for (int i = 0; i < 3; i++)
		anon[i] = partial_post(NULL, 60000, 59000);
	sleep_ms_(200);
	random_cpf(cpf, false);
	snprintf(body, sizeof body, "{\"nome\":\"Cabe no buffer\",\"documento\":\"%s\"}", cpf);
	api_call(&srv, "POST", "/api/clientes", admin, body, NULL, &r);
	assert_status(&r, 201); /* the 177 kB of refused bodies took none of the 100 kB budget */
	http_response_cleanup(&r);

	/* Two accepted bodies of 60 kB do not fit in 100 kB together: the second is shed. */
	a = partial_post(admin, 60000, 59000);
	sleep_ms_(200);
	b = partial_post(admin, 60000, 59000);
	sleep_ms_(200);
	assert_int_equal(finish_post(b, 1000), 503);
	assert_int_equal(finish_post(a, 1000), 400); /* kept, then found not to be JSON */
	for (int i = 0; i < 3; i++)
		assert_int_equal(finish_post(anon[i], 1000), 401);
	assert_true(metric_value(&srv, "http_requests_shed_total{reason=\"body_buffer\"}") >= 1);
}

/* Whether the server closed fd: waits up to ms for EOF (or a reset). */
static bool closed_within(int fd, long ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	char buf[256];
	long end = mono_ms() + ms;

	while (mono_ms() < end) {
		if (poll(&p, 1, 50) > 0) {
			ssize_t n = recv(fd, buf, sizeof buf, 0);
			if (n == 0 || (n < 0 && errno == ECONNRESET))
				return true;
		}
	}
	return false;
}

/* Drips text one piece every step_ms; returns ms until the server closed, or -1. */
static long drip(int fd, const char *const pieces[], long step_ms)
{
	long t0 = mono_ms();
	for (size_t i = 0; pieces[i]; i++) {
		if (send(fd, pieces[i], strlen(pieces[i]), MSG_NOSIGNAL) < 0 ||
		    closed_within(fd, step_ms))
			return mono_ms() - t0;
	}
	return -1;
}

static void test_cliente_lento__cabecalhos_e_linha_gotejados_sao_fechados(void **state)
{
	static const char *const env[] = {"HTTP_READ_TIMEOUT_MS=1000", NULL};
	static const char *const headers[] = {"GET /api/ping HTTP/1.1\r\nHost: t\r\n",
	                                      "X-A: 1\r\n",
	                                      "X-B: 2\r\n",
	                                      "X-C: 3\r\n",
	                                      "X-D: 4\r\n",
	                                      "X-E: 5\r\n",
	                                      "X-F: 6\r\n",
	                                      "X-G: 7\r\n",
	                                      "X-H: 8\r\n",
	                                      "X-I: 9\r\n",
	                                      "X-J: 10\r\n",
	                                      "X-K: 11\r\n",
	                                      "X-L: 12\r\n",
	                                      "X-M: 13\r\n",
	                                      "X-N: 14\r\n",
	                                      "X-O: 15\r\n",
	                                      "\r\n",
	                                      NULL};
	static const char *const line[] = {"G", "E", "T", " ", "/",    "a",    "p", "i", "/",
	                                   "p", "i", "n", "g", " ",    "H",    "T", "T", "P",
	                                   "/", "1", ".", "1", "\r\n", "\r\n", NULL};
	long status = 0;
	(void)state;

	start(env);
	/* Headers one every 300 ms: closed about a second after the request line. */
	int fd = tcp_connect(srv.port);
	long ms = drip(fd, headers, 300);
	close(fd);
	if (ms < 0 || ms < 800 || ms > 3500)
		fail_msg("dripped headers: closed after %ld ms (HTTP_READ_TIMEOUT_MS=1000)", ms);
	/* The request line itself one byte every 300 ms. */
	fd = tcp_connect(srv.port);
	ms = drip(fd, line, 300);
	close(fd);
	if (ms < 0 || ms > 4500)
		fail_msg("dripped request line: closed after %ld ms", ms);
	/* A connection that is only idle is not a slow client: 2 s of silence, then a request. */
	fd = tcp_connect(srv.port);
	sleep_ms_(2000);
	static const char req[] = "GET /api/ping HTTP/1.1\r\nHost: t\r\n\r\n";
	assert_int_equal(tcp_send_all(fd, req, strlen(req)), 0);
	free(tcp_read_response(fd, 3000, &status));
	close(fd);
	assert_int_equal(status, 200);
	assert_true(metric_value(&srv, "http_slow_connections_closed_total") >= 2);
}

/*
 * A kept-alive connection that has been served one request: accepted and counted. Retries a
 * while, since the connection of the login that preceded may not be closed on the server yet.
 */
static int served_connection(const char *req)
{
	for (int attempt = 0; attempt < 30; attempt++) {
		long status = 0;
		int fd = tcp_connect(srv.port);
		assert_true(fd >= 0);
		assert_int_equal(tcp_send_all(fd, req, strlen(req)), 0);
		free(tcp_read_response(fd, 3000, &status));
		if (status == 200)
			return fd;
		close(fd);
		sleep_ms_(100);
	}
	fail_msg("no connection was served");
	return -1;
}

static void test_limite_por_ip__conexao_a_mais_e_recusada(void **state)
{
	static const char *const env[] = {"HTTP_PER_IP_CONNECTION_LIMIT=3", NULL};
	static const char req[] = "GET /api/ping HTTP/1.1\r\nHost: t\r\n\r\n";
	int held[3];
	long status = 0;
	(void)state;

	start(env);
	for (int i = 0; i < 3; i++)
		held[i] = served_connection(req);
	int extra = tcp_connect(srv.port);
	assert_true(extra >= 0); /* the kernel accepts; the server closes it unanswered */
	send(extra, req, strlen(req), MSG_NOSIGNAL);
	char *answer = tcp_read_response(extra, 3000, &status);
	free(answer);
	assert_int_equal(status, 0);
	assert_true(closed_within(extra, 3000));
	close(extra);
	close(held[0]);
	sleep_ms_(200);
	int again = tcp_connect(srv.port);
	assert_int_equal(tcp_send_all(again, req, strlen(req)), 0);
	free(tcp_read_response(again, 3000, &status));
	assert_int_equal(status, 200);
	close(again);
	close(held[1]);
	close(held[2]);
}

int main(void)
{
#define T(fn) cmocka_unit_test_teardown(fn, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_lock__ping_live_e_leituras_seguem_respondendo),
	    T(test_fila_cheia__503_com_retry_after_na_hora),
	    T(test_fila__espera_alem_do_queue_timeout__503),
	    T(test_prazo__statement_preso_alem_do_request_timeout__503_e_nada_gravado),
	    T(test_prazo__backend_congelado__respondido_no_prazo),
	    T(test_retry__deadlock_na_aprovacao__refeito_e_aprovado),
	    T(test_login_flood__ping_segue_rapido),
	    T(test_correlation__pg_stat_activity_na_espera_e_linha_de_erro_do_postgres),
	    T(test_corpo__recusado_nao_e_guardado_e_o_total_guardado_tem_limite),
	    T(test_cliente_lento__cabecalhos_e_linha_gotejados_sao_fechados),
	    T(test_limite_por_ip__conexao_a_mais_e_recusada),
	};
#undef T
	http_global_init();
	return test_server_finish(cmocka_run_group_tests(tests, NULL, NULL));
}

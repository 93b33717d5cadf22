/*
 * Integration tests of the per-thread PostgreSQL session (infrastructure/postgres/pg_session.c)
 * against a real server: lazy prepared statements, BEGIN and the request's settings travelling
 * with the first statement, transparent reconnection after the backend is killed, statement
 * timeouts and request deadlines (a frozen backend included), the correlation id in
 * pg_stat_activity and in the session's log lines, transient failures flagged for a retry, the
 * readiness ping, the circuit breaker in front of an unreachable server, and the
 * connected-sessions gauge. The binary works in one fresh, empty database of the
 * TEST_DATABASE_URL cluster and drops it at the end; the statements are local to this file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "domain/monotonic.h"
#include "domain/errors.h"
#include "infrastructure/log/log.h"
#include "infrastructure/postgres/pg_repos.h"
#include "infrastructure/postgres/pg_session.h"
#include "tests/support/pg_test.h"

/* What one test works with. */
struct fx {
	struct pg_session s; /* the session under test */
	PGconn *admin;       /* a second, plain connection to the same database */
};

static const struct pg_statement plus_one = {"t_plus_one", "SELECT $1::int + 1", 1};
static const struct pg_statement sleep_1s = {"t_sleep", "SELECT pg_sleep(1)", 0};
static const struct pg_statement count_prepared = {
    "t_count_prepared", "SELECT count(*) FROM pg_prepared_statements WHERE name = $1", 1};

/* ---- helpers ---- */

/* Runs plus_one(x) on s and checks the answer is x + 1. */
static void assert_plus_one(struct pg_session *s, int x)
{
	char arg[16];
	const char *p[] = {arg};
	PGresult *r = NULL;

	snprintf(arg, sizeof arg, "%d", x);
	assert_int_equal(pg_session_exec(s, &plus_one, p, &r), 0);
	assert_non_null(r);
	assert_int_equal(PQntuples(r), 1);
	assert_int_equal(strtol(PQgetvalue(r, 0, 0), NULL, 10), x + 1);
	PQclear(r);
}

/*
 * How many times statement name is prepared on the session's own connection (asked through the
 * session: its connection is in pipeline mode, where libpq's blocking calls are refused).
 */
static long prepared_on_session(struct pg_session *s, const char *name)
{
	const char *p[] = {name};
	PGresult *r = NULL;
	long n;

	assert_int_equal(pg_session_exec(s, &count_prepared, p, &r), 0);
	n = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return n;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000L};

	nanosleep(&ts, NULL);
}

/*
 * Terminates, from admin, the backend of every 'oficina' session connected to this binary's
 * database, and waits until it is gone so that the session's next call meets a dead connection.
 * Returns how many backends were terminated.
 */
static long kill_session_backends(PGconn *admin)
{
	const char *p[] = {pg_test_db.name};
	long killed =
	    pg_test_query_long(admin,
	                       "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
	                       "WHERE application_name = 'oficina' AND datname = $1",
	                       1, p);

	for (int i = 0; i < 500; i++) {
		if (pg_test_query_long(admin,
		                       "SELECT count(*) FROM pg_stat_activity "
		                       "WHERE application_name = 'oficina' AND datname = $1",
		                       1, p) == 0)
			return killed;
		sleep_ms(10);
	}
	fail_msg("the terminated backends did not go away");
	return killed;
}

/* A TCP port on 127.0.0.1 nobody listens on: bound by the kernel, then released unheard. */
static int closed_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

/* ---- fixtures ---- */

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	assert_non_null(f);
	f->admin = pg_test_connect(pg_test_db.name);
	pg_session_init(&f->s, &pg_test_db.cfg);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	pg_session_rollback(&f->s);
	pg_session_cleanup(&f->s);
	PQfinish(f->admin);
	free(f);
	return 0;
}

/* ---- tests ---- */

static void test_exec__prepara_uma_vez_e_reutiliza(void **state)
{
	struct fx *f = *state;

	assert_null(f->s.conn); /* init does not connect */
	assert_plus_one(&f->s, 1);
	assert_int_equal(f->s.n_prepared, 1);
	assert_ptr_equal(f->s.prepared[0], &plus_one);
	int pid = PQbackendPID(f->s.conn);
	assert_plus_one(&f->s, 41);
	assert_int_equal(f->s.n_prepared, 1);
	assert_int_equal(PQbackendPID(f->s.conn), pid); /* same connection */
	/* The server ran the prepared statement twice rather than preparing it again. */
	assert_int_equal(prepared_on_session(&f->s, "t_plus_one"), 1);
	assert_int_equal(f->s.n_prepared, 2); /* t_plus_one and the counting statement */
	assert_int_equal(prepared_on_session(&f->s, "t_count_prepared"), 1);
}

static void test_exec__parametro_nulo_e_erro_interno(void **state)
{
	struct fx *f = *state;
	static const struct pg_statement is_null = {"t_is_null", "SELECT $1::text IS NULL", 1};
	static const struct pg_statement bad = {"t_bad", "SELECT 1 / $1::int", 1};
	const char *p_null[] = {NULL};
	const char *p_zero[] = {"0"};
	PGresult *r = (PGresult *)&r;

	assert_int_equal(pg_session_exec(&f->s, &is_null, p_null, &r), 0);
	assert_string_equal(PQgetvalue(r, 0, 0), "t");
	PQclear(r);
	/* division_by_zero is none of the mapped states: internal, *out NULL, still connected. */
	r = (PGresult *)&r;
	assert_int_equal(pg_session_exec(&f->s, &bad, p_zero, &r), APP_EINTERNAL);
	assert_null(r);
	assert_non_null(f->s.conn);
	assert_plus_one(&f->s, 2);
}

static void
test_exec__backend_encerrado_fora_de_transacao__reconecta_e_prepara_de_novo(void **state)
{
	struct fx *f = *state;
	int connected;

	assert_plus_one(&f->s, 1);
	int pid = PQbackendPID(f->s.conn);
	connected = pg_sessions_connected();
	assert_int_equal(kill_session_backends(f->admin), 1);

	assert_plus_one(&f->s, 2); /* transparently, on a new connection */
	assert_non_null(f->s.conn);
	assert_int_not_equal(PQbackendPID(f->s.conn), pid);
	assert_false(f->s.in_tx);
	assert_int_equal(f->s.n_prepared, 1);
	assert_int_equal(prepared_on_session(&f->s, "t_plus_one"), 1);
	assert_int_equal(pg_sessions_connected(), connected);

	/* Again, and through ping, which goes through the same path. */
	assert_int_equal(kill_session_backends(f->admin), 1);
	assert_int_equal(pg_session_ping(&f->s, 5000), 0);
	assert_int_equal(pg_sessions_connected(), connected);
	assert_plus_one(&f->s, 3);
}

/* Beyond the table of prepared statements, statements still run (unprepared, still bound). */
static void test_exec__mais_statements_que_o_maximo__todos_funcionam(void **state)
{
	struct fx *f = *state;
	static struct pg_statement many[PG_PREPARED_MAX + 4];
	static char names[PG_PREPARED_MAX + 4][24];
	PGresult *r;

	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < PG_PREPARED_MAX + 4; i++) {
			snprintf(names[i], sizeof names[i], "t_many_%zu", i);
			many[i] = (struct pg_statement){names[i], "SELECT 1", 0};
			assert_int_equal(pg_session_exec(&f->s, &many[i], NULL, &r), 0);
			assert_string_equal(PQgetvalue(r, 0, 0), "1");
			PQclear(r);
		}
	}
	assert_int_equal(f->s.n_prepared, PG_PREPARED_MAX);
}

static void test_exec__backend_encerrado_em_transacao__indisponivel_e_begin_recupera(void **state)
{
	struct fx *f = *state;
	PGresult *r = (PGresult *)&r;
	const char *p[] = {"1"};
	struct timespec t0;
	int connected, rc;

	assert_plus_one(&f->s, 1);
	connected = pg_sessions_connected();
	assert_int_equal(pg_session_begin(&f->s), 0);
	assert_true(f->s.in_tx);
	assert_plus_one(&f->s, 2); /* the transaction has run a statement */
	pg_session_defer_log(&f->s, strdup("{\"event_type\":\"nunca.logado\"}"));
	assert_int_equal(kill_session_backends(f->admin), 1);

	/* Inside a transaction nothing is retried: the work of the transaction is lost. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(pg_session_exec(&f->s, &plus_one, p, &r), APP_EUNAVAILABLE);
	assert_null(r);
	assert_true(elapsed_ms(&t0) < 1000);
	assert_false(f->s.in_tx);
	assert_int_equal(f->s.n_pending, 0);
	assert_int_equal(pg_sessions_connected(), connected - 1);
	/*
	 * The rest of the command must not run on a fresh connection, where it would autocommit:
	 * until the caller rolls back, every statement fails.
	 */
	assert_true(f->s.tx_broken);
	assert_int_equal(pg_session_exec(&f->s, &plus_one, p, &r), APP_EUNAVAILABLE);
	assert_null(f->s.conn);
	assert_int_equal(pg_session_commit(&f->s), APP_EUNAVAILABLE);
	pg_session_rollback(&f->s); /* what a caller does after the failure */
	assert_false(f->s.tx_broken);

	/* A dropped connection starts no back-off: the very next begin connects again. */
	rc = pg_session_begin(&f->s);
	assert_int_equal(rc, 0);
	assert_true(f->s.in_tx);
	assert_plus_one(&f->s, 5);
	assert_int_equal(prepared_on_session(&f->s, "t_plus_one"), 1);
	assert_int_equal(pg_session_commit(&f->s), 0);
}

/*
 * A connection found dead at a transaction's first statement lost nothing (BEGIN had not even
 * been sent): the transaction starts again on a new connection, transparently.
 */
static void
test_exec__backend_encerrado_antes_do_primeiro_statement__transacao_recomeca(void **state)
{
	struct fx *f = *state;
	PGresult *r = NULL;
	const char *p[] = {"1"};

	assert_plus_one(&f->s, 1);
	int pid = PQbackendPID(f->s.conn);
	assert_int_equal(pg_session_begin(&f->s), 0);
	assert_int_equal(kill_session_backends(f->admin), 1);
	assert_int_equal(pg_session_exec(&f->s, &plus_one, p, &r), 0);
	PQclear(r);
	assert_true(f->s.in_tx);
	assert_false(f->s.tx_broken);
	assert_int_not_equal(PQbackendPID(f->s.conn), pid);
	assert_int_equal(pg_session_commit(&f->s), 0);
}

static void test_exec__statement_timeout__timeout_e_sessao_continua(void **state)
{
	struct fx *f = *state;
	struct pg_config cfg = pg_test_db.cfg;
	struct pg_session s;
	PGresult *r = (PGresult *)&r;
	struct timespec t0;

	(void)f;
	cfg.statement_timeout_ms = 100;
	pg_session_init(&s, &cfg);
	assert_plus_one(&s, 1);
	int pid = PQbackendPID(s.conn);

	/* A statement timeout (57014) is a timeout, not an outage. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(pg_session_exec(&s, &sleep_1s, NULL, &r), APP_ETIMEDOUT);
	assert_true(elapsed_ms(&t0) < 900);
	assert_null(r);

	/* A timeout cancels the statement, not the connection. */
	assert_non_null(s.conn);
	assert_plus_one(&s, 2);
	assert_int_equal(PQbackendPID(s.conn), pid);

	/* In a transaction too; the transaction is then aborted and rolled back by the caller. */
	assert_int_equal(pg_session_begin(&s), 0);
	assert_int_equal(pg_session_exec(&s, &sleep_1s, NULL, &r), APP_ETIMEDOUT);
	pg_session_rollback(&s);
	assert_false(s.in_tx);
	assert_plus_one(&s, 3);
	assert_int_equal(PQbackendPID(s.conn), pid);
	pg_session_cleanup(&s);
}

static void test_ping__ok(void **state)
{
	struct fx *f = *state;

	assert_int_equal(pg_session_ping(&f->s, 5000), 0);
	assert_non_null(f->s.conn);
	assert_int_equal(pg_session_ping(&f->s, 5000), 0);
}

/*
 * A server that hangs without closing the socket (its backend stopped with SIGSTOP): the ping
 * gives up after its timeout instead of waiting for TCP, and the next one reconnects.
 */
static void test_ping__servidor_parado__desiste_no_prazo_e_reconecta(void **state)
{
	struct fx *f = *state;
	struct timespec t0;

	assert_int_equal(pg_session_ping(&f->s, 5000), 0);
	pid_t backend = (pid_t)PQbackendPID(f->s.conn);
	assert_int_equal(kill(backend, SIGSTOP), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(pg_session_ping(&f->s, 300), APP_EUNAVAILABLE);
	long took = elapsed_ms(&t0);
	kill(backend, SIGCONT);
	assert_true(took >= 250 && took < 1500);
	assert_null(f->s.conn); /* mid-query: dropped */
	assert_int_equal(pg_session_ping(&f->s, 5000), 0);
	assert_int_not_equal(PQbackendPID(f->s.conn), backend);
}

/*
 * An unreachable server: the first attempt fails fast, and with the breaker's threshold at one
 * it opens: within its period nobody even tries (503 at once); after it, the next caller is the
 * probe and, the server being back, closes it.
 */
static void test_url_inalcancavel__breaker_abre_e_fecha(void **state)
{
	struct fx *f = *state;
	struct circuit_breaker breaker;
	struct pg_config cfg = pg_test_db.cfg;
	struct pg_session s;
	char url[96];
	PGresult *r = (PGresult *)&r;
	const char *p[] = {"1"};
	struct timespec t0;
	int connected = pg_sessions_connected();

	(void)f;
	circuit_breaker_init(&breaker, 1, 400, 400);
	snprintf(url, sizeof url, "postgresql://oficina@127.0.0.1:%d/oficina", closed_port());
	cfg.url = url;
	cfg.breaker = &breaker;
	pg_session_init(&s, &cfg);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(pg_session_exec(&s, &plus_one, p, &r), APP_EUNAVAILABLE);
	assert_null(r);
	assert_true(elapsed_ms(&t0) < 500);
	assert_null(s.conn);
	assert_int_equal(pg_sessions_connected(), connected);
	assert_int_equal(circuit_breaker_state(&breaker), CIRCUIT_BREAKER_OPEN);
	assert_true(circuit_breaker_rejecting(&breaker));

	/* While it is open the session does not even try, whatever the URL says now. */
	cfg.url = pg_test_db.url;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(pg_session_exec(&s, &plus_one, p, &r), APP_EUNAVAILABLE);
	assert_true(elapsed_ms(&t0) < 100);
	assert_int_equal(pg_session_ping(&s, 1000), APP_EUNAVAILABLE);
	assert_int_equal(pg_session_begin(&s), APP_EUNAVAILABLE);
	assert_false(s.in_tx);
	assert_null(s.conn);
	assert_int_equal(pg_sessions_connected(), connected);

	/* After the period (200 to 400 ms with its jitter) the probe connects and closes it. */
	sleep_ms(450);
	assert_false(circuit_breaker_rejecting(&breaker));
	assert_plus_one(&s, 1);
	assert_int_equal(circuit_breaker_state(&breaker), CIRCUIT_BREAKER_CLOSED);
	assert_int_equal(pg_sessions_connected(), connected + 1);
	pg_session_cleanup(&s);
	assert_int_equal(pg_sessions_connected(), connected);
}

/*
 * The breaker's half-open probe taken by a caller whose own deadline passes before a silent server
 * answers (a frozen PostgreSQL: the kernel accepts, nobody speaks): the attempt counts against
 * nobody, and the next caller probes. It used to leave the breaker half-open for good, so no
 * session could ever connect again — readiness 503 and new connections refused after the
 * database had long recovered.
 */
static void test_breaker__probe_sem_resposta_no_prazo__proximo_reconecta(void **state)
{
	struct fx *f = *state;
	struct circuit_breaker breaker;
	struct pg_config cfg = pg_test_db.cfg;
	struct pg_session s;
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof a;
	char fechada[96], muda[96];
	PGresult *r = NULL;
	const char *p[] = {"1"};

	(void)f;
	int silencioso = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(silencioso >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(silencioso, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(silencioso, 8), 0); /* never accepted, never answered */
	assert_int_equal(getsockname(silencioso, (struct sockaddr *)&a, &len), 0);
	snprintf(muda, sizeof muda, "postgresql://oficina@127.0.0.1:%d/oficina", ntohs(a.sin_port));
	snprintf(fechada, sizeof fechada, "postgresql://oficina@127.0.0.1:%d/oficina",
	         closed_port());
	circuit_breaker_init(&breaker, 1, 200, 200);
	cfg.url = fechada;
	cfg.breaker = &breaker;
	pg_session_init(&s, &cfg);

	assert_int_equal(pg_session_exec(&s, &plus_one, p, &r), APP_EUNAVAILABLE);
	assert_int_equal(circuit_breaker_state(&breaker), CIRCUIT_BREAKER_OPEN);
	sleep_ms(250);

	/* The probe: the server is silent and the request's 300 ms run out first. */
	struct timespec deadline = monotonic_in_ms(300);
	cfg.url = muda;
	pg_session_serve(&s, NULL, &deadline);
	assert_int_equal(pg_session_exec(&s, &plus_one, p, &r), APP_ETIMEDOUT);
	assert_int_not_equal(circuit_breaker_state(&breaker), CIRCUIT_BREAKER_HALF_OPEN);

	/* The database answers again: the next caller probes, connects and closes the breaker. */
	cfg.url = pg_test_db.url;
	pg_session_serve(&s, NULL, NULL);
	assert_plus_one(&s, 1);
	assert_int_equal(circuit_breaker_state(&breaker), CIRCUIT_BREAKER_CLOSED);
	pg_session_cleanup(&s);
	close(silencioso);
}

static void test_sessions_connected__conta_conexoes_abertas(void **state)
{
	struct fx *f = *state;
	struct pg_session a, b;
	int base = pg_sessions_connected();

	pg_session_init(&a, &pg_test_db.cfg);
	pg_session_init(&b, &pg_test_db.cfg);
	assert_int_equal(pg_sessions_connected(), base); /* init does not connect */
	assert_int_equal(pg_session_ping(&a, 5000), 0);
	assert_int_equal(pg_sessions_connected(), base + 1);
	assert_int_equal(pg_session_ping(&b, 5000), 0);
	assert_int_equal(pg_sessions_connected(), base + 2);
	assert_int_equal(pg_session_ping(&a, 5000), 0); /* already connected: no change */
	assert_int_equal(pg_sessions_connected(), base + 2);
	pg_session_cleanup(&a);
	assert_int_equal(pg_sessions_connected(), base + 1);
	pg_session_cleanup(&a); /* twice is harmless */
	pg_session_cleanup(NULL);
	assert_int_equal(pg_sessions_connected(), base + 1);
	pg_session_cleanup(&b);
	assert_int_equal(pg_sessions_connected(), base);
	(void)f;
}

static void test_transacao__begin_commit_rollback(void **state)
{
	struct fx *f = *state;
	static const struct pg_statement create = {"t_create",
	                                           "CREATE TABLE IF NOT EXISTS t_tx (v int)", 0};
	static const struct pg_statement ins = {"t_ins", "INSERT INTO t_tx VALUES ($1::int)", 1};
	const char *one[] = {"1"}, *two[] = {"2"};
	PGresult *r;

	assert_int_equal(pg_session_exec(&f->s, &create, NULL, &r), 0);
	PQclear(r);
	pg_test_exec(f->admin, "TRUNCATE t_tx", 0, NULL);

	assert_int_equal(pg_session_begin(&f->s), 0);
	assert_int_equal(pg_session_exec(&f->s, &ins, one, &r), 0);
	PQclear(r);
	pg_session_rollback(&f->s);
	assert_false(f->s.in_tx);
	assert_int_equal(pg_test_query_long(f->admin, "SELECT count(*) FROM t_tx", 0, NULL), 0);

	assert_int_equal(pg_session_begin(&f->s), 0);
	assert_int_equal(pg_session_exec(&f->s, &ins, two, &r), 0);
	PQclear(r);
	assert_int_equal(pg_test_query_long(f->admin, "SELECT count(*) FROM t_tx", 0, NULL), 0);
	assert_int_equal(pg_session_commit(&f->s), 0);
	assert_false(f->s.in_tx);
	assert_int_equal(pg_test_query_long(f->admin, "SELECT sum(v) FROM t_tx", 0, NULL), 2);

	/* Commit without a transaction is refused; rollback without one is a no-op. */
	assert_int_equal(pg_session_commit(&f->s), APP_EUNAVAILABLE);
	pg_session_rollback(&f->s);
	assert_plus_one(&f->s, 1);
	pg_test_exec(f->admin, "DROP TABLE t_tx", 0, NULL);
}

/* ---- request scope: deadlines, correlation id, transient failures ---- */

static const struct pg_statement backend_pid = {"t_backend_pid", "SELECT pg_backend_pid()", 0};
static const struct pg_statement create_t = {
    "t_create_scope", "CREATE TABLE IF NOT EXISTS t_scope (id int PRIMARY KEY)", 0};
static const struct pg_statement insert_t = {"t_insert_scope",
                                             "INSERT INTO t_scope VALUES ($1::int)", 1};
static const struct pg_statement lock_t = {
    "t_lock_scope", "SELECT id FROM t_scope WHERE id = $1::int FOR UPDATE", 1};
static const struct pg_statement raise_40001 = {
    "t_raise_40001", "DO $$BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '40001'; END$$", 0};
static const struct pg_statement raise_40P01 = {
    "t_raise_40P01", "DO $$BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '40P01'; END$$", 0};
static const struct pg_statement raise_55P03 = {
    "t_raise_55P03", "DO $$BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '55P03'; END$$", 0};
static const struct pg_statement raise_warning = {
    "t_raise_warning", "DO $$BEGIN RAISE WARNING 'cuidado com o freio'; END$$", 0};
static const struct pg_statement divide_by_zero = {"t_div0", "SELECT 1 / 0", 0};

static void exec_ok(struct pg_session *s, const struct pg_statement *st, const char *const *p)
{
	PGresult *r = NULL;
	assert_int_equal(pg_session_exec(s, st, p, &r), 0);
	PQclear(r);
}

static int session_backend(struct pg_session *s)
{
	PGresult *r = NULL;
	int pid;

	assert_int_equal(pg_session_exec(s, &backend_pid, NULL, &r), 0);
	pid = (int)strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return pid;
}

static unsigned long round_trips(void)
{
	struct database_stats st;
	pg_session_stats_read(&st);
	return st.statements;
}

/*
 * BEGIN and the request's settings travel with the transaction's first statement: a transaction
 * of one INSERT costs two round trips (INSERT, COMMIT), not four.
 */
static void test_transacao__begin_vai_com_o_primeiro_statement(void **state)
{
	struct fx *f = *state;
	struct timespec deadline = monotonic_in_ms(5000);
	const char *one[] = {"1"};

	exec_ok(&f->s, &create_t, NULL);
	pg_test_exec(f->admin, "TRUNCATE t_scope", 0, NULL);
	exec_ok(&f->s, &insert_t, one); /* prepared once, outside the count */
	pg_test_exec(f->admin, "TRUNCATE t_scope", 0, NULL);
	pg_session_serve(&f->s, "corr-um-round-trip", &deadline);
	unsigned long before = round_trips();
	assert_int_equal(pg_session_begin(&f->s), 0);
	exec_ok(&f->s, &insert_t, one);
	assert_int_equal(pg_session_commit(&f->s), 0);
	assert_int_equal(round_trips() - before, 2);
	assert_int_equal(pg_test_query_long(f->admin, "SELECT count(*) FROM t_scope", 0, NULL), 1);
	pg_session_serve(&f->s, NULL, NULL);
}

/*
 * In a transaction the server stops a statement at the request's deadline (statement_timeout
 * sent with BEGIN): the connection stays.
 */
static void test_prazo__statement_longo__timeout_no_prazo_e_conexao_mantida(void **state)
{
	struct fx *f = *state;
	struct timespec deadline, t0;
	PGresult *r = (PGresult *)&r;

	int pid = session_backend(&f->s);
	deadline = monotonic_in_ms(300);
	pg_session_serve(&f->s, "corr-prazo", &deadline);
	assert_int_equal(pg_session_begin(&f->s), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(pg_session_exec(&f->s, &sleep_1s, NULL, &r), APP_ETIMEDOUT);
	long took = elapsed_ms(&t0);
	assert_null(r);
	assert_true(took >= 250 && took < 900);
	assert_non_null(f->s.conn); /* the server's own timeout: the connection stays */
	pg_session_rollback(&f->s);
	pg_session_serve(&f->s, NULL, NULL);
	assert_int_equal(session_backend(&f->s), pid);
	assert_plus_one(&f->s, 7);
}

/*
 * A read outside a transaction carries no statement_timeout of the request's (it would cost an
 * execution per read): the client's timer stops it shortly after the deadline, the connection
 * is dropped, and the next call reconnects.
 */
static void test_prazo__leitura_longa__timer_do_cliente_e_nova_conexao(void **state)
{
	struct fx *f = *state;
	struct timespec deadline, t0;
	PGresult *r = (PGresult *)&r;

	int pid = session_backend(&f->s);
	deadline = monotonic_in_ms(300);
	pg_session_serve(&f->s, "corr-leitura", &deadline);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(pg_session_exec(&f->s, &sleep_1s, NULL, &r), APP_ETIMEDOUT);
	long took = elapsed_ms(&t0);
	assert_null(r);
	assert_true(took >= 250 && took < 1000);
	assert_null(f->s.conn);
	pg_session_serve(&f->s, NULL, NULL);
	assert_plus_one(&f->s, 8);
	assert_int_not_equal(session_backend(&f->s), pid);
}

/* Past the deadline nothing is sent at all. */
static void test_prazo__vencido__nada_e_enviado(void **state)
{
	struct fx *f = *state;
	struct timespec past = monotonic_in_ms(0);
	PGresult *r = (PGresult *)&r;
	const char *p[] = {"1"};

	assert_plus_one(&f->s, 1);
	past.tv_sec -= 1;
	unsigned long before = round_trips();
	pg_session_serve(&f->s, "corr-vencido", &past);
	assert_int_equal(pg_session_exec(&f->s, &plus_one, p, &r), APP_ETIMEDOUT);
	assert_int_equal(pg_session_begin(&f->s), APP_ETIMEDOUT);
	assert_false(f->s.in_tx);
	assert_int_equal(round_trips(), before);
	pg_session_serve(&f->s, NULL, NULL);
}

/* A transaction whose request timed out never commits: its client is told it failed. */
static void test_prazo__commit_depois_do_prazo__desfeito(void **state)
{
	struct fx *f = *state;
	struct timespec deadline;
	const char *two[] = {"2"};

	exec_ok(&f->s, &create_t, NULL);
	pg_test_exec(f->admin, "TRUNCATE t_scope", 0, NULL);
	deadline = monotonic_in_ms(300);
	pg_session_serve(&f->s, "corr-commit-tarde", &deadline);
	assert_int_equal(pg_session_begin(&f->s), 0);
	exec_ok(&f->s, &insert_t, two);
	sleep_ms(400);
	assert_int_equal(pg_session_commit(&f->s), APP_ETIMEDOUT);
	assert_false(f->s.in_tx);
	assert_int_equal(pg_test_query_long(f->admin, "SELECT count(*) FROM t_scope", 0, NULL), 0);
	pg_session_serve(&f->s, NULL, NULL);
	assert_plus_one(&f->s, 3); /* the session goes on */
}

/*
 * A backend that stops answering (SIGSTOP) cannot cancel its own statement: the client's timer
 * gives up shortly after the deadline and drops the connection; the next call reconnects.
 */
static void test_prazo__backend_congelado__resposta_no_prazo_e_reconecta(void **state)
{
	struct fx *f = *state;
	struct timespec deadline, t0;
	PGresult *r = (PGresult *)&r;
	const char *p[] = {"1"};

	pid_t backend = (pid_t)session_backend(&f->s);
	assert_int_equal(kill(backend, SIGSTOP), 0);
	deadline = monotonic_in_ms(500);
	pg_session_serve(&f->s, "corr-congelado", &deadline);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = pg_session_exec(&f->s, &plus_one, p, &r);
	long took = elapsed_ms(&t0);
	kill(backend, SIGCONT);
	assert_int_equal(rc, APP_ETIMEDOUT);
	assert_true(took >= 450 && took < 1500);
	assert_null(f->s.conn);
	pg_session_serve(&f->s, NULL, NULL);
	assert_plus_one(&f->s, 1);
	assert_int_not_equal(session_backend(&f->s), backend);
}

struct waiter {
	struct pg_session *s;
	int rc;
};

static void *wait_for_lock(void *arg)
{
	struct waiter *w = arg;
	struct timespec deadline = monotonic_in_ms(10000);
	const char *one[] = {"1"};
	PGresult *r = NULL;

	pg_session_serve(w->s, "corr-espera-lock", &deadline);
	w->rc = pg_session_begin(w->s);
	if (w->rc == 0)
		w->rc = pg_session_exec(w->s, &lock_t, one, &r);
	PQclear(r);
	if (w->rc == 0)
		w->rc = pg_session_commit(w->s);
	else
		pg_session_rollback(w->s);
	pg_session_serve(w->s, NULL, NULL);
	return NULL;
}

/* While a request waits on a lock, pg_stat_activity names it by its correlation id. */
static void test_correlation__pg_stat_activity_mostra_a_requisicao_na_espera(void **state)
{
	struct fx *f = *state;
	struct waiter w = {.s = &f->s, .rc = -100};
	pthread_t t;
	long seen = 0;
	const char *one[] = {"1"};
	/* Outside the lock holder's transaction, whose reads of pg_stat_activity are a snapshot. */
	PGconn *observer = pg_test_connect(pg_test_db.name);

	exec_ok(&f->s, &create_t, NULL);
	pg_test_exec(f->admin, "TRUNCATE t_scope", 0, NULL);
	exec_ok(&f->s, &insert_t, one);
	pg_test_exec(f->admin, "BEGIN", 0, NULL);
	pg_test_exec(f->admin, "SELECT id FROM t_scope WHERE id = 1 FOR UPDATE", 0, NULL);
	assert_int_equal(pthread_create(&t, NULL, wait_for_lock, &w), 0);
	for (int i = 0; i < 300 && !seen; i++) {
		seen = pg_test_query_long(
		    observer,
		    "SELECT count(*) FROM pg_stat_activity WHERE application_name = "
		    "'oficina:corr-espera-lock' AND wait_event_type = 'Lock'",
		    0, NULL);
		if (!seen)
			sleep_ms(10);
	}
	pg_test_exec(f->admin, "ROLLBACK", 0, NULL);
	pthread_join(t, NULL);
	assert_int_equal(seen, 1);
	assert_int_equal(w.rc, 0);
	/* Between requests the connection shows the session's own name again. */
	assert_int_equal(
	    pg_test_query_long(observer,
	                       "SELECT count(*) FROM pg_stat_activity "
	                       "WHERE application_name LIKE 'oficina:corr-espera-lock%'",
	                       0, NULL),
	    0);
	PQfinish(observer);
}

/* Serialisation failures and deadlocks are flagged for a retry; a lock timeout is a timeout. */
static void test_transiente__40001_e_40P01__retryable(void **state)
{
	struct fx *f = *state;
	PGresult *r = (PGresult *)&r;

	pg_session_serve(&f->s, "corr-transiente", NULL);
	assert_false(pg_session_retryable(&f->s));
	assert_int_equal(pg_session_exec(&f->s, &raise_40001, NULL, &r), APP_EUNAVAILABLE);
	assert_true(pg_session_retryable(&f->s));
	pg_session_serve(&f->s, "corr-transiente", NULL); /* a new attempt clears it */
	assert_false(pg_session_retryable(&f->s));
	assert_int_equal(pg_session_exec(&f->s, &raise_40P01, NULL, &r), APP_EUNAVAILABLE);
	assert_true(pg_session_retryable(&f->s));
	pg_session_serve(&f->s, "corr-transiente", NULL);
	assert_int_equal(pg_session_exec(&f->s, &raise_55P03, NULL, &r), APP_ETIMEDOUT);
	assert_false(pg_session_retryable(&f->s));
	assert_non_null(f->s.conn);
	pg_session_serve(&f->s, NULL, NULL);
}

/* Runs fn with stdout going to a temporary file; returns what was written (free it). */
static char *capture_stdout(void (*fn)(struct fx *), struct fx *f)
{
	char path[] = "/tmp/test_pg_session_log.XXXXXX";
	int fd = mkstemp(path), saved = dup(STDOUT_FILENO);
	char *text = calloc(1, 65536);

	assert_true(fd >= 0 && saved >= 0 && text);
	fflush(stdout);
	dup2(fd, STDOUT_FILENO);
	fn(f);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	ssize_t n = read(fd, text, 65535);
	assert_true(n >= 0);
	close(fd);
	unlink(path);
	return text;
}

static void error_and_warning(struct fx *f)
{
	PGresult *r = (PGresult *)&r;

	pg_session_serve(&f->s, "corr-log-77", NULL);
	assert_int_equal(pg_session_exec(&f->s, &divide_by_zero, NULL, &r), APP_EINTERNAL);
	exec_ok(&f->s, &raise_warning, NULL);
	pg_session_serve(&f->s, NULL, NULL);
}

/* The session's log lines about a request — PostgreSQL's errors and warnings — carry its id. */
static void test_log__erro_e_aviso_do_postgres_levam_o_correlation_id(void **state)
{
	struct fx *f = *state;

	log_configure(LOG_LEVEL_INFO, "test");
	char *out = capture_stdout(error_and_warning, f);
	assert_non_null(strstr(out, "\"level\":\"warn\""));
	char *err_line = strstr(out, "postgres error 22012");
	char *warn_line = strstr(out, "cuidado com o freio");
	if (!err_line || !warn_line)
		fail_msg("missing log lines in: %s", out);
	/* Each line is one JSON object: find the start of each and check its correlation_id. */
	for (char *hit = err_line; hit; hit = hit == err_line ? warn_line : NULL) {
		char *start = hit;
		while (start > out && start[-1] != '\n')
			start--;
		char *end = strchr(hit, '\n');
		if (end)
			*end = '\0';
		if (!strstr(start, "\"correlation_id\":\"corr-log-77\""))
			fail_msg("log line without the request's correlation id: %s", start);
	}
	free(out);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_exec__prepara_uma_vez_e_reutiliza),
	    T(test_exec__parametro_nulo_e_erro_interno),
	    T(test_exec__backend_encerrado_fora_de_transacao__reconecta_e_prepara_de_novo),
	    T(test_exec__backend_encerrado_em_transacao__indisponivel_e_begin_recupera),
	    T(test_exec__backend_encerrado_antes_do_primeiro_statement__transacao_recomeca),
	    T(test_exec__mais_statements_que_o_maximo__todos_funcionam),
	    T(test_exec__statement_timeout__timeout_e_sessao_continua),
	    T(test_ping__ok),
	    T(test_ping__servidor_parado__desiste_no_prazo_e_reconecta),
	    T(test_url_inalcancavel__breaker_abre_e_fecha),
	    T(test_breaker__probe_sem_resposta_no_prazo__proximo_reconecta),
	    T(test_sessions_connected__conta_conexoes_abertas),
	    T(test_transacao__begin_commit_rollback),
	    T(test_transacao__begin_vai_com_o_primeiro_statement),
	    T(test_prazo__statement_longo__timeout_no_prazo_e_conexao_mantida),
	    T(test_prazo__leitura_longa__timer_do_cliente_e_nova_conexao),
	    T(test_prazo__vencido__nada_e_enviado),
	    T(test_prazo__commit_depois_do_prazo__desfeito),
	    T(test_prazo__backend_congelado__resposta_no_prazo_e_reconecta),
	    T(test_correlation__pg_stat_activity_mostra_a_requisicao_na_espera),
	    T(test_transiente__40001_e_40P01__retryable),
	    T(test_log__erro_e_aviso_do_postgres_levam_o_correlation_id),
	};
#undef T
	return cmocka_run_group_tests(tests, pg_test_group_empty, pg_test_group_drop);
}

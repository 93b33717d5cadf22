/*
 * The real server as a child process, for the end-to-end tests (test support; every name starts
 * with test_, so none can clash with the server's own, such as server_start). test_server_start
 * runs "$OFICINA_BIN serve" on a free port against TEST_DATABASE_URL with a known JWT secret, its
 * output going to a temporary log file, and waits until /health/live answers. Every started server
 * is remembered so that test_server_stop_all (call it from teardowns) and test_server_finish (call
 * it at the end of main) never leave a child behind, and so that the tails of the logs can be
 * printed when a test failed. Also: the "usuario criar" CLI, and the environment the tests need.
 */
#ifndef OFICINA_TESTS_SUPPORT_SERVER_H
#define OFICINA_TESTS_SUPPORT_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The JWT settings every test server gets (the tests forge tokens with them). */
#define TEST_JWT_SECRET   "e2e-test-secret-0123456789abcdefghijklmn" /* 40 bytes */
#define TEST_JWT_ISSUER   "oficina"
#define TEST_JWT_AUDIENCE "oficina-api"

struct test_server {
	pid_t pid;          /* child process, 0 once stopped */
	int port;           /* where it listens */
	char base_url[64];  /* "http://127.0.0.1:PORT" */
	char log_path[256]; /* its stdout and stderr */
	int exit_status;    /* set by server_stop */
	bool running;       /* started and not yet reaped */
};

/* TEST_DATABASE_URL, failing the running test (never skipping) when it is not set. */
const char *test_database_url(void);

/* A TCP port nobody listens on right now (bind port 0, read what the kernel chose, close), or -1.
 */
int test_free_port(void);

/* OFICINA_BIN, or "build/oficina" when unset. */
const char *test_oficina_bin(void);

/*
 * Runs the shell command cmd: its stdout into out (n bytes, NUL-terminated, cut if longer), its
 * exit status returned (-1 when it did not exit).
 */
int test_run_sh(const char *cmd, char *out, size_t n);

/*
 * Asserts that the shell command cmd (a command of oficina under `timeout`, its stderr joined to
 * its stdout) refuses to start: it exits with a status other than 0 and timeout's 124, with output
 * that contains nome. Its output is left in out (n bytes) for more checks.
 */
void test_command_refuses(const char *cmd, const char *nome, char *out, size_t n);

/*
 * Asserts that `oficina serve` with the one extra setting env ("NAME=value") refuses to start: it
 * exits non-zero well before a 10 s timeout, with a message that contains nome.
 */
void test_serve_refuses(const char *env, const char *nome);

/* The environment variable name, failing the running test when it is unset or empty. */
const char *test_require_env(const char *name);

/*
 * Starts a server. overrides is a NULL-terminated array of "NAME=value" strings added to (or
 * replacing) the default environment, or NULL. Fails the running test (with the log's tail) when
 * the server does not answer GET /health/live with 200 within 10 seconds.
 */
void test_server_start(struct test_server *s, const char *const overrides[]);

/*
 * The same for another long-running command of the binary ("relay", "notificar"), which serves
 * /health/live on the port given in the variable port_var (METRICS_PORT).
 */
void test_process_start(struct test_server *s, const char *command, const char *port_var,
                        const char *const overrides[]);

/*
 * Sends SIGTERM and waits up to timeout_ms for the child to end (then SIGKILL). Returns its exit
 * status (0..255), 128 + signal when a signal ended it, or -1 when it had to be killed. A stopped
 * or never started server returns its recorded status.
 */
int test_server_stop_timeout(struct test_server *s, int timeout_ms);

/*
 * Waits up to timeout_ms for the child to end without signalling it (then SIGKILL); returns what
 * server_stop_timeout returns. For a test that sent the signal itself (kill(s->pid, SIGTERM)).
 */
int test_server_wait_exit(struct test_server *s, int timeout_ms);

/* server_stop_timeout with 20 seconds. */
int test_server_stop(struct test_server *s);

/* True while the child has not exited (reaps it when it has). */
bool test_server_alive(struct test_server *s);

/* Stops every server still running (for teardowns). */
void test_server_stop_all(void);

/* Prints the last lines of s's log to stderr. */
void test_server_print_log_tail(const struct test_server *s, int lines);

/*
 * For the end of main: stops whatever still runs, prints the log tails of every server when
 * failures > 0, removes the logs, and returns failures plus the number of servers that did not
 * exit 0 when asked to stop (under the sanitizers: a leak or an error report in the server).
 * A struct test_server must stay valid until then (make it static, not a test's local).
 */
int test_server_finish(int failures);

/* Writes base_url + path into out (n bytes) and returns out. Fails the test when it is too long. */
char *test_server_url(const struct test_server *s, const char *path, char *out, size_t n);

/*
 * Runs "$OFICINA_BIN usuario criar --nome nome --email email --perfil perfil" with DATABASE_URL set
 * to TEST_DATABASE_URL and senha plus a newline on its stdin. Returns its exit status (-1 when it
 * could not run) and copies the first line of its stdout (the new uuid) into uuid_out (n bytes)
 * when uuid_out is not NULL.
 */
int cli_usuario_criar(const char *nome, const char *email, const char *perfil, const char *senha,
                      char *uuid_out, size_t n);

/* Runs argv[0] with argv and waits; returns its exit status or -1. Output goes to stderr. */
int run_command(const char *const argv[]);

#endif

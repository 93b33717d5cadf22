/*
 * The real server and the CLI as child processes, for the end-to-end tests (test support). See
 * server.h.
 */
#include "tests/support/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/support/http_client.h"

extern char **environ;

#define MAX_SERVERS 64

static struct test_server *started[MAX_SERVERS];
static char *logs[MAX_SERVERS];
static size_t nstarted, nlogs;

/* Variables of ours that an outer environment must not leak into a test server. */
static const char *const owned_vars[] = {
    "DATABASE_URL",
    "PORT",
    "HTTP_THREADS",
    "DB_POOL_SIZE",
    "DB_STATEMENT_TIMEOUT_MS",
    "JWT_SECRET",
    "JWT_TTL_SECONDS",
    "JWT_ISSUER",
    "JWT_AUDIENCE",
    "GATEWAY_API_KEY",
    "WEBHOOK_SECRET",
    "CORS_ORIGINS",
    "LOG_LEVEL",
    "APP_ENV",
    "DD_AGENT_HOST",
    "DD_DOGSTATSD_PORT",
    "MAX_BODY_BYTES",
    "RATE_LIMIT_PER_MINUTE",
    "TRUSTED_PROXIES",
    "SESSOES_REFRESH_MS",
    "AMQP_URL",
    "SMTP_URL",
    "SMTP_FROM",
    "MAIL_DIR",
    "METRICS_PORT",
    "PUBLIC_BASE_URL",
    "ORCAMENTO_LINK_SECRET",
    "ORCAMENTO_LINK_TTL_HOURS",
    "NOTIFICAR_MAX_TENTATIVAS",
    "NOTIFICAR_ESPERA_MS",
    "RELAY_LOTE",
    NULL,
};

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

const char *test_require_env(const char *name)
{
	const char *v = getenv(name);
	if (!v || !*v)
		fail_msg(
		    "%s is not set: run the end-to-end tests through scripts/test.sh (make test), "
		    "or set it by hand",
		    name);
	return v;
}

const char *test_database_url(void)
{
	return test_require_env("TEST_DATABASE_URL");
}

const char *test_oficina_bin(void)
{
	const char *v = getenv("OFICINA_BIN");
	return v && *v ? v : "build/oficina";
}

int test_run_sh(const char *cmd, char *out, size_t n)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t got = fread(out, 1, n - 1, p);
	out[got] = '\0';
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void test_command_refuses(const char *cmd, const char *nome, char *out, size_t n)
{
	int st = test_run_sh(cmd, out, n);
	if (st == 0 || st == 124 || st == -1)
		fail_msg("%s\ndid not refuse to start (status %d): %s", cmd, st, out);
	if (!strstr(out, nome))
		fail_msg("%s\nrefused without naming %s: %s", cmd, nome, out);
}

void test_serve_refuses(const char *env, const char *nome)
{
	char cmd[2048], saida[1024];

	snprintf(cmd, sizeof cmd,
	         "env -i PATH=/usr/bin:/bin DATABASE_URL='%s' PORT=0 APP_ENV=development %s "
	         "timeout 10 %s serve 2>&1",
	         test_database_url(), env, test_oficina_bin());
	test_command_refuses(cmd, nome, saida, sizeof saida);
}

char *test_server_url(const struct test_server *s, const char *path, char *out, size_t n)
{
	int len = snprintf(out, n, "%s%s", s->base_url, path);
	if (len < 0 || (size_t)len >= n)
		fail_msg("URL too long for its buffer: %s", path);
	return out;
}

int test_free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	if (fd < 0)
		return -1;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static bool is_owned(const char *entry, const char *const overrides[])
{
	size_t n = strcspn(entry, "=");

	for (size_t i = 0; owned_vars[i]; i++)
		if (strlen(owned_vars[i]) == n && strncmp(entry, owned_vars[i], n) == 0)
			return true;
	for (size_t i = 0; overrides && overrides[i]; i++)
		if (strncmp(entry, overrides[i], n + 1) == 0)
			return true;
	return false;
}

/* environ without our variables, then the defaults, then the overrides (later wins). */
static char **build_env(const char *const defaults[], const char *const overrides[])
{
	size_t n = 0, k = 0;
	for (char **e = environ; *e; e++)
		n++;
	for (size_t i = 0; defaults[i]; i++)
		n++;
	for (size_t i = 0; overrides && overrides[i]; i++)
		n++;
	char **env = calloc(n + 1, sizeof *env);
	assert_non_null(env);
	for (char **e = environ; *e; e++)
		if (!is_owned(*e, overrides))
			env[k++] = *e;
	for (size_t i = 0; defaults[i]; i++) {
		bool replaced = false;
		size_t len = strcspn(defaults[i], "=") + 1;
		for (size_t j = 0; overrides && overrides[j]; j++)
			if (strncmp(defaults[i], overrides[j], len) == 0)
				replaced = true;
		if (!replaced)
			env[k++] = (char *)(uintptr_t)defaults[i];
	}
	for (size_t i = 0; overrides && overrides[i]; i++)
		env[k++] = (char *)(uintptr_t)overrides[i];
	env[k] = NULL;
	return env;
}

static int decode_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

bool test_server_alive(struct test_server *s)
{
	int st;

	if (!s->running)
		return false;
	pid_t r = waitpid(s->pid, &st, WNOHANG);
	if (r == 0)
		return true;
	s->running = false;
	s->exit_status = r == s->pid ? decode_status(st) : -1;
	s->pid = 0;
	return false;
}

void test_server_print_log_tail(const struct test_server *s, int lines)
{
	char cmd[512];

	fprintf(stderr, "---- last %d lines of the server log %s ----\n", lines, s->log_path);
	fflush(stderr);
	snprintf(cmd, sizeof cmd, "tail -n %d '%s' >&2", lines, s->log_path);
	if (system(cmd) != 0)
		fprintf(stderr, "(log unavailable)\n");
	fprintf(stderr, "---- end of log ----\n");
}

static void remember(struct test_server *s)
{
	bool known = false;

	for (size_t i = 0; i < nstarted; i++)
		known = known || started[i] == s;
	if (!known && nstarted < MAX_SERVERS)
		started[nstarted++] = s;
	if (nlogs < MAX_SERVERS)
		logs[nlogs++] = strdup(s->log_path);
}

void test_server_start(struct test_server *s, const char *const overrides[])
{
	test_process_start(s, "serve", "PORT", overrides);
}

void test_process_start(struct test_server *s, const char *command, const char *port_var,
                        const char *const overrides[])
{
	char db[1024], port_env[64], live[128];
	const char *bin = test_oficina_bin();
	const char *defaults[] = {
	    db,
	    port_env,
	    "JWT_SECRET=" TEST_JWT_SECRET,
	    "JWT_ISSUER=" TEST_JWT_ISSUER,
	    "JWT_AUDIENCE=" TEST_JWT_AUDIENCE,
	    "APP_ENV=test",
	    "LOG_LEVEL=warn",
	    "HTTP_THREADS=4",
	    NULL,
	};

	if (s->running)
		test_server_stop(s);
	memset(s, 0, sizeof *s);
	http_global_init();
	snprintf(db, sizeof db, "DATABASE_URL=%s", test_database_url());
	if (access(bin, X_OK) != 0)
		fail_msg("OFICINA_BIN %s is not an executable (build it, or set OFICINA_BIN)", bin);
	s->port = test_free_port();
	assert_true(s->port > 0);
	snprintf(port_env, sizeof port_env, "%s=%d", port_var, s->port);
	snprintf(s->base_url, sizeof s->base_url, "http://127.0.0.1:%d", s->port);
	snprintf(s->log_path, sizeof s->log_path, "/tmp/oficina-e2e-%d-%d.log", (int)getpid(),
	         s->port);

	int logfd = open(s->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(logfd >= 0);
	char **env = build_env(defaults, overrides);
	pid_t parent = getpid();
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* A test binary that dies must not leave its server behind. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		dup2(logfd, STDOUT_FILENO);
		dup2(logfd, STDERR_FILENO);
		char *argv[] = {(char *)(uintptr_t)bin, (char *)(uintptr_t)command, NULL};
		execve(bin, argv, env);
		dprintf(STDERR_FILENO, "exec %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	free(env);
	close(logfd);
	s->pid = pid;
	s->running = true;
	remember(s);

	test_server_url(s, "/health/live", live, sizeof live);
	long deadline = now_ms() + 10000;
	long last_status = 0;
	while (now_ms() < deadline) {
		struct http_response r;
		if (!test_server_alive(s)) {
			test_server_print_log_tail(s, 40);
			fail_msg("the server exited during start-up with status %d",
			         s->exit_status);
		}
		http_request("GET", live, NULL, NULL, 0, &r);
		last_status = r.status;
		http_response_cleanup(&r);
		if (last_status == 200)
			return;
		sleep_ms(50);
	}
	test_server_print_log_tail(s, 40);
	test_server_stop_timeout(s, 2000);
	fail_msg("GET /health/live did not answer 200 within 10 s (last status %ld)", last_status);
}

int test_server_wait_exit(struct test_server *s, int timeout_ms)
{
	int st;

	if (!s->running)
		return s->exit_status;
	long deadline = now_ms() + timeout_ms;
	for (;;) {
		pid_t r = waitpid(s->pid, &st, WNOHANG);
		if (r == s->pid) {
			s->exit_status = decode_status(st);
			break;
		}
		if (r < 0) {
			s->exit_status = -1;
			break;
		}
		if (now_ms() >= deadline) {
			fprintf(stderr, "server pid %d did not stop within %d ms: killing it\n",
			        (int)s->pid, timeout_ms);
			kill(s->pid, SIGKILL);
			waitpid(s->pid, &st, 0);
			s->exit_status = -1;
			break;
		}
		sleep_ms(20);
	}
	s->running = false;
	s->pid = 0;
	return s->exit_status;
}

/*
 * Servers asked to stop that did not exit 0. Under the sanitizers a leak or an error report
 * changes the exit status, so this makes every end-to-end run a leak check of the server too.
 */
static int bad_exits;

int test_server_stop_timeout(struct test_server *s, int timeout_ms)
{
	if (!s->running)
		return s->exit_status;
	kill(s->pid, SIGTERM);
	int status = test_server_wait_exit(s, timeout_ms);
	if (status != 0) {
		bad_exits++;
		fprintf(stderr,
		        "server %s exited with status %d after SIGTERM (sanitizer report?):\n",
		        s->base_url, status);
		test_server_print_log_tail(s, 40);
	}
	return status;
}

int test_server_stop(struct test_server *s)
{
	return test_server_stop_timeout(s, 20000);
}

void test_server_stop_all(void)
{
	for (size_t i = 0; i < nstarted; i++)
		if (started[i]->running)
			test_server_stop_timeout(started[i], 20000);
}

int test_server_finish(int failures)
{
	test_server_stop_all();
	for (size_t i = 0; i < nlogs; i++) {
		if (failures > 0) {
			struct test_server s = {0};
			snprintf(s.log_path, sizeof s.log_path, "%s", logs[i]);
			test_server_print_log_tail(&s, 30);
		}
		unlink(logs[i]);
		free(logs[i]);
	}
	nlogs = 0;
	return failures + bad_exits;
}

int run_command(const char *const argv[])
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execvp(argv[0], (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return decode_status(st);
}

int cli_usuario_criar(const char *nome, const char *email, const char *perfil, const char *senha,
                      char *uuid_out, size_t n)
{
	const char *bin = test_oficina_bin();
	char db[1024], out[256];
	int in_pipe[2], out_pipe[2], st;
	size_t got = 0;

	snprintf(db, sizeof db, "DATABASE_URL=%s", test_database_url());
	const char *defaults[] = {db, "LOG_LEVEL=warn", NULL};
	if (pipe2(in_pipe, O_CLOEXEC) != 0)
		return -1;
	if (pipe2(out_pipe, O_CLOEXEC) != 0) {
		close(in_pipe[0]);
		close(in_pipe[1]);
		return -1;
	}
	char **env = build_env(defaults, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in_pipe[0], STDIN_FILENO);
		dup2(out_pipe[1], STDOUT_FILENO);
		const char *argv[] = {bin,       "usuario", "criar",    "--nome", nome,
		                      "--email", email,     "--perfil", perfil,   NULL};
		execve(bin, (char *const *)(uintptr_t)argv, env);
		_exit(127);
	}
	free(env);
	close(in_pipe[0]);
	close(out_pipe[1]);
	if (pid < 0) {
		close(in_pipe[1]);
		close(out_pipe[0]);
		return -1;
	}
	signal(SIGPIPE, SIG_IGN);
	if (write(in_pipe[1], senha, strlen(senha)) < 0 || write(in_pipe[1], "\n", 1) < 0)
		fprintf(stderr, "cli_usuario_criar: writing the password: %s\n", strerror(errno));
	close(in_pipe[1]);
	for (;;) {
		ssize_t r = read(out_pipe[0], out + got, sizeof out - 1 - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
		if (got == sizeof out - 1)
			break;
	}
	out[got] = '\0';
	close(out_pipe[0]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (uuid_out && n > 0) {
		out[strcspn(out, "\r\n")] = '\0';
		snprintf(uuid_out, n, "%s", out);
	}
	return decode_status(st);
}

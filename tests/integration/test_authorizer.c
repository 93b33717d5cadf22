/*
 * Integration tests of cmd/oficina-authorizer: the built binary (OFICINA_AUTHORIZER_BIN, default
 * build/oficina-authorizer) is run as a child process.
 *
 *   - command line: REST REQUEST, REST TOKEN and HTTP API 2.0 events on stdin with good, expired,
 *     tampered and missing tokens; the JSON answers on stdout are checked (a good REST token: a
 *     policy on the whole stage; a bad one: the error "Unauthorized", the gateway's 401) and the
 *     decision's JSON log line on stderr; bad configuration and unreadable input must exit 2 with
 *     one line on stderr;
 *   - Lambda custom runtime: a small fake Runtime API (libmicrohttpd on a free port) hands out
 *     four invocations (a refused REST one posted to /error as "Unauthorized") and then either
 * holds further /next calls (the child is killed at the end) or answers them 500 (the child must
 * exit 1 by itself, which under the sanitizers also proves the loop leak-free).
 *
 * Tokens are issued with the same code and secret the child is configured with.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <microhttpd.h>

#include "domain/errors.h"
#include "infrastructure/auth/jwt_token.h"

#define SECRET     "integration-secret-integration-secret-0123456789"
#define SUB        "0b7f5a52-9d41-4c1e-a9f3-5f0e8f2b6c11"
#define METHOD_ARN "arn:aws:execute-api:sa-east-1:123456789012:abc123/prod/GET/api/ordens"
#define STAGE_ARN  "arn:aws:execute-api:sa-east-1:123456789012:abc123/prod/*"
#define OUT_MAX    (64 * 1024)

extern char **environ;

static struct jwt_config cfg;

static const char *bin_path(void)
{
	const char *p = getenv("OFICINA_AUTHORIZER_BIN");

	return p != NULL && p[0] != '\0' ? p : "build/oficina-authorizer";
}

static int setup(void **state)
{
	(void)state;
	assert_int_equal(jwt_config_init(&cfg, SECRET, "oficina", "oficina-api", 3600), 0);
	if (access(bin_path(), X_OK) != 0) {
		fprintf(stderr, "authorizer binary not found at %s (OFICINA_AUTHORIZER_BIN)\n",
		        bin_path());
		return -1; /* fails the group: no test is skipped silently */
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	jwt_config_cleanup(&cfg);
	return 0;
}

/* ---- running the child ------------------------------------------------------------------- */

/*
 * The environment of the child: ours without the authorizer's variables, plus extra (a
 * NULL-terminated list of "NAME=value"). Free with free() (the strings are borrowed).
 */
static char **child_env(const char *const *extra)
{
	size_t n = 0, k = 0, e = 0;
	char **env;

	while (environ[n] != NULL)
		n++;
	while (extra[e] != NULL)
		e++;
	env = calloc(n + e + 1, sizeof(*env));
	assert_non_null(env);
	for (size_t i = 0; i < n; i++) {
		if (strncmp(environ[i], "JWT_", 4) == 0 ||
		    strncmp(environ[i], "AWS_LAMBDA_RUNTIME_API=", 23) == 0)
			continue;
		env[k++] = environ[i];
	}
	for (size_t i = 0; i < e; i++)
		env[k++] = (char *)(uintptr_t)extra[i];
	env[k] = NULL;
	return env;
}

struct child {
	pid_t pid;
	FILE *out; /* its stdout */
	FILE *err; /* its stderr */
};

/* Starts the authorizer with input (may be NULL: /dev/null) on stdin and extra in its env. */
static void child_start(struct child *c, const char *input, const char *const *extra)
{
	FILE *in = tmpfile();
	char **env = child_env(extra);
	char *argv[] = {(char *)(uintptr_t)bin_path(), NULL};

	c->out = tmpfile();
	c->err = tmpfile();
	assert_non_null(in);
	assert_non_null(c->out);
	assert_non_null(c->err);
	if (input != NULL)
		assert_int_equal(fwrite(input, 1, strlen(input), in), strlen(input));
	assert_int_equal(fflush(in), 0);
	rewind(in);
	fflush(stdout);
	fflush(stderr);
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (c->pid == 0) {
		dup2(fileno(in), 0);
		dup2(fileno(c->out), 1);
		dup2(fileno(c->err), 2);
		execve(argv[0], argv, env);
		_exit(127);
	}
	fclose(in);
	free(env);
}

/* Reads a temporary file from its start into buf (cap bytes, NUL-terminated). */
static void slurp(FILE *f, char *buf, size_t cap)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Waits for the child to exit; its exit status, or 128 + signal. */
static int child_wait(struct child *c, char *out, char *err)
{
	int status = 0;

	while (waitpid(c->pid, &status, 0) < 0)
		assert_int_equal(errno, EINTR);
	slurp(c->out, out, OUT_MAX);
	slurp(c->err, err, OUT_MAX);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Ends a child that will not end by itself: SIGTERM, then SIGKILL after 5 s. */
static void child_kill(struct child *c, char *out, char *err)
{
	int status;

	kill(c->pid, SIGTERM);
	for (int i = 0; i < 500; i++) {
		if (waitpid(c->pid, &status, WNOHANG) == c->pid)
			goto reaped;
		usleep(10000);
	}
	kill(c->pid, SIGKILL);
	while (waitpid(c->pid, &status, 0) < 0)
		assert_int_equal(errno, EINTR);
reaped:
	slurp(c->out, out, OUT_MAX);
	slurp(c->err, err, OUT_MAX);
}

static char out_buf[OUT_MAX], err_buf[OUT_MAX];

/* Runs the CLI with the test secret (plus extra env) on input; exit status. */
static int run_cli(const char *input, const char *const *extra_env)
{
	const char *env[8] = {"JWT_SECRET=" SECRET};
	struct child c;
	size_t k = 1;

	for (size_t i = 0; extra_env != NULL && extra_env[i] != NULL && k < 7; i++)
		env[k++] = extra_env[i];
	env[k] = NULL;
	child_start(&c, input, env);
	return child_wait(&c, out_buf, err_buf);
}

/* ---- tokens and events ------------------------------------------------------------------- */

static void token_good(char tok[TOKEN_MAX], const char *role)
{
	assert_int_equal(jwt_token_issue(&cfg, SUB, role, (long)time(NULL), tok, NULL), 0);
}

static void token_expired(char tok[TOKEN_MAX])
{
	assert_int_equal(jwt_token_issue(&cfg, SUB, "admin", (long)time(NULL) - 7200, tok, NULL),
	                 0);
}

/* A good cliente token whose payload is swapped for an admin token's, signature kept. */
static void token_tampered(char tok[TOKEN_MAX])
{
	char good[TOKEN_MAX], admin[TOKEN_MAX];
	const char *d1, *d2, *a1, *a2;

	token_good(good, "cliente");
	token_good(admin, "admin");
	d1 = strchr(good, '.');
	d2 = strchr(d1 + 1, '.');
	a1 = strchr(admin, '.');
	a2 = strchr(a1 + 1, '.');
	snprintf(tok, TOKEN_MAX, "%.*s%.*s%s", (int)(d1 - good), good, (int)(a2 - a1), a1, d2);
	assert_string_not_equal(tok, good);
}

/* An event document (caller frees with free()). header_value NULL leaves the header out. */
static char *rest_event(const char *header_name, const char *header_value)
{
	json_t *headers = json_object(), *ev;
	char *s;

	if (header_value != NULL)
		json_object_set_new(headers, header_name, json_string(header_value));
	ev = json_pack("{s:s, s:s, s:s, s:o, s:{s:s}}", "type", "REQUEST", "methodArn", METHOD_ARN,
	               "resource", "/api/ordens", "headers", headers, "requestContext", "stage",
	               "prod");
	assert_non_null(ev);
	s = json_dumps(ev, JSON_COMPACT);
	json_decref(ev);
	assert_non_null(s);
	return s;
}

static char *token_event(const char *value)
{
	json_t *ev = json_pack("{s:s, s:s, s:s}", "type", "TOKEN", "authorizationToken", value,
	                       "methodArn", METHOD_ARN);
	char *s = json_dumps(ev, JSON_COMPACT);

	json_decref(ev);
	assert_non_null(s);
	return s;
}

static char *http_event(const char *header_value)
{
	json_t *headers = json_object(), *ev;
	char *s;

	if (header_value != NULL)
		json_object_set_new(headers, "authorization", json_string(header_value));
	json_object_set_new(headers, "user-agent", json_string("test"));
	ev = json_pack("{s:s, s:s, s:s, s:[s], s:o}", "version", "2.0", "type", "REQUEST",
	               "routeArn", METHOD_ARN, "identitySource", "x", "headers", headers);
	assert_non_null(ev);
	s = json_dumps(ev, JSON_COMPACT);
	json_decref(ev);
	assert_non_null(s);
	return s;
}

static char *bearer(const char *tok)
{
	static char buf[TOKEN_MAX + 16];

	snprintf(buf, sizeof(buf), "Bearer %s", tok);
	return buf;
}

/* ---- checking answers ------------------------------------------------------------------- */

/*
 * A REST answer: allowed, the policy on the whole stage with the token's sub and role; refused,
 * Lambda's error document "Unauthorized" (API Gateway's 401).
 */
static void check_policy(const char *answer, int allow, const char *role)
{
	json_error_t jerr;
	json_t *a = json_loads(answer, 0, &jerr);
	json_t *doc, *st, *ctx;

	if (a == NULL)
		fail_msg("answer is not JSON: %s", answer);
	assert_true(json_is_object(a));
	if (!allow) {
		assert_string_equal(json_string_value(json_object_get(a, "errorMessage")),
		                    "Unauthorized");
		assert_null(json_object_get(a, "policyDocument"));
		json_decref(a);
		return;
	}
	doc = json_object_get(a, "policyDocument");
	assert_string_equal(json_string_value(json_object_get(doc, "Version")), "2012-10-17");
	st = json_array_get(json_object_get(doc, "Statement"), 0);
	assert_int_equal(json_array_size(json_object_get(doc, "Statement")), 1);
	assert_string_equal(json_string_value(json_object_get(st, "Action")), "execute-api:Invoke");
	assert_string_equal(json_string_value(json_object_get(st, "Resource")), STAGE_ARN);
	assert_string_equal(json_string_value(json_object_get(st, "Effect")), "Allow");
	ctx = json_object_get(a, "context");
	assert_true(json_is_object(ctx));
	assert_string_equal(json_string_value(json_object_get(a, "principalId")), SUB);
	assert_string_equal(json_string_value(json_object_get(ctx, "sub")), SUB);
	assert_string_equal(json_string_value(json_object_get(ctx, "role")), role);
	json_decref(a);
}

/* The child's stderr is one JSON decision line: decision as expected, a reason, no token. */
static void check_log(const char *decision)
{
	json_t *line = json_loads(err_buf, JSON_DISABLE_EOF_CHECK, NULL);

	if (line == NULL)
		fail_msg("stderr is not one JSON line: %s", err_buf);
	assert_string_equal(strchr(err_buf, '\n'), "\n"); /* one line */
	assert_string_equal(json_string_value(json_object_get(line, "decision")), decision);
	assert_string_equal(json_string_value(json_object_get(line, "service")),
	                    "oficina-authorizer");
	assert_true(json_is_string(json_object_get(line, "reason")));
	assert_true(json_is_string(json_object_get(line, "resource")));
	json_decref(line);
}

static void check_simple(const char *answer, int allow, const char *role)
{
	json_t *a = json_loads(answer, 0, NULL);
	json_t *ctx;

	if (a == NULL)
		fail_msg("answer is not JSON: %s", answer);
	assert_true(json_is_boolean(json_object_get(a, "isAuthorized")));
	assert_int_equal(json_is_true(json_object_get(a, "isAuthorized")), allow);
	ctx = json_object_get(a, "context");
	assert_true(json_is_object(ctx));
	if (allow) {
		assert_string_equal(json_string_value(json_object_get(ctx, "sub")), SUB);
		assert_string_equal(json_string_value(json_object_get(ctx, "role")), role);
	} else {
		assert_int_equal(json_object_size(ctx), 0);
	}
	assert_null(json_object_get(a, "policyDocument"));
	json_decref(a);
}

/* Neither the secret nor tok may show up in anything the child wrote. */
static void check_no_leak(const char *tok)
{
	assert_null(strstr(out_buf, SECRET));
	assert_null(strstr(err_buf, SECRET));
	if (tok != NULL)
		assert_null(strstr(err_buf, tok));
}

static void cli_rest(const char *header_name, const char *header_value, int allow, const char *role)
{
	char *ev = rest_event(header_name, header_value);

	assert_int_equal(run_cli(ev, NULL), 0);
	check_policy(out_buf, allow, role);
	check_log(allow ? "allow" : "unauthorized");
	free(ev);
}

static void cli_http(const char *header_value, int allow, const char *role)
{
	char *ev = http_event(header_value);

	assert_int_equal(run_cli(ev, NULL), 0);
	check_simple(out_buf, allow, role);
	check_log(allow ? "allow" : "deny");
	free(ev);
}

/* ---- command-line tests ------------------------------------------------------------------ */

static void test_cli__rest_good_token__allow(void **state)
{
	char tok[TOKEN_MAX];
	(void)state;

	token_good(tok, "mecanico");
	cli_rest("Authorization", bearer(tok), 1, "mecanico");
	check_no_leak(tok);
	cli_rest("authorization", bearer(tok), 1, "mecanico");
	cli_rest("AUTHORIZATION", bearer(tok), 1, "mecanico");
}

static void test_cli__rest_bad_tokens__unauthorized(void **state)
{
	char tok[TOKEN_MAX];
	(void)state;

	token_expired(tok);
	cli_rest("Authorization", bearer(tok), 0, NULL);
	check_no_leak(tok);
	token_tampered(tok);
	cli_rest("Authorization", bearer(tok), 0, NULL);
	check_no_leak(tok);
	cli_rest("Authorization", NULL, 0, NULL);         /* no header */
	cli_rest("Authorization", "Bearer ", 0, NULL);    /* empty token */
	cli_rest("Authorization", "garbage", 0, NULL);    /* no scheme */
	cli_rest("Authorization", "Basic dTpw", 0, NULL); /* another scheme */
	token_good(tok, "admin");
	cli_rest("Authorization", tok, 0, NULL); /* a header without "Bearer" is refused */
	cli_rest("X-Other", bearer(tok), 0, NULL);
}

static void test_cli__token_event(void **state)
{
	char tok[TOKEN_MAX], *ev;
	(void)state;

	token_good(tok, "cliente");
	ev = token_event(bearer(tok));
	assert_int_equal(run_cli(ev, NULL), 0);
	check_policy(out_buf, 1, "cliente");
	free(ev);
	ev = token_event(tok); /* the bare token is accepted from authorizationToken */
	assert_int_equal(run_cli(ev, NULL), 0);
	check_policy(out_buf, 1, "cliente");
	free(ev);
	token_expired(tok);
	ev = token_event(bearer(tok));
	assert_int_equal(run_cli(ev, NULL), 0);
	check_policy(out_buf, 0, NULL);
	free(ev);
}

static void test_cli__http_api_v2(void **state)
{
	char tok[TOKEN_MAX];
	(void)state;

	token_good(tok, "atendente");
	cli_http(bearer(tok), 1, "atendente");
	check_no_leak(tok);
	token_expired(tok);
	cli_http(bearer(tok), 0, NULL);
	token_tampered(tok);
	cli_http(bearer(tok), 0, NULL);
	cli_http(NULL, 0, NULL);
}

static void test_cli__issuer_and_audience_from_env(void **state)
{
	const char *env_iss[] = {"JWT_ISSUER=outro", NULL};
	const char *env_aud[] = {"JWT_AUDIENCE=outra-api", NULL};
	char tok[TOKEN_MAX], *ev;
	(void)state;

	token_good(tok, "admin");
	ev = rest_event("Authorization", bearer(tok));
	assert_int_equal(run_cli(ev, env_iss), 0);
	check_policy(out_buf, 0, NULL);
	assert_int_equal(run_cli(ev, env_aud), 0);
	check_policy(out_buf, 0, NULL);
	free(ev);
}

static void test_cli__bad_config__exit_2(void **state)
{
	const char *none[] = {NULL};
	const char *short_secret[] = {"JWT_SECRET=only-thirty-one-bytes-long-xxxx", NULL};
	char tok[TOKEN_MAX], *ev;
	struct child c;
	(void)state;

	token_good(tok, "admin");
	ev = rest_event("Authorization", bearer(tok));

	child_start(&c, ev, none);
	assert_int_equal(child_wait(&c, out_buf, err_buf), 2);
	assert_string_equal(out_buf, "");
	assert_non_null(strstr(err_buf, "JWT_SECRET"));
	assert_non_null(strchr(err_buf, '\n'));
	assert_string_equal(strchr(err_buf, '\n'), "\n"); /* one line */

	child_start(&c, ev, short_secret);
	assert_int_equal(child_wait(&c, out_buf, err_buf), 2);
	assert_string_equal(out_buf, "");
	assert_non_null(strstr(err_buf, "JWT_SECRET"));
	assert_null(strstr(err_buf, "only-thirty-one")); /* the secret is not echoed */
	check_no_leak(tok);
	free(ev);
}

static void test_cli__unreadable_input__exit_2(void **state)
{
	static const char *const bad[] = {"",
	                                  "not json",
	                                  "[1,2]",
	                                  "{}",
	                                  "{\"methodArn\":7}",
	                                  "{\"version\":\"1.0\"}",
	                                  "{\"type\":\"REQUEST\""};
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(run_cli(bad[i], NULL), 2);
		assert_string_equal(out_buf, "");
		assert_true(strlen(err_buf) > 0);
		assert_string_equal(strchr(err_buf, '\n'), "\n");
	}
}

/* ---- the fake Runtime API ---------------------------------------------------------------- */

enum after_mode { AFTER_HOLD, AFTER_FAIL };

struct posted {
	char path[256];       /* URL of the POST */
	char error_type[128]; /* Lambda-Runtime-Function-Error-Type, "" when absent */
	char body[8192];      /* its body, NUL-terminated */
};

#define EVENTS 4

struct fake_api {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	enum after_mode after; /* what further /next calls get after the scripted events */
	int next_calls;        /* /next calls seen */
	int stopping;          /* set before MHD_stop_daemon: held calls return */
	int nposted;           /* entries used in posted */
	struct posted posted[8];
	char *events[EVENTS];    /* scripted events, handed out in order (owned) */
	const char *ids[EVENTS]; /* their request ids */
	struct MHD_Daemon *d;    /* the daemon */
	unsigned short port;     /* its port */
};

struct upload {
	char body[8192];
	size_t len;
};

static enum MHD_Result respond(struct MHD_Connection *conn, unsigned status, const char *body,
                               const char *request_id)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
	    strlen(body), (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	MHD_add_response_header(r, "Content-Type", "application/json");
	if (request_id != NULL) {
		MHD_add_response_header(r, "Lambda-Runtime-Aws-Request-Id", request_id);
		MHD_add_response_header(r, "Lambda-Runtime-Deadline-Ms", "4102444800000");
		MHD_add_response_header(r, "Lambda-Runtime-Invoked-Function-Arn",
		                        "arn:aws:lambda:sa-east-1:123456789012:function:authz");
	}
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result fake_next(struct fake_api *f, struct MHD_Connection *conn)
{
	int n;

	pthread_mutex_lock(&f->mu);
	n = f->next_calls++;
	pthread_cond_broadcast(&f->cv);
	if (n < EVENTS) {
		pthread_mutex_unlock(&f->mu);
		return respond(conn, 200, f->events[n], f->ids[n]);
	}
	if (f->after == AFTER_FAIL) {
		pthread_mutex_unlock(&f->mu);
		return respond(conn, 500, "{\"errorMessage\":\"gone\"}", NULL);
	}
	/* Hold the long poll, as Lambda does while no event comes, until the test ends. */
	{
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 60;
		while (!f->stopping) {
			if (pthread_cond_timedwait(&f->cv, &f->mu, &until) == ETIMEDOUT)
				break;
		}
	}
	pthread_mutex_unlock(&f->mu);
	return respond(conn, 410, "{}", NULL);
}

static enum MHD_Result fake_handler(void *cls, struct MHD_Connection *conn, const char *url,
                                    const char *method, const char *version,
                                    const char *upload_data, size_t *upload_data_size,
                                    void **con_cls)
{
	struct fake_api *f = cls;
	struct upload *up = *con_cls;
	const char *type;
	(void)version;

	if (strcmp(method, "GET") == 0) {
		if (strcmp(url, "/2018-06-01/runtime/invocation/next") == 0)
			return fake_next(f, conn);
		return respond(conn, 404, "{}", NULL);
	}
	if (strcmp(method, "POST") != 0)
		return respond(conn, 405, "{}", NULL);
	if (up == NULL) {
		up = calloc(1, sizeof(*up));
		if (up == NULL)
			return MHD_NO;
		*con_cls = up;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t room = sizeof(up->body) - 1 - up->len;
		size_t n = *upload_data_size < room ? *upload_data_size : room;
		memcpy(up->body + up->len, upload_data, n);
		up->len += n;
		*upload_data_size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&f->mu);
	if (f->nposted < (int)(sizeof(f->posted) / sizeof(f->posted[0]))) {
		struct posted *p = &f->posted[f->nposted++];
		snprintf(p->path, sizeof(p->path), "%s", url);
		type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		                                   "Lambda-Runtime-Function-Error-Type");
		snprintf(p->error_type, sizeof(p->error_type), "%s", type ? type : "");
		memcpy(p->body, up->body, up->len + 1);
	}
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	return respond(conn, 202, "{\"status\":\"OK\"}", NULL);
}

static void fake_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                           enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	free(*con_cls);
	*con_cls = NULL;
}

static void fake_start(struct fake_api *f, enum after_mode after)
{
	const union MHD_DaemonInfo *info;

	memset(f, 0, sizeof(*f));
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv, NULL);
	f->after = after;
	f->d = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG, 0,
	    NULL, NULL, fake_handler, f, MHD_OPTION_NOTIFY_COMPLETED, fake_completed, f,
	    MHD_OPTION_CONNECTION_TIMEOUT, 120u, MHD_OPTION_END);
	assert_non_null(f->d);
	info = MHD_get_daemon_info(f->d, MHD_DAEMON_INFO_BIND_PORT);
	assert_non_null(info);
	f->port = info->port;
	assert_true(f->port > 0);
}

static void fake_stop(struct fake_api *f)
{
	pthread_mutex_lock(&f->mu);
	f->stopping = 1;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	MHD_stop_daemon(f->d);
	for (size_t i = 0; i < EVENTS; i++)
		free(f->events[i]);
	pthread_cond_destroy(&f->cv);
	pthread_mutex_destroy(&f->mu);
}

/* Waits (at most 60 s) until nposted >= posts and next_calls >= nexts; 1 when reached. */
static int fake_wait(struct fake_api *f, int posts, int nexts)
{
	struct timespec until;
	int ok;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 60;
	pthread_mutex_lock(&f->mu);
	while (f->nposted < posts || f->next_calls < nexts) {
		if (pthread_cond_timedwait(&f->cv, &f->mu, &until) == ETIMEDOUT)
			break;
	}
	ok = f->nposted >= posts && f->next_calls >= nexts;
	pthread_mutex_unlock(&f->mu);
	return ok;
}

/*
 * Runs the authorizer (extra: its environment, api the AWS_LAMBDA_RUNTIME_API entry of it, to be
 * filled with f's port) against f until it has posted EVENTS answers and asked for one event
 * more, then stops both; its output is in out_buf and err_buf. Fails the test when it did not
 * get there within fake_wait's minute.
 */
static void run_events(struct fake_api *f, const char *const *extra, char api[64])
{
	struct child c;

	snprintf(api, 64, "AWS_LAMBDA_RUNTIME_API=127.0.0.1:%u", (unsigned)f->port);
	child_start(&c, NULL, extra);
	int reached = fake_wait(f, EVENTS, EVENTS + 1);
	child_kill(&c, out_buf, err_buf);
	fake_stop(f);
	assert_true(reached);
}

static const struct posted *posted_to(struct fake_api *f, const char *path)
{
	for (int i = 0; i < f->nposted; i++)
		if (strcmp(f->posted[i].path, path) == 0)
			return &f->posted[i];
	fail_msg("nothing was posted to %s", path);
	return NULL;
}

/* Scripts a good REST event, an expired HTTP API event, a malformed one and an expired REST one. */
static void fake_script(struct fake_api *f, char *good_tok)
{
	char expired[TOKEN_MAX];

	token_good(good_tok, "admin");
	token_expired(expired);
	f->events[0] = rest_event("Authorization", bearer(good_tok));
	f->ids[0] = "8476a536-e9f4-11e8-9739-2dfe598c3fcd";
	f->events[1] = http_event(bearer(expired));
	f->ids[1] = "req-v2";
	f->events[2] = strdup("this is not an event");
	f->ids[2] = "req-bad";
	assert_non_null(f->events[2]);
	f->events[3] = rest_event("Authorization", bearer(expired));
	f->ids[3] = "req-expired";
}

static void check_runtime_posts(struct fake_api *f)
{
	const struct posted *p;
	json_t *err;

	p = posted_to(f, "/2018-06-01/runtime/invocation/8476a536-e9f4-11e8-9739-2dfe598c3fcd/"
	                 "response");
	check_policy(p->body, 1, "admin");
	assert_string_equal(p->error_type, "");
	p = posted_to(f, "/2018-06-01/runtime/invocation/req-v2/response");
	check_simple(p->body, 0, NULL);
	p = posted_to(f, "/2018-06-01/runtime/invocation/req-bad/error");
	assert_string_equal(p->error_type, "InvalidEvent");
	err = json_loads(p->body, 0, NULL);
	assert_non_null(err);
	assert_string_equal(json_string_value(json_object_get(err, "errorType")), "InvalidEvent");
	assert_true(json_is_string(json_object_get(err, "errorMessage")));
	json_decref(err);
	/* A refused REST request: the function's error "Unauthorized", which the gateway makes 401.
	 */
	p = posted_to(f, "/2018-06-01/runtime/invocation/req-expired/error");
	assert_string_equal(p->error_type, "Unauthorized");
	check_policy(p->body, 0, NULL);
	assert_int_equal(f->nposted, EVENTS);
}

static void test_runtime__serves_invocations_then_waits(void **state)
{
	struct fake_api f;
	char api[64], tok[TOKEN_MAX];
	const char *env[3] = {"JWT_SECRET=" SECRET, api, NULL};
	(void)state;

	fake_start(&f, AFTER_HOLD);
	fake_script(&f, tok);
	/* Four answers posted, and the fifth /next call held open: the loop goes on. */
	run_events(&f, env, api);
	check_runtime_posts(&f);
	assert_string_equal(out_buf, "");
	/* One decision line per answered event, with its request id (the malformed one: no line).
	 */
	assert_non_null(strstr(err_buf, "\"request_id\":\"8476a536-e9f4-11e8-9739-2dfe598c3fcd\""));
	assert_non_null(strstr(err_buf, "\"decision\":\"allow\""));
	assert_non_null(strstr(err_buf, "\"decision\":\"deny\""));
	assert_non_null(strstr(err_buf, "\"decision\":\"unauthorized\""));
	check_no_leak(tok);
}

static void test_runtime__exits_when_runtime_api_fails(void **state)
{
	struct fake_api f;
	struct child c;
	char api[64], tok[TOKEN_MAX];
	const char *env[3] = {"JWT_SECRET=" SECRET, api, NULL};
	int status;
	(void)state;

	fake_start(&f, AFTER_FAIL);
	fake_script(&f, tok);
	snprintf(api, sizeof(api), "AWS_LAMBDA_RUNTIME_API=127.0.0.1:%u", (unsigned)f.port);
	child_start(&c, NULL, env);
	/* Exit 1 (not a sanitizer's exit code, not a signal) after the four answers. */
	status = child_wait(&c, out_buf, err_buf);
	fake_stop(&f);
	assert_int_equal(status, 1);
	assert_int_equal(f.next_calls, EVENTS + 1);
	check_runtime_posts(&f);
	assert_non_null(strstr(err_buf, "HTTP 500"));
	check_no_leak(tok);
}

/* s followed by pad spaces (JSON still; the caller frees with free()); s is freed. */
static char *padded(char *s, size_t pad)
{
	size_t n = strlen(s);
	char *p = realloc(s, n + pad + 1);

	assert_non_null(p);
	memset(p + n, ' ', pad);
	p[n + pad] = '\0';
	return p;
}

/*
 * An event read in many pieces is kept whole; one past Lambda's 6 MiB is refused as InvalidEvent
 * without being kept, and the next one is read whole again.
 */
static void test_runtime__big_events__whole_up_to_6_mib(void **state)
{
	struct fake_api f;
	char api[64], tok[TOKEN_MAX], expired[TOKEN_MAX];
	const char *env[3] = {"JWT_SECRET=" SECRET, api, NULL};
	const struct posted *p;
	json_t *err;
	(void)state;

	fake_start(&f, AFTER_HOLD);
	token_good(tok, "admin");
	token_expired(expired);
	f.events[0] = padded(rest_event("Authorization", bearer(tok)), 300 * 1024);
	f.ids[0] = "req-grande";
	f.events[1] = padded(strdup("{"), 7 * 1024 * 1024);
	f.ids[1] = "req-enorme";
	f.events[2] = rest_event("Authorization", bearer(tok));
	f.ids[2] = "req-depois";
	f.events[3] = rest_event("Authorization", bearer(expired));
	f.ids[3] = "req-expired";
	run_events(&f, env, api);
	p = posted_to(&f, "/2018-06-01/runtime/invocation/req-grande/response");
	check_policy(p->body, 1, "admin");
	p = posted_to(&f, "/2018-06-01/runtime/invocation/req-enorme/error");
	assert_string_equal(p->error_type, "InvalidEvent");
	err = json_loads(p->body, 0, NULL);
	assert_non_null(err);
	assert_non_null(
	    strstr(json_string_value(json_object_get(err, "errorMessage")), "larger than 6 MiB"));
	json_decref(err);
	p = posted_to(&f, "/2018-06-01/runtime/invocation/req-depois/response");
	check_policy(p->body, 1, "admin");
	p = posted_to(&f, "/2018-06-01/runtime/invocation/req-expired/error");
	assert_string_equal(p->error_type, "Unauthorized");
	assert_int_equal(f.nposted, EVENTS);
	check_no_leak(tok);
}

static void test_runtime__bad_config__init_error(void **state)
{
	struct fake_api f;
	struct child c;
	char api[64];
	const char *env[2] = {api, NULL};
	json_t *err;
	(void)state;

	fake_start(&f, AFTER_FAIL);
	snprintf(api, sizeof(api), "AWS_LAMBDA_RUNTIME_API=127.0.0.1:%u", (unsigned)f.port);
	child_start(&c, NULL, env);
	assert_int_equal(child_wait(&c, out_buf, err_buf), 2);
	fake_stop(&f);
	assert_int_equal(f.next_calls, 0);
	assert_int_equal(f.nposted, 1);
	assert_string_equal(f.posted[0].path, "/2018-06-01/runtime/init/error");
	assert_string_equal(f.posted[0].error_type, "Runtime.InitError");
	err = json_loads(f.posted[0].body, 0, NULL);
	assert_non_null(err);
	assert_non_null(
	    strstr(json_string_value(json_object_get(err, "errorMessage")), "JWT_SECRET"));
	json_decref(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cli__rest_good_token__allow),
	    cmocka_unit_test(test_cli__rest_bad_tokens__unauthorized),
	    cmocka_unit_test(test_cli__token_event),
	    cmocka_unit_test(test_cli__http_api_v2),
	    cmocka_unit_test(test_cli__issuer_and_audience_from_env),
	    cmocka_unit_test(test_cli__bad_config__exit_2),
	    cmocka_unit_test(test_cli__unreadable_input__exit_2),
	    cmocka_unit_test(test_runtime__serves_invocations_then_waits),
	    cmocka_unit_test(test_runtime__exits_when_runtime_api_fails),
	    cmocka_unit_test(test_runtime__big_events__whole_up_to_6_mib),
	    cmocka_unit_test(test_runtime__bad_config__init_error),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * A W3C WebDriver client on chromedriver for the end-to-end tests of the web pages (test support).
 * See webdriver.h.
 */
#include "tests/support/webdriver.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "domain/monotonic.h"
#include "tests/support/http_client.h"
#include "tests/support/server.h"

/* Debian's chromium and chromium-driver; a build elsewhere may name others (-DCHROMIUM_BIN=...). */
#ifndef CHROMEDRIVER_BIN
#define CHROMEDRIVER_BIN "/usr/bin/chromedriver"
#endif
#ifndef CHROMIUM_BIN
#define CHROMIUM_BIN "/usr/bin/chromium"
#endif

/*
 * Every exchange with chromedriver; longer than the page load and script timeouts below, so that
 * chromedriver reports a slow page itself instead of curl abandoning a command it still runs.
 */
#define HTTP_TIMEOUT_MS      20000
#define PAGE_LOAD_TIMEOUT_MS 15000
#define SCRIPT_TIMEOUT_MS    10000
#define READY_TIMEOUT_MS     15000
#define STATUS_TIMEOUT_MS    2000 /* one GET /status while waiting for readiness */
#define STOP_GRACE_MS        3000 /* between SIGTERM and SIGKILL */
#define LAUNCH_ATTEMPTS      3    /* another test may take the free port before chromedriver */

/* The key under which W3C WebDriver returns an element reference. */
#define ELEMENT_KEY "element-6066-11e4-a52e-4f735466cecf"

/* A driver's directory: DIR_PARENT/DIR_NAME, the owner's pid, "-" and mkdtemp's six letters. */
#define DIR_PARENT "/tmp"
#define DIR_NAME   "oficina-webdriver-"

struct webdriver {
	pid_t pid;               /* chromedriver, leader of its own process group; 0 once reaped */
	int port;                /* where chromedriver listens */
	char base_url[64];       /* "http://127.0.0.1:PORT" */
	char session[128];       /* session id, "" while there is none */
	char dir[64];            /* mkdtemp directory holding the two below; removed at stop */
	char profile[96];        /* Chromium's --user-data-dir */
	char log_path[96];       /* chromedriver's stdout and stderr (and Chromium's) */
	struct http_client http; /* one curl handle, so commands reuse one connection */
	char code[64];           /* W3C error code of the last failure, e.g. "no such element" */
	char error[768];         /* message of the last failure, "" when none */
};

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

__attribute__((format(printf, 3, 4))) static void wd_fail(struct webdriver *wd, const char *code,
                                                          const char *fmt, ...)
{
	va_list ap;

	snprintf(wd->code, sizeof wd->code, "%s", code);
	va_start(ap, fmt);
	vsnprintf(wd->error, sizeof wd->error, fmt, ap);
	va_end(ap);
}

/*
 * Failures the caller asked about (no element matches) stay quiet; the others are printed, since a
 * test usually reports only "returned -1" and the reason would otherwise be lost.
 */
static void wd_report(const struct webdriver *wd)
{
	fprintf(stderr, "webdriver: %s\n", wd->error);
}

/* "/session/ID" followed by the formatted suffix, into out (n bytes). */
__attribute__((format(printf, 4, 5))) static const char *
session_path(const struct webdriver *wd, char *out, size_t n, const char *fmt, ...)
{
	va_list ap;
	int len = snprintf(out, n, "/session/%s", wd->session);

	if (len < 0 || (size_t)len >= n)
		return out;
	va_start(ap, fmt);
	vsnprintf(out + len, n - (size_t)len, fmt, ap);
	va_end(ap);
	return out;
}

/*
 * Sends one command. body is the JSON to POST (the reference is taken over; NULL for GET and
 * DELETE, while NULL for POST means that building it ran out of memory). On success stores a new
 * reference to the answer's "value" in *value when value is not NULL (the caller decrefs it) and
 * returns 0; otherwise records the W3C error code and message and returns -1.
 */
static int wd_command(struct webdriver *wd, const char *method, const char *path, json_t *body,
                      json_t **value, long timeout_ms)
{
	static const char *const headers[] = {"Content-Type: application/json; charset=utf-8",
	                                      "Accept: application/json", NULL};
	struct http_options opt = {.timeout_ms = timeout_ms};
	struct http_response r = {0};
	char url[1024];
	char *text = NULL;
	json_t *v;
	int ret = -1;

	if (value)
		*value = NULL;
	wd->code[0] = wd->error[0] = '\0';
	if (strcmp(method, "POST") == 0) {
		text = body ? json_dumps(body, JSON_COMPACT) : NULL;
		if (!text) {
			wd_fail(wd, "out of memory", "%s %s: cannot build the request body", method,
			        path);
			goto out;
		}
	}
	snprintf(url, sizeof url, "%s%s", wd->base_url, path);
	if (http_client_send(&wd->http, method, url, headers, text, text ? strlen(text) : 0, &opt,
	                     &r) != 0) {
		wd_fail(wd, "no answer", "%s %s: no answer from chromedriver (%s)", method, path,
		        r.error);
		goto out;
	}
	v = json_object_get(r.json, "value");
	if (r.status != 200) {
		const char *code = json_string_value(json_object_get(v, "error"));
		const char *msg = json_string_value(json_object_get(v, "message"));
		if (!msg)
			msg = code ? code : (r.body ? r.body : "");
		wd_fail(wd, code ? code : "unknown error", "%s %s: HTTP %ld: %.600s", method, path,
		        r.status, msg);
		/* One line, without the one chromedriver adds about the session (versions only). */
		char *info = strstr(wd->error, "\n  (Session info:");
		if (info)
			*info = '\0';
		for (char *nl = strchr(wd->error, '\n'); nl; nl = strchr(nl, '\n'))
			*nl = ' ';
		goto out;
	}
	if (value)
		*value = v ? json_incref(v) : json_null();
	ret = 0;
out:
	http_response_cleanup(&r);
	free(text);
	json_decref(body);
	return ret;
}

static int wd_get(struct webdriver *wd, const char *path, json_t **value)
{
	return wd_command(wd, "GET", path, NULL, value, HTTP_TIMEOUT_MS);
}

static int wd_post(struct webdriver *wd, const char *path, json_t *body, json_t **value)
{
	return wd_command(wd, "POST", path, body, value, HTTP_TIMEOUT_MS);
}

/* A GET whose value is a string: a copy of it (malloc'd), or NULL. */
static char *wd_get_string(struct webdriver *wd, const char *path)
{
	json_t *v;
	char *s = NULL;

	if (wd_get(wd, path, &v) != 0) {
		wd_report(wd);
		return NULL;
	}
	if (!json_is_string(v))
		wd_fail(wd, "unexpected answer", "GET %s: the value is not a string", path);
	else if (!(s = strdup(json_string_value(v))))
		wd_fail(wd, "out of memory", "GET %s: cannot copy the answer", path);
	if (!s)
		wd_report(wd);
	json_decref(v);
	return s;
}

/*
 * The reference of the first element matching css, into id (n bytes). 0 when found, 1 when none
 * matches (code "no such element", not printed), -1 on error (printed).
 */
static int find_element(struct webdriver *wd, const char *css, char *id, size_t n)
{
	char path[256];
	json_t *v;

	session_path(wd, path, sizeof path, "/element");
	if (wd_post(wd, path, json_pack("{s:s, s:s}", "using", "css selector", "value", css), &v) !=
	    0) {
		if (strcmp(wd->code, "no such element") == 0)
			return 1;
		wd_report(wd);
		return -1;
	}
	const char *ref = json_string_value(json_object_get(v, ELEMENT_KEY));
	int rc = ref && strlen(ref) < n ? 0 : -1;
	if (rc == 0)
		memcpy(id, ref, strlen(ref) + 1);
	else
		wd_fail(wd, "unexpected answer", "no element reference for \"%s\"", css);
	json_decref(v);
	if (rc != 0)
		wd_report(wd);
	return rc;
}

/* Prints the end of chromedriver's log (where it says why it would not start) to stderr. */
static void print_log_tail(const struct webdriver *wd)
{
	char buf[4096];
	int fd = open(wd->log_path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	off_t size = lseek(fd, 0, SEEK_END);
	off_t from = size > (off_t)sizeof buf - 1 ? size - (off_t)sizeof buf + 1 : 0;
	ssize_t n = pread(fd, buf, sizeof buf - 1, from);
	close(fd);
	if (n <= 0)
		return;
	fprintf(stderr, "---- end of %s ----\n%.*s---- end of log ----\n", wd->log_path, (int)n,
	        buf);
}

/* Forks chromedriver on a new free port, in its own process group. 0, or -1. */
static int launch(struct webdriver *wd)
{
	char port_arg[32];
	sigset_t all;

	wd->port = test_free_port();
	if (wd->port <= 0) {
		wd_fail(wd, "launch", "no free port: %s", strerror(errno));
		return -1;
	}
	snprintf(wd->base_url, sizeof wd->base_url, "http://127.0.0.1:%d", wd->port);
	snprintf(port_arg, sizeof port_arg, "--port=%d", wd->port);
	int logfd = open(wd->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (logfd < 0) {
		wd_fail(wd, "launch", "%s: %s", wd->log_path, strerror(errno));
		return -1;
	}
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		wd_fail(wd, "launch", "fork: %s", strerror(errno));
		close(logfd);
		return -1;
	}
	if (pid == 0) {
		/*
		 * A test binary that dies must not leave chromedriver behind; Chromium follows it
		 * when its debugging pipe closes. The check closes the race with a parent that died
		 * before prctl.
		 */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		/*
		 * Its own group, so that webdriver_stop can kill Chromium's processes along with
		 * it; and no signal blocked by the test may keep it from being stopped.
		 */
		setpgid(0, 0);
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		dup2(logfd, STDOUT_FILENO);
		dup2(logfd, STDERR_FILENO);
		char *argv[] = {CHROMEDRIVER_BIN, port_arg, NULL};
		execv(CHROMEDRIVER_BIN, argv);
		dprintf(STDERR_FILENO, "exec %s: %s\n", CHROMEDRIVER_BIN, strerror(errno));
		_exit(127);
	}
	/* Also here, so that the group exists before the parent may signal it. */
	setpgid(pid, pid);
	close(logfd);
	wd->pid = pid;
	return 0;
}

/*
 * Waits for GET /status to report ready. 0 when it does, 1 when chromedriver exited first (a port
 * taken meanwhile: worth another attempt), -1 when the deadline passed.
 */
static int wait_ready(struct webdriver *wd)
{
	struct timespec deadline = monotonic_in_ms(READY_TIMEOUT_MS);
	int st;

	for (;;) {
		json_t *v;
		if (waitpid(wd->pid, &st, WNOHANG) == wd->pid) {
			wd->pid = 0;
			if (WIFSIGNALED(st))
				wd_fail(wd, "launch",
				        "chromedriver died of signal %d during start-up",
				        WTERMSIG(st));
			else
				wd_fail(wd, "launch", "chromedriver exited %d during start-up",
				        WEXITSTATUS(st));
			return 1;
		}
		if (wd_command(wd, "GET", "/status", NULL, &v, STATUS_TIMEOUT_MS) == 0) {
			int ready = json_is_true(json_object_get(v, "ready"));
			json_decref(v);
			if (ready)
				return 0;
		}
		if (monotonic_ms_until(&deadline) <= 0) {
			wd_fail(wd, "timeout", "chromedriver was not ready within %d ms (%s)",
			        READY_TIMEOUT_MS, wd->error[0] ? wd->error : "not ready");
			return -1;
		}
		sleep_ms(50);
	}
}

static int create_session(struct webdriver *wd)
{
	char profile_arg[128];
	json_t *v;

	snprintf(profile_arg, sizeof profile_arg, "--user-data-dir=%s", wd->profile);
	/*
	 * --remote-debugging-pipe: Chromium exits by itself when chromedriver dies (with a TCP
	 * debugging port it would live on). The window is a phone's, as the workshop's people use.
	 */
	json_t *args = json_pack("[s,s,s,s,s,s,s,s,s]", "--remote-debugging-pipe", "--headless=new",
	                         "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
	                         "--window-size=390,844", "--no-first-run",
	                         "--no-default-browser-check", profile_arg);
	json_t *caps =
	    json_pack("{s:{s:{s:s, s:s, s:{s:i, s:i, s:i}, s:{s:s}, s:{s:s, s:o}}}}",
	              "capabilities", "alwaysMatch", "browserName", "chrome", "pageLoadStrategy",
	              "normal", "timeouts", "implicit", 0, "pageLoad", PAGE_LOAD_TIMEOUT_MS,
	              "script", SCRIPT_TIMEOUT_MS, "goog:loggingPrefs", "browser", "ALL",
	              "goog:chromeOptions", "binary", CHROMIUM_BIN, "args", args);
	if (wd_post(wd, "/session", caps, &v) != 0)
		return -1;
	const char *id = json_string_value(json_object_get(v, "sessionId"));
	if (id && strlen(id) < sizeof wd->session)
		snprintf(wd->session, sizeof wd->session, "%s", id);
	else
		wd_fail(wd, "unexpected answer", "POST /session: no sessionId");
	json_decref(v);
	return wd->session[0] ? 0 : -1;
}

static int remove_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

/*
 * Removes the directories of test binaries that died without webdriver_stop (a crash, SIGKILL):
 * their names carry the owner's pid, and only an owner that no longer exists gives one up.
 */
static void remove_stale_dirs(void)
{
	size_t len = strlen(DIR_NAME);
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(DIR_PARENT);

	if (!d)
		return;
	while ((e = readdir(d))) {
		char *end;
		if (strncmp(e->d_name, DIR_NAME, len) != 0)
			continue;
		long pid = strtol(e->d_name + len, &end, 10);
		if (pid <= 0 || *end != '-' || pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(path, sizeof path, "%s/%s", DIR_PARENT, e->d_name);
		nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
	closedir(d);
}

struct webdriver *webdriver_start(void)
{
	struct webdriver *wd = calloc(1, sizeof *wd);
	int rc = 1;

	if (!wd) {
		fprintf(stderr, "webdriver_start: out of memory\n");
		return NULL;
	}
	if (http_client_init(&wd->http) != 0) {
		fprintf(stderr, "webdriver_start: curl_easy_init failed\n");
		free(wd);
		return NULL;
	}
	remove_stale_dirs();
	snprintf(wd->dir, sizeof wd->dir, "%s/%s%d-XXXXXX", DIR_PARENT, DIR_NAME, (int)getpid());
	if (!mkdtemp(wd->dir)) {
		fprintf(stderr, "webdriver_start: mkdtemp: %s\n", strerror(errno));
		wd->dir[0] = '\0';
		webdriver_stop(wd);
		return NULL;
	}
	snprintf(wd->profile, sizeof wd->profile, "%s/profile", wd->dir);
	snprintf(wd->log_path, sizeof wd->log_path, "%s/chromedriver.log", wd->dir);
	for (int i = 0; i < LAUNCH_ATTEMPTS && rc == 1; i++) {
		rc = launch(wd);
		if (rc == 0)
			rc = wait_ready(wd);
	}
	if (rc == 0)
		rc = create_session(wd);
	if (rc != 0) {
		fprintf(stderr, "webdriver_start: %s\n", wd->error);
		print_log_tail(wd);
		webdriver_stop(wd);
		return NULL;
	}
	return wd;
}

/* SIGTERM, up to STOP_GRACE_MS for chromedriver to exit, then SIGKILL to the whole group. */
static void kill_chromedriver(struct webdriver *wd)
{
	struct timespec deadline = monotonic_in_ms(STOP_GRACE_MS);
	siginfo_t info;
	int st;

	if (wd->pid <= 0)
		return;
	kill(wd->pid, SIGTERM);
	for (;;) {
		/*
		 * WNOWAIT leaves it a zombie, which keeps its pid, hence the group id, from being
		 * reused before the group is killed below.
		 */
		memset(&info, 0, sizeof info);
		if (waitid(P_PID, (id_t)wd->pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
		    info.si_pid == wd->pid)
			break;
		if (monotonic_ms_until(&deadline) <= 0) {
			fprintf(stderr,
			        "webdriver: chromedriver pid %d ignored SIGTERM: killing it\n",
			        (int)wd->pid);
			break;
		}
		sleep_ms(20);
	}
	/* Chromium's helpers that were still on their way out after the session ended. */
	kill(-wd->pid, SIGKILL);
	while (waitpid(wd->pid, &st, 0) < 0 && errno == EINTR)
		;
	wd->pid = 0;
}

void webdriver_stop(struct webdriver *wd)
{
	char path[256];

	if (!wd)
		return;
	if (wd->session[0] && wd->pid > 0) {
		/* Chromium's browser process quits, and chromedriver waits for it before answering.
		 */
		snprintf(path, sizeof path, "/session/%s", wd->session);
		if (wd_command(wd, "DELETE", path, NULL, NULL, HTTP_TIMEOUT_MS) != 0)
			wd_report(wd);
		wd->session[0] = '\0';
	}
	kill_chromedriver(wd);
	if (wd->dir[0])
		nftw(wd->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	http_client_cleanup(&wd->http);
	free(wd);
}

int webdriver_open(struct webdriver *wd, const char *url)
{
	char path[256];

	session_path(wd, path, sizeof path, "/url");
	if (wd_post(wd, path, json_pack("{s:s}", "url", url), NULL) != 0) {
		wd_report(wd);
		return -1;
	}
	return 0;
}

char *webdriver_url(struct webdriver *wd)
{
	char path[256];

	return wd_get_string(wd, session_path(wd, path, sizeof path, "/url"));
}

char *webdriver_text(struct webdriver *wd, const char *css)
{
	char id[128], path[384];

	if (find_element(wd, css, id, sizeof id) != 0)
		return NULL;
	return wd_get_string(wd, session_path(wd, path, sizeof path, "/element/%s/text", id));
}

int webdriver_click(struct webdriver *wd, const char *css)
{
	char id[128], path[384];
	int rc = find_element(wd, css, id, sizeof id);

	if (rc == 1) {
		wd_fail(wd, "no such element", "click: no element matches \"%s\"", css);
		wd_report(wd);
	}
	if (rc != 0)
		return -1;
	/*
	 * chromedriver's Element Click waits for a navigation it starts (normal page load
	 * strategy), so a submitted form's next page, redirect included, has loaded on return.
	 */
	session_path(wd, path, sizeof path, "/element/%s/click", id);
	if (wd_post(wd, path, json_object(), NULL) != 0) {
		wd_report(wd);
		return -1;
	}
	return 0;
}

int webdriver_type(struct webdriver *wd, const char *css, const char *text)
{
	char id[128], path[384];
	int rc = find_element(wd, css, id, sizeof id);

	if (rc == 1) {
		wd_fail(wd, "no such element", "type: no element matches \"%s\"", css);
		wd_report(wd);
	}
	if (rc != 0)
		return -1;
	session_path(wd, path, sizeof path, "/element/%s/value", id);
	if (wd_post(wd, path, json_pack("{s:s}", "text", text), NULL) != 0) {
		wd_report(wd);
		return -1;
	}
	return 0;
}

int webdriver_count(struct webdriver *wd, const char *css)
{
	char path[256];
	json_t *v;

	session_path(wd, path, sizeof path, "/elements");
	if (wd_post(wd, path, json_pack("{s:s, s:s}", "using", "css selector", "value", css), &v) !=
	    0) {
		wd_report(wd);
		return -1;
	}
	int n = json_is_array(v) ? (int)json_array_size(v) : -1;
	if (n < 0) {
		wd_fail(wd, "unexpected answer", "find elements \"%s\": the value is not an array",
		        css);
		wd_report(wd);
	}
	json_decref(v);
	return n;
}

int webdriver_wait(struct webdriver *wd, const char *css, long timeout_ms)
{
	struct timespec deadline = monotonic_in_ms(timeout_ms);

	for (;;) {
		int n = webdriver_count(wd, css);
		if (n < 0)
			return -1;
		if (n > 0)
			return 0;
		if (monotonic_ms_until(&deadline) <= 0) {
			wd_fail(wd, "timeout", "no element matched \"%s\" within %ld ms", css,
			        timeout_ms);
			wd_report(wd);
			return -1;
		}
		sleep_ms(50);
	}
}

char *webdriver_source(struct webdriver *wd)
{
	char path[256];

	return wd_get_string(wd, session_path(wd, path, sizeof path, "/source"));
}

char *webdriver_console_errors(struct webdriver *wd)
{
	char path[256];
	json_t *v, *e;
	size_t i, len = 0;
	char *out = NULL;

	/*
	 * chromedriver's extension of the protocol (the one Selenium uses): it hands over and
	 * forgets the entries collected so far.
	 */
	session_path(wd, path, sizeof path, "/se/log");
	if (wd_post(wd, path, json_pack("{s:s}", "type", "browser"), &v) != 0) {
		wd_report(wd);
		return NULL;
	}
	out = calloc(1, 1);
	json_array_foreach(v, i, e)
	{
		const char *level = json_string_value(json_object_get(e, "level"));
		const char *msg = json_string_value(json_object_get(e, "message"));
		if (!out || !level || !msg || strcmp(level, "SEVERE") != 0)
			continue;
		size_t n = strlen(msg);
		char *grown = realloc(out, len + n + 2);
		if (!grown) {
			free(out);
			out = NULL;
			break;
		}
		out = grown;
		memcpy(out + len, msg, n);
		len += n;
		out[len++] = '\n';
		out[len] = '\0';
	}
	json_decref(v);
	if (!out) {
		wd_fail(wd, "out of memory", "console errors: out of memory");
		wd_report(wd);
	}
	return out;
}

const char *webdriver_error(const struct webdriver *wd)
{
	return wd ? wd->error : "no webdriver";
}

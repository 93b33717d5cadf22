/*
 * The AWS Lambda custom runtime loop of the authorizer (cmd layer): libcurl against the Runtime
 * API. One easy handle is reused so that the connection to the Runtime API stays open.
 */
#include "cmd/oficina-authorizer/runtime.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cmd/oficina-authorizer/authorizer.h"
#include "domain/errors.h"
#include "domain/strbuf.h"

#define RUNTIME_PREFIX "/2018-06-01/runtime"
#define REQUEST_ID_MAX 128
#define URL_MAX        512

struct body {
	struct strbuf text; /* what was kept */
	int overflow; /* the body was larger than AUTHORIZER_EVENT_MAX (the rest was dropped) */
};

struct invocation {
	struct body body;                /* the event */
	char request_id[REQUEST_ID_MAX]; /* Lambda-Runtime-Aws-Request-Id, "" when absent or bad */
};

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct body *b = userdata;
	size_t n = size * nmemb;

	if (b->overflow || n > AUTHORIZER_EVENT_MAX - b->text.len) {
		b->overflow = 1; /* keep reading (the connection stays usable), keep nothing */
		return n;
	}
	strbuf_add(&b->text, ptr, n);
	return b->text.failed ? 0 : n; /* 0 aborts the transfer: CURLE_WRITE_ERROR */
}

/* 1 when the id can go into a URL path as it is (Lambda's ids are UUIDs). */
static int request_id_ok(const char *s, size_t n)
{
	if (n == 0 || n >= REQUEST_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

static size_t on_header(char *line, size_t size, size_t nitems, void *userdata)
{
	static const char name[] = "Lambda-Runtime-Aws-Request-Id:";
	struct invocation *inv = userdata;
	size_t n = size * nitems, k = sizeof(name) - 1;
	const char *v, *end;

	if (n <= k || strncasecmp(line, name, k) != 0)
		return n;
	v = line + k;
	end = line + n;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (request_id_ok(v, (size_t)(end - v))) {
		memcpy(inv->request_id, v, (size_t)(end - v));
		inv->request_id[end - v] = '\0';
	}
	return n;
}

static void body_reset(struct body *b)
{
	strbuf_cleanup(&b->text);
	b->overflow = 0;
}

/* Waits for the next invocation. 0, or -1 (one line on stderr) when the loop must stop. */
static int next_invocation(CURL *h, const char *api, struct invocation *inv)
{
	char url[URL_MAX];
	long status = 0;
	CURLcode cc;

	body_reset(&inv->body);
	inv->request_id[0] = '\0';
	snprintf(url, sizeof(url), "http://%s" RUNTIME_PREFIX "/invocation/next", api);
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT,
	                 0L); /* a long poll: the next event may be hours away */
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &inv->body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, inv);
	cc = curl_easy_perform(h);
	if (cc != CURLE_OK) {
		fprintf(stderr, "oficina-authorizer: runtime API: next invocation: %s\n",
		        curl_easy_strerror(cc));
		return -1;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		fprintf(stderr, "oficina-authorizer: runtime API: next invocation: HTTP %ld\n",
		        status);
		return -1;
	}
	if (inv->request_id[0] == '\0') {
		fprintf(stderr, "oficina-authorizer: runtime API: invocation without a usable "
		                "Lambda-Runtime-Aws-Request-Id\n");
		return -1;
	}
	return 0;
}

static size_t discard(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	(void)ptr;
	(void)userdata;
	return size * nmemb;
}

/*
 * POSTs body to path (under the runtime prefix), with error_type as
 * Lambda-Runtime-Function-Error-Type when not NULL. 0; -1 when the Runtime API cannot be reached
 * (the loop stops); 1 when it answered with an unexpected status (logged, the loop goes on).
 */
static int post(CURL *h, const char *api, const char *path, const char *body,
                const char *error_type)
{
	struct curl_slist *hdrs = NULL, *more;
	char url[URL_MAX], type_hdr[128];
	long status = 0;
	CURLcode cc;
	int rc = -1;

	snprintf(url, sizeof(url), "http://%s" RUNTIME_PREFIX "%s", api, path);
	more = curl_slist_append(hdrs, "Content-Type: application/json");
	if (more == NULL)
		goto out;
	hdrs = more;
	if (error_type != NULL) {
		snprintf(type_hdr, sizeof(type_hdr), "Lambda-Runtime-Function-Error-Type: %s",
		         error_type);
		more = curl_slist_append(hdrs, type_hdr);
		if (more == NULL)
			goto out;
		hdrs = more;
	}
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	cc = curl_easy_perform(h);
	if (cc != CURLE_OK) {
		fprintf(stderr, "oficina-authorizer: runtime API: POST %s: %s\n", path,
		        curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	rc = 0;
	if (status != 202) {
		fprintf(stderr, "oficina-authorizer: runtime API: POST %s: HTTP %ld\n", path,
		        status);
		rc = 1;
	}
out:
	curl_slist_free_all(hdrs);
	return rc;
}

/* An error document {"errorMessage", "errorType"} in compact JSON (malloc'd), or NULL. */
static char *error_document(const char *message, const char *type)
{
	json_t *doc = json_pack("{s:s, s:s}", "errorMessage", message, "errorType", type);
	char *s = doc ? json_dumps(doc, JSON_COMPACT) : NULL;

	json_decref(doc);
	return s;
}

/* Answers one invocation. 0, or -1 when the loop must stop. */
static int handle(CURL *h, const char *api, const struct jwt_config *cfg,
                  const struct invocation *inv)
{
	struct authorizer_decision d;
	char path[URL_MAX];
	char *answer = NULL, *err = NULL, *log = NULL;
	const char *why = "the event is larger than 6 MiB", *type = "InvalidEvent";
	int rc = APP_EINVALID, posted;
	long now = (long)time(NULL);

	if (!inv->body.overflow)
		rc = authorizer_answer(cfg, inv->body.text.s ? inv->body.text.s : "",
		                       inv->body.text.len, now, &answer, &d, &why);
	if (rc == 0) {
		if ((log = authorizer_log_line(&d, inv->request_id, now)))
			fprintf(stderr, "%s\n", log);
		/* A refused REST request is the function's error "Unauthorized": the gateway's 401.
		 */
		bool error = authorizer_is_error(&d);
		snprintf(path, sizeof(path), "/invocation/%s/%s", inv->request_id,
		         error ? "error" : "response");
		posted = post(h, api, path, answer, error ? "Unauthorized" : NULL);
	} else {
		if (rc == APP_ENOMEM)
			type = "Runtime.OutOfMemory";
		fprintf(stderr, "oficina-authorizer: invocation %s: %s\n", inv->request_id, why);
		err = error_document(why, type);
		snprintf(path, sizeof(path), "/invocation/%s/error", inv->request_id);
		posted = post(h, api, path, err ? err : "{}", type);
	}
	free(log);
	free(err);
	free(answer);
	return posted < 0 ? -1 : 0;
}

/* 1 when api looks like host:port and leaves room in a URL. */
static int api_ok(const char *api)
{
	size_t n = strlen(api);

	if (n == 0 || n > 255)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (api[i] <= ' ' || api[i] == '/' || api[i] == '?' || api[i] == '#' ||
		    api[i] == '@' || api[i] == 0x7f)
			return 0;
	return 1;
}

int runtime_run(const char *api, const struct jwt_config *cfg)
{
	struct invocation inv;
	CURL *h = NULL;
	int rc = 1;

	memset(&inv, 0, sizeof(inv));
	if (!api_ok(api)) {
		fprintf(stderr, "oficina-authorizer: AWS_LAMBDA_RUNTIME_API is not host:port\n");
		return 1;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		fprintf(stderr, "oficina-authorizer: libcurl failed to initialise\n");
		return 1;
	}
	h = curl_easy_init();
	if (h == NULL) {
		fprintf(stderr, "oficina-authorizer: libcurl failed to initialise\n");
		goto out;
	}
	for (;;) {
		if (next_invocation(h, api, &inv) != 0)
			break;
		if (handle(h, api, cfg, &inv) != 0)
			break;
	}
out:
	body_reset(&inv.body);
	curl_easy_cleanup(h);
	curl_global_cleanup();
	return rc;
}

void runtime_report_init_error(const char *api, const char *message)
{
	CURL *h;
	char *err;

	if (!api_ok(api) || curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return;
	h = curl_easy_init();
	err = error_document(message, "Runtime.InitError");
	if (h != NULL && err != NULL)
		(void)post(h, api, "/init/error", err, "Runtime.InitError");
	free(err);
	curl_easy_cleanup(h);
	curl_global_cleanup();
}

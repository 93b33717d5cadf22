/*
 * A small HTTP client on libcurl for the end-to-end tests (test support). It sends any method with
 * any headers and body, never follows redirects, gives up after 10 seconds, and keeps the status,
 * the raw body, the body parsed as JSON (when it is JSON) and every response header. A struct
 * http_client keeps one curl handle, so that consecutive requests can reuse one connection
 * (keep-alive); http_request uses a fresh handle, hence a fresh connection, each time. A raw socket
 * helper sends bytes exactly as given, for what curl will not send.
 */
#ifndef OFICINA_TESTS_SUPPORT_HTTP_CLIENT_H
#define OFICINA_TESTS_SUPPORT_HTTP_CLIENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct http_response {
	long status;         /* HTTP status, 0 when no answer came (see error) */
	char *body;          /* body, NUL-terminated (NUL also counted out by body_len) */
	size_t body_len;     /* bytes of body */
	json_t *json;        /* body parsed as JSON, or NULL when empty or not JSON */
	char **headers;      /* "Name: value" lines of the final response, CRLF removed */
	size_t nheaders;     /* entries in headers */
	long num_connects;   /* new connections curl had to open for this request */
	char error[256];     /* curl's message when status is 0 */
	double total_time_s; /* how long the exchange took */
};

/* Options for http_client_send; zero-initialised means "none of these". */
struct http_options {
	bool chunked; /* send the body with Transfer-Encoding: chunked instead of Content-Length */
	long timeout_ms; /* 0: 10 seconds */
};

struct http_client {
	void *curl; /* CURL handle, reused between requests */
};

/* Initialises the curl library once per process. Safe to call many times. */
void http_global_init(void);

/* A client with one reusable handle. 0, or -1 when curl cannot make one. */
int http_client_init(struct http_client *c);

/* Releases the handle and its connections. NULL-safe. */
void http_client_cleanup(struct http_client *c);

/*
 * Sends method to url with headers (NULL-terminated array of "Name: value" strings, or NULL) and
 * body (body_len bytes; NULL for none) on the client's handle, and fills *resp, which the caller
 * releases with http_response_cleanup. Returns 0 when an HTTP answer arrived, -1 otherwise (resp
 * then has status 0 and curl's message in error). The path of url is sent as is (no dot-segment
 * removal). curl's own "Expect: 100-continue" is suppressed.
 */
int http_client_send(struct http_client *c, const char *method, const char *url,
                     const char *const headers[], const char *body, size_t body_len,
                     const struct http_options *opt, struct http_response *resp);

/* http_client_send on a fresh handle (a new connection), without options. */
int http_request(const char *method, const char *url, const char *const headers[], const char *body,
                 size_t body_len, struct http_response *resp);

/* The value of the first header called name (case-insensitive), or NULL. Owned by resp. */
const char *http_response_header(const struct http_response *resp, const char *name);

/* Frees everything resp holds and zeroes it. NULL-safe; safe on a zeroed struct. */
void http_response_cleanup(struct http_response *resp);

/* A TCP connection to 127.0.0.1:port, or -1. The caller closes it. */
int tcp_connect(int port);

/* Writes all len bytes. 0, or -1. */
int tcp_send_all(int fd, const void *buf, size_t len);

/*
 * Reads from fd until the peer closes it, timeout_ms passes without data, or a whole HTTP response
 * (headers and a Content-Length body, or no body) has arrived. Returns the bytes read (malloc'd,
 * NUL-terminated, caller frees) and stores the status line's code in *status (0 if none).
 */
char *tcp_read_response(int fd, int timeout_ms, long *status);

/*
 * One request on a connection of its own: connects to 127.0.0.1:port, sends the len bytes of
 * request (a server that answers and closes before the end is no failure: its answer is read),
 * reads the answer as tcp_read_response does and closes. The answer is malloc'd (caller frees);
 * NULL, with *status 0, when it cannot connect.
 */
char *tcp_exchange(int port, const char *request, size_t len, int timeout_ms, long *status);

#endif

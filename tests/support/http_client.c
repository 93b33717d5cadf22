/*
 * libcurl client and raw TCP helpers for the end-to-end tests (test support). See http_client.h.
 */
#include "tests/support/http_client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void http_global_init(void)
{
	pthread_once(&curl_once, curl_start);
}

int http_client_init(struct http_client *c)
{
	http_global_init();
	c->curl = curl_easy_init();
	return c->curl ? 0 : -1;
}

void http_client_cleanup(struct http_client *c)
{
	if (c && c->curl) {
		curl_easy_cleanup(c->curl);
		c->curl = NULL;
	}
}

/* A growing byte buffer that stays NUL-terminated. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
	int failed;
};

static int buf_append(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *d = realloc(b->data, cap);
		if (!d) {
			b->failed = 1;
			return -1;
		}
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct buf *b = userdata;
	return buf_append(b, ptr, size * nmemb) == 0 ? size * nmemb : 0;
}

static void drop_headers(struct http_response *r)
{
	for (size_t i = 0; i < r->nheaders; i++)
		free(r->headers[i]);
	free(r->headers);
	r->headers = NULL;
	r->nheaders = 0;
}

/* Keeps the headers of the last response only: a new status line starts over (100 Continue). */
static size_t on_header(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct http_response *r = userdata;
	size_t n = size * nmemb, len = n;

	if (n >= 5 && strncmp(ptr, "HTTP/", 5) == 0) {
		drop_headers(r);
		return n;
	}
	while (len > 0 && (ptr[len - 1] == '\r' || ptr[len - 1] == '\n'))
		len--;
	if (len == 0)
		return n;
	char **h = realloc(r->headers, (r->nheaders + 1) * sizeof *h);
	if (!h)
		return 0;
	r->headers = h;
	r->headers[r->nheaders] = strndup(ptr, len);
	if (!r->headers[r->nheaders])
		return 0;
	r->nheaders++;
	return n;
}

/* Hands the body to curl in small pieces, which makes chunked uploads really chunked. */
struct upload {
	const char *data;
	size_t len;
	size_t off;
};

static size_t on_read(char *buffer, size_t size, size_t nitems, void *userdata)
{
	struct upload *u = userdata;
	size_t room = size * nitems, left = u->len - u->off;
	size_t n = left < room ? left : room;
	if (n > 16384)
		n = 16384;
	memcpy(buffer, u->data + u->off, n);
	u->off += n;
	return n;
}

int http_client_send(struct http_client *c, const char *method, const char *url,
                     const char *const headers[], const char *body, size_t body_len,
                     const struct http_options *opt, struct http_response *resp)
{
	CURL *h = c->curl;
	struct curl_slist *list = NULL, *tmp;
	struct buf b = {0};
	struct upload up = {body, body_len, 0};
	long timeout_ms = opt && opt->timeout_ms > 0 ? opt->timeout_ms : 10000;
	CURLcode rc;
	int ret = -1;

	memset(resp, 0, sizeof *resp);
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, resp);

	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	else
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);

	for (size_t i = 0; headers && headers[i]; i++) {
		tmp = curl_slist_append(list, headers[i]);
		if (!tmp)
			goto out;
		list = tmp;
	}
	tmp = curl_slist_append(list, "Expect:");
	if (!tmp)
		goto out;
	list = tmp;
	if (body && opt && opt->chunked) {
		tmp = curl_slist_append(list, "Transfer-Encoding: chunked");
		if (!tmp)
			goto out;
		list = tmp;
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(h, CURLOPT_READDATA, &up);
	} else if (body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);

	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &resp->num_connects);
	curl_easy_getinfo(h, CURLINFO_TOTAL_TIME, &resp->total_time_s);
	if (rc != CURLE_OK) {
		snprintf(resp->error, sizeof resp->error, "%s", curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
	if (b.failed)
		goto out;
	if (!b.data)
		buf_append(&b, "", 0);
	resp->body = b.data;
	resp->body_len = b.len;
	b.data = NULL;
	if (resp->body && resp->body_len > 0)
		resp->json = json_loadb(resp->body, resp->body_len, JSON_DECODE_ANY, NULL);
	ret = 0;
out:
	/* The slist must outlive the transfer; the handle keeps no pointer to it after reset. */
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(list);
	free(b.data);
	if (ret != 0) {
		resp->status = 0;
		if (!resp->error[0])
			snprintf(resp->error, sizeof resp->error, "request could not be built");
	}
	return ret;
}

int http_request(const char *method, const char *url, const char *const headers[], const char *body,
                 size_t body_len, struct http_response *resp)
{
	struct http_client c;
	int rc;

	if (http_client_init(&c) != 0) {
		memset(resp, 0, sizeof *resp);
		snprintf(resp->error, sizeof resp->error, "curl_easy_init failed");
		return -1;
	}
	rc = http_client_send(&c, method, url, headers, body, body_len, NULL, resp);
	http_client_cleanup(&c);
	return rc;
}

const char *http_response_header(const struct http_response *resp, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < resp->nheaders; i++) {
		const char *h = resp->headers[i];
		if (strncasecmp(h, name, n) == 0 && h[n] == ':') {
			const char *v = h + n + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			return v;
		}
	}
	return NULL;
}

void http_response_cleanup(struct http_response *resp)
{
	if (!resp)
		return;
	drop_headers(resp);
	free(resp->body);
	json_decref(resp->json);
	memset(resp, 0, sizeof *resp);
}

int tcp_connect(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int tcp_send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* True when b holds a complete response: headers, then Content-Length bytes (0 if absent). */
static int response_complete(const struct buf *b)
{
	const char *end, *cl;
	size_t need = 0;

	if (!b->data)
		return 0;
	end = strstr(b->data, "\r\n\r\n");
	if (!end)
		return 0;
	cl = strcasestr(b->data, "\r\nContent-Length:");
	if (cl && cl < end)
		need = strtoul(cl + 17, NULL, 10);
	return (size_t)(b->data + b->len - (end + 4)) >= need;
}

char *tcp_read_response(int fd, int timeout_ms, long *status)
{
	struct buf b = {0};
	char chunk[4096];

	*status = 0;
	buf_append(&b, "", 0);
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int r = poll(&p, 1, timeout_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		ssize_t n = recv(fd, chunk, sizeof chunk, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (buf_append(&b, chunk, (size_t)n) != 0)
			break;
		if (response_complete(&b))
			break;
	}
	if (b.data && strncmp(b.data, "HTTP/1.", 7) == 0 && b.len >= 12)
		*status = strtol(b.data + 9, NULL, 10);
	return b.data;
}

char *tcp_exchange(int port, const char *request, size_t len, int timeout_ms, long *status)
{
	int fd = tcp_connect(port);

	*status = 0;
	if (fd < 0)
		return NULL;
	(void)tcp_send_all(fd, request, len);
	char *answer = tcp_read_response(fd, timeout_ms, status);
	close(fd);
	return answer;
}

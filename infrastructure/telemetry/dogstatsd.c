/* DogStatsD datagrams, one non-blocking UDP socket per thread (infrastructure layer). */
#include "infrastructure/telemetry/dogstatsd.h"

#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "domain/errors.h"

static pthread_key_t socket_key;
static pthread_once_t socket_key_once = PTHREAD_ONCE_INIT;
static __thread int thread_socket = -1;

static void close_socket(void *p)
{
	(void)p;
	if (thread_socket >= 0)
		close(thread_socket);
	thread_socket = -1;
}

static void make_key(void)
{
	pthread_key_create(&socket_key, close_socket);
}

int dogstatsd_init(struct dogstatsd *d, const char *host, unsigned port, const char *env)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM}, *res = NULL;
	char service[8];

	memset(d, 0, sizeof *d);
	snprintf(service, sizeof service, "%u", port);
	if (getaddrinfo(host, service, &hints, &res) != 0 || !res)
		return APP_EINVALID;
	memcpy(&d->addr, res->ai_addr, res->ai_addrlen);
	d->addr_len = res->ai_addrlen;
	freeaddrinfo(res);
	snprintf(d->tags, sizeof d->tags, ",service:oficina,env:%s", env);
	pthread_once(&socket_key_once, make_key);
	return 0;
}

static void send_datagram(struct dogstatsd *d, const char *text, size_t len)
{
	if (thread_socket < 0) {
		thread_socket =
		    socket(d->addr.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (thread_socket < 0)
			return;
		/* The key's value only makes the destructor run at thread exit. */
		pthread_setspecific(socket_key, &thread_socket);
	}
	(void)sendto(thread_socket, text, len, MSG_DONTWAIT | MSG_NOSIGNAL,
	             (const struct sockaddr *)&d->addr, d->addr_len);
}

static void on_request(void *self, const char *method, const char *route, unsigned status,
                       double seconds)
{
	struct dogstatsd *d = self;
	char buf[1024];
	int n =
	    snprintf(buf, sizeof buf,
	             "oficina.http.requests:1|c|#method:%s,route:%s,status:%u%s\n"
	             "oficina.http.request.duration:%.3f|ms|#method:%s,route:%s,status:%u%s",
	             method, route, status, d->tags, seconds * 1e3, method, route, status, d->tags);
	if (n > 0 && (size_t)n < sizeof buf)
		send_datagram(d, buf, (size_t)n);
}

static void on_count(void *self, const char *name)
{
	struct dogstatsd *d = self;
	char buf[256];
	int n = snprintf(buf, sizeof buf, "oficina.%s:1|c|#%s", name, d->tags + 1);
	if (n > 0 && (size_t)n < sizeof buf)
		send_datagram(d, buf, (size_t)n);
}

static const struct telemetry_ops ops = {.request = on_request, .count = on_count};

void dogstatsd_telemetry_init(struct telemetry *t, struct dogstatsd *d)
{
	t->ops = &ops;
	t->self = d;
}

/*
 * End-to-end test of the metrics (SPEC §6): GET /metrics in Prometheus text after real requests,
 * and, with DD_AGENT_HOST set, the same counters and timings sent as DogStatsD datagrams to a UDP
 * socket this test listens on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "tests/support/api.h"
#include "tests/support/http_client.h"
#include "tests/support/server.h"

static struct test_server srv;

/* A UDP socket on 127.0.0.1 and a free port; *port gets it. */
static int udp_listener(int *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	struct timeval tv = {.tv_sec = 5};
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* Reads datagrams until one contains needle and also (when not NULL) and (5 s per datagram). */
static bool received(int fd, const char *needle, const char *also)
{
	char buf[2048];
	for (int i = 0; i < 50; i++) {
		ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
		if (n <= 0)
			return false;
		buf[n] = '\0';
		if (strstr(buf, needle) && (!also || strstr(buf, also)))
			return true;
	}
	return false;
}

static void test_dogstatsd__requisicao_vira_contador_e_tempo(void **state)
{
	char env_port[48];
	int port, fd = udp_listener(&port);
	struct http_response r;
	(void)state;

	snprintf(env_port, sizeof env_port, "DD_DOGSTATSD_PORT=%d", port);
	const char *const env[] = {"DD_AGENT_HOST=127.0.0.1", env_port, NULL};
	test_server_start(&srv, env);
	api_call(&srv, "GET", "/api/ping", NULL, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	http_response_cleanup(&r);
	/* One datagram carries the counter and the timing of a request. */
	assert_true(received(fd,
	                     "oficina.http.requests:1|c|#method:GET,route:/api/ping,status:200,"
	                     "service:oficina",
	                     "\noficina.http.request.duration:"));
	/* A method we do not serve is the label OTHER, never the client's token. */
	api_call(&srv, "BREW", "/api/ping", NULL, NULL, NULL, &r);
	http_response_cleanup(&r);
	assert_true(received(fd, "#method:OTHER,route:unmatched,status:405", NULL));
	test_server_stop(&srv);
	close(fd);
}

static void test_metrics__prometheus_com_rotas_status_e_histograma(void **state)
{
	struct http_response r;
	(void)state;

	test_server_start(&srv, NULL);
	api_call(&srv, "GET", "/api/ping", NULL, NULL, NULL, &r);
	http_response_cleanup(&r);
	api_call(&srv, "GET", "/api/nada-aqui", NULL, NULL, NULL, &r);
	http_response_cleanup(&r);
	/*
	 * A request is counted when libmicrohttpd reports it complete, just after its answer left:
	 * the next request may arrive first, so wait (2 s at most) until both are in.
	 */
	for (long t0 = mono_ms();; sleep_ms_(20)) {
		api_call(&srv, "GET", "/metrics", NULL, NULL, NULL, &r);
		if (r.body && strstr(r.body, "route=\"unmatched\",status=\"404\"} 1") &&
		    strstr(r.body, "route=\"/api/ping\",status=\"200\"} 1"))
			break;
		if (mono_ms() - t0 > 2000)
			break; /* the assertions below say what is missing */
		http_response_cleanup(&r);
	}
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(http_response_header(&r, "Content-Type"), "text/plain"));
	assert_non_null(strstr(
	    r.body, "http_requests_total{method=\"GET\",route=\"/api/ping\",status=\"200\"} 1"));
	assert_non_null(strstr(
	    r.body, "http_requests_total{method=\"OTHER\",route=\"unmatched\",status=\"404\"} 1"));
	assert_non_null(strstr(r.body, "http_request_duration_seconds_bucket{method=\"GET\","
	                               "route=\"/api/ping\",le=\"+Inf\"} 1"));
	assert_non_null(strstr(r.body, "db_pool_connections "));
	assert_non_null(strstr(r.body, "oficina_ordens_criadas_total 0"));
	http_response_cleanup(&r);
	test_server_stop(&srv);
}

static void test_metrics__promtool_aceita_com_processo_e_versao(void **state)
{
	(void)state;
	test_server_start(&srv, NULL);
	assert_metrics_pass_promtool(&srv);
	assert_true(metric_value(&srv, "process_resident_memory_bytes") > 1e6);
	assert_true(metric_value(&srv, "process_open_fds") >= 3);
	assert_true(metric_value(&srv, "process_start_time_seconds") > 1.7e9);
	assert_true(metric_value(&srv, "process_cpu_seconds_total") >= 0);
	assert_true(metric_value(&srv, "oficina_build_info{version=\"" OFICINA_VERSION "\"}") == 1);
	test_server_stop(&srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dogstatsd__requisicao_vira_contador_e_tempo),
	    cmocka_unit_test(test_metrics__prometheus_com_rotas_status_e_histograma),
	    cmocka_unit_test(test_metrics__promtool_aceita_com_processo_e_versao),
	};
	http_global_init();
	return test_server_finish(cmocka_run_group_tests(tests, NULL, NULL));
}

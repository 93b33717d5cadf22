/*
 * The small HTTP endpoint of the background processes (relay, notifier; infrastructure layer):
 * GET /metrics (Prometheus text, written by the process), /health/live (the process runs) and
 * /health/ready (it does its job: the process says). One internal libmicrohttpd thread; nothing
 * here touches the process's own work.
 */
#ifndef OFICINA_INFRASTRUCTURE_TELEMETRY_PROCESS_HTTP_H
#define OFICINA_INFRASTRUCTURE_TELEMETRY_PROCESS_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/strbuf.h"

struct process_http_ops {
	/* Writes the metrics (strbuf_metric_counter, strbuf_metric_gauge) into out. */
	void (*metrics)(void *arg, struct strbuf *out);
	/* Whether /health/ready answers 200 (else 503), with a one-word reason in why. */
	bool (*ready)(void *arg, const char **why);
};

struct process_http;

/* Listens on port (all interfaces: the kubelet and Prometheus scrape it). NULL on failure. */
struct process_http *process_http_start(unsigned port, const struct process_http_ops *ops,
                                        void *arg);

/* Stops and frees; accepts NULL. */
void process_http_stop(struct process_http *h);

#endif

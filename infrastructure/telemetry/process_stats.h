/*
 * The process's own figures for /metrics (infrastructure layer): the families of Prometheus's
 * standard process collector, read from /proc/self (CPU, memory, file descriptors, threads, start
 * time), and oficina_build_info{version}. Every process that serves /metrics (the server, the
 * relay, the notifier) appends them, so a dashboard reads all three the same way.
 */
#ifndef OFICINA_INFRASTRUCTURE_TELEMETRY_PROCESS_STATS_H
#define OFICINA_INFRASTRUCTURE_TELEMETRY_PROCESS_STATS_H

#include "domain/strbuf.h"

/* Appends the process_* families and oficina_build_info; what /proc does not give is left out. */
void process_stats_render(struct strbuf *out);

#endif

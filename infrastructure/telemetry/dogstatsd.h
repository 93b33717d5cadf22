/*
 * DogStatsD over UDP (infrastructure layer, SPEC §6): when DD_AGENT_HOST is set the request
 * counters and timings and the business counters go to the Datadog agent, fire-and-forget. Each
 * thread sends from its own non-blocking socket, so there is no lock and a missing agent costs a
 * dropped datagram, never a wait.
 */
#ifndef OFICINA_INFRASTRUCTURE_TELEMETRY_DOGSTATSD_H
#define OFICINA_INFRASTRUCTURE_TELEMETRY_DOGSTATSD_H

#include <sys/socket.h>

#include "application/ports/telemetry.h"

struct dogstatsd {
	struct sockaddr_storage addr; /* the agent */
	socklen_t addr_len;
	char tags[160]; /* ",service:oficina,env:<env>" appended to every metric */
};

/*
 * Resolves host:port once (at start-up, not on the request path). 0, or APP_EINVALID when the
 * host does not resolve.
 */
int dogstatsd_init(struct dogstatsd *d, const char *host, unsigned port, const char *env);

/* The telemetry port over d (which must outlive it). */
void dogstatsd_telemetry_init(struct telemetry *t, struct dogstatsd *d);

#endif

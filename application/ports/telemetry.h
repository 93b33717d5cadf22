/*
 * Port: where request timings and business counters are forwarded besides /metrics (application
 * layer). The adapter is infrastructure/telemetry/dogstatsd.c (UDP, fire-and-forget). Both calls
 * must be cheap, never block and be safe from any thread.
 */
#ifndef OFICINA_APPLICATION_PORTS_TELEMETRY_H
#define OFICINA_APPLICATION_PORTS_TELEMETRY_H

struct telemetry_ops {
	/* One answered request: method, route pattern, status and duration. */
	void (*request)(void *self, const char *method, const char *route, unsigned status,
	                double seconds);
	/* One more of a business counter, e.g. "clientes_criados". */
	void (*count)(void *self, const char *name);
};

struct telemetry {
	const struct telemetry_ops *ops; /* static const table; NULL: nothing is forwarded */
	void *self;                      /* adapter state */
};

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline void telemetry_request(const struct telemetry *port, const char *method,
                                     const char *route, unsigned status, double seconds)
{
	port->ops->request(port->self, method, route, status, seconds);
}

static inline void telemetry_count(const struct telemetry *port, const char *name)
{
	port->ops->count(port->self, name);
}

#endif

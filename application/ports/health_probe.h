/* Port: can the database answer right now? (application layer) Used by GET /health/ready. */
#ifndef OFICINA_APPLICATION_PORTS_HEALTH_PROBE_H
#define OFICINA_APPLICATION_PORTS_HEALTH_PROBE_H

struct health_probe_ops {
	int (*ping)(void *self); /* 0, or APP_EUNAVAILABLE */
};

struct health_probe {
	const struct health_probe_ops *ops; /* static const table */
	void *self;                         /* adapter state */
};

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline int health_probe_ping(const struct health_probe *port)
{
	return port->ops->ping(port->self);
}

#endif

/* A readiness probe for unit tests (tests/fakes). */
#include "tests/fakes/fake_health_probe.h"

#include <string.h>

void fake_health_probe_init(struct fake_health_probe *p)
{
	memset(p, 0, sizeof *p);
}

static int ping(void *self)
{
	struct fake_health_probe *p = self;
	int rc;

	p->pings++;
	if ((rc = fake_fault_hit(&p->fault)) != 0)
		return rc;
	return p->down ? APP_EUNAVAILABLE : 0;
}

static const struct health_probe_ops ops = {
    .ping = ping,
};

void fake_health_probe_port(struct fake_health_probe *p, struct health_probe *port)
{
	port->ops = &ops;
	port->self = p;
}

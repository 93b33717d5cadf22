/* Paging of list queries (application layer): which page the caller wants, and the total found. */
#ifndef OFICINA_APPLICATION_PORTS_PAGINA_H
#define OFICINA_APPLICATION_PORTS_PAGINA_H

#define POR_PAGINA_PADRAO 20
#define POR_PAGINA_MAX    100

struct pagina {
	long pagina;     /* from 1 */
	long por_pagina; /* 1..POR_PAGINA_MAX */
};

/* Rows to skip for this page. */
static inline long pagina_offset(const struct pagina *p)
{
	return (p->pagina - 1) * p->por_pagina;
}

#endif

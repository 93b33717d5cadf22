/*
 * One page of a list, whatever its items (application layer): every list query answers one. The
 * query allocates room for the page (lista_alloc: the one page allocation) and its adapter fills
 * it; the caller reads the items through LISTA_ITENS and releases the page with lista_cleanup.
 */
#ifndef OFICINA_APPLICATION_QUERIES_LISTA_H
#define OFICINA_APPLICATION_QUERIES_LISTA_H

#include <stddef.h>

#include "application/ports/pagina.h"

struct lista {
	void *itens; /* n items of the query's entity, malloc'd; NULL once released */
	size_t n;    /* items on this page */
	long total;  /* matches over all pages */
};

/* The items of l as an array of tipo, the entity its query lists. */
#define LISTA_ITENS(l, tipo) ((tipo *)(l)->itens)

/* Makes l an empty list, as a query that fails before allocating leaves it. */
void lista_init(struct lista *l);

/* Room for one page of item_size-byte items, n and total at 0. 0 or APP_ENOMEM (l empty). */
int lista_alloc(struct lista *l, const struct pagina *page, size_t item_size);

/*
 * Ends a list query with rc, what its adapter answered into l: on 0 the page is the caller's;
 * otherwise it is released and l is empty, as every list query promises on error. Returns rc.
 */
int lista_concluir(struct lista *l, int rc);

/* Frees the items; l is then an empty list (and may be released again). */
void lista_cleanup(struct lista *l);

#endif

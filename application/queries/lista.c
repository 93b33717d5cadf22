/* One page of a list (application layer). */
#include "application/queries/lista.h"

#include <stdlib.h>

#include "domain/errors.h"
#include "domain/heap.h"

void lista_init(struct lista *l)
{
	l->itens = NULL;
	l->n = 0;
	l->total = 0;
}

int lista_alloc(struct lista *l, const struct pagina *page, size_t item_size)
{
	l->n = 0;
	l->total = 0;
	/* The adapters write at most por_pagina rows. */
	l->itens = heap_calloc((size_t)page->por_pagina, item_size);
	return l->itens ? 0 : APP_ENOMEM;
}

void lista_cleanup(struct lista *l)
{
	heap_free(l->itens);
	lista_init(l);
}

int lista_concluir(struct lista *l, int rc)
{
	if (rc != 0)
		lista_cleanup(l);
	return rc;
}

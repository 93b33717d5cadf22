/* The session registry (presentation layer; sessoes.h). */
#include "presentation/http/sessoes.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "domain/errors.h"
#include "domain/heap.h"

/* Reader threads with a slot of their own; any further one reads under a mutex instead. */
#define LEITORES 64

struct snapshot {
	size_t n;
	struct sessao_estado *estados; /* sorted by (cliente, uuid) */
};

/* One reader thread's mark: 0 while it is not reading, else the epoch it entered in. */
struct slot {
	_Alignas(64) atomic_ulong epoca;
};

struct sessoes {
	_Atomic(struct snapshot *) atual; /* NULL until the first publication */
	atomic_ulong epoca;               /* bumped by every publication; starts at 1 */
	struct slot leitores[LEITORES];
	pthread_mutex_t excedente; /* the readers past LEITORES threads */
};

/* Each thread's slot index, the same in every registry. */
static atomic_uint proxima_thread;
static _Thread_local int minha_thread = -1;

static int comparar(const void *a, const void *b)
{
	const struct sessao_estado *x = a, *y = b;
	if (x->cliente != y->cliente)
		return x->cliente ? 1 : -1;
	return strcmp(x->uuid, y->uuid);
}

static void liberar(struct snapshot *s)
{
	if (s) {
		heap_free(s->estados);
		heap_free(s);
	}
}

struct sessoes *sessoes_new(void)
{
	struct sessoes *r = heap_calloc(1, sizeof *r);
	if (!r)
		return NULL;
	atomic_init(&r->atual, NULL);
	atomic_init(&r->epoca, 1);
	for (size_t i = 0; i < LEITORES; i++)
		atomic_init(&r->leitores[i].epoca, 0);
	if (pthread_mutex_init(&r->excedente, NULL) != 0) {
		heap_free(r);
		return NULL;
	}
	return r;
}

void sessoes_free(struct sessoes *r)
{
	if (!r)
		return;
	liberar(atomic_load(&r->atual));
	pthread_mutex_destroy(&r->excedente);
	heap_free(r);
}

int sessoes_publicar(struct sessoes *r, struct sessao_estado *estados, size_t n)
{
	struct snapshot *novo = heap_alloc(sizeof *novo);
	if (!novo) {
		heap_free(estados);
		return APP_ENOMEM;
	}
	if (n > 1)
		qsort(estados, n, sizeof *estados, comparar);
	novo->n = n;
	novo->estados = estados;
	struct snapshot *velho = atomic_exchange(&r->atual, novo);
	unsigned long agora = atomic_fetch_add(&r->epoca, 1) + 1;
	/*
	 * A reader that marked itself before the bump may hold velho: wait until it leaves (a
	 * lookup: microseconds). One that marks itself from now on finds the new epoch and, having
	 * marked itself after the exchange, reads novo. Every access here is sequentially
	 * consistent, which is what makes "mark, then load" against "exchange, then check" safe.
	 */
	for (size_t i = 0; i < LEITORES; i++) {
		unsigned long e;
		while ((e = atomic_load(&r->leitores[i].epoca)) != 0 && e < agora)
			sched_yield();
	}
	pthread_mutex_lock(&r->excedente); /* and the readers without a slot */
	pthread_mutex_unlock(&r->excedente);
	liberar(velho);
	return 0;
}

static bool consultar(const struct snapshot *s, const struct token_claims *c)
{
	if (!s)
		return true; /* nothing loaded yet: no account can be refused */
	struct sessao_estado chave = {.cliente = c->perfil == PERFIL_CLIENTE};
	size_t len = strnlen(c->sub, sizeof chave.uuid - 1);
	memcpy(chave.uuid, c->sub, len);
	chave.uuid[len] = '\0';
	const struct sessao_estado *e = bsearch(&chave, s->estados, s->n, sizeof *e, comparar);
	/*
	 * Not listed: a customer with nothing against them, or a staff user created since the last
	 * refresh (accounts are deactivated, never deleted): the token stands.
	 */
	if (!e)
		return true;
	return e->ativo && (chave.cliente || e->perfil == c->perfil) && c->iat >= e->sessoes_desde;
}

bool sessoes_valida(struct sessoes *r, const struct token_claims *c)
{
	bool ok;

	if (minha_thread < 0)
		minha_thread = (int)atomic_fetch_add(&proxima_thread, 1);
	if (minha_thread >= LEITORES) {
		pthread_mutex_lock(&r->excedente);
		ok = consultar(atomic_load(&r->atual), c);
		pthread_mutex_unlock(&r->excedente);
		return ok;
	}
	struct slot *eu = &r->leitores[minha_thread];
	atomic_store(&eu->epoca, atomic_load(&r->epoca));
	ok = consultar(atomic_load(&r->atual), c);
	atomic_store(&eu->epoca, 0);
	return ok;
}

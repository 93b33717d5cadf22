/*
 * The session registry (presentation layer): what the server knows of every account a token may
 * name, so that a token outlives neither its account nor a logout (SPEC §4). Refreshed every few
 * seconds from the database by cmd/ (SESSOES_REFRESH_MS); read on the I/O threads for every
 * request with a token, without a lock: a reader marks itself in its own slot while it looks an
 * account up, and a refresh frees the previous snapshot only after every reader has left it
 * (epoch-based reclamation).
 */
#ifndef OFICINA_PRESENTATION_HTTP_SESSOES_H
#define OFICINA_PRESENTATION_HTTP_SESSOES_H

#include <stdbool.h>
#include <stddef.h>

#include "application/ports/sessao_estados.h"
#include "application/ports/token_service.h"

struct sessoes;

/* An empty registry: until the first sessoes_publicar, every token passes. NULL when out of memory.
 */
struct sessoes *sessoes_new(void);

/* Frees it; no reader may be inside. Accepts NULL. */
void sessoes_free(struct sessoes *r);

/*
 * Replaces the states with estados (n of them, from heap_alloc; taken over: freed by the registry),
 * then frees the previous snapshot once no reader is in it. One writer at a time. 0, or APP_ENOMEM
 * (estados freed, the previous snapshot kept).
 */
int sessoes_publicar(struct sessoes *r, struct sessao_estado *estados, size_t n);

/*
 * Whether a verified token's claims still stand: its account must be active, a staff user must
 * still hold the token's role, and the token must not be older than the account's last logout.
 * An account the registry does not list passes (a customer with nothing against them, or a user
 * created since the last refresh). Lock-free; safe from any thread.
 */
bool sessoes_valida(struct sessoes *r, const struct token_claims *c);

#endif

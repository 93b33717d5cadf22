/*
 * The PostgreSQL adapters of the application ports (infrastructure layer). Each binds a port to a
 * worker thread's pg_session; the session must outlive the port.
 */
#ifndef OFICINA_INFRASTRUCTURE_POSTGRES_PG_REPOS_H
#define OFICINA_INFRASTRUCTURE_POSTGRES_PG_REPOS_H

#include "application/ports/cliente_repo.h"
#include "application/ports/event_outbox.h"
#include "application/ports/idempotency_store.h"
#include "application/ports/login_tentativas.h"
#include "application/ports/relatorios.h"
#include "application/ports/transaction.h"
#include "application/ports/usuario_repo.h"
#include "application/ports/veiculo_repo.h"
#include "infrastructure/postgres/pg_session.h"

void pg_cliente_repo_init(struct cliente_repo *repo, struct pg_session *s);
void pg_veiculo_repo_init(struct veiculo_repo *repo, struct pg_session *s);
void pg_usuario_repo_init(struct usuario_repo *repo, struct pg_session *s);
void pg_event_outbox_init(struct event_outbox *outbox, struct pg_session *s);
void pg_transaction_init(struct transaction *tx, struct pg_session *s);

/* The catalogue and the stock ledger. */
struct servico_repo;
struct peca_repo;
struct estoque_repo;
void pg_servico_repo_init(struct servico_repo *repo, struct pg_session *s);
void pg_peca_repo_init(struct peca_repo *repo, struct pg_session *s);
void pg_estoque_repo_init(struct estoque_repo *repo, struct pg_session *s);
/* Service orders and their read models. */
struct ordem_repo;
struct ordem_consultas;
void pg_ordem_repo_init(struct ordem_repo *repo, struct pg_session *s);
void pg_ordem_consultas_init(struct ordem_consultas *c, struct pg_session *s);
/* The idempotency store and the reports. */
void pg_idempotency_store_init(struct idempotency_store *store, struct pg_session *s);
void pg_relatorios_init(struct relatorios *rel, struct pg_session *s);
/* The customers' login attempts per CPF (their lockout). */
void pg_login_tentativas_init(struct login_tentativas *port, struct pg_session *s);

#endif

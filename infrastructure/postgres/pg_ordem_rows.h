/*
 * Row mapping shared by the two PostgreSQL adapters of service orders (infrastructure layer,
 * private to infrastructure/postgres/pg_ordem_*.c): the columns of an order, and item rows. Also
 * what an open order is, for the customer and vehicle repositories.
 */
#ifndef OFICINA_INFRASTRUCTURE_POSTGRES_PG_ORDEM_ROWS_H
#define OFICINA_INFRASTRUCTURE_POSTGRES_PG_ORDEM_ROWS_H

#include <libpq-fe.h>

#include "domain/ordem.h"
#include "infrastructure/postgres/pg_session.h"

/* An order not yet FINALIZADA, ENTREGUE or CANCELADA (a condition on its status column). */
#define PG_ORDEM_EM_ABERTO                                                                         \
	"status IN ('RECEBIDA', 'EM_DIAGNOSTICO', 'AGUARDANDO_APROVACAO', 'EM_EXECUCAO')"

/* The 14 columns pg_ordem_row reads, of table alias p (a string literal: "" or "o."). */
/* One column per line, which clang-format cannot keep around the macros. */
/* clang-format off */
#define PG_ORDEM_COLS(p)                                                       \
	p "uuid, "                                                             \
	p "numero, "                                                           \
	p "cliente_uuid, "                                                     \
	p "veiculo_uuid, "                                                     \
	p "status, "                                                           \
	"coalesce(" p "descricao, ''), "                                       \
	p "valor_servicos_centavos, "                                          \
	p "valor_pecas_centavos, "                                             \
	p "valor_total_centavos, "                                             \
	PG_RFC3339(p "orcamento_gerado_em") ", "                               \
	PG_RFC3339(p "orcamento_decidido_em") ", "                             \
	"coalesce(" p "orcamento_decisao, ''), "                               \
	PG_RFC3339(p "criada_em") ", "                                         \
	PG_RFC3339(p "atualizada_em")
/* clang-format on */
#define PG_ORDEM_NCOLS 14

/* Maps the PG_ORDEM_COLS starting at column col of row into *o. */
void pg_ordem_row(const PGresult *r, int row, int col, struct ordem *o);

/*
 * Maps every row of (uuid, ref_uuid, nome, quantidade, valor_unitario_centavos, estoque) into
 * *out (malloc'd; release with ordem_itens_cleanup). 0 or APP_ENOMEM (out empty).
 */
int pg_ordem_itens(const PGresult *r, struct ordem_itens *out);

/* The order state named in column col of row. */
enum ordem_status pg_ordem_status(const PGresult *r, int row, int col);

/* A bigint column as int64_t (0 for NULL). */
int64_t pg_ordem_int64(const PGresult *r, int row, int col);

#endif

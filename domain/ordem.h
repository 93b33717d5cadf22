/*
 * Ordem de serviço: a service order, its items and its budget (domain layer, no I/O, SPEC §5).
 * The state machine is in domain/ordem_status.h; this module holds what an order is made of and
 * the rules on its fields: item quantities, the description, and the budget (valor_servicos =
 * Σ quantidade × valor_unitario of the services, valor_pecas likewise for the parts, valor_total
 * their sum), computed in whole centavos with an overflow guard.
 */
#ifndef OFICINA_DOMAIN_ORDEM_H
#define OFICINA_DOMAIN_ORDEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/campos.h"
#include "domain/ordem_status.h"
#include "domain/uuid.h"

#define ORDEM_NUMERO_BYTES        24   /* "OS-2026-000123", room for larger serials */
#define ORDEM_DESCRICAO_MAX       2000 /* code points */
#define ORDEM_DESCRICAO_BYTES     (ORDEM_DESCRICAO_MAX * 4 + 1)
#define ORDEM_ITEM_NOME_BYTES     484   /* 120 code points of a catalogue name, and some */
#define ORDEM_ITEM_QUANTIDADE_MAX 10000 /* per line: bounds every product and sum */
#define ORDEM_ITENS_ABERTURA_MAX  50    /* services (and parts) given when opening */
#define ORDEM_POR_BYTES           64    /* who: a uuid, "webhook" or "link" */

/* Which catalogue an item comes from. */
enum ordem_item_tipo {
	ITEM_SERVICO,
	ITEM_PECA,
};

/* The decision on a frozen budget. */
enum orcamento_decisao {
	DECISAO_NENHUMA,   /* not decided yet (or no budget) */
	DECISAO_APROVADO,  /* approved: the order went to EM_EXECUCAO */
	DECISAO_REPROVADO, /* refused: the order went to CANCELADA */
};

/* A frozen budget. */
struct orcamento {
	int64_t valor_servicos; /* centavos */
	int64_t valor_pecas;    /* centavos */
	int64_t valor_total;    /* centavos: the sum of the two */
};

struct ordem {
	struct uuid uuid;                            /* set by the repository when opened */
	char numero[ORDEM_NUMERO_BYTES];             /* "OS-YYYY-NNNNNN", set by the repository */
	struct uuid cliente_uuid;                    /* the customer */
	struct uuid veiculo_uuid;                    /* the customer's vehicle */
	enum ordem_status status;                    /* where it is in its life */
	char descricao[ORDEM_DESCRICAO_BYTES];       /* "" when absent; trimmed */
	bool tem_orcamento;                          /* the budget below was frozen */
	struct orcamento orcamento;                  /* valid when tem_orcamento */
	char orcamento_gerado_em[TIMESTAMP_BYTES];   /* "" until frozen */
	char orcamento_decidido_em[TIMESTAMP_BYTES]; /* "" until decided */
	enum orcamento_decisao decisao;              /* DECISAO_NENHUMA until decided */
	char criada_em[TIMESTAMP_BYTES];             /* set by the repository */
	char atualizada_em[TIMESTAMP_BYTES];         /* refreshed on every change */
};

/* One line of an order: a service or a part, with the name and price copied when added. */
struct ordem_item {
	struct uuid uuid;                 /* the line */
	struct uuid ref_uuid;             /* servico_uuid or peca_uuid */
	char nome[ORDEM_ITEM_NOME_BYTES]; /* copied from the catalogue */
	int quantidade;                   /* 1 .. ORDEM_ITEM_QUANTIDADE_MAX */
	int64_t valor_unitario;           /* centavos, copied from the catalogue */
	int estoque;                      /* parts: balance when listed for a command; else -1 */
};

/* A malloc'd list of items; release with ordem_itens_cleanup. */
struct ordem_itens {
	struct ordem_item *itens; /* n items, or NULL */
	size_t n;
};

/* One row of an order's history: the state it entered, when, and who moved it. */
struct ordem_historico_item {
	enum ordem_status status;
	char em[TIMESTAMP_BYTES];  /* RFC 3339 UTC */
	char por[ORDEM_POR_BYTES]; /* uuid of the user or customer, "webhook", "link", or "" */
};

/* "APROVADO", "REPROVADO"; "" for DECISAO_NENHUMA. */
const char *orcamento_decisao_nome(enum orcamento_decisao d);

/* The decision named s ("APROVADO" or "REPROVADO", exact), or DECISAO_NENHUMA. */
enum orcamento_decisao orcamento_decisao_parse(const char *s);

/* Whether q is a valid quantity for an item line (1 .. ORDEM_ITEM_QUANTIDADE_MAX). */
bool ordem_quantidade_valida(long q);

/* Whether s (NULL: absent, valid) is an acceptable description: up to ORDEM_DESCRICAO_MAX. */
bool ordem_descricao_valida(const char *s);

/*
 * quantidade × valor_unitario of one line into *out. 0, or APP_EINVALID when the quantity or the
 * price is out of range or the product exceeds DINHEIRO_MAX_CENTAVOS (*out is then 0).
 */
int ordem_item_total(const struct ordem_item *it, int64_t *out);

/*
 * The budget of the given lines into *out (every field 0 on failure). 0, or APP_EINVALID when a
 * line is invalid or a sum would exceed DINHEIRO_MAX_CENTAVOS. Either list may be empty (NULL).
 */
int orcamento_calcular(const struct ordem_itens *servicos, const struct ordem_itens *pecas,
                       struct orcamento *out);

/* Frees l's items; l is empty afterwards. Accepts NULL. */
void ordem_itens_cleanup(struct ordem_itens *l);

#endif

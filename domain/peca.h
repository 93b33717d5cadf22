/*
 * Peça ou insumo: a part or supply the workshop keeps in stock (domain layer, no I/O). Validation
 * of the fields a user types, and of a stock movement, is here. The balance (quantidade_estoque)
 * is never set by editing a part: it starts at zero and changes only through movements (SPEC §5),
 * so that it is always the sum of the movement rows.
 */
#ifndef OFICINA_DOMAIN_PECA_H
#define OFICINA_DOMAIN_PECA_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/campos.h"
#include "domain/field_errors.h"
#include "domain/uuid.h"

#define PECA_NOME_MIN       3
#define PECA_NOME_MAX       120 /* code points */
#define PECA_NOME_BYTES     (PECA_NOME_MAX * 4 + 1)
#define PECA_CODIGO_MAX     60 /* code points */
#define PECA_CODIGO_BYTES   (PECA_CODIGO_MAX * 4 + 1)
#define PECA_QUANTIDADE_MAX 1000000000 /* units: of a balance, a minimum and one movement */
#define MOTIVO_MAX          500        /* code points of a movement's reason */

enum tipo_peca {
	TIPO_PECA_PECA,   /* "PECA": a part */
	TIPO_PECA_INSUMO, /* "INSUMO": a supply (oil, grease, ...) */
};

struct peca {
	struct uuid uuid;                    /* set by the repository on insert */
	char nome[PECA_NOME_BYTES];          /* trimmed */
	char codigo[PECA_CODIGO_BYTES];      /* trimmed, as typed; "" when absent */
	enum tipo_peca tipo;                 /* PECA or INSUMO */
	int64_t valor_centavos;              /* unit price, >= 0 */
	int quantidade_estoque;              /* balance, >= 0; changed only by movements */
	int estoque_minimo;                  /* >= 0; below it the part should be re-ordered */
	bool ativo;                          /* false once deactivated */
	char criado_em[TIMESTAMP_BYTES];     /* set by the repository */
	char atualizado_em[TIMESTAMP_BYTES]; /* set by the repository */
};

/*
 * What a user typed for a part. A NULL pointer means "not given"; *_given with a NULL value (or
 * estoque_minimo_nulo) means an explicit null (clear it).
 */
struct peca_campos {
	const char *nome;
	const char *codigo;
	bool codigo_given;
	const char *tipo;          /* "PECA" or "INSUMO" */
	const char *valor;         /* money text for dinheiro_parse ("150.00"), or NULL */
	bool quantidade_given;     /* quantidade_estoque was sent as an integer */
	long quantidade_estoque;   /* the initial balance (create only) */
	bool estoque_minimo_given; /* estoque_minimo was sent (an integer or null) */
	bool estoque_minimo_nulo;  /* ... and it was null: back to 0 */
	long estoque_minimo;
	int ativo; /* -1 not given, 0 or 1 */
};

/*
 * Validates in and applies it to p according to modo. CAMPOS_CRIAR requires quantidade_estoque
 * (0..PECA_QUANTIDADE_MAX) and sets p->quantidade_estoque to it: the command records it as the
 * first movement. CAMPOS_SUBSTITUIR and CAMPOS_ALTERAR never change p->quantidade_estoque: a
 * quantidade_estoque equal to the current balance is accepted and ignored (a client may PUT back
 * what it read), any other value is an error pointing at the movements. Returns 0, or
 * APP_EINVALID with one fe entry per bad field (p may then be partly changed: discard it).
 */
int peca_aplicar(struct peca *p, const struct peca_campos *in, enum campos_modo modo,
                 struct field_errors *fe);

/* "PECA" or "INSUMO". */
const char *tipo_peca_nome(enum tipo_peca t);

/* Parses exactly "PECA" or "INSUMO" into *out. 0 or APP_EINVALID. */
int tipo_peca_parse(const char *s, enum tipo_peca *out);

/*
 * Validates a stock movement as a user gives it: quantidade a non-zero whole number of units of
 * at most PECA_QUANTIDADE_MAX either way (quantidade_given false: it was not sent as an integer),
 * motivo 1..MOTIVO_MAX characters. motivo_out (motivo_size bytes) gets the trimmed reason. 0, or
 * APP_EINVALID with entries "quantidade" and "motivo" in fe.
 */
int movimento_validar(bool quantidade_given, long quantidade, const char *motivo, char *motivo_out,
                      size_t motivo_size, struct field_errors *fe);

#endif

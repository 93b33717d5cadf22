/*
 * Serviço: an entry of the workshop's service catalogue (domain layer, no I/O). Validation of the
 * fields a user types is here, so that creating, replacing and patching apply the same rules.
 */
#ifndef OFICINA_DOMAIN_SERVICO_H
#define OFICINA_DOMAIN_SERVICO_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/campos.h"
#include "domain/field_errors.h"
#include "domain/uuid.h"

#define SERVICO_NOME_MIN        3
#define SERVICO_NOME_MAX        120 /* code points */
#define SERVICO_NOME_BYTES      (SERVICO_NOME_MAX * 4 + 1)
#define SERVICO_DESCRICAO_MAX   2000 /* code points */
#define SERVICO_DESCRICAO_BYTES (SERVICO_DESCRICAO_MAX * 4 + 1)
#define SERVICO_TEMPO_MIN       1      /* minutes */
#define SERVICO_TEMPO_MAX       100000 /* minutes, about ten weeks of work */

struct servico {
	struct uuid uuid;                        /* set by the repository on insert */
	char nome[SERVICO_NOME_BYTES];           /* trimmed */
	char descricao[SERVICO_DESCRICAO_BYTES]; /* trimmed; "" when absent */
	int64_t valor_centavos;                  /* price, >= 0 */
	int tempo_estimado_minutos;              /* 0 when absent */
	bool ativo;                              /* false once deactivated */
	char criado_em[TIMESTAMP_BYTES];         /* set by the repository */
	char atualizado_em[TIMESTAMP_BYTES];     /* set by the repository */
};

/*
 * What a user typed for a service. A NULL pointer means "not given"; for the optional fields,
 * *_given with a NULL value (or tempo_nulo) means an explicit null (clear it).
 */
struct servico_campos {
	const char *nome;
	const char *descricao;
	bool descricao_given;
	const char *valor;           /* money text for dinheiro_parse ("150.00"), or NULL */
	bool tempo_given;            /* tempo_estimado_minutos was sent (a number or null) */
	bool tempo_nulo;             /* ... and it was null */
	long tempo_estimado_minutos; /* when tempo_given && !tempo_nulo */
	int ativo;                   /* -1 not given, 0 or 1 */
};

/*
 * Validates in and applies it to s according to modo (domain/cliente.h). Every bad field gets one
 * entry in fe. Returns 0, or APP_EINVALID when fe has entries (s may then be partly changed).
 */
int servico_aplicar(struct servico *s, const struct servico_campos *in, enum campos_modo modo,
                    struct field_errors *fe);

/*
 * The money field campo of a request: parses valor (text accepted by dinheiro_parse) into
 * *centavos, or records one fe entry for campo. Shared by services and parts. 0 or APP_EINVALID.
 */
int valor_aplicar(const char *valor, const char *campo, int64_t *centavos, struct field_errors *fe);

#endif

/*
 * Cliente: a workshop's customer (domain layer, no I/O). Validation of the fields a user types is
 * here, so that every way of creating or changing a customer applies the same rules.
 */
#ifndef OFICINA_DOMAIN_CLIENTE_H
#define OFICINA_DOMAIN_CLIENTE_H

#include <stdbool.h>

#include "domain/campos.h"
#include "domain/documento.h"
#include "domain/field_errors.h"
#include "domain/uuid.h"

#define TELEFONE_BYTES 32

struct cliente {
	struct uuid uuid;                    /* set by the repository on insert */
	char nome[NOME_BYTES];               /* trimmed */
	char documento[DOCUMENTO_MAX];       /* digits only */
	enum tipo_documento tipo_documento;  /* CPF or CNPJ, from the digit count */
	char email[EMAIL_BYTES];             /* "" when absent */
	char telefone[TELEFONE_BYTES];       /* "" when absent; trimmed, as typed */
	bool ativo;                          /* false once deactivated */
	char criado_em[TIMESTAMP_BYTES];     /* set by the repository */
	char atualizado_em[TIMESTAMP_BYTES]; /* set by the repository */
};

/*
 * What a user typed for a customer. A NULL pointer means "not given"; for the optional fields,
 * *_given with a NULL value means an explicit null (clear it).
 */
struct cliente_campos {
	const char *nome;
	const char *documento;
	const char *email;
	bool email_given;
	const char *telefone;
	bool telefone_given;
	int ativo; /* -1 not given, 0 or 1 */
};

/*
 * Validates in and applies it to c according to modo. Every bad field gets one entry in fe.
 * Returns 0, or APP_EINVALID when fe has entries (c may then be partly changed: discard it).
 */
int cliente_aplicar(struct cliente *c, const struct cliente_campos *in, enum campos_modo modo,
                    struct field_errors *fe);

#endif

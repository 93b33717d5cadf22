/*
 * Veículo: a customer's vehicle (domain layer, no I/O). Plate and year rules live here.
 */
#ifndef OFICINA_DOMAIN_VEICULO_H
#define OFICINA_DOMAIN_VEICULO_H

#include <stdbool.h>

#include "domain/campos.h"
#include "domain/field_errors.h"
#include "domain/placa.h"
#include "domain/uuid.h"

#define VEICULO_TEXTO_MAX   60 /* code points of marca, modelo, cor */
#define VEICULO_TEXTO_BYTES (VEICULO_TEXTO_MAX * 4 + 1)

struct veiculo {
	struct uuid uuid;                    /* set by the repository on insert */
	struct uuid cliente_uuid;            /* owner */
	char placa[PLACA_MAX];               /* normalised: AAA9999 or AAA9A99 */
	char marca[VEICULO_TEXTO_BYTES];     /* trimmed */
	char modelo[VEICULO_TEXTO_BYTES];    /* trimmed */
	int ano;                             /* 1886 .. next year */
	char cor[VEICULO_TEXTO_BYTES];       /* "" when absent */
	bool ativo;                          /* false once deactivated */
	char criado_em[TIMESTAMP_BYTES];     /* set by the repository */
	char atualizado_em[TIMESTAMP_BYTES]; /* set by the repository */
};

/* What a user typed for a vehicle; NULL means "not given" (see struct cliente_campos). */
struct veiculo_campos {
	const char *cliente_uuid;
	const char *placa;
	const char *marca;
	const char *modelo;
	bool ano_given;
	long ano;
	const char *cor;
	bool cor_given;
	int ativo; /* -1 not given, 0 or 1 */
};

/*
 * Validates in and applies it to v according to modo; ano_atual is the current year (the newest
 * valid model year is the next one). Returns 0, or APP_EINVALID with one fe entry per bad field.
 */
int veiculo_aplicar(struct veiculo *v, const struct veiculo_campos *in, enum campos_modo modo,
                    int ano_atual, struct field_errors *fe);

#endif

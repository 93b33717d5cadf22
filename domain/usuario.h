/*
 * Usuário: a member of the workshop's staff who logs in, and the roles (perfis) of SPEC §4
 * (domain layer, no I/O).
 */
#ifndef OFICINA_DOMAIN_USUARIO_H
#define OFICINA_DOMAIN_USUARIO_H

#include <stdbool.h>

#include "domain/campos.h"
#include "domain/field_errors.h"
#include "domain/uuid.h"

#define SENHA_MIN        8   /* code points */
#define SENHA_MAX        256 /* code points; Argon2 takes any length, this bounds the work */
#define SENHA_HASH_BYTES 128

/* Roles, usable as bits of a mask (ROLE_MASK) in authorisation tables. */
enum perfil {
	PERFIL_NENHUM = 0,
	PERFIL_ADMIN = 1,
	PERFIL_ATENDENTE = 2,
	PERFIL_MECANICO = 4,
	PERFIL_CLIENTE = 8,
	PERFIL_WEBHOOK =
	    16, /* the signed budget webhook: a caller, never a token's or user's role */
	/* the signed budget link of an e-mail: a caller, never a token's or user's role */
	PERFIL_LINK = 32,
};

struct usuario {
	struct uuid uuid;                    /* set by the repository on insert */
	char nome[NOME_BYTES];               /* 3..120 code points, trimmed */
	char email[EMAIL_BYTES];             /* trimmed, unique whatever its case */
	char senha_hash[SENHA_HASH_BYTES];   /* encoded Argon2id hash; never leaves the server */
	enum perfil perfil;                  /* admin, atendente or mecanico */
	bool ativo;                          /* a deactivated user cannot log in */
	char criado_em[TIMESTAMP_BYTES];     /* set by the repository */
	char atualizado_em[TIMESTAMP_BYTES]; /* set by the repository */
};

/* What a user typed for a staff user; NULL means "not given". */
struct usuario_campos {
	const char *nome;
	const char *email;
	const char *senha; /* plain text; hashed by the application layer */
	const char *perfil;
	int ativo; /* -1 not given, 0 or 1 */
};

/* "admin", "atendente", "mecanico", "cliente", "webhook" or "link"; "" for PERFIL_NENHUM. */
const char *perfil_nome(enum perfil p);

/* The role of a user or a token named s (not PERFIL_WEBHOOK nor PERFIL_LINK), or PERFIL_NENHUM. */
enum perfil perfil_parse(const char *s);

/*
 * Validates in and applies everything but the password to u (senha is only checked: the caller
 * hashes it). Staff roles only: "cliente" is not a staff role. Returns 0 or APP_EINVALID with
 * one fe entry per bad field.
 */
int usuario_aplicar(struct usuario *u, const struct usuario_campos *in, enum campos_modo modo,
                    struct field_errors *fe);

#endif

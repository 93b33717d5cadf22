/*
 * CPF and CNPJ, the Brazilian taxpayer numbers that identify a workshop's customers (domain layer,
 * value objects, libc only). A documento is accepted formatted ("529.982.247-25",
 * "11.222.333/0001-81") or not, and is kept as its digits only, which is what the database stores
 * and what uniqueness is checked on.
 */
#ifndef OFICINA_DOMAIN_DOCUMENTO_H
#define OFICINA_DOMAIN_DOCUMENTO_H

enum tipo_documento {
	TIPO_DOCUMENTO_CPF = 1,  /* pessoa física, 11 digits */
	TIPO_DOCUMENTO_CNPJ = 2, /* pessoa jurídica, 14 digits */
};

#define CPF_DIGITOS   11
#define CNPJ_DIGITOS  14
#define DOCUMENTO_MAX 15 /* 14 digits + NUL: room for either */

/*
 * Validates a CPF and writes its 11 digits, NUL-terminated, to out (caller-owned, 12 bytes).
 * Leading and trailing ASCII whitespace is ignored; '.' and '-' may appear anywhere and are
 * dropped; any other character (a letter, an inner space, '/') makes the CPF invalid. The 11 digits
 * must not be all equal and both check digits must match. Returns 0, or APP_EINVALID (also for in
 * == NULL), in which case out is set to "".
 */
int cpf_parse(const char *in, char out[CPF_DIGITOS + 1]);

/*
 * Validates a CNPJ and writes its 14 digits, NUL-terminated, to out (caller-owned, 15 bytes).
 * Same rules as cpf_parse, with '/' also accepted as a separator and the CNPJ weights.
 * Returns 0, or APP_EINVALID (also for in == NULL), in which case out is set to "".
 */
int cnpj_parse(const char *in, char out[CNPJ_DIGITOS + 1]);

/*
 * Validates a documento that may be either: 11 digits are read as a CPF, 14 as a CNPJ, by the
 * rules above. Writes the digits to out (caller-owned, DOCUMENTO_MAX bytes) and the kind to *tipo
 * (tipo may be NULL when the caller does not need it).
 * Returns 0, or APP_EINVALID, in which case out is set to "" and *tipo to 0 (no kind).
 */
int documento_parse(const char *in, char out[DOCUMENTO_MAX], enum tipo_documento *tipo);

/* "CPF" or "CNPJ", as the API spells tipo_documento; "" for any other value. Never NULL. */
const char *tipo_documento_nome(enum tipo_documento t);

#endif

/*
 * Customer login by CPF (application layer, SPEC §4), and logout for anyone with a token: what
 * the serverless authenticator in the gateway does, and what POST /api/auth/cpf answers. A valid
 * CPF of an active customer gives a token of role "cliente" whose sub is the customer's uuid; with
 * it the customer sees only their own data.
 */
#ifndef OFICINA_APPLICATION_COMMANDS_COMANDOS_ACESSO_H
#define OFICINA_APPLICATION_COMMANDS_COMANDOS_ACESSO_H

#include "application/app.h"

struct login_cliente {
	struct cliente cliente; /* who logged in */
	char token[TOKEN_MAX];  /* signed access token, role "cliente", sub = cliente.uuid */
	long expires_in;        /* its lifetime in seconds */
};

/*
 * Checks cpf (formatted or not) and issues a customer token into *out.
 * APP_EINVALID with an fe entry for "cpf" when it is missing or not a valid CPF (a CNPJ is not
 * accepted here); APP_EUNAUTHORIZED when no customer has it or the customer is inactive — the two
 * cases do the same work (one lookup by documento, no token) and answer the same code;
 * APP_EUNAVAILABLE, APP_EINTERNAL. On any failure *out is zeroed.
 */
int autenticar_cliente(const struct app *app, const char *cpf, struct field_errors *fe,
                       struct login_cliente *out);

/*
 * Logout: ends every session of the caller (staff user or customer), whatever device holds its
 * tokens; they are refused within SESSOES_REFRESH_MS. An account that no longer exists has
 * nothing to end: 0. APP_EUNAVAILABLE, APP_EINTERNAL.
 */
int encerrar_sessoes(const struct app *app, const struct app_caller *who);

#endif

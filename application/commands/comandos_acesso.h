/*
 * Customer login (application layer, SPEC §4, with a deliberate deviation: README "Customers:
 * login by CPF and plate"), and logout for anyone with a token. What POST /api/auth/cpf answers:
 * by default a customer gives their CPF and the plate of one of their vehicles, a CPF alone being
 * no secret in Brazil; CLIENTE_LOGIN=cpf keeps the CPF-only login of SPEC §4 for gateways that
 * still use it. The token is of role "cliente" and its sub is the customer's uuid; with it the
 * customer sees only their own data.
 */
#ifndef OFICINA_APPLICATION_COMMANDS_COMANDOS_ACESSO_H
#define OFICINA_APPLICATION_COMMANDS_COMANDOS_ACESSO_H

#include "application/app.h"

struct login_cliente {
	struct cliente cliente; /* who logged in */
	char token[TOKEN_MAX];  /* signed access token, role "cliente", sub = cliente.uuid */
	long expires_in;        /* its lifetime in seconds */
	long bloqueado_s;       /* APP_ELOCKED only: seconds until this CPF may try again */
};

/*
 * Checks cpf (formatted or not) and, in mode CLIENTE_LOGIN_CPF_PLACA, placa (either format, any
 * case, with or without '-'), and issues a customer token into *out.
 *
 * APP_EINVALID with an fe entry for each of "cpf" and "placa" that is missing or invalid (a CNPJ
 * is not a CPF here); placa is not read in mode CLIENTE_LOGIN_CPF. Nothing is counted then.
 *
 * In mode CLIENTE_LOGIN_CPF_PLACA every valid attempt is first counted against its CPF
 * (app->login_tentativas); past app->cliente_login.max_falhas attempts without a success in one
 * window of bloqueio_s seconds the CPF is refused with APP_ELOCKED, and out->bloqueado_s says for
 * how many more seconds — whether or not it is a customer's, and whatever else was sent. Then
 * APP_EUNAUTHORIZED when no customer has the CPF, the customer is inactive, or placa is not an
 * active vehicle of theirs: the three cases do the same work (one lookup of the customer, one of
 * the vehicle) and answer the same code. A success clears the CPF's count.
 *
 * In mode CLIENTE_LOGIN_CPF (legacy): APP_EUNAUTHORIZED when no customer has the CPF or the
 * customer is inactive, after the same single lookup; no count, no lockout (there is no secret to
 * guess).
 *
 * Also APP_EUNAVAILABLE, APP_ETIMEDOUT, APP_EINTERNAL. On any failure *out is zeroed but for
 * bloqueado_s.
 */
int autenticar_cliente(const struct app *app, const char *cpf, const char *placa,
                       struct field_errors *fe, struct login_cliente *out);

/*
 * Logout: ends every session of the caller (staff user or customer), whatever device holds its
 * tokens; they are refused within SESSOES_REFRESH_MS. An account that no longer exists has
 * nothing to end: 0. APP_EUNAVAILABLE, APP_EINTERNAL.
 */
int encerrar_sessoes(const struct app *app, const struct app_caller *who);

#endif

/*
 * Commands that change staff users, and staff login (application layer). Same contract as
 * comandos_clientes.h. Passwords are hashed here, before the transaction opens, because Argon2id
 * is deliberately slow and must not hold a row lock.
 */
#ifndef OFICINA_APPLICATION_COMMANDS_COMANDOS_USUARIOS_H
#define OFICINA_APPLICATION_COMMANDS_COMANDOS_USUARIOS_H

#include "application/app.h"

/*
 * Creates a staff user; *out_id gets its uuid. APP_ECONFLICT: e-mail in use (any case);
 * APP_EBUSY: too many passwords are being hashed right now (nothing was written).
 */
int criar_usuario(const struct app *app, const struct app_caller *who,
                  const struct usuario_campos *in, struct field_errors *fe, struct uuid *out_id);

/*
 * PATCH of user id (a new senha is hashed). APP_ENOTFOUND, APP_EINVALID, APP_ECONFLICT (an
 * e-mail in use; or the last active admin demoted or deactivated: fe names perfil or ativo);
 * APP_EBUSY as for criar_usuario.
 */
int alterar_usuario(const struct app *app, const struct app_caller *who, const struct uuid *id,
                    const struct usuario_campos *in, struct field_errors *fe);

/*
 * Deactivates user id: they can no longer log in. APP_ENOTFOUND; APP_ECONFLICT for the last
 * active admin (fe: ativo).
 */
int desativar_usuario(const struct app *app, const struct app_caller *who, const struct uuid *id,
                      struct field_errors *fe);

struct login_resultado {
	struct usuario usuario; /* the user who logged in */
	char token[TOKEN_MAX];  /* signed access token */
	long expires_in;        /* its lifetime in seconds */
};

/*
 * Checks e-mail and password and issues a token. Unknown e-mail, inactive user and wrong password
 * all answer APP_EUNAUTHORIZED after the same amount of work; when the hasher is saturated all of
 * them answer APP_EBUSY instead (try again shortly), so neither answer tells whether the e-mail
 * exists. Missing fields: APP_EINVALID (fe is required). On any failure *out is zeroed. After a
 * successful check, a hash made with older parameters is replaced by a current one (best
 * effort: a failure there does not fail the login).
 */
int autenticar_usuario(const struct app *app, const char *email, const char *senha,
                       struct field_errors *fe, struct login_resultado *out);

#endif

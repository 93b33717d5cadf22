/* Commands that change staff users, and staff login (application layer). */
#include "application/commands/comandos_usuarios.h"

#include <string.h>

#include "application/commands/unit_of_work.h"
#include "domain/errors.h"
#include "domain/texto.h"

static void conflito_email(int rc, struct field_errors *fe)
{
	if (rc == APP_ECONFLICT)
		field_errors_add(fe, "email", "já existe um usuário com este e-mail");
}

int criar_usuario(const struct app *app, const struct app_caller *who,
                  const struct usuario_campos *in, struct field_errors *fe, struct uuid *out_id)
{
	struct usuario u = {0};
	int rc;

	(void)who;
	if (usuario_aplicar(&u, in, CAMPOS_CRIAR, fe) != 0)
		return APP_EINVALID;
	if ((rc = password_hasher_hash(&app->senhas, in->senha, u.senha_hash)) != 0)
		return rc;
	if ((rc = transaction_begin(&app->tx)) != 0)
		return rc;
	rc = usuario_repo_insert(&app->usuarios, &u);
	conflito_email(rc, fe);
	return uow_finish_criado(app, rc, &u.uuid, out_id);
}

/*
 * The workshop always keeps an active admin (only an admin manages users; the CLI is the repair
 * path): a change that would leave none is APP_ECONFLICT with the field that would do it. admins
 * is what usuario_repo_lock_active_admins counted, under lock, before u was read.
 */
static int manter_um_admin(const struct usuario *antes, const struct usuario *depois, long admins,
                           struct field_errors *fe)
{
	bool deixa = antes->perfil == PERFIL_ADMIN && antes->ativo &&
	             !(depois->perfil == PERFIL_ADMIN && depois->ativo);
	if (!deixa || admins > 1)
		return 0;
	field_errors_add(fe, depois->ativo ? "perfil" : "ativo",
	                 "o último administrador ativo não pode ser rebaixado nem desativado");
	return APP_ECONFLICT;
}

/*
 * Opens the transaction of a change to user id: the active admins locked and counted first (see
 * usuario_repo_lock_active_admins: always before the user's own row, so that two such changes
 * never lock in opposite orders), then the user read and locked into *u.
 */
static int abrir_alteracao(const struct app *app, const struct uuid *id, struct usuario *u,
                           long *admins)
{
	int rc;

	if ((rc = transaction_begin(&app->tx)) != 0)
		return rc;
	rc = usuario_repo_lock_active_admins(&app->usuarios, admins);
	if (rc == 0)
		rc = usuario_repo_find_by_uuid(&app->usuarios, id, true, u);
	return rc;
}

/*
 * Whether a change ends the account's sessions for good: a deactivation, another role or a new
 * password. The session registry refuses the tokens while the account is inactive or has another
 * role anyway; ending them makes a reactivation, or the role given back, not bring them back (a
 * leaked token is the usual reason to deactivate someone). A new password is set because the old
 * one may be known: the tokens it opened go with it.
 */
static bool encerra_sessoes(const struct usuario *antes, const struct usuario *depois)
{
	return (antes->ativo && !depois->ativo) || antes->perfil != depois->perfil ||
	       strcmp(antes->senha_hash, depois->senha_hash) != 0;
}

int alterar_usuario(const struct app *app, const struct app_caller *who, const struct uuid *id,
                    const struct usuario_campos *in, struct field_errors *fe)
{
	struct usuario u = {0}, antes;
	char hash[PASSWORD_HASH_MAX] = "";
	long admins = 0;
	int rc;

	(void)who;
	/* Validate before hashing, so a bad request costs no Argon2 run. */
	if (usuario_aplicar(&u, in, CAMPOS_ALTERAR, fe) != 0)
		return APP_EINVALID;
	if (in->senha && (rc = password_hasher_hash(&app->senhas, in->senha, hash)) != 0)
		return rc;
	rc = abrir_alteracao(app, id, &u, &admins);
	memcpy(&antes, &u, sizeof u);
	if (rc == 0 && usuario_aplicar(&u, in, CAMPOS_ALTERAR, fe) != 0)
		rc = APP_EINVALID;
	if (rc == 0)
		rc = manter_um_admin(&antes, &u, admins, fe);
	if (rc == 0 && hash[0])
		memcpy(u.senha_hash, hash, sizeof u.senha_hash);
	/* A change that changes nothing writes nothing (atualizado_em stays). */
	if (rc == 0 && memcmp(&antes, &u, sizeof u) != 0) {
		rc = usuario_repo_update(&app->usuarios, &u);
		conflito_email(rc, fe);
	}
	if (rc == 0 && encerra_sessoes(&antes, &u))
		rc = usuario_repo_encerrar_sessoes(&app->usuarios, id);
	return uow_finish(app, rc);
}

int desativar_usuario(const struct app *app, const struct app_caller *who, const struct uuid *id,
                      struct field_errors *fe)
{
	struct usuario u, antes;
	long admins = 0;
	int rc;

	(void)who;
	rc = abrir_alteracao(app, id, &u, &admins);
	if (rc == 0 && u.ativo) {
		antes = u;
		u.ativo = false;
		rc = manter_um_admin(&antes, &u, admins, fe);
		if (rc == 0)
			rc = usuario_repo_update(&app->usuarios, &u);
		if (rc == 0)
			rc = usuario_repo_encerrar_sessoes(&app->usuarios, id);
	}
	return uow_finish(app, rc);
}

/*
 * Replaces a hash made with older parameters by one with the current parameters, now that the
 * password is known to be right. Best effort: when the hasher is busy or the store fails, the
 * old hash stays, still verifies, and the next login tries again; so nothing here fails the
 * login. One UPDATE outside a transaction: it is atomic on its own, and no other row changes.
 */
static void rehash_se_preciso(const struct app *app, struct usuario *u, const char *senha)
{
	char novo[PASSWORD_HASH_MAX];

	if (!password_hasher_needs_rehash(&app->senhas, u->senha_hash))
		return;
	if (password_hasher_hash(&app->senhas, senha, novo) == 0 &&
	    usuario_repo_update_senha_hash(&app->usuarios, &u->uuid, novo) == 0)
		memcpy(u->senha_hash, novo, sizeof u->senha_hash);
}

int autenticar_usuario(const struct app *app, const char *email, const char *senha,
                       struct field_errors *fe, struct login_resultado *out)
{
	char trimmed[EMAIL_BYTES + 8];
	int rc;

	if (!email)
		field_errors_missing(fe, "email");
	if (!senha)
		field_errors_missing(fe, "senha");
	if (fe->count > 0)
		return APP_EINVALID;

	/* E-mails are stored trimmed (usuario_aplicar); look them up the same way. */
	texto_trim(email, trimmed, sizeof trimmed);
	rc = usuario_repo_find_by_email(&app->usuarios, trimmed, &out->usuario);
	/*
	 * A saturated hasher (APP_EBUSY) is the one verification answer passed on, and it is passed
	 * on for an unknown e-mail exactly as for a known one: if only real users could get "busy",
	 * the status would tell which e-mails exist. Any other failure is APP_EUNAUTHORIZED.
	 */
	if (rc == APP_ENOTFOUND) {
		/* Same cost as a real check, and the same answer when the hasher is busy. */
		rc = password_hasher_verify(&app->senhas, NULL, senha);
		if (rc != APP_EBUSY)
			rc = APP_EUNAUTHORIZED;
	} else if (rc == 0) {
		rc = password_hasher_verify(&app->senhas, out->usuario.senha_hash, senha);
		if (rc != APP_EBUSY && (rc != 0 || !out->usuario.ativo))
			rc = APP_EUNAUTHORIZED;
	}
	if (rc == 0)
		rehash_se_preciso(app, &out->usuario, senha);
	if (rc == 0)
		rc = token_service_issue(&app->tokens, out->usuario.uuid.str,
		                         perfil_nome(out->usuario.perfil), out->token,
		                         &out->expires_in);
	if (rc != 0)
		memset(out, 0, sizeof *out); /* no user row (and no hash) leaves a failed login */
	return rc;
}

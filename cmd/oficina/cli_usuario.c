/* `oficina usuario criar`: staff user from the command line (cmd layer). */
#include "cmd/oficina/cli_usuario.h"

#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "application/commands/comandos_usuarios.h"
#include "cmd/oficina/processo.h"
#include "cmd/oficina/worker.h"
#include "domain/errors.h"
#include "infrastructure/auth/password.h"
#include "infrastructure/config/config.h"
#include "infrastructure/log/log.h"

/* Help asked for goes to stdout with status 0; a usage error, to stderr with 2. */
static int usage(FILE *f, int status)
{
	fprintf(f, "usage: oficina usuario criar --nome NOME --email EMAIL "
	           "--perfil admin|atendente|mecanico  (password on stdin)\n");
	return status;
}

/* Reads one line of stdin into senha, without echo when stdin is a terminal. */
static bool read_password(char *senha, size_t n)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;

	if (tty) {
		fprintf(stderr, "Senha: ");
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	senha[0] = '\0';
	bool ok = fgets(senha, (int)n, stdin) != NULL;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	senha[strcspn(senha, "\r\n")] = '\0';
	return ok;
}

/* The configuration is a few kilobytes: static rather than on the stack. */
static struct config cfg;

int cli_usuario(int argc, char **argv)
{
	const char *nome = NULL, *email = NULL, *perfil = NULL;
	struct pg_config pg;
	struct password_hasher senhas;
	struct token_service no_tokens = {0};
	struct field_errors fe;
	struct uuid id;
	char senha[1024], err[256];
	int rc;

	if (argc == 2 && processo_ajuda(argv[1]))
		return usage(stdout, 0);
	if (argc < 2 || strcmp(argv[1], "criar") != 0)
		return usage(stderr, 2);
	for (int i = 2; i < argc; i++) {
		if (i + 1 >= argc)
			return usage(stderr, 2);
		if (strcmp(argv[i], "--nome") == 0)
			nome = argv[++i];
		else if (strcmp(argv[i], "--email") == 0)
			email = argv[++i];
		else if (strcmp(argv[i], "--perfil") == 0)
			perfil = argv[++i];
		else
			return usage(stderr, 2);
	}
	if (!nome || !email || !perfil)
		return usage(stderr, 2);
	if (sodium_init() < 0) {
		fprintf(stderr, "oficina usuario: libsodium cannot start\n");
		return 1;
	}
	/* Only the database settings matter here; a missing JWT_SECRET must not stop an admin. */
	if (!getenv("JWT_SECRET"))
		setenv("APP_ENV", "development", 1);
	if (config_load(&cfg, err, sizeof err) != 0) {
		fprintf(stderr, "oficina usuario: %s\n", err);
		return 1;
	}
	log_configure(LOG_LEVEL_WARN, cfg.app_env);
	if (!read_password(senha, sizeof senha)) {
		fprintf(stderr, "oficina usuario: no password on stdin\n");
		return 1;
	}
	pg = (struct pg_config){.url = cfg.database_url,
	                        .statement_timeout_ms = cfg.statement_timeout_ms,
	                        .connect_timeout_s = 5};
	password_hasher_init(&senhas, NULL);
	workers_configure(
	    &(struct worker_settings){.pg = &pg, .tokens = no_tokens, .senhas = senhas});
	const struct app *app = worker_app();
	struct usuario_campos in = {
	    .nome = nome, .email = email, .senha = senha, .perfil = perfil, .ativo = -1};
	struct app_caller who = {.correlation_id = NULL, .sub = NULL, .perfil = PERFIL_NENHUM};

	field_errors_init(&fe);
	rc = app ? criar_usuario(app, &who, &in, &fe, &id) : APP_ENOMEM;
	sodium_memzero(senha, sizeof senha);
	worker_release();
	config_cleanup(&cfg);
	if (rc == 0) {
		printf("%s\n", id.str);
		return 0;
	}
	if (rc == APP_EUNAVAILABLE)
		fprintf(stderr, "oficina usuario: database unreachable\n");
	else if (fe.count == 0)
		fprintf(stderr, "oficina usuario: %s\n", app_err_name(rc));
	for (size_t i = 0; i < fe.count; i++)
		fprintf(stderr, "oficina usuario: %s: %s\n", fe.items[i].campo,
		        fe.items[i].mensagem);
	return 1;
}

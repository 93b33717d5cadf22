/*
 * The oficina binary (cmd layer): serve, migrate, usuario criar, version. Only cmd/ wires
 * concrete adapters together.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/oficina/cli_eventos.h"
#include "cmd/oficina/cli_migrate.h"
#include "cmd/oficina/cli_notificar.h"
#include "cmd/oficina/cli_relay.h"
#include "cmd/oficina/cli_serve.h"
#include "cmd/oficina/cli_usuario.h"
#include "cmd/oficina/processo.h"

#ifndef OFICINA_VERSION
#error "OFICINA_VERSION comes from the VERSION file, through the Makefile"
#endif

/* Help asked for goes to stdout with status 0 (as `oficina migrate help`); a usage error, 2. */
static int usage(FILE *f, int status)
{
	fprintf(f,
	        "usage: oficina serve\n"
	        "       oficina migrate up [N] | down [N] | status | create NAME\n"
	        "       oficina relay        (publishes the outbox to RabbitMQ)\n"
	        "       oficina eventos [reenviar [N]]  (outbox backlog, dead letters)\n"
	        "       oficina manutencao   (retention: old events, expired idempotency keys)\n"
	        "       oficina notificar    (e-mails customers about their orders)\n"
	        "       oficina usuario criar --nome N --email E --perfil P  (password on stdin)\n"
	        "       oficina version\n");
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr, 2);
	if (argc == 2 && processo_ajuda(argv[1]))
		return usage(stdout, 0);
	if (strcmp(argv[1], "serve") == 0 && argc == 2)
		return cli_serve();
	if (strcmp(argv[1], "migrate") == 0)
		return cli_migrate(argc - 1, argv + 1);
	if (strcmp(argv[1], "relay") == 0 && argc == 2)
		return cli_relay();
	if (strcmp(argv[1], "eventos") == 0)
		return cli_eventos(argc - 1, argv + 1);
	if (strcmp(argv[1], "manutencao") == 0 && argc == 2)
		return cli_manutencao();
	if (strcmp(argv[1], "notificar") == 0 && argc == 2)
		return cli_notificar();
	if (strcmp(argv[1], "usuario") == 0)
		return cli_usuario(argc - 1, argv + 1);
	if (strcmp(argv[1], "version") == 0 && argc == 2) {
		printf("oficina %s\n", OFICINA_VERSION);
		return 0;
	}
	return usage(stderr, 2);
}

/* `oficina usuario criar` (cmd layer): creates a staff user, the way to make the first admin. */
#ifndef OFICINA_CMD_OFICINA_CLI_USUARIO_H
#define OFICINA_CMD_OFICINA_CLI_USUARIO_H

/*
 * argv[0] is "usuario", argv[1] "criar", then --nome N --email E --perfil P. The password is the
 * first line of stdin (asked without echo on a terminal). Prints the new uuid. Returns the exit
 * code: 0 created, 1 refused or failed (reason on stderr), 2 usage.
 */
int cli_usuario(int argc, char **argv);

#endif

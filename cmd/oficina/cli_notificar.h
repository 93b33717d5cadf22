/* `oficina notificar`: e-mails customers about their orders (cmd layer; cli_notificar.c). */
#ifndef OFICINA_CMD_OFICINA_CLI_NOTIFICAR_H
#define OFICINA_CMD_OFICINA_CLI_NOTIFICAR_H

/* Runs until SIGTERM/SIGINT. Exit status: 0, or 2 on a bad configuration. */
int cli_notificar(void);

#endif

/* `oficina eventos` and `oficina manutencao` (cmd layer; cli_eventos.c). */
#ifndef OFICINA_CMD_OFICINA_CLI_EVENTOS_H
#define OFICINA_CMD_OFICINA_CLI_EVENTOS_H

/* oficina eventos [reenviar [N]]: argv[0] is "eventos". Exit status 0, 1 (failure), 2 (usage). */
int cli_eventos(int argc, char **argv);

/* oficina manutencao: deletes what is past its retention. 0 or 1. */
int cli_manutencao(void);

#endif

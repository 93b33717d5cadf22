/* `oficina relay`: publishes the outbox to RabbitMQ (cmd layer; cli_relay.c). */
#ifndef OFICINA_CMD_OFICINA_CLI_RELAY_H
#define OFICINA_CMD_OFICINA_CLI_RELAY_H

/* Runs until SIGTERM/SIGINT. Exit status: 0, or 2 on a bad configuration. */
int cli_relay(void);

#endif

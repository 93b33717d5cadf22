/* `oficina serve` (cmd layer): configuration, wiring, the HTTP server and its graceful stop. */
#ifndef OFICINA_CMD_OFICINA_CLI_SERVE_H
#define OFICINA_CMD_OFICINA_CLI_SERVE_H

/* Serves until SIGTERM or SIGINT, then drains and returns 0; 1 when start-up fails. */
int cli_serve(void);

#endif

/*
 * What the background processes (relay, notifier) share (cmd layer): stop signals, a sleep that
 * a stop interrupts, exponential back-off with jitter, reading their environment, their circuit
 * breakers' settings and their metrics listener.
 */
#ifndef OFICINA_CMD_OFICINA_PROCESSO_H
#define OFICINA_CMD_OFICINA_PROCESSO_H

#include <stdbool.h>

#include "infrastructure/resilience/circuit_breaker.h"
#include "infrastructure/postgres/pg_session.h"
#include "infrastructure/telemetry/process_http.h"

/* make run's private RabbitMQ node (scripts/run.sh starts it on this port). */
#define PROCESSO_AMQP_DEFAULT_URL "amqp://guest:guest@127.0.0.1:25672/%2f"

/* SIGTERM and SIGINT ask the process to stop (processo_parando); SIGPIPE is ignored. */
void processo_sinais(void);

bool processo_parando(void);

/* Sleeps ms milliseconds, or less when a stop is asked. */
void processo_dormir_ms(long ms);

/*
 * The wait before attempt number falhas + 1 after falhas failures in a row: base_ms doubled per
 * failure up to max_ms, with equal jitter (half fixed, half random).
 */
long processo_backoff_ms(unsigned falhas, long base_ms, long max_ms);

/* The variable's value, or fallback when unset or empty. */
const char *processo_env(const char *name, const char *fallback);

/*
 * Whether arg asks for help ("help", "-h" or "--help"): every command then prints its usage on
 * stdout and exits 0, where a usage error prints it on stderr and exits 2.
 */
bool processo_ajuda(const char *arg);

/*
 * The variable as an integer in [min, max], fallback when unset. A bad value prints one line
 * naming the variable and sets *ok to false.
 */
long processo_env_long(const char *name, long fallback, long min, long max, bool *ok);

/*
 * AMQP_URL, or make run's node. One that is no amqp:// or amqps:// URL prints one line naming it
 * (never its value) and sets *ok to false.
 */
const char *processo_amqp_url(bool *ok);

/*
 * The PostgreSQL settings of a background process or a command: DATABASE_URL (or make run's
 * cluster), its name in pg_stat_activity, its statement_timeout and the circuit breaker its
 * connections go through (NULL: none). A DATABASE_URL libpq cannot read prints one line naming
 * it (never its value) and sets *ok to false.
 */
struct pg_config processo_pg_config(const char *application_name, int statement_timeout_ms,
                                    struct circuit_breaker *breaker, bool *ok);

/*
 * The circuit breaker a background process puts in front of a dependency (PostgreSQL, the
 * broker): it opens after 3 failures in a row, for 500 ms doubled per failure up to 30 s.
 */
void processo_breaker_init(struct circuit_breaker *b);

/*
 * Serves the metrics and the health probes on porta, METRICS_PORT, through ops and arg; porta 0
 * serves nothing. *out gets the listener (NULL for none), for process_http_stop. false, with a
 * line on stderr naming programa, when porta cannot be listened on.
 */
bool processo_metricas(const char *programa, long porta, const struct process_http_ops *ops,
                       void *arg, struct process_http **out);

/* Configures the JSON log lines from LOG_LEVEL and APP_ENV; false (with a line) on a bad level. */
bool processo_log(void);

#endif

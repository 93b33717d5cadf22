/* What the background processes share (cmd layer; processo.h). */
#include "cmd/oficina/processo.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "domain/monotonic.h"
#include "infrastructure/amqp/amqp_client.h"
#include "infrastructure/config/config.h"
#include "infrastructure/log/log.h"

static volatile sig_atomic_t parar;

static void pedir_parada(int sig)
{
	(void)sig;
	parar = 1;
}

void processo_sinais(void)
{
	/* No SA_RESTART: a poll or a sleep in progress returns, and the loop sees the stop. */
	struct sigaction sa = {.sa_handler = pedir_parada};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

bool processo_parando(void)
{
	return parar != 0;
}

void processo_dormir_ms(long ms)
{
	struct timespec ate = monotonic_in_ms(ms);
	long resta;

	while (!parar && (resta = monotonic_ms_until(&ate)) > 0)
		poll(NULL, 0, resta > 200 ? 200 : (int)resta);
}

long processo_backoff_ms(unsigned falhas, long base_ms, long max_ms)
{
	long span = base_ms;
	for (unsigned i = 1; i < falhas && span < max_ms; i++)
		span *= 2;
	if (span > max_ms)
		span = max_ms;
	return (long)monotonic_equal_jitter(span);
}

bool processo_ajuda(const char *arg)
{
	return arg &&
	       (strcmp(arg, "help") == 0 || strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0);
}

const char *processo_env(const char *name, const char *fallback)
{
	const char *v = config_env(name);
	return v ? v : fallback;
}

long processo_env_long(const char *name, long fallback, long min, long max, bool *ok)
{
	char err[160];
	long n;

	if (!config_number(name, fallback, min, max, &n, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		*ok = false;
		return fallback;
	}
	return n;
}

const char *processo_amqp_url(bool *ok)
{
	const char *url = processo_env("AMQP_URL", PROCESSO_AMQP_DEFAULT_URL);

	/* A URL that can never connect is a configuration error, not a broker outage to retry. */
	if (!amqp_client_url_valida(url)) {
		fprintf(stderr, "AMQP_URL must be an amqp:// or amqps:// URL (value not shown: it "
		                "may hold a password)\n");
		*ok = false;
	}
	return url;
}

struct pg_config processo_pg_config(const char *application_name, int statement_timeout_ms,
                                    struct circuit_breaker *breaker, bool *ok)
{
	const char *url = processo_env("DATABASE_URL", CONFIG_DEFAULT_DATABASE_URL);
	char err[160];

	if (!config_database_url("DATABASE_URL", url, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		*ok = false;
	}
	return (struct pg_config){.url = url,
	                          .statement_timeout_ms = statement_timeout_ms,
	                          .connect_timeout_s = 5,
	                          .application_name = application_name,
	                          .breaker = breaker};
}

void processo_breaker_init(struct circuit_breaker *b)
{
	circuit_breaker_init(b, 3, 500, 30000);
}

bool processo_metricas(const char *programa, long porta, const struct process_http_ops *ops,
                       void *arg, struct process_http **out)
{
	*out = porta ? process_http_start((unsigned)porta, ops, arg) : NULL;
	if (porta && !*out) {
		fprintf(stderr, "%s: METRICS_PORT %ld: cannot listen\n", programa, porta);
		return false;
	}
	return true;
}

bool processo_log(void)
{
	enum log_level nivel = LOG_LEVEL_INFO;
	const char *v = processo_env("LOG_LEVEL", "info");

	if (log_level_parse(v, &nivel) != 0) {
		fprintf(stderr, "LOG_LEVEL must be debug, info, warn or error\n");
		return false;
	}
	log_configure(nivel, processo_env("APP_ENV", "production"));
	return true;
}

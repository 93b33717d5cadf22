/*
 * Configuration from environment variables only (infrastructure layer, 12-factor). Every variable,
 * its default and its rule is documented in the README; a bad value stops start-up with one line
 * naming the variable.
 */
#ifndef OFICINA_INFRASTRUCTURE_CONFIG_CONFIG_H
#define OFICINA_INFRASTRUCTURE_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "application/app.h"
#include "application/ports/logger.h"
#include "domain/cidr.h"

/* The cluster make run starts; its port is below Linux's ephemeral range (32768+), so no outgoing
 * connection can be holding it. */
#define CONFIG_DEFAULT_DATABASE_URL "postgresql://oficina@127.0.0.1:25432/oficina"

/*
 * The key of the budget links when APP_ENV=development and ORCAMENTO_LINK_SECRET is unset: the
 * notifier (oficina notificar) signs with the same default, so the links of `make run` open.
 * Never used outside development.
 */
#define CONFIG_ORCAMENTO_LINK_SECRET_DEV "oficina-desenvolvimento-orcamento-link-secreto"

/* Handler workers, each with its PostgreSQL connection (README: choosing DB_POOL_SIZE). */
#define CONFIG_DEFAULT_DB_POOL_SIZE 32

struct config {
	char database_url[1024];      /* DATABASE_URL */
	char database_read_url[1024]; /* DATABASE_READ_URL, "" (queries go to DATABASE_URL) */
	int replica_max_lag_ms;       /* DATABASE_READ_MAX_LAG_MS, 1000 */
	unsigned port;                /* PORT, 8080 */
	unsigned http_threads;        /* HTTP_THREADS, I/O threads: one per CPU (at least 2) */
	unsigned db_pool_size;        /* DB_POOL_SIZE, handler workers = their connections */
	unsigned max_queued_requests; /* MAX_QUEUED_REQUESTS, waiting for a worker (per pool) */
	int queue_timeout_ms;         /* QUEUE_TIMEOUT_MS, longest wait for a worker */
	int request_timeout_ms; /* REQUEST_TIMEOUT_MS, a request's budget (< gateway's 29 s) */
	unsigned password_hash_concurrency; /* PASSWORD_HASH_CONCURRENCY, hashes at once */
	unsigned connection_limit;          /* HTTP_CONNECTION_LIMIT, 1024 */
	unsigned per_ip_connection_limit;   /* HTTP_PER_IP_CONNECTION_LIMIT, 128 (0: off) */
	unsigned connection_timeout_s;      /* HTTP_IDLE_TIMEOUT_SECONDS, 30 */
	int read_timeout_ms;                /* HTTP_READ_TIMEOUT_MS, to receive a whole request */
	size_t max_body_buffer_bytes;       /* MAX_BODY_BUFFER_BYTES, bodies held at once */
	int statement_timeout_ms;           /* DB_STATEMENT_TIMEOUT_MS, 10000 */
	char jwt_secret[257];               /* JWT_SECRET, >= 32 bytes; random in development */
	bool jwt_secret_generated;          /* no JWT_SECRET in development: one made up at start */
	long jwt_ttl_seconds;               /* JWT_TTL_SECONDS, 3600 */
	char jwt_issuer[128];               /* JWT_ISSUER, "oficina" */
	char jwt_audience[128];             /* JWT_AUDIENCE, "oficina-api" */
	char gateway_api_key[257];          /* GATEWAY_API_KEY, "" (not required) */
	char webhook_secret[257];           /* WEBHOOK_SECRET, "" */
	char orcamento_link_secret[257];    /* ORCAMENTO_LINK_SECRET, >= 32 bytes; "" (links off) */
	bool orcamento_link_secret_dev;     /* unset in development: the _DEV key above */
	int orcamento_link_ttl_hours;       /* ORCAMENTO_LINK_TTL_HOURS, 72 (the notifier's) */
	int sessoes_refresh_ms;   /* SESSOES_REFRESH_MS, 2000: how stale the session registry may be
	                           */
	char cors_origins[1024];  /* CORS_ORIGINS, "" (no cross-origin access) */
	enum log_level log_level; /* LOG_LEVEL, info */
	char app_env[32];         /* APP_ENV, production */
	char dd_agent_host[256];  /* DD_AGENT_HOST, "" (no DogStatsD) */
	unsigned dd_port;         /* DD_DOGSTATSD_PORT, 8125 */
	size_t max_body_bytes;    /* MAX_BODY_BYTES, 1 MiB */
	long rate_limit_per_minute;      /* RATE_LIMIT_PER_MINUTE, 0 (off: the gateway throttles) */
	long auth_rate_limit_per_minute; /* AUTH_RATE_LIMIT_PER_MINUTE, 0 (off) */
	struct cidr_list trusted_proxies; /* TRUSTED_PROXIES, none (the TCP peer is the client) */
	int drain_timeout_s;              /* SHUTDOWN_TIMEOUT_SECONDS, 20 */
	struct cliente_login_regras cliente_login; /* CLIENTE_LOGIN, _MAX_FALHAS, _BLOQUEIO_S */
};

/*
 * Reads the environment into cfg. Returns 0, or APP_EINVALID with one line in err naming the
 * variable and what is wrong with it (never its value when it is a secret).
 */
int config_load(struct config *cfg, char *err, size_t errlen);

/* The variable's value, or NULL when it is unset or empty. */
const char *config_env(const char *name);

/*
 * A whole number in [min, max] from variable name, or def when unset, into *out. False, with one
 * line in err naming the variable and the range, for anything else.
 */
bool config_number(const char *name, long def, long min, long max, long *out, char *err,
                   size_t errlen);

/*
 * A PostgreSQL URL or conninfo that libpq can read (a bare database name passes, as libpq takes
 * it). False, with one line in err naming the variable, for anything else: its value is never
 * echoed, since it may hold a password.
 */
bool config_database_url(const char *name, const char *url, char *err, size_t errlen);

/*
 * CORS_ORIGINS as the server compares it with a request's Origin: "", "*" alone, or
 * comma-separated http(s)://host[:port] in lower case with nothing after. False, with one line in
 * err naming the bad entry, for anything that could never match.
 */
bool config_cors_origins(const char *list, char *err, size_t errlen);

/* Wipes the secrets held by cfg. */
void config_cleanup(struct config *cfg);

#endif

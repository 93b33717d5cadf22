/* Configuration from the environment (infrastructure layer). */
#include "infrastructure/config/config.h"

#include <ctype.h>
#include <errno.h>
#include <libpq-fe.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "application/ports/token_service.h"
#include "domain/errors.h"
#include "infrastructure/log/log.h"

const char *config_env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/* Copies variable name (or def) into dst; false when it does not fit. */
static bool text(const char *name, const char *def, char *dst, size_t n, char *err, size_t errlen)
{
	const char *v = config_env(name);
	if (!v)
		v = def;
	if (strlen(v) >= n) {
		snprintf(err, errlen, "%s is too long (at most %zu bytes)", name, n - 1);
		return false;
	}
	memcpy(dst, v, strlen(v) + 1);
	return true;
}

bool config_number(const char *name, long def, long min, long max, long *out, char *err,
                   size_t errlen)
{
	const char *v = config_env(name);
	char *end;
	if (!v) {
		*out = def;
		return true;
	}
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || *end || end == v || n < min || n > max) {
		snprintf(err, errlen, "%s must be a whole number from %ld to %ld", name, min, max);
		return false;
	}
	*out = n;
	return true;
}

bool config_database_url(const char *name, const char *url, char *err, size_t errlen)
{
	PQconninfoOption *opts;
	char *why = NULL;

	/* libpq expands dbname only when it looks like a URL or a conninfo; else it is a name. */
	if (strncmp(url, "postgresql://", 13) != 0 && strncmp(url, "postgres://", 11) != 0 &&
	    !strchr(url, '='))
		return true;
	/*
	 * Checked at start, not at the first connection: libpq's reason for a URL it cannot parse
	 * quotes the URL, password included, so it must never reach a log line — and a value that
	 * can never connect is a configuration error, not an outage to retry.
	 */
	opts = PQconninfoParse(url, &why);
	PQfreemem(why);
	if (!opts) {
		snprintf(
		    err, errlen,
		    "%s is not a PostgreSQL URL or conninfo that libpq can read (value not shown: "
		    "it may hold a password)",
		    name);
		return false;
	}
	PQconninfoFree(opts);
	return true;
}

/*
 * One entry of CORS_ORIGINS, n bytes at o: an origin as a browser sends it in Origin, which the
 * server compares byte for byte — http:// or https://, a lower-case host, an optional port, and
 * nothing after (a trailing slash or a path would never match).
 */
static bool cors_origin_valida(const char *o, size_t n)
{
	size_t scheme = strncmp(o, "https://", 8) == 0 ? 8 : strncmp(o, "http://", 7) == 0 ? 7 : 0;

	if (!scheme || n == scheme)
		return false;
	for (size_t i = scheme; i < n; i++)
		if (!(islower((unsigned char)o[i]) || isdigit((unsigned char)o[i]) ||
		      strchr(".-:[]", o[i])))
			return false;
	return true;
}

bool config_cors_origins(const char *list, char *err, size_t errlen)
{
	if (strcmp(list, "*") == 0)
		return true;
	for (const char *p = list; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t n = strcspn(p, ",");
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n > 0 && !cors_origin_valida(p, n)) {
			snprintf(
			    err, errlen,
			    "CORS_ORIGINS: \"%.*s\" is no origin (\"*\" alone, or comma-separated "
			    "http(s)://host[:port] in lower case, without a path or a trailing slash)",
			    (int)(n < 80 ? n : 80), p);
			return false;
		}
		p += strcspn(p, ",");
	}
	return true;
}

/*
 * ORCAMENTO_LINK_SECRET: optional (unset outside development, the budget links are off), 32 to
 * 256 bytes, and a key of its own — never JWT_SECRET's or WEBHOOK_SECRET's value. Runs after
 * both are read.
 */
static int orcamento_link_secret(struct config *cfg, char *err, size_t errlen)
{
	const char *secret = config_env("ORCAMENTO_LINK_SECRET");

	if (!secret) {
		if (strcmp(cfg->app_env, "development") == 0) {
			memcpy(cfg->orcamento_link_secret, CONFIG_ORCAMENTO_LINK_SECRET_DEV,
			       sizeof CONFIG_ORCAMENTO_LINK_SECRET_DEV);
			cfg->orcamento_link_secret_dev = true;
		}
		return 0;
	}
	if (strlen(secret) < 32 || strlen(secret) >= sizeof cfg->orcamento_link_secret) {
		snprintf(err, errlen,
		         "ORCAMENTO_LINK_SECRET must have from 32 to 256 bytes (or be unset: no "
		         "budget links)");
		return APP_EINVALID;
	}
	if (strcmp(secret, cfg->jwt_secret) == 0 || strcmp(secret, cfg->webhook_secret) == 0) {
		snprintf(err, errlen,
		         "ORCAMENTO_LINK_SECRET must be a key of its own, not JWT_SECRET or "
		         "WEBHOOK_SECRET");
		return APP_EINVALID;
	}
	memcpy(cfg->orcamento_link_secret, secret, strlen(secret) + 1);
	return 0;
}

/*
 * CLIENTE_LOGIN and its lockout. cpf_placa (the default) asks a customer for their CPF and the
 * plate of one of their vehicles; cpf is SPEC §4's CPF alone, kept for gateways that still send
 * only that, and insecure: a CPF is no secret (README "Customers: login by CPF and plate").
 */
static int cliente_login(struct config *cfg, char *err, size_t errlen)
{
	const char *modo = config_env("CLIENTE_LOGIN");
	long v;

	if (!modo || strcmp(modo, "cpf_placa") == 0) {
		cfg->cliente_login.modo = CLIENTE_LOGIN_CPF_PLACA;
	} else if (strcmp(modo, "cpf") == 0) {
		cfg->cliente_login.modo = CLIENTE_LOGIN_CPF;
	} else {
		snprintf(err, errlen,
		         "CLIENTE_LOGIN must be cpf_placa (CPF and a plate of the customer's) or "
		         "cpf (CPF alone: legacy, insecure)");
		return APP_EINVALID;
	}
	if (!config_number("CLIENTE_LOGIN_MAX_FALHAS", CLIENTE_LOGIN_MAX_FALHAS_PADRAO, 1, 1000, &v,
	                   err, errlen))
		return APP_EINVALID;
	cfg->cliente_login.max_falhas = v;
	if (!config_number("CLIENTE_LOGIN_BLOQUEIO_S", CLIENTE_LOGIN_BLOQUEIO_S_PADRAO, 1, 86400,
	                   &v, err, errlen))
		return APP_EINVALID;
	cfg->cliente_login.bloqueio_s = v;
	return 0;
}

int config_load(struct config *cfg, char *err, size_t errlen)
{
	long v, cpus = sysconf(_SC_NPROCESSORS_ONLN);
	/* The I/O threads only parse and answer: one per core, two at least. */
	long threads_default = cpus > 2 ? cpus : 2;

	memset(cfg, 0, sizeof *cfg);
	if (!text("DATABASE_URL", CONFIG_DEFAULT_DATABASE_URL, cfg->database_url,
	          sizeof cfg->database_url, err, errlen) ||
	    !text("DATABASE_READ_URL", "", cfg->database_read_url, sizeof cfg->database_read_url,
	          err, errlen) ||
	    !text("APP_ENV", "production", cfg->app_env, sizeof cfg->app_env, err, errlen) ||
	    !text("JWT_ISSUER", "oficina", cfg->jwt_issuer, sizeof cfg->jwt_issuer, err, errlen) ||
	    !text("JWT_AUDIENCE", "oficina-api", cfg->jwt_audience, sizeof cfg->jwt_audience, err,
	          errlen) ||
	    !text("GATEWAY_API_KEY", "", cfg->gateway_api_key, sizeof cfg->gateway_api_key, err,
	          errlen) ||
	    !text("WEBHOOK_SECRET", "", cfg->webhook_secret, sizeof cfg->webhook_secret, err,
	          errlen) ||
	    !text("CORS_ORIGINS", "", cfg->cors_origins, sizeof cfg->cors_origins, err, errlen) ||
	    !text("DD_AGENT_HOST", "", cfg->dd_agent_host, sizeof cfg->dd_agent_host, err, errlen))
		return APP_EINVALID;
	if (!config_database_url("DATABASE_URL", cfg->database_url, err, errlen) ||
	    !config_database_url("DATABASE_READ_URL", cfg->database_read_url, err, errlen) ||
	    !config_cors_origins(cfg->cors_origins, err, errlen))
		return APP_EINVALID;

	if (!config_number("PORT", 8080, 0, 65535, &v, err, errlen))
		return APP_EINVALID;
	cfg->port = (unsigned)v;
	if (!config_number("HTTP_THREADS", threads_default, 1, 256, &v, err, errlen))
		return APP_EINVALID;
	cfg->http_threads = (unsigned)v;
	/*
	 * Requests in flight are the workers, independent of the cores: each waits on its own
	 * connection, so the count that keeps a database 1 ms away busy is what matters (README:
	 * the connection budget, and make bench for the figures behind the default).
	 */
	if (!config_number("DB_POOL_SIZE", CONFIG_DEFAULT_DB_POOL_SIZE, 1, 1024, &v, err, errlen))
		return APP_EINVALID;
	cfg->db_pool_size = (unsigned)v;
	if (!config_number("MAX_QUEUED_REQUESTS", 256, 1, 100000, &v, err, errlen))
		return APP_EINVALID;
	cfg->max_queued_requests = (unsigned)v;
	if (!config_number("QUEUE_TIMEOUT_MS", 1000, 1, 60000, &v, err, errlen))
		return APP_EINVALID;
	cfg->queue_timeout_ms = (int)v;
	/* Below the API gateway's 29 s integration timeout, so the client gets our answer. */
	if (!config_number("REQUEST_TIMEOUT_MS", 10000, 100, 28000, &v, err, errlen))
		return APP_EINVALID;
	cfg->request_timeout_ms = (int)v;
	if (!config_number("PASSWORD_HASH_CONCURRENCY", 2, 1, 64, &v, err, errlen))
		return APP_EINVALID;
	cfg->password_hash_concurrency = (unsigned)v;
	if (!config_number("HTTP_CONNECTION_LIMIT", 1024, 1, 100000, &v, err, errlen))
		return APP_EINVALID;
	cfg->connection_limit = (unsigned)v;
	if (!config_number("HTTP_PER_IP_CONNECTION_LIMIT", 128, 0, 100000, &v, err, errlen))
		return APP_EINVALID;
	cfg->per_ip_connection_limit = (unsigned)v;
	if (!config_number("HTTP_IDLE_TIMEOUT_SECONDS", 30, 1, 3600, &v, err, errlen))
		return APP_EINVALID;
	cfg->connection_timeout_s = (unsigned)v;
	if (!config_number("HTTP_READ_TIMEOUT_MS", 10000, 100, 600000, &v, err, errlen))
		return APP_EINVALID;
	cfg->read_timeout_ms = (int)v;
	if (!config_number("DB_STATEMENT_TIMEOUT_MS", 10000, 1, 600000, &v, err, errlen))
		return APP_EINVALID;
	cfg->statement_timeout_ms = (int)v;
	/* A replica further behind than this serves no query: they go to the primary meanwhile. */
	if (!config_number("DATABASE_READ_MAX_LAG_MS", 1000, 0, 3600000, &v, err, errlen))
		return APP_EINVALID;
	cfg->replica_max_lag_ms = (int)v;
	/* Tokens cannot be revoked (verification reads no database): keep their life short. */
	if (!config_number("JWT_TTL_SECONDS", 3600, 60, TOKEN_TTL_MAX_SECONDS, &v, err, errlen))
		return APP_EINVALID;
	cfg->jwt_ttl_seconds = v;
	if (!config_number("DD_DOGSTATSD_PORT", 8125, 1, 65535, &v, err, errlen))
		return APP_EINVALID;
	cfg->dd_port = (unsigned)v;
	if (!config_number("MAX_BODY_BYTES", 1048576, 1024, 64L * 1048576, &v, err, errlen))
		return APP_EINVALID;
	cfg->max_body_bytes = (size_t)v;
	/* At least one largest body fits. */
	long buffer_default = 16L * 1048576;
	if (buffer_default <= (long)cfg->max_body_bytes)
		buffer_default = (long)cfg->max_body_bytes + 1;
	if (!config_number("MAX_BODY_BUFFER_BYTES", buffer_default, (long)cfg->max_body_bytes + 1,
	                   4096L * 1048576, &v, err, errlen))
		return APP_EINVALID;
	cfg->max_body_buffer_bytes = (size_t)v;
	if (!config_number("RATE_LIMIT_PER_MINUTE", 0, 0, 1000000000L, &v, err, errlen))
		return APP_EINVALID;
	cfg->rate_limit_per_minute = v;
	if (!config_number("AUTH_RATE_LIMIT_PER_MINUTE", 0, 0, 1000000000L, &v, err, errlen))
		return APP_EINVALID;
	cfg->auth_rate_limit_per_minute = v;
	/* A hop count trusted X-Forwarded-For from any peer; the peer's address decides now. */
	if (config_env("TRUSTED_PROXY_HOPS")) {
		snprintf(
		    err, errlen,
		    "TRUSTED_PROXY_HOPS is gone: set TRUSTED_PROXIES to the CIDR ranges of the "
		    "proxies in front (README \"Configuration\")");
		return APP_EINVALID;
	}
	char why[96];
	if (cidr_list_parse(config_env("TRUSTED_PROXIES"), &cfg->trusted_proxies, why,
	                    sizeof why)) {
		snprintf(err, errlen, "TRUSTED_PROXIES: %s", why);
		return APP_EINVALID;
	}
	if (!config_number("SHUTDOWN_TIMEOUT_SECONDS", 20, 1, 600, &v, err, errlen))
		return APP_EINVALID;
	cfg->drain_timeout_s = (int)v;
	/* The server only checks expiries; the notifier reads this to sign (up to 30 days). */
	if (!config_number("ORCAMENTO_LINK_TTL_HOURS", 72, 1, 720, &v, err, errlen))
		return APP_EINVALID;
	cfg->orcamento_link_ttl_hours = (int)v;
	/* A demotion, deactivation or logout takes effect within this. */
	if (!config_number("SESSOES_REFRESH_MS", 2000, 100, 60000, &v, err, errlen))
		return APP_EINVALID;
	cfg->sessoes_refresh_ms = (int)v;
	if (cliente_login(cfg, err, errlen) != 0)
		return APP_EINVALID;

	if (log_level_parse(config_env("LOG_LEVEL") ? config_env("LOG_LEVEL") : "info",
	                    &cfg->log_level) != 0) {
		snprintf(err, errlen, "LOG_LEVEL must be debug, info, warn or error");
		return APP_EINVALID;
	}

	if (cfg->webhook_secret[0] && strlen(cfg->webhook_secret) < 32) {
		snprintf(err, errlen,
		         "WEBHOOK_SECRET must have at least 32 bytes (or be empty: no webhook)");
		return APP_EINVALID;
	}
	/* The secret's value is never echoed, only what is wrong with it. */
	const char *secret = config_env("JWT_SECRET");
	if (secret) {
		if (strlen(secret) < 32 || strlen(secret) >= sizeof cfg->jwt_secret) {
			snprintf(err, errlen, "JWT_SECRET must have from 32 to 256 bytes");
			return APP_EINVALID;
		}
		memcpy(cfg->jwt_secret, secret, strlen(secret) + 1);
	} else if (strcmp(cfg->app_env, "development") == 0) {
		unsigned char raw[32];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(cfg->jwt_secret, sizeof cfg->jwt_secret, raw, sizeof raw);
		sodium_memzero(raw, sizeof raw);
		cfg->jwt_secret_generated = true;
	} else {
		snprintf(err, errlen,
		         "JWT_SECRET is required (at least 32 bytes) when APP_ENV is not "
		         "development");
		return APP_EINVALID;
	}
	return orcamento_link_secret(cfg, err, errlen);
}

void config_cleanup(struct config *cfg)
{
	sodium_memzero(cfg->jwt_secret, sizeof cfg->jwt_secret);
	sodium_memzero(cfg->gateway_api_key, sizeof cfg->gateway_api_key);
	sodium_memzero(cfg->webhook_secret, sizeof cfg->webhook_secret);
	sodium_memzero(cfg->orcamento_link_secret, sizeof cfg->orcamento_link_secret);
}

/* `oficina serve`: wiring of the adapters and the server's life (cmd layer). */
#include "cmd/oficina/cli_serve.h"

#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cmd/oficina/sessoes_refresh.h"
#include "cmd/oficina/worker.h"
#include "infrastructure/auth/hmac_assinatura.h"
#include "infrastructure/auth/hmac_orcamento_link.h"
#include "infrastructure/auth/jwt_token.h"
#include "infrastructure/auth/password.h"
#include "infrastructure/config/config.h"
#include "infrastructure/log/log.h"
#include "infrastructure/resilience/circuit_breaker.h"
#include "infrastructure/postgres/pg_health_monitor.h"
#include "infrastructure/telemetry/dogstatsd.h"
#include "infrastructure/telemetry/process_stats.h"
#include "presentation/http/server.h"
#include "presentation/http/worker_pool.h"

/*
 * The database's circuit breaker: 3 failed connection attempts in a row open it for 100 ms,
 * doubling at each failed probe up to 5 s (README: the circuit breaker).
 */
#define BREAKER_THRESHOLD 3
#define BREAKER_BASE_MS   100
#define BREAKER_MAX_MS    5000
/* Readiness: the monitor probes every second and gives a probe one second. */
#define HEALTH_PERIOD_MS  1000
#define HEALTH_TIMEOUT_MS 1000
/*
 * With a replica, the primary's WAL position is sampled four times a second (the yardstick of the
 * replica's lag, which can read up to one period above the real one) and the replica's replay
 * position as often, so queries leave a replica within about half a second of its passing
 * DATABASE_READ_MAX_LAG_MS (README: the read replica).
 */
#define REPLICA_PERIOD_MS 250

/* Everything `serve` sets up, released in reverse order through one exit. */
static struct {
	struct config cfg;
	struct jwt_config jwt;
	struct dogstatsd statsd;
	struct hmac_assinatura webhook;
	struct hmac_orcamento_link links;
	struct password_gate gate;
	struct circuit_breaker breaker;
	struct pg_config pg;
	struct circuit_breaker
	    replica_breaker; /* the replica's failures do not close the primary */
	struct pg_config replica;
	struct pg_health_monitor *replica_monitor; /* NULL without DATABASE_READ_URL */
} serve;

static bool database_rejecting(void)
{
	return circuit_breaker_rejecting(&serve.breaker);
}

/* Queries go to the replica while it answers its probe and is at most the allowed lag behind. */
static bool replica_usable(void)
{
	long lag = pg_health_monitor_lag_ms(serve.replica_monitor);
	return lag >= 0 && lag <= serve.cfg.replica_max_lag_ms &&
	       !circuit_breaker_rejecting(&serve.replica_breaker);
}

static void database_stats(struct database_stats *out)
{
	pg_session_stats_read(out);
	out->breaker = (enum database_breaker)circuit_breaker_state(&serve.breaker);
	out->breaker_openings = atomic_load(&serve.breaker.openings);
	if ((out->replica = serve.replica_monitor != NULL)) {
		out->replica_lag_ms = pg_health_monitor_lag_ms(serve.replica_monitor);
		out->replica_usable = replica_usable();
	}
}

/* Blocks the stop signals in every thread (set before any starts); main waits for them. */
static void block_stop_signals(sigset_t *stop_signals)
{
	sigemptyset(stop_signals);
	sigaddset(stop_signals, SIGTERM);
	sigaddset(stop_signals, SIGINT);
	pthread_sigmask(SIG_BLOCK, stop_signals, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int cli_serve(void)
{
	struct config *cfg = &serve.cfg;
	struct telemetry telemetry = {0};
	struct worker_settings ws = {0};
	struct pg_health_monitor *monitor = NULL;
	struct sessoes *sessoes = NULL;
	struct sessoes_refresh *refresh = NULL;
	struct server *server = NULL;
	struct logger logger;
	bool jwt_ready = false, webhook_ready = false, links_ready = false, gate_ready = false;
	char err[256];
	sigset_t stop_signals;
	int sig = 0, rc = 1;

	if (sodium_init() < 0) {
		fprintf(stderr, "oficina: libsodium cannot start\n");
		return 1;
	}
	if (config_load(cfg, err, sizeof err) != 0) {
		fprintf(stderr, "oficina: %s\n", err);
		goto out;
	}
	log_configure(cfg->log_level, cfg->app_env);
	log_logger_init(&logger);
	if (cfg->jwt_secret_generated)
		log_msg(LOG_LEVEL_WARN, NULL,
		        "JWT_SECRET not set: using a random secret (development only; tokens end "
		        "with the process)");
	if (jwt_config_init(&serve.jwt, cfg->jwt_secret, cfg->jwt_issuer, cfg->jwt_audience,
	                    cfg->jwt_ttl_seconds) != 0) {
		fprintf(stderr, "oficina: JWT_SECRET, JWT_ISSUER or JWT_AUDIENCE is not usable\n");
		goto out;
	}
	jwt_ready = true;
	/* The webhook's HMAC; an empty WEBHOOK_SECRET disables it (every call 401). */
	if (hmac_assinatura_init(&serve.webhook, cfg->webhook_secret) != 0) {
		fprintf(stderr, "oficina: WEBHOOK_SECRET is too long (256 bytes at most)\n");
		goto out;
	}
	webhook_ready = true;
	/* The budget links of the e-mails; without ORCAMENTO_LINK_SECRET their page says "off". */
	if (hmac_orcamento_link_init(&serve.links, cfg->orcamento_link_secret) != 0) {
		fprintf(stderr, "oficina: ORCAMENTO_LINK_SECRET must have from 32 to 256 bytes\n");
		goto out;
	}
	links_ready = true;
	if (cfg->orcamento_link_secret_dev)
		log_msg(LOG_LEVEL_WARN, NULL,
		        "ORCAMENTO_LINK_SECRET not set: budget links use the development key "
		        "(development only)");
	else if (!cfg->orcamento_link_secret[0])
		log_msg(
		    LOG_LEVEL_INFO, NULL,
		    "ORCAMENTO_LINK_SECRET not set: budget links are off (their page answers 404)");
	if (cfg->cliente_login.modo == CLIENTE_LOGIN_CPF)
		log_msg(
		    LOG_LEVEL_WARN, NULL,
		    "CLIENTE_LOGIN=cpf: customers log in with a CPF alone, which is no secret "
		    "(legacy, for gateways that still send only the CPF; README \"Customers\")");
	if (password_gate_init(&serve.gate, cfg->password_hash_concurrency,
	                       PASSWORD_GATE_WAIT_MS_DEFAULT) != 0) {
		fprintf(stderr, "oficina: PASSWORD_HASH_CONCURRENCY cannot be set up\n");
		goto out;
	}
	gate_ready = true;
	if (cfg->dd_agent_host[0]) {
		if (dogstatsd_init(&serve.statsd, cfg->dd_agent_host, cfg->dd_port, cfg->app_env) !=
		    0) {
			fprintf(stderr, "oficina: DD_AGENT_HOST does not resolve\n");
			goto out;
		}
		dogstatsd_telemetry_init(&telemetry, &serve.statsd);
	}

	circuit_breaker_init(&serve.breaker, BREAKER_THRESHOLD, BREAKER_BASE_MS, BREAKER_MAX_MS);
	serve.pg = (struct pg_config){.url = cfg->database_url,
	                              .statement_timeout_ms = cfg->statement_timeout_ms,
	                              .connect_timeout_s = 2,
	                              .breaker = &serve.breaker,
	                              /* a worker waiting long on the database lets others run */
	                              .park = worker_pool_park,
	                              .unpark = worker_pool_unpark};
	ws.pg = &serve.pg;
	if (cfg->database_read_url[0]) {
		circuit_breaker_init(&serve.replica_breaker, BREAKER_THRESHOLD, BREAKER_BASE_MS,
		                     BREAKER_MAX_MS);
		serve.replica = serve.pg;
		serve.replica.url = cfg->database_read_url;
		serve.replica.breaker = &serve.replica_breaker;
		ws.replica = &serve.replica;
		ws.replica_usable = replica_usable;
	}
	jwt_token_service_init(&ws.tokens, &serve.jwt);
	password_hasher_init(&ws.senhas, &serve.gate);
	hmac_assinatura_port(&serve.webhook, &ws.webhook);
	hmac_orcamento_link_port(&serve.links, &ws.orcamento_link);
	ws.cliente_login = cfg->cliente_login;
	workers_configure(&ws);

	block_stop_signals(&stop_signals);
	if (!(monitor = ws.replica
	                    ? pg_health_monitor_start(&serve.pg, PG_MONITOR_WAL, NULL,
	                                              REPLICA_PERIOD_MS, HEALTH_TIMEOUT_MS)
	                    : pg_health_monitor_start(&serve.pg, PG_MONITOR_PRIMARY, NULL,
	                                              HEALTH_PERIOD_MS, HEALTH_TIMEOUT_MS))) {
		fprintf(stderr, "oficina: cannot start the database monitor\n");
		goto out;
	}
	/* Before the workers, which ask it whether they may read there. */
	if (ws.replica && !(serve.replica_monitor =
	                        pg_health_monitor_start(&serve.replica, PG_MONITOR_REPLICA, monitor,
	                                                REPLICA_PERIOD_MS, HEALTH_TIMEOUT_MS))) {
		fprintf(stderr, "oficina: cannot start the replica monitor\n");
		goto out;
	}
	/* The accounts' states, so that tokens do not outlive their account or a logout. */
	if (!(sessoes = sessoes_new()) ||
	    !(refresh = sessoes_refresh_start(&serve.pg, sessoes, cfg->sessoes_refresh_ms))) {
		fprintf(stderr, "oficina: cannot start the session registry\n");
		goto out;
	}
	struct server_config sc = {
	    .port = cfg->port,
	    .threads = cfg->http_threads,
	    .workers = cfg->db_pool_size,
	    .password_workers = cfg->password_hash_concurrency,
	    .max_queued = cfg->max_queued_requests,
	    .queue_timeout_ms = cfg->queue_timeout_ms,
	    .request_timeout_ms = cfg->request_timeout_ms,
	    .read_timeout_ms = cfg->read_timeout_ms,
	    .connection_limit = cfg->connection_limit,
	    .per_ip_connection_limit = cfg->per_ip_connection_limit,
	    .connection_timeout_s = cfg->connection_timeout_s,
	    .max_body_bytes = cfg->max_body_bytes,
	    .max_body_buffer_bytes = cfg->max_body_buffer_bytes,
	    .rate_limit_per_minute = cfg->rate_limit_per_minute,
	    .auth_rate_limit_per_minute = cfg->auth_rate_limit_per_minute,
	    .trusted_proxies = cfg->trusted_proxies,
	    .gateway_api_key = cfg->gateway_api_key,
	    .cors_origins = cfg->cors_origins,
	    .tokens = ws.tokens,
	    .sessoes = sessoes,
	    .app_for_thread = worker_app_connected,
	    .app_release = worker_release,
	    .app_for_queries = ws.replica ? worker_app_for_queries : NULL,
	    .database_rejecting = database_rejecting,
	    .database_stats = database_stats,
	    .process_metrics = process_stats_render,
	    .log = logger,
	    .telemetry = telemetry,
	};
	pg_health_monitor_port(monitor, &sc.database);
	if (health_probe_ping(&sc.database) != 0)
		log_msg(LOG_LEVEL_WARN, NULL,
		        "database not reachable yet; answering 503 until it is");
	if (!(server = server_start(&sc, err, sizeof err))) {
		fprintf(stderr, "oficina: %s\n", err);
		goto out;
	}
	log_msg(LOG_LEVEL_INFO, NULL,
	        "listening on port %u: %u I/O threads, %u handler workers, %u password workers, "
	        "queries on %s (env %s)",
	        server->port, cfg->http_threads, cfg->db_pool_size, cfg->password_hash_concurrency,
	        ws.replica ? "the read replica" : "the primary", cfg->app_env);

	while (sigwait(&stop_signals, &sig) != 0)
		;
	log_msg(LOG_LEVEL_INFO, NULL, "%s received: draining",
	        sig == SIGTERM ? "SIGTERM" : "SIGINT");
	bool drained = server_drain(server, cfg->drain_timeout_s * 1000);
	server_stop(server);
	log_msg(drained ? LOG_LEVEL_INFO : LOG_LEVEL_WARN, NULL,
	        drained ? "stopped" : "stopped with requests still in flight");
	rc = 0;
out:
	sessoes_refresh_stop(refresh); /* the server, its only reader, has stopped */
	sessoes_free(sessoes);
	pg_health_monitor_stop(serve.replica_monitor);
	serve.replica_monitor = NULL;
	pg_health_monitor_stop(monitor);
	if (gate_ready)
		password_gate_cleanup(&serve.gate);
	if (links_ready)
		hmac_orcamento_link_cleanup(&serve.links);
	if (webhook_ready)
		hmac_assinatura_cleanup(&serve.webhook);
	if (jwt_ready)
		jwt_config_cleanup(&serve.jwt);
	config_cleanup(cfg);
	return rc;
}

/* `oficina serve`: wiring of the adapters and the server's life (cmd layer). */
#include "cmd/oficina/cli_serve.h"

#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cmd/oficina/worker.h"
#include "infrastructure/auth/hmac_assinatura.h"
#include "infrastructure/auth/jwt_token.h"
#include "infrastructure/auth/password.h"
#include "infrastructure/config/config.h"
#include "infrastructure/log/log.h"
#include "infrastructure/telemetry/dogstatsd.h"
#include "presentation/http/server.h"

int cli_serve(void)
{
	static struct config cfg; /* static: the server and the workers point into it */
	static struct jwt_config jwt;
	static struct dogstatsd statsd;
	struct telemetry telemetry = {0};
	struct pg_config pg;
	struct token_service tokens;
	struct password_hasher senhas;
	struct logger logger;
	struct server *server;
	char err[256];
	sigset_t stop_signals;
	int sig = 0;

	if (sodium_init() < 0) {
		fprintf(stderr, "oficina: libsodium cannot start\n");
		return 1;
	}
	if (config_load(&cfg, err, sizeof err) != 0) {
		fprintf(stderr, "oficina: %s\n", err);
		return 1;
	}
	log_configure(cfg.log_level, cfg.app_env);
	log_logger_init(&logger);
	if (cfg.jwt_secret_generated)
		log_msg(LOG_LEVEL_WARN, NULL,
		        "JWT_SECRET not set: using a random secret (development only; tokens end "
		        "with the process)");
	if (jwt_config_init(&jwt, cfg.jwt_secret, cfg.jwt_issuer, cfg.jwt_audience,
	                    cfg.jwt_ttl_seconds) != 0) {
		fprintf(stderr, "oficina: JWT_SECRET, JWT_ISSUER or JWT_AUDIENCE is not usable\n");
		return 1;
	}
	jwt_token_service_init(&tokens, &jwt);
	password_hasher_init(&senhas);
	pg = (struct pg_config){.url = cfg.database_url,
	                        .statement_timeout_ms = cfg.statement_timeout_ms,
	                        .connect_timeout_s = 2};
	workers_configure(&pg, &tokens, &senhas);
	/* @ordens: the webhook's HMAC; an empty WEBHOOK_SECRET disables it (every call 401). */
	static struct hmac_assinatura webhook;
	struct assinatura webhook_port;
	if (hmac_assinatura_init(&webhook, cfg.webhook_secret) != 0) {
		fprintf(stderr, "oficina: WEBHOOK_SECRET is too long (256 bytes at most)\n");
		return 1;
	}
	hmac_assinatura_port(&webhook, &webhook_port);
	workers_configure_webhook(&webhook_port);

	if (cfg.dd_agent_host[0]) {
		if (dogstatsd_init(&statsd, cfg.dd_agent_host, cfg.dd_port, cfg.app_env) != 0) {
			fprintf(stderr, "oficina: DD_AGENT_HOST does not resolve\n");
			return 1;
		}
		dogstatsd_telemetry_init(&telemetry, &statsd);
	}

	/* One worker thread per database connection: DB_POOL_SIZE caps the threads. */
	unsigned threads = cfg.http_threads;
	if (cfg.db_pool_size < threads) {
		log_msg(LOG_LEVEL_INFO, NULL, "HTTP_THREADS lowered from %u to DB_POOL_SIZE %u",
		        threads, cfg.db_pool_size);
		threads = cfg.db_pool_size;
	}

	/* Block the stop signals in every thread; this one waits for them with sigwait. */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct server_config sc = {
	    .port = cfg.port,
	    .threads = threads,
	    .connection_limit = cfg.connection_limit,
	    .connection_timeout_s = cfg.connection_timeout_s,
	    .max_body_bytes = cfg.max_body_bytes,
	    .rate_limit_per_minute = cfg.rate_limit_per_minute,
	    .auth_rate_limit_per_minute = cfg.auth_rate_limit_per_minute,
	    .trusted_proxy_hops = cfg.trusted_proxy_hops,
	    .gateway_api_key = cfg.gateway_api_key,
	    .cors_origins = cfg.cors_origins,
	    .app_for_thread = worker_app,
	    .db_connections = pg_sessions_connected,
	    .log = logger,
	    .telemetry = telemetry,
	};
	if (!(server = server_start(&sc, err, sizeof err))) {
		fprintf(stderr, "oficina: %s\n", err);
		return 1;
	}
	log_msg(LOG_LEVEL_INFO, NULL, "listening on port %u with %u threads (env %s)", server->port,
	        threads, cfg.app_env);

	/* Tell at start whether the database answers; the server runs (and says 503) either way. */
	const struct app *main_app = worker_app();
	if (main_app && main_app->banco.ops->ping(main_app->banco.self) != 0)
		log_msg(LOG_LEVEL_WARN, NULL,
		        "database not reachable yet; answering 503 until it is");
	worker_release();

	while (sigwait(&stop_signals, &sig) != 0)
		;
	log_msg(LOG_LEVEL_INFO, NULL, "%s received: draining",
	        sig == SIGTERM ? "SIGTERM" : "SIGINT");
	bool drained = server_drain(server, cfg.drain_timeout_s * 1000);
	server_stop(server);
	log_msg(drained ? LOG_LEVEL_INFO : LOG_LEVEL_WARN, NULL,
	        drained ? "stopped" : "stopped with requests still in flight");
	jwt_config_cleanup(&jwt);
	hmac_assinatura_cleanup(&webhook);
	config_cleanup(&cfg);
	return 0;
}

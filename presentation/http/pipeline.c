/*
 * Routing, limits, authentication and body checks before a handler runs, split by thread
 * (presentation layer): what needs only the headers runs on the I/O thread, on the request's
 * first call; parsing the body and the handler run where the route says (pipeline.h).
 */
#include "presentation/http/pipeline.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "domain/errors.h"
#include "domain/usuario.h"
#include "presentation/http/handler_support.h"
#include "presentation/http/idempotency.h"
#include "presentation/http/json_input.h"
#include "presentation/http/response.h"
#include "presentation/http/router.h"
#include "presentation/http/server.h"
#include "presentation/http/sessoes.h"

#define CORS_ALLOW_HEADERS                                                                          \
	"Authorization, Content-Type, Idempotency-Key, X-Correlation-Id, X-Request-Id, x-api-key, " \
	"traceparent"
#define CORS_EXPOSE_HEADERS                                                                        \
	"X-Correlation-Id, X-Total-Count, Link, Location, Retry-After, Idempotent-Replayed"

static const char *header(const struct request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

/* Compares without leaking where the first difference is (the gateway key is a secret). */
static bool equal_constant_time(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = (unsigned char)(la != lb);
	for (size_t i = 0; i < lb; i++)
		diff |= (unsigned char)(a[i % (la ? la : 1)] ^ b[i]);
	return diff == 0 && la == lb;
}

/* Whether origin is in the comma-separated list (or the list is "*"). */
static bool origin_allowed(const char *list, const char *origin)
{
	size_t n = strlen(origin);
	if (!list || !*list || !origin || !*origin)
		return false;
	for (const char *p = list; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *end = p;
		while (*end && *end != ',')
			end++;
		const char *last = end;
		while (last > p && last[-1] == ' ')
			last--;
		if ((size_t)(last - p) == 1 && *p == '*')
			return true;
		if ((size_t)(last - p) == n && strncmp(p, origin, n) == 0)
			return true;
		p = end;
	}
	return false;
}

void pipeline_cors_headers(const struct request *req, struct MHD_Response *mr)
{
	const char *origin = header(req, "Origin");
	const char *origins = req->server->cfg.cors_origins;

	if (!origins || !*origins)
		return;
	/*
	 * With origins configured every answer depends on Origin, the refused and the absent ones
	 * included: a cache must not hand an answer without Access-Control-Allow-Origin to an
	 * allowed origin, nor one origin's to another.
	 */
	MHD_add_response_header(mr, "Vary", "Origin");
	if (!origin || !origin_allowed(origins, origin))
		return;
	MHD_add_response_header(mr, "Access-Control-Allow-Origin", origin);
	MHD_add_response_header(mr, "Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS);
}

static void answer_options(struct request *req, struct response *res, const char *allow)
{
	const char *origin = header(req, "Origin");
	response_no_content(res);
	response_header(res, "Allow", allow);
	if (origin && header(req, "Access-Control-Request-Method") &&
	    origin_allowed(req->server->cfg.cors_origins, origin)) {
		response_header(res, "Access-Control-Allow-Methods", allow);
		response_header(res, "Access-Control-Allow-Headers", CORS_ALLOW_HEADERS);
		response_header(res, "Access-Control-Max-Age", "600");
	}
}

/*
 * Whether a path no route matches is still under the gateway's contract: its 404 (and 405) come
 * only after x-api-key and the rate limits, so that nobody maps the API without the key.
 */
static bool unmatched_under_api(const char *path)
{
	return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0;
}

/* The TCP peer's address, as bytes (*family AF_INET or AF_INET6, 0 when unknown) and as text. */
static void peer_address(const struct request *req, int *family, unsigned char bytes[16],
                         char out[INET6_ADDRSTRLEN])
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	*family = 0;
	out[0] = '\0';
	if (sa && sa->sa_family == AF_INET) {
		*family = AF_INET;
		memcpy(bytes, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	} else if (sa && sa->sa_family == AF_INET6) {
		*family = AF_INET6;
		memcpy(bytes, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
	}
	if (*family)
		inet_ntop(*family, bytes, out, INET6_ADDRSTRLEN);
}

/*
 * The client's address as text. X-Forwarded-For is believed only from a peer in TRUSTED_PROXIES:
 * then its entries are read from the right (each proxy appends the address it received from),
 * skipping those of trusted proxies; the first other address is the client. An entry that is
 * not an address ends the walk at the last good one. From any other peer, or with no ranges,
 * the client is the peer, whatever the header says.
 */
static void client_address(const struct request *req, char out[INET6_ADDRSTRLEN])
{
	const struct cidr_list *trusted = &req->server->cfg.trusted_proxies;
	unsigned char peer[16];
	int family;

	peer_address(req, &family, peer, out);
	const char *xff = family && trusted->n && cidr_list_contains(trusted, family, peer)
	                      ? header(req, "X-Forwarded-For")
	                      : NULL;
	if (!xff)
		return;
	/* From the right end: the entries nearest this server were written by trusted proxies, and
	 * however many the client wrote further left, none of them is read before those. */
	for (const char *end = xff + strlen(xff); end > xff;) {
		const char *start = end;
		while (start > xff && start[-1] != ',')
			start--;
		const char *a = start, *b = end;
		while (a < b && *a == ' ')
			a++;
		while (b > a && b[-1] == ' ')
			b--;
		end = start > xff ? start - 1 : xff;
		if (a == b)
			continue; /* an empty entry ("a,,b") */
		unsigned char hop[16];
		int hop_family = cidr_address_parse(a, (size_t)(b - a), hop);
		if (!hop_family)
			return;                  /* out keeps the last good hop */
		memcpy(out, a, (size_t)(b - a)); /* an address: shorter than INET6_ADDRSTRLEN */
		out[b - a] = '\0';
		if (!cidr_list_contains(trusted, hop_family, hop))
			return;
	}
}

/* Counts the request against limiter; false with a 429 in res when it is over. */
static bool take(struct request *req, struct response *res, struct rate_limit *limiter,
                 const char *client)
{
	int retry = 60;
	char retry_text[16];

	if (rate_limit_take(limiter, client, &retry))
		return true;
	snprintf(retry_text, sizeof retry_text, "%d", retry);
	response_problem(res, req, 429, "limite de requisições por minuto excedido", NULL);
	response_header(res, "Retry-After", retry_text);
	return false;
}

/*
 * Rate limits, and the gateway key when api_key: for every /api request, and (without the key)
 * for the pages a browser opens from an e-mail. False when res holds the refusal.
 */
static bool check_gateway(struct request *req, struct response *res, bool api_key)
{
	const struct server_config *cfg = &req->server->cfg;
	char client[INET6_ADDRSTRLEN];

	if (req->server->limiter || req->server->auth_limiter)
		client_address(req, client);
	if (req->server->limiter && !take(req, res, req->server->limiter, client))
		return false;
	/* Logins turn guesses into tokens: they get a limit of their own (see README). */
	if (req->server->auth_limiter && strncmp(req->path, "/api/auth/", 10) == 0 &&
	    !take(req, res, req->server->auth_limiter, client))
		return false;
	if (api_key && cfg->gateway_api_key && cfg->gateway_api_key[0]) {
		const char *key = header(req, "x-api-key");
		if (!key || !equal_constant_time(key, cfg->gateway_api_key)) {
			response_problem(res, req, 401, "x-api-key ausente ou inválida", NULL);
			return false;
		}
	}
	return true;
}

/* Bearer token and role. False when res holds the refusal. */
static bool check_auth(struct request *req, struct response *res, const struct route *r)
{
	const char *auth = header(req, "Authorization");
	const struct token_service *tokens = &req->server->cfg.tokens;

	if (!auth || strncasecmp(auth, "Bearer ", 7) != 0 || !auth[7]) {
		response_problem(res, req, 401, "token de acesso ausente", NULL);
		response_header(res, "WWW-Authenticate", "Bearer");
		return false;
	}
	if (token_service_verify(tokens, auth + 7, &req->claims) != 0) {
		response_problem(res, req, 401, "token de acesso inválido ou expirado", NULL);
		response_header(res, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
		return false;
	}
	/* A demoted or deactivated account's tokens, and those issued before a logout. */
	if (req->server->cfg.sessoes && !sessoes_valida(req->server->cfg.sessoes, &req->claims)) {
		response_problem(res, req, 401, "sessão encerrada; entre novamente", NULL);
		response_header(res, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
		return false;
	}
	req->authenticated = true;
	req->caller.sub = req->claims.sub;
	req->caller.perfil = req->claims.perfil;
	if (!(req->claims.perfil & r->perfis)) {
		response_error(res, req, APP_EFORBIDDEN, NULL);
		return false;
	}
	return true;
}

bool pipeline_read_body(struct request *req, struct response *res)
{
	json_error_t err;

	if (req->body_len == 0) {
		response_problem(res, req, 400, "corpo JSON obrigatório", NULL);
		return false;
	}
	if (!request_content_type_is(req, "application/json")) {
		response_problem(res, req, 415, "envie o corpo como application/json", NULL);
		return false;
	}
	req->json = json_input_parse(req->body, req->body_len, &err);
	if (!req->json) {
		/* jansson's own text is English and may quote the input: give only the place. A
		 * number beyond what it reads (an integer past 2^63, a real past 1e308) is valid
		 * JSON (RFC 8259 §6 lets a reader set such limits): say so rather than "invalid".
		 */
		char detail[128];
		snprintf(detail, sizeof detail, "%s (linha %d, coluna %d)",
		         json_error_code(&err) == json_error_numeric_overflow
		             ? "número grande demais para ser lido"
		             : "JSON inválido",
		         err.line, err.column);
		response_problem(res, req, 400, detail, NULL);
		return false;
	}
	if (!json_is_object(req->json)) {
		response_problem(res, req, 400, "o corpo deve ser um objeto JSON", NULL);
		return false;
	}
	return true;
}

/* Whether the request announces a body (Content-Length above zero, or a transfer coding). */
static bool declares_body(const struct request *req)
{
	const char *cl = header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (header(req, MHD_HTTP_HEADER_TRANSFER_ENCODING))
		return true;
	return cl && strspn(cl, "0") != strlen(cl);
}

static enum admission runner_admission(const struct route *r)
{
	switch (r->runner) {
	case ROUTE_ON_IO:
		return ADMIT_IO;
	case ROUTE_ON_HASHER:
		return ADMIT_HASHER;
	default:
		return ADMIT_WORKER;
	}
}

enum admission pipeline_admit(struct request *req, struct response *res)
{
	const struct route *r;
	char allow[96], detail[128];
	enum router_result rr;

	/* A path that forgets to answer leaves this 500; its problem body is built only then. */
	res->status = 500;
	req->caller.correlation_id = req->correlation_id;

	rr = router_match(req->method, req->path, req, &r, allow, sizeof allow);
	if (strcmp(req->method, "OPTIONS") == 0 && rr != ROUTER_NOT_FOUND) {
		answer_options(req, res, allow);
		return ADMIT_ANSWERED;
	}
	bool gateway = rr == ROUTER_FOUND ? !r->internal : unmatched_under_api(req->path);
	bool api_key = rr != ROUTER_FOUND || !r->browser;
	if (gateway && !check_gateway(req, res, api_key))
		return ADMIT_ANSWERED;
	if (rr == ROUTER_NOT_FOUND) {
		response_problem(res, req, 404, "rota não encontrada", NULL);
		return ADMIT_ANSWERED;
	}
	if (rr == ROUTER_WRONG_METHOD) {
		snprintf(detail, sizeof detail, "métodos aceitos: %s", allow);
		response_problem(res, req, 405, detail, NULL);
		response_header(res, "Allow", allow);
		return ADMIT_ANSWERED;
	}
	req->route = r;
	if (r->perfis != PERFIS_PUBLICO && !check_auth(req, res, r))
		return ADMIT_ANSWERED;
	/* A body of the wrong type is refused before any of it is read. */
	if (r->body != ROUTE_NO_BODY && declares_body(req) &&
	    !request_content_type_is(req, "application/json")) {
		response_problem(res, req, 415, "envie o corpo como application/json", NULL);
		return ADMIT_ANSWERED;
	}
	return runner_admission(r);
}

bool pipeline_body_present(struct request *req, struct response *res)
{
	if (req->route && req->route->body == ROUTE_JSON_BODY && req->body_len == 0) {
		response_problem(res, req, 400, "corpo JSON obrigatório", NULL);
		return false;
	}
	return true;
}

void pipeline_execute(struct request *req, struct response *res)
{
	const struct route *r = req->route;

	res->status = 500;
	if (r->body == ROUTE_JSON_BODY && !pipeline_read_body(req, res))
		return;
	if (r->body == ROUTE_OPTIONAL_JSON_BODY && req->body_len > 0 &&
	    !pipeline_read_body(req, res))
		return;
	idempotency_dispatch(req, res, r->handler); /* the handler, with Idempotency-Key */
}

/*
 * The decision of the Lambda authorizer (cmd layer, oficina-authorizer): turns one API Gateway
 * authorizer event into its answer, using the same token verification as the server
 * (infrastructure/auth/jwt_token.c). No I/O here; main.c and runtime.c move the bytes.
 *
 * Events understood:
 *   - REST API REQUEST authorizer: "methodArn", token in the Authorization header (any case),
 *     "Bearer <token>";
 *   - REST API TOKEN authorizer: "methodArn" and "authorizationToken" ("Bearer <token>" or the bare
 *     token);
 *   - HTTP API, payload format 2.0: "version": "2.0", token in headers.authorization.
 * REST events: a good token gets an IAM policy allowing execute-api:Invoke on the whole stage
 * ("arn:...:api/stage/" and a star: API Gateway caches the policy per token for the authorizer's
 * TTL, so one naming only the first request's method and path would refuse the token's next
 * requests); a missing, malformed, expired or otherwise bad token gets Lambda's error
 * "Unauthorized", which API Gateway answers 401. HTTP API events get the simple answer
 * {"isAuthorized", "context"} (a false one is the gateway's 403; a request without the header never
 * reaches the authorizer and is the gateway's 401, through the identity source).
 */
#ifndef OFICINA_CMD_AUTHORIZER_AUTHORIZER_H
#define OFICINA_CMD_AUTHORIZER_AUTHORIZER_H

#include <stddef.h>

#include "infrastructure/auth/jwt_token.h"

#define AUTHORIZER_EVENT_MAX (6u * 1024 * 1024) /* Lambda's own limit on an invocation payload */

/* What was decided about one event, for its log line (authorizer_log_line). */
struct authorizer_decision {
	const char *decision; /* "allow", "unauthorized" (REST: 401) or "deny" (HTTP API: 403) */
	const char *reason;   /* "token valid", "no token", "not a bearer token", "token refused" */
	char principal[64];   /* the token's sub when allowed, else "" */
	const char *role;     /* its role when allowed, else NULL */
	char resource[512];   /* the methodArn or routeArn asked about (cut when longer) */
};

/*
 * Answers the event (len bytes of JSON, need not be NUL-terminated) at time now. On 0, *answer is a
 * NUL-terminated compact JSON document the caller releases with free(): the policy, the simple
 * answer, or for "unauthorized" the error document {"errorMessage": "Unauthorized", ...} that the
 * Runtime API's /error takes; *d says what was decided (no token in it). APP_EINVALID when the
 * input is not JSON or not an authorizer event (*why then names the problem in a short static
 * string, without any of the input); APP_ENOMEM. *answer is NULL on failure.
 */
int authorizer_answer(const struct jwt_config *cfg, const char *event, size_t len, long now,
                      char **answer, struct authorizer_decision *d, const char **why);

/* 1 when d's answer is Lambda's error "Unauthorized" (post it to /error, not /response). */
int authorizer_is_error(const struct authorizer_decision *d);

/*
 * One JSON line (no newline) for CloudWatch: time, level, service, request id (may be NULL),
 * decision, reason, principal, role and resource; never the token. malloc'd, or NULL.
 */
char *authorizer_log_line(const struct authorizer_decision *d, const char *request_id, long now);

#endif

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
 * REST events get an IAM policy allowing or denying execute-api:Invoke on methodArn; HTTP API
 * events get the simple answer {"isAuthorized", "context"}.
 */
#ifndef OFICINA_CMD_AUTHORIZER_AUTHORIZER_H
#define OFICINA_CMD_AUTHORIZER_AUTHORIZER_H

#include <stddef.h>

#include "infrastructure/auth/jwt_token.h"

#define AUTHORIZER_EVENT_MAX (6u * 1024 * 1024) /* Lambda's own limit on an invocation payload */

/*
 * Answers the event (len bytes of JSON, need not be NUL-terminated) at time now. On 0, *answer is a
 * NUL-terminated compact JSON document the caller releases with free(); a missing, malformed,
 * expired or otherwise bad token is still 0, with a Deny / "isAuthorized": false answer whose
 * principalId is "anonymous" and whose context is empty. APP_EINVALID when the input is not JSON
 * or not an authorizer event (*why then names the problem in a short static string, without any of
 * the input); APP_ENOMEM. *answer is NULL on failure.
 */
int authorizer_answer(const struct jwt_config *cfg, const char *event, size_t len, long now,
                      char **answer, const char **why);

#endif

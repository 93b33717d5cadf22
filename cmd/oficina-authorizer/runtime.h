/*
 * The AWS Lambda custom runtime loop of the authorizer (cmd layer, oficina-authorizer), on the
 * Runtime API (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) through libcurl:
 * GET the next invocation, answer it with authorizer_answer, POST the answer (or, for an event
 * that is not an authorizer event, an error) back, and again.
 */
#ifndef OFICINA_CMD_AUTHORIZER_RUNTIME_H
#define OFICINA_CMD_AUTHORIZER_RUNTIME_H

#include "infrastructure/auth/jwt_token.h"

/*
 * Serves invocations from the Runtime API at api ("host:port", the value of
 * AWS_LAMBDA_RUNTIME_API) until the Runtime API cannot be reached or answers something unusable.
 * Returns only then, with the process exit status (1), after one line on stderr. Calls
 * curl_global_init / curl_global_cleanup itself.
 */
int runtime_run(const char *api, const struct jwt_config *cfg);

/*
 * Reports a failed initialisation (message: one line, no secrets) to the Runtime API at api, so
 * that Lambda shows it; best effort, errors are ignored.
 */
void runtime_report_init_error(const char *api, const char *message);

#endif

/*
 * The decision of the Lambda authorizer (cmd layer): API Gateway event in, policy or simple answer
 * out. See authorizer.h for the event shapes.
 */
#include "cmd/oficina-authorizer/authorizer.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "domain/errors.h"

/* The value of header name in the headers object, compared without regard to case; or NULL. */
static const char *header_get(json_t *headers, const char *name)
{
	const char *key;
	json_t *v;

	if (!json_is_object(headers))
		return NULL;
	json_object_foreach(headers, key, v)
	{
		if (strcasecmp(key, name) == 0 && json_is_string(v))
			return json_string_value(v);
	}
	return NULL;
}

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Finds the token in an Authorization value: "Bearer <token>" (scheme in any case), or the bare
 * value when bare_ok. Sets *tok / *tok_len to a slice of value; 1 when found.
 */
static int bearer_token(const char *value, int bare_ok, const char **tok, size_t *tok_len)
{
	const char *p = value, *end;

	if (value == NULL)
		return 0;
	while (blank(*p))
		p++;
	if (strncasecmp(p, "bearer", 6) == 0 && blank(p[6])) {
		p += 6;
		while (blank(*p))
			p++;
	} else if (!bare_ok) {
		return 0;
	}
	end = p + strlen(p);
	while (end > p && blank(end[-1]))
		end--;
	if (end == p)
		return 0;
	for (const char *q = p; q < end; q++)
		if (blank(*q))
			return 0; /* "Bearer a b" or another scheme with parameters */
	*tok = p;
	*tok_len = (size_t)(end - p);
	return 1;
}

/* Verifies the token slice; 1 and *claims filled when it is good. */
static int token_good(const struct jwt_config *cfg, const char *tok, size_t tok_len, long now,
                      struct token_claims *claims)
{
	char buf[JWT_TOKEN_MAX_IN + 1];

	if (tok_len > JWT_TOKEN_MAX_IN)
		return 0;
	memcpy(buf, tok, tok_len);
	buf[tok_len] = '\0';
	return jwt_token_verify(cfg, buf, now, claims) == 0;
}

static json_t *context_new(int allow, const struct token_claims *claims)
{
	if (!allow)
		return json_object();
	return json_pack("{s:s, s:s}", "sub", claims->sub, "role", perfil_nome(claims->perfil));
}

/*
 * The policy's resource: the methodArn's API and stage, any method and path under them
 * ("arn:aws:execute-api:region:account:api/stage/" then a star). A methodArn of another shape is
 * used as it is. NULL when out of memory.
 */
static json_t *stage_wildcard(const char *method_arn)
{
	const char *p = method_arn, *api, *stage_end;
	int colons = 0;

	for (; *p && colons < 5; p++)
		colons += *p == ':';
	api = colons == 5 ? p : NULL;
	stage_end = api ? strchr(api, '/') : NULL;
	stage_end = stage_end ? strchr(stage_end + 1, '/') : NULL;
	if (!stage_end)
		return json_string(method_arn);
	return json_sprintf("%.*s/*", (int)(stage_end - method_arn), method_arn);
}

static json_t *rest_allow(const struct token_claims *claims, const char *method_arn)
{
	json_t *context = context_new(1, claims), *resource = stage_wildcard(method_arn);

	if (context == NULL || resource == NULL) {
		json_decref(context);
		json_decref(resource);
		return NULL;
	}
	/* "o" hands context and resource over, even when json_pack fails. */
	return json_pack("{s:s, s:{s:s, s:[{s:s, s:s, s:o}]}, s:o}", "principalId", claims->sub,
	                 "policyDocument", "Version", "2012-10-17", "Statement", "Action",
	                 "execute-api:Invoke", "Effect", "Allow", "Resource", resource, "context",
	                 context);
}

/* What API Gateway turns into 401 Unauthorized: the function's error with exactly this message. */
static json_t *rest_unauthorized(void)
{
	return json_pack("{s:s, s:s}", "errorMessage", "Unauthorized", "errorType", "Unauthorized");
}

static json_t *http_answer(int allow, const struct token_claims *claims)
{
	json_t *context = context_new(allow, claims);

	if (context == NULL)
		return NULL;
	return json_pack("{s:b, s:o}", "isAuthorized", allow, "context", context);
}

static void copy_cut(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

int authorizer_is_error(const struct authorizer_decision *d)
{
	return strcmp(d->decision, "unauthorized") == 0;
}

int authorizer_answer(const struct jwt_config *cfg, const char *event, size_t len, long now,
                      char **answer, struct authorizer_decision *d, const char **why)
{
	struct token_claims claims;
	json_t *ev = NULL, *out = NULL;
	const json_t *version, *method_arn, *auth_token;
	const char *value = NULL, *tok = NULL;
	size_t tok_len = 0;
	int http_v2, allow = 0, rc = APP_EINVALID;

	*answer = NULL;
	*why = "not an API Gateway authorizer event";
	memset(&claims, 0, sizeof(claims));
	memset(d, 0, sizeof *d);

	ev = json_loadb(event, len, 0, NULL);
	if (ev == NULL) {
		*why = "the event is not JSON";
		goto out;
	}
	if (!json_is_object(ev))
		goto out;
	version = json_object_get(ev, "version");
	method_arn = json_object_get(ev, "methodArn");
	auth_token = json_object_get(ev, "authorizationToken");
	http_v2 = json_is_string(version) && strcmp(json_string_value(version), "2.0") == 0;

	if (http_v2) {
		value = header_get(json_object_get(ev, "headers"), "authorization");
		copy_cut(d->resource, sizeof d->resource,
		         json_string_value(json_object_get(ev, "routeArn")));
	} else if (json_is_string(method_arn) && json_string_length(method_arn) > 0) {
		if (auth_token != NULL)
			value = json_is_string(auth_token) ? json_string_value(auth_token) : NULL;
		else
			value = header_get(json_object_get(ev, "headers"), "authorization");
		copy_cut(d->resource, sizeof d->resource, json_string_value(method_arn));
	} else {
		*why = "the event has neither \"methodArn\" nor \"version\": \"2.0\"";
		goto out;
	}

	d->reason = "no token";
	if (value != NULL && value[0] != '\0') {
		d->reason = "not a bearer token";
		if (bearer_token(value, !http_v2 && auth_token != NULL, &tok, &tok_len)) {
			allow = token_good(cfg, tok, tok_len, now, &claims);
			d->reason = allow ? "token valid" : "token refused";
		}
	}
	d->decision = allow ? "allow" : http_v2 ? "deny" : "unauthorized";
	if (allow) {
		copy_cut(d->principal, sizeof d->principal, claims.sub);
		d->role = perfil_nome(claims.perfil);
	}

	out = http_v2 ? http_answer(allow, &claims)
	      : allow ? rest_allow(&claims, json_string_value(method_arn))
	              : rest_unauthorized();
	rc = APP_ENOMEM;
	*why = "out of memory";
	if (out == NULL)
		goto out;
	*answer = json_dumps(out, JSON_COMPACT);
	if (*answer == NULL)
		goto out;
	rc = 0;
	*why = NULL;
out:
	json_decref(out);
	json_decref(ev);
	return rc;
}

char *authorizer_log_line(const struct authorizer_decision *d, const char *request_id, long now)
{
	char when[32];
	time_t t = (time_t)now;
	struct tm tm;

	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	json_t *line = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:s?, s:s?, s:s}", "timestamp",
	                         when, "level", "info", "service", "oficina-authorizer",
	                         "request_id", request_id, "decision", d->decision, "reason",
	                         d->reason, "principal", d->principal[0] ? d->principal : NULL,
	                         "role", d->role, "resource", d->resource);
	char *s = line ? json_dumps(line, JSON_COMPACT) : NULL;
	json_decref(line);
	return s;
}

/*
 * The decision of the Lambda authorizer (cmd layer): API Gateway event in, policy or simple answer
 * out. See authorizer.h for the event shapes.
 */
#include "cmd/oficina-authorizer/authorizer.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static json_t *rest_answer(int allow, const struct token_claims *claims, const char *method_arn)
{
	json_t *context = context_new(allow, claims);

	if (context == NULL)
		return NULL;
	/* "o" hands context over, even when json_pack fails. */
	return json_pack("{s:s, s:{s:s, s:[{s:s, s:s, s:s}]}, s:o}", "principalId",
	                 allow ? claims->sub : "anonymous", "policyDocument", "Version",
	                 "2012-10-17", "Statement", "Action", "execute-api:Invoke", "Effect",
	                 allow ? "Allow" : "Deny", "Resource", method_arn, "context", context);
}

static json_t *http_answer(int allow, const struct token_claims *claims)
{
	json_t *context = context_new(allow, claims);

	if (context == NULL)
		return NULL;
	return json_pack("{s:b, s:o}", "isAuthorized", allow, "context", context);
}

int authorizer_answer(const struct jwt_config *cfg, const char *event, size_t len, long now,
                      char **answer, const char **why)
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
	} else if (json_is_string(method_arn) && json_string_length(method_arn) > 0) {
		if (auth_token != NULL)
			value = json_is_string(auth_token) ? json_string_value(auth_token) : NULL;
		else
			value = header_get(json_object_get(ev, "headers"), "authorization");
	} else {
		*why = "the event has neither \"methodArn\" nor \"version\": \"2.0\"";
		goto out;
	}

	if (bearer_token(value, !http_v2 && auth_token != NULL, &tok, &tok_len))
		allow = token_good(cfg, tok, tok_len, now, &claims);

	out = http_v2 ? http_answer(allow, &claims)
	              : rest_answer(allow, &claims, json_string_value(method_arn));
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

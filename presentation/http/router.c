/* Matching a method and path against the route table (presentation layer). */
#include "presentation/http/router.h"

#include <string.h>

#include "domain/usuario.h"
#include "domain/uuid.h"

/* The captures of one path, as router_match hands them to the request. */
struct captures {
	struct uuid ids[PATH_PARAMS_MAX];
	char token[PATH_TOKEN_MAX + 1];
};

/* Whether segment (n bytes) is a token: 1..PATH_TOKEN_MAX of [A-Za-z0-9._-]. */
static bool token_segment(const char *segment, size_t n)
{
	if (n == 0 || n > PATH_TOKEN_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = segment[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* Parses the n-byte segment u as capture number i of route r into out. */
static bool capture(const struct route *r, size_t i, const char *u, size_t n, struct captures *out)
{
	char segment[UUID_LEN + 1];

	if (i >= PATH_PARAMS_MAX)
		return false;
	switch (r->captures[i]) {
	case ROUTE_CAPTURE_UUID:
		if (n != UUID_LEN)
			return false;
		memcpy(segment, u, n);
		segment[n] = '\0';
		return uuid_parse(segment, &out->ids[i]) == 0;
	case ROUTE_CAPTURE_TOKEN:
		if (!token_segment(u, n))
			return false;
		memcpy(out->token, u, n);
		out->token[n] = '\0';
		return true;
	default:
		return false;
	}
}

/*
 * Whether path matches r's pattern segment by segment, every capture of its kind (router.h),
 * parsed into out. An empty segment never matches a capture, so "/api/clientes/" and "//" are
 * unknown routes.
 */
static bool match(const struct route *r, const char *path, struct captures *out)
{
	size_t ncaptures = 0;
	const char *p = r->pattern, *u = path;

	for (size_t i = 0; i < PATH_PARAMS_MAX; i++)
		out->ids[i].str[0] = '\0';
	out->token[0] = '\0';
	while (*p && *u) {
		if (*p != '/' || *u != '/')
			return false;
		p++;
		u++;
		const char *pe = strchrnul(p, '/'), *ue = strchrnul(u, '/');
		size_t plen = (size_t)(pe - p), ulen = (size_t)(ue - u);
		if (plen > 2 && p[0] == '{') {
			if (!capture(r, ncaptures++, u, ulen, out))
				return false;
		} else if (plen != ulen || memcmp(p, u, plen) != 0) {
			return false;
		}
		p = pe;
		u = ue;
	}
	return *p == '\0' && *u == '\0';
}

static void allow_add(char *allow, size_t size, const char *method)
{
	if (strstr(allow, method))
		return;
	size_t len = strlen(allow);
	if (len + strlen(method) + 3 < size) {
		if (len)
			strcat(allow, ", ");
		strcat(allow, method);
	}
}

enum router_result router_match(const char *method, const char *path, struct request *req,
                                const struct route **out, char *allow, size_t allow_size)
{
	const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
	const struct route *found = NULL;

	allow[0] = '\0';
	*out = NULL;
	for (size_t i = 0; i < routes_count; i++) {
		struct captures c;
		const struct route *r = &routes[i];
		if (!match(r, path, &c))
			continue;
		allow_add(allow, allow_size, r->method);
		if (strcmp(r->method, "GET") == 0)
			allow_add(allow, allow_size, "HEAD");
		if (!found && strcmp(r->method, m) == 0) {
			found = r;
			memcpy(req->ids, c.ids, sizeof c.ids);
			memcpy(req->token, c.token, sizeof c.token);
		}
	}
	if (!allow[0])
		return ROUTER_NOT_FOUND;
	allow_add(allow, allow_size, "OPTIONS");
	if (!found)
		return ROUTER_WRONG_METHOD;
	*out = found;
	return ROUTER_FOUND;
}

size_t route_index(const struct route *r)
{
	return r ? (size_t)(r - routes) : routes_count;
}

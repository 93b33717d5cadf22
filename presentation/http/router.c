/* Matching a method and path against the route table (presentation layer). */
#include "presentation/http/router.h"

#include <string.h>

#include "domain/usuario.h"

/*
 * Whether path matches pattern segment by segment; captures go into req->param_buf. An empty
 * segment never matches a capture, so "/api/clientes/" and "//" are unknown routes.
 */
static bool match(const char *pattern, const char *path, struct request *req)
{
	size_t used = 0, nparams = 0;
	const char *p = pattern, *u = path;

	while (*p && *u) {
		if (*p != '/' || *u != '/')
			return false;
		p++;
		u++;
		const char *pe = strchrnul(p, '/'), *ue = strchrnul(u, '/');
		size_t plen = (size_t)(pe - p), ulen = (size_t)(ue - u);
		if (plen > 2 && p[0] == '{') {
			if (ulen == 0 || nparams >= PATH_PARAMS_MAX ||
			    used + ulen + 1 > sizeof req->param_buf)
				return false;
			memcpy(req->param_buf + used, u, ulen);
			req->param_buf[used + ulen] = '\0';
			req->params[nparams++] = req->param_buf + used;
			used += ulen + 1;
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
		struct request scratch;
		const struct route *r = &routes[i];
		if (!match(r->pattern, path, &scratch))
			continue;
		allow_add(allow, allow_size, r->method);
		if (strcmp(r->method, "GET") == 0)
			allow_add(allow, allow_size, "HEAD");
		if (!found && strcmp(r->method, m) == 0)
			found = r;
	}
	if (!allow[0])
		return ROUTER_NOT_FOUND;
	allow_add(allow, allow_size, "OPTIONS");
	if (!found)
		return ROUTER_WRONG_METHOD;
	match(found->pattern, path, req);
	*out = found;
	return ROUTER_FOUND;
}

size_t route_index(const struct route *r)
{
	return r ? (size_t)(r - routes) : routes_count;
}

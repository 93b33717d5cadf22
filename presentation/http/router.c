/* Matching a method and path against the route table (presentation layer). */
#include "presentation/http/router.h"

#include <string.h>

#include "domain/usuario.h"
#include "domain/uuid.h"

/*
 * Whether path matches pattern segment by segment, every capture a UUID, parsed into ids. An
 * empty segment never matches a capture, so "/api/clientes/" and "//" are unknown routes.
 */
static bool match(const char *pattern, const char *path, struct uuid ids[PATH_PARAMS_MAX])
{
	size_t nids = 0;
	const char *p = pattern, *u = path;
	char segment[UUID_LEN + 1];

	while (*p && *u) {
		if (*p != '/' || *u != '/')
			return false;
		p++;
		u++;
		const char *pe = strchrnul(p, '/'), *ue = strchrnul(u, '/');
		size_t plen = (size_t)(pe - p), ulen = (size_t)(ue - u);
		if (plen > 2 && p[0] == '{') {
			if (ulen != UUID_LEN || nids >= PATH_PARAMS_MAX)
				return false;
			memcpy(segment, u, ulen);
			segment[ulen] = '\0';
			if (uuid_parse(segment, &ids[nids++]) != 0)
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
		struct uuid ids[PATH_PARAMS_MAX];
		const struct route *r = &routes[i];
		if (!match(r->pattern, path, ids))
			continue;
		allow_add(allow, allow_size, r->method);
		if (strcmp(r->method, "GET") == 0)
			allow_add(allow, allow_size, "HEAD");
		if (!found && strcmp(r->method, m) == 0) {
			found = r;
			memcpy(req->ids, ids, sizeof ids);
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

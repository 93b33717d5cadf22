/*
 * Fuzz target: the router (presentation/http/router.c router_match over the table of routes.c),
 * which sees every request's method and decoded path. Input: the method, then the path on the
 * next line. Properties: a route found is of the method asked (GET for HEAD), and the path is its
 * pattern with each {capture} replaced by a segment of the capture's kind: a UUID capture only
 * from a well-formed UUID (8-4-4-4-12 hex digits, checked here), whose lower-case text is then in
 * req->ids; a token capture only from 1..PATH_TOKEN_MAX characters of [A-Za-z0-9._-], copied
 * as it is into req->token. Allow lists the route's method and OPTIONS; a path no route has gets
 * an empty Allow, and a known path of other methods gets them.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "presentation/http/router.h"

static bool uuid_bem_formado(const char *s, size_t n)
{
	if (n != 36)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return false;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		             (c >= 'A' && c <= 'F'))) {
			return false;
		}
	}
	return true;
}

static bool token_bem_formado(const char *s, size_t n)
{
	if (n < 1 || n > PATH_TOKEN_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* The path walked against the pattern segment by segment, captures checked against req. */
static void checar_caminho(const struct route *r, const char *path, const struct request *req)
{
	const char *p = r->pattern, *u = path;
	size_t i = 0;

	while (*p) {
		FUZZ_CHECK(*p == '/' && *u == '/');
		p++;
		u++;
		size_t pn = strcspn(p, "/"), un = strcspn(u, "/");
		if (pn > 2 && p[0] == '{') {
			FUZZ_CHECK(i < PATH_PARAMS_MAX);
			if (r->captures[i] == ROUTE_CAPTURE_TOKEN) {
				FUZZ_CHECK(token_bem_formado(u, un));
				FUZZ_CHECK(strlen(req->token) == un &&
				           memcmp(req->token, u, un) == 0);
			} else {
				FUZZ_CHECK(uuid_bem_formado(u, un));
				FUZZ_CHECK(strlen(req->ids[i].str) == un);
				for (size_t k = 0; k < un; k++) {
					char c = u[k] >= 'A' && u[k] <= 'F'
					             ? (char)(u[k] - 'A' + 'a')
					             : u[k];
					FUZZ_CHECK(req->ids[i].str[k] == c);
				}
			}
			i++;
		} else {
			FUZZ_CHECK(pn == un && memcmp(p, u, pn) == 0);
		}
		p += pn;
		u += un;
	}
	FUZZ_CHECK(*u == '\0');
	for (; i < PATH_PARAMS_MAX; i++)
		FUZZ_CHECK(req->ids[i].str[0] == '\0');
}

static bool na_lista(const char *allow, const char *m)
{
	size_t n = strlen(m);
	if (n == 0)
		return false;
	for (const char *p = allow; (p = strstr(p, m)) != NULL; p += n)
		if ((p == allow || p[-1] == ' ') && (p[n] == '\0' || p[n] == ','))
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct request req;
	char *method, *path, allow[96];
	const struct route *r = &routes[0]; /* router_match must overwrite it */

	fuzz_split2(data, size, &method, &path);
	if (!path) {
		free(method);
		return 0;
	}
	memset(&req, 0, sizeof req);
	enum router_result rr = router_match(method, path, &req, &r, allow, sizeof allow);
	FUZZ_CHECK(strlen(allow) < sizeof allow);
	switch (rr) {
	case ROUTER_FOUND:
		FUZZ_CHECK(r != NULL && route_index(r) < routes_count);
		FUZZ_CHECK(strcmp(r->method, strcmp(method, "HEAD") == 0 ? "GET" : method) == 0);
		FUZZ_CHECK(na_lista(allow, r->method) && na_lista(allow, "OPTIONS"));
		checar_caminho(r, path, &req);
		break;
	case ROUTER_WRONG_METHOD:
		FUZZ_CHECK(r == NULL && allow[0] != '\0' && na_lista(allow, "OPTIONS"));
		FUZZ_CHECK(!na_lista(allow, method) || strcmp(method, "OPTIONS") == 0);
		break;
	case ROUTER_NOT_FOUND:
		FUZZ_CHECK(r == NULL && allow[0] == '\0');
		break;
	default:
		FUZZ_CHECK(!"a router_result");
	}
	free(method);
	free(path);
	return 0;
}

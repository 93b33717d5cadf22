/*
 * The API's own documentation (presentation layer): GET /openapi.yaml and /openapi.json (the same
 * document, docs/openapi.yaml) and GET /docs, Swagger UI over it, with its files under /docs/.
 * Everything is embedded into the binary (docs_assets.h): it works offline and needs no CDN.
 * "Try it out" calls this same server (the spec's first server is "/"); Authorize takes a bearer
 * token from POST /api/auth/login.
 */
#include <string.h>

#include "presentation/http/docs_assets.h"
#include "presentation/http/handlers.h"
#include "presentation/http/response.h"

/*
 * Scripts only from this server (the page's one script is docs.js, not inline); Swagger UI sets
 * style attributes, hence 'unsafe-inline' for styles alone; its requests go to this origin only.
 */
#define DOCS_CSP                                                                                   \
	"default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "                \
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; "       \
	"form-action 'none'; frame-ancestors 'none'"

static const char docs_html[] =
    "<!doctype html>\n"
    "<html lang=\"pt-BR\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>Oficina API</title>\n"
    "<link rel=\"stylesheet\" href=\"/docs/swagger-ui.css\">\n"
    "<link rel=\"icon\" type=\"image/png\" href=\"/docs/favicon-32x32.png\">\n"
    "</head>\n"
    "<body>\n"
    "<div id=\"swagger-ui\"></div>\n"
    "<script src=\"/docs/swagger-ui-bundle.js\"></script>\n"
    "<script src=\"/docs/docs.js\"></script>\n"
    "</body>\n"
    "</html>\n";

/* No validator badge (it would call validator.swagger.io); the token survives a reload. */
static const char docs_js[] = "window.addEventListener('load', function () {\n"
                              "  window.ui = SwaggerUIBundle({\n"
                              "    url: '/openapi.json',\n"
                              "    dom_id: '#swagger-ui',\n"
                              "    deepLinking: true,\n"
                              "    persistAuthorization: true,\n"
                              "    validatorUrl: null,\n"
                              "    presets: [SwaggerUIBundle.presets.apis],\n"
                              "  });\n"
                              "});\n";

/* An embedded file with its type; the browser may keep Swagger UI's for a day. */
static void answer(struct response *res, const char *start, const char *end, const char *type,
                   const char *cache)
{
	response_static(res, 200, start, (size_t)(end - start), type);
	response_header(res, "Cache-Control", cache);
	response_header(res, "X-Content-Type-Options", "nosniff");
}

void handle_openapi_yaml(struct request *req, struct response *res)
{
	(void)req;
	answer(res, docs_openapi_yaml, docs_openapi_yaml_end, "application/yaml; charset=utf-8",
	       "no-cache");
}

void handle_openapi_json(struct request *req, struct response *res)
{
	(void)req;
	answer(res, docs_openapi_json, docs_openapi_json_end, "application/json", "no-cache");
}

void handle_docs(struct request *req, struct response *res)
{
	(void)req;
	answer(res, docs_html, docs_html + sizeof docs_html - 1, "text/html; charset=utf-8",
	       "no-cache");
	response_header(res, "Content-Security-Policy", DOCS_CSP);
}

void handle_docs_arquivo(struct request *req, struct response *res)
{
	static const char day[] = "public, max-age=86400";

	if (strcmp(req->token, "swagger-ui-bundle.js") == 0)
		answer(res, docs_swagger_ui_js, docs_swagger_ui_js_end,
		       "text/javascript; charset=utf-8", day);
	else if (strcmp(req->token, "swagger-ui.css") == 0)
		answer(res, docs_swagger_ui_css, docs_swagger_ui_css_end, "text/css; charset=utf-8",
		       day);
	else if (strcmp(req->token, "favicon-32x32.png") == 0)
		answer(res, docs_favicon_png, docs_favicon_png_end, "image/png", day);
	else if (strcmp(req->token, "docs.js") == 0)
		answer(res, docs_js, docs_js + sizeof docs_js - 1, "text/javascript; charset=utf-8",
		       "no-cache");
	else
		response_problem(res, req, 404, "arquivo da documentação não encontrado", NULL);
}

/*
 * The documentation's files, embedded into the binary (presentation/http/docs_assets.S): the
 * OpenAPI document as YAML and as JSON, and Swagger UI's bundle, stylesheet and icon. Each runs
 * from the symbol to its _end symbol (exclusive).
 */
#ifndef OFICINA_PRESENTATION_HTTP_DOCS_ASSETS_H
#define OFICINA_PRESENTATION_HTTP_DOCS_ASSETS_H

extern const char docs_openapi_yaml[], docs_openapi_yaml_end[];
extern const char docs_openapi_json[], docs_openapi_json_end[];
extern const char docs_swagger_ui_js[], docs_swagger_ui_js_end[];
extern const char docs_swagger_ui_css[], docs_swagger_ui_css_end[];
extern const char docs_favicon_png[], docs_favicon_png_end[];

#endif

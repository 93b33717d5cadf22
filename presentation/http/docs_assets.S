/*
 * The files of /openapi.yaml, /openapi.json and /docs, embedded into the binary at build time so
 * the docs need neither the repository nor a CDN at run time (presentation/http/docs_assets.h).
 * The Makefile passes each path: the spec, its JSON made by scripts/openapi-json.mjs, and Swagger
 * UI and its icon from node_modules (swagger-ui-dist, pinned by package-lock.json). Each file is followed by a
 * NUL so it can be read as a C string as well.
 */
#define ASSET(name, path)                                                                          \
	.global name;                                                                              \
	.type name, %object;                                                                       \
	name:                                                                                      \
	.incbin path;                                                                              \
	.global name##_end;                                                                        \
	name##_end:                                                                                \
	.byte 0

	.section .rodata
	.balign 16
ASSET(docs_openapi_yaml, OPENAPI_YAML)
ASSET(docs_openapi_json, OPENAPI_JSON)
ASSET(docs_swagger_ui_js, SWAGGER_UI_JS)
ASSET(docs_swagger_ui_css, SWAGGER_UI_CSS)
ASSET(docs_favicon_png, FAVICON_PNG)

	.section .note.GNU-stack, "", %progbits

/*
 * Helpers that speak the Oficina API for the end-to-end tests (test support): one call with a
 * token and a JSON body, login, staff users made through the CLI, checks of the shapes the SPEC
 * fixes (problem documents, lists with meta and Link, UUIDs, RFC 3339 UTC timestamps) and unique
 * test data (valid CPFs and CNPJs, plates, e-mails) so that tests sharing one database and running
 * twice (plain and sanitized) never collide.
 */
#ifndef OFICINA_TESTS_SUPPORT_API_H
#define OFICINA_TESTS_SUPPORT_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "tests/support/http_client.h"
#include "tests/support/server.h"

/* Room for the generated values, NUL included. */
#define CPF_MAX   16 /* "123.456.789-09" */
#define CNPJ_MAX  20 /* "12.345.678/0001-95" */
#define PLACA_MAX 12 /* "abc-1d23" */
#define EMAIL_MAX 96
#define UUID_MAX  40

/*
 * method path on s with "Authorization: Bearer token" (token NULL: none), "Accept:
 * application/json", and when body is not NULL the body with "Content-Type: application/json".
 * extra_headers (NULL-terminated, may be NULL) are added. Fails the test when no HTTP answer
 * comes. The caller cleans *r up.
 */
void api_call(const struct test_server *s, const char *method, const char *path, const char *token,
              const char *body, const char *const extra_headers[], struct http_response *r);

/* The status of one GET of path on s with token (NULL: none); fails the test without an answer. */
long api_get_status(const struct test_server *s, const char *path, const char *token);

/* api_call with body = json_dumps(body) (borrowed; NULL sends no body). */
void api_call_json(const struct test_server *s, const char *method, const char *path,
                   const char *token, const json_t *body, struct http_response *r);

/*
 * POST body (borrowed) to path on s as token, asserting the answer's status; when uuid_out is not
 * NULL (UUID_MAX bytes) copies the uuid of the entity answered.
 */
void api_post_ok(const struct test_server *s, const char *path, const char *token,
                 const json_t *body, long status, char *uuid_out);

/* printf-formatted path into a static buffer (one at a time). */
const char *pathf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* POST /api/auth/login; asserts 200 and returns the token, malloc'd (caller frees). */
char *api_login(const struct test_server *s, const char *email, const char *senha);

/*
 * POST /api/clientes of a customer named nome with a fresh CPF, as token; asserts 201. Its uuid
 * goes to uuid_out and, when cpf_out is not NULL, the CPF's 11 digits to cpf_out.
 */
void api_create_cliente(const struct test_server *s, const char *token, const char *nome,
                        char uuid_out[UUID_MAX], char *cpf_out);

/*
 * Creates a staff user with a unique e-mail through the CLI (asserting exit 0), logs in and returns
 * the token (malloc'd). email_out and uuid_out (EMAIL_MAX / UUID_MAX bytes) may be NULL.
 */
char *staff_token(const struct test_server *s, const char *perfil, const char *senha,
                  char *email_out, char *uuid_out);

/*
 * The three staff tokens most end-to-end groups share: one new admin, atendente and mecânico
 * (staff_token each), all with senha. staff_tokens_free releases them and sets them to NULL.
 */
void staff_tokens(const struct test_server *s, const char *senha, char **admin, char **atendente,
                  char **mecanico);
void staff_tokens_free(char **admin, char **atendente, char **mecanico);

/* Asserts r->status == status, failing with the method-less request summary and the body. */
void assert_status(const struct http_response *r, long status);

/*
 * Asserts a problem answer: the status, Content-Type application/problem+json, an object with
 * type (a URI: it has a scheme), title, status (equal), detail, instance and correlation_id, the
 * latter equal to the X-Correlation-Id header. Returns the body object (owned by r).
 */
json_t *assert_problem(const struct http_response *r, long status);

/* Asserts that r is some 4xx problem (as assert_problem) and returns its status. */
long assert_4xx_problem(const struct http_response *r);

/* How many entries of the problem's "errors" name campo. */
size_t problem_campo_count(const json_t *problem, const char *campo);

/* assert_problem(r, 422) and that errors names campo exactly once. */
void assert_invalid_field(const struct http_response *r, const char *campo);

/* r->json's "data" member as an object (asserted). */
json_t *data_object(const struct http_response *r);

/* r->json's "data" member as an array (asserted). */
json_t *data_array(const struct http_response *r);

/* The string member key of obj, asserting it is a string. */
const char *json_str(const json_t *obj, const char *key);

/* Asserts that s is a UUID (8-4-4-4-12 hex digits). */
void assert_uuid(const char *s);

/* Asserts that s is a version 4, RFC 4122 variant UUID. */
void assert_uuid_v4(const char *s);

/* Asserts that s is an RFC 3339 timestamp in UTC ending in "Z". */
void assert_rfc3339_utc(const char *s);

/* Asserts that no key anywhere in v mentions a password (senha, password, hash). */
void assert_no_password_fields(const json_t *v);

/*
 * A list answer: 200, data array, meta {pagina, por_pagina, total} equal to the arguments (total
 * < 0: not checked), X-Total-Count equal to meta.total. Returns meta.total.
 */
long assert_list(const struct http_response *r, long pagina, long por_pagina, long total);

/*
 * The URL of the Link header's entry with rel="rel" copied into out (n bytes); false when there is
 * no such entry.
 */
bool link_rel(const struct http_response *r, const char *rel, char *out, size_t n);

/* The value of query parameter name in url copied into out; false when absent. */
bool query_param(const char *url, const char *name, char *out, size_t n);

/* Unique test data; all of it random, hence different in every run. */
void random_cpf(char out[CPF_MAX], bool formatted);
void random_cnpj(char out[CNPJ_MAX], bool formatted);
void random_placa(char out[PLACA_MAX], bool mercosul); /* "ABC1234" or "ABC1D23" */
void random_email(char out[EMAIL_MAX], const char *prefix);
void random_hex(char *out, size_t nchars); /* nchars lowercase hex digits and a NUL */
void random_uuid_v4(char out[UUID_MAX]);

/* s percent-encoded for a query string (all but A-Z a-z 0-9 - . _ ~); malloc'd. */
char *url_encode(const char *s);

/* Digits of s only, into out (n bytes). */
void only_digits(const char *s, char *out, size_t n);

/* Makes the check digits of a CPF (11 digits) or CNPJ (14 digits) given as digits. */
void cpf_fix_check_digits(char digits[12]);
void cnpj_fix_check_digits(char digits[15]);

/* Milliseconds from a monotonic clock; sleeping. */
long mono_ms(void);

/*
 * The value of one sample of GET /metrics, named exactly as Prometheus prints it, labels
 * included ("http_requests_shed_total{reason=\"queue_full\"}"). Fails the test when the
 * sample is missing.
 */
double metric_value(const struct test_server *s, const char *sample);

/*
 * Fetches GET /metrics of s and fails the test unless `promtool check metrics` (Debian's
 * prometheus package) accepts it without a word: HELP and TYPE on every family, names and units
 * as Prometheus's linter wants them.
 */
void assert_metrics_pass_promtool(const struct test_server *s);
void sleep_ms_(long ms);

/*
 * Sleeps into the next minute when fewer than 15 s are left of this one: the server's rate
 * limiter counts per wall-clock minute, so a test that fills a limit must not straddle two.
 */
void rate_limit_window_fresh(void);

#endif

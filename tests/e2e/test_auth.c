/*
 * End-to-end tests of staff login and token verification on the real server (SPEC §4). Tokens are
 * forged by hand here (base64url header and payload, HMAC with libsodium), independently of the
 * server's own JWT code: a correctly forged token must be accepted, which proves the forging is
 * right, and every tampered one must get 401.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cmocka.h>
#include <sodium.h>

#include "tests/support/api.h"
#include "tests/support/http_client.h"
#include "tests/support/server.h"

#define SENHA "senha-auth-e2e-1"

static struct test_server srv;
static char admin_email[EMAIL_MAX], admin_uuid[UUID_MAX];
static char *admin;

static int group_setup(void **state)
{
	(void)state;
	assert_true(sodium_init() >= 0);
	test_server_start(&srv, NULL);
	admin = staff_token(&srv, "admin", SENHA, admin_email, admin_uuid);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	test_server_stop_all();
	free(admin);
	admin = NULL;
	return 0;
}

/* base64url without padding of n bytes; malloc'd. */
static char *b64url(const void *data, size_t n)
{
	size_t len = sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = malloc(len);
	assert_non_null(out);
	sodium_bin2base64(out, len, data, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

enum alg { ALG_HS256, ALG_HS512, ALG_NONE };

/*
 * header.payload.signature, signed with key (any length) by alg; alg_name is what the header
 * says. malloc'd.
 */
static char *forge(const char *alg_name, enum alg alg, const char *key, const json_t *claims)
{
	json_t *header = json_pack("{s:s, s:s}", "alg", alg_name, "typ", "JWT");
	char *h = json_dumps(header, JSON_COMPACT), *p = json_dumps(claims, JSON_COMPACT);
	char *hb = b64url(h, strlen(h)), *pb = b64url(p, strlen(p));
	size_t signing_len = strlen(hb) + 1 + strlen(pb);
	char *signing = malloc(signing_len + 1);
	unsigned char mac[crypto_auth_hmacsha512_BYTES];
	size_t mac_len = 0;

	assert_non_null(signing);
	sprintf(signing, "%s.%s", hb, pb);
	if (alg == ALG_HS256) {
		crypto_auth_hmacsha256_state st;
		crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)signing, signing_len);
		crypto_auth_hmacsha256_final(&st, mac);
		mac_len = crypto_auth_hmacsha256_BYTES;
	} else if (alg == ALG_HS512) {
		crypto_auth_hmacsha512_state st;
		crypto_auth_hmacsha512_init(&st, (const unsigned char *)key, strlen(key));
		crypto_auth_hmacsha512_update(&st, (const unsigned char *)signing, signing_len);
		crypto_auth_hmacsha512_final(&st, mac);
		mac_len = crypto_auth_hmacsha512_BYTES;
	}
	char *sb = mac_len ? b64url(mac, mac_len) : strdup("");
	char *token = malloc(signing_len + 2 + strlen(sb));
	assert_non_null(token);
	sprintf(token, "%s.%s", signing, sb);
	free(sb);
	free(signing);
	free(hb);
	free(pb);
	free(h);
	free(p);
	json_decref(header);
	return token;
}

/* Claims of a good admin token for the test server, valid for another 10 minutes. */
static json_t *good_claims(void)
{
	long now = (long)time(NULL);
	char jti[33];
	random_hex(jti, 32);
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "sub", admin_uuid, "role", "admin",
	                 "iss", TEST_JWT_ISSUER, "aud", TEST_JWT_AUDIENCE, "iat",
	                 (json_int_t)(now - 10), "exp", (json_int_t)(now + 600), "jti", jti);
}

static void get_clientes_with(const char *authorization, struct http_response *r)
{
	char url[256];
	const char *h[] = {authorization, NULL};
	test_server_url(&srv, "/api/clientes", url, sizeof url);
	if (http_request("GET", url, authorization ? h : NULL, NULL, 0, r) != 0)
		fail_msg("GET /api/clientes: no answer (%s)", r->error);
}

/* GET /api/clientes with "Authorization: Bearer token" must answer 401 with a Bearer challenge. */
static void assert_token_refused(const char *token, const char *what)
{
	struct http_response r;
	char *auth = malloc(strlen(token) + 32);

	assert_non_null(auth);
	sprintf(auth, "Authorization: Bearer %s", token);
	get_clientes_with(auth, &r);
	if (r.status != 401)
		fail_msg("%s token: expected 401, got %ld: %.300s", what, r.status, r.body);
	assert_problem(&r, 401);
	const char *www = http_response_header(&r, "WWW-Authenticate");
	if (!www || strncasecmp(www, "Bearer", 6) != 0)
		fail_msg("%s token: 401 without WWW-Authenticate: Bearer (got %s)", what,
		         www ? www : "none");
	http_response_cleanup(&r);
	free(auth);
}

static void assert_token_accepted(const char *token)
{
	struct http_response r;
	char *auth = malloc(strlen(token) + 32);

	assert_non_null(auth);
	sprintf(auth, "Authorization: Bearer %s", token);
	get_clientes_with(auth, &r);
	assert_status(&r, 200);
	http_response_cleanup(&r);
	free(auth);
}

static void test_login__ok_gives_bearer_token_and_usuario_without_password(void **state)
{
	struct http_response r;
	(void)state;

	json_t *body = json_pack("{s:s, s:s}", "email", admin_email, "senha", SENHA);
	api_call_json(&srv, "POST", "/api/auth/login", NULL, body, &r);
	json_decref(body);
	assert_status(&r, 200);
	const char *ct = http_response_header(&r, "Content-Type");
	assert_non_null(ct);
	assert_true(strncasecmp(ct, "application/json", 16) == 0);
	json_t *d = data_object(&r);
	const char *token = json_str(d, "token");
	/* Three non-empty base64url parts. */
	const char *dot1 = strchr(token, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	assert_non_null(dot1);
	assert_non_null(dot2);
	assert_true(dot1 > token && dot2 > dot1 + 1 && dot2[1] != '\0');
	assert_null(strchr(dot2 + 1, '.'));
	assert_string_equal(json_str(d, "token_type"), "Bearer");
	json_t *exp = json_object_get(d, "expires_in");
	assert_true(json_is_integer(exp));
	assert_int_equal(json_integer_value(exp), 3600); /* JWT_TTL_SECONDS default */
	json_t *u = json_object_get(d, "usuario");
	assert_true(json_is_object(u));
	assert_string_equal(json_str(u, "uuid"), admin_uuid);
	assert_string_equal(json_str(u, "email"), admin_email);
	assert_string_equal(json_str(u, "perfil"), "admin");
	json_str(u, "nome");
	assert_no_password_fields(r.json);
	assert_null(strstr(r.body, SENHA));
	assert_null(strstr(r.body, "$argon2"));
	/* The token works. */
	assert_token_accepted(token);
	http_response_cleanup(&r);
}

static void test_login__wrong_password_and_unknown_email_answer_the_same_401(void **state)
{
	struct http_response a, b;
	char unknown[EMAIL_MAX];
	(void)state;

	random_email(unknown, "ninguem");
	json_t *wrong = json_pack("{s:s, s:s}", "email", admin_email, "senha", "senha-errada-99");
	json_t *nobody = json_pack("{s:s, s:s}", "email", unknown, "senha", "senha-errada-99");
	api_call_json(&srv, "POST", "/api/auth/login", NULL, wrong, &a);
	api_call_json(&srv, "POST", "/api/auth/login", NULL, nobody, &b);
	json_decref(wrong);
	json_decref(nobody);
	assert_problem(&a, 401);
	assert_problem(&b, 401);
	json_object_del(a.json, "correlation_id");
	json_object_del(b.json, "correlation_id");
	if (!json_equal(a.json, b.json))
		fail_msg("wrong password and unknown e-mail answer differently:\n%s\n%s", a.body,
		         b.body);
	assert_null(strstr(a.body, admin_email));
	http_response_cleanup(&a);
	http_response_cleanup(&b);
}

static void test_login__missing_fields__422(void **state)
{
	struct http_response r;
	(void)state;

	api_call(&srv, "POST", "/api/auth/login", NULL, "{}", NULL, &r);
	json_t *p = assert_problem(&r, 422);
	assert_int_equal(problem_campo_count(p, "email"), 1);
	assert_int_equal(problem_campo_count(p, "senha"), 1);
	http_response_cleanup(&r);

	json_t *body = json_pack("{s:s}", "email", admin_email);
	api_call_json(&srv, "POST", "/api/auth/login", NULL, body, &r);
	json_decref(body);
	assert_invalid_field(&r, "senha");
	http_response_cleanup(&r);

	body = json_pack("{s:s}", "senha", SENHA);
	api_call_json(&srv, "POST", "/api/auth/login", NULL, body, &r);
	json_decref(body);
	assert_invalid_field(&r, "email");
	http_response_cleanup(&r);
}

static void test_token__missing_or_garbage__401(void **state)
{
	struct http_response r;
	(void)state;

	get_clientes_with(NULL, &r);
	assert_problem(&r, 401);
	const char *www = http_response_header(&r, "WWW-Authenticate");
	if (!www || strncasecmp(www, "Bearer", 6) != 0)
		fail_msg("401 without WWW-Authenticate: Bearer");
	http_response_cleanup(&r);

	assert_token_refused("garbage", "garbage");
	assert_token_refused("a.b.c", "three garbage parts");
	assert_token_refused("", "empty");

	char basic[2048];
	snprintf(basic, sizeof basic, "Authorization: Basic %s", admin);
	get_clientes_with(basic, &r);
	assert_problem(&r, 401);
	http_response_cleanup(&r);

	/* A real token with its payload altered (role raised) keeps its old signature. */
	char *tok = staff_token(&srv, "atendente", SENHA, NULL, NULL);
	char *dot1 = strchr(tok, '.'), *dot2 = strrchr(tok, '.');
	json_t *claims = good_claims();
	char *payload = json_dumps(claims, JSON_COMPACT);
	char *pb = b64url(payload, strlen(payload));
	char *altered = malloc(strlen(tok) + strlen(pb) + 4);
	assert_non_null(altered);
	sprintf(altered, "%.*s.%s%s", (int)(dot1 - tok), tok, pb, dot2);
	assert_token_refused(altered, "payload-altered");
	/* The unaltered token is fine, and the signature part alone flipped is not. */
	assert_token_accepted(tok);
	char *flipped = strdup(tok);
	size_t last = strlen(flipped) - 2;
	flipped[last] = flipped[last] == 'A' ? 'B' : 'A';
	assert_token_refused(flipped, "signature-flipped");
	free(flipped);
	free(altered);
	free(pb);
	free(payload);
	json_decref(claims);
	free(tok);
}

static void test_token__correctly_forged__200(void **state)
{
	(void)state;
	json_t *c = good_claims();
	char *t = forge("HS256", ALG_HS256, TEST_JWT_SECRET, c);
	assert_token_accepted(t);
	free(t);
	json_decref(c);
}

static void test_token__expired__401(void **state)
{
	(void)state;
	json_t *c = good_claims();
	long now = (long)time(NULL);
	json_object_set_new(c, "iat", json_integer(now - 7200));
	json_object_set_new(c, "exp", json_integer(now - 3600));
	char *t = forge("HS256", ALG_HS256, TEST_JWT_SECRET, c);
	assert_token_refused(t, "expired");
	free(t);
	json_object_set_new(c, "exp", json_integer(now - 120));
	t = forge("HS256", ALG_HS256, TEST_JWT_SECRET, c);
	assert_token_refused(t, "expired two minutes ago");
	free(t);
	json_object_del(c, "exp");
	t = forge("HS256", ALG_HS256, TEST_JWT_SECRET, c);
	assert_token_refused(t, "without exp");
	free(t);
	json_decref(c);
}

static void test_token__wrong_issuer_or_audience__401(void **state)
{
	(void)state;
	json_t *c = good_claims();
	json_object_set_new(c, "iss", json_string("outro-emissor"));
	char *t = forge("HS256", ALG_HS256, TEST_JWT_SECRET, c);
	assert_token_refused(t, "wrong iss");
	free(t);
	json_object_del(c, "iss");
	t = forge("HS256", ALG_HS256, TEST_JWT_SECRET, c);
	assert_token_refused(t, "without iss");
	free(t);
	json_decref(c);

	c = good_claims();
	json_object_set_new(c, "aud", json_string("outra-api"));
	t = forge("HS256", ALG_HS256, TEST_JWT_SECRET, c);
	assert_token_refused(t, "wrong aud");
	free(t);
	json_object_del(c, "aud");
	t = forge("HS256", ALG_HS256, TEST_JWT_SECRET, c);
	assert_token_refused(t, "without aud");
	free(t);
	json_decref(c);
}

static void test_token__other_algorithms_or_secret__401(void **state)
{
	(void)state;
	json_t *c = good_claims();
	char *t = forge("HS512", ALG_HS512, TEST_JWT_SECRET, c);
	assert_token_refused(t, "HS512");
	free(t);
	t = forge("none", ALG_NONE, TEST_JWT_SECRET, c);
	assert_token_refused(t, "alg none");
	free(t);
	t = forge("None", ALG_NONE, TEST_JWT_SECRET, c);
	assert_token_refused(t, "alg None");
	free(t);
	/* Header claims HS512 but the signature is HS256. */
	t = forge("HS512", ALG_HS256, TEST_JWT_SECRET, c);
	assert_token_refused(t, "HS512 header with HS256 signature");
	free(t);
	t = forge("HS256", ALG_HS256, "another-secret-of-forty-bytes-0123456789", c);
	assert_token_refused(t, "wrong secret");
	free(t);
	t = forge("HS256", ALG_HS256, "", c);
	assert_token_refused(t, "empty secret");
	free(t);
	json_decref(c);
}

static void test_token__bad_role__401_or_403(void **state)
{
	struct http_response r;
	char auth[4096];
	(void)state;

	json_t *c = good_claims();
	json_object_set_new(c, "role", json_string("superuser"));
	char *t = forge("HS256", ALG_HS256, TEST_JWT_SECRET, c);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", t);
	get_clientes_with(auth, &r);
	if (r.status != 401 && r.status != 403)
		fail_msg("unknown role: expected 401 or 403, got %ld", r.status);
	assert_problem(&r, r.status);
	http_response_cleanup(&r);
	free(t);

	/*
	 * A mechanic's token for an account the session registry does not list (a user created
	 * since its last refresh): the role alone decides. With the admin's sub the answer would
	 * be 401 as soon as a refresh lists the admin, whose role is not this one (a demotion).
	 */
	char mecanico_uuid[UUID_MAX];
	random_uuid_v4(mecanico_uuid);
	json_object_set_new(c, "sub", json_string(mecanico_uuid));
	json_object_set_new(c, "role", json_string("mecanico"));
	t = forge("HS256", ALG_HS256, TEST_JWT_SECRET, c);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", t);
	get_clientes_with(auth, &r);
	assert_problem(&r, 403);
	http_response_cleanup(&r);
	free(t);
	json_decref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_login__ok_gives_bearer_token_and_usuario_without_password),
	    cmocka_unit_test(test_login__wrong_password_and_unknown_email_answer_the_same_401),
	    cmocka_unit_test(test_login__missing_fields__422),
	    cmocka_unit_test(test_token__missing_or_garbage__401),
	    cmocka_unit_test(test_token__correctly_forged__200),
	    cmocka_unit_test(test_token__expired__401),
	    cmocka_unit_test(test_token__wrong_issuer_or_audience__401),
	    cmocka_unit_test(test_token__other_algorithms_or_secret__401),
	    cmocka_unit_test(test_token__bad_role__401_or_403),
	};
	return test_server_finish(cmocka_run_group_tests(tests, group_setup, group_teardown));
}

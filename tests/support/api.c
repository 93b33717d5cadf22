/*
 * Oficina API helpers for the end-to-end tests (test support). See api.h.
 */
#include "domain/monotonic.h"
#include "tests/support/api.h"

#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

long mono_ms(void)
{
	return (long)(monotonic_ns() / 1000000);
}

void sleep_ms_(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void random_init(void)
{
	if (sodium_init() < 0)
		fail_msg("libsodium cannot start");
}

void api_call(const struct test_server *s, const char *method, const char *path, const char *token,
              const char *body, const char *const extra_headers[], struct http_response *r)
{
	const char *headers[32];
	char auth[4096], url[16384];
	size_t n = 0;

	test_server_url(s, path, url, sizeof url);
	headers[n++] = "Accept: application/json";
	if (token) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
		headers[n++] = auth;
	}
	if (body)
		headers[n++] = "Content-Type: application/json";
	for (size_t i = 0; extra_headers && extra_headers[i] && n < 31; i++)
		headers[n++] = extra_headers[i];
	headers[n] = NULL;
	if (http_request(method, url, headers, body, body ? strlen(body) : 0, r) != 0)
		fail_msg("%s %.200s: no HTTP answer (%s)", method, path, r->error);
}

long api_get_status(const struct test_server *s, const char *path, const char *token)
{
	struct http_response r;
	api_call(s, "GET", path, token, NULL, NULL, &r);
	long status = r.status;
	http_response_cleanup(&r);
	return status;
}

void api_call_json(const struct test_server *s, const char *method, const char *path,
                   const char *token, const json_t *body, struct http_response *r)
{
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;

	if (body)
		assert_non_null(text);
	api_call(s, method, path, token, text, NULL, r);
	free(text);
}

void api_post_ok(const struct test_server *s, const char *path, const char *token,
                 const json_t *body, long status, char *uuid_out)
{
	struct http_response r;
	api_call_json(s, "POST", path, token, body, &r);
	assert_status(&r, status);
	if (uuid_out)
		snprintf(uuid_out, UUID_MAX, "%s", json_str(data_object(&r), "uuid"));
	http_response_cleanup(&r);
}

void api_create_cliente(const struct test_server *s, const char *token, const char *nome,
                        char uuid_out[UUID_MAX], char *cpf_out)
{
	char cpf[CPF_MAX];

	random_cpf(cpf, false);
	json_t *b = json_pack("{s:s, s:s}", "nome", nome, "documento", cpf);
	api_post_ok(s, "/api/clientes", token, b, 201, uuid_out);
	json_decref(b);
	if (cpf_out)
		memcpy(cpf_out, cpf, sizeof cpf);
}

const char *pathf(const char *fmt, ...)
{
	static char buf[16384];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof buf);
	return buf;
}

void assert_status(const struct http_response *r, long status)
{
	if (r->status != status)
		fail_msg("expected HTTP %ld, got %ld; body: %.600s", status, r->status,
		         r->body ? r->body : "(none)");
}

char *api_login(const struct test_server *s, const char *email, const char *senha)
{
	struct http_response r;
	json_t *body = json_pack("{s:s, s:s}", "email", email, "senha", senha);

	api_call_json(s, "POST", "/api/auth/login", NULL, body, &r);
	json_decref(body);
	assert_status(&r, 200);
	char *token = strdup(json_str(data_object(&r), "token"));
	assert_non_null(token);
	http_response_cleanup(&r);
	return token;
}

char *staff_token(const struct test_server *s, const char *perfil, const char *senha,
                  char *email_out, char *uuid_out)
{
	char email[EMAIL_MAX], uuid[UUID_MAX], nome[64];

	random_email(email, perfil);
	snprintf(nome, sizeof nome, "Teste %s", perfil);
	int st = cli_usuario_criar(nome, email, perfil, senha, uuid, sizeof uuid);
	if (st != 0)
		fail_msg("oficina usuario criar --perfil %s --email %s exited with %d", perfil,
		         email, st);
	if (email_out)
		snprintf(email_out, EMAIL_MAX, "%s", email);
	if (uuid_out)
		snprintf(uuid_out, UUID_MAX, "%s", uuid);
	return api_login(s, email, senha);
}

void staff_tokens(const struct test_server *s, const char *senha, char **admin, char **atendente,
                  char **mecanico)
{
	*admin = staff_token(s, "admin", senha, NULL, NULL);
	*atendente = staff_token(s, "atendente", senha, NULL, NULL);
	*mecanico = staff_token(s, "mecanico", senha, NULL, NULL);
}

void staff_tokens_free(char **admin, char **atendente, char **mecanico)
{
	free(*admin);
	free(*atendente);
	free(*mecanico);
	*admin = *atendente = *mecanico = NULL;
}

const char *json_str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_string(v))
		fail_msg("member \"%s\" is not a string", key);
	return json_string_value(v);
}

json_t *data_object(const struct http_response *r)
{
	json_t *d = json_object_get(r->json, "data");
	if (!json_is_object(d))
		fail_msg("body has no \"data\" object: %.600s", r->body ? r->body : "(none)");
	return d;
}

json_t *data_array(const struct http_response *r)
{
	json_t *d = json_object_get(r->json, "data");
	if (!json_is_array(d))
		fail_msg("body has no \"data\" array: %.600s", r->body ? r->body : "(none)");
	return d;
}

/* A URI starts with a scheme: a letter, then letters, digits, "+", "-" or ".", then ":". */
static bool looks_like_uri(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return false;
	while (isalnum((unsigned char)*s) || *s == '+' || *s == '-' || *s == '.')
		s++;
	return *s == ':' && s[1] != '\0';
}

json_t *assert_problem(const struct http_response *r, long status)
{
	assert_status(r, status);
	const char *ct = http_response_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/problem+json", 24) != 0)
		fail_msg("HTTP %ld with Content-Type %s, expected application/problem+json", status,
		         ct ? ct : "(none)");
	if (!json_is_object(r->json))
		fail_msg("problem body is not a JSON object: %.400s", r->body ? r->body : "");
	json_t *p = r->json;
	const char *type = json_str(p, "type");
	if (!looks_like_uri(type))
		fail_msg("problem type \"%s\" is not a URI", type);
	json_str(p, "title");
	json_str(p, "detail");
	json_str(p, "instance");
	json_t *st = json_object_get(p, "status");
	if (!json_is_integer(st) || json_integer_value(st) != status)
		fail_msg("problem status member does not equal %ld: %.400s", status, r->body);
	const char *cid = json_str(p, "correlation_id");
	const char *hdr = http_response_header(r, "X-Correlation-Id");
	if (!hdr)
		fail_msg("problem answer without an X-Correlation-Id header");
	assert_string_equal(cid, hdr);
	json_t *errors = json_object_get(p, "errors");
	if (errors) {
		if (!json_is_array(errors))
			fail_msg("problem errors is not an array: %.400s", r->body);
		size_t i;
		json_t *e;
		json_array_foreach(errors, i, e)
		{
			json_str(e, "campo");
			json_str(e, "mensagem");
		}
	}
	return p;
}

long assert_4xx_problem(const struct http_response *r)
{
	if (r->status < 400 || r->status > 499)
		fail_msg("expected a 4xx problem, got HTTP %ld; body: %.400s", r->status,
		         r->body ? r->body : "(none)");
	assert_problem(r, r->status);
	return r->status;
}

size_t problem_campo_count(const json_t *problem, const char *campo)
{
	json_t *errors = json_object_get(problem, "errors"), *e;
	size_t i, n = 0;

	json_array_foreach(errors, i, e)
	{
		json_t *c = json_object_get(e, "campo");
		if (json_is_string(c) && strcmp(json_string_value(c), campo) == 0)
			n++;
	}
	return n;
}

void assert_invalid_field(const struct http_response *r, const char *campo)
{
	json_t *p = assert_problem(r, 422);
	size_t n = problem_campo_count(p, campo);
	if (n != 1)
		fail_msg("expected exactly one errors entry with campo \"%s\", found %zu: %.600s",
		         campo, n, r->body);
}

static bool is_hex_run(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

void assert_uuid(const char *s)
{
	if (!s || strlen(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' ||
	    !is_hex_run(s, 8) || !is_hex_run(s + 9, 4) || !is_hex_run(s + 14, 4) ||
	    !is_hex_run(s + 19, 4) || !is_hex_run(s + 24, 12))
		fail_msg("\"%s\" is not a UUID", s ? s : "(null)");
}

void assert_uuid_v4(const char *s)
{
	assert_uuid(s);
	if (s[14] != '4' || !strchr("89abAB", s[19]))
		fail_msg("\"%s\" is not a version 4 UUID", s);
}

void assert_rfc3339_utc(const char *s)
{
	/* YYYY-MM-DDTHH:MM:SS[.fraction]Z */
	const char *shape = "dddd-dd-ddTdd:dd:dd";
	size_t i;

	for (i = 0; shape[i]; i++) {
		bool ok = shape[i] == 'd' ? isdigit((unsigned char)s[i]) : s[i] == shape[i];
		if (!ok)
			fail_msg("\"%s\" is not an RFC 3339 timestamp", s);
	}
	if (s[i] == '.') {
		i++;
		if (!isdigit((unsigned char)s[i]))
			fail_msg("\"%s\" has an empty fraction", s);
		while (isdigit((unsigned char)s[i]))
			i++;
	}
	if (strcmp(s + i, "Z") != 0)
		fail_msg("\"%s\" is not in UTC with a final \"Z\"", s);
}

void assert_no_password_fields(const json_t *v)
{
	const char *key;
	json_t *child;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach((json_t *)(uintptr_t)v, key, child)
		{
			if (strcasestr(key, "senha") || strcasestr(key, "password") ||
			    strcasestr(key, "hash"))
				fail_msg("answer has a password-like member \"%s\"", key);
			assert_no_password_fields(child);
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, child)
		{
			assert_no_password_fields(child);
		}
	}
}

long assert_list(const struct http_response *r, long pagina, long por_pagina, long total)
{
	assert_status(r, 200);
	data_array(r);
	json_t *meta = json_object_get(r->json, "meta");
	if (!json_is_object(meta))
		fail_msg("list without meta: %.400s", r->body);
	json_t *p = json_object_get(meta, "pagina"), *pp = json_object_get(meta, "por_pagina"),
	       *t = json_object_get(meta, "total");
	if (!json_is_integer(p) || !json_is_integer(pp) || !json_is_integer(t))
		fail_msg("meta needs integer pagina, por_pagina, total: %.400s", r->body);
	assert_int_equal(json_integer_value(p), pagina);
	assert_int_equal(json_integer_value(pp), por_pagina);
	if (total >= 0)
		assert_int_equal(json_integer_value(t), total);
	const char *xtc = http_response_header(r, "X-Total-Count");
	if (!xtc)
		fail_msg("list without X-Total-Count");
	assert_int_equal(strtol(xtc, NULL, 10), json_integer_value(t));
	if (!http_response_header(r, "Link"))
		fail_msg("list without a Link header");
	return (long)json_integer_value(t);
}

bool link_rel(const struct http_response *r, const char *rel, char *out, size_t n)
{
	const char *h = http_response_header(r, "Link");
	char want[64];

	if (!h)
		return false;
	snprintf(want, sizeof want, "rel=\"%s\"", rel);
	const char *p = h;
	while (*p) {
		const char *lt = strchr(p, '<');
		if (!lt)
			break;
		const char *gt = strchr(lt, '>');
		if (!gt)
			break;
		const char *next = strchr(gt, ',');
		const char *end = next ? next : gt + strlen(gt);
		const char *hit = strstr(gt, want);
		if (hit && hit < end) {
			snprintf(out, n, "%.*s", (int)(gt - lt - 1), lt + 1);
			return true;
		}
		if (!next)
			break;
		p = next + 1;
	}
	return false;
}

bool query_param(const char *url, const char *name, char *out, size_t n)
{
	const char *q = strchr(url, '?');
	size_t len = strlen(name);

	if (!q)
		return false;
	q++;
	while (*q) {
		size_t seg = strcspn(q, "&");
		if (seg > len && strncmp(q, name, len) == 0 && q[len] == '=') {
			snprintf(out, n, "%.*s", (int)(seg - len - 1), q + len + 1);
			return true;
		}
		q += seg;
		if (*q == '&')
			q++;
	}
	return false;
}

static unsigned rnd(unsigned upper)
{
	random_init();
	return randombytes_uniform(upper);
}

void cpf_fix_check_digits(char d[12])
{
	for (int k = 9; k <= 10; k++) {
		int sum = 0;
		for (int i = 0; i < k; i++)
			sum += (d[i] - '0') * (k + 1 - i);
		int rem = sum % 11;
		d[k] = (char)('0' + (rem < 2 ? 0 : 11 - rem));
	}
	d[11] = '\0';
}

void cnpj_fix_check_digits(char d[15])
{
	static const int w1[12] = {5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
	static const int w2[13] = {6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};

	for (int k = 12; k <= 13; k++) {
		const int *w = k == 12 ? w1 : w2;
		int sum = 0;
		for (int i = 0; i < k; i++)
			sum += (d[i] - '0') * w[i];
		int rem = sum % 11;
		d[k] = (char)('0' + (rem < 2 ? 0 : 11 - rem));
	}
	d[14] = '\0';
}

static bool all_equal(const char *d, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (d[i] != d[0])
			return false;
	return true;
}

void random_cpf(char out[CPF_MAX], bool formatted)
{
	char d[12];

	do {
		for (int i = 0; i < 9; i++)
			d[i] = (char)('0' + rnd(10));
		cpf_fix_check_digits(d);
	} while (all_equal(d, 11));
	if (formatted)
		snprintf(out, CPF_MAX, "%.3s.%.3s.%.3s-%.2s", d, d + 3, d + 6, d + 9);
	else
		snprintf(out, CPF_MAX, "%s", d);
}

void random_cnpj(char out[CNPJ_MAX], bool formatted)
{
	char d[15];

	do {
		for (int i = 0; i < 12; i++)
			d[i] = (char)('0' + rnd(10));
		cnpj_fix_check_digits(d);
	} while (all_equal(d, 14));
	if (formatted)
		snprintf(out, CNPJ_MAX, "%.2s.%.3s.%.3s/%.4s-%.2s", d, d + 2, d + 5, d + 8, d + 12);
	else
		snprintf(out, CNPJ_MAX, "%s", d);
}

void random_placa(char out[PLACA_MAX], bool mercosul)
{
	out[0] = (char)('A' + rnd(26));
	out[1] = (char)('A' + rnd(26));
	out[2] = (char)('A' + rnd(26));
	out[3] = (char)('0' + rnd(10));
	out[4] = mercosul ? (char)('A' + rnd(26)) : (char)('0' + rnd(10));
	out[5] = (char)('0' + rnd(10));
	out[6] = (char)('0' + rnd(10));
	out[7] = '\0';
}

void random_hex(char *out, size_t nchars)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < nchars; i++)
		out[i] = hex[rnd(16)];
	out[nchars] = '\0';
}

void random_email(char out[EMAIL_MAX], const char *prefix)
{
	char h[17];
	random_hex(h, 16);
	snprintf(out, EMAIL_MAX, "%s.%s@e2e.example.com", prefix, h);
}

void random_uuid_v4(char out[UUID_MAX])
{
	char h[33];
	random_hex(h, 32);
	h[12] = '4';
	h[16] = "89ab"[rnd(4)];
	snprintf(out, UUID_MAX, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

void only_digits(const char *s, char *out, size_t n)
{
	size_t k = 0;
	for (; *s && k + 1 < n; s++)
		if (isdigit((unsigned char)*s))
			out[k++] = *s;
	out[k] = '\0';
}

char *url_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(3 * strlen(s) + 1), *o = out;

	assert_non_null(out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

double metric_value(const struct test_server *s, const char *sample)
{
	struct http_response r;
	size_t n = strlen(sample);
	double v = 0;
	bool found = false;

	api_call(s, "GET", "/metrics", NULL, NULL, NULL, &r);
	assert_status(&r, 200);
	for (const char *line = r.body; line && *line;) {
		const char *end = strchr(line, '\n');
		if (strncmp(line, sample, n) == 0 && line[n] == ' ') {
			v = strtod(line + n + 1, NULL);
			found = true;
			break;
		}
		line = end ? end + 1 : NULL;
	}
	if (!found)
		fail_msg("no sample %s in /metrics", sample);
	http_response_cleanup(&r);
	return v;
}

void assert_metrics_pass_promtool(const struct test_server *s)
{
	struct http_response r;
	char path[] = "/tmp/oficina-metrics-XXXXXX", cmd[128], report[4096];
	size_t got = 0;

	api_call(s, "GET", "/metrics", NULL, NULL, NULL, &r);
	assert_status(&r, 200);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	size_t len = strlen(r.body);
	assert_int_equal(write(fd, r.body, len), (ssize_t)len);
	close(fd);
	http_response_cleanup(&r);
	snprintf(cmd, sizeof cmd, "promtool check metrics < %s 2>&1", path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	while (got < sizeof report - 1 && fgets(report + got, (int)(sizeof report - got), p))
		got += strlen(report + got);
	report[got] = '\0';
	int st = pclose(p);
	unlink(path);
	if (st != 0 || got > 0)
		fail_msg("promtool check metrics (status %d): %s", st, report);
}

void rate_limit_window_fresh(void)
{
	time_t now = time(NULL);
	if (now % 60 >= 45)
		sleep_ms_((long)(60 - now % 60) * 1000 + 200);
}

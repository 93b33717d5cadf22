/* Unit tests of the JSON log lines (infrastructure/log): every line must be valid JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "infrastructure/log/log.h"

/* Runs fn with stdout redirected to a pipe and returns what it wrote, parsed as one JSON line. */
static json_t *capture(void (*fn)(void))
{
	int fds[2], saved = dup(STDOUT_FILENO);
	char buf[8192];
	ssize_t n;

	assert_int_equal(pipe(fds), 0);
	dup2(fds[1], STDOUT_FILENO);
	fn();
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(fds[1]);
	n = read(fds[0], buf, sizeof buf - 1);
	close(fds[0]);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_int_equal(buf[n - 1], '\n');
	assert_ptr_equal(strchr(buf, '\n'), buf + n - 1); /* exactly one line */
	json_error_t err;
	json_t *o = json_loads(buf, 0, &err);
	if (!o)
		fail_msg("not JSON: %s (%s)", buf, err.text);
	return o;
}

static void write_access_line(void)
{
	struct logger l;
	struct log_field f[] = {{"method", "GE\"T\\", 0},
	                        {"status", NULL, 200},
	                        {"duration_ms", NULL, 1.5},
	                        {"route", "/a\n\tb", 0}};
	log_logger_init(&l);
	logger_write(&l, LOG_LEVEL_INFO, "abc-123", "request", f, 4);
}

static void test_access_line__campos_e_escapes__json_valido(void **state)
{
	(void)state;
	log_configure(LOG_LEVEL_INFO, "test");
	json_t *o = capture(write_access_line);
	assert_string_equal(json_string_value(json_object_get(o, "level")), "info");
	assert_string_equal(json_string_value(json_object_get(o, "service")), "oficina");
	assert_string_equal(json_string_value(json_object_get(o, "env")), "test");
	assert_string_equal(json_string_value(json_object_get(o, "correlation_id")), "abc-123");
	assert_string_equal(json_string_value(json_object_get(o, "message")), "request");
	assert_string_equal(json_string_value(json_object_get(o, "method")), "GE\"T\\");
	assert_string_equal(json_string_value(json_object_get(o, "route")), "/a\n\tb");
	assert_int_equal(json_integer_value(json_object_get(o, "status")), 200);
	assert_true(json_real_value(json_object_get(o, "duration_ms")) == 1.5);
	const char *ts = json_string_value(json_object_get(o, "timestamp"));
	assert_non_null(ts);
	assert_int_equal(strlen(ts), 24); /* 2026-11-23T14:30:00.123Z */
	assert_int_equal(ts[23], 'Z');
	json_decref(o);
}

static void write_message(void)
{
	log_msg(LOG_LEVEL_WARN, NULL, "falhou: %s", "banco \"fora\"");
}

static void test_log_msg__sem_correlation__json_valido(void **state)
{
	(void)state;
	log_configure(LOG_LEVEL_INFO, "test");
	json_t *o = capture(write_message);
	assert_string_equal(json_string_value(json_object_get(o, "level")), "warn");
	assert_string_equal(json_string_value(json_object_get(o, "message")),
	                    "falhou: banco \"fora\"");
	assert_null(json_object_get(o, "correlation_id"));
	json_decref(o);
}

static void write_event(void)
{
	json_t *data = json_pack("{s:s, s:i}", "uuid", "u-1", "ano", 2020);
	char *line = log_event_line("veiculo.criado", "c-9", data);
	log_write_line(line);
	free(line);
	json_decref(data);
}

static void test_event_line__tipo_e_dados__json_valido(void **state)
{
	(void)state;
	json_t *o = capture(write_event);
	assert_string_equal(json_string_value(json_object_get(o, "event_type")), "veiculo.criado");
	assert_string_equal(json_string_value(json_object_get(o, "correlation_id")), "c-9");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "data"), "ano")),
	                 2020);
	json_decref(o);
}

static void write_huge_line(void)
{
	static char longo[6000], aspas[3000];
	struct logger l;
	/* "ção" repeated: a cut at any byte would land inside a character */
	for (size_t i = 0; i + 5 < sizeof longo; i += 5)
		memcpy(longo + i, "ção", 5);
	memset(aspas, '"', sizeof aspas - 1); /* each one doubles when escaped */
	struct log_field f[] = {{"route", longo, 0}, {"method", aspas, 0}, {"status", NULL, 200}};
	log_logger_init(&l);
	logger_write(&l, LOG_LEVEL_INFO, "abc", "request", f, 3);
}

static void test_linha_longa_demais__cortada__continua_json_valido(void **state)
{
	(void)state;
	log_configure(LOG_LEVEL_INFO, "test");
	json_t *o = capture(write_huge_line);
	/* jansson refuses invalid UTF-8: parsing at all proves the cut fell between characters */
	const char *route = json_string_value(json_object_get(o, "route"));
	assert_non_null(route);
	assert_true(strlen(route) > 1000);
	json_decref(o);
}

static void test_level_parse__nomes__aceitos_e_recusados(void **state)
{
	enum log_level l;
	(void)state;
	assert_int_equal(log_level_parse("debug", &l), 0);
	assert_int_equal(l, LOG_LEVEL_DEBUG);
	assert_int_equal(log_level_parse("WARNING", &l), 0);
	assert_int_equal(l, LOG_LEVEL_WARN);
	assert_int_not_equal(log_level_parse("verbose", &l), 0);
	assert_int_not_equal(log_level_parse(NULL, &l), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_access_line__campos_e_escapes__json_valido),
	    cmocka_unit_test(test_log_msg__sem_correlation__json_valido),
	    cmocka_unit_test(test_event_line__tipo_e_dados__json_valido),
	    cmocka_unit_test(test_linha_longa_demais__cortada__continua_json_valido),
	    cmocka_unit_test(test_level_parse__nomes__aceitos_e_recusados),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests of the Argon2id password adapter (infrastructure/auth/password.c): a hash verifies
 * its own password and nothing else, and a missing or malformed hash never verifies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "application/ports/password_hasher.h"
#include "domain/errors.h"
#include "infrastructure/auth/password.h"

static struct password_hasher h;

static int setup(void **state)
{
	(void)state;
	password_hasher_init(&h);
	assert_non_null(h.ops);
	return 0;
}

static void test_password__hash_then_verify__ok(void **state)
{
	char hash[PASSWORD_HASH_MAX], again[PASSWORD_HASH_MAX];
	(void)state;

	assert_int_equal(h.ops->hash(h.self, "s3nha-b0a", hash), 0);
	assert_int_equal(strncmp(hash, "$argon2id$", 10), 0);
	assert_true(strlen(hash) < PASSWORD_HASH_MAX);
	assert_int_equal(h.ops->verify(h.self, hash, "s3nha-b0a"), 0);
	/* A fresh salt every time. */
	assert_int_equal(h.ops->hash(h.self, "s3nha-b0a", again), 0);
	assert_string_not_equal(hash, again);
	assert_int_equal(h.ops->verify(h.self, again, "s3nha-b0a"), 0);
}

static void test_password__wrong_password__unauthorized(void **state)
{
	char hash[PASSWORD_HASH_MAX];
	(void)state;

	assert_int_equal(h.ops->hash(h.self, "correta", hash), 0);
	assert_int_equal(h.ops->verify(h.self, hash, "errada"), APP_EUNAUTHORIZED);
	assert_int_equal(h.ops->verify(h.self, hash, "Correta"), APP_EUNAUTHORIZED);
	assert_int_equal(h.ops->verify(h.self, hash, ""), APP_EUNAUTHORIZED);
	assert_int_equal(h.ops->verify(h.self, hash, NULL), APP_EUNAUTHORIZED);
}

static void test_password__null_hash__unauthorized(void **state)
{
	(void)state;
	/* Runs against the dummy hash; twice, so the second call uses the one computed first. */
	assert_int_equal(h.ops->verify(h.self, NULL, "qualquer"), APP_EUNAUTHORIZED);
	assert_int_equal(h.ops->verify(h.self, NULL, ""), APP_EUNAUTHORIZED);
}

static void test_password__garbage_hash__unauthorized(void **state)
{
	char hash[PASSWORD_HASH_MAX], cut[PASSWORD_HASH_MAX], big[300];
	(void)state;

	assert_int_equal(h.ops->verify(h.self, "", "senha"), APP_EUNAUTHORIZED);
	assert_int_equal(h.ops->verify(h.self, "senha", "senha"), APP_EUNAUTHORIZED);
	assert_int_equal(h.ops->verify(h.self, "$argon2id$garbage", "senha"), APP_EUNAUTHORIZED);
	assert_int_equal(h.ops->verify(h.self, "$2y$10$abcdefghijklmnopqrstuu", "senha"),
	                 APP_EUNAUTHORIZED);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(h.ops->verify(h.self, big, "senha"), APP_EUNAUTHORIZED);

	/* A real hash cut short, and one with its digest changed. */
	assert_int_equal(h.ops->hash(h.self, "senha", hash), 0);
	memcpy(cut, hash, strlen(hash) - 5);
	cut[strlen(hash) - 5] = '\0';
	assert_int_equal(h.ops->verify(h.self, cut, "senha"), APP_EUNAUTHORIZED);
	strcpy(cut, hash);
	cut[strlen(cut) - 2] = cut[strlen(cut) - 2] == 'A' ? 'B' : 'A';
	assert_int_equal(h.ops->verify(h.self, cut, "senha"), APP_EUNAUTHORIZED);
}

static void test_password__hash_null__invalid(void **state)
{
	char hash[PASSWORD_HASH_MAX];
	(void)state;

	assert_int_equal(h.ops->hash(h.self, NULL, hash), APP_EINVALID);
	assert_string_equal(hash, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_password__hash_then_verify__ok),
	    cmocka_unit_test(test_password__wrong_password__unauthorized),
	    cmocka_unit_test(test_password__null_hash__unauthorized),
	    cmocka_unit_test(test_password__garbage_hash__unauthorized),
	    cmocka_unit_test(test_password__hash_null__invalid),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}

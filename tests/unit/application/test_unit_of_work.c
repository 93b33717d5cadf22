/*
 * Unit tests of application/commands/unit_of_work: how a command's transaction ends — committed
 * when the command succeeded, rolled back otherwise — and the new row's id handed out only once
 * committed (application layer; cmocka, tests/fakes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "application/commands/unit_of_work.h"
#include "domain/errors.h"
#include "tests/fakes/fake_app.h"

static const struct uuid novo = {"0b7e3c1a-5f0e-4d6a-9a57-3b9d2c1e8f40"};

static void test_uow_finish_criado__sucesso__commit_e_id_entregue(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = {"intocado"};

	assert_int_equal(transaction_begin(&f->app.tx), 0);
	assert_int_equal(uow_finish_criado(&f->app, 0, &novo, &id), 0);
	assert_string_equal(id.str, novo.str);
	assert_int_equal(f->tx.committed, 1);
	assert_false(f->tx.open);
}

static void test_uow_finish_criado__comando_falhou__rollback_e_id_intocado(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = {"intocado"};

	assert_int_equal(transaction_begin(&f->app.tx), 0);
	assert_int_equal(uow_finish_criado(&f->app, APP_ECONFLICT, &novo, &id), APP_ECONFLICT);
	assert_string_equal(id.str, "intocado");
	assert_int_equal(f->tx.commits, 0);
	assert_int_equal(f->tx.rollbacks, 1);
	assert_false(f->tx.open);
}

static void test_uow_finish_criado__commit_falha__erro_do_commit_e_id_intocado(void **state)
{
	struct fake_app *f = *state;
	struct uuid id = {"intocado"};

	fake_fault_next(&f->tx.commit_fault);
	assert_int_equal(transaction_begin(&f->app.tx), 0);
	assert_int_equal(uow_finish_criado(&f->app, 0, &novo, &id), APP_EUNAVAILABLE);
	assert_string_equal(id.str, "intocado");
	assert_int_equal(f->tx.committed, 0);
	assert_false(f->tx.open);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_uow_finish_criado__sucesso__commit_e_id_entregue,
	                                    fake_app_setup, fake_app_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_uow_finish_criado__comando_falhou__rollback_e_id_intocado, fake_app_setup,
	        fake_app_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_uow_finish_criado__commit_falha__erro_do_commit_e_id_intocado, fake_app_setup,
	        fake_app_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

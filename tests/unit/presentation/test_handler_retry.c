/*
 * Unit tests of presentation/http/handler_retry: a route handler run again after a transient
 * database failure (presentation layer; cmocka, tests/fakes). The handlers here are plain
 * functions that fail "transiently" by answering 503 with the in-memory unit of work marked
 * retryable; the tests count the runs, check what each run starts from (a fresh response, the
 * unit of work served again), the pauses, the deadline, and the retries metric; and a query the
 * read replica failed, run once more on the primary (a second fake application). Under the
 * sanitizers a response of a failed run that is not released fails the test as a leak.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/monotonic.h"
#include "presentation/http/handler_retry.h"
#include "presentation/http/metrics.h"
#include "presentation/http/response.h"
#include "tests/fakes/fake_app.h"

#define MS             ((int64_t)1000000)
#define MAX_RUNS       8
#define PRAZO_LONGO_MS 5000

/* What a handler run found when it began. */
struct entrada {
	int serves;           /* the unit of work's serve calls so far */
	bool retryable;       /* its flag at that moment */
	unsigned status;      /* the response it was given */
	bool body, raw, link; /* which of them were set */
	bool problem;
	size_t n_headers;
	int64_t em_ns; /* when */
};

/* The fake the handlers reach (a handler only gets req and res). */
static struct fake_app *fake;
static int runs;
static struct entrada entradas[MAX_RUNS];
static int falhas_transitorias; /* runs that fail before the handler succeeds */

/* A counter as /metrics shows it (with a replica configured, so that its lines are there). */
static unsigned long contador(const char *metrica)
{
	struct metrics_gauges g;
	char nome[128];

	memset(&g, 0, sizeof g);
	g.db.replica = true;
	snprintf(nome, sizeof nome, "\n%s ", metrica);
	char *s = metrics_render(&g);
	assert_non_null(s);
	char *linha = strstr(s, nome);
	if (!linha) {
		free(s);
		fail_msg("no %s line in the metrics", metrica);
	}
	char *fim = NULL;
	unsigned long n = strtoul(linha + strlen(nome), &fim, 10);
	bool ok = fim && *fim == '\n';
	free(s);
	assert_true(ok);
	return n;
}

static unsigned long retries_total(void)
{
	return contador("http_request_retries_total");
}

static void registra_entrada(const struct response *res)
{
	if (runs >= MAX_RUNS)
		fail_msg("the handler ran more than %d times", MAX_RUNS);
	entradas[runs] = (struct entrada){
	    .serves = fake->tx.serves,
	    .retryable = fake->tx.retryable,
	    .status = res->status,
	    .body = res->body != NULL,
	    .raw = res->raw != NULL,
	    .link = res->link != NULL,
	    .problem = res->problem,
	    .n_headers = res->n_headers,
	    .em_ns = monotonic_ns(),
	};
	runs++;
}

/*
 * A serialisation failure as a handler sees it: the command rolled back and answered
 * APP_EUNAVAILABLE-like 503 with a problem body, a header, and owned strings (all of which a
 * retry must release), and the unit of work says it may run again.
 */
static void falha_transitoria(struct request *req, struct response *res)
{
	response_problem(res, req, 503, "falha de serialização", NULL);
	response_header(res, "Retry-After", "1");
	res->raw = strdup("{\"corpo\":\"renderizado\"}");
	res->link = strdup("</api/clientes?pagina=2>; rel=\"next\"");
	assert_non_null(res->raw);
	assert_non_null(res->link);
	fake->tx.retryable = true;
}

static void sucesso(struct response *res, unsigned status)
{
	json_t *data = json_object();
	json_object_set_new(data, "ok", json_true());
	response_data(res, status, data);
}

/* Fails transiently falhas_transitorias times, then answers 200. */
static void falha_e_depois_sucesso(struct request *req, struct response *res)
{
	registra_entrada(res);
	if (runs <= falhas_transitorias)
		falha_transitoria(req, res);
	else
		sucesso(res, 200);
}

static void sempre_transitoria(struct request *req, struct response *res)
{
	registra_entrada(res);
	falha_transitoria(req, res);
}

/* 503 because the database is down, say: not a transient failure of this transaction. */
static void indisponivel_sem_retryable(struct request *req, struct response *res)
{
	registra_entrada(res);
	response_problem(res, req, 503, "banco de dados indisponível", NULL);
	fake->tx.retryable = false;
}

/* Commits a transaction, then fails transiently in a second one: running again would repeat
 * the first. */
static void commita_e_falha(struct request *req, struct response *res)
{
	const struct transaction *tx = &fake->app.tx;

	registra_entrada(res);
	assert_int_equal(transaction_begin(tx), 0);
	assert_int_equal(transaction_commit(tx), 0);
	falha_transitoria(req, res);
}

static void conflito_retryable(struct request *req, struct response *res)
{
	registra_entrada(res);
	response_problem(res, req, 409, "conflito", NULL);
	fake->tx.retryable = true;
}

static void ok_retryable(struct request *req, struct response *res)
{
	(void)req;
	registra_entrada(res);
	sucesso(res, 200);
	fake->tx.retryable = true;
}

static int setup(void **state)
{
	fake = malloc(sizeof *fake);
	if (!fake)
		return -1;
	fake_app_init(fake);
	runs = 0;
	falhas_transitorias = 0;
	memset(entradas, 0, sizeof entradas);
	*state = fake;
	return 0;
}

static int teardown(void **state)
{
	fake_app_cleanup(*state);
	free(*state);
	fake = NULL;
	return 0;
}

/* A request of the fake application with its deadline prazo_ms from now. */
static void prepara(struct request *req, long prazo_ms)
{
	memset(req, 0, sizeof *req);
	req->app = &fake->app;
	req->deadline = monotonic_in_ms(prazo_ms);
	snprintf(req->correlation_id, sizeof req->correlation_id, "%s", "corr-retry-1");
}

static void test_handler_run__transitoria_duas_vezes__3_execucoes_e_200(void **state)
{
	struct request req;
	struct response res = {.status = 500};
	unsigned long antes = retries_total();

	(void)state;
	falhas_transitorias = 2;
	prepara(&req, PRAZO_LONGO_MS);
	handler_run(&req, &res, falha_e_depois_sucesso);

	assert_int_equal(runs, 3);
	assert_int_equal(res.status, 200);
	assert_non_null(res.body);
	assert_non_null(json_object_get(res.body, "data"));
	assert_false(res.problem);
	/* serve was called before each run again, and it cleared the flag. */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(entradas[i].serves, i);
		assert_false(entradas[i].retryable);
	}
	assert_int_equal(fake->tx.serves, 2);
	assert_int_equal(retries_total() - antes, 2);
	response_cleanup(&res);
}

static void test_handler_run__sempre_transitoria__handler_attempts_execucoes_e_503(void **state)
{
	struct request req;
	struct response res = {.status = 500};
	unsigned long antes = retries_total();

	(void)state;
	prepara(&req, PRAZO_LONGO_MS);
	handler_run(&req, &res, sempre_transitoria);

	assert_int_equal(runs, HANDLER_ATTEMPTS);
	assert_int_equal(res.status, 503);
	assert_true(res.problem);
	assert_non_null(res.body);
	assert_int_equal(json_integer_value(json_object_get(res.body, "status")), 503);
	assert_int_equal(fake->tx.serves, HANDLER_ATTEMPTS - 1);
	assert_true(fake->tx.retryable); /* the last failure, as it was */
	assert_int_equal(retries_total() - antes, HANDLER_ATTEMPTS - 1);
	response_cleanup(&res);
}

static void test_handler_run__pausas__com_jitter_entre_metade_e_o_backoff(void **state)
{
	struct request req;
	struct response res = {.status = 500};

	(void)state;
	prepara(&req, PRAZO_LONGO_MS);
	handler_run(&req, &res, sempre_transitoria);
	assert_int_equal(runs, HANDLER_ATTEMPTS);

	/* Before run n + 1: HANDLER_BACKOFF_MS * n, half of it fixed (a sleep is never shorter). */
	for (int n = 1; n < HANDLER_ATTEMPTS; n++) {
		int64_t pausa = entradas[n].em_ns - entradas[n - 1].em_ns;
		int64_t backoff = (int64_t)HANDLER_BACKOFF_MS * n * MS;
		if (pausa < backoff / 2 || pausa > backoff + 500 * MS)
			fail_msg("pause %d: %lld ms, expected between %lld and %lld ms (+ slack)",
			         n, (long long)(pausa / MS), (long long)(backoff / 2 / MS),
			         (long long)(backoff / MS));
	}
	response_cleanup(&res);
}

static void test_handler_run__503_sem_retryable__1_execucao(void **state)
{
	struct request req;
	struct response res = {.status = 500};
	unsigned long antes = retries_total();

	(void)state;
	prepara(&req, PRAZO_LONGO_MS);
	handler_run(&req, &res, indisponivel_sem_retryable);

	assert_int_equal(runs, 1);
	assert_int_equal(res.status, 503);
	assert_non_null(res.body);
	assert_int_equal(fake->tx.serves, 0);
	assert_int_equal(retries_total(), antes);
	response_cleanup(&res);
}

static void test_handler_run__retryable_mas_commitou__1_execucao(void **state)
{
	struct request req;
	struct response res = {.status = 500};
	unsigned long antes = retries_total();

	(void)state;
	prepara(&req, PRAZO_LONGO_MS);
	handler_run(&req, &res, commita_e_falha);

	assert_int_equal(runs, 1);
	assert_int_equal(fake->tx.committed, 1); /* not repeated */
	assert_int_equal(res.status, 503);
	assert_int_equal(fake->tx.serves, 0);
	assert_int_equal(retries_total(), antes);
	response_cleanup(&res);
}

static void test_handler_run__commit_de_antes_do_handler__nao_impede_a_repeticao(void **state)
{
	struct request req;
	struct response res = {.status = 500};
	const struct transaction *tx;

	(void)state;
	/* Commits made on this unit of work before the handler ran are not its own. */
	tx = &fake->app.tx;
	assert_int_equal(transaction_begin(tx), 0);
	assert_int_equal(transaction_commit(tx), 0);
	falhas_transitorias = 1;
	prepara(&req, PRAZO_LONGO_MS);
	handler_run(&req, &res, falha_e_depois_sucesso);

	assert_int_equal(runs, 2);
	assert_int_equal(res.status, 200);
	response_cleanup(&res);
}

static void test_handler_run__prazo_curto_demais_para_a_pausa__1_execucao(void **state)
{
	struct request req;
	struct response res = {.status = 500};
	unsigned long antes = retries_total();

	(void)state;
	prepara(&req, 1); /* the shortest pause is HANDLER_BACKOFF_MS / 2 */
	handler_run(&req, &res, sempre_transitoria);

	assert_int_equal(runs, 1);
	assert_int_equal(res.status, 503);
	assert_int_equal(fake->tx.serves, 0);
	assert_int_equal(retries_total(), antes);
	response_cleanup(&res);
}

static void test_handler_run__4xx_ou_2xx_com_retryable__1_execucao(void **state)
{
	struct request req;
	struct response res = {.status = 500};
	unsigned long antes = retries_total();

	(void)state;
	prepara(&req, PRAZO_LONGO_MS);
	handler_run(&req, &res, conflito_retryable);
	assert_int_equal(runs, 1);
	assert_int_equal(res.status, 409);
	response_cleanup(&res);

	runs = 0;
	res = (struct response){.status = 500};
	handler_run(&req, &res, ok_retryable);
	assert_int_equal(runs, 1);
	assert_int_equal(res.status, 200);
	response_cleanup(&res);

	assert_int_equal(fake->tx.serves, 0);
	assert_int_equal(retries_total(), antes);
}

static void test_handler_run__resposta_da_falha__nao_vaza_na_execucao_seguinte(void **state)
{
	struct request req;
	struct response res = {.status = 500};

	(void)state;
	falhas_transitorias = 2;
	prepara(&req, PRAZO_LONGO_MS);
	handler_run(&req, &res, falha_e_depois_sucesso);
	assert_int_equal(runs, 3);

	/* Every run starts from a fresh response: status 500, nothing owned, no header. */
	for (int i = 0; i < runs; i++) {
		assert_int_equal(entradas[i].status, 500);
		assert_false(entradas[i].body);
		assert_false(entradas[i].raw);
		assert_false(entradas[i].link);
		assert_false(entradas[i].problem);
		assert_int_equal(entradas[i].n_headers, 0);
	}
	/* The answer is the last run's alone. */
	assert_int_equal(res.status, 200);
	assert_false(res.problem);
	assert_null(res.raw);
	assert_null(res.link);
	assert_int_equal(res.n_headers, 0);
	assert_null(json_object_get(res.body, "detail"));
	response_cleanup(&res);
	/* The two failed runs' bodies, strings and headers were released: LeakSanitizer checks. */
}

/* ---- a query on the read replica ---- */

static struct fake_app *primario; /* the primary's application, beside fake (the replica's) */
static const struct app *apps_das_execucoes[MAX_RUNS];

static int setup_replica(void **state)
{
	if (setup(state) != 0 || !(primario = malloc(sizeof *primario)))
		return -1;
	fake_app_init(primario);
	memset(apps_das_execucoes, 0, sizeof apps_das_execucoes);
	return 0;
}

static int teardown_replica(void **state)
{
	fake_app_cleanup(primario);
	free(primario);
	primario = NULL;
	return teardown(state);
}

/* A request on the replica (fake) with the primary to fall back to. */
static void prepara_na_replica(struct request *req, long prazo_ms)
{
	prepara(req, prazo_ms);
	req->primary = &primario->app;
	req->replica_deadline = req->deadline;
}

/* 503 (unreachable, say) on the replica, 200 on the primary. */
static void replica_falha(struct request *req, struct response *res)
{
	apps_das_execucoes[runs] = req->app;
	registra_entrada(res);
	if (req->app == &fake->app)
		response_problem(res, req, 503, "banco de dados indisponível", NULL);
	else
		sucesso(res, 200);
}

/* 404 on the replica (a row it has not replayed yet): an answer, not a failure. */
static void replica_nao_encontra(struct request *req, struct response *res)
{
	apps_das_execucoes[runs] = req->app;
	registra_entrada(res);
	response_problem(res, req, 404, "não encontrado", NULL);
}

static void test_handler_run__replica_503__de_novo_no_primario_e_200(void **state)
{
	struct request req;
	struct response res = {.status = 500};
	unsigned long antes = contador("db_replica_fallbacks_total");

	(void)state;
	prepara_na_replica(&req, PRAZO_LONGO_MS);
	handler_run(&req, &res, replica_falha);

	assert_int_equal(runs, 2);
	assert_ptr_equal(apps_das_execucoes[0], &fake->app);
	assert_ptr_equal(apps_das_execucoes[1], &primario->app);
	assert_int_equal(res.status, 200);
	assert_false(res.problem);
	/* The replica's unit of work was rolled back and released; the primary's served. */
	assert_true(fake->tx.rollbacks >= 1);
	assert_int_equal(fake->tx.serves, 1);
	assert_int_equal(primario->tx.serves, 1);
	assert_ptr_equal(req.app, &primario->app); /* the caller cleans up the primary's */
	assert_null(req.primary);
	assert_int_equal(entradas[1].status, 500); /* a fresh response */
	assert_int_equal(contador("db_replica_fallbacks_total") - antes, 1);
	response_cleanup(&res);
}

static void test_handler_run__replica_404__sem_primario(void **state)
{
	struct request req;
	struct response res = {.status = 500};
	unsigned long antes = contador("db_replica_fallbacks_total");

	(void)state;
	prepara_na_replica(&req, PRAZO_LONGO_MS);
	handler_run(&req, &res, replica_nao_encontra);

	assert_int_equal(runs, 1);
	assert_int_equal(res.status, 404);
	assert_int_equal(primario->tx.serves, 0);
	assert_ptr_equal(req.app, &fake->app);
	assert_int_equal(contador("db_replica_fallbacks_total"), antes);
	response_cleanup(&res);
}

static void test_handler_run__replica_503_com_prazo_esgotado__sem_primario(void **state)
{
	struct request req;
	struct response res = {.status = 500};
	struct timespec pausa = {0, 5 * 1000000L};

	(void)state;
	prepara_na_replica(&req, 1);
	nanosleep(&pausa, NULL); /* the deadline has passed */
	handler_run(&req, &res, replica_falha);

	assert_int_equal(runs, 1);
	assert_int_equal(res.status, 503);
	assert_int_equal(primario->tx.serves, 0);
	response_cleanup(&res);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
#define R(f) cmocka_unit_test_setup_teardown(f, setup_replica, teardown_replica)
	const struct CMUnitTest tests[] = {
	    T(test_handler_run__transitoria_duas_vezes__3_execucoes_e_200),
	    T(test_handler_run__sempre_transitoria__handler_attempts_execucoes_e_503),
	    T(test_handler_run__pausas__com_jitter_entre_metade_e_o_backoff),
	    T(test_handler_run__503_sem_retryable__1_execucao),
	    T(test_handler_run__retryable_mas_commitou__1_execucao),
	    T(test_handler_run__commit_de_antes_do_handler__nao_impede_a_repeticao),
	    T(test_handler_run__prazo_curto_demais_para_a_pausa__1_execucao),
	    T(test_handler_run__4xx_ou_2xx_com_retryable__1_execucao),
	    T(test_handler_run__resposta_da_falha__nao_vaza_na_execucao_seguinte),
	    R(test_handler_run__replica_503__de_novo_no_primario_e_200),
	    R(test_handler_run__replica_404__sem_primario),
	    R(test_handler_run__replica_503_com_prazo_esgotado__sem_primario),
	};
#undef T
#undef R

	return cmocka_run_group_tests(tests, NULL, NULL);
}

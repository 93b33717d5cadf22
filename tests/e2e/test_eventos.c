/*
 * End-to-end tests of the event path (issue 8) with real parts: the server, PostgreSQL, the relay
 * and the notifier as processes of the real binary, a RabbitMQ node and an SMTP sink (started by
 * scripts/test.sh: TEST_AMQP_URL, TEST_RABBITMQ_DIR, TEST_SMTP_URL, TEST_MAILDIR) and Chromium.
 *
 * An order walked to its budget e-mails its customer once, and the link in the e-mail approves
 * the budget in the browser; the broker stopped while orders move loses and duplicates nothing;
 * a relay killed between publish and mark publishes again and the notifier sends no second
 * e-mail; a message that always fails ends in the dead letters and `oficina eventos reenviar`
 * brings it back; two relays keep each order's events in order; retention deletes only what it
 * should; a relay started before any notifier loses no event; the relay's and the notifier's
 * /metrics pass promtool.
 *
 * Every test first marks the outbox published, so the events other test binaries left behind
 * (they ran without a relay) are not its business; e-mails are told apart by their recipient, an
 * address unique to the test.
 */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "infrastructure/amqp/amqp_client.h"
#include "infrastructure/amqp/topologia.h"
#include "tests/support/api.h"
#include "tests/support/http_client.h"
#include "tests/support/pg_test.h"
#include "tests/support/server.h"
#include "tests/support/webdriver.h"

#define SENHA       "senha-eventos-123"
#define LINK_SECRET "segredo-dos-links-de-orcamento-para-testes-e2e"
#define ESPERA_MS   20000

static struct test_server srv, relay, relay2, notificador;
static char *admin;
static char env_base_url[128], env_amqp[256], env_smtp[256], env_link[128];
static PGconn *db;

/* ---- helpers ---- */

static PGresult *sql(const char *q, int n, const char *const *p)
{
	PGresult *r = PQexecParams(db, q, n, NULL, p, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		fail_msg("%s: %s", q, PQerrorMessage(db));
	return r;
}

static long sql_long(const char *q, int n, const char *const *p)
{
	PGresult *r = sql(q, n, p);
	long v = PQntuples(r) ? strtol(PQgetvalue(r, 0, 0), NULL, 10) : -1;
	PQclear(r);
	return v;
}

static int setup(void **state)
{
	(void)state;
	db = pg_test_connect(NULL);
	/* Events of the tests that ran before, without a relay, are none of this test's business.
	 */
	PQclear(sql("UPDATE eventos SET publicado_em = now() WHERE publicado_em IS NULL", 0, NULL));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_server_stop_all();
	free(admin);
	admin = NULL;
	PQfinish(db);
	db = NULL;
	return 0;
}

static void start_server(void)
{
	snprintf(env_link, sizeof env_link, "ORCAMENTO_LINK_SECRET=%s", LINK_SECRET);
	const char *env[] = {env_link, NULL};
	test_server_start(&srv, env);
	admin = staff_token(&srv, "admin", SENHA, NULL, NULL);
	snprintf(env_base_url, sizeof env_base_url, "PUBLIC_BASE_URL=%s", srv.base_url);
	snprintf(env_amqp, sizeof env_amqp, "AMQP_URL=%s", test_require_env("TEST_AMQP_URL"));
	snprintf(env_smtp, sizeof env_smtp, "SMTP_URL=%s", test_require_env("TEST_SMTP_URL"));
}

static void start_relay(struct test_server *r)
{
	const char *env[] = {env_amqp, NULL};
	test_process_start(r, "relay", "METRICS_PORT", env);
}

/* The notifier with extra settings (NULL-terminated, may be NULL), each replacing a default of
 * the same name (getenv would find the first of two). */
static void start_notificador(const char *const extra[])
{
	const char *defaults[] = {env_amqp,
	                          env_smtp,
	                          env_base_url,
	                          env_link,
	                          "SMTP_FROM=Oficina <oficina@teste.local>",
	                          "NOTIFICAR_ESPERA_MS=300",
	                          NULL};
	const char *env[16];
	size_t n = 0;
	for (size_t i = 0; defaults[i]; i++) {
		size_t len = strcspn(defaults[i], "=") + 1;
		bool trocado = false;
		for (size_t j = 0; extra && extra[j]; j++)
			trocado = trocado || strncmp(defaults[i], extra[j], len) == 0;
		if (!trocado)
			env[n++] = defaults[i];
	}
	for (size_t j = 0; extra && extra[j] && n < 15; j++)
		env[n++] = extra[j];
	env[n] = NULL;
	test_process_start(&notificador, "notificar", "METRICS_PORT", env);
}

/* The files of TEST_MAILDIR/new addressed to email (each is one e-mail); their texts if asked. */
static int emails_para(const char *email, char **ultimo)
{
	char dir[1024], path[2048], to[400];
	const char *maildir = test_require_env("TEST_MAILDIR");
	int n = 0;

	snprintf(dir, sizeof dir, "%s/new", maildir);
	snprintf(to, sizeof to, "<%s>", email);
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue;
		char *txt = calloc(1, 1 << 16);
		assert_non_null(txt);
		size_t len = fread(txt, 1, (1 << 16) - 1, f);
		fclose(f);
		txt[len] = '\0';
		char *linha_to = strstr(txt, "\nTo: ");
		char *fim = linha_to ? strchr(linha_to + 1, '\n') : NULL;
		if (linha_to && fim && memmem(linha_to, (size_t)(fim - linha_to), to, strlen(to))) {
			n++;
			if (ultimo) {
				free(*ultimo);
				*ultimo = txt;
				txt = NULL;
			}
		}
		free(txt);
	}
	closedir(d);
	return n;
}

/* Waits until at least n e-mails reached email; returns how many did. */
static int esperar_emails(const char *email, int n, long ms)
{
	long ate = mono_ms() + ms;
	int got;
	while ((got = emails_para(email, NULL)) < n && mono_ms() < ate)
		sleep_ms_(100);
	return got;
}

struct ordem_teste {
	char cliente[UUID_MAX], veiculo[UUID_MAX], peca[UUID_MAX], ordem[UUID_MAX];
	char email[EMAIL_MAX];
	char numero[32];
};

/* A customer with a unique e-mail, a vehicle, a part with estoque units, and an order for two of
 * them, walked to its budget when orcamento. */
static void ordem_nova(struct ordem_teste *t, int estoque, bool orcamento)
{
	char doc[CPF_MAX], placa[PLACA_MAX];
	struct http_response r;

	random_cpf(doc, false);
	random_email(t->email, "cliente-eventos");
	json_t *j = json_pack("{s:s, s:s, s:s}", "nome", "Maria Eventos", "documento", doc, "email",
	                      t->email);
	api_post_ok(&srv, "/api/clientes", admin, j, 201, t->cliente);
	json_decref(j);
	random_placa(placa, true);
	j = json_pack("{s:s, s:s, s:s, s:s, s:i}", "cliente_uuid", t->cliente, "placa", placa,
	              "marca", "Fiat", "modelo", "Argo", "ano", 2021);
	api_post_ok(&srv, "/api/veiculos", admin, j, 201, t->veiculo);
	json_decref(j);
	j = json_pack("{s:s, s:s, s:s, s:i}", "nome", "Pastilha de freio", "tipo", "PECA", "valor",
	              "120.50", "quantidade_estoque", estoque);
	api_post_ok(&srv, "/api/pecas", admin, j, 201, t->peca);
	json_decref(j);
	j = json_pack("{s:s, s:s, s:[{s:s, s:i}]}", "cliente_uuid", t->cliente, "veiculo_uuid",
	              t->veiculo, "pecas", "peca_uuid", t->peca, "quantidade", 2);
	api_post_ok(&srv, "/api/ordens", admin, j, 201, t->ordem);
	json_decref(j);
	api_call(&srv, "GET", pathf("/api/ordens/%s", t->ordem), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	snprintf(t->numero, sizeof t->numero, "%s", json_str(data_object(&r), "numero"));
	http_response_cleanup(&r);
	if (!orcamento)
		return;
	api_post_ok(&srv, pathf("/api/ordens/%s/diagnostico", t->ordem), admin, NULL, 200, NULL);
	api_post_ok(&srv, pathf("/api/ordens/%s/orcamento", t->ordem), admin, NULL, 200, NULL);
}

static long pendentes(void)
{
	return sql_long("SELECT count(*) FROM eventos WHERE publicado_em IS NULL", 0, NULL);
}

static void esperar_outbox_vazio(long ms)
{
	long ate = mono_ms() + ms;
	while (pendentes() > 0 && mono_ms() < ate)
		sleep_ms_(100);
	assert_int_equal(pendentes(), 0);
}

static int rabbitmq(const char *acao)
{
	const char *dir = test_require_env("TEST_RABBITMQ_DIR");
	const char *port = test_require_env("TEST_AMQP_PORT");
	const char *argv[] = {"scripts/rabbitmq.sh", acao, dir, port, NULL};
	if (strcmp(acao, "stop") == 0)
		argv[3] = NULL;
	return run_command(argv);
}

/* Runs `oficina ARGS` with the test's database and broker; its stdout in out (malloc'd). */
static int oficina_cli(const char *args, char **out)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "DATABASE_URL='%s' AMQP_URL='%s' %s %s 2>&1", test_database_url(),
	         test_require_env("TEST_AMQP_URL"), test_oficina_bin(), args);
	char *buf = malloc(1 << 16);
	assert_non_null(buf);
	int st = test_run_sh(cmd, buf, 1 << 16);
	if (out)
		*out = buf;
	else
		free(buf);
	return st;
}

/* The approval link in an e-mail's text (malloc'd). */
static char *link_do_email(const char *email_txt)
{
	const char *ini = strstr(email_txt, env_base_url + strlen("PUBLIC_BASE_URL="));
	assert_non_null(ini);
	size_t n = strcspn(ini, "\r\n ");
	char *link = strndup(ini, n);
	assert_non_null(strstr(link, "/orcamentos/"));
	return link;
}

/* ---- tests ---- */

static void test_orcamento__um_email_cujo_link_aprova_no_navegador(void **state)
{
	struct ordem_teste t;
	struct http_response r;
	char *txt = NULL;
	(void)state;

	start_server();
	start_relay(&relay);
	start_notificador(NULL);
	ordem_nova(&t, 5, true);

	assert_int_equal(esperar_emails(t.email, 1, ESPERA_MS), 1);
	assert_int_equal(emails_para(t.email, &txt), 1);
	assert_non_null(strstr(txt, t.numero));
	assert_non_null(strstr(txt, "241,00")); /* 2 x 120,50 */
	char *link = link_do_email(txt);

	struct webdriver *wd = webdriver_start();
	assert_non_null(wd);
	assert_int_equal(webdriver_open(wd, link), 0);
	char *pagina = webdriver_text(wd, "body");
	assert_non_null(pagina);
	assert_non_null(strstr(pagina, t.numero));
	assert_non_null(strstr(pagina, "Pastilha de freio"));
	assert_int_equal(webdriver_count(wd, "#aprovar"), 1);
	assert_int_equal(webdriver_count(wd, "#recusar"), 1);
	free(pagina);
	assert_int_equal(webdriver_click(wd, "#aprovar"), 0);
	/* The answer is a 303 to the same page, which then shows the decision. */
	long ate = mono_ms() + ESPERA_MS;
	pagina = NULL;
	while (mono_ms() < ate) {
		free(pagina);
		pagina = webdriver_text(wd, "body");
		if (pagina && strstr(pagina, "aprovado"))
			break;
		sleep_ms_(200);
	}
	assert_non_null(pagina);
	assert_non_null(strstr(pagina, "aprovado"));
	assert_int_equal(webdriver_count(wd, "#aprovar"), 0);
	free(pagina);
	webdriver_stop(wd);

	api_call(&srv, "GET", pathf("/api/ordens/%s", t.ordem), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_string_equal(json_str(data_object(&r), "status"), "EM_EXECUCAO");
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/pecas/%s", t.peca), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_int_equal(json_integer_value(json_object_get(data_object(&r), "quantidade_estoque")),
	                 3);
	http_response_cleanup(&r);

	/* The approval is confirmed by a second e-mail, and nothing more comes. */
	assert_int_equal(esperar_emails(t.email, 2, ESPERA_MS), 2);
	sleep_ms_(500);
	assert_int_equal(emails_para(t.email, NULL), 2);
	free(link);
	free(txt);
}

static void test_broker_parado__tudo_entregue_sem_duplicar(void **state)
{
	struct ordem_teste t[3];
	(void)state;

	start_server();
	start_relay(&relay);
	start_notificador(NULL);
	assert_int_equal(rabbitmq("stop"), 0);
	for (int i = 0; i < 3; i++)
		ordem_nova(&t[i], 5, true);
	sleep_ms_(1500);
	assert_true(pendentes() >= 3 * 4); /* created, diagnosis, budget status, budget */
	assert_int_equal(metric_value(&relay, "oficina_relay_broker_conectado"), 0);
	assert_int_equal(rabbitmq("start"), 0);

	esperar_outbox_vazio(60000);
	for (int i = 0; i < 3; i++)
		assert_int_equal(esperar_emails(t[i].email, 1, 30000), 1);
	sleep_ms_(1000);
	for (int i = 0; i < 3; i++)
		assert_int_equal(emails_para(t[i].email, NULL), 1);
}

static void test_relay_morto_entre_publicar_e_marcar__sem_segundo_email(void **state)
{
	struct ordem_teste t;
	(void)state;

	start_server();
	start_notificador(NULL);
	ordem_nova(&t, 5, true); /* no relay yet: its events wait */
	long antes = pendentes();
	assert_true(antes >= 4);

	/* This session locks the pending events: the relay publishes them, then waits to mark. */
	PGconn *trava = pg_test_connect(NULL);
	PQclear(PQexec(trava, "BEGIN"));
	PGresult *l = PQexec(trava, "SELECT id FROM eventos WHERE publicado_em IS NULL FOR UPDATE");
	assert_int_equal(PQresultStatus(l), PGRES_TUPLES_OK);
	PQclear(l);
	start_relay(&relay);
	assert_int_equal(esperar_emails(t.email, 1, ESPERA_MS), 1);
	long ate = mono_ms() + ESPERA_MS;
	while (sql_long("SELECT count(*) FROM pg_stat_activity WHERE application_name = "
	                "'oficina-relay' AND wait_event_type = 'Lock'",
	                0, NULL) < 1 &&
	       mono_ms() < ate)
		sleep_ms_(50);
	kill(relay.pid, SIGKILL);
	test_server_wait_exit(&relay, 5000);
	/* Its backend would still run the waiting UPDATE once the lock goes: end it, as a crash of
	 * the relay's host would. */
	PQclear(sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name "
	            "LIKE 'oficina-relay%'",
	            0, NULL));
	PQclear(PQexec(trava, "ROLLBACK"));
	PQfinish(trava);
	assert_int_equal(pendentes(), antes); /* published, never marked */

	start_relay(&relay);
	esperar_outbox_vazio(ESPERA_MS);
	ate = mono_ms() + ESPERA_MS;
	while (metric_value(&notificador, "oficina_notificador_duplicadas_total") < 1 &&
	       mono_ms() < ate)
		sleep_ms_(100);
	assert_true(metric_value(&notificador, "oficina_notificador_duplicadas_total") >= 1);
	assert_int_equal(emails_para(t.email, NULL), 1);
}

static void test_falha_sempre__dead_letter_e_reenviar_traz_de_volta(void **state)
{
	struct ordem_teste t;
	char *saida = NULL, uuid_evento[64];
	(void)state;

	start_server();
	start_relay(&relay);
	/* An SMTP server that is not there (nothing listens on port 1): every attempt fails. */
	const char *extra[] = {"SMTP_URL=smtp://127.0.0.1:1", "NOTIFICAR_MAX_TENTATIVAS=2", NULL};
	start_notificador(extra);
	ordem_nova(&t, 5, true);
	const char *p[] = {t.ordem};
	PGresult *r = sql("SELECT uuid FROM eventos WHERE tipo = 'orcamento.gerado' AND "
	                  "agregado_uuid = $1",
	                  1, p);
	assert_int_equal(PQntuples(r), 1);
	snprintf(uuid_evento, sizeof uuid_evento, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);

	long ate = mono_ms() + ESPERA_MS;
	while (metric_value(&notificador, "oficina_notificador_dead_letters_total") < 1 &&
	       mono_ms() < ate)
		sleep_ms_(100);
	assert_true(metric_value(&notificador, "oficina_notificador_dead_letters_total") >= 1);
	assert_true(metric_value(&notificador, "oficina_notificador_retries_total") >= 1);
	assert_int_equal(oficina_cli("eventos", &saida), 0);
	assert_non_null(strstr(saida, uuid_evento));
	assert_non_null(strstr(saida, "tentativas=2"));
	free(saida);
	assert_int_equal(emails_para(t.email, NULL), 0);

	/* The fix: the notifier with the right SMTP server; then the dead letters go back. */
	test_server_stop(&notificador);
	start_notificador(NULL);
	assert_int_equal(oficina_cli("eventos reenviar", &saida), 0);
	assert_non_null(strstr(saida, "reenviadas:"));
	free(saida);
	assert_int_equal(esperar_emails(t.email, 1, ESPERA_MS), 1);
	assert_int_equal(oficina_cli("eventos", &saida), 0);
	assert_null(strstr(saida, uuid_evento));
	free(saida);
}

/* Each order's events, as the broker delivered them to a queue bound to every type, must come
 * in the order of their ids (a duplicate may repeat one, never jump back before a later one). */
static void test_dois_relays__ordem_de_cada_ordem_mantida(void **state)
{
	struct amqp_client c = {0};
	struct ordem_teste t[4];
	char fila[64];
	(void)state;

	start_server();
	assert_int_equal(amqp_client_connect(&c, test_require_env("TEST_AMQP_URL"), 5000, false),
	                 0);
	snprintf(fila, sizeof fila, "teste.ordem.%d", (int)getpid());
	const struct amqp_fila q = {.nome = fila};
	assert_int_equal(topologia_declarar_eventos(&c), 0);
	assert_int_equal(amqp_client_declare_queue(&c, &q), 0);
	assert_int_equal(amqp_client_bind(&c, fila, EXCHANGE_EVENTOS, "#"), 0);
	start_relay(&relay);
	start_relay(&relay2);
	sleep_ms_(500);
	assert_int_equal(metric_value(&relay, "oficina_relay_lider") +
	                     metric_value(&relay2, "oficina_relay_lider"),
	                 1);
	for (int i = 0; i < 4; i++) {
		ordem_nova(&t[i], 5, true);
		if (i == 1) { /* the leader dies: the standby takes over */
			struct test_server *lider =
			    metric_value(&relay, "oficina_relay_lider") == 1 ? &relay : &relay2;
			kill(lider->pid, SIGKILL);
			test_server_wait_exit(lider, 5000);
		}
	}
	esperar_outbox_vazio(30000);

	/* Read what reached the queue; compare each order's sequence with the outbox's. */
	assert_int_equal(amqp_client_consume(&c, fila, 100), 0);
	char(*ids)[64] = calloc(4096, 64);
	assert_non_null(ids);
	int n = 0;
	struct amqp_entrega m;
	while (n < 4096 && amqp_client_next(&c, 1500, &m) == 1) {
		snprintf(ids[n++], 64, "%s", m.message_id);
		assert_int_equal(amqp_client_ack(&c, m.tag), 0);
		amqp_entrega_cleanup(&m);
	}
	for (int i = 0; i < 4; i++) {
		const char *p[] = {t[i].ordem};
		PGresult *r =
		    sql("SELECT uuid FROM eventos WHERE agregado_uuid = $1 ORDER BY id", 1, p);
		int prox = 0, total = PQntuples(r);
		for (int k = 0; k < n; k++) {
			/* Position of this message among the order's events, if it is one. */
			for (int e = 0; e < total; e++) {
				if (strcmp(ids[k], PQgetvalue(r, e, 0)) != 0)
					continue;
				if (e > prox)
					fail_msg("order %s: event %d arrived before event %d",
					         t[i].numero, e, prox);
				if (e == prox)
					prox++;
			}
		}
		assert_int_equal(prox, total); /* every event arrived */
		PQclear(r);
	}
	free(ids);
	amqp_client_close(&c);
}

static void test_manutencao__apaga_so_o_que_passou_da_retencao(void **state)
{
	(void)state;
	PQclear(sql("INSERT INTO eventos (tipo, dados, criado_em, publicado_em) VALUES "
	            "('teste.velho_publicado', '{}', now() - interval '41 days', now() - interval "
	            "'40 days'),"
	            "('teste.novo_publicado', '{}', now() - interval '2 days', now() - interval '1 "
	            "day'),"
	            "('teste.velho_pendente', '{}', now() - interval '40 days', NULL)",
	            0, NULL));
	PQclear(sql("INSERT INTO mensagens_processadas (consumidor, message_id, resultado, "
	            "processado_em) VALUES "
	            "('teste', gen_random_uuid(), 'enviado', now() - interval '40 days'),"
	            "('teste', gen_random_uuid(), 'enviado', now())",
	            0, NULL));
	PQclear(sql("INSERT INTO idempotency_keys (escopo, chave, request_hash, status, criado_em) "
	            "VALUES ('teste', 'velha', 'h', 201, now() - interval '25 hours'),"
	            "('teste', 'nova', 'h', 201, now())",
	            0, NULL));
	char *saida = NULL;
	assert_int_equal(oficina_cli("manutencao", &saida), 0);
	free(saida);
	assert_int_equal(
	    sql_long("SELECT count(*) FROM eventos WHERE tipo = 'teste.velho_publicado'", 0, NULL),
	    0);
	assert_int_equal(
	    sql_long("SELECT count(*) FROM eventos WHERE tipo = 'teste.novo_publicado'", 0, NULL),
	    1);
	assert_int_equal(
	    sql_long("SELECT count(*) FROM eventos WHERE tipo = 'teste.velho_pendente'", 0, NULL),
	    1);
	assert_int_equal(sql_long("SELECT count(*) FROM mensagens_processadas WHERE consumidor = "
	                          "'teste'",
	                          0, NULL),
	                 1);
	assert_int_equal(
	    sql_long("SELECT count(*) FROM idempotency_keys WHERE escopo = 'teste'", 0, NULL), 1);
	assert_int_equal(
	    sql_long("SELECT count(*) FROM idempotency_keys WHERE chave = 'nova'", 0, NULL), 1);
	PQclear(sql("DELETE FROM eventos WHERE tipo LIKE 'teste.%'", 0, NULL));
	PQclear(sql("DELETE FROM mensagens_processadas WHERE consumidor = 'teste'", 0, NULL));
	PQclear(sql("DELETE FROM idempotency_keys WHERE escopo = 'teste'", 0, NULL));
}

/*
 * The relay started alone, its queues gone (a first install where the relay comes up before the
 * notifier): the budget's event is not routed nowhere but waits in oficina.notificacoes, and the
 * notifier started afterwards e-mails it.
 */
static void test_relay_antes_do_notificador__evento_espera_na_fila(void **state)
{
	struct ordem_teste t;
	const char *dir = test_require_env("TEST_RABBITMQ_DIR");
	const char *apagar[] = {"scripts/rabbitmq.sh", "ctl", dir, "delete_queue",
	                        FILA_NOTIFICACOES,     NULL};
	(void)state;

	(void)run_command(apagar); /* fails only when no earlier test declared it: fine */
	start_server();
	start_relay(&relay);
	ordem_nova(&t, 5, true);
	esperar_outbox_vazio(ESPERA_MS);
	start_notificador(NULL);
	assert_int_equal(esperar_emails(t.email, 1, ESPERA_MS), 1);
}

/* The relay's and the notifier's /metrics are clean for promtool and carry process_* and the build.
 */
static void test_metricas__relay_e_notificador_aceitos_pelo_promtool(void **state)
{
	(void)state;
	start_relay(&relay);
	start_notificador(NULL);
	long ate = mono_ms() + ESPERA_MS;
	while (metric_value(&relay, "oficina_relay_broker_conectado") < 1 && mono_ms() < ate)
		sleep_ms_(100);
	assert_metrics_pass_promtool(&relay);
	assert_metrics_pass_promtool(&notificador);
	assert_true(metric_value(&relay, "process_resident_memory_bytes") > 1e6);
	assert_true(
	    metric_value(&notificador, "oficina_build_info{version=\"" OFICINA_VERSION "\"}") == 1);
}

/*
 * An AMQP_URL that is no amqp:// or amqps:// URL can never connect: the relay, the notifier and
 * `oficina eventos` refuse it at start with a line naming it and never its value (they used to
 * run on, logging "AMQP_URL inválida" on every attempt, the relay even reporting itself ready).
 */
static void test_amqp_url_invalida__recusada_na_partida_sem_mostrar_a_senha(void **state)
{
	static const char *const urls[] = {"http://guest:senha-do-broker-7@127.0.0.1:5672/",
	                                   "amqp://guest:senha-do-broker-7@127.0.0.1:porta/"};
	static const char *const comandos[] = {"relay", "notificar", "eventos"};
	(void)state;

	for (size_t u = 0; u < sizeof urls / sizeof urls[0]; u++)
		for (size_t c = 0; c < sizeof comandos / sizeof comandos[0]; c++) {
			char cmd[1024], saida[4096] = "";
			snprintf(
			    cmd, sizeof cmd,
			    "env -i PATH=/usr/bin:/bin DATABASE_URL='%s' AMQP_URL='%s' "
			    "METRICS_PORT=0 APP_ENV=development MAIL_DIR=/tmp timeout 5 %s %s 2>&1",
			    test_database_url(), urls[u], test_oficina_bin(), comandos[c]);
			test_command_refuses(cmd, "AMQP_URL", saida, sizeof saida);
			if (strstr(saida, "senha-do-broker-7"))
				fail_msg("oficina %s printed the broker's password: %s",
				         comandos[c], saida);
		}
}

/*
 * The links' origin: required outside development (an unset PUBLIC_BASE_URL sent every customer a
 * link to http://127.0.0.1:8080), and refused at start when no link made from it can open (a
 * trailing slash gave ".../orcamentos" as "//orcamentos", a 404; no scheme, no link).
 */
static void test_public_base_url__ausente_ou_invalida__notificador_recusa_na_partida(void **state)
{
	static const char *const valores[] = {"", "PUBLIC_BASE_URL=https://oficina.example.com/",
	                                      "PUBLIC_BASE_URL=oficina.example.com"};
	(void)state;

	for (size_t i = 0; i < sizeof valores / sizeof valores[0]; i++) {
		char cmd[1024], saida[4096] = "";
		snprintf(cmd, sizeof cmd,
		         "env -i PATH=/usr/bin:/bin DATABASE_URL='%s' AMQP_URL='%s' METRICS_PORT=0 "
		         "APP_ENV=production SMTP_URL=smtp://127.0.0.1:1 "
		         "ORCAMENTO_LINK_SECRET=%s %s timeout 5 %s notificar 2>&1",
		         test_database_url(), test_require_env("TEST_AMQP_URL"), LINK_SECRET,
		         valores[i], test_oficina_bin());
		test_command_refuses(cmd, "PUBLIC_BASE_URL", saida, sizeof saida);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_orcamento__um_email_cujo_link_aprova_no_navegador,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_broker_parado__tudo_entregue_sem_duplicar, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_relay_morto_entre_publicar_e_marcar__sem_segundo_email, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_falha_sempre__dead_letter_e_reenviar_traz_de_volta,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dois_relays__ordem_de_cada_ordem_mantida, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_manutencao__apaga_so_o_que_passou_da_retencao,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_relay_antes_do_notificador__evento_espera_na_fila,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_metricas__relay_e_notificador_aceitos_pelo_promtool, setup, teardown),
	    cmocka_unit_test(test_amqp_url_invalida__recusada_na_partida_sem_mostrar_a_senha),
	    cmocka_unit_test(
	        test_public_base_url__ausente_ou_invalida__notificador_recusa_na_partida),
	};
	return test_server_finish(cmocka_run_group_tests(tests, NULL, NULL));
}

/*
 * Integration tests of the PostgreSQL adapters of the repository, outbox and transaction ports
 * (infrastructure/postgres/pg_*_repo.c, pg_event_outbox.c) against a real database. The binary
 * creates one fresh database of the TEST_DATABASE_URL cluster, applies every .up.sql of migrations/
 * to it in order, and drops it at the end; each test starts from empty tables with its own
 * pg_session. Run from the repository root (scripts/test.sh does), where migrations/ is.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "domain/errors.h"
#include "domain/heap.h"
#include "infrastructure/postgres/pg_repos.h"
#include "infrastructure/postgres/pg_sessao_estados.h"
#include "infrastructure/postgres/pg_session.h"
#include "tests/support/pg_test.h"

#define UUID_ZERO "00000000-0000-4000-8000-000000000000"

/* What one test works with. */
struct fx {
	struct pg_session s;          /* the session under test */
	struct cliente_repo clientes; /* adapters over s */
	struct veiculo_repo veiculos;
	struct usuario_repo usuarios;
	struct event_outbox outbox;
	struct transaction tx;
	PGconn *admin; /* a second, plain connection to the same database */
};

/* ---- helpers ---- */

static void assert_rfc3339_utc(const char *s)
{
	regex_t re;
	int rc;

	assert_int_equal(regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
	                         REG_EXTENDED | REG_NOSUB),
	                 0);
	rc = regexec(&re, s, 0, NULL, 0);
	regfree(&re);
	if (rc != 0)
		fail_msg("not an RFC 3339 UTC timestamp: \"%s\"", s);
}

static void assert_uuid_text(const char *s)
{
	struct uuid u;

	assert_int_equal(strlen(s), UUID_LEN);
	assert_int_equal(uuid_parse(s, &u), 0);
	assert_string_equal(u.str, s); /* canonical lower case */
}

/* A valid CPF (11 digits) made from seed: nine base digits and the two check digits. */
static void cpf_from(unsigned seed, char out[CPF_DIGITOS + 1])
{
	int d[11], sum, rest;

	snprintf(out, CPF_DIGITOS + 1, "%09u", 100000000u + seed * 7919u % 800000000u);
	for (int i = 0; i < 9; i++)
		d[i] = out[i] - '0';
	for (int k = 9; k <= 10; k++) {
		sum = 0;
		for (int i = 0; i < k; i++)
			sum += d[i] * (k + 1 - i);
		rest = sum % 11;
		d[k] = rest < 2 ? 0 : 11 - rest;
	}
	for (int i = 0; i < 11; i++)
		out[i] = (char)('0' + d[i]);
	out[11] = '\0';
}

static void cliente_make(struct cliente *c, const char *nome, unsigned seed)
{
	memset(c, 0, sizeof *c);
	snprintf(c->nome, sizeof c->nome, "%s", nome);
	cpf_from(seed, c->documento);
	c->tipo_documento = TIPO_DOCUMENTO_CPF;
	c->ativo = true;
}

static void cliente_insert_ok(struct fx *f, struct cliente *c, const char *nome, unsigned seed)
{
	cliente_make(c, nome, seed);
	assert_int_equal(cliente_repo_insert(&f->clientes, c), 0);
}

static void veiculo_make(struct veiculo *v, const struct cliente *dono, const char *placa)
{
	memset(v, 0, sizeof *v);
	v->cliente_uuid = dono->uuid;
	snprintf(v->placa, sizeof v->placa, "%s", placa);
	snprintf(v->marca, sizeof v->marca, "%s", "Volkswagen");
	snprintf(v->modelo, sizeof v->modelo, "%s", "Gol");
	v->ano = 2015;
	v->ativo = true;
}

static void usuario_make(struct usuario *u, const char *email, enum perfil perfil)
{
	memset(u, 0, sizeof *u);
	snprintf(u->nome, sizeof u->nome, "%s", "Usuária Teste");
	snprintf(u->email, sizeof u->email, "%s", email);
	snprintf(u->senha_hash, sizeof u->senha_hash, "%s",
	         "$argon2id$v=19$m=65536,t=2,p=1$abc$def");
	u->perfil = perfil;
	u->ativo = true;
}

/* Moves a row's timestamps one hour back, so that a later now() is visibly different. */
static void backdate(PGconn *admin, const char *table, const struct uuid *id)
{
	char sql[160];
	const char *p[] = {id->str};

	snprintf(sql, sizeof sql,
	         "UPDATE %s SET criado_em = criado_em - interval '1 hour', "
	         "atualizado_em = atualizado_em - interval '1 hour' WHERE uuid = $1",
	         table);
	pg_test_exec(admin, sql, 1, p);
}

static long count_where_uuid(PGconn *admin, const char *sql, const struct uuid *id)
{
	const char *p[] = {id->str};
	return pg_test_query_long(admin, sql, 1, p);
}

/* ---- fixtures ---- */

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	assert_non_null(f);
	f->admin = pg_test_connect(pg_test_db.name);
	pg_test_exec(f->admin, "TRUNCATE eventos, veiculos, clientes, usuarios CASCADE", 0, NULL);
	pg_session_init(&f->s, &pg_test_db.cfg);
	pg_cliente_repo_init(&f->clientes, &f->s);
	pg_veiculo_repo_init(&f->veiculos, &f->s);
	pg_usuario_repo_init(&f->usuarios, &f->s);
	pg_event_outbox_init(&f->outbox, &f->s);
	pg_transaction_init(&f->tx, &f->s);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	transaction_rollback(&f->tx);
	pg_session_cleanup(&f->s);
	PQfinish(f->admin);
	free(f);
	return 0;
}

/* ---- sessao_estados ---- */

/* Whether states lists the account uuid. */
static bool listado(const struct sessao_estado *e, size_t n, const struct uuid *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].uuid, id->str) == 0)
			return true;
	return false;
}

/*
 * The registry lists a customer only while a token of theirs could still be refused: sessions
 * ended (a logout or a deactivation) within a token's longest life, 24 h (and 5 minutes for the
 * clocks). An older ending has no token left to refuse, and a customer with nothing against them
 * passes unlisted.
 */
static void test_sessao_estados__clientes_so_enquanto_um_token_pode_viver(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *nome;
		bool ativo;
		const char *fim; /* how long ago their sessions ended, NULL: never */
		bool listado;
	} casos[] = {{"Saiu há uma hora", true, "1 hour", true},
	             {"Saiu ontem cedo", true, "25 hours", false},
	             {"Desativado há duas horas", false, "2 hours", true},
	             {"Desativado no mês passado", false, "30 days", false},
	             {"Nada contra", true, NULL, false},
	             /* The edge: 24 h, plus 5 minutes for the clocks. */
	             {"Saiu há 23 h 50", true, "23 hours 50 minutes", true},
	             {"Saiu há 24 h 3", true, "24 hours 3 minutes", true},
	             {"Saiu há 24 h 10", true, "24 hours 10 minutes", false}};
	enum { CASOS = sizeof casos / sizeof casos[0] };
	struct uuid ids[CASOS];
	struct sessao_estados port;
	struct sessao_estado *e = NULL;
	size_t n = 0;

	for (size_t i = 0; i < CASOS; i++) {
		struct cliente c;
		cliente_make(&c, casos[i].nome, (unsigned)i + 1);
		c.ativo = casos[i].ativo;
		assert_int_equal(cliente_repo_insert(&f->clientes, &c), 0);
		ids[i] = c.uuid;
		if (casos[i].fim) {
			const char *p[] = {c.uuid.str, casos[i].fim};
			pg_test_exec(
			    f->admin,
			    "UPDATE clientes SET sessoes_desde = date_trunc('second', now()) - "
			    "$2::interval WHERE uuid = $1",
			    2, p);
		}
	}
	pg_sessao_estados_init(&port, &f->s);
	assert_int_equal(sessao_estados_carregar(&port, &e, &n), 0);
	for (size_t i = 0; i < CASOS; i++)
		if (listado(e, n, &ids[i]) != casos[i].listado)
			fail_msg("%s: listed %d, expected %d", casos[i].nome, !casos[i].listado,
			         casos[i].listado);
	heap_free(e);
}

/* ---- clientes ---- */

static void test_cliente_insert__define_uuid_e_datas_utc(void **state)
{
	struct fx *f = *state;
	struct cliente c;

	cliente_insert_ok(f, &c, "Maria da Silva", 1);
	assert_uuid_text(c.uuid.str);
	assert_rfc3339_utc(c.criado_em);
	assert_rfc3339_utc(c.atualizado_em);
	assert_string_equal(c.criado_em, c.atualizado_em);
	assert_int_equal(
	    count_where_uuid(f->admin, "SELECT count(*) FROM clientes WHERE uuid = $1", &c.uuid),
	    1);
}

static void test_cliente_find__roundtrip_de_todos_os_campos(void **state)
{
	struct fx *f = *state;
	struct cliente c, sem, got;

	memset(&c, 0, sizeof c);
	snprintf(c.nome, sizeof c.nome, "%s", "Oficina São João — Conceição Ünal 日本 🚗");
	snprintf(c.documento, sizeof c.documento, "%s", "11222333000181");
	c.tipo_documento = TIPO_DOCUMENTO_CNPJ;
	snprintf(c.email, sizeof c.email, "%s", "contato@sãojoão.com.br");
	snprintf(c.telefone, sizeof c.telefone, "%s", "+55 (11) 98765-4321");
	c.ativo = false;
	assert_int_equal(cliente_repo_insert(&f->clientes, &c), 0);

	memset(&got, 0x5a, sizeof got);
	assert_int_equal(cliente_repo_find_by_uuid(&f->clientes, &c.uuid, false, &got), 0);
	assert_string_equal(got.uuid.str, c.uuid.str);
	assert_string_equal(got.nome, "Oficina São João — Conceição Ünal 日本 🚗");
	assert_string_equal(got.documento, "11222333000181");
	assert_int_equal(got.tipo_documento, TIPO_DOCUMENTO_CNPJ);
	assert_string_equal(got.email, "contato@sãojoão.com.br");
	assert_string_equal(got.telefone, "+55 (11) 98765-4321");
	assert_false(got.ativo);
	assert_string_equal(got.criado_em, c.criado_em);
	assert_string_equal(got.atualizado_em, c.atualizado_em);

	/* Empty optional fields are stored as NULL and come back as "". */
	cliente_make(&sem, "José Sem Contato", 2);
	assert_int_equal(cliente_repo_insert(&f->clientes, &sem), 0);
	assert_int_equal(count_where_uuid(f->admin,
	                                  "SELECT count(*) FROM clientes WHERE uuid = $1 "
	                                  "AND email IS NULL AND telefone IS NULL",
	                                  &sem.uuid),
	                 1);
	memset(&got, 0x5a, sizeof got);
	assert_int_equal(cliente_repo_find_by_uuid(&f->clientes, &sem.uuid, false, &got), 0);
	assert_string_equal(got.email, "");
	assert_string_equal(got.telefone, "");
	assert_string_equal(got.documento, sem.documento);
	assert_int_equal(got.tipo_documento, TIPO_DOCUMENTO_CPF);
	assert_true(got.ativo);
}

static void test_cliente_find__uuid_desconhecido__notfound(void **state)
{
	struct fx *f = *state;
	struct cliente c, got;
	struct uuid id;

	cliente_insert_ok(f, &c, "Maria da Silva", 1);
	assert_int_equal(uuid_parse(UUID_ZERO, &id), 0);
	assert_int_equal(cliente_repo_find_by_uuid(&f->clientes, &id, false, &got), APP_ENOTFOUND);
}

static void test_cliente_insert__documento_duplicado__conflito(void **state)
{
	struct fx *f = *state;
	struct cliente a, b, got;

	cliente_insert_ok(f, &a, "Primeiro Dono", 7);
	cliente_make(&b, "Segundo Dono", 7);
	assert_int_equal(cliente_repo_insert(&f->clientes, &b), APP_ECONFLICT);
	assert_int_equal(pg_test_query_long(f->admin, "SELECT count(*) FROM clientes", 0, NULL), 1);
	/* The session is still usable after the error. */
	assert_int_equal(cliente_repo_find_by_uuid(&f->clientes, &a.uuid, false, &got), 0);
	assert_string_equal(got.nome, "Primeiro Dono");
}

static void test_cliente_update__altera_campos_e_atualizado_em(void **state)
{
	struct fx *f = *state;
	struct cliente c, outro, got, fantasma;
	char criado[TIMESTAMP_BYTES];

	cliente_insert_ok(f, &c, "Nome Antigo", 1);
	snprintf(c.email, sizeof c.email, "%s", "antigo@example.com");
	assert_int_equal(cliente_repo_update(&f->clientes, &c), 0);
	backdate(f->admin, "clientes", &c.uuid);
	assert_int_equal(cliente_repo_find_by_uuid(&f->clientes, &c.uuid, false, &c), 0);
	snprintf(criado, sizeof criado, "%s", c.criado_em);
	assert_string_equal(c.criado_em, c.atualizado_em);

	snprintf(c.nome, sizeof c.nome, "%s", "Nome Novo Ação");
	snprintf(c.documento, sizeof c.documento, "%s", "11222333000181");
	c.tipo_documento = TIPO_DOCUMENTO_CNPJ;
	c.email[0] = '\0'; /* cleared */
	snprintf(c.telefone, sizeof c.telefone, "%s", "11 3333-4444");
	c.ativo = false;
	assert_int_equal(cliente_repo_update(&f->clientes, &c), 0);
	assert_string_equal(c.criado_em, criado);
	assert_rfc3339_utc(c.atualizado_em);
	assert_true(strcmp(c.atualizado_em, criado) > 0);

	assert_int_equal(cliente_repo_find_by_uuid(&f->clientes, &c.uuid, false, &got), 0);
	assert_string_equal(got.nome, "Nome Novo Ação");
	assert_string_equal(got.documento, "11222333000181");
	assert_int_equal(got.tipo_documento, TIPO_DOCUMENTO_CNPJ);
	assert_string_equal(got.email, "");
	assert_string_equal(got.telefone, "11 3333-4444");
	assert_false(got.ativo);
	assert_string_equal(got.criado_em, criado);
	assert_string_equal(got.atualizado_em, c.atualizado_em);
	assert_int_equal(count_where_uuid(f->admin,
	                                  "SELECT count(*) FROM clientes WHERE uuid = $1 "
	                                  "AND email IS NULL",
	                                  &c.uuid),
	                 1);

	/* Taking another customer's documento is a conflict; an unknown uuid is not found. */
	cliente_insert_ok(f, &outro, "Outro Cliente", 2);
	snprintf(outro.documento, sizeof outro.documento, "%s", "11222333000181");
	outro.tipo_documento = TIPO_DOCUMENTO_CNPJ;
	assert_int_equal(cliente_repo_update(&f->clientes, &outro), APP_ECONFLICT);
	cliente_make(&fantasma, "Fantasma", 3);
	assert_int_equal(uuid_parse(UUID_ZERO, &fantasma.uuid), 0);
	assert_int_equal(cliente_repo_update(&f->clientes, &fantasma), APP_ENOTFOUND);
}

static void test_cliente_list__paginas_de_10(void **state)
{
	struct fx *f = *state;
	struct cliente c, out[10];
	struct cliente_filtro filtro = {0};
	struct uuid ids[25];
	size_t n;
	long total;
	int seen = 0;

	for (unsigned i = 0; i < 25; i++) {
		char nome[32];
		snprintf(nome, sizeof nome, "Cliente %02u", i);
		cliente_insert_ok(f, &c, nome, 100 + i);
		ids[i] = c.uuid;
	}
	for (long p = 1; p <= 3; p++) {
		struct pagina page = {.pagina = p, .por_pagina = 10};
		assert_int_equal(cliente_repo_list(&f->clientes, &filtro, &page, out, &n, &total),
		                 0);
		assert_int_equal(n, p < 3 ? 10 : 5);
		assert_int_equal(total, 25);
		for (size_t i = 0; i < n; i++, seen++) { /* oldest first, no gaps, no repeats */
			assert_string_equal(out[i].uuid.str, ids[seen].str);
			assert_rfc3339_utc(out[i].criado_em);
		}
	}
	assert_int_equal(seen, 25);

	struct pagina alem = {.pagina = 4, .por_pagina = 10};
	n = 99;
	total = -1;
	assert_int_equal(cliente_repo_list(&f->clientes, &filtro, &alem, out, &n, &total), 0);
	assert_int_equal(n, 0);
	assert_int_equal(total, 25);

	struct pagina longe = {.pagina = 1000, .por_pagina = 10};
	assert_int_equal(cliente_repo_list(&f->clientes, &filtro, &longe, out, &n, &total), 0);
	assert_int_equal(n, 0);
	assert_int_equal(total, 25);
}

static void test_cliente_list__vazia(void **state)
{
	struct fx *f = *state;
	struct cliente out[10];
	struct cliente_filtro filtro = {0};
	struct pagina page = {.pagina = 1, .por_pagina = 10};
	size_t n = 99;
	long total = -1;

	assert_int_equal(cliente_repo_list(&f->clientes, &filtro, &page, out, &n, &total), 0);
	assert_int_equal(n, 0);
	assert_int_equal(total, 0);
}

/* Lists with filtro on page 1 of 10 and checks the count and the names found (in order). */
static void assert_list_nomes(struct fx *f, const struct cliente_filtro *filtro, size_t esperado,
                              const char *const *nomes)
{
	struct cliente out[10];
	struct pagina page = {.pagina = 1, .por_pagina = 10};
	size_t n;
	long total;

	assert_int_equal(cliente_repo_list(&f->clientes, filtro, &page, out, &n, &total), 0);
	assert_int_equal(n, esperado);
	assert_int_equal(total, (long)esperado);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(out[i].nome, nomes[i]);
}

static void test_cliente_list__filtros_documento_e_nome(void **state)
{
	struct fx *f = *state;
	struct cliente a, b, c;
	struct cliente_filtro filtro = {0};

	cliente_insert_ok(f, &a, "Ana Paula Souza", 1);
	cliente_insert_ok(f, &b, "Bruno Souza", 2);
	cliente_insert_ok(f, &c, "Carla Mendes", 3);

	filtro.documento = b.documento;
	assert_list_nomes(f, &filtro, 1, (const char *const[]){"Bruno Souza"});
	filtro.documento = "00000000000";
	assert_list_nomes(f, &filtro, 0, NULL);

	filtro.documento = NULL;
	filtro.nome_parte = "souza";
	assert_list_nomes(f, &filtro, 2, (const char *const[]){"Ana Paula Souza", "Bruno Souza"});
	filtro.nome_parte = "SOUZA"; /* any case */
	assert_list_nomes(f, &filtro, 2, (const char *const[]){"Ana Paula Souza", "Bruno Souza"});
	filtro.nome_parte = "la men";
	assert_list_nomes(f, &filtro, 1, (const char *const[]){"Carla Mendes"});
	filtro.nome_parte = "xyz";
	assert_list_nomes(f, &filtro, 0, NULL);

	/* Both filters at once must both hold. */
	filtro.nome_parte = "souza";
	filtro.documento = a.documento;
	assert_list_nomes(f, &filtro, 1, (const char *const[]){"Ana Paula Souza"});
	filtro.documento = c.documento;
	assert_list_nomes(f, &filtro, 0, NULL);
}

static void test_cliente_list__metacaracteres_like_sao_literais(void **state)
{
	struct fx *f = *state;
	struct cliente c;
	struct cliente_filtro filtro = {0};

	cliente_insert_ok(f, &c, "Peças 100% Nacional", 1);
	cliente_insert_ok(f, &c, "Peças 1000 Nacional", 2);
	cliente_insert_ok(f, &c, "Auto_Center", 3);
	cliente_insert_ok(f, &c, "AutoXCenter", 4);
	cliente_insert_ok(f, &c, "Barra\\Pesada", 5);
	cliente_insert_ok(f, &c, "Barra Pesada", 6);

	filtro.nome_parte = "100%";
	assert_list_nomes(f, &filtro, 1, (const char *const[]){"Peças 100% Nacional"});
	filtro.nome_parte = "%";
	assert_list_nomes(f, &filtro, 1, (const char *const[]){"Peças 100% Nacional"});
	filtro.nome_parte = "o_c";
	assert_list_nomes(f, &filtro, 1, (const char *const[]){"Auto_Center"});
	filtro.nome_parte = "_";
	assert_list_nomes(f, &filtro, 1, (const char *const[]){"Auto_Center"});
	filtro.nome_parte = "a\\p";
	assert_list_nomes(f, &filtro, 1, (const char *const[]){"Barra\\Pesada"});
	filtro.nome_parte = "\\";
	assert_list_nomes(f, &filtro, 1, (const char *const[]){"Barra\\Pesada"});
	filtro.nome_parte = "peças";
	assert_list_nomes(f, &filtro, 2,
	                  (const char *const[]){"Peças 100% Nacional", "Peças 1000 Nacional"});
}

/* ---- veiculos ---- */

static void test_veiculo_insert_find_update__roundtrip(void **state)
{
	struct fx *f = *state;
	struct cliente dono, novo_dono;
	struct veiculo v, got;
	char criado[TIMESTAMP_BYTES];

	cliente_insert_ok(f, &dono, "Dono do Carro", 1);
	cliente_insert_ok(f, &novo_dono, "Novo Dono", 2);
	veiculo_make(&v, &dono, "ABC1D23");
	snprintf(v.cor, sizeof v.cor, "%s", "Azul-marinho metálico");
	assert_int_equal(veiculo_repo_insert(&f->veiculos, &v), 0);
	assert_uuid_text(v.uuid.str);
	assert_rfc3339_utc(v.criado_em);
	assert_rfc3339_utc(v.atualizado_em);

	memset(&got, 0x5a, sizeof got);
	assert_int_equal(veiculo_repo_find_by_uuid(&f->veiculos, &v.uuid, false, &got), 0);
	assert_string_equal(got.uuid.str, v.uuid.str);
	assert_string_equal(got.cliente_uuid.str, dono.uuid.str);
	assert_string_equal(got.placa, "ABC1D23");
	assert_string_equal(got.marca, "Volkswagen");
	assert_string_equal(got.modelo, "Gol");
	assert_int_equal(got.ano, 2015);
	assert_string_equal(got.cor, "Azul-marinho metálico");
	assert_true(got.ativo);
	assert_string_equal(got.criado_em, v.criado_em);

	backdate(f->admin, "veiculos", &v.uuid);
	assert_int_equal(veiculo_repo_find_by_uuid(&f->veiculos, &v.uuid, false, &v), 0);
	snprintf(criado, sizeof criado, "%s", v.criado_em);
	v.cliente_uuid = novo_dono.uuid;
	snprintf(v.placa, sizeof v.placa, "%s", "XYZ9876");
	snprintf(v.marca, sizeof v.marca, "%s", "Citroën");
	snprintf(v.modelo, sizeof v.modelo, "%s", "C3 Aircross");
	v.ano = 2027;
	v.cor[0] = '\0';
	v.ativo = false;
	assert_int_equal(veiculo_repo_update(&f->veiculos, &v), 0);
	assert_true(strcmp(v.atualizado_em, criado) > 0);

	assert_int_equal(veiculo_repo_find_by_uuid(&f->veiculos, &v.uuid, false, &got), 0);
	assert_string_equal(got.cliente_uuid.str, novo_dono.uuid.str);
	assert_string_equal(got.placa, "XYZ9876");
	assert_string_equal(got.marca, "Citroën");
	assert_string_equal(got.modelo, "C3 Aircross");
	assert_int_equal(got.ano, 2027);
	assert_string_equal(got.cor, "");
	assert_false(got.ativo);
	assert_string_equal(got.criado_em, criado);
	assert_string_equal(got.atualizado_em, v.atualizado_em);
	assert_int_equal(
	    count_where_uuid(
	        f->admin, "SELECT count(*) FROM veiculos WHERE uuid = $1 AND cor IS NULL", &v.uuid),
	    1);

	struct uuid id;
	assert_int_equal(uuid_parse(UUID_ZERO, &id), 0);
	assert_int_equal(veiculo_repo_find_by_uuid(&f->veiculos, &id, false, &got), APP_ENOTFOUND);
	v.uuid = id;
	assert_int_equal(veiculo_repo_update(&f->veiculos, &v), APP_ENOTFOUND);
}

static void test_veiculo_insert__placa_duplicada__conflito(void **state)
{
	struct fx *f = *state;
	struct cliente a, b;
	struct veiculo v1, v2;

	cliente_insert_ok(f, &a, "Primeiro Dono", 1);
	cliente_insert_ok(f, &b, "Segundo Dono", 2);
	veiculo_make(&v1, &a, "ABC1234");
	assert_int_equal(veiculo_repo_insert(&f->veiculos, &v1), 0);
	veiculo_make(&v2, &b, "ABC1234");
	assert_int_equal(veiculo_repo_insert(&f->veiculos, &v2), APP_ECONFLICT);

	/* And by update. */
	veiculo_make(&v2, &b, "DEF5678");
	assert_int_equal(veiculo_repo_insert(&f->veiculos, &v2), 0);
	snprintf(v2.placa, sizeof v2.placa, "%s", "ABC1234");
	assert_int_equal(veiculo_repo_update(&f->veiculos, &v2), APP_ECONFLICT);
	assert_int_equal(pg_test_query_long(f->admin, "SELECT count(*) FROM veiculos", 0, NULL), 2);
}

static void test_veiculo_insert__cliente_desconhecido__invalido(void **state)
{
	struct fx *f = *state;
	struct cliente fantasma, dono;
	struct veiculo v;

	memset(&fantasma, 0, sizeof fantasma);
	assert_int_equal(uuid_parse(UUID_ZERO, &fantasma.uuid), 0);
	veiculo_make(&v, &fantasma, "ABC1234");
	assert_int_equal(veiculo_repo_insert(&f->veiculos, &v), APP_EINVALID);
	assert_int_equal(pg_test_query_long(f->admin, "SELECT count(*) FROM veiculos", 0, NULL), 0);

	cliente_insert_ok(f, &dono, "Dono Real", 1);
	veiculo_make(&v, &dono, "ABC1234");
	assert_int_equal(veiculo_repo_insert(&f->veiculos, &v), 0);
	v.cliente_uuid = fantasma.uuid;
	assert_int_equal(veiculo_repo_update(&f->veiculos, &v), APP_EINVALID);
}

static void test_veiculo_list__por_cliente_e_placa(void **state)
{
	struct fx *f = *state;
	struct cliente a, b;
	struct veiculo v, out[10];
	struct veiculo_filtro filtro = {0};
	struct pagina page = {.pagina = 1, .por_pagina = 10};
	static const char *const placas_a[] = {"AAA1111", "AAA2B22", "AAA3333"};
	size_t n;
	long total;

	cliente_insert_ok(f, &a, "Dona de Três", 1);
	cliente_insert_ok(f, &b, "Dono de Um", 2);
	for (size_t i = 0; i < 3; i++) {
		veiculo_make(&v, &a, placas_a[i]);
		assert_int_equal(veiculo_repo_insert(&f->veiculos, &v), 0);
	}
	veiculo_make(&v, &b, "BBB1111");
	assert_int_equal(veiculo_repo_insert(&f->veiculos, &v), 0);

	assert_int_equal(veiculo_repo_list(&f->veiculos, &filtro, &page, out, &n, &total), 0);
	assert_int_equal(n, 4);
	assert_int_equal(total, 4);

	filtro.cliente_uuid = &a.uuid;
	assert_int_equal(veiculo_repo_list(&f->veiculos, &filtro, &page, out, &n, &total), 0);
	assert_int_equal(n, 3);
	assert_int_equal(total, 3);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(out[i].placa, placas_a[i]);
		assert_string_equal(out[i].cliente_uuid.str, a.uuid.str);
	}

	struct pagina p2 = {.pagina = 2, .por_pagina = 2};
	assert_int_equal(veiculo_repo_list(&f->veiculos, &filtro, &p2, out, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, 3);
	assert_string_equal(out[0].placa, "AAA3333");
	struct pagina p3 = {.pagina = 3, .por_pagina = 2};
	assert_int_equal(veiculo_repo_list(&f->veiculos, &filtro, &p3, out, &n, &total), 0);
	assert_int_equal(n, 0);
	assert_int_equal(total, 3);

	filtro.cliente_uuid = NULL;
	filtro.placa = "BBB1111";
	assert_int_equal(veiculo_repo_list(&f->veiculos, &filtro, &page, out, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, 1);
	assert_string_equal(out[0].cliente_uuid.str, b.uuid.str);

	filtro.cliente_uuid = &a.uuid; /* b's plate with a as owner: nothing */
	assert_int_equal(veiculo_repo_list(&f->veiculos, &filtro, &page, out, &n, &total), 0);
	assert_int_equal(n, 0);
	assert_int_equal(total, 0);
}

/* ---- usuarios ---- */

static void test_usuario_find_by_email__ignora_caixa(void **state)
{
	struct fx *f = *state;
	struct usuario u, got;

	usuario_make(&u, "Maria.Souza@Oficina.com.br", PERFIL_MECANICO);
	assert_int_equal(usuario_repo_insert(&f->usuarios, &u), 0);
	assert_uuid_text(u.uuid.str);
	assert_rfc3339_utc(u.criado_em);

	memset(&got, 0x5a, sizeof got);
	assert_int_equal(
	    usuario_repo_find_by_email(&f->usuarios, "maria.souza@oficina.com.br", &got), 0);
	assert_string_equal(got.uuid.str, u.uuid.str);
	assert_string_equal(got.email, "Maria.Souza@Oficina.com.br"); /* as stored */
	assert_string_equal(got.nome, "Usuária Teste");
	assert_string_equal(got.senha_hash, u.senha_hash);
	assert_int_equal(got.perfil, PERFIL_MECANICO);
	assert_true(got.ativo);
	assert_string_equal(got.criado_em, u.criado_em);
	assert_int_equal(
	    usuario_repo_find_by_email(&f->usuarios, "MARIA.SOUZA@OFICINA.COM.BR", &got), 0);
	assert_string_equal(got.uuid.str, u.uuid.str);

	assert_int_equal(usuario_repo_find_by_email(&f->usuarios, "outra@oficina.com.br", &got),
	                 APP_ENOTFOUND);
	assert_int_equal(usuario_repo_find_by_uuid(&f->usuarios, &u.uuid, false, &got), 0);
	assert_string_equal(got.email, u.email);
}

static void test_usuario_insert__email_em_outra_caixa__conflito(void **state)
{
	struct fx *f = *state;
	struct usuario a, b;

	usuario_make(&a, "admin@oficina.com.br", PERFIL_ADMIN);
	assert_int_equal(usuario_repo_insert(&f->usuarios, &a), 0);
	usuario_make(&b, "ADMIN@Oficina.COM.BR", PERFIL_ATENDENTE);
	assert_int_equal(usuario_repo_insert(&f->usuarios, &b), APP_ECONFLICT);

	usuario_make(&b, "atendente@oficina.com.br", PERFIL_ATENDENTE);
	assert_int_equal(usuario_repo_insert(&f->usuarios, &b), 0);
	snprintf(b.email, sizeof b.email, "%s", "Admin@oficina.com.br");
	assert_int_equal(usuario_repo_update(&f->usuarios, &b), APP_ECONFLICT);
	assert_int_equal(pg_test_query_long(f->admin, "SELECT count(*) FROM usuarios", 0, NULL), 2);
}

static void test_usuario_update_senha_hash__so_o_hash_muda(void **state)
{
	struct fx *f = *state;
	struct usuario u, outro, antes, got;
	struct uuid desconhecido = {UUID_ZERO};
	const char *novo = "$argon2id$v=19$m=19456,t=2,p=1$bm92b3NhbA$bm92b2RpZ2VzdA";
	const char *p[] = {novo};

	usuario_make(&u, "rehash@oficina.com.br", PERFIL_MECANICO);
	assert_int_equal(usuario_repo_insert(&f->usuarios, &u), 0);
	usuario_make(&outro, "outro@oficina.com.br", PERFIL_ATENDENTE);
	assert_int_equal(usuario_repo_insert(&f->usuarios, &outro), 0);
	backdate(f->admin, "usuarios", &u.uuid); /* so that a now() would show */
	assert_int_equal(usuario_repo_find_by_uuid(&f->usuarios, &u.uuid, false, &antes), 0);

	assert_int_equal(usuario_repo_update_senha_hash(&f->usuarios, &u.uuid, novo), 0);
	assert_int_equal(usuario_repo_find_by_uuid(&f->usuarios, &u.uuid, false, &got), 0);
	assert_string_equal(got.senha_hash, novo);
	assert_string_equal(got.atualizado_em, antes.atualizado_em); /* a login is not an edit */
	assert_string_equal(got.criado_em, antes.criado_em);
	assert_string_equal(got.nome, antes.nome);
	assert_string_equal(got.email, antes.email);
	assert_int_equal(got.perfil, antes.perfil);
	assert_int_equal(got.ativo, antes.ativo);

	assert_int_equal(usuario_repo_update_senha_hash(&f->usuarios, &desconhecido, novo),
	                 APP_ENOTFOUND);
	/* Only the row of u changed. */
	assert_int_equal(usuario_repo_find_by_uuid(&f->usuarios, &outro.uuid, false, &got), 0);
	assert_string_equal(got.senha_hash, outro.senha_hash);
	assert_int_equal(pg_test_query_long(
	                     f->admin, "SELECT count(*) FROM usuarios WHERE senha_hash = $1", 1, p),
	                 1);
}

/* ---- transactions and the outbox ---- */

static void evento_make(struct evento *ev, const struct cliente *c)
{
	memset(ev, 0, sizeof *ev);
	ev->tipo = "cliente.criado";
	ev->agregado_uuid = c->uuid.str;
	ev->correlation_id = "req-7f3a";
	ev->n = 4;
	ev->campos[0] = (struct evento_campo){"uuid", c->uuid.str, 0};
	ev->campos[1] = (struct evento_campo){"nome", c->nome, 0};
	ev->campos[2] = (struct evento_campo){"veiculos", "2", 1};
	ev->campos[3] = (struct evento_campo){"email", NULL, 0};
}

/* Where stdout went before capture_begin, and the file it goes to meanwhile. */
struct capture {
	int saved; /* dup of the original stdout */
	FILE *file;
};

static void capture_begin(struct capture *cap)
{
	fflush(stdout);
	cap->file = tmpfile();
	assert_non_null(cap->file);
	cap->saved = dup(STDOUT_FILENO);
	assert_true(cap->saved >= 0);
	assert_true(dup2(fileno(cap->file), STDOUT_FILENO) >= 0);
}

/* Restores stdout and reads what was written meanwhile into buf (size n). */
static void capture_end(struct capture *cap, char *buf, size_t n)
{
	size_t len;

	fflush(stdout);
	assert_true(dup2(cap->saved, STDOUT_FILENO) >= 0);
	close(cap->saved);
	rewind(cap->file);
	len = fread(buf, 1, n - 1, cap->file);
	buf[len] = '\0';
	fclose(cap->file);
}

static void test_transacao__rollback_descarta_linha_e_evento(void **state)
{
	struct fx *f = *state;
	struct cliente c;
	struct evento ev;
	struct capture cap;
	char out[4096];

	assert_int_equal(transaction_begin(&f->tx), 0);
	cliente_insert_ok(f, &c, "Cliente Desistente", 1);
	evento_make(&ev, &c);
	capture_begin(&cap);
	assert_int_equal(event_outbox_append(&f->outbox, &ev), 0);
	transaction_rollback(&f->tx);
	capture_end(&cap, out, sizeof out);

	assert_string_equal(out, ""); /* the event line is only logged on commit */
	assert_int_equal(pg_test_query_long(f->admin, "SELECT count(*) FROM clientes", 0, NULL), 0);
	assert_int_equal(pg_test_query_long(f->admin, "SELECT count(*) FROM eventos", 0, NULL), 0);
	/* Nothing was held back for a later commit either. */
	assert_int_equal(transaction_begin(&f->tx), 0);
	capture_begin(&cap);
	assert_int_equal(transaction_commit(&f->tx), 0);
	capture_end(&cap, out, sizeof out);
	assert_string_equal(out, "");
}

static void test_transacao__commit_grava_linha_e_evento(void **state)
{
	struct fx *f = *state;
	struct cliente c;
	struct evento ev;
	struct capture cap;
	char out[4096], txt[512];
	const char *p[1];

	assert_int_equal(transaction_begin(&f->tx), 0);
	cliente_insert_ok(f, &c, "Cliente Fiel Ção", 1);
	evento_make(&ev, &c);
	capture_begin(&cap);
	assert_int_equal(event_outbox_append(&f->outbox, &ev), 0);
	capture_end(&cap, out, sizeof out);
	assert_string_equal(out, ""); /* not before the commit */
	/* Another connection sees neither while the transaction is open. */
	assert_int_equal(pg_test_query_long(f->admin, "SELECT count(*) FROM eventos", 0, NULL), 0);
	assert_int_equal(pg_test_query_long(f->admin, "SELECT count(*) FROM clientes", 0, NULL), 0);

	capture_begin(&cap);
	assert_int_equal(transaction_commit(&f->tx), 0);
	capture_end(&cap, out, sizeof out);

	assert_int_equal(pg_test_query_long(f->admin, "SELECT count(*) FROM clientes", 0, NULL), 1);
	assert_int_equal(pg_test_query_long(f->admin, "SELECT count(*) FROM eventos", 0, NULL), 1);
	pg_test_query_text(f->admin,
	                   "SELECT tipo || '|' || agregado_uuid || '|' || correlation_id || '|' || "
	                   "jsonb_typeof(dados) || '|' || (publicado_em IS NULL) FROM eventos",
	                   0, NULL, txt, sizeof txt);
	char want[256];
	snprintf(want, sizeof want, "cliente.criado|%s|req-7f3a|object|true", c.uuid.str);
	assert_string_equal(txt, want);
	p[0] = c.uuid.str;
	assert_int_equal(
	    pg_test_query_long(f->admin,
	                       "SELECT count(*) FROM eventos WHERE dados = jsonb_build_object("
	                       "'uuid', $1::text, 'nome', 'Cliente Fiel Ção', 'veiculos', 2, "
	                       "'email', NULL)",
	                       1, p),
	    1);
	pg_test_query_text(f->admin, "SELECT jsonb_typeof(dados->'veiculos') FROM eventos", 0, NULL,
	                   txt, sizeof txt);
	assert_string_equal(txt, "number");

	/* One JSON line with the event type, its correlation id and the data. */
	assert_non_null(strstr(out, "\"event_type\":\"cliente.criado\""));
	assert_non_null(strstr(out, "\"correlation_id\":\"req-7f3a\""));
	assert_non_null(strstr(out, c.uuid.str));
	size_t lines = 0;
	for (const char *q = out; *q; q++)
		lines += *q == '\n';
	assert_int_equal(lines, 1);
}

static void test_transacao__erro_dentro__rollback_limpa(void **state)
{
	struct fx *f = *state;
	struct cliente a, b, got;

	cliente_insert_ok(f, &a, "Já Existe", 1);
	assert_int_equal(transaction_begin(&f->tx), 0);
	cliente_insert_ok(f, &b, "Novo na Transação", 2);
	cliente_make(&got, "Duplicado", 1);
	assert_int_equal(cliente_repo_insert(&f->clientes, &got), APP_ECONFLICT);
	transaction_rollback(&f->tx);
	assert_int_equal(pg_test_query_long(f->admin, "SELECT count(*) FROM clientes", 0, NULL), 1);
	/* The session works normally afterwards, in and out of a transaction. */
	assert_int_equal(cliente_repo_find_by_uuid(&f->clientes, &a.uuid, false, &got), 0);
	assert_int_equal(transaction_begin(&f->tx), 0);
	assert_int_equal(cliente_repo_find_by_uuid(&f->clientes, &a.uuid, true, &got), 0);
	assert_int_equal(transaction_commit(&f->tx), 0);
}

/* Whether another connection can lock the row of table with uuid id right now (NOWAIT). */
static bool lockable(PGconn *other, const char *table, const struct uuid *id)
{
	char sql[128];
	const char *p[] = {id->str};
	PGresult *r;
	bool ok;

	snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE uuid = $1 FOR UPDATE NOWAIT", table);
	pg_test_exec(other, "BEGIN", 0, NULL);
	r = PQexecParams(other, sql, 1, NULL, p, NULL, NULL, 0);
	ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
	if (!ok) /* lock_not_available */
		assert_string_equal(PQresultErrorField(r, PG_DIAG_SQLSTATE), "55P03");
	PQclear(r);
	pg_test_exec(other, "ROLLBACK", 0, NULL);
	return ok;
}

static void test_find_for_update__bloqueia_linha_ate_o_fim_da_transacao(void **state)
{
	struct fx *f = *state;
	struct cliente c, cgot;
	struct veiculo v, vgot;
	struct usuario u, ugot;

	cliente_insert_ok(f, &c, "Cliente Travado", 1);
	veiculo_make(&v, &c, "LCK1234");
	assert_int_equal(veiculo_repo_insert(&f->veiculos, &v), 0);
	usuario_make(&u, "lock@oficina.com.br", PERFIL_ATENDENTE);
	assert_int_equal(usuario_repo_insert(&f->usuarios, &u), 0);

	/* A plain find in a transaction takes no row lock. */
	assert_int_equal(transaction_begin(&f->tx), 0);
	assert_int_equal(cliente_repo_find_by_uuid(&f->clientes, &c.uuid, false, &cgot), 0);
	assert_int_equal(veiculo_repo_find_by_uuid(&f->veiculos, &v.uuid, false, &vgot), 0);
	assert_int_equal(usuario_repo_find_by_uuid(&f->usuarios, &u.uuid, false, &ugot), 0);
	assert_true(lockable(f->admin, "clientes", &c.uuid));
	assert_true(lockable(f->admin, "veiculos", &v.uuid));
	assert_true(lockable(f->admin, "usuarios", &u.uuid));
	transaction_rollback(&f->tx);

	assert_int_equal(transaction_begin(&f->tx), 0);
	assert_int_equal(cliente_repo_find_by_uuid(&f->clientes, &c.uuid, true, &cgot), 0);
	assert_string_equal(cgot.nome, "Cliente Travado");
	assert_int_equal(veiculo_repo_find_by_uuid(&f->veiculos, &v.uuid, true, &vgot), 0);
	assert_string_equal(vgot.placa, "LCK1234");
	assert_int_equal(usuario_repo_find_by_uuid(&f->usuarios, &u.uuid, true, &ugot), 0);
	assert_string_equal(ugot.email, "lock@oficina.com.br");
	assert_false(lockable(f->admin, "clientes", &c.uuid));
	assert_false(lockable(f->admin, "veiculos", &v.uuid));
	assert_false(lockable(f->admin, "usuarios", &u.uuid));
	assert_int_equal(transaction_commit(&f->tx), 0);

	assert_true(lockable(f->admin, "clientes", &c.uuid));
	assert_true(lockable(f->admin, "veiculos", &v.uuid));
	assert_true(lockable(f->admin, "usuarios", &u.uuid));

	struct uuid id;
	assert_int_equal(uuid_parse(UUID_ZERO, &id), 0);
	assert_int_equal(transaction_begin(&f->tx), 0);
	assert_int_equal(cliente_repo_find_by_uuid(&f->clientes, &id, true, &cgot), APP_ENOTFOUND);
	transaction_rollback(&f->tx);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_cliente_insert__define_uuid_e_datas_utc),
	    T(test_cliente_find__roundtrip_de_todos_os_campos),
	    T(test_cliente_find__uuid_desconhecido__notfound),
	    T(test_cliente_insert__documento_duplicado__conflito),
	    T(test_cliente_update__altera_campos_e_atualizado_em),
	    T(test_cliente_list__paginas_de_10),
	    T(test_cliente_list__vazia),
	    T(test_cliente_list__filtros_documento_e_nome),
	    T(test_cliente_list__metacaracteres_like_sao_literais),
	    T(test_veiculo_insert_find_update__roundtrip),
	    T(test_veiculo_insert__placa_duplicada__conflito),
	    T(test_veiculo_insert__cliente_desconhecido__invalido),
	    T(test_veiculo_list__por_cliente_e_placa),
	    T(test_usuario_find_by_email__ignora_caixa),
	    T(test_usuario_insert__email_em_outra_caixa__conflito),
	    T(test_usuario_update_senha_hash__so_o_hash_muda),
	    T(test_transacao__rollback_descarta_linha_e_evento),
	    T(test_transacao__commit_grava_linha_e_evento),
	    T(test_transacao__erro_dentro__rollback_limpa),
	    T(test_find_for_update__bloqueia_linha_ate_o_fim_da_transacao),
	    T(test_sessao_estados__clientes_so_enquanto_um_token_pode_viver),
	};
#undef T
	return cmocka_run_group_tests(tests, pg_test_group_migrated, pg_test_group_drop);
}

/* In-memory login attempts per CPF: the login_tentativas port for unit tests (tests/fakes). */
#include "tests/fakes/mem_login_tentativas.h"

#include <stdio.h>
#include <string.h>

#include "domain/documento.h"
#include "domain/errors.h"

struct linha {
	char cpf[CPF_DIGITOS + 1]; /* the digits */
	long tentativas;           /* attempts of the window */
	time_t janela_fim;         /* when it ends */
};

void mem_login_tentativas_init(struct mem_login_tentativas *m, time_t (*agora)(void))
{
	memset(m, 0, sizeof *m);
	mem_table_init(&m->rows, sizeof(struct linha));
	m->agora = agora;
}

void mem_login_tentativas_cleanup(struct mem_login_tentativas *m)
{
	if (m)
		mem_table_cleanup(&m->rows);
}

static struct linha *lookup(const struct mem_login_tentativas *m, const char *cpf)
{
	for (size_t i = 0; i < m->rows.n; i++) {
		struct linha *l = mem_table_at(&m->rows, i);
		if (strcmp(l->cpf, cpf) == 0)
			return l;
	}
	return NULL;
}

long mem_login_tentativas_count(const struct mem_login_tentativas *m, const char *cpf)
{
	const struct linha *l = lookup(m, cpf);
	return l && l->janela_fim > m->agora() ? l->tentativas : 0;
}

static int record(void *self, const char *cpf, long janela_s, struct login_tentativa *out)
{
	struct mem_login_tentativas *m = self;
	time_t agora = m->agora();
	struct linha *l;
	int rc;

	memset(out, 0, sizeof *out);
	m->records++;
	if ((rc = fake_fault_hit(&m->fault)) != 0)
		return rc;
	if (!(l = lookup(m, cpf))) {
		struct linha nova = {.tentativas = 0, .janela_fim = 0};
		snprintf(nova.cpf, sizeof nova.cpf, "%s", cpf);
		if ((rc = mem_table_append(&m->rows, &nova)) != 0)
			return rc;
		l = lookup(m, cpf);
	}
	/* As the upsert: a window that has ended (or none) starts again with this attempt. */
	if (l->janela_fim <= agora) {
		l->tentativas = 1;
		l->janela_fim = agora + janela_s;
	} else {
		l->tentativas++;
	}
	out->tentativas = l->tentativas;
	out->restante_s = (long)(l->janela_fim - agora);
	return 0;
}

static int clear(void *self, const char *cpf)
{
	struct mem_login_tentativas *m = self;
	struct linha *l;
	int rc;

	m->clears++;
	if ((rc = fake_fault_hit(&m->fault)) != 0)
		return rc;
	if ((l = lookup(m, cpf))) { /* the last row takes its place */
		memmove(l, mem_table_at(&m->rows, m->rows.n - 1), sizeof *l);
		m->rows.n--;
	}
	return 0;
}

static const struct login_tentativas_ops ops = {
    .record = record,
    .clear = clear,
};

void mem_login_tentativas_port(struct mem_login_tentativas *m, struct login_tentativas *port)
{
	port->ops = &ops;
	port->self = m;
}

/* Ports without an in-memory version: every call fails (tests/fakes). */
#include "tests/fakes/fake_unavailable.h"

#include "domain/errors.h"

static int claim(void *self, const char *escopo, const char *chave, const void *body, size_t len,
                 enum idempotency_state *state, struct idempotency_answer *ans)
{
	(void)self, (void)escopo, (void)chave, (void)body, (void)len, (void)state, (void)ans;
	return APP_EUNAVAILABLE;
}

static int complete(void *self, const char *escopo, const char *chave, int status, const char *body,
                    const char *location)
{
	(void)self, (void)escopo, (void)chave, (void)status, (void)body, (void)location;
	return APP_EUNAVAILABLE;
}

static int release(void *self, const char *escopo, const char *chave)
{
	(void)self, (void)escopo, (void)chave;
	return APP_EUNAVAILABLE;
}

static const struct idempotency_store_ops idempotency_ops = {
    .claim = claim, .find = claim, .complete = complete, .release = release};

static int tempo_medio(void *self, const struct periodo *p, struct relatorio_tempo_medio *out)
{
	(void)self, (void)p, (void)out;
	return APP_EUNAVAILABLE;
}

static int volume_diario(void *self, const struct periodo *p, struct volume_dia *out, size_t max,
                         size_t *n)
{
	(void)self, (void)p, (void)out, (void)max;
	*n = 0;
	return APP_EUNAVAILABLE;
}

static const struct relatorios_ops relatorios_ops = {.tempo_medio = tempo_medio,
                                                     .volume_diario = volume_diario};

static int verify(const void *self, const void *body, size_t len, const char *assinatura)
{
	(void)self, (void)body, (void)len, (void)assinatura;
	return APP_EUNAUTHORIZED;
}

static const struct assinatura_ops assinatura_ops = {.verify = verify};

/* As a server without ORCAMENTO_LINK_SECRET: no link is worth anything. */
static enum orcamento_link_veredito link_verify(const void *self, const char *token, int64_t agora,
                                                struct uuid *ordem)
{
	(void)self, (void)token, (void)agora;
	ordem->str[0] = '\0';
	return LINK_DESATIVADO;
}

static const struct orcamento_link_ops orcamento_link_ops = {.verify = link_verify};

void fake_unavailable_ports(struct app *app)
{
	app->idempotencia = (struct idempotency_store){&idempotency_ops, NULL};
	app->relatorios = (struct relatorios){&relatorios_ops, NULL};
	app->webhook = (struct assinatura){&assinatura_ops, NULL};
	app->orcamento_link = (struct orcamento_link){&orcamento_link_ops, NULL};
}

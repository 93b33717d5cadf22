/* Commands of the stock ledger (application layer). */
#include "application/commands/comandos_estoque.h"

#include <stdio.h>
#include <string.h>

#include "application/commands/evento.h"
#include "application/commands/unit_of_work.h"
#include "domain/errors.h"
#include "domain/texto.h"

#define MOTIVO_ORDEM_PADRAO "retirada para a ordem de serviço"

int movimentar_estoque_na_transacao(const struct app *app, const struct app_caller *who,
                                    struct movimento *m)
{
	char quantidade[16], saldo[16], minimo_txt[16];
	struct evento ev;
	int minimo = 0, rc;

	rc = estoque_repo_apply_movimento(&app->estoque, m, who ? who->correlation_id : NULL,
	                                  &minimo);
	if (rc != 0)
		return rc;
	snprintf(quantidade, sizeof quantidade, "%d", m->quantidade);
	snprintf(saldo, sizeof saldo, "%d", m->saldo);
	evento_init(&ev, "estoque.movimentado", m->peca_uuid.str, who);
	evento_texto(&ev, "uuid", m->uuid.str);
	evento_texto(&ev, "peca_uuid", m->peca_uuid.str);
	evento_numero(&ev, "quantidade", quantidade);
	evento_numero(&ev, "saldo", saldo);
	evento_texto(&ev, "motivo", m->motivo);
	evento_texto(&ev, "ordem_uuid", m->ordem_uuid.str[0] ? m->ordem_uuid.str : NULL);
	if ((rc = event_outbox_append(&app->eventos, &ev)) != 0)
		return rc;

	/* Crossing the minimum, not being under it: one alert per fall, not one per withdrawal. */
	long antes = (long)m->saldo - m->quantidade;
	if (antes >= minimo && m->saldo < minimo) {
		snprintf(minimo_txt, sizeof minimo_txt, "%d", minimo);
		evento_init(&ev, "estoque.abaixo_do_minimo", m->peca_uuid.str, who);
		evento_texto(&ev, "peca_uuid", m->peca_uuid.str);
		evento_numero(&ev, "saldo", saldo);
		evento_numero(&ev, "estoque_minimo", minimo_txt);
		rc = event_outbox_append(&app->eventos, &ev);
	}
	return rc;
}

/* Names the part and its balance in a "quantidade" entry of fe, for the 409 of a short stock. */
static void explicar_falta(const struct app *app, const struct movimento *m,
                           struct field_errors *fe)
{
	struct peca p;
	char nome[80], msg[160];

	if (peca_repo_find_by_uuid(&app->pecas, &m->peca_uuid, false, &p) != 0) {
		field_errors_add(fe, "quantidade", "estoque insuficiente");
		return;
	}
	texto_trim(p.nome, nome, sizeof nome); /* cut at a whole character */
	if (m->quantidade < 0)
		snprintf(msg, sizeof msg,
		         "estoque insuficiente da peça \"%s\": saldo %d, retirada %d", nome,
		         p.quantidade_estoque, -m->quantidade);
	else
		snprintf(msg, sizeof msg, "o saldo da peça \"%s\" passaria do máximo", nome);
	field_errors_add(fe, "quantidade", msg);
}

int movimentar_estoque(const struct app *app, const struct app_caller *who,
                       const struct uuid *peca_uuid, bool quantidade_given, long quantidade,
                       const char *motivo, struct field_errors *fe, struct movimento *out)
{
	struct movimento m;
	int rc;

	memset(&m, 0, sizeof m);
	if (movimento_validar(quantidade_given, quantidade, motivo, m.motivo, sizeof m.motivo,
	                      fe) != 0)
		return APP_EINVALID;
	m.peca_uuid = *peca_uuid;
	m.quantidade = (int)quantidade;
	if ((rc = transaction_begin(&app->tx)) != 0)
		return rc;
	rc = movimentar_estoque_na_transacao(app, who, &m);
	if (rc == APP_ECONFLICT)
		explicar_falta(app, &m, fe);
	rc = uow_finish(app, rc);
	if (rc == 0)
		*out = m;
	return rc;
}

int retirar_estoque_na_transacao(const struct app *app, const struct app_caller *who,
                                 const struct uuid *peca, int quantidade, const struct uuid *ordem,
                                 const char *motivo, struct movimento *out)
{
	struct movimento m;
	int rc;

	if (quantidade <= 0 || quantidade > PECA_QUANTIDADE_MAX)
		return APP_EINVALID;
	if (!motivo)
		motivo = MOTIVO_ORDEM_PADRAO;
	if (strlen(motivo) >= sizeof m.motivo)
		return APP_EINVALID;
	memset(&m, 0, sizeof m);
	m.peca_uuid = *peca;
	m.quantidade = -quantidade;
	memcpy(m.motivo, motivo, strlen(motivo) + 1);
	if (ordem)
		m.ordem_uuid = *ordem;
	rc = movimentar_estoque_na_transacao(app, who, &m);
	if (rc == 0 && out)
		*out = m;
	return rc;
}

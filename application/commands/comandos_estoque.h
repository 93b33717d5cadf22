/*
 * Commands of the stock ledger (application layer, SPEC §5 "Peças e insumos"). Every change of a
 * part's balance is a movement row written together with the new balance; the balance never goes
 * below zero, also when many requests race for one part. Each movement emits estoque.movimentado
 * {peca_uuid, quantidade, saldo, motivo, ordem_uuid} and, when it takes the balance from at least
 * the part's minimum to below it, estoque.abaixo_do_minimo {peca_uuid, saldo, estoque_minimo}.
 */
#ifndef OFICINA_APPLICATION_COMMANDS_COMANDOS_ESTOQUE_H
#define OFICINA_APPLICATION_COMMANDS_COMANDOS_ESTOQUE_H

#include "application/app.h"

/*
 * A manual movement of part peca_uuid in its own transaction: quantidade is a non-zero number of
 * units (negative for a withdrawal), motivo 1..MOTIVO_MAX characters. quantidade_given false
 * means the request did not carry it as an integer. On 0, *out is the movement (uuid, saldo,
 * criado_em, ...). Returns:
 *   APP_EINVALID   bad quantidade or motivo (entries in fe);
 *   APP_ENOTFOUND  no such part;
 *   APP_ECONFLICT  the balance would go below zero: fe gets a "quantidade" entry naming the part
 *                  and its balance, and nothing changed;
 *   APP_EUNAVAILABLE.
 */
int movimentar_estoque(const struct app *app, const struct app_caller *who,
                       const struct uuid *peca_uuid, bool quantidade_given, long quantidade,
                       const char *motivo, struct field_errors *fe, struct movimento *out);

/*
 * Takes quantidade (> 0) units of part peca out of stock on behalf of order ordem (may be NULL),
 * inside the CALLER's transaction: it neither begins nor commits nor rolls back. It records the
 * movement (quantidade -quantidade, ordem_uuid, motivo; NULL motivo: "retirada para a ordem de
 * serviço") and appends the same events as movimentar_estoque to the caller's transaction, so
 * that they land or vanish with the caller's own change. For an order's approval call it once per
 * part line and roll back the whole transaction when any call fails.
 * Returns 0 (*out filled, may be NULL) or:
 *   APP_ECONFLICT  not enough stock; this call changed nothing and the transaction is still
 *                  usable (to look at other parts, or to name the part through app->pecas);
 *   APP_ENOTFOUND  no such part (transaction still usable);
 *   APP_EINVALID   quantidade <= 0 or above PECA_QUANTIDADE_MAX, or motivo too long;
 *   APP_EUNAVAILABLE / APP_EINTERNAL  the transaction is broken: roll it back.
 * Concurrency: the movement locks the part's row until the caller's transaction ends, so two
 * approvals withdrawing the same part serialise on it and the second sees the first's balance.
 */
int retirar_estoque_na_transacao(const struct app *app, const struct app_caller *who,
                                 const struct uuid *peca, int quantidade, const struct uuid *ordem,
                                 const char *motivo, struct movimento *out);

/*
 * Records movement m (peca_uuid, quantidade, motivo, ordem_uuid set; the rest filled on 0) and
 * its events inside the caller's transaction. The building block of the two functions above
 * and of criar_peca; no validation of m. Codes as the port's movimentar.
 */
int movimentar_estoque_na_transacao(const struct app *app, const struct app_caller *who,
                                    struct movimento *m);

#endif

/*
 * Money as whole centavos (domain layer, no I/O). Never floating point: input is the text of a
 * JSON string ("150.00", "150", "150.5") or of a JSON number literal (150, 150.5, 150.25), with at
 * most two decimals; output is always two decimals ("150.00").
 */
#ifndef OFICINA_DOMAIN_DINHEIRO_H
#define OFICINA_DOMAIN_DINHEIRO_H

#include <stdint.h>

#define DINHEIRO_MAX_CENTAVOS 99999999999LL /* R$ 999 999 999,99: bounds every sum we make */
#define DINHEIRO_TEXTO_MAX    24
#define DINHEIRO_REAIS_MAX    32 /* "-92.233.720.368.547.758,08" and its NUL */

/*
 * Parses text (digits, optionally "." and one or two decimals; no sign, exponent, spaces or
 * thousands separators) into *centavos. 0, or APP_EINVALID for anything else, a negative value or
 * more than DINHEIRO_MAX_CENTAVOS.
 */
int dinheiro_parse(const char *text, int64_t *centavos);

/* Writes centavos as "1234.50" into out. Negative values get a leading "-". */
void dinheiro_format(int64_t centavos, char out[DINHEIRO_TEXTO_MAX]);

/*
 * Writes centavos as Brazilians read money, "1.234,56" (thousands with ".", decimals with ","),
 * into out; negative values get a leading "-". The currency sign is the caller's: "R$ " in an
 * e-mail, "R$&nbsp;" in a page.
 */
void dinheiro_reais(int64_t centavos, char out[DINHEIRO_REAIS_MAX]);

#endif

/*
 * A vehicle's licence plate (domain layer, value object, libc only). Plates are typed in many ways
 * ("abc-1234", " ABC 1D23 "), so they are normalised to one canonical form before they are stored
 * or compared; that is what makes a plate unique however it was typed.
 */
#ifndef OFICINA_DOMAIN_PLACA_H
#define OFICINA_DOMAIN_PLACA_H

#define PLACA_MAX 8 /* 7 characters + NUL */

/* What a user is told of a plate placa_normalizar refuses, wherever it was typed. */
#define PLACA_INVALIDA "placa inválida: use AAA9999 ou AAA9A99"

/*
 * Normalises a plate into out (caller-owned, PLACA_MAX bytes): leading and trailing ASCII
 * whitespace is ignored, ASCII letters are upper-cased, and '-' and ' ' are dropped wherever they
 * are. What is left must be the old format AAA9999 or the Mercosul format AAA9A99 (A an ASCII
 * letter, 9 a digit). Returns 0, or APP_EINVALID (also for in == NULL or any other character,
 * accented letters included), in which case out is set to "".
 */
int placa_normalizar(const char *in, char out[PLACA_MAX]);

#endif

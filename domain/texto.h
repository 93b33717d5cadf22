/*
 * Small text rules shared by several entities (domain layer, libc only): lengths counted in
 * characters (UTF-8 code points, so "José" is 4, not 5), trimming, e-mail and telephone shapes,
 * and the tables that name an enum's values.
 * "Whitespace" here always means ASCII whitespace (space, \t, \n, \v, \f, \r), never the locale's.
 * Every function accepts a NULL input string and treats it as invalid (or empty).
 */
#ifndef OFICINA_DOMAIN_TEXTO_H
#define OFICINA_DOMAIN_TEXTO_H

#include <stddef.h>

#define EMAIL_MAX       254 /* bytes, RFC 5321 path limit less the angle brackets */
#define EMAIL_LOCAL_MAX 64  /* bytes before the '@' */
#define TELEFONE_MAX    25  /* bytes */

/*
 * Number of code points in s, a valid UTF-8 string; 0 for NULL. For a string that is not valid
 * UTF-8 the result is the number of bytes that are not continuation bytes: check utf8_valido first
 * when that matters.
 */
size_t utf8_length(const char *s);

/*
 * 1 when s is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF, no
 * truncated sequence), else 0 (also for NULL).
 */
int utf8_valido(const char *s);

/*
 * 1 when s, ignoring its leading and trailing whitespace, is valid UTF-8 with no ASCII control
 * character (0x00-0x1F, 0x7F) and between min and max code points, both inclusive; else 0 (also for
 * NULL). A string of whitespace only has length 0.
 */
int texto_tamanho_valido(const char *s, size_t min, size_t max);

/*
 * 1 when s looks like an e-mail address, else 0 (also for NULL): at most EMAIL_MAX bytes, valid
 * UTF-8, no space or control character, exactly one '@', a local part of 1 to EMAIL_LOCAL_MAX
 * bytes, and a domain that contains a '.', neither starts nor ends with one, and has no "..". The
 * string is checked as given: trim it first (texto_trim) when surrounding whitespace should be
 * forgiven.
 */
int email_valido(const char *s);

/* What a user is told of an address email_valido refuses (a customer's, a user's). */
#define EMAIL_INVALIDO "e-mail inválido"

/*
 * 1 when s looks like a telephone number, else 0 (also for NULL): at most TELEFONE_MAX bytes, only
 * digits, ' ', '(', ')', '-' and a '+' that may only be the first character, and 8 to 15 digits in
 * all (a local number without area code up to the E.164 maximum). Checked as given, like email.
 */
int telefone_valido(const char *s);

/*
 * Copies in to out (caller-owned, out_size bytes) without its leading and trailing whitespace and
 * always NUL-terminates it when out_size > 0. When the result does not fit it is cut at the last
 * whole UTF-8 character that fits (and any whitespace this leaves at the end is trimmed too), so
 * out never ends in half a character. NULL in gives "". in and out may be the same buffer.
 */
void texto_trim(const char *in, char *out, size_t out_size);

/* 1 when s is NULL, empty or only whitespace (what texto_trim turns into ""), else 0. */
int texto_vazio(const char *s);

/*
 * An enum's names as a table indexed by its values ({[VALOR] = "NOME", ...}; unnamed values are
 * NULL), read both ways. texto_nome: nomes[i], or "" for an index outside 0..n-1 or an unnamed
 * value. texto_nome_indice: the value whose name is s (compared exactly), or -1 when s is NULL or
 * no name.
 */
const char *texto_nome(const char *const *nomes, size_t n, int i);
int texto_nome_indice(const char *const *nomes, size_t n, const char *s);

#endif

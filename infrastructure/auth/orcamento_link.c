/*
 * The signed token of a budget's approval link (infrastructure layer, libsodium): signing, and the
 * strict check of orcamento_link.h. The token is read by exact positions — a canonical lower-case
 * uuid, '.', the expiry in canonical decimal (no sign, no leading zero), '.', exactly 43 characters
 * of unpadded base64url — so that one order and one expiry have exactly one token text, and
 * nothing else (a JWT, a truncated or padded copy, another case) gets as far as the MAC.
 *
 * The MAC is HMAC-SHA256 under ORCAMENTO_LINK_SECRET of
 *     "oficina.orcamento-link.v1|<uuid>|<expiry>"
 * whose first part names the purpose and the version: a MAC made for anything else with the same
 * key (a future kind of link) is never a valid budget link.
 */
#include "infrastructure/auth/orcamento_link.h"

#include <inttypes.h>
#include <stdbool.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define PROPOSITO          "oficina.orcamento-link.v1"
#define MAC_BYTES          crypto_auth_hmacsha256_BYTES /* 32 */
#define MAC_TEXTO          43                           /* unpadded base64url of MAC_BYTES */
#define EXPIRA_DIGITOS_MAX 19                           /* INT64_MAX has 19 digits */
#define VARIANTE           sodium_base64_VARIANT_URLSAFE_NO_PADDING

/* Whether s starts with a canonical lower-case uuid (8-4-4-4-12); reads at most UUID_LEN bytes. */
static bool uuid_canonico(const char *s)
{
	for (size_t i = 0; i < UUID_LEN; i++) {
		char c = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return false;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
			return false; /* the NUL of a short string included */
		}
	}
	return true;
}

/*
 * Whether the n characters at s are all of the base64url alphabet. libsodium 1.0.18's decoder
 * reads every byte from 0x80 up as '_' (a sign-extended char in its constant-time lookup), so
 * without this check a MAC with a '_' would also pass written with any of those 128 bytes.
 */
static bool base64url(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* Whether the secret may sign and verify: present and at least ORCAMENTO_LINK_SECRET_MIN bytes. */
static bool segredo_usavel(const char *secret, size_t secret_len)
{
	return secret && secret_len >= ORCAMENTO_LINK_SECRET_MIN;
}

/* HMAC-SHA256 of PROPOSITO "|" uuid "|" expira[0..expira_len) with the secret into out. */
static void calcular_mac(const char *secret, size_t secret_len, const char *uuid,
                         const char *expira, size_t expira_len, unsigned char out[MAC_BYTES])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, secret_len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)PROPOSITO "|",
	                              sizeof PROPOSITO "|" - 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)uuid, UUID_LEN);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)"|", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)expira, expira_len);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof st);
}

/*
 * A secret shorter than ORCAMENTO_LINK_SECRET_MIN (the empty one included) signs nothing: out is
 * then "" (and so is it for an unset uuid), a link that leads nowhere rather than one anybody
 * could forge. A negative expira_em is taken as 0: a token already expired.
 */
void orcamento_link_assinar(const char *secret, size_t secret_len, const struct uuid *ordem,
                            int64_t expira_em, char out[ORCAMENTO_LINK_TOKEN_MAX])
{
	unsigned char mac[MAC_BYTES];
	char expira[EXPIRA_DIGITOS_MAX + 1];

	out[0] = '\0';
	if (!segredo_usavel(secret, secret_len) || !ordem || !uuid_canonico(ordem->str) ||
	    ordem->str[UUID_LEN] != '\0')
		return;
	int n = snprintf(expira, sizeof expira, "%" PRId64, expira_em < 0 ? 0 : expira_em);
	calcular_mac(secret, secret_len, ordem->str, expira, (size_t)n, mac);
	/* 36 + 1 + at most 19 + 1 = 57 characters before the MAC: 43 more and the NUL fit in 128.
	 */
	n = snprintf(out, ORCAMENTO_LINK_TOKEN_MAX, "%s.%s.", ordem->str, expira);
	sodium_bin2base64(out + n, ORCAMENTO_LINK_TOKEN_MAX - (size_t)n, mac, sizeof mac, VARIANTE);
	sodium_memzero(mac, sizeof mac);
}

/*
 * The expiry of the token at p: 1..19 digits without a leading zero (but "0"), followed by '.',
 * that fit in int64_t. Its length, or 0 when it is not that.
 */
static size_t ler_expiracao(const char *p, int64_t *out)
{
	int64_t v = 0;
	size_t n = 0;

	while (n <= EXPIRA_DIGITOS_MAX && p[n] >= '0' && p[n] <= '9') {
		int d = p[n] - '0';
		if (v > (INT64_MAX - d) / 10)
			return 0;
		v = v * 10 + d;
		n++;
	}
	if (n == 0 || n > EXPIRA_DIGITOS_MAX || (n > 1 && p[0] == '0') || p[n] != '.')
		return 0;
	*out = v;
	return n;
}

/*
 * Order of the checks: the shape (no secret is touched for garbage), the MAC in constant time,
 * then the expiry — so EXPIRADO is only ever said of a token this key signed. A token expires at
 * expira_em: valid while agora < expira_em, as a JWT's exp. On anything but OK, *ordem is unset.
 */
enum orcamento_link_resultado orcamento_link_verificar(const char *secret, size_t secret_len,
                                                       const char *token, int64_t agora,
                                                       struct uuid *ordem)
{
	unsigned char dado[MAC_BYTES], esperado[MAC_BYTES];
	const char *expira, *mac, *fim = NULL;
	size_t len, n_expira, bin_len = 0;
	int64_t expira_em = 0;

	if (ordem)
		ordem->str[0] = '\0';
	if (!segredo_usavel(secret, secret_len) || !token)
		return ORCAMENTO_LINK_INVALIDO;
	len = strnlen(token, ORCAMENTO_LINK_TOKEN_MAX);
	if (len >= ORCAMENTO_LINK_TOKEN_MAX || len < UUID_LEN + 1 || !uuid_canonico(token) ||
	    token[UUID_LEN] != '.')
		return ORCAMENTO_LINK_INVALIDO;
	expira = token + UUID_LEN + 1;
	if ((n_expira = ler_expiracao(expira, &expira_em)) == 0)
		return ORCAMENTO_LINK_INVALIDO;
	mac = expira + n_expira + 1;
	/* Exactly 43 characters; libsodium also refuses non-zero bits left over in the last one. */
	if (strlen(mac) != MAC_TEXTO || !base64url(mac, MAC_TEXTO) ||
	    sodium_base642bin(dado, sizeof dado, mac, MAC_TEXTO, NULL, &bin_len, &fim, VARIANTE) !=
	        0 ||
	    bin_len != sizeof dado || fim != mac + MAC_TEXTO)
		return ORCAMENTO_LINK_INVALIDO;
	calcular_mac(secret, secret_len, token, expira, n_expira, esperado);
	int igual = crypto_verify_32(esperado, dado) == 0;
	sodium_memzero(esperado, sizeof esperado);
	if (!igual)
		return ORCAMENTO_LINK_INVALIDO;
	if (agora >= expira_em)
		return ORCAMENTO_LINK_EXPIRADO;
	if (ordem) {
		memcpy(ordem->str, token, UUID_LEN);
		ordem->str[UUID_LEN] = '\0';
	}
	return ORCAMENTO_LINK_OK;
}

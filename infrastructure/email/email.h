/*
 * One e-mail (infrastructure layer): written as an RFC 5322 message in UTF-8, then sent over SMTP
 * with libcurl (SMTP_URL: smtp://host:587 upgrades with STARTTLS when the server offers it,
 * smtps://host:465 is TLS from the start; TLS always verifies the server) or, when there is no
 * SMTP server (make run), written as an .eml file a developer can open.
 */
#ifndef OFICINA_INFRASTRUCTURE_EMAIL_EMAIL_H
#define OFICINA_INFRASTRUCTURE_EMAIL_EMAIL_H

#include <stddef.h>
#include <stdbool.h>
#include <time.h>

struct email {
	const char *de;         /* From: "Name <addr>" or "addr" (SMTP_FROM) */
	const char *para;       /* the recipient's address */
	const char *para_nome;  /* the recipient's name, or NULL */
	const char *assunto;    /* UTF-8 */
	const char *texto;      /* UTF-8 plain text, lines separated by \n */
	const char *message_id; /* unique: a retry of the same e-mail keeps it */
};

/*
 * The whole message, CRLF line endings (malloc'd, free with heap_free); NULL when out of memory
 * or when an address or the subject holds a line break (no header injection).
 */
char *email_mensagem(const struct email *e, time_t agora);

/* The bare address inside "Name <addr>" (or addr itself) into out. 0, or -1 when malformed. */
int email_endereco(const char *de, char *out, size_t n);

/* Whether url is an smtp:// or smtps:// URL (the only schemes email_enviar_smtp speaks). */
bool email_smtp_url_valida(const char *url);

/*
 * Sends mensagem through smtp_url (smtp:// or smtps:// only) within timeout_ms. 0, or -1 with the
 * reason in erro.
 */
int email_enviar_smtp(const char *smtp_url, const struct email *e, const char *mensagem,
                      long timeout_ms, char *erro, size_t n);

/* Writes mensagem to dir/<message_id>.eml (created 0600). 0 with its path, or -1. */
int email_gravar_eml(const char *dir, const struct email *e, const char *mensagem, char *caminho,
                     size_t n);

#endif

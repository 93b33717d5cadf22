/*
 * The pages a customer's browser opens from the budget link of an e-mail (presentation layer):
 * HTML5 in pt-BR, mobile first, no JavaScript and no external resource (script, font, image,
 * stylesheet). The one inline <style> is allowed by its SHA-256 in the Content-Security-Policy,
 * which allows nothing else; every text that comes from the database is HTML-escaped. The
 * handlers are in handlers_orcamento_link.c.
 */
#ifndef OFICINA_PRESENTATION_HTTP_PAGINA_ORCAMENTO_H
#define OFICINA_PRESENTATION_HTTP_PAGINA_ORCAMENTO_H

#include "application/ports/ordem_consultas.h"
#include "presentation/http/http_types.h"

/* The text of the pages' <style> element, exactly: its SHA-256 is in pagina_orcamento_csp. */
extern const char pagina_orcamento_estilo[];

/*
 * The Content-Security-Policy of every page: default-src 'none', the style above by its hash,
 * forms posted only to this origin, never framed, no <base>. tests/unit/presentation recomputes
 * the hash, so an edit of the style that forgets it fails there.
 */
extern const char pagina_orcamento_csp[];

/*
 * The budget of order d: its number, the vehicle, the services and parts (description, quantity,
 * value), the total; while it awaits approval, a form posting decisao=APROVADO (button #aprovar)
 * or decisao=REPROVADO (#recusar) to the page's own URL; otherwise the decision or the order's
 * state instead of the buttons. aviso (may be NULL) is shown above them, escaped. Returns the
 * page (heap_alloc'd; the caller owns it), or NULL when memory ran out.
 */
char *pagina_orcamento_html(const struct ordem_detalhe *d, const char *aviso);

/*
 * A page with only a title and a text (an invalid or expired link, an error), both escaped, and
 * the request's correlation id when codigo is not NULL. heap_alloc'd, or NULL.
 */
char *pagina_orcamento_mensagem(const char *titulo, const char *texto, const char *codigo);

/*
 * Answers html (stolen; NULL: memory ran out, a 500 problem) with status, as
 * "text/html; charset=utf-8", with the CSP and X-Content-Type-Options: nosniff,
 * Referrer-Policy: no-referrer (the token is in the URL), Cache-Control: no-store and
 * X-Frame-Options: DENY.
 */
void pagina_orcamento_responder(struct response *res, unsigned status, char *html);

/* 303 See Other to location (POST-redirect-GET), with the same headers and a tiny page. */
void pagina_orcamento_redirecionar(struct response *res, const char *location);

#endif

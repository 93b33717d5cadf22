/*
 * GET and POST /orcamentos/{token}: the page where a customer approves or refuses the workshop's
 * budget from the link in an e-mail (presentation layer). No login: the signed token is the
 * credential, and it names one order (application/ports/orcamento_link.h). It is checked before
 * anything else, through the orcamento_link port: malformed, tampered, another key → 404 "Link
 * inválido"; well signed but past its expiry → 410 "Link expirado"; a server without
 * ORCAMENTO_LINK_SECRET → 404 "Link desativado".
 *
 * GET shows the budget (pagina_orcamento.c). POST takes the form decisao=APROVADO|REPROVADO
 * (application/x-www-form-urlencoded, nothing else) and runs the same command as the API and the
 * webhook, decidir_orcamento_ordem: done (or the same decision again) → 303 See Other to the page
 * (POST-redirect-GET); a part short in stock or a state that no longer awaits a decision → 409
 * with the page and the reason. Every answer is an HTML page, never a JSON problem, except what
 * the pipeline refuses before the handler (429, 413, 503 of an overloaded server).
 */
#include <stdio.h>
#include <string.h>

#include "application/commands/comandos_ordens.h"
#include "application/queries/consultas_ordens.h"
#include "domain/errors.h"
#include "domain/usuario.h"
#include "presentation/http/handler_support.h"
#include "presentation/http/handlers.h"
#include "presentation/http/metrics.h"
#include "presentation/http/pagina_orcamento.h"
#include "presentation/http/response.h"

/*
 * Who acts through a link, in history rows and events. Neither a customer's token (no login
 * happened, and the decision must not look like one made in the app) nor the webhook (another
 * channel with another secret): a perfil of its own, which the audit trail can tell apart and
 * no token can claim (perfil_parse never yields it). The handler passes the command only the
 * order the token names.
 */
#define LINK_POR "link"

#define FORM_MAX 64 /* bytes of the form: "decisao=REPROVADO" and some percent-encoding */

static struct app_caller quem(const struct request *req)
{
	return (struct app_caller){req->correlation_id, LINK_POR, PERFIL_LINK};
}

static void mensagem(struct response *res, unsigned status, const char *titulo, const char *texto,
                     const char *codigo)
{
	pagina_orcamento_responder(res, status, pagina_orcamento_mensagem(titulo, texto, codigo));
}

/* The page of an application error code (APP_ENOTFOUND, unavailable, timed out, ...). */
static void erro(struct request *req, struct response *res, int rc)
{
	switch (rc) {
	case APP_ENOTFOUND:
		mensagem(res, 404, "Ordem de serviço não encontrada",
		         "Não encontramos a ordem de serviço deste link. Fale com a oficina.",
		         NULL);
		break;
	case APP_ETIMEDOUT: /* nothing of it was committed, as for the two below */
		metrics_count_deadline_expired();
		/* fall through */
	case APP_EUNAVAILABLE:
	case APP_EBUSY:
		mensagem(res, 503, "Serviço indisponível",
		         "Não conseguimos atender agora. Tente de novo em instantes.", NULL);
		response_header(res, "Retry-After", "1");
		break;
	default:
		mensagem(
		    res, 500, "Erro interno",
		    "Algo deu errado do nosso lado. Tente de novo mais tarde ou fale com a oficina.",
		    req->correlation_id);
		break;
	}
}

/* Whether req->token is a valid link; *id is its order. Otherwise res holds the page. */
static bool verificar(struct request *req, struct response *res, struct uuid *id)
{
	const struct orcamento_link *links = &req->app->orcamento_link;
	enum orcamento_link_veredito v = LINK_DESATIVADO;

	if (links->ops)
		v = orcamento_link_verify(links, req->token, (int64_t)req->app->agora(), id);
	switch (v) {
	case LINK_VALIDO:
		return true;
	case LINK_EXPIRADO:
		mensagem(
		    res, 410, "Link expirado",
		    "Este link de aprovação do orçamento expirou. Peça um novo link à oficina.",
		    NULL);
		return false;
	case LINK_DESATIVADO:
		mensagem(
		    res, 404, "Link desativado",
		    "A aprovação de orçamentos por link está desativada. Fale com a oficina para "
		    "aprovar ou recusar o orçamento.",
		    NULL);
		return false;
	default:
		mensagem(
		    res, 404, "Link inválido",
		    "Este link não é válido. Confira se ele foi copiado inteiro do e-mail, ou peça "
		    "um novo link à oficina.",
		    NULL);
		return false;
	}
}

/* The budget page of order id with status, and aviso (may be NULL) above the buttons. */
static void mostrar(struct request *req, struct response *res, const struct uuid *id,
                    unsigned status, const char *aviso)
{
	const struct app_caller who = quem(req);
	struct ordem_detalhe d;
	int rc;

	if ((rc = obter_ordem(req->app, &who, id, &d)) != 0) {
		/* A 409 keeps its reason even when the order cannot be shown with it. */
		if (aviso && rc != APP_EUNAVAILABLE && rc != APP_ETIMEDOUT && rc != APP_EBUSY)
			mensagem(res, status, "Não foi possível concluir", aviso, NULL);
		else
			erro(req, res, rc);
		return;
	}
	pagina_orcamento_responder(res, status, pagina_orcamento_html(&d, aviso));
	ordem_detalhe_cleanup(&d);
}

void handle_orcamento_link_ver(struct request *req, struct response *res)
{
	struct uuid id;

	if (verificar(req, res, &id))
		mostrar(req, res, &id, 200, NULL);
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes form text s[0..n) ('+' is a space, %XX a byte) into out; false when malformed. */
static bool form_decode(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (i + 2 >= n)
				return false;
			int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
			if (hi < 0 || lo < 0)
				return false;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (c == '\0' || k + 1 >= cap)
			return false;
		out[k++] = c;
	}
	out[k] = '\0';
	return true;
}

/* The body "decisao=APROVADO" or "decisao=REPROVADO", and nothing else; else DECISAO_NENHUMA. */
static enum orcamento_decisao ler_decisao(const struct request *req)
{
	char nome[FORM_MAX], valor[FORM_MAX];
	const char *body = req->body, *eq;

	if (!body || req->body_len == 0 || req->body_len > FORM_MAX ||
	    memchr(body, '&', req->body_len) || !(eq = memchr(body, '=', req->body_len)))
		return DECISAO_NENHUMA;
	if (!form_decode(body, (size_t)(eq - body), nome, sizeof nome) ||
	    !form_decode(eq + 1, req->body_len - (size_t)(eq - body) - 1, valor, sizeof valor) ||
	    strcmp(nome, "decisao") != 0)
		return DECISAO_NENHUMA;
	return orcamento_decisao_parse(valor);
}

/* The reason of a 409, in the customer's words, into out. */
static void motivo_conflito(const struct field_errors *fe, const struct ordem_conflito *cf,
                            char *out, size_t n)
{
	for (size_t i = 0; i < fe->count; i++) {
		if (strcmp(fe->items[i].campo, "pecas") == 0) {
			snprintf(
			    out, n,
			    "Não foi possível aprovar o orçamento agora: %s. Fale com a oficina "
			    "ou tente de novo mais tarde.",
			    fe->items[i].mensagem);
			return;
		}
	}
	if (cf->estado && cf->status_atual == ORDEM_EM_EXECUCAO)
		snprintf(out, n, "Este orçamento já foi aprovado e não pode mais ser recusado.");
	else if (cf->estado && cf->status_atual == ORDEM_CANCELADA)
		snprintf(out, n,
		         "Este orçamento já foi recusado ou a ordem foi cancelada; ele não "
		         "pode mais ser aprovado.");
	else
		snprintf(out, n, "Este orçamento não aguarda mais uma decisão.");
}

void handle_orcamento_link_decidir(struct request *req, struct response *res)
{
	const struct app_caller who = quem(req);
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct uuid id;
	char location[16 + PATH_TOKEN_MAX], aviso[320];
	enum orcamento_decisao d;
	int rc;

	if (!verificar(req, res, &id))
		return;
	if (!request_content_type_is(req, "application/x-www-form-urlencoded")) {
		mensagem(res, 415, "Pedido inválido",
		         "Use os botões Aprovar ou Recusar da página do orçamento.", NULL);
		return;
	}
	if ((d = ler_decisao(req)) == DECISAO_NENHUMA) {
		mensagem(res, 400, "Pedido inválido",
		         "Use os botões Aprovar ou Recusar da página do orçamento.", NULL);
		return;
	}
	field_errors_init(&fe);
	rc = decidir_orcamento_ordem(req->app, &who, &id, d, &fe, &cf);
	if (rc == 0) {
		snprintf(location, sizeof location, "/orcamentos/%s", req->token);
		pagina_orcamento_redirecionar(res, location);
	} else if (rc == APP_ECONFLICT) {
		motivo_conflito(&fe, &cf, aviso, sizeof aviso);
		mostrar(req, res, &id, 409, aviso);
	} else {
		erro(req, res, rc);
	}
}

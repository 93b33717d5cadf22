/* The budget link's HTML pages: rendering and escaping (presentation layer). */
#include "presentation/http/pagina_orcamento.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "domain/dinheiro.h"
#include "domain/strbuf.h"
#include "presentation/http/response.h"

#define HTML_TYPE "text/html; charset=utf-8"

/* clang-format off */
const char pagina_orcamento_estilo[] =
    "*{box-sizing:border-box}\n"
    "body{margin:0;background:#f3f4f6;color:#1f2328;"
    "font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif}\n"
    "main{max-width:40rem;margin:0 auto;padding:1rem}\n"
    "h1{font-size:1.4rem;line-height:1.25;margin:.25rem 0 1rem}\n"
    "h2{font-size:1rem;margin:0 0 .5rem}\n"
    ".caixa{background:#fff;border-radius:.5rem;padding:1rem;margin:0 0 1rem;"
    "box-shadow:0 1px 2px rgba(0,0,0,.1)}\n"
    ".discreto{color:#57606a;font-size:.9rem}\n"
    "table{width:100%;border-collapse:collapse}\n"
    "th,td{padding:.4rem .25rem;text-align:left;vertical-align:top;"
    "border-bottom:1px solid #e5e7eb}\n"
    "th{color:#57606a;font-size:.85rem;font-weight:600}\n"
    ".num{text-align:right;white-space:nowrap}\n"
    ".total{display:flex;justify-content:space-between;font-size:1.2rem;font-weight:700}\n"
    ".aviso{border-left:4px solid #bf8700;background:#fff8e1}\n"
    ".aprovado{border-left:4px solid #1a7f37}\n"
    ".recusado{border-left:4px solid #cf222e}\n"
    "form{display:flex;flex-direction:column;gap:.75rem}\n"
    "button{font:inherit;font-weight:600;padding:.9rem 1rem;border:0;border-radius:.5rem;"
    "color:#fff;cursor:pointer}\n"
    "#aprovar{background:#1a7f37}\n"
    "#recusar{background:#cf222e}\n"
    "@media (min-width:30rem){form{flex-direction:row}button{flex:1}}\n";

/* The base64 SHA-256 of pagina_orcamento_estilo (test_pagina_orcamento recomputes it). */
const char pagina_orcamento_csp[] =
    "default-src 'none'; style-src 'sha256-ZEYZ3jWLB6FGFNrjZO5Vi0JAHYpa8y63YhuD6t7MgsM='; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/* clang-format on */

/* Appends s with & < > " ' as character references: safe in text and in quoted attributes. */
static void html_esc(struct strbuf *h, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *ref = NULL;
		switch (*s) {
		case '&':
			ref = "&amp;";
			break;
		case '<':
			ref = "&lt;";
			break;
		case '>':
			ref = "&gt;";
			break;
		case '"':
			ref = "&quot;";
			break;
		case '\'':
			ref = "&#39;";
			break;
		default:
			continue;
		}
		strbuf_add(h, run, (size_t)(s - run));
		strbuf_puts(h, ref);
		run = s + 1;
	}
	strbuf_add(h, run, (size_t)(s - run));
}

/* centavos as Brazilians write money: "R$ 1.234,56" (with a no-break space). */
static void reais(struct strbuf *h, int64_t centavos)
{
	char valor[DINHEIRO_REAIS_MAX];
	dinheiro_reais(centavos, valor);
	strbuf_puts(h, "R$&nbsp;");
	strbuf_puts(h, valor);
}

static void inteiro(struct strbuf *h, long v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%ld", v);
	strbuf_puts(h, buf);
}

/* The opening of every page up to <main>, with title (escaped). */
static void cabecalho(struct strbuf *h, const char *titulo)
{
	strbuf_puts(h, "<!DOCTYPE html>\n<html lang=\"pt-BR\">\n<head>\n<meta charset=\"utf-8\">\n"
	               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	               "<meta name=\"robots\" content=\"noindex, nofollow\">\n<title>");
	html_esc(h, titulo);
	strbuf_puts(h, "</title>\n<style>");
	strbuf_puts(h, pagina_orcamento_estilo);
	strbuf_puts(h, "</style>\n</head>\n<body>\n<main>\n");
}

static void rodape(struct strbuf *h)
{
	strbuf_puts(h, "</main>\n</body>\n</html>\n");
}

/* The state as a sentence ends: "a ordem está em execução". */
static const char *estado_legivel(enum ordem_status s)
{
	switch (s) {
	case ORDEM_RECEBIDA:
		return "recebida";
	case ORDEM_EM_DIAGNOSTICO:
		return "em diagnóstico";
	case ORDEM_AGUARDANDO_APROVACAO:
		return "aguardando aprovação";
	case ORDEM_EM_EXECUCAO:
		return "em execução";
	case ORDEM_FINALIZADA:
		return "finalizada";
	case ORDEM_ENTREGUE:
		return "entregue";
	case ORDEM_CANCELADA:
		return "cancelada";
	default:
		return "em andamento";
	}
}

/* One table of items (services or parts) under heading; nothing when there are none. */
static void itens(struct strbuf *h, const char *heading, const struct ordem_itens *l)
{
	if (l->n == 0)
		return;
	strbuf_puts(h, "<section class=\"caixa\">\n<h2>");
	strbuf_puts(h, heading);
	strbuf_puts(h, "</h2>\n<table>\n<thead><tr><th>Descrição</th><th class=\"num\">Qtd.</th>"
	               "<th class=\"num\">Valor</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < l->n; i++) {
		const struct ordem_item *it = &l->itens[i];
		int64_t total = 0;
		strbuf_puts(h, "<tr><td>");
		html_esc(h, it->nome);
		if (it->quantidade > 1) {
			strbuf_puts(h, "<br><span class=\"discreto\">");
			reais(h, it->valor_unitario);
			strbuf_puts(h, " cada</span>");
		}
		strbuf_puts(h, "</td><td class=\"num\">");
		inteiro(h, it->quantidade);
		strbuf_puts(h, "</td><td class=\"num\">");
		/* A line the domain refuses (never one of a frozen budget) shows its unit price. */
		reais(h, ordem_item_total(it, &total) == 0 ? total : it->valor_unitario);
		strbuf_puts(h, "</td></tr>\n");
	}
	strbuf_puts(h, "</tbody>\n</table>\n</section>\n");
}

/* Buttons while the budget awaits a decision; else the decision, or the order's state. */
static void decisao(struct strbuf *h, const struct ordem *o)
{
	if (o->status == ORDEM_AGUARDANDO_APROVACAO) {
		strbuf_puts(
		    h, "<section class=\"caixa\">\n<h2>Aguardando sua aprovação</h2>\n"
		       "<p class=\"discreto\">Ao aprovar, a oficina começa o serviço e reserva as "
		       "peças. Ao recusar, a ordem de serviço é cancelada.</p>\n"
		       "<form method=\"post\">\n"
		       "<button type=\"submit\" id=\"aprovar\" name=\"decisao\" "
		       "value=\"APROVADO\">Aprovar</button>\n"
		       "<button type=\"submit\" id=\"recusar\" name=\"decisao\" "
		       "value=\"REPROVADO\">Recusar</button>\n"
		       "</form>\n</section>\n");
		return;
	}
	if (o->decisao == DECISAO_APROVADO)
		strbuf_puts(h, "<section class=\"caixa aprovado\">\n<h2>Orçamento aprovado</h2>\n");
	else if (o->decisao == DECISAO_REPROVADO)
		strbuf_puts(h, "<section class=\"caixa recusado\">\n<h2>Orçamento recusado</h2>\n");
	else
		strbuf_puts(h, "<section class=\"caixa\">\n<h2>Situação da ordem</h2>\n");
	strbuf_puts(h, "<p>A ordem de serviço está ");
	strbuf_puts(h, estado_legivel(o->status));
	strbuf_puts(h, ".</p>\n</section>\n");
}

char *pagina_orcamento_html(const struct ordem_detalhe *d, const char *aviso)
{
	const struct ordem *o = &d->ordem;
	struct orcamento orc = o->orcamento;
	struct strbuf h = {0};
	char titulo[ORDEM_NUMERO_BYTES + 32];

	snprintf(titulo, sizeof titulo, "Orçamento %s", o->numero);
	cabecalho(&h, titulo);
	strbuf_puts(&h, "<h1>Orçamento da ordem de serviço ");
	html_esc(&h, o->numero);
	strbuf_puts(&h, "</h1>\n<section class=\"caixa\">\n<h2>Veículo</h2>\n<p><strong>");
	html_esc(&h, d->placa);
	strbuf_puts(&h, "</strong>");
	if (d->marca[0] || d->modelo[0]) {
		strbuf_puts(&h, " · ");
		html_esc(&h, d->marca);
		strbuf_puts(&h, d->marca[0] && d->modelo[0] ? " " : "");
		html_esc(&h, d->modelo);
	}
	if (d->ano > 0) {
		strbuf_puts(&h, " · ");
		inteiro(&h, d->ano);
	}
	strbuf_puts(&h, "</p>\n</section>\n");
	itens(&h, "Serviços", &d->servicos);
	itens(&h, "Peças", &d->pecas);
	/* Before the budget is frozen (a link is only sent after it), the items' sum. */
	if (!o->tem_orcamento && orcamento_calcular(&d->servicos, &d->pecas, &orc) != 0)
		orc = (struct orcamento){0};
	strbuf_puts(&h, "<section class=\"caixa\">\n<p class=\"total\"><span>Total</span><span>");
	reais(&h, orc.valor_total);
	strbuf_puts(&h, "</span></p>\n</section>\n");
	if (aviso && aviso[0]) {
		strbuf_puts(&h, "<section class=\"caixa aviso\" role=\"alert\">\n<p>");
		html_esc(&h, aviso);
		strbuf_puts(&h, "</p>\n</section>\n");
	}
	decisao(&h, o);
	rodape(&h);
	return strbuf_take(&h);
}

char *pagina_orcamento_mensagem(const char *titulo, const char *texto, const char *codigo)
{
	struct strbuf h = {0};

	cabecalho(&h, titulo);
	strbuf_puts(&h, "<section class=\"caixa\">\n<h1>");
	html_esc(&h, titulo);
	strbuf_puts(&h, "</h1>\n<p>");
	html_esc(&h, texto);
	strbuf_puts(&h, "</p>\n");
	if (codigo && codigo[0]) {
		strbuf_puts(&h, "<p class=\"discreto\">Código para a oficina: ");
		html_esc(&h, codigo);
		strbuf_puts(&h, "</p>\n");
	}
	strbuf_puts(&h, "</section>\n");
	rodape(&h);
	return strbuf_take(&h);
}

static void cabecalhos_seguros(struct response *res)
{
	response_header(res, "Content-Security-Policy", pagina_orcamento_csp);
	response_header(res, "X-Content-Type-Options", "nosniff");
	response_header(res, "Referrer-Policy", "no-referrer");
	response_header(res, "Cache-Control", "no-store");
	response_header(res, "X-Frame-Options", "DENY");
}

void pagina_orcamento_responder(struct response *res, unsigned status, char *html)
{
	if (!html) {
		/* response_finalize turns it into the 500 problem. */
		response_text(res, 500, NULL, NULL);
		res->view_failed = true;
		return;
	}
	response_text(res, status, html, HTML_TYPE);
	cabecalhos_seguros(res);
}

void pagina_orcamento_redirecionar(struct response *res, const char *location)
{
	struct strbuf h = {0};

	strbuf_puts(&h, "<!DOCTYPE html>\n<html lang=\"pt-BR\"><title>Orçamento</title>"
	                "<p><a href=\"");
	html_esc(&h, location);
	strbuf_puts(&h, "\">Ver o orçamento</a></p></html>\n");
	pagina_orcamento_responder(res, 303, strbuf_take(&h));
	if (res->status == 303)
		response_header(res, "Location", location);
}

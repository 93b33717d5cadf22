/* One e-mail: written, sent or saved (infrastructure layer; email.h). */
#include "infrastructure/email/email.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/heap.h"
#include "domain/strbuf.h"

static int tem_quebra(const char *s)
{
	return s && strpbrk(s, "\r\n") != NULL;
}

static int ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* A header value: as is when ASCII, else an RFC 2047 encoded word (UTF-8, base64). */
static void anexar_palavra(struct strbuf *t, const char *s)
{
	if (ascii(s)) {
		strbuf_puts(t, s);
		return;
	}
	size_t n = strlen(s);
	size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = heap_alloc(cap);
	if (!b64) {
		strbuf_cleanup(t);
		t->failed = true;
		return;
	}
	sodium_bin2base64(b64, cap, (const unsigned char *)s, n, sodium_base64_VARIANT_ORIGINAL);
	strbuf_puts(t, "=?UTF-8?B?");
	strbuf_puts(t, b64);
	strbuf_puts(t, "?=");
	heap_free(b64);
}

int email_endereco(const char *de, char *out, size_t n)
{
	const char *lt = strchr(de, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	const char *ini = lt ? lt + 1 : de;
	size_t len = lt ? (size_t)(gt ? gt - ini : 0) : strlen(de);

	if (len == 0 || len >= n || (lt && !gt) || tem_quebra(de))
		return -1;
	memcpy(out, ini, len);
	out[len] = '\0';
	return strchr(out, '@') && !strpbrk(out, " <>,;\"") ? 0 : -1;
}

char *email_mensagem(const struct email *e, time_t agora)
{
	struct strbuf t = {0};
	char data[64];
	struct tm tm;

	if (tem_quebra(e->de) || tem_quebra(e->para) || tem_quebra(e->para_nome) ||
	    tem_quebra(e->assunto) || tem_quebra(e->message_id) || strpbrk(e->para, "<>,;\" "))
		return NULL;
	gmtime_r(&agora, &tm);
	strftime(data, sizeof data, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	strbuf_printf(&t, "From: %s\r\nTo: ", e->de);
	if (e->para_nome && *e->para_nome && !strpbrk(e->para_nome, "\"\\")) {
		anexar_palavra(&t, e->para_nome);
		strbuf_puts(&t, " ");
	}
	strbuf_printf(&t, "<%s>\r\nSubject: ", e->para);
	anexar_palavra(&t, e->assunto);
	strbuf_printf(
	    &t,
	    "\r\nDate: %s\r\nMessage-ID: <%s@oficina>\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
	    data, e->message_id);
	for (const char *p = e->texto; *p; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n')
			strbuf_add(&t, "\r\n", 2);
		else
			strbuf_add(&t, p, 1);
	}
	strbuf_add(&t, "\r\n", 2);
	return strbuf_take(&t);
}

struct leitura {
	const char *s;
	size_t resta;
};

static size_t ler(char *buf, size_t size, size_t nitems, void *arg)
{
	struct leitura *l = arg;
	size_t n = size * nitems < l->resta ? size * nitems : l->resta;
	memcpy(buf, l->s, n);
	l->s += n;
	l->resta -= n;
	return n;
}

bool email_smtp_url_valida(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL;
	bool ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	          curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	          (strcmp(scheme, "smtp") == 0 || strcmp(scheme, "smtps") == 0);

	curl_free(scheme);
	curl_url_cleanup(u);
	return ok;
}

int email_enviar_smtp(const char *smtp_url, const struct email *e, const char *mensagem,
                      long timeout_ms, char *erro, size_t n)
{
	char de[320], para[330];
	struct curl_slist *rcpt = NULL;
	struct leitura l = {mensagem, strlen(mensagem)};
	char detalhe[CURL_ERROR_SIZE] = "";
	CURL *c;

	if (email_endereco(e->de, de, sizeof de) != 0) {
		snprintf(erro, n, "SMTP_FROM inválido");
		return -1;
	}
	char from[330];
	snprintf(para, sizeof para, "<%s>", e->para);
	snprintf(from, sizeof from, "<%s>", de);
	if (!(c = curl_easy_init()) || !(rcpt = curl_slist_append(NULL, para))) {
		if (c)
			curl_easy_cleanup(c);
		snprintf(erro, n, "sem memória");
		return -1;
	}
	curl_easy_setopt(c, CURLOPT_URL, smtp_url);
	/* Any other scheme curl knows would "send" elsewhere: file:// writes the message to disk.
	 */
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, ler);
	curl_easy_setopt(c, CURLOPT_READDATA, &l);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	/* smtp://: STARTTLS when the server offers it; smtps:// is TLS from the start. */
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 5000 ? timeout_ms : 5000L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detalhe);
	CURLcode rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		/* curl's text names the step and the server's reply, never the URL's password. */
		snprintf(erro, n, "SMTP: %s", detalhe[0] ? detalhe : curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	return rc == CURLE_OK ? 0 : -1;
}

int email_gravar_eml(const char *dir, const struct email *e, const char *mensagem, char *caminho,
                     size_t n)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return -1;
	if (snprintf(caminho, n, "%s/%s.eml", dir, e->message_id) >= (int)n)
		return -1;
	int fd = open(caminho, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	size_t len = strlen(mensagem), feito = 0;
	while (feito < len) {
		ssize_t w = write(fd, mensagem + feito, len - feito);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return -1;
		}
		feito += (size_t)w;
	}
	return close(fd);
}

/*
 * Unit tests of one e-mail (infrastructure/email): the message as written (headers, RFC 2047
 * words, CRLF lines), the refusals that keep header injection out, the bare address of SMTP_FROM
 * and the .eml file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/heap.h"
#include "infrastructure/email/email.h"

static const struct email modelo = {
    .de = "Oficina <oficina@exemplo.com>",
    .para = "ana@exemplo.com",
    .para_nome = "Ana Souza",
    .assunto = "Orçamento da ordem OS-2026-000001",
    .texto = "Olá, Ana.\nTotal: R$ 45,90\n",
    .message_id = "a9e932a7-aa7d-4608-a388-a4ee6cc1b868",
};

static void test_mensagem__cabecalhos_assunto_codificado_e_linhas_crlf(void **state)
{
	(void)state;
	char *m = email_mensagem(&modelo, 0);
	assert_non_null(m);
	assert_non_null(strstr(m, "From: Oficina <oficina@exemplo.com>\r\n"));
	assert_non_null(strstr(m, "To: Ana Souza <ana@exemplo.com>\r\n"));
	/* "Orçamento ..." is not ASCII: one base64 encoded word of its UTF-8 bytes. */
	assert_non_null(
	    strstr(m, "Subject: =?UTF-8?B?T3LDp2FtZW50byBkYSBvcmRlbSBPUy0yMDI2LTAwMDAwMQ==?="
	              "\r\n"));
	assert_non_null(strstr(m, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
	assert_non_null(
	    strstr(m, "Message-ID: <a9e932a7-aa7d-4608-a388-a4ee6cc1b868@oficina>\r\n"));
	assert_non_null(strstr(m, "Content-Type: text/plain; charset=utf-8\r\n"));
	assert_non_null(strstr(m, "\r\n\r\nOlá, Ana.\r\nTotal: R$ 45,90\r\n"));
	for (const char *p = m; (p = strchr(p, '\n')) != NULL; p++)
		assert_true(p > m && p[-1] == '\r'); /* no bare LF */
	heap_free(m);
}

static void test_mensagem__assunto_ascii_vai_como_esta(void **state)
{
	struct email e = modelo;
	(void)state;
	e.assunto = "Seu carro esta pronto";
	char *m = email_mensagem(&e, 0);
	assert_non_null(m);
	assert_non_null(strstr(m, "Subject: Seu carro esta pronto\r\n"));
	heap_free(m);
}

static void test_mensagem__quebra_de_linha_em_cabecalho_e_recusada(void **state)
{
	struct email e;
	(void)state;

	e = modelo;
	e.assunto = "Oi\r\nBcc: todos@exemplo.com";
	assert_null(email_mensagem(&e, 0));
	e = modelo;
	e.para = "ana@exemplo.com\nBcc: x@y.z";
	assert_null(email_mensagem(&e, 0));
	e = modelo;
	e.para_nome = "Ana\r\nX: y";
	assert_null(email_mensagem(&e, 0));
	e = modelo;
	e.para = "Ana <ana@exemplo.com>"; /* the bare address only */
	assert_null(email_mensagem(&e, 0));
	e = modelo;
	e.para = "a@b.c, c@d.e";
	assert_null(email_mensagem(&e, 0));
}

static void test_endereco__nome_e_endereco_ou_so_endereco(void **state)
{
	char out[64];
	(void)state;

	assert_int_equal(email_endereco("Oficina <oficina@exemplo.com>", out, sizeof out), 0);
	assert_string_equal(out, "oficina@exemplo.com");
	assert_int_equal(email_endereco("oficina@exemplo.com", out, sizeof out), 0);
	assert_string_equal(out, "oficina@exemplo.com");
	assert_int_equal(email_endereco("Oficina <oficina@exemplo.com", out, sizeof out), -1);
	assert_int_equal(email_endereco("Oficina", out, sizeof out), -1);
	assert_int_equal(email_endereco("<>", out, sizeof out), -1);
	assert_int_equal(email_endereco("a b@c.d", out, sizeof out), -1);
	assert_int_equal(email_endereco("x@y.z\r\nBcc: w@v.u", out, sizeof out), -1);
}

static void test_eml__um_arquivo_por_message_id_so_do_dono(void **state)
{
	char dir[] = "/tmp/oficina-eml-XXXXXX", caminho[256], lido[512] = "";
	struct stat st;
	(void)state;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(
	    email_gravar_eml(dir, &modelo, "From: x\r\n\r\ncorpo\r\n", caminho, sizeof caminho), 0);
	assert_non_null(strstr(caminho, "a9e932a7-aa7d-4608-a388-a4ee6cc1b868.eml"));
	assert_int_equal(stat(caminho, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	FILE *f = fopen(caminho, "rb");
	assert_non_null(f);
	size_t n = fread(lido, 1, sizeof lido - 1, f);
	fclose(f);
	lido[n] = '\0';
	assert_string_equal(lido, "From: x\r\n\r\ncorpo\r\n");
	unlink(caminho);
	rmdir(dir);
}

/*
 * Only smtp:// and smtps:// are spoken: another scheme curl knows would "deliver" elsewhere —
 * file:// wrote the message (and its budget link) to a local file and reported success.
 */
static void test_smtp__url_de_outro_esquema__recusada_e_nada_gravado(void **state)
{
	char dir[] = "/tmp/oficina-smtp-XXXXXX", url[96], caminho[64], erro[256] = "";
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(caminho, sizeof caminho, "%s/saida.eml", dir);
	snprintf(url, sizeof url, "file://%s", caminho);
	assert_int_equal(
	    email_enviar_smtp(url, &modelo, "Subject: x\r\n\r\ncorpo\r\n", 2000, erro, sizeof erro),
	    -1);
	assert_int_not_equal(access(caminho, F_OK), 0);
	assert_non_null(strstr(erro, "SMTP: "));
	rmdir(dir);

	assert_true(email_smtp_url_valida("smtp://email-smtp.sa-east-1.amazonaws.com:587"));
	assert_true(email_smtp_url_valida("smtps://usuario:senha@smtp.exemplo.com:465"));
	assert_false(email_smtp_url_valida(url));
	assert_false(email_smtp_url_valida("http://smtp.exemplo.com"));
	assert_false(email_smtp_url_valida("smtp.exemplo.com:587"));
	assert_false(email_smtp_url_valida("smtp://[::1:25"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mensagem__cabecalhos_assunto_codificado_e_linhas_crlf),
	    cmocka_unit_test(test_mensagem__assunto_ascii_vai_como_esta),
	    cmocka_unit_test(test_mensagem__quebra_de_linha_em_cabecalho_e_recusada),
	    cmocka_unit_test(test_endereco__nome_e_endereco_ou_so_endereco),
	    cmocka_unit_test(test_eml__um_arquivo_por_message_id_so_do_dono),
	    cmocka_unit_test(test_smtp__url_de_outro_esquema__recusada_e_nada_gravado),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

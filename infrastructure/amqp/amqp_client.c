/* One AMQP connection with one channel (infrastructure layer; amqp_client.h). */
#include "infrastructure/amqp/amqp_client.h"

#include <amqp_ssl_socket.h>
#include <amqp_tcp_socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "domain/heap.h"

#define CANAL       1
#define HEARTBEAT_S 30
#define FRAME_MAX   131072

static struct timeval em_timeval(int ms)
{
	if (ms < 0)
		ms = 0;
	return (struct timeval){.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
}

/* Records why (what: detail) and closes: the caller reconnects. */
static void falhou(struct amqp_client *c, const char *what, const char *detail)
{
	snprintf(c->erro, sizeof c->erro, "%s: %s", what, detail);
	amqp_client_close(c);
}

/* 0 when reply is a normal answer; otherwise the reason in c->erro and the client closed. */
static int resposta_ok(struct amqp_client *c, amqp_rpc_reply_t r, const char *what)
{
	char detalhe[160];

	switch (r.reply_type) {
	case AMQP_RESPONSE_NORMAL:
		return 0;
	case AMQP_RESPONSE_LIBRARY_EXCEPTION:
		snprintf(detalhe, sizeof detalhe, "%s", amqp_error_string2(r.library_error));
		break;
	case AMQP_RESPONSE_SERVER_EXCEPTION:
		if (r.reply.id == AMQP_CONNECTION_CLOSE_METHOD ||
		    r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
			/* connection.close and channel.close share their first two fields. */
			const amqp_channel_close_t *m = r.reply.decoded;
			snprintf(detalhe, sizeof detalhe, "%u %.*s", (unsigned)m->reply_code,
			         (int)m->reply_text.len, (const char *)m->reply_text.bytes);
		} else {
			snprintf(detalhe, sizeof detalhe, "método 0x%08x", (unsigned)r.reply.id);
		}
		break;
	default:
		snprintf(detalhe, sizeof detalhe, "sem resposta");
	}
	falhou(c, what, detalhe);
	return -1;
}

static int status_ok(struct amqp_client *c, int status, const char *what)
{
	if (status == AMQP_STATUS_OK)
		return 0;
	falhou(c, what, amqp_error_string2(status));
	return -1;
}

/*
 * librabbitmq bounds its reads and RPCs by our timeouts but may wait without end to write a
 * frame (basic.publish, basic.ack). A broker that vanished without a FIN would hold such a write
 * forever: the kernel gives the connection up instead once sent data stays unacknowledged for
 * 30 s, and keepalives notice a silent peer while nothing is sent. (A live broker that stops
 * reading — a RabbitMQ resource alarm blocking publishers — still holds the write until the alarm
 * clears: nothing can be published meanwhile anyway.)
 */
static void limitar_escrita(int fd)
{
	int on = 1, idle = 10, intvl = 5, cnt = 3;
	unsigned int user_timeout_ms = 30000;

	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
	setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout_ms, sizeof user_timeout_ms);
}

bool amqp_client_is_open(const struct amqp_client *c)
{
	return c->conn != NULL;
}

/* Parses url into ci, whose strings point into copia: false when it is no AMQP URL. */
static bool ler_url(const char *url, char *copia, size_t n, struct amqp_connection_info *ci)
{
	return url && snprintf(copia, n, "%s", url) < (int)n &&
	       amqp_parse_url(copia, ci) == AMQP_STATUS_OK;
}

bool amqp_client_url_valida(const char *url)
{
	struct amqp_connection_info ci;
	char copia[1024];

	return ler_url(url, copia, sizeof copia, &ci);
}

int amqp_client_connect(struct amqp_client *c, const char *url, int timeout_ms, bool confirms)
{
	struct amqp_connection_info ci;
	char copia[1024];
	struct timeval tv = em_timeval(timeout_ms);
	amqp_socket_t *sock;

	amqp_client_close(c);
	c->timeout_ms = timeout_ms;
	c->published = c->confirmed = 0;
	memset(c->acked, 0, sizeof c->acked);
	c->nacked = false;
	c->erro[0] = '\0';
	if (!ler_url(url, copia, sizeof copia, &ci)) {
		snprintf(c->erro, sizeof c->erro, "AMQP_URL inválida (use amqp:// ou amqps://)");
		return -1;
	}
	if (!(c->conn = amqp_new_connection())) {
		snprintf(c->erro, sizeof c->erro, "sem memória");
		return -1;
	}
	if (ci.ssl) {
		const char *ca = getenv("AMQP_CA_FILE");
		sock = amqp_ssl_socket_new(c->conn);
		if (sock) {
			amqp_ssl_socket_set_verify_peer(sock, 1);
			amqp_ssl_socket_set_verify_hostname(sock, 1);
			if (ca && *ca && amqp_ssl_socket_set_cacert(sock, ca) != AMQP_STATUS_OK) {
				falhou(c, "AMQP_CA_FILE", "não pôde ser lido");
				return -1;
			}
		}
	} else {
		sock = amqp_tcp_socket_new(c->conn);
	}
	if (!sock) {
		falhou(c, "socket", "sem memória");
		return -1;
	}
	amqp_set_handshake_timeout(c->conn, &tv);
	amqp_set_rpc_timeout(c->conn, &tv);
	if (status_ok(c, amqp_socket_open_noblock(sock, ci.host, ci.port, &tv), "conexão") != 0)
		return -1;
	limitar_escrita(amqp_get_sockfd(c->conn));
	if (resposta_ok(c,
	                amqp_login(c->conn, ci.vhost, 0, FRAME_MAX, HEARTBEAT_S,
	                           AMQP_SASL_METHOD_PLAIN, ci.user, ci.password),
	                "login") != 0)
		return -1;
	amqp_channel_open(c->conn, CANAL);
	if (resposta_ok(c, amqp_get_rpc_reply(c->conn), "channel.open") != 0)
		return -1;
	if (confirms) {
		amqp_confirm_select(c->conn, CANAL);
		if (resposta_ok(c, amqp_get_rpc_reply(c->conn), "confirm.select") != 0)
			return -1;
	}
	return 0;
}

void amqp_client_close(struct amqp_client *c)
{
	if (!c->conn)
		return;
	/* A short bound: closing must not hang on a broker that stopped answering. */
	struct timeval tv = em_timeval(1000);
	amqp_set_rpc_timeout(c->conn, &tv);
	amqp_channel_close(c->conn, CANAL, AMQP_REPLY_SUCCESS);
	amqp_connection_close(c->conn, AMQP_REPLY_SUCCESS);
	amqp_destroy_connection(c->conn);
	c->conn = NULL;
}

static int aberto(struct amqp_client *c)
{
	if (c->conn)
		return 0;
	if (!c->erro[0])
		snprintf(c->erro, sizeof c->erro, "conexão fechada");
	return -1;
}

int amqp_client_declare_exchange(struct amqp_client *c, const char *name, const char *type)
{
	if (aberto(c) != 0)
		return -1;
	amqp_exchange_declare(c->conn, CANAL, amqp_cstring_bytes(name), amqp_cstring_bytes(type), 0,
	                      1, 0, 0, amqp_empty_table);
	return resposta_ok(c, amqp_get_rpc_reply(c->conn), "exchange.declare");
}

int amqp_client_declare_queue(struct amqp_client *c, const struct amqp_fila *q)
{
	amqp_table_entry_t args[3];
	int n = 0;

	if (aberto(c) != 0)
		return -1;
	if (q->dead_letter_exchange) {
		args[n].key = amqp_cstring_bytes("x-dead-letter-exchange");
		args[n].value.kind = AMQP_FIELD_KIND_UTF8;
		args[n++].value.value.bytes = amqp_cstring_bytes(q->dead_letter_exchange);
	}
	if (q->dead_letter_routing_key) {
		args[n].key = amqp_cstring_bytes("x-dead-letter-routing-key");
		args[n].value.kind = AMQP_FIELD_KIND_UTF8;
		args[n++].value.value.bytes = amqp_cstring_bytes(q->dead_letter_routing_key);
	}
	if (q->message_ttl_ms > 0) {
		args[n].key = amqp_cstring_bytes("x-message-ttl");
		args[n].value.kind = AMQP_FIELD_KIND_I32;
		args[n++].value.value.i32 = q->message_ttl_ms;
	}
	amqp_table_t tabela = {.num_entries = n, .entries = args};
	amqp_queue_declare(c->conn, CANAL, amqp_cstring_bytes(q->nome), 0, 1, 0, 0, tabela);
	return resposta_ok(c, amqp_get_rpc_reply(c->conn), "queue.declare");
}

int amqp_client_bind(struct amqp_client *c, const char *queue, const char *exchange,
                     const char *routing_key)
{
	if (aberto(c) != 0)
		return -1;
	amqp_queue_bind(c->conn, CANAL, amqp_cstring_bytes(queue), amqp_cstring_bytes(exchange),
	                amqp_cstring_bytes(routing_key), amqp_empty_table);
	return resposta_ok(c, amqp_get_rpc_reply(c->conn), "queue.bind");
}

long amqp_client_queue_count(struct amqp_client *c, const char *queue)
{
	if (aberto(c) != 0)
		return -1;
	amqp_queue_declare_ok_t *ok = amqp_queue_declare(c->conn, CANAL, amqp_cstring_bytes(queue),
	                                                 1, 0, 0, 0, amqp_empty_table);
	if (resposta_ok(c, amqp_get_rpc_reply(c->conn), "queue.declare passive") != 0 || !ok)
		return -1;
	return (long)ok->message_count;
}

int amqp_client_publish(struct amqp_client *c, const char *exchange, const char *routing_key,
                        const struct amqp_propriedades *p, const char *body, size_t len)
{
	amqp_basic_properties_t props = {0};
	amqp_table_entry_t headers[2];
	int n = 0;

	if (aberto(c) != 0)
		return -1;
	if (c->published - c->confirmed >= AMQP_CONFIRM_JANELA) {
		snprintf(c->erro, sizeof c->erro, "confirmações pendentes demais");
		return -1;
	}
	props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG;
	props.content_type = amqp_cstring_bytes("application/json");
	props.delivery_mode = 2; /* persistent */
	if (p->message_id) {
		props._flags |= AMQP_BASIC_MESSAGE_ID_FLAG;
		props.message_id = amqp_cstring_bytes(p->message_id);
	}
	if (p->correlation_id && *p->correlation_id) {
		props._flags |= AMQP_BASIC_CORRELATION_ID_FLAG;
		props.correlation_id = amqp_cstring_bytes(p->correlation_id);
	}
	if (p->type) {
		props._flags |= AMQP_BASIC_TYPE_FLAG;
		props.type = amqp_cstring_bytes(p->type);
	}
	if (p->timestamp > 0) {
		props._flags |= AMQP_BASIC_TIMESTAMP_FLAG;
		props.timestamp = (uint64_t)p->timestamp;
	}
	if (p->expiration) {
		props._flags |= AMQP_BASIC_EXPIRATION_FLAG;
		props.expiration = amqp_cstring_bytes(p->expiration);
	}
	if (p->tentativas >= 0) {
		headers[n].key = amqp_cstring_bytes("x-tentativas");
		headers[n].value.kind = AMQP_FIELD_KIND_I32;
		headers[n++].value.value.i32 = p->tentativas;
	}
	if (p->motivo) {
		headers[n].key = amqp_cstring_bytes("x-motivo");
		headers[n].value.kind = AMQP_FIELD_KIND_UTF8;
		headers[n++].value.value.bytes = amqp_cstring_bytes(p->motivo);
	}
	if (n > 0) {
		props._flags |= AMQP_BASIC_HEADERS_FLAG;
		props.headers = (amqp_table_t){.num_entries = n, .entries = headers};
	}
	amqp_bytes_t corpo = {.len = len, .bytes = (void *)(uintptr_t)body};
	if (status_ok(c,
	              amqp_basic_publish(c->conn, CANAL, amqp_cstring_bytes(exchange),
	                                 amqp_cstring_bytes(routing_key), 0, 0, &props, corpo),
	              "basic.publish") != 0)
		return -1;
	c->published++;
	return 0;
}

/* A frame that closes the channel or the connection: the client is unusable. */
static int fechamento(struct amqp_client *c, const amqp_frame_t *f)
{
	if (f->frame_type != AMQP_FRAME_METHOD)
		return 0;
	if (f->payload.method.id != AMQP_CHANNEL_CLOSE_METHOD &&
	    f->payload.method.id != AMQP_CONNECTION_CLOSE_METHOD)
		return 0;
	const amqp_channel_close_t *m = f->payload.method.decoded;
	char detalhe[160];
	snprintf(detalhe, sizeof detalhe, "%u %.*s", (unsigned)m->reply_code,
	         (int)m->reply_text.len, (const char *)m->reply_text.bytes);
	falhou(c, "fechada pelo broker", detalhe);
	return -1;
}

/*
 * Records that tag (and, with multiple, every tag below it) is confirmed, then moves confirmed
 * past every tag confirmed in a row. The broker may confirm one message at a time or several at
 * once, and is not bound to confirm in publishing order.
 */
static void confirmar(struct amqp_client *c, uint64_t tag, bool multiple)
{
	if (tag > c->published)
		tag = c->published;
	for (uint64_t t = multiple ? c->confirmed + 1 : tag; t <= tag; t++)
		c->acked[(t % AMQP_CONFIRM_JANELA) / 8] |= (uint8_t)(1u << (t % 8));
	for (;;) {
		uint64_t t = c->confirmed + 1;
		uint8_t bit = (uint8_t)(1u << (t % 8));
		if (t > c->published || !(c->acked[(t % AMQP_CONFIRM_JANELA) / 8] & bit))
			break;
		c->acked[(t % AMQP_CONFIRM_JANELA) / 8] &= (uint8_t)~bit;
		c->confirmed = t;
	}
}

int amqp_client_confirm(struct amqp_client *c, int timeout_ms)
{
	struct timeval ate, agora;

	if (aberto(c) != 0)
		return -1;
	gettimeofday(&ate, NULL);
	ate.tv_sec += timeout_ms / 1000;
	ate.tv_usec += (timeout_ms % 1000) * 1000;
	if (ate.tv_usec >= 1000000) {
		ate.tv_sec++;
		ate.tv_usec -= 1000000;
	}
	while (c->confirmed < c->published) {
		amqp_frame_t f;
		gettimeofday(&agora, NULL);
		long resta =
		    (ate.tv_sec - agora.tv_sec) * 1000 + (ate.tv_usec - agora.tv_usec) / 1000;
		struct timeval tv = em_timeval((int)(resta > 0 ? resta : 0));
		int rc = amqp_simple_wait_frame_noblock(c->conn, &f, &tv);
		if (rc == AMQP_STATUS_TIMEOUT) {
			falhou(c, "confirmações", "prazo esgotado");
			return -1;
		}
		if (status_ok(c, rc, "confirmações") != 0 || fechamento(c, &f) != 0)
			return -1;
		if (f.frame_type != AMQP_FRAME_METHOD)
			continue;
		if (f.payload.method.id == AMQP_BASIC_ACK_METHOD) {
			const amqp_basic_ack_t *a = f.payload.method.decoded;
			confirmar(c, a->delivery_tag, a->multiple);
		} else if (f.payload.method.id == AMQP_BASIC_NACK_METHOD) {
			const amqp_basic_nack_t *a = f.payload.method.decoded;
			c->nacked = true;
			confirmar(c, a->delivery_tag, a->multiple);
		}
	}
	if (c->nacked) {
		c->nacked = false;
		snprintf(c->erro, sizeof c->erro, "o broker recusou uma mensagem (nack)");
		return -1;
	}
	return 0;
}

int amqp_client_consume(struct amqp_client *c, const char *queue, unsigned prefetch)
{
	if (aberto(c) != 0)
		return -1;
	amqp_basic_qos(c->conn, CANAL, 0, (uint16_t)prefetch, 0);
	if (resposta_ok(c, amqp_get_rpc_reply(c->conn), "basic.qos") != 0)
		return -1;
	amqp_basic_consume(c->conn, CANAL, amqp_cstring_bytes(queue), amqp_empty_bytes, 0, 0, 0,
	                   amqp_empty_table);
	return resposta_ok(c, amqp_get_rpc_reply(c->conn), "basic.consume");
}

static void copiar(char *dst, size_t n, amqp_bytes_t b)
{
	size_t len = b.len < n - 1 ? b.len : n - 1;
	if (len)
		memcpy(dst, b.bytes, len);
	dst[len] = '\0';
}

static int64_t inteiro(const amqp_field_value_t *v)
{
	switch (v->kind) {
	case AMQP_FIELD_KIND_I8:
		return v->value.i8;
	case AMQP_FIELD_KIND_U8:
		return v->value.u8;
	case AMQP_FIELD_KIND_I16:
		return v->value.i16;
	case AMQP_FIELD_KIND_U16:
		return v->value.u16;
	case AMQP_FIELD_KIND_I32:
		return v->value.i32;
	case AMQP_FIELD_KIND_U32:
		return v->value.u32;
	case AMQP_FIELD_KIND_I64:
		return v->value.i64;
	case AMQP_FIELD_KIND_U64:
		return (int64_t)v->value.u64;
	default:
		return 0;
	}
}

/* Fills e from a message's properties and body; -1 when its copy cannot be allocated. */
static int preencher(struct amqp_entrega *e, const amqp_basic_properties_t *p, amqp_bytes_t body)
{
	if (p->_flags & AMQP_BASIC_MESSAGE_ID_FLAG)
		copiar(e->message_id, sizeof e->message_id, p->message_id);
	if (p->_flags & AMQP_BASIC_CORRELATION_ID_FLAG)
		copiar(e->correlation_id, sizeof e->correlation_id, p->correlation_id);
	if (p->_flags & AMQP_BASIC_TYPE_FLAG)
		copiar(e->type, sizeof e->type, p->type);
	if (p->_flags & AMQP_BASIC_TIMESTAMP_FLAG)
		e->timestamp = (int64_t)p->timestamp;
	if (p->_flags & AMQP_BASIC_HEADERS_FLAG) {
		for (int i = 0; i < p->headers.num_entries; i++) {
			const amqp_table_entry_t *h = &p->headers.entries[i];
			if (h->key.len == 12 && memcmp(h->key.bytes, "x-tentativas", 12) == 0)
				e->tentativas = (int)inteiro(&h->value);
			else if (h->key.len == 8 && memcmp(h->key.bytes, "x-motivo", 8) == 0 &&
			         (h->value.kind == AMQP_FIELD_KIND_UTF8 ||
			          h->value.kind == AMQP_FIELD_KIND_BYTES))
				copiar(e->motivo, sizeof e->motivo, h->value.value.bytes);
		}
	}
	e->body = heap_alloc(body.len + 1);
	if (!e->body)
		return -1;
	if (body.len)
		memcpy(e->body, body.bytes, body.len);
	e->body[body.len] = '\0';
	e->len = body.len;
	return 0;
}

int amqp_client_next(struct amqp_client *c, int timeout_ms, struct amqp_entrega *out)
{
	amqp_envelope_t env;
	struct timeval tv = em_timeval(timeout_ms);

	memset(out, 0, sizeof *out);
	if (aberto(c) != 0)
		return -1;
	amqp_maybe_release_buffers(c->conn);
	amqp_rpc_reply_t r = amqp_consume_message(c->conn, &env, &tv, 0);
	if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
	    r.library_error == AMQP_STATUS_TIMEOUT)
		return 0;
	if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
	    r.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
		/* A frame other than a delivery: a close ends the client, anything else is ignored.
		 */
		amqp_frame_t f;
		tv = em_timeval(c->timeout_ms);
		int rc = amqp_simple_wait_frame_noblock(c->conn, &f, &tv);
		if (status_ok(c, rc, "consumo") != 0 || fechamento(c, &f) != 0)
			return -1;
		return 0;
	}
	if (resposta_ok(c, r, "consumo") != 0)
		return -1;
	out->tag = env.delivery_tag;
	out->redelivered = env.redelivered;
	copiar(out->routing_key, sizeof out->routing_key, env.routing_key);
	int rc = preencher(out, &env.message.properties, env.message.body);
	amqp_destroy_envelope(&env);
	if (rc != 0) {
		falhou(c, "consumo", "sem memória");
		return -1;
	}
	return 1;
}

int amqp_client_get(struct amqp_client *c, const char *queue, struct amqp_entrega *out)
{
	amqp_message_t msg;

	memset(out, 0, sizeof *out);
	if (aberto(c) != 0)
		return -1;
	amqp_maybe_release_buffers(c->conn);
	amqp_rpc_reply_t r = amqp_basic_get(c->conn, CANAL, amqp_cstring_bytes(queue), 0);
	if (resposta_ok(c, r, "basic.get") != 0)
		return -1;
	if (r.reply.id == AMQP_BASIC_GET_EMPTY_METHOD)
		return 0;
	const amqp_basic_get_ok_t *ok = r.reply.decoded;
	out->tag = ok->delivery_tag;
	out->redelivered = ok->redelivered;
	copiar(out->routing_key, sizeof out->routing_key, ok->routing_key);
	if (resposta_ok(c, amqp_read_message(c->conn, CANAL, &msg, 0), "basic.get") != 0)
		return -1;
	int rc = preencher(out, &msg.properties, msg.body);
	amqp_destroy_message(&msg);
	if (rc != 0) {
		falhou(c, "basic.get", "sem memória");
		return -1;
	}
	return 1;
}

int amqp_client_ack(struct amqp_client *c, uint64_t tag)
{
	if (aberto(c) != 0)
		return -1;
	return status_ok(c, amqp_basic_ack(c->conn, CANAL, tag, 0), "basic.ack");
}

int amqp_client_poll(struct amqp_client *c)
{
	amqp_frame_t f;
	struct timeval tv = {0, 0};

	if (aberto(c) != 0)
		return -1;
	int rc = amqp_simple_wait_frame_noblock(c->conn, &f, &tv);
	if (rc == AMQP_STATUS_TIMEOUT)
		return 0;
	if (status_ok(c, rc, "conexão") != 0 || fechamento(c, &f) != 0)
		return -1;
	return 0;
}

void amqp_entrega_cleanup(struct amqp_entrega *e)
{
	heap_free(e->body);
	e->body = NULL;
	e->len = 0;
}

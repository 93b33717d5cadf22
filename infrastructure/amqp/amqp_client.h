/*
 * One AMQP 0-9-1 connection with one channel, on librabbitmq (infrastructure layer): what the
 * relay, the notifier and `oficina eventos` need of RabbitMQ, each call bounded by a deadline.
 *
 * The connection is owned by one thread. Any failure (broker gone, channel closed by the broker,
 * a deadline passed) leaves the client closed with the reason in c->erro; the caller reconnects
 * (with backoff) and starts over. Heartbeats (30 s) are exchanged whenever the owner calls into
 * the client, so an idle owner calls amqp_client_poll now and then.
 */
#ifndef OFICINA_INFRASTRUCTURE_AMQP_AMQP_CLIENT_H
#define OFICINA_INFRASTRUCTURE_AMQP_AMQP_CLIENT_H

#include <amqp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AMQP_ERRO_MAX       256
#define AMQP_CONFIRM_JANELA 4096 /* messages published and not yet confirmed, at most */

struct amqp_client {
	amqp_connection_state_t conn;           /* NULL while closed */
	int timeout_ms;                         /* bound of each call (connect, RPC, confirms) */
	uint64_t published;                     /* delivery tags handed out since confirm.select */
	uint64_t confirmed;                     /* every tag up to this one is confirmed */
	uint8_t acked[AMQP_CONFIRM_JANELA / 8]; /* tags above confirmed already confirmed (ring) */
	bool nacked;              /* the broker refused a message since the last wait */
	char erro[AMQP_ERRO_MAX]; /* why the last call failed */
};

/* A queue's arguments; zero values leave an argument out. */
struct amqp_fila {
	const char *nome;
	const char *dead_letter_exchange; /* x-dead-letter-exchange ("" is the default exchange) */
	const char *dead_letter_routing_key; /* x-dead-letter-routing-key */
	int message_ttl_ms;                  /* x-message-ttl */
};

/* What a message carries besides its body. Strings may be NULL. */
struct amqp_propriedades {
	const char *message_id;
	const char *correlation_id;
	const char *type;
	int64_t timestamp;      /* seconds since the epoch; 0: none */
	int tentativas;         /* header x-tentativas (failed attempts so far); < 0: none */
	const char *motivo;     /* header x-motivo (why the last attempt failed) */
	const char *expiration; /* per-message TTL in ms, as text (the retry queue's delay) */
};

/* A message received (amqp_client_next, amqp_client_get). Free with amqp_entrega_cleanup. */
struct amqp_entrega {
	uint64_t tag;
	bool redelivered;
	char message_id[64];
	char correlation_id[129];
	char type[64];
	char routing_key[128];
	int64_t timestamp;
	int tentativas; /* from x-tentativas, 0 when absent */
	char motivo[AMQP_ERRO_MAX];
	char *body; /* NUL-terminated copy */
	size_t len;
};

/* Whether url is an amqp:// or amqps:// URL amqp_client_connect can read. */
bool amqp_client_url_valida(const char *url);

/*
 * Connects to url (amqp:// or amqps://, TLS verifying the broker's certificate and name) and
 * opens channel 1, in publisher-confirm mode when confirms. 0, or -1 with c->erro set.
 */
int amqp_client_connect(struct amqp_client *c, const char *url, int timeout_ms, bool confirms);

/* Closes politely when possible; c can connect again. Accepts a closed client. */
void amqp_client_close(struct amqp_client *c);

bool amqp_client_is_open(const struct amqp_client *c);

/* Declarations are idempotent: the same arguments again are a no-op. 0 or -1. */
int amqp_client_declare_exchange(struct amqp_client *c, const char *name, const char *type);
int amqp_client_declare_queue(struct amqp_client *c, const struct amqp_fila *q);
int amqp_client_bind(struct amqp_client *c, const char *queue, const char *exchange,
                     const char *routing_key);

/* Messages in queue (it must exist: passive declare). >= 0, or -1. */
long amqp_client_queue_count(struct amqp_client *c, const char *queue);

/* Publishes a persistent JSON message. With confirms, wait for it with amqp_client_confirm. */
int amqp_client_publish(struct amqp_client *c, const char *exchange, const char *routing_key,
                        const struct amqp_propriedades *p, const char *body, size_t len);

/*
 * Waits until the broker has confirmed every message published so far: 0, or -1 when one was
 * refused (nack), the deadline passed or the connection failed.
 */
int amqp_client_confirm(struct amqp_client *c, int timeout_ms);

/* Starts consuming queue with at most prefetch unacknowledged messages. */
int amqp_client_consume(struct amqp_client *c, const char *queue, unsigned prefetch);

/* The next delivery: 1 (in *out), 0 when none came within timeout_ms, -1 on failure. */
int amqp_client_next(struct amqp_client *c, int timeout_ms, struct amqp_entrega *out);

/* basic.get of one message, unacknowledged: 1 (in *out), 0 when the queue is empty, -1. */
int amqp_client_get(struct amqp_client *c, const char *queue, struct amqp_entrega *out);

int amqp_client_ack(struct amqp_client *c, uint64_t tag);

/* Exchanges heartbeats and notices a closed connection while the owner is idle. 0 or -1. */
int amqp_client_poll(struct amqp_client *c);

void amqp_entrega_cleanup(struct amqp_entrega *e);

#endif

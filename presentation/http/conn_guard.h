/*
 * Deadlines for slow clients (presentation layer). libmicrohttpd 0.9.75 only knows an idle
 * timeout, which a client that sends one byte at a time never reaches ("slowloris"): it can hold
 * a connection for days with a half-sent request. The guard keeps a registry of connections and
 * a sweeper thread that closes (shutdown(2): libmicrohttpd then cleans up) any connection whose
 * request is not fully received within read_timeout_ms:
 *
 *   - from the request line to the end of the body (the request is "reading");
 *   - while a connection is between requests, from the moment new bytes are seen arriving
 *     (TCP_INFO's byte count moves) without a request line being completed.
 *
 * A connection that sends nothing is left to libmicrohttpd's idle timeout; one whose request is
 * being handled is left to the request's own deadline. Registration happens once per connection
 * under a lock of the I/O thread that owns it (the sweeper takes each lock once per pass); the
 * per-request phase changes are atomic stores.
 */
#ifndef OFICINA_PRESENTATION_HTTP_CONN_GUARD_H
#define OFICINA_PRESENTATION_HTTP_CONN_GUARD_H

#include <stdatomic.h>

struct conn_guard;
struct guarded_conn;

/* Starts the sweeper. NULL when out of memory or the thread cannot start. */
struct conn_guard *conn_guard_start(int read_timeout_ms);

/* Stops the sweeper and frees the guard (every connection must be closed). Accepts NULL. */
void conn_guard_stop(struct conn_guard *g);

/* A connection was accepted (on its I/O thread). Returns its entry, or NULL (not guarded). */
struct guarded_conn *conn_guard_opened(struct conn_guard *g, int fd);

/* The connection is closing (its fd is still open). Frees c. Accepts NULL. */
void conn_guard_closed(struct guarded_conn *c);

/* A request line arrived: the read deadline runs. */
void conn_guard_reading(struct guarded_conn *c);

/* The whole request is in: no read deadline while it is handled. */
void conn_guard_handling(struct guarded_conn *c);

/* The answer is done: the connection waits for its next request. */
void conn_guard_idle(struct guarded_conn *c);

/* Connections closed by the guard so far (for metrics). */
unsigned long conn_guard_closed_slow(struct conn_guard *g);

#endif

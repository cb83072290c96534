/*
 * server.c - a worker: one thread per core that serves every connection its
 * core accepts, event-driven through a net_poller. It reads what has arrived
 * (never blocking on one client), answers each complete request head, and
 * keeps the connection for the next request (HTTP/1.1 keep-alive) unless told
 * otherwise. Whatever a client does - garbage, a truncated or oversized head,
 * silence, a reset, a half-close, pipelining without reading - ends in a
 * response or a close within the configured timeouts, and the worker's other
 * connections keep being served. Pairs with main.c (starts the workers) and
 * http.c/pages.c (parsing, content).
 */
#include "http.h"
#include "memory.h"
#include "net.h"
#include "string.h"
#include "toro.h"

#define CLIENTS_PER_WORKER  64
#define EVENTS_PER_WAIT     32
#define RESPONSE_HEADER_MAX 256

struct client {
    struct tcp_connection *connection; /* 0: a free slot */
    size_t received;                   /* bytes of head[] filled */
    uint64_t deadline_us;              /* the next request head must be complete by then */
    char head[HTTP_MAX_HEAD];
};

struct worker {
    struct tcp_listener *listener;
    const struct server_settings *settings;
    struct net_poller *poller;
    int clients_in_use;
    int listener_pending;     /* a report came while every slot was taken: accept later */
    char body[HTTP_MAX_BODY]; /* the /stats JSON of the response being built */
    char output[RESPONSE_HEADER_MAX + HTTP_MAX_BODY]; /* header + body, written at once */
    struct client clients[CLIENTS_PER_WORKER];
};

static void finish(struct worker *worker, struct client *client, int reset)
{
    if (reset)
        tcp_abort(client->connection); /* the peer is gone or misbehaves: no FIN handshake */
    else
        tcp_close(client->connection);
    client->connection = 0;
    worker->clients_in_use--;
}

/* Header and body go out in one write, so a small response is one segment. */
static int send_response(struct worker *worker, struct client *client, const struct http_response *response,
                         int head_only, int keep_alive)
{
    int header_length =
        ksnprintf(worker->output, RESPONSE_HEADER_MAX,
                  "HTTP/1.1 %d %s\r\nServer: toro\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                  "Connection: %s\r\n\r\n",
                  response->status, http_reason(response->status), response->content_type,
                  response->body_length, keep_alive ? "keep-alive" : "close");
    size_t body_length = head_only ? 0 : response->body_length;
    if (header_length < 0 || header_length >= RESPONSE_HEADER_MAX || body_length > HTTP_MAX_BODY)
        return -1;
    memcpy(worker->output + header_length, response->body, body_length);
    size_t total = (size_t)header_length + body_length;
    return tcp_write(client->connection, worker->output, total, worker->settings->write_timeout_ms) ==
                   (long)total
               ? 0
               : -1;
}

/* Answer with an error status and close (the request could not be understood). */
static void refuse(struct worker *worker, struct client *client, int status)
{
    struct http_response response;
    http_error_response(status, &response);
    tcp_cork(client->connection, 1); /* the answer and the FIN in one segment */
    int failed = send_response(worker, client, &response, 0, 0);
    finish(worker, client, failed);
}

/* Answer every complete head in the buffer. Returns 0 if the connection stays open. */
static int answer_requests(struct worker *worker, struct client *client)
{
    size_t head_length;
    while ((head_length = http_head_length(client->head, client->received)) != 0) {
        struct http_request request;
        int status = http_parse_request(client->head, head_length, &request);
        if (status) {
            refuse(worker, client, status);
            return -1;
        }
        struct http_response response;
        http_route(&request, &response, worker->body, sizeof worker->body);
        int keep_alive = worker->settings->keep_alive && request.keep_alive && !request.has_body;
        if (!keep_alive)
            tcp_cork(client->connection, 1); /* the answer and the FIN (finish) in one segment */
        if (send_response(worker, client, &response, request.method == HTTP_HEAD, keep_alive) != 0) {
            finish(worker, client, 1);
            return -1;
        }
        __atomic_fetch_add(&requests_served[current_core()], 1, __ATOMIC_RELAXED);
        if (!keep_alive) {
            finish(worker, client, 0);
            return -1;
        }
        client->received -= head_length; /* pipelined requests move to the front */
        memmove(client->head, client->head + head_length, client->received);
        client->deadline_us = time_now_us() + worker->settings->request_timeout_ms * 1000;
    }
    return 0;
}

/* News on a connection: read all that has arrived, then answer. */
static void serve(struct worker *worker, struct client *client)
{
    int peer_closed = 0;
    while (client->received < sizeof client->head) {
        long count = tcp_read(client->connection, client->head + client->received,
                              sizeof client->head - client->received, 0);
        if (count == NET_ERROR_TIMEOUT)
            break; /* nothing more for now */
        if (count < 0) {
            finish(worker, client, 1); /* reset by the peer */
            return;
        }
        if (count == 0) {
            peer_closed = 1; /* the client half-closed: answer what is complete, then close */
            break;
        }
        client->received += (size_t)count;
    }
    if (answer_requests(worker, client) != 0)
        return;
    if (client->received == sizeof client->head)
        refuse(worker, client, 431); /* the buffer is full and holds no complete head */
    else if (peer_closed && client->received)
        refuse(worker, client, 400); /* a truncated head */
    else if (peer_closed)
        finish(worker, client, 0);
}

/* Take at most `count` connections (one per listener report: the stack reports the next one to
 * the next worker, which spreads connections over the cores). */
static void accept_connections(struct worker *worker, int count)
{
    worker->listener_pending = 0;
    for (; count > 0; count--) {
        if (worker->clients_in_use == CLIENTS_PER_WORKER) {
            worker->listener_pending = 1; /* full: look again when a slot frees up */
            return;
        }
        struct tcp_connection *connection = tcp_accept(worker->listener, 0);
        if (!connection)
            return;
        struct client *client = worker->clients;
        while (client->connection)
            client++;
        client->connection = connection;
        client->received = 0;
        client->deadline_us = time_now_us() + worker->settings->request_timeout_ms * 1000;
        worker->clients_in_use++;
        if (net_poller_watch(worker->poller, connection, client) != 0)
            finish(worker, client, 1);
    }
}

/* Close connections whose next head is overdue; returns the wait until the earliest deadline (ms). */
static uint64_t expire_clients(struct worker *worker)
{
    uint64_t now = time_now_us();
    uint64_t earliest = UINT64_MAX;
    for (int index = 0; index < CLIENTS_PER_WORKER; index++) {
        struct client *client = &worker->clients[index];
        if (!client->connection)
            continue;
        if (client->deadline_us <= now) {
            if (client->received)
                refuse(worker, client, 408); /* started a request and never finished it */
            else
                finish(worker, client, 0); /* an idle keep-alive connection */
        } else if (client->deadline_us < earliest) {
            earliest = client->deadline_us;
        }
    }
    return earliest == UINT64_MAX ? NET_WAIT_FOREVER : (earliest - now + 999) / 1000;
}

void server_run(struct tcp_listener *listener, const struct server_settings *settings)
{
    struct worker *worker = kzalloc(sizeof *worker);
    struct net_poller *poller = net_poller_create();
    if (!worker || !poller || net_poller_watch_listener(poller, listener, worker) != 0) {
        kprintf("http-server: no memory for the worker on cpu %d\n", current_core());
        return;
    }
    worker->listener = listener;
    worker->settings = settings;
    worker->poller = poller;
    void *ready[EVENTS_PER_WAIT];
    for (;;) {
        uint64_t timeout_ms = expire_clients(worker);
        if (worker->listener_pending && worker->clients_in_use < CLIENTS_PER_WORKER)
            accept_connections(worker, CLIENTS_PER_WORKER - worker->clients_in_use);
        int count = net_poller_wait(poller, ready, EVENTS_PER_WAIT, timeout_ms);
        for (int index = 0; index < count; index++) {
            if (ready[index] == worker)
                accept_connections(worker, 1);
            else if (((struct client *)ready[index])->connection)
                serve(worker, ready[index]);
        }
    }
}

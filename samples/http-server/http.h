/*
 * http.h - the HTTP/1.x pieces of the http-server sample: finding the end of
 * a request head, parsing it strictly enough to refuse garbage (http.c), and
 * the handlers that build each response (pages.c). Pure functions: no
 * sockets here (server.c does the I/O).
 */
#ifndef HTTP_SERVER_HTTP_H
#define HTTP_SERVER_HTTP_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_HEAD    4096 /* a longer request head gets 431 */
#define HTTP_MAX_TARGET  256
#define HTTP_MAX_HEADERS 64

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_OTHER };

struct http_request {
    enum http_method method;
    char path[HTTP_MAX_TARGET]; /* the target without its query string */
    int minor_version;          /* 0 or 1 (HTTP/1.0, HTTP/1.1) */
    int header_count;
    int keep_alive; /* the client allows another request on this connection */
    int has_body;   /* Content-Length > 0 or Transfer-Encoding: not read, so the
                                       connection closes after the response */
};

/*
 * Length of the request head in `buffer` including the blank line that ends
 * it (CRLF CRLF, or bare LF LF, which RFC 9112 allows a server to accept),
 * or 0 if it has not ended yet.
 */
size_t http_head_length(const char *buffer, size_t length);

/*
 * Parse a complete head (`length` from http_head_length). Returns 0, or the
 * status to answer with: 400 for anything malformed (request line, version,
 * header syntax, control characters), 414 for a target longer than
 * HTTP_MAX_TARGET, 431 for more than HTTP_MAX_HEADERS header lines.
 */
int http_parse_request(const char *head, size_t length, struct http_request *request);

/* The reason phrase of `status` ("OK", "Bad Request", ...). */
const char *http_reason(int status);

/* A response: status, content type, body. `body` points into `storage` or at static text. */
struct http_response {
    int status;
    const char *content_type;
    const char *body;
    size_t body_length;
};

/* pages.c: fill `response` for `request`; dynamic bodies are written into `storage`. */
void http_route(const struct http_request *request, struct http_response *response, char *storage,
                size_t storage_size);
/* pages.c: a short plain-text error body for `status`. */
void http_error_response(int status, struct http_response *response);

/* main.c: requests answered by the workers of each core (shown by /stats). */
extern uint64_t requests_served[];

/* ---- server.c: one worker per core, serving all of its connections ----------- */

#define HTTP_MAX_BODY 4096 /* room for the /stats JSON */

struct server_settings {
    uint64_t request_timeout_ms; /* a request head must arrive within this (also the keep-alive idle limit) */
    uint64_t write_timeout_ms;   /* a response write may block this long (a client that does not read) */
    int keep_alive;              /* 0: close after every response (each request is one connection) */
};

struct tcp_listener;
/* A worker thread's body: accept from `listener` and serve every connection it gets, forever. */
void server_run(struct tcp_listener *listener, const struct server_settings *settings);

#endif

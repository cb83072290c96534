/*
 * fuzz_http.c - libFuzzer target: the request-head parser of
 * samples/http-server (http.c) on arbitrary bytes, as server.c calls it: find
 * the end of the head, parse it, and check what a successful parse promises
 * (a terminated path shorter than HTTP_MAX_TARGET, a known method, HTTP/1.0
 * or 1.1, at most HTTP_MAX_HEADERS headers) and that errors are the
 * documented statuses. Built by Makefile.
 */
#include <stdlib.h>
#include <string.h>
#include "../../samples/http-server/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > HTTP_MAX_HEAD * 2)
        return 0;
    char *buffer = malloc(size ? size : 1); /* exact size: a read past the end is caught */
    memcpy(buffer, data, size);
    size_t head = http_head_length(buffer, size);
    if (head > size)
        abort();
    if (head) {
        struct http_request request;
        memset(&request, 0xA5, sizeof request); /* the parser must set what it promises */
        int status = http_parse_request(buffer, head, &request);
        if (status == 0) {
            if (strnlen(request.path, HTTP_MAX_TARGET) == HTTP_MAX_TARGET || request.path[0] != '/')
                abort();
            if ((request.method != HTTP_GET && request.method != HTTP_HEAD && request.method != HTTP_OTHER) ||
                (request.minor_version != 0 && request.minor_version != 1) || request.header_count < 0 ||
                request.header_count > HTTP_MAX_HEADERS || (request.keep_alive & ~1) ||
                (request.has_body & ~1))
                abort();
        } else if (status != 400 && status != 414 && status != 431 && status != 505 && status != 501) {
            abort();
        } else if (!http_reason(status)[0]) {
            abort();
        }
    }
    free(buffer);
    return 0;
}

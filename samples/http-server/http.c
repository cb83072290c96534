/*
 * http.c - request heads: where they end, and a strict parse of the request
 * line and header syntax (RFC 9112 sections 2-5) so that garbage, truncated
 * or oversized input is answered with an error status instead of being
 * guessed at. Pairs with http.h; server.c calls it on what it has read.
 */
#include "http.h"
#include "string.h"

size_t http_head_length(const char *buffer, size_t length)
{
    for (size_t index = 0; index + 1 < length; index++) {
        if (buffer[index] != '\n')
            continue;
        if (buffer[index + 1] == '\n')
            return index + 2;
        if (buffer[index + 1] == '\r' && index + 2 < length && buffer[index + 2] == '\n')
            return index + 3;
    }
    return 0;
}

/* RFC 9110 5.6.2 token characters. */
static int token_character(char character)
{
    if ((character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
        (character >= '0' && character <= '9'))
        return 1;
    return character != 0 && strchr("!#$%&'*+-.^_`|~", character) != 0;
}

/* The next line of the head: [start, end) without its CR LF; returns where the following line starts. */
static const char *next_line(const char *start, const char *limit, const char **end)
{
    const char *newline = start;
    while (newline < limit && *newline != '\n')
        newline++;
    *end = newline > start && newline[-1] == '\r' ? newline - 1 : newline;
    return newline < limit ? newline + 1 : limit;
}

static int parse_request_line(const char *line, const char *end, struct http_request *request)
{
    const char *cursor = line;
    while (cursor < end && token_character(*cursor))
        cursor++;
    size_t method_length = (size_t)(cursor - line);
    if (method_length == 0 || cursor >= end || *cursor != ' ')
        return 400;
    if (method_length == 3 && memcmp(line, "GET", 3) == 0)
        request->method = HTTP_GET;
    else if (method_length == 4 && memcmp(line, "HEAD", 4) == 0)
        request->method = HTTP_HEAD;
    else
        request->method = HTTP_OTHER;

    const char *target = ++cursor;
    while (cursor<end && * cursor> ' ' && *cursor < 0x7F)
        cursor++;
    if (cursor == target || *target != '/' || cursor >= end || *cursor != ' ')
        return 400;
    size_t target_length = (size_t)(cursor - target);
    if (target_length >= HTTP_MAX_TARGET)
        return 414;
    size_t path_length = 0;
    while (path_length < target_length && target[path_length] != '?')
        path_length++;
    memcpy(request->path, target, path_length);
    request->path[path_length] = '\0';

    const char *version = cursor + 1;
    if (end - version != 8 || memcmp(version, "HTTP/1.", 7) != 0 || (version[7] != '0' && version[7] != '1'))
        return 400;
    request->minor_version = version[7] - '0';
    return 0;
}

static char lower(char character)
{
    return character >= 'A' && character <= 'Z' ? (char)(character - 'A' + 'a') : character;
}

/* 1 if [start, end) equals `word` ignoring case. */
static int equals_ignoring_case(const char *start, const char *end, const char *word)
{
    size_t length = strlen(word);
    if ((size_t)(end - start) != length)
        return 0;
    for (size_t index = 0; index < length; index++)
        if (lower(start[index]) != word[index])
            return 0;
    return 1;
}

/* 1 if the comma-separated value [start, end) lists `token` (case-insensitive). */
static int lists_token(const char *start, const char *end, const char *token)
{
    while (start < end) {
        while (start < end && (*start == ' ' || *start == '\t' || *start == ','))
            start++;
        const char *item = start;
        while (start < end && *start != ',')
            start++;
        const char *item_end = start;
        while (item_end > item && (item_end[-1] == ' ' || item_end[-1] == '\t'))
            item_end--;
        if (equals_ignoring_case(item, item_end, token))
            return 1;
    }
    return 0;
}

/* The headers that change how the connection continues: Connection, Content-Length, Transfer-Encoding. */
static void note_header(const char *name, const char *colon, const char *end, struct http_request *request)
{
    const char *value = colon + 1;
    if (equals_ignoring_case(name, colon, "connection")) {
        if (lists_token(value, end, "close"))
            request->keep_alive = 0;
        else if (lists_token(value, end, "keep-alive"))
            request->keep_alive = 1;
    } else if (equals_ignoring_case(name, colon, "transfer-encoding")) {
        request->has_body = 1;
    } else if (equals_ignoring_case(name, colon, "content-length")) {
        while (value < end && (*value == ' ' || *value == '\t' || *value == '0'))
            value++;
        if (value < end && *value >= '1' && *value <= '9')
            request->has_body = 1;
    }
}

/* name ":" OWS value OWS, with no control characters in the value. */
static int valid_header(const char *line, const char *end)
{
    const char *cursor = line;
    while (cursor < end && token_character(*cursor))
        cursor++;
    if (cursor == line || cursor >= end || *cursor != ':')
        return 0;
    for (cursor++; cursor < end; cursor++) {
        unsigned char character = (unsigned char)*cursor;
        if ((character < ' ' && character != '\t') || character == 0x7F)
            return 0;
    }
    return 1;
}

int http_parse_request(const char *head, size_t length, struct http_request *request)
{
    const char *limit = head + length;
    const char *end;
    const char *next = next_line(head, limit, &end);
    int status = parse_request_line(head, end, request);
    if (status)
        return status;
    request->header_count = 0;
    request->keep_alive = request->minor_version == 1; /* HTTP/1.1 keeps connections open by default */
    request->has_body = 0;
    while (next < limit) {
        const char *line = next;
        next = next_line(line, limit, &end);
        if (end == line) /* the blank line: end of the head */
            return next == limit ? 0 : 400;
        if (!valid_header(line, end))
            return 400;
        if (++request->header_count > HTTP_MAX_HEADERS)
            return 431;
        note_header(line, strchr(line, ':'), end, request); /* valid_header saw the colon */
    }
    return 400; /* no blank line: not a complete head */
}

const char *http_reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 414:
        return "URI Too Long";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    default:
        return "Unknown";
    }
}

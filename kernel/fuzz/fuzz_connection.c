/*
 * fuzz_connection.c - libFuzzer target: connections' whole lives. The input
 * is a script of steps a peer and an application take in turn - segments
 * from the peer (built with correct checksums, numbered relative to what each
 * side has sent, so mutations stay near the window), raw frames, time
 * passing, and the application's accept, read, write, cork, close, abort and poll.
 * Data read is fed to the http-server sample's request parser, as its server
 * does. After the script everything is closed and the stack must have
 * forgotten every connection (harness.c). Built by Makefile.
 *
 * Steps (the first byte of each, modulo STEP_COUNT, chooses):
 *   SEGMENT  port flags seq_delta(2) ack_delta(1) window(2) options(1) length(1) [options] [data]
 *   RAW      length(2) frame                  (checksums fixed)
 *   TIME     milliseconds(2)                  (then timers run)
 *   ACCEPT   listener(1)
 *   READ     connection(1) length(2)
 *   WRITE    connection(1) length(2)
 *   CLOSE    connection(1)
 *   ABORT    connection(1)
 *   POLL     -
 *   CORK     connection(1) corked(1)          (tcp_cork; odd corks, even uncorks)
 */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "net.h"
#include "../../samples/http-server/http.h"

enum step { SEGMENT, RAW, TIME, ACCEPT, READ, WRITE, CLOSE, ABORT, POLL, CORK, STEP_COUNT };

#define PEER_PORTS 4     /* peer ports 40000.. : up to four connections at once */
#define HELD_MAX   8     /* connections the application holds */
#define PEER_ISS   1000u /* the peer's initial sequence number, per port: PEER_ISS << port */

struct script {
    const uint8_t *data;
    size_t size;
    size_t at;
};

static int take(struct script *script, void *out, size_t length)
{
    if (script->size - script->at < length)
        return 0;
    memcpy(out, script->data + script->at, length);
    script->at += length;
    return 1;
}

static const uint8_t *take_bytes(struct script *script, size_t *length)
{
    if (*length > script->size - script->at)
        *length = script->size - script->at;
    const uint8_t *bytes = script->data + script->at;
    script->at += *length;
    return bytes;
}

struct held {
    struct tcp_connection *connection;
    char head[HTTP_MAX_HEAD];
    size_t head_length;
};

static struct held held[HELD_MAX];
static uint32_t peer_next[PEER_PORTS]; /* the peer's SND.NXT per port */

static void segment_step(struct script *script)
{
    static uint8_t frame[FUZZ_FRAME_MAX];
    uint8_t port, flags, ack_delta, options_length, data_length;
    uint16_t sequence_delta, window;
    if (!take(script, &port, 1) || !take(script, &flags, 1) || !take(script, &sequence_delta, 2) ||
        !take(script, &ack_delta, 1) || !take(script, &window, 2) || !take(script, &options_length, 1) ||
        !take(script, &data_length, 1))
        return;
    size_t options_size = options_length % 44, data_size = data_length;
    const uint8_t *options = take_bytes(script, &options_size);
    const uint8_t *data = take_bytes(script, &data_size);
    int peer = port % PEER_PORTS;
    uint16_t local_port = (port & 0x80) ? FUZZ_PORT_DEFERRED : FUZZ_PORT_PLAIN;
    uint16_t peer_port = (uint16_t)(40000 + peer);
    if (flags & 0x02) /* SYN: a new connection from this port starts at its ISS */
        peer_next[peer] = PEER_ISS << peer;
    uint32_t sequence = peer_next[peer] + (uint32_t)(int16_t)sequence_delta;
    uint32_t acknowledgment = 0;
    fuzz_stack_next_sequence(peer_port, &acknowledgment);
    acknowledgment += (uint32_t)(int8_t)ack_delta;
    uint32_t length = fuzz_build_tcp(frame, peer_port, local_port, sequence, acknowledgment, flags, window,
                                     options, (uint32_t)options_size, data, (uint32_t)data_size);
    uint32_t sent = (uint32_t)data_size + ((flags & 0x02) ? 1 : 0) + ((flags & 0x01) ? 1 : 0);
    if ((int32_t)(sequence + sent - peer_next[peer]) > 0)
        peer_next[peer] = sequence + sent;
    fuzz_inject(frame, length);
}

static void raw_step(struct script *script)
{
    static uint8_t frame[FUZZ_FRAME_MAX];
    uint16_t length;
    if (!take(script, &length, 2))
        return;
    size_t size = length % (FUZZ_FRAME_MAX + 1);
    const uint8_t *bytes = take_bytes(script, &size);
    memcpy(frame, bytes, size);
    fuzz_fix_checksums(frame, (uint32_t)size);
    fuzz_inject(frame, (uint32_t)size);
}

static struct held *held_at(struct script *script)
{
    uint8_t index;
    if (!take(script, &index, 1))
        return 0;
    struct held *entry = &held[index % HELD_MAX];
    return entry->connection ? entry : 0;
}

static void read_step(struct script *script)
{
    static char buffer[65536];
    struct held *entry = held_at(script);
    uint16_t length;
    if (!entry || !take(script, &length, 2))
        return;
    long result = tcp_read(entry->connection, buffer, length, 0);
    if (result > (long)length)
        abort();
    /* What server.c does with it: gather a request head, then parse it. */
    for (long index = 0; index < result && entry->head_length < HTTP_MAX_HEAD; index++)
        entry->head[entry->head_length++] = buffer[index];
    size_t head = http_head_length(entry->head, entry->head_length);
    if (head || entry->head_length == HTTP_MAX_HEAD) {
        struct http_request request;
        if (head)
            http_parse_request(entry->head, head, &request);
        entry->head_length = 0;
    }
}

static void write_step(struct script *script)
{
    static uint8_t pattern[65536];
    struct held *entry = held_at(script);
    uint16_t length;
    if (!entry || !take(script, &length, 2))
        return;
    memset(pattern, 'x', length);
    long result = tcp_write(entry->connection, pattern, length, 0);
    if (result > (long)length)
        abort();
}

static void accept_step(struct script *script)
{
    uint8_t which;
    if (!take(script, &which, 1))
        return;
    int slot = 0;
    while (slot < HELD_MAX && held[slot].connection)
        slot++;
    if (slot == HELD_MAX)
        return;
    struct tcp_connection *connection = tcp_accept(fuzz_listener(which & 1), 0);
    if (!connection)
        return;
    held[slot].connection = connection;
    held[slot].head_length = 0;
    if ((which & 2) && net_poller_watch(fuzz_poller, connection, &held[slot]) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_stack_init();
    struct script script = { .data = data, .size = size, .at = 0 };
    memset(peer_next, 0, sizeof peer_next);
    uint8_t step;
    while (take(&script, &step, 1)) {
        switch (step % STEP_COUNT) {
        case SEGMENT:
            segment_step(&script);
            break;
        case RAW:
            raw_step(&script);
            break;
        case TIME: {
            uint16_t milliseconds;
            if (take(&script, &milliseconds, 2))
                fuzz_clock_advance_to(fuzz_clock_now() + (uint64_t)milliseconds * 1000000u);
            break;
        }
        case ACCEPT:
            accept_step(&script);
            break;
        case READ:
            read_step(&script);
            break;
        case WRITE:
            write_step(&script);
            break;
        case CLOSE:
        case ABORT: {
            struct held *entry = held_at(&script);
            if (!entry)
                break;
            if (step % STEP_COUNT == CLOSE)
                tcp_close(entry->connection);
            else
                tcp_abort(entry->connection);
            entry->connection = 0;
            break;
        }
        case CORK: {
            struct held *entry = held_at(&script);
            uint8_t corked;
            if (entry && take(&script, &corked, 1))
                tcp_cork(entry->connection, corked & 1);
            break;
        }
        case POLL: {
            void *contexts[8];
            int ready = net_poller_wait(fuzz_poller, contexts, 8, 0);
            if (ready < 0 || ready > 8)
                abort();
            break;
        }
        }
        fuzz_network_pass();
    }
    struct tcp_connection *connections[HELD_MAX];
    for (int index = 0; index < HELD_MAX; index++) {
        connections[index] = held[index].connection;
        held[index].connection = 0;
    }
    fuzz_teardown(connections, HELD_MAX);
    return 0;
}

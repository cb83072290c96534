/*
 * byte_ring.h - a byte FIFO over a power-of-two buffer, for TCP's send and
 * receive buffers. The send buffer keeps bytes from SND.UNA on (peeked at any
 * offset for (re)transmission, dropped when acknowledged); the receive buffer
 * keeps bytes arrived in order and not yet read, and holds out-of-order bytes
 * in its free space, at their place after the held ones (byte_ring_place),
 * until the gap before them fills (byte_ring_commit). Implemented in byte_ring.c.
 *
 * Concurrency: a single producer and a single consumer may use a ring at once
 * without a lock. The producer alone moves `tail` (write, commit; place writes
 * only free space), the consumer alone moves `head` (drop, read, peek reads
 * only held bytes); each publishes its index with a release store after its
 * copy, and reads the other's with an acquire load. So the application reads
 * its receive buffer without a lock while the connection's owner core appends
 * under its lock (tcp_read's fast path). Anything else (init, attach, detach,
 * free) needs both sides excluded (the owner's lock, and no reader: tcp.h's
 * buffer lifetime).
 */
#ifndef TORO_NET_BYTE_RING_H
#define TORO_NET_BYTE_RING_H

#include <stdint.h>

struct byte_ring {
    uint8_t *data;     /* kmalloc'd, `capacity` bytes; 0 when not allocated */
    uint32_t capacity; /* a power of two */
    uint32_t head;     /* bytes ever removed (consumer's; wraps modulo 2^32): oldest at head % capacity */
    uint32_t tail;     /* bytes ever added (producer's): count = tail - head */
};

/* Allocate `capacity` (a power of two) bytes. 0, or -1 without memory. */
int byte_ring_init(struct byte_ring *ring, uint32_t capacity);
/* Free the buffer; the ring then holds nothing and has no room. */
void byte_ring_free(struct byte_ring *ring);
/* Use `data` (`capacity` bytes from kmalloc, a power of two: a buffer taken back by byte_ring_detach)
 * as the ring's empty buffer. */
void byte_ring_attach(struct byte_ring *ring, uint8_t *data, uint32_t capacity);
/* Empty the ring and hand its buffer (0 if none) to the caller, who frees it or attaches it again. */
uint8_t *byte_ring_detach(struct byte_ring *ring);

/* Bytes held (either side may ask: the answer is at least what the consumer may read, and at
 * most what the producer must leave alone). */
static inline uint32_t byte_ring_count(const struct byte_ring *ring)
{
    return __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE) - __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE);
}
static inline uint32_t byte_ring_space(const struct byte_ring *ring)
{
    return ring->capacity - byte_ring_count(ring);
}

/* Producer. Append up to `length` bytes (as many as fit); returns how many. */
uint32_t byte_ring_write(struct byte_ring *ring, const void *data, uint32_t length);
/* Consumer. Copy `length` bytes starting `offset` bytes after the oldest, without removing them.
 * The caller keeps offset + length <= count. */
void byte_ring_peek(const struct byte_ring *ring, uint32_t offset, void *out, uint32_t length);
/* Producer. Copy `length` bytes into the free space, `offset` bytes after the last held byte,
 * without holding them yet. The caller keeps offset + length <= space. Held bytes never move, so
 * placed bytes stay where they are while the held ones are read. */
void byte_ring_place(struct byte_ring *ring, uint32_t offset, const void *data, uint32_t length);
/* Producer. Hold the next `length` placed bytes (at most space), as if written. */
void byte_ring_commit(struct byte_ring *ring, uint32_t length);
/* Consumer. Remove the oldest `length` bytes (at most count). */
void byte_ring_drop(struct byte_ring *ring, uint32_t length);
/* Consumer. Remove and copy out up to `length` of the oldest bytes; returns how many. */
uint32_t byte_ring_read(struct byte_ring *ring, void *out, uint32_t length);

#endif

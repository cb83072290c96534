/*
 * byte_ring.h - a byte FIFO over a power-of-two buffer, for TCP's send and
 * receive buffers. The send buffer keeps bytes from SND.UNA on (peeked at any
 * offset for (re)transmission, dropped when acknowledged); the receive buffer
 * keeps bytes arrived in order and not yet read, and holds out-of-order bytes
 * in its free space, at their place after the held ones (byte_ring_place),
 * until the gap before them fills (byte_ring_commit). Implemented in byte_ring.c;
 * pure (no lock of its own, the stack's lock covers it).
 */
#ifndef TORO_NET_BYTE_RING_H
#define TORO_NET_BYTE_RING_H

#include <stdint.h>

struct byte_ring {
    uint8_t *data;     /* kmalloc'd, `capacity` bytes; 0 when not allocated */
    uint32_t capacity; /* a power of two */
    uint32_t start;    /* index of the oldest byte (below capacity) */
    uint32_t count;    /* bytes held */
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

static inline uint32_t byte_ring_space(const struct byte_ring *ring) { return ring->capacity - ring->count; }

/* Append up to `length` bytes (as many as fit); returns how many. */
uint32_t byte_ring_write(struct byte_ring *ring, const void *data, uint32_t length);
/* Copy `length` bytes starting `offset` bytes after the oldest, without removing them.
 * The caller keeps offset + length <= count. */
void byte_ring_peek(const struct byte_ring *ring, uint32_t offset, void *out, uint32_t length);
/* Copy `length` bytes into the free space, `offset` bytes after the last held byte, without
 * holding them yet. The caller keeps offset + length <= space. Held bytes never move, so placed
 * bytes stay where they are while the held ones are read. */
void byte_ring_place(struct byte_ring *ring, uint32_t offset, const void *data, uint32_t length);
/* Hold the next `length` placed bytes (at most space), as if written. */
void byte_ring_commit(struct byte_ring *ring, uint32_t length);
/* Remove the oldest `length` bytes (at most count). */
void byte_ring_drop(struct byte_ring *ring, uint32_t length);
/* Remove and copy out up to `length` of the oldest bytes; returns how many. */
uint32_t byte_ring_read(struct byte_ring *ring, void *out, uint32_t length);

#endif

/*
 * byte_ring.c - the byte FIFO of byte_ring.h. Copies are done in at most two
 * pieces (before and after the wrap). Invariant: count <= capacity and
 * start < capacity (or both 0 for an unallocated ring).
 */
#include "byte_ring.h"
#include "memory.h"
#include "string.h"

int byte_ring_init(struct byte_ring *ring, uint32_t capacity)
{
    ring->start = 0;
    ring->count = 0;
    ring->data = kmalloc(capacity);
    ring->capacity = ring->data ? capacity : 0;
    return ring->data ? 0 : -1;
}

void byte_ring_attach(struct byte_ring *ring, uint8_t *data, uint32_t capacity)
{
    ring->data = data;
    ring->capacity = capacity;
    ring->start = 0;
    ring->count = 0;
}

uint8_t *byte_ring_detach(struct byte_ring *ring)
{
    uint8_t *data = ring->data;
    byte_ring_attach(ring, 0, 0);
    return data;
}

void byte_ring_free(struct byte_ring *ring) { kfree(byte_ring_detach(ring)); }

uint32_t byte_ring_write(struct byte_ring *ring, const void *data, uint32_t length)
{
    if (length > byte_ring_space(ring))
        length = byte_ring_space(ring);
    uint32_t end = (ring->start + ring->count) & (ring->capacity - 1);
    uint32_t first = ring->capacity - end < length ? ring->capacity - end : length;
    memcpy(ring->data + end, data, first);
    memcpy(ring->data, (const uint8_t *)data + first, length - first);
    ring->count += length;
    return length;
}

void byte_ring_peek(const struct byte_ring *ring, uint32_t offset, void *out, uint32_t length)
{
    uint32_t position = (ring->start + offset) & (ring->capacity - 1);
    uint32_t first = ring->capacity - position < length ? ring->capacity - position : length;
    memcpy(out, ring->data + position, first);
    memcpy((uint8_t *)out + first, ring->data, length - first);
}

void byte_ring_place(struct byte_ring *ring, uint32_t offset, const void *data, uint32_t length)
{
    uint32_t position = (ring->start + ring->count + offset) & (ring->capacity - 1);
    uint32_t first = ring->capacity - position < length ? ring->capacity - position : length;
    memcpy(ring->data + position, data, first);
    memcpy(ring->data, (const uint8_t *)data + first, length - first);
}

void byte_ring_commit(struct byte_ring *ring, uint32_t length)
{
    ring->count += length < byte_ring_space(ring) ? length : byte_ring_space(ring);
}

void byte_ring_drop(struct byte_ring *ring, uint32_t length)
{
    if (length > ring->count)
        length = ring->count;
    ring->count -= length;
    /* (start does not jump back to 0 when the ring empties: placed bytes lie after it) */
    ring->start = ring->capacity ? (ring->start + length) & (ring->capacity - 1) : 0;
}

uint32_t byte_ring_read(struct byte_ring *ring, void *out, uint32_t length)
{
    if (length > ring->count)
        length = ring->count;
    byte_ring_peek(ring, 0, out, length);
    byte_ring_drop(ring, length);
    return length;
}

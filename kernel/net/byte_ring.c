/*
 * byte_ring.c - the byte FIFO of byte_ring.h. Copies are done in at most two
 * pieces (before and after the wrap). Invariant: tail - head <= capacity
 * (both 0 for an unallocated ring). Each side publishes its index only after
 * its copy (release) and reads the other's with acquire (byte_ring.h).
 */
#include "byte_ring.h"
#include "memory.h"
#include "string.h"

int byte_ring_init(struct byte_ring *ring, uint32_t capacity)
{
    uint8_t *data = kmalloc(capacity);
    byte_ring_attach(ring, data, data ? capacity : 0);
    return data ? 0 : -1;
}

void byte_ring_attach(struct byte_ring *ring, uint8_t *data, uint32_t capacity)
{
    ring->data = data;
    ring->capacity = capacity;
    ring->head = 0;
    ring->tail = 0;
}

uint8_t *byte_ring_detach(struct byte_ring *ring)
{
    uint8_t *data = ring->data;
    byte_ring_attach(ring, 0, 0);
    return data;
}

void byte_ring_free(struct byte_ring *ring) { kfree(byte_ring_detach(ring)); }

/* Copy `length` bytes into the buffer from index `position` on (modulo capacity). */
static void copy_in(struct byte_ring *ring, uint32_t position, const void *data, uint32_t length)
{
    position &= ring->capacity - 1;
    uint32_t first = ring->capacity - position < length ? ring->capacity - position : length;
    memcpy(ring->data + position, data, first);
    memcpy(ring->data, (const uint8_t *)data + first, length - first);
}

uint32_t byte_ring_write(struct byte_ring *ring, const void *data, uint32_t length)
{
    uint32_t space = byte_ring_space(ring);
    if (length > space)
        length = space;
    if (length == 0)
        return 0;
    copy_in(ring, ring->tail, data, length);
    __atomic_store_n(&ring->tail, ring->tail + length, __ATOMIC_RELEASE);
    return length;
}

void byte_ring_peek(const struct byte_ring *ring, uint32_t offset, void *out, uint32_t length)
{
    if (length == 0)
        return;
    uint32_t position = (ring->head + offset) & (ring->capacity - 1);
    uint32_t first = ring->capacity - position < length ? ring->capacity - position : length;
    memcpy(out, ring->data + position, first);
    memcpy((uint8_t *)out + first, ring->data, length - first);
}

void byte_ring_place(struct byte_ring *ring, uint32_t offset, const void *data, uint32_t length)
{
    if (length)
        copy_in(ring, ring->tail + offset, data, length);
}

void byte_ring_commit(struct byte_ring *ring, uint32_t length)
{
    uint32_t space = byte_ring_space(ring);
    __atomic_store_n(&ring->tail, ring->tail + (length < space ? length : space), __ATOMIC_RELEASE);
}

void byte_ring_drop(struct byte_ring *ring, uint32_t length)
{
    uint32_t count = byte_ring_count(ring);
    /* (head does not jump back when the ring empties: placed bytes lie after it) */
    __atomic_store_n(&ring->head, ring->head + (length < count ? length : count), __ATOMIC_RELEASE);
}

uint32_t byte_ring_read(struct byte_ring *ring, void *out, uint32_t length)
{
    uint32_t count = byte_ring_count(ring);
    if (length > count)
        length = count;
    byte_ring_peek(ring, 0, out, length);
    byte_ring_drop(ring, length);
    return length;
}

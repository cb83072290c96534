/*
 * virtqueue.h - a split virtqueue (virtio 1.x, section 2.7): the descriptor
 * table, the available ring (driver -> device) and the used ring (device ->
 * driver), each in its own zeroed page. Implemented in virtqueue.c; the PCI
 * transport (virtio_pci.c) tells the device where they are.
 *
 * This driver uses one descriptor per buffer (no chains): descriptor i always
 * describes the caller's buffer i, so a used element's id names the buffer.
 * Not locked: the caller serialises every call on one queue.
 */
#ifndef TORO_VIRTQUEUE_H
#define TORO_VIRTQUEUE_H

#include <stdint.h>

#define VIRTQUEUE_MAX_SIZE           256 /* keeps each of the three parts within one page */
#define VIRTQ_DESCRIPTOR_WRITE       2u  /* the device writes into this buffer (receive) */
#define VIRTQ_AVAILABLE_NO_INTERRUPT 1u  /* driver -> device: no interrupt needed for used buffers */
#define VIRTQ_USED_NO_NOTIFY         1u  /* device -> driver: no kick needed for new buffers */

struct virtq_descriptor {
    uint64_t address; /* guest-physical (identity map: the pointer itself) */
    uint32_t length;
    uint16_t flags;
    uint16_t next;
};

struct virtq_available {
    uint16_t flags;
    uint16_t index; /* where the driver puts the next entry (free running) */
    uint16_t ring[];
};

struct virtq_used_element {
    uint32_t id;     /* head descriptor of the buffer the device is done with */
    uint32_t length; /* bytes the device wrote into it */
};

struct virtq_used {
    uint16_t flags;
    uint16_t index; /* where the device puts the next entry (free running) */
    struct virtq_used_element ring[];
};

struct virtqueue {
    uint16_t queue_index; /* which queue of the device (0 = receive for virtio-net) */
    uint16_t size;        /* entries, a power of two <= VIRTQUEUE_MAX_SIZE */
    struct virtq_descriptor *descriptors;
    struct virtq_available *available;
    volatile struct virtq_used *used;
    volatile uint16_t *notify_address; /* where a kick is written (set by the transport) */
    uint16_t used_seen;                /* used ring entries already taken (free running) */
};

/* Allocate the three parts for `size` entries (a power of two). 0, or -1 without memory. */
int virtqueue_init(struct virtqueue *queue, uint16_t queue_index, uint16_t size);

/* Hand buffer `descriptor` (address, length, VIRTQ_DESCRIPTOR_* flags) to the device. No kick. */
void virtqueue_post(struct virtqueue *queue, uint16_t descriptor, const void *buffer, uint32_t length,
                    uint16_t flags);

/* Tell the device about posted buffers, unless it said it does not need to be told. */
void virtqueue_kick(struct virtqueue *queue);

/* 1 if the device has returned a buffer not yet taken. */
int virtqueue_used_pending(const struct virtqueue *queue);

/* Take the oldest returned buffer: 1 with its descriptor and written length, 0 if none. */
int virtqueue_take_used(struct virtqueue *queue, uint16_t *descriptor, uint32_t *length);

/* Ask the device not to interrupt for this queue (e.g. transmit, reclaimed lazily). */
void virtqueue_disable_interrupts(struct virtqueue *queue);

#endif

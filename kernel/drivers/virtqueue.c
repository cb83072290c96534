/*
 * virtqueue.c - the driver side of a split virtqueue: post buffers into the
 * available ring, kick the device, take buffers back from the used ring.
 * Pairs with virtqueue.h; the rings' addresses reach the device through
 * virtio_pci.c.
 *
 * Ordering (x86 keeps stores in order and loads in order, so only the
 * compiler and the store->load pair need fences): a descriptor and its ring
 * slot are written before the index that publishes them (release); the used
 * index is read before the entries it covers (acquire); a full fence sits
 * between publishing the available index and reading the device's "no
 * notify" flag, or both sides could miss each other.
 */
#include "virtqueue.h"
#include "memory.h"

int virtqueue_init(struct virtqueue *queue, uint16_t queue_index, uint16_t size)
{
    queue->queue_index = queue_index;
    queue->size = size;
    queue->used_seen = 0;
    queue->notify_address = 0;
    if (size == 0 || size > VIRTQUEUE_MAX_SIZE || (size & (size - 1)) != 0)
        return -1;
    queue->descriptors = page_alloc();
    queue->available = page_alloc();
    queue->used = page_alloc();
    if (queue->descriptors && queue->available && queue->used)
        return 0;
    void *parts[] = { queue->descriptors, queue->available, (void *)queue->used };
    for (unsigned index = 0; index < 3; index++)
        if (parts[index])
            page_free(parts[index]);
    return -1;
}

void virtqueue_post(struct virtqueue *queue, uint16_t descriptor, const void *buffer, uint32_t length,
                    uint16_t flags)
{
    struct virtq_descriptor *entry = &queue->descriptors[descriptor];
    entry->address = (uint64_t)(uintptr_t)buffer;
    entry->length = length;
    entry->flags = flags;
    entry->next = 0;
    uint16_t index = queue->available->index;
    queue->available->ring[index & (queue->size - 1)] = descriptor;
    __atomic_store_n(&queue->available->index, (uint16_t)(index + 1), __ATOMIC_RELEASE);
}

void virtqueue_kick(struct virtqueue *queue)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (!(queue->used->flags & VIRTQ_USED_NO_NOTIFY))
        *queue->notify_address = queue->queue_index;
}

int virtqueue_used_pending(const struct virtqueue *queue)
{
    return __atomic_load_n(&queue->used->index, __ATOMIC_ACQUIRE) != queue->used_seen;
}

int virtqueue_take_used(struct virtqueue *queue, uint16_t *descriptor, uint32_t *length)
{
    if (!virtqueue_used_pending(queue))
        return 0;
    volatile struct virtq_used_element *element = &queue->used->ring[queue->used_seen & (queue->size - 1)];
    *descriptor = (uint16_t)element->id;
    *length = element->length;
    queue->used_seen++;
    return 1;
}

void virtqueue_disable_interrupts(struct virtqueue *queue)
{
    queue->available->flags = VIRTQ_AVAILABLE_NO_INTERRUPT;
}

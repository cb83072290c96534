/*
 * heap.c - kmalloc/kfree: a per-core heap of size classes (32 B .. 2 KiB
 * blocks carved from whole pages), with large requests going straight to the
 * page allocator. A core allocates only from its own free lists, so the fast
 * path takes no lock. A block freed on another core is pushed onto its owner's
 * lock-free remote list (many pushers, one taker that swaps the whole list
 * out, so no ABA problem); the owner moves it back into its lists on its next
 * kmalloc. Pairs with include/memory.h and page.c.
 */
#include <stddef.h>
#include <stdint.h>
#include "arch.h"
#include "cpu.h"
#include "memory.h"
#include "string.h"

#define CLASS_COUNT     7 /* blocks of 32, 64, ..., 2048 bytes */
#define SMALLEST_BLOCK  32
#define LARGE_CLASS     0xFFFF /* header.size_class of a page-allocator block */
#define MAGIC_ALLOCATED 0xA110CA7Eu
#define MAGIC_FREE      0xF4EEB10Cu

/* In front of every block; the caller's memory follows, 16-byte aligned. */
struct block_header {
    uint32_t magic;      /* MAGIC_ALLOCATED or MAGIC_FREE: catches double and foreign frees */
    uint16_t size_class; /* 0..CLASS_COUNT-1, or LARGE_CLASS */
    uint16_t owner_core; /* core whose lists the block returns to */
    uint64_t page_count; /* LARGE_CLASS only */
};
_Static_assert(sizeof(struct block_header) == 16, "header keeps blocks 16-byte aligned");

/* A free block: its header, then the link in the payload. */
struct free_block {
    struct block_header header;
    struct free_block *next;
};

struct core_heap {
    /* Owned by the core: touched only by it, with interrupts disabled. */
    struct free_block *free_lists[CLASS_COUNT];
    /* Pushed by other cores (atomic compare-and-swap), taken whole by the owner. */
    _Alignas(64) struct free_block *remote_frees;
} __attribute__((aligned(64)));

static struct core_heap heaps[MAX_CPUS];

static size_t block_size(int size_class) { return (size_t)SMALLEST_BLOCK << size_class; }

static int class_for(size_t size)
{
    for (int size_class = 0; size_class < CLASS_COUNT; size_class++)
        if (size + sizeof(struct block_header) <= block_size(size_class))
            return size_class;
    return -1;
}

static void push_local(struct core_heap *heap, struct free_block *block)
{
    block->next = heap->free_lists[block->header.size_class];
    heap->free_lists[block->header.size_class] = block;
}

/* Take the blocks other cores gave back. Interrupts disabled. */
static void drain_remote_frees(struct core_heap *heap)
{
    struct free_block *block = __atomic_exchange_n(&heap->remote_frees, 0, __ATOMIC_ACQUIRE);
    while (block) {
        struct free_block *next = block->next;
        push_local(heap, block);
        block = next;
    }
}

/* Carve a fresh page into blocks of `size_class`. Interrupts disabled. */
static int refill(struct core_heap *heap, int size_class, int core)
{
    uint8_t *page = page_alloc();
    if (!page)
        return 0;
    for (size_t offset = 0; offset + block_size(size_class) <= PAGE_SIZE; offset += block_size(size_class)) {
        struct free_block *block = (struct free_block *)(page + offset);
        block->header = (struct block_header){ MAGIC_FREE, (uint16_t)size_class, (uint16_t)core, 0 };
        push_local(heap, block);
    }
    return 1;
}

static void *kmalloc_large(size_t size)
{
    size_t pages = (size + sizeof(struct block_header) + PAGE_SIZE - 1) / PAGE_SIZE;
    /* Not zeroed (kmalloc's contract; kzalloc zeroes what it asked for): zeroing TCP's 8 and 16 KiB
     * buffers for every new connection cost more than the rest of the connection's setup. */
    struct block_header *header = page_alloc_contiguous_unzeroed(pages);
    if (!header)
        return 0;
    *header = (struct block_header){ MAGIC_ALLOCATED, LARGE_CLASS, (uint16_t)cpu_index(), pages };
    return header + 1;
}

void *kmalloc(size_t size)
{
    int size_class = class_for(size);
    if (size_class < 0)
        return kmalloc_large(size);

    push_off();
    int core = cpu_index();
    struct core_heap *heap = &heaps[core];
    if (!heap->free_lists[size_class])
        drain_remote_frees(heap);
    if (!heap->free_lists[size_class] && !refill(heap, size_class, core)) {
        pop_off();
        return 0;
    }
    struct free_block *block = heap->free_lists[size_class];
    heap->free_lists[size_class] = block->next;
    block->header.magic = MAGIC_ALLOCATED;
    pop_off();
    return &block->header + 1;
}

void *kzalloc(size_t size)
{
    void *pointer = kmalloc(size);
    if (pointer)
        memset(pointer, 0, size);
    return pointer;
}

void kfree(void *pointer)
{
    if (!pointer)
        return;
    if ((uintptr_t)pointer % 16 != 0)
        panic("kfree(%p): not a kmalloc pointer (misaligned)", pointer);
    struct block_header *header = (struct block_header *)pointer - 1;
    if (header->magic != MAGIC_ALLOCATED)
        panic("kfree(%p): %s", pointer,
              header->magic == MAGIC_FREE ? "already freed (double free)" : "not a kmalloc pointer");
    header->magic = MAGIC_FREE;

    if (header->size_class == LARGE_CLASS) {
        page_free_contiguous(header, header->page_count);
        return;
    }
    if (header->size_class >= CLASS_COUNT || header->owner_core >= MAX_CPUS)
        panic("kfree(%p): corrupted block header", pointer);

    struct free_block *block = (struct free_block *)header;
    push_off();
    int core = cpu_index();
    if (header->owner_core == core) {
        push_local(&heaps[core], block);
    } else {
        struct core_heap *owner = &heaps[header->owner_core];
        struct free_block *head = __atomic_load_n(&owner->remote_frees, __ATOMIC_RELAXED);
        do {
            block->next = head;
        } while (!__atomic_compare_exchange_n(&owner->remote_frees, &head, block, 1, __ATOMIC_RELEASE,
                                              __ATOMIC_RELAXED));
    }
    pop_off();
}

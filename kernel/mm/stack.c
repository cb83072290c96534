/*
 * stack.c - thread stacks with a guard page: contiguous pages from the page
 * allocator, the lowest one unmapped (paging.c), so a thread that runs off
 * its stack faults at once and the report names it (core/thread.c,
 * arch/exception.c). Costs one page of address space and memory per thread.
 * Pairs with include/memory.h.
 */
#include <stdint.h>
#include "arch.h"
#include "memory.h"
#include "x86.h"

void *stack_alloc(size_t size)
{
    if (size == 0 || size % PAGE_SIZE)
        panic("stack_alloc: %lu bytes is not a whole number of pages", (uint64_t)size);
    uint8_t *base = page_alloc_contiguous(size / PAGE_SIZE + 1);
    if (!base)
        return 0;
    paging_unmap_page((uint64_t)(uintptr_t)base);
    return base + PAGE_SIZE;
}

void stack_free(void *stack, size_t size)
{
    uint8_t *base = (uint8_t *)stack - PAGE_SIZE;
    paging_map_page((uint64_t)(uintptr_t)base); /* before anyone else may get the page */
    page_free_contiguous(base, size / PAGE_SIZE + 1);
}

void stack_guard_flush(const void *stack) { invlpg((uintptr_t)stack - PAGE_SIZE); }

int stack_guard_hit(const void *stack, uint64_t address)
{
    uint64_t bottom = (uint64_t)(uintptr_t)stack;
    return stack && address < bottom && address >= bottom - PAGE_SIZE;
}

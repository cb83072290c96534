/*
 * memory.h - physical pages and the per-core kernel heap. All memory is
 * identity mapped (virtual == physical) below 4 GiB.
 * Pairs with kernel/mm/page.c (page allocator), kernel/mm/heap.c (kmalloc)
 * and kernel/mm/paging.c (cache attributes of the identity map).
 */
#ifndef TORO_MEMORY_H
#define TORO_MEMORY_H

#include <stddef.h>
#include <stdint.h>

/* One zeroed 4 KiB page, or 0 when memory is exhausted. Any core, any context. */
void *page_alloc(void);
/* `count` physically contiguous zeroed pages, or 0. */
void *page_alloc_contiguous(size_t count);
/* The same without zeroing, for memory whose readers never read what was not written (the trace rings):
 * zeroing megabytes at boot costs seconds where a hypervisor emulates every instruction. */
void *page_alloc_contiguous_unzeroed(size_t count);
/* Give back pages from page_alloc / page_alloc_contiguous. Freeing a page that
 * is not allocated panics. */
void page_free(void *page);
void page_free_contiguous(void *first_page, size_t count);
/* Pages currently free, and pages managed in total. */
size_t memory_free_pages(void);
size_t memory_total_pages(void);

/*
 * Per-core heap. kmalloc returns 16-byte aligned memory (not zeroed), or 0
 * when memory is exhausted; sizes above 2 KiB come straight from the page
 * allocator. kfree may run on any core: a block freed on another core than
 * the one that allocated it goes back to its owner through a lock-free list.
 * kfree(0) does nothing; freeing a block twice or a foreign pointer panics.
 * Safe in interrupt handlers.
 */
void *kmalloc(size_t size);
void *kzalloc(size_t size); /* kmalloc + zero */
void kfree(void *pointer);

/*
 * Map [physical, physical + length) uncached (device registers): below 4 GiB
 * by changing the boot map's attributes, above it (64-bit BARs) by adding
 * identity mappings. Panics on a region that straddles 4 GiB or leaves the
 * lower canonical half (2^47).
 */
void paging_map_uncached(uint64_t physical, uint64_t length);

/*
 * Guard pages (paging.c): unmap the 4 KiB page holding `address`, or map it
 * again. Only this core's TLB is flushed: another core may still reach an
 * unmapped page through a stale entry until it runs invlpg on it (a guard
 * then catches nothing there, but nothing breaks). A page must be mapped
 * again before it goes back to the allocator.
 */
void paging_unmap_page(uint64_t address);
void paging_map_page(uint64_t address);

/*
 * Stacks with a guard page (stack.c): `size` (whole pages) of page-aligned
 * stack with one unmapped page right below it, so running off the bottom
 * faults (a double fault, reported by the exception path) instead of
 * overwriting whatever lies below. stack_alloc returns the lowest usable byte
 * (0 if out of memory); stack_guard_flush makes the guard effective on the
 * calling core (run by the core that will use the stack).
 */
void *stack_alloc(size_t size);
void stack_free(void *stack, size_t size);
void stack_guard_flush(const void *stack);
/* 1 if `address` lies in the guard page of `stack`. */
int stack_guard_hit(const void *stack, uint64_t address);

#endif

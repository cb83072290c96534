/*
 * page.c - the physical page allocator: one bit per 4 KiB page below 4 GiB
 * (1 = free), filled from the loader's memory map (arch/boot_info.h). Never
 * handed out: the first 1 MiB (BIOS data, EBDA, the AP trampoline page, ROMs),
 * the kernel image and the loader's structures. Any core may allocate and free; one raw
 * lock guards the bitmap. Pairs with include/memory.h and heap.c.
 */
#include <stddef.h>
#include <stdint.h>
#include "arch.h"
#include "console.h"
#include "../arch/internal.h"
#include "../arch/boot_info.h"
#include "memory.h"
#include "string.h"

#define PAGE_COUNT_LIMIT (IDENTITY_MAP_LIMIT / PAGE_SIZE) /* pages the identity map reaches */
#define LOW_MEMORY_END   0x100000ull                      /* below: firmware, trampoline */

/* Guarded by page_lock. */
static struct raw_lock page_lock = RAW_LOCK_INITIALIZER;
static uint64_t free_bitmap[PAGE_COUNT_LIMIT / 64]; /* bit set = page free */
static size_t word_limit;                           /* words that may hold free bits */
static size_t search_hint;                          /* word where the last page was found */
static size_t free_pages;
static size_t total_pages;

static int page_is_free(size_t page) { return (free_bitmap[page / 64] >> (page % 64)) & 1; }
static void set_free(size_t page) { free_bitmap[page / 64] |= 1ull << (page % 64); }
static void set_used(size_t page) { free_bitmap[page / 64] &= ~(1ull << (page % 64)); }

/* Bits set in `word` (SWAR: no libgcc, no POPCNT needed). */
static size_t bits_set(uint64_t word)
{
    word = word - ((word >> 1) & 0x5555555555555555ull);
    word = (word & 0x3333333333333333ull) + ((word >> 2) & 0x3333333333333333ull);
    word = (word + (word >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (size_t)((word * 0x0101010101010101ull) >> 56);
}

/*
 * Set (free = 1) or clear (free = 0) the bits of pages [first, end), a whole
 * word at a time where the range covers one, and return how many bits changed.
 * Boot only. Word-wise because a hypervisor that emulates the guest instruction
 * by instruction (non-hardware-assisted KVM, e.g. PVM) pays ~1 us per
 * instruction: 32k pages bit by bit took a second there.
 */
static size_t mark_pages(uint64_t first, uint64_t end, int free)
{
    size_t changed = 0;
    for (uint64_t page = first; page < end;) {
        uint64_t word = page / 64, bit = page % 64;
        uint64_t bits = end - page < 64 - bit ? end - page : 64 - bit;
        uint64_t mask = (bits == 64 ? ~0ull : ((1ull << bits) - 1)) << bit;
        uint64_t before = free_bitmap[word];
        uint64_t after = free ? before | mask : before & ~mask;
        if (after != before) {
            free_bitmap[word] = after;
            changed += before == 0 || after == 0 ? bits_set(before | after) : bits_set(before ^ after);
        }
        page += bits;
    }
    return changed;
}

/* Mark whole pages inside [start, end) free (rounding inwards). Boot only. */
static void add_range(uint64_t start, uint64_t end)
{
    if (start < LOW_MEMORY_END)
        start = LOW_MEMORY_END;
    if (end > IDENTITY_MAP_LIMIT)
        end = IDENTITY_MAP_LIMIT;
    start = (start + PAGE_SIZE - 1) / PAGE_SIZE;
    end = end / PAGE_SIZE;
    if (end <= start)
        return;
    size_t added = mark_pages(start, end, 1);
    free_pages += added;
    total_pages += added;
    if ((end + 63) / 64 > word_limit)
        word_limit = (end + 63) / 64;
}

/* Take every page touching [start, end) out of the free set. Boot only. */
static void reserve_range(uint64_t start, uint64_t end)
{
    if (end > IDENTITY_MAP_LIMIT)
        end = IDENTITY_MAP_LIMIT;
    uint64_t first = start / PAGE_SIZE, last = (end + PAGE_SIZE - 1) / PAGE_SIZE;
    if (last > word_limit * 64)
        last = word_limit * 64; /* no free bits above the highest RAM: firmware holes cost nothing */
    if (last <= first)
        return;
    size_t removed = mark_pages(first, last, 0);
    free_pages -= removed;
    total_pages -= removed;
}

void memory_init(const struct boot_info *info)
{
    if (info->memory_range_count == 0)
        panic("memory_init: the loader (%s) gave no memory information", info->protocol);
    /* Available ranges first, then every other type on top: overlapping
     * firmware entries then err on the side of "not RAM". */
    for (int pass = 0; pass < 2; pass++) {
        for (int index = 0; index < info->memory_range_count; index++) {
            const struct boot_memory_range *range = &info->memory[index];
            int available = range->type == BOOT_MEMORY_AVAILABLE;
            if (pass == 0 && available)
                add_range(range->base, range->base + range->length);
            if (pass == 1 && !available)
                reserve_range(range->base, range->base + range->length);
        }
    }
    reserve_range((uint64_t)(uintptr_t)__kernel_start, (uint64_t)(uintptr_t)__kernel_end);
    for (int index = 0; index < info->loader_range_count; index++)
        reserve_range(info->loader_data[index].start, info->loader_data[index].end);
    if (free_pages == 0)
        panic("memory_init: no usable memory above 1 MiB");
    kprintf("memory: %lu MiB free (%lu pages), kernel image %lu KiB\n", free_pages / 256, free_pages,
            (uint64_t)(__kernel_end - __kernel_start) / 1024);
}

void *page_alloc(void)
{
    raw_acquire(&page_lock);
    for (size_t step = 0; step < word_limit; step++) {
        size_t word = (search_hint + step) % word_limit;
        if (free_bitmap[word]) {
            size_t page = word * 64 + (size_t)__builtin_ctzll(free_bitmap[word]);
            set_used(page);
            free_pages--;
            search_hint = word;
            raw_release(&page_lock);
            void *address = (void *)(page * PAGE_SIZE);
            memset(address, 0, PAGE_SIZE);
            return address;
        }
    }
    raw_release(&page_lock);
    return 0;
}

/* `count` (>= 2) contiguous pages taken from the free set, not zeroed; 0 if no run is long enough. */
static void *take_contiguous(size_t count)
{
    raw_acquire(&page_lock);
    size_t run_start = 0, run_length = 0;
    /* From page 1: page 0 is never free (the first 1 MiB is reserved), and address 0 means "none". */
    for (size_t page = 1; page < word_limit * 64; page++) {
        if (page % 64 == 0 && free_bitmap[page / 64] == 0) {
            run_length = 0; /* a whole word in use: skip it */
            page += 63;
            continue;
        }
        if (!page_is_free(page)) {
            run_length = 0;
            continue;
        }
        if (run_length++ == 0)
            run_start = page;
        if (run_length == count) {
            for (size_t taken = run_start; taken < run_start + count; taken++)
                set_used(taken);
            free_pages -= count;
            raw_release(&page_lock);
            return (void *)(run_start * PAGE_SIZE);
        }
    }
    raw_release(&page_lock);
    return 0;
}

void *page_alloc_contiguous(size_t count)
{
    if (count == 0)
        return 0;
    if (count == 1)
        return page_alloc();
    void *address = take_contiguous(count);
    if (address)
        memset(address, 0, count * PAGE_SIZE);
    return address;
}

void *page_alloc_contiguous_unzeroed(size_t count)
{
    if (count < 2)
        return page_alloc_contiguous(count);
    return take_contiguous(count);
}

void page_free_contiguous(void *first_page, size_t count)
{
    uintptr_t address = (uintptr_t)first_page;
    if (address % PAGE_SIZE || address < LOW_MEMORY_END || address / PAGE_SIZE + count > word_limit * 64)
        panic("page_free: %p is not a page from the page allocator", first_page);
    raw_acquire(&page_lock);
    for (size_t page = address / PAGE_SIZE; page < address / PAGE_SIZE + count; page++) {
        if (page_is_free(page)) {
            raw_release(&page_lock);
            panic("page_free: page %#lx is already free (double free)", page * PAGE_SIZE);
        }
        set_free(page);
    }
    free_pages += count;
    raw_release(&page_lock);
}

void page_free(void *page) { page_free_contiguous(page, 1); }

size_t memory_free_pages(void) { return free_pages; }
size_t memory_total_pages(void) { return total_pages; }

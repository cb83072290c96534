/*
 * paging.c - changes to the boot identity map (built by arch/boot.S: 2 MiB
 * pages up to 4 GiB, the first 2 MiB in 4 KiB pages). Page 0 is taken out
 * once the loader's data is read, so null pointers fault. Two other kinds of
 * change: cache attributes (device registers must be uncached; call before
 * any core touches the region; a region above 4 GiB, such as the 64-bit BAR
 * UEFI firmware gives virtio-net, is identity-mapped uncached on first use,
 * with page tables from the page allocator) and guard pages (a 4 KiB page left unmapped
 * below a stack; its 2 MiB page is split into 4 KiB pages first, once, and
 * stays split). Pairs with include/memory.h. Other cores' TLBs are not shot
 * down: see paging_unmap_page.
 */
#include <stdint.h>
#include "arch.h"
#include "../arch/internal.h"
#include "memory.h"
#include "x86.h"

#define PAGE_WRITE_THROUGH (1ull << 3)
#define PAGE_CACHE_DISABLE (1ull << 4)
#define LARGE_PAGE_SIZE    (2ull << 20)
#define PAGE_PRESENT       (1ull << 0)
#define PAGE_WRITABLE      (1ull << 1)
#define PAGE_ADDRESS_MASK  0x000FFFFFFFFFF000ull
#define DEVICE_MAP_LIMIT   (1ull << 47) /* the lower canonical half, identity-mapped on demand */
#define PAGE_LARGE         (1ull << 7)  /* in a page-directory entry: a 2 MiB page */
#define PAGE_GLOBAL        (1ull << 8)
#define PAGE_NO_EXECUTE    (1ull << 63)
#define PAGE_LOW_FLAGS     0x1Full /* present, write, user, write-through, cache-disable */

static struct raw_lock paging_lock = RAW_LOCK_INITIALIZER; /* guards splitting and guard-page changes */

/*
 * held: paging_lock. The table `entry` points to, allocated (zeroed, so every
 * entry not present) on first use. Entries only go from not present to
 * present here, so no core can hold a stale translation: no flush needed.
 */
static uint64_t *table_below(uint64_t *entry)
{
    if (!(*entry & PAGE_PRESENT)) {
        uint64_t *table = page_alloc();
        if (!table)
            panic("paging: no page for a page table");
        __atomic_store_n(entry, (uint64_t)(uintptr_t)table | PAGE_PRESENT | PAGE_WRITABLE, __ATOMIC_RELEASE);
    }
    return (uint64_t *)(uintptr_t)(*entry & PAGE_ADDRESS_MASK);
}

/* Identity-map [physical, end), all above the boot map, in uncached 2 MiB pages. */
static void map_high_uncached(uint64_t physical, uint64_t end)
{
    raw_acquire(&paging_lock);
    for (uint64_t address = physical & ~(LARGE_PAGE_SIZE - 1); address < end; address += LARGE_PAGE_SIZE) {
        uint64_t *pdpt = table_below(&boot_pml4[(address >> 39) & 511]);
        uint64_t *directory = table_below(&pdpt[(address >> 30) & 511]);
        uint64_t *entry = &directory[(address >> 21) & 511];
        if (!(*entry & PAGE_PRESENT))
            __atomic_store_n(entry,
                             address | PAGE_PRESENT | PAGE_WRITABLE | PAGE_LARGE | PAGE_CACHE_DISABLE |
                                 PAGE_WRITE_THROUGH,
                             __ATOMIC_RELEASE);
    }
    raw_release(&paging_lock);
}

void paging_map_uncached(uint64_t physical, uint64_t length)
{
    if (length == 0)
        return;
    uint64_t end = physical + length;
    if (end > DEVICE_MAP_LIMIT || end < physical)
        panic("paging_map_uncached: %#lx+%#lx is outside the lower canonical half", physical, length);
    if (physical >= IDENTITY_MAP_LIMIT) {
        map_high_uncached(physical, end);
        return;
    }
    if (end > IDENTITY_MAP_LIMIT)
        panic("paging_map_uncached: %#lx+%#lx straddles 4 GiB", physical, length);
    for (uint64_t address = physical & ~(PAGE_SIZE - 1ull); address < end;) {
        if (address < LARGE_PAGE_SIZE) { /* the 4 KiB-mapped first 2 MiB */
            if (address >= PAGE_SIZE)
                boot_page_table_low[address / PAGE_SIZE] |= PAGE_CACHE_DISABLE | PAGE_WRITE_THROUGH;
            invlpg(address);
            address += PAGE_SIZE;
        } else {
            boot_page_directories[address / LARGE_PAGE_SIZE] |= PAGE_CACHE_DISABLE | PAGE_WRITE_THROUGH;
            invlpg(address);
            address = (address & ~(LARGE_PAGE_SIZE - 1)) + LARGE_PAGE_SIZE;
        }
    }
}

void paging_unmap_page_zero(void)
{
    boot_page_table_low[0] = 0;
    invlpg(0);
}

/*
 * held: paging_lock. The 4 KiB page-table entry of `address`. A 2 MiB page is
 * first replaced by a table of 512 4 KiB entries with the same frames and
 * attributes: only the page size changes, which the SDM (4.10.4) allows
 * without flushing other cores; a stale 2 MiB entry elsewhere maps the same.
 */
static uint64_t *page_entry(uint64_t address)
{
    if (address >= IDENTITY_MAP_LIMIT)
        panic("paging: %#lx is outside the identity map", address);
    if (address < LARGE_PAGE_SIZE)
        return &boot_page_table_low[address / PAGE_SIZE];
    uint64_t *directory_entry = &boot_page_directories[address / LARGE_PAGE_SIZE];
    if (*directory_entry & PAGE_LARGE) {
        uint64_t *table = page_alloc();
        if (!table)
            panic("paging: no page for a page table (splitting %#lx)", address);
        uint64_t base = address & ~(LARGE_PAGE_SIZE - 1);
        uint64_t flags = *directory_entry & (PAGE_LOW_FLAGS | PAGE_GLOBAL | PAGE_NO_EXECUTE);
        for (uint64_t index = 0; index < 512; index++)
            table[index] = (base + index * PAGE_SIZE) | flags;
        __atomic_store_n(directory_entry, (uint64_t)(uintptr_t)table | (*directory_entry & 0x7),
                         __ATOMIC_RELEASE);
        invlpg(address);
    }
    uint64_t *table = (uint64_t *)(uintptr_t)(*directory_entry & 0x000FFFFFFFFFF000ull);
    return &table[(address % LARGE_PAGE_SIZE) / PAGE_SIZE];
}

void paging_unmap_page(uint64_t address)
{
    raw_acquire(&paging_lock);
    uint64_t *entry = page_entry(address & ~(PAGE_SIZE - 1ull));
    __atomic_and_fetch(entry, ~PAGE_PRESENT, __ATOMIC_RELEASE);
    invlpg(address);
    raw_release(&paging_lock);
}

void paging_map_page(uint64_t address)
{
    raw_acquire(&paging_lock);
    uint64_t *entry = page_entry(address & ~(PAGE_SIZE - 1ull));
    __atomic_or_fetch(entry, PAGE_PRESENT, __ATOMIC_RELEASE); /* not-present entries are never cached */
    invlpg(address);
    raw_release(&paging_lock);
}

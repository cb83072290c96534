/*
 * paging.c - changes to the boot identity map (built by arch/boot.S: 2 MiB
 * pages up to 4 GiB, the first 2 MiB in 4 KiB pages). Page 0 is taken out
 * once the loader's data is read, so null pointers fault; otherwise only cache
 * attributes change here: device registers must be uncached.
 * Pairs with include/memory.h. Call before any core touches the region: other
 * cores' TLBs are not shot down.
 */
#include <stdint.h>
#include "arch.h"
#include "../arch/internal.h"
#include "memory.h"
#include "x86.h"

#define PAGE_WRITE_THROUGH (1ull << 3)
#define PAGE_CACHE_DISABLE (1ull << 4)
#define LARGE_PAGE_SIZE    (2ull << 20)

void paging_map_uncached(uint64_t physical, uint64_t length)
{
    if (length == 0)
        return;
    uint64_t end = physical + length;
    if (end > IDENTITY_MAP_LIMIT || end < physical)
        panic("paging_map_uncached: %#lx+%#lx is outside the identity map", physical, length);
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

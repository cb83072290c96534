/*
 * boot_info.h - what the loader told the kernel, whichever protocol it spoke
 * (Multiboot 1, Multiboot 2, PVH): memory ranges, the command line, the ACPI
 * RSDP if the loader knew it, and the loader's own data to keep. Filled once
 * by boot_info_parse (boot_info.c) on the boot core; read by cmdline.c,
 * acpi.c and mm/page.c during boot. Protocol details stay in boot_info.c.
 */
#ifndef TORO_BOOT_INFO_H
#define TORO_BOOT_INFO_H

#include <stdint.h>

#define BOOT_MEMORY_RANGES 128 /* memory-map entries kept (UEFI maps converted by GRUB: ~20-40) */
#define BOOT_LOADER_RANGES 16  /* loader structures to keep away from the page allocator */

enum boot_memory_type {
    BOOT_MEMORY_AVAILABLE, /* RAM the kernel may use */
    BOOT_MEMORY_RESERVED,  /* anything else: firmware, ACPI, holes, devices */
};

struct boot_memory_range {
    uint64_t base;
    uint64_t length;
    enum boot_memory_type type;
};

struct boot_range {
    uint64_t start;
    uint64_t end; /* exclusive */
};

struct boot_info {
    const char *protocol;   /* "multiboot", "multiboot2" or "pvh": for the boot log */
    const char *cmdline;    /* NUL-terminated, in the loader's memory; "" when none */
    uint64_t rsdp_address;  /* RSDP the loader found or copied; 0: none (acpi.c scans the BIOS area) */
    int memory_range_count; /* 0: the loader gave no memory information */
    struct boot_memory_range memory[BOOT_MEMORY_RANGES];
    int loader_range_count;
    struct boot_range loader_data[BOOT_LOADER_RANGES]; /* info structures, strings, modules */
};

/*
 * Reads the loader's information. `magic` is %eax at entry (boot.S puts
 * PVH_START_MAGIC there for the PVH entry), `address` is %ebx. Panics on an
 * unknown magic. The console must work (it reports problems).
 */
void boot_info_parse(struct boot_info *info, uint32_t magic, uint32_t address);

#endif

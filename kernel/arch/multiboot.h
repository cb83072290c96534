/*
 * multiboot.h - the parts of the Multiboot (version 1) boot information that
 * the kernel reads: flags, command line, memory map. Filled in by QEMU's
 * -kernel loader or GRUB; read by cmdline.c and mm/page.c during boot only.
 */
#ifndef TORO_MULTIBOOT_H
#define TORO_MULTIBOOT_H

#include <stdint.h>

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u /* in %eax at entry */

#define MULTIBOOT_INFO_MEMORY     (1u << 0) /* mem_lower / mem_upper valid */
#define MULTIBOOT_INFO_CMDLINE    (1u << 2) /* cmdline valid */
#define MULTIBOOT_INFO_MODULES    (1u << 3) /* mods_count / mods_address valid */
#define MULTIBOOT_INFO_MEMORY_MAP (1u << 6) /* mmap_length / mmap_address valid */

struct multiboot_info {
    uint32_t flags;
    uint32_t mem_lower; /* KiB below 1 MiB */
    uint32_t mem_upper; /* KiB above 1 MiB, up to the first hole */
    uint32_t boot_device;
    uint32_t cmdline; /* physical address of a NUL-terminated string */
    uint32_t mods_count;
    uint32_t mods_address; /* array of struct multiboot_module */
    uint32_t syms[4];
    uint32_t mmap_length;  /* bytes */
    uint32_t mmap_address; /* first struct multiboot_memory_map_entry */
} __attribute__((packed));

struct multiboot_module {
    uint32_t start;
    uint32_t end;
    uint32_t string;
    uint32_t reserved;
} __attribute__((packed));

#define MULTIBOOT_MEMORY_AVAILABLE 1

/* Entries are `size + 4` bytes apart (size excludes the size field itself). */
struct multiboot_memory_map_entry {
    uint32_t size;
    uint64_t base;
    uint64_t length;
    uint32_t type; /* 1 = available RAM */
} __attribute__((packed));

#endif

/*
 * multiboot.h - the parts of the Multiboot 1 and Multiboot 2 boot information
 * that the kernel reads: command line, memory map, (MB2) the ACPI RSDP copies.
 * Filled in by QEMU's -kernel loader (MB1) or GRUB (MB2, BIOS and UEFI); read
 * by boot_info.c only, during boot. The headers themselves are in boot.S.
 */
#ifndef TORO_MULTIBOOT_H
#define TORO_MULTIBOOT_H

#include <stdint.h>

/* ---- Multiboot 1 ------------------------------------------------------------ */
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

#define MULTIBOOT_MEMORY_AVAILABLE 1 /* in both versions' memory maps (the E820 type) */

/* Entries are `size + 4` bytes apart (size excludes the size field itself). */
struct multiboot_memory_map_entry {
    uint32_t size;
    uint64_t base;
    uint64_t length;
    uint32_t type; /* 1 = available RAM */
} __attribute__((packed));

/* ---- Multiboot 2 ------------------------------------------------------------ */
#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36D76289u /* in %eax at entry */

/* The information: this header, then tags, each 8-byte aligned, ended by type 0. */
struct multiboot2_info {
    uint32_t total_size; /* bytes, header and every tag included */
    uint32_t reserved;
};

struct multiboot2_tag {
    uint32_t type;
    uint32_t size; /* this tag's bytes, header included, before padding to 8 */
};

#define MULTIBOOT2_TAG_END        0
#define MULTIBOOT2_TAG_CMDLINE    1  /* NUL-terminated string follows the header */
#define MULTIBOOT2_TAG_MODULE     3  /* start, end, string */
#define MULTIBOOT2_TAG_BASIC_MEM  4  /* mem_lower, mem_upper (KiB) */
#define MULTIBOOT2_TAG_MEMORY_MAP 6  /* struct multiboot2_tag_memory_map */
#define MULTIBOOT2_TAG_ACPI_OLD   14 /* a copy of the ACPI 1.0 RSDP follows the header */
#define MULTIBOOT2_TAG_ACPI_NEW   15 /* a copy of the ACPI 2.0+ RSDP (with the XSDT) */
#define MULTIBOOT2_TAG_EFI_MMAP   17 /* the raw UEFI memory map (ignored: tag 6 is the same, converted) */

struct multiboot2_tag_basic_memory {
    struct multiboot2_tag header;
    uint32_t mem_lower;
    uint32_t mem_upper;
};

struct multiboot2_tag_module {
    struct multiboot2_tag header;
    uint32_t start;
    uint32_t end; /* then the module's NUL-terminated string */
};

struct multiboot2_memory_map_entry {
    uint64_t base;
    uint64_t length;
    uint32_t type; /* 1 = available RAM, as in E820 */
    uint32_t reserved;
};

struct multiboot2_tag_memory_map {
    struct multiboot2_tag header;
    uint32_t entry_size; /* stride between entries (>= sizeof(struct multiboot2_memory_map_entry)) */
    uint32_t entry_version;
    /* entries follow */
};

#endif

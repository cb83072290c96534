/*
 * pvh.h - the Xen PVH direct boot ABI (xen/include/public/arch-x86/hvm/start_info.h):
 * the loader enters the 32-bit entry named by the ELF note XEN_ELFNOTE_PHYS32_ENTRY
 * with %ebx = the physical address of struct hvm_start_info. QEMU's -kernel (q35,
 * pc, microvm; tested) and Firecracker and Cloud Hypervisor (untested) speak it. Read by boot_info.c.
 */
#ifndef TORO_PVH_H
#define TORO_PVH_H

#define XEN_ELFNOTE_PHYS32_ENTRY 18         /* note type: desc = 32-bit entry's physical address */
#define PVH_START_MAGIC          0x336EC578 /* hvm_start_info.magic; boot.S also puts it in %eax */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct hvm_start_info {
    uint32_t magic;   /* PVH_START_MAGIC */
    uint32_t version; /* 0: fields up to rsdp_paddr; 1: the memory map too */
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr; /* struct hvm_modlist_entry[nr_modules] */
    uint64_t cmdline_paddr; /* NUL-terminated, 0: none */
    uint64_t rsdp_paddr;    /* ACPI RSDP, 0: none given */
    uint64_t memmap_paddr;  /* version >= 1: struct hvm_memmap_table_entry[memmap_entries] */
    uint32_t memmap_entries;
    uint32_t reserved;
};

struct hvm_modlist_entry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};

struct hvm_memmap_table_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type; /* E820 types: 1 = available RAM */
    uint32_t reserved;
};
#endif

#endif

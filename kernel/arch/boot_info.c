/*
 * boot_info.c - one parser per boot protocol, each filling the protocol-neutral
 * struct boot_info (boot_info.h): Multiboot 1 (QEMU -kernel boot.elf), Multiboot 2
 * (GRUB from the ISO, BIOS or UEFI) and PVH (QEMU -kernel kernel.elf, on q35 and
 * microvm). Runs on the boot core before anything else reads the loader's data.
 * Layouts: multiboot.h, pvh.h. Design note: kernel/README.md, "Boot protocols".
 */
#include <stddef.h>
#include <stdint.h>
#include "arch.h"
#include "boot_info.h"
#include "console.h"
#include "multiboot.h"
#include "pvh.h"
#include "string.h"

static void add_memory(struct boot_info *info, uint64_t base, uint64_t length, uint32_t e820_type)
{
    if (length == 0)
        return;
    if (info->memory_range_count == BOOT_MEMORY_RANGES)
        panic("boot: the loader's memory map has more than %d entries (BOOT_MEMORY_RANGES)",
              BOOT_MEMORY_RANGES);
    struct boot_memory_range *range = &info->memory[info->memory_range_count++];
    range->base = base;
    range->length = length;
    range->type = e820_type == MULTIBOOT_MEMORY_AVAILABLE ? BOOT_MEMORY_AVAILABLE : BOOT_MEMORY_RESERVED;
}

static void keep_loader_data(struct boot_info *info, uint64_t start, uint64_t end)
{
    if (end <= start)
        return;
    if (info->loader_range_count == BOOT_LOADER_RANGES)
        panic("boot: more than %d loader structures to keep (BOOT_LOADER_RANGES)", BOOT_LOADER_RANGES);
    info->loader_data[info->loader_range_count++] = (struct boot_range){ start, end };
}

static void keep_string(struct boot_info *info, uint64_t address)
{
    if (address)
        keep_loader_data(info, address, address + strlen((const char *)(uintptr_t)address) + 1);
}

/* ---- Multiboot 1: QEMU's -kernel loader with boot.elf ----------------------- */
static void parse_multiboot1(struct boot_info *info, const struct multiboot_info *mb)
{
    info->protocol = "multiboot";
    keep_loader_data(info, (uintptr_t)mb, (uintptr_t)mb + sizeof(*mb));
    if ((mb->flags & MULTIBOOT_INFO_CMDLINE) && mb->cmdline) {
        info->cmdline = (const char *)(uintptr_t)mb->cmdline;
        keep_string(info, mb->cmdline);
    }
    if (mb->flags & MULTIBOOT_INFO_MEMORY_MAP) {
        for (uint64_t cursor = mb->mmap_address; cursor < (uint64_t)mb->mmap_address + mb->mmap_length;) {
            const struct multiboot_memory_map_entry *entry = (const void *)(uintptr_t)cursor;
            add_memory(info, entry->base, entry->length, entry->type);
            cursor += entry->size + sizeof(entry->size);
        }
        keep_loader_data(info, mb->mmap_address, (uint64_t)mb->mmap_address + mb->mmap_length);
    } else if (mb->flags & MULTIBOOT_INFO_MEMORY) {
        add_memory(info, 0x100000, (uint64_t)mb->mem_upper * 1024, MULTIBOOT_MEMORY_AVAILABLE);
    }
    if (mb->flags & MULTIBOOT_INFO_MODULES) {
        const struct multiboot_module *modules = (const void *)(uintptr_t)mb->mods_address;
        keep_loader_data(info, mb->mods_address, mb->mods_address + mb->mods_count * sizeof(*modules));
        for (uint32_t index = 0; index < mb->mods_count; index++)
            keep_loader_data(info, modules[index].start, modules[index].end);
    }
}

/* ---- Multiboot 2: GRUB (`multiboot2`), under BIOS or UEFI ------------------- */
static void parse_multiboot2(struct boot_info *info, const struct multiboot2_info *mb)
{
    info->protocol = "multiboot2";
    keep_loader_data(info, (uintptr_t)mb, (uintptr_t)mb + mb->total_size);
    uint64_t rsdp_old = 0, rsdp_new = 0, basic_upper_kib = 0;
    int have_map = 0;
    const uint8_t *end = (const uint8_t *)mb + mb->total_size;
    const uint8_t *cursor = (const uint8_t *)(mb + 1);
    while (cursor + sizeof(struct multiboot2_tag) <= end) {
        const struct multiboot2_tag *tag = (const void *)cursor;
        if (tag->type == MULTIBOOT2_TAG_END || tag->size < sizeof(*tag) || cursor + tag->size > end)
            break;
        switch (tag->type) {
        case MULTIBOOT2_TAG_CMDLINE:
            info->cmdline = (const char *)(tag + 1);
            break;
        case MULTIBOOT2_TAG_BASIC_MEM:
            basic_upper_kib = ((const struct multiboot2_tag_basic_memory *)tag)->mem_upper;
            break;
        case MULTIBOOT2_TAG_MEMORY_MAP: {
            const struct multiboot2_tag_memory_map *map = (const void *)tag;
            if (map->entry_size < sizeof(struct multiboot2_memory_map_entry))
                break;
            have_map = 1;
            for (const uint8_t *entry = (const uint8_t *)(map + 1);
                 entry + map->entry_size <= cursor + tag->size; entry += map->entry_size) {
                const struct multiboot2_memory_map_entry *range = (const void *)entry;
                add_memory(info, range->base, range->length, range->type);
            }
            break;
        }
        case MULTIBOOT2_TAG_MODULE: {
            const struct multiboot2_tag_module *module = (const void *)tag;
            keep_loader_data(info, module->start, module->end);
            break;
        }
        case MULTIBOOT2_TAG_ACPI_OLD: /* the RSDP is copied into the tag, which memory_init keeps */
            rsdp_old = (uintptr_t)(tag + 1);
            break;
        case MULTIBOOT2_TAG_ACPI_NEW:
            rsdp_new = (uintptr_t)(tag + 1);
            break;
        }
        cursor += (tag->size + 7) & ~7u;
    }
    info->rsdp_address = rsdp_new ? rsdp_new : rsdp_old;
    if (!have_map && basic_upper_kib)
        add_memory(info, 0x100000, basic_upper_kib * 1024, MULTIBOOT_MEMORY_AVAILABLE);
}

/* ---- PVH: QEMU -kernel kernel.elf (q35, pc, microvm); Firecracker and Cloud Hypervisor speak it too */
static void parse_pvh(struct boot_info *info, const struct hvm_start_info *start)
{
    info->protocol = "pvh";
    if (start->magic != PVH_START_MAGIC)
        panic("boot: PVH start info at %p has magic %#x, expected %#x", start, start->magic, PVH_START_MAGIC);
    keep_loader_data(info, (uintptr_t)start, (uintptr_t)start + sizeof(*start));
    if (start->cmdline_paddr) {
        info->cmdline = (const char *)(uintptr_t)start->cmdline_paddr;
        keep_string(info, start->cmdline_paddr);
    }
    info->rsdp_address = start->rsdp_paddr;
    if (start->version >= 1 && start->memmap_paddr) {
        const struct hvm_memmap_table_entry *map = (const void *)(uintptr_t)start->memmap_paddr;
        for (uint32_t index = 0; index < start->memmap_entries; index++)
            add_memory(info, map[index].addr, map[index].size, map[index].type);
        keep_loader_data(info, start->memmap_paddr,
                         start->memmap_paddr + start->memmap_entries * sizeof(*map));
    } else {
        kprintf("boot: PVH start info version %u has no memory map (Xen hands it out by hypercall)\n",
                start->version);
    }
    if (start->nr_modules) {
        const struct hvm_modlist_entry *modules = (const void *)(uintptr_t)start->modlist_paddr;
        keep_loader_data(info, start->modlist_paddr,
                         start->modlist_paddr + start->nr_modules * sizeof(*modules));
        for (uint32_t index = 0; index < start->nr_modules; index++)
            keep_loader_data(info, modules[index].paddr, modules[index].paddr + modules[index].size);
    }
}

void boot_info_parse(struct boot_info *info, uint32_t magic, uint32_t address)
{
    memset(info, 0, sizeof(*info));
    info->cmdline = "";
    const void *data = (const void *)(uintptr_t)address;
    if (magic == MULTIBOOT_BOOTLOADER_MAGIC)
        parse_multiboot1(info, data);
    else if (magic == MULTIBOOT2_BOOTLOADER_MAGIC)
        parse_multiboot2(info, data);
    else if (magic == PVH_START_MAGIC)
        parse_pvh(info, data);
    else
        panic("boot: unknown loader (magic %#x; expected Multiboot 1 %#x, Multiboot 2 %#x or PVH %#x)", magic,
              MULTIBOOT_BOOTLOADER_MAGIC, MULTIBOOT2_BOOTLOADER_MAGIC, PVH_START_MAGIC);
}

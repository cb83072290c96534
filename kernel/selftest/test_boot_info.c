/*
 * test_boot_info.c - the boot-information parsers (arch/boot_info.c) on
 * synthetic loader data with known answers: a Multiboot 1 information block,
 * Multiboot 2 tag lists (memory map, command line, old and new ACPI RSDP
 * copies, a tag to skip, a truncated list) and PVH start info (version 1 and
 * the map-less version 0). Whatever loader booted this run, these cover all three.
 */
#include "selftest.h"
#include "string.h"
#include "../arch/boot_info.h"
#include "../arch/multiboot.h"
#include "../arch/pvh.h"

static struct boot_info parsed; /* ~3 KiB: kept off the thread stack */

static uint32_t address_of(const void *pointer) { return (uint32_t)(uintptr_t)pointer; }

/* Does `parsed` keep [start, end) away from the page allocator? */
static int keeps(uint64_t start, uint64_t end)
{
    for (int index = 0; index < parsed.loader_range_count; index++)
        if (parsed.loader_data[index].start == start && parsed.loader_data[index].end == end)
            return 1;
    return 0;
}

void test_boot_info_multiboot1(struct test_result *result)
{
    static const char cmdline[] = "/boot/boot.elf idle=halt";
    static struct multiboot_memory_map_entry map[3] = {
        { 20, 0x0, 0x9fc00, MULTIBOOT_MEMORY_AVAILABLE },
        { 20, 0xf0000, 0x10000, 2 },
        { 20, 0x100000, 0x7ee0000, MULTIBOOT_MEMORY_AVAILABLE },
    };
    static struct multiboot_module modules[1] = { { 0x200000, 0x201000, 0, 0 } };
    static struct multiboot_info info;
    info.flags = MULTIBOOT_INFO_CMDLINE | MULTIBOOT_INFO_MEMORY_MAP | MULTIBOOT_INFO_MODULES;
    info.cmdline = address_of(cmdline);
    info.mmap_address = address_of(map);
    info.mmap_length = sizeof(map);
    info.mods_address = address_of(modules);
    info.mods_count = 1;

    boot_info_parse(&parsed, MULTIBOOT_BOOTLOADER_MAGIC, address_of(&info));
    EXPECT(result, strcmp(parsed.protocol, "multiboot") == 0, "protocol %s", parsed.protocol);
    EXPECT(result, parsed.cmdline == cmdline, "command line not found");
    EXPECT(result, parsed.rsdp_address == 0, "Multiboot 1 has no RSDP, got %#lx", parsed.rsdp_address);
    EXPECT(result, parsed.memory_range_count == 3, "%d memory ranges, expected 3", parsed.memory_range_count);
    EXPECT(result,
           parsed.memory[0].type == BOOT_MEMORY_AVAILABLE && parsed.memory[1].type == BOOT_MEMORY_RESERVED &&
               parsed.memory[2].base == 0x100000 && parsed.memory[2].length == 0x7ee0000,
           "memory ranges misread");
    EXPECT(result, keeps(address_of(&info), address_of(&info) + sizeof(info)), "information block not kept");
    EXPECT(result, keeps(address_of(cmdline), address_of(cmdline) + sizeof(cmdline)),
           "command line not kept");
    EXPECT(result, keeps(address_of(map), address_of(map) + sizeof(map)), "memory map not kept");
    EXPECT(result, keeps(0x200000, 0x201000), "module not kept");

    /* No map: the mem_upper fallback from 1 MiB. */
    info.flags = MULTIBOOT_INFO_MEMORY;
    info.mem_upper = 1024;
    boot_info_parse(&parsed, MULTIBOOT_BOOTLOADER_MAGIC, address_of(&info));
    EXPECT(result,
           parsed.memory_range_count == 1 && parsed.memory[0].base == 0x100000 &&
               parsed.memory[0].length == 0x100000 && parsed.cmdline[0] == '\0',
           "mem_upper fallback misread");
}

/* A Multiboot 2 information block under construction: tags appended 8-byte aligned. */
static uint8_t mb2_buffer[512] __attribute__((aligned(8)));
static uint32_t mb2_length;

/* Appends a tag with `payload_length` zeroed bytes after its header; returns the header. */
static struct multiboot2_tag *mb2_tag(uint32_t type, uint32_t payload_length)
{
    struct multiboot2_tag *tag = (void *)(mb2_buffer + mb2_length);
    tag->type = type;
    tag->size = sizeof(*tag) + payload_length;
    mb2_length += (tag->size + 7) & ~7u;
    return tag;
}

static void *payload(struct multiboot2_tag *tag) { return tag + 1; }

static void mb2_begin(void)
{
    memset(mb2_buffer, 0, sizeof(mb2_buffer));
    mb2_length = sizeof(struct multiboot2_info);
}

static void mb2_end(void)
{
    mb2_tag(MULTIBOOT2_TAG_END, 0);
    ((struct multiboot2_info *)mb2_buffer)->total_size = mb2_length;
}

void test_boot_info_multiboot2(struct test_result *result)
{
    mb2_begin();
    strlcpy(payload(mb2_tag(MULTIBOOT2_TAG_CMDLINE, 16)), "idle=pause test", 16);
    struct multiboot2_tag_basic_memory *basic = (void *)mb2_tag(MULTIBOOT2_TAG_BASIC_MEM, 8);
    basic->mem_upper = 4096;
    uint32_t *map_header =
        payload(mb2_tag(MULTIBOOT2_TAG_MEMORY_MAP, 8 + 2 * sizeof(struct multiboot2_memory_map_entry)));
    map_header[0] = sizeof(struct multiboot2_memory_map_entry); /* entry_size */
    struct multiboot2_memory_map_entry *entries = (void *)(map_header + 2);
    entries[0] = (struct multiboot2_memory_map_entry){ 0x100000, 0x7f00000, MULTIBOOT_MEMORY_AVAILABLE, 0 };
    entries[1] = (struct multiboot2_memory_map_entry){ 0x7f00000, 0x100000, 4, 0 }; /* ACPI NVS */
    mb2_tag(MULTIBOOT2_TAG_ACPI_OLD, 20); /* the ACPI 1.0 copy: the new one below must win */
    mb2_tag(MULTIBOOT2_TAG_EFI_MMAP, 13); /* ignored, and an odd size to pad */
    uint8_t *new_rsdp = payload(mb2_tag(MULTIBOOT2_TAG_ACPI_NEW, 36));
    mb2_end();

    boot_info_parse(&parsed, MULTIBOOT2_BOOTLOADER_MAGIC, address_of(mb2_buffer));
    EXPECT(result, strcmp(parsed.protocol, "multiboot2") == 0, "protocol %s", parsed.protocol);
    EXPECT(result, strcmp(parsed.cmdline, "idle=pause test") == 0, "command line \"%s\"", parsed.cmdline);
    EXPECT(result, parsed.rsdp_address == address_of(new_rsdp),
           "RSDP %#lx: the new (ACPI 2.0) copy at %#x wins", parsed.rsdp_address, address_of(new_rsdp));
    EXPECT(result,
           parsed.memory_range_count == 2 && parsed.memory[0].type == BOOT_MEMORY_AVAILABLE &&
               parsed.memory[1].type == BOOT_MEMORY_RESERVED && parsed.memory[1].base == 0x7f00000,
           "memory map misread (%d ranges): the map, not the basic tag", parsed.memory_range_count);
    EXPECT(result, keeps(address_of(mb2_buffer), address_of(mb2_buffer) + mb2_length),
           "information block (which holds the RSDP copies) not kept");

    /* Only the old RSDP, no map: the basic-memory tag, from 1 MiB. */
    mb2_begin();
    basic = (void *)mb2_tag(MULTIBOOT2_TAG_BASIC_MEM, 8);
    basic->mem_upper = 2048;
    uint8_t *old_rsdp = payload(mb2_tag(MULTIBOOT2_TAG_ACPI_OLD, 20));
    mb2_end();
    boot_info_parse(&parsed, MULTIBOOT2_BOOTLOADER_MAGIC, address_of(mb2_buffer));
    EXPECT(result, parsed.rsdp_address == address_of(old_rsdp), "old RSDP copy not taken");
    EXPECT(result, parsed.memory_range_count == 1 && parsed.memory[0].length == 2048 * 1024,
           "basic-memory fallback misread");

    /* A tag claiming to run past total_size ends the walk: nothing after it is read. */
    mb2_begin();
    mb2_tag(MULTIBOOT2_TAG_CMDLINE, 8)->size = 4096;
    mb2_end();
    boot_info_parse(&parsed, MULTIBOOT2_BOOTLOADER_MAGIC, address_of(mb2_buffer));
    EXPECT(result, parsed.cmdline[0] == '\0' && parsed.memory_range_count == 0, "read a truncated tag");
}

void test_boot_info_pvh(struct test_result *result)
{
    static const char cmdline[] = "idle=busy";
    static struct hvm_memmap_table_entry map[2] = {
        { 0x0, 0x9fc00, 1, 0 },
        { 0x100000, 0x7f00000, 1, 0 },
    };
    static struct hvm_modlist_entry modules[1] = { { 0x300000, 0x2000, 0, 0 } };
    static struct hvm_start_info start;
    start = (struct hvm_start_info){
        .magic = PVH_START_MAGIC,
        .version = 1,
        .nr_modules = 1,
        .modlist_paddr = address_of(modules),
        .cmdline_paddr = address_of(cmdline),
        .rsdp_paddr = 0xf59e0,
        .memmap_paddr = address_of(map),
        .memmap_entries = 2,
    };
    boot_info_parse(&parsed, PVH_START_MAGIC, address_of(&start));
    EXPECT(result, strcmp(parsed.protocol, "pvh") == 0, "protocol %s", parsed.protocol);
    EXPECT(result, parsed.cmdline == cmdline, "command line not found");
    EXPECT(result, parsed.rsdp_address == 0xf59e0, "rsdp_paddr %#lx", parsed.rsdp_address);
    EXPECT(result, parsed.memory_range_count == 2 && parsed.memory[1].length == 0x7f00000,
           "memory map misread");
    EXPECT(result, keeps(address_of(map), address_of(map) + sizeof(map)), "memory map not kept");
    EXPECT(result, keeps(0x300000, 0x302000), "module not kept");

    /* Version 0 has no memory map: nothing invented (memory_init would then panic with the reason). */
    start.version = 0;
    boot_info_parse(&parsed, PVH_START_MAGIC, address_of(&start));
    EXPECT(result, parsed.memory_range_count == 0, "version 0 produced %d ranges", parsed.memory_range_count);
}

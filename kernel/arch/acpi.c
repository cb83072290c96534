/*
 * acpi.c - finds the cores the portable way: the RSDP (from the loader, else in
 * the EBDA or the BIOS area 0xE0000-0xFFFFF), then the RSDT or XSDT, then the MADT ("APIC") with
 * its enabled local APICs, the LAPIC address and the first IOAPIC. Without
 * ACPI the machine runs on the boot core alone. Tables are read in place
 * (identity map) and checksummed before use. Pairs with internal.h.
 */
#include <stdint.h>
#include "arch.h"
#include "boot_info.h"
#include "console.h"
#include "cpu.h"
#include "internal.h"
#include "memory.h"
#include "string.h"

struct rsdp {
    char signature[8]; /* "RSD PTR " */
    uint8_t checksum;  /* over the first 20 bytes */
    char oem_id[6];
    uint8_t revision; /* 0: ACPI 1.0 (RSDT only); 2+: XSDT fields valid */
    uint32_t rsdt_address;
    uint32_t length;
    uint64_t xsdt_address;
    uint8_t extended_checksum; /* over `length` bytes */
    uint8_t reserved[3];
} __attribute__((packed));

struct sdt_header {
    char signature[4];
    uint32_t length; /* whole table, header included */
    uint8_t revision;
    uint8_t checksum;
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
} __attribute__((packed));

struct madt {
    struct sdt_header header;
    uint32_t lapic_address;
    uint32_t flags;
    uint8_t entries[]; /* {type, length, ...} records */
} __attribute__((packed));

#define MADT_LOCAL_APIC             0
#define MADT_IO_APIC                1
#define MADT_LAPIC_ADDRESS_OVERRIDE 5
#define MADT_LOCAL_X2APIC           9
#define LAPIC_ENABLED               1u
#define LAPIC_ONLINE_CAPABLE        2u

struct acpi_findings acpi;

static int checksum_ok(const void *start, size_t length)
{
    uint8_t sum = 0;
    for (size_t index = 0; index < length; index++)
        sum += ((const uint8_t *)start)[index];
    return sum == 0;
}

/* A table address we can read: mapped (identity map, page 0 excluded). */
static int readable(uint64_t address, uint64_t length)
{
    return address >= PAGE_SIZE && address < IDENTITY_MAP_LIMIT && length < IDENTITY_MAP_LIMIT - address;
}

/* The signature as one little-endian word, so the scan compares 8 bytes in one instruction (the BIOS
 * area is 8k candidates; some hypervisors emulate every guest instruction). */
#define RSDP_SIGNATURE_WORD 0x2052545020445352ull /* "RSD PTR " */

static const struct rsdp *scan_for_rsdp(uint64_t start, uint64_t length)
{
    for (uint64_t address = start; address + sizeof(struct rsdp) <= start + length; address += 16) {
        if (*(const volatile uint64_t *)address != RSDP_SIGNATURE_WORD)
            continue;
        const struct rsdp *candidate = (const struct rsdp *)address;
        if (checksum_ok(candidate, 20))
            return candidate;
    }
    return 0;
}

/* ACPI's legacy places: the first KiB of the EBDA, then 0xE0000-0xFFFFF. */
static const struct rsdp *scan_bios_area_for_rsdp(void)
{
    uint64_t ebda = (uint64_t)bios_ebda_segment << 4;
    if (ebda >= 0x80000 && ebda < 0xA0000) {
        const struct rsdp *found = scan_for_rsdp(ebda, 1024);
        if (found)
            return found;
    }
    /* SeaBIOS and OVMF's legacy copy sit in the F segment: look there before the E segment. */
    const struct rsdp *found = scan_for_rsdp(0xF0000, 0x10000);
    return found ? found : scan_for_rsdp(0xE0000, 0x10000);
}

/* The RSDP the loader handed over (Multiboot 2 tag, PVH rsdp_paddr), if it checks out. */
static const struct rsdp *rsdp_from_loader(uint64_t address)
{
    if (!address || !readable(address, sizeof(struct rsdp)))
        return 0;
    const struct rsdp *candidate = (const struct rsdp *)address;
    if (memcmp(candidate->signature, "RSD PTR ", 8) != 0 || !checksum_ok(candidate, 20)) {
        kprintf("acpi: the loader's RSDP at %#lx is not valid; scanning the BIOS area\n", address);
        return 0;
    }
    return candidate;
}

/*
 * Where the RSDP is: the loader's word first (under UEFI it is the only way:
 * the RSDP is not in the BIOS area), else the BIOS area scan of the ACPI spec.
 */
static const struct rsdp *find_rsdp(uint64_t loader_rsdp_address)
{
    const struct rsdp *rsdp = rsdp_from_loader(loader_rsdp_address);
    const char *source = "from the loader";
    if (!rsdp) {
        rsdp = scan_bios_area_for_rsdp();
        source = "BIOS area";
    }
    if (rsdp)
        kprintf("acpi: RSDP at %p (%s), revision %d\n", rsdp, source, rsdp->revision);
    return rsdp;
}

static const struct sdt_header *valid_table(uint64_t address)
{
    if (!readable(address, sizeof(struct sdt_header)))
        return 0;
    const struct sdt_header *table = (const struct sdt_header *)address;
    if (table->length < sizeof(*table) || !readable(address, table->length) ||
        !checksum_ok(table, table->length))
        return 0;
    return table;
}

/* The table with `signature` listed in the RSDT (4-byte entries) or XSDT (8-byte). */
static const struct sdt_header *find_table(const struct rsdp *rsdp, const char *signature)
{
    int extended = rsdp->revision >= 2 && rsdp->xsdt_address != 0 && checksum_ok(rsdp, rsdp->length);
    const struct sdt_header *root = valid_table(extended ? rsdp->xsdt_address : rsdp->rsdt_address);
    if (!root)
        return 0;
    size_t entry_size = extended ? 8 : 4;
    size_t count = (root->length - sizeof(*root)) / entry_size;
    const uint8_t *entries = (const uint8_t *)(root + 1);
    for (size_t index = 0; index < count; index++) {
        uint64_t address = 0;
        memcpy(&address, entries + index * entry_size, entry_size); /* unaligned, little-endian */
        const struct sdt_header *table = valid_table(address);
        if (table && memcmp(table->signature, signature, 4) == 0)
            return table;
    }
    return 0;
}

/* An enabled core from a type 0 or type 9 entry; ids the LAPIC mode cannot address are counted, not used. */
static void register_core(uint32_t apic_id, uint32_t flags)
{
    if (!(flags & LAPIC_ENABLED))
        return;
    if (apic_id <= lapic_max_apic_id())
        cpu_register(apic_id);
    else
        acpi.cores_ignored++;
}

/*
 * Firmware lists cores with ids below 255 as type 0 (8-bit id) and the others
 * as type 9 (32-bit x2APIC id); some list a core in both, which cpu_register
 * folds into one. Cores are numbered in the order of the table.
 */
static void parse_madt(const struct madt *madt)
{
    acpi.madt_found = 1;
    acpi.lapic_address = madt->lapic_address;
    const uint8_t *entry = madt->entries;
    const uint8_t *end = (const uint8_t *)madt + madt->header.length;
    while (entry + 2 <= end && entry[1] >= 2 && entry + entry[1] <= end) {
        switch (entry[0]) {
        case MADT_LOCAL_APIC: { /* processor id, APIC id, flags */
            uint32_t flags;
            memcpy(&flags, entry + 4, 4);
            register_core(entry[3], flags);
            break;
        }
        case MADT_IO_APIC: /* id, reserved, address, GSI base */
            if (acpi.ioapic_address == 0) {
                uint32_t address, gsi_base;
                memcpy(&address, entry + 4, 4);
                memcpy(&gsi_base, entry + 8, 4);
                acpi.ioapic_address = address;
                acpi.ioapic_gsi_base = gsi_base;
            }
            break;
        case MADT_LAPIC_ADDRESS_OVERRIDE:
            memcpy(&acpi.lapic_address, entry + 4, 8);
            break;
        case MADT_LOCAL_X2APIC: { /* reserved, x2APIC id, flags, processor UID */
            uint32_t apic_id, flags;
            memcpy(&apic_id, entry + 4, 4);
            memcpy(&flags, entry + 8, 4);
            register_core(apic_id, flags);
            break;
        }
        }
        entry += entry[1];
    }
}

void acpi_init(const struct boot_info *info)
{
    const struct rsdp *rsdp = find_rsdp(info->rsdp_address);
    const struct madt *madt = rsdp ? (const struct madt *)find_table(rsdp, "APIC") : 0;
    if (!madt) {
        kprintf("acpi: %s; running on the boot core only\n", rsdp ? "no MADT" : "no RSDP found");
        return;
    }
    parse_madt(madt);
    if (acpi.ioapic_address && acpi.ioapic_address < IDENTITY_MAP_LIMIT)
        paging_map_uncached(acpi.ioapic_address, PAGE_SIZE); /* device registers (used by future drivers) */
    kprintf("acpi: MADT lists %d usable cores%s, LAPIC %#lx, IOAPIC %#lx\n", cpu_count(),
            acpi.cores_ignored ? " (some ignored: beyond MAX_CPUS or ids above the xAPIC range)" : "",
            acpi.lapic_address, acpi.ioapic_address);
}

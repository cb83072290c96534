/*
 * msix.c - MSI-X: a device interrupt becomes a memory write to the local
 * APIC of one chosen core, so the core that runs a driver's thread is the
 * one its interrupt wakes from hlt (no IOAPIC, no shared lines, no EOI at the
 * device). Pairs with include/pci.h (msix_route) and pci.c.
 *
 * Message format (Intel SDM vol. 3, "Message Signalled Interrupts"): address
 * 0xFEE00000 | destination APIC id << 12 (physical mode, no redirection),
 * data = vector (fixed delivery, edge triggered).
 */
#include "pci.h"
#include "arch.h"
#include "console.h"
#include "cpu.h"
#include "memory.h"

#define MSIX_CONTROL               2      /* message control, 16 bits */
#define MSIX_TABLE                 4      /* table offset | BIR */
#define MSIX_CONTROL_TABLE_SIZE    0x7FFu /* entries - 1 */
#define MSIX_CONTROL_FUNCTION_MASK (1u << 14)
#define MSIX_CONTROL_ENABLE        (1u << 15)
#define MSIX_BIR_MASK              0x7u
#define MSIX_ENTRY_SIZE            16
#define MSIX_ENTRY_VECTOR_MASKED   1u
#define MSI_ADDRESS_BASE           0xFEE00000u
#define MSI_MAX_APIC_ID            0xFE /* destination id: 8 bits, 0xFF is the broadcast */

struct msix_entry {
    uint32_t address_low;
    uint32_t address_high;
    uint32_t data;
    uint32_t vector_control; /* bit 0: masked */
};

int msix_route(const struct pci_device *device, int entry, int vector, int core)
{
    uint8_t capability = pci_find_capability(device, PCI_CAPABILITY_MSIX, 0);
    if (!capability)
        return -1;
    uint16_t control = pci_read16(device, (uint16_t)(capability + MSIX_CONTROL));
    int table_size = (control & MSIX_CONTROL_TABLE_SIZE) + 1;
    if (entry < 0 || entry >= table_size)
        return -1;
    uint32_t table_register = pci_read32(device, (uint16_t)(capability + MSIX_TABLE));
    struct pci_bar bar;
    uint32_t apic_id = cpu_get(core)->apic_id;
    if (apic_id > MSI_MAX_APIC_ID)
        return -1; /* an 8-bit message destination cannot name it (interrupt remapping would) */
    if (pci_read_bar(device, (int)(table_register & MSIX_BIR_MASK), &bar) != 0 || bar.is_io ||
        bar.address == 0)
        return -1;
    uint64_t table_address = bar.address + (table_register & ~MSIX_BIR_MASK);
    uint64_t table_length = (uint64_t)table_size * MSIX_ENTRY_SIZE;
    if (table_length > bar.size || table_address - bar.address > bar.size - table_length)
        return -1;
    paging_map_uncached(table_address, table_length);

    /* Enable with the whole function masked while the entry changes, then unmask. */
    pci_write16(device, (uint16_t)(capability + MSIX_CONTROL),
                (uint16_t)(control | MSIX_CONTROL_ENABLE | MSIX_CONTROL_FUNCTION_MASK));
    volatile struct msix_entry *table = (volatile struct msix_entry *)(uintptr_t)table_address;
    table[entry].vector_control = MSIX_ENTRY_VECTOR_MASKED;
    table[entry].address_low = MSI_ADDRESS_BASE | apic_id << 12;
    table[entry].address_high = 0;
    table[entry].data = (uint32_t)vector;
    table[entry].vector_control = 0;
    pci_write16(device, (uint16_t)(capability + MSIX_CONTROL),
                (uint16_t)((control | MSIX_CONTROL_ENABLE) & ~MSIX_CONTROL_FUNCTION_MASK));
    return 0;
}

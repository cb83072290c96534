/*
 * pci.h - PCI configuration space through the legacy ports 0xCF8/0xCFC (q35
 * and pc both decode them), bus enumeration, BARs, capabilities and MSI-X.
 * Implemented in kernel/drivers/pci.c (configuration space, enumeration,
 * BARs, capabilities) and kernel/drivers/msix.c (MSI-X routing to a core).
 * Used by device drivers (kernel/drivers/virtio_*.c).
 */
#ifndef TORO_PCI_H
#define TORO_PCI_H

#include <stdint.h>

/* Configuration-space offsets of the type 0 header (PCI Local Bus spec 3.0, 6.1). */
#define PCI_VENDOR_ID     0x00
#define PCI_DEVICE_ID     0x02
#define PCI_COMMAND       0x04
#define PCI_STATUS        0x06
#define PCI_REVISION      0x08
#define PCI_CLASS         0x09 /* prog-if, subclass, class code: bytes 0x09, 0x0A, 0x0B */
#define PCI_HEADER_TYPE   0x0E
#define PCI_BAR0          0x10
#define PCI_SECONDARY_BUS 0x19 /* type 1 (bridge) header */
#define PCI_CAPABILITIES  0x34

#define PCI_COMMAND_IO           (1u << 0)
#define PCI_COMMAND_MEMORY       (1u << 1)
#define PCI_COMMAND_BUS_MASTER   (1u << 2)
#define PCI_COMMAND_INTX_DISABLE (1u << 10)
#define PCI_STATUS_CAPABILITIES  (1u << 4)

#define PCI_CAPABILITY_MSIX   0x11
#define PCI_CAPABILITY_VENDOR 0x09

#define PCI_MAX_DEVICES 64 /* devices remembered by pci_enumerate */
#define PCI_BAR_COUNT   6

struct pci_device {
    uint8_t bus, slot, function;
    uint16_t vendor_id, device_id;
    uint8_t class_code, subclass, prog_if, revision;
    uint8_t header_type; /* without the multi-function bit */
};

struct pci_bar {
    uint64_t address; /* physical base (memory) or port (I/O); 0 if unassigned */
    uint64_t size;    /* bytes decoded, 0 if the BAR is not implemented */
    int is_io;
    int is_64bit; /* a memory BAR taking this slot and the next */
};

/* Configuration space of `device`. Accesses are serialised (two ports per access). */
uint32_t pci_read32(const struct pci_device *device, uint16_t offset);
uint16_t pci_read16(const struct pci_device *device, uint16_t offset);
uint8_t pci_read8(const struct pci_device *device, uint16_t offset);
void pci_write32(const struct pci_device *device, uint16_t offset, uint32_t value);
void pci_write16(const struct pci_device *device, uint16_t offset, uint16_t value);

/*
 * Walk the hierarchy from bus 0 through PCI-to-PCI bridges. The result is
 * kept (the first call enumerates, later calls return the same table) and
 * each device is printed once. Returns the number of devices.
 */
int pci_enumerate(const struct pci_device **devices);

/* The `instance`-th device (0 = first) with this vendor and device id; 0 if none. */
const struct pci_device *pci_find(uint16_t vendor_id, uint16_t device_id, int instance);

/*
 * Decode BAR `index` (0..5): address and size (sized by writing all ones with
 * decoding turned off, then restored). Returns 0, or -1 for a bad index or
 * the upper half of a 64-bit BAR.
 */
int pci_read_bar(const struct pci_device *device, int index, struct pci_bar *bar);

/*
 * Offset of the first capability with `id` after offset `after` (0 = from the
 * start of the list), or 0 if there is none. The walk is bounded, so a
 * looping list cannot hang the kernel.
 */
uint8_t pci_find_capability(const struct pci_device *device, uint8_t id, uint8_t after);

/* Turn on memory decoding and bus mastering, and mask the legacy INTx line. */
void pci_enable_bus_master(const struct pci_device *device);

/*
 * MSI-X (msix.c): map the device's table, point entry `entry` at `vector` on
 * core `core` (physical destination, fixed delivery, edge) and enable MSI-X
 * for the function. Every other entry stays masked. Returns 0, or -1 if the
 * device has no MSI-X capability, the entry does not exist, or the table is
 * not in a usable memory BAR.
 */
int msix_route(const struct pci_device *device, int entry, int vector, int core);

#endif

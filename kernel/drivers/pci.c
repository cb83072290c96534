/*
 * pci.c - PCI configuration space through the legacy mechanism #1 (address
 * to port 0xCF8, data at 0xCFC), enumeration of the bus hierarchy, BAR
 * decoding and capability lists. Pairs with include/pci.h; msix.c builds on
 * it. The firmware (SeaBIOS, or GRUB's) has already assigned every BAR; we
 * only read them.
 */
#include "pci.h"
#include "arch.h"
#include "console.h"
#include "x86.h"

#define CONFIG_ADDRESS        0xCF8
#define CONFIG_DATA           0xCFC
#define CONFIG_ENABLE         (1u << 31)
#define HEADER_MULTI_FUNCTION 0x80
#define HEADER_TYPE_BRIDGE    0x01
#define CLASS_BRIDGE          0x06
#define SUBCLASS_PCI_BRIDGE   0x04
#define CAPABILITY_WALK_LIMIT 48 /* at most (256 - 64) / 4 capabilities fit in config space */
#define BUS_DEPTH_LIMIT       8  /* bridges below bridges; deeper means a loop */

/* Address and data port are one access: serialise them between cores. */
static struct raw_lock config_lock = RAW_LOCK_INITIALIZER;

/* Filled once by the first pci_enumerate; read-only afterwards. */
static struct pci_device devices[PCI_MAX_DEVICES];
static int device_count;
static int enumerated;
static struct raw_lock enumerate_lock = RAW_LOCK_INITIALIZER;

static uint32_t config_address(uint8_t bus, uint8_t slot, uint8_t function, uint16_t offset)
{
    return CONFIG_ENABLE | (uint32_t)bus << 16 | (uint32_t)slot << 11 | (uint32_t)function << 8 |
           (offset & 0xFC);
}

static uint32_t read_raw(uint8_t bus, uint8_t slot, uint8_t function, uint16_t offset)
{
    raw_acquire(&config_lock);
    outl(CONFIG_ADDRESS, config_address(bus, slot, function, offset));
    uint32_t value = inl(CONFIG_DATA);
    raw_release(&config_lock);
    return value;
}

uint32_t pci_read32(const struct pci_device *device, uint16_t offset)
{
    return read_raw(device->bus, device->slot, device->function, offset);
}

uint16_t pci_read16(const struct pci_device *device, uint16_t offset)
{
    return (uint16_t)(pci_read32(device, offset) >> ((offset & 2) * 8));
}

uint8_t pci_read8(const struct pci_device *device, uint16_t offset)
{
    return (uint8_t)(pci_read32(device, offset) >> ((offset & 3) * 8));
}

void pci_write32(const struct pci_device *device, uint16_t offset, uint32_t value)
{
    raw_acquire(&config_lock);
    outl(CONFIG_ADDRESS, config_address(device->bus, device->slot, device->function, offset));
    outl(CONFIG_DATA, value);
    raw_release(&config_lock);
}

void pci_write16(const struct pci_device *device, uint16_t offset, uint16_t value)
{
    raw_acquire(&config_lock);
    outl(CONFIG_ADDRESS, config_address(device->bus, device->slot, device->function, offset));
    outw((uint16_t)(CONFIG_DATA + (offset & 2)), value);
    raw_release(&config_lock);
}

/* ---- enumeration ------------------------------------------------------------------------ */

static void scan_bus(uint8_t bus, int depth);

static void add_function(uint8_t bus, uint8_t slot, uint8_t function, int depth)
{
    uint32_t ids = read_raw(bus, slot, function, PCI_VENDOR_ID);
    if ((ids & 0xFFFF) == 0xFFFF)
        return;
    uint32_t class_register = read_raw(bus, slot, function, PCI_REVISION);
    struct pci_device device = {
        .bus = bus,
        .slot = slot,
        .function = function,
        .vendor_id = (uint16_t)ids,
        .device_id = (uint16_t)(ids >> 16),
        .revision = (uint8_t)class_register,
        .prog_if = (uint8_t)(class_register >> 8),
        .subclass = (uint8_t)(class_register >> 16),
        .class_code = (uint8_t)(class_register >> 24),
        .header_type = (uint8_t)(read_raw(bus, slot, function, PCI_HEADER_TYPE & 0xFC) >> 16) & 0x7F,
    };
    if (device_count < PCI_MAX_DEVICES)
        devices[device_count++] = device;
    kprintf("pci: %02x:%02x.%x %04x:%04x class %02x.%02x\n", bus, slot, function, device.vendor_id,
            device.device_id, device.class_code, device.subclass);
    if (device.header_type == HEADER_TYPE_BRIDGE && device.class_code == CLASS_BRIDGE &&
        device.subclass == SUBCLASS_PCI_BRIDGE) {
        uint8_t secondary = pci_read8(&device, PCI_SECONDARY_BUS);
        if (secondary > bus && depth < BUS_DEPTH_LIMIT)
            scan_bus(secondary, depth + 1);
    }
}

static void scan_bus(uint8_t bus, int depth)
{
    for (uint8_t slot = 0; slot < 32; slot++) {
        if ((read_raw(bus, slot, 0, PCI_VENDOR_ID) & 0xFFFF) == 0xFFFF)
            continue;
        uint8_t header = (uint8_t)(read_raw(bus, slot, 0, PCI_HEADER_TYPE & 0xFC) >> 16);
        int functions = (header & HEADER_MULTI_FUNCTION) ? 8 : 1;
        for (uint8_t function = 0; function < functions; function++)
            add_function(bus, slot, function, depth);
    }
}

int pci_enumerate(const struct pci_device **table)
{
    raw_acquire(&enumerate_lock);
    if (!enumerated) {
        scan_bus(0, 0);
        __atomic_store_n(&enumerated, 1, __ATOMIC_RELEASE);
    }
    raw_release(&enumerate_lock);
    if (table)
        *table = devices;
    return device_count;
}

const struct pci_device *pci_find(uint16_t vendor_id, uint16_t device_id, int instance)
{
    const struct pci_device *table;
    int count = pci_enumerate(&table);
    for (int index = 0; index < count; index++)
        if (table[index].vendor_id == vendor_id && table[index].device_id == device_id && instance-- == 0)
            return &table[index];
    return 0;
}

/* ---- BARs and capabilities ---------------------------------------------------------------- */

#define BAR_IO         0x1u
#define BAR_TYPE_MASK  0x6u
#define BAR_TYPE_64BIT 0x4u

int pci_read_bar(const struct pci_device *device, int index, struct pci_bar *bar)
{
    if (index < 0 || index >= PCI_BAR_COUNT)
        return -1;
    /* Walk from BAR0: the upper half of a 64-bit BAR is not a BAR of its own. */
    int slot = 0;
    while (slot < index) {
        uint32_t value = pci_read32(device, (uint16_t)(PCI_BAR0 + 4 * slot));
        slot += !(value & BAR_IO) && (value & BAR_TYPE_MASK) == BAR_TYPE_64BIT ? 2 : 1;
    }
    if (slot != index)
        return -1;
    uint16_t offset = (uint16_t)(PCI_BAR0 + 4 * index);
    uint32_t low = pci_read32(device, offset);
    int is_io = low & BAR_IO;
    int is_64bit = !is_io && (low & BAR_TYPE_MASK) == BAR_TYPE_64BIT && index < PCI_BAR_COUNT - 1;
    uint32_t high = is_64bit ? pci_read32(device, (uint16_t)(offset + 4)) : 0;

    /* Size: decoding off, write ones, read the mask back, restore. */
    uint16_t command = pci_read16(device, PCI_COMMAND);
    pci_write16(device, PCI_COMMAND, command & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
    pci_write32(device, offset, 0xFFFFFFFFu);
    uint64_t mask = pci_read32(device, offset);
    pci_write32(device, offset, low);
    if (is_64bit) {
        pci_write32(device, (uint16_t)(offset + 4), 0xFFFFFFFFu);
        mask |= (uint64_t)pci_read32(device, (uint16_t)(offset + 4)) << 32;
        pci_write32(device, (uint16_t)(offset + 4), high);
    } else if (!is_io) {
        mask |= 0xFFFFFFFF00000000ull; /* a 32-bit BAR decodes no upper bits */
    } else {
        mask |= 0xFFFFFFFFFFFF0000ull; /* I/O space is 16 bits on x86 */
    }
    pci_write16(device, PCI_COMMAND, command);

    uint64_t address_mask = is_io ? ~0x3ull : ~0xFull;
    mask &= address_mask;
    bar->is_io = is_io;
    bar->is_64bit = is_64bit;
    bar->address = (((uint64_t)high << 32) | low) & address_mask;
    bar->size = mask ? (~mask + 1) & (is_io ? 0xFFFFull : ~0ull) : 0;
    return 0;
}

uint8_t pci_find_capability(const struct pci_device *device, uint8_t id, uint8_t after)
{
    if (!(pci_read16(device, PCI_STATUS) & PCI_STATUS_CAPABILITIES))
        return 0;
    uint8_t offset = after ? pci_read8(device, (uint16_t)(after + 1)) : pci_read8(device, PCI_CAPABILITIES);
    for (int step = 0; step < CAPABILITY_WALK_LIMIT && offset >= 0x40; step++) {
        offset &= 0xFC;
        if (pci_read8(device, offset) == id)
            return offset;
        offset = pci_read8(device, (uint16_t)(offset + 1));
    }
    return 0;
}

void pci_enable_bus_master(const struct pci_device *device)
{
    uint16_t command = pci_read16(device, PCI_COMMAND);
    pci_write16(device, PCI_COMMAND,
                command | PCI_COMMAND_MEMORY | PCI_COMMAND_BUS_MASTER | PCI_COMMAND_INTX_DISABLE);
}

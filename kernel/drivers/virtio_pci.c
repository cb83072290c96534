/*
 * virtio_pci.c - the modern virtio PCI transport: locate the common, notify
 * and device configuration structures through the vendor capabilities
 * (virtio 1.x, 4.1.4), negotiate features, set up queues. Pairs with
 * virtio_pci.h; virtqueue.c owns the rings themselves.
 *
 * Every structure is MMIO in a memory BAR, mapped uncached here. 64-bit
 * registers are written as two 32-bit halves, which the spec allows.
 */
#include "virtio_pci.h"
#include "arch.h"
#include "console.h"
#include "memory.h"
#include "x86.h"

/* struct virtio_pci_cap, byte offsets within the capability. */
#define CAPABILITY_CONFIG_TYPE       3
#define CAPABILITY_BAR               4
#define CAPABILITY_OFFSET            8
#define CAPABILITY_LENGTH            12
#define CAPABILITY_NOTIFY_MULTIPLIER 16 /* notify capability only */

#define CONFIG_TYPE_COMMON 1
#define CONFIG_TYPE_NOTIFY 2
#define CONFIG_TYPE_ISR    3
#define CONFIG_TYPE_DEVICE 4

#define RESET_TIMEOUT_US 100000

/* Map the region a capability describes; 0 if it is not in a usable memory BAR. */
static volatile uint8_t *map_capability(const struct pci_device *pci, uint8_t capability)
{
    uint8_t bar_index = pci_read8(pci, (uint16_t)(capability + CAPABILITY_BAR));
    uint32_t offset = pci_read32(pci, (uint16_t)(capability + CAPABILITY_OFFSET));
    uint32_t length = pci_read32(pci, (uint16_t)(capability + CAPABILITY_LENGTH));
    struct pci_bar bar;
    if (bar_index >= PCI_BAR_COUNT || pci_read_bar(pci, bar_index, &bar) != 0 || bar.is_io ||
        bar.address == 0)
        return 0;
    if ((uint64_t)offset + length > bar.size)
        return 0;
    paging_map_uncached(bar.address + offset, length ? length : 1);
    return (volatile uint8_t *)(uintptr_t)(bar.address + offset);
}

int virtio_pci_open(struct virtio_pci *transport, const struct pci_device *pci)
{
    transport->pci = pci;
    transport->common = 0;
    transport->notify_base = 0;
    transport->device_config = 0;
    for (uint8_t capability = pci_find_capability(pci, PCI_CAPABILITY_VENDOR, 0); capability;
         capability = pci_find_capability(pci, PCI_CAPABILITY_VENDOR, capability)) {
        uint8_t type = pci_read8(pci, (uint16_t)(capability + CAPABILITY_CONFIG_TYPE));
        if (type == CONFIG_TYPE_COMMON && !transport->common) {
            transport->common = (volatile struct virtio_pci_common_config *)map_capability(pci, capability);
        } else if (type == CONFIG_TYPE_NOTIFY && !transport->notify_base) {
            transport->notify_base = map_capability(pci, capability);
            transport->notify_offset_multiplier =
                pci_read32(pci, (uint16_t)(capability + CAPABILITY_NOTIFY_MULTIPLIER));
        } else if (type == CONFIG_TYPE_DEVICE && !transport->device_config) {
            transport->device_config = map_capability(pci, capability);
        }
    }
    if (!transport->common || !transport->notify_base || !transport->device_config)
        return -1;
    pci_enable_bus_master(pci);
    return 0;
}

static void set_status(struct virtio_pci *transport, uint8_t bits)
{
    transport->common->device_status = (uint8_t)(transport->common->device_status | bits);
}

void virtio_pci_fail(struct virtio_pci *transport) { set_status(transport, VIRTIO_STATUS_FAILED); }

uint64_t virtio_pci_negotiate(struct virtio_pci *transport, uint64_t required, uint64_t optional)
{
    volatile struct virtio_pci_common_config *common = transport->common;
    common->device_status = 0; /* reset; done when it reads back 0 */
    uint64_t deadline = rdtsc() + ns_to_tsc(RESET_TIMEOUT_US * 1000ull);
    while (common->device_status != 0 && rdtsc() < deadline)
        pause();
    if (common->device_status != 0)
        return 0;
    set_status(transport, VIRTIO_STATUS_ACKNOWLEDGE);
    set_status(transport, VIRTIO_STATUS_DRIVER);

    common->device_feature_select = 0;
    uint64_t offered = common->device_feature;
    common->device_feature_select = 1;
    offered |= (uint64_t)common->device_feature << 32;
    required |= VIRTIO_F_VERSION_1;
    if ((offered & required) != required) {
        kprintf("virtio: device %04x offers features %#lx, needs %#lx\n", transport->pci->device_id, offered,
                required);
        virtio_pci_fail(transport);
        return 0;
    }
    uint64_t accepted = required | (optional & offered);
    common->driver_feature_select = 0;
    common->driver_feature = (uint32_t)accepted;
    common->driver_feature_select = 1;
    common->driver_feature = (uint32_t)(accepted >> 32);
    set_status(transport, VIRTIO_STATUS_FEATURES_OK);
    if (!(common->device_status & VIRTIO_STATUS_FEATURES_OK)) {
        virtio_pci_fail(transport);
        return 0;
    }
    common->msix_config = VIRTIO_NO_VECTOR; /* no configuration-change interrupts */
    return accepted;
}

int virtio_pci_setup_queue(struct virtio_pci *transport, struct virtqueue *queue, uint16_t queue_index,
                           uint16_t wanted_size, uint16_t msix_entry)
{
    volatile struct virtio_pci_common_config *common = transport->common;
    if (queue_index >= common->queue_count)
        return -1;
    common->queue_select = queue_index;
    uint16_t size = common->queue_size; /* the device's maximum; 0 = queue unavailable */
    if (size > wanted_size)
        size = wanted_size;
    while (size & (size - 1))
        size &= (uint16_t)(size - 1); /* clear low bits: the largest power of two <= size */
    if (size == 0 || virtqueue_init(queue, queue_index, size) != 0)
        return -1;
    common->queue_size = size;
    uint64_t descriptors = (uint64_t)(uintptr_t)queue->descriptors;
    uint64_t available = (uint64_t)(uintptr_t)queue->available;
    uint64_t used = (uint64_t)(uintptr_t)queue->used;
    common->queue_descriptors_low = (uint32_t)descriptors;
    common->queue_descriptors_high = (uint32_t)(descriptors >> 32);
    common->queue_available_low = (uint32_t)available;
    common->queue_available_high = (uint32_t)(available >> 32);
    common->queue_used_low = (uint32_t)used;
    common->queue_used_high = (uint32_t)(used >> 32);
    common->queue_msix_vector = msix_entry;
    if (common->queue_msix_vector != msix_entry)
        return -1; /* the device could not take that MSI-X entry */
    queue->notify_address =
        (volatile uint16_t *)(transport->notify_base +
                              (uint32_t)common->queue_notify_offset * transport->notify_offset_multiplier);
    common->queue_enable = 1;
    return 0;
}

void virtio_pci_driver_ok(struct virtio_pci *transport) { set_status(transport, VIRTIO_STATUS_DRIVER_OK); }

/*
 * virtio_pci.h - the modern (virtio 1.x) PCI transport: the device's
 * configuration structures are found through vendor-specific PCI
 * capabilities and live in memory BARs. Implemented in virtio_pci.c; a device
 * driver (virtio_net.c) opens the transport, negotiates features, sets up its
 * queues and then says DRIVER_OK. Legacy (0.9.x, I/O port) devices are not
 * supported: QEMU needs `disable-legacy=on` (or a virtio-*-pci-non-transitional device).
 */
#ifndef TORO_VIRTIO_PCI_H
#define TORO_VIRTIO_PCI_H

#include <stdint.h>
#include "pci.h"
#include "virtqueue.h"

#define VIRTIO_VENDOR_ID             0x1AF4
#define VIRTIO_MODERN_DEVICE_ID_BASE 0x1040 /* + virtio device type */

#define VIRTIO_F_VERSION_1 (1ull << 32)
#define VIRTIO_NO_VECTOR   0xFFFF /* "no MSI-X entry" for msix_config / queue_msix_vector */

/* Device status bits (virtio 1.x, 2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER      2u
#define VIRTIO_STATUS_DRIVER_OK   4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_FAILED      128u

/* The common configuration structure (virtio 1.x, 4.1.4.3), little-endian. */
struct virtio_pci_common_config {
    uint32_t device_feature_select;
    uint32_t device_feature;
    uint32_t driver_feature_select;
    uint32_t driver_feature;
    uint16_t msix_config;
    uint16_t queue_count;
    uint8_t device_status;
    uint8_t config_generation;
    uint16_t queue_select;
    uint16_t queue_size;
    uint16_t queue_msix_vector;
    uint16_t queue_enable;
    uint16_t queue_notify_offset;
    uint32_t queue_descriptors_low, queue_descriptors_high;
    uint32_t queue_available_low, queue_available_high;
    uint32_t queue_used_low, queue_used_high;
};

struct virtio_pci {
    const struct pci_device *pci;
    volatile struct virtio_pci_common_config *common;
    volatile uint8_t *notify_base;
    uint32_t notify_offset_multiplier;
    volatile uint8_t *device_config; /* device-specific (e.g. the MAC address) */
};

/* Find and map the configuration structures of `pci`, enable bus mastering. 0, or -1 if not a modern device. */
int virtio_pci_open(struct virtio_pci *transport, const struct pci_device *pci);

/*
 * Reset the device, acknowledge it and agree on features: every bit of
 * `required` must be offered (VIRTIO_F_VERSION_1 always is required), bits of
 * `optional` are taken when offered. Returns the accepted set, or 0 after
 * marking the device FAILED.
 */
uint64_t virtio_pci_negotiate(struct virtio_pci *transport, uint64_t required, uint64_t optional);

/*
 * Set up queue `queue_index` with at most `wanted_size` entries (less if the
 * device offers less), its interrupts on MSI-X entry `msix_entry`
 * (VIRTIO_NO_VECTOR for none), and enable it. 0, or -1.
 */
int virtio_pci_setup_queue(struct virtio_pci *transport, struct virtqueue *queue, uint16_t queue_index,
                           uint16_t wanted_size, uint16_t msix_entry);

/* Everything is set up: the device may start using the queues. */
void virtio_pci_driver_ok(struct virtio_pci *transport);

/* Give up on the device (after a setup error). */
void virtio_pci_fail(struct virtio_pci *transport);

#endif

/*
 * virtio_net.c - driver for a modern virtio network device over PCI (QEMU
 * `-device virtio-net-pci,disable-legacy=on`): queue 0 receives, queue 1
 * transmits, one descriptor per buffer, no offloads (the stack computes every
 * checksum). Receive interrupts arrive through MSI-X on the core that runs the
 * network thread; transmitted buffers are reclaimed lazily on the next send,
 * so transmit needs no interrupt at all. Implements include/net_interface.h.
 *
 * Called with the stack's lock held (transmit, receive), except the interrupt
 * handler, which only counts and wakes the network thread.
 */
#include "net_interface.h"
#include "arch.h"
#include "console.h"
#include "memory.h"
#include "string.h"
#include "virtio_pci.h"

#define VIRTIO_NET_DEVICE_ID   (VIRTIO_MODERN_DEVICE_ID_BASE + 1)
#define VIRTIO_NET_F_MAC       (1ull << 5)
#define VIRTIO_NET_HEADER_SIZE 12 /* struct virtio_net_hdr with num_buffers (VERSION_1) */
#define RECEIVE_QUEUE          0
#define TRANSMIT_QUEUE         1
#define QUEUE_SIZE             256
#define BUFFER_SIZE            2048 /* header + the largest frame, two buffers per page */
#define RECEIVE_MSIX_ENTRY     0

struct virtio_net {
    struct net_interface interface; /* first: the stack's handle is this device */
    struct virtio_pci transport;
    struct virtqueue receive_queue;
    struct virtqueue transmit_queue;
    uint8_t *receive_buffers[QUEUE_SIZE];
    uint8_t *transmit_buffers[QUEUE_SIZE];
    uint16_t transmit_free[QUEUE_SIZE]; /* descriptors not with the device */
    uint16_t transmit_free_count;
    uint16_t receive_unkicked; /* buffers given back since the last receive kick */
    int transmit_unkicked;     /* frames posted since the last transmit kick (any core: atomic) */
};

static struct virtio_net device; /* one device is supported */

/* Buffers of BUFFER_SIZE bytes, two per zeroed page. */
static int allocate_buffers(uint8_t **buffers, uint16_t count)
{
    for (uint16_t index = 0; index < count; index += 2) {
        uint8_t *page = page_alloc();
        if (!page)
            return -1;
        buffers[index] = page;
        if (index + 1 < count)
            buffers[index + 1] = page + BUFFER_SIZE;
    }
    return 0;
}

static int receive(struct net_interface *interface, net_frame_handler handler, int budget)
{
    struct virtqueue *queue = &device.receive_queue;
    uint16_t descriptor;
    uint32_t length;
    int frames = 0;
    while (frames < budget && virtqueue_take_used(queue, &descriptor, &length)) {
        if (descriptor >= queue->size)
            panic("virtio-net: device returned receive descriptor %u of %u", descriptor, queue->size);
        uint8_t *buffer = device.receive_buffers[descriptor];
        if (length > VIRTIO_NET_HEADER_SIZE && length <= BUFFER_SIZE) {
            interface->frames_received++;
            handler(interface, buffer + VIRTIO_NET_HEADER_SIZE, length - VIRTIO_NET_HEADER_SIZE);
        }
        virtqueue_post(queue, descriptor, buffer, BUFFER_SIZE, VIRTQ_DESCRIPTOR_WRITE);
        frames++;
    }
    /* Kick once per burst (an MMIO write is an exit to the hypervisor), or before the device
     * could run short of buffers in a long one. */
    device.receive_unkicked += (uint16_t)frames;
    if (device.receive_unkicked &&
        (!virtqueue_used_pending(queue) || device.receive_unkicked >= queue->size / 2)) {
        virtqueue_kick(queue);
        device.receive_unkicked = 0;
    }
    return frames;
}

static int receive_pending(struct net_interface *interface)
{
    (void)interface;
    return virtqueue_used_pending(&device.receive_queue);
}

static int transmit(struct net_interface *interface, const void *frame, uint32_t length)
{
    struct virtqueue *queue = &device.transmit_queue;
    uint16_t descriptor;
    uint32_t written;
    while (virtqueue_take_used(queue, &descriptor, &written)) {
        if (descriptor >= queue->size)
            panic("virtio-net: device returned transmit descriptor %u of %u", descriptor, queue->size);
        device.transmit_free[device.transmit_free_count++] = descriptor;
    }
    if (device.transmit_free_count == 0 || length > ETHERNET_MAX_FRAME) {
        interface->transmit_drops++;
        return -1;
    }
    descriptor = device.transmit_free[--device.transmit_free_count];
    uint8_t *buffer = device.transmit_buffers[descriptor];
    memset(buffer, 0, VIRTIO_NET_HEADER_SIZE); /* no checksum offload, no segmentation */
    memcpy(buffer + VIRTIO_NET_HEADER_SIZE, frame, length);
    virtqueue_post(queue, descriptor, buffer, VIRTIO_NET_HEADER_SIZE + length, 0);
    __atomic_store_n(&device.transmit_unkicked, 1, __ATOMIC_SEQ_CST); /* transmit_kick notifies */
    interface->frames_sent++;
    return 0;
}

/* After the stack's transmit lock is released: one notification covers every frame posted before
 * the flag was taken (each post sets it after posting, so none is left unannounced). */
static void transmit_kick(struct net_interface *interface)
{
    (void)interface;
    if (__atomic_exchange_n(&device.transmit_unkicked, 0, __ATOMIC_SEQ_CST))
        virtqueue_kick(&device.transmit_queue);
}

/* Device vector, on interrupt_core only: count, then wake the network thread (no device register to ack with MSI-X). */
static void interrupt(int vector)
{
    (void)vector;
    device.interface.interrupts++;
    net_interface_interrupt(&device.interface);
}

static struct net_interface *fail(const char *why)
{
    kprintf("virtio-net: %s; network disabled\n", why);
    if (device.transport.common)
        virtio_pci_fail(&device.transport);
    return 0;
}

struct net_interface *virtio_net_probe(int core)
{
    const struct pci_device *pci = pci_find(VIRTIO_VENDOR_ID, VIRTIO_NET_DEVICE_ID, 0);
    if (!pci)
        return 0;
    if (device.interface.transmit)
        return &device.interface; /* already started */
    if (virtio_pci_open(&device.transport, pci) != 0)
        return fail("no modern virtio capabilities");
    uint64_t features = virtio_pci_negotiate(&device.transport, 0, VIRTIO_NET_F_MAC);
    if (!features)
        return fail("feature negotiation failed");

    int vector = interrupt_allocate_vector(interrupt);
    if (vector < 0)
        return fail("no free interrupt vector");
    if (msix_route(pci, RECEIVE_MSIX_ENTRY, vector, core) != 0)
        return fail("no usable MSI-X (legacy INTx is not supported)");
    if (virtio_pci_setup_queue(&device.transport, &device.receive_queue, RECEIVE_QUEUE, QUEUE_SIZE,
                               RECEIVE_MSIX_ENTRY) != 0 ||
        virtio_pci_setup_queue(&device.transport, &device.transmit_queue, TRANSMIT_QUEUE, QUEUE_SIZE,
                               VIRTIO_NO_VECTOR) != 0)
        return fail("queue setup failed");
    virtqueue_disable_interrupts(&device.transmit_queue);
    if (allocate_buffers(device.receive_buffers, device.receive_queue.size) != 0 ||
        allocate_buffers(device.transmit_buffers, device.transmit_queue.size) != 0)
        return fail("out of memory for buffers");
    for (uint16_t descriptor = 0; descriptor < device.transmit_queue.size; descriptor++)
        device.transmit_free[device.transmit_free_count++] = descriptor;

    static const uint8_t fallback_mac[ETHERNET_ADDRESS_LENGTH] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
    for (int index = 0; index < ETHERNET_ADDRESS_LENGTH; index++)
        device.interface.mac[index] =
            (features & VIRTIO_NET_F_MAC) ? device.transport.device_config[index] : fallback_mac[index];

    device.interface.name = "virtio-net";
    device.interface.receive = receive;
    device.interface.receive_pending = receive_pending;
    device.interface.interrupt_core = core;
    device.interface.interrupt_vector = vector;
    for (uint16_t descriptor = 0; descriptor < device.receive_queue.size; descriptor++)
        virtqueue_post(&device.receive_queue, descriptor, device.receive_buffers[descriptor], BUFFER_SIZE,
                       VIRTQ_DESCRIPTOR_WRITE);
    virtio_pci_driver_ok(&device.transport);
    virtqueue_kick(&device.receive_queue);
    device.interface.transmit_kick = transmit_kick;
    device.interface.transmit = transmit; /* last: marks the device started */
    const uint8_t *mac = device.interface.mac;
    kprintf("virtio-net: %02x:%02x.%x mac %02x:%02x:%02x:%02x:%02x:%02x, queues %u/%u, MSI-X vector %#x on "
            "cpu %d, registers at %#lx\n",
            pci->bus, pci->slot, pci->function, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
            device.receive_queue.size, device.transmit_queue.size, vector, core,
            (uint64_t)(uintptr_t)device.transport.common);
    return &device.interface;
}

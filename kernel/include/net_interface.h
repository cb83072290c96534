/*
 * net_interface.h - the contract between a network device driver
 * (kernel/drivers/virtio_net.c, or a test's fake device) and the TCP/IP stack
 * (kernel/net/). The driver fills a struct net_interface and calls
 * net_interface_interrupt() from its interrupt handler; the stack's network
 * thread then takes the received frames, and any thread sends through
 * `transmit`. The stack calls `transmit` with net.transmit_lock held and
 * `receive` from its network thread only, so a driver needs no lock of its
 * own; `transmit_kick` comes after the lock is released.
 */
#ifndef TORO_NET_INTERFACE_H
#define TORO_NET_INTERFACE_H

#include <stdint.h>

#define ETHERNET_ADDRESS_LENGTH 6
#define ETHERNET_MAX_FRAME      1514 /* header + 1500-byte payload, no FCS (devices add it) */

struct net_interface;

/* The stack's receive entry: one whole Ethernet frame, valid only during the call. */
typedef void (*net_frame_handler)(struct net_interface *interface, const uint8_t *frame, uint32_t length);

struct net_interface {
    const char *name;
    uint8_t mac[ETHERNET_ADDRESS_LENGTH];

    /* Queue one frame for sending (copied). 0, or -1 if it was dropped (device queue full). */
    int (*transmit)(struct net_interface *interface, const void *frame, uint32_t length);
    /* Tell the device about the frames `transmit` queued (any core, no lock: a notification is an exit
     * to the hypervisor, too slow to make other senders wait for it). 0 if the device needs none. */
    void (*transmit_kick)(struct net_interface *interface);
    /* Hand up to `budget` received frames to `handler`, oldest first; returns how many. */
    int (*receive)(struct net_interface *interface, net_frame_handler handler, int budget);
    /* 1 if received frames are waiting (cheap). */
    int (*receive_pending)(struct net_interface *interface);

    /* Counters kept by the driver (the interrupt count by the interrupt handler on its one core). */
    uint64_t interrupts;
    uint64_t frames_received;
    uint64_t frames_sent;
    uint64_t transmit_drops;
    int interrupt_core; /* the core its interrupt is delivered to, -1 if it has none */
    int interrupt_vector;
};

/*
 * Driver -> stack, from the device's interrupt handler (or any context):
 * frames are waiting, wake the network thread. Cheap and lock-free.
 */
void net_interface_interrupt(struct net_interface *interface);

/* Drivers (drivers/virtio_net.c): find and start the first virtio-net device,
 * its interrupt routed to `core`. 0 if there is none or it cannot be used. */
struct net_interface *virtio_net_probe(int core);

#endif

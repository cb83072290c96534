/*
 * stack.c - starting the stack and its network thread. net_start finds the
 * device (drivers/virtio_net.c), net_attach reads the configuration from the
 * command line and starts the thread "net" on the core the device interrupts
 * (and an owner thread on every other core, owner.c). The network thread's
 * loop: take received frames up to a budget and dispatch each to the core that
 * owns its connection (owner.c), do its own core's owner work (frames, output
 * requests, timers if the earliest is due), then block until the next
 * interrupt or that core's next deadline - with no deadline at all when no
 * connection has a timer, so an idle stack costs its core nothing (no tick).
 * Pairs with stack.h.
 */
#include "stack.h"
#include "arch.h"
#include "console.h"
#include "cpu.h"
#include "ethernet.h"
#include "string.h"
#include "tcp.h"
#include "thread.h"
#include "x86.h"

#define RECEIVE_BUDGET       64          /* frames per pass before other threads of the core get a turn */
#define DEFAULT_ADDRESS      0x0A00020Fu /* 10.0.2.15: QEMU user networking's guest */
#define DEFAULT_NETMASK      0xFFFFFF00u /* /24 */
#define DEFAULT_GATEWAY      0x0A000202u /* 10.0.2.2: QEMU user networking's host */
#define DEFAULT_TIME_WAIT_MS 1000 /* RFC 9293's 2 MSL is minutes; a short one keeps the experiment quick */
#define DEFAULT_FIN_WAIT_MS  5000
#define DEFAULT_STEER_SPREAD 0 /* steer=network */

struct net_stack net = {
    .lock = SPINLOCK_INITIALIZER("net"),
    .transmit_lock = SPINLOCK_INITIALIZER("net.transmit"),
};

static int start_result = 1; /* 1: net_start not called yet */

uint64_t net_ms_to_tsc(uint64_t milliseconds) { return ns_to_tsc(milliseconds * 1000000ull); }

static uint32_t address_argument(const char *key, uint32_t default_value)
{
    const char *text = cmdline_get(key);
    uint32_t address;
    if (!text)
        return default_value;
    if (net_parse_address(text, &address) != 0) {
        kprintf("net: bad %s=%s (expected a dotted quad); using the default\n", key, text);
        return default_value;
    }
    return address;
}

static uint64_t number_argument(const char *key, uint64_t default_value)
{
    const char *text = cmdline_get(key);
    unsigned long long value;
    if (!text)
        return default_value;
    if (parse_unsigned(text, &value) != 0) {
        kprintf("net: bad %s=%s (expected a number); using %llu\n", key, text,
                (unsigned long long)default_value);
        return default_value;
    }
    return value;
}

/* steer=network|spread (kernel/README.md "Network": the default was picked by measurement). */
static int steer_argument(void)
{
    const char *text = cmdline_get("steer");
    if (!text)
        return DEFAULT_STEER_SPREAD;
    if (strcmp(text, "network") == 0)
        return 0;
    if (strcmp(text, "spread") == 0)
        return 1;
    kprintf("net: bad steer=%s (expected network or spread); using %s\n", text,
            DEFAULT_STEER_SPREAD ? "spread" : "network");
    return DEFAULT_STEER_SPREAD;
}

static void read_config(struct net_config *config)
{
    config->address = address_argument("ip", DEFAULT_ADDRESS);
    config->netmask = address_argument("netmask", DEFAULT_NETMASK);
    config->gateway = address_argument("gateway", DEFAULT_GATEWAY);
    config->time_wait_ms = number_argument("timewait_ms", DEFAULT_TIME_WAIT_MS);
    config->fin_wait_ms = number_argument("finwait_ms", DEFAULT_FIN_WAIT_MS);
    config->steer_spread = steer_argument();
}

static void network_thread(void *unused)
{
    (void)unused;
    struct net_interface *interface = net.interface;
    struct net_core *core = &net_cores[net.core];
    __atomic_store_n(&core->thread, mythread(), __ATOMIC_RELEASE);
    __atomic_store_n(&net.thread, mythread(), __ATOMIC_RELEASE);
    for (;;) {
        /* No lock around the driver's receive: the network thread is its only caller. Each frame
         * takes the lock of its owner (or net.lock) alone, so workers get in between frames. */
        for (int frame = 0; frame < RECEIVE_BUDGET; frame++)
            if (!interface->receive(interface, net_dispatch_frame, 1))
                break;
        /* Its own core's owner pass, when there is work (its frames it handled above, under the
         * lock); the deadline read without the lock may be stale, as in owner.c's owner_thread. */
        uint64_t deadline = __atomic_load_n(&core->timer_deadline, __ATOMIC_RELAXED);
        if (net_handoff_pending(&core->output_requests) || net_handoff_pending(&core->inbox) ||
            (deadline && rdtsc() >= deadline)) {
            acquire(&core->lock);
            deadline = net_core_pass(net.core);
            release(&core->lock);
        }
        /* The table's gauges on this (the network thread's) core, whose record only it writes. */
        core_state_net_gauges(__atomic_load_n(&net.statistics.tcp_connections_open, __ATOMIC_RELAXED),
                              __atomic_load_n(&net.statistics.tcp_connections_time_wait, __ATOMIC_RELAXED));
        if (interface->receive_pending(interface) || net_handoff_pending(&core->output_requests)) {
            thread_yield(); /* budget used up: let the core's other threads run, then continue */
            continue;
        }
        /* An interrupt between the check above and the block is not lost: its thread_wake is
         * delivered through the mailbox as soon as this thread has blocked. */
        thread_block_until(deadline);
        NET_COUNT(thread_wakeups);
    }
}

int net_attach(struct net_interface *interface, int core)
{
    acquire(&net.lock);
    if (net.interface) {
        release(&net.lock);
        return 0;
    }
    read_config(&net.config);
    net.core = core;
    net.cores = cpu_count();
    net_steer_init();
    net.interface = interface;
    release(&net.lock);
    if (thread_create(core, "net", network_thread, 0) < 0) {
        kprintf("net: cannot create the network thread on cpu %d\n", core);
        return NET_ERROR_NO_MEMORY;
    }
    int owners = net_start_owner_threads();
    if (owners != 0)
        return owners;
    char address[16], gateway[16];
    net_format_address(net.config.address, address);
    net_format_address(net.config.gateway, gateway);
    uint32_t prefix = 0;
    for (uint32_t mask = net.config.netmask; mask & 0x80000000u; mask <<= 1)
        prefix++;
    kprintf("net: %s/%u gateway %s on %s, network thread on cpu %d, timewait %llu ms, steer=%s\n", address,
            prefix, gateway, interface->name, core, (unsigned long long)net.config.time_wait_ms,
            net.config.steer_spread ? "spread" : "network");
    return 0;
}

int net_start(int core)
{
    if (start_result != 1)
        return start_result;
    struct net_interface *interface = virtio_net_probe(core);
    if (!interface) {
        kprintf(
            "net: no usable virtio-net device (QEMU: -device virtio-net-pci,netdev=...,disable-legacy=on)\n");
        start_result = NET_ERROR_NO_DEVICE;
        return start_result;
    }
    start_result = net_attach(interface, core);
    return start_result;
}

void net_interface_interrupt(struct net_interface *interface)
{
    (void)interface;
    struct thread *thread = __atomic_load_n(&net.thread, __ATOMIC_ACQUIRE);
    if (thread)
        thread_wake(thread);
}

uint32_t net_address(void) { return net.config.address; }

void net_statistics_read(struct net_statistics *out)
{
    for (int core = 0; core < net.cores;
         core++) { /* TIME_WAIT ends lazily: count only the ones still in it */
        acquire(&net_cores[core].lock);
        tcp_reap_time_wait(core, rdtsc());
        release(&net_cores[core].lock);
    }
    acquire(&net.lock);
    *out = net.statistics;
    struct net_interface *interface = net.interface;
    out->interrupt_core = interface ? interface->interrupt_core : -1;
    out->interrupt_vector = interface ? interface->interrupt_vector : -1;
    if (interface) {
        out->interrupts = __atomic_load_n(&interface->interrupts, __ATOMIC_RELAXED);
        out->frames_received = interface->frames_received;
        out->frames_sent = interface->frames_sent;
        out->transmit_drops = interface->transmit_drops;
    }
    release(&net.lock);
}

/*
 * owner.c - per-core ownership of connections (kernel/README.md "Network").
 * Every connection belongs, for its whole life, to the core that owns its
 * table bucket: the steering table below maps each of the 1024 buckets to a
 * core, like a NIC's RSS indirection table, so the owner of a frame is a pure
 * function of its four-tuple and the network thread finds it without looking
 * a connection up (no shared table walk, nothing to free safely under a
 * reader). Its protocol work - segment input, timers, close, output - runs
 * under that core's lock (net_cores[core].lock), never under net.lock.
 *
 * The one device queue delivers every frame to the network thread. It handles
 * a frame for its own core's connections itself; one for another core is
 * copied onto that core's inbox (handoff.h: many pushers, one taker), and the
 * owner thread on that core is woken only when the inbox was empty. The owner
 * thread's pass: the inbox, the output requests of writers that found the
 * lock busy, the core's due timers; then it blocks until the next frame or its
 * own earliest deadline (none when it has none: a core that owns nothing idle
 * never wakes). Pairs with stack.h.
 */
#include "arch.h"
#include "console.h"
#include "cpu.h"
#include "ethernet.h"
#include "ipv4.h"
#include "memory.h"
#include "stack.h"
#include "string.h"
#include "tcp.h"
#include "thread.h"
#include "x86.h"

struct net_core net_cores[MAX_CPUS];

/* Bucket -> owning core. Written before any connection exists (net_steer_init), or for an empty
 * bucket (net_steer_bucket); read lock-free per frame. */
static uint16_t steering[TCP_TABLE_BUCKETS];

/* A received frame on its way to its owner core. */
struct net_frame {
    struct net_handoff_node node; /* first: the inbox holds these */
    uint32_t length;
    uint8_t data[];
};

int net_bucket_owner(unsigned bucket) { return __atomic_load_n(&steering[bucket], __ATOMIC_ACQUIRE); }

static void name_lock(struct net_core *core, int index)
{
    char *name = core->lock_name;
    memcpy(name, "net.cpu", 7);
    int length = 7;
    char digits[4];
    int count = 0;
    do
        digits[count++] = (char)('0' + index % 10);
    while ((index /= 10) && count < 3);
    while (count)
        name[length++] = digits[--count];
    name[length] = 0;
    spinlock_init(&core->lock, name);
}

void net_steer_init(void)
{
    for (int index = 0; index < net.cores; index++)
        name_lock(&net_cores[index], index);
    /* "spread": the buckets dealt over every core, the network core's included; the hash (murmur3's
     * finalizer over the four-tuple) spreads one client's consecutive ports evenly over them. */
    for (unsigned bucket = 0; bucket < TCP_TABLE_BUCKETS; bucket++)
        steering[bucket] =
            (uint16_t)(net.config.steer_spread ? bucket % (unsigned)net.cores : (unsigned)net.core);
}

int net_steer_bucket(unsigned bucket, int core)
{
    if (bucket >= TCP_TABLE_BUCKETS || core < 0 || core >= net.cores)
        return -1;
    struct net_core *owner = &net_cores[net_bucket_owner(bucket)];
    acquire(&owner->lock);
    int empty = tcp_bucket_empty(bucket);
    if (empty)
        __atomic_store_n(&steering[bucket], (uint16_t)core, __ATOMIC_RELEASE);
    release(&owner->lock);
    return empty ? 0 : -1;
}

/* The core owning the frame's connection, or -1 when it is not an IPv4 TCP segment for us (ARP,
 * ICMP, what ipv4_input drops: net.lock's path). Only the headers' shape is checked here; the
 * owner validates the rest (checksums, the TCP header) as before. */
static int frame_owner(const uint8_t *frame, uint32_t length)
{
    if (length < ETHERNET_HEADER_SIZE + IPV4_HEADER_SIZE || get_be16(frame + 12) != ETHERNET_TYPE_IPV4)
        return -1;
    const uint8_t *ip = frame + ETHERNET_HEADER_SIZE;
    uint32_t header_length = (ip[0] & 0xF) * 4u;
    if (ip[0] >> 4 != 4 || ip[9] != IPV4_PROTOCOL_TCP || get_be32(ip + 16) != net.config.address)
        return -1;
    /* The ports, when the frame holds them; a malformed one still goes to some owner, whose
     * ipv4_parse and tcp_input drop it (checksums, lengths: checked there, once). */
    int ports = header_length >= IPV4_HEADER_SIZE && ETHERNET_HEADER_SIZE + header_length + 4 <= length;
    uint16_t source_port = ports ? get_be16(ip + header_length) : 0;
    uint16_t destination_port = ports ? get_be16(ip + header_length + 2) : 0;
    return net_bucket_owner(tcp_table_bucket(get_be32(ip + 12), source_port, destination_port));
}

static void wake_owner(int core)
{
    struct thread *thread = __atomic_load_n(&net_cores[core].thread, __ATOMIC_ACQUIRE);
    if (thread && thread != mythread())
        thread_wake(thread);
}

void net_dispatch_frame(struct net_interface *interface, const uint8_t *frame, uint32_t length)
{
    int owner = frame_owner(frame, length);
    if (owner < 0) {
        acquire(&net.lock);
        ethernet_input(interface, frame, length);
        release(&net.lock);
        return;
    }
    struct net_core *core = &net_cores[owner];
    if (owner == cpu_index()) {
        acquire(&core->lock);
        ethernet_input(interface, frame, length);
        release(&core->lock);
        return;
    }
    struct net_frame *copy = kmalloc(sizeof *copy + length);
    if (!copy) { /* counted here as received and dropped, as ethernet_input would have */
        NET_COUNT(frames_dropped);
        core_state_net_count(1, 0, 1);
        return;
    }
    copy->length = length;
    memcpy(copy->data, frame, length);
    __atomic_fetch_add(&core->frames_handed_off, 1, __ATOMIC_RELAXED);
    if (net_handoff_push(&core->inbox, &copy->node))
        wake_owner(owner);
}

/* held: the core's lock. The frames the network thread handed over, in arrival order. */
static void handle_inbox(struct net_core *core)
{
    struct net_handoff_node *node = net_handoff_take_all(&core->inbox);
    while (node) {
        struct net_frame *frame = (struct net_frame *)node;
        node = node->next;
        ethernet_input(net.interface, frame->data, frame->length);
        kfree(frame);
    }
}

void net_run_due_timers(int index, uint64_t now_tsc)
{
    struct net_core *core = &net_cores[index];
    if (core->timer_deadline == 0 || now_tsc < core->timer_deadline)
        return;
    core->timer_deadline = 0; /* timers armed during the pass set it again (net_timer_deadline) */
    uint64_t next = tcp_timers_run(index, now_tsc);
    if (next && (core->timer_deadline == 0 || next < core->timer_deadline))
        core->timer_deadline = next;
}

uint64_t net_core_pass(int index)
{
    struct net_core *core = &net_cores[index];
    handle_inbox(core);
    net_flush_output_requests(index);
    net_run_due_timers(index, rdtsc());
    return core->timer_deadline;
}

/* An owner thread: the work of the connections its core owns, on that core. */
static void owner_thread(void *argument)
{
    int index = (int)(uintptr_t)argument;
    struct net_core *core = &net_cores[index];
    __atomic_store_n(&core->thread, mythread(), __ATOMIC_RELEASE);
    for (;;) {
        /* The lock only when there is work: a core that owns nothing (steer=network) never takes it,
         * so its lock never takes a record in the telemetry lock table. The deadline read without the
         * lock may be stale: a later one costs one early wake-up, an earlier one set meanwhile wakes
         * this thread (net_timer_deadline). */
        uint64_t deadline = __atomic_load_n(&core->timer_deadline, __ATOMIC_RELAXED);
        if (net_handoff_pending(&core->inbox) || net_handoff_pending(&core->output_requests) ||
            (deadline && rdtsc() >= deadline)) {
            acquire(&core->lock);
            deadline = net_core_pass(index);
            release(&core->lock);
            if (net_handoff_pending(&core->inbox) || net_handoff_pending(&core->output_requests))
                continue; /* pushed during the pass: their wake-up may have come before we block */
        }
        thread_block_until(deadline); /* a push onto an empty list wakes it (mailbox: never lost) */
    }
}

int net_start_owner_threads(void)
{
    for (int index = 0; index < net.cores; index++) {
        if (index == net.core)
            continue; /* the network thread is its core's owner thread */
        if (thread_create(index, "net-owner", owner_thread, (void *)(uintptr_t)index) < 0) {
            kprintf("net: cannot create the owner thread on cpu %d\n", index);
            return NET_ERROR_NO_MEMORY;
        }
    }
    return 0;
}

void net_timer_deadline(int index, uint64_t deadline_tsc)
{
    struct net_core *core = &net_cores[index];
    if (core->timer_deadline != 0 && core->timer_deadline <= deadline_tsc)
        return; /* the owner thread already wakes early enough */
    core->timer_deadline = deadline_tsc;
    wake_owner(index); /* it may be blocked with a later deadline, or none: let it re-block */
}

void net_request_output(struct tcp_connection *connection)
{
    if (__atomic_exchange_n(&connection->output_requested, 1, __ATOMIC_SEQ_CST))
        return; /* already on the list: its flush clears the flag before sending, so it sees these bytes */
    NET_COUNT(tcp_output_handoffs);
    if (net_handoff_push(&net_cores[connection->owner].output_requests, &connection->output_node))
        wake_owner(connection->owner);
}

void net_flush_output_requests(int index)
{
    struct net_handoff_node *node = net_handoff_take_all(&net_cores[index].output_requests);
    while (node) {
        struct tcp_connection *connection =
            (struct tcp_connection *)((char *)node - __builtin_offsetof(struct tcp_connection, output_node));
        node = node->next;
        __atomic_store_n(&connection->output_requested, 0, __ATOMIC_SEQ_CST);
        if (!connection->corked)
            tcp_output(connection);
    }
}

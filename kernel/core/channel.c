/*
 * channel.c - cross-core channels: a single-producer single-consumer ring of
 * 64-bit values per (sender core, receiver core) pair, with a doorbell. The
 * doorbell is thread_wake() of the waiting side: a mailbox message plus
 * VECTOR_WAKE_IPI when that core is halted, so a blocked receiver halts
 * instead of spinning. Layout and protocol in kernel/include/channel.h.
 *
 * Lost wake-up argument: a waiter stores itself in *_waiting (seq_cst) and
 * then re-checks the indices; the other side moves its index, then (after a
 * seq_cst fence) reads *_waiting. One of the two must see the other's store.
 */
#include "channel.h"
#include "arch.h"
#include "core_state.h"
#include "mailbox.h"
#include "memory.h"
#include "scheduler.h"
#include "thread.h"

struct channel *channel_create(int sender_core, int receiver_core, uint32_t capacity)
{
    if (!core_is_online(sender_core) || !core_is_online(receiver_core))
        return 0;
    uint32_t size = 2;
    while (size < capacity && size < (1u << 30))
        size <<= 1;
    /* kmalloc aligns to 16; over-allocate so the 64-byte aligned fields are really aligned. */
    void *memory = kzalloc(sizeof(struct channel) + 64);
    uint64_t *slots = kzalloc(size * sizeof(uint64_t));
    if (!memory || !slots) {
        kfree(memory);
        kfree(slots);
        return 0;
    }
    struct channel *channel = (struct channel *)(((uintptr_t)memory + 63) & ~(uintptr_t)63);
    channel->sender_core = sender_core;
    channel->receiver_core = receiver_core;
    channel->mask = size - 1;
    channel->slots = slots;
    return channel;
}

static void check_core(int expected_core, const char *operation, const char *role)
{
    if (cpu_index() != expected_core)
        panic("%s on cpu %d: this channel's %s core is cpu %d", operation, cpu_index(), role, expected_core);
}

/*
 * Ring the other side's doorbell after moving our index: wake its blocked
 * thread, or, if none is blocked, kick its core out of a polling halt so a
 * thread that polls with channel_try_* sees the change now, not at its next tick.
 */
static void doorbell(struct thread **waiting, int core)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    struct thread *waiter = __atomic_load_n(waiting, __ATOMIC_SEQ_CST);
    if (waiter)
        thread_wake(waiter);
    else
        mailbox_kick(core);
}

int channel_try_send(struct channel *channel, uint64_t value)
{
    check_core(channel->sender_core, "channel_send", "sender");
    uint64_t tail = channel->tail;
    uint64_t head = __atomic_load_n(&channel->head, __ATOMIC_ACQUIRE);
    if (tail - head > channel->mask)
        return 0; /* full */
    channel->slots[tail & channel->mask] = value;
    __atomic_store_n(&channel->tail, tail + 1, __ATOMIC_RELEASE);
    doorbell(&channel->receiver_waiting, channel->receiver_core);
    return 1;
}

int channel_try_receive(struct channel *channel, uint64_t *value)
{
    check_core(channel->receiver_core, "channel_receive", "receiver");
    uint64_t head = channel->head;
    uint64_t tail = __atomic_load_n(&channel->tail, __ATOMIC_ACQUIRE);
    if (head == tail)
        return 0; /* empty */
    *value = channel->slots[head & channel->mask];
    __atomic_store_n(&channel->head, head + 1, __ATOMIC_RELEASE);
    doorbell(&channel->sender_waiting, channel->sender_core);
    return 1;
}

/* Publish ourselves in *waiting, re-check `still_blocked`, then block until woken. */
static void wait_on(struct thread **waiting, int (*still_blocked)(struct channel *), struct channel *channel)
{
    struct thread *self = mythread();
    if (!self)
        panic("channel: blocking call outside a thread on cpu %d", cpu_index());
    struct thread *previous = __atomic_exchange_n(waiting, self, __ATOMIC_SEQ_CST);
    if (previous && previous != self)
        panic("channel: threads %d and %d wait on the same side of a single-producer single-consumer channel",
              previous->id, self->id);
    if (still_blocked(channel))
        thread_block();
    __atomic_store_n(waiting, 0, __ATOMIC_SEQ_CST);
}

static int is_full(struct channel *channel)
{
    return channel->tail - __atomic_load_n(&channel->head, __ATOMIC_SEQ_CST) > channel->mask;
}

static int is_empty(struct channel *channel)
{
    return channel->head == __atomic_load_n(&channel->tail, __ATOMIC_SEQ_CST);
}

void channel_send(struct channel *channel, uint64_t value)
{
    while (!channel_try_send(channel, value))
        wait_on(&channel->sender_waiting, is_full, channel);
}

uint64_t channel_receive(struct channel *channel)
{
    uint64_t value;
    while (!channel_try_receive(channel, &value))
        wait_on(&channel->receiver_waiting, is_empty, channel);
    return value;
}

/*
 * channel.h - layout of a cross-core channel: a single-producer single-consumer
 * ring of 64-bit values between two cores, with an IPI doorbell. The API is in
 * toro.h; the code in kernel/core/channel.c.
 *
 * Protocol (no lock): only the sender writes `tail` and the slots, only the
 * receiver writes `head`. A side that finds the ring full/empty publishes
 * itself in `*_waiting`, re-checks, then blocks; the other side, after moving
 * its index, wakes the published waiter (thread_wake = mailbox + IPI).
 */
#ifndef TORO_CHANNEL_H
#define TORO_CHANNEL_H

#include <stdint.h>

struct thread;

struct channel {
    /* Read-only after channel_create. */
    int sender_core;
    int receiver_core;
    uint32_t mask; /* capacity - 1, capacity a power of two */
    uint64_t *slots;

    /* Written by the sender only. */
    _Alignas(64) uint64_t tail;    /* next slot to fill (monotonic) */
    struct thread *sender_waiting; /* set by a sender that found the ring full */

    /* Written by the receiver only. */
    _Alignas(64) uint64_t head;      /* next slot to read (monotonic) */
    struct thread *receiver_waiting; /* set by a receiver that found it empty */
};

#endif

/*
 * telemetry.h - kernel-side helpers for writing the telemetry block whose
 * layout is fixed by telemetry_abi.h. Implemented in kernel/core/telemetry.c
 * (block, header, global record) and kernel/core/core_state.c (core records).
 *
 * Seqlock writer protocol: telemetry_write_begin() makes the record's counter
 * odd, the fields are written, telemetry_write_end() makes it even again. x86
 * keeps stores in order, so a reader (the host, reading guest RAM) that sees
 * the same even counter before and after its copy saw no torn record. There
 * must be one writer at a time per record: core and thread records are written
 * by their own core with interrupts disabled, lock records by the lock holder,
 * the global record under an internal lock.
 */
#ifndef TORO_TELEMETRY_H
#define TORO_TELEMETRY_H

#include <stdint.h>
#include "telemetry_abi.h"

/* The block itself: page aligned, in section .telemetry (linker.ld keeps it alone). */
extern struct toro_telemetry toro_telemetry;

/* 1 once core_init filled the header; before that no record is written. */
extern int telemetry_ready;

static inline void telemetry_write_begin(uint32_t *sequence)
{
    uint32_t value = __atomic_load_n(sequence, __ATOMIC_RELAXED);
    __atomic_store_n(sequence, value + 1, __ATOMIC_RELAXED);
    __atomic_signal_fence(__ATOMIC_SEQ_CST); /* x86 TSO: the odd counter is seen first */
}

static inline void telemetry_write_end(uint32_t *sequence)
{
    uint32_t value = __atomic_load_n(sequence, __ATOMIC_RELAXED);
    __atomic_store_n(sequence, value + 1, __ATOMIC_RELEASE);
}

/* This core's network counters (net/): frames received, sent and dropped by code running here; and, from
 * the network thread's core, the connection table's size and TIME_WAIT count. Any context, any lock held. */
void core_state_net_count(uint32_t frames_in, uint32_t frames_out, uint32_t frames_dropped);
void core_state_net_gauges(uint32_t connections_open, uint32_t time_wait);

/* Copy a record consistently (in-guest reader); retries while written. */
void telemetry_read_record(const void *record, void *out, uint32_t size);

/* Fill the header and global record (core_init, boot core, before APs). */
void telemetry_init(uint32_t idle_policy, uint64_t poll_grace_us, uint64_t tick_hz);

/* Global record updates (any core; serialised internally). */
void telemetry_global_core_online(void); /* cores_online++ */
void telemetry_global_ready(void);       /* ready_tsc = now */
int telemetry_lock_slot_claim(void);     /* next locks[] index and locks_registered++; -1 when full */
int telemetry_thread_slot_claim(void); /* free threads[] index (thread_slots_used high-water); -1 when full */
void telemetry_thread_slot_release(int slot);

#endif

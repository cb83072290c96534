/*
 * sched_cpu.h - the scheduler's per-core state, embedded in `struct cpu` (cpu.h)
 * as `cpu->sched`. Written by kernel/core/scheduler.c, idle.c, timer.c,
 * mailbox.c, polling.c and core_state.c. Self-contained on purpose: cpu.h
 * includes it, so it must not include cpu.h or any other kernel header.
 */
#ifndef TORO_SCHED_CPU_H
#define TORO_SCHED_CPU_H

#include <stdint.h>

struct thread;
struct context;
struct toro_core_record;

/* A message posted to a core's mailbox; embedded in the object it is about. */
struct mailbox_node {
    struct mailbox_node *next;
    uint32_t kind; /* enum mailbox_kind (mailbox.h) */
};

/* Singly linked FIFO of threads (ready queue). */
struct thread_queue {
    struct thread *head;
    struct thread *tail;
    uint32_t count;
};

struct sched_cpu {
    /*
     * Owned by this core, touched only from its thread or scheduler context
     * (never from interrupt handlers, never from another core).
     */
    struct context *scheduler_context; /* saved stack of the scheduler loop */
    struct thread *current;            /* thread running here, 0 in the scheduler */
    struct thread_queue ready;         /* READY threads, FIFO */
    uint32_t ready_polling;            /* of those, how many have `polling` set */
    uint32_t total_threads;            /* live threads pinned here (not yet exited) */
    uint32_t polling_threads;          /* live threads with `polling` set */
    uint32_t locks_held;               /* spinlocks held: a thread may not yield while > 0 */
    struct thread *sleepers;           /* SLEEPING threads sorted by wake_tsc */
    uint64_t armed_deadline_tsc;       /* one-shot deadline programmed (tickless), 0 none */
    uint64_t poll_halt_end_tsc;        /* when the last polling halt ended */
    int started;                       /* 1 once core_init_cpu ran */

    /*
     * Core state accounting (core_state.c). Changed with interrupts disabled,
     * by this core only; interrupt handlers save and restore it.
     */
    uint32_t state; /* enum toro_core_state */
    uint32_t state_before_interrupt;
    uint32_t state_before_lock_spin;
    uint32_t interrupt_depth;
    uint64_t state_since_tsc;
    struct toro_core_record *record; /* this core's telemetry record */
    /* Why the current halt ended (event trace): the first interrupt taken while HALTED. */
    uint32_t halt_is_polling; /* the open halt is a polling halt */
    int32_t wake_vector;      /* vector of that interrupt, -1 while none */
    int32_t wake_source;      /* the IPI's sender, -1 if unknown or not an IPI */

    /*
     * Shared with other cores: written by any core with atomic operations.
     * Kept on its own cache line so posters do not bounce the fields above.
     */
    _Alignas(64) struct mailbox_node *mailbox_head; /* MPSC stack, pushed by anyone */
    uint32_t halting; /* 1 from "about to hlt" until awake: posters must send an IPI */
    int32_t ipi_from; /* the last core that sent this one a wake IPI (stored before sending), -1 */
    uint8_t shared_padding[64 - sizeof(struct mailbox_node *) - 2 * sizeof(uint32_t)];
};

#endif

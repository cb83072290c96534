/*
 * thread.h - kernel-internal thread structure and scheduler entry points.
 * Pairs with kernel/core/thread.c (lifecycle), scheduler.c (the per-core loop),
 * timer.c (sleep queue) and switch.S (context_switch). Apps use toro.h.
 *
 * Ownership: a thread belongs to one core forever. Its scheduling fields and
 * its telemetry record are changed only by that core. Other cores touch only
 * the fields marked "cross-core", with atomic operations.
 */
#ifndef TORO_THREAD_H
#define TORO_THREAD_H

#include <stdint.h>
#include "sched_cpu.h"
#include "telemetry_abi.h"
#include "toro.h"

/*
 * Saved registers of a switched-out thread, on its own stack; a thread's
 * `context` points at it. Layout fixed by switch.S (pushed in this order).
 */
struct context {
    uint64_t r15;
    uint64_t r14;
    uint64_t r13;
    uint64_t r12;
    uint64_t rbx;
    uint64_t rbp;
    uint64_t return_address;
};

struct thread {
    /* Set at creation, then read-only. */
    int id;
    int core;
    int slot; /* index in telemetry threads[] */
    char name[TORO_NAME_LENGTH];
    thread_function function;
    void *argument;
    void *stack; /* THREAD_STACK_SIZE bytes from kmalloc */

    /* Owned by `core` (thread or scheduler context only). */
    uint32_t state;             /* enum toro_thread_state */
    struct context *context;    /* saved registers while switched out */
    struct thread *next;        /* link in the ready queue or the sleep list */
    uint64_t wake_tsc;          /* deadline while on the sleep list (SLEEPING, or BLOCKED with a timeout) */
    uint32_t in_sleep_list;     /* 1 while linked into the core's sleep list through `next` */
    uint32_t polling;           /* 1 after poll_idle until poll_work */
    uint32_t idle_polls;        /* poll_idle calls since the last poll_work */
    uint64_t polling_since_tsc; /* when `polling` was last set */
    uint64_t last_poll_tsc;     /* last poll_idle call */
    uint64_t switches;

    /* Cross-core (atomic). */
    struct mailbox_node create_node; /* posted once to `core` by a remote creator */
    struct mailbox_node wake_node;   /* posted by thread_wake from another core */
    struct mailbox_node reap_node;   /* posted by a remote joiner */
    uint32_t wake_pending;           /* 1 while wake_node sits in a mailbox */
    uint64_t wake_raised_tsc;        /* when the event that readies us was raised, 0 none */
    struct thread *joiner;           /* the one thread waiting in thread_join */
    uint32_t finished;               /* 1 once switched out for the last time */
};

/* context_switch(): save the callee-saved registers on the current
 * stack into *old, then resume `new` (switch.S). Interrupts may be on. */
void context_switch(struct context **old, struct context *new);

/* The thread running on this core (0 in the scheduler). */
struct thread *mythread(void);

/*
 * Block the calling thread until thread_wake. Wake-ups may be spurious: every
 * caller re-checks its condition in a loop, after publishing that it waits.
 */
void thread_block(void);

/*
 * Block like thread_block, but also become ready by itself once the TSC
 * reaches `deadline_tsc` (0 = no deadline, same as thread_block). The core
 * idles meanwhile exactly as for a sleep (tickless: a one-shot timer only for
 * the earliest deadline). Wake-ups may be spurious; callers re-check both
 * their condition and the time.
 */
void thread_block_until(uint64_t deadline_tsc);

/*
 * Make a BLOCKED thread ready, from any core and any context, interrupt
 * handlers included: directly when it lives here and we are in thread or
 * scheduler context, otherwise through its core's mailbox (plus a wake-up IPI
 * if that core is halted). No effect on a thread not BLOCKED. A timed block
 * (thread_block_until) ends early.
 */
void thread_wake(struct thread *thread);

/* Look a live (not yet joined) thread up by id; 0 if none. */
struct thread *thread_find(int thread_id);

/* Scheduler (scheduler.c): called on the thread's own core only. */
void scheduler_make_ready(struct thread *thread); /* enqueue + record update */
void scheduler_switch_out(uint32_t new_state);    /* current thread -> scheduler */
void scheduler_admit(struct thread *thread);      /* a new thread arrives on this core */
void scheduler_reap(struct thread *thread);       /* free an exited, joined thread */

/* Timer queue (timer.c). */
void timer_add_sleeper(struct thread *thread);    /* insert by wake_tsc */
void timer_remove_sleeper(struct thread *thread); /* unlink (a timed block woken early) */
int timer_wake_expired(uint64_t now_tsc);         /* ready the due sleepers; count */
uint64_t timer_next_deadline(void);               /* earliest wake_tsc, 0 if none */

/* Thread telemetry record (thread.c): rewrite the whole record from `thread`. */
void thread_record_update(struct thread *thread);
void thread_record_free(int slot);

/* Thread entry from switch.S's trampoline: runs mythread()'s function. */
__attribute__((noreturn)) void thread_entry(void);

#endif

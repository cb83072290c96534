/*
 * scheduler.h - kernel-core internals shared by scheduler.c, thread.c,
 * polling.c and mailbox.c: the per-core loop and the polling-halt decision.
 */
#ifndef TORO_SCHEDULER_H
#define TORO_SCHEDULER_H

#include "sched_cpu.h"

/* The per-core loop: drain the mailbox, wake due sleepers, run or idle. */
__attribute__((noreturn)) void scheduler_loop(void);

/* Polling (polling.c): 1 if every ready thread has only polled for the grace period. */
int polling_should_halt(struct sched_cpu *sched);
/* Halt because all threads only poll, then let them poll again. */
void polling_halt(struct sched_cpu *sched);

/* Number of cores in their scheduler loop (core.c). */
extern int cores_in_scheduler;
int core_is_online(int core);

#endif

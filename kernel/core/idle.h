/*
 * idle.h - what a core does when it has nothing to run (idle.c): spin (busy,
 * pause) or halt (halt, tickless), and the polling halt used by polling.c.
 * Called only from this core's scheduler loop.
 */
#ifndef TORO_IDLE_H
#define TORO_IDLE_H

#include "sched_cpu.h"

/* 1 if an event needs the scheduler: a mailbox message or a due sleeper. */
int idle_event_pending(struct sched_cpu *sched);

/* No ready thread: wait per the idle policy until idle_event_pending(). */
void idle_wait(struct sched_cpu *sched);

/*
 * Halt until the next interrupt (race-free: checks for events with interrupts
 * off, then sti;hlt). `polling_halt` marks a halt taken because all threads
 * only poll; under tickless it is bounded by the poll re-check timer.
 */
void idle_halt(struct sched_cpu *sched, int polling_halt);

#endif

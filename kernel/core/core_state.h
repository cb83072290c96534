/*
 * core_state.h - a core's state machine (enum toro_core_state) and the writer
 * of its telemetry record (struct toro_core_record). Implemented in
 * core_state.c. Every function acts on the calling core only and may be called
 * with interrupts on or off (each record write disables them briefly, so an
 * interrupt handler never sees a half-written record of its own core).
 */
#ifndef TORO_CORE_STATE_H
#define TORO_CORE_STATE_H

#include <stdint.h>
#include "cpu.h"

static inline struct sched_cpu *mysched(void) { return &mycpu()->sched; }

/* 1 while this core runs an interrupt handler (between the trap dispatcher's telemetry hooks). */
static inline int core_in_interrupt(void) { return mysched()->interrupt_depth > 0; }

/* Point this core's accounting at its telemetry record (core_init_cpu). */
void core_state_init(int online);
void core_state_online(void);

/* Close the current state's interval (adding it to its cycle counter) and enter `state`. */
void core_state_set(uint32_t state);
uint32_t core_state_get(void);

/* Spinning on a lock: LOCK_SPIN with spinning_lock = index, then back to the previous state. */
void core_state_lock_spin_begin(int lock_index);
void core_state_lock_spin_end(void);

/* Entering hlt: state HALTED, halts++ (and poll_halts++ if `polling_halt`). */
void core_state_halt(int polling_halt);
/* Back from hlt: state RUNNING; wakeups++ if the core woke with work to do. */
void core_state_halt_end(int woke_with_work);

/* A thread is switched in (state RUNNING or POLLING) or out (back to the scheduler), with the trace's
 * SWITCH_IN / SWITCH_OUT event written inside the record's write section (interrupts off). */
void core_state_switch_in(int thread_id, int polling, uint64_t wakeup_latency_cycles);
void core_state_switch_out(int thread_id, uint32_t thread_state);

/* Thread counts shown with the core (ready, total, polling). */
void core_state_thread_counts(void);

void core_state_ipi_sent(int target_core);

#endif

/*
 * core.h - the entry points kernel-core provides to kernel-arch: boot hooks
 * (called from kernel/arch/main.c and the AP start path) and interrupt hooks
 * (called from the trap dispatcher). Implemented in kernel/core/core.c,
 * core_state.c, telemetry.c and scheduler.c.
 */
#ifndef TORO_CORE_H
#define TORO_CORE_H

#include <stddef.h>
#include <stdint.h>

/* Boot core, once, after tsc_calibrate/lapic_init and the BSP's GS, before APs start:
 * reads idle= and pollgrace= from the command line, fills the telemetry header. */
void core_init(void);

/* Every core (BSP included) after its GS and LAPIC are ready: scheduler state,
 * telemetry record, and the periodic tick under idle=halt. */
void core_init_cpu(void);

/* Every core, last: enter the scheduler loop, never returns. The boot core waits
 * for the other started cores, prints `toro: ready cores=N idle=POLICY` and starts
 * the app's main() as thread "main" on core 0. */
__attribute__((noreturn)) void scheduler_start(void);

/* Trap dispatch, for VECTOR_TIMER, VECTOR_WAKE_IPI, VECTOR_PANIC_IPI and other device
 * vectors, in this order: enter, the vector's handler, lapic_eoi(), exit.
 * Interrupts are disabled throughout; handlers never switch threads. */
void telemetry_interrupt_enter(int vector);
void telemetry_interrupt_exit(void);
void timer_interrupt(void);    /* VECTOR_TIMER: the LAPIC tick or one-shot deadline */
void wake_ipi_interrupt(void); /* VECTOR_WAKE_IPI: "look at your mailbox" */

/* Called by panic() once the message is formatted: copies it into the global
 * record, then sets panic_flag (last), so the host sees a complete message. */
void telemetry_panic(const char *message);

/* Exception path (arch/exception.c): if `address` (CR2) is in the guard page of the thread
 * running on this core, write "stack overflow: thread N (name) on cpu C ..." into `text`
 * and return 1; else 0. */
int thread_stack_overflow(uint64_t address, char *text, size_t size);

/* The app's entry point, defined in the app folder (samples/<name>, kernel/selftest). */
void main(void);

#endif

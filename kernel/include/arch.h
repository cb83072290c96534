/*
 * arch.h - the machine layer kernel-core builds on: local APIC (timer, IPIs,
 * EOI), calibrated TSC, command line, panic, leaving QEMU, device interrupt
 * handlers, and the small raw lock used below the registered spinlocks.
 * Implemented in kernel/arch/ (lapic.c, tsc.c, cmdline.c, panic.c, trap.c,
 * raw_lock.c). The boot sequence itself is in kernel/arch/main.c.
 */
#ifndef TORO_ARCH_H
#define TORO_ARCH_H

#include <stdint.h>
#include "param.h"

/* ---- local APIC (lapic.c) ------------------------------------------------------
 * All calls act on this core's LAPIC. Timer calls are made with interrupts
 * disabled or from this core's interrupt handler. */

/* Signal end of interrupt. The trap dispatcher already does it for every
 * vector it hands to kernel-core. */
void lapic_eoi(void);
/* Send a fixed-delivery IPI carrying `vector` to core `cpu_index` (may be this core). */
void lapic_send_ipi(int cpu_index, int vector);
/* Same IPI to every core except this one. */
void lapic_send_ipi_all_others(int vector);
/* Timer: interrupts at VECTOR_TIMER, `hz` times a second, until stopped. */
void lapic_timer_periodic(uint64_t hz);
/* Timer: one interrupt at VECTOR_TIMER after `ns` nanoseconds (at least one
 * timer tick; deadlines beyond the counter's range fire early, at the range's
 * end, so callers re-check their deadline). Replaces any programmed timer. */
void lapic_timer_oneshot_ns(uint64_t ns);
/* Timer: no more interrupts (a pending one may still arrive). */
void lapic_timer_stop(void);
/* LAPIC timer ticks per second (after the divider), measured at boot. */
extern uint64_t lapic_timer_hz;
/* 1 if every LAPIC runs in x2APIC mode (MSRs, 32-bit ids), 0 for xAPIC (MMIO). Set by lapic_init. */
int lapic_x2apic_mode(void);

/* ---- time-stamp counter (tsc.c) -------------------------------------------------- */
extern uint64_t tsc_hz;   /* TSC ticks per second, calibrated against the PIT at boot */
extern uint64_t boot_tsc; /* TSC when the boot core entered C */
uint64_t tsc_to_ns(uint64_t cycles);
uint64_t ns_to_tsc(uint64_t ns);
/* Busy-wait (with pause) for at least `microseconds`. Boot and tests only. */
void udelay(uint64_t microseconds);

/* ---- command line (cmdline.c) ----------------------------------------------------
 * The multiboot command line without the loader's leading image path, e.g.
 * "idle=tickless test". Arguments are separated by spaces: `key=value` or a
 * bare `key`. */
/* Value of `key`: the text after '=', "" for a bare key, 0 if absent. The last occurrence wins. */
const char *cmdline_get(const char *key);
/* The whole command line ("" if none). */
const char *cmdline_raw(void);

/* ---- panic and exit (panic.c) ---------------------------------------------------- */
/*
 * Stop the kernel: print "PANIC on cpu N: <message>" and a register dump on
 * the console, call kernel-core's telemetry_panic(message), stop the other
 * cores (VECTOR_PANIC_IPI), then leave QEMU with QEMU_EXIT_PANIC if the
 * command line has `test`, else halt forever (for a debugger to inspect).
 */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *format, ...);
/* Leave QEMU through isa-debug-exit (port 0xf4): QEMU's exit code is
 * (status << 1) | 1. Without that device, print a note and halt forever. */
__attribute__((noreturn)) void qemu_exit(int status);
/* Halt this core forever with interrupts off. */
__attribute__((noreturn)) void halt_forever(void);

/* ---- device interrupts (trap.c) -------------------------------------------------- */
/*
 * Route `vector` (VECTOR_DEVICE_BASE .. VECTOR_DEVICE_LIMIT-1) to `handler` on
 * every core. The dispatcher wraps it like the timer: telemetry enter,
 * handler, EOI, telemetry exit. Register before the device can interrupt.
 */
typedef void (*interrupt_handler)(int vector);
void interrupt_set_handler(int vector, interrupt_handler handler);
/* Take the lowest device vector without a handler and route it to `handler`
 * (as interrupt_set_handler). Returns the vector, or -1 when all are taken. */
int interrupt_allocate_vector(interrupt_handler handler);

/* ---- raw lock (raw_lock.c) ------------------------------------------------------------
 * A bare test-and-test-and-set lock with `pause`, for the layers below
 * kernel-core's registered spinlocks: the console, the page allocator, panic.
 * Not in the telemetry lock table. Disables interrupts (push_off) while held. */
struct raw_lock {
    volatile uint32_t locked;
    volatile int32_t owner_core; /* -1 when free; compared only against the reader's own core */
};
#define RAW_LOCK_INITIALIZER \
    {                        \
        0, -1                \
    }
void raw_acquire(struct raw_lock *lock);
/* Try for at most `cycles` TSC cycles; 1 if taken, 0 if not (interrupts then unchanged). */
int raw_acquire_timeout(struct raw_lock *lock, uint64_t cycles);
void raw_release(struct raw_lock *lock);

/* The hooks kernel-core provides to this layer (core_init, scheduler_start,
 * timer_interrupt, telemetry_panic, ...) are declared in core.h. */

#endif

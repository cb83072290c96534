/*
 * trap.c - where every interrupt and exception lands (called by vectors.S with
 * interrupts disabled). Exceptions panic; the timer and the wake-up IPI go to
 * kernel-core between its telemetry enter/exit hooks; device vectors go to
 * handlers registered with interrupt_set_handler. Handlers never switch
 * threads: they mark work and return (threads are cooperative).
 */
#include "arch.h"
#include "console.h"
#include "core.h"
#include "cpu.h"
#include "internal.h"

static interrupt_handler device_handlers[VECTOR_COUNT];

void interrupt_set_handler(int vector, interrupt_handler handler)
{
    if (vector < VECTOR_DEVICE_BASE || vector >= VECTOR_DEVICE_LIMIT)
        panic("interrupt_set_handler: vector %#x outside the device range", vector);
    __atomic_store_n(&device_handlers[vector], handler, __ATOMIC_RELEASE);
}

int interrupt_allocate_vector(interrupt_handler handler)
{
    for (int vector = VECTOR_DEVICE_BASE; vector < VECTOR_DEVICE_LIMIT; vector++) {
        interrupt_handler expected = 0;
        if (__atomic_compare_exchange_n(&device_handlers[vector], &expected, handler, 0, __ATOMIC_ACQ_REL,
                                        __ATOMIC_RELAXED))
            return vector;
    }
    return -1;
}

/* Counted per core so a storm of unexpected vectors is reported once, not forever. */
static int unexpected_reports[MAX_CPUS];

static void report_unexpected(int vector)
{
    int core = cpu_index();
    if (unexpected_reports[core] < 4) {
        unexpected_reports[core]++;
        kprintf("unexpected interrupt vector %#x (ignored)\n", vector);
    }
}

void trap(struct trap_frame *frame);

void trap(struct trap_frame *frame)
{
    int vector = (int)frame->vector;

    if (vector < VECTOR_EXCEPTION_COUNT)
        exception_panic(frame);

    switch (vector) {
    case VECTOR_TIMER:
        telemetry_interrupt_enter(vector);
        timer_interrupt();
        lapic_eoi();
        telemetry_interrupt_exit();
        return;
    case VECTOR_WAKE_IPI:
        telemetry_interrupt_enter(vector);
        wake_ipi_interrupt();
        lapic_eoi();
        telemetry_interrupt_exit();
        return;
    case VECTOR_PANIC_IPI:
        telemetry_interrupt_enter(vector); /* kernel-core marks this core stopped */
        panic_stop_this_cpu();
    case VECTOR_SPURIOUS:
        return; /* the LAPIC wants no EOI for its spurious vector */
    case VECTOR_LAPIC_ERROR:
        kprintf("local APIC error interrupt\n");
        lapic_eoi();
        return;
    }

    if (vector >= VECTOR_LEGACY_PIC_BASE && vector < VECTOR_LEGACY_PIC_BASE + 16)
        return; /* spurious IRQ 7/15 of the masked 8259s: no EOI anywhere */

    interrupt_handler handler = __atomic_load_n(&device_handlers[vector], __ATOMIC_ACQUIRE);
    if (handler) {
        telemetry_interrupt_enter(vector);
        handler(vector);
        lapic_eoi();
        telemetry_interrupt_exit();
        return;
    }
    report_unexpected(vector);
    lapic_eoi();
}

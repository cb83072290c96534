/*
 * cpu.h - per-core data (`struct cpu`), reached through the GS base register,
 * and xv6-style nesting of interrupt disabling (push_off/pop_off).
 * Pairs with kernel/arch/cpu.c (the cpus[] table, GDT/TSS, GS setup); acpi.c
 * registers the cores the MADT lists, smp.c starts them.
 *
 * Threads are pinned to their core, so mycpu() stays valid across yields and
 * with interrupts enabled (unlike xv6, where a process may migrate).
 */
#ifndef TORO_CPU_H
#define TORO_CPU_H

#include <stddef.h>
#include <stdint.h>
#include "param.h"
#include "sched_cpu.h"
#include "x86.h"

struct toro_trace_event;
struct toro_trace_control;

/* 64-bit task-state segment: only the interrupt stack table is used (IST1). */
struct task_state_segment {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t io_map_base;
} __attribute__((packed));

#define GDT_ENTRY_COUNT      5 /* null, kernel code, kernel data, TSS (two entries) */
#define SELECTOR_KERNEL_CODE 0x08
#define SELECTOR_KERNEL_DATA 0x10
#define SELECTOR_TSS         0x18

struct cpu {
    struct cpu *self; /* offset 0: mycpu() reads %gs:0 */
    int index;        /* 0 = boot core; dense 0..cpu_count()-1 */
    uint32_t apic_id; /* local APIC id from the MADT */

    /* Touched only by this core, with interrupts disabled. */
    int interrupt_disable_depth; /* push_off nesting */
    int interrupts_were_enabled; /* IF before the outermost push_off */

    /* Set by this core once it is initialised; polled by the boot core. */
    volatile uint32_t started;

    /* Descriptor tables of this core (the TSS busy bit makes them per core). */
    uint64_t gdt[GDT_ENTRY_COUNT];
    struct task_state_segment tss;

    struct sched_cpu sched; /* kernel-core's scheduler state (sched_cpu.h) */

    /* The event trace's ring and control record of this core (trace.c; 0 = no ring). Written once at
     * boot, before this core runs its scheduler; read by this core's trace writer (trace.h). */
    struct toro_trace_event *trace_ring;
    struct toro_trace_control *trace_control;
} __attribute__((aligned(64)));

_Static_assert(offsetof(struct cpu, self) == 0, "mycpu() reads the self pointer at %gs:0");

/* This core's struct cpu. Valid from the first line of kernel_main / ap_main. */
static inline struct cpu *mycpu(void)
{
    struct cpu *cpu;
    __asm__ volatile("movq %%gs:0, %0" : "=r"(cpu));
    return cpu;
}

/* This core's index (0 = boot core). */
static inline int cpu_index(void) { return mycpu()->index; }

/* The struct cpu of core `index` (0..cpu_count()-1). */
struct cpu *cpu_get(int index);

/* Number of cores found in the ACPI MADT (1 without ACPI). Every one of them is
 * started by smp_start_aps(); one that does not come up is a fatal boot error. */
int cpu_count(void);

/*
 * push_off/pop_off: disable interrupts, nesting. The interrupt flag is
 * restored to its state before the outermost push_off when the matching
 * pop_off runs. Spinlocks use them; so may any code that must not be
 * interrupted on this core. pop_off without push_off panics.
 */
void push_off(void);
void pop_off(void);

#endif

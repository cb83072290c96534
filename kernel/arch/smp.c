/*
 * smp.c - starting the application processors. The boot core copies the
 * trampoline below 1 MiB, sends INIT to every AP of the MADT, waits once, then
 * for each AP in turn fills the parameter block (trampoline.h) and sends
 * STARTUP (a second one only if the first did not take). It moves on as soon
 * as the AP reports `alive` (it has read the block), so the APs' own setup
 * overlaps; at the end it waits until every AP reports `started` (xv6 style).
 * Each AP runs ap_main: its GDT/TSS and GS, the shared IDT, its LAPIC, then
 * kernel-core's core_init_cpu() and scheduler_start().
 */
#include "arch.h"
#include "console.h"
#include "core.h"
#include "cpu.h"
#include "internal.h"
#include "string.h"
#include "trampoline.h"
#include "x86.h"

__attribute__((noreturn)) static void ap_main(struct cpu *cpu)
{
    cpu_init_ap(cpu); /* from here mycpu() works */
    idt_load();
    lapic_init_cpu();
    kprintf("cpu %d online (apic id %u)\n", cpu->index, cpu->apic_id);
    __atomic_store_n(&cpu->started, 1, __ATOMIC_RELEASE);
    core_init_cpu();
    scheduler_start();
}

/* Wait until *flag is nonzero or `deadline_tsc` passes; 1 if it became nonzero. */
static int wait_until_set(const volatile uint32_t *flag, uint64_t deadline_tsc)
{
    for (;;) {
        if (__atomic_load_n(flag, __ATOMIC_ACQUIRE))
            return 1;
        if (rdtsc() > deadline_tsc)
            return 0;
        pause();
    }
}

static uint64_t deadline_after_us(uint64_t microseconds) { return rdtsc() + ns_to_tsc(microseconds * 1000); }

static void start_ap(struct cpu *cpu, struct trampoline_parameters *parameters)
{
    parameters->cr3 = read_cr3();
    parameters->stack = (uint64_t)&cpu_stacks[cpu->index][CPU_STACK_SIZE];
    parameters->cpu = (uint64_t)cpu;
    parameters->entry = (uint64_t)ap_main;
    parameters->alive = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* parameters visible before the AP can run */

    /* The SDM's sequence after INIT (sent by smp_start_aps): STARTUP, wait
     * 200 us, STARTUP again, skipped when the AP already reached long mode. */
    lapic_send_startup(cpu->apic_id, TRAMPOLINE_ADDRESS >> 12);
    if (!wait_until_set(&parameters->alive, deadline_after_us(AP_SIPI_DELAY_US)))
        lapic_send_startup(cpu->apic_id, TRAMPOLINE_ADDRESS >> 12);
    /* `alive` is written after the AP loaded its stack, cpu and entry: the block is free again. */
    if (!wait_until_set(&parameters->alive, deadline_after_us(AP_START_TIMEOUT_US)))
        panic("smp: core %d (apic id %u) did not run the trampoline within %d ms", cpu->index, cpu->apic_id,
              AP_START_TIMEOUT_US / 1000);
}

void smp_start_aps(void)
{
    if (cpu_count() == 1)
        return;
    memcpy((void *)TRAMPOLINE_ADDRESS, trampoline_start, (size_t)(trampoline_end - trampoline_start));
    struct trampoline_parameters *parameters = (struct trampoline_parameters *)TRAMPOLINE_PARAMETERS;
    /* INIT every AP first (they wait for STARTUP), then one delay for all of them. */
    for (int index = 1; index < cpu_count(); index++)
        lapic_send_init(cpu_get(index)->apic_id);
    udelay(AP_INIT_DELAY_US);
    for (int index = 1; index < cpu_count(); index++)
        start_ap(cpu_get(index), parameters);
    for (int index = 1; index < cpu_count(); index++) {
        struct cpu *cpu = cpu_get(index);
        if (!wait_until_set(&cpu->started, deadline_after_us(AP_START_TIMEOUT_US)))
            panic("smp: core %d (apic id %u) reached long mode but did not finish its setup", index,
                  cpu->apic_id);
    }
}

/*
 * cpu.c - the per-core table: struct cpu for every core, their stacks, their
 * GDT and TSS, the GS base that makes mycpu() one instruction, and
 * push_off/pop_off. Pairs with include/cpu.h; acpi.c registers the cores,
 * smp.c starts them. See kernel/README.md "Boot, per-CPU data, memory".
 */
#include "cpu.h"
#include "arch.h"
#include "console.h"
#include "internal.h"
#include "memory.h"
#include "string.h"

static struct cpu cpus[MAX_CPUS];
static int registered_cpus = 1; /* cpus[0] is the boot core, registered by cpu_init_boot */

/* Stacks: each core's boot code, then its scheduler, runs on cpu_stacks[index]. Its lowest
 * page is its guard (unmapped by cpu_guards_init), so CPU_STACK_SIZE - PAGE_SIZE is usable. */
uint8_t cpu_stacks[MAX_CPUS][CPU_STACK_SIZE] __attribute__((aligned(PAGE_SIZE)));
/* IST1 stacks: NMI, double fault and machine check run here, so a core whose
 * stack overflowed still reports it. The first page of each is its guard. */
static uint8_t exception_stacks[MAX_CPUS][PAGE_SIZE + EXCEPTION_STACK_SIZE]
    __attribute__((aligned(PAGE_SIZE)));
_Static_assert(CPU_STACK_SIZE % PAGE_SIZE == 0 && EXCEPTION_STACK_SIZE % PAGE_SIZE == 0,
               "stacks are whole pages, so their guard pages fall on page boundaries");

struct cpu *cpu_get(int index)
{
    if (index < 0 || index >= registered_cpus)
        panic("cpu_get: no core %d (%d cores)", index, registered_cpus);
    return &cpus[index];
}

int cpu_count(void) { return registered_cpus; }

void cpu_register(uint32_t apic_id)
{
    for (int index = 0; index < registered_cpus; index++)
        if (cpus[index].apic_id == apic_id)
            return; /* the boot core, or a duplicate MADT entry */
    if (registered_cpus == MAX_CPUS) {
        acpi.cores_ignored++;
        return;
    }
    struct cpu *cpu = &cpus[registered_cpus];
    cpu->self = cpu;
    cpu->index = registered_cpus;
    cpu->apic_id = apic_id;
    registered_cpus++;
}

/* ---- interrupt disabling ------------------------------------------------------------------ */

void push_off(void)
{
    int were_enabled = interrupts_enabled();
    cli();
    struct cpu *cpu = mycpu();
    if (cpu->interrupt_disable_depth == 0)
        cpu->interrupts_were_enabled = were_enabled;
    cpu->interrupt_disable_depth++;
}

void pop_off(void)
{
    struct cpu *cpu = mycpu();
    if (interrupts_enabled())
        panic("pop_off: interrupts are enabled");
    if (cpu->interrupt_disable_depth < 1)
        panic("pop_off: without push_off");
    cpu->interrupt_disable_depth--;
    if (cpu->interrupt_disable_depth == 0 && cpu->interrupts_were_enabled)
        sti();
}

/* ---- descriptor tables -------------------------------------------------------------------- */

/* A 16-byte available 64-bit TSS descriptor (two GDT entries). */
static void set_tss_descriptor(uint64_t *entries, const struct task_state_segment *tss)
{
    uint64_t base = (uint64_t)tss;
    uint64_t limit = sizeof(*tss) - 1;
    entries[0] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ull << 40) /* present, type 9 */
                 | (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
    entries[1] = base >> 32;
}

/*
 * Load this core's GDT and TSS and point GS at its struct cpu. Order matters:
 * reloading %gs with a selector resets its base, so the MSR is written last.
 */
static void cpu_load(struct cpu *cpu)
{
    cpu->gdt[0] = 0;
    cpu->gdt[1] = 0x00AF9A000000FFFFull; /* SELECTOR_KERNEL_CODE: 64-bit, ring 0 */
    cpu->gdt[2] = 0x00CF92000000FFFFull; /* SELECTOR_KERNEL_DATA */
    memset(&cpu->tss, 0, sizeof(cpu->tss));
    cpu->tss.ist[0] = (uint64_t)&exception_stacks[cpu->index][PAGE_SIZE + EXCEPTION_STACK_SIZE];
    cpu->tss.io_map_base = sizeof(cpu->tss); /* no I/O permission bitmap */
    set_tss_descriptor(&cpu->gdt[3], &cpu->tss);

    struct descriptor_pointer pointer = { .limit = sizeof(cpu->gdt) - 1, .base = (uint64_t)cpu->gdt };
    lgdt(&pointer);
    /* Reload CS with a far return, then the data segments. */
    __asm__ volatile("pushq %[code]\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw %[data], %%ax\n\t"
                     "movw %%ax, %%ds\n\t"
                     "movw %%ax, %%es\n\t"
                     "movw %%ax, %%ss\n\t"
                     "xorl %%eax, %%eax\n\t"
                     "movw %%ax, %%fs\n\t"
                     "movw %%ax, %%gs"
                     :
                     : [code] "i"(SELECTOR_KERNEL_CODE), [data] "i"(SELECTOR_KERNEL_DATA)
                     : "rax", "memory");
    ltr(SELECTOR_TSS);
    wrmsr(MSR_GS_BASE, (uint64_t)cpu);
}

/*
 * This core's initial APIC id from CPUID: the 32-bit x2APIC id of leaf 0xB
 * where the CPU has that leaf (it equals the 8-bit xAPIC id while below 256),
 * else the 8 bits of leaf 1.
 */
static uint32_t boot_apic_id(void)
{
    if (cpuid(0, 0).eax >= 0xB && cpuid(0xB, 0).ebx != 0)
        return cpuid(0xB, 0).edx;
    return cpuid(1, 0).ebx >> 24;
}

void cpu_init_boot(void)
{
    struct cpu *cpu = &cpus[0];
    cpu->self = cpu;
    cpu->index = 0;
    cpu->apic_id = boot_apic_id(); /* lapic_init checks it against the LAPIC */
    cpu_load(cpu);
}

void cpu_init_ap(struct cpu *cpu) { cpu_load(cpu); }

void cpu_guards_init(void)
{
    for (int index = 0; index < registered_cpus; index++) {
        paging_unmap_page((uint64_t)(uintptr_t)&cpu_stacks[index][0]);
        paging_unmap_page((uint64_t)(uintptr_t)&exception_stacks[index][0]);
    }
}

int cpu_stack_overflow(uint64_t address, char *text, size_t size)
{
    for (int index = 0; index < registered_cpus; index++) {
        const char *which = 0;
        if (address >= (uint64_t)(uintptr_t)&cpu_stacks[index][0] &&
            address < (uint64_t)(uintptr_t)&cpu_stacks[index][PAGE_SIZE])
            which = "boot and scheduler";
        else if (address >= (uint64_t)(uintptr_t)&exception_stacks[index][0] &&
                 address < (uint64_t)(uintptr_t)&exception_stacks[index][PAGE_SIZE])
            which = "exception (IST)";
        if (which) {
            ksnprintf(text, size,
                      "stack overflow: cpu %d's %s stack ran into its guard page at %#lx (on cpu %d)", index,
                      which, address, cpu_index());
            return 1;
        }
    }
    return 0;
}

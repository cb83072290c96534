/*
 * internal.h - declarations shared between files of kernel/arch (and mm/)
 * that are not part of the interface kernel-core uses: the trap frame, the
 * boot page tables, the ACPI findings and per-core registration.
 */
#ifndef TORO_ARCH_INTERNAL_H
#define TORO_ARCH_INTERNAL_H

#include <stdint.h>
#include "cpu.h"

/*
 * Registers saved by vectors.S on interrupt entry, lowest address first. The
 * part from `vector` on is what the stub and the CPU pushed.
 */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error_code; /* 0 for vectors without one */
    uint64_t rip, cs, rflags, rsp, ss;
};

/* panic.c: the common end of panic() and exceptions: report `frame`, stop everything. */
__attribute__((noreturn)) void panic_with_frame(const char *message, const struct trap_frame *frame);
/* trap.c -> exception.c: a CPU exception (vector < 32); never returns. */
__attribute__((noreturn)) void exception_panic(const struct trap_frame *frame);
/* panic.c: stop this core for good (VECTOR_PANIC_IPI handler). */
__attribute__((noreturn)) void panic_stop_this_cpu(void);
/* exception.c: print the registers of `frame`, then a frame-pointer backtrace. */
void print_registers(const struct trap_frame *frame);
void print_backtrace(uint64_t frame_pointer);

/* lapic.c: 1 once the boot core mapped its LAPIC (IPIs can be sent). */
int lapic_ready(void);
/* lapic.c: start an AP: INIT, then STARTUP IPIs at real-mode page `page` (smp.c). */
void lapic_send_init(uint32_t apic_id);
void lapic_send_startup(uint32_t apic_id, uint32_t page);
/* lapic.c: 1 if the LAPICs will run in x2APIC mode (CPUID offers it, no `xapic` on the command
 * line); decided at the first call, valid before lapic_init. acpi.c uses it to filter the MADT. */
int lapic_use_x2apic(void);
/* lapic.c: the largest APIC id a core may have in that mode (xAPIC: 254; 255 is the broadcast). */
uint32_t lapic_max_apic_id(void);

/* lib/console.c: from now on never wait long for the console lock (panic). */
void console_enter_panic_mode(void);

/* ACPI findings (acpi.c), read by lapic.c and future device drivers. */
struct acpi_findings {
    int madt_found;
    uint64_t lapic_address;  /* from the MADT (or the APIC base MSR) */
    uint64_t ioapic_address; /* first IOAPIC, 0 if none */
    uint32_t ioapic_gsi_base;
    int cores_ignored; /* enabled cores beyond MAX_CPUS, or with an id the LAPIC mode cannot reach */
};
extern struct acpi_findings acpi;

/* cpu.c: add a core found in the MADT (the boot core is already cpus[0]). */
void cpu_register(uint32_t apic_id);
/* cpu.c: per-core stacks (the core's scheduler runs on its stack). */
extern uint8_t cpu_stacks[][CPU_STACK_SIZE];

/* boot.S: the identity map. Page 0 is unmapped after boot (paging_unmap_page_zero) so null pointers fault. */
extern uint64_t boot_pml4[512];
extern uint64_t boot_page_directories[4 * 512]; /* 2 MiB pages covering 4 GiB */
extern uint64_t boot_page_table_low[512];       /* 4 KiB pages of the first 2 MiB */
extern uint32_t bios_ebda_segment;              /* BDA word 0x40E, saved before paging */

/* Boot sequence, called from main.c (boot core) and smp.c (APs) only. */
struct boot_info;
void cpu_init_boot(void);          /* boot core: cpus[0], GDT, TSS, GS */
void cpu_init_ap(struct cpu *cpu); /* an AP: its GDT, TSS, GS */
void idt_init(void);               /* build the shared IDT (boot core, once) */
void idt_load(void);               /* load it (every core) */
void cmdline_init(const char *text);
void tsc_calibrate(void);
void acpi_init(const struct boot_info *info);   /* MADT: cores, LAPIC and IOAPIC addresses */
void memory_init(const struct boot_info *info); /* mm/page.c */
void paging_unmap_page_zero(void);              /* mm/paging.c: boot core, before the APs start */
void lapic_init(void);                          /* boot core, once: map + calibrate timer */
void lapic_init_cpu(void);                      /* every core: enable, spurious vector, LVTs */
void pic_disable(void);                         /* remap and mask the legacy 8259 PICs */
void smp_start_aps(void);                       /* INIT-SIPI-SIPI every other MADT core */
/* Boot core, after memory_init and before the APs start (so no core caches the old mapping):
 * unmap the guard page at the bottom of every core's stack and exception stack. */
void cpu_guards_init(void);
/* If `address` is in one of those guard pages, describe the overflow in `text` and return 1. */
int cpu_stack_overflow(uint64_t address, char *text, size_t size);

/* Linker symbols (linker.ld). */
extern char __kernel_start[], __kernel_end[];

/* vectors.S: 256 entry stubs, 16 bytes apart. */
extern char vector_stubs[];

#endif

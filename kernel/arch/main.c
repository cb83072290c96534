/*
 * main.c - the boot core's path from the loader to the scheduler, as a list of
 * init calls. boot.S enters here in long mode on core 0's stack with the
 * identity map; APs enter in smp.c's ap_main. Order matters: each step
 * relies on the ones above it (noted where it is not obvious).
 */
#include <stdint.h>
#include "arch.h"
#include "console.h"
#include "core.h"
#include "cpu.h"
#include "hypervisor.h"
#include "internal.h"
#include "memory.h"
#include "multiboot.h"
#include "x86.h"

__attribute__((noreturn)) void kernel_main(uint32_t multiboot_magic, uint32_t multiboot_info_address);

void kernel_main(uint32_t multiboot_magic, uint32_t multiboot_info_address)
{
    boot_tsc = rdtsc();
    const struct multiboot_info *info = (const struct multiboot_info *)(uintptr_t)multiboot_info_address;

    cpu_init_boot(); /* GDT, TSS, GS -> cpus[0]: mycpu() works from here on */
    console_init();  /* COM1; kprintf prefixes lines with the core */
    if (multiboot_magic != MULTIBOOT_BOOTLOADER_MAGIC)
        panic("not started by a multiboot loader (magic %#x)", multiboot_magic);
    cmdline_init(info); /* before anything that reads options (panic reads `test`) */
    kprintf("toro: booting, command line \"%s\"\n", cmdline_raw());
    idt_init(); /* exceptions now produce a panic report */
    idt_load();
    /* CPUID: which hypervisor, and its TSC frequency where it says (tsc.c may use it) */
    hypervisor_detect();
    pic_disable();     /* 8259s masked, away from the exception vectors */
    tsc_calibrate();   /* tsc_hz: every delay and timeout below needs it */
    acpi_init();       /* MADT: cores and LAPIC address */
    memory_init(info); /* page allocator; last use of the multiboot information */
    lapic_init();      /* map the LAPIC, measure its timer (boot core only) */
    lapic_init_cpu();  /* enable this core's LAPIC */
    core_init();       /* kernel-core: telemetry header, tables (once) */
    smp_start_aps();   /* INIT-SIPI-SIPI; each AP ends in its scheduler */
    kprintf("toro: %d cores started in %lu us\n", cpu_count(), tsc_to_ns(rdtsc() - boot_tsc) / 1000);
    core_init_cpu();   /* kernel-core: this core's scheduler state */
    scheduler_start(); /* kernel-core: never returns */
}

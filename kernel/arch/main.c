/*
 * main.c - the boot core's path from the loader to the scheduler, as a list of
 * init calls. boot.S enters here in long mode on core 0's stack with the
 * identity map; APs enter in smp.c's ap_main. Order matters: each step
 * relies on the ones above it (noted where it is not obvious).
 */
#include <stdint.h>
#include "arch.h"
#include "boot_info.h"
#include "console.h"
#include "core.h"
#include "cpu.h"
#include "hypervisor.h"
#include "internal.h"
#include "memory.h"
#include "x86.h"

__attribute__((noreturn)) void kernel_main(uint32_t loader_magic, uint32_t loader_info_address);

static struct boot_info boot_info; /* what the loader said, whatever its protocol; boot only */

/* Boot profile: the TSC at the end of each step below, printed once the cores are up, so a slow step
 * on some hypervisor (an exit-heavy loop, a timer that waits) shows by name on the console. */
#define BOOT_STEP_LIMIT 12
static struct {
    const char *name;
    uint64_t end_tsc;
} boot_steps[BOOT_STEP_LIMIT];
static int boot_step_count;

static void boot_step(const char *name)
{
    if (boot_step_count < BOOT_STEP_LIMIT)
        boot_steps[boot_step_count++] = (typeof(boot_steps[0])){ name, rdtsc() };
}

static void print_boot_steps(void)
{
    char text[CONSOLE_LINE_LENGTH];
    int length = 0;
    uint64_t previous = boot_tsc;
    for (int index = 0; index < boot_step_count && length < (int)sizeof(text); index++) {
        length += ksnprintf(text + length, sizeof(text) - (size_t)length, " %s %lu", boot_steps[index].name,
                            tsc_to_ns(boot_steps[index].end_tsc - previous) / 1000);
        previous = boot_steps[index].end_tsc;
    }
    kprintf("toro: boot steps (us):%s\n", text);
}

void kernel_main(uint32_t loader_magic, uint32_t loader_info_address)
{
    boot_tsc = rdtsc();
    struct boot_info *info = &boot_info;

    cpu_init_boot(); /* GDT, TSS, GS -> cpus[0]: mycpu() works from here on */
    console_init();  /* COM1; kprintf prefixes lines with the core */
    boot_info_parse(info, loader_magic, loader_info_address); /* Multiboot 1, 2 or PVH */
    cmdline_init(info->cmdline); /* before anything that reads options (panic reads `test`) */
    paging_unmap_page_zero();    /* loader data there is read (PVH): null pointers fault from here */
    kprintf("toro: booting (%s), command line \"%s\"\n", info->protocol, cmdline_raw());
    boot_step("console");
    idt_init(); /* exceptions now produce a panic report */
    idt_load();
    /* CPUID: which hypervisor, and its TSC frequency where it says (tsc.c may use it) */
    hypervisor_detect();
    pic_disable();   /* 8259s masked, away from the exception vectors */
    tsc_calibrate(); /* tsc_hz: every delay and timeout below needs it */
    boot_step("tsc");
    acpi_init(info); /* MADT: cores and LAPIC address (the loader's RSDP first) */
    boot_step("acpi");
    memory_init(info); /* page allocator; last use of the loader's data */
    cpu_guards_init(); /* unmap the guard page below each core's stacks */
    boot_step("memory");
    lapic_init();     /* map the LAPIC, measure its timer (boot core only) */
    lapic_init_cpu(); /* enable this core's LAPIC */
    boot_step("lapic");
    core_init(); /* kernel-core: telemetry header, tables (once) */
    boot_step("core");
    smp_start_aps(); /* INIT-SIPI-SIPI; each AP ends in its scheduler */
    boot_step("aps");
    kprintf("toro: %d cores started in %lu us\n", cpu_count(), tsc_to_ns(rdtsc() - boot_tsc) / 1000);
    print_boot_steps();
    core_init_cpu();   /* kernel-core: this core's scheduler state */
    scheduler_start(); /* kernel-core: never returns */
}

/*
 * param.h - every kernel limit and fixed number in one place: core counts,
 * stack sizes, interrupt vectors, fixed physical addresses, boot timings.
 * Used by C and by the assembler files in kernel/arch, so only #defines here.
 * kernel-core may append its own entries at the end.
 */
#ifndef TORO_PARAM_H
#define TORO_PARAM_H

#ifndef __ASSEMBLER__
#include "telemetry_abi.h" /* TORO_MAX_CPUS: the telemetry block sizes the core table */
#endif

/* ---- cores and stacks ------------------------------------------------------ */
#define MAX_CPUS             TORO_MAX_CPUS /* cores beyond this in the MADT are ignored (C only) */
#define PAGE_SIZE            4096
#define CPU_STACK_SIZE       16384 /* per-core boot stack; the core's scheduler runs on it */
#define EXCEPTION_STACK_SIZE 8192  /* per-core IST stack for #DF, NMI, #MC (survives a blown stack) */
#define THREAD_STACK_SIZE    16384 /* default stack of a kernel thread (kernel-core) */

/* ---- memory layout (identity mapped: virtual == physical) ------------------- */
#define KERNEL_LOAD_ADDRESS    0x100000       /* 1 MiB, where the multiboot loader puts us */
#define TRAMPOLINE_ADDRESS     0x8000         /* AP start code (SIPI vector 0x08), below 1 MiB */
#define IDENTITY_MAP_LIMIT     0x100000000ull /* 4 GiB mapped at boot with 2 MiB pages */
#define LAPIC_DEFAULT_ADDRESS  0xFEE00000u
#define IOAPIC_DEFAULT_ADDRESS 0xFEC00000u

/* ---- interrupt vectors ------------------------------------------------------ */
#define VECTOR_EXCEPTION_COUNT 32   /* 0..31: CPU exceptions, all panic */
#define VECTOR_TIMER           0x20 /* LAPIC timer (periodic tick or one-shot deadline) */
#define VECTOR_LEGACY_PIC_BASE 0x30 /* 8259 PICs remapped here and masked: only spurious IRQ 7/15 land */
#define VECTOR_DEVICE_BASE     0x40 /* first vector for device interrupts (interrupt_set_handler) */
#define VECTOR_DEVICE_LIMIT    0xE0 /* one past the last device vector */
#define VECTOR_WAKE_IPI        0xF0 /* "look at your mailbox": ends a halt */
#define VECTOR_PANIC_IPI       0xF1 /* another core panicked: stop this one */
#define VECTOR_LAPIC_ERROR     0xFE /* LAPIC error interrupt (reported, not fatal) */
#define VECTOR_SPURIOUS        0xFF /* LAPIC spurious vector: no EOI */
#define VECTOR_COUNT           256

/* ---- boot timings ----------------------------------------------------------- */
#define TSC_CALIBRATION_US   5000   /* PIT channel 2 window for the TSC (5 ms: ~0.1% under TCG) */
#define LAPIC_CALIBRATION_US 1000   /* TSC window for the LAPIC timer (1 ms) */
#define AP_INIT_DELAY_US     200    /* after INIT (legacy CPUs wanted 10 ms; modern ones none) */
#define AP_SIPI_DELAY_US     200    /* after each SIPI, as the SDM's sequence asks */
#define AP_START_TIMEOUT_US  500000 /* an AP that is not up by then is a fatal boot error */

/* ---- console and command line ---------------------------------------------- */
#define CONSOLE_LINE_LENGTH   256 /* longer lines are emitted in pieces */
#define CMDLINE_LENGTH        512 /* longer command lines are truncated */
#define CMDLINE_MAX_ARGUMENTS 32

/* ---- QEMU exit statuses (isa-debug-exit: the QEMU process exits with (status << 1) | 1) */
#define QEMU_EXIT_PASS  0 /* process exit code 1 */
#define QEMU_EXIT_FAIL  1 /* process exit code 3 */
#define QEMU_EXIT_PANIC 2 /* process exit code 5 */

/* ---- kernel-core entries below ---------------------------------------------- */

#endif

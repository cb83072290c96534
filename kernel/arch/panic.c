/*
 * panic.c - stopping the kernel: panic() and CPU exceptions end here, print
 * "PANIC on cpu N: message" with the registers, tell kernel-core's telemetry,
 * stop every other core, then leave QEMU (command line `test`) or halt for a
 * debugger. Also qemu_exit (isa-debug-exit) and halt_forever.
 * Pairs with exception.c (the exception report) and arch.h.
 */
#include <stdarg.h>
#include "arch.h"
#include "console.h"
#include "core.h"
#include "cpu.h"
#include "internal.h"
#include "string.h"
#include "x86.h"

#define ISA_DEBUG_EXIT_PORT 0xF4

static volatile int panic_in_progress; /* 1 once any core has started to panic */
static volatile int panicking_core = -1;

void halt_forever(void)
{
    for (;;) {
        cli();
        hlt();
    }
}

void qemu_exit(int status)
{
    /* isa-debug-exit ends QEMU at once: bytes still in the UART FIFO would be lost. */
    console_flush();
    outl(ISA_DEBUG_EXIT_PORT, (uint32_t)status);
    /* Still here: QEMU has no isa-debug-exit device (or this is not QEMU). */
    kprintf("qemu_exit(%d): no isa-debug-exit device at port %#x; halting\n", status, ISA_DEBUG_EXIT_PORT);
    halt_forever();
}

void panic_stop_this_cpu(void) { halt_forever(); }

void panic_with_frame(const char *message, const struct trap_frame *frame)
{
    cli();
    int core = cpu_index();
    int expected = 0;
    if (!__atomic_compare_exchange_n(&panic_in_progress, &expected, 1, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        if (panicking_core == core) {
            /* A fault while reporting: say so once and stop. */
            kprintf("PANIC on cpu %d while panicking: %s\n", core, message);
            halt_forever();
        }
        halt_forever(); /* another core is reporting; its IPI would stop us anyway */
    }
    panicking_core = core;

    console_enter_panic_mode();
    kprintf("PANIC on cpu %d: %s\n", core, message);
    print_registers(frame);
    print_backtrace(frame->rbp);
    telemetry_panic(message);

    if (lapic_ready())
        lapic_send_ipi_all_others(VECTOR_PANIC_IPI);
    if (cmdline_get("test"))
        qemu_exit(QEMU_EXIT_PANIC);
    kprintf("cpu %d halted after the panic (attach a debugger to inspect)\n", core);
    halt_forever();
}

void panic(const char *format, ...)
{
    /* The registers as they are here; rbp is panic's frame, so the backtrace
     * starts at panic's caller and rip is the call site. */
    struct trap_frame frame;
    memset(&frame, 0, sizeof(frame));
    __asm__ volatile("movq %%rax, %0\n\tmovq %%rbx, %1\n\tmovq %%rcx, %2\n\tmovq %%rdx, %3\n\t"
                     "movq %%rsi, %4\n\tmovq %%rdi, %5\n\tmovq %%r8, %6\n\tmovq %%r9, %7"
                     : "=m"(frame.rax), "=m"(frame.rbx), "=m"(frame.rcx), "=m"(frame.rdx), "=m"(frame.rsi),
                       "=m"(frame.rdi), "=m"(frame.r8), "=m"(frame.r9));
    __asm__ volatile("movq %%r10, %0\n\tmovq %%r11, %1\n\tmovq %%r12, %2\n\tmovq %%r13, %3\n\t"
                     "movq %%r14, %4\n\tmovq %%r15, %5\n\tmovq %%rbp, %6\n\tmovq %%rsp, %7"
                     : "=m"(frame.r10), "=m"(frame.r11), "=m"(frame.r12), "=m"(frame.r13), "=m"(frame.r14),
                       "=m"(frame.r15), "=m"(frame.rbp), "=m"(frame.rsp));
    frame.rip = (uint64_t)__builtin_return_address(0);
    frame.rflags = read_rflags();
    frame.vector = ~0ull;
    __asm__ volatile("movq %%cs, %0\n\tmovq %%ss, %1" : "=r"(frame.cs), "=r"(frame.ss));

    char message[TORO_PANIC_MESSAGE_LENGTH];
    va_list arguments;
    va_start(arguments, format);
    kvsnprintf(message, sizeof(message), format, arguments);
    va_end(arguments);
    panic_with_frame(message, &frame);
}

/*
 * exception.c - the report for CPU exceptions (vectors 0-31): name, error
 * code (decoded for page faults), CR2, RIP, every general register and a
 * frame-pointer backtrace. Every exception is fatal: the report goes through
 * panic_with_frame in panic.c. Pairs with trap.c.
 */
#include <stdint.h>
#include "arch.h"
#include "console.h"
#include "core.h"
#include "internal.h"
#include "string.h"
#include "x86.h"

static const char *const exception_names[VECTOR_EXCEPTION_COUNT] = {
    [0] = "divide error (#DE)",
    [1] = "debug (#DB)",
    [2] = "non-maskable interrupt (NMI)",
    [3] = "breakpoint (#BP)",
    [4] = "overflow (#OF)",
    [5] = "bound range exceeded (#BR)",
    [6] = "invalid opcode (#UD)",
    [7] = "device not available (#NM, floating point is off in this kernel)",
    [8] = "double fault (#DF)",
    [9] = "coprocessor segment overrun",
    [10] = "invalid TSS (#TS)",
    [11] = "segment not present (#NP)",
    [12] = "stack-segment fault (#SS)",
    [13] = "general protection fault (#GP)",
    [14] = "page fault (#PF)",
    [16] = "x87 floating-point error (#MF)",
    [17] = "alignment check (#AC)",
    [18] = "machine check (#MC)",
    [19] = "SIMD floating-point error (#XM)",
    [20] = "virtualization exception (#VE)",
    [21] = "control protection (#CP)",
    [28] = "hypervisor injection (#HV)",
    [29] = "VMM communication (#VC)",
    [30] = "security exception (#SX)",
};

static const char *exception_name(uint64_t vector)
{
    if (vector < VECTOR_EXCEPTION_COUNT && exception_names[vector])
        return exception_names[vector];
    return "reserved exception";
}

/* "not present, write, kernel, instruction fetch" from a page-fault error code. */
static void describe_page_fault(uint64_t error_code, char *text, size_t size)
{
    ksnprintf(text, size, " (%s, %s%s%s)", error_code & 1 ? "protection violation" : "not present",
              error_code & 2 ? "write" : "read", error_code & 8 ? ", reserved bit set" : "",
              error_code & 16 ? ", instruction fetch" : "");
}

void exception_panic(const struct trap_frame *frame)
{
    char detail[80] = "";
    if (frame->vector == 14)
        describe_page_fault(frame->error_code, detail, sizeof(detail));

    /* Running off a stack faults on its guard page; delivering that fault pushes onto the same
     * page, so it usually arrives as a double fault (on its own IST stack), CR2 in the guard. */
    char overflow[120] = "";
    if ((frame->vector == 8 || frame->vector == 14) &&
        (thread_stack_overflow(read_cr2(), overflow, sizeof overflow - 2) ||
         cpu_stack_overflow(read_cr2(), overflow, sizeof overflow - 2)))
        strlcpy(overflow + strlen(overflow), "; ", 3);

    char message[TORO_PANIC_MESSAGE_LENGTH];
    ksnprintf(message, sizeof(message), "%s%s, vector %lu, at rip %#lx: error code %#lx%s, cr2 %#lx",
              overflow, exception_name(frame->vector), frame->vector, frame->rip, frame->error_code, detail,
              read_cr2());
    panic_with_frame(message, frame);
}

void print_registers(const struct trap_frame *frame)
{
    kprintf("  rip %016lx  rsp %016lx  rbp %016lx  rflags %08lx\n", frame->rip, frame->rsp, frame->rbp,
            frame->rflags);
    kprintf("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n", frame->rax, frame->rbx, frame->rcx,
            frame->rdx);
    kprintf("  rsi %016lx  rdi %016lx  r8  %016lx  r9  %016lx\n", frame->rsi, frame->rdi, frame->r8,
            frame->r9);
    kprintf("  r10 %016lx  r11 %016lx  r12 %016lx  r13 %016lx\n", frame->r10, frame->r11, frame->r12,
            frame->r13);
    if (frame->vector < VECTOR_COUNT)
        kprintf("  r14 %016lx  r15 %016lx  cs %lx  ss %lx  vector %lu  error %#lx\n", frame->r14, frame->r15,
                frame->cs, frame->ss, frame->vector, frame->error_code);
    else /* panic() called from C: no vector */
        kprintf("  r14 %016lx  r15 %016lx  cs %lx  ss %lx\n", frame->r14, frame->r15, frame->cs, frame->ss);
    kprintf("  cr0 %08lx  cr2 %016lx  cr3 %08lx  cr4 %08lx\n", read_cr0(), read_cr2(), read_cr3(),
            read_cr4());
}

/* A frame pointer is followed only while it looks like one: aligned, mapped, growing. */
static int plausible_frame(uint64_t frame_pointer, uint64_t previous)
{
    return frame_pointer >= PAGE_SIZE && frame_pointer < IDENTITY_MAP_LIMIT - 16 &&
           (frame_pointer & 7) == 0 && frame_pointer > previous;
}

void print_backtrace(uint64_t frame_pointer)
{
    char text[CONSOLE_LINE_LENGTH];
    size_t length =
        (size_t)ksnprintf(text, sizeof(text), "  backtrace (resolve with kernel.map or addr2line):");
    uint64_t previous = 0;
    for (int depth = 0; depth < 12 && plausible_frame(frame_pointer, previous); depth++) {
        const uint64_t *frame = (const uint64_t *)frame_pointer;
        uint64_t return_address = frame[1];
        if (return_address == 0)
            break;
        if (length < sizeof(text))
            length += (size_t)ksnprintf(text + length, sizeof(text) - length, " %#lx", return_address);
        previous = frame_pointer;
        frame_pointer = frame[0];
    }
    kprintf("%s\n", text);
}

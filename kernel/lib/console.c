/*
 * console.c - the kernel console: COM1 (115200 8N1, polled) and QEMU's
 * debugcon port 0xE9. Text is collected in a buffer per core and written one
 * whole line at a time under a lock, prefixed with "[cpuN] ", so lines of
 * different cores never mix. Serial lines end in "\r\n" (terminals),
 * debugcon lines in "\n". Pairs with include/console.h and format.c.
 *
 * Port writes are batched with `rep outsb`: under a hypervisor every port
 * access is a VM exit to the VMM process, and KVM turns one string
 * instruction into one exit however many bytes it carries. So a line costs one
 * exit on debugcon and two per 16 bytes on COM1 (status check, FIFO burst),
 * not one per byte on each.
 */
#include <stdarg.h>
#include <stddef.h>
#include "arch.h"
#include "console.h"
#include "cpu.h"
#include "format.h"
#include "../arch/internal.h"
#include "string.h"
#include "x86.h"

#define COM1                         0x3F8
#define COM1_LINE_STATUS             (COM1 + 5)
#define LINE_STATUS_TRANSMIT_EMPTY   0x20
#define LINE_STATUS_TRANSMITTER_IDLE 0x40 /* FIFO and shift register both empty */
#define UART_FIFO_SIZE               16   /* 16550A transmit FIFO, enabled in console_init */
#define COM1_INTERRUPT_ID            (COM1 + 2)
#define INTERRUPT_ID_FIFOS_ENABLED   0xC0
#define DEBUGCON                     0xE9
#define SERIAL_WAIT_MS               500 /* longest wait for the UART before output is dropped */

/* Line buffers: touched only by their own core, with interrupts disabled. */
struct line_buffer {
    char text[CONSOLE_LINE_LENGTH];
    size_t length;
};
static struct line_buffer lines[MAX_CPUS];

/* Held while one line goes out; lock order: innermost (nothing is taken under it). */
static struct raw_lock console_lock = RAW_LOCK_INITIALIZER;
static int serial_present;
static int fifo_size = 1;       /* UART_FIFO_SIZE once the FIFOs are known to work */
static int fifo_room;           /* bytes the transmit FIFO can still take (under console_lock) */
static volatile int panic_mode; /* set by panic: never wait long for the lock */

void console_init(void)
{
    outb(COM1 + 1, 0x00); /* no UART interrupts: output is polled */
    outb(COM1 + 3, 0x80); /* divisor latch access */
    outb(COM1 + 0, 0x01); /* divisor 1: 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);                           /* 8 data bits, no parity, one stop bit */
    outb(COM1 + 2, 0xC7);                           /* FIFOs on and cleared */
    outb(COM1 + 4, 0x03);                           /* DTR, RTS */
    serial_present = inb(COM1_LINE_STATUS) != 0xFF; /* floating bus: no UART */
    if ((inb(COM1_INTERRUPT_ID) & INTERRUPT_ID_FIFOS_ENABLED) == INTERRUPT_ID_FIFOS_ENABLED)
        fifo_size = UART_FIFO_SIZE; /* a 16550A; older UARTs take one byte at a time */
}

/*
 * Wait until COM1's `status_bit` is set, at most `milliseconds` once the TSC is calibrated (a fixed spin
 * count before): a wedged UART must not hang the kernel or a panic, but a host that is slow to read
 * QEMU's serial output (the transmit FIFO stays full while QEMU's chardev is blocked) must not lose
 * bytes either: giving up after a few thousand spins, as this once did, overwrote the FIFO and dropped
 * whole bursts of a line on a loaded host.
 */
static void wait_line_status(uint8_t status_bit, uint64_t milliseconds)
{
    if (inb(COM1_LINE_STATUS) & status_bit)
        return;
    uint64_t deadline = tsc_hz ? rdtsc() + tsc_hz / 1000 * (panic_mode ? 10 : milliseconds) : 0;
    for (int spins = 0; !(inb(COM1_LINE_STATUS) & status_bit); spins++) {
        if (deadline ? rdtsc() > deadline : spins >= 100000)
            return;
        pause();
    }
}

/* Send `length` bytes to COM1, a FIFO's worth per burst (one status read per burst). Caller holds
 * console_lock (or panics). */
static void serial_write(const char *text, size_t length)
{
    if (!serial_present)
        return;
    while (length > 0) {
        if (fifo_room == 0) {
            wait_line_status(LINE_STATUS_TRANSMIT_EMPTY, SERIAL_WAIT_MS);
            fifo_room = fifo_size;
        }
        size_t burst = length < (size_t)fifo_room ? length : (size_t)fifo_room;
        outsb(COM1, text, burst);
        fifo_room -= (int)burst;
        text += burst;
        length -= burst;
    }
}

void console_flush(void)
{
    if (serial_present)
        wait_line_status(LINE_STATUS_TRANSMITTER_IDLE, SERIAL_WAIT_MS);
}

/* One whole line, prefix included, out to debugcon ("\n") and COM1 ("\r\n"). */
static void write_line(int core, const char *text, size_t length)
{
    char line[16 + CONSOLE_LINE_LENGTH + 2];
    size_t used = (size_t)ksnprintf(line, 16, "[cpu%d] ", core);
    memcpy(line + used, text, length);
    used += length;
    line[used] = '\n';
    outsb(DEBUGCON, line, used + 1); /* debugcon: the text and "\n" */
    serial_write(line, used);        /* COM1: the text and "\r\n" */
    serial_write("\r\n", 2);
}

/* Write out and empty this core's buffer. Interrupts are disabled. */
static void flush_line(struct line_buffer *line)
{
    int core = cpu_index();
    if (console_lock.owner_core == core) {
        /* Re-entered on this core while it held the lock (a fault inside the
         * console, now panicking): writing is all that is left to do. */
        write_line(core, line->text, line->length);
    } else if (panic_mode) {
        int locked = raw_acquire_timeout(&console_lock, tsc_hz ? tsc_hz / 10 : 100000000);
        write_line(core, line->text, line->length);
        if (locked)
            raw_release(&console_lock);
    } else {
        raw_acquire(&console_lock);
        write_line(core, line->text, line->length);
        raw_release(&console_lock);
    }
    line->length = 0;
}

static void line_put(void *context, char character)
{
    struct line_buffer *line = context;
    if (character == '\n') {
        flush_line(line);
        return;
    }
    if (line->length == sizeof(line->text))
        flush_line(line); /* an overlong line goes out in pieces */
    line->text[line->length++] = character;
}

void kvprintf(const char *format, va_list arguments)
{
    push_off();
    format_to_sink(line_put, &lines[cpu_index()], format, arguments);
    pop_off();
}

void kprintf(const char *format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    kvprintf(format, arguments);
    va_end(arguments);
}

void console_enter_panic_mode(void)
{
    panic_mode = 1;
    struct line_buffer *line = &lines[cpu_index()];
    if (line->length > 0)
        flush_line(line); /* the report starts on a line of its own */
}

/*
 * console.h - kernel console: kprintf to COM1 (115200 8N1) and QEMU's
 * debugcon port 0xE9. Each line goes out whole, prefixed with its core
 * ("[cpu1] "); lines of different cores never interleave. Pairs with
 * kernel/lib/console.c (line buffers, devices) and kernel/lib/format.c.
 *
 * Formats: %d %i %u %x %X %p %s %c %%, length modifiers l, ll, z, flags '-'
 * and '0', and a field width (e.g. %08lx, %-12s, %5llu).
 */
#ifndef TORO_CONSOLE_H
#define TORO_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Print to the console. Text is collected per core and written when a line
 * ends ('\n'), so a line may be built from several calls; a call that ends
 * without '\n' waits for the rest. Safe from any context, including interrupt
 * handlers (where it is appended to the core's pending line, if any).
 */
void kprintf(const char *format, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *format, va_list arguments);

/*
 * Format into `buffer` (always NUL-terminated when size > 0). Returns the
 * length the full result would have, like C's snprintf.
 */
int ksnprintf(char *buffer, size_t size, const char *format, ...) __attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buffer, size_t size, const char *format, va_list arguments);

/* Set up COM1. Called once, first thing on the boot core. */
void console_init(void);

/* Wait (bounded) until COM1 has sent every queued byte: call before QEMU exits. */
void console_flush(void);

#endif

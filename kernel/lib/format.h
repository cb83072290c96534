/*
 * format.h - the formatting engine behind ksnprintf and kprintf: it hands
 * every produced character to a sink. Implemented in format.c; console.c's
 * sink appends to the core's line buffer.
 */
#ifndef TORO_FORMAT_H
#define TORO_FORMAT_H

#include <stdarg.h>

typedef void (*format_sink)(void *context, char character);

void format_to_sink(format_sink sink, void *context, const char *format, va_list arguments);

#endif

/*
 * format.c - printf-style formatting for the kernel, into a buffer (ksnprintf)
 * or character by character into any sink (the console's line buffers).
 * Pairs with console.c and include/console.h (which lists the conversions).
 * No floating point: the kernel is built without FP registers.
 */
#include <stdarg.h>
#include <stdint.h>
#include "console.h"
#include "format.h"

struct format_spec {
    int left_align; /* '-' */
    int zero_pad;   /* '0' */
    int alternate;  /* '#': 0x before hex */
    int width;
    int length; /* 0 = int, 1 = long, 2 = long long, 3 = size_t */
};

static void emit_padding(format_sink sink, void *context, char pad, int count)
{
    for (int index = 0; index < count; index++)
        sink(context, pad);
}

static void emit_string(format_sink sink, void *context, const char *text, const struct format_spec *spec)
{
    if (!text)
        text = "(null)";
    int length = 0;
    while (text[length])
        length++;
    int padding = spec->width > length ? spec->width - length : 0;
    if (!spec->left_align)
        emit_padding(sink, context, ' ', padding);
    for (int index = 0; index < length; index++)
        sink(context, text[index]);
    if (spec->left_align)
        emit_padding(sink, context, ' ', padding);
}

static void emit_number(format_sink sink, void *context, uint64_t value, int negative, unsigned base,
                        int uppercase, const struct format_spec *spec)
{
    const char *digits = uppercase ? "0123456789ABCDEF" : "0123456789abcdef";
    char reversed[24];
    int count = 0;
    do {
        reversed[count++] = digits[value % base];
        value /= base;
    } while (value);

    const char *prefix = negative ? "-" : (spec->alternate && base == 16 ? "0x" : "");
    int prefix_length = negative ? 1 : (spec->alternate && base == 16 ? 2 : 0);
    int padding = spec->width > count + prefix_length ? spec->width - count - prefix_length : 0;

    if (!spec->left_align && !spec->zero_pad)
        emit_padding(sink, context, ' ', padding);
    for (int index = 0; index < prefix_length; index++)
        sink(context, prefix[index]);
    if (!spec->left_align && spec->zero_pad)
        emit_padding(sink, context, '0', padding);
    while (count > 0)
        sink(context, reversed[--count]);
    if (spec->left_align)
        emit_padding(sink, context, ' ', padding);
}

static uint64_t take_unsigned(va_list *arguments, int length)
{
    switch (length) {
    case 0:
        return va_arg(*arguments, unsigned int);
    case 1:
        return va_arg(*arguments, unsigned long);
    case 2:
        return va_arg(*arguments, unsigned long long);
    default:
        return va_arg(*arguments, size_t);
    }
}

static int64_t take_signed(va_list *arguments, int length)
{
    switch (length) {
    case 0:
        return va_arg(*arguments, int);
    case 1:
        return va_arg(*arguments, long);
    case 2:
        return va_arg(*arguments, long long);
    default:
        return (int64_t)va_arg(*arguments, size_t);
    }
}

void format_to_sink(format_sink sink, void *context, const char *format, va_list arguments_in)
{
    va_list arguments;
    va_copy(arguments, arguments_in);
    for (const char *cursor = format; *cursor; cursor++) {
        if (*cursor != '%') {
            sink(context, *cursor);
            continue;
        }
        struct format_spec spec = { 0 };
        cursor++;
        for (;; cursor++) {
            if (*cursor == '-')
                spec.left_align = 1;
            else if (*cursor == '0')
                spec.zero_pad = 1;
            else if (*cursor == '#')
                spec.alternate = 1;
            else
                break;
        }
        while (*cursor >= '0' && *cursor <= '9')
            spec.width = spec.width * 10 + (*cursor++ - '0');
        if (*cursor == 'l') {
            spec.length = 1;
            if (*++cursor == 'l') {
                spec.length = 2;
                cursor++;
            }
        } else if (*cursor == 'z') {
            spec.length = 3;
            cursor++;
        }

        switch (*cursor) {
        case 'd':
        case 'i': {
            int64_t value = take_signed(&arguments, spec.length);
            uint64_t magnitude = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
            emit_number(sink, context, magnitude, value < 0, 10, 0, &spec);
            break;
        }
        case 'u':
            emit_number(sink, context, take_unsigned(&arguments, spec.length), 0, 10, 0, &spec);
            break;
        case 'x':
        case 'X':
            emit_number(sink, context, take_unsigned(&arguments, spec.length), 0, 16, *cursor == 'X', &spec);
            break;
        case 'p':
            spec.alternate = 1;
            emit_number(sink, context, (uint64_t)(uintptr_t)va_arg(arguments, void *), 0, 16, 0, &spec);
            break;
        case 's':
            emit_string(sink, context, va_arg(arguments, const char *), &spec);
            break;
        case 'c': {
            char text[2] = { (char)va_arg(arguments, int), 0 };
            emit_string(sink, context, text, &spec);
            break;
        }
        case '%':
            sink(context, '%');
            break;
        case '\0':
            cursor--; /* a lone '%' at the end: print it, stop */
            sink(context, '%');
            break;
        default: /* unknown conversion: show it as written */
            sink(context, '%');
            sink(context, *cursor);
            break;
        }
    }
    va_end(arguments);
}

/* ---- into a buffer ------------------------------------------------------------------------ */

struct buffer_sink {
    char *buffer;
    size_t size;
    size_t length; /* characters produced so far (may exceed size) */
};

static void buffer_put(void *context, char character)
{
    struct buffer_sink *sink = context;
    if (sink->length + 1 < sink->size)
        sink->buffer[sink->length] = character;
    sink->length++;
}

int kvsnprintf(char *buffer, size_t size, const char *format, va_list arguments)
{
    struct buffer_sink sink = { .buffer = buffer, .size = size, .length = 0 };
    format_to_sink(buffer_put, &sink, format, arguments);
    if (size > 0)
        buffer[sink.length < size ? sink.length : size - 1] = '\0';
    return (int)sink.length;
}

int ksnprintf(char *buffer, size_t size, const char *format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    int length = kvsnprintf(buffer, size, format, arguments);
    va_end(arguments);
    return length;
}

/*
 * string.c - memory and string helpers for the freestanding kernel, with the
 * C library's contracts (GCC itself emits calls to memcpy, memset, memmove and
 * memcmp). Pairs with include/string.h. Built with
 * -fno-tree-loop-distribute-patterns so these loops never call themselves.
 */
#include <stddef.h>
#include <stdint.h>
#include "string.h"

/* Eight bytes per iteration, then the tail byte by byte: under TCG every iteration of a rep string
 * instruction is emulated on its own, so `rep stosq`/`rep movsq` cost an eighth of the byte forms on
 * TCP's buffers and frames (on hardware with ERMSB `rep movsb` is as fast; this is never slower). */
void *memset(void *destination, int value, size_t length)
{
    void *start = destination;
    uint64_t pattern = (uint8_t)value * 0x0101010101010101ull;
    size_t words = length / 8, tail = length % 8;
    __asm__ volatile("rep stosq" : "+D"(destination), "+c"(words) : "a"(pattern) : "memory");
    __asm__ volatile("rep stosb" : "+D"(destination), "+c"(tail) : "a"(pattern) : "memory");
    return start;
}

void *memcpy(void *restrict destination, const void *restrict source, size_t length)
{
    void *start = destination;
    size_t words = length / 8, tail = length % 8;
    __asm__ volatile("rep movsq" : "+D"(destination), "+S"(source), "+c"(words) : : "memory");
    __asm__ volatile("rep movsb" : "+D"(destination), "+S"(source), "+c"(tail) : : "memory");
    return start;
}

void *memmove(void *destination, const void *source, size_t length)
{
    unsigned char *to = destination;
    const unsigned char *from = source;
    if (to == from || length == 0)
        return destination;
    if (to < from || to >= from + length)
        return memcpy(destination, source, length);
    while (length--) /* overlapping, destination above source: copy backwards */
        to[length] = from[length];
    return destination;
}

int memcmp(const void *left, const void *right, size_t length)
{
    const unsigned char *a = left, *b = right;
    for (size_t index = 0; index < length; index++)
        if (a[index] != b[index])
            return a[index] < b[index] ? -1 : 1;
    return 0;
}

size_t strlen(const char *string)
{
    size_t length = 0;
    while (string[length])
        length++;
    return length;
}

size_t strnlen(const char *string, size_t limit)
{
    size_t length = 0;
    while (length < limit && string[length])
        length++;
    return length;
}

int strcmp(const char *left, const char *right)
{
    while (*left && *left == *right) {
        left++;
        right++;
    }
    return (unsigned char)*left - (unsigned char)*right;
}

int strncmp(const char *left, const char *right, size_t limit)
{
    for (size_t index = 0; index < limit; index++) {
        if (left[index] != right[index] || !left[index])
            return (unsigned char)left[index] - (unsigned char)right[index];
    }
    return 0;
}

char *strchr(const char *string, int character)
{
    for (;; string++) {
        if (*string == (char)character)
            return (char *)string;
        if (!*string)
            return 0;
    }
}

size_t strlcpy(char *destination, const char *source, size_t size)
{
    size_t length = strlen(source);
    if (size > 0) {
        size_t copied = length < size - 1 ? length : size - 1;
        memcpy(destination, source, copied);
        destination[copied] = '\0';
    }
    return length;
}

int parse_unsigned(const char *text, unsigned long long *value)
{
    unsigned base = 10;
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text += 2;
    }
    if (!*text)
        return -1;
    unsigned long long result = 0;
    for (; *text; text++) {
        unsigned digit;
        if (*text >= '0' && *text <= '9')
            digit = (unsigned)(*text - '0');
        else if (base == 16 && *text >= 'a' && *text <= 'f')
            digit = (unsigned)(*text - 'a' + 10);
        else if (base == 16 && *text >= 'A' && *text <= 'F')
            digit = (unsigned)(*text - 'A' + 10);
        else
            return -1;
        if (result > (~0ull - digit) / base)
            return -1; /* overflow */
        result = result * base + digit;
    }
    *value = result;
    return 0;
}

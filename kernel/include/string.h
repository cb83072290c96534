/*
 * string.h - the freestanding kernel's string and memory helpers (the C
 * library's names and contracts, so GCC's own calls to memcpy/memset work).
 * Implemented in kernel/lib/string.c.
 */
#ifndef TORO_STRING_H
#define TORO_STRING_H

#include <stddef.h>

void *memset(void *destination, int value, size_t length);
void *memcpy(void *restrict destination, const void *restrict source, size_t length);
void *memmove(void *destination, const void *source, size_t length);
int memcmp(const void *left, const void *right, size_t length);
size_t strlen(const char *string);
size_t strnlen(const char *string, size_t limit);
int strcmp(const char *left, const char *right);
int strncmp(const char *left, const char *right, size_t limit);
char *strchr(const char *string, int character);

/*
 * Copy `source` into `destination` of `size` bytes, truncating, always
 * NUL-terminated when size > 0 (BSD strlcpy). Returns strlen(source).
 */
size_t strlcpy(char *destination, const char *source, size_t size);

/* Parse an unsigned decimal number (or hex after "0x"). Returns 0 on success, -1 if `text` is not one. */
int parse_unsigned(const char *text, unsigned long long *value);

#endif

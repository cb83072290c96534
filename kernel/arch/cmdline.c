/*
 * cmdline.c - the kernel command line (QEMU -append, GRUB's multiboot2 line):
 * copied out of the loader's memory at boot (boot_info.c finds it), split into
 * `key=value` and bare `key` arguments. Multiboot loaders put the image path
 * first ("/path/boot.elf idle=halt test"); a first word with a '/' is dropped.
 * Pairs with arch.h.
 */
#include "arch.h"
#include "console.h"
#include "string.h"

static char raw[CMDLINE_LENGTH];    /* the arguments as given, without the image path */
static char parsed[CMDLINE_LENGTH]; /* the same with NULs after every key and value */
static const char *keys[CMDLINE_MAX_ARGUMENTS];
static const char *values[CMDLINE_MAX_ARGUMENTS];
static int argument_count;

static int is_space(char character) { return character == ' ' || character == '\t'; }

void cmdline_init(const char *text)
{
    if (!text)
        text = "";

    while (is_space(*text))
        text++;
    const char *first_end = text;
    while (*first_end && !is_space(*first_end))
        first_end++;
    for (const char *cursor = text; cursor < first_end; cursor++) {
        if (*cursor == '/') {
            text = first_end; /* the loader's image path */
            break;
        }
    }
    while (is_space(*text))
        text++;
    if (strlcpy(raw, text, sizeof(raw)) >= sizeof(raw))
        kprintf("cmdline: longer than %d characters, truncated\n", CMDLINE_LENGTH - 1);

    memcpy(parsed, raw, sizeof(parsed));
    char *cursor = parsed;
    while (*cursor) {
        while (is_space(*cursor))
            *cursor++ = '\0';
        if (!*cursor)
            break;
        if (argument_count == CMDLINE_MAX_ARGUMENTS) {
            kprintf("cmdline: more than %d arguments, the rest ignored\n", CMDLINE_MAX_ARGUMENTS);
            break;
        }
        keys[argument_count] = cursor;
        values[argument_count] = ""; /* a bare key */
        int has_value = 0;
        for (; *cursor && !is_space(*cursor); cursor++) {
            if (*cursor == '=' && !has_value) { /* the first '=' splits; later ones belong to the value */
                *cursor = '\0';
                values[argument_count] = cursor + 1;
                has_value = 1;
            }
        }
        argument_count++;
    }
}

const char *cmdline_get(const char *key)
{
    for (int index = argument_count - 1; index >= 0; index--)
        if (strcmp(keys[index], key) == 0)
            return values[index];
    return 0;
}

const char *cmdline_raw(void) { return raw; }

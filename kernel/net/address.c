/*
 * address.c - IPv4 addresses as text: "10.0.2.15" <-> 0x0A00020F (host
 * order). Pure helpers for the configuration (stack.c) and for applications
 * (net.h).
 */
#include "net.h"
#include "console.h"

int net_parse_address(const char *text, uint32_t *address)
{
    uint32_t result = 0;
    for (int part = 0; part < 4; part++) {
        if (*text < '0' || *text > '9')
            return -1;
        uint32_t value = 0;
        int digits = 0;
        while (*text >= '0' && *text <= '9') {
            value = value * 10 + (uint32_t)(*text++ - '0');
            if (++digits > 3 || value > 255)
                return -1;
        }
        result = result << 8 | value;
        if (part < 3 && *text++ != '.')
            return -1;
    }
    if (*text != '\0')
        return -1;
    *address = result;
    return 0;
}

void net_format_address(uint32_t address, char *text)
{
    ksnprintf(text, 16, "%u.%u.%u.%u", address >> 24, (address >> 16) & 0xFF, (address >> 8) & 0xFF,
              address & 0xFF);
}

/*
 * checksum.c - the Internet checksum (RFC 1071). Words are summed in 64
 * bits and the carries folded back into 32 bits before returning, so pieces
 * chain through a 32-bit running sum without losing a carry (ones' complement
 * addition is end-around carry, so where the fold happens does not matter).
 * Pairs with checksum.h.
 */
#include "checksum.h"

uint32_t checksum_add(uint32_t sum, const void *data, uint32_t length)
{
    const uint8_t *bytes = data;
    uint64_t total = sum;
    while (length >= 2) {
        total += (uint32_t)bytes[0] << 8 | bytes[1];
        bytes += 2;
        length -= 2;
    }
    if (length)
        total += (uint32_t)bytes[0] << 8;
    while (total >> 32)
        total = (total & 0xFFFFFFFFu) + (total >> 32);
    return (uint32_t)total;
}

uint32_t checksum_add_pseudo_header(uint32_t sum, uint32_t source, uint32_t destination, uint8_t protocol,
                                    uint32_t length)
{
    uint64_t total = sum;
    total += (source >> 16) + (source & 0xFFFF);
    total += (destination >> 16) + (destination & 0xFFFF);
    total += protocol;
    total += length;
    while (total >> 32)
        total = (total & 0xFFFFFFFFu) + (total >> 32);
    return (uint32_t)total;
}

uint16_t checksum_finish(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return (uint16_t)~sum;
}

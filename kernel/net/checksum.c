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
    /* Eight bytes a step, read in the CPU's (little-endian) order: the ones' complement sum of the
     * swapped words is the swapped sum (RFC 1071 2(B)), so the sum is folded to 16 bits and swapped
     * once at the end. Two 32-bit halves per step: 2^32 steps before the 64 bits could overflow. */
    uint64_t swapped = 0;
    while (length >= 8) {
        uint64_t word;
        __builtin_memcpy(&word, bytes,
                         8); /* an unaligned load, inlined (-ffreestanding has no memcpy builtin) */
        swapped += (word & 0xFFFFFFFFu) + (word >> 32);
        bytes += 8;
        length -= 8;
    }
    while (length >= 2) {
        swapped += (uint32_t)bytes[0] | (uint32_t)bytes[1] << 8;
        bytes += 2;
        length -= 2;
    }
    while (swapped >> 16)
        swapped = (swapped & 0xFFFF) + (swapped >> 16);
    uint64_t total = (uint64_t)sum + ((swapped & 0xFF) << 8 | swapped >> 8);
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

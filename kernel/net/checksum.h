/*
 * checksum.h - the Internet checksum (RFC 1071): the ones' complement of the
 * ones' complement sum of 16-bit big-endian words. Used by IPv4 (header),
 * ICMP and TCP (with the pseudo header). Implemented in checksum.c.
 */
#ifndef TORO_NET_CHECKSUM_H
#define TORO_NET_CHECKSUM_H

#include <stdint.h>

/*
 * Add `length` bytes to a running sum. Sums of several pieces chain through
 * `sum`; every piece but the last must have an even length (an odd last byte
 * is padded with zero, as RFC 1071 says).
 */
uint32_t checksum_add(uint32_t sum, const void *data, uint32_t length);

/* The TCP/UDP pseudo header (addresses in host order). */
uint32_t checksum_add_pseudo_header(uint32_t sum, uint32_t source, uint32_t destination, uint8_t protocol,
                                    uint32_t length);

/* Fold the carries and complement: the value to store in the header (host order, store with htons).
 * Over data that already holds its correct checksum the result is 0. */
uint16_t checksum_finish(uint32_t sum);

#endif

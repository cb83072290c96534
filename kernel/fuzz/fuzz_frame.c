/*
 * fuzz_frame.c - libFuzzer target: one received Ethernet frame into the
 * stack (Ethernet, ARP, IPv4, ICMP, TCP input against two listening ports).
 * The first input byte chooses fix-ups so that mutated frames still reach the
 * deep layers: bit 0 recomputes the IPv4 and TCP/ICMP checksums, bit 1 sets
 * the destination MAC and IPv4 address to ours. The rest is the frame.
 * A frame from a capture is "\x00" + the frame. Built by Makefile; shares
 * harness.c with fuzz_connection.c.
 */
#include <stdlib.h>
#include <string.h>
#include "harness.h"

#define FIX_CHECKSUMS 0x01
#define FIX_ADDRESSES 0x02

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t frame[2048];
    fuzz_stack_init();
    if (size < 1 || size - 1 > sizeof frame)
        return 0;
    uint8_t fixes = data[0];
    uint32_t length = (uint32_t)(size - 1);
    memcpy(frame, data + 1, length); /* the stack must not write into received frames: checked below */
    if ((fixes & FIX_ADDRESSES) && length >= 14 + 20) {
        memcpy(frame, fuzz_local_mac, 6);
        frame[14 + 16] = (uint8_t)(FUZZ_LOCAL_ADDRESS >> 24);
        frame[14 + 17] = (uint8_t)(FUZZ_LOCAL_ADDRESS >> 16);
        frame[14 + 18] = (uint8_t)(FUZZ_LOCAL_ADDRESS >> 8);
        frame[14 + 19] = (uint8_t)FUZZ_LOCAL_ADDRESS;
    }
    if (fixes & FIX_CHECKSUMS)
        fuzz_fix_checksums(frame, length);
    /* An exact-size heap copy, so AddressSanitizer catches a read one byte past the frame. */
    uint8_t *exact = malloc(length ? length : 1);
    memcpy(exact, frame, length);
    fuzz_inject(exact, length);
    if (memcmp(exact, frame, length) != 0)
        abort(); /* a received frame is const: the driver reuses its buffer */
    free(exact);
    fuzz_network_pass();
    fuzz_teardown(0, 0);
    return 0;
}

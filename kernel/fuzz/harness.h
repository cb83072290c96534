/*
 * harness.h - what the fuzz targets share (harness.c): the stack attached to
 * a fake device, the network thread's work done on demand, frames from the
 * peer 10.0.2.2 built with correct checksums, and a teardown after every
 * input that closes everything and checks nothing was left open. The fake
 * clock and the kernel services are in host.c.
 */
#ifndef TORO_FUZZ_HARNESS_H
#define TORO_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#define FUZZ_PEER_ADDRESS  0x0A000202u /* 10.0.2.2 (the gateway: on-link, QEMU user networking's host) */
#define FUZZ_LOCAL_ADDRESS 0x0A00020Fu /* 10.0.2.15: the stack's default address */
#define FUZZ_PORT_PLAIN    80          /* listener handing connections over at once */
#define FUZZ_PORT_DEFERRED 81          /* listener deferring accept until data (1 s) */
#define FUZZ_FRAME_MAX     1514

struct tcp_connection;
struct tcp_listener;
struct net_poller;

extern const uint8_t fuzz_peer_mac[6];
extern const uint8_t fuzz_local_mac[6];
extern struct net_poller *fuzz_poller;

/* Attach the stack to the fake device and listen on the two ports (once; later calls do nothing). */
void fuzz_stack_init(void);

/* The listener on FUZZ_PORT_PLAIN (0, watched by fuzz_poller) or FUZZ_PORT_DEFERRED (1). */
struct tcp_listener *fuzz_listener(int which);

/* Hand one received frame to the stack, as the network thread does (net_dispatch_frame: the lock of
 * the frame's owner core, or net.lock for what is not TCP). */
void fuzz_inject(const uint8_t *frame, uint32_t length);

/* The network thread's timer work: run the TCP timers if the earliest is due, and answer the
 * stack's ARP requests for the peer. Called after every step and whenever the clock moves. */
void fuzz_network_pass(void);

/* Move the fake clock (host.c) forward to `tsc` (never back). */
void fuzz_clock_advance_to(uint64_t tsc);

/* Close every connection (aborting those the application holds), run the timers, and abort()
 * if any connection, pending accept or armed timer is left: the stack must forget everything. */
void fuzz_teardown(struct tcp_connection **held, int count);

/* Fix the IPv4 header checksum (and the TCP or ICMP checksum) of `frame` in place, if it is long
 * enough to hold the headers its lengths claim; frames too short are left as they are. */
void fuzz_fix_checksums(uint8_t *frame, uint32_t length);

/* A TCP segment from the peer to us: header, `options` (a multiple of 4 bytes), `data`.
 * Returns the frame length (at most FUZZ_FRAME_MAX: data is cut to fit). */
uint32_t fuzz_build_tcp(uint8_t *frame, uint16_t peer_port, uint16_t local_port, uint32_t sequence,
                        uint32_t acknowledgment, uint8_t flags, uint16_t window, const uint8_t *options,
                        uint32_t options_length, const uint8_t *data, uint32_t data_length);

/* The last segment the stack sent to `peer_port`: 1 with its sequence number after it
 * (SEG.SEQ + SEG.LEN) in *next_sequence, 0 if it sent none since fuzz_forget_sent. */
int fuzz_stack_next_sequence(uint16_t peer_port, uint32_t *next_sequence);
void fuzz_forget_sent(void);

#endif

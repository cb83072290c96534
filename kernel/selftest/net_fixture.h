/*
 * net_fixture.h - a fake network device for the self-tests: the stack runs
 * for real (network thread, timers, TCP), but frames come from the test
 * (fixture_inject) and what the stack sends is queued for the test to check
 * (fixture_next_sent). Plus builders for the frames a peer at 10.0.2.2 would
 * send, and a parser for what the stack sent. Implemented in net_fixture.c.
 */
#ifndef SELFTEST_NET_FIXTURE_H
#define SELFTEST_NET_FIXTURE_H

#include <stdint.h>
#include "../net/ipv4.h"
#include "../net/tcp.h"

#define FIXTURE_PEER_ADDRESS  0x0A000202u /* 10.0.2.2: the gateway, on-link */
#define FIXTURE_LOCAL_ADDRESS 0x0A00020Fu /* 10.0.2.15: the stack's default */
#define FIXTURE_FRAME_MAX     1600

extern const uint8_t fixture_peer_mac[6];
extern const uint8_t fixture_local_mac[6];

/* Attach the fake device with the network thread on `core`. Once per boot. 0, or a net_error. */
int fixture_start(int core);

/* Hand `frame` to the stack as if the device had received it (wakes the network thread). */
void fixture_inject(const uint8_t *frame, uint32_t length);

/* The oldest frame the stack sent, waiting (sleeping) up to `timeout_ms`: 1 and copied, or 0. */
int fixture_next_sent(uint8_t *frame, uint32_t *length, uint64_t timeout_ms);

/* Forget frames sent so far. */
void fixture_discard_sent(void);

/* ---- building what the peer sends (returns the frame length) ------------------------ */
/* The window field of the peer's segments (default 32768), and the shift its SYNs offer in a
 * window-scale option (default -1: no option). */
extern uint16_t fixture_window;
extern int fixture_syn_window_scale;
uint32_t fixture_tcp(uint8_t *frame, uint16_t peer_port, uint16_t local_port, uint32_t sequence,
                     uint32_t acknowledgment, uint8_t flags, const void *data, uint32_t length);
uint32_t fixture_arp(uint8_t *frame, uint16_t operation, uint32_t target_address);
uint32_t fixture_echo_request(uint8_t *frame, uint16_t identifier, uint16_t sequence, const void *data,
                              uint32_t length);

/* ---- reading what the stack sent ---------------------------------------------------- */
enum fixture_kind { FIXTURE_OTHER, FIXTURE_ARP, FIXTURE_TCP, FIXTURE_ICMP };

struct fixture_sent {
    enum fixture_kind kind;
    int checksums_ok;       /* IPv4 header and TCP/ICMP checksums verify */
    uint16_t arp_operation; /* ARP */
    uint32_t arp_target;
    uint8_t destination_mac[6];
    struct ipv4_datagram datagram; /* TCP, ICMP (points into the frame) */
    struct tcp_segment segment;    /* TCP */
};

/* Classify and parse a frame the stack sent. */
void fixture_parse(const uint8_t *frame, uint32_t length, struct fixture_sent *out);

/* Wait for the next sent TCP segment from `local_port` to `peer_port`, skipping other frames:
 * 1 with `out` filled (pointing into `frame`), or 0 after `timeout_ms`. */
int fixture_next_segment(uint8_t *frame, struct fixture_sent *out, uint16_t local_port, uint16_t peer_port,
                         uint64_t timeout_ms);

#endif

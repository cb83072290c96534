/*
 * test_net_stack.c - the whole stack (network thread, ARP, ICMP, TCP state
 * machine, timers, the socket API) against a fake device (net_fixture.c):
 * the test plays the peer at 10.0.2.2, frame by frame. Covers ARP resolution
 * with a waiting packet, ARP replies, echo replies, the handshake, an
 * out-of-order segment (duplicate ACK, data held back), in-order data to a
 * blocked reader on another core, a retransmission after an unanswered
 * segment, FIN in both directions, TIME_WAIT ending without waking the
 * network thread, RST to a closed port, and a reset reaching a blocked reader.
 */
#include "selftest.h"
#include "net.h"
#include "net_fixture.h"
#include "cpu.h"
#include "string.h"
#include "../net/stack.h"

#define WAIT_MS  5000 /* generous: a busy host may deschedule vCPUs; waits end as soon as the frame is there */
#define APP_PORT 8080

static int fixture_started;

static int ensure_fixture(struct test_result *result)
{
    if (!fixture_started) {
        int error = fixture_start(other_core());
        if (error) {
            test_fail(result, "net_attach failed: %d", error);
            return -1;
        }
        fixture_started = 1;
    }
    fixture_discard_sent();
    return 0;
}

static struct net_statistics statistics(void)
{
    struct net_statistics out;
    net_statistics_read(&out);
    return out;
}

void test_net_arp_icmp(struct test_result *result)
{
    if (ensure_fixture(result))
        return;
    static uint8_t frame[FIXTURE_FRAME_MAX];
    struct fixture_sent sent;
    uint32_t length;

    /* An echo request from an unknown neighbour: the reply waits for ARP. */
    fixture_inject(frame, fixture_echo_request(frame, 0x1234, 7, "abcdefgh", 8));
    EXPECT(result, fixture_next_sent(frame, &length, WAIT_MS), "nothing sent after an echo request");
    fixture_parse(frame, length, &sent);
    EXPECT(result,
           sent.kind == FIXTURE_ARP && sent.arp_operation == 1 && sent.arp_target == FIXTURE_PEER_ADDRESS,
           "expected an ARP request for 10.0.2.2, got kind %d op %u", sent.kind, sent.arp_operation);
    EXPECT(result, memcmp(sent.destination_mac, "\xff\xff\xff\xff\xff\xff", 6) == 0,
           "ARP request not broadcast");
    fixture_inject(frame, fixture_arp(frame, 2, FIXTURE_LOCAL_ADDRESS));
    EXPECT(result, fixture_next_sent(frame, &length, WAIT_MS), "the waiting echo reply was not sent");
    fixture_parse(frame, length, &sent);
    EXPECT(result, sent.kind == FIXTURE_ICMP && sent.checksums_ok, "expected a valid ICMP reply, kind %d",
           sent.kind);
    const uint8_t *icmp = sent.datagram.payload;
    EXPECT(result, icmp[0] == 0 && icmp[4] == 0x12 && icmp[5] == 0x34 && icmp[7] == 7, "not the echo reply");
    EXPECT(result, sent.datagram.length == 16 && memcmp(icmp + 8, "abcdefgh", 8) == 0, "payload not echoed");
    EXPECT(result, memcmp(sent.destination_mac, fixture_peer_mac, 6) == 0,
           "reply not sent to the resolved MAC");

    /* The peer asks for our address. */
    fixture_inject(frame, fixture_arp(frame, 1, FIXTURE_LOCAL_ADDRESS));
    EXPECT(result, fixture_next_sent(frame, &length, WAIT_MS), "no ARP reply");
    fixture_parse(frame, length, &sent);
    EXPECT(result,
           sent.kind == FIXTURE_ARP && sent.arp_operation == 2 && sent.arp_target == FIXTURE_PEER_ADDRESS,
           "expected an ARP reply to 10.0.2.2");
    /* A request for someone else gets no answer. */
    fixture_inject(frame, fixture_arp(frame, 1, 0x0A000263));
    EXPECT(result, !fixture_next_sent(frame, &length, 50), "answered an ARP request for another address");
    test_note(result, "ARP resolve + waiting packet, ARP reply, echo reply");
}

/* The application side, on another core: accept, read, answer, close. */
struct app_run {
    struct tcp_listener *listener;
    volatile long read_result;
    char received[16];
    volatile long write_result;
    volatile long second_read; /* for the reset case: must be NET_ERROR_RESET */
    volatile int accepted;
    int reset_case;
    int cork;                    /* tcp_cork before the answer: it leaves with the FIN */
    int hold_write;              /* wait for go_write before answering (the handoff case) */
    volatile int ready_to_write; /* read done, waiting for go_write */
    volatile int go_write;
};

static void application(void *argument)
{
    struct app_run *run = argument;
    struct tcp_connection *connection = tcp_accept(run->listener, 5000);
    if (!connection) {
        run->read_result = -100;
        return;
    }
    run->accepted = 1;
    if (run->reset_case) {
        run->second_read = tcp_read(connection, run->received, sizeof run->received, 5000);
        tcp_close(connection);
        return;
    }
    run->read_result = tcp_read(connection, run->received, sizeof run->received, 5000);
    if (run->hold_write) {
        run->ready_to_write = 1;
        for (uint64_t start = time_now_us(); !run->go_write && time_now_us() - start < WAIT_MS * 1000ull;)
            __builtin_ia32_pause();
    }
    if (run->cork)
        tcp_cork(connection, 1);
    run->write_result = tcp_write(connection, "pong", 4, 5000);
    tcp_close(connection);
}

/* The handshake from the peer's side; returns our ISS, or 0 after failing the test. */
static uint32_t handshake(struct test_result *result, uint8_t *frame, uint16_t port, uint16_t peer_port,
                          uint32_t peer_iss)
{
    struct fixture_sent sent;
    fixture_inject(frame, fixture_tcp(frame, peer_port, port, peer_iss, 0, TCP_SYN, 0, 0));
    if (!fixture_next_segment(frame, &sent, port, peer_port, WAIT_MS)) {
        test_fail(result, "no SYN-ACK");
        return 0;
    }
    if (sent.segment.flags != (TCP_SYN | TCP_ACK) || sent.segment.acknowledgment != peer_iss + 1 ||
        sent.segment.mss != TCP_MSS || !sent.checksums_ok) {
        test_fail(result, "bad SYN-ACK: flags %#x ack %u (want %u) mss %u checksum %d", sent.segment.flags,
                  sent.segment.acknowledgment, peer_iss + 1, sent.segment.mss, sent.checksums_ok);
        return 0;
    }
    uint32_t iss = sent.segment.sequence;
    fixture_inject(frame, fixture_tcp(frame, peer_port, port, peer_iss + 1, iss + 1, TCP_ACK, 0, 0));
    return iss;
}

void test_net_tcp_exchange(struct test_result *result)
{
    if (ensure_fixture(result))
        return;
    static uint8_t frame[FIXTURE_FRAME_MAX];
    static struct app_run run;
    struct fixture_sent sent;
    int error;
    const uint16_t peer = 40001;
    const uint32_t peer_iss = 0xFFFFFFF0u; /* the sequence numbers wrap during the exchange */
    run = (struct app_run){ 0 };
    run.listener = tcp_listen(APP_PORT, 4, 0, &error);
    EXPECT(result, run.listener, "tcp_listen: %d", error);
    int app_core = core_count() > 2 ? 1 : 0;
    int app = thread_create(app_core, "net-app", application, &run);
    EXPECT(result, app > 0, "thread_create failed");

    uint32_t iss = handshake(result, frame, APP_PORT, peer, peer_iss);
    if (!iss)
        return;
    /* Out of order: held back, answered with a duplicate ACK for what we still expect. */
    fixture_inject(frame,
                   fixture_tcp(frame, peer, APP_PORT, peer_iss + 1 + 2, iss + 1, TCP_ACK | TCP_PSH, "ng", 2));
    EXPECT(result, fixture_next_segment(frame, &sent, APP_PORT, peer, WAIT_MS), "no duplicate ACK");
    EXPECT(result, sent.segment.acknowledgment == peer_iss + 1 && sent.segment.data_length == 0,
           "out-of-order segment acknowledged up to %u", sent.segment.acknowledgment);
    EXPECT(result, run.read_result == 0, "the reader got out-of-order data");
    /* In order: delivered to the reader on the other core. */
    fixture_inject(frame,
                   fixture_tcp(frame, peer, APP_PORT, peer_iss + 1, iss + 1, TCP_ACK | TCP_PSH, "ping", 4));
    uint32_t pong_sequence = 0;
    int pong_copies = 0, fin_seen = 0;
    uint64_t first_pong_us = 0, second_pong_us = 0;
    /* Collect our ACK, "pong", the FIN, and (since we do not acknowledge) a retransmission. */
    while (pong_copies < 2 && fixture_next_segment(frame, &sent, APP_PORT, peer, WAIT_MS)) {
        EXPECT(result, sent.checksums_ok, "a segment with a bad checksum");
        if (sent.segment.data_length == 4 && memcmp(sent.segment.data, "pong", 4) == 0) {
            EXPECT(result, sent.segment.acknowledgment == peer_iss + 1 + 4,
                   "the answer acknowledges %u, not \"ping\"", sent.segment.acknowledgment);
            pong_sequence = sent.segment.sequence;
            if (++pong_copies == 1)
                first_pong_us = time_now_us();
            else
                second_pong_us = time_now_us();
        }
        if (sent.segment.flags & TCP_FIN)
            fin_seen = 1;
    }
    EXPECT(result, run.read_result == 4 && memcmp(run.received, "ping", 4) == 0, "reader got %ld bytes",
           run.read_result);
    EXPECT(result, pong_copies == 2, "saw %d copies of the answer (expected it and one retransmission)",
           pong_copies);
    EXPECT(result, pong_sequence == iss + 1 && fin_seen, "answer at %u (want %u), FIN seen %d", pong_sequence,
           iss + 1, fin_seen);
    uint64_t retransmit_ms = (second_pong_us - first_pong_us) / 1000;
    EXPECT(result, retransmit_ms >= TCP_MIN_RTO_MS / 2 && retransmit_ms <= WAIT_MS,
           "retransmitted after %llu ms", (unsigned long long)retransmit_ms);
    EXPECT(result, statistics().tcp_retransmissions >= 1, "retransmission not counted");

    /* Acknowledge "pong" and the FIN, then send ours: we must ACK it and sit in TIME_WAIT. */
    uint32_t peer_next = peer_iss + 1 + 4;
    fixture_inject(frame, fixture_tcp(frame, peer, APP_PORT, peer_next, iss + 1 + 4 + 1, TCP_ACK, 0, 0));
    fixture_discard_sent();
    fixture_inject(frame,
                   fixture_tcp(frame, peer, APP_PORT, peer_next, iss + 1 + 4 + 1, TCP_ACK | TCP_FIN, 0, 0));
    EXPECT(result, fixture_next_segment(frame, &sent, APP_PORT, peer, WAIT_MS),
           "our FIN was not acknowledged");
    EXPECT(result, sent.segment.acknowledgment == peer_next + 1 && !(sent.segment.flags & TCP_FIN),
           "final ACK %u (want %u), flags %#x", sent.segment.acknowledgment, peer_next + 1,
           sent.segment.flags);
    thread_join(app);
    EXPECT(result, run.write_result == 4, "tcp_write returned %ld", run.write_result);
    struct net_statistics now = statistics();
    EXPECT(result, now.tcp_connections_time_wait == 1 && now.tcp_connections_open == 1,
           "after both FINs: %u open, %u in TIME_WAIT", now.tcp_connections_open,
           now.tcp_connections_time_wait);

    /* Every deadline is gone: the retransmission of "pong" stopped by its ACK, the delayed ACK carried
     * by a segment, and TIME_WAIT arms none; so nothing is left to wake the network thread (before
     * tcp_set_deadline, the stopped retransmission still woke it once, 200 ms to 2 s later). */
    struct net_core *owner =
        &net_cores[net_bucket_owner(tcp_table_bucket(FIXTURE_PEER_ADDRESS, peer, APP_PORT))];
    acquire(&owner->lock);
    uint32_t armed = owner->timers_armed;
    uint64_t thread_deadline = owner->timer_deadline;
    release(&owner->lock);
    EXPECT(result, armed == 0 && thread_deadline == 0,
           "after both FINs: %u deadlines armed, network thread's wake-up %s", armed,
           thread_deadline ? "set" : "none");

    /* TIME_WAIT arms no timer: the network thread is not woken while it lasts nor when it ends (with
     * a timer it woke at 1000-1100 ms), and reading the statistics afterwards finds it over. The
     * window starts right after our final ACK (that frame's wake-up is counted before it is sent). */
    uint64_t start = time_now_us();
    uint64_t wakeups_before = statistics().thread_wakeups;
    thread_sleep_ms(1300); /* past the default timewait_ms of 1000 */
    now = statistics();
    uint64_t lingered_ms = (time_now_us() - start) / 1000;
    EXPECT(result, now.thread_wakeups == wakeups_before,
           "the network thread woke %llu times during and after TIME_WAIT",
           (unsigned long long)(now.thread_wakeups - wakeups_before));
    EXPECT(result, now.tcp_connections_open == 0 && now.tcp_connections_time_wait == 0,
           "after %llu ms: %u open, %u in TIME_WAIT", (unsigned long long)lingered_ms,
           now.tcp_connections_open, now.tcp_connections_time_wait);
    test_note(result, "handshake, out-of-order, retransmission after %llu ms, FINs, TIME_WAIT %llu ms",
              (unsigned long long)retransmit_ms, (unsigned long long)lingered_ms);
}

void test_net_tcp_reset(struct test_result *result)
{
    if (ensure_fixture(result))
        return;
    static uint8_t frame[FIXTURE_FRAME_MAX];
    static struct app_run run;
    struct fixture_sent sent;
    const uint16_t peer = 40002;
    const uint32_t peer_iss = 1000;

    /* A SYN to a port nobody listens on is refused with RST+ACK. */
    fixture_inject(frame, fixture_tcp(frame, peer, 9, 5000, 0, TCP_SYN, 0, 0));
    EXPECT(result, fixture_next_segment(frame, &sent, 9, peer, WAIT_MS), "no answer from a closed port");
    EXPECT(result,
           (sent.segment.flags & (TCP_RST | TCP_ACK)) == (TCP_RST | TCP_ACK) &&
               sent.segment.acknowledgment == 5001,
           "closed port answered flags %#x ack %u", sent.segment.flags, sent.segment.acknowledgment);

    /* A reset reaches a reader blocked on another core. */
    run = (struct app_run){ 0 };
    run.reset_case = 1;
    run.listener = tcp_listen(APP_PORT + 1, 4, 0, 0);
    EXPECT(result, run.listener, "tcp_listen failed");
    int app = thread_create(core_count() > 2 ? 1 : 0, "net-reset-app", application, &run);
    EXPECT(result, app > 0, "thread_create failed");
    fixture_inject(frame, fixture_tcp(frame, peer, APP_PORT + 1, peer_iss, 0, TCP_SYN, 0, 0));
    EXPECT(result, fixture_next_segment(frame, &sent, APP_PORT + 1, peer, WAIT_MS), "no SYN-ACK");
    uint32_t iss = sent.segment.sequence;
    fixture_inject(frame, fixture_tcp(frame, peer, APP_PORT + 1, peer_iss + 1, iss + 1, TCP_ACK, 0, 0));
    uint64_t resets_before = statistics().tcp_resets_received;
    uint64_t start = time_now_us();
    while (!run.accepted && time_now_us() - start < WAIT_MS * 1000ull)
        thread_sleep_ms(1); /* the reset must hit an accepted connection (a read blocked or about to block) */
    EXPECT(result, run.accepted, "the application never accepted the connection");
    thread_sleep_ms(5);
    /* An out-of-window RST is ignored; an in-window one resets. */
    fixture_inject(frame, fixture_tcp(frame, peer, APP_PORT + 1, peer_iss + 100000, 0, TCP_RST, 0, 0));
    thread_sleep_ms(20);
    EXPECT(result, statistics().tcp_resets_received == resets_before, "an out-of-window RST was taken");
    fixture_inject(frame, fixture_tcp(frame, peer, APP_PORT + 1, peer_iss + 1, 0, TCP_RST, 0, 0));
    thread_join(app);
    EXPECT(result, run.second_read == NET_ERROR_RESET, "blocked read returned %ld, expected %d",
           run.second_read, NET_ERROR_RESET);
    EXPECT(result, statistics().tcp_connections_open == 0, "the reset connection is still open");
    test_note(result, "RST from a closed port, reset wakes a blocked reader");
}

/* The reordering case's application: read 12 bytes (however they arrive), answer with 2000, then
 * wait for the peer's reset. */
struct reorder_run {
    struct tcp_listener *listener;
    char received[16];
    volatile long received_length;
    volatile long write_result;
};

static void reorder_application(void *argument)
{
    struct reorder_run *run = argument;
    struct tcp_connection *connection = tcp_accept(run->listener, 5000);
    if (!connection) {
        run->received_length = -100;
        return;
    }
    long total = 0;
    while (total < 12) {
        long got = tcp_read(connection, run->received + total, 12 - (size_t)total, 5000);
        if (got <= 0)
            break;
        total += got;
    }
    run->received_length = total;
    static char answer[2000];
    memset(answer, 'x', sizeof answer);
    run->write_result = tcp_write(connection, answer, sizeof answer, 5000);
    char rest[4];
    tcp_read(connection, rest, sizeof rest, 5000); /* ends with the peer's reset */
    tcp_close(connection);
}

void test_net_tcp_reordering(struct test_result *result)
{
    if (ensure_fixture(result))
        return;
    static uint8_t frame[FIXTURE_FRAME_MAX];
    static struct reorder_run run;
    struct fixture_sent sent;
    const uint16_t peer = 40003, port = APP_PORT + 2;
    const uint32_t peer_iss = 0xFFFFFFFAu; /* wraps inside the out-of-order data */
    run = (struct reorder_run){ 0 };
    run.listener = tcp_listen(port, 4, 0, 0);
    EXPECT(result, run.listener, "tcp_listen failed");
    int app = thread_create(core_count() > 2 ? 1 : 0, "net-reorder-app", reorder_application, &run);
    EXPECT(result, app > 0, "thread_create failed");
    fixture_inject(frame, fixture_tcp(frame, peer, port, peer_iss, 0, TCP_SYN, 0, 0));
    EXPECT(result, fixture_next_segment(frame, &sent, port, peer, WAIT_MS), "no SYN-ACK");
    uint32_t iss = sent.segment.sequence;
    fixture_inject(frame, fixture_tcp(frame, peer, port, peer_iss + 1, iss + 1, TCP_ACK, 0, 0));
    struct net_statistics before = statistics();

    /* Two segments beyond a hole, out of order themselves: each answered at once with a duplicate ACK,
     * and kept; the application sees nothing yet. */
    uint32_t first = peer_iss + 1;
    fixture_inject(frame, fixture_tcp(frame, peer, port, first + 8, iss + 1, TCP_ACK, "ijkl", 4));
    EXPECT(result, fixture_next_segment(frame, &sent, port, peer, WAIT_MS), "no duplicate ACK");
    EXPECT(result, sent.segment.acknowledgment == first, "beyond a hole: ACK %u, want %u",
           sent.segment.acknowledgment, first);
    fixture_inject(frame, fixture_tcp(frame, peer, port, first + 4, iss + 1, TCP_ACK, "efgh", 4));
    EXPECT(result, fixture_next_segment(frame, &sent, port, peer, WAIT_MS), "no second duplicate ACK");
    EXPECT(result, sent.segment.acknowledgment == first, "second: ACK %u, want %u",
           sent.segment.acknowledgment, first);
    EXPECT(result, run.received_length == 0, "the application got data past a hole");
    /* The hole fills: one ACK covers all twelve bytes, and the reader gets them in order. */
    fixture_inject(frame, fixture_tcp(frame, peer, port, first, iss + 1, TCP_ACK, "abcd", 4));
    EXPECT(result, fixture_next_segment(frame, &sent, port, peer, WAIT_MS), "no ACK after the hole filled");
    EXPECT(result, sent.segment.acknowledgment == first + 12, "after the hole: ACK %u, want %u",
           sent.segment.acknowledgment, first + 12);

    /* The answer: 2000 bytes in two segments (the peer's MSS is 1000). Three duplicate ACKs for the
     * first one retransmit it at once, long before the 1 s initial RTO. */
    uint32_t data_segments = 0;
    while (data_segments < 2 && fixture_next_segment(frame, &sent, port, peer, WAIT_MS))
        if (sent.segment.data_length)
            data_segments++;
    EXPECT(result, data_segments == 2, "saw %u of the answer's 2 segments", data_segments);
    EXPECT(result, run.received_length == 12 && memcmp(run.received, "abcdefghijkl", 12) == 0,
           "the reader got %ld bytes", run.received_length);
    uint64_t duplicates_sent_us = time_now_us();
    for (int duplicate = 0; duplicate < 3; duplicate++)
        fixture_inject(frame, fixture_tcp(frame, peer, port, first + 12, iss + 1, TCP_ACK, 0, 0));
    int retransmitted = 0;
    while (!retransmitted && fixture_next_segment(frame, &sent, port, peer, WAIT_MS))
        retransmitted = sent.segment.data_length && sent.segment.sequence == iss + 1;
    uint64_t after_ms = (time_now_us() - duplicates_sent_us) / 1000;
    EXPECT(result, retransmitted, "no retransmission after three duplicate ACKs");
    struct net_statistics now = statistics();
    EXPECT(result, now.tcp_fast_retransmissions == before.tcp_fast_retransmissions + 1,
           "%llu fast retransmissions counted",
           (unsigned long long)(now.tcp_fast_retransmissions - before.tcp_fast_retransmissions));
    EXPECT(result, now.tcp_out_of_order_queued >= before.tcp_out_of_order_queued + 2,
           "%llu out-of-order segments counted",
           (unsigned long long)(now.tcp_out_of_order_queued - before.tcp_out_of_order_queued));
    EXPECT(result, run.write_result == 2000, "tcp_write returned %ld", run.write_result);

    fixture_inject(frame, fixture_tcp(frame, peer, port, first + 12, 0, TCP_RST, 0, 0));
    thread_join(app);
    test_note(result,
              "2 segments queued past a hole and delivered; fast retransmit %llu ms after the third "
              "duplicate ACK",
              (unsigned long long)after_ms);
}

/* The window-scaling case's application: write 1800 bytes at once, then wait for the peer's reset. */
static volatile long scaled_write_result;
static struct tcp_listener *scaled_listener;

static void scaled_application(void *unused)
{
    (void)unused;
    struct tcp_connection *connection = tcp_accept(scaled_listener, 5000);
    if (!connection) {
        scaled_write_result = -100;
        return;
    }
    static char answer[1800];
    memset(answer, 'y', sizeof answer);
    scaled_write_result = tcp_write(connection, answer, sizeof answer, 5000);
    char rest[4];
    tcp_read(connection, rest, sizeof rest, 5000); /* ends with the peer's reset */
    tcp_close(connection);
}

void test_net_tcp_window_scaling(struct test_result *result)
{
    if (ensure_fixture(result))
        return;
    static uint8_t frame[FIXTURE_FRAME_MAX];
    struct fixture_sent sent;
    const uint16_t peer = 40004, port = APP_PORT + 3;
    const uint32_t peer_iss = 7000;
    scaled_write_result = 0;
    scaled_listener = tcp_listen(port, 4, 0, 0);
    EXPECT(result, scaled_listener, "tcp_listen failed");
    int app = thread_create(core_count() > 2 ? 1 : 0, "net-scale-app", scaled_application, 0);
    EXPECT(result, app > 0, "thread_create failed");

    /* The SYN offers a shift of 2: the SYN-ACK must carry the option (our shift, 0). */
    fixture_syn_window_scale = 2;
    fixture_inject(frame, fixture_tcp(frame, peer, port, peer_iss, 0, TCP_SYN, 0, 0));
    fixture_syn_window_scale = -1;
    EXPECT(result, fixture_next_segment(frame, &sent, port, peer, WAIT_MS), "no SYN-ACK");
    EXPECT(result, sent.segment.window_scale == 0, "SYN-ACK window-scale option %d (want 0)",
           sent.segment.window_scale);
    uint32_t iss = sent.segment.sequence;
    /* A window field of 500 means 2000 bytes: the whole answer goes out without waiting for an ACK. */
    fixture_window = 500;
    fixture_inject(frame, fixture_tcp(frame, peer, port, peer_iss + 1, iss + 1, TCP_ACK, 0, 0));
    fixture_window = 32768;
    uint32_t sent_bytes = 0; /* new bytes only: a retransmission does not count */
    while (sent_bytes < 1800 && fixture_next_segment(frame, &sent, port, peer, 2000))
        if (sent.segment.sequence == iss + 1 + sent_bytes)
            sent_bytes += sent.segment.data_length;
    EXPECT(result, sent_bytes == 1800, "%u of 1800 bytes sent into a scaled window of 2000", sent_bytes);
    fixture_inject(frame, fixture_tcp(frame, peer, port, peer_iss + 1, 0, TCP_RST, 0, 0));
    thread_join(app);
    EXPECT(result, scaled_write_result == 1800, "tcp_write returned %ld", scaled_write_result);
    test_note(result, "shift 2 offered, 0 answered; 1800 bytes into a window field of 500");
}

/* ---- steering: a new connection is reported to the poller on its owner core (poller.c) ---- */
static struct net_poller *network_core_poller;

static void create_network_core_poller(void *unused)
{
    (void)unused;
    network_core_poller = net_poller_create(); /* on the network thread's core */
}

/* A handshake from `peer_port`, then which poller got the report: 'n' (network core), 'o' (other). */
static char reported_to(struct test_result *result, uint8_t *frame, uint16_t port, uint16_t peer_port,
                        struct net_poller *other)
{
    struct fixture_sent sent;
    fixture_inject(frame, fixture_tcp(frame, peer_port, port, 500, 0, TCP_SYN, 0, 0));
    if (!fixture_next_segment(frame, &sent, port, peer_port, WAIT_MS)) {
        test_fail(result, "no SYN-ACK");
        return '?';
    }
    fixture_inject(frame, fixture_tcp(frame, peer_port, port, 501, sent.segment.sequence + 1, TCP_ACK, 0, 0));
    void *context;
    for (uint64_t start = time_now_us(); time_now_us() - start < WAIT_MS * 1000ull; thread_sleep_ms(1)) {
        if (net_poller_wait(network_core_poller, &context, 1, 0) == 1)
            return 'n';
        if (net_poller_wait(other, &context, 1, 0) == 1)
            return 'o';
    }
    return '?';
}

void test_net_steering(struct test_result *result)
{
    if (core_count() < 2) {
        test_skip(result, "needs the network thread's core and another one");
        return;
    }
    if (ensure_fixture(result))
        return;
    static uint8_t frame[FIXTURE_FRAME_MAX];
    const uint16_t port = APP_PORT + 4;
    struct tcp_listener *listener = tcp_listen(port, 8, 0, 0);
    EXPECT(result, listener, "tcp_listen failed");
    int creator = thread_create(other_core(), "net-steer-poller", create_network_core_poller, 0);
    EXPECT(result, creator > 0, "thread_create failed");
    thread_join(creator);
    struct net_poller *other = net_poller_create(); /* this thread's core: not the network core */
    EXPECT(result, network_core_poller && other && cpu_index() != other_core(), "pollers");
    EXPECT(result, net_poller_watch_listener(other, listener, 0) == 0, "watch (other)");
    EXPECT(result, net_poller_watch_listener(network_core_poller, listener, 0) == 0, "watch (network core)");
    /* The first connection's bucket is given to the network core (steer=network's choice for all),
     * the second one's to this core: each is owned, and reported, there (whatever steer= says). */
    const uint16_t peers[2] = { 40010, 40011 };
    EXPECT(result, net_steer_bucket(tcp_table_bucket(FIXTURE_PEER_ADDRESS, peers[0], port), net.core) == 0,
           "the first peer's bucket is not empty");
    EXPECT(result, net_steer_bucket(tcp_table_bucket(FIXTURE_PEER_ADDRESS, peers[1], port), cpu_index()) == 0,
           "the second peer's bucket is not empty");
    char order[3] = { 0 };
    int owners[2] = { -1, -1 };
    struct tcp_connection *accepted[2] = { 0 };
    for (int index = 0; index < 2; index++) {
        order[index] = reported_to(result, frame, port, peers[index], other);
        accepted[index] = tcp_accept(listener, WAIT_MS);
        if (accepted[index]) {
            owners[index] = accepted[index]->owner;
            net_poller_watch(order[index] == 'n' ? network_core_poller : other, accepted[index], 0);
        }
    }
    for (int index = 0; index < 2; index++)
        if (accepted[index])
            tcp_abort(accepted[index]);
    EXPECT(result, order[0] == 'n' && order[1] == 'o',
           "reports went to %s (n: network core, o: other; want no)", order);
    EXPECT(result, owners[0] == net.core && owners[1] == cpu_index(), "owners %d and %d (want %d and %d)",
           owners[0], owners[1], net.core, cpu_index());
    test_note(result,
              "each connection reported to the poller on its owner core (network core, then this one)");
}

/* ---- ownership: a connection owned by another core than the network thread's --------------- */
struct owned_run {
    struct tcp_listener *listener;
    volatile int owner;
    volatile long bytes;
    char data[256];
};

static void owned_application(void *argument)
{
    struct owned_run *run = argument;
    struct tcp_connection *connection = tcp_accept(run->listener, WAIT_MS);
    if (!connection) {
        run->bytes = -100;
        return;
    }
    run->owner = connection->owner;
    long total = 0;
    while (total < 200) {
        long count = tcp_read(connection, run->data + total, sizeof run->data - (size_t)total, WAIT_MS);
        if (count <= 0)
            break;
        total += count;
    }
    run->bytes = total;
    tcp_write(connection, "done", 4, WAIT_MS);
    tcp_close(connection); /* while the peer's ACKs keep arriving on the owner core */
}

/* Every frame of a connection whose bucket belongs to another core goes through that core's inbox
 * and is handled there (handshake, 20 segments back to back, the close while the peer's ACKs keep
 * coming, TIME_WAIT on that core's FIFO), while the application runs on the network core. */
void test_net_ownership(struct test_result *result)
{
    if (core_count() < 2) {
        test_skip(result, "needs the network thread's core and another one");
        return;
    }
    if (ensure_fixture(result))
        return;
    static uint8_t frame[FIXTURE_FRAME_MAX];
    static struct owned_run run;
    struct fixture_sent sent;
    const uint16_t port = APP_PORT + 7, peer = 40007;
    const uint32_t peer_iss = 11000;
    int owner = cpu_index();
    EXPECT(result, owner != net.core, "the test runs on the network core");
    EXPECT(result, net_steer_bucket(tcp_table_bucket(FIXTURE_PEER_ADDRESS, peer, port), owner) == 0,
           "the peer's bucket is not empty");
    struct net_core *core = &net_cores[owner];
    uint64_t handed_before = __atomic_load_n(&core->frames_handed_off, __ATOMIC_RELAXED);
    uint64_t injected = 0;
    run = (struct owned_run){ .owner = -1 };
    run.listener = tcp_listen(port, 4, 0, 0);
    EXPECT(result, run.listener, "tcp_listen failed");
    int app = thread_create(net.core, "net-owned-app", owned_application, &run);
    EXPECT(result, app > 0, "thread_create failed");
    uint32_t iss = handshake(result, frame, port, peer, peer_iss);
    if (!iss)
        return;
    injected += 2;
    for (int index = 0; index < 20; index++) {
        char data[10];
        memset(data, 'a' + index, sizeof data);
        fixture_inject(frame, fixture_tcp(frame, peer, port, peer_iss + 1 + 10u * (uint32_t)index, iss + 1,
                                          TCP_ACK | TCP_PSH, data, sizeof data));
        injected++;
    }
    /* Until our FIN: pure ACKs of what we have, racing the application's close on the other core. */
    uint32_t fin_sequence = 0;
    int answered = 0;
    for (uint64_t start = time_now_us(); !fin_sequence && time_now_us() - start < WAIT_MS * 1000ull;) {
        fixture_inject(frame, fixture_tcp(frame, peer, port, peer_iss + 201, iss + 1, TCP_ACK, 0, 0));
        injected++;
        while (fixture_next_segment(frame, &sent, port, peer, 2)) {
            answered |= sent.segment.data_length == 4 && memcmp(sent.segment.data, "done", 4) == 0;
            if (sent.segment.flags & TCP_FIN)
                fin_sequence = sent.segment.sequence + sent.segment.data_length;
        }
    }
    EXPECT(result, fin_sequence == iss + 5 && answered, "our answer %s, FIN at %u (want %u)",
           answered ? "sent" : "missing", fin_sequence, iss + 5);
    fixture_inject(frame,
                   fixture_tcp(frame, peer, port, peer_iss + 201, fin_sequence + 1, TCP_FIN | TCP_ACK, 0, 0));
    injected++;
    int final_ack = 0;
    while (!final_ack && fixture_next_segment(frame, &sent, port, peer, WAIT_MS))
        final_ack = sent.segment.acknowledgment == peer_iss + 202 && !(sent.segment.flags & TCP_FIN);
    thread_join(app);
    int data_in_order = run.bytes == 200;
    for (int index = 0; data_in_order && index < 200; index++)
        data_in_order = run.data[index] == 'a' + index / 10;
    acquire(&core->lock);
    int in_time_wait_here = core->time_wait_last && core->time_wait_last->remote_port == peer &&
                            core->time_wait_last->state == TCP_TIME_WAIT;
    uint32_t armed = core->timers_armed;
    release(&core->lock);
    uint64_t handed = __atomic_load_n(&core->frames_handed_off, __ATOMIC_RELAXED) - handed_before;
    fixture_inject(frame, fixture_tcp(frame, peer, port, peer_iss + 202, 0, TCP_RST, 0, 0)); /* gone */
    EXPECT(result, run.owner == owner, "the connection's owner is %d (want %d)", run.owner, owner);
    EXPECT(result, data_in_order, "the application read %ld bytes%s", run.bytes,
           run.bytes == 200 ? ", out of order" : " (want 200)");
    EXPECT(result, final_ack, "no final ACK of the peer's FIN");
    EXPECT(result, handed == injected, "%llu frames through core %d's inbox (want %llu)",
           (unsigned long long)handed, owner, (unsigned long long)injected);
    EXPECT(result, in_time_wait_here && armed == 0, "TIME_WAIT on the owner core: %s, %u deadlines armed",
           in_time_wait_here ? "yes" : "no", armed);
    test_note(result, "%llu frames handed to core %d and handled there; app on core %d; closed to TIME_WAIT",
              (unsigned long long)handed, owner, net.core);
}

/* tcp_cork: a corked answer followed by tcp_close leaves as one segment carrying the data and the FIN
 * (how http-server ends a Connection: close answer); uncorked it would be a data segment, then a FIN. */
void test_net_tcp_cork(struct test_result *result)
{
    if (ensure_fixture(result))
        return;
    static uint8_t frame[FIXTURE_FRAME_MAX];
    static struct app_run run;
    struct fixture_sent sent;
    const uint16_t port = APP_PORT + 5, peer = 40005;
    const uint32_t peer_iss = 7000;
    run = (struct app_run){ 0 };
    run.cork = 1;
    run.listener = tcp_listen(port, 4, 0, 0);
    EXPECT(result, run.listener, "tcp_listen failed");
    int app = thread_create(core_count() > 2 ? 1 : 0, "net-cork-app", application, &run);
    EXPECT(result, app > 0, "thread_create failed");
    uint32_t iss = handshake(result, frame, port, peer, peer_iss);
    if (!iss)
        return;
    fixture_inject(frame,
                   fixture_tcp(frame, peer, port, peer_iss + 1, iss + 1, TCP_ACK | TCP_PSH, "ping", 4));
    int data_segments = 0, fin_with_answer = 0, fin_alone = 0;
    while (!fin_with_answer && !fin_alone && fixture_next_segment(frame, &sent, port, peer, WAIT_MS)) {
        if (sent.segment.data_length)
            data_segments++;
        if (sent.segment.flags & TCP_FIN) {
            int answer = sent.segment.data_length == 4 && memcmp(sent.segment.data, "pong", 4) == 0;
            fin_with_answer = answer;
            fin_alone = !answer;
        }
    }
    thread_join(app);
    /* The peer resets: nothing lingers for the next test. */
    fixture_inject(frame, fixture_tcp(frame, peer, port, peer_iss + 1 + 4, 0, TCP_RST, 0, 0));
    EXPECT(result, run.write_result == 4, "tcp_write returned %ld", run.write_result);
    EXPECT(result, fin_with_answer && data_segments == 1, "%d data segment(s); the FIN %s the answer",
           data_segments,
           fin_with_answer ? "rode on"
           : fin_alone     ? "came apart from"
                           : "never came with");
    test_note(result, "corked answer + close: one segment with \"pong\" and the FIN");
}

/* tcp_write while another core holds the connection's owner lock: the bytes are queued without
 * waiting for it, the connection is handed to its owner thread (net_request_output; the network
 * thread, which owns it under steer=network), and its flush sends them once the lock is free - a
 * writer never spins on the lock. */
void test_net_write_handoff(struct test_result *result)
{
    if (core_count() < 3) {
        test_skip(result, "needs the network core, the writer's and this one");
        return;
    }
    if (ensure_fixture(result))
        return;
    static uint8_t frame[FIXTURE_FRAME_MAX];
    static struct app_run run;
    struct fixture_sent sent;
    const uint16_t port = APP_PORT + 6, peer = 40006;
    const uint32_t peer_iss = 9000;
    run = (struct app_run){ 0 };
    run.hold_write = 1;
    run.listener = tcp_listen(port, 4, 0, 0);
    EXPECT(result, run.listener, "tcp_listen failed");
    int app = thread_create(1, "net-handoff-app", application, &run);
    EXPECT(result, app > 0 && cpu_index() != 1 && other_core() != 1, "thread_create failed");
    uint32_t iss = handshake(result, frame, port, peer, peer_iss);
    if (!iss)
        return;
    fixture_inject(frame,
                   fixture_tcp(frame, peer, port, peer_iss + 1, iss + 1, TCP_ACK | TCP_PSH, "ping", 4));
    for (uint64_t start = time_now_us(); !run.ready_to_write && time_now_us() - start < WAIT_MS * 1000ull;)
        thread_sleep_ms(1);
    EXPECT(result, run.ready_to_write, "the application never read \"ping\"");
    fixture_discard_sent(); /* our ACK of "ping", if it went out */
    uint64_t handoffs_before = __atomic_load_n(&net.statistics.tcp_output_handoffs, __ATOMIC_RELAXED);
    struct spinlock *owner_lock =
        &net_cores[net_bucket_owner(tcp_table_bucket(FIXTURE_PEER_ADDRESS, peer, port))].lock;
    acquire(owner_lock);
    run.go_write = 1;
    uint64_t handoffs = handoffs_before;
    for (uint64_t start = time_now_us();
         handoffs == handoffs_before && time_now_us() - start < WAIT_MS * 1000ull;)
        handoffs = __atomic_load_n(&net.statistics.tcp_output_handoffs, __ATOMIC_RELAXED);
    release(owner_lock);
    int answered = 0;
    while (!answered && fixture_next_segment(frame, &sent, port, peer, WAIT_MS))
        answered = sent.segment.data_length == 4 && memcmp(sent.segment.data, "pong", 4) == 0;
    thread_join(app);
    fixture_inject(frame, fixture_tcp(frame, peer, port, peer_iss + 1 + 4, 0, TCP_RST, 0, 0));
    EXPECT(result, handoffs == handoffs_before + 1, "%llu handoffs while the lock was held (want 1)",
           (unsigned long long)(handoffs - handoffs_before));
    EXPECT(result, run.write_result == 4, "tcp_write returned %ld", run.write_result);
    EXPECT(result, answered, "the handed-off answer was never sent");
    test_note(result, "write with the owner's lock held elsewhere: queued, handed off, sent by its owner");
}

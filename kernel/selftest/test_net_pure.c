/*
 * test_net_pure.c - the stack's pure parts, with known answers: the Internet
 * checksum (RFC 1071's example, an IPv4 header, odd lengths, chained pieces),
 * sequence-number comparisons across the 2^32 wrap, IPv4 and TCP header
 * checks (truncation, bad versions and offsets, fragments, options), the byte
 * ring across its wrap, and dotted-quad addresses. No device, no threads.
 */
#include "selftest.h"
#include "net.h"
#include "string.h"
#include "../net/byte_ring.h"
#include "../net/checksum.h"
#include "../net/ipv4.h"
#include "../net/tcp.h"

/* RFC 1071 word by word, big-endian, as the stack summed before it read eight bytes a step. */
static uint16_t reference_checksum(uint32_t sum, const uint8_t *bytes, uint32_t length)
{
    uint64_t total = sum;
    for (; length >= 2; bytes += 2, length -= 2)
        total += (uint32_t)bytes[0] << 8 | bytes[1];
    if (length)
        total += (uint32_t)bytes[0] << 8;
    while (total >> 16)
        total = (total & 0xFFFF) + (total >> 16);
    return (uint16_t)~total;
}

void test_net_checksum(struct test_result *result)
{
    /* RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2; the checksum is its complement. */
    static const uint8_t rfc_words[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
    EXPECT(result, checksum_finish(checksum_add(0, rfc_words, sizeof rfc_words)) == (uint16_t)~0xddf2,
           "RFC 1071 example: got %#x", checksum_finish(checksum_add(0, rfc_words, sizeof rfc_words)));
    /* A real IPv4 header (192.168.0.1 -> 192.168.0.199) whose checksum is 0xb861. */
    uint8_t header[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                           0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
    uint16_t sum = checksum_finish(checksum_add(0, header, sizeof header));
    EXPECT(result, sum == 0xb861, "IPv4 header checksum %#x, expected 0xb861", sum);
    header[10] = 0xb8;
    header[11] = 0x61;
    EXPECT(result, checksum_finish(checksum_add(0, header, sizeof header)) == 0,
           "a correct header does not verify");
    /* An odd last byte counts as the high byte of a word padded with zero. */
    static const uint8_t odd[] = { 0x12, 0x34, 0x56 };
    EXPECT(result, checksum_finish(checksum_add(0, odd, 3)) == (uint16_t) ~(0x1234 + 0x5600), "odd length");
    /* Chained pieces (even lengths first) equal one pass. */
    uint8_t data[64];
    for (unsigned index = 0; index < sizeof data; index++)
        data[index] = (uint8_t)(index * 73 + 5);
    uint32_t chained = checksum_add(checksum_add(0, data, 20), data + 20, 43);
    EXPECT(result, checksum_finish(chained) == checksum_finish(checksum_add(0, data, 63)),
           "chained sums differ");
    /* All ones: end-around carries must fold back in. */
    uint8_t ones[1024];
    memset(ones, 0xFF, sizeof ones);
    EXPECT(result, checksum_finish(checksum_add(0, ones, sizeof ones)) == 0, "carry folding");
    /* Every length 0..300 at every alignment 0..7, with a running sum, equals the word-by-word sum. */
    static uint8_t noise[320];
    for (unsigned index = 0; index < sizeof noise; index++)
        noise[index] = (uint8_t)(index * 151 + (index >> 3) * 29 + 0x5A);
    for (uint32_t offset = 0; offset < 8; offset++)
        for (uint32_t length = 0; length <= 300; length++) {
            uint16_t got = checksum_finish(checksum_add(0x1F00D + length, noise + offset, length));
            uint16_t want = reference_checksum(0x1F00D + length, noise + offset, length);
            EXPECT(result, got == want, "length %u at offset %u: %#x, expected %#x", length, offset, got,
                   want);
        }
    uint32_t pseudo = checksum_add_pseudo_header(0, 0x0A00020F, 0x0A000202, IPV4_PROTOCOL_TCP, 20);
    EXPECT(result, checksum_finish(pseudo) == (uint16_t) ~(0x0A00 + 0x020F + 0x0A00 + 0x0202 + 6 + 20),
           "pseudo header sum");
}

void test_net_sequence(struct test_result *result)
{
    EXPECT(result, sequence_before(1, 2) && !sequence_before(2, 1), "1 < 2");
    EXPECT(result, sequence_before(0xFFFFFFF0u, 0x10), "0xfffffff0 comes before 0x10 across the wrap");
    EXPECT(result, sequence_after(0x10, 0xFFFFFFF0u), "0x10 comes after 0xfffffff0");
    EXPECT(result, sequence_at_or_before(5, 5) && !sequence_before(5, 5), "equal values");
    EXPECT(result, sequence_in_window(0xFFFFFFFEu, 0xFFFFFFF0u, 0x20), "inside a window that wraps");
    EXPECT(result, sequence_in_window(0xFFFFFFF0u, 0xFFFFFFF0u, 0x20), "the low edge is inside");
    EXPECT(result, !sequence_in_window(0x20, 0xFFFFFFF0u, 0x20), "the high edge is outside");
    EXPECT(result, !sequence_in_window(0xFFFFFFEFu, 0xFFFFFFF0u, 0x20), "just below the window");
    EXPECT(result, !sequence_in_window(7, 7, 7), "an empty window holds nothing");
}

/* A minimal valid IPv4 + TCP packet for the parsers: SYN with an MSS option of 1400. */
static uint32_t build_syn(uint8_t *packet)
{
    memset(packet, 0, 64);
    packet[0] = 0x45;
    packet[3] = 44; /* 20 IPv4 + 24 TCP */
    packet[8] = 64;
    packet[9] = IPV4_PROTOCOL_TCP;
    static const uint8_t addresses[8] = { 10, 0, 2, 2, 10, 0, 2, 15 };
    memcpy(packet + 12, addresses, 8);
    uint16_t sum = checksum_finish(checksum_add(0, packet, 20));
    packet[10] = (uint8_t)(sum >> 8);
    packet[11] = (uint8_t)sum;
    uint8_t *tcp = packet + 20;
    tcp[0] = 0x9C;
    tcp[1] = 0x40; /* port 40000 */
    tcp[2] = 0x00;
    tcp[3] = 0x50; /* port 80 */
    tcp[4] = 0x01;
    tcp[7] = 0x02; /* sequence 0x01000002 */
    tcp[12] = 6 << 4;
    tcp[13] = TCP_SYN;
    tcp[14] = 0xFF;
    tcp[15] = 0xFF;
    tcp[20] = TCP_OPTION_MSS;
    tcp[21] = 4;
    tcp[22] = 1400 >> 8;
    tcp[23] = 1400 & 0xFF;
    return 44;
}

void test_net_parsing(struct test_result *result)
{
    uint8_t packet[64];
    struct ipv4_datagram datagram;
    uint32_t length = build_syn(packet);
    EXPECT(result, ipv4_parse(packet, length, &datagram) == IPV4_OK, "valid datagram refused");
    EXPECT(result,
           datagram.source == 0x0A000202 && datagram.destination == 0x0A00020F && datagram.length == 24,
           "datagram fields %#x %#x %u", datagram.source, datagram.destination, datagram.length);
    EXPECT(result, ipv4_parse(packet, 19, &datagram) == IPV4_TRUNCATED, "19 bytes accepted");
    EXPECT(result, ipv4_parse(packet, 40, &datagram) == IPV4_TRUNCATED,
           "total length beyond the frame accepted");
    packet[0] = 0x65;
    EXPECT(result, ipv4_parse(packet, length, &datagram) == IPV4_BAD_VERSION, "version 6 accepted");
    packet[0] = 0x44;
    EXPECT(result, ipv4_parse(packet, length, &datagram) == IPV4_BAD_HEADER_LENGTH, "IHL 4 accepted");
    packet[0] = 0x45;
    packet[8] = 63;
    EXPECT(result, ipv4_parse(packet, length, &datagram) == IPV4_BAD_CHECKSUM,
           "bad header checksum accepted");
    length = build_syn(packet);
    packet[6] = 0x20; /* more fragments, with a checksum that is right for it */
    packet[10] = packet[11] = 0;
    uint16_t sum = checksum_finish(checksum_add(0, packet, 20));
    packet[10] = (uint8_t)(sum >> 8);
    packet[11] = (uint8_t)sum;
    EXPECT(result, ipv4_parse(packet, length, &datagram) == IPV4_FRAGMENT, "a fragment was not dropped");

    length = build_syn(packet);
    EXPECT(result, ipv4_parse(packet, length, &datagram) == IPV4_OK, "rebuilt datagram refused");
    struct tcp_segment segment;
    EXPECT(result, tcp_parse_segment(&datagram, &segment) == TCP_PARSE_OK, "valid segment refused");
    EXPECT(result,
           segment.source_port == 40000 && segment.destination_port == 80 && segment.sequence == 0x01000002,
           "segment fields %u %u %#x", segment.source_port, segment.destination_port, segment.sequence);
    EXPECT(result, segment.mss == 1400 && segment.length == 1 && segment.data_length == 0,
           "mss %u length %u data %u", segment.mss, segment.length, segment.data_length);
    packet[20 + 12] = 4 << 4;
    EXPECT(result, tcp_parse_segment(&datagram, &segment) == TCP_PARSE_BAD_OFFSET, "data offset 4 accepted");
    packet[20 + 12] = 7 << 4;
    EXPECT(result, tcp_parse_segment(&datagram, &segment) == TCP_PARSE_TRUNCATED,
           "offset past the end accepted");
    packet[20 + 12] = 6 << 4;
    packet[20 + 21] = 9; /* MSS option claiming 9 bytes in a 4-byte option area */
    EXPECT(result, tcp_parse_segment(&datagram, &segment) == TCP_PARSE_BAD_OPTION,
           "overlong option accepted");
    packet[20 + 21] = 4;
    packet[20 + 13] = TCP_SYN | TCP_FIN;
    EXPECT(result, tcp_parse_segment(&datagram, &segment) == TCP_PARSE_BAD_FLAGS, "SYN+FIN accepted");
    EXPECT(result, !tcp_checksum_ok(&datagram), "segment with a zero checksum verified");
}

void test_net_byte_ring(struct test_result *result)
{
    struct byte_ring ring;
    EXPECT(result, byte_ring_init(&ring, 16) == 0, "no memory for 16 bytes");
    uint8_t out[16];
    EXPECT(result, byte_ring_write(&ring, "0123456789", 10) == 10, "first write");
    EXPECT(result, byte_ring_read(&ring, out, 6) == 6 && memcmp(out, "012345", 6) == 0, "first read");
    EXPECT(result, byte_ring_write(&ring, "abcdefghijklmnop", 16) == 12,
           "a write beyond the space was not cut");
    EXPECT(result, byte_ring_count(&ring) == 16 && byte_ring_space(&ring) == 0, "count %u",
           byte_ring_count(&ring));
    byte_ring_peek(&ring, 2, out, 10); /* crosses the wrap */
    EXPECT(result, memcmp(out, "89abcdefgh", 10) == 0, "peek across the wrap: %.10s", (const char *)out);
    byte_ring_drop(&ring, 5);
    EXPECT(result, byte_ring_read(&ring, out, 16) == 11 && memcmp(out, "bcdefghijkl", 11) == 0,
           "read after drop");
    EXPECT(result, byte_ring_count(&ring) == 0 && byte_ring_space(&ring) == 16, "empty ring: count %u",
           byte_ring_count(&ring));
    /* Out-of-order bytes placed after a gap (across the wrap), then the gap written: all readable. */
    byte_ring_place(&ring, 3, "DEFG", 4);
    EXPECT(result, byte_ring_count(&ring) == 0, "placing held bytes: count %u", byte_ring_count(&ring));
    EXPECT(result, byte_ring_write(&ring, "ABC", 3) == 3, "the gap");
    byte_ring_commit(&ring, 4);
    EXPECT(result, byte_ring_read(&ring, out, 16) == 7 && memcmp(out, "ABCDEFG", 7) == 0,
           "gap and placed bytes: %.7s", (const char *)out);
    byte_ring_free(&ring);
    EXPECT(result, byte_ring_write(&ring, "x", 1) == 0, "a freed ring accepted bytes");
}

/* One client's connections (one address, consecutive remote ports, one local port: a load generator
 * through slirp) spread over the connection table's buckets as evenly as chance allows. */
void test_net_table_spread(struct test_result *result)
{
    static uint16_t load[TCP_TABLE_BUCKETS];
    memset(load, 0, sizeof load);
    const unsigned connections = 4 * TCP_TABLE_BUCKETS;
    for (unsigned index = 0; index < connections; index++)
        load[tcp_table_bucket(0x0A000202, (uint16_t)(40000 + index), 80)]++;
    unsigned fullest = 0, empty = 0;
    for (unsigned bucket = 0; bucket < TCP_TABLE_BUCKETS; bucket++) {
        fullest = load[bucket] > fullest ? load[bucket] : fullest;
        empty += load[bucket] == 0;
    }
    /* Random placement: about 4 per bucket, the fullest near 12, about 2% empty. */
    EXPECT(result, fullest <= 16 && empty <= TCP_TABLE_BUCKETS / 16,
           "%u connections: fullest bucket %u, %u of %u buckets empty", connections, fullest, empty,
           TCP_TABLE_BUCKETS);
    test_note(result, "%u connections of one client: fullest bucket %u, %u empty", connections, fullest,
              empty);
}

void test_net_addresses(struct test_result *result)
{
    uint32_t address = 0;
    char text[16];
    EXPECT(result, net_parse_address("10.0.2.15", &address) == 0 && address == 0x0A00020F, "10.0.2.15 -> %#x",
           address);
    EXPECT(result, net_parse_address("255.255.255.0", &address) == 0 && address == 0xFFFFFF00, "netmask");
    static const char *const bad[] = { "",         "10.0.2",     "10.0.2.15.1", "256.0.0.1",
                                       "10..2.15", "10.0.2.15 ", "a.b.c.d",     "1000.0.0.1" };
    for (unsigned index = 0; index < sizeof bad / sizeof bad[0]; index++)
        EXPECT(result, net_parse_address(bad[index], &address) != 0, "\"%s\" accepted", bad[index]);
    net_format_address(0xC0A800C7, text);
    EXPECT(result, strcmp(text, "192.168.0.199") == 0, "formatted %s", text);
}

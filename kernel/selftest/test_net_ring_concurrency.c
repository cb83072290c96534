/*
 * test_net_ring_concurrency.c - byte_ring.h's single-producer,
 * single-consumer contract under real concurrency (MTTCG runs vCPUs in
 * parallel): a consumer thread on another core reads, without any lock,
 * a megabyte that this core writes in odd-sized pieces through a small
 * ring, and must see every byte in order - what tcp_read's fast path relies
 * on while the network thread appends to a receive buffer.
 */
#include "selftest.h"
#include "cpu.h"
#include "string.h"
#include "../net/byte_ring.h"

#define TOTAL_BYTES (1u << 20)
#define WAIT_US     20000000ull /* generous: vCPUs of a loaded host may be descheduled */

struct ring_run {
    struct byte_ring ring;
    volatile uint32_t consumed;
    volatile uint32_t first_wrong; /* offset of the first byte out of order, or TOTAL_BYTES */
};

static uint8_t pattern(uint32_t offset) { return (uint8_t)(offset * 131 + (offset >> 9)); }

static void consumer(void *argument)
{
    struct ring_run *run = argument;
    uint8_t piece[97];
    uint32_t offset = 0;
    for (uint64_t start = time_now_us(); offset < TOTAL_BYTES && time_now_us() - start < WAIT_US;) {
        uint32_t got = byte_ring_read(&run->ring, piece, sizeof piece);
        for (uint32_t index = 0; index < got; index++)
            if (piece[index] != pattern(offset + index) && run->first_wrong == TOTAL_BYTES)
                run->first_wrong = offset + index;
        offset += got;
        __atomic_store_n(&run->consumed, offset, __ATOMIC_RELEASE);
    }
}

void test_net_ring_concurrency(struct test_result *result)
{
    if (core_count() < 2) {
        test_skip(result, "needs two cores");
        return;
    }
    static struct ring_run run;
    run.consumed = 0;
    run.first_wrong = TOTAL_BYTES;
    EXPECT(result, byte_ring_init(&run.ring, 512) == 0, "no memory for the ring");
    int reader = thread_create(other_core(), "ring-consumer", consumer, &run);
    EXPECT(result, reader > 0, "thread_create failed");
    uint8_t piece[61];
    uint32_t offset = 0;
    for (uint64_t start = time_now_us(); offset < TOTAL_BYTES && time_now_us() - start < WAIT_US;) {
        uint32_t length = TOTAL_BYTES - offset < sizeof piece ? TOTAL_BYTES - offset : sizeof piece;
        for (uint32_t index = 0; index < length; index++)
            piece[index] = pattern(offset + index);
        offset += byte_ring_write(&run.ring, piece, length); /* what fits; the rest next time */
    }
    thread_join(reader);
    byte_ring_free(&run.ring);
    EXPECT(result, offset == TOTAL_BYTES && run.consumed == TOTAL_BYTES, "wrote %u, read %u of %u bytes",
           offset, run.consumed, TOTAL_BYTES);
    EXPECT(result, run.first_wrong == TOTAL_BYTES, "byte %u out of order", run.first_wrong);
    test_note(result, "1 MiB through a 512-byte ring, writer and lock-free reader on two cores");
}

/*
 * wakeup-latency - how much reaction a halted core loses: a ping-pong between
 * two cores through channels. Each message carries the TSC at which it was
 * sent; the receiver, blocked (so its core idles per the policy), measures
 * send -> running again. The sender pauses gap_ms between pings so both cores
 * really go idle. Prints one summary line, e.g.
 *   wakeup-latency idle=tickless p50_us=41.2 p99_us=97.0 samples=400
 * Arguments: samples= (200 round trips), gap_ms= (2), exit. See README.md.
 */
#include "toro.h"

#define MAX_ROUND_TRIPS 2000

struct ping_pong {
    struct channel *ping; /* pinger -> ponger */
    struct channel *pong; /* ponger -> pinger */
    uint64_t round_trips;
    uint64_t gap_ms;
};

static uint64_t latencies_ns[2 * MAX_ROUND_TRIPS];
static volatile uint64_t latency_count;

static void record(uint64_t sent_tsc)
{
    uint64_t now = time_tsc();
    latencies_ns[latency_count++] = now > sent_tsc ? time_tsc_to_ns(now - sent_tsc) : 0;
}

static void pinger(void *argument)
{
    struct ping_pong *game = argument;
    for (uint64_t round = 0; round < game->round_trips; round++) {
        thread_sleep_ms(game->gap_ms);
        channel_send(game->ping, time_tsc());
        record(channel_receive(game->pong));
    }
}

static void ponger(void *argument)
{
    struct ping_pong *game = argument;
    for (uint64_t round = 0; round < game->round_trips; round++) {
        record(channel_receive(game->ping));
        channel_send(game->pong, time_tsc());
    }
}

static void sort(uint64_t *values, uint64_t count)
{
    for (uint64_t index = 1; index < count; index++) {
        uint64_t value = values[index];
        uint64_t slot = index;
        while (slot > 0 && values[slot - 1] > value) {
            values[slot] = values[slot - 1];
            slot--;
        }
        values[slot] = value;
    }
}

/* Percentile `percent` of sorted values (nearest rank). */
static uint64_t percentile(const uint64_t *sorted, uint64_t count, uint64_t percent)
{
    uint64_t rank = (percent * count + 99) / 100;
    return sorted[rank ? rank - 1 : 0];
}

void main(void)
{
    static struct ping_pong game;
    int cores = core_count();
    /* Two cores other than main's when possible; alone, both threads share core 0. */
    int ping_core = cores >= 3 ? 1 : 0;
    int pong_core = cores >= 3 ? 2 : cores - 1;
    game.round_trips = app_argument_number("samples", 200);
    if (game.round_trips > MAX_ROUND_TRIPS)
        game.round_trips = MAX_ROUND_TRIPS;
    game.gap_ms = app_argument_number("gap_ms", 2);
    game.ping = channel_create(ping_core, pong_core, 2);
    game.pong = channel_create(pong_core, ping_core, 2);
    kprintf("wakeup-latency: ping core %d <-> pong core %d, %llu round trips, gap %llu ms, idle=%s\n",
            ping_core, pong_core, (unsigned long long)game.round_trips, (unsigned long long)game.gap_ms,
            idle_policy_name(idle_policy()));
    int ponger_id = thread_create(pong_core, "ponger", ponger, &game);
    int pinger_id = thread_create(ping_core, "pinger", pinger, &game);
    thread_join(pinger_id);
    thread_join(ponger_id);

    uint64_t count = latency_count;
    sort(latencies_ns, count);
    uint64_t p50 = percentile(latencies_ns, count, 50);
    uint64_t p99 = percentile(latencies_ns, count, 99);
    kprintf("wakeup-latency idle=%s p50_us=%llu.%llu p99_us=%llu.%llu samples=%llu\n",
            idle_policy_name(idle_policy()), (unsigned long long)(p50 / 1000),
            (unsigned long long)(p50 % 1000 / 100), (unsigned long long)(p99 / 1000),
            (unsigned long long)(p99 % 1000 / 100), (unsigned long long)count);
    if (app_argument("exit"))
        toro_exit(0);
}

/*
 * test_channel.c - channel ordering under load: every core runs a producer
 * sending 0..N-1 to a consumer on the next core (core 0 to itself when
 * alone) through a small ring, so both sides block and wake each other many
 * times; each consumer must see every value exactly once, in order.
 */
#include "selftest.h"

#define CHANNEL_MESSAGES 20000
#define CHANNEL_CAPACITY 8

struct channel_pair {
    struct channel *channel;
    volatile uint64_t received;
    volatile uint64_t first_error_index;
    volatile uint64_t first_error_value;
    volatile int errors;
};

static struct channel_pair pairs[TORO_MAX_CPUS];

static void produce(void *argument)
{
    struct channel_pair *pair = argument;
    for (uint64_t value = 0; value < CHANNEL_MESSAGES; value++)
        channel_send(pair->channel, value);
}

static void consume(void *argument)
{
    struct channel_pair *pair = argument;
    for (uint64_t index = 0; index < CHANNEL_MESSAGES; index++) {
        uint64_t value = channel_receive(pair->channel);
        if (value != index && pair->errors++ == 0) {
            pair->first_error_index = index;
            pair->first_error_value = value;
        }
        pair->received++;
    }
}

void test_channel_ordering(struct test_result *result)
{
    int cores = core_count();
    int ids[2 * TORO_MAX_CPUS];
    int count = 0;
    for (int core = 0; core < cores; core++) {
        struct channel_pair *pair = &pairs[core];
        *pair = (struct channel_pair){ 0 };
        pair->channel = channel_create(core, (core + 1) % cores, CHANNEL_CAPACITY);
        EXPECT(result, pair->channel != 0, "channel_create(%d, %d) failed", core, (core + 1) % cores);
    }
    for (int core = 0; core < cores; core++) {
        ids[count++] = thread_create((core + 1) % cores, "consumer", consume, &pairs[core]);
        ids[count++] = thread_create(core, "producer", produce, &pairs[core]);
    }
    for (int index = 0; index < count; index++) {
        EXPECT(result, ids[index] > 0, "thread_create failed");
        thread_join(ids[index]);
    }
    for (int core = 0; core < cores; core++) {
        struct channel_pair *pair = &pairs[core];
        EXPECT(result, pair->errors == 0,
               "channel %d->%d: %d values out of order (first: index %llu got %llu)", core,
               (core + 1) % cores, pair->errors, (unsigned long long)pair->first_error_index,
               (unsigned long long)pair->first_error_value);
        EXPECT(result, pair->received == CHANNEL_MESSAGES, "channel %d->%d received %llu of %d", core,
               (core + 1) % cores, (unsigned long long)pair->received, CHANNEL_MESSAGES);
    }
    test_note(result, "%d channels x %d messages, capacity %d", cores, CHANNEL_MESSAGES, CHANNEL_CAPACITY);
}

/*
 * selftest.h - the in-guest test harness: each test is a function that fills
 * a struct test_result; main.c (the runner) prints one line per test and the
 * closing `N passed, N failed` line, then leaves QEMU with 0 or 1. The tests
 * live in test_*.c, one concept per file.
 */
#ifndef TORO_SELFTEST_H
#define TORO_SELFTEST_H

#include <stdint.h>
#include "toro.h"

#define TEST_MESSAGE_LENGTH 200

struct test_result {
    int failed;
    int skipped;
    char message[TEST_MESSAGE_LENGTH]; /* why it failed or was skipped, or a note on success */
};

typedef void (*test_function)(struct test_result *result);

struct test_case {
    const char *name;
    test_function run;
};

/* Record a failure / skip / note (printf-style) in `result`. */
void test_fail(struct test_result *result, const char *format, ...) __attribute__((format(printf, 2, 3)));
void test_skip(struct test_result *result, const char *format, ...) __attribute__((format(printf, 2, 3)));
void test_note(struct test_result *result, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Fail and leave the test function when `condition` is false. */
#define EXPECT(result, condition, ...)        \
    do {                                      \
        if (!(condition)) {                   \
            test_fail((result), __VA_ARGS__); \
            return;                           \
        }                                     \
    } while (0)

/* Spin on the TSC for `microseconds` without yielding (a busy thread). */
void busy_for_us(uint64_t microseconds);

/* The core a test should use as "another core": the last core, or 0 alone. */
int other_core(void);

/* Telemetry helpers for the tests. */
uint64_t core_halts(int core);
uint64_t core_poll_halts(int core);

/* The tests (test_*.c). */
void test_spinlock_mutual_exclusion(struct test_result *result);
void test_thread_cross_core_create(struct test_result *result);
void test_thread_create_from_other_core(struct test_result *result);
void test_channel_ordering(struct test_result *result);
void test_sleep_accuracy(struct test_result *result);
void test_halts_on_idle_core(struct test_result *result);
void test_no_halts_while_busy(struct test_result *result);
void test_polling_halts_after_grace(struct test_result *result);
void test_polling_with_work_never_halts(struct test_result *result);
void test_telemetry_header(struct test_result *result);
void test_trace_order(struct test_result *result);
void test_trace_overrun(struct test_result *result);
void test_trace_ipi_wakeup(struct test_result *result);
void test_net_checksum(struct test_result *result);
void test_net_sequence(struct test_result *result);
void test_net_parsing(struct test_result *result);
void test_net_byte_ring(struct test_result *result);
void test_net_addresses(struct test_result *result);
void test_net_table_spread(struct test_result *result);
void test_net_arp_icmp(struct test_result *result);
void test_net_tcp_exchange(struct test_result *result);
void test_net_tcp_reset(struct test_result *result);
void test_net_tcp_reordering(struct test_result *result);
void test_net_tcp_window_scaling(struct test_result *result);
void test_net_steering(struct test_result *result);
void test_net_ownership(struct test_result *result);
void test_net_tcp_cork(struct test_result *result);
void test_net_ring_concurrency(struct test_result *result);
void test_net_write_handoff(struct test_result *result);
void test_boot_info_multiboot1(struct test_result *result);
void test_boot_info_multiboot2(struct test_result *result);
void test_boot_info_pvh(struct test_result *result);

/* Expected-panic cases (test_panic.c): run alone with selftest=<name>; they must not return. */
void panic_case_double_acquire(void);
void panic_case_release_not_held(void);
void panic_case_stack_overflow(void);

#endif

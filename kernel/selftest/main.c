/*
 * main.c - the self-test runner (the selftest app's `void main(void)`).
 * Runs every test in order, one line each, then `N passed, N failed`, and
 * leaves QEMU with status 0 if all passed, else 1. With selftest=<case> on the
 * command line it runs only that expected-panic case, which must panic.
 * Tests are in test_*.c; selftest.h declares them.
 */
#include "selftest.h"
#include "arch.h"
#include "string.h"

static const struct test_case tests[] = {
    { "boot-info-multiboot1", test_boot_info_multiboot1 },
    { "boot-info-multiboot2", test_boot_info_multiboot2 },
    { "boot-info-pvh", test_boot_info_pvh },
    { "telemetry-header", test_telemetry_header },
    { "trace-order", test_trace_order },
    { "trace-overrun", test_trace_overrun },
    { "trace-ipi-wakeup", test_trace_ipi_wakeup },
    { "spinlock-mutual-exclusion", test_spinlock_mutual_exclusion },
    { "thread-cross-core-create", test_thread_cross_core_create },
    { "thread-create-from-other-core", test_thread_create_from_other_core },
    { "channel-ordering-under-load", test_channel_ordering },
    { "sleep-accuracy", test_sleep_accuracy },
    { "halts-on-idle-core", test_halts_on_idle_core },
    { "no-halts-while-busy", test_no_halts_while_busy },
    { "polling-halts-after-grace", test_polling_halts_after_grace },
    { "polling-with-work-never-halts", test_polling_with_work_never_halts },
    { "net-checksum", test_net_checksum },
    { "net-sequence-numbers", test_net_sequence },
    { "net-header-parsing", test_net_parsing },
    { "net-byte-ring", test_net_byte_ring },
    { "net-addresses", test_net_addresses },
    { "net-table-spread", test_net_table_spread },
    { "net-arp-icmp", test_net_arp_icmp },
    { "net-tcp-exchange", test_net_tcp_exchange },
    { "net-tcp-reset", test_net_tcp_reset },
    { "net-tcp-reordering", test_net_tcp_reordering },
    { "net-tcp-window-scaling", test_net_tcp_window_scaling },
    { "net-steering", test_net_steering },
    { "net-ownership", test_net_ownership },
    { "net-tcp-cork", test_net_tcp_cork },
    { "net-ring-concurrency", test_net_ring_concurrency },
    { "net-write-handoff", test_net_write_handoff },
};

struct panic_case {
    const char *name;
    void (*run)(void);
};

static const struct panic_case panic_cases[] = {
    { "double-acquire", panic_case_double_acquire },
    { "release-not-held", panic_case_release_not_held },
    { "stack-overflow", panic_case_stack_overflow },
};

static void run_panic_case(const char *name)
{
    for (unsigned index = 0; index < sizeof panic_cases / sizeof panic_cases[0]; index++) {
        if (strcmp(panic_cases[index].name, name) == 0) {
            kprintf("selftest: expected-panic case %s (the kernel must panic now)\n", name);
            panic_cases[index].run();
            kprintf("selftest: FAIL: case %s returned without a panic\n", name);
            toro_exit(QEMU_EXIT_FAIL);
        }
    }
    kprintf("selftest: unknown case selftest=%s\n", name);
    toro_exit(QEMU_EXIT_FAIL);
}

void main(void)
{
    const char *only = cmdline_get("selftest");
    if (only)
        run_panic_case(only);

    kprintf("selftest: %u tests on %d cores, idle=%s\n", (unsigned)(sizeof tests / sizeof tests[0]),
            core_count(), idle_policy_name(idle_policy()));
    int passed = 0, failed = 0;
    for (unsigned index = 0; index < sizeof tests / sizeof tests[0]; index++) {
        struct test_result result = { 0 };
        uint64_t start = time_now_us();
        tests[index].run(&result);
        uint64_t elapsed_ms = (time_now_us() - start) / 1000;
        if (result.failed) {
            failed++;
            kprintf("test %s: FAIL (%llu ms): %s\n", tests[index].name, (unsigned long long)elapsed_ms,
                    result.message);
        } else if (result.skipped) {
            passed++;
            kprintf("test %s: skipped: %s\n", tests[index].name, result.message);
        } else {
            passed++;
            kprintf("test %s: ok (%llu ms)%s%s\n", tests[index].name, (unsigned long long)elapsed_ms,
                    result.message[0] ? ": " : "", result.message);
        }
    }
    kprintf("%d passed, %d failed\n", passed, failed);
    toro_exit(failed == 0 ? QEMU_EXIT_PASS : QEMU_EXIT_FAIL);
}

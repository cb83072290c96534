/*
 * core.c - kernel-core's boot hooks: core_init (boot core, once: settings
 * from the command line, telemetry header), core_init_cpu (every core:
 * scheduler state, telemetry record, periodic tick) and scheduler_start
 * (every core: go online; the boot core then prints the ready line and starts
 * the app's main as thread "main" on core 0). Called from kernel/arch/main.c.
 */
#include "core.h"
#include "arch.h"
#include "config.h"
#include "console.h"
#include "core_state.h"
#include "scheduler.h"
#include "string.h"
#include "telemetry.h"
#include "trace.h"
#include "thread.h"
#include "x86.h"

struct core_config core_config;
int cores_in_scheduler;

static const char *const policy_names[] = {
    [TORO_IDLE_BUSY] = "busy",
    [TORO_IDLE_PAUSE] = "pause",
    [TORO_IDLE_HALT] = "halt",
    [TORO_IDLE_TICKLESS] = "tickless",
};

const char *idle_policy_name(uint32_t policy)
{
    return policy < sizeof policy_names / sizeof policy_names[0] ? policy_names[policy] : "unknown";
}

static uint32_t parse_idle_policy(void)
{
    const char *value = cmdline_get("idle");
    if (!value)
        return TORO_IDLE_TICKLESS;
    for (uint32_t policy = 0; policy < sizeof policy_names / sizeof policy_names[0]; policy++)
        if (strcmp(value, policy_names[policy]) == 0)
            return policy;
    kprintf("toro: unknown idle=%s (expected busy, pause, halt or tickless); using tickless\n", value);
    return TORO_IDLE_TICKLESS;
}

static uint64_t parse_poll_grace_us(void)
{
    const char *value = cmdline_get("pollgrace");
    unsigned long long microseconds;
    if (!value)
        return POLL_GRACE_DEFAULT_US;
    if (parse_unsigned(value, &microseconds) != 0) {
        kprintf("toro: bad pollgrace=%s (expected microseconds); using %u\n", value, POLL_GRACE_DEFAULT_US);
        return POLL_GRACE_DEFAULT_US;
    }
    return microseconds;
}

void core_init(void)
{
    core_config.idle_policy = parse_idle_policy();
    core_config.poll_grace_us = parse_poll_grace_us();
    core_config.poll_grace_tsc = ns_to_tsc(core_config.poll_grace_us * 1000);
    core_config.poll_recheck_tsc = ns_to_tsc(1000000000ull / POLL_RECHECK_HZ);
    core_config.tick_hz = core_config.idle_policy == TORO_IDLE_HALT ? IDLE_TICK_HZ : 0;
    telemetry_init(core_config.idle_policy, core_config.poll_grace_us, core_config.tick_hz);
    trace_init();
}

void core_init_cpu(void)
{
    struct sched_cpu *sched = mysched();
    sched->current = 0;
    sched->ready.head = sched->ready.tail = 0;
    sched->ready.count = 0;
    sched->sleepers = 0;
    __atomic_store_n(&sched->ipi_from, -1, __ATOMIC_RELEASE);
    core_state_init(0);
    if (core_config.tick_hz)
        lapic_timer_periodic(core_config.tick_hz);
    __atomic_store_n(&sched->started, 1, __ATOMIC_RELEASE);
}

int core_is_online(int core)
{
    if (core < 0 || core >= cpu_count())
        return 0;
    return __atomic_load_n(&cpu_get(core)->sched.started, __ATOMIC_ACQUIRE) != 0;
}

int core_count(void) { return __atomic_load_n(&cores_in_scheduler, __ATOMIC_ACQUIRE); }

static void run_main(void *unused)
{
    (void)unused;
    main();
    kprintf("toro: main returned\n");
}

/* Boot core: wait until every core is in its scheduler, then announce and start main. */
static void announce_ready(void)
{
    uint64_t deadline = rdtsc() + ns_to_tsc(READY_WAIT_TIMEOUT_US * 1000ull);
    while (core_count() < cpu_count() && rdtsc() < deadline)
        pause();
    if (core_count() < cpu_count())
        kprintf("toro: only %d of %d cores reached their scheduler\n", core_count(), cpu_count());
    telemetry_global_ready();
    /* By the guest's TSC since kernel entry; the bench reads it (engine/qemu/serial-line.ts). */
    kprintf("toro: kernel entry to ready %lu us\n", tsc_to_ns(rdtsc() - boot_tsc) / 1000);
    kprintf("toro: ready cores=%d idle=%s\n", core_count(), idle_policy_name(core_config.idle_policy));
    if (thread_create(0, "main", run_main, 0) < 0)
        panic("toro: cannot create the main thread");
}

void scheduler_start(void)
{
    core_state_online();
    telemetry_global_core_online();
    __atomic_fetch_add(&cores_in_scheduler, 1, __ATOMIC_ACQ_REL);
    if (cpu_index() == 0)
        announce_ready();
    scheduler_loop();
}

/*
 * compute - a fixed integer workload on every core for a fixed time, then the
 * rate: how much work the guest gets done. The benchmark (`toro bench --only
 * telemetry`) runs it with live telemetry on and off to show that reading the
 * telemetry block from the host costs the guest nothing. See README.md.
 * Arguments: ms= (3000, how long each core computes), yield= (0: never; N: yield
 * every N iterations, a context-switch-heavy load for the event trace's cost), exit.
 */
#include "toro.h"

/*
 * Live progress, read from guest RAM by the host while the cores compute (the
 * benchmark finds `compute_progress` in kernel.elf): one record per core, a
 * whole cache line each so the cores never write the same line. Layout is a
 * contract with debug-adapter/src/cli/bench/guest-throughput.ts.
 */
struct compute_progress {
    volatile uint64_t iterations; /* iterations done so far by this core */
    uint8_t padding[56];
} __attribute__((aligned(64)));

struct compute_progress compute_progress[TORO_MAX_CPUS];

/* One iteration: this many rounds of a 64-bit multiply-xorshift mix (integers only: no FP in apps). */
#define ROUNDS_PER_ITERATION 64
/* Iterations between two looks at the clock: reading the TSC is cheap, but not free. */
#define ITERATIONS_PER_CHECK 256

struct worker {
    uint64_t milliseconds; /* how long to compute */
    uint64_t yield_every;  /* iterations between two thread_yield calls, 0 = never */
    uint64_t iterations;   /* result: iterations done */
    uint64_t elapsed_ns;   /* result: how long it really took */
    uint64_t checksum;     /* result: keeps the compiler from dropping the work */
};

static struct worker workers[TORO_MAX_CPUS];

static uint64_t mix(uint64_t value)
{
    for (int round = 0; round < ROUNDS_PER_ITERATION; round++) {
        value ^= value >> 33;
        value *= 0xff51afd7ed558ccdull;
        value ^= value >> 29;
    }
    return value;
}

/* Runs on its own core, yielding only with yield=: the core stays RUNNING (busy) the whole time. */
static void compute(void *argument)
{
    struct worker *worker = argument;
    uint64_t value = (uint64_t)current_core() * 0x9e3779b97f4a7c15ull + 1;
    uint64_t iterations = 0;
    uint64_t start = time_now_ns();
    uint64_t end = start + worker->milliseconds * 1000000ull;
    uint64_t now = start;
    uint64_t block = worker->yield_every ? worker->yield_every : ITERATIONS_PER_CHECK;
    while (now < end) {
        for (uint64_t iteration = 0; iteration < block; iteration++)
            value = mix(value + iteration);
        iterations += block;
        compute_progress[current_core()].iterations = iterations;
        if (worker->yield_every)
            thread_yield();
        now = time_now_ns();
    }
    worker->iterations = iterations;
    worker->elapsed_ns = now - start;
    worker->checksum = value;
}

static uint64_t per_second(uint64_t count, uint64_t nanoseconds)
{
    return nanoseconds == 0 ? 0 : count * 1000000000ull / nanoseconds;
}

void main(void)
{
    uint64_t milliseconds = app_argument_number("ms", 3000); /* toro-bench: main */
    uint64_t yield_every = app_argument_number("yield", 0);
    int cores = core_count();
    int ids[TORO_MAX_CPUS];

    kprintf("compute: %d cores, %llu ms each, idle=%s\n", cores, (unsigned long long)milliseconds,
            idle_policy_name(idle_policy()));
    for (int core = 0; core < cores; core++) {
        workers[core].milliseconds = milliseconds;
        workers[core].yield_every = yield_every;
        ids[core] = thread_create(core, "compute", compute, &workers[core]);
    }

    uint64_t total = 0;
    for (int core = 0; core < cores; core++) {
        thread_join(ids[core]);
        uint64_t rate = per_second(workers[core].iterations, workers[core].elapsed_ns);
        total += rate;
        kprintf("compute: core=%d iterations=%llu iterations_per_second=%llu checksum=%llx\n", core,
                (unsigned long long)workers[core].iterations, (unsigned long long)rate,
                (unsigned long long)workers[core].checksum);
    }
    kprintf("compute: cores=%d iterations_per_second=%llu\n", cores, (unsigned long long)total);
    if (app_argument("exit"))
        toro_exit(0);
}

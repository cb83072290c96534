/*
 * trace-load - a scheduler-heavy load that times itself, for the price of the
 * event trace (`toro bench --only trace`). Every core runs a worker that takes
 * a token from its left neighbour's channel (blocking: the core halts and an
 * IPI wakes it), takes a shared spinlock (contended), does a little work,
 * sleeps now and then (a timer), passes the token right and yields: every
 * event kind the trace records, tens of thousands of events a second.
 * `main` alternates slices of guest time (TSC) with tracing off and on (every
 * kind), and "control" slices, off but placed like "on" ones, whose ratio to
 * their off neighbours is the noise; it prints one line per slice:
 *   trace-load: slice=3 mode=on ops=123456 ns=200001234 events=98765
 * Arguments: slice_ms= (200), rounds= (8; one round = off on off control),
 * work= (mix rounds per token pass, 256), exit. See README.md.
 */
#include "toro.h"
#include "trace.h" /* trace_set_kinds: main switches the kinds itself, no host round trip */

#define SLEEP_EVERY 64 /* token passes between two 20 us sleeps (timer armed, fired, halt) */

struct worker_state {
    volatile uint64_t ops; /* token passes done, written by its own core only */
    uint8_t padding[56];
} __attribute__((aligned(64)));

static struct worker_state workers[TORO_MAX_CPUS];
static struct channel *links[TORO_MAX_CPUS]; /* links[c]: from core c to core c + 1 */
static struct spinlock shared_lock = SPINLOCK_INITIALIZER("trace-load");
static volatile uint64_t shared_counter;
static uint64_t work_rounds;
static int token_count;

static uint64_t mix(uint64_t value)
{
    for (uint64_t round = 0; round < work_rounds; round++) {
        value ^= value >> 33;
        value *= 0xff51afd7ed558ccdull;
        value ^= value >> 29;
    }
    return value;
}

static void worker(void *argument)
{
    (void)argument;
    int core = current_core();
    int cores = core_count();
    struct channel *in = links[(core + cores - 1) % cores];
    struct channel *out = links[core];
    if (core < token_count)
        channel_send(out, (uint64_t)core + 1);
    for (;;) {
        uint64_t token = channel_receive(in);
        acquire(&shared_lock);
        shared_counter++;
        release(&shared_lock);
        token = mix(token) | 1;
        uint64_t ops = workers[core].ops + 1;
        workers[core].ops = ops;
        if (ops % SLEEP_EVERY == 0)
            thread_sleep_us(20);
        channel_send(out, token);
        thread_yield();
    }
}

static uint64_t total_ops(void)
{
    uint64_t sum = 0;
    for (int core = 0; core < core_count(); core++)
        sum += workers[core].ops;
    return sum;
}

static uint64_t total_events(void)
{
    uint64_t sum = 0;
    for (int core = 0; core < core_count(); core++)
        sum += __atomic_load_n(&toro_telemetry.trace_controls[core].head, __ATOMIC_ACQUIRE);
    return sum;
}

void main(void)
{
    static const char *const modes[] = { "off", "on", "off", "control" };
    uint64_t slice_ms = app_argument_number("slice_ms", 200);
    uint64_t rounds = app_argument_number("rounds", 8);
    work_rounds = app_argument_number("work", 256);
    int cores = core_count();
    /* Half as many tokens as cores (at least one): cores run out of tokens, halt and are woken. */
    token_count = cores > 1 ? cores / 2 : 1;
    for (int core = 0; core < cores; core++) {
        links[core] = channel_create(core, (core + 1) % cores, 4);
        if (!links[core]) {
            kprintf("trace-load: out of memory for channels\n");
            return;
        }
    }
    for (int core = 0; core < cores; core++)
        thread_create(core, "trace-load", worker, 0);
    kprintf("trace-load: %d cores, %d tokens, %llu rounds of %llu ms slices, work=%llu\n", cores, token_count,
            (unsigned long long)rounds, (unsigned long long)slice_ms, (unsigned long long)work_rounds);
    thread_sleep_ms(slice_ms); /* warm-up: every worker started, tokens moving */

    /* off on off control, ..., off: every on and control slice has an off slice on each side. */
    uint64_t slices = rounds * 4 + 1;
    for (uint64_t slice = 0; slice < slices; slice++) {
        const char *mode = modes[slice % 4];
        trace_set_kinds(mode[1] == 'n' ? ~0u : 0); /* "on": every kind the kernel knows */
        uint64_t events = total_events();
        uint64_t ops = total_ops();
        uint64_t start = time_now_ns();
        thread_sleep_ms(slice_ms);
        uint64_t end = time_now_ns();
        ops = total_ops() - ops;
        trace_set_kinds(0);
        events = total_events() - events;
        kprintf("trace-load: slice=%llu mode=%s ops=%llu ns=%llu events=%llu\n", (unsigned long long)slice,
                mode, (unsigned long long)ops, (unsigned long long)(end - start), (unsigned long long)events);
    }
    kprintf("trace-load: done (counter %llu)\n", (unsigned long long)shared_counter);
    if (app_argument("exit"))
        toro_exit(0);
}

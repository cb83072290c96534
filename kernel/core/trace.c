/*
 * trace.c - the per-core event trace: trace= parsing, one ring per core carved
 * from the page allocator at boot, and the in-guest reader (the writer is
 * inline in trace.h). Pairs
 * with include/trace.h; layout in telemetry_abi.h; design notes in
 * kernel/README.md "Event trace". The hooks that write events live where the
 * events happen (core_state.c, idle.c, spinlock.c, mailbox.c, thread.c, panic.c).
 *
 * Invariant: a ring and its control record are written only by their own
 * core, with interrupts disabled, so the single-writer protocol holds without
 * a lock; head is stored after the event (release), so a reader that sees
 * head = n + 1 sees event n whole unless it was overwritten since.
 */
#include "trace.h"
#include "arch.h"
#include "console.h"
#include "cpu.h"
#include "memory.h"
#include "string.h"
#include "x86.h"

#define RING_MASK  (TORO_TRACE_RING_RECORDS - 1)
#define RING_PAGES (TORO_TRACE_RING_RECORDS * sizeof(struct toro_trace_event) / PAGE_SIZE)

#define KIND(name) (1u << TORO_TRACE_##name)
#define ALL_KINDS  (((1u << TORO_TRACE_KIND_COUNT) - 1) & ~1u)

/* trace= groups: each names the kinds it turns on. */
static const struct {
    const char *name;
    uint32_t kinds;
} groups[] = {
    { "sched", KIND(SWITCH_IN) | KIND(SWITCH_OUT) },
    { "halt", KIND(HALT_ENTER) | KIND(HALT_EXIT) },
    { "ipi", KIND(IPI_SENT) | KIND(IPI_RECEIVED) },
    { "irq", KIND(INTERRUPT) },
    { "lock", KIND(LOCK_CONTENDED) | KIND(LOCK_ACQUIRED) },
    { "timer", KIND(TIMER_ARMED) | KIND(TIMER_FIRED) },
    { "thread", KIND(THREAD_CREATED) | KIND(THREAD_EXITED) },
    { "mark", KIND(MARK) },
};

/* trace=on | off | group,group,...; a bad word is reported and ignored. PANIC is on whenever anything is. */
static uint32_t parse_kinds(const char *value)
{
    if (!value || strcmp(value, "off") == 0)
        return 0;
    if (strcmp(value, "on") == 0)
        return ALL_KINDS;
    uint32_t kinds = 0;
    char word[24];
    while (*value) {
        size_t length = 0;
        while (value[length] && value[length] != ',')
            length++;
        size_t copied = length < sizeof word ? length : sizeof word - 1;
        memcpy(word, value, copied);
        word[copied] = '\0';
        uint32_t found = 0;
        for (size_t index = 0; index < sizeof groups / sizeof groups[0]; index++)
            if (strcmp(word, groups[index].name) == 0)
                found = groups[index].kinds;
        if (!found)
            kprintf("toro: unknown trace= word \"%s\" (expected on, off or a comma list of sched, halt, ipi, "
                    "irq, lock, timer, thread, mark); ignored\n",
                    word);
        kinds |= found;
        value += length;
        if (*value == ',')
            value++;
    }
    return kinds ? kinds | KIND(PANIC) : 0;
}

void trace_init(void)
{
    struct toro_telemetry *block = &toro_telemetry;
    struct toro_trace_header *header = &block->trace;
    int carved = 0;
    for (int core = 0; core < cpu_count(); core++) {
        struct toro_trace_control *control = &block->trace_controls[core];
        struct toro_trace_event *ring = page_alloc_contiguous_unzeroed(RING_PAGES); /* read below `head` */
        control->head = 0;
        control->ring_address = (uint64_t)(uintptr_t)ring;
        control->ring_capacity = ring ? TORO_TRACE_RING_RECORDS : 0;
        cpu_get(core)->trace_control = control;
        cpu_get(core)->trace_ring = ring;
        carved += ring != 0;
    }
    header->version = TORO_TRACE_VERSION;
    header->header_size = sizeof(struct toro_trace_header);
    header->event_size = sizeof(struct toro_trace_event);
    header->ring_capacity = TORO_TRACE_RING_RECORDS;
    header->control_offset = __builtin_offsetof(struct toro_telemetry, trace_controls);
    header->control_size = sizeof(struct toro_trace_control);
    header->control_capacity = TORO_MAX_CPUS;
    header->known_kinds = ALL_KINDS;
    header->enabled_kinds = parse_kinds(cmdline_get("trace"));
    __atomic_store_n(&header->magic, TORO_TRACE_MAGIC, __ATOMIC_RELEASE);
    __atomic_store_n(&block->header.trace_offset, (uint32_t) __builtin_offsetof(struct toro_telemetry, trace),
                     __ATOMIC_RELEASE);
    if (carved < cpu_count())
        kprintf("toro: trace rings for only %d of %d cores (out of memory)\n", carved, cpu_count());
    if (header->enabled_kinds)
        kprintf("toro: trace on (kinds %#x), %d events of %u bytes per core\n", header->enabled_kinds,
                TORO_TRACE_RING_RECORDS, (unsigned)sizeof(struct toro_trace_event));
}

uint32_t trace_kinds(void) { return __atomic_load_n(&toro_telemetry.trace.enabled_kinds, __ATOMIC_RELAXED); }

void trace_set_kinds(uint32_t kinds)
{
    __atomic_store_n(&toro_telemetry.trace.enabled_kinds, kinds & ALL_KINDS, __ATOMIC_RELAXED);
}

uint32_t trace_read(int core, uint64_t *next, struct toro_trace_event *out, uint32_t capacity, uint64_t *lost)
{
    if (core < 0 || core >= cpu_count() || !cpu_get(core)->trace_ring)
        return 0;
    const struct toro_trace_event *ring = cpu_get(core)->trace_ring;
    const struct toro_trace_control *control = &toro_telemetry.trace_controls[core];
    uint64_t head = __atomic_load_n(&control->head, __ATOMIC_ACQUIRE);
    uint64_t first = *next;
    /* The oldest slot is the one the writer fills next (maybe now): N - 1 events are readable. */
    if (head - first > TORO_TRACE_RING_RECORDS - 1)
        first = head - (TORO_TRACE_RING_RECORDS - 1);
    if (head - first > capacity)
        head = first + capacity;
    for (uint64_t index = first; index < head; index++)
        out[index - first] = ring[index & RING_MASK];
    /* Events the writer may have overwritten during the copy: index <= head_now - capacity. */
    uint64_t head_now = __atomic_load_n(&control->head, __ATOMIC_ACQUIRE);
    uint64_t valid_from = head_now >= TORO_TRACE_RING_RECORDS ? head_now - TORO_TRACE_RING_RECORDS + 1 : 0;
    uint64_t skip = valid_from > first ? valid_from - first : 0;
    if (skip > head - first)
        skip = head - first;
    uint32_t count = (uint32_t)(head - first - skip);
    if (skip)
        memmove(out, out + skip, count * sizeof *out);
    *lost += (first + skip) - *next;
    *next = head;
    return count;
}

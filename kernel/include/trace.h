/*
 * trace.h - the per-core event trace (layout: telemetry_abi.h "event trace";
 * implemented in kernel/core/trace.c, decoded by the engine's
 * debug-adapter/src/engine/trace/). Writing an event never allocates, never
 * waits, never arms a timer and never wakes a core: it costs one load and a
 * test when the kind is off, ~20-30 inline instructions when it is on.
 */
#ifndef TORO_TRACE_H
#define TORO_TRACE_H

#include <stdint.h>
#include "cpu.h"
#include "telemetry.h"
#include "x86.h"

/* Parse trace= (off | on | a comma list of groups), carve a ring per core, publish the section. Boot core,
 * after telemetry_init and memory_init, before the APs run their scheduler. */
void trace_init(void);

/*
 * The write itself, for a caller that already runs with interrupts disabled
 * (an interrupt handler, a spinlock holder, a core record's write section):
 * then no interrupt handler on this core can take the same slot, and the
 * ring keeps one writer. ~20 inline instructions; the ring and its control
 * record come from the core's struct cpu.
 */
static inline void trace_write_irqs_off(uint32_t kind, uint32_t detail, uint32_t arg, uint32_t value)
{
    struct cpu *cpu = mycpu();
    struct toro_trace_event *ring = cpu->trace_ring;
    if (ring) {
        struct toro_trace_control *control = cpu->trace_control;
        uint64_t head = control->head;
        struct toro_trace_event *event = &ring[head & (TORO_TRACE_RING_RECORDS - 1)];
        event->tsc = rdtsc();
        event->kind = (uint8_t)kind;
        event->detail = (uint8_t)detail;
        event->arg = (uint16_t)arg;
        event->value = value;
        __atomic_store_n(&control->head, head + 1, __ATOMIC_RELEASE);
    }
}

/*
 * Any core, any context: disables interrupts around the write (pushf, cli,
 * sti: 6 more instructions). Inline, no call: an out-of-line write cost ~44
 * instructions per event with its call site, this ~30 (toro bench --only
 * trace, kernel/README.md "Event trace").
 */
static inline void trace_write(uint32_t kind, uint32_t detail, uint32_t arg, uint32_t value)
{
    uint64_t flags = read_rflags();
    cli();
    trace_write_irqs_off(kind, detail, arg, value);
    if (flags & RFLAGS_IF)
        sti();
}

static inline int trace_enabled(uint32_t kind)
{
    return (__atomic_load_n(&toro_telemetry.trace.enabled_kinds, __ATOMIC_RELAXED) >> kind) & 1;
}

static inline void trace_event(uint32_t kind, uint32_t detail, uint32_t arg, uint32_t value)
{
    if (__builtin_expect(trace_enabled(kind), 0))
        trace_write(kind, detail, arg, value);
}

/* trace_event where interrupts are known to be off (see trace_write_irqs_off). */
static inline void trace_event_irqs_off(uint32_t kind, uint32_t detail, uint32_t arg, uint32_t value)
{
    if (__builtin_expect(trace_enabled(kind), 0))
        trace_write_irqs_off(kind, detail, arg, value);
}

/* The kinds enabled now, and a new set (a debugger writes the same word in guest memory). */
uint32_t trace_kinds(void);
void trace_set_kinds(uint32_t kinds);

/*
 * In-guest reader (self-tests), the host's protocol: copy the events of `core`
 * from *next on (at most `capacity` of them) into `out`, advance *next, and add
 * to *lost the events overwritten before they could be read. Returns the count.
 */
uint32_t trace_read(int core, uint64_t *next, struct toro_trace_event *out, uint32_t capacity,
                    uint64_t *lost);

#endif

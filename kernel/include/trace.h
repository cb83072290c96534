/*
 * trace.h - the per-core event trace (layout: telemetry_abi.h "event trace";
 * implemented in kernel/core/trace.c, decoded by the engine's
 * debug-adapter/src/engine/trace/). Writing an event never allocates, never
 * waits, never arms a timer and never wakes a core: it costs one load and a
 * test when the kind is off, ~20 instructions when it is on.
 */
#ifndef TORO_TRACE_H
#define TORO_TRACE_H

#include <stdint.h>
#include "telemetry.h"

/* Parse trace= (off | on | a comma list of groups), carve a ring per core, publish the section. Boot core,
 * after telemetry_init and memory_init, before the APs run their scheduler. */
void trace_init(void);

/* Any core, any context (interrupts are disabled inside). */
void trace_write(uint32_t kind, uint32_t detail, uint32_t arg, uint32_t value);

static inline int trace_enabled(uint32_t kind)
{
    return (__atomic_load_n(&toro_telemetry.trace.enabled_kinds, __ATOMIC_RELAXED) >> kind) & 1;
}

static inline void trace_event(uint32_t kind, uint32_t detail, uint32_t arg, uint32_t value)
{
    if (__builtin_expect(trace_enabled(kind), 0))
        trace_write(kind, detail, arg, value);
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

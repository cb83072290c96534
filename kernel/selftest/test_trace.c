/*
 * test_trace.c - the event trace (core/trace.c): events come back in the
 * order written with rising timestamps; a reader that falls behind gets the
 * newest N - 1 events and an exact count of the overwritten ones; a wake-up
 * by IPI shows on both cores (IPI sent, then halt exit with reason IPI from
 * the sender). The tests turn the kinds they need on and restore trace=.
 */
#include "selftest.h"
#include "trace.h"
#include "x86.h"

#define ORDER_EVENTS  200
#define OVERRUN_EXTRA 37
#define HALT_WAIT_US  1000000

static struct toro_trace_event events[TORO_TRACE_RING_RECORDS];

static uint64_t head_of(int core)
{
    return __atomic_load_n(&toro_telemetry.trace_controls[core].head, __ATOMIC_ACQUIRE);
}

void test_trace_order(struct test_result *result)
{
    uint32_t saved = trace_kinds();
    trace_set_kinds(saved | (1u << TORO_TRACE_MARK));
    int core = current_core();
    uint64_t next = head_of(core), lost = 0;
    for (uint32_t index = 0; index < ORDER_EVENTS; index++)
        trace_event(TORO_TRACE_MARK, 0, 0, index);
    uint32_t count = trace_read(core, &next, events, TORO_TRACE_RING_RECORDS, &lost);
    trace_set_kinds(saved);
    EXPECT(result, lost == 0, "%llu events lost", (unsigned long long)lost);
    uint32_t marks = 0;
    for (uint32_t index = 0; index < count; index++) {
        if (index > 0)
            EXPECT(result, events[index].tsc >= events[index - 1].tsc, "event %u goes back in time", index);
        if (events[index].kind != TORO_TRACE_MARK)
            continue; /* an interrupt's events may interleave */
        EXPECT(result, events[index].value == marks, "mark %u has value %u", marks, events[index].value);
        marks++;
    }
    EXPECT(result, marks == ORDER_EVENTS, "%u of %d marks read back", marks, ORDER_EVENTS);
    test_note(result, "%u events read in order on core %d", count, core);
}

void test_trace_overrun(struct test_result *result)
{
    uint32_t saved = trace_kinds();
    int core = current_core();
    uint64_t flags = read_rflags();
    cli(); /* no interrupt's events in between: the counts below are exact */
    trace_set_kinds(1u << TORO_TRACE_MARK);
    uint64_t next = head_of(core), lost = 0;
    uint32_t written = TORO_TRACE_RING_RECORDS + OVERRUN_EXTRA;
    for (uint32_t index = 0; index < written; index++)
        trace_event(TORO_TRACE_MARK, 0, 0, index);
    uint32_t count = trace_read(core, &next, events, TORO_TRACE_RING_RECORDS, &lost);
    uint32_t oldest = events[0].value, newest = count ? events[count - 1].value : 0;
    for (uint32_t index = 0; index < 5; index++)
        trace_event(TORO_TRACE_MARK, 0, 0, written + index);
    uint64_t lost_before = lost;
    uint32_t later = trace_read(core, &next, events, TORO_TRACE_RING_RECORDS, &lost);
    trace_set_kinds(saved);
    if (flags & RFLAGS_IF)
        sti();
    /* The oldest slot is the one the writer fills next, so a full ring yields N - 1 events. */
    EXPECT(result, count == TORO_TRACE_RING_RECORDS - 1, "read %u events from a full ring", count);
    EXPECT(result, lost == OVERRUN_EXTRA + 1, "lost %llu, expected %d", (unsigned long long)lost,
           OVERRUN_EXTRA + 1);
    EXPECT(result, oldest == OVERRUN_EXTRA + 1, "oldest kept mark %u", oldest);
    EXPECT(result, newest == written - 1, "newest mark %u", newest);
    EXPECT(result, later == 5 && lost == lost_before && events[0].value == written,
           "after catching up: %u events, lost %llu", later, (unsigned long long)lost);
    test_note(result, "%u written, %u read, %llu counted as overrun", written, count,
              (unsigned long long)lost);
}

static void noop(void *unused) { (void)unused; }
static void nap(void *unused)
{
    (void)unused;
    thread_sleep_ms(2);
}

static int find(const struct toro_trace_event *list, uint32_t count, uint32_t from, uint32_t kind)
{
    for (uint32_t index = from; index < count; index++)
        if (list[index].kind == kind)
            return (int)index;
    return -1;
}

/* Index of the last event of `kind` before `before`, or -1. */
static int last_before(const struct toro_trace_event *list, int before, uint32_t kind)
{
    for (int at = before - 1; at >= 0; at--)
        if (list[at].kind == kind)
            return at;
    return -1;
}

void test_trace_ipi_wakeup(struct test_result *result)
{
    int other = other_core(), self = current_core();
    if (other == self || !(idle_policy() == TORO_IDLE_HALT || idle_policy() == TORO_IDLE_TICKLESS)) {
        test_skip(result, "needs two cores and a halting idle policy");
        return;
    }
    uint32_t saved = trace_kinds();
    trace_set_kinds(saved | (1u << TORO_TRACE_HALT_ENTER) | (1u << TORO_TRACE_HALT_EXIT) |
                    (1u << TORO_TRACE_IPI_SENT) | (1u << TORO_TRACE_IPI_RECEIVED) |
                    (1u << TORO_TRACE_SWITCH_IN));
    uint64_t other_next = head_of(other), self_next = head_of(self), lost = 0;
    /* A short nap there, so the other core halts again with the kinds on (HALT_ENTER is traced). */
    int napper = thread_create(other, "nap", nap, 0);
    EXPECT(result, napper > 0, "thread_create failed");
    thread_join(napper);
    /* Wait for the other core to halt, so the create below must wake it with an IPI. */
    uint64_t deadline = time_tsc() + time_tsc_hz() / 1000000 * HALT_WAIT_US;
    struct toro_core_record record;
    do {
        telemetry_core_snapshot(other, &record);
    } while (record.state != TORO_CORE_HALTED && time_tsc() < deadline);
    int id = thread_create(other, "traced", noop, 0);
    EXPECT(result, id > 0, "thread_create failed");
    thread_join(id);
    trace_set_kinds(saved);
    EXPECT(result, record.state == TORO_CORE_HALTED, "core %d never halted", other);

    uint32_t count = trace_read(other, &other_next, events, TORO_TRACE_RING_RECORDS, &lost);
    /* Backwards from the traced thread's switch-in: halt exit (IPI from us), IPI received, halt enter. */
    int switched = -1;
    for (uint32_t at = 0; at < count && switched < 0; at++)
        if (events[at].kind == TORO_TRACE_SWITCH_IN && events[at].value == (uint32_t)id)
            switched = (int)at;
    EXPECT(result, switched >= 0, "core %d: thread %d never switched in (%u events)", other, id, count);
    int exit = last_before(events, switched, TORO_TRACE_HALT_EXIT);
    EXPECT(result, exit >= 0 && events[exit].detail == TORO_WAKE_IPI && events[exit].arg == self,
           "core %d: the halt before thread %d ran ended with reason %d from %d (expected IPI from %d)",
           other, id, exit >= 0 ? events[exit].detail : -1, exit >= 0 ? events[exit].arg : -1, self);
    int received = last_before(events, exit, TORO_TRACE_IPI_RECEIVED);
    int entered = last_before(events, exit, TORO_TRACE_HALT_ENTER);
    EXPECT(result, entered >= 0 && received > entered, "core %d: halt enter %d, IPI received %d, exit %d",
           other, entered, received, exit);
    EXPECT(result, events[received].arg == self, "IPI received from %u", events[received].arg);
    uint64_t exit_tsc = events[exit].tsc;

    count = trace_read(self, &self_next, events, TORO_TRACE_RING_RECORDS, &lost);
    int sent = -1;
    for (int at = find(events, count, 0, TORO_TRACE_IPI_SENT); at >= 0 && sent < 0;
         at = find(events, count, (uint32_t)at + 1, TORO_TRACE_IPI_SENT))
        if (events[at].arg == other)
            sent = at;
    EXPECT(result, sent >= 0, "core %d: no IPI sent to core %d", self, other);
    EXPECT(result, lost == 0, "%llu events lost", (unsigned long long)lost);
    uint64_t sent_tsc = events[sent].tsc;
    test_note(result, "IPI %d -> %d: sent to halt exit %llu ns", self, other,
              (unsigned long long)(exit_tsc > sent_tsc ? time_tsc_to_ns(exit_tsc - sent_tsc) : 0));
}

/*
 * core_state.c - a core's state machine and the only writer of its telemetry
 * record (toro_telemetry.cores[i]). Pairs with core_state.h; the record layout
 * is in telemetry_abi.h, the seqlock helpers in telemetry.h.
 *
 * Invariant: the record's `state` and `state_since_tsc` always describe the
 * open interval; closing it adds (now - state_since_tsc) to the counter of
 * that state, so cycles_* plus the open interval always sum to the time since
 * the core came online. Writes happen with interrupts disabled (push_off).
 */
#include "core_state.h"
#include "telemetry.h"
#include "trace.h"
#include "x86.h"

/* Absorbs writes made before core_init_cpu gave this core its real record. */
static struct toro_core_record scratch_record;

static struct toro_core_record *record_open(struct sched_cpu *sched)
{
    push_off();
    struct toro_core_record *record = sched->record ? sched->record : &scratch_record;
    telemetry_write_begin(&record->seq);
    return record;
}

static void record_close(struct toro_core_record *record, uint64_t now)
{
    record->updated_tsc = now;
    telemetry_write_end(&record->seq);
    pop_off();
}

static void account(struct sched_cpu *sched, struct toro_core_record *record, uint64_t now)
{
    uint64_t elapsed = now - sched->state_since_tsc;
    switch (sched->state) {
    case TORO_CORE_RUNNING:
        record->cycles_busy += elapsed;
        break;
    case TORO_CORE_IDLE_SPIN:
        record->cycles_idle_spin += elapsed;
        break;
    case TORO_CORE_HALTED:
        record->cycles_halted += elapsed;
        break;
    case TORO_CORE_LOCK_SPIN:
        record->cycles_lock_spin += elapsed;
        break;
    case TORO_CORE_POLLING:
        record->cycles_polling += elapsed;
        break;
    case TORO_CORE_INTERRUPT:
        record->cycles_interrupt += elapsed;
        break;
    default:
        break; /* OFFLINE: not counted */
    }
}

/* Enter `state` inside an open record write. */
static void enter(struct sched_cpu *sched, struct toro_core_record *record, uint32_t state, uint64_t now)
{
    account(sched, record, now);
    sched->state = state;
    sched->state_since_tsc = now;
    record->state = state;
    record->state_since_tsc = now;
}

void core_state_init(int online)
{
    struct sched_cpu *sched = mysched();
    uint64_t now = rdtsc();
    push_off();
    sched->record = &toro_telemetry.cores[cpu_index()];
    struct toro_core_record *record = sched->record;
    telemetry_write_begin(&record->seq);
    record->apic_id = mycpu()->apic_id;
    record->online = (uint32_t)online;
    record->current_thread = -1;
    record->spinning_lock = -1;
    sched->state = TORO_CORE_RUNNING;
    sched->state_since_tsc = now;
    record->state = TORO_CORE_RUNNING;
    record->state_since_tsc = now;
    record->updated_tsc = now;
    telemetry_write_end(&record->seq);
    pop_off();
}

void core_state_online(void)
{
    struct sched_cpu *sched = mysched();
    struct toro_core_record *record = record_open(sched);
    record->online = 1;
    record_close(record, rdtsc());
}

void core_state_set(uint32_t state)
{
    struct sched_cpu *sched = mysched();
    uint64_t now = rdtsc();
    struct toro_core_record *record = record_open(sched);
    enter(sched, record, state, now);
    record_close(record, now);
}

uint32_t core_state_get(void) { return mysched()->state; }

void core_state_lock_spin_begin(int lock_index)
{
    struct sched_cpu *sched = mysched();
    uint64_t now = rdtsc();
    struct toro_core_record *record = record_open(sched);
    sched->state_before_lock_spin = sched->state;
    record->spinning_lock = lock_index;
    enter(sched, record, TORO_CORE_LOCK_SPIN, now);
    record_close(record, now);
}

void core_state_lock_spin_end(void)
{
    struct sched_cpu *sched = mysched();
    uint64_t now = rdtsc();
    struct toro_core_record *record = record_open(sched);
    record->spinning_lock = -1;
    enter(sched, record, sched->state_before_lock_spin, now);
    record_close(record, now);
}

void core_state_halt(int polling_halt)
{
    struct sched_cpu *sched = mysched();
    uint64_t now = rdtsc();
    struct toro_core_record *record = record_open(sched);
    record->halts++;
    if (polling_halt)
        record->poll_halts++;
    enter(sched, record, TORO_CORE_HALTED, now);
    sched->halt_is_polling = (uint32_t)polling_halt;
    sched->wake_vector = -1;
    sched->wake_source = -1;
    trace_event_irqs_off(TORO_TRACE_HALT_ENTER, (uint32_t)polling_halt, 0, 0);
    record_close(record, now);
}

/* The trace's wake reason for the halt that just ended (see telemetry_interrupt_enter). */
static uint32_t wake_reason(struct sched_cpu *sched, uint32_t *source)
{
    int vector = sched->wake_vector;
    *source = 0xffff;
    if (vector < 0)
        return TORO_WAKE_UNKNOWN;
    if (vector == VECTOR_TIMER)
        return sched->halt_is_polling ? TORO_WAKE_POLL_RECHECK : TORO_WAKE_TIMER;
    if (vector == VECTOR_WAKE_IPI) {
        if (sched->wake_source >= 0)
            *source = (uint32_t)sched->wake_source;
        return TORO_WAKE_IPI;
    }
    *source = (uint32_t)vector;
    return TORO_WAKE_DEVICE;
}

/* The core record's per-reason wake counter (telemetry_abi.h); an unknown reason is not counted. */
static void count_wake(struct toro_core_record *record, uint32_t reason)
{
    switch (reason) {
    case TORO_WAKE_TIMER:
        record->wakes_timer++;
        break;
    case TORO_WAKE_IPI:
        record->wakes_ipi++;
        break;
    case TORO_WAKE_DEVICE:
        record->wakes_device++;
        break;
    case TORO_WAKE_POLL_RECHECK:
        record->wakes_poll_recheck++;
        break;
    default:
        break;
    }
}

void core_state_halt_end(int woke_with_work)
{
    struct sched_cpu *sched = mysched();
    uint64_t now = rdtsc();
    uint32_t source;
    uint32_t reason = wake_reason(sched, &source);
    struct toro_core_record *record = record_open(sched);
    if (woke_with_work)
        record->wakeups++;
    count_wake(record, reason);
    enter(sched, record, TORO_CORE_RUNNING, now);
    trace_event_irqs_off(TORO_TRACE_HALT_EXIT, reason, source, (uint32_t)woke_with_work);
    record_close(record, now);
}

void core_state_switch_in(int thread_id, int polling, uint64_t wakeup_latency_cycles)
{
    struct sched_cpu *sched = mysched();
    uint64_t now = rdtsc();
    struct toro_core_record *record = record_open(sched);
    record->context_switches++;
    record->current_thread = thread_id;
    if (wakeup_latency_cycles) {
        record->last_wakeup_latency_cycles = wakeup_latency_cycles;
        if (wakeup_latency_cycles > record->worst_wakeup_latency_cycles)
            record->worst_wakeup_latency_cycles = wakeup_latency_cycles;
    }
    enter(sched, record, polling ? TORO_CORE_POLLING : TORO_CORE_RUNNING, now);
    trace_event_irqs_off(TORO_TRACE_SWITCH_IN, (uint32_t)polling, 0, (uint32_t)thread_id);
    record_close(record, now);
}

void core_state_switch_out(int thread_id, uint32_t thread_state)
{
    struct sched_cpu *sched = mysched();
    uint64_t now = rdtsc();
    struct toro_core_record *record = record_open(sched);
    record->current_thread = -1;
    enter(sched, record, TORO_CORE_RUNNING, now);
    trace_event_irqs_off(TORO_TRACE_SWITCH_OUT, thread_state, 0, (uint32_t)thread_id);
    record_close(record, now);
}

void core_state_thread_counts(void)
{
    struct sched_cpu *sched = mysched();
    struct toro_core_record *record = record_open(sched);
    record->ready_threads = sched->ready.count;
    record->total_threads = sched->total_threads;
    record->polling_threads = sched->polling_threads;
    record_close(record, rdtsc());
}

void core_state_ipi_sent(int target_core)
{
    struct sched_cpu *sched = mysched();
    struct toro_core_record *record = record_open(sched);
    record->ipis_sent++;
    trace_event_irqs_off(TORO_TRACE_IPI_SENT, 0, (uint32_t)target_core, 0);
    record_close(record, rdtsc());
}

void core_state_net_count(uint32_t frames_in, uint32_t frames_out, uint32_t frames_dropped)
{
    struct sched_cpu *sched = mysched();
    struct toro_core_record *record = record_open(sched);
    record->net_frames_in += frames_in;
    record->net_frames_out += frames_out;
    record->net_frames_dropped += frames_dropped;
    record_close(record, rdtsc());
}

void core_state_net_gauges(uint32_t connections_open, uint32_t time_wait)
{
    struct sched_cpu *sched = mysched();
    struct toro_core_record *record = record_open(sched);
    record->net_connections_open = connections_open;
    record->net_time_wait = time_wait;
    record_close(record, rdtsc());
}

/*
 * Interrupt hooks, called by the trap dispatcher with interrupts disabled.
 * The state before the interrupt is saved and restored, so a halt, an idle
 * spin or a lock spin resumes its own interval after the handler.
 */
void telemetry_interrupt_enter(int vector)
{
    struct sched_cpu *sched = mysched();
    uint64_t now = rdtsc();
    struct toro_core_record *record = record_open(sched);
    record->interrupts++;
    if (vector == VECTOR_TIMER)
        record->timer_interrupts++;
    if (vector == VECTOR_WAKE_IPI || vector == VECTOR_PANIC_IPI)
        record->ipis_received++;
    int source = -1;
    if (vector == VECTOR_WAKE_IPI)
        source = __atomic_exchange_n(&sched->ipi_from, -1, __ATOMIC_ACQ_REL);
    if (sched->state == TORO_CORE_HALTED && sched->wake_vector < 0) {
        sched->wake_vector = vector;
        sched->wake_source = source;
    }
    if (sched->interrupt_depth++ == 0) {
        sched->state_before_interrupt = sched->state;
        enter(sched, record, TORO_CORE_INTERRUPT, now);
    }
    if (vector == VECTOR_PANIC_IPI) {
        /* Another core panicked; this one stops inside the handler for good. */
        enter(sched, record, TORO_CORE_OFFLINE, now);
        record->current_thread = -1;
    }
    record_close(record, now);
    if (vector == VECTOR_TIMER)
        trace_event_irqs_off(TORO_TRACE_TIMER_FIRED, 0, 0, 0);
    else if (vector == VECTOR_WAKE_IPI)
        trace_event_irqs_off(TORO_TRACE_IPI_RECEIVED, 0, source < 0 ? 0xffff : (uint32_t)source, 0);
    else if (vector != VECTOR_PANIC_IPI)
        trace_event_irqs_off(TORO_TRACE_INTERRUPT, 0, (uint32_t)vector, 0);
}

void telemetry_interrupt_exit(void)
{
    struct sched_cpu *sched = mysched();
    uint64_t now = rdtsc();
    struct toro_core_record *record = record_open(sched);
    if (sched->interrupt_depth > 0 && --sched->interrupt_depth == 0)
        enter(sched, record, sched->state_before_interrupt, now);
    record_close(record, now);
}

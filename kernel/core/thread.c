/*
 * thread.c - thread lifecycle: create (here or on another core), yield, sleep,
 * block/wake, exit, join, and each thread's telemetry record. Pairs with
 * thread.h (internal) and toro.h (app API); scheduler.c runs the threads.
 *
 * Cross-core rules: a thread is created by any core but admitted, run, and
 * freed only by its own core (remote creators and joiners post mailbox
 * messages). Its telemetry record is written only by its own core.
 */
#include "thread.h"
#include "arch.h"
#include "console.h"
#include "core_state.h"
#include "mailbox.h"
#include "memory.h"
#include "scheduler.h"
#include "string.h"
#include "telemetry.h"
#include "trace.h"
#include "x86.h"

/* Live threads by telemetry slot (for thread_find); set by the creator, cleared by the joiner. */
static struct thread *threads_by_slot[TORO_MAX_THREADS];
static int next_thread_id = 1;

void thread_trampoline(void); /* switch.S: first return address of a new thread */

struct thread *mythread(void) { return mysched()->current; }

int thread_stack_overflow(uint64_t address, char *text, size_t size)
{
    struct thread *thread = mythread();
    if (!thread || !stack_guard_hit(thread->stack, address))
        return 0;
    ksnprintf(text, size, "stack overflow: thread %d (%s) on cpu %d ran into its guard page at %#lx",
              thread->id, thread->name, cpu_index(), address);
    return 1;
}

int current_thread(void)
{
    struct thread *thread = mythread();
    return thread ? thread->id : 0;
}

void thread_record_update(struct thread *thread)
{
    struct toro_thread_record *record = &toro_telemetry.threads[thread->slot];
    push_off();
    telemetry_write_begin(&record->seq);
    record->id = thread->id;
    record->core = thread->core;
    record->state = thread->state;
    record->polling = thread->polling;
    record->switches = thread->switches;
    memcpy(record->name, thread->name, sizeof record->name);
    telemetry_write_end(&record->seq);
    pop_off();
}

void thread_record_free(int slot)
{
    struct toro_thread_record *record = &toro_telemetry.threads[slot];
    push_off();
    telemetry_write_begin(&record->seq);
    record->id = -1;
    record->core = -1;
    record->state = TORO_THREAD_FREE;
    record->polling = 0;
    record->switches = 0;
    memset(record->name, 0, sizeof record->name);
    telemetry_write_end(&record->seq);
    pop_off();
}

/* The first frame of a new thread: context_switch "returns" into thread_trampoline. */
static void prepare_stack(struct thread *thread)
{
    uintptr_t top = ((uintptr_t)thread->stack + THREAD_STACK_SIZE) & ~(uintptr_t)15;
    /* After `ret` pops return_address, rsp is 16-byte aligned, as the trampoline's call expects. */
    struct context *context = (struct context *)(top - 64 + 8);
    memset(context, 0, sizeof *context);
    context->return_address = (uint64_t)(uintptr_t)thread_trampoline;
    thread->context = context;
}

int thread_create(int core, const char *name, thread_function function, void *argument)
{
    if (!core_is_online(core) || !function)
        return -1;
    int slot = telemetry_thread_slot_claim();
    if (slot < 0)
        return -1;
    struct thread *thread = kzalloc(sizeof *thread);
    void *stack = thread ? stack_alloc(THREAD_STACK_SIZE) : 0; /* with a guard page below */
    if (!stack) {
        kfree(thread);
        telemetry_thread_slot_release(slot);
        return -1;
    }
    thread->id = __atomic_fetch_add(&next_thread_id, 1, __ATOMIC_RELAXED);
    thread->core = core;
    thread->slot = slot;
    strlcpy(thread->name, name ? name : "thread", sizeof thread->name);
    thread->function = function;
    thread->argument = argument;
    thread->stack = stack;
    thread->state = TORO_THREAD_READY;
    prepare_stack(thread);
    int id = thread->id;
    __atomic_store_n(&threads_by_slot[slot], thread, __ATOMIC_RELEASE);
    trace_event(TORO_TRACE_THREAD_CREATED, 0, (uint32_t)core, (uint32_t)id);
    if (core == cpu_index()) {
        scheduler_admit(thread);
    } else {
        thread->create_node.kind = MAILBOX_CREATE;
        mailbox_post(core, &thread->create_node);
    }
    return id; /* not thread->id: a remote thread may already be gone */
}

struct thread *thread_find(int thread_id)
{
    for (int slot = 0; slot < TORO_MAX_THREADS; slot++) {
        struct thread *thread = __atomic_load_n(&threads_by_slot[slot], __ATOMIC_ACQUIRE);
        if (thread && thread->id == thread_id)
            return thread;
    }
    return 0;
}

static struct thread *require_thread(const char *operation)
{
    struct thread *thread = mythread();
    if (!thread)
        panic("%s called outside a thread on cpu %d", operation, cpu_index());
    return thread;
}

void thread_yield(void)
{
    require_thread("thread_yield");
    scheduler_switch_out(TORO_THREAD_READY);
}

void thread_block(void)
{
    require_thread("thread_block");
    scheduler_switch_out(TORO_THREAD_BLOCKED);
}

void thread_sleep_us(uint64_t microseconds)
{
    struct thread *thread = require_thread("thread_sleep");
    if (microseconds == 0) {
        thread_yield();
        return;
    }
    thread->wake_tsc = rdtsc() + ns_to_tsc(microseconds * 1000);
    timer_add_sleeper(thread);
    scheduler_switch_out(TORO_THREAD_SLEEPING);
}

void thread_block_until(uint64_t deadline_tsc)
{
    struct thread *thread = require_thread("thread_block_until");
    if (deadline_tsc == 0) {
        scheduler_switch_out(TORO_THREAD_BLOCKED);
        return;
    }
    /* On the sleep list while BLOCKED: the deadline or a thread_wake readies it, whichever comes first. */
    thread->wake_tsc = deadline_tsc;
    timer_add_sleeper(thread);
    scheduler_switch_out(TORO_THREAD_BLOCKED);
}

void thread_sleep_ms(uint64_t milliseconds) { thread_sleep_us(milliseconds * 1000); }

void thread_wake(struct thread *thread)
{
    struct thread *self = mythread();
    /* An interrupt handler may have interrupted this core's scheduler in the middle of a
     * queue update, so from there even a local wake-up goes through the mailbox. */
    if (thread->core == cpu_index() && !core_in_interrupt()) {
        /* Same core: the thread cannot be mid-block (threads are cooperative). */
        if (thread->state == TORO_THREAD_BLOCKED && thread != self) {
            thread->wake_raised_tsc = rdtsc();
            scheduler_make_ready(thread);
        }
        return;
    }
    if (__atomic_exchange_n(&thread->wake_pending, 1, __ATOMIC_SEQ_CST))
        return; /* already posted and not yet handled: that wake-up covers this one */
    thread->wake_raised_tsc = rdtsc();
    thread->wake_node.kind = MAILBOX_WAKE;
    mailbox_post(thread->core, &thread->wake_node);
}

void thread_exit(void)
{
    require_thread("thread_exit");
    scheduler_switch_out(TORO_THREAD_EXITED);
    panic("thread_exit: an exited thread was resumed");
}

void thread_entry(void)
{
    struct thread *thread = mythread();
    thread->function(thread->argument);
    thread_exit();
}

int thread_join(int thread_id)
{
    struct thread *self = require_thread("thread_join");
    struct thread *thread = thread_find(thread_id);
    if (!thread)
        return -1;
    if (thread == self)
        panic("thread_join: thread %d (%s) joins itself", self->id, self->name);
    struct thread *expected = 0;
    if (!__atomic_compare_exchange_n(&thread->joiner, &expected, self, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        panic("thread_join: thread %d (%s) is already being joined", thread->id, thread->name);
    /* Pairs with scheduler.c: finished is set before the joiner is read there. */
    while (!__atomic_load_n(&thread->finished, __ATOMIC_SEQ_CST))
        thread_block();
    /* Unfindable from now on, so a second join fails instead of racing the reap. */
    __atomic_store_n(&threads_by_slot[thread->slot], 0, __ATOMIC_RELEASE);
    if (thread->core == cpu_index()) {
        scheduler_reap(thread);
    } else {
        thread->reap_node.kind = MAILBOX_REAP;
        mailbox_post(thread->core, &thread->reap_node);
    }
    return 0;
}

/* Owner core: forget the thread and give its memory and slot back. */
void scheduler_reap(struct thread *thread)
{
    int slot = thread->slot;
    thread_record_free(slot);
    telemetry_thread_slot_release(slot);
    stack_free(thread->stack, THREAD_STACK_SIZE);
    kfree(thread);
}

/*
 * toro.h - the application API: everything an app (samples/, kernel/selftest/)
 * needs. An app defines `void main(void)`, which the kernel runs as the first
 * thread ("main") on core 0 once every core is up. Implemented in kernel/core/
 * (thread.c, scheduler.c, timer.c, polling.c, channel.c, spinlock.c, api.c).
 *
 * Threads are cooperative and pinned: a thread runs on the core it was created
 * on until it yields, sleeps, blocks or exits. Calls marked "thread context"
 * must be made from a thread, never from an interrupt handler.
 */
#ifndef TORO_H
#define TORO_H

#include <stdint.h>
#include "console.h"       /* kprintf(fmt, ...): one whole line per call, prefixed by the core */
#include "spinlock.h"      /* struct spinlock, SPINLOCK_INITIALIZER, acquire/release/holding */
#include "telemetry_abi.h" /* record layouts returned by the telemetry snapshot calls */

/* ---- threads ---------------------------------------------------------- */

typedef void (*thread_function)(void *argument);

/*
 * Create a thread named `name` (copied, truncated to TORO_NAME_LENGTH-1) that
 * runs function(argument) on core `core` (0..core_count()-1), pinned there.
 * Returns its id (> 0, never reused) or -1 if the core is not online or the
 * thread table (TORO_MAX_THREADS) is full. On another core the request goes
 * through that core's lock-free mailbox and a wake-up IPI if it is halted.
 * Returning from `function` is the same as thread_exit(). Thread context.
 */
int thread_create(int core, const char *name, thread_function function, void *argument);

/*
 * Wait until thread `thread_id` has exited, then release its resources (stack,
 * telemetry slot). May be called from any core; each thread must be joined at
 * most once, and never by itself. Blocks without spinning. Returns 0, or -1
 * if there is no such thread (never created, or already joined). A thread
 * that is never joined keeps its slot, shown as EXITED in telemetry.
 */
int thread_join(int thread_id);

/* Let the other ready threads of this core run; returns when it is our turn again. */
void thread_yield(void);

/*
 * Sleep at least `milliseconds` (0 = yield). Never busy-waits: the thread is
 * queued on its core's timer queue, and a core with nothing else to do halts
 * until the deadline (one-shot LAPIC timer under idle=tickless, the periodic
 * tick under idle=halt, a TSC-polling idle loop under idle=busy/pause).
 */
void thread_sleep_ms(uint64_t milliseconds);
void thread_sleep_us(uint64_t microseconds);

/* End the calling thread. Its joiner (if any) is woken. */
__attribute__((noreturn)) void thread_exit(void);

/* Id of the calling thread (0 when called from a core's scheduler). */
int current_thread(void);

/* Index of the core we run on (0 = boot core). */
int current_core(void);

/* Number of cores online (in their schedulers); cores are numbered 0..count-1. */
int core_count(void);

/* ---- polling (DESIGN.md case 4) ---------------------------------------- */

/*
 * "I polled and found nothing": marks the calling thread as only polling, then
 * yields. When every ready thread of a core has only been polling for longer
 * than the grace period (`pollgrace=` microseconds, default 1000), the core
 * halts until the next interrupt (a wake-up IPI, a channel doorbell, a timer),
 * then lets them poll again. Under idle=busy/pause the core never halts: the
 * state is shown as POLLING but the threads just keep polling. Thread context.
 */
void poll_idle(void);

/* "I did work": the calling thread is no longer only polling (no yield). */
void poll_work(void);

/* ---- channels: cross-core SPSC rings with an IPI doorbell ------------- */

struct channel; /* opaque; see channel.h */

/*
 * A channel carries 64-bit values from one sending thread on `sender_core` to
 * one receiving thread on `receiver_core` (the two may be equal), in order.
 * `capacity` is rounded up to a power of two (at least 2). Returns 0 on
 * invalid cores or when memory is exhausted. Exactly one thread may send and
 * one may receive on a channel at a time (single producer, single consumer).
 */
struct channel *channel_create(int sender_core, int receiver_core, uint32_t capacity);

/* Send `value`; blocks (without spinning) while the ring is full. Thread context. */
void channel_send(struct channel *channel, uint64_t value);

/* Receive the oldest value; blocks (the core may halt) while empty. Thread context. */
uint64_t channel_receive(struct channel *channel);

/* Non-blocking forms: return 1 on success, 0 if full / empty. */
int channel_try_send(struct channel *channel, uint64_t value);
int channel_try_receive(struct channel *channel, uint64_t *value);

/* ---- time --------------------------------------------------------------- */

uint64_t time_now_ns(void); /* nanoseconds since boot (calibrated TSC) */
uint64_t time_now_us(void); /* microseconds since boot */
uint64_t time_tsc(void);    /* raw time-stamp counter */
uint64_t time_tsc_hz(void); /* TSC ticks per second */
uint64_t time_tsc_to_ns(uint64_t cycles);

/* ---- telemetry snapshots (the same data the host reads from guest RAM) -- */

/* Consistent copy of core `core`'s record (retries while it is being written). 0 ok, -1 bad core. */
int telemetry_core_snapshot(int core, struct toro_core_record *out);

/* Consistent copy of a lock's record. 0 ok, -1 if the lock has no record (never acquired, or table full). */
int telemetry_lock_snapshot(const struct spinlock *lock, struct toro_lock_record *out);

/* The idle policy in force (enum toro_idle_policy) and its name ("tickless"...). */
uint32_t idle_policy(void);
const char *idle_policy_name(uint32_t policy);

/* ---- command line ------------------------------------------------------- */

/* Value of `key=value` on the kernel command line, "" for a bare `key`, 0 if absent. */
const char *app_argument(const char *key);

/* `key=number` as a number (decimal, or hex after 0x); `default_value` if absent or not a number. */
uint64_t app_argument_number(const char *key, uint64_t default_value);

/* ---- leaving ------------------------------------------------------------ */

/*
 * Leave QEMU through isa-debug-exit: QEMU exits with code (status << 1) | 1.
 * Without that device the machine halts forever. For tests.
 */
__attribute__((noreturn)) void toro_exit(int status);

#endif

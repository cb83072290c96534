/*
 * host.c - the kernel services kernel/net/ calls, for a single-threaded host
 * process (the fuzzers): a fake clock, spinlocks that check their invariants,
 * one fake thread whose blocking advances the clock instead of switching,
 * kmalloc over malloc (so AddressSanitizer sees every buffer), a silent
 * console and a panic that aborts. Declarations come from the kernel's
 * headers, so a changed signature fails to compile here. Pairs with host.h
 * and harness.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "arch.h"
#include "console.h"
#include "harness.h"
#include "memory.h"
#include "spinlock.h"
#include "string.h"
#include "telemetry.h"
#include "thread.h"

static uint64_t clock_now = 1000000000ull; /* starts at 1 s: 0 means "no deadline" to the stack */
static struct thread fuzz_thread = { .id = 1, .name = "fuzz" };

uint64_t fuzz_clock_now(void) { return clock_now; }

void fuzz_clock_advance_to(uint64_t tsc)
{
    if (tsc > clock_now)
        clock_now = tsc;
}

uint64_t tsc_to_ns(uint64_t cycles) { return cycles; }
uint64_t ns_to_tsc(uint64_t ns) { return ns; }
const char *cmdline_get(const char *key)
{
    /* Every setting at its default but the steering: the buckets dealt over the two cores of
     * cpu_count(), so that half of the connections go through core 1's inbox (owner.c). */
    return strcmp(key, "steer") == 0 ? "spread" : 0;
}

/* ---- locks: one thread, so a lock is either free or held by it --------------------- */

void spinlock_init(struct spinlock *lock, const char *name)
{
    *lock = (struct spinlock)SPINLOCK_INITIALIZER(name);
}

void acquire(struct spinlock *lock)
{
    if (lock->locked)
        panic("acquire: double acquire of spinlock %s", lock->name);
    lock->locked = 1;
    lock->owner_core = 0;
}

int try_acquire(struct spinlock *lock)
{
    if (lock->locked)
        return 0;
    acquire(lock);
    return 1;
}

void release(struct spinlock *lock)
{
    if (!lock->locked)
        panic("release: spinlock %s which is not held", lock->name);
    lock->locked = 0;
    lock->owner_core = -1;
}

int holding(struct spinlock *lock) { return lock->locked != 0; }

/* ---- threads: the harness is the one thread; blocking is time passing ------------- */

struct thread *mythread(void) { return &fuzz_thread; }

/* Two owner cores for the stack (net.cores); the harness itself runs on core 0 (host.h's cpu_index),
 * the network core, and plays core 1's owner thread (harness.c's run_owner_passes). */
int cpu_count(void) { return 2; }

int thread_create(int core, const char *name, thread_function function, void *argument)
{
    (void)core, (void)name, (void)function, (void)argument;
    return 2; /* the network thread is not run: the harness plays its part (harness.c) */
}

void thread_yield(void) {}
void thread_wake(struct thread *thread) { (void)thread; }

void thread_block_until(uint64_t deadline_tsc)
{
    if (deadline_tsc == 0)
        panic("thread_block_until: the harness would wait forever (use a timeout)");
    fuzz_clock_advance_to(deadline_tsc);
    fuzz_network_pass(); /* what the network thread does while the caller sleeps */
}

void thread_block(void) { panic("thread_block: the harness would wait forever"); }

/* ---- telemetry: the per-core network counters have no reader here --------------- */

void core_state_net_count(uint32_t frames_in, uint32_t frames_out, uint32_t frames_dropped)
{
    (void)frames_in, (void)frames_out, (void)frames_dropped;
}

void core_state_net_gauges(uint32_t connections_open, uint32_t time_wait)
{
    (void)connections_open, (void)time_wait;
}

/* ---- memory --------------------------------------------------------------------- */

void *kmalloc(size_t size) { return malloc(size ? size : 1); }
void *kzalloc(size_t size) { return calloc(1, size ? size : 1); }
void kfree(void *pointer) { free(pointer); }

/* ---- console and panic ------------------------------------------------------------ */

void kvprintf(const char *format, va_list arguments)
{
    if (getenv("FUZZ_VERBOSE"))
        vfprintf(stderr, format, arguments);
}

void kprintf(const char *format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    kvprintf(format, arguments);
    va_end(arguments);
}

void panic(const char *format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    fprintf(stderr, "PANIC (fuzz host): ");
    vfprintf(stderr, format, arguments);
    fputc('\n', stderr);
    va_end(arguments);
    abort(); /* libFuzzer reports it as a crash and keeps the input */
}

int parse_unsigned(const char *text, unsigned long long *value)
{
    char *end;
    if (!text || !*text)
        return -1;
    *value = strtoull(text, &end, 10);
    return *end ? -1 : 0;
}

/* The real driver is not built; net_start finds no device. */
struct net_interface *virtio_net_probe(int core)
{
    (void)core;
    return 0;
}

int kvsnprintf(char *buffer, size_t size, const char *format, va_list arguments)
{
    return vsnprintf(buffer, size, format, arguments);
}

int ksnprintf(char *buffer, size_t size, const char *format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    int length = kvsnprintf(buffer, size, format, arguments);
    va_end(arguments);
    return length;
}

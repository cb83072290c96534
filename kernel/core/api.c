/*
 * api.c - the small calls of the app API (toro.h) that are not part of a
 * bigger concept: core and policy queries, time, telemetry snapshots, exit.
 * Threads, polling, channels and spinlocks have their own files.
 */
#include "toro.h"
#include "arch.h"
#include "config.h"
#include "cpu.h"
#include "string.h"
#include "telemetry.h"
#include "x86.h"

int current_core(void) { return cpu_index(); }

uint32_t idle_policy(void) { return core_config.idle_policy; }

uint64_t time_tsc(void) { return rdtsc(); }

uint64_t time_tsc_hz(void) { return tsc_hz; }

uint64_t time_tsc_to_ns(uint64_t cycles) { return tsc_to_ns(cycles); }

uint64_t time_now_ns(void) { return tsc_to_ns(rdtsc() - boot_tsc); }

uint64_t time_now_us(void) { return time_now_ns() / 1000; }

int telemetry_core_snapshot(int core, struct toro_core_record *out)
{
    if (core < 0 || core >= TORO_MAX_CPUS || core >= cpu_count())
        return -1;
    telemetry_read_record(&toro_telemetry.cores[core], out, sizeof *out);
    return 0;
}

int telemetry_lock_snapshot(const struct spinlock *lock, struct toro_lock_record *out)
{
    int index = lock->telemetry_index;
    if (index < 0 || index >= TORO_MAX_LOCKS)
        return -1;
    telemetry_read_record(&toro_telemetry.locks[index], out, sizeof *out);
    return 0;
}

const char *app_argument(const char *key) { return cmdline_get(key); }

uint64_t app_argument_number(const char *key, uint64_t default_value)
{
    const char *text = cmdline_get(key);
    unsigned long long value;
    if (!text || parse_unsigned(text, &value) != 0)
        return default_value;
    return value;
}

void toro_exit(int status) { qemu_exit(status); }

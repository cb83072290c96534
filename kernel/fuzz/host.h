/*
 * host.h - force-included (clang -include) into every kernel file built for
 * the host fuzzers (kernel/fuzz/Makefile). It takes the kernel's own headers
 * first, then points the few calls that touch the machine at the host shims
 * of host.c: the TSC becomes the fake clock, the core index is 0. Nothing
 * else of the kernel is replaced; the code under test is kernel/net/ itself.
 */
#ifndef TORO_FUZZ_HOST_H
#define TORO_FUZZ_HOST_H

#include <stdint.h>
#include "x86.h" /* the kernel's: its inline assembly is defined but never called */
#include "cpu.h"

/* The fake clock, in TSC cycles of a 1 GHz TSC (1 cycle = 1 ns). Only moves when told (host.c). */
uint64_t fuzz_clock_now(void);
#define rdtsc()     fuzz_clock_now()
#define cpu_index() 0

#endif

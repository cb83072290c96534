/*
 * trampoline.h - the parameter block through which the boot core hands an AP
 * its page tables, stack, struct cpu and C entry point. Shared by
 * trampoline.S (reads it in real/long mode) and smp.c (fills it in before
 * each INIT-SIPI-SIPI). The block sits at the end of the trampoline page.
 */
#ifndef TORO_TRAMPOLINE_H
#define TORO_TRAMPOLINE_H

#include "param.h"

#define TRAMPOLINE_PARAMETERS      (TRAMPOLINE_ADDRESS + 0xF00)
#define TRAMPOLINE_PARAMETER_CR3   0  /* page-table root (below 4 GiB) */
#define TRAMPOLINE_PARAMETER_STACK 8  /* top of the AP's stack */
#define TRAMPOLINE_PARAMETER_CPU   16 /* struct cpu * passed to the entry */
#define TRAMPOLINE_PARAMETER_ENTRY 24 /* void entry(struct cpu *), never returns */
#define TRAMPOLINE_PARAMETER_ALIVE 32 /* AP sets 1 on reaching long mode */

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct trampoline_parameters {
    uint64_t cr3;
    uint64_t stack;
    uint64_t cpu;
    uint64_t entry;
    volatile uint32_t alive;
};

_Static_assert(offsetof(struct trampoline_parameters, cr3) == TRAMPOLINE_PARAMETER_CR3, "cr3 offset");
_Static_assert(offsetof(struct trampoline_parameters, stack) == TRAMPOLINE_PARAMETER_STACK, "stack offset");
_Static_assert(offsetof(struct trampoline_parameters, cpu) == TRAMPOLINE_PARAMETER_CPU, "cpu offset");
_Static_assert(offsetof(struct trampoline_parameters, entry) == TRAMPOLINE_PARAMETER_ENTRY, "entry offset");
_Static_assert(offsetof(struct trampoline_parameters, alive) == TRAMPOLINE_PARAMETER_ALIVE, "alive offset");

/* Bounds of the position-dependent code copied to TRAMPOLINE_ADDRESS. */
extern const char trampoline_start[], trampoline_end[];
#endif

#endif

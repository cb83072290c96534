/*
 * config.h - kernel-core settings read once from the command line by core.c
 * (idle=, pollgrace=) and then read-only on every core.
 */
#ifndef TORO_CORE_CONFIG_H
#define TORO_CORE_CONFIG_H

#include <stdint.h>
#include "telemetry_abi.h"

#define IDLE_TICK_HZ          100     /* periodic tick of idle=halt */
#define POLL_GRACE_DEFAULT_US 1000    /* pollgrace= default */
#define POLL_MIN_IDLE_POLLS   2       /* a thread only polls once it found nothing this often in a row */
#define POLL_RECHECK_HZ       100     /* tickless: a polling halt also ends after 1/POLL_RECHECK_HZ s */
#define READY_WAIT_TIMEOUT_US 2000000 /* boot core waits this long for the other cores */

struct core_config {
    uint32_t idle_policy; /* enum toro_idle_policy */
    uint64_t poll_grace_us;
    uint64_t poll_grace_tsc;   /* the same in TSC cycles */
    uint64_t poll_recheck_tsc; /* tickless polling halt: longest halt before threads poll again */
    uint64_t tick_hz;          /* periodic tick rate, 0 when the policy has no tick */
};

extern struct core_config core_config;

/* 1 under idle=halt and idle=tickless: idle cores and polling cores execute hlt. */
static inline int idle_policy_halts(void)
{
    return core_config.idle_policy == TORO_IDLE_HALT || core_config.idle_policy == TORO_IDLE_TICKLESS;
}

#endif

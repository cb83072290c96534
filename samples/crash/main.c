/*
 * crash - follows a null pointer three calls deep, so the CPU raises a page
 * fault and the kernel prints its exception panic report (core, vector name,
 * error code, CR2 = the faulting address, RIP, registers). See README.md.
 */
#include "toro.h"

struct config {
    int verbose;
    int retries;
};

/* volatile: the compiler cannot see that it is null, so it emits a real load. */
static struct config *volatile loaded_config;

__attribute__((noinline)) static int read_retries(const struct config *config)
{
    return config->retries; /* <- faults here: config is null */
}

__attribute__((noinline)) static int plan_retries(void)
{
    const struct config *config = loaded_config;
    return read_retries(config) + 1;
}

void main(void)
{
    kprintf("crash: about to follow a null pointer on core %d\n", current_core());
    int retries = plan_retries();
    kprintf("crash: FAIL: survived a null dereference (read %d)\n", retries);
}

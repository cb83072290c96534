/*
 * hello - the smallest Toro app: one thread per core says hello, main joins
 * them and returns, and every core goes idle (with `exit` on the command line
 * it leaves QEMU instead). See README.md.
 */
#include "toro.h"

static void say_hello(void *unused)
{
    (void)unused;
    kprintf("hello from core %d (thread %d)\n", current_core(), current_thread());
}

void main(void)
{
    int ids[TORO_MAX_CPUS];
    const int cores = core_count(); /* once: the loops below must agree on it */
    kprintf("hello: %d cores, idle=%s\n", core_count(), idle_policy_name(idle_policy()));
    for (int core = 0; core < cores; core++)
        ids[core] = thread_create(core, "hello", say_hello, 0);
    for (int core = 0; core < cores; core++)
        thread_join(ids[core]);
    kprintf("hello: done\n");
    if (app_argument("exit"))
        toro_exit(0);
}

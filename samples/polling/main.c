/*
 * polling - threads that only poll (DESIGN.md's case 4). One worker per core
 * polls its channel with channel_try_receive and says poll_idle() when it
 * finds nothing; main hands out a job every period_ms, and the worker says
 * poll_work() and does it. See README.md.
 * Arguments: period_ms= (2000), job_ms= (300), rounds= (0 = forever), exit.
 */
#include "toro.h"

#define STOP_JOB 0

struct worker {
    struct channel *jobs;
    volatile uint64_t polls;
};

static struct worker workers[TORO_MAX_CPUS];
static volatile uint64_t work_sink;

static void do_job(uint64_t job_ms)
{
    uint64_t end = time_now_us() + job_ms * 1000;
    uint64_t value = 1;
    while (time_now_us() < end)
        value = value * 2862933555777941757ull + 3037000493ull;
    work_sink = value;
}

static void poll_for_jobs(void *argument)
{
    struct worker *worker = argument;
    uint64_t job_ms = app_argument_number("job_ms", 300);
    for (;;) {
        uint64_t job;
        if (!channel_try_receive(worker->jobs, &job)) {
            worker->polls++;
            poll_idle(); /* found nothing: the core may halt once every thread only polls */
            continue;
        }
        poll_work(); /* found a job */
        if (job == STOP_JOB)
            return;
        kprintf("polling: core %d got job %llu after %llu polls\n", current_core(), (unsigned long long)job,
                (unsigned long long)worker->polls);
        worker->polls = 0;
        do_job(job_ms);
    }
}

static uint64_t total_poll_halts(void)
{
    uint64_t total = 0;
    for (int core = 0; core < core_count(); core++) {
        struct toro_core_record record;
        telemetry_core_snapshot(core, &record);
        total += record.poll_halts;
    }
    return total;
}

void main(void)
{
    int ids[TORO_MAX_CPUS];
    const int cores = core_count(); /* once: the loops below must agree on it */
    uint64_t period_ms = app_argument_number("period_ms", 2000);
    uint64_t rounds = app_argument_number("rounds", 0);
    kprintf("polling: %d pollers, idle=%s, a job every %llu ms\n", core_count(),
            idle_policy_name(idle_policy()), (unsigned long long)period_ms);
    for (int core = 0; core < cores; core++) {
        workers[core].jobs = channel_create(0, core, 4);
        ids[core] = thread_create(core, "poller", poll_for_jobs, &workers[core]);
    }
    for (uint64_t job = 1; rounds == 0 || job <= rounds; job++) {
        uint64_t halts_before = total_poll_halts();
        thread_sleep_ms(period_ms);
        kprintf("polling: round %llu: %llu polling halts while waiting\n", (unsigned long long)job,
                (unsigned long long)(total_poll_halts() - halts_before));
        for (int core = 0; core < cores; core++)
            channel_send(workers[core].jobs, job);
    }
    for (int core = 0; core < cores; core++)
        channel_send(workers[core].jobs, STOP_JOB);
    for (int core = 0; core < cores; core++)
        thread_join(ids[core]);
    kprintf("polling: done\n");
    if (app_argument("exit"))
        toro_exit(0);
}

/*
 * lapic.c - the local APIC in xAPIC (MMIO) mode: enable, EOI, IPIs (fixed,
 * INIT, STARTUP) and the timer (periodic or one-shot, divide by 16). The
 * timer's rate is measured once against the TSC on the boot core; every core
 * then programs its own. Pairs with arch.h (public calls) and smp.c.
 */
#include <stdint.h>
#include "arch.h"
#include "console.h"
#include "cpu.h"
#include "internal.h"
#include "memory.h"
#include "x86.h"

/* Register offsets (Intel SDM vol. 3, "Local APIC Register Address Map"). */
#define LAPIC_ID            0x020
#define LAPIC_VERSION       0x030
#define LAPIC_TASK_PRIORITY 0x080
#define LAPIC_EOI           0x0B0
#define LAPIC_SPURIOUS      0x0F0
#define LAPIC_ERROR_STATUS  0x280
#define LAPIC_ICR_LOW       0x300
#define LAPIC_ICR_HIGH      0x310
#define LAPIC_LVT_TIMER     0x320
#define LAPIC_LVT_LINT0     0x350
#define LAPIC_LVT_LINT1     0x360
#define LAPIC_LVT_ERROR     0x370
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE  0x3E0

#define SPURIOUS_ENABLE        (1u << 8)
#define LVT_MASKED             (1u << 16)
#define LVT_TIMER_PERIODIC     (1u << 17)
#define LVT_DELIVERY_NMI       (4u << 8)
#define TIMER_DIVIDE_BY_16     0x3
#define ICR_FIXED              (0u << 8)
#define ICR_INIT               (5u << 8)
#define ICR_STARTUP            (6u << 8)
#define ICR_DELIVERY_PENDING   (1u << 12)
#define ICR_ASSERT             (1u << 14)
#define ICR_LEVEL_TRIGGERED    (1u << 15)
#define ICR_ALL_EXCLUDING_SELF (3u << 18)
#define APIC_BASE_ENABLE       (1ull << 11)

static volatile uint32_t *lapic; /* MMIO base, 0 until lapic_init */
uint64_t lapic_timer_hz;
static uint64_t timer_longest_ns; /* the longest one-shot the 32-bit counter can time */

static uint32_t lapic_read(uint32_t offset) { return lapic[offset / 4]; }
static void lapic_write(uint32_t offset, uint32_t value) { lapic[offset / 4] = value; }

int lapic_ready(void) { return lapic != 0; }

void lapic_eoi(void) { lapic_write(LAPIC_EOI, 0); }

/* One interrupt command. The ICR is two registers: keep them together on this core. */
static void send_command(uint32_t apic_id, uint32_t command)
{
    push_off();
    while (lapic_read(LAPIC_ICR_LOW) & ICR_DELIVERY_PENDING)
        pause();
    lapic_write(LAPIC_ICR_HIGH, apic_id << 24);
    lapic_write(LAPIC_ICR_LOW, command);
    pop_off();
}

void lapic_send_ipi(int cpu_index, int vector)
{
    send_command(cpu_get(cpu_index)->apic_id, ICR_FIXED | ICR_ASSERT | (uint32_t)vector);
}

void lapic_send_ipi_all_others(int vector)
{
    send_command(0, ICR_ALL_EXCLUDING_SELF | ICR_FIXED | ICR_ASSERT | (uint32_t)vector);
}

void lapic_send_init(uint32_t apic_id)
{
    send_command(apic_id, ICR_INIT | ICR_LEVEL_TRIGGERED | ICR_ASSERT);
    send_command(apic_id, ICR_INIT | ICR_LEVEL_TRIGGERED); /* de-assert (needed by old CPUs only) */
}

void lapic_send_startup(uint32_t apic_id, uint32_t page)
{
    send_command(apic_id, ICR_STARTUP | ICR_ASSERT | (page & 0xFF));
}

/* ---- timer ------------------------------------------------------------------------------ */

void lapic_timer_periodic(uint64_t hz)
{
    uint64_t count = hz ? lapic_timer_hz / hz : 0;
    if (count == 0)
        count = 1;
    if (count > 0xFFFFFFFFull)
        count = 0xFFFFFFFFull;
    lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
    lapic_write(LAPIC_LVT_TIMER, VECTOR_TIMER | LVT_TIMER_PERIODIC);
    lapic_write(LAPIC_TIMER_INITIAL, (uint32_t)count); /* starts counting */
}

void lapic_timer_oneshot_ns(uint64_t ns)
{
    /* ns < timer_longest_ns keeps ns * lapic_timer_hz below 2^64 (see lapic_init). */
    uint64_t count = ns >= timer_longest_ns ? 0xFFFFFFFFull : ns * lapic_timer_hz / 1000000000ull;
    if (count == 0)
        count = 1; /* 0 would stop the timer */
    lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
    lapic_write(LAPIC_LVT_TIMER, VECTOR_TIMER); /* one-shot */
    lapic_write(LAPIC_TIMER_INITIAL, (uint32_t)count);
}

void lapic_timer_stop(void)
{
    lapic_write(LAPIC_LVT_TIMER, VECTOR_TIMER | LVT_MASKED);
    lapic_write(LAPIC_TIMER_INITIAL, 0);
}

/*
 * One reading of the timer's current count, bracketed by TSC reads; the
 * tightest of a few tries wins, so a vCPU descheduled mid-read (emulation on
 * a busy host) does not skew the calibration (same idea as tsc.c).
 */
struct timer_sample {
    uint64_t tsc; /* middle of the bracket */
    uint32_t count;
};

static struct timer_sample sample_timer(void)
{
    struct timer_sample best = { 0, 0 };
    uint64_t best_width = ~0ull;
    for (int try = 0; try < 5; try++) {
        uint64_t before = rdtsc();
        uint32_t count = lapic_read(LAPIC_TIMER_CURRENT);
        uint64_t after = rdtsc();
        if (after - before < best_width) {
            best_width = after - before;
            best = (struct timer_sample){ before + best_width / 2, count };
        }
    }
    return best;
}

/* Ticks of the (divided) timer per second, counted over LAPIC_CALIBRATION_US of TSC. */
static uint64_t measure_timer_hz(void)
{
    lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
    lapic_write(LAPIC_LVT_TIMER, VECTOR_TIMER | LVT_MASKED);
    lapic_write(LAPIC_TIMER_INITIAL, 0xFFFFFFFFu);
    uint64_t window = ns_to_tsc(LAPIC_CALIBRATION_US * 1000ull);
    struct timer_sample first = sample_timer();
    while (rdtsc() - first.tsc < window)
        pause();
    struct timer_sample last = sample_timer();
    lapic_write(LAPIC_TIMER_INITIAL, 0);
    return (uint64_t)(first.count - last.count) * tsc_hz / (last.tsc - first.tsc);
}

/* ---- setup -------------------------------------------------------------------------------- */

void lapic_init(void)
{
    uint64_t address = acpi.lapic_address;
    if (address == 0)
        address = rdmsr(MSR_APIC_BASE) & ~0xFFFull;
    if (address >= IDENTITY_MAP_LIMIT)
        panic("lapic_init: LAPIC at %#lx, above the identity map", address);
    paging_map_uncached(address, PAGE_SIZE);
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
    lapic = (volatile uint32_t *)address;

    uint32_t apic_id = lapic_read(LAPIC_ID) >> 24;
    if (apic_id != mycpu()->apic_id)
        panic("lapic_init: boot core LAPIC id %u, CPUID said %u", apic_id, mycpu()->apic_id);

    lapic_timer_hz = measure_timer_hz();
    if (lapic_timer_hz < 1000)
        panic("lapic_init: LAPIC timer does not count (%lu Hz)", lapic_timer_hz);
    timer_longest_ns = 0xFFFFFFFFull * 1000000000ull / lapic_timer_hz;
    kprintf("lapic: at %#lx, version %#x, timer %lu kHz (bus clock / 16)\n", address,
            lapic_read(LAPIC_VERSION) & 0xFF, lapic_timer_hz / 1000);
}

void lapic_init_cpu(void)
{
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
    lapic_write(LAPIC_SPURIOUS, SPURIOUS_ENABLE | VECTOR_SPURIOUS);
    lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);       /* the 8259 (virtual wire) stays out */
    lapic_write(LAPIC_LVT_LINT1, LVT_DELIVERY_NMI); /* NMI as wired by the firmware */
    lapic_write(LAPIC_LVT_ERROR, VECTOR_LAPIC_ERROR);
    lapic_write(LAPIC_ERROR_STATUS, 0); /* write twice: clears the status */
    lapic_write(LAPIC_ERROR_STATUS, 0);
    lapic_timer_stop();
    lapic_write(LAPIC_TASK_PRIORITY, 0); /* accept every vector */
    lapic_eoi();                         /* drop anything left in service */
}

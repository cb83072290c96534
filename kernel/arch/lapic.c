/*
 * lapic.c - the local APIC: enable, EOI, IPIs (fixed, INIT, STARTUP) and the
 * timer (periodic or one-shot, divide by 16), in either of its two modes:
 * x2APIC (registers are MSRs, the ICR is one 64-bit write, 32-bit APIC ids)
 * when CPUID offers it, else xAPIC (MMIO, 8-bit ids, at most 255 cores).
 * The timer's rate is measured once against the TSC on the boot core; every
 * core then programs its own. Pairs with arch.h (public calls) and smp.c.
 */
#include <stdint.h>
#include "arch.h"
#include "console.h"
#include "cpu.h"
#include "internal.h"
#include "memory.h"
#include "x86.h"

/* Register offsets (Intel SDM vol. 3, "Local APIC Register Address Map"); in
 * x2APIC mode the register at offset X is MSR 0x800 + X / 16. */
#define LAPIC_ID            0x020
#define LAPIC_VERSION       0x030
#define LAPIC_TASK_PRIORITY 0x080
#define LAPIC_EOI           0x0B0
#define LAPIC_SPURIOUS      0x0F0
#define LAPIC_ERROR_STATUS  0x280
#define LAPIC_ICR_LOW       0x300
#define LAPIC_ICR_HIGH      0x310 /* xAPIC only */
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
#define ICR_DELIVERY_PENDING   (1u << 12) /* xAPIC only */
#define ICR_ASSERT             (1u << 14)
#define ICR_LEVEL_TRIGGERED    (1u << 15)
#define ICR_ALL_EXCLUDING_SELF (3u << 18)
#define APIC_BASE_EXTD         (1ull << 10) /* x2APIC mode (with ENABLE) */
#define APIC_BASE_ENABLE       (1ull << 11)
#define XAPIC_BROADCAST_ID     0xFF /* xAPIC destination 0xFF is every core: no core may have it */

static volatile uint32_t *lapic; /* xAPIC: MMIO base; unused in x2APIC mode */
static int x2apic_mode;          /* set once by lapic_init, before any AP starts */
static int lapic_mapped;         /* 1 once lapic_init ran: IPIs can be sent */
uint64_t lapic_timer_hz;
static uint64_t timer_longest_ns; /* the longest one-shot the 32-bit counter can time */

static uint32_t lapic_read(uint32_t offset)
{
    if (x2apic_mode)
        return (uint32_t)rdmsr(MSR_X2APIC_FIRST + offset / 16);
    return lapic[offset / 4];
}

static void lapic_write(uint32_t offset, uint32_t value)
{
    if (x2apic_mode)
        wrmsr(MSR_X2APIC_FIRST + offset / 16, value);
    else
        lapic[offset / 4] = value;
}

/*
 * The mode every core will use, decided once from CPUID and the command line
 * (`xapic` forces the MMIO mode, to compare both on one hypervisor). acpi.c
 * asks before registering cores: only x2APIC mode can reach ids above 254.
 */
int lapic_use_x2apic(void)
{
    static int decided = -1;
    if (decided < 0)
        decided = (cpuid(1, 0).ecx & CPUID_1_ECX_X2APIC) && !cmdline_get("xapic");
    return decided;
}

int lapic_ready(void) { return lapic_mapped; }

void lapic_eoi(void) { lapic_write(LAPIC_EOI, 0); }

/*
 * One interrupt command. x2APIC: one 64-bit MSR write with the destination in
 * the high half; that write is not serialising, so a fence first makes the
 * sender's earlier stores (a mailbox message) visible before the IPI lands.
 * xAPIC: two registers, the high one first; keep them together on this core.
 */
static void send_command(uint32_t apic_id, uint32_t command)
{
    push_off();
    if (x2apic_mode) {
        __asm__ volatile("mfence; lfence" ::: "memory");
        wrmsr(MSR_X2APIC_ICR, (uint64_t)apic_id << 32 | command);
    } else {
        while (lapic_read(LAPIC_ICR_LOW) & ICR_DELIVERY_PENDING)
            pause();
        lapic_write(LAPIC_ICR_HIGH, apic_id << 24);
        lapic_write(LAPIC_ICR_LOW, command);
    }
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
    if (!x2apic_mode) /* de-assert: needed by old CPUs only, and not a valid x2APIC command */
        send_command(apic_id, ICR_INIT | ICR_LEVEL_TRIGGERED);
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

/*
 * Enable this core's LAPIC in the chosen mode. x2APIC is entered from the
 * enabled xAPIC state (two writes); leaving x2APIC (a firmware that enabled
 * it, and `xapic` on the command line) must go through the disabled state.
 */
static void lapic_enable(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);
    if (!x2apic_mode && (base & APIC_BASE_EXTD)) {
        wrmsr(MSR_APIC_BASE, base & ~(APIC_BASE_ENABLE | APIC_BASE_EXTD));
        base &= ~APIC_BASE_EXTD;
    }
    wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    if (x2apic_mode)
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE | APIC_BASE_EXTD);
}

/* This core's APIC id as its LAPIC reports it: 32 bits in x2APIC mode, 8 in xAPIC mode. */
static uint32_t lapic_id(void) { return x2apic_mode ? lapic_read(LAPIC_ID) : lapic_read(LAPIC_ID) >> 24; }

void lapic_init(void)
{
    x2apic_mode = lapic_use_x2apic();
    uint64_t address = acpi.lapic_address;
    if (address == 0)
        address = rdmsr(MSR_APIC_BASE) & ~0xFFFull;
    if (!x2apic_mode) {
        if (address >= IDENTITY_MAP_LIMIT)
            panic("lapic_init: LAPIC at %#lx, above the identity map", address);
        paging_map_uncached(address, PAGE_SIZE);
        lapic = (volatile uint32_t *)address;
    }
    lapic_enable();
    lapic_mapped = 1;

    uint32_t apic_id = lapic_id();
    if (apic_id != mycpu()->apic_id)
        panic("lapic_init: boot core LAPIC id %u, CPUID said %u", apic_id, mycpu()->apic_id);

    lapic_timer_hz = measure_timer_hz();
    if (lapic_timer_hz < 1000)
        panic("lapic_init: LAPIC timer does not count (%lu Hz)", lapic_timer_hz);
    timer_longest_ns = 0xFFFFFFFFull * 1000000000ull / lapic_timer_hz;
    if (x2apic_mode)
        kprintf("lapic: x2APIC (MSRs), version %#x, timer %lu kHz (bus clock / 16)\n",
                lapic_read(LAPIC_VERSION) & 0xFF, lapic_timer_hz / 1000);
    else
        kprintf("lapic: xAPIC at %#lx, version %#x, timer %lu kHz (bus clock / 16)\n", address,
                lapic_read(LAPIC_VERSION) & 0xFF, lapic_timer_hz / 1000);
}

void lapic_init_cpu(void)
{
    lapic_enable();
    if (lapic_id() != mycpu()->apic_id)
        panic("lapic_init_cpu: LAPIC id %u, the MADT said %u", lapic_id(), mycpu()->apic_id);
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

int lapic_x2apic_mode(void) { return x2apic_mode; }

/* The largest APIC id a core may have in the chosen mode (acpi.c skips the others). */
uint32_t lapic_max_apic_id(void) { return lapic_use_x2apic() ? 0xFFFFFFFEu : XAPIC_BROADCAST_ID - 1; }

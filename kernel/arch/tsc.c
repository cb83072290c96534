/*
 * tsc.c - the time-stamp counter as the kernel's clock: its frequency found
 * once at boot, then converted with fixed-point multipliers (no division on the
 * hot path, no 128-bit division from libgcc). Pairs with arch.h.
 *
 * Where the frequency comes from, first that answers:
 *  1. the hypervisor's timing leaf CPUID 0x40000010 (EAX: TSC kHz), which
 *     KVM with an invariant TSC, VMware and others publish: exact, and no
 *     port I/O at all (every PIT access is a VM exit);
 *  2. CPUID 0x15 (TSC/crystal ratio times the crystal frequency), exact on
 *     hardware that fills in the crystal;
 *  3. calibration against the PIT (below): ~5 ms, and what TCG needs;
 *  4. CPUID 0x16 (the nominal base frequency), when there is no PIT.
 *
 * Calibration reads PIT channel 2 as a free-running counter and brackets
 * every read between two TSC reads, keeping the tightest of a few tries. A
 * vCPU descheduled by the host in the middle of a read (common under
 * emulation on a busy machine) widens that bracket and the try is dropped;
 * descheduled between the two end points it costs nothing, since both
 * clocks keep running. So the result stays within ~0.1% even under load.
 */
#include <stdint.h>
#include "arch.h"
#include "console.h"
#include "hypervisor.h"
#include "x86.h"

#define PIT_FREQUENCY_HZ  1193182ull
#define PIT_CHANNEL2_DATA 0x42
#define PIT_COMMAND       0x43
#define PORT_B            0x61  /* bit 0: channel 2 gate, bit 1: speaker */
#define SAMPLE_TRIES      5     /* reads per end point; the tightest bracket wins */
#define PIT_STALL_LIMIT   10000 /* reads of an unchanging counter before giving up: no PIT */

uint64_t tsc_hz;
uint64_t boot_tsc;
static uint64_t ns_per_cycle_fixed32;  /* nanoseconds per cycle << 32 */
static uint64_t cycles_per_ns_fixed28; /* cycles per nanosecond << 28 */

uint64_t tsc_to_ns(uint64_t cycles)
{
    return (uint64_t)(((unsigned __int128)cycles * ns_per_cycle_fixed32) >> 32);
}

uint64_t ns_to_tsc(uint64_t ns) { return (uint64_t)(((unsigned __int128)ns * cycles_per_ns_fixed28) >> 28); }

void udelay(uint64_t microseconds)
{
    uint64_t end = rdtsc() + ns_to_tsc(microseconds * 1000);
    while (rdtsc() < end)
        pause();
}

static uint16_t read_pit_channel2(void)
{
    outb(PIT_COMMAND, 0x80); /* latch channel 2's count */
    uint8_t low = inb(PIT_CHANNEL2_DATA);
    uint8_t high = inb(PIT_CHANNEL2_DATA);
    return (uint16_t)(low | (high << 8));
}

struct sample {
    uint64_t tsc;   /* middle of the bracket */
    uint64_t width; /* TSC cycles the read took */
    uint16_t count; /* PIT count read */
};

static struct sample take_sample(void)
{
    struct sample best = { 0, ~0ull, 0 };
    for (int try = 0; try < SAMPLE_TRIES; try++) {
        uint64_t before = rdtsc();
        uint16_t count = read_pit_channel2();
        uint64_t after = rdtsc();
        if (after - before < best.width)
            best = (struct sample){ before + (after - before) / 2, after - before, count };
    }
    return best;
}

/* TSC ticks per second measured over `window_ticks` PIT ticks; 0 if the PIT does not count. */
static uint64_t measure_with_pit(uint16_t window_ticks)
{
    uint8_t port_b = inb(PORT_B);
    outb(PORT_B, (uint8_t)((port_b & ~0x02) | 0x01)); /* gate high (counting), speaker off */
    outb(PIT_COMMAND, 0xB4);                          /* channel 2, low then high byte, mode 2, binary */
    outb(PIT_CHANNEL2_DATA, 0xFF);                    /* period 65535 ticks (55 ms) > any window */
    outb(PIT_CHANNEL2_DATA, 0xFF);

    /* Start on a fresh count, away from the reload at 1. */
    uint16_t previous = read_pit_channel2();
    for (int reads = 0; read_pit_channel2() == previous; reads++)
        if (reads == PIT_STALL_LIMIT)
            return 0;
    struct sample first = take_sample();
    struct sample last;
    do {
        last = take_sample();
    } while ((uint16_t)(first.count - last.count) < window_ticks && last.count <= first.count);
    outb(PORT_B, port_b);

    uint16_t elapsed_ticks = (uint16_t)(first.count - last.count);
    if (elapsed_ticks == 0 || last.count > first.count)
        return 0; /* wrapped: cannot happen with a window well under the period */
    return (last.tsc - first.tsc) * PIT_FREQUENCY_HZ / elapsed_ticks;
}

/* The hypervisor's timing leaf, as hypervisor_detect read it (called before tsc_calibrate). */
static uint64_t frequency_from_hypervisor_leaf(void) { return (uint64_t)hypervisor_tsc_khz() * 1000; }

/* CPUID 0x15: TSC = crystal * EBX / EAX; 0 unless all three are given. */
static uint64_t frequency_from_crystal_leaf(void)
{
    if (cpuid(0, 0).eax < 0x15)
        return 0;
    struct cpuid_result leaf = cpuid(0x15, 0);
    if (leaf.eax && leaf.ebx && leaf.ecx)
        return (uint64_t)leaf.ecx * leaf.ebx / leaf.eax;
    return 0;
}

/* CPUID 0x16: nominal base frequency in MHz; 0 if absent. */
static uint64_t frequency_from_base_leaf(void)
{
    if (cpuid(0, 0).eax < 0x16)
        return 0;
    return (uint64_t)(cpuid(0x16, 0).eax & 0xFFFF) * 1000000;
}

static uint64_t frequency_from_pit(void)
{
    uint64_t hz = 0;
    for (int attempt = 0; attempt < 3 && hz == 0; attempt++) /* retried only if the count wrapped */
        hz = measure_with_pit((uint16_t)(PIT_FREQUENCY_HZ * TSC_CALIBRATION_US / 1000000));
    return hz;
}

void tsc_calibrate(void)
{
    _Static_assert(PIT_FREQUENCY_HZ * TSC_CALIBRATION_US / 1000000 < 60000,
                   "window must stay below the PIT period");
    static const struct {
        const char *name;
        uint64_t (*read)(void);
    } sources[] = {
        { "hypervisor CPUID leaf 0x40000010", frequency_from_hypervisor_leaf },
        { "CPUID leaf 0x15", frequency_from_crystal_leaf },
        { "PIT", frequency_from_pit },
        { "CPUID leaf 0x16", frequency_from_base_leaf },
    };
    const char *source = "nothing";
    tsc_hz = 0;
    for (unsigned index = 0; index < sizeof(sources) / sizeof(sources[0]) && tsc_hz == 0; index++) {
        tsc_hz = sources[index].read();
        source = sources[index].name;
    }
    if (tsc_hz == 0)
        panic("tsc_calibrate: no TSC frequency: no CPUID frequency leaf (0x40000010, 0x15, 0x16) and no PIT "
              "that counts (QEMU microvm: pit=on; KVM: -cpu host,+invtsc publishes 0x40000010)");
    if (tsc_hz < 10000000ull || tsc_hz > 50000000000ull)
        panic("tsc_calibrate: implausible TSC frequency %lu Hz (from %s)", tsc_hz, source);
    ns_per_cycle_fixed32 = (1000000000ull << 32) / tsc_hz;
    cycles_per_ns_fixed28 = (tsc_hz << 28) / 1000000000ull;
    kprintf("tsc: %lu.%03lu MHz (from %s)\n", tsc_hz / 1000000, tsc_hz / 1000 % 1000, source);
}

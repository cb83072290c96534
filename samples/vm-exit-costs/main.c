/*
 * vm-exit-costs - what the primitives the kernel relies on cost on the
 * hypervisor it runs on: TSC reads, CPUID (an exit on every hypervisor), port
 * I/O to QEMU's devices (exits to the VMM process), PIT reads, LAPIC accesses,
 * `pause`, memory loops and the first touch of fresh pages. One line per
 * primitive, in TSC cycles and nanoseconds per operation. See README.md.
 */
#include "toro.h"
#include "hypervisor.h"
#include "memory.h"
#include "x86.h"

#define DEBUGCON_PORT    0xE9
#define COM1_LINE_STATUS 0x3FD
#define PIT_COMMAND      0x43
#define PIT_CHANNEL0     0x40
#define MSR_APIC_BASE    0x1B
#define X2APIC_VERSION   0x803
#define APIC_BASE_X2APIC (1ull << 10)

static void report(const char *name, uint64_t operations, uint64_t cycles)
{
    uint64_t per_operation = cycles / operations;
    kprintf("probe: %-22s %8lu ops %10lu cycles/op %8lu ns/op\n", name, operations, per_operation,
            time_tsc_to_ns(per_operation));
}

static volatile uint64_t sink;

static void measure_tsc(void)
{
    uint64_t start = time_tsc();
    for (int index = 0; index < 10000; index++)
        sink += time_tsc();
    report("rdtsc", 10000, time_tsc() - start);
}

static void measure_cpuid(void)
{
    uint64_t start = time_tsc();
    for (int index = 0; index < 1000; index++)
        sink += cpuid(0, 0).eax;
    report("cpuid (always exits)", 1000, time_tsc() - start);
}

static void measure_ports(void)
{
    uint64_t start = time_tsc();
    for (int index = 0; index < 200; index++)
        outb(DEBUGCON_PORT, 0); /* a NUL byte: invisible on the debug console */
    report("outb 0xE9 (debugcon)", 200, time_tsc() - start);
    start = time_tsc();
    for (int index = 0; index < 200; index++)
        sink += inb(COM1_LINE_STATUS);
    report("inb COM1 status", 200, time_tsc() - start);
    start = time_tsc();
    for (int index = 0; index < 200; index++) {
        outb(PIT_COMMAND, 0x00); /* latch channel 0 */
        sink += inb(PIT_CHANNEL0);
        sink += inb(PIT_CHANNEL0);
    }
    report("PIT latch + read", 200, time_tsc() - start);
}

static void measure_lapic(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);
    uint64_t start = time_tsc();
    if (base & APIC_BASE_X2APIC) {
        for (int index = 0; index < 1000; index++)
            sink += rdmsr(X2APIC_VERSION);
        report("x2APIC version rdmsr", 1000, time_tsc() - start);
        return;
    }
    volatile uint32_t *version = (volatile uint32_t *)(uintptr_t)((base & ~0xFFFull) + 0x30);
    for (int index = 0; index < 1000; index++)
        sink += *version;
    report("LAPIC version MMIO", 1000, time_tsc() - start);
}

static void measure_pause(void)
{
    uint64_t start = time_tsc();
    for (int index = 0; index < 100000; index++)
        pause();
    report("pause", 100000, time_tsc() - start);
}

static void measure_memory(void)
{
    enum { WORDS = 8192 }; /* 64 KiB: fits the L2 cache */
    uint64_t *words = kmalloc(WORDS * sizeof(uint64_t));
    for (int index = 0; index < WORDS; index++)
        words[index] = (uint64_t)index;
    uint64_t start = time_tsc(), sum = 0;
    for (int pass = 0; pass < 100; pass++)
        for (int index = 0; index < WORDS; index++)
            sum += words[index];
    sink += sum;
    report("cached 8-byte load", 100ull * WORDS, time_tsc() - start);
    kfree(words);

    enum { PAGES = 1024 }; /* 4 MiB never touched before: the hypervisor maps each page on first use */
    uint8_t *fresh = kmalloc(PAGES * 4096);
    start = time_tsc();
    for (int page = 0; page < PAGES; page++)
        fresh[page * 4096] = 1;
    report("first touch of a page", PAGES, time_tsc() - start);
    start = time_tsc();
    for (int page = 0; page < PAGES; page++)
        fresh[page * 4096] = 2;
    report("second touch of a page", PAGES, time_tsc() - start);
    kfree(fresh);
}

static void measure_console(void)
{
    uint64_t start = time_tsc();
    for (int index = 0; index < 4; index++)
        kprintf("probe: a console line of sixty characters ..................\n");
    report("console line (60 B)", 4, time_tsc() - start);
}

void main(void)
{
    /* What the kernel found at boot (kernel/arch/hypervisor.c), not CPUID read again. */
    int under_hypervisor = hypervisor_kind() != TORO_HYPERVISOR_NONE;
    char signature[13] = { 0 };
    __builtin_memcpy(signature, hypervisor_signature(), 12);
    kprintf("probe: hypervisor bit %d, leaf 0x40000000 \"%s\" max %#x, TSC %lu kHz (as the kernel uses it)\n",
            under_hypervisor, signature, hypervisor_max_leaf(), time_tsc_hz() / 1000);
    if (hypervisor_tsc_khz() != 0)
        kprintf("probe: leaf 0x40000010 TSC %u kHz, LAPIC bus %u kHz\n", hypervisor_tsc_khz(),
                hypervisor_lapic_khz());
    uint32_t highest = cpuid(0, 0).eax;
    if (highest >= 0x15) {
        struct cpuid_result leaf = cpuid(0x15, 0);
        kprintf("probe: leaf 0x15 ratio %u/%u crystal %u Hz\n", leaf.ebx, leaf.eax, leaf.ecx);
    }
    if (highest >= 0x16)
        kprintf("probe: leaf 0x16 base %u MHz\n", cpuid(0x16, 0).eax);
    kprintf("probe: invariant TSC %d\n", (int)((cpuid(0x80000007, 0).edx >> 8) & 1));
    measure_tsc();
    measure_cpuid();
    measure_ports();
    measure_lapic();
    measure_pause();
    measure_memory();
    measure_console();
    kprintf("probe: done\n");
    if (app_argument("exit"))
        toro_exit(0);
}

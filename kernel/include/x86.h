/*
 * x86.h - every inline-assembly wrapper of the kernel in one header: port I/O,
 * time-stamp counter, MSRs, CPUID, control registers, descriptor tables and
 * interrupt-flag handling. Pure wrappers, no policy; cpu.h builds push_off and
 * pop_off on top of these.
 */
#ifndef TORO_X86_H
#define TORO_X86_H

#include <stddef.h>
#include <stdint.h>

/* ---- port I/O ---------------------------------------------------------------- */
static inline uint8_t inb(uint16_t port)
{
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}
static inline uint16_t inw(uint16_t port)
{
    uint16_t value;
    __asm__ volatile("inw %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}
static inline uint32_t inl(uint16_t port)
{
    uint32_t value;
    __asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}
static inline void outb(uint16_t port, uint8_t value)
{
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}
static inline void outw(uint16_t port, uint16_t value)
{
    __asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}
static inline void outl(uint16_t port, uint32_t value)
{
    __asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

/* ---- time-stamp counter ---------------------------------------------------------- */
/* Not serialising: enough for intervals of microseconds and more. */
/* `rep outsb`: `length` bytes to one port. Under a hypervisor this is one exit for the whole string. */
static inline void outsb(uint16_t port, const void *bytes, size_t length)
{
    __asm__ volatile("rep outsb" : "+S"(bytes), "+c"(length) : "d"(port) : "memory");
}

static inline uint64_t rdtsc(void)
{
    uint32_t low, high;
    __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
    return ((uint64_t)high << 32) | low;
}

/* ---- model-specific registers ------------------------------------------------------ */
#define MSR_APIC_BASE      0x1B
#define MSR_EFER           0xC0000080
#define MSR_FS_BASE        0xC0000100
#define MSR_GS_BASE        0xC0000101
#define MSR_KERNEL_GS_BASE 0xC0000102
#define MSR_X2APIC_FIRST   0x800 /* x2APIC: register at xAPIC offset X is MSR 0x800 + X / 16 */
#define MSR_X2APIC_ICR     0x830 /* x2APIC: the whole ICR, destination in bits 63:32 */

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t low, high;
    __asm__ volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
    return ((uint64_t)high << 32) | low;
}
static inline void wrmsr(uint32_t msr, uint64_t value)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)) : "memory");
}

/* ---- CPUID ------------------------------------------------------------------------- */
struct cpuid_result {
    uint32_t eax, ebx, ecx, edx;
};
static inline struct cpuid_result cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_result result;
    __asm__ volatile("cpuid"
                     : "=a"(result.eax), "=b"(result.ebx), "=c"(result.ecx), "=d"(result.edx)
                     : "a"(leaf), "c"(subleaf));
    return result;
}
#define CPUID_1_ECX_X2APIC     (1u << 21) /* the LAPIC has an x2APIC mode */
#define CPUID_1_ECX_HYPERVISOR (1u << 31) /* running under a hypervisor (leaves 0x40000000+) */
#define CPUID_HYPERVISOR_BASE  0x40000000u

/* ---- waiting ---------------------------------------------------------------------- */
/* Spin-loop hint: every busy-wait loop in the kernel calls it (idle loop 1). */
static inline void pause(void) { __asm__ volatile("pause" ::: "memory"); }
/* Halt until the next interrupt; with interrupts off only NMI/INIT/SMI wake it. */
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
/*
 * Enable interrupts and halt with no window in between: `sti` takes effect
 * after the next instruction, so an interrupt that became pending after the
 * caller's last check still ends this hlt instead of being taken before it.
 * Returns with interrupts enabled.
 */
static inline void sti_hlt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }

/* ---- interrupt flag -------------------------------------------------------------- */
#define RFLAGS_IF (1ull << 9)

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline uint64_t read_rflags(void)
{
    uint64_t rflags;
    __asm__ volatile("pushfq; popq %0" : "=r"(rflags) : : "memory");
    return rflags;
}
static inline int interrupts_enabled(void) { return (read_rflags() & RFLAGS_IF) != 0; }

/* ---- control registers --------------------------------------------------------------- */
#define CR0_PE  (1ull << 0)
#define CR0_MP  (1ull << 1)
#define CR0_EM  (1ull << 2)
#define CR0_TS  (1ull << 3)
#define CR0_NE  (1ull << 5)
#define CR0_WP  (1ull << 16)
#define CR0_NW  (1ull << 29)
#define CR0_CD  (1ull << 30)
#define CR0_PG  (1ull << 31)
#define CR4_PAE (1ull << 5)
#define CR4_PGE (1ull << 7)

static inline uint64_t read_cr0(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}
static inline uint64_t read_cr2(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}
static inline uint64_t read_cr3(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}
static inline uint64_t read_cr4(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}
static inline void write_cr0(uint64_t v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static inline void write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }
/* Drop the TLB entry that maps `address` on this core. */
static inline void invlpg(uintptr_t address) { __asm__ volatile("invlpg (%0)" : : "r"(address) : "memory"); }

/* ---- descriptor tables ------------------------------------------------------------------ */
struct descriptor_pointer {
    uint16_t limit; /* size in bytes - 1 */
    uint64_t base;
} __attribute__((packed));

static inline void lgdt(const struct descriptor_pointer *pointer)
{
    __asm__ volatile("lgdt %0" : : "m"(*pointer) : "memory");
}
static inline void lidt(const struct descriptor_pointer *pointer)
{
    __asm__ volatile("lidt %0" : : "m"(*pointer) : "memory");
}
static inline void ltr(uint16_t selector) { __asm__ volatile("ltr %0" : : "r"(selector) : "memory"); }

/* ---- compiler ------------------------------------------------------------------------------ */
/* Stop the compiler from moving memory accesses across this point (no CPU fence). */
static inline void compiler_barrier(void) { __asm__ volatile("" ::: "memory"); }

#endif

/*
 * idt.c - the interrupt descriptor table, shared by every core: 256 interrupt
 * gates pointing at the stubs of vectors.S. NMI, double fault and machine
 * check switch to the core's IST1 stack (cpu.c) so they work even on a
 * broken stack. Pairs with vectors.S and trap.c.
 */
#include <stdint.h>
#include "arch.h"
#include "cpu.h"
#include "internal.h"

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;  /* 0 = current stack, n = TSS ist[n-1] */
    uint8_t type; /* 0x8E: present, ring 0, 64-bit interrupt gate (clears IF) */
    uint16_t offset_middle;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct idt_gate) == 16, "IDT gates are 16 bytes");

static struct idt_gate idt[VECTOR_COUNT] __attribute__((aligned(16)));

#define VECTOR_NMI           2
#define VECTOR_DOUBLE_FAULT  8
#define VECTOR_MACHINE_CHECK 18

void idt_init(void)
{
    for (int vector = 0; vector < VECTOR_COUNT; vector++) {
        uint64_t handler = (uint64_t)vector_stubs + 16 * (uint64_t)vector;
        int own_stack =
            vector == VECTOR_NMI || vector == VECTOR_DOUBLE_FAULT || vector == VECTOR_MACHINE_CHECK;
        idt[vector] = (struct idt_gate){
            .offset_low = handler & 0xFFFF,
            .selector = SELECTOR_KERNEL_CODE,
            .ist = own_stack ? 1 : 0,
            .type = 0x8E,
            .offset_middle = (handler >> 16) & 0xFFFF,
            .offset_high = handler >> 32,
            .reserved = 0,
        };
    }
}

void idt_load(void)
{
    struct descriptor_pointer pointer = { .limit = sizeof(idt) - 1, .base = (uint64_t)idt };
    lidt(&pointer);
}

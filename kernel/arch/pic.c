/*
 * pic.c - the legacy 8259 interrupt controllers, which this kernel does not
 * use: they are re-initialised to deliver at VECTOR_LEGACY_PIC_BASE (away from
 * the exception vectors) and fully masked, so only their spurious IRQ 7/15 can
 * ever arrive (trap.c ignores those). Devices will go through the IOAPIC.
 */
#include "arch.h"
#include "x86.h"

#define PIC1_COMMAND 0x20
#define PIC1_DATA    0x21
#define PIC2_COMMAND 0xA0
#define PIC2_DATA    0xA1

void pic_disable(void)
{
    outb(PIC1_COMMAND, 0x11); /* ICW1: initialise, ICW4 follows */
    outb(PIC2_COMMAND, 0x11);
    outb(PIC1_DATA, VECTOR_LEGACY_PIC_BASE); /* ICW2: vector base */
    outb(PIC2_DATA, VECTOR_LEGACY_PIC_BASE + 8);
    outb(PIC1_DATA, 0x04); /* ICW3: secondary on IRQ 2 */
    outb(PIC2_DATA, 0x02);
    outb(PIC1_DATA, 0x01); /* ICW4: 8086 mode */
    outb(PIC2_DATA, 0x01);
    outb(PIC1_DATA, 0xFF); /* mask everything */
    outb(PIC2_DATA, 0xFF);
}

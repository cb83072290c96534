/*
 * trampoline.S - first instructions of an application processor. smp.c copies
 * this code to TRAMPOLINE_ADDRESS (below 1 MiB) and sends a SIPI with vector
 * TRAMPOLINE_ADDRESS >> 12; the AP wakes in real mode at CS = 0x0800, IP = 0,
 * goes through 32-bit protected mode into long mode on the boot page tables,
 * and calls the C entry from the parameter block (trampoline.h) on its own
 * stack. Every address is computed relative to trampoline_start, since the
 * code runs at a different address than it was linked at.
 */
#include "param.h"
#include "trampoline.h"

#define RELOCATED(symbol) (TRAMPOLINE_ADDRESS + (symbol) - trampoline_start)

    .section .rodata.trampoline, "a"
    .globl trampoline_start, trampoline_end
    .align 16                                  /* keeps in-block alignment (the GDT) after the copy */

    .code16
trampoline_start:
    cli
    cld
    mov %cs, %ax                               /* 0x0800: the page we were copied to */
    mov %ax, %ds
    lgdtl trampoline_gdt_pointer - trampoline_start
    mov %cr0, %eax
    and $~((1 << 30) | (1 << 29)), %eax        /* caches on: clear CD and NW */
    or $1, %eax                                /* protected mode */
    mov %eax, %cr0
    ljmpl $0x18, $RELOCATED(protected_mode)

    .code32
protected_mode:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %cr4, %eax
    or $(1 << 5), %eax                         /* PAE */
    mov %eax, %cr4
    mov (TRAMPOLINE_PARAMETERS + TRAMPOLINE_PARAMETER_CR3), %eax
    mov %eax, %cr3
    mov $0xC0000080, %ecx                      /* EFER */
    rdmsr
    or $(1 << 8), %eax                         /* LME */
    wrmsr
    mov %cr0, %eax
    and $~((1 << 3) | (1 << 1)), %eax          /* TS, MP off */
    or $((1 << 31) | (1 << 16) | (1 << 5) | (1 << 2)), %eax /* PG, WP, NE, EM (as on the boot core) */
    mov %eax, %cr0
    ljmp $0x08, $RELOCATED(long_mode)

    .code64
long_mode:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %eax, %eax
    mov %ax, %fs
    mov %ax, %gs
    mov (TRAMPOLINE_PARAMETERS + TRAMPOLINE_PARAMETER_STACK), %rsp
    mov (TRAMPOLINE_PARAMETERS + TRAMPOLINE_PARAMETER_CPU), %rdi
    mov (TRAMPOLINE_PARAMETERS + TRAMPOLINE_PARAMETER_ENTRY), %rax
    movl $1, (TRAMPOLINE_PARAMETERS + TRAMPOLINE_PARAMETER_ALIVE) /* no second SIPI needed */
    xor %ebp, %ebp                             /* ends frame-pointer backtraces */
    call *%rax                                 /* ap_main(cpu): never returns */
1:  cli
    hlt
    jmp 1b

    .align 8
trampoline_gdt:
    .quad 0                                    /* null */
    .quad 0x00AF9A000000FFFF                   /* 0x08: 64-bit code */
    .quad 0x00CF92000000FFFF                   /* 0x10: data */
    .quad 0x00CF9A000000FFFF                   /* 0x18: 32-bit code, for the step through protected mode */
trampoline_gdt_end:
trampoline_gdt_pointer:
    .word trampoline_gdt_end - trampoline_gdt - 1
    .long RELOCATED(trampoline_gdt)
trampoline_end:

    .section .note.GNU-stack, "", @progbits

/*
 * boot.S - the loaders' headers (Multiboot 1, Multiboot 2, the PVH ELF note) and
 * the boot core's path from the loader's 32-bit protected mode to 64-bit C:
 * clear .bss, build the identity map, enable long mode, jump to
 * kernel_main(magic, info). Pairs with linker.ld (section order), boot_info.c
 * (reads what the loader passed) and main.c. APs take the same page tables
 * through trampoline.S. Why three protocols: kernel/README.md, "Boot protocols".
 */
#include "param.h"
#include "pvh.h"

#define MULTIBOOT_HEADER_MAGIC 0x1BADB002
#define MULTIBOOT_HEADER_FLAGS 0x00000003      /* bit 0: align modules; bit 1: give us the memory map */
#define MULTIBOOT2_HEADER_MAGIC 0xE85250D6
#define MULTIBOOT2_ARCHITECTURE_I386 0         /* entered in 32-bit protected mode */

#define PAGE_PRESENT 0x1
#define PAGE_WRITABLE 0x2
#define PAGE_LARGE 0x80                        /* 2 MiB page in a page-directory entry */

#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)                        /* x87 instructions trap: the kernel uses none */
#define CR0_TS (1 << 3)
#define CR0_NE (1 << 5)
#define CR0_WP (1 << 16)
#define CR0_NW (1 << 29)
#define CR0_CD (1 << 30)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define MSR_EFER 0xC0000080
#define EFER_LME (1 << 8)

/*
 * Multiboot 1, for QEMU -kernel boot.elf. Its checksum is left 0 here, so the
 * header is NOT valid in kernel.elf: QEMU's -kernel tries Multiboot 1 before
 * PVH and refuses a 64-bit ELF that carries a valid one. The Makefile writes
 * the checksum into boot.elf (the ELF32 copy) only.
 */
    .section .multiboot, "a"
    .align 4
    .globl multiboot_header
multiboot_header:
    .long MULTIBOOT_HEADER_MAGIC
    .long MULTIBOOT_HEADER_FLAGS
    .long 0                                    /* boot.elf: -(magic + flags), see above */

/* Multiboot 2, for GRUB's `multiboot2` (BIOS and UEFI): no tags but the end tag.
 * GRUB loads the ELF segments, exits UEFI boot services and enters _start. */
    .align 8
    .globl multiboot2_header
multiboot2_header:
    .long MULTIBOOT2_HEADER_MAGIC
    .long MULTIBOOT2_ARCHITECTURE_I386
    .long multiboot2_header_end - multiboot2_header
    .long -(MULTIBOOT2_HEADER_MAGIC + MULTIBOOT2_ARCHITECTURE_I386 + (multiboot2_header_end - multiboot2_header))
    .short 0, 0                                /* end tag: type 0, flags 0 */
    .long 8                                    /* size 8 */
multiboot2_header_end:

/*
 * The PVH note (Xen's ELF note XEN_ELFNOTE_PHYS32_ENTRY): QEMU -kernel kernel.elf
 * enters pvh_start. 4-byte aligned: QEMU finds the descriptor by aligning the
 * name to the PT_NOTE segment's alignment, which must therefore be 4.
 */
    .section .note.Xen, "a"
    .p2align 2
    .long 4                                    /* name size: "Xen\0" */
    .long 8                                    /* descriptor size */
    .long XEN_ELFNOTE_PHYS32_ENTRY
    .asciz "Xen"
    .quad pvh_start                            /* physical address of the 32-bit entry */

/*
 * PVH entry: 32-bit protected mode, paging off, flat segments, %ebx = struct
 * hvm_start_info. The GDT may be invalid (ours is loaded before any selector
 * is), no stack. Marks the protocol in %eax as Multiboot loaders do.
 */
    .section .text.boot, "ax"
    .code32
    .globl pvh_start
pvh_start:
    mov $PVH_START_MAGIC, %eax
    jmp _start

/*
 * Entry from a Multiboot loader (and from pvh_start): 32-bit protected mode,
 * paging off, %eax = loader magic, %ebx = the loader's information. No stack,
 * interrupts state unknown.
 */
    .globl _start
_start:
    cli
    cld
    mov %eax, %ebp                             /* keep the magic */
    mov %ebx, %esi                             /* keep the info pointer */

    /* Clear .bss: page tables, stacks and per-core tables live there. */
    mov $__bss_start, %edi
    mov $__bss_end, %ecx
    sub %edi, %ecx
    shr $2, %ecx
    xor %eax, %eax
    rep stosl

    /* The BIOS data area is in page 0, which the identity map leaves out. */
    movzwl 0x40E, %eax
    mov %eax, bios_ebda_segment

    /* Long mode available? (CPUID 0x80000001 EDX bit 29) */
    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb no_long_mode
    mov $0x80000001, %eax
    cpuid
    test $(1 << 29), %edx
    jz no_long_mode

    /* PML4[0] -> the page-directory-pointer table. */
    mov $boot_pdpt, %eax
    or $(PAGE_PRESENT | PAGE_WRITABLE), %eax
    mov %eax, boot_pml4

    /* PDPT[0..3] -> four page directories (1 GiB each). */
    mov $boot_page_directories, %eax
    or $(PAGE_PRESENT | PAGE_WRITABLE), %eax
    xor %ecx, %ecx
1:  mov %eax, boot_pdpt(, %ecx, 8)
    add $4096, %eax
    inc %ecx
    cmp $4, %ecx
    jb 1b

    /* 2048 page-directory entries: 2 MiB pages identity-mapping 0..4 GiB, write-back. */
    xor %ecx, %ecx
2:  mov %ecx, %eax
    shl $21, %eax
    or $(PAGE_PRESENT | PAGE_WRITABLE | PAGE_LARGE), %eax
    mov %eax, boot_page_directories(, %ecx, 8)
    inc %ecx
    cmp $2048, %ecx
    jb 2b

    /* The first 2 MiB in 4 KiB pages. Page 0 is mapped for now (QEMU's PVH ROM
     * leaves its start info there); main.c unmaps it once the loader's data has
     * been read (paging_unmap_page_zero), and from then on null pointers fault. */
    mov $boot_page_table_low, %eax
    or $(PAGE_PRESENT | PAGE_WRITABLE), %eax
    mov %eax, boot_page_directories
    xor %ecx, %ecx
3:  mov %ecx, %eax
    shl $12, %eax
    or $(PAGE_PRESENT | PAGE_WRITABLE), %eax
    mov %eax, boot_page_table_low(, %ecx, 8)
    inc %ecx
    cmp $512, %ecx
    jb 3b

    /* Long mode: PAE, page tables, EFER.LME, then paging (which activates it). */
    mov %cr4, %eax
    or $CR4_PAE, %eax
    mov %eax, %cr4
    mov $boot_pml4, %eax
    mov %eax, %cr3
    mov $MSR_EFER, %ecx
    rdmsr
    or $EFER_LME, %eax
    wrmsr
    /* Caches on (loaders may leave CD/NW set), x87 off, write protection honoured. */
    mov %cr0, %eax
    and $~(CR0_CD | CR0_NW | CR0_TS | CR0_MP), %eax
    or $(CR0_PE | CR0_PG | CR0_WP | CR0_NE | CR0_EM), %eax
    mov %eax, %cr0

    lgdt boot_gdt_pointer
    ljmp $0x08, $long_mode_entry

no_long_mode:
    mov $no_long_mode_message, %esi
4:  lodsb
    test %al, %al
    jz 5f
    outb %al, $0xE9                            /* debugcon */
    mov $0x3F8, %dx
    outb %al, %dx                              /* COM1, unconfigured but fine under QEMU */
    jmp 4b
5:  cli
    hlt
    jmp 5b

    .code64
long_mode_entry:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %eax, %eax
    mov %ax, %fs
    mov %ax, %gs
    mov $(cpu_stacks + CPU_STACK_SIZE), %rsp   /* core 0's stack */
    mov %ebp, %edi                             /* kernel_main(magic, info): zero-extended */
    mov %esi, %esi
    xor %ebp, %ebp                             /* ends frame-pointer backtraces */
    call kernel_main                           /* never returns */
6:  cli
    hlt
    jmp 6b

    .section .rodata
no_long_mode_message:
    .asciz "toro: this CPU has no 64-bit long mode\r\n"

    .align 16
boot_gdt:                                      /* same selectors as the per-core GDT (cpu.h) */
    .quad 0                                    /* null */
    .quad 0x00AF9A000000FFFF                   /* 0x08: 64-bit code, ring 0 */
    .quad 0x00CF92000000FFFF                   /* 0x10: data, ring 0 */
boot_gdt_end:
boot_gdt_pointer:
    .word boot_gdt_end - boot_gdt - 1
    .quad boot_gdt

    .section .bss
    .align 4096
    .globl boot_pml4, boot_page_directories, boot_page_table_low
boot_pml4:
    .skip 4096
boot_pdpt:
    .skip 4096
boot_page_directories:
    .skip 4 * 4096
boot_page_table_low:
    .skip 4096
    .globl bios_ebda_segment
bios_ebda_segment:
    .skip 4

    .section .note.GNU-stack, "", @progbits

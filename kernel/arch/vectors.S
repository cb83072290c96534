/*
 * vectors.S - the 256 interrupt entry stubs and the common save/restore path.
 * Each stub is 16 bytes (idt.c computes its address as vector_stubs + 16 * n):
 * it pushes a zero error code when the CPU pushes none, then the vector
 * number, and jumps to trap_common, which saves every general register as a
 * struct trap_frame (internal.h) and calls trap(frame) in trap.c.
 * All interrupts arrive in ring 0 on the current stack (IST1 for NMI, #DF, #MC).
 */

    .text
    .code64

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR_CODE(n) ((n) == 8 || ((n) >= 10 && (n) <= 14) || (n) == 17 || (n) == 21 || (n) == 29 || (n) == 30)

    .align 16
    .globl vector_stubs, vector_stubs_end
vector_stubs:
    .set vector, 0
    .rept 256
    .align 16
    .if !HAS_ERROR_CODE(vector)
    pushq $0
    .endif
    pushq $vector
    jmp trap_common
    .set vector, vector + 1
    .endr
    .align 16
vector_stubs_end:

/*
 * Stack on entry (growing down): ss, rsp, rflags, cs, rip, error code, vector.
 * The CPU aligned the stack to 16 bytes before pushing, so after the 15 pushes
 * below %rsp is 16-byte aligned for the call, as the ABI wants.
 */
trap_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    mov %rsp, %rdi                             /* trap(struct trap_frame *) */
    call trap
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    add $16, %rsp                              /* vector and error code */
    iretq

    .section .note.GNU-stack, "", @progbits

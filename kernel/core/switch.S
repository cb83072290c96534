/*
 * switch.S - context_switch and the first frame of a new thread. Pairs with
 * struct context in kernel/include/thread.h (the push order below is its
 * field order, lowest address first) and prepare_stack() in thread.c.
 *
 * void context_switch(struct context **old, struct context *new)
 *   Saves the callee-saved registers (System V: rbx, rbp, r12-r15) on the
 *   current stack, stores the stack pointer in *old, loads `new` as the stack
 *   pointer and pops the registers saved there; `ret` resumes that context.
 *   Everything else is caller-saved, so the C caller has already saved it.
 */
    .text
    .globl context_switch
    .type context_switch, @function
context_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size context_switch, . - context_switch

/*
 * A new thread's context "returns" here with a 16-byte aligned stack and
 * rbp = 0 (the end of the frame chain for debuggers). thread_entry runs the
 * thread's function and never returns.
 */
    .globl thread_trampoline
    .type thread_trampoline, @function
thread_trampoline:
    xorl %ebp, %ebp
    call thread_entry
    ud2
    .size thread_trampoline, . - thread_trampoline

    .section .note.GNU-stack, "", @progbits

/*
 * hypervisor.h - which hypervisor the kernel runs under, from CPUID (leaf 1
 * ECX bit 31, the signature of leaf 0x40000000, the frequencies of leaf
 * 0x40000010). Implemented in kernel/arch/hypervisor.c; kernel-core's
 * telemetry publishes it, tsc.c may take the TSC frequency from it.
 */
#ifndef TORO_HYPERVISOR_H
#define TORO_HYPERVISOR_H

#include <stdint.h>
#include "telemetry_abi.h" /* enum toro_hypervisor */

/* Read CPUID once (boot core, before tsc_calibrate) and print `toro: hypervisor NAME ...`. */
void hypervisor_detect(void);

/* enum toro_hypervisor; TORO_HYPERVISOR_NONE on bare metal or before hypervisor_detect. */
enum toro_hypervisor hypervisor_kind(void);
/* Short name of the kind: "none", "unknown", "KVM", "Hyper-V", "VMware", "TCG"... */
const char *hypervisor_name(void);
/* EAX of CPUID 0x40000000 (the hypervisor's highest leaf), 0 without a hypervisor. */
uint32_t hypervisor_max_leaf(void);
/* The 12 signature bytes of that leaf (EBX, ECX, EDX; zero without a hypervisor), not terminated. */
const char *hypervisor_signature(void);
/* CPUID 0x40000010 (VMware's timing leaf, also KVM's with a set TSC frequency): the TSC and the
 * LAPIC timer input in kHz; 0 where the leaf is absent or says nothing. */
uint32_t hypervisor_tsc_khz(void);
uint32_t hypervisor_lapic_khz(void);

#endif

// vcpu.ts - the one place that maps QEMU vCPUs to GDB thread ids. Used by threads.ts and by every layer
// above (the DAP session names its threads "CPU n" through it). Tested in test/gdb against `-smp 2`, where
// -thread-info's `details` ("CPU#1 [halted ]") must agree with it.

/**
 * GDB thread id of the vCPU with index `cpuIndex` (0 = the bootstrap processor).
 *
 * Why `+ 1`: QEMU's gdbstub presents each vCPU as one thread of process 1, with thread id
 * `cpu_index + 1` (target-id "Thread 1.N"; thread id 0 means "any" in the remote protocol), and lists them
 * in CPU order, so GDB, which numbers threads 1, 2, ... as it discovers them, gives vCPU k the id k + 1.
 * Holds for a QEMU connected once; vCPU hot-plug is not supported by this layer.
 */
export function threadIdForCpu(cpuIndex: number): number {
  if (!Number.isInteger(cpuIndex) || cpuIndex < 0) {
    throw new RangeError(`not a CPU index: ${cpuIndex}`);
  }
  return cpuIndex + 1;
}

/** The inverse of threadIdForCpu (same mapping, read the other way). */
export function cpuForThreadId(threadId: number): number {
  if (!Number.isInteger(threadId) || threadId < 1) {
    throw new RangeError(`not a GDB thread id: ${threadId}`);
  }
  return threadId - 1;
}

// record-decoding.ts - turns the bytes of one settled record into its typed form (snapshot.ts), field by field
// through layout.ts. Pure and total: any bytes give a record (unknown enum values become "unknown"), so
// decoder.ts never throws on bad data.

import {
  APIC_MODES,
  CORE_LAYOUT,
  CORE_STATES,
  FieldLayout,
  GLOBAL_LAYOUT,
  HYPERVISOR_FIELDS_SINCE_VERSION,
  HYPERVISORS,
  IDLE_POLICIES,
  LOCK_LAYOUT,
  THREAD_LAYOUT,
  THREAD_STATES,
} from "./layout";
import { CoreRecord, GlobalRecord, HypervisorRecord, LockRecord, ThreadRecord } from "./snapshot";

export function readU32(record: Buffer, field: FieldLayout): number {
  return record.readUInt32LE(field.offset);
}
export function readI32(record: Buffer, field: FieldLayout): number {
  return record.readInt32LE(field.offset);
}
export function readU64(record: Buffer, field: FieldLayout): number {
  return Number(record.readBigUInt64LE(field.offset));
}
/** A fixed-size char array: text up to the first NUL (or the whole field). */
export function readChars(record: Buffer, field: FieldLayout): string {
  const bytes = record.subarray(field.offset, field.offset + field.size);
  const end = bytes.indexOf(0);
  return bytes.toString("utf8", 0, end < 0 ? bytes.length : end);
}

function enumName<Name extends string>(names: readonly Name[], value: number): Name | "unknown" {
  return names[value] ?? "unknown";
}

/** The 12 signature bytes as text: NULs dropped, bytes outside printable ASCII as "?". */
function signatureText(record: Buffer, field: FieldLayout): string {
  const bytes = record.subarray(field.offset, field.offset + field.size);
  return [...bytes]
    .filter((byte) => byte !== 0)
    .map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : "?"))
    .join("");
}

function decodeHypervisor(record: Buffer): HypervisorRecord {
  const f = GLOBAL_LAYOUT.fields;
  const tscKhz = readU32(record, f.hypervisor_tsc_khz);
  const lapicKhz = readU32(record, f.hypervisor_lapic_khz);
  return {
    kind: enumName(HYPERVISORS, readU32(record, f.hypervisor)),
    signature: signatureText(record, f.hypervisor_signature),
    maxLeaf: readU32(record, f.hypervisor_max_leaf),
    tscKhz: tscKhz === 0 ? null : tscKhz,
    lapicKhz: lapicKhz === 0 ? null : lapicKhz,
  };
}

/** `abiVersion` from the header: fields added after version 1 are read only where they exist. */
export function decodeGlobal(record: Buffer, torn: boolean, abiVersion: number): GlobalRecord {
  const f = GLOBAL_LAYOUT.fields;
  const hasHypervisorFields = abiVersion >= HYPERVISOR_FIELDS_SINCE_VERSION;
  const readyTsc = readU64(record, f.ready_tsc);
  return {
    torn,
    idlePolicy: enumName(IDLE_POLICIES, readU32(record, f.idle_policy)),
    coresDetected: readU32(record, f.cores_detected),
    coresOnline: readU32(record, f.cores_online),
    locksRegistered: readU32(record, f.locks_registered),
    threadSlotsUsed: readU32(record, f.thread_slots_used),
    tscHz: readU64(record, f.tsc_hz),
    bootTsc: readU64(record, f.boot_tsc),
    readyTsc: readyTsc === 0 ? null : readyTsc,
    pollGraceMicroseconds: readU64(record, f.poll_grace_us),
    tickHz: readU64(record, f.tick_hz),
    panic:
      readU32(record, f.panic_flag) === 0
        ? null
        : { core: readI32(record, f.panic_core), message: readChars(record, f.panic_message) },
    cmdline: readChars(record, f.cmdline),
    hypervisor: hasHypervisorFields ? decodeHypervisor(record) : null,
    apicMode: hasHypervisorFields ? enumName(APIC_MODES, readU32(record, f.apic_mode)) : null,
  };
}

export function decodeCore(record: Buffer, index: number, torn: boolean): CoreRecord {
  const f = CORE_LAYOUT.fields;
  const currentThread = readI32(record, f.current_thread);
  const spinningLock = readI32(record, f.spinning_lock);
  return {
    index,
    torn,
    state: enumName(CORE_STATES, readU32(record, f.state)),
    online: readU32(record, f.online) !== 0,
    apicId: readU32(record, f.apic_id),
    currentThread: currentThread < 0 ? null : currentThread,
    spinningLock: spinningLock < 0 ? null : spinningLock,
    readyThreads: readU32(record, f.ready_threads),
    totalThreads: readU32(record, f.total_threads),
    pollingThreads: readU32(record, f.polling_threads),
    stateSinceTsc: readU64(record, f.state_since_tsc),
    updatedTsc: readU64(record, f.updated_tsc),
    halts: readU64(record, f.halts),
    pollHalts: readU64(record, f.poll_halts),
    cyclesHalted: readU64(record, f.cycles_halted),
    cyclesBusy: readU64(record, f.cycles_busy),
    cyclesIdleSpin: readU64(record, f.cycles_idle_spin),
    cyclesLockSpin: readU64(record, f.cycles_lock_spin),
    cyclesPolling: readU64(record, f.cycles_polling),
    cyclesInterrupt: readU64(record, f.cycles_interrupt),
    contextSwitches: readU64(record, f.context_switches),
    interrupts: readU64(record, f.interrupts),
    timerInterrupts: readU64(record, f.timer_interrupts),
    ipisReceived: readU64(record, f.ipis_received),
    ipisSent: readU64(record, f.ipis_sent),
    wakeups: readU64(record, f.wakeups),
    lastWakeupLatencyCycles: readU64(record, f.last_wakeup_latency_cycles),
    worstWakeupLatencyCycles: readU64(record, f.worst_wakeup_latency_cycles),
    network: {
      framesIn: readU64(record, f.net_frames_in),
      framesOut: readU64(record, f.net_frames_out),
      framesDropped: readU64(record, f.net_frames_dropped),
      connectionsOpen: readU32(record, f.net_connections_open),
      timeWait: readU32(record, f.net_time_wait),
    },
    wakesByReason: {
      timer: readU64(record, f.wakes_timer),
      ipi: readU64(record, f.wakes_ipi),
      device: readU64(record, f.wakes_device),
      pollRecheck: readU64(record, f.wakes_poll_recheck),
    },
  };
}

export function decodeLock(record: Buffer, index: number, torn: boolean): LockRecord {
  const f = LOCK_LAYOUT.fields;
  const owner = readI32(record, f.owner_core);
  return {
    index,
    torn,
    name: readChars(record, f.name),
    ownerCore: owner < 0 ? null : owner,
    acquisitions: readU64(record, f.acquisitions),
    contentions: readU64(record, f.contentions),
    cyclesSpun: readU64(record, f.cycles_spun),
    longestHoldCycles: readU64(record, f.longest_hold_cycles),
  };
}

export function decodeThread(record: Buffer, slot: number, torn: boolean): ThreadRecord {
  const f = THREAD_LAYOUT.fields;
  return {
    slot,
    torn,
    id: readI32(record, f.id),
    name: readChars(record, f.name),
    core: readI32(record, f.core),
    state: enumName(THREAD_STATES, readU32(record, f.state)),
    polling: readU32(record, f.polling) !== 0,
    switches: readU64(record, f.switches),
  };
}

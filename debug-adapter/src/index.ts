// index.ts - the engine's public surface, the package's main export ("@toro-studio/debug-adapter"): what
// code outside this package may use of the engine (the CLI in cli/, the extension's toolchain and stress
// checks). Nothing else of src/ is reachable from another workspace (ESLint forbids deep imports).
// The engine knows nothing of DAP or VS Code. The protocol is the "./protocol" export (protocol/index.ts).

export { ToroError } from "./engine/errors";
export { findExecutable, isExecutableFile } from "./engine/executables";
export { checkLoopbackUrl, isLoopbackHost, NotLoopbackUrlError } from "./engine/network/loopback-url";
export { findRepositoryRoot, repositoryPaths } from "./engine/paths";
export type { RepositoryPaths } from "./engine/paths";

export * from "./engine/profiles/profile";
export { ProfileError } from "./engine/profiles/profile-error";
export { validateProfile } from "./engine/profiles/validate-profile";
export { validateOverrides } from "./engine/profiles/validate-overrides";
export { DEFAULT_PROFILE, listProfiles, loadProfile } from "./engine/profiles/load-profile";

export { buildQemuArguments, effectiveSettings, DEFAULT_IDLE_POLICY } from "./engine/qemu/arguments";
export type { EffectiveSettings, LaunchPaths } from "./engine/qemu/arguments";
export * from "./engine/qemu/errors";
export type { QemuExit } from "./engine/qemu/exit-status";
export { QemuInstance, KernelImageNotFoundError, DEFAULT_QEMU_PATH } from "./engine/qemu/qemu-instance";
export { ManualQemu, manualQemuArguments } from "./engine/qemu/manual-qemu";
export type { ManualQemuOptions } from "./engine/qemu/manual-qemu";
export { checkAccelerator, KvmUnavailableError } from "./engine/qemu/accelerator-check";
export { findFreePort } from "./engine/qemu/free-port";
export { liveInstanceCount } from "./engine/qemu/live-instances";
export type { QemuLaunchOptions } from "./engine/qemu/qemu-instance";
export { QmpClient } from "./engine/qemu/qmp-client";
export { QmpMemoryReader, QmpMemoryError, parseXpWords } from "./engine/qemu/qmp-memory";
export type { QmpMemoryMethod, QmpMemoryOptions } from "./engine/qemu/qmp-memory";
export type { QmpEvent } from "./engine/qemu/qmp-client";
export { SerialConsole } from "./engine/qemu/serial-console";
export {
  parseSerialLine,
  parseReadyLine,
  parseSelftestSummary,
  parseEntryToReadyLine,
} from "./engine/qemu/serial-line";
export type { SerialLine } from "./engine/qemu/serial-line";

export { ElfFile, ElfFormatError } from "./engine/elf/elf-file";
export { findSymbol, readSymbols, virtualToPhysical, SymbolNotFoundError } from "./engine/elf/symbols";

export * from "./engine/telemetry/layout";
export * from "./engine/telemetry/snapshot";
export { decodeTelemetry } from "./engine/telemetry/decoder";
export type { ReadFunction, DecodeOptions } from "./engine/telemetry/decoder";
export { GuestClock } from "./engine/telemetry/guest-clock";
export { coreActivity, coreCycles } from "./engine/telemetry/derived";
export type { CoreActivity, CoreShares, TelemetrySample } from "./engine/telemetry/derived";
export { locateTelemetry, RamFileSource, TelemetryReader } from "./engine/telemetry/telemetry-reader";
export type { TelemetrySource, TelemetrySourceKind } from "./engine/telemetry/telemetry-reader";
export { QmpTelemetrySource, successiveCaptures } from "./engine/telemetry/qmp-telemetry-source";
export type { QmpTelemetryOptions } from "./engine/telemetry/qmp-telemetry-source";
export {
  TelemetryPoller,
  DEFAULT_TELEMETRY_HZ,
  MAXIMUM_TELEMETRY_HZ,
} from "./engine/telemetry/telemetry-poller";
export type {
  TelemetryPoll,
  TelemetryPollerOptions,
  PollerStatistics,
} from "./engine/telemetry/telemetry-poller";

export {
  ProcessCpuSampler,
  readProcessCpu,
  cpuPercent,
  clockTicksPerSecond,
} from "./engine/host/process-cpu";
export { CpuTrace, timeToQuiet, CPU_TRACE_INTERVAL_MS } from "./engine/host/cpu-trace";
export type { CpuSample } from "./engine/host/cpu-trace";
export { buildApp, buildPlan, MakeNotFoundError, AppNotFoundError } from "./engine/build/build-runner";
export type { BuildResult, BuildOutputs } from "./engine/build/build-runner";
export { parseDiagnostics, formatDiagnostic } from "./engine/build/diagnostics";
export type { Diagnostic } from "./engine/build/diagnostics";
export { GuestRun } from "./engine/run/guest-run";
export type { GuestRunOptions } from "./engine/run/guest-run";
export { bootFileFor } from "./engine/launch/kernel-image";

export * from "./engine/network/network-settings";
export {
  describeForwarding,
  networkArguments,
  planPortForwarding,
  NetworkConfigurationError,
} from "./engine/network/port-forwarding";
export type { PortForwarding } from "./engine/network/port-forwarding";
export { everyCoreHalted, waitForAllHalted, IdleWatch } from "./engine/network/all-halted";
export type { AllHalted, SnapshotReader } from "./engine/network/all-halted";
export { startHttpServerGuest, parseListeningLine, parsePingLine } from "./engine/network/http-server-guest";
export type { HttpServerGuest } from "./engine/network/http-server-guest";

export { ALL_TRACE_KINDS, TraceSwitch, traceKindsFor } from "./engine/trace/trace-control";
export { TraceDrain } from "./engine/trace/trace-drain";
export { TraceRecorder } from "./engine/trace/trace-recorder";
export type { TraceSummary } from "./engine/trace/trace-recorder";

export * from "./engine/exporter/index";
export { readRunDescription, RUN_DESCRIPTION_FILE } from "./engine/qemu/run-description";
export type { RunDescription } from "./engine/qemu/run-description";

// index.ts - the HTTP load generator's surface for the extension (package export
// "@toro-studio/debug-adapter/stress"): the worker's messages (worker-messages.ts), the load's progress and
// result types (load-generator.ts) and their report (stress-report.ts). The worker itself, stress-worker.ts,
// is bundled as a separate entry (extension/scripts/build.mjs) and forked.

export type { LoadOptions, LoadProgress, LoadResult } from "./load-generator";
export { asWorkerReply, type WorkerReply, type WorkerRequest } from "./worker-messages";
export { formatLoadResult } from "./stress-report";

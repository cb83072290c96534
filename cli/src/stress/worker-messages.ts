// worker-messages.ts - the messages between a process that wants HTTP load and stress-worker.ts, which runs
// it in its own process (the VS Code extension forks it, so the load never competes with the extension host's
// event loop). Node IPC, JSON. Types only plus one pure check; the extension imports this file.

import type { LoadOptions, LoadProgress, LoadResult } from "./load-generator";

/** Parent -> worker: start (once), or stop early (the result still comes). */
export type WorkerRequest =
  { kind: "start"; options: Omit<LoadOptions, "onProgress" | "signal"> } | { kind: "stop" };

/** Worker -> parent: progress about once a second, then exactly one result or failure, then it exits. */
export type WorkerReply =
  | { kind: "progress"; progress: LoadProgress }
  | { kind: "result"; result: LoadResult }
  | { kind: "failure"; message: string };

/** The reply, or undefined when `message` is not one (a worker message from another version, say). */
export function asWorkerReply(message: unknown): WorkerReply | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const reply = message as Record<string, unknown>;
  if (reply.kind === "progress" && typeof reply.progress === "object" && reply.progress !== null) {
    return reply as WorkerReply;
  }
  if (reply.kind === "result" && typeof reply.result === "object" && reply.result !== null) {
    return reply as WorkerReply;
  }
  if (reply.kind === "failure" && typeof reply.message === "string") return reply as WorkerReply;
  return undefined;
}

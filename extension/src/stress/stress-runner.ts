// stress-runner.ts - runs one load in a child process (the adapter package's stress-worker, bundled as
// dist/stress-worker.js) so the load generator never competes with the extension host's event loop; relays
// its progress and result, stops it on request, and kills it if it outlives its load. Pairs with
// stress-command.ts and cli/src/stress/worker-messages.ts.

import { fork } from "node:child_process";
import {
  asWorkerReply,
  type LoadProgress,
  type LoadResult,
  type WorkerRequest,
} from "@toro-studio/cli/stress";
import type { StressPlan } from "./stress-text";

/** After `stop` (or the planned end plus request timeouts), the worker is killed if still there. */
const GRACE_MS = 30_000;

export interface StressRun {
  result: Promise<LoadResult>;
  stop(): void;
}

export function startStress(
  workerPath: string,
  url: string,
  plan: StressPlan,
  onProgress: (progress: LoadProgress) => void,
): StressRun {
  const child = fork(workerPath, [], { stdio: "ignore" });
  let killTimer: NodeJS.Timeout | undefined;
  const armKill = (milliseconds: number) => {
    clearTimeout(killTimer);
    killTimer = setTimeout(() => child.kill("SIGKILL"), milliseconds);
  };
  const result = new Promise<LoadResult>((resolve, reject) => {
    let settled = false;
    child.on("message", (message) => {
      const reply = asWorkerReply(message);
      if (reply?.kind === "progress") onProgress(reply.progress);
      else if (reply?.kind === "result") {
        settled = true;
        resolve(reply.result);
      } else if (reply?.kind === "failure") {
        settled = true;
        reject(new Error(reply.message));
      }
    });
    child.on("error", (error) => {
      settled = true;
      reject(error);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(killTimer);
      if (!settled)
        reject(new Error(`the load generator ended without a result (${signal ?? `status ${code}`})`));
    });
  });
  const start: WorkerRequest = {
    kind: "start",
    options: {
      url,
      connections: plan.connections,
      durationSeconds: plan.durationSeconds,
      requests: plan.requests,
    },
  };
  child.send(start);
  if (plan.durationSeconds !== undefined) armKill(plan.durationSeconds * 1000 + GRACE_MS);
  return {
    result,
    stop: () => {
      if (child.connected) child.send({ kind: "stop" } satisfies WorkerRequest);
      armKill(GRACE_MS);
    },
  };
}

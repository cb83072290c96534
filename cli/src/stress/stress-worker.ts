// stress-worker.ts - runs one HTTP load (load-generator.ts) in a process of its own, driven over Node IPC
// with worker-messages.ts: waits for `start`, reports progress, answers `stop`, sends the result and exits.
// The extension bundles it as dist/stress-worker.js and forks it; the URL is checked (loopback only) here
// too. Exits by itself when its parent goes away.

import { runLoad } from "./load-generator";
import { WorkerReply, WorkerRequest } from "./worker-messages";

function send(reply: WorkerReply): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) resolve();
    else process.send(reply, undefined, {}, () => resolve());
  });
}

function main(): void {
  if (process.send === undefined) {
    process.stderr.write("stress-worker: start me with child_process.fork (it talks over Node IPC)\n");
    process.exitCode = 2;
    return;
  }
  const abort = new AbortController();
  let started = false;
  process.on("disconnect", () => abort.abort()); // the parent is gone: stop, then exit
  process.on("message", (message: WorkerRequest) => {
    if (message?.kind === "stop") abort.abort();
    if (message?.kind !== "start" || started) return;
    started = true;
    runLoad({
      ...message.options,
      signal: abort.signal,
      onProgress: (progress) => void send({ kind: "progress", progress }),
    })
      .then(
        (result) => send({ kind: "result", result }),
        (error: unknown) =>
          send({ kind: "failure", message: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => process.disconnect?.());
  });
}

main();

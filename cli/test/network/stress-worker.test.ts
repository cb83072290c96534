// stress-worker.test.ts - the out-of-process load runner the extension forks (src/stress/stress-worker.ts,
// compiled), against a small Node HTTP server on 127.0.0.1: progress then one result, `stop` ends the load
// early, a non-loopback URL comes back as a failure without any connection, and the worker always exits.

import { ChildProcess, fork } from "node:child_process";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliDirectory, compileCli } from "../helpers/cli-process";
import { asWorkerReply, WorkerReply, WorkerRequest } from "../../src/stress/worker-messages";

const workerPath = path.join(cliDirectory, "dist", "stress", "stress-worker.js");
let server: http.Server;
let url: string;
let served = 0;

beforeAll(async () => {
  compileCli();
  server = http.createServer((_request, response) => {
    served++;
    response.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Forks the worker, sends `start`, collects every reply until it exits. */
function runWorker(request: WorkerRequest, afterStart?: (child: ChildProcess) => void) {
  // execArgv: [] - the compiled worker runs as the extension forks it, not with vitest's `--conditions source`
  // (which would make it load the engine's TypeScript).
  const child = fork(workerPath, [], { stdio: "ignore", execArgv: [] });
  const replies: WorkerReply[] = [];
  child.on("message", (message) => {
    const reply = asWorkerReply(message);
    if (reply !== undefined) replies.push(reply);
  });
  child.send(request);
  afterStart?.(child);
  return new Promise<{ replies: WorkerReply[]; code: number | null }>((resolve) =>
    child.on("exit", (code) => resolve({ replies, code })),
  );
}

describe("stress worker", () => {
  it("reports progress once a second, then one result, and exits", async () => {
    const { replies, code } = await runWorker({
      kind: "start",
      options: { url, connections: 4, durationSeconds: 2.2 },
    });
    expect(code).toBe(0);
    const kinds = replies.map((reply) => reply.kind);
    expect(kinds.filter((kind) => kind === "progress").length).toBeGreaterThanOrEqual(2);
    expect(kinds.at(-1)).toBe("result");
    const last = replies.at(-1)!;
    if (last.kind !== "result") throw new Error(`the last reply is ${last.kind}`);
    const result = last.result;
    expect(result.connections).toBe(4);
    expect(result.responses).toBeGreaterThan(10);
    expect(result.statusCounts).toEqual({ "200": result.responses });
    expect(served).toBeGreaterThanOrEqual(result.responses);
  });

  it("stops early on `stop` and still sends the result", async () => {
    const started = Date.now();
    const { replies } = await runWorker(
      { kind: "start", options: { url, connections: 2, durationSeconds: 30 } },
      (child) => setTimeout(() => child.send({ kind: "stop" } satisfies WorkerRequest), 700),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    const last = replies.at(-1)!;
    expect(last.kind).toBe("result");
    expect(last.kind === "result" && last.result.stoppedEarly).toBe(true);
  });

  it("refuses a non-loopback URL with a failure message", async () => {
    const { replies, code } = await runWorker({ kind: "start", options: { url: "http://192.0.2.1/" } });
    expect(code).toBe(0);
    expect(replies).toEqual([
      { kind: "failure", message: expect.stringMatching(/refusing to put load on "192\.0\.2\.1"/) },
    ]);
  });

  it("tells garbage from replies", () => {
    expect(asWorkerReply({ kind: "result" })).toBeUndefined();
    expect(asWorkerReply("progress")).toBeUndefined();
    expect(asWorkerReply({ kind: "failure", message: "x" })).toEqual({ kind: "failure", message: "x" });
  });
});

// spare-adapter.test.ts - SpareAdapter (src/debug/spare-adapter.ts) with the real bundled adapter
// (dist/adapter.js: run `npm run build -w extension` first) and the real GDB: a spare listens on a socket
// in a private 0700 directory with its GDB already started; stop() and retire() leave no adapter, no GDB and
// no directory; a spare that serves a session exits on its own when the connection closes; one whose
// adapter cannot start says why and is gone.

import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { SpareAdapter } from "../../src/debug/spare-adapter";

const adapterScript = path.resolve(__dirname, "..", "..", "dist", "adapter.js");
let parentDirectory: string;
const started: SpareAdapter[] = [];

function startSpare(options: { adapterScript?: string; log?: (text: string) => void } = {}): SpareAdapter {
  const spare = SpareAdapter.start({
    nodePath: process.execPath,
    adapterScript: options.adapterScript ?? adapterScript,
    gdbPath: "gdb",
    parentDirectory,
    log: options.log,
  });
  started.push(spare);
  return spare;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids of `parent`'s children named `name` (from /proc). */
function children(parent: number, name: string): number[] {
  return fs
    .readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
        const close = stat.lastIndexOf(")");
        const comm = stat.slice(stat.indexOf("(") + 1, close);
        const ppid = Number(stat.slice(close + 2).split(" ")[1]);
        return ppid === parent && comm === name ? [Number(entry)] : [];
      } catch {
        return [];
      }
    });
}

async function spareGdb(spare: SpareAdapter): Promise<number> {
  for (let tries = 0; tries < 400; tries++) {
    const [gdb] = children(spare.pid!, "gdb");
    if (gdb !== undefined) return gdb;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the spare adapter started no GDB");
}

async function gone(pid: number, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  return !isAlive(pid);
}

beforeAll(() => {
  if (!fs.existsSync(adapterScript))
    throw new Error(`${adapterScript} is missing: run npm run build -w extension first`);
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((spare) => spare.stop()));
  if (parentDirectory !== undefined) {
    expect(fs.readdirSync(parentDirectory), "spare directories left behind").toEqual([]);
    fs.rmSync(parentDirectory, { recursive: true, force: true });
  }
});

describe("SpareAdapter", () => {
  it("listens in a private directory with its GDB started, and stop() leaves nothing", async () => {
    parentDirectory = fs.mkdtempSync(path.join(os.tmpdir(), "toro-spare-test-"));
    const spare = startSpare();
    expect(await spare.ready).toBe(true);
    expect(fs.statSync(spare.directory).mode & 0o777).toBe(0o700);
    expect(fs.statSync(spare.socketPath).isSocket()).toBe(true);
    const gdb = await spareGdb(spare);
    await spare.stop();
    expect(spare.alive).toBe(false);
    expect(isAlive(spare.pid!)).toBe(false);
    expect(await gone(gdb)).toBe(true);
    expect(fs.existsSync(spare.directory)).toBe(false);
  });

  it("serves one session on its socket and exits on its own when the connection closes", async () => {
    parentDirectory = fs.mkdtempSync(path.join(os.tmpdir(), "toro-spare-test-"));
    const spare = startSpare();
    expect(await spare.ready).toBe(true);
    const gdb = await spareGdb(spare);
    const socket = net.createConnection(spare.socketPath);
    const reply = new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
        if (text.includes('"command":"initialize"')) resolve(text);
      });
    });
    const request = JSON.stringify({
      seq: 1,
      type: "request",
      command: "initialize",
      arguments: { adapterID: "toro", pathFormat: "path" },
    });
    socket.write(`Content-Length: ${Buffer.byteLength(request)}\r\n\r\n${request}`);
    expect(await reply).toMatch(/"success":true/);
    // A second client is refused: the spare listens for one only.
    const second = net.createConnection(spare.socketPath);
    expect(
      await new Promise((resolve) =>
        second.once("error", () => resolve("refused")).once("connect", () => resolve("connected")),
      ),
    ).toBe("refused");
    socket.end();
    const retiring = spare.retire();
    expect(await gone(spare.pid!, 4_000), "the spare should exit before retire() escalates").toBe(true);
    await retiring;
    expect(await gone(gdb)).toBe(true);
    expect(fs.existsSync(spare.directory)).toBe(false);
  });

  it("reports an adapter that cannot start, and is gone", async () => {
    parentDirectory = fs.mkdtempSync(path.join(os.tmpdir(), "toro-spare-test-"));
    const lines: string[] = [];
    const spare = startSpare({
      adapterScript: path.join(parentDirectory, "missing-adapter.js"),
      log: (line) => lines.push(line),
    });
    expect(await spare.ready).toBe(false);
    await spare.exited;
    expect(spare.alive).toBe(false);
    expect(lines.join("\n")).toMatch(/spare debug adapter exited with code 1: .*Cannot find module/s);
  });
});

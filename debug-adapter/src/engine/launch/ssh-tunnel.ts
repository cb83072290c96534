// ssh-tunnel.ts - reaches a QEMU on another machine through SSH port forwarding (`ssh -N -L`), for `attach`
// with `ssh: "user@host"`: its gdbstub (host:port as seen from that machine) becomes a port on 127.0.0.1 here,
// its QMP socket (a path there) a unix socket in a private 0700 directory here. ssh is spawned with an argument
// array (the destination after every option and after `--`, so it can never be read as an option), in batch
// mode (no password prompt: keys or an agent), with ExitOnForwardFailure so a forward that cannot be set up
// ends it. open() resolves once every local end listens, or rejects with ssh's own message; close() ends ssh
// (SIGTERM, then SIGKILL), waits for it and removes the directory. Telemetry through the tunnel is QMP's
// (../qemu/qmp-memory.ts: pmemsave writes on the remote machine, so "auto" falls back to `xp` there).

import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ToroError } from "../errors";
import { findExecutable } from "../executables";
import { createPrivateDirectory, removePrivateDirectory } from "../qemu/private-directory";
import { findFreePort } from "../qemu/free-port";

export interface SshTunnelOptions {
  /** `user@host` or `host`. */
  destination: string;
  /** sshd's port on that host (ssh -p); default ssh's own (22, or the user's ssh config). */
  port?: number;
  /** More ssh options, as ssh takes them (e.g. ["-i", "~/.ssh/lab", "-o", "ProxyJump=bastion"]). */
  options?: readonly string[];
  /** The gdbstub as seen from the remote machine, e.g. { host: "127.0.0.1", port: 1234 }. */
  gdbstub: { host: string; port: number };
  /** The QMP socket's path on the remote machine. */
  qmpSocket?: string;
  sshPath?: string;
  /** How long the forwards may take to listen; default 20 s. */
  timeoutMs?: number;
  parentDirectory?: string;
  log?: (text: string) => void;
}

export class SshTunnelError extends ToroError {}

const STDERR_LIMIT = 16 * 1024;
const STOP_GRACE_MS = 3000;
const POLL_MS = 25;

/** Whether something listens on 127.0.0.1:`port` (read from /proc/net/tcp: no connection is opened). */
export function isListeningOnLoopback(port: number, table = readTcpTable()): boolean {
  const wanted = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  return table.split("\n").some((line) => {
    const fields = line.trim().split(/\s+/);
    return fields[1] === wanted && fields[3] === "0A"; // 0A: LISTEN
  });
}

function readTcpTable(): string {
  try {
    return fs.readFileSync("/proc/net/tcp", "utf8");
  } catch {
    return "";
  }
}

/** The ssh argument array for these forwards (pure, unit-tested). */
export function sshArguments(
  options: Pick<SshTunnelOptions, "destination" | "port" | "options" | "gdbstub" | "qmpSocket">,
  localGdbPort: number,
  localQmpSocket: string | undefined,
): string[] {
  const forwards = [
    "-L",
    `127.0.0.1:${localGdbPort}:${options.gdbstub.host}:${options.gdbstub.port}`,
    ...(options.qmpSocket === undefined || localQmpSocket === undefined
      ? []
      : ["-L", `${localQmpSocket}:${options.qmpSocket}`]),
  ];
  return [
    "-N",
    "-o",
    "BatchMode=yes",
    "-o",
    "ExitOnForwardFailure=yes",
    "-o",
    "StreamLocalBindUnlink=yes",
    ...(options.port === undefined ? [] : ["-p", String(options.port)]),
    ...(options.options ?? []),
    ...forwards,
    "--",
    options.destination,
  ];
}

export class SshTunnel {
  private stderrText = "";
  private exitStatus: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exited: Promise<void>;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly directory: string,
    /** 127.0.0.1 port forwarded to the remote gdbstub. */
    readonly gdbPort: number,
    /** Local unix socket forwarded to the remote QMP socket, undefined without one. */
    readonly qmpSocket: string | undefined,
  ) {
    child.stderr!.on("data", (chunk: Buffer) => {
      this.stderrText = (this.stderrText + chunk.toString("utf8")).slice(-STDERR_LIMIT);
    });
    this.exited = new Promise((resolve) =>
      child.on("close", (code, signal) => {
        this.exitStatus = { code, signal };
        resolve();
      }),
    );
    child.on("error", () => undefined); // ENOENT and the like: reported through `close` and stderr
  }

  /** Starts ssh and waits until every local end listens; leaves nothing behind when it fails. */
  static async open(options: SshTunnelOptions): Promise<SshTunnel> {
    const sshPath = options.sshPath ?? "ssh";
    const executable = findExecutable(sshPath);
    if (executable === undefined) {
      throw new SshTunnelError(
        `ssh was not found: cannot run "${sshPath}"`,
        "Install the OpenSSH client: sudo apt-get install -y openssh-client",
      );
    }
    const directory = await createPrivateDirectory(options.parentDirectory);
    let tunnel: SshTunnel | undefined;
    try {
      const gdbPort = await findFreePort();
      const qmpSocket = options.qmpSocket === undefined ? undefined : path.join(directory, "qmp.sock");
      const args = sshArguments(options, gdbPort, qmpSocket);
      options.log?.(`ssh tunnel: ${executable} ${args.join(" ")}`);
      const child = spawn(executable, args, { stdio: ["ignore", "ignore", "pipe"] });
      tunnel = new SshTunnel(child, directory, gdbPort, qmpSocket);
      await tunnel.waitUntilListening(options.timeoutMs ?? 20_000, options.destination);
      return tunnel;
    } catch (error) {
      if (tunnel !== undefined) await tunnel.close();
      else await removePrivateDirectory(directory);
      throw error;
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True once ssh has exited (the tunnel is down). */
  get hasExited(): boolean {
    return this.exitStatus !== undefined;
  }

  get stderr(): string {
    return this.stderrText;
  }

  close(): Promise<void> {
    this.closing ??= this.stop();
    return this.closing;
  }

  private async stop(): Promise<void> {
    if (!this.hasExited) {
      this.child.kill("SIGTERM");
      const timer = setTimeout(() => this.child.kill("SIGKILL"), STOP_GRACE_MS);
      await this.exited;
      clearTimeout(timer);
    }
    await removePrivateDirectory(this.directory);
  }

  private async waitUntilListening(timeoutMs: number, destination: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.exitStatus !== undefined) {
        const status = this.exitStatus.code ?? this.exitStatus.signal;
        throw new SshTunnelError(
          `ssh to ${destination} ended (exit ${status}) before its forwards were up: ${this.stderrText.trim() || "no message"}`,
          'Check that `ssh <destination>` works without a password prompt (a key or an agent; "sshOptions" ' +
            "passes -i and -o options), and that the gdbstub and QMP socket exist on that machine.",
        );
      }
      const gdbUp = isListeningOnLoopback(this.gdbPort);
      const qmpUp = this.qmpSocket === undefined || fs.existsSync(this.qmpSocket);
      if (gdbUp && qmpUp) return;
      if (Date.now() > deadline) {
        throw new SshTunnelError(
          `ssh to ${destination} did not set up its forwards within ${timeoutMs} ms: ${this.stderrText.trim() || "no message"}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

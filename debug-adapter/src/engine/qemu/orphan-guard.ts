// orphan-guard.ts - keeps a QEMU from outliving the Node process that started it. QEMU runs in its own process
// group (so a terminal's ^C reaches only Node, which stops it in order), and a Node process killed outright
// (SIGKILL, the OOM killer) runs no exit hook: without a guard that QEMU would keep a host CPU and its guest
// RAM file forever. Node cannot set a child's parent-death signal, so QEMU is started through util-linux
// `setpriv --pdeathsig KILL`, which sets it and then execs QEMU: same pid, same exit status, and the Linux
// kernel kills QEMU when the thread that spawned it dies. Contract: spawn from a thread that lives as long
// as the QEMU should (Node's main thread; not a worker thread that may end first). Where setpriv or its
// `--pdeathsig` option is missing, QEMU starts directly and only live-instances.ts's exit hook protects.
// The private directory a killed Node leaves behind is swept by stale-directories.ts on the next launch.

import { spawnSync } from "node:child_process";
import { findExecutable } from "../executables";

export interface GuardedCommand {
  command: string;
  args: string[];
  /** Whether the parent-death signal is set (false: setpriv is missing or too old). */
  guarded: boolean;
}

let setprivPath: string | null | undefined;

/** setpriv when it exists and knows `--pdeathsig` (util-linux 2.33 and later), else null; probed once. */
function parentDeathSetter(): string | null {
  if (setprivPath !== undefined) return setprivPath;
  const found = findExecutable("setpriv", `${process.env.PATH ?? ""}:/usr/bin:/bin`);
  const help =
    found === undefined ? undefined : spawnSync(found, ["--help"], { encoding: "utf8", timeout: 5000 });
  setprivPath = help !== undefined && help.stdout?.includes("--pdeathsig") ? found! : null;
  return setprivPath;
}

/** The command line that runs `executable` (an absolute path) with `args`, killed if this process dies. */
export function guardAgainstOrphaning(executable: string, args: string[]): GuardedCommand {
  const setpriv = parentDeathSetter();
  if (setpriv === null) return { command: executable, args, guarded: false };
  return { command: setpriv, args: ["--pdeathsig", "KILL", "--", executable, ...args], guarded: true };
}

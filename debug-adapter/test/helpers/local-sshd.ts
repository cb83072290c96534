// local-sshd.ts - an OpenSSH server of the test's own on 127.0.0.1 (a free port), for the remote-attach test:
// a temporary host key and client key in a private 0700 folder, the client's key as the only authorized one,
// no password logins, forwarding allowed. The client options it returns verify the host key (a known_hosts
// file of its own) and use only that key. start() resolves with the reason instead when sshd cannot run here
// (not installed, or it refuses to start), so the test can skip saying why. stop() ends sshd and removes
// the folder (and /run/sshd if it made it).

import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findFreePort } from "../../src/engine/qemu/free-port";
import { isListeningOnLoopback } from "../../src/engine/launch/ssh-tunnel";

const SSHD = "/usr/sbin/sshd";
const PRIVILEGE_SEPARATION_DIRECTORY = "/run/sshd";

export interface LocalSshd {
  port: number;
  /** user@127.0.0.1 for the current user. */
  destination: string;
  /** ssh options: this key only, this host key only, no user config. */
  clientOptions: string[];
  stop(): Promise<void>;
}

export async function startLocalSshd(parent: string = os.tmpdir()): Promise<LocalSshd | { skip: string }> {
  if (!fs.existsSync(SSHD)) return { skip: `${SSHD} is not installed (Debian package openssh-server)` };
  const directory = fs.mkdtempSync(path.join(parent, "toro-sshd-"));
  fs.chmodSync(directory, 0o700);
  let madePrivilegeDirectory = false;
  let child: ChildProcess | undefined;
  const cleanUp = async () => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once("close", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    fs.rmSync(directory, { recursive: true, force: true });
    if (madePrivilegeDirectory) fs.rmSync(PRIVILEGE_SEPARATION_DIRECTORY, { recursive: true, force: true });
  };
  try {
    const hostKey = path.join(directory, "host_key");
    const clientKey = path.join(directory, "client_key");
    for (const key of [hostKey, clientKey]) {
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key], { stdio: "ignore" });
    }
    fs.copyFileSync(`${clientKey}.pub`, path.join(directory, "authorized_keys"));
    const port = await findFreePort();
    const hostPublic = fs.readFileSync(`${hostKey}.pub`, "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
    fs.writeFileSync(path.join(directory, "known_hosts"), `[127.0.0.1]:${port} ${hostPublic}\n`);
    const config = path.join(directory, "sshd_config");
    fs.writeFileSync(
      config,
      [
        `Port ${port}`,
        "ListenAddress 127.0.0.1",
        `HostKey ${hostKey}`,
        `AuthorizedKeysFile ${path.join(directory, "authorized_keys")}`,
        `PidFile ${path.join(directory, "sshd.pid")}`,
        "StrictModes no",
        "UsePAM no",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes",
        "PermitRootLogin prohibit-password",
        "AllowTcpForwarding yes",
        "AllowStreamLocalForwarding yes",
        "LogLevel ERROR",
        "",
      ].join("\n"),
    );
    if (process.getuid?.() === 0 && !fs.existsSync(PRIVILEGE_SEPARATION_DIRECTORY)) {
      fs.mkdirSync(PRIVILEGE_SEPARATION_DIRECTORY, { mode: 0o755 });
      madePrivilegeDirectory = true;
    }
    let stderr = "";
    child = spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", (error) => (stderr += error.message));
    const deadline = Date.now() + 10_000;
    while (!isListeningOnLoopback(port)) {
      if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
        await cleanUp();
        return { skip: `sshd did not start on 127.0.0.1:${port}: ${stderr.trim() || "no message"}` };
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return {
      port,
      destination: `${os.userInfo().username}@127.0.0.1`,
      clientOptions: [
        "-F",
        "none",
        "-i",
        clientKey,
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        `UserKnownHostsFile=${path.join(directory, "known_hosts")}`,
        "-o",
        "StrictHostKeyChecking=yes",
      ],
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    return { skip: `cannot set up sshd: ${(error as Error).message}` };
  }
}

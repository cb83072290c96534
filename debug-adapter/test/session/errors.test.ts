// errors.test.ts - every way a launch or attach can fail before debugging starts, each answered with a clear
// message (what is wrong, what was expected or what to install) and a clean end: no QEMU, no GDB, no file.
// Missing tools are simulated with paths that do not exist and a CC that does not exist.

import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { AdapterSession } from "./support/adapter-session";
import { SESSION_APP, prebuiltSessionApp } from "./support/fixture-app";

async function launchError(
  label: string,
  launchArguments: Record<string, unknown>,
  environment?: NodeJS.ProcessEnv,
) {
  const session = await AdapterSession.open(label, { environment });
  const message = await session.launchError(launchArguments);
  return { session, message };
}

/** A TCP port on 127.0.0.1 held open by this test until `release`. */
async function occupiedPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { port, release: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("launch and attach errors", () => {
  it("lists every invalid field with what was expected", async () => {
    const { session, message } = await launchError("invalid-fields", {
      app: SESSION_APP,
      cpus: "four",
      idle: "sleepy",
      telemetryHz: -1,
      cpu: 2,
    });
    expect(message).toContain('"cpus" must be an integer from 1 to 256, got "four"');
    expect(message).toContain('"idle" must be one of "busy", "pause", "halt", "tickless", got "sleepy"');
    expect(message).toContain('"telemetryHz" must be a number from 0 to 200, got number -1');
    expect(message).toMatch(/unknown launch field "cpu"; expected one of "app", "program"/);
    await session.close();
  });

  it("refuses more vCPUs than the telemetry block holds, saying the maximum", async () => {
    const { session, message } = await launchError("too-many-cpus", { app: SESSION_APP, cpus: 257 });
    expect(message).toMatch(/"cpus" must be an integer from 1 to 256, got number 257/);
    expect(message.split("\n").filter((line) => /cpus/.test(line))).toHaveLength(1);
    await session.close();
  });

  it("asks for an app or a program, and names a missing app folder", async () => {
    const neither = await launchError("no-app", { cpus: 2 });
    expect(neither.message).toMatch(/give "app" .* or "program"/);
    await neither.session.close();
    const missing = await launchError("missing-app", { app: "/nonexistent/app" });
    expect(missing.message).toContain("app folder not found: /nonexistent/app");
    await missing.session.close();
  });

  it("names a log file it cannot write", async () => {
    const { session, message } = await launchError("bad-log-file", {
      app: SESSION_APP,
      logFile: "/nonexistent/folder/adapter.log",
    });
    expect(message).toMatch(/^"logFile" cannot be written: ENOENT/);
    await session.close();
  });

  it("names a bad profile and what is available", async () => {
    const unknown = await launchError("unknown-profile", { app: SESSION_APP, profile: "no-such-profile" });
    expect(unknown.message).toMatch(/cannot read the profile .*available profiles: .*default/);
    await unknown.session.close();

    const session = await AdapterSession.open("invalid-profile");
    const file = path.join(session.directory, "broken.json");
    fs.writeFileSync(
      file,
      JSON.stringify({ description: "x", machine: "q35", accel: "tcg", cpus: 300, memoryMiB: 128 }),
    );
    const message = await session.launchError({ app: SESSION_APP, profile: file });
    expect(message).toContain('"cpus" must be an integer from 1 to 256 (TORO_MAX_CPUS), got number 300');
    await session.close();
  });

  it("names missing QEMU, GDB and compiler with the command that installs them", async () => {
    const { kernelElf } = await prebuiltSessionApp();
    const qemu = await launchError("no-qemu", {
      program: kernelElf,
      qemuPath: "/nonexistent/qemu-system-x86_64",
    });
    expect(qemu.message).toMatch(/QEMU was not found: cannot run "\/nonexistent\/qemu-system-x86_64"/);
    expect(qemu.message).toContain("sudo apt-get install -y qemu-system-x86");
    await qemu.session.close();

    const gdb = await launchError("no-gdb", { program: kernelElf, gdbPath: "/nonexistent/gdb" });
    expect(gdb.message).toMatch(/GDB was not found: cannot run "\/nonexistent\/gdb"/);
    expect(gdb.message).toContain("sudo apt-get install -y gdb");
    await gdb.session.close();

    const compiler = await launchError("no-compiler", { app: SESSION_APP }, { CC: "/nonexistent/gcc" });
    expect(compiler.message).toMatch(
      /the C compiler was not found: cannot run "\/nonexistent\/gcc" \(from the CC environment variable\)/,
    );
    expect(compiler.message).toContain("sudo apt-get install -y gcc binutils");
    await compiler.session.close();
  });

  it("reports a build failure with the compiler output and structured diagnostics", async () => {
    const session = await AdapterSession.open("build-failure");
    const app = path.join(session.directory, "broken-app");
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, "main.c"), '#include "toro.h"\nvoid main(void)\n{\n    int x = ;\n}\n');
    const message = await session.launchError({ app });
    expect(message).toMatch(
      /the build failed with \d+ error\(s\); first: .*broken-app\/main\.c:4:\d+: error: expected expression/,
    );
    const build = await session.waitFor("toroBuild");
    expect(build.body).toMatchObject({ success: false });
    expect(build.body.diagnostics[0]).toMatchObject({
      file: path.join(app, "main.c"),
      line: 4,
      severity: "error",
    });
    expect(build.body.diagnostics[0].message).toMatch(/expected expression/);
    const clickable = session.events.find(
      (event) => event.event === "output" && event.body.source !== undefined,
    );
    expect(clickable?.body).toMatchObject({
      category: "stderr",
      line: 4,
      source: { path: path.join(app, "main.c") },
    });
    expect(session.output("console")).toContain("int x = ;");
    await session.close();
  });

  it("refuses a gdbstub port another program uses", async () => {
    const { kernelElf } = await prebuiltSessionApp();
    const taken = await occupiedPort();
    try {
      const { session, message } = await launchError("port-in-use", {
        program: kernelElf,
        gdbPort: taken.port,
      });
      expect(message).toContain(`port ${taken.port} on 127.0.0.1 is in use by another program`);
      await session.close();
    } finally {
      await taken.release();
    }
  });

  it("reports an attach to a port where no gdbstub listens", async () => {
    const { kernelElf } = await prebuiltSessionApp();
    const free = await occupiedPort();
    await free.release(); // nothing listens there any more
    const session = await AdapterSession.open("attach-refused");
    await session.client.initializeRequest();
    const message = await session.client
      .attachRequest({ gdbstub: `127.0.0.1:${free.port}`, program: kernelElf } as never)
      .then(
        () => "attached",
        (error: Error) => error.message,
      );
    expect(message).toMatch(
      new RegExp(`cannot attach to the gdbstub at 127\\.0\\.0\\.1:${free.port}: .*(refused|timed out)`, "i"),
    );
    expect(message).toContain("-gdb tcp:127.0.0.1");
    await session.close();
  });
});

// exporter.test.ts - `toro exporter` as a process: bad arguments give a clear message and exit 2 (usage) or 1
// (a path that is not what was expected); `--once` prints the metrics of a VM that another `toro run` started
// (found through its run folder's run.json, read from its RAM file) and of a QEMU started by hand reached
// only by its QMP socket (`--qmp`, the block found by its magic through pmemsave), in the Prometheus text
// format and in OpenMetrics; nothing is left behind.

import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadProfile, ManualQemu, repositoryPaths } from "@toro-studio/debug-adapter";
import { runCli, startCli, useCliFolders, waitFor } from "../helpers/cli-process";

const folders = useCliFolders("exporter");
/** idle-demo with one short burst and then an hour of idle, one wake-up a second. */
const IDLE_ONLY = "work_ms=1 idle_ms=3600000 step_ms=1000";

function sampleValue(text: string, name: string, labels: string[]): number | undefined {
  const line = text
    .split("\n")
    .find(
      (candidate) => candidate.startsWith(`${name}{`) && labels.every((label) => candidate.includes(label)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("toro exporter arguments", () => {
  it("refuses bad values with what was expected", async () => {
    const port = await runCli(["exporter", "--port", "70000"], folders.tmpdir);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/^toro: --port must be a TCP port \(1-65535\), got "70000"/);
    const listen = await runCli(["exporter", "--listen", "localhost:9"], folders.tmpdir);
    expect(listen.code).toBe(2);
    expect(listen.stderr).toMatch(/--listen takes an IP address of this host .* got "localhost:9"/);
    const folder = await runCli(["exporter", "--once", "/tmp"], folders.tmpdir);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/toro exporter takes no folder, got "\/tmp"/);
    const qmp = await runCli(["exporter", "--once", "--qmp", "/no/such.sock"], folders.tmpdir);
    expect(qmp.code).toBe(1);
    expect(qmp.stderr).toMatch(
      /--qmp \/no\/such\.sock: not a unix socket \(expected the path given to QEMU's -qmp/,
    );
    const runs = await runCli(["exporter", "--once", "--runs-dir", "/no/such/folder"], folders.tmpdir);
    expect(runs.code).toBe(1);
    expect(runs.stderr).toMatch(/--runs-dir \/no\/such\/folder: no such folder/);
    const openMetrics = await runCli(["exporter", "--openmetrics"], folders.tmpdir);
    expect(openMetrics.code).toBe(2);
    expect(openMetrics.stderr).toMatch(/--openmetrics applies to --once/);
  });
});

describe("toro exporter --once", () => {
  it("prints the metrics of a VM started by toro run and of a QEMU reached by --qmp", async () => {
    const run = startCli(
      ["run", "samples/idle-demo", "--cpus", "2", "--idle", "tickless", "--cmdline", IDLE_ONLY],
      folders.tmpdir,
    );
    const qmpFolder = fs.mkdtempSync(path.join(folders.scratch, "qmp-"));
    const qmpSocket = path.join(qmpFolder, "qmp.sock");
    let manual: ManualQemu | undefined;
    try {
      await waitFor(() => /toro: ready cores=2/.test(run.output.stdout), 120_000, "the ready line");
      const image = path.join(repositoryPaths().root, "samples", "idle-demo", "build", "boot.elf");
      manual = ManualQemu.start({
        kernelPath: image,
        profile: loadProfile("default"),
        overrides: { cpus: 1, idlePolicy: "halt", cmdline: IDLE_ONLY },
        qmpSocketPath: qmpSocket,
      });
      await waitFor(() => fs.existsSync(qmpSocket), 30_000, "the manual QEMU's QMP socket");
      await new Promise((resolve) => setTimeout(resolve, 3000)); // let it boot

      const text = await runCli(
        ["exporter", "--once", "--runs-dir", folders.tmpdir, "--qmp", qmpSocket],
        folders.tmpdir,
      );
      expect(text.code, text.stderr).toBe(0);
      const ours = [
        'app="idle-demo"',
        'profile="default"',
        'idle_policy="tickless"',
        'hypervisor="tcg"',
        'vm="0"',
      ];
      expect(text.stdout).toContain("# TYPE toro_core_halted_seconds_total counter\n");
      expect(sampleValue(text.stdout, "toro_vm_up", ours)).toBe(1);
      expect(sampleValue(text.stdout, "toro_vm_cores_online", ours)).toBe(2);
      expect(sampleValue(text.stdout, "toro_qemu_cpu_seconds_total", ours)).toBeGreaterThan(0);
      expect(sampleValue(text.stdout, "toro_core_halts_total", [...ours, 'core="1"'])).toBeGreaterThan(0);
      expect(
        sampleValue(text.stdout, "toro_core_halted_seconds_total", [...ours, 'core="1"']),
      ).toBeGreaterThan(0);
      expect(sampleValue(text.stdout, "toro_core_state", [...ours, 'core="1"', 'state="halted"'])).toBe(1);
      expect(
        sampleValue(text.stdout, "toro_core_wakeups_total", [...ours, 'reason="timer"']),
      ).toBeGreaterThan(0);
      const theirs = [`app="qmp:${qmpSocket}"`, 'profile="external"', 'idle_policy="halt"'];
      expect(sampleValue(text.stdout, "toro_vm_up", theirs), text.stdout).toBe(1);
      expect(sampleValue(text.stdout, "toro_vm_info", [...theirs, `pid="${manual.pid}"`])).toBe(1);
      expect(sampleValue(text.stdout, "toro_core_halts_total", [...theirs, 'core="0"'])).toBeGreaterThan(0);
      expect(sampleValue(text.stdout, "toro_qemu_cpu_seconds_total", theirs)).toBeGreaterThan(0);

      const open = await runCli(
        ["exporter", "--once", "--openmetrics", "--runs-dir", folders.tmpdir],
        folders.tmpdir,
      );
      expect(open.code, open.stderr).toBe(0);
      expect(open.stdout).toContain(
        "# TYPE toro_core_halted_seconds counter\n# UNIT toro_core_halted_seconds seconds\n",
      );
      expect(open.stdout.endsWith("# EOF\n")).toBe(true);
    } finally {
      run.child.kill("SIGINT");
      await run.finished;
      await manual?.stop();
      fs.rmSync(qmpFolder, { recursive: true, force: true });
    }
    // The VM's run folder is gone with it, so a scrape now lists nothing.
    const after = await runCli(["exporter", "--once", "--runs-dir", folders.tmpdir], folders.tmpdir);
    expect(after.stdout).not.toContain("toro_vm_up");
  });
});

// exporter-prometheus.test.ts - `toro exporter` scraped by a real Prometheus (the Debian package): two VMs of
// samples/idle-demo started by `toro run` (one idle=busy, one tickless; one short burst, then idle), the
// exporter serving on a free 127.0.0.1 port, Prometheus with a generated config (1 s scrape interval,
// storage and config in the test's scratch folder, web on 127.0.0.1), then a query of its HTTP API:
// rate(toro_qemu_cpu_seconds_total[30s]) per VM. The busy VM's idle vCPU spins, so its QEMU burns a host CPU;
// the tickless one halts, so its QEMU costs next to nothing: the test asserts busy > 50 x tickless, over
// samples Prometheus scraped after both VMs settled. Everything started is stopped and every folder removed.

import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { findExecutable, findFreePort } from "@toro-studio/debug-adapter";
import { CliRun, startCli, useCliFolders, waitFor } from "../helpers/cli-process";

const folders = useCliFolders("exporter-prometheus");
const IDLE_ONLY = "work_ms=1 idle_ms=3600000 step_ms=1000";
const SCRAPE_SECONDS = 1;
const WINDOW_SECONDS = 30; // the rate(toro_qemu_cpu_seconds_total[30s])
const prometheusPath = findExecutable("prometheus");

interface PrometheusVector {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(port: number, expression: string): Promise<PrometheusVector[]> {
  const url = `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(expression)}`;
  const response = await fetch(url);
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data: { result: PrometheusVector[] };
  };
  if (body.status !== "success") throw new Error(`${expression}: ${body.error}`);
  return body.data.result;
}

function startPrometheus(directory: string, webPort: number, exporterPort: number): ChildProcess {
  const config = path.join(directory, "prometheus.yml");
  fs.writeFileSync(
    config,
    [
      "global:",
      `  scrape_interval: ${SCRAPE_SECONDS}s`,
      `  scrape_timeout: ${SCRAPE_SECONDS}s`,
      "scrape_configs:",
      "  - job_name: toro",
      "    static_configs:",
      `      - targets: ["127.0.0.1:${exporterPort}"]`,
      "",
    ].join("\n"),
  );
  return spawn(
    prometheusPath!,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(directory, "data")}`,
      `--web.listen-address=127.0.0.1:${webPort}`,
      "--log.level=warn",
    ],
    { cwd: directory, stdio: ["ignore", "ignore", "pipe"] },
  );
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("close", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

describe("toro exporter scraped by Prometheus", () => {
  it("measures a busy-idle VM's QEMU at more than 50 x a tickless one's", { timeout: 240_000 }, async () => {
    // `npm test` runs scripts/setup.mjs first, which installs it: a missing Prometheus is a failure, not a skip.
    expect(
      prometheusPath,
      "prometheus not found: node scripts/setup.mjs --system-only installs it",
    ).toBeDefined();
    const prometheusDirectory = fs.mkdtempSync(path.join(folders.scratch, "prometheus-"));
    const runs: CliRun[] = [];
    let exporter: CliRun | undefined;
    let prometheus: ChildProcess | undefined;
    let prometheusLog = "";
    try {
      for (const idle of ["busy", "tickless"]) {
        runs.push(
          startCli(
            ["run", "samples/idle-demo", "--cpus", "1", "--idle", idle, "--cmdline", IDLE_ONLY],
            folders.tmpdir,
          ),
        );
        // One at a time: the second run's build check then finds the image up to date.
        await waitFor(
          () => /toro: ready cores=1/.test(runs[runs.length - 1].output.stdout),
          120_000,
          `${idle} ready`,
        );
      }
      const exporterPort = await findFreePort();
      exporter = startCli(
        ["exporter", "--port", String(exporterPort), "--runs-dir", folders.tmpdir],
        folders.tmpdir,
      );
      await waitFor(
        () => /serving http:\/\/127\.0\.0\.1:\d+\/metrics/.test(exporter!.output.stderr),
        30_000,
        "the exporter",
      );
      const webPort = await findFreePort();
      prometheus = startPrometheus(prometheusDirectory, webPort, exporterPort);
      prometheus.stderr!.on("data", (chunk: Buffer) => (prometheusLog += chunk.toString("utf8")));
      // Prometheus starts after both VMs are ready: every sample in the window is from their idle phase.
      await new Promise((resolve) => setTimeout(resolve, (WINDOW_SECONDS + 3 * SCRAPE_SECONDS) * 1000));
      const up = await query(webPort, 'up{job="toro"}');
      expect(
        up.map((sample) => sample.value[1]),
        prometheusLog,
      ).toEqual(["1"]);

      const rates = await query(webPort, `rate(toro_qemu_cpu_seconds_total[${WINDOW_SECONDS}s])`);
      const byPolicy = Object.fromEntries(
        rates.map((sample) => [sample.metric.idle_policy, Number(sample.value[1])]),
      );
      const scrape = await query(
        webPort,
        `avg_over_time(scrape_duration_seconds{job="toro"}[${WINDOW_SECONDS}s])`,
      );
      console.log(`mean scrape of 2 VMs: ${(Number(scrape[0]?.value[1]) * 1000).toFixed(1)} ms`);
      console.log(
        `rate(toro_qemu_cpu_seconds_total[${WINDOW_SECONDS}s]): busy ${byPolicy.busy?.toFixed(4)} s/s, ` +
          `tickless ${byPolicy.tickless?.toFixed(4)} s/s, ratio ${(byPolicy.busy / byPolicy.tickless).toFixed(1)}`,
      );
      expect(Object.keys(byPolicy).sort()).toEqual(["busy", "tickless"]);
      expect(byPolicy.busy).toBeGreaterThan(0.2); // a spinning vCPU: a real share of a host CPU
      expect(byPolicy.busy).toBeGreaterThan(50 * byPolicy.tickless);

      // The per-core series are there too: the tickless core spends most of its time halted.
      const halted = await query(
        webPort,
        `rate(toro_core_halted_seconds_total{idle_policy="tickless"}[${WINDOW_SECONDS}s])`,
      );
      expect(halted).toHaveLength(1);
      expect(Number(halted[0].value[1])).toBeGreaterThan(0.5);
    } finally {
      await stop(prometheus);
      if (exporter !== undefined) {
        exporter.child.kill("SIGINT");
        await exporter.finished;
      }
      for (const run of runs) run.child.kill("SIGINT");
      await Promise.all(runs.map((run) => run.finished));
      fs.rmSync(prometheusDirectory, { recursive: true, force: true });
    }
  });
});

// exporter-command.ts - `toro exporter`: serves the Prometheus metrics of every Toro VM of this user on this
// host (the engine's Exporter and MetricsServer: discovery through run folders, telemetry from RAM files or
// QMP, never stopping a VM) on 127.0.0.1 unless --listen says otherwise, until SIGINT/SIGTERM/SIGHUP; with
// --once prints one exposition on stdout and exits. Returns the process exit code.

import * as fs from "node:fs";
import {
  Exporter,
  formatExposition,
  isLoopbackHost,
  MetricsServer,
  ToroError,
} from "@toro-studio/debug-adapter";
import { ExporterCommand } from "./cli-arguments";

export async function exporterCommand(command: ExporterCommand): Promise<number> {
  if (command.runsDirectory !== undefined && !isDirectory(command.runsDirectory)) {
    throw new ToroError(
      `--runs-dir ${command.runsDirectory}: no such folder (expected the folder that holds toro-qemu-* run folders)`,
    );
  }
  for (const socket of command.qmpSockets) {
    if (!isSocket(socket)) {
      throw new ToroError(
        `--qmp ${socket}: not a unix socket (expected the path given to QEMU's -qmp unix:PATH,server=on)`,
      );
    }
  }
  const exporter = new Exporter({ runsDirectory: command.runsDirectory, qmpSockets: command.qmpSockets });
  if (command.once) {
    try {
      const families = await exporter.collect();
      process.stdout.write(formatExposition(families, command.openMetrics ? "openmetrics" : "prometheus"));
      return 0;
    } finally {
      await exporter.close();
    }
  }
  let server: MetricsServer;
  try {
    server = await MetricsServer.start(exporter, { port: command.port, address: command.listen });
  } catch (error) {
    await exporter.close();
    throw error;
  }
  process.stderr.write(
    `toro exporter: serving ${server.url} (runs in ${exporter.runsDirectory}` +
      (command.qmpSockets.length > 0 ? `, ${command.qmpSockets.length} QMP target(s)` : "") +
      "); Ctrl-C stops\n",
  );
  const host = server.address.includes(":") ? `[${server.address}]` : server.address;
  if (!isLoopbackHost(host)) {
    process.stderr.write(
      `toro exporter: warning: ${server.address} is not loopback; anyone who reaches it can read these metrics\n`,
    );
  }
  await new Promise<void>((resolve) => {
    const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
    const stop = () => {
      for (const signal of signals) process.off(signal, stop);
      resolve();
    };
    for (const signal of signals) process.on(signal, stop);
  });
  await server.close();
  return 0;
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function isSocket(file: string): boolean {
  try {
    return fs.statSync(file).isSocket();
  } catch {
    return false;
  }
}

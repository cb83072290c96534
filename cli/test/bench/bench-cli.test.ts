// bench-cli.test.ts - `toro bench` as a process: `--only` runs just the groups asked for and prints their
// tables (the adapter rows say "adapter not built" when dist/adapter.js is missing), `--json` carries the
// same results, and no QEMU process or file outlives it. No timing is asserted.

import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { adapterDirectory } from "@toro-studio/debug-adapter/test-support";
import { runCli, useCliFolders } from "../helpers/cli-process";

const folders = useCliFolders("bench-cli");
const adapterBuilt = fs.existsSync(path.join(adapterDirectory, "dist", "adapter.js"));

describe("toro bench --only", () => {
  it("runs the F5 and step groups only, with the floor measured", async () => {
    const result = await runCli(
      ["bench", "--only", "f5,step", "--runs", "1", "--steps", "2", "--json"],
      folders.tmpdir,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /F5 latency: launch request -> stopped at .*compute\/main\.c:\d+ \(warm build\)/,
    );
    expect(result.stdout).toMatch(/floor \(QEMU -S \+ gdb -batch, parallel\) +\d+\.\d ms/);
    expect(result.stdout).toMatch(/Step round trip: DAP next -> stopped/);
    expect(result.stdout).not.toMatch(/Idle cost|Wake-up latency|Boot:|Telemetry:/);
    if (!adapterBuilt) expect(result.stdout).toMatch(/adapter \(DAP launch\) +adapter not built/);
    const json = JSON.parse(result.stdout.slice(result.stdout.indexOf("\n{") + 1));
    expect(json.f5.floorMs).toHaveLength(1);
    expect(json.f5.adapter.state).toBe(adapterBuilt ? "measured" : "not-built");
    expect(json.idleCost).toBeUndefined();
    expect(json.telemetryRate).toBeUndefined();
  });

  it("runs the boot group only: a row per profile, each booted its own way, KVM skipped without /dev/kvm", async () => {
    const result = await runCli(["bench", "--only", "boot", "--boots", "1"], folders.tmpdir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Boot: QEMU start to "toro: ready" .* 1 boots per profile/);
    const ms = String.raw`\d+\.\d ms \(\d+\.\d ms-\d+\.\d ms\)`;
    for (const [profile, boot] of [
      ["default", "multiboot"],
      ["pvh", "pvh"],
      ["uefi", "uefi-iso"],
    ])
      expect(result.stdout).toMatch(new RegExp(`${profile} +${boot} +tcg +${ms} +${ms}`));
    if (!fs.existsSync("/dev/kvm"))
      expect(result.stdout).toMatch(/kvm +multiboot +kvm +- +- +skipped: KVM was asked for/);
    expect(result.stdout).not.toMatch(/F5 latency|Idle cost/);
  });

  it("rejects an unknown group with exit code 2", async () => {
    const result = await runCli(["bench", "--only", "gpu"], folders.tmpdir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--only takes group names separated by commas .*: unknown "gpu"/);
  });
});

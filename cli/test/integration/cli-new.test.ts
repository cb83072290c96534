// cli-new.test.ts - `toro new` and `npx toro` as processes: a scaffolded app outside the repository builds
// and runs from its own folder; a second `toro new` into it refuses, lists the conflicts and changes
// nothing; an unknown sample lists the available ones; and the workspace bin link makes `npx toro` work from
// the repository root and from a folder below it (never downloading anything: `npx --no`), through the
// bin/toro.mjs entry that exists before any build (npm skips linking a bin file that does not exist).

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { repositoryRoot } from "@toro-studio/debug-adapter/test-support";
import { runCli, useCliFolders, cliDirectory } from "../helpers/cli-process";

const folders = useCliFolders("cli-new");

/** Every file under `directory`, relative, sorted, with its contents. */
function snapshotTree(directory: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(directory, { recursive: true, withFileTypes: true }) as fs.Dirent[]) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    files[path.relative(directory, file)] = fs.readFileSync(file, "utf8");
  }
  return files;
}

describe("toro new", () => {
  it("creates an app folder that builds and runs from its own folder, and never overwrites it", async () => {
    const app = path.join(folders.scratch, "projects", "my-hello");
    const created = await runCli(["new", "hello", app], folders.tmpdir);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`created ${app} from sample hello:`);
    expect(Object.keys(snapshotTree(app)).sort()).toEqual([
      ".gitignore",
      ".vscode/launch.json",
      ".vscode/tasks.json",
      "README.md",
      "main.c",
    ]);
    expect(
      JSON.parse(fs.readFileSync(path.join(app, ".vscode", "launch.json"), "utf8")).configurations[0],
    ).toMatchObject({
      type: "toro",
      request: "launch",
      app: "${workspaceFolder}",
    });

    const run = await runCli(["run", ".", "--duration", "2", "--json"], folders.tmpdir, app);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ app, end: "duration", telemetry: "ok" });
    expect(run.stderr).toMatch(/hello: done/);
    expect(fs.existsSync(path.join(app, "build", "kernel.elf"))).toBe(true); // built into the app's own folder

    fs.writeFileSync(path.join(app, "main.c"), "/* my edits */\n");
    const before = snapshotTree(app);
    const again = await runCli(["new", "hello", app], folders.tmpdir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/refusing to create the app in .*my-hello: 5 file\(s\) already exist/);
    for (const file of [".gitignore", ".vscode/launch.json", ".vscode/tasks.json", "README.md", "main.c"]) {
      expect(again.stderr).toContain(`\n  ${file}`);
    }
    expect(again.stderr).toMatch(/Nothing was written/);
    expect(snapshotTree(app)).toEqual(before);
  });

  it("names the available samples when the sample is unknown", async () => {
    const result = await runCli(["new", "no-such-sample", path.join(folders.scratch, "x")], folders.tmpdir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /no sample named "no-such-sample"; available samples: .*compute.*hello.*idle-demo/,
    );
    expect(fs.existsSync(path.join(folders.scratch, "x"))).toBe(false);
  });

  it("gives usage errors with exit code 2", async () => {
    const result = await runCli(["new", "hello"], folders.tmpdir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^toro: toro new needs a sample and a folder/);
    expect(result.stderr).toContain("toro new <sample> <dir>");
  });
});

describe("npx toro (the workspace bin link)", () => {
  it("links node_modules/.bin/toro to the package's bin, a file that exists before any build", () => {
    const bin = path.join(cliDirectory, "bin", "toro.mjs");
    const manifest = JSON.parse(fs.readFileSync(path.join(cliDirectory, "package.json"), "utf8"));
    expect(manifest.bin).toEqual({ toro: "bin/toro.mjs" });
    const link = path.join(repositoryRoot, "node_modules", ".bin", "toro");
    expect(fs.realpathSync(link)).toBe(fs.realpathSync(bin));
    expect(fs.statSync(bin).mode & 0o111).not.toBe(0);
    expect(fs.readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    // npm ci links from the lock file: it must name the same bin.
    const lock = JSON.parse(fs.readFileSync(path.join(repositoryRoot, "package-lock.json"), "utf8"));
    expect(lock.packages["cli"].bin).toEqual({ toro: "bin/toro.mjs" });
  });

  it.each([
    ["the repository root", "."],
    ["a folder below it", "samples"],
  ])("runs from %s", (_, folder) => {
    const result = spawnSync("npx", ["--no", "toro", "help"], {
      cwd: path.join(repositoryRoot, folder),
      encoding: "utf8",
      env: { ...process.env, TMPDIR: folders.tmpdir, npm_config_update_notifier: "false" },
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^toro - build and boot Toro kernel apps/);
    expect(result.stdout).toContain("toro new <sample> <dir>");
  });

  it("passes the exit code through", () => {
    const result = spawnSync("npx", ["--no", "toro", "bench", "--only", "nope"], {
      cwd: repositoryRoot,
      encoding: "utf8",
      env: { ...process.env, TMPDIR: folders.tmpdir, npm_config_update_notifier: "false" },
      timeout: 60_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^toro: --only takes group names/);
  });
});

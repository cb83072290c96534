// scaffold.test.ts - `toro new`'s scaffolding on a fake samples folder: which files are copied (sources and
// README, never build/ or hidden files), the generated launch.json/tasks.json for the `toro` types, the
// folder created when missing, and the refusal - with every conflict listed and nothing written - whenever
// a target file already exists or a folder on the way is a file.

import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  listSamples,
  resolveSample,
  ScaffoldConflictError,
  scaffoldApp,
  scaffoldPlan,
} from "../../src/scaffold/scaffold";
import { BUILD_TASK_LABEL, launchConfiguration, taskConfiguration } from "../../src/scaffold/vscode-files";
import { TORO_DEBUG_TYPE } from "@toro-studio/debug-adapter/protocol";
import { makeScratch, removeScratch } from "@toro-studio/debug-adapter/test-support";

let scratch: string;
let samples: string;

function write(file: string, content = "x"): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/** Every file under `directory`, relative, sorted. */
function listTree(directory: string): string[] {
  return (fs.readdirSync(directory, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

beforeEach(() => {
  scratch = makeScratch("scaffold");
  samples = path.join(scratch, "samples");
  write(path.join(samples, "hello", "main.c"), "void main(void) {}\n");
  write(path.join(samples, "hello", "README.md"), "# hello\n");
  write(path.join(samples, "hello", "lib", "helper.c"), "int helper;\n");
  write(path.join(samples, "hello", "build", "kernel.elf"), "ELF");
  write(path.join(samples, "hello", ".cache"), "hidden");
  write(path.join(samples, "docs-only", "README.md"));
});
afterEach(() => removeScratch(scratch));

describe("samples", () => {
  it("lists folders with C sources and resolves a name or samples/<name>", () => {
    expect(listSamples(samples)).toEqual(["hello"]);
    expect(resolveSample("hello", samples)).toBe(path.join(samples, "hello"));
    expect(resolveSample("samples/hello/", samples)).toBe(path.join(samples, "hello"));
    expect(() => resolveSample("nope", samples)).toThrow(/no sample named "nope"; available samples: hello$/);
    expect(() => resolveSample("docs-only", samples)).toThrow(/no sample named "docs-only"/);
  });

  it("plans the sources and README, never build/ output or hidden files, then the VS Code files", () => {
    expect(scaffoldPlan(path.join(samples, "hello")).map((file) => file.relativePath)).toEqual([
      "README.md",
      "lib/helper.c",
      "main.c",
      ".vscode/launch.json",
      ".vscode/tasks.json",
      ".gitignore",
    ]);
  });
});

describe("scaffoldApp", () => {
  it("creates a missing folder (and its parents) with the sample and working VS Code files", () => {
    const target = path.join(scratch, "work", "my-app");
    const result = scaffoldApp(path.join(samples, "hello"), target);
    expect(result).toMatchObject({ targetDirectory: target, createdDirectory: true });
    expect(listTree(target)).toEqual([
      ".gitignore",
      ".vscode/launch.json",
      ".vscode/tasks.json",
      "README.md",
      "lib/helper.c",
      "main.c",
    ]);
    expect(fs.readFileSync(path.join(target, "main.c"), "utf8")).toBe("void main(void) {}\n");
    const launch = JSON.parse(fs.readFileSync(path.join(target, ".vscode", "launch.json"), "utf8"));
    expect(launch).toEqual(launchConfiguration("hello"));
    expect(launch.configurations[0]).toMatchObject({
      type: TORO_DEBUG_TYPE,
      request: "launch",
      app: "${workspaceFolder}",
      preLaunchTask: BUILD_TASK_LABEL,
    });
    const tasks = JSON.parse(fs.readFileSync(path.join(target, ".vscode", "tasks.json"), "utf8"));
    expect(tasks).toEqual(taskConfiguration());
    expect(tasks.tasks.map((task: { label: string }) => task.label)).toContain(BUILD_TASK_LABEL);
    expect(tasks.tasks[0]).toMatchObject({ type: "toro", command: "build", problemMatcher: ["$gcc"] });
  });

  it("fills an existing folder whose other files it leaves alone", () => {
    const target = path.join(scratch, "existing");
    write(path.join(target, "notes.txt"), "mine");
    write(path.join(target, ".vscode", "settings.json"), "{}");
    expect(scaffoldApp(path.join(samples, "hello"), target).createdDirectory).toBe(false);
    expect(fs.readFileSync(path.join(target, "notes.txt"), "utf8")).toBe("mine");
    expect(fs.readFileSync(path.join(target, ".vscode", "settings.json"), "utf8")).toBe("{}");
    expect(fs.existsSync(path.join(target, ".vscode", "launch.json"))).toBe(true);
  });

  it("refuses when files exist, lists every conflict, and writes nothing", () => {
    const target = path.join(scratch, "conflicting");
    write(path.join(target, "main.c"), "my own main");
    write(path.join(target, ".vscode", "launch.json"), "my launch");
    const before = listTree(target);
    let error: unknown;
    try {
      scaffoldApp(path.join(samples, "hello"), target);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScaffoldConflictError);
    expect((error as ScaffoldConflictError).conflicts).toEqual([".vscode/launch.json", "main.c"]);
    expect((error as Error).message).toMatch(
      /2 file\(s\) already exist and would be overwritten:\n {2}\.vscode\/launch\.json\n {2}main\.c/,
    );
    expect((error as Error).message).toMatch(/Nothing was written/);
    expect(listTree(target)).toEqual(before);
    expect(fs.readFileSync(path.join(target, "main.c"), "utf8")).toBe("my own main");
  });

  it("counts a file where a folder must go as a conflict", () => {
    const target = path.join(scratch, "blocked");
    write(path.join(target, ".vscode"), "a file, not a folder");
    write(path.join(target, "lib"), "also a file");
    expect(() => scaffoldApp(path.join(samples, "hello"), target)).toThrow(ScaffoldConflictError);
    try {
      scaffoldApp(path.join(samples, "hello"), target);
    } catch (error) {
      expect((error as ScaffoldConflictError).conflicts).toEqual([".vscode", "lib"]);
    }
    expect(listTree(target)).toEqual([".vscode", "lib"]);
  });

  it("refuses a target that is a file", () => {
    const target = path.join(scratch, "plain-file");
    write(target);
    expect(() => scaffoldApp(path.join(samples, "hello"), target)).toThrow(/exists and is not a folder/);
  });
});

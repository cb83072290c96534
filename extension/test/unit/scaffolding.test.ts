// scaffolding.test.ts - new projects from samples (src/scaffolding/): the sample's files without its build
// output plus launch.json and tasks.json, written into a real temporary folder, never overwriting.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listSamples, summarize } from "../../src/scaffolding/samples";
import { projectFiles, scaffoldProject, writeProjectFiles } from "../../src/scaffolding/scaffold-project";

const repositorySamples = path.resolve(__dirname, "..", "..", "..", "samples");
let temporary: string;

beforeEach(() => {
  temporary = fs.mkdtempSync(path.join(os.tmpdir(), "toro-scaffold-"));
});
afterEach(() => {
  fs.rmSync(temporary, { recursive: true, force: true });
});

/** A sample folder with sources, a README, a nested source and build output that must not be copied. */
function makeSample(): string {
  const sample = path.join(temporary, "sample");
  fs.mkdirSync(path.join(sample, "lib"), { recursive: true });
  fs.mkdirSync(path.join(sample, "build", "obj"), { recursive: true });
  fs.writeFileSync(path.join(sample, "main.c"), "void main(void) {}\n");
  fs.writeFileSync(path.join(sample, "lib", "helper.c"), "int helper;\n");
  fs.writeFileSync(path.join(sample, "README.md"), "# sample\n\nDoes one thing. Then more.\n");
  fs.writeFileSync(path.join(sample, "build", "kernel.elf"), "ELF");
  return sample;
}

describe("scaffoldProject", () => {
  it("writes the sources, README, launch.json and tasks.json, and leaves build/ out", () => {
    const target = path.join(temporary, "project");
    const result = scaffoldProject(makeSample(), target);
    expect(result.kept).toEqual([]);
    expect(result.written.sort()).toEqual([
      ".vscode/launch.json",
      ".vscode/tasks.json",
      "README.md",
      "lib/helper.c",
      "main.c",
    ]);
    expect(fs.existsSync(path.join(target, "build"))).toBe(false);
    expect(fs.readFileSync(path.join(target, "lib", "helper.c"), "utf8")).toBe("int helper;\n");
    const launch = JSON.parse(fs.readFileSync(path.join(target, ".vscode", "launch.json"), "utf8"));
    expect(launch.configurations[0]).toMatchObject({
      type: "toro",
      request: "launch",
      app: "${workspaceFolder}",
    });
    const tasks = JSON.parse(fs.readFileSync(path.join(target, ".vscode", "tasks.json"), "utf8"));
    expect(tasks.tasks[0]).toMatchObject({ type: "toro", command: "build", problemMatcher: ["$toro-gcc"] });
  });

  it("never overwrites an existing file, and reports it as kept", () => {
    const target = path.join(temporary, "project");
    fs.mkdirSync(path.join(target, ".vscode"), { recursive: true });
    fs.writeFileSync(path.join(target, "main.c"), "my own main\n");
    fs.writeFileSync(path.join(target, ".vscode", "launch.json"), "{}\n");
    const result = scaffoldProject(makeSample(), target);
    expect(result.kept.sort()).toEqual([".vscode/launch.json", "main.c"]);
    expect(fs.readFileSync(path.join(target, "main.c"), "utf8")).toBe("my own main\n");
    expect(fs.readFileSync(path.join(target, ".vscode", "launch.json"), "utf8")).toBe("{}\n");
    expect(result.written).toContain("README.md");
  });

  it("writes nothing the second time", () => {
    const sample = makeSample();
    const target = path.join(temporary, "project");
    scaffoldProject(sample, target);
    const second = scaffoldProject(sample, target);
    expect(second.written).toEqual([]);
    expect(second.kept).toHaveLength(5);
  });

  it("does not follow a symbolic link planted at a file's path", () => {
    const target = path.join(temporary, "project");
    fs.mkdirSync(target);
    const outside = path.join(temporary, "outside.txt");
    fs.writeFileSync(outside, "untouched\n");
    fs.symlinkSync(outside, path.join(target, "README.md"));
    const result = scaffoldProject(makeSample(), target);
    expect(result.kept).toContain("README.md");
    expect(fs.readFileSync(outside, "utf8")).toBe("untouched\n");
  });

  it("refuses paths that leave the project folder", () => {
    expect(() =>
      writeProjectFiles(temporary, [{ relativePath: "../escape.c", content: Buffer.from("x") }]),
    ).toThrow(/outside the project/);
  });

  it("copies every source of the repository's idle-demo sample", () => {
    const files = projectFiles(path.join(repositorySamples, "idle-demo")).map((file) => file.relativePath);
    expect(files).toContain("main.c");
    expect(files).toContain("README.md");
    expect(files.some((file) => file.startsWith("build/"))).toBe(false);
  });
});

describe("listSamples", () => {
  it("lists the repository's samples with a one-sentence summary each", () => {
    const samples = listSamples(repositorySamples);
    const names = samples.map((sample) => sample.name);
    expect(names).toContain("idle-demo");
    expect(names).toEqual([...names].sort());
    const idleDemo = samples.find((sample) => sample.name === "idle-demo")!;
    expect(idleDemo.summary.length).toBeGreaterThan(10);
    expect(idleDemo.summary).not.toContain("\n");
  });

  it("summarizes the first paragraph that is not a heading, up to its first sentence", () => {
    expect(summarize("# title\n\nFirst sentence here. Second one.\n\nMore.")).toBe("First sentence here.");
    expect(summarize("# only a title\n")).toBe("");
    expect(summarize("Lines\nare joined: then cut")).toBe("Lines are joined:");
  });
});

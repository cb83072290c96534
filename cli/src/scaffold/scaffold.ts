// scaffold.ts - `toro new`'s engine: a new app folder from a sample (its sources and README, never its
// build/ output) plus the generated VS Code files (vscode-files.ts). Never overwrites: every target path is
// checked first and any existing one refuses the whole operation with the list of conflicts; files are then
// created with O_EXCL, so a file appearing meanwhile is not overwritten either. Pairs with ../new-command.ts.

import * as fs from "node:fs";
import * as path from "node:path";
import { ToroError } from "@toro-studio/debug-adapter";
import { generatedFiles } from "./vscode-files";

/** Folders of a sample that are outputs, not sources. */
const SKIPPED_FOLDERS = new Set(["build"]);

export class ScaffoldConflictError extends ToroError {
  constructor(
    readonly targetDirectory: string,
    readonly conflicts: string[],
  ) {
    super(
      `refusing to create the app in ${targetDirectory}: ${conflicts.length} file(s) already exist and would be ` +
        `overwritten:\n${conflicts.map((conflict) => `  ${conflict}`).join("\n")}`,
      "Nothing was written. Choose an empty or new folder, or move those files away.",
    );
  }
}

export class SampleNotFoundError extends ToroError {}

export interface ScaffoldFile {
  /** Relative to the app folder, with "/" separators. */
  relativePath: string;
  /** Copy this file ... */
  sourcePath?: string;
  /** ... or write this text. */
  content?: string;
}

export interface ScaffoldResult {
  targetDirectory: string;
  createdDirectory: boolean;
  files: string[];
}

/** Sample names: the folders of `samplesDirectory` that hold a .c file. */
export function listSamples(samplesDirectory: string): string[] {
  if (!fs.existsSync(samplesDirectory)) return [];
  return fs
    .readdirSync(samplesDirectory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .filter((entry) =>
      sourceFiles(path.join(samplesDirectory, entry.name)).some((file) => file.endsWith(".c")),
    )
    .map((entry) => entry.name)
    .sort();
}

/** The sample's folder for a name ("hello", or "samples/hello"); throws with the list when there is none. */
export function resolveSample(name: string, samplesDirectory: string): string {
  const base = name.replace(/^samples[\\/]/, "").replace(/[\\/]+$/, "");
  const available = listSamples(samplesDirectory);
  if (!available.includes(base)) {
    throw new SampleNotFoundError(
      `no sample named "${name}"; available samples: ${available.length === 0 ? "(none)" : available.join(", ")}`,
    );
  }
  return path.join(samplesDirectory, base);
}

/** Everything `toro new` would write, in order: the sample's files, then the generated ones. */
export function scaffoldPlan(sampleDirectory: string): ScaffoldFile[] {
  const sampleName = path.basename(sampleDirectory);
  return [
    ...sourceFiles(sampleDirectory).map((relativePath) => ({
      relativePath,
      sourcePath: path.join(sampleDirectory, ...relativePath.split("/")),
    })),
    ...generatedFiles(sampleName),
  ];
}

/**
 * Relative paths that stop `plan`: a target file that already exists (as anything), or a folder on its way
 * that exists as something other than a folder. Sorted, each once.
 */
export function findConflicts(plan: ScaffoldFile[], targetDirectory: string): string[] {
  const conflicts = new Set<string>();
  for (const file of plan) {
    const parts = file.relativePath.split("/");
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = path.join(targetDirectory, ...parts.slice(0, depth));
      if (pathExists(folder) && !isDirectory(folder)) conflicts.add(parts.slice(0, depth).join("/"));
    }
    if (pathExists(path.join(targetDirectory, ...parts))) conflicts.add(file.relativePath);
  }
  return [...conflicts].sort();
}

export function scaffoldApp(sampleDirectory: string, targetDirectory: string): ScaffoldResult {
  const target = path.resolve(targetDirectory);
  if (pathExists(target) && !isDirectory(target)) {
    throw new ToroError(`cannot create the app in ${target}: it exists and is not a folder`);
  }
  const plan = scaffoldPlan(sampleDirectory);
  const conflicts = findConflicts(plan, target);
  if (conflicts.length > 0) throw new ScaffoldConflictError(target, conflicts);

  const createdDirectory = !pathExists(target);
  fs.mkdirSync(target, { recursive: true });
  for (const file of plan) {
    const destination = path.join(target, ...file.relativePath.split("/"));
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    const content = file.content ?? fs.readFileSync(file.sourcePath!);
    fs.writeFileSync(destination, content, { flag: "wx" }); // wx: fail rather than overwrite
  }
  return { targetDirectory: target, createdDirectory, files: plan.map((file) => file.relativePath) };
}

/** Files of a sample, relative with "/" separators, without build output or hidden entries; sorted. */
function sourceFiles(directory: string, prefix = ""): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const relativePath = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name))
        files.push(...sourceFiles(path.join(directory, entry.name), relativePath));
    } else if (entry.isFile()) {
      files.push(relativePath);
    }
  }
  return files.sort();
}

function pathExists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** A folder, or a link to one. */
function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

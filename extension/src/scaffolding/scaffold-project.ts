// scaffold-project.ts - writes a new project from a sample: the sample's files (its build/ output left out)
// plus .vscode/launch.json and .vscode/tasks.json ready for F5. Never overwrites: a file that already
// exists is kept and reported. Pure Node (no vscode); new-project-command.ts asks where, then calls it.
// Tested in test/unit/scaffolding.test.ts.

import * as fs from "node:fs";
import * as path from "node:path";
import { launchJson, tasksJson } from "../debug/launch-templates";

export interface ProjectFile {
  /** Relative to the project folder, with forward slashes. */
  relativePath: string;
  content: Buffer;
}

export interface ScaffoldResult {
  written: string[];
  /** Files that already existed and were left as they were. */
  kept: string[];
}

/** Folders of a sample that are build output, never copied. */
const SKIPPED_DIRECTORIES = new Set(["build"]);

export function sampleFiles(sampleDirectory: string): ProjectFile[] {
  const files: ProjectFile[] = [];
  const walk = (directory: string, relative: string) => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const entryRelative = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(path.join(directory, entry.name), entryRelative);
      } else if (entry.isFile()) {
        files.push({
          relativePath: entryRelative,
          content: fs.readFileSync(path.join(directory, entry.name)),
        });
      }
    }
  };
  walk(sampleDirectory, "");
  return files.sort((left, right) => left.relativePath.localeCompare(right.relativePath));
}

export function projectFiles(sampleDirectory: string): ProjectFile[] {
  return [
    ...sampleFiles(sampleDirectory),
    { relativePath: ".vscode/launch.json", content: Buffer.from(launchJson()) },
    { relativePath: ".vscode/tasks.json", content: Buffer.from(tasksJson()) },
  ];
}

/**
 * Writes each file under `targetDirectory` unless something already exists at its path (checked and created
 * in one step with O_EXCL, so a file appearing meanwhile is not overwritten either).
 */
export function writeProjectFiles(targetDirectory: string, files: readonly ProjectFile[]): ScaffoldResult {
  const result: ScaffoldResult = { written: [], kept: [] };
  for (const file of files) {
    const destination = path.join(targetDirectory, ...file.relativePath.split("/"));
    if (!isInside(destination, targetDirectory))
      throw new Error(`refusing to write outside the project: ${file.relativePath}`);
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    try {
      fs.writeFileSync(destination, file.content, { flag: "wx" });
      result.written.push(file.relativePath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      result.kept.push(file.relativePath);
    }
  }
  return result;
}

export function scaffoldProject(sampleDirectory: string, targetDirectory: string): ScaffoldResult {
  return writeProjectFiles(targetDirectory, projectFiles(sampleDirectory));
}

function isInside(candidate: string, folder: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

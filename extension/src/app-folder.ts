// app-folder.ts - what counts as a Toro app folder (a folder with .c files; the kernel Makefile compiles
// every .c in it and its subfolders except build/) and which one F5 means when no launch.json names one.
// Pure apart from the directory listing passed in. Tested in test/unit/app-folder.test.ts.

import * as path from "node:path";

export interface DirectoryEntry {
  name: string;
  isFile: boolean;
}

export type ListDirectory = (directory: string) => DirectoryEntry[];

/** A folder is an app when it holds at least one .c file directly (sources in subfolders come with it). */
export function isAppFolder(directory: string, list: ListDirectory): boolean {
  try {
    return list(directory).some((entry) => entry.isFile && entry.name.endsWith(".c"));
  } catch {
    return false;
  }
}

/**
 * The app F5 launches: the workspace folder when it is an app; else the folder of the active .c file when
 * that file lies inside the workspace folder (e.g. samples/idle-demo/main.c with the repository open).
 * Null when neither applies.
 */
export function findAppFolder(
  workspaceFolder: string | null,
  activeFile: string | null,
  list: ListDirectory,
): string | null {
  if (workspaceFolder !== null && isAppFolder(workspaceFolder, list)) return workspaceFolder;
  if (activeFile === null || !activeFile.endsWith(".c")) return null;
  const directory = path.dirname(activeFile);
  if (workspaceFolder !== null && !isInside(directory, workspaceFolder)) return null;
  return isAppFolder(directory, list) ? directory : null;
}

export function isInside(candidate: string, folder: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

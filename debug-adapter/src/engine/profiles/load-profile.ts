// load-profile.ts - finds a profile by name in qemu-profiles/ (or takes a path to a .json file), reads it
// and validates it. Pairs with validate-profile.ts; the CLI's --profile and the DAP `profile` use it.

import * as fs from "node:fs";
import * as path from "node:path";
import { repositoryPaths } from "../paths";
import { QemuProfile } from "./profile";
import { ProfileError } from "./profile-error";
import { validateProfile } from "./validate-profile";

export const DEFAULT_PROFILE = "default";

/** Profile names available in a directory (the .json files' base names), sorted. */
export function listProfiles(directory: string = repositoryPaths().profiles): string[] {
  return fs
    .readdirSync(directory)
    .filter((file) => file.endsWith(".json"))
    .map((file) => path.basename(file, ".json"))
    .sort();
}

/**
 * `nameOrPath` is either a profile name ("default", "smp1": a file in `directory`) or a path to a JSON file
 * (recognised by containing a path separator or ending in .json).
 */
export function loadProfile(nameOrPath: string = DEFAULT_PROFILE, directory?: string): QemuProfile {
  const isPath = nameOrPath.includes("/") || nameOrPath.includes(path.sep) || nameOrPath.endsWith(".json");
  if (!isPath && !/^[A-Za-z0-9_-]+$/.test(nameOrPath)) {
    throw new ProfileError(`profile ${JSON.stringify(nameOrPath)}`, [
      "a profile name may only contain letters, digits, '-' and '_' (or give a path to a .json file)",
    ]);
  }
  const profilesDirectory = directory ?? repositoryPaths().profiles;
  const file = isPath ? path.resolve(nameOrPath) : path.join(profilesDirectory, `${nameOrPath}.json`);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const available = isPath ? "" : `; available profiles: ${safeList(profilesDirectory)}`;
    throw new ProfileError(file, [`cannot read the profile (${(error as Error).message})${available}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ProfileError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  return validateProfile(raw, path.basename(file, ".json"), file);
}

function safeList(directory: string): string {
  try {
    return listProfiles(directory).join(", ") || "none";
  } catch {
    return `none (cannot read ${directory})`;
  }
}

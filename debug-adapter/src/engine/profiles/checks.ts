// checks.ts - small value checks shared by validate-profile.ts and validate-overrides.ts. Each returns a
// problem sentence ("what is wrong, what was expected") or undefined when the value is fine.

import { LAUNCHER_OWNED_OPTIONS, MAX_MEMORY_MIB, MAX_PROFILE_CPUS, MIN_MEMORY_MIB } from "./profile";

export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

export function checkInteger(field: string, value: unknown, minimum: number, maximum: number, why = "") {
  if (typeof value !== "number" || !Number.isInteger(value) || value < minimum || value > maximum) {
    return `"${field}" must be an integer from ${minimum} to ${maximum}${why}, got ${describe(value)}`;
  }
  return undefined;
}

/** A vCPU count: the kernel's telemetry has room for TORO_MAX_CPUS cores. */
export function checkCpus(value: unknown) {
  return checkInteger("cpus", value, 1, MAX_PROFILE_CPUS, " (TORO_MAX_CPUS)");
}

/** Guest RAM in MiB: below 4 GiB, so the RAM file's offsets are the kernel's physical addresses. */
export function checkMemoryMiB(value: unknown) {
  return checkInteger("memoryMiB", value, MIN_MEMORY_MIB, MAX_MEMORY_MIB, " (RAM must stay below 4 GiB)");
}

export function checkChoice(field: string, value: unknown, choices: readonly string[]) {
  if (typeof value !== "string" || !choices.includes(value)) {
    return `"${field}" must be one of ${choices.map((choice) => `"${choice}"`).join(", ")}, got ${describe(value)}`;
  }
  return undefined;
}

/** Printable text: no control characters (a newline in a QEMU option or command line is always a mistake). */
export function checkText(field: string, value: unknown, pattern?: RegExp, expected?: string) {
  if (typeof value !== "string") return `"${field}" must be a string, got ${describe(value)}`;
  if (hasControlCharacter(value)) return `"${field}" must not contain control characters or newlines`;
  if (pattern !== undefined && !pattern.test(value)) {
    return `"${field}" must be ${expected ?? `text matching ${pattern}`}, got ${describe(value)}`;
  }
  return undefined;
}

/** An array of printable strings; `options` additionally refuses options the launcher owns. */
export function checkStringArray(field: string, value: unknown, kind: "values" | "options"): string[] {
  if (!Array.isArray(value)) return [`"${field}" must be an array of strings, got ${describe(value)}`];
  const problems: string[] = [];
  value.forEach((item, index) => {
    const problem = checkText(`${field}[${index}]`, item);
    if (problem !== undefined) {
      problems.push(problem);
    } else if (kind === "options") {
      const option = (item as string).replace(/^--/, "-").split("=")[0];
      if (LAUNCHER_OWNED_OPTIONS.includes(option)) {
        problems.push(
          `"${field}[${index}]" is ${JSON.stringify(item)}, an option the launcher sets itself; ` +
            `use the profile's own fields or the launch overrides (cpus, memory, accel, idle, cmdline) instead`,
        );
      }
    }
  });
  return problems;
}

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

// validate-overrides.ts - checks launch overrides coming from outside (CLI flags, later DAP launch
// arguments) and returns typed LaunchOverrides, or throws one ProfileError listing every problem.
// Pairs with profile.ts (LaunchOverrides) and ../qemu/arguments.ts (applies them).

import { checkChoice, checkCpus, checkMemoryMiB, checkStringArray, checkText, describe } from "./checks";
import { ACCELERATORS, Accelerator, IDLE_POLICIES, IdlePolicy, LaunchOverrides } from "./profile";
import { ProfileError } from "./profile-error";
import { checkNetworkOverride } from "../network/validate-network";

const KNOWN_FIELDS = ["cpus", "memoryMiB", "accel", "idlePolicy", "cmdline", "extraArgs", "network"];

export function validateOverrides(raw: unknown, source = "launch overrides"): LaunchOverrides {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ProfileError(source, [`overrides must be an object, got ${describe(raw)}`]);
  }
  const fields = raw as Record<string, unknown>;
  const problems: (string | undefined)[] = [];
  for (const key of Object.keys(fields)) {
    if (!KNOWN_FIELDS.includes(key) && fields[key] !== undefined) {
      problems.push(
        `unknown override "${key}"; expected one of ${KNOWN_FIELDS.map((k) => `"${k}"`).join(", ")}`,
      );
    }
  }
  const overrides: LaunchOverrides = {};
  if (fields.cpus !== undefined) {
    problems.push(checkCpus(fields.cpus));
    overrides.cpus = fields.cpus as number;
  }
  if (fields.memoryMiB !== undefined) {
    problems.push(checkMemoryMiB(fields.memoryMiB));
    overrides.memoryMiB = fields.memoryMiB as number;
  }
  if (fields.accel !== undefined) {
    problems.push(checkChoice("accel", fields.accel, ACCELERATORS));
    overrides.accel = fields.accel as Accelerator;
  }
  if (fields.idlePolicy !== undefined) {
    problems.push(checkChoice("idlePolicy", fields.idlePolicy, IDLE_POLICIES));
    overrides.idlePolicy = fields.idlePolicy as IdlePolicy;
  }
  if (fields.cmdline !== undefined) {
    problems.push(checkText("cmdline", fields.cmdline));
    if (typeof fields.cmdline === "string" && /(^|\s)idle=/.test(fields.cmdline)) {
      problems.push(`"cmdline" must not set idle=; use the idle policy override instead`);
    }
    overrides.cmdline = fields.cmdline as string;
  }
  if (fields.extraArgs !== undefined) {
    problems.push(...checkStringArray("extraArgs", fields.extraArgs, "options"));
    overrides.extraArgs = fields.extraArgs as string[];
  }
  if (fields.network !== undefined) {
    const network = checkNetworkOverride("network", fields.network);
    problems.push(...network.problems);
    if (network.value !== undefined && Object.keys(network.value).length > 0)
      overrides.network = network.value;
  }
  const found = problems.filter((problem): problem is string => problem !== undefined);
  if (found.length > 0) throw new ProfileError(source, found);
  return overrides;
}

// validate-profile.ts - checks the raw JSON of a profile and returns a typed QemuProfile, or throws one
// ProfileError listing every problem. Pairs with profile.ts (the shape) and load-profile.ts (the files).

import { checkChoice, checkCpus, checkMemoryMiB, checkStringArray, checkText, describe } from "./checks";
import {
  ACCELERATORS,
  Accelerator,
  BOOT_METHODS,
  BootMethod,
  DEFAULT_BOOT_METHOD,
  QemuProfile,
} from "./profile";
import { ProfileError } from "./profile-error";
import { checkNetworkMachine, checkNetworkSettings } from "../network/validate-network";

const KNOWN_FIELDS = [
  "$comment",
  "description",
  "machine",
  "boot",
  "firmware",
  "machineOptions",
  "accel",
  "cpuModel",
  "cpus",
  "memoryMiB",
  "devices",
  "extraArgs",
  "network",
];

/** `source` names the file (or other origin) in error messages; `name` is the profile's name. */
export function validateProfile(raw: unknown, name: string, source: string): QemuProfile {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ProfileError(source, [`a profile must be a JSON object, got ${describe(raw)}`]);
  }
  const fields = raw as Record<string, unknown>;
  const problems: (string | undefined)[] = [];

  for (const key of Object.keys(fields)) {
    if (!KNOWN_FIELDS.includes(key)) {
      problems.push(`unknown field "${key}"; expected only ${KNOWN_FIELDS.map((k) => `"${k}"`).join(", ")}`);
    }
  }
  problems.push(checkText("description", fields.description));
  problems.push(
    checkText("machine", fields.machine, /^[a-z0-9][a-z0-9.-]*$/, 'a QEMU machine type like "q35"'),
  );
  problems.push(checkChoice("accel", fields.accel, ACCELERATORS));
  const boot = fields.boot ?? DEFAULT_BOOT_METHOD;
  problems.push(checkChoice("boot", boot, BOOT_METHODS));
  if (fields.firmware !== undefined) {
    problems.push(checkText("firmware", fields.firmware, /^\/[^,]*$/, "an absolute path without commas"));
  } else if (boot === "uefi-iso") {
    problems.push(
      `"firmware" is required with "boot": "uefi-iso": the UEFI firmware file, e.g. "/usr/share/ovmf/OVMF.fd"`,
    );
  }
  problems.push(checkCpus(fields.cpus));
  problems.push(checkMemoryMiB(fields.memoryMiB));
  if (fields.cpuModel !== undefined) {
    problems.push(
      checkText("cpuModel", fields.cpuModel, /^[A-Za-z0-9][\w.+-]*(,[\w.+=-]+)*$/, "a -cpu model"),
    );
  }
  const machineOptions = fields.machineOptions ?? [];
  problems.push(...checkStringArray("machineOptions", machineOptions, "values"));
  if (Array.isArray(machineOptions)) {
    machineOptions.forEach((option, index) => {
      if (typeof option === "string" && !/^[a-z0-9-]+=[^,]+$/.test(option)) {
        problems.push(`"machineOptions[${index}]" must be one "key=value" property, got ${describe(option)}`);
      } else if (typeof option === "string" && /^(accel|memory-backend)=/.test(option)) {
        problems.push(
          `"machineOptions[${index}]" sets ${option.split("=")[0]}, which the launcher sets itself`,
        );
      }
    });
  }
  problems.push(...checkStringArray("devices", fields.devices ?? [], "values"));
  problems.push(...checkStringArray("extraArgs", fields.extraArgs ?? [], "options"));
  const network = fields.network === undefined ? undefined : checkNetworkSettings("network", fields.network);
  problems.push(...(network?.problems ?? []));
  if (network !== undefined && typeof fields.machine === "string") {
    problems.push(checkNetworkMachine(fields.machine, name));
  }

  const found = problems.filter((problem): problem is string => problem !== undefined);
  if (found.length > 0) throw new ProfileError(source, found);

  return {
    name,
    description: fields.description as string,
    machine: fields.machine as string,
    boot: boot as BootMethod,
    ...(fields.firmware === undefined ? {} : { firmware: fields.firmware as string }),
    machineOptions: [...(machineOptions as string[])],
    accel: fields.accel as Accelerator,
    ...(fields.cpuModel === undefined ? {} : { cpuModel: fields.cpuModel as string }),
    cpus: fields.cpus as number,
    memoryMiB: fields.memoryMiB as number,
    devices: [...((fields.devices ?? []) as string[])],
    extraArgs: [...((fields.extraArgs ?? []) as string[])],
    ...(network?.value === undefined ? {} : { network: network.value }),
  };
}

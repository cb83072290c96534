// validate-network.ts - checks a raw `network` value from a profile file or from launch overrides and the
// machine it is used with; each problem says what is wrong and what was expected (the caller collects them
// into one ProfileError). Pairs with network-settings.ts (the shapes) and ../profiles/validate-*.ts.

import { describe } from "../profiles/checks";
import { DEFAULT_GUEST_PORT, MAX_PORT, MIN_PORT, NetworkOverride, NetworkSettings } from "./network-settings";

export interface Checked<Value> {
  value: Value | undefined;
  problems: string[];
}

const SETTINGS_FIELDS = ["guestPort", "hostPort"];
const OVERRIDE_FIELDS = ["enabled", "guestPort", "hostPort"];

/**
 * The kernel finds virtio-net through the PCI configuration ports 0xCF8/0xCFC, which q35 and pc (and their
 * versioned names) decode; microvm has no such PCI bus.
 */
const PCI_MACHINE = /^(q35|pc|pc-q35-[\w.]+|pc-i440fx-[\w.]+)$/;

function checkPort(field: string, value: unknown): string | undefined {
  if (typeof value !== "number" || !Number.isInteger(value) || value < MIN_PORT || value > MAX_PORT) {
    return `"${field}" must be a TCP port, an integer from ${MIN_PORT} to ${MAX_PORT}, got ${describe(value)}`;
  }
  return undefined;
}

function checkObject(field: string, raw: unknown, known: string[], example: string): string[] {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return [`"${field}" must be an object like ${example}, got ${describe(raw)}`];
  }
  return Object.keys(raw)
    .filter((key) => !known.includes(key))
    .map(
      (key) =>
        `unknown field "${field}.${key}"; expected only ${known.map((name) => `"${name}"`).join(", ")}`,
    );
}

function checkPorts(field: string, fields: Record<string, unknown>): string[] {
  const problems: (string | undefined)[] = [];
  if (fields.guestPort !== undefined) problems.push(checkPort(`${field}.guestPort`, fields.guestPort));
  if (fields.hostPort !== undefined) problems.push(checkPort(`${field}.hostPort`, fields.hostPort));
  return problems.filter((problem): problem is string => problem !== undefined);
}

/** A profile's `network`: `{ "guestPort": 80 }`, optionally with a fixed `hostPort`. */
export function checkNetworkSettings(field: string, raw: unknown): Checked<NetworkSettings> {
  const problems = checkObject(field, raw, SETTINGS_FIELDS, '{ "guestPort": 80 }');
  if (problems.length > 0) return { value: undefined, problems };
  const fields = raw as Record<string, unknown>;
  problems.push(...checkPorts(field, fields));
  if (problems.length > 0) return { value: undefined, problems };
  return {
    value: {
      guestPort: (fields.guestPort as number | undefined) ?? DEFAULT_GUEST_PORT,
      ...(fields.hostPort === undefined ? {} : { hostPort: fields.hostPort as number }),
    },
    problems,
  };
}

/** A launch's `network`: true / false, or `{ enabled?, hostPort?, guestPort? }` (undefined fields ignored). */
export function checkNetworkOverride(field: string, raw: unknown): Checked<NetworkOverride> {
  if (typeof raw === "boolean") return { value: { enabled: raw }, problems: [] };
  const problems = checkObject(field, raw, OVERRIDE_FIELDS, "{ enabled: true, guestPort: 80 }");
  if (problems.length > 0) return { value: undefined, problems };
  const fields = Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).filter(([, value]) => value !== undefined),
  );
  if (fields.enabled !== undefined && typeof fields.enabled !== "boolean") {
    problems.push(`"${field}.enabled" must be true or false, got ${describe(fields.enabled)}`);
  }
  problems.push(...checkPorts(field, fields));
  if (fields.enabled === false && (fields.hostPort !== undefined || fields.guestPort !== undefined)) {
    problems.push(`"${field}" is switched off (enabled: false), so it cannot also set a host or guest port`);
  }
  if (problems.length > 0) return { value: undefined, problems };
  return { value: fields as NetworkOverride, problems };
}

/** Undefined when `machine` can carry the virtio-net-pci device the kernel drives, else the problem. */
export function checkNetworkMachine(machine: string, profileName: string): string | undefined {
  if (PCI_MACHINE.test(machine)) return undefined;
  return (
    `the network needs a PCI machine (q35 or pc: the kernel finds virtio-net through the PCI ` +
    `configuration ports), but profile "${profileName}" uses machine "${machine}"`
  );
}

// arguments.test.ts - the launch/attach arguments declared once (src/protocol/launch-arguments.ts): the schema
// agrees with the engine's limits, the derived TypeScript type has exactly the schema's fields, and every
// invalid value is reported with what was expected. Pure: no QEMU, no GDB.

import { describe, expect, expectTypeOf, it } from "vitest";
import {
  ACCELERATORS,
  IDLE_POLICIES,
  MAX_MEMORY_MIB,
  MAX_PROFILE_CPUS,
  MIN_MEMORY_MIB,
} from "../../src/engine/profiles/profile";
import { MAXIMUM_TELEMETRY_HZ } from "../../src/engine/telemetry/telemetry-poller";
import {
  TORO_ATTACH_SCHEMA,
  TORO_LAUNCH_SCHEMA,
  type ToroAttachArguments,
  type ToroLaunchArguments,
} from "../../src/protocol/launch-arguments";
import { planAttach } from "../../src/session/launch-configuration";
import {
  parseGdbstubAddress,
  validateAttachArguments,
  validateLaunchArguments,
} from "../../src/protocol/validate-arguments";

describe("the launch schema", () => {
  it("uses the engine's limits and choices", () => {
    const properties = TORO_LAUNCH_SCHEMA.properties;
    expect(properties.cpus).toMatchObject({ minimum: 1, maximum: MAX_PROFILE_CPUS });
    expect(properties.memory).toMatchObject({ minimum: MIN_MEMORY_MIB, maximum: MAX_MEMORY_MIB });
    expect(properties.accel.enum).toEqual([...ACCELERATORS]);
    expect(properties.idle.enum).toEqual([...IDLE_POLICIES]);
    expect(properties.telemetryHz.maximum).toBeLessThanOrEqual(MAXIMUM_TELEMETRY_HZ);
  });

  it("has a description for every field and enum descriptions matching the choices", () => {
    for (const schema of [TORO_LAUNCH_SCHEMA, TORO_ATTACH_SCHEMA]) {
      for (const [name, property] of Object.entries(schema.properties)) {
        expect(property.description.length, name).toBeGreaterThan(20);
        if ("enumDescriptions" in property)
          expect(property.enumDescriptions).toHaveLength(property.enum.length);
      }
    }
  });

  it("derives the TypeScript types from the schemas", () => {
    expectTypeOf<keyof ToroLaunchArguments>().toEqualTypeOf<keyof typeof TORO_LAUNCH_SCHEMA.properties>();
    expectTypeOf<ToroLaunchArguments["cpus"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ToroLaunchArguments["idle"]>().toEqualTypeOf<
      "busy" | "pause" | "halt" | "tickless" | undefined
    >();
    expectTypeOf<ToroLaunchArguments["extraQemuArgs"]>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<ToroAttachArguments["gdbstub"]>().toEqualTypeOf<string>();
    expectTypeOf<ToroAttachArguments["qmpSocket"]>().toEqualTypeOf<string | undefined>();
  });
});

describe("validating launch arguments", () => {
  it("accepts a full configuration, ignoring what VS Code adds", () => {
    const raw = {
      type: "toro",
      request: "launch",
      name: "Debug hello",
      __sessionId: "x",
      app: "samples/hello",
      profile: "default",
      cpus: 4,
      memory: 256,
      accel: "tcg",
      idle: "halt",
      cmdline: "rounds=2",
      stopOnEntry: true,
      build: false,
      qemuPath: "qemu-system-x86_64",
      gdbPath: "gdb",
      gdbPort: 1234,
      extraQemuArgs: ["-rtc", "base=utc"],
      telemetryHz: 50,
      logFile: "/tmp/log",
    };
    const result = validateLaunchArguments(raw);
    expect(result.valid).toBe(true);
    if (result.valid) expect(result.arguments).not.toHaveProperty("type");
  });

  it.each([
    [{ app: "a", cpus: 0 }, '"cpus" must be an integer from 1 to 256, got number 0'],
    [{ app: "a", cpus: 2.5 }, '"cpus" must be an integer from 1 to 256, got number 2.5'],
    [{ app: "a", memory: "1G" }, '"memory" must be an integer from 16 to 2048, got "1G"'],
    [{ app: "a", accel: "hvf" }, '"accel" must be one of "tcg", "kvm", got "hvf"'],
    [{ app: "a", stopOnEntry: "yes" }, '"stopOnEntry" must be true or false, got "yes"'],
    [{ app: "a", extraQemuArgs: "-s" }, '"extraQemuArgs" must be an array of strings, got "-s"'],
    [{ app: "a", extraQemuArgs: ["-rtc", 3] }, '"extraQemuArgs[1]" must be a string, got number 3'],
    [
      { app: "a", cmdline: "a\nb" },
      '"cmdline" must be one line of text without control characters, got "a\\nb"',
    ],
    [{ app: "  " }, '"app" must not be empty (leave it out to use the default)'],
    [{ app: "a", gdbPort: 70000 }, '"gdbPort" must be an integer from 1 to 65535, got number 70000'],
    [
      { app: "a", program: "k.elf" },
      'give either "app" (build it) or "program" (a prebuilt kernel.elf), not both',
    ],
    [{ app: "a", cpu: 4 }, 'unknown launch field "cpu"'],
  ])("refuses %j", (raw, expected) => {
    const result = validateLaunchArguments(raw);
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.problems.join("\n")).toContain(expected);
  });

  it("reports every problem at once", () => {
    const result = validateLaunchArguments({ app: "a", cpus: "x", idle: 3, telemetryHz: 1000 });
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.problems).toHaveLength(3);
  });
});

describe("validating attach arguments", () => {
  it("requires the gdbstub address and the program", () => {
    const result = validateAttachArguments({});
    expect(result.valid).toBe(false);
    if (!result.valid) {
      expect(result.problems).toEqual([
        expect.stringMatching(/^"gdbstub" is required/),
        expect.stringMatching(/^"program" is required/),
      ]);
    }
  });

  it("checks the host:port shape and the port range", () => {
    const bad = validateAttachArguments({ gdbstub: "localhost", program: "k.elf" });
    expect(bad.valid).toBe(false);
    if (!bad.valid)
      expect(bad.problems[0]).toContain('"gdbstub" must be host:port, e.g. 127.0.0.1:1234, got "localhost"');
    expect(parseGdbstubAddress("127.0.0.1:1234")).toEqual({ host: "127.0.0.1", port: 1234 });
    expect(parseGdbstubAddress("127.0.0.1:99999")).toMatch(/port from 1 to 65535/);
  });

  it("checks the ssh fields: destination shape (never an option), port range, options as strings", () => {
    const good = validateAttachArguments({
      gdbstub: "127.0.0.1:1234",
      program: "k.elf",
      ssh: "toro@lab-1.example",
      sshPort: 2222,
      sshOptions: ["-i", "/keys/lab"],
    });
    expect(good.valid).toBe(true);
    const bad = validateAttachArguments({
      gdbstub: "127.0.0.1:1234",
      program: "k.elf",
      ssh: "-oProxyCommand=evil",
      sshPort: 70000,
      sshOptions: "-i key",
    });
    expect(bad.valid).toBe(false);
    if (!bad.valid) {
      expect(bad.problems).toEqual([
        expect.stringMatching(/^"ssh" must be user@host or host, e.g. toro@lab-1/),
        expect.stringMatching(/^"sshPort" must be .*65535/),
        expect.stringMatching(/^"sshOptions" must be an array of strings/),
      ]);
    }
  });

  it("plans an attach through ssh, and refuses ssh settings without ssh", () => {
    const plan = planAttach({
      gdbstub: "127.0.0.1:1234",
      program: "k.elf",
      qmpSocket: "/remote/qmp.sock",
      ssh: "lab",
      sshPort: 2222,
    });
    expect(plan.ssh).toEqual({ destination: "lab", port: 2222, options: [] });
    expect(plan.qmpSocket).toBe("/remote/qmp.sock"); // a path on the remote machine: not resolved here
    expect(plan.tools.map((tool) => tool.role)).toEqual(["gdb", "ssh"]);
    expect(() => planAttach({ gdbstub: "127.0.0.1:1234", program: "k.elf", sshPort: 22 })).toThrow(
      /"sshPort" needs "ssh"/,
    );
  });
});

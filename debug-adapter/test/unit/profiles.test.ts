// profiles.test.ts - profile files and launch overrides: every shipped profile loads, and each kind of
// mistake gives an error that says what is wrong and what was expected.

import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listProfiles, loadProfile } from "../../src/engine/profiles/load-profile";
import { ProfileError } from "../../src/engine/profiles/profile-error";
import { validateOverrides } from "../../src/engine/profiles/validate-overrides";
import { validateProfile } from "../../src/engine/profiles/validate-profile";
import { makeScratch, profilesDirectory, removeScratch } from "../helpers/paths";

const valid = {
  description: "test profile",
  machine: "q35",
  accel: "tcg",
  cpus: 2,
  memoryMiB: 64,
};

function problemsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileError);
    return (error as ProfileError).problems;
  }
  throw new Error("expected a ProfileError");
}

describe("shipped profiles", () => {
  it("include default, kvm, microvm, pvh, smp1 and uefi, and all validate", () => {
    const names = listProfiles(profilesDirectory);
    expect(names).toEqual(expect.arrayContaining(["default", "kvm", "microvm", "pvh", "smp1", "uefi"]));
    for (const name of names) expect(loadProfile(name, profilesDirectory).name).toBe(name);
  });

  it("default is q35 under TCG with 4 vCPUs and 128 MiB", () => {
    expect(loadProfile("default", profilesDirectory)).toMatchObject({
      machine: "q35",
      accel: "tcg",
      cpus: 4,
      memoryMiB: 128,
    });
    expect(loadProfile("smp1", profilesDirectory).cpus).toBe(1);
    expect(loadProfile("kvm", profilesDirectory).accel).toBe("kvm");
    expect(loadProfile("microvm", profilesDirectory).machine).toBe("microvm");
    expect(loadProfile("default", profilesDirectory).boot).toBe("multiboot");
    expect(loadProfile("pvh", profilesDirectory)).toMatchObject({ machine: "microvm", boot: "pvh" });
    expect(loadProfile("uefi", profilesDirectory)).toMatchObject({
      machine: "q35",
      boot: "uefi-iso",
      firmware: "/usr/share/ovmf/OVMF.fd",
    });
  });
});

describe("validateProfile", () => {
  it("fills optional arrays and keeps the name", () => {
    expect(validateProfile(valid, "mine", "mine.json")).toEqual({
      name: "mine",
      ...valid,
      boot: "multiboot",
      machineOptions: [],
      devices: [],
      extraArgs: [],
    });
  });

  it("lists every problem with what was expected", () => {
    const problems = problemsOf(() =>
      validateProfile(
        { ...valid, cpus: 300, memoryMiB: "128", accel: "hvf", machine: "Q 35", colour: "red" },
        "bad",
        "bad.json",
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/"cpus" must be an integer from 1 to 256 \(TORO_MAX_CPUS\), got number 300/),
        expect.stringMatching(/"memoryMiB" must be an integer from 16 to 2048.*got "128"/),
        expect.stringMatching(/"accel" must be one of "tcg", "kvm", got "hvf"/),
        expect.stringMatching(/"machine" must be a QEMU machine type/),
        expect.stringMatching(/unknown field "colour"/),
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it("requires the mandatory fields", () => {
    const problems = problemsOf(() => validateProfile({}, "empty", "empty.json"));
    expect(problems.join("\n")).toMatch(/"description" must be a string, got nothing/);
    expect(problems.join("\n")).toMatch(/"cpus" must be an integer/);
    expect(() => validateProfile([], "array", "array.json")).toThrow(/must be a JSON object, got an array/);
  });

  it("refuses extra arguments the launcher owns, and malformed machine options", () => {
    const problems = problemsOf(() =>
      validateProfile(
        {
          ...valid,
          extraArgs: ["-nodefaults", "--serial", "-gdb=tcp::1234"],
          machineOptions: ["acpi=on", "memory-backend=mine", "novalue"],
          devices: ["virtio-rng\n"],
        },
        "owned",
        "owned.json",
      ),
    );
    expect(problems).toEqual([
      expect.stringMatching(/"machineOptions\[1\]" sets memory-backend, which the launcher sets itself/),
      expect.stringMatching(/"machineOptions\[2\]" must be one "key=value" property/),
      expect.stringMatching(/"devices\[0\]" must not contain control characters/),
      expect.stringMatching(/"extraArgs\[1\]" is "--serial", an option the launcher sets itself/),
      expect.stringMatching(/"extraArgs\[2\]" is "-gdb=tcp::1234"/),
    ]);
  });
});

describe("validateProfile: boot and firmware", () => {
  it("accepts each boot method and keeps an absolute firmware path", () => {
    expect(validateProfile({ ...valid, boot: "pvh" }, "p", "p.json").boot).toBe("pvh");
    expect(
      validateProfile({ ...valid, boot: "uefi-iso", firmware: "/opt/OVMF.fd" }, "u", "u.json"),
    ).toMatchObject({ boot: "uefi-iso", firmware: "/opt/OVMF.fd" });
  });

  it("refuses an unknown boot method, a uefi-iso profile without firmware and a relative firmware path", () => {
    expect(problemsOf(() => validateProfile({ ...valid, boot: "bios" }, "b", "b.json"))).toEqual([
      expect.stringMatching(/"boot" must be one of "multiboot", "pvh", "uefi-iso", got "bios"/),
    ]);
    expect(problemsOf(() => validateProfile({ ...valid, boot: "uefi-iso" }, "u", "u.json"))).toEqual([
      expect.stringMatching(/"firmware" is required with "boot": "uefi-iso".*OVMF\.fd/),
    ]);
    expect(problemsOf(() => validateProfile({ ...valid, firmware: "OVMF.fd" }, "f", "f.json"))).toEqual([
      expect.stringMatching(/"firmware" must be an absolute path without commas, got "OVMF\.fd"/),
    ]);
  });

  it("refuses -bios and -cdrom in extraArgs: the boot fields set them", () => {
    const problems = problemsOf(() =>
      validateProfile({ ...valid, extraArgs: ["-bios", "x.fd", "-cdrom", "x.iso"] }, "o", "o.json"),
    );
    expect(problems).toEqual([
      expect.stringMatching(/"extraArgs\[0\]" is "-bios", an option the launcher sets itself/),
      expect.stringMatching(/"extraArgs\[2\]" is "-cdrom", an option the launcher sets itself/),
    ]);
  });
});

describe("loadProfile", () => {
  let scratch: string;
  beforeAll(() => (scratch = makeScratch("profiles")));
  afterAll(() => removeScratch(scratch));

  it("names the file and lists the available profiles when a name is unknown", () => {
    expect(() => loadProfile("nonexistent", profilesDirectory)).toThrow(
      /nonexistent\.json: cannot read the profile .*available profiles: default, kvm, microvm, network, pvh, smp1, uefi/,
    );
  });

  it("refuses names that could escape the profiles folder", () => {
    expect(() => loadProfile("..", profilesDirectory)).toThrow(/may only contain letters/);
  });

  it("loads a profile by path and reports invalid JSON", () => {
    const good = path.join(scratch, "custom.json");
    fs.writeFileSync(good, JSON.stringify(valid));
    expect(loadProfile(good).name).toBe("custom");
    const bad = path.join(scratch, "broken.json");
    fs.writeFileSync(bad, "{ cpus: 4 ");
    expect(() => loadProfile(bad)).toThrow(/broken\.json: not valid JSON/);
  });
});

describe("validateOverrides", () => {
  it("accepts and types valid overrides", () => {
    expect(
      validateOverrides({
        cpus: 1,
        memoryMiB: 256,
        accel: "tcg",
        idlePolicy: "halt",
        cmdline: "test",
        extraArgs: [],
      }),
    ).toEqual({ cpus: 1, memoryMiB: 256, accel: "tcg", idlePolicy: "halt", cmdline: "test", extraArgs: [] });
    expect(validateOverrides({ cpus: undefined })).toEqual({});
  });

  it("explains each bad override", () => {
    const problems = problemsOf(() =>
      validateOverrides({
        cpus: 0,
        idlePolicy: "sleepy",
        cmdline: "idle=busy",
        extraArgs: ["-S"],
        memory: 5,
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/unknown override "memory"/),
        expect.stringMatching(/"cpus" must be an integer from 1 to 256/),
        expect.stringMatching(
          /"idlePolicy" must be one of "busy", "pause", "halt", "tickless", got "sleepy"/,
        ),
        expect.stringMatching(/"cmdline" must not set idle=/),
        expect.stringMatching(/"extraArgs\[0\]" is "-S"/),
      ]),
    );
  });
});

// network-options.test.ts - the `network` option without QEMU: how a profile's network and a launch's
// override combine, what validation says for wrong values, the QEMU arguments and the URL, the CLI flags.
// Pairs with src/engine/network/ and the real-QEMU tests beside this file.

import { describe, expect, it } from "vitest";
import {
  buildQemuArguments,
  describeForwarding,
  effectiveNetwork,
  loadProfile,
  networkArguments,
  planPortForwarding,
  ProfileError,
  QemuProfile,
  validateOverrides,
  validateProfile,
} from "@toro-studio/debug-adapter";
import { parseCommandLine } from "../../src/cli-arguments";
import { validateLaunchArguments } from "@toro-studio/debug-adapter/protocol";
import { profilesDirectory } from "@toro-studio/debug-adapter/test-support";

const base = {
  description: "test",
  machine: "q35",
  accel: "tcg",
  cpus: 2,
  memoryMiB: 64,
};

function problemsOf(check: () => unknown): string[] {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileError);
    return (error as ProfileError).problems;
  }
  throw new Error("expected a ProfileError");
}

describe("effectiveNetwork", () => {
  it("is off unless the profile or the launch asks for it", () => {
    expect(effectiveNetwork(undefined, undefined)).toBeNull();
    expect(effectiveNetwork(undefined, {})).toBeNull();
    expect(effectiveNetwork(undefined, { enabled: true })).toEqual({ guestPort: 80 });
    expect(effectiveNetwork({ guestPort: 8080 }, undefined)).toEqual({ guestPort: 8080 });
  });

  it("lets a port imply the network, a launch turn a profile's network off, and override its ports", () => {
    expect(effectiveNetwork(undefined, { hostPort: 9000 })).toEqual({ guestPort: 80, hostPort: 9000 });
    expect(effectiveNetwork({ guestPort: 80 }, { enabled: false })).toBeNull();
    expect(effectiveNetwork({ guestPort: 80, hostPort: 9000 }, { guestPort: 81 })).toEqual({
      guestPort: 81,
      hostPort: 9000,
    });
  });
});

describe("network validation", () => {
  it("accepts a profile's network and keeps it", () => {
    expect(validateProfile({ ...base, network: { guestPort: 8080 } }, "web", "web.json").network).toEqual({
      guestPort: 8080,
    });
    expect(validateProfile({ ...base, network: {} }, "web", "web.json").network).toEqual({ guestPort: 80 });
  });

  it("says what is wrong and what was expected in a profile", () => {
    expect(problemsOf(() => validateProfile({ ...base, network: true }, "web", "web.json"))).toEqual([
      expect.stringMatching(/"network" must be an object like \{ "guestPort": 80 \}, got boolean true/),
    ]);
    expect(
      problemsOf(() =>
        validateProfile({ ...base, network: { guestPort: 0, hostport: 1 } }, "web", "web.json"),
      ),
    ).toEqual([
      expect.stringMatching(/unknown field "network.hostport"; expected only "guestPort", "hostPort"/),
    ]);
    expect(
      problemsOf(() => validateProfile({ ...base, network: { guestPort: 70000 } }, "web", "web.json")),
    ).toEqual([
      expect.stringMatching(
        /"network.guestPort" must be a TCP port, an integer from 1 to 65535, got number 70000/,
      ),
    ]);
  });

  it("refuses a network on a machine without PCI", () => {
    expect(
      problemsOf(() =>
        validateProfile({ ...base, machine: "microvm", network: { guestPort: 80 } }, "tiny", "tiny.json"),
      ),
    ).toEqual([
      expect.stringMatching(/needs a PCI machine \(q35 or pc.*profile "tiny" uses machine "microvm"/),
    ]);
  });

  it("checks launch overrides: booleans, objects, ports, contradictions", () => {
    expect(validateOverrides({ network: true }).network).toEqual({ enabled: true });
    expect(
      validateOverrides({ network: { enabled: undefined, hostPort: undefined } }).network,
    ).toBeUndefined();
    expect(validateOverrides({ network: { hostPort: 8081 } }).network).toEqual({ hostPort: 8081 });
    expect(problemsOf(() => validateOverrides({ network: "yes" }))).toEqual([
      expect.stringMatching(/"network" must be an object like \{ enabled: true, guestPort: 80 \}, got "yes"/),
    ]);
    expect(problemsOf(() => validateOverrides({ network: { enabled: false, guestPort: 81 } }))).toEqual([
      expect.stringMatching(/switched off \(enabled: false\), so it cannot also set a host or guest port/),
    ]);
    expect(problemsOf(() => validateOverrides({ network: { hostPort: 1.5 } }))).toEqual([
      expect.stringMatching(
        /"network.hostPort" must be a TCP port, an integer from 1 to 65535, got number 1.5/,
      ),
    ]);
  });

  it("declares the DAP launch fields with their limits", () => {
    expect(validateLaunchArguments({ app: "x", network: true, networkHostPort: 8080 }).valid).toBe(true);
    const wrong = validateLaunchArguments({ app: "x", network: "on", networkGuestPort: 0 });
    expect(wrong.valid).toBe(false);
    expect(wrong.valid ? [] : wrong.problems).toEqual([
      '"network" must be true or false, got "on"',
      '"networkGuestPort" must be an integer from 1 to 65535, got number 0',
    ]);
  });
});

describe("port forwarding", () => {
  const profile = loadProfile("default", profilesDirectory);
  const networkProfile = loadProfile("network", profilesDirectory);

  it("the shipped network profile forwards the guest's port 80", () => {
    expect(networkProfile.network).toEqual({ guestPort: 80 });
  });

  it("picks a free port unless one was asked for, and builds a 127.0.0.1-only forwarding", async () => {
    expect(await planPortForwarding(profile, {})).toBeNull();
    const free = await planPortForwarding(profile, { network: { enabled: true } }, async () => 40123);
    expect(free).toEqual({
      hostAddress: "127.0.0.1",
      hostPort: 40123,
      guestAddress: "10.0.2.15",
      guestPort: 80,
      url: "http://127.0.0.1:40123/",
    });
    const fixed = await planPortForwarding(networkProfile, { network: { hostPort: 8088, guestPort: 8000 } });
    expect(fixed?.url).toBe("http://127.0.0.1:8088/");
    expect(networkArguments(fixed!)).toEqual([
      "-netdev",
      "user,id=toro-net,restrict=on,hostfwd=tcp:127.0.0.1:8088-:8000",
      "-device",
      "virtio-net-pci,netdev=toro-net,disable-legacy=on",
    ]);
    expect(describeForwarding(fixed!)).toBe(
      "network: http://127.0.0.1:8088/ -> guest 10.0.2.15:8000 (QEMU user networking, virtio-net)",
    );
  });

  it("a real free port is a bindable loopback port", async () => {
    const forwarding = await planPortForwarding(networkProfile, {});
    expect(forwarding!.hostPort).toBeGreaterThan(1023);
    expect(forwarding!.hostPort).toBeLessThan(65536);
  });

  it("refuses a launch override that adds a network to a machine without PCI", async () => {
    const microvm: QemuProfile = loadProfile("microvm", profilesDirectory);
    await expect(planPortForwarding(microvm, { network: { enabled: true } })).rejects.toThrow(
      /needs a PCI machine .*profile "microvm" uses machine "microvm"/,
    );
  });

  it("puts the network after the profile's devices and before the extra arguments", () => {
    const args = buildQemuArguments(
      { ...profile, devices: ["virtio-rng-pci"], extraArgs: ["-nodefaults"] },
      { extraArgs: ["-no-hpet"] },
      {
        kernelPath: "/k",
        ramPath: "/r",
        qmpSocketPath: "/q",
        stopAtStart: false,
        network: {
          hostAddress: "127.0.0.1",
          hostPort: 5000,
          guestAddress: "10.0.2.15",
          guestPort: 80,
          url: "http://127.0.0.1:5000/",
        },
      },
    );
    const tail = args.slice(args.indexOf("virtio-rng-pci") + 1);
    expect(tail).toEqual([
      "-netdev",
      "user,id=toro-net,restrict=on,hostfwd=tcp:127.0.0.1:5000-:80",
      "-device",
      "virtio-net-pci,netdev=toro-net,disable-legacy=on",
      "-nodefaults",
      "-no-hpet",
    ]);
    expect(
      buildQemuArguments(
        profile,
        {},
        { kernelPath: "/k", ramPath: "/r", qmpSocketPath: "/q", stopAtStart: false },
      ),
    ).not.toContain("-netdev");
  });
});

describe("CLI flags", () => {
  it("toro run --network, --host-port and --guest-port", () => {
    expect(parseCommandLine(["run", "samples/http-server", "--network"])).toMatchObject({
      network: true,
      hostPort: undefined,
      guestPort: undefined,
    });
    expect(parseCommandLine(["run", "samples/http-server", "--host-port", "8080"])).toMatchObject({
      network: true,
      hostPort: 8080,
    });
    expect(parseCommandLine(["run", "samples/hello"])).toMatchObject({ network: false });
    expect(() => parseCommandLine(["run", "samples/hello", "--guest-port", "eighty"])).toThrow(
      /--guest-port must be a number, got "eighty"/,
    );
  });

  it("toro stress <url> with its options", () => {
    expect(
      parseCommandLine([
        "stress",
        "http://127.0.0.1:8080/",
        "--connections",
        "8",
        "--requests",
        "500",
        "--json",
      ]),
    ).toEqual({
      kind: "stress",
      url: "http://127.0.0.1:8080/",
      connections: 8,
      durationSeconds: undefined,
      requests: 500,
      timeoutSeconds: undefined,
      newConnections: false,
      json: true,
    });
    expect(parseCommandLine(["stress", "http://127.0.0.1:8080/", "--new-connections"])).toMatchObject({
      newConnections: true,
    });
    expect(() => parseCommandLine(["stress"])).toThrow(/toro stress needs the URL/);
    expect(() =>
      parseCommandLine(["stress", "http://127.0.0.1/", "--duration", "5", "--requests", "9"]),
    ).toThrow(/give --duration or --requests, not both/);
    expect(() => parseCommandLine(["stress", "http://127.0.0.1/", "--connections", "0"])).toThrow(
      /--connections must be greater than 0/,
    );
  });

  it("toro bench --only network", () => {
    expect(parseCommandLine(["bench", "--only", "network"])).toMatchObject({ groups: ["network"] });
  });
});

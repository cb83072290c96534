// resolve-configuration.test.ts - what F5 launches (src/debug/resolve-configuration.ts, src/app-folder.ts):
// the app folder found from the workspace or the active file, settings applied only where the
// configuration is silent and they differ from the adapter's defaults, clear errors otherwise.
import { describe, expect, it } from "vitest";
import type { DirectoryEntry } from "../../src/app-folder";
import { findAppFolder } from "../../src/app-folder";
import {
  NO_APP_MESSAGE,
  resolveConfiguration,
  type ResolveContext,
} from "../../src/debug/resolve-configuration";

/** A fake tree: folder -> entries. */
function listing(tree: Record<string, string[]>) {
  return (directory: string): DirectoryEntry[] => {
    const names = tree[directory];
    if (names === undefined) throw new Error(`ENOENT ${directory}`);
    return names.map((name) => ({ name: name.replace(/\/$/, ""), isFile: !name.endsWith("/") }));
  };
}

const tree = {
  "/work/idle-demo": ["main.c", "README.md", "build/"],
  "/repo": ["kernel/", "samples/", "README.md"],
  "/repo/samples/hello": ["main.c"],
  "/empty": [],
};

function context(overrides: Partial<ResolveContext> = {}): ResolveContext {
  return {
    workspaceFolder: "/work/idle-demo",
    activeFile: null,
    listDirectory: listing(tree),
    settings: { qemuPath: "qemu-system-x86_64", gdbPath: "gdb", telemetryHz: 10, kernelCheckout: "" },
    ...overrides,
  };
}

describe("findAppFolder", () => {
  it("takes the workspace folder when it holds .c files", () => {
    expect(findAppFolder("/work/idle-demo", null, listing(tree))).toBe("/work/idle-demo");
  });
  it("else takes the folder of the active .c file inside the workspace", () => {
    expect(findAppFolder("/repo", "/repo/samples/hello/main.c", listing(tree))).toBe("/repo/samples/hello");
    expect(findAppFolder("/repo", "/elsewhere/main.c", listing(tree))).toBeNull();
    expect(findAppFolder("/repo", "/repo/README.md", listing(tree))).toBeNull();
  });
  it("finds nothing in an empty or missing folder", () => {
    expect(findAppFolder("/empty", null, listing(tree))).toBeNull();
    expect(findAppFolder("/missing", null, listing(tree))).toBeNull();
  });
});

describe("resolveConfiguration", () => {
  it("turns F5 with no launch.json into a launch of the open app", () => {
    expect(resolveConfiguration({}, context())).toEqual({
      kind: "configuration",
      configuration: { type: "toro", request: "launch", name: "Toro: idle-demo", app: "/work/idle-demo" },
    });
  });

  it("keeps noDebug from Run Without Debugging", () => {
    const resolution = resolveConfiguration({ noDebug: true }, context());
    expect(resolution).toMatchObject({
      kind: "configuration",
      configuration: { noDebug: true, request: "launch" },
    });
  });

  it("says how to get an app when there is none", () => {
    expect(resolveConfiguration({}, context({ workspaceFolder: "/empty" }))).toEqual({
      kind: "error",
      message: NO_APP_MESSAGE,
    });
  });

  it("fills a launch configuration's missing app from the active file", () => {
    const resolution = resolveConfiguration(
      { type: "toro", request: "launch", name: "mine", cpus: 2 },
      context({ workspaceFolder: "/repo", activeFile: "/repo/samples/hello/main.c" }),
    );
    expect(resolution).toEqual({
      kind: "configuration",
      configuration: { type: "toro", request: "launch", name: "mine", cpus: 2, app: "/repo/samples/hello" },
    });
  });

  it("applies settings that differ from the defaults, never over the configuration's own values", () => {
    const settings = {
      qemuPath: "/opt/qemu/bin/qemu-system-x86_64",
      gdbPath: "/opt/gdb",
      telemetryHz: 50,
      kernelCheckout: "",
    };
    const resolution = resolveConfiguration(
      { type: "toro", request: "launch", name: "mine", app: "/work/idle-demo", gdbPath: "gdb-multiarch" },
      context({ settings }),
    );
    expect(resolution).toMatchObject({
      configuration: {
        qemuPath: "/opt/qemu/bin/qemu-system-x86_64",
        gdbPath: "gdb-multiarch",
        telemetryHz: 50,
      },
    });
  });

  it("passes toro.kernelCheckout to the adapter unless the configuration names its own checkout", () => {
    const settings = {
      qemuPath: "qemu-system-x86_64",
      gdbPath: "gdb",
      telemetryHz: 10,
      kernelCheckout: "/src/toro",
    };
    expect(resolveConfiguration({}, context({ settings }))).toMatchObject({
      configuration: { kernelCheckout: "/src/toro" },
    });
    const own = resolveConfiguration(
      { type: "toro", request: "launch", name: "n", app: "/a", kernelCheckout: "/other" },
      context({ settings }),
    );
    expect(own).toMatchObject({ configuration: { kernelCheckout: "/other" } });
  });

  it("leaves a program launch and an attach without an app", () => {
    const program = resolveConfiguration(
      { type: "toro", request: "launch", name: "p", program: "/k/kernel.elf" },
      context(),
    );
    expect(program).toMatchObject({ configuration: { program: "/k/kernel.elf" } });
    expect((program as { configuration: Record<string, unknown> }).configuration.app).toBeUndefined();
    const attach = resolveConfiguration(
      { type: "toro", request: "attach", name: "a", gdbstub: "127.0.0.1:1234", program: "/k/kernel.elf" },
      context({
        settings: {
          qemuPath: "qemu-system-x86_64",
          gdbPath: "/opt/gdb",
          telemetryHz: 10,
          kernelCheckout: "",
        },
      }),
    );
    expect(attach).toEqual({
      kind: "configuration",
      configuration: {
        type: "toro",
        request: "attach",
        name: "a",
        gdbstub: "127.0.0.1:1234",
        program: "/k/kernel.elf",
        gdbPath: "/opt/gdb",
      },
    });
  });

  it("rejects another debugger type or an unknown request with a clear message", () => {
    expect(resolveConfiguration({ type: "cppdbg", request: "launch", name: "x" }, context())).toEqual({
      kind: "error",
      message: 'Toro: expected a configuration of type "toro", got "cppdbg".',
    });
    expect(resolveConfiguration({ type: "toro", request: "run", name: "x" }, context())).toEqual({
      kind: "error",
      message: 'Toro: "request" must be "launch" or "attach", got "run".',
    });
  });
});

// kernel-location.test.ts - which Toro checkout the extension builds against (src/kernel-location.ts).
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveCheckout } from "../../src/kernel-location";

function filesystem(checkouts: string[]) {
  const files = new Set(
    checkouts.flatMap((root) => [
      path.join(root, "kernel", "Makefile"),
      path.join(root, "kernel", "include", "telemetry_abi.h"),
    ]),
  );
  return (file: string) => files.has(file);
}

describe("resolveCheckout", () => {
  it("prefers the toro.kernelCheckout setting", () => {
    const checkout = resolveCheckout("/src/toro", "/ext", filesystem(["/src/toro", "/ext"]));
    expect(checkout).toEqual({
      root: "/src/toro",
      kernel: "/src/toro/kernel",
      profiles: "/src/toro/qemu-profiles",
      samples: "/src/toro/samples",
      source: "setting",
    });
  });

  it("explains a setting that is not a checkout instead of silently using another kernel", () => {
    const checkout = resolveCheckout("/src/elsewhere", "/ext", filesystem(["/ext"]));
    expect(checkout).toHaveProperty("error");
    expect((checkout as { error: string }).error).toContain("toro.kernelCheckout");
  });

  it("uses the kernel bundled in the extension, else the repository around a development extension", () => {
    expect(resolveCheckout("", "/ext", filesystem(["/ext"]))).toMatchObject({
      root: "/ext",
      source: "bundled",
    });
    expect(resolveCheckout("  ", "/repo/extension", filesystem(["/repo"]))).toMatchObject({
      root: "/repo",
      source: "development",
    });
    expect(resolveCheckout("", "/ext", filesystem([]))).toHaveProperty("error");
  });
});

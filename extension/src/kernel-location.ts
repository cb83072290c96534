// kernel-location.ts - which Toro checkout (kernel/, qemu-profiles/, samples/) the extension builds against:
// the `toro.kernelCheckout` setting when set, else the copy bundled in the extension (.vsix), else the
// repository the extension runs from during development (extension/ inside a checkout). Pure: the file
// system is passed in. Tested in test/unit/kernel-location.test.ts.

import * as path from "node:path";

/** Where the checkout came from: a launch configuration's kernelCheckout, the setting, the .vsix, or the repository. */
export type CheckoutSource = "configuration" | "setting" | "bundled" | "development";

export interface ToroCheckout {
  root: string;
  kernel: string;
  profiles: string;
  samples: string;
  source: CheckoutSource;
}

export interface CheckoutError {
  error: string;
}

/** The files that make a folder a Toro checkout (the same marker the engine's paths.ts walks up to). */
export const CHECKOUT_MARKERS = [
  path.join("kernel", "Makefile"),
  path.join("kernel", "include", "telemetry_abi.h"),
];

export function isToroCheckout(root: string, exists: (file: string) => boolean): boolean {
  return CHECKOUT_MARKERS.every((marker) => exists(path.join(root, marker)));
}

export function checkoutAt(root: string, source: CheckoutSource): ToroCheckout {
  return {
    root,
    kernel: path.join(root, "kernel"),
    profiles: path.join(root, "qemu-profiles"),
    samples: path.join(root, "samples"),
    source,
  };
}

export function resolveCheckout(
  settingValue: string,
  extensionPath: string,
  exists: (file: string) => boolean,
): ToroCheckout | CheckoutError {
  const configured = settingValue.trim();
  if (configured !== "") {
    const root = path.resolve(configured);
    if (isToroCheckout(root, exists)) return checkoutAt(root, "setting");
    return {
      error:
        `toro.kernelCheckout is "${configured}", which is not a Toro checkout: ` +
        `expected ${CHECKOUT_MARKERS.join(" and ")} inside it. Clear the setting to use the bundled kernel.`,
    };
  }
  if (isToroCheckout(extensionPath, exists)) return checkoutAt(extensionPath, "bundled");
  const repository = path.dirname(extensionPath);
  if (isToroCheckout(repository, exists)) return checkoutAt(repository, "development");
  return {
    error: `no Toro kernel found: the extension at ${extensionPath} carries none; set toro.kernelCheckout.`,
  };
}

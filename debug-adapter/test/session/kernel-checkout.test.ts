// kernel-checkout.test.ts - the launch field `kernelCheckout`: the adapter builds with
// `make -C <kernelCheckout>/kernel`, finds profile names in `<kernelCheckout>/qemu-profiles` and a relative
// `app` under the checkout. The checkout here is a copy of this repository's kernel, profiles (plus one only
// the copy has) and the session app with its build, timestamps kept, so make has nothing to redo.

import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { STAMP_FILE } from "../../src/engine/build/build-stamp";
import { AdapterSession } from "./support/adapter-session";
import { prebuiltSessionApp, REPOSITORY_ROOT, SESSION_APP } from "./support/fixture-app";

const APP_IN_CHECKOUT = path.join("apps", "session-app");

/** A checkout in `parent`: kernel/ (no build), qemu-profiles/ plus `checkout-only.json`, the session app. */
function copyCheckout(parent: string): string {
  const checkout = path.join(parent, "other-checkout");
  const copy = (from: string, to: string, skip: (source: string) => boolean = () => false) =>
    fs.cpSync(from, to, { recursive: true, preserveTimestamps: true, filter: (source) => !skip(source) });
  copy(path.join(REPOSITORY_ROOT, "kernel"), path.join(checkout, "kernel"), (source) =>
    source.startsWith(path.join(REPOSITORY_ROOT, "kernel", "build")),
  );
  copy(path.join(REPOSITORY_ROOT, "qemu-profiles"), path.join(checkout, "qemu-profiles"));
  copy(SESSION_APP, path.join(checkout, APP_IN_CHECKOUT), (source) => path.basename(source) === STAMP_FILE);
  const profile = JSON.parse(fs.readFileSync(path.join(checkout, "qemu-profiles", "default.json"), "utf8"));
  fs.writeFileSync(
    path.join(checkout, "qemu-profiles", "checkout-only.json"),
    JSON.stringify({ ...profile, description: "Only in the other checkout: one vCPU.", cpus: 1 }),
  );
  return checkout;
}

describe("kernelCheckout", () => {
  it("builds with the checkout's kernel and finds its profiles and apps", async () => {
    await prebuiltSessionApp(); // the copy's build is then current
    const session = await AdapterSession.open("kernel-checkout");
    const checkout = copyCheckout(session.directory);
    const stopped = session.waitFor("stopped");
    await session.launch({
      kernelCheckout: checkout,
      app: APP_IN_CHECKOUT,
      profile: "checkout-only",
      stopOnEntry: true,
    });
    expect((await stopped).body.reason).toBe("entry");
    expect(session.info).toMatchObject({
      cpus: 1,
      program: path.join(checkout, APP_IN_CHECKOUT, "build", "kernel.elf"),
    });
    expect(session.output("console")).toContain(
      `make: Entering directory '${path.join(checkout, "kernel")}'`,
    );
    await session.close();
  });

  it("refuses a folder that is not a Toro checkout", async () => {
    const session = await AdapterSession.open("kernel-checkout-invalid");
    const message = await session.launchError({ kernelCheckout: session.directory, app: SESSION_APP });
    expect(message).toContain(`"kernelCheckout": ${session.directory} is not a Toro checkout`);
    expect(message).toContain("kernel/include/telemetry_abi.h");
    await session.close();

    // A profile only the other checkout has is not found in this one.
    const here = await AdapterSession.open("kernel-checkout-profile");
    const unknownProfile = await here.launchError({
      kernelCheckout: REPOSITORY_ROOT,
      app: SESSION_APP,
      profile: "checkout-only",
    });
    expect(unknownProfile).toContain(path.join(REPOSITORY_ROOT, "qemu-profiles", "checkout-only.json"));
    await here.close();
  });
});

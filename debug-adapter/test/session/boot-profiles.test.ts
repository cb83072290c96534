// boot-profiles.test.ts - a debug session on the profiles that boot the kernel another way than Multiboot 1:
// `pvh` (microvm, QEMU enters kernel.elf through its PVH note) and `uefi` (OVMF firmware, GRUB from toro.iso,
// which the launch builds with its command line). GDB stops at a breakpoint in the app on every vCPU's
// thread list, telemetry is read from the guest RAM file, serial output reaches the Debug Console, and
// terminate leaves nothing. Real QEMU and GDB through dist/adapter.js; lines from TAG comments.

import { describe, expect, it } from "vitest";
import { AdapterSession } from "./support/adapter-session";
import { SESSION_APP, SESSION_APP_SOURCE, tagLine } from "./support/fixture-app";

const CPUS = 2;

describe("sessions on the pvh and uefi profiles", () => {
  it.each([
    ["pvh", "pvh"],
    ["uefi", "multiboot2"],
  ])("%s: breakpoint, threads, RAM-file telemetry and serial output", async (profile, protocol) => {
    const session = await AdapterSession.open(`profile-${profile}`);
    const stopped = session.waitFor("stopped");
    await session.launch({ app: SESSION_APP, profile, cpus: CPUS, cmdline: "bootcheck" }, async () => {
      const [breakpoint] = await session.setBreakpoints(SESSION_APP_SOURCE, [{ line: tagLine("add-body") }]);
      expect(breakpoint.verified).toBe(true);
    });
    const stop = (await stopped).body;
    expect(stop.reason).toBe("breakpoint");
    expect(await session.topFrame(stop.threadId)).toMatchObject({ line: tagLine("add-body") });
    // The vCPUs first; the kernel's switched-out threads follow (kernel-threads.test.ts).
    const { threads } = (await session.client.threadsRequest()).body;
    expect(threads.slice(0, CPUS).map((thread) => thread.id)).toEqual(
      Array.from({ length: CPUS }, (_, index) => index + 1),
    );
    expect(threads.slice(CPUS).every((thread) => thread.id > 100_000)).toBe(true);

    const serial = session.output("stdout");
    expect(serial).toContain(`toro: booting (${protocol}), command line "idle=tickless bootcheck"`);
    expect(serial).toMatch(/acpi: RSDP at 0x[0-9a-f]+ \(from the loader\)/);
    expect(serial).toContain(`toro: ready cores=${CPUS} idle=tickless`);

    const mark = session.events.length;
    await session.waitFor("toroTelemetry", { after: mark });
    const [body] = session.telemetrySince(mark);
    expect(body.unreadable).toBeNull();
    expect(body.cores).toHaveLength(CPUS);
    await session.close();
  });
});

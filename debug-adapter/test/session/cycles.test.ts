// cycles.test.ts - launch/terminate cycles (20 in the default suite; TORO_CYCLES=100 in the long tier,
// `npm run test:long`), each with its own adapter process (as VS Code starts one per debug session): every
// cycle boots QEMU with GDB attached, stops on entry or runs, terminates, and must leave no QEMU, GDB or
// adapter process and no file; at the end no descendant of this test process is left.

import { describe, expect, it } from "vitest";
import { AdapterSession } from "./support/adapter-session";
import { prebuiltSessionApp } from "./support/fixture-app";
import { descendants } from "../helpers/processes";

const CYCLES = Number(process.env.TORO_CYCLES ?? 20);

describe("launch/terminate cycles", () => {
  it(
    `leaves nothing behind after ${CYCLES} cycles`,
    async () => {
      const { kernelElf } = await prebuiltSessionApp();
      for (let cycle = 1; cycle <= CYCLES; cycle++) {
        const session = await AdapterSession.open(`cycle-${cycle}`);
        const stopOnEntry = cycle % 2 === 0;
        const stopped = stopOnEntry ? session.waitFor("stopped") : undefined;
        await session.launch({ program: kernelElf, cpus: 2, stopOnEntry });
        await (stopped ?? session.waitFor("toroTelemetry"));
        const mark = session.events.length;
        await session.client.terminateRequest({});
        await session.waitFor("terminated", { after: mark });
        await session.expectProcessesGone();
        await session.close();
      }
      const left = descendants(process.pid).filter((child) => /qemu|gdb|node/.test(child.name));
      expect(left, "processes left behind by the cycles").toEqual([]);
    },
    CYCLES * 30_000,
  );
});

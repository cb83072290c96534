// cleanup.ts - assertions that a test left nothing behind: no QEMU process it started still alive, no
// launch still registered, no file in its private temporary parent directory.

import * as fs from "node:fs";
import { expect } from "vitest";
import { liveInstanceCount } from "../../src/engine/qemu/live-instances";
import { isAlive } from "./processes";

export function expectNothingLeft(parentDirectory: string, pids: (number | undefined)[]): void {
  expect(pids.filter(isAlive), "QEMU processes still alive").toEqual([]);
  expect(liveInstanceCount(), "launches still registered").toBe(0);
  expect(fs.readdirSync(parentDirectory), `files left in ${parentDirectory}`).toEqual([]);
}

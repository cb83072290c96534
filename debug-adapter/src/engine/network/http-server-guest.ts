// http-server-guest.ts - boots samples/http-server (or any app printing its readiness line) with the network
// on and waits until it listens: the GuestRun, the forwarded URL and the readiness line. What the network
// bench rows and tests start from. Also the console lines of the sample that the host waits for (pure;
// printed by samples/http-server/main.c): the readiness line `http-server: listening on 10.0.2.15:80, 4
// workers (one per core), keep-alive on` and the guest's own ping of QEMU's gateway. Pairs with
// port-forwarding.ts.

import { ToroError } from "../errors";
import { GuestRun, GuestRunOptions } from "../run/guest-run";
import { PortForwarding } from "./port-forwarding";

export interface ListeningLine {
  address: string;
  port: number;
  workers: number;
  keepAlive: boolean;
}

export function parseListeningLine(message: string): ListeningLine | null {
  const match =
    /^http-server: listening on (\d+\.\d+\.\d+\.\d+):(\d+), (\d+) workers.*keep-alive (on|off)/.exec(message);
  if (match === null) return null;
  return {
    address: match[1],
    port: Number(match[2]),
    workers: Number(match[3]),
    keepAlive: match[4] === "on",
  };
}

/** `http-server: ping 10.0.2.2: reply in 1811 us` or `... : no reply` (roundTrip null). */
export function parsePingLine(
  message: string,
): { target: string; roundTripMicroseconds: number | null } | null {
  const match = /^http-server: ping (\d+\.\d+\.\d+\.\d+): (?:reply in (\d+) us|no reply)/.exec(message);
  if (match === null) return null;
  return { target: match[1], roundTripMicroseconds: match[2] === undefined ? null : Number(match[2]) };
}

/** Boot, PCI scan, a ping of the gateway (up to 1 s) and the listen: generous for TCG on a busy host. */
export const LISTEN_TIMEOUT_MS = 60_000;

export interface HttpServerGuest {
  run: GuestRun;
  network: PortForwarding;
  listening: ListeningLine;
}

/** `options.overrides.network` is forced on; on any failure QEMU is stopped before the error is thrown. */
export async function startHttpServerGuest(options: GuestRunOptions): Promise<HttpServerGuest> {
  const overrides = options.overrides ?? {};
  const run = await GuestRun.start({
    ...options,
    overrides: { ...overrides, network: { ...overrides.network, enabled: true } },
  });
  try {
    await run.waitForReady(LISTEN_TIMEOUT_MS);
    const line = await run.qemu.serial.waitForLine(
      (candidate) => parseListeningLine(candidate.message) !== null,
      {
        timeoutMs: LISTEN_TIMEOUT_MS,
      },
    );
    if (run.qemu.network === null) throw new ToroError("the guest was started without a network");
    return { run, network: run.qemu.network, listening: parseListeningLine(line.message)! };
  } catch (error) {
    await run.stop();
    throw error;
  }
}

// http-server-guest.ts - boots samples/http-server (or any app printing its readiness line) with the
// network on and waits until it listens: the GuestRun, the forwarded URL and the readiness line. What the
// network bench rows and tests start from. Pairs with port-forwarding.ts and http-server-lines.ts.

import { ToroError } from "../errors";
import { GuestRun, GuestRunOptions } from "../run/guest-run";
import { ListeningLine, parseListeningLine } from "./http-server-lines";
import { PortForwarding } from "./port-forwarding";

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

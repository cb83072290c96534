// http-server-lines.ts - the console lines of samples/http-server that the host waits for: the readiness
// line `http-server: listening on 10.0.2.15:80, 4 workers (one per core), keep-alive on` and the guest's
// own ping of QEMU's gateway. Pure; pairs with samples/http-server/main.c (which prints them).

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

// stress-command.ts - `toro stress <url>`: HTTP load on a loopback URL (the one `toro run --network`
// prints), keep-alive or (--new-connections) a new connection per request; progress once a second on
// stderr, then requests/s, latency p50/p99, errors, timeouts and non-2xx on stdout (or one JSON object with --json). Ctrl-C stops the load and still prints the result.
// Exit code 0 when every request got a 2xx answer, 1 otherwise. Pairs with stress/load-generator.ts.

import { checkLoopbackUrl } from "@toro-studio/debug-adapter";
import { StressCommand } from "./cli-arguments";
import {
  DEFAULT_CONNECTIONS,
  DEFAULT_DURATION_SECONDS,
  DEFAULT_RAMP_INTERVAL_MS,
  runLoad,
} from "./stress/load-generator";
import { formatLoadResult, formatProgress, loadSucceeded } from "./stress/stress-report";

export async function stressCommand(command: StressCommand): Promise<number> {
  const url = checkLoopbackUrl(command.url).href; // before anything else: refuse a non-loopback target
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const connections = command.connections ?? DEFAULT_CONNECTIONS;
  log(
    `toro stress ${url}: ${connections} ` +
      (command.newConnections ? "loops of one new connection per request" : "keep-alive connections") +
      ` (opened ${DEFAULT_RAMP_INTERVAL_MS} ms apart), ` +
      (command.requests === undefined
        ? `${command.durationSeconds ?? DEFAULT_DURATION_SECONDS} s`
        : `${command.requests} requests`) +
      " (Ctrl-C stops)",
  );
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of signals) process.on(signal, onSignal);
  try {
    const result = await runLoad({
      url,
      connections,
      durationSeconds: command.durationSeconds,
      requests: command.requests,
      timeoutSeconds: command.timeoutSeconds,
      newConnections: command.newConnections,
      signal: abort.signal,
      onProgress: (progress) => log(formatProgress(progress)),
    });
    if (command.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else process.stdout.write(`${formatLoadResult(result).join("\n")}\n`);
    return loadSucceeded(result) ? 0 : 1;
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
  }
}

// steady-client.ts - a well-behaved HTTP client for the network tests: one keep-alive connection asking for
// `/` again and again while other tests misbehave, checking every answer (status 200, the exact page).
// stop() ends it and reports how many answers were right and what went wrong.

import * as http from "node:http";

export interface SteadyReport {
  good: number;
  failures: string[];
}

export function startSteadyClient(url: string, expectedBody: string): { stop: () => Promise<SteadyReport> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const report: SteadyReport = { good: 0, failures: [] };
  let running = true;

  const once = () =>
    new Promise<void>((resolve) => {
      const request = http.get(url, { agent, timeout: 20_000 }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          if (response.statusCode === 200 && body === expectedBody) report.good++;
          else report.failures.push(`status ${response.statusCode}, ${body.length} body bytes`);
          resolve();
        });
      });
      request.on("timeout", () => request.destroy(new Error("timed out")));
      request.on("error", (error) => {
        report.failures.push(error.message);
        resolve();
      });
    });

  const loop = (async () => {
    while (running) await once();
  })();

  return {
    stop: async () => {
      running = false;
      await loop;
      agent.destroy();
      return report;
    },
  };
}

// metrics-server.ts - the exporter's HTTP endpoint: GET /metrics answers one scrape (exporter.ts) in the format
// the Accept header asks for (exposition.ts), GET / a line pointing there, anything else 404/405. Binds
// 127.0.0.1 by default (another address only when given explicitly); port 0 picks a free one. A failed scrape
// answers 500 with the reason. close() stops listening, ends open connections and closes the exporter.

import * as http from "node:http";
import { AddressInfo } from "node:net";
import { ToroError } from "../errors";
import { Exporter } from "./exporter";
import { CONTENT_TYPES, negotiateFormat } from "./exposition";

export const DEFAULT_EXPORTER_PORT = 9864;
export const DEFAULT_LISTEN_ADDRESS = "127.0.0.1";

export interface MetricsServerOptions {
  port?: number;
  address?: string;
}

export class MetricsServer {
  private constructor(
    private readonly server: http.Server,
    readonly exporter: Exporter,
    readonly address: string,
    readonly port: number,
  ) {}

  /** Starts listening; rejects with a ToroError saying why (port taken, address not local...). */
  static async start(exporter: Exporter, options: MetricsServerOptions = {}): Promise<MetricsServer> {
    const address = options.address ?? DEFAULT_LISTEN_ADDRESS;
    const port = options.port ?? DEFAULT_EXPORTER_PORT;
    const server = http.createServer((request, response) => void answer(exporter, request, response));
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) => {
        const reason =
          error.code === "EADDRINUSE"
            ? `port ${port} is already in use on ${address}; pick another with --port`
            : error.code === "EADDRNOTAVAIL"
              ? `${address} is not an address of this host; give one of its addresses with --listen (default ${DEFAULT_LISTEN_ADDRESS})`
              : error.message;
        reject(new ToroError(`the exporter cannot listen on ${address}:${port}: ${reason}`));
      });
      server.listen(port, address, () => resolve());
    });
    const bound = server.address() as AddressInfo;
    return new MetricsServer(server, exporter, bound.address, bound.port);
  }

  get url(): string {
    const host = this.address.includes(":") ? `[${this.address}]` : this.address;
    return `http://${host}:${this.port}/metrics`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await this.exporter.close();
  }
}

async function answer(exporter: Exporter, request: http.IncomingMessage, response: http.ServerResponse) {
  const pathname = (request.url ?? "/").split("?")[0];
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { "Content-Type": "text/plain; charset=utf-8", Allow: "GET, HEAD" });
    response.end("only GET and HEAD\n");
    return;
  }
  if (pathname === "/") {
    response.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
    response.end("Toro exporter: metrics at /metrics\n");
    return;
  }
  if (pathname !== "/metrics") {
    response.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
    response.end(`no ${pathname} here; metrics are at /metrics\n`);
    return;
  }
  try {
    const format = negotiateFormat(request.headers.accept);
    const body = await exporter.exposition(format);
    response.writeHead(200, { "Content-Type": CONTENT_TYPES[format] });
    response.end(request.method === "HEAD" ? undefined : body);
  } catch (error) {
    response.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
    response.end(`scrape failed: ${(error as Error).message}\n`);
  }
}

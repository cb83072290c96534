// raw-client.ts - TCP clients for the network tests that misbehave on purpose (garbage, truncated or
// oversized heads, silence, resets, half-closes) and read whatever the server answers until it closes,
// plus a small HTTP/1.1 response parser to check that answers are complete. Loopback only.

import * as net from "node:net";
import { performance } from "node:perf_hooks";

export interface Exchange {
  /** Everything received before the connection ended. */
  text: string;
  /** How the server ended it: FIN ("end"), RST ("reset"), or we gave up waiting ("timeout"). */
  ending: "end" | "reset" | "timeout";
  /** From connect to the end. */
  elapsedMs: number;
}

export interface ParsedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body has as many bytes as Content-Length said. */
  complete: boolean;
}

/** Opens a connection to 127.0.0.1:port and resolves once connected. */
export function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.off("error", reject);
      resolve(socket);
    });
    socket.once("error", reject);
  });
}

/** Collects what the server sends until it closes the connection (or `timeoutMs` passes). */
export function collect(socket: net.Socket, timeoutMs: number): Promise<Exchange> {
  const startedAtMs = performance.now();
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    let ending: Exchange["ending"] = "end";
    const timer = setTimeout(() => {
      ending = "timeout";
      socket.destroy();
    }, timeoutMs);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNRESET" || error.code === "EPIPE") ending = "reset";
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({
        text: Buffer.concat(chunks).toString("latin1"),
        ending,
        elapsedMs: performance.now() - startedAtMs,
      });
    });
  });
}

/** Connects, sends `bytes` (if any), half-closes when asked, and collects the answer. */
export async function exchange(
  port: number,
  bytes: string | Buffer | null,
  options: { halfClose?: boolean; timeoutMs: number },
): Promise<Exchange> {
  const socket = await connect(port);
  const answer = collect(socket, options.timeoutMs);
  if (bytes !== null) socket.write(bytes);
  if (options.halfClose) socket.end();
  return answer;
}

/** Every HTTP/1.1 response in `text`, in order (bodies delimited by Content-Length). */
export function parseResponses(text: string): ParsedResponse[] {
  const responses: ParsedResponse[] = [];
  let rest = text;
  while (rest.length > 0) {
    const headEnd = rest.indexOf("\r\n\r\n");
    if (headEnd < 0) break;
    const [statusLine, ...headerLines] = rest.slice(0, headEnd).split("\r\n");
    const status = /^HTTP\/1\.[01] (\d{3}) /.exec(statusLine);
    if (status === null) break;
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers["content-length"] ?? 0);
    const body = rest.slice(headEnd + 4, headEnd + 4 + length);
    responses.push({ status: Number(status[1]), headers, body, complete: body.length === length });
    rest = rest.slice(headEnd + 4 + length);
  }
  return responses;
}

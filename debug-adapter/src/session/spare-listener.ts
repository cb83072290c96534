// spare-listener.ts - the spare adapter's side of its connection: listens on a unix socket for exactly one
// client (VS Code, through the extension's DebugAdapterNamedPipeServer), then stops listening and removes
// the socket file. The socket's directory is the starter's to make private (0700) and to remove; the listener
// refuses a path whose directory is open to others, so no other user can reach the session.

import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { ToroError } from "../engine/errors";

export interface OneClientListener {
  /** The first client's connection. */
  readonly connected: Promise<net.Socket>;
  /** Stops listening (the socket file goes); a client already connected keeps its connection. */
  close(): void;
}

/** Listens on `socketPath`; resolves once listening. Rejects when the directory is not private or in use. */
export async function listenForOneClient(socketPath: string): Promise<OneClientListener> {
  const directory = path.dirname(socketPath);
  const mode = fs.statSync(directory).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new ToroError(
      `the spare adapter's socket directory ${directory} has mode ${mode.toString(8)}`,
      "Give a socket path in a directory only this user can enter (mode 700).",
    );
  const server = net.createServer();
  let accept: (socket: net.Socket) => void = () => undefined;
  const connected = new Promise<net.Socket>((resolve) => (accept = resolve));
  const close = () => {
    if (server.listening) server.close();
  };
  server.once("connection", (socket) => {
    close(); // one client only
    accept(socket);
  });
  return new Promise<OneClientListener>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.off("error", reject);
      resolve({ connected, close });
    });
  });
}

// adapter.ts - the entry point of the `toro` debug adapter: `node dist/adapter.js` speaks the Debug Adapter
// Protocol on stdin/stdout (VS Code starts it so; the CLI and the tests too). One session per process.
//
// `node dist/adapter.js --spare <socket> [--gdb <gdbPath>]` is a spare adapter, started by the extension
// before F5 (extension/src/debug/spare-adapter.ts): it starts GDB at once (a SpareGdb, taken by a launch
// with the same gdbPath), listens on <socket> (in a private 0700 directory) for one client, prints
// "listening" on stdout when it can be connected to, and then serves one session on that connection.
//
// If the process is told to stop (SIGTERM, SIGINT, SIGHUP), its client goes away (stdin closed; for a spare,
// the connection closed) or a spare's starter goes away (its stdin closed), the session is ended first so
// that no QEMU, GDB or file is left behind. The session itself is src/session/toro-debug-session.ts.

import type { Readable, Writable } from "node:stream";
import { SpareGdb } from "./engine/launch/spare-gdb";
import { listenForOneClient, type OneClientListener } from "./session/spare-listener";
import { ToroDebugSession } from "./session/toro-debug-session";

/** The value after `flag` in the command line, or undefined. */
function argumentAfter(flag: string): string | undefined {
  const at = process.argv.indexOf(flag);
  return at === -1 ? undefined : process.argv[at + 1];
}

const spareSocket = argumentAfter("--spare");
const session = new ToroDebugSession(
  spareSocket === undefined ? undefined : SpareGdb.start(argumentAfter("--gdb")),
);
let exiting = false;
/** A spare's listener, until its client connects (closing it removes the socket file). */
let listener: OneClientListener | undefined;

function cleanUpAndExit(code: number): void {
  if (exiting) return;
  exiting = true;
  listener?.close();
  session
    .cleanUp()
    .catch(() => undefined)
    .finally(() => process.exit(code));
}

for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
  process.on(signal, () => cleanUpAndExit(0));
}
process.stdin.on("end", () => cleanUpAndExit(0));
process.stdin.resume(); // a spare reads nothing from stdin, but must see it end
// A bug in one handler must not take the session (and its cleanup) down: report it on stderr, which VS Code
// shows in the debug adapter log.
process.on("unhandledRejection", (reason) =>
  console.error("toro debug adapter: unhandled rejection:", reason),
);

function serve(input: Readable, output: Writable): void {
  session.setRunAsServer(false);
  session.start(input, output);
}

if (spareSocket === undefined) serve(process.stdin, process.stdout);
else {
  listenForOneClient(spareSocket).then(
    async (listening) => {
      listener = listening;
      process.stdout.write("listening\n");
      const socket = await listening.connected;
      socket.on("close", () => cleanUpAndExit(0));
      serve(socket, socket);
    },
    (error: unknown) => {
      console.error(`toro debug adapter: cannot listen on ${spareSocket}: ${(error as Error).message}`);
      cleanUpAndExit(1);
    },
  );
}

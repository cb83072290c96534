// adapter.ts - the entry point of the `toro` debug adapter: `node dist/adapter.js` speaks the Debug Adapter
// Protocol on stdin/stdout (VS Code starts it so). One session per process. If the process is told to stop
// (SIGTERM, SIGINT, SIGHUP) or its client goes away (stdin closed), the session is ended first so that no
// QEMU, GDB or file is left behind. The session itself is src/session/toro-debug-session.ts.

import { ToroDebugSession } from "./session/toro-debug-session";

const session = new ToroDebugSession();
let exiting = false;

function cleanUpAndExit(code: number): void {
  if (exiting) return;
  exiting = true;
  session
    .cleanUp()
    .catch(() => undefined)
    .finally(() => process.exit(code));
}

for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
  process.on(signal, () => cleanUpAndExit(0));
}
process.stdin.on("end", () => cleanUpAndExit(0));
// A bug in one handler must not take the session (and its cleanup) down: report it on stderr, which VS Code
// shows in the debug adapter log.
process.on("unhandledRejection", (reason) =>
  console.error("toro debug adapter: unhandled rejection:", reason),
);

session.setRunAsServer(false);
session.start(process.stdin, process.stdout);
